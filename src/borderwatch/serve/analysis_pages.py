"""Pages over cross-report analysis: timeline, map, goods, claims, incidents, watchlists.

Each page has its JSON twin under /api built from the same data function.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from borderwatch.serve.app import page, plain
from borderwatch.serve.deps import db
from borderwatch.store import workbench

router = APIRouter()


# --- timeline -----------------------------------------------------------------------------

def timeline_view(conn: sqlite3.Connection, granularity: str, since: str | None,
                  until: str | None) -> dict[str, Any]:
    """Incidents per week or month by type."""
    from borderwatch.resolve.incidents import incident_counts_by_period

    if granularity not in ("week", "month"):
        raise HTTPException(status_code=400, detail="granularity is week or month")
    rows = incident_counts_by_period(conn, granularity, since, until)
    return {"granularity": granularity, "since": since, "until": until,
            "rows": [{"period": r["period"], "type": r["type"], "count": r["incidents"],
                      "sources": r["sources"]} for r in rows]}


def _period_end(start: str, granularity: str) -> str:
    from datetime import date, timedelta

    d = date.fromisoformat(start)
    if granularity == "week":
        return (d + timedelta(days=6)).isoformat()
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).isoformat()


@router.get("/timeline", include_in_schema=False)
def timeline_page(request: Request, granularity: str = "month", since: str | None = None,
                  until: str | None = None, conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    from borderwatch.serve.charts import timeline_svg

    data = timeline_view(conn, granularity, since or None, until or None)

    def link(start: str, etype: str | None) -> str:
        # the timeline counts incidents: a bar opens the incidents of its type and period
        q = {"since": start, "until": _period_end(start, granularity)}
        if etype:
            q["type"] = etype
        return "/incidents?" + urlencode(q)

    svg = timeline_svg([(r["period"], r["type"], r["count"]) for r in data["rows"]], granularity, link)
    return page(request, "timeline.html", {**data, "svg": svg})


@router.get("/api/timeline")
def timeline_api(granularity: str = "month", since: str | None = None, until: str | None = None,
                 conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Incident counts per period (week or month) and event type."""
    return timeline_view(conn, granularity, since, until)


# --- map ----------------------------------------------------------------------------------

@router.get("/map", include_in_schema=False)
def map_page(request: Request, since: str | None = None, until: str | None = None,
             conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    from borderwatch.resolve.incidents import incident_counts_by_place
    from borderwatch.serve.mapsvg import MapPoint, map_svg

    points = incident_counts_by_place(conn, since or None, until or None)
    drawn = [MapPoint(p["place_id"], p["name"], p["lat"], p["lon"], p["incidents"],
                      p["dominant_type"], p["types"])
             for p in points if p["lat"] is not None and p["lon"] is not None]
    period = {k: v for k, v in (("since", since), ("until", until)) if v}
    svg = map_svg(drawn, lambda pid: "/incidents?" + urlencode({"place": pid, **period}))
    unplaced = [p for p in points if p["lat"] is None or p["lon"] is None]
    return page(request, "map.html", {"svg": svg, "points": points, "unplaced": unplaced,
                                      "since": since, "until": until})


@router.get("/api/places")
def places_api(since: str | None = None, until: str | None = None,
               conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Places with incident counts by type, dominant type and coordinates (null if unknown)."""
    from borderwatch.resolve.incidents import incident_counts_by_place

    return {"places": incident_counts_by_place(conn, since, until)}


# --- goods --------------------------------------------------------------------------------

@router.get("/goods", include_in_schema=False)
def goods_page(request: Request, conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    return page(request, "goods.html", {"goods": workbench.goods_overview(conn)})


@router.get("/api/goods")
def goods_api(conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Every commodity: HS chapter, UN sanctions status, mentions, reports, events."""
    return {"goods": workbench.goods_overview(conn)}


@router.get("/goods/{entity_id}", include_in_schema=False)
def good_page(request: Request, entity_id: str, conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    return page(request, "good.html", {"g": workbench.good_detail(conn, entity_id)})


@router.get("/api/goods/{entity_id}")
def good_api(entity_id: str, conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """One commodity: mentions by month, events, prices reported with it."""
    return workbench.good_detail(conn, entity_id)


# --- claims -------------------------------------------------------------------------------

def claims_view(conn: sqlite3.Connection, subject: str | None, since: str | None,
                until: str | None) -> dict[str, Any]:
    from borderwatch.resolve.claims import claim_groups

    groups = plain(claim_groups(conn, since=since, until=until, subject=subject))
    return {"subject": subject, "since": since, "until": until, "groups": groups,
            "collisions": sum(1 for g in groups if g.get("collision"))}


@router.get("/claims", include_in_schema=False)
def claims_page(request: Request, subject: str | None = None, since: str | None = None,
                until: str | None = None, conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    return page(request, "claims.html", claims_view(conn, subject or None, since or None, until or None))


@router.get("/api/claims")
def claims_api(subject: str | None = None, since: str | None = None, until: str | None = None,
               conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Claims by subject and period, authorities against sources; collisions flagged."""
    return claims_view(conn, subject, since, until)


# --- incidents ----------------------------------------------------------------------------

@router.get("/incidents", include_in_schema=False)
def incidents_page(request: Request, type: str | None = None, place: str | None = None,  # noqa: A002
                   since: str | None = None, until: str | None = None,
                   conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    return page(request, "incidents.html", incidents_api(type or None, place or None,
                                                         since or None, until or None, conn))


@router.get("/api/incidents")
def incidents_api(type: str | None = None, place: str | None = None, since: str | None = None,  # noqa: A002
                  until: str | None = None, conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Incidents: events of one type at one place within the window, with independent sources."""
    from borderwatch.resolve.incidents import list_incidents

    total, rows = list_incidents(conn, type=type, place=place, since=since, until=until,
                                 limit=200, offset=0)
    return {"total": total, "incidents": rows,
            "filters": {"type": type, "place": place, "since": since, "until": until}}


@router.get("/incidents/{incident_id}", include_in_schema=False)
def incident_page(request: Request, incident_id: int, conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    return page(request, "incident.html", {"i": incident_api(incident_id, conn)})


@router.get("/api/incidents/{incident_id}")
def incident_api(incident_id: int, conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """One incident with its events, sentences, reports and attributions."""
    from borderwatch.resolve.incidents import incident_detail

    detail = incident_detail(conn, incident_id)
    if detail is None:
        raise HTTPException(status_code=404, detail="no such incident")
    return plain(detail)


# --- watchlists ---------------------------------------------------------------------------

@router.get("/watchlists", include_in_schema=False)
def watchlists_page(request: Request, conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    return page(request, "watchlists.html", watchlists_api(conn))


@router.get("/api/watchlists")
def watchlists_api(conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Saved searches and filters, with when they last ran."""
    from borderwatch.store.watchlists import list_watchlists

    return {"watchlists": plain(list_watchlists(conn))}


@router.get("/watchlists/{watchlist_id}.atom", include_in_schema=False)
@router.get("/watchlists/{watchlist_id}.json", include_in_schema=False)
def watchlist_feed(request: Request, watchlist_id: int, conn: sqlite3.Connection = Depends(db)) -> Response:
    """A watchlist's newest hits as an Atom or JSON feed to subscribe to."""
    from borderwatch.store.watchlists import watch_feed

    fmt = "atom" if request.url.path.endswith(".atom") else "json"
    base = str(request.base_url).rstrip("/")
    try:
        body = watch_feed(conn, watchlist_id, fmt=fmt, base_url=base)
    except (KeyError, LookupError, ValueError) as exc:
        raise HTTPException(status_code=404, detail="no such watchlist") from exc
    media = "application/atom+xml" if fmt == "atom" else "application/feed+json"
    return Response(body, media_type=f"{media}; charset=utf-8")
