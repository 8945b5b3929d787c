"""Watchlists: saved searches and filters, and what is new for each since it last ran.

A watchlist with an event filter (type, place, commodity, source kind) watches EVENTS: each run
reports the matching events with an id above its mark (report-level filters, outlet, topic and
query, narrow them further). A watchlist with only report-level filters watches REPORTS: each run
reports the matching reports stored since. Negated events ("has yet to reopen") never match.
Hits are kept in watch_hits with the event's report, type and span, so an event re-made by
`reextract` (new id, same span) is not announced twice. Event filters are the SQL of
`store.facts.events_where`, the same as `borderwatch facts` and the events page.
"""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES, TOPICS
from borderwatch.store.db import transaction, utc_now
from borderwatch.store.facts import FactFilters, events_where

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# Characters XML 1.0 does not allow; report text is untrusted and may hold them.
_XML_BAD = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EVENT_FILTERS = ("type", "place", "commodity", "source_kind")


class WatchError(ValueError):
    """A watchlist that cannot be made, found or run; the message says why."""


@dataclass(frozen=True, slots=True)
class WatchFilters:
    """What a watchlist watches; any combination, at least one."""

    query: str | None = None  # FTS5 query over report titles and text
    type: str | None = None  # event type
    place: str | None = None  # place id or name
    commodity: str | None = None  # commodity id or name
    source_kind: str | None = None  # attribution kind, or 'none' for the outlet's own voice
    outlet: str | None = None
    topic: str | None = None

    def __post_init__(self) -> None:
        """Refuse filters that can never match, so a typo does not make a silent watchlist."""
        if self.type and self.type not in EVENT_TYPES:
            raise WatchError(f"unknown event type {self.type!r}")
        if self.source_kind and self.source_kind not in ATTRIBUTION_KINDS | {"none"}:
            raise WatchError(f"unknown source kind {self.source_kind!r}")
        if self.topic and self.topic not in TOPICS:
            raise WatchError(f"unknown topic {self.topic!r}")

    @property
    def watches_events(self) -> bool:
        """True when an event-level filter is set (hits are events, else reports)."""
        return any(getattr(self, k) for k in _EVENT_FILTERS)

    def to_dict(self) -> dict[str, str]:
        """The filters that are set, as stored in watchlists.filters."""
        return {k: v for k, v in asdict(self).items() if v}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WatchFilters:
        """Filters from stored JSON; unknown keys (from a newer version) are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A stored watchlist with its marks."""

    id: int
    name: str
    filters: WatchFilters
    created_by: str | None
    created_at: str
    last_run_at: str | None
    last_event_id: int
    last_report_pk: int
    hits: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self) | {"filters": self.filters.to_dict()}


@dataclass(frozen=True, slots=True)
class WatchHit:
    """One new thing for a watchlist: an event (event_id set) or a report."""

    report_id: str
    event_id: int | None
    type: str | None
    place: str | None
    date: str | None  # the event's day (its own date, else publication), or the report's date
    sentence: str | None
    title: str | None
    outlet: str | None
    published: str | None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass(slots=True)
class WatchResult:
    """What one run found for one watchlist."""

    watchlist_id: int
    name: str
    filters: WatchFilters
    hits: list[WatchHit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"watchlist_id": self.watchlist_id, "name": self.name,
                "filters": self.filters.to_dict(), "hits": [h.to_dict() for h in self.hits]}


def _check_query(conn: sqlite3.Connection, query: str) -> None:
    """Run the FTS5 query once so a syntax error shows now, not at every run."""
    try:
        conn.execute("SELECT 1 FROM reports_fts WHERE reports_fts MATCH ? LIMIT 1",
                     (query,)).fetchall()
    except sqlite3.OperationalError as exc:
        raise WatchError(f"bad search query {query!r}: {exc}") from exc


def create_watchlist(conn: sqlite3.Connection, name: str, filters: WatchFilters,
                     user: str | None = None) -> int:
    """Save a watchlist; the first run reports everything that already matches."""
    if not name.strip():
        raise WatchError("a watchlist needs a name")
    if not filters.to_dict():
        raise WatchError("a watchlist needs at least one filter")
    if filters.query:
        _check_query(conn, filters.query)
    try:
        with transaction(conn):
            cur = conn.execute(
                "INSERT INTO watchlists(name, filters, created_by, created_at) VALUES (?,?,?,?)",
                (name.strip(), json.dumps(filters.to_dict(), ensure_ascii=False), user, utc_now()))
    except sqlite3.IntegrityError as exc:
        raise WatchError(f"a watchlist named {name!r} exists already") from exc
    return int(cur.lastrowid or 0)


def _row_to_watchlist(r: sqlite3.Row) -> Watchlist:
    """A watchlists row (with its hit count) as a Watchlist."""
    return Watchlist(r["id"], r["name"], WatchFilters.from_dict(json.loads(r["filters"])),
                     r["created_by"], r["created_at"], r["last_run_at"], r["last_event_id"],
                     r["last_report_pk"], r["hits"])


_LIST_SQL = ("SELECT w.*, (SELECT count(*) FROM watch_hits h WHERE h.watchlist_id = w.id)"
             " AS hits FROM watchlists w")


def list_watchlists(conn: sqlite3.Connection) -> list[Watchlist]:
    """Every watchlist, by name."""
    return [_row_to_watchlist(r) for r in conn.execute(f"{_LIST_SQL} ORDER BY w.name")]


def get_watchlist(conn: sqlite3.Connection, ref: int | str) -> Watchlist:
    """A watchlist by id or name; WatchError when there is none."""
    col = "w.id" if isinstance(ref, int) else "w.name"
    row = conn.execute(f"{_LIST_SQL} WHERE {col} = ?", (ref,)).fetchone()
    if row is None:
        raise WatchError(f"no watchlist {ref!r}")
    return _row_to_watchlist(row)


def delete_watchlist(conn: sqlite3.Connection, ref: int | str) -> bool:
    """Remove a watchlist (by id or name) and its hits; False when there was none."""
    col = "id" if isinstance(ref, int) else "name"
    with transaction(conn):
        cur = conn.execute(f"DELETE FROM watchlists WHERE {col} = ?", (ref,))
    return cur.rowcount > 0


def _report_filters(f: WatchFilters) -> tuple[list[str], list[Any]]:
    """Conditions on `reports r` for the report-level filters (queries.report_where + FTS)."""
    from borderwatch.store.queries import Filters, report_where

    where, params = report_where(Filters(outlet=f.outlet), f.topic)
    if f.query:
        where.append("r.pk IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)")
        params.append(f.query)
    return where, params


# An entity id has one canonical name, so any mention of it will do (the entity index finds one
# at once; asking for this report's mention too would scan every mention of a busy place).
_PLACE_NAME = ("(SELECT m.name FROM mentions m WHERE m.entity_id ="
               " json_extract(e.facts, '$.places[0]') LIMIT 1)")
_SENTENCE = ("(SELECT substr(r.text, s.start + 1, s.\"end\" - s.start) FROM sentences s"
             " WHERE s.report_id = e.report_id AND s.idx = e.sentence)")


def _new_events(conn: sqlite3.Connection, f: WatchFilters, after: int,
                upto: int) -> list[sqlite3.Row]:
    """Matching events with after < id <= upto."""
    cond, params = events_where(FactFilters(type=f.type, place=f.place, commodity=f.commodity,
                                            source_kind=f.source_kind, include_negated=False))
    extra, extra_params = _report_filters(f)
    sql = (f'SELECT e.id, e.report_id, e.type, e.start, e."end", coalesce(e.date, r.published)'
           f" AS day, r.title, r.outlet, r.published, {_PLACE_NAME} AS place,"
           f" {_SENTENCE} AS sentence FROM events e JOIN reports r ON r.id = e.report_id"
           f" {cond} AND e.id > ? AND e.id <= ?"
           + "".join(f" AND {w}" for w in extra) + " ORDER BY day, e.id")
    return conn.execute(sql, [*params, after, upto, *extra_params]).fetchall()


def _new_reports(conn: sqlite3.Connection, f: WatchFilters, after: int,
                 upto: int) -> list[sqlite3.Row]:
    """Matching reports with after < pk <= upto."""
    where, params = _report_filters(f)
    return conn.execute(
        "SELECT r.id, r.title, r.outlet, r.published, substr(r.text, 1, 300) AS lead"
        " FROM reports r WHERE r.pk > ? AND r.pk <= ?" + "".join(f" AND {w}" for w in where)
        + " ORDER BY r.published, r.pk", [after, upto, *params]).fetchall()


def _run_one(conn: sqlite3.Connection, w: Watchlist, max_event: int, max_pk: int,
             now: str) -> WatchResult:
    """Record and return what is new for one watchlist; advance its marks."""
    res = WatchResult(w.id, w.name, w.filters)
    if w.filters.watches_events:
        for r in _new_events(conn, w.filters, w.last_event_id, max_event):
            span = (w.id, r["report_id"], r["type"], r["start"], r["end"])
            seen = conn.execute(
                "SELECT rowid FROM watch_hits WHERE watchlist_id = ? AND report_id = ?"
                " AND event_type = ? AND event_start = ? AND event_end = ?", span).fetchone()
            if seen:  # the same event re-made by reextract: relink, do not announce
                conn.execute("UPDATE watch_hits SET event_id = ? WHERE rowid = ?",
                             (r["id"], seen[0]))
                continue
            conn.execute(
                "INSERT INTO watch_hits(watchlist_id, event_id, report_id, found_at, event_type,"
                " event_start, event_end) VALUES (?,?,?,?,?,?,?)",
                (w.id, r["id"], r["report_id"], now, r["type"], r["start"], r["end"]))
            res.hits.append(WatchHit(r["report_id"], r["id"], r["type"], r["place"], r["day"],
                                     r["sentence"], r["title"], r["outlet"], r["published"],
                                     r["start"], r["end"]))
    else:
        for r in _new_reports(conn, w.filters, w.last_report_pk, max_pk):
            if conn.execute("SELECT 1 FROM watch_hits WHERE watchlist_id = ? AND report_id = ?"
                            " AND event_id IS NULL", (w.id, r["id"])).fetchone():
                continue
            conn.execute("INSERT INTO watch_hits(watchlist_id, event_id, report_id, found_at)"
                         " VALUES (?, NULL, ?, ?)", (w.id, r["id"], now))
            res.hits.append(WatchHit(r["id"], None, None, None, r["published"], r["lead"],
                                     r["title"], r["outlet"], r["published"]))
    conn.execute("UPDATE watchlists SET last_event_id = ?, last_report_pk = ?, last_run_at = ?"
                 " WHERE id = ?", (max(max_event, w.last_event_id),
                                   max(max_pk, w.last_report_pk), now, w.id))
    return res


def run_watchlists(conn: sqlite3.Connection, now: str | None = None,
                   only: int | str | None = None) -> list[WatchResult]:
    """Run every watchlist (or `only` one): record what is new since its last run."""
    now = now or utc_now()
    with transaction(conn):
        max_event = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
        max_pk = conn.execute("SELECT coalesce(max(pk), 0) FROM reports").fetchone()[0]
        lists = [get_watchlist(conn, only)] if only is not None else list_watchlists(conn)
        return [_run_one(conn, w, max_event, max_pk, now) for w in lists]


# --- feeds --------------------------------------------------------------------------------------

_FEED_SQL = """
SELECT h.report_id, h.found_at, h.event_type, h.event_start, h.event_end,
       e.id AS event_id, e.type, coalesce(e.date, r.published) AS day,
       r.title, r.outlet, r.published, {place} AS place,
       coalesce({sentence}, substr(r.text, 1, 300)) AS summary
FROM watch_hits h JOIN reports r ON r.id = h.report_id
LEFT JOIN events e ON e.id = (
    SELECT e2.id FROM events e2 WHERE e2.report_id = h.report_id AND e2.type = h.event_type
    AND e2.start = h.event_start AND e2."end" = h.event_end LIMIT 1)
WHERE h.watchlist_id = ? ORDER BY h.found_at DESC, h.rowid DESC LIMIT ?
"""


def _clean(text: str | None) -> str:
    """Text safe for XML 1.0 (untrusted report text may hold control characters)."""
    return _XML_BAD.sub("", text or "")


def _rfc3339(value: str | None, fallback: str) -> str:
    """A date or timestamp as RFC 3339 (a bare day becomes midnight UTC)."""
    if value and len(value) == 10:
        return value + "T00:00:00Z"
    return value or fallback


def _entries(conn: sqlite3.Connection, w: Watchlist, limit: int,
             base_url: str) -> list[dict[str, Any]]:
    """The watchlist's latest hits as feed-neutral entries."""
    base = base_url.rstrip("/")
    out = []
    sql = _FEED_SQL.format(place=_PLACE_NAME, sentence=_SENTENCE)
    for r in conn.execute(sql, (w.id, limit)):
        if r["event_type"]:
            link = f"{base}/reports/{r['report_id']}"
            if r["event_id"] is not None:
                link += f"#event-{r['event_id']}"
            what = r["event_type"].replace("_", " ")
            title = f"{what} in {r['place']}" if r["place"] else what
            title += f" ({r['outlet'] or 'unknown outlet'}, {r['day'] or 'undated'})"
            ident = (f"urn:borderwatch:watch:{w.id}:{r['report_id']}:{r['event_type']}:"
                     f"{r['event_start']}:{r['event_end']}")
        else:
            link = f"{base}/reports/{r['report_id']}"
            title = r["title"] or f"Report from {r['outlet'] or 'unknown outlet'}"
            ident = f"urn:borderwatch:watch:{w.id}:{r['report_id']}"
        out.append({"id": ident, "url": link, "title": _clean(title),
                    "summary": _clean(r["summary"]), "updated": r["found_at"],
                    "published": _rfc3339(r["published"], r["found_at"]),
                    "report_id": r["report_id"], "event_id": r["event_id"],
                    "type": r["event_type"], "place": r["place"], "outlet": r["outlet"]})
    return out


def _atom(w: Watchlist, entries: list[dict[str, Any]], base: str, self_url: str | None) -> str:
    """An Atom 1.0 document (RFC 4287)."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        """An Atom child element."""
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", f"urn:borderwatch:watch:{w.id}")
    sub(feed, "title", _clean(f"borderwatch: {w.name}"))
    sub(feed, "updated", entries[0]["updated"] if entries else (w.last_run_at or w.created_at))
    sub(sub(feed, "author"), "name", "borderwatch")
    sub(feed, "link", href=base + "/", rel="alternate")
    if self_url:
        sub(feed, "link", href=self_url, rel="self")
    sub(feed, "generator", "borderwatch")
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", e["id"])
        sub(entry, "title", e["title"])
        sub(entry, "updated", e["updated"])
        sub(entry, "published", e["published"])
        sub(entry, "link", href=e["url"], rel="alternate")
        sub(entry, "summary", e["summary"], type="text")
        if e["type"]:
            sub(entry, "category", term=e["type"])
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")


def _json_feed(w: Watchlist, entries: list[dict[str, Any]], base: str,
               self_url: str | None) -> str:
    """A JSON Feed 1.1 document."""
    doc: dict[str, Any] = {
        "version": JSON_FEED_VERSION, "title": f"borderwatch: {w.name}",
        "home_page_url": base + "/", "description": f"New matches for {w.filters.to_dict()}",
        "items": [{
            "id": e["id"], "url": e["url"], "title": e["title"], "content_text": e["summary"],
            "date_published": e["published"], "date_modified": e["updated"],
            "tags": [e["type"]] if e["type"] else [],
            "_borderwatch": {k: e[k] for k in ("report_id", "event_id", "type", "place",
                                               "outlet")},
        } for e in entries],
    }
    if self_url:
        doc["feed_url"] = self_url
    return json.dumps(doc, ensure_ascii=False, indent=2)


def watch_feed(conn: sqlite3.Connection, watchlist_id: int | str, fmt: str = "atom",
               limit: int = 50, base_url: str = DEFAULT_BASE_URL,
               self_url: str | None = None) -> str:
    """The watchlist's latest hits as an Atom 1.0 or JSON Feed 1.1 document."""
    if fmt not in ("atom", "json"):
        raise WatchError(f"feed format must be atom or json, not {fmt!r}")
    w = get_watchlist(conn, watchlist_id)
    base = base_url.rstrip("/")
    entries = _entries(conn, w, limit, base)
    return (_atom if fmt == "atom" else _json_feed)(w, entries, base, self_url)
