"""Read-only pages, each with a JSON twin built by the same data function.

`/x` renders HTML, `/api/x` returns the same data as JSON; the filters are the same query
parameters in both, so an analyst can move from a page to a script without translating.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES
from borderwatch.serve.app import page, plain
from borderwatch.serve.deps import db
from borderwatch.store import queries, workbench
from borderwatch.store.facts import FactFilters, query_events
from borderwatch.store.periods import parse_bound
from borderwatch.store.queries import Filters, QueryError

router = APIRouter()
PAGE = 25


def _page_no(n: int | None) -> int:
    return max(1, n or 1)


# --- brief --------------------------------------------------------------------------------

def brief_view(conn: sqlite3.Connection, since: str | None, until: str | None) -> dict[str, Any]:
    """What changed on the border in the period, against the period before."""
    from borderwatch.resolve.claims import newest_collisions
    from borderwatch.resolve.incidents import incident_counts_by_type

    since, until = since or None, until or None
    for bound in (since, until):  # checked here: a bad bound is a 400, never a server error
        parse_bound(bound)
    if not since or not until:
        d_since, d_until = workbench.default_period(conn)
        since, until = since or d_since, until or d_until
    prev = workbench.previous_period(since, until)
    now_counts = {r["type"]: r["incidents"] for r in incident_counts_by_type(conn, since, until)}
    prev_counts = {r["type"]: r["incidents"] for r in incident_counts_by_type(conn, *prev)}
    types = sorted(set(now_counts) | set(prev_counts),
                   key=lambda t: (-now_counts.get(t, 0), t))
    sections = workbench.brief_sections()
    moving = workbench.goods_moving(conn, since, until, sections["goods_moving"])
    priced = workbench.money_in_events(conn, since, until, sections["prices"], limit=40)
    return {
        "since": since, "until": until, "previous": {"since": prev[0], "until": prev[1]},
        "by_type": [{"type": t, "incidents": now_counts.get(t, 0),
                     "previous": prev_counts.get(t, 0)} for t in types],
        "places": workbench.top_places(conn, since, until),
        "demand": workbench.goods_moving(conn, since, until, sections["goods_demand"]),
        "moving": moving,
        "sanctioned_moving": [g for g in moving if g["sanctioned"]],
        "fines": workbench.money_in_events(conn, since, until, sections["fines"]),
        "prices": [m for m in priced if not m["rate"]],
        "rates": [m for m in priced if m["rate"]],
        "collisions": plain(newest_collisions(conn, 5)),
        "reports": queries.list_reports(conn, limit=8).items,
        "undated": conn.execute("SELECT count(*) FROM reports WHERE published IS NULL").fetchone()[0],
    }


@router.get("/", include_in_schema=False)
def brief_page(request: Request, since: str | None = None, until: str | None = None,
               conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    from borderwatch.serve.charts import bar_svg

    data = brief_view(conn, since, until)
    # the chart counts incidents: each bar opens the incidents list of that type and period
    link = lambda label: f"/incidents?{urlencode({'type': label, 'since': data['since'], 'until': data['until']})}"  # noqa: E731
    chart = bar_svg([(r["type"], r["incidents"], r["previous"]) for r in data["by_type"]], link)
    return page(request, "brief.html", {**data, "chart": chart})


@router.get("/api/brief")
def brief_api(since: str | None = None, until: str | None = None,
              conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """The brief: incidents by type against the previous period, places, goods, money, claims."""
    return brief_view(conn, since, until)


# --- reports ------------------------------------------------------------------------------

def reports_view(conn: sqlite3.Connection, q: str | None, f: Filters, topic: str | None,
                 page_no: int) -> dict[str, Any]:
    """Search results (ranked, with snippets) or the newest reports, one page."""
    offset = (page_no - 1) * PAGE
    error = None
    try:
        if q:
            res = queries.search(conn, q, f, PAGE, offset, mark=("\x02", "\x03"), topic=topic)
        else:
            res = queries.list_reports(conn, f, PAGE, offset, topic=topic)
    except QueryError as exc:
        res, error = queries.Page(total=0), str(exc)
    return {"q": q, "filters": asdict(f), "topic": topic, "page": page_no, "per_page": PAGE,
            "total": res.total, "results": res.items, "error": error,
            "outlets": [r[0] for r in conn.execute(
                "SELECT DISTINCT outlet FROM reports WHERE outlet IS NOT NULL ORDER BY 1")],
            "topics": [r[0] for r in conn.execute("SELECT DISTINCT topic FROM report_topics ORDER BY 1")],
            "languages": [r[0] for r in conn.execute(
                "SELECT DISTINCT language FROM reports WHERE language IS NOT NULL ORDER BY 1")]}


@router.get("/reports", include_in_schema=False)
def reports_page(request: Request, q: str | None = None, outlet: str | None = None,
                 tag: str | None = None, topic: str | None = None, language: str | None = None,
                 since: str | None = None, until: str | None = None, page_no: int = Query(1, alias="page"),
                 undated: bool = False, conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    f = Filters(since or None, until or None, outlet or None, tag or None, language or None, undated)
    return page(request, "reports.html", reports_view(conn, q or None, f, topic or None, _page_no(page_no)))


@router.get("/api/reports")
def reports_api(q: str | None = None, outlet: str | None = None, tag: str | None = None,
                topic: str | None = None, language: str | None = None, since: str | None = None,
                until: str | None = None, page: int = 1,  # noqa: A002
                undated: bool = False, conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Reports: full-text search when `q` is given (FTS5 syntax), else newest first;
    `undated=true` lists the reports without a publication date (to fix them)."""
    data = reports_view(conn, q, Filters(since, until, outlet, tag, language, undated), topic,
                        _page_no(page))
    for r in data["results"]:
        if r.get("snippet"):
            r["snippet"] = r["snippet"].replace("\x02", "<<").replace("\x03", ">>")
    return data


@router.get("/api/search")
def search_api(q: str, page: int = 1, conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:  # noqa: A002
    """Full-text search over titles and bodies (BM25), matches marked << >> in snippets."""
    return reports_api(q=q, page=page, conn=conn)


@router.get("/reports/{report_id}", include_in_schema=False)
def reader_page(request: Request, report_id: str, conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    from borderwatch.serve.reader import reader_data, segments

    data = _reader(conn, report_id, reader_data)
    data["segments"] = segments(data["text"], data["facts"])
    data["event_types"] = EVENT_TYPES
    data["attribution_kinds"] = sorted(ATTRIBUTION_KINDS)
    return page(request, "reader.html", {"r": data})


@router.get("/api/reports/{report_id}")
def reader_api(report_id: str, conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """One report: metadata, cleaned text, sentences, every fact with its id and review state."""
    from borderwatch.serve.reader import reader_data

    return _reader(conn, report_id, reader_data)


def _reader(conn: sqlite3.Connection, report_id: str, build) -> dict[str, Any]:  # noqa: ANN001
    try:
        return build(conn, report_id)
    except QueryError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


# --- events -------------------------------------------------------------------------------

def event_filters(type: str | None, place: str | None, commodity: str | None,  # noqa: A002
                  source_kind: str | None, since: str | None, until: str | None,
                  negated: str | None, hedged: str | None) -> FactFilters:
    """Query parameters to FactFilters; unknown vocabularies are a 400, not an empty result."""
    if type and type not in EVENT_TYPES:
        raise HTTPException(status_code=400, detail=f"unknown event type {type!r}")
    if source_kind and source_kind not in ATTRIBUTION_KINDS | {"none"}:
        raise HTTPException(status_code=400, detail=f"unknown source kind {source_kind!r}")
    return FactFilters(type=type or None, place=place or None, commodity=commodity or None,
                       since=since or None, until=until or None, source_kind=source_kind or None,
                       include_negated=negated != "hide", include_hedged=hedged != "hide")


def events_view(conn: sqlite3.Connection, f: FactFilters, page_no: int, params: dict) -> dict[str, Any]:
    """One page of events matching the filters, and the download links for exactly that set."""
    total, rows = query_events(conn, f, PAGE, (page_no - 1) * PAGE)
    names = {}
    for e in rows:
        ids = e["facts"].get("places", []) + e["facts"].get("commodities", [])
        for i in ids:
            if i not in names:
                row = conn.execute("SELECT name FROM mentions WHERE entity_id = ? LIMIT 1", (i,)).fetchone()
                names[i] = row[0] if row else i
        e["place_names"] = [names[i] for i in e["facts"].get("places", [])]
        e["commodity_names"] = [names[i] for i in e["facts"].get("commodities", [])]
    query = urlencode({k: v for k, v in params.items() if v})
    return {"filters": asdict(f), "params": params, "page": page_no, "per_page": PAGE,
            "total": total, "events": rows, "event_types": EVENT_TYPES,
            "source_kinds": sorted(ATTRIBUTION_KINDS) + ["none"],
            "query": query, "csv": f"/events.csv?{query}", "json": f"/events.json?{query}"}


def _event_params(type, place, commodity, source_kind, since, until, negated, hedged) -> dict:  # noqa: ANN001, A002
    return {"type": type, "place": place, "commodity": commodity, "source_kind": source_kind,
            "since": since, "until": until, "negated": negated, "hedged": hedged}


@router.get("/events", include_in_schema=False)
def events_page(request: Request, type: str | None = None, place: str | None = None,  # noqa: A002
                commodity: str | None = None, source_kind: str | None = None,
                since: str | None = None, until: str | None = None, negated: str | None = None,
                hedged: str | None = None, page_no: int = Query(1, alias="page"),
                conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    params = _event_params(type, place, commodity, source_kind, since, until, negated, hedged)
    f = event_filters(**params)
    return page(request, "events.html", events_view(conn, f, _page_no(page_no), params))


@router.get("/api/events")
def events_api(type: str | None = None, place: str | None = None, commodity: str | None = None,  # noqa: A002
               source_kind: str | None = None, since: str | None = None, until: str | None = None,
               negated: str | None = None, hedged: str | None = None, page: int = 1,  # noqa: A002
               conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Events with their facts and sentences; negated/hedged=hide leaves those out."""
    params = _event_params(type, place, commodity, source_kind, since, until, negated, hedged)
    return events_view(conn, event_filters(**params), _page_no(page), params)


@router.get("/api/facts")
def facts_api(type: str | None = None, place: str | None = None, commodity: str | None = None,  # noqa: A002
              source_kind: str | None = None, since: str | None = None, until: str | None = None,
              page: int = 1, conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:  # noqa: A002
    """The same as /api/events (the `borderwatch facts` command's filters)."""
    return events_api(type, place, commodity, source_kind, since, until, None, None, page, conn)


@router.get("/events.csv", include_in_schema=False)
@router.get("/events.json", include_in_schema=False)
def events_download(request: Request, type: str | None = None, place: str | None = None,  # noqa: A002
                    commodity: str | None = None, source_kind: str | None = None,
                    since: str | None = None, until: str | None = None, negated: str | None = None,
                    hedged: str | None = None, conn: sqlite3.Connection = Depends(db)) -> Response:
    """Exactly the events the table shows for these filters, as CSV or JSON Lines."""
    import io

    from borderwatch.export import export

    f = event_filters(type, place, commodity, source_kind, since, until, negated, hedged)
    fmt = "csv" if request.url.path.endswith(".csv") else "jsonl"
    buf = io.StringIO()
    export(conn, fmt, buf, f)
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    name = "borderwatch-events." + ("csv" if fmt == "csv" else "jsonl")
    return Response(buf.getvalue(), media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/style/events.css", include_in_schema=False)
def event_colours() -> Response:
    """One colour class per event type, from data/event_style.yaml (no inline styles: CSP)."""
    from borderwatch.serve.charts import event_style

    css = "".join(f".ev-{t} {{ background: {s.colour}; color: {s.text_colour}; }}\n"
                  for t, s in event_style().items())
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})
