"""Pages over cross-report analysis: timeline, map, goods, claims, incidents (watchlists are in
watch_pages.py).

Each page has its JSON twin under /api built from the same data function.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from borderwatch.serve.deps import db
from borderwatch.serve.lists import ListQuery, checked_period, checked_sort, download, listing, table, window
from borderwatch.serve.render import plain, respond
from borderwatch.store import workbench
from borderwatch.store.claims import ClaimFilters
from borderwatch.store.lists import (
    GOODS_SORT,
    INCIDENT_SORT,
    GoodsFilters,
    IncidentFilters,
    goods_list,
    goods_rows,
    incident_list,
    iter_incidents,
)
from borderwatch.store.paging import Window

router = APIRouter()


# --- timeline -----------------------------------------------------------------------------

def _period_end(start: str, granularity: str) -> str:
    """The last day of the week or month that begins on `start`."""
    from datetime import date, timedelta

    d = date.fromisoformat(start)
    if granularity == "week":
        return (d + timedelta(days=6)).isoformat()
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).isoformat()


def timeline_view(conn: sqlite3.Connection, granularity: str, since: str | None,
                  until: str | None, period: str | None = None) -> dict[str, Any]:
    """Incidents per week or month by type, dated by their first day (undated ones are on no
    timeline). Every count carries `href`, the incidents list of exactly that many rows: a
    bar's type and period, cut to the period asked for (a 30-day preset's first month is only
    its last days). `periods` holds the same counts per period, newest first; `total` all of
    them; `presets` the brief's period presets. No bounds (or `period=all`) is every date, but
    weeks with no bounds are the last `weeks_by_default` weeks of data/brief.yaml (`recent_weeks`; `period=all` for
    every week)."""
    from borderwatch.serve.charts import GRANULARITIES, period_name
    from borderwatch.serve.render import label
    from borderwatch.store.incidents import incident_counts_by_period
    from borderwatch.store.periods import DateBound

    if granularity not in GRANULARITIES:
        raise HTTPException(status_code=400, detail="granularity is week or month")
    if period not in (None, "", "all"):
        raise HTTPException(status_code=400, detail="period is 'all' or left out (use since/until)")
    since, until = checked_period(since or None, until or None)
    recent = granularity == "week" and since is None and until is None and period != "all"
    weeks = workbench.page_limit("weeks_by_default")
    if recent:  # a week's bars over ten years are 500 bars no one reads: the last two years
        from datetime import timedelta

        since = (workbench.newest_day(conn) - timedelta(weeks=weeks - 1)).isoformat()
    if period == "all":
        since = until = None
    lo = DateBound.parse(since).first_day().isoformat() if since else None
    hi = DateBound.parse(until).last_day().isoformat() if until else None

    def span(first: str | None, last: str | None, etype: str | None = None) -> str:
        """The incidents list of one type (or all) from `first` to `last`, cut to the period."""
        start = max(first, lo) if first and lo else first or lo
        end = min(last, hi) if last and hi else last or hi
        # written out rather than urlencode()d: a week view over ten years has 13,000 of these
        # links (90 ms of urlencode at 50,000 reports); type ids and ISO dates need no escaping
        # but a type is quoted all the same
        q = [f"type={quote(etype, safe='')}" if etype else "", f"since={start}" if start else "",
             f"until={end}" if end else ""]
        return "/incidents?" + "&".join(x for x in q if x)

    rows = incident_counts_by_period(conn, granularity, since, until)
    out_rows: list[dict[str, Any]] = []
    periods: dict[str, dict[str, Any]] = {}
    for r in rows:
        end = _period_end(r["period"], granularity)
        row = {"period": r["period"], "type": r["type"], "count": r["incidents"],
               "sources": r["sources"], "href": span(r["period"], end, r["type"])}
        out_rows.append(row)
        p = periods.setdefault(r["period"], {
            "period": r["period"], "until": end, "label": period_name(r["period"], granularity),
            "count": 0, "href": span(r["period"], end), "types": []})
        p["count"] += r["incidents"]
        p["types"].append(row | {"label": label("type", r["type"])})
    for p in periods.values():
        p["types"].sort(key=lambda t: (-t["count"], t["label"]))
    count = sum(r["count"] for r in out_rows)
    href: str | None = None  # every date and no incident: nothing to link (undated ones are not here)
    if out_rows:
        href = span(out_rows[0]["period"], _period_end(out_rows[-1]["period"], granularity))
    elif lo or hi:
        href = span(lo, hi)
    kept = {"granularity": granularity} if granularity != "month" else {}
    return {"granularity": granularity, "granularity_label": label("granularity", granularity),
            "since": since, "until": until, "all": since is None and until is None,
            "recent_weeks": weeks if recent else None,
            "rows": out_rows,
            "periods": sorted(periods.values(), key=lambda p: p["period"], reverse=True),
            "total": {"count": count, "href": href},
            "types": sorted({r["type"] for r in out_rows}),
            "newest_day": workbench.newest_day(conn).isoformat(),
            "presets": workbench.presets(conn, since, until, path="/timeline", keep=kept),
            "options": {"granularity": [{"value": g, "label": label("granularity", g)}
                                        for g in ("month", "week")]}}


@router.get("/timeline", include_in_schema=False)
@router.get("/api/timeline")
def timeline(request: Request, granularity: str = "month", since: str | None = None,
             until: str | None = None, period: str | None = None,
             conn: sqlite3.Connection = Depends(db)) -> Any:
    """Incident counts per period (`granularity`: week or month) and event type, each with
    `href`, the incidents list of exactly that many; `periods` (newest first) and `total` the
    same summed; since/until (YYYY[-MM[-DD]]) bound the incidents' first days, `period=all`
    (or no bounds) is every date; `presets` are the brief's period presets."""
    def chart(data: dict[str, Any]) -> dict[str, Any]:
        from borderwatch.serve.charts import ordered_types, style_of, timeline_svg

        links = {(r["period"], r["type"]): r["href"] for r in data["rows"]}
        period_links = {p["period"]: p["href"] for p in data["periods"]}

        def link(start: str, etype: str | None) -> str:
            # the timeline counts incidents: a bar opens the incidents of its type and period, a
            # date under the axis those of its period (an empty one the same, cut to the filters)
            if etype:
                return links[(start, etype)]
            return period_links.get(start) or "/incidents?" + urlencode(
                {"since": start, "until": _period_end(start, granularity)})

        svg = timeline_svg([(r["period"], r["type"], r["count"]) for r in data["rows"]],
                           granularity, link, legend=False)  # the legend is the page's, in HTML
        legend = [{"type": t, "label": style_of(t).label} for t in ordered_types(set(data["types"]))]
        return {**data, "svg": svg, "legend": legend}

    return respond(request, "timeline.html", timeline_view(conn, granularity, since, until, period),
                   html=chart)


# --- map ----------------------------------------------------------------------------------

@router.get("/map", include_in_schema=False)
@router.get("/api/places")
def places(request: Request, since: str | None = None, until: str | None = None,
           conn: sqlite3.Connection = Depends(db)) -> Any:
    """Places with incident counts by type, dominant type, coordinates (null if unknown), the
    link to their incidents (`href`, a list of exactly `incidents` rows) and how the map shows
    them (`shown_as`: area, line, point, outside, none). The page is the map (drawn in the
    browser by static/map.js from /api/geo and /api/places) and the table of places, which is
    the whole page without JavaScript."""
    from borderwatch.serve.mapview import map_view

    api = "/api/places" + ("?" + urlencode({k: v for k, v in (("since", since), ("until", until))
                                              if v}) if since or until else "")
    return respond(request, "map.html", map_view(conn, since or None, until or None),
                   html=lambda data: {**data, "places_api": api})


@router.get("/api/geo")
def geo_api(request: Request) -> Response:
    """The map's geography as one GeoJSON FeatureCollection: countries, provinces, borders and
    the Yalu and Tumen (Natural Earth 1:10m, shipped in the package) and country and sea names."""
    from borderwatch.serve.mapview import geo_data

    geo = geo_data()
    headers = {"ETag": geo.etag, "Cache-Control": "max-age=86400", "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == geo.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(geo.gzipped, media_type="application/geo+json",
                        headers={**headers, "Content-Encoding": "gzip"})
    return Response(geo.body, media_type="application/geo+json", headers=headers)


# --- goods --------------------------------------------------------------------------------

GOODS_COLUMNS = ("id", "name", "hs", "sanctioned", "export_ban", "import_ban", "import_cap",
                 "resolution", "mentions", "reports", "events")


def _goods_filters(q: str | None, sanctions: str | None, seen: str | None) -> GoodsFilters:
    if sanctions and sanctions not in ("sanctioned", "not"):
        raise HTTPException(status_code=400, detail="sanctions is 'sanctioned' or 'not'")
    if seen and seen not in ("yes", "all"):
        raise HTTPException(status_code=400, detail="seen is 'yes' or 'all'")
    return GoodsFilters(q=(q or "").strip() or None, sanctions=sanctions or None,
                        seen=None if seen == "all" else seen or None)


def goods_view(conn: sqlite3.Connection, f: GoodsFilters, win: Window, sort: str | None,
               order: str | None) -> dict[str, Any]:
    """One page of the goods borderwatch knows, each count with the list it is the total of:
    its events (/events?commodity=ID) and the reports that mention it (/reports?good=ID)."""
    from borderwatch.serve.render import label

    key, direction = checked_sort(GOODS_SORT, sort, order)
    total, rows = goods_list(conn, f, win, key, direction)
    for g in rows:
        g["events_href"] = "/events?" + urlencode({"commodity": g["id"]})
        g["reports_href"] = "/reports?" + urlencode({"good": g["id"]})
    params = {"q": f.q, "sanctions": f.sanctions, "seen": f.seen}
    return {"goods": rows, "total": total, "filters": params,
            "list": listing("/goods", params, total, win, GOODS_SORT, key, direction,
                            rows_on_page=len(rows)),
            "options": {"sanctions": [{"value": v, "label": label("sanctions", v)}
                                      for v in ("sanctioned", "not")],
                        "seen": [{"value": "" if v == "all" else v, "label": label("seen", v)}
                                 for v in ("all", "yes")]}}


@dataclass
class GoodsQuery(ListQuery):
    """The goods list's query parameters (the page, its JSON twin and its downloads)."""

    q: str | None = None
    sanctions: str | None = None
    seen: str | None = None


@router.get("/goods", include_in_schema=False)
@router.get("/api/goods")
def goods(request: Request, p: GoodsQuery = Depends(), conn: sqlite3.Connection = Depends(db)) -> Any:
    """Every commodity borderwatch knows: HS chapter, UN sanctions status, mentions, reports
    and events (each count with `*_href`, the list of that many rows). Filters: `q` (part of
    the name), `sanctions` (sanctioned, not), `seen` (yes: only goods the reports mention);
    `sort` (name, hs, sanctioned, mentions, reports, events) and `order` (asc, desc)."""
    return respond(request, "goods.html", goods_view(
        conn, _goods_filters(p.q, p.sanctions, p.seen), window(p.page, p.per_page), p.sort, p.order))


def _good_row(g: dict[str, Any]) -> dict[str, Any]:
    """A good as one flat export row."""
    s = g["un_sanctions"] or {}
    return g | {"export_ban": s.get("export_ban"), "import_ban": s.get("import_ban"),
                "import_cap": s.get("import_cap"), "resolution": s.get("resolution")}


@router.get("/goods.{fmt}", include_in_schema=False)
def goods_download(request: Request, fmt: str, p: GoodsQuery = Depends(),
                   conn: sqlite3.Connection = Depends(db)) -> Response:
    """Every good of the filters (all pages), in the list's order, as CSV or JSON Lines."""
    f = _goods_filters(p.q, p.sanctions, p.seen)
    key, direction = checked_sort(GOODS_SORT, p.sort, p.order)
    return download(request, "goods", fmt, table(fmt, GOODS_COLUMNS, lambda c: (
        _good_row(g) for g in goods_rows(c, f, key, direction))))


@router.get("/goods/{entity_id}", include_in_schema=False)
@router.get("/api/goods/{entity_id}")
def good(request: Request, entity_id: str, conn: sqlite3.Connection = Depends(db)) -> Any:
    """One commodity: mentions by month, events, and its prices over time (each the amount
    as written, its value in local currency and US$, the day it was seen, its event)."""
    from borderwatch.serve.prices import price_charts

    return respond(request, "good.html", workbench.good_detail(conn, entity_id),
                   html=lambda g: {"g": g, "charts": price_charts(g["name"], g["prices"])})


@router.get("/rates", include_in_schema=False)
@router.get("/api/rates")
def rates(request: Request, since: str | None = None, until: str | None = None,
          pair: str | None = None, by: str | None = None,
          conn: sqlite3.Connection = Depends(db)) -> Any:
    """The North Korean won's market rate (KPW per USD and per CNY) over time: rates told in
    reports (each with its event; month by month over a long period, each month with the
    count its link lists; `by=month` asks for that over any period) and the reference table
    used for US$ values. `pair` (USD or CNY) keeps one rate."""
    from borderwatch.serve.prices import rate_charts, rate_list_max

    return respond(request, "rates.html", _rates(conn, since, until, pair, by),
                   html=lambda d: {**d, "charts": rate_charts(d), "list_max": rate_list_max()})


def _rates(conn: sqlite3.Connection, since: str | None, until: str | None,
           pair: str | None, by: str | None) -> dict[str, Any]:
    from borderwatch.serve.prices import rates_view
    from borderwatch.store.prices import RATE_PAIRS

    if pair and pair not in RATE_PAIRS:
        raise HTTPException(status_code=400, detail=f"pair is one of {', '.join(RATE_PAIRS)}")
    if by not in (None, "", "month"):
        raise HTTPException(status_code=400, detail="by is 'month' or left out")
    return rates_view(conn, since, until, pair, by_month=by == "month")


# --- claims -------------------------------------------------------------------------------

GROUPS_PER_PAGE = 10  # claim groups (a topic in a month) on a page: each holds up to 16 claims
CLAIM_COLUMNS = ("subject", "side", "holder", "holder_kind", "stance", "cue", "text", "date",
                 "period", "colliding", "report_id", "outlet", "published", "start", "end",
                 "event_ids", "hedged")


def _claim_filters(conn: sqlite3.Connection, topic: str | None, place: str | None,
                   since: str | None, until: str | None, side: str | None,
                   undated: bool = False) -> ClaimFilters:
    """Query values to ClaimFilters: an unknown topic or side is a 400, a bad date too."""
    from borderwatch.resolve.claims import SIDES, claim_rules

    if topic and topic not in {s.key for s in claim_rules().subjects}:
        raise HTTPException(status_code=400, detail=f"unknown claim topic {topic!r}")
    if side and side not in SIDES:
        raise HTTPException(status_code=400, detail=f"side is one of {', '.join(SIDES)}")
    since, until = checked_period(since or None, until or None)
    return ClaimFilters(subject=topic or None, place=place or None, since=since, until=until,
                        side=side or None, undated=undated)


def _claim_options(conn: sqlite3.Connection, f: ClaimFilters) -> dict[str, Any]:
    """The claims filters' drop-downs, with human labels."""
    from borderwatch.resolve.claims import SIDES, claim_rules
    from borderwatch.serve.render import label
    from borderwatch.store.lists import incident_places

    places = [{"value": p["id"], "label": p["name"] or p["id"]} for p in incident_places(conn)]
    if f.place and f.place not in {p["value"] for p in places}:
        places.insert(0, {"value": f.place, "label": f.place})
    return {"topics": [{"value": s.key, "label": s.label} for s in claim_rules().subjects],
            "places": places, "sides": [{"value": s, "label": label("sides", s)} for s in SIDES]}


def _stance_labels() -> dict[str, dict[str, str]]:
    from borderwatch.resolve.claims import claim_rules

    return {s.key: dict(zip(s.stances, s.stance_labels)) for s in claim_rules().subjects}


def claims_view(conn: sqlite3.Connection, f: ClaimFilters, view: str, win: Window,
                sort: str | None, order: str | None, collisions: str | None = None) -> dict[str, Any]:
    """Claims by topic and month, colliding groups first, authorities against sources
    (`view=groups`); or the flat list of claims (`view=claims`), colliding ones first. Each
    group's count of claims per side links to the flat list of exactly those claims."""
    from borderwatch.store.claims import CLAIM_SORT, GROUP_SORT, claim_group_page, claim_page

    if view not in ("groups", "claims"):
        raise HTTPException(status_code=400, detail="view is 'groups' or 'claims'")
    if collisions not in (None, "", "only"):
        raise HTTPException(status_code=400, detail="collisions is 'only' or left out")
    only = collisions == "only" and view == "groups"
    params = {"topic": f.subject, "place": f.place, "since": f.since, "until": f.until,
              "side": f.side, "undated": f.undated}
    base = {"subject": f.subject, "topic": f.subject, "place": f.place, "since": f.since,
            "until": f.until, "side": f.side, "undated": f.undated, "view": view, "options": _claim_options(conn, f),
            "stance_labels": _stance_labels()}
    if view == "claims":
        key, direction = checked_sort(CLAIM_SORT, sort, order)
        total, claims = claim_page(conn, f, key, direction, win.limit, win.offset)
        lst = listing("/claims", params | {"view": "claims"}, total, win, CLAIM_SORT, key,
                      direction, rows_on_page=len(claims))
        return base | {"total": total, "claims": plain(claims), "list": lst}
    key, direction = checked_sort(GROUP_SORT, sort, order)
    counts, groups = claim_group_page(conn, f, key, direction, win.limit, win.offset,
                                      collisions_only=only)
    out = plain(groups)
    for g in out:
        span = {"topic": g["subject"], "since": g["period"], "until": g["period"],
                "undated": g["period"] is None, "place": f.place, "view": "claims"}
        for side in ("authorities", "sources"):
            g[f"{side}_href"] = "/claims?" + urlencode(
                {k: "true" if v is True else v for k, v in (span | {"side": side}).items() if v})
    def href(**extra: Any) -> str:
        q = {k: "true" if v is True else v for k, v in (params | extra).items() if v}
        return "/claims?" + urlencode(q) if q else "/claims"

    lst = listing("/claims", params | {"collisions": "only" if only else None},
                  counts["collisions"] if only else counts["groups"], win, GROUP_SORT, key,
                  direction, per_page_default=GROUPS_PER_PAGE, rows_on_page=len(out),
                  choices=[("Colliding first", "collision", "desc"),
                           ("Newest month first", "period", "desc"),
                           ("Oldest month first", "period", "asc"),
                           ("Most claims", "claims", "desc")])
    return base | {"groups": out, "total": counts["groups"], "claims_total": counts["claims"],
                   "claims_href": href(view="claims"), "collisions": counts["collisions"],
                   "collisions_href": href(collisions="only"), "all_groups_href": href(),
                   "collisions_only": only, "list": lst}



@dataclass
class ClaimQuery(ListQuery):
    """The claims list's query parameters (the page, its JSON twin and its downloads)."""

    topic: str | None = None
    subject: str | None = None  # the older name of `topic`
    place: str | None = None
    since: str | None = None
    until: str | None = None
    side: str | None = None
    view: str = "groups"
    collisions: str | None = None
    undated: bool = False

    def filters(self, conn: sqlite3.Connection) -> ClaimFilters:
        return _claim_filters(conn, self.topic or self.subject, self.place, self.since,
                              self.until, self.side, self.undated)


@router.get("/claims", include_in_schema=False)
@router.get("/api/claims")
def claims(request: Request, p: ClaimQuery = Depends(), conn: sqlite3.Connection = Depends(db)) -> Any:
    """Claims by topic (epidemic, border, trade, prices; `subject` is the older name) and
    month, authorities against sources, colliding groups first (`sort`: collision, period,
    topic, claims; `collisions=only` keeps the colliding ones). `view=claims` lists the claims
    themselves (`sort`: collision, date, topic, side, holder, stance). Filters: `place` (id or
    name), since/until (on the claim's date), `side` (authorities, sources), `undated=true`
    (claims with no date)."""
    per = GROUPS_PER_PAGE if p.view == "groups" else None
    return respond(request, "claims.html", claims_view(
        conn, p.filters(conn), p.view, window(p.page, p.per_page, per or 25), p.sort, p.order,
        p.collisions))


@router.get("/claims.{fmt}", include_in_schema=False)
def claims_download(request: Request, fmt: str, p: ClaimQuery = Depends(),
                    conn: sqlite3.Connection = Depends(db)) -> Response:
    """Every claim of the filters (all groups, all pages) as CSV or JSON Lines, colliding
    ones first (or in the flat list's order)."""
    from borderwatch.store.claims import CLAIM_SORT, iter_claims

    f = p.filters(conn)
    flat = p.view == "claims"
    key, direction = checked_sort(CLAIM_SORT, p.sort if flat else None, p.order if flat else None)

    def rows(c: sqlite3.Connection):
        for claim in iter_claims(c, f, key, direction):
            yield claim.to_dict() | {"event_ids": list(claim.event_ids)}

    return download(request, "claims", fmt, table(fmt, CLAIM_COLUMNS, rows))


# --- incidents ----------------------------------------------------------------------------

INCIDENT_COLUMNS = ("id", "type", "place_id", "place_name", "first_date", "last_date", "events",
                    "reports", "sources", "pinned", "key")


def _incident_filters(type: str | None, place: str | None, since: str | None,  # noqa: A002
                      until: str | None) -> IncidentFilters:
    from borderwatch.model import EVENT_TYPES

    if type and type not in EVENT_TYPES:
        raise HTTPException(status_code=400, detail=f"unknown event type {type!r}")
    since, until = checked_period(since or None, until or None)
    return IncidentFilters(type=type or None, place=place or None, since=since, until=until)


def incidents_view(conn: sqlite3.Connection, f: IncidentFilters, win: Window, sort: str | None,
                   order: str | None) -> dict[str, Any]:
    """One page of incidents (the same filters as every incident count that links here), its
    total, pager, sort links and downloads."""
    from borderwatch.model import EVENT_TYPES
    from borderwatch.serve.render import label
    from borderwatch.store.lists import incident_places

    key, direction = checked_sort(INCIDENT_SORT, sort, order)
    total, rows = incident_list(conn, f, win, key, direction)
    params = {"type": f.type, "place": f.place, "since": f.since, "until": f.until}
    places = [{"value": p["id"], "label": p["name"] or p["id"]} for p in incident_places(conn)]
    if f.place and f.place not in {p["value"] for p in places}:
        places.insert(0, {"value": f.place, "label": f.place})
    return {"total": total, "incidents": rows, "filters": params,
            "list": listing("/incidents", params, total, win, INCIDENT_SORT, key, direction,
                            rows_on_page=len(rows)),
            "options": {"types": [{"value": t, "label": label("type", t)} for t in EVENT_TYPES],
                        "places": places}}


@dataclass
class IncidentQuery(ListQuery):
    """The incidents list's query parameters (the page, its JSON twin and its downloads)."""

    type: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None

    def filters(self) -> IncidentFilters:
        return _incident_filters(self.type, self.place, self.since, self.until)


@router.get("/incidents", include_in_schema=False)
@router.get("/api/incidents")
def incidents(request: Request, p: IncidentQuery = Depends(),
              conn: sqlite3.Connection = Depends(db)) -> Any:
    """Incidents: events of one type at one place within the window, with independent sources.
    Filters as every incident count links them (type, place id or name, since/until on the
    first day); `sort` (first_date, last_date, type, place, events, reports, sources) and
    `order` (asc, desc); `list` holds the total, pager and sort links and the downloads."""
    return respond(request, "incidents.html", incidents_view(
        conn, p.filters(), window(p.page, p.per_page), p.sort, p.order))


@router.get("/incidents.{fmt}", include_in_schema=False)
def incidents_download(request: Request, fmt: str, p: IncidentQuery = Depends(),
                       conn: sqlite3.Connection = Depends(db)) -> Response:
    """Every incident of the filters (all pages), in the list's order, as CSV or JSON Lines."""
    f = p.filters()
    key, direction = checked_sort(INCIDENT_SORT, p.sort, p.order)
    return download(request, "incidents", fmt, table(fmt, INCIDENT_COLUMNS, lambda c: iter_incidents(
        c, f, key, direction)))


@router.get("/incidents/{incident_id}", include_in_schema=False)
@router.get("/api/incidents/{incident_id}")
def incident(request: Request, incident_id: int, conn: sqlite3.Connection = Depends(db)) -> Any:
    """One incident with its events, sentences, reports and attributions, and the splits and
    merges that moved its events (`history`, each undoable through /api/reviews/{id}/undo)."""
    from borderwatch.serve.reader import history_rows
    from borderwatch.store.incidents import incident_detail, incident_history

    detail = incident_detail(conn, incident_id)
    if detail is None:
        raise HTTPException(status_code=404, detail="no such incident")
    detail["history"] = incident_history(conn, detail)

    def shown(data: dict[str, Any]) -> dict[str, Any]:
        data["history"] = history_rows(data["history"], {})  # in words, as the reader shows them
        return {"i": data}

    return respond(request, "incident.html", plain(detail), html=shown)
