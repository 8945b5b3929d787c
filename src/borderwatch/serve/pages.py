"""Read-only pages, each with a JSON twin built by the same data function.

`/x` renders HTML, `/api/x` returns the same data as JSON; the filters are the same query
parameters in both, so an analyst can move from a page to a script without translating.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES
from borderwatch.serve.deps import db
from borderwatch.serve.lists import ListQuery, checked_period, checked_sort, download, listing, table, window
from borderwatch.serve.render import plain, respond
from borderwatch.store import queries, workbench
from borderwatch.store.facts import EVENT_SORT, FactFilters, query_events
from borderwatch.store.paging import Window
from borderwatch.store.periods import parse_bound
from borderwatch.store.queries import Filters, QueryError

router = APIRouter()


# --- brief --------------------------------------------------------------------------------

def _href(path: str, **params: Any) -> str:
    """A list's URL with the given filters (empty ones left out)."""
    q = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{q}" if q else path


def _summary(conn: sqlite3.Connection, since: str | None, until: str | None) -> dict[str, Any]:
    """Reports, events and incidents of a period, each with the list it is the total of (the
    events list shows visible events, negated ones hidden, by default)."""
    counts = workbench.period_summary(conn, since, until)
    span = {"since": since, "until": until}
    return {"since": since, "until": until,
            "reports": {"count": counts["reports"], "href": _href("/reports", **span)},
            "events": {"count": counts["events"], "href": _href("/events", **span)},
            "incidents": {"count": counts["incidents"], "href": _href("/incidents", **span)}}


def brief_view(conn: sqlite3.Connection, since: str | None, until: str | None,
               period: str | None = None) -> dict[str, Any]:
    """The brief, kept until the store changes (store/memo.py): over a long period it reads
    every event of the store (about 1 s at 50,000 reports), and analysts open it again and
    again between ingests. The answer is shared between requests:
    the page and the API read it and never change it."""
    from borderwatch.store.memo import memoized

    for bound in (since, until):  # checked before the cache: a bad bound is a 400
        parse_bound(bound or None)
    return memoized(conn, ("brief", since or None, until or None, period or None),
                    lambda: _brief(conn, since, until, period))


def _brief(conn: sqlite3.Connection, since: str | None, until: str | None,
           period: str | None = None) -> dict[str, Any]:
    """What changed on the border in the period, against the period before.

    The period is since/until (YYYY[-MM[-DD]]), else the last 30 days up to the newest
    publication date in the store; `period=all` is everything (no bounds, no comparison).
    Every count carries `href`, the list whose total it is."""
    from borderwatch.store.claims import newest_collisions
    from borderwatch.store.incidents import incident_counts_by_type
    from borderwatch.store.prices import money_points

    if period not in (None, "", "all"):
        raise HTTPException(status_code=400, detail="period is 'all' or left out (use since/until)")
    since, until = since or None, until or None
    for bound in (since, until):  # checked here: a bad bound is a 400, never a server error
        parse_bound(bound)
    if period == "all":
        since = until = None
    elif not since or not until:
        d_since, d_until = workbench.default_period(conn)
        since, until = since or d_since, until or d_until
    prev = workbench.previous_period(since, until) if since and until else None
    span = {"since": since, "until": until}
    now_counts = {r["type"]: r["incidents"] for r in incident_counts_by_type(conn, since, until)}
    prev_counts = ({r["type"]: r["incidents"] for r in incident_counts_by_type(conn, *prev)}
                   if prev else {})
    types = sorted(set(now_counts) | set(prev_counts), key=lambda t: (-now_counts.get(t, 0), t))
    by_type = [{"type": t, "incidents": now_counts.get(t, 0),
                "href": _href("/incidents", type=t, **span),
                "previous": prev_counts.get(t, 0) if prev else None,
                "previous_href": _href("/incidents", type=t, since=prev[0], until=prev[1]) if prev else None}
               for t in types]
    sections = workbench.brief_sections()
    moving = [g | {"href": _href("/events", moves=g["entity_id"], **span)}
              for g in workbench.goods_moving(conn, since, until)]
    demand = [g | {"href": _href("/events", commodity=g["entity_id"],
                                 type=sections["goods_demand"][0], **span)}
              for g in workbench.goods_demand(conn, since, until)]
    money = money_points(conn, since, until, limit=80)
    summary = _summary(conn, since, until)
    return {
        "since": since, "until": until, "all": period == "all",
        "previous": {"since": prev[0], "until": prev[1]} if prev else None,
        "newest_day": workbench.newest_day(conn).isoformat(),
        "presets": workbench.presets(conn, since, until),
        "summary": summary,
        "previous_summary": _summary(conn, *prev) if prev else None,
        "new_types": [r for r in by_type if prev and r["incidents"] and not r["previous"]],
        "by_type": by_type,
        "places": [p | {"href": _href("/incidents", place=p["place_id"], **span)}
                   for p in workbench.top_places(conn, since, until)],
        "demand": demand,
        "moving": moving,
        "sanctioned_moving": [g for g in moving if g["sanctioned"]],
        "fines": workbench.money_in_events(conn, since, until, sections["fines"]),
        "prices": [m for m in money if not m["rate"]][:40],
        "rates": [m for m in money if m["rate"]][:20],
        "rates_href": _href("/rates", **span),
        "collisions": plain(newest_collisions(conn, 5, since, until)),
        "claims_href": _href("/claims", **span),
        "reports": queries.list_reports(conn, Filters(since=since, until=until), limit=8).items,
        "undated": queries.undated_count(conn),
    }


@router.get("/", include_in_schema=False)
@router.get("/api/brief")
def brief(request: Request, since: str | None = None, until: str | None = None,
          period: str | None = None, conn: sqlite3.Connection = Depends(db)) -> Any:
    """The brief: reports, events and incidents of the period and the one before, incidents
    by type, places, goods moving (sanctioned ones with their resolutions), money, claims,
    newest reports; every count with the URL of the list it is the total of."""
    def chart(data: dict[str, Any]) -> dict[str, Any]:
        from borderwatch.serve.charts import bar_svg

        # the chart counts incidents: each bar opens the incidents list of that type and period
        links = {r["type"]: r["href"] for r in data["by_type"]}
        return {**data, "chart": bar_svg([(r["type"], r["incidents"], r["previous"])
                                          for r in data["by_type"]], links.__getitem__)}

    return respond(request, "brief.html", brief_view(conn, since, until, period), html=chart)


# --- reports ------------------------------------------------------------------------------

def _report_options(conn: sqlite3.Connection) -> dict[str, Any]:
    """The reports filters' drop-downs: value and human label of every choice."""
    from borderwatch.extract.commodities import commodity_data
    from borderwatch.model import TOPICS
    from borderwatch.serve.render import label

    goods = sorted(commodity_data().commodities.values(), key=lambda c: c.name.casefold())
    return {
        "outlets": queries.outlets(conn),
        "topics": [{"value": t, "label": label("topics", t)} for t in TOPICS],
        "languages": [{"value": code, "label": label("languages", code)}
                      for code in queries.languages(conn)],
        "goods": [{"value": c.id, "label": c.name} for c in goods],
    }


def reports_view(conn: sqlite3.Connection, q: str | None, f: Filters, topic: str | None,
                 win: Window, sort: str | None = None, order: str | None = None) -> dict[str, Any]:
    """Search results (best match first, with snippets) or the newest reports, one page; any
    column sorts both ("newest first" is sort=published)."""
    spec = queries.SEARCH_SORT if q else queries.REPORT_SORT
    if not q and sort == "relevance":  # a search cleared while sorted by match: newest first
        sort = order = None
    key, direction = checked_sort(spec, sort, order)
    checked_period(f.since, f.until)
    error = None
    try:
        if q:
            res = queries.search(conn, q, f, win.limit, win.offset, mark=("\x02", "\x03"),
                                 topic=topic, sort=key, order=direction)
        else:
            res = queries.list_reports(conn, f, win.limit, win.offset, topic=topic, sort=key,
                                       order=direction)
    except QueryError as exc:
        res, error = queries.Page(total=0), str(exc)
    params = {"q": q, "outlet": f.outlet, "topic": topic, "language": f.language, "tag": f.tag,
              "good": f.good, "since": f.since, "until": f.until, "undated": f.undated}
    newest = [("Newest first", "published", "desc"), ("Oldest first", "published", "asc")]
    lst = listing("/reports", params, res.total, win, spec, key, direction,
                  rows_on_page=len(res.items),
                  choices=([("Best match", "relevance", "desc")] if q else []) + newest)
    return {"q": q, "filters": asdict(f), "topic": topic, "page": win.page,
            "per_page": win.per_page, "total": res.total, "results": res.items, "error": error,
            "list": lst, **_report_options(conn)}


@dataclass
class ReportQuery(ListQuery):
    """The reports list's query parameters, declared once for the page, its JSON twin and its
    downloads."""

    q: str | None = None
    outlet: str | None = None
    tag: str | None = None
    topic: str | None = None
    language: str | None = None
    since: str | None = None
    until: str | None = None
    undated: bool = False
    good: str | None = None

    def filters(self) -> Filters:
        return Filters(self.since or None, self.until or None, self.outlet or None,
                       self.tag or None, self.language or None, self.undated, self.good or None)


def _api_snippets(data: dict[str, Any]) -> dict[str, Any]:
    for r in data["results"]:
        if r.get("snippet"):
            r["snippet"] = r["snippet"].replace("\x02", "<<").replace("\x03", ">>")
    return data


@router.get("/reports", include_in_schema=False)
@router.get("/api/reports")
def reports(request: Request, p: ReportQuery = Depends(),
            conn: sqlite3.Connection = Depends(db)) -> Any:
    """Reports: full-text search when `q` is given (best match first), else newest first;
    `sort` (relevance, published, title, outlet, words) and `order` (asc, desc) reorder them;
    `undated=true` lists the reports without a publication date (to fix them); `good` (a
    commodity id) those that mention a good. `list` holds the total, pager and sort links."""
    data = reports_view(conn, p.q or None, p.filters(), p.topic or None,
                        window(p.page, p.per_page), p.sort, p.order)
    return respond(request, "reports.html", data, api=_api_snippets)


@router.get("/api/search")
def search_api(request: Request, q: str, page: int = 1, sort: str | None = None,
               order: str | None = None, per_page: int | None = None,
               conn: sqlite3.Connection = Depends(db)) -> Any:
    """Full-text search over titles and bodies (BM25), matches marked << >> in snippets;
    sort=published&order=desc lists the matches newest first."""
    return reports(request, ReportQuery(q=q, page=page, sort=sort, order=order,
                                        per_page=per_page), conn)


REPORT_COLUMNS = ("id", "title", "outlet", "published", "language", "author", "url", "source",
                  "words", "topics", "near_duplicate_of")


@router.get("/reports.{fmt}", include_in_schema=False)
def reports_download(request: Request, fmt: str, p: ReportQuery = Depends(),
                     conn: sqlite3.Connection = Depends(db)) -> Response:
    """Every report the list finds for these filters (all pages), in its order, as CSV or
    JSON Lines."""
    f = p.filters()
    q, topic = p.q or None, p.topic or None
    key, direction = checked_sort(queries.SEARCH_SORT if q else queries.REPORT_SORT, p.sort, p.order)
    checked_period(f.since, f.until)
    try:  # a query that cannot run is a 400 now, not a broken download
        queries.search(conn, q, f, 0, 0, topic=topic) if q else None
    except QueryError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    return download(request, "reports", fmt, table(fmt, REPORT_COLUMNS, lambda c: queries.iter_reports(
        c, q, f, topic, key, direction)))


@router.get("/reports/{report_id}", include_in_schema=False)
@router.get("/api/reports/{report_id}")
def reader(request: Request, report_id: str, conn: sqlite3.Connection = Depends(db)) -> Any:
    """One report: metadata, cleaned text, sentences, every fact with its id and review state."""
    from borderwatch.serve.reader import form_choices, reader_data, segments

    def shown(data: dict[str, Any]) -> dict[str, Any]:
        data["segments"] = segments(data["text"], data["facts"])
        data["event_types"] = EVENT_TYPES
        data["attribution_kinds"] = sorted(ATTRIBUTION_KINDS)
        return {"r": data, "choices": form_choices(data)}

    try:
        data = reader_data(conn, report_id)
    except QueryError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    return respond(request, "reader.html", data, html=shown)


# --- events -------------------------------------------------------------------------------

# What the events list does with events the text says did not happen, and with hedged ones
# (told as rumour or hearsay): the first of each is the default. Labels: data/labels.yaml.
NEGATED_CHOICES = ("hide", "show", "only")
HEDGED_CHOICES = ("show", "hide", "only")


def event_filters(type: str | None, place: str | None, commodity: str | None,  # noqa: A002
                  source_kind: str | None, since: str | None, until: str | None,
                  negated: str | None, hedged: str | None, moves: str | None = None) -> FactFilters:
    """Query parameters to FactFilters; unknown vocabularies are a 400, not an empty result.

    Like every count that links here, the list shows visible events: negated ones only with
    negated=show (or only), hedged ones unless hedged=hide. `moves` (a good's id) keeps the
    trade/smuggling events in which that good is what moves: the brief's goods-moving counts
    open it."""
    if type and type not in EVENT_TYPES:
        raise HTTPException(status_code=400, detail=f"unknown event type {type!r}")
    if source_kind and source_kind not in ATTRIBUTION_KINDS | {"none"}:
        raise HTTPException(status_code=400, detail=f"unknown source kind {source_kind!r}")
    negated, hedged = negated or NEGATED_CHOICES[0], hedged or HEDGED_CHOICES[0]
    if negated not in NEGATED_CHOICES or hedged not in HEDGED_CHOICES:
        raise HTTPException(status_code=400, detail=f"negated is one of {', '.join(NEGATED_CHOICES)};"
                                                    f" hedged one of {', '.join(HEDGED_CHOICES)}")
    checked_period(since, until)
    return FactFilters(type=type or None, place=place or None, commodity=commodity or None,
                       since=since or None, until=until or None, source_kind=source_kind or None,
                       include_negated=negated != "hide", only_negated=negated == "only",
                       include_hedged=hedged != "hide", only_hedged=hedged == "only",
                       moves=moves or None)


def _event_options(conn: sqlite3.Connection, params: dict[str, Any]) -> dict[str, Any]:
    """The events filters' drop-downs, each choice with its human label."""
    from borderwatch.extract.commodities import commodity_data
    from borderwatch.serve.render import label
    from borderwatch.store.lists import incident_places

    places = [{"value": p["id"], "label": p["name"] or p["id"]} for p in incident_places(conn)]
    if params.get("place") and params["place"] not in {p["value"] for p in places}:
        places.insert(0, {"value": params["place"], "label": params["place"]})
    goods = [{"value": c.id, "label": c.name} for c in sorted(
        commodity_data().commodities.values(), key=lambda c: c.name.casefold())]
    if params.get("commodity") and params["commodity"] not in {g["value"] for g in goods}:
        goods.insert(0, {"value": params["commodity"], "label": params["commodity"]})
    return {
        "types": [{"value": t, "label": label("type", t)} for t in EVENT_TYPES],
        "source_kinds": [{"value": k, "label": label("source_kinds", k)}
                         for k in sorted(ATTRIBUTION_KINDS) + ["none"]],
        "places": places, "goods": goods,
        "negated": [{"value": "" if v == NEGATED_CHOICES[0] else v, "label": label("negated", v)}
                    for v in NEGATED_CHOICES],
        "hedged": [{"value": "" if v == HEDGED_CHOICES[0] else v, "label": label("hedged", v)}
                   for v in HEDGED_CHOICES],
    }


def events_view(conn: sqlite3.Connection, f: FactFilters, win: Window, params: dict,
                sort: str | None = None, order: str | None = None) -> dict[str, Any]:
    """One page of events matching the filters, its pager and sort links, and the download
    links for exactly that set (every page)."""
    key, direction = checked_sort(EVENT_SORT, sort, order)
    total, rows = query_events(conn, f, win.limit, win.offset, key, direction)
    names = queries.entity_names(conn, (i for e in rows for i in
                                        e["facts"].get("places", []) + e["facts"].get("commodities", [])))
    for e in rows:
        e["place_names"] = [names[i] for i in e["facts"].get("places", [])]
        e["commodity_names"] = [names[i] for i in e["facts"].get("commodities", [])]
    # the defaults are left out of the links: negated=hide and hedged=show are what no value means
    shown = {k: v for k, v in params.items()
             if not (k == "negated" and v == NEGATED_CHOICES[0])
             and not (k == "hedged" and v == HEDGED_CHOICES[0])}
    lst = listing("/events", shown, total, win, EVENT_SORT, key, direction, rows_on_page=len(rows))
    return {"filters": asdict(f), "params": shown, "page": win.page, "per_page": win.per_page,
            "total": total, "events": rows, "list": lst, "options": _event_options(conn, shown),
            "event_types": EVENT_TYPES, "source_kinds": sorted(ATTRIBUTION_KINDS) + ["none"],
            "csv": lst["export"]["csv"], "json": lst["export"]["jsonl"]}


@dataclass
class EventQuery(ListQuery):
    """The events list's query parameters, declared once for the page, its JSON twin, the
    `borderwatch facts` alias and the downloads."""

    type: str | None = None
    place: str | None = None
    commodity: str | None = None
    source_kind: str | None = None
    since: str | None = None
    until: str | None = None
    negated: str | None = None
    hedged: str | None = None
    moves: str | None = None

    def params(self) -> dict[str, Any]:
        return {"type": self.type, "place": self.place, "commodity": self.commodity,
                "source_kind": self.source_kind, "since": self.since, "until": self.until,
                "negated": self.negated, "hedged": self.hedged, "moves": self.moves}


@router.get("/events", include_in_schema=False)
@router.get("/api/events")
@router.get("/api/facts")
def events(request: Request, p: EventQuery = Depends(),
           conn: sqlite3.Connection = Depends(db)) -> Any:
    """Events with their facts and sentences (/api/facts is the same, for the `borderwatch
    facts` command). Events the text says did not happen are left out unless negated=show (or
    only); hedged ones are in, marked, unless hedged=hide (or only). `sort` (date, type, place,
    good, source, report, outlet) and `order` (asc, desc); `list` holds the total, pager and
    sort links and the downloads."""
    params = p.params()
    return respond(request, "events.html", events_view(
        conn, event_filters(**params), window(p.page, p.per_page), params, p.sort, p.order))


@router.get("/events.{fmt}", include_in_schema=False)
def events_download(request: Request, fmt: str, p: EventQuery = Depends(),
                    conn: sqlite3.Connection = Depends(db)) -> Response:
    """Exactly the events the table shows for these filters (every page, in its order), as
    CSV or JSON Lines (`.jsonl`; `.json` is the same, the older name)."""
    from borderwatch.export.csv_export import COLUMNS, HEADER
    from borderwatch.export.rows import event_records
    from borderwatch.export.tables import csv_chunks, jsonl_chunks

    f = event_filters(**p.params())
    key, direction = checked_sort(EVENT_SORT, p.sort, p.order)
    fmt = "jsonl" if fmt == "json" else fmt

    def write(c: sqlite3.Connection):
        records = event_records(c, f, sort=key, order=direction)
        if fmt == "csv":
            return csv_chunks(HEADER, records, cells=lambda r: [get(r) for _, get in COLUMNS])  # type: ignore[arg-type]
        return jsonl_chunks(r.to_dict() for r in records)

    return download(request, "events", fmt, write)


@router.get("/style/events.css", include_in_schema=False)
def event_colours() -> Response:
    """One colour class per event type, from data/vocabularies.yaml (no inline styles: CSP)."""
    from borderwatch.serve.charts import event_style

    css = "".join(f".ev-{t} {{ background: {s.colour}; color: {s.text_colour}; }}\n"
                  for t, s in event_style().items())
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})
