"""Watchlists: saved searches and filters, and what is new for each since it last ran.

A watchlist with an event filter (type, place, commodity, source kind) watches EVENTS: each run
reports the matching events with an id above its mark (report-level filters, outlet, topic and
query, narrow them further). A watchlist with only report-level filters watches REPORTS: each run
reports the matching reports stored since. Negated events ("has yet to reopen") never match.
Hits are kept in watch_hits with the event's report, type and span, so an event re-made by
`reextract` (new id, same span) is not announced twice. Event filters are the SQL of
`store.facts.events_where`, the same as `borderwatch facts` and the events page; a query is read
as the search box reads it (`store.searchquery.fts_query`: place spellings, Korean words as
prefixes) and matched by the same search index (`store.searchindex`, Tantivy), which is brought
up to date before a run. A run never moves a query watchlist's marks past a report the index
still lacks (its pk waits in `search_queue`, e.g. while another process holds the index
writer): the next run finds it. (Until migration 0022 the query matched through SQLite's FTS5
table, which only watchlists still read: every report was indexed twice.)

Every run happens when reports are stored (`jobs._regroup` after ingest and reextract), through
`borderwatch watch`, and when an analyst edits a watchlist's filters: the edit runs it again over
the whole store, so its hits are what the new filters match (hits found before keep the time they
were found, so a feed reader does not see them as new).

Each watchlist has a secret feed key: with `serve --require-login` a feed reader, which cannot
sign in, reads `/watchlists/ID.atom?token=KEY`. The key is stored as it is (the page shows it to
signed-in analysts, and it opens nothing the database file does not already hold) and compared in
constant time.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from typing import Any

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES, TOPICS
from borderwatch.store.db import transaction, utc_now
from borderwatch.store.facts import FactFilters, events_where
from borderwatch.store.periods import BadDate, DateBound
from borderwatch.store.searchindex import SearchIndex

_EVENT_FILTERS = ("type", "place", "commodity", "source_kind")
TOKEN_BYTES = 24  # 192 bits: the same size migration 0006 gives existing watchlists
Labeller = Callable[[str, "str | None"], str]  # serve.render.label: (vocabulary, code) -> words


class WatchError(ValueError):
    """A watchlist that cannot be made, found or run; the message says why."""


def _clean(value: Any) -> str | None:
    """A filter value with its white space trimmed; blank is unset."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True, slots=True)
class WatchFilters:
    """What a watchlist watches; any combination, at least one."""

    query: str | None = None  # the search box's query over report titles and text
    type: tuple[str, ...] = ()  # event types, any of them (a single code is read as one type)
    place: str | None = None  # place id or name
    commodity: str | None = None  # commodity id or name
    source_kind: str | None = None  # attribution kind, or 'none' for the outlet's own voice
    outlet: str | None = None
    topic: str | None = None
    since: str | None = None  # YYYY[-MM[-DD]]: on the event's day, else the report's publication

    def __post_init__(self) -> None:
        """Tidy the values and refuse filters that can never match, so a typo does not make a
        silent watchlist."""
        types = self.type
        if types is None:
            types = ()
        elif isinstance(types, str):
            types = (types,)
        types = tuple(dict.fromkeys(t.strip() for t in types if t and t.strip()))
        object.__setattr__(self, "type", types)
        for name in ("query", "place", "commodity", "source_kind", "outlet", "topic", "since"):
            object.__setattr__(self, name, _clean(getattr(self, name)))
        for t in types:
            if t not in EVENT_TYPES:
                raise WatchError(f"unknown event type {t!r}")
        if self.source_kind and self.source_kind not in ATTRIBUTION_KINDS | {"none"}:
            raise WatchError(f"unknown source kind {self.source_kind!r}")
        if self.topic and self.topic not in TOPICS:
            raise WatchError(f"unknown topic {self.topic!r}")
        if self.since:
            try:
                object.__setattr__(self, "since", str(DateBound.parse(self.since)))
            except BadDate as exc:
                raise WatchError(str(exc)) from exc

    @property
    def watches_events(self) -> bool:
        """True when an event-level filter is set (hits are events, else reports)."""
        return any(getattr(self, k) for k in _EVENT_FILTERS)

    def to_dict(self) -> dict[str, Any]:
        """The filters that are set, as stored in watchlists.filters (types as a list)."""
        return {k: (list(v) if k == "type" else v) for k, v in asdict(self).items() if v}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WatchFilters:
        """Filters from stored JSON or the API; unknown keys (from a newer version) are ignored."""
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
        """JSON-ready dict (the feed key is not in it: only signed-in analysts see that)."""
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


# --- places and goods by name -------------------------------------------------------------

@cache
def _folded_aliases(kind: str) -> dict[str, tuple[str, ...]]:
    """Every alias of the gazetteer ('place') or the goods list ('commodity'), lower-cased, with
    the ids it names (a place's main reading before a secondary one)."""
    out: dict[str, list[str]] = {}
    if kind == "place":
        from borderwatch.extract.places import place_data

        data = place_data()
        pairs = [(alias, sorted(keys, key=lambda k: data.places[k].secondary))
                 for alias, keys in data.table.lookup.items()]
    else:
        from borderwatch.extract.commodities import commodity_data

        pairs = [(alias, [k.split("|", 1)[1] for k in keys])  # keys: 'strong|commodity:coal'
                 for alias, keys in commodity_data().table.lookup.items()]
    for alias, ids in pairs:
        bucket = out.setdefault(alias.lower(), [])
        bucket += [i for i in ids if i.startswith(f"{kind}:") and i not in bucket]
    return {k: tuple(v) for k, v in out.items() if v}


def _known(kind: str) -> dict[str, str]:
    """id -> canonical name of every gazetteer place or listed good."""
    if kind == "place":
        from borderwatch.extract.places import place_data

        return {k: p.name for k, p in place_data().places.items()}
    from borderwatch.extract.commodities import commodity_data

    return {k: c.name for k, c in commodity_data().commodities.items()}


def canonical_entity(kind: str, value: str | None) -> str | None:
    """A place or good as its id when the gazetteer or goods list knows the name ('Hyesan',
    'hyesan', '혜산' -> 'place:hyesan'); other text is kept as typed (the events filter also
    matches names the extractor found outside the lists)."""
    if not value or value in _known(kind):
        return value
    ids = _folded_aliases(kind).get(value.lower())
    return ids[0] if ids else value


def entity_words(conn: sqlite3.Connection, kind: str, value: str) -> str:
    """A place or good as a reader names it: 'Hyesan, Ryanggang', 'rice'; an id only the store
    knows by the name of its mentions; other text as typed."""
    if kind == "place":
        from borderwatch.extract.places import place_data

        p = place_data().places.get(value)
        if p is not None:
            return f"{p.name}, {p.admin1}" if p.admin1 and p.admin1 != p.name else p.name
    elif value in _known(kind):
        return _known(kind)[value]
    row = conn.execute("SELECT name FROM mentions WHERE entity_id = ? LIMIT 1", (value,)).fetchone()
    return row[0] if row and row[0] else value


def entity_field_value(kind: str, value: str | None) -> str:
    """What an edit form shows for a stored place or good: its name when the name leads back
    to the same id, else the id."""
    if not value:
        return ""
    name = _known(kind).get(value)
    return name if name and canonical_entity(kind, name) == value else value


def normalise(filters: WatchFilters) -> WatchFilters:
    """Filters as stored: a known place or good by its id."""
    return WatchFilters.from_dict(filters.to_dict() | {
        k: canonical_entity(k, getattr(filters, k)) for k in ("place", "commodity")
        if getattr(filters, k)})


def describe(conn: sqlite3.Connection, f: WatchFilters, label: Labeller) -> str:
    """The filters in words: 'Smuggling or Enforcement at Hyesan, Ryanggang, since 2024-01-01,
    goods: rice' (event types by their labels, places and goods by name, never ids)."""
    if f.watches_events:
        head = " or ".join(label("type", t) for t in f.type) or "Any event"
        parts = [head + (f" at {entity_words(conn, 'place', f.place)}" if f.place else "")]
        if f.query:
            parts.append(f"in reports matching “{f.query}”")
    else:
        parts = ["Reports" + (f" matching “{f.query}”" if f.query else "")]
    if f.since:
        parts.append(f"since {f.since}")
    if f.commodity:
        parts.append(f"goods: {entity_words(conn, 'commodity', f.commodity)}")
    if f.source_kind:
        parts.append(f"source: {label('source_kinds', f.source_kind)}")
    if f.outlet:
        parts.append(f"outlet: {f.outlet}")
    if f.topic:
        parts.append(f"topic: {label('topics', f.topic)}")
    return ", ".join(parts)


# --- making, changing, removing ------------------------------------------------------------

def _check_query(query: str) -> None:
    """A query with nothing searchable in it ('AND OR') or one the search index cannot read is
    refused now, not at every run."""
    from borderwatch.store.searchindex import check_query

    match = _fts(query)
    if not match:
        raise WatchError(f"nothing to search for in {query!r}")
    try:
        check_query(match)
    except ValueError as exc:  # the advanced syntax can still be wrong
        raise WatchError(f"bad search query {query!r}: {exc}") from exc


def _fts(query: str) -> str:
    """The query as the search box reads it: typed text is text, place spellings match."""
    from borderwatch.extract.places import place_spellings
    from borderwatch.store.searchquery import fts_query

    return fts_query(query, place_spellings)


def _checked(conn: sqlite3.Connection, name: str, filters: WatchFilters) -> tuple[str, WatchFilters]:
    """The name and filters as stored, or WatchError."""
    if not name.strip():
        raise WatchError("a watchlist needs a name")
    if not filters.to_dict():
        raise WatchError("a watchlist needs at least one filter")
    if filters.query:
        _check_query(filters.query)
    return name.strip(), normalise(filters)


def create_watchlist(conn: sqlite3.Connection, name: str, filters: WatchFilters,
                     user: str | None = None) -> int:
    """Save a watchlist; the first run reports everything that already matches."""
    name, filters = _checked(conn, name, filters)
    try:
        with transaction(conn):
            cur = conn.execute(
                "INSERT INTO watchlists(name, filters, created_by, created_at, feed_token)"
                " VALUES (?,?,?,?,?)",
                (name, json.dumps(filters.to_dict(), ensure_ascii=False), user, utc_now(),
                 secrets.token_hex(TOKEN_BYTES)))
    except sqlite3.IntegrityError as exc:
        raise WatchError(f"a watchlist named {name!r} exists already") from exc
    return int(cur.lastrowid or 0)


def update_watchlist(conn: sqlite3.Connection, ref: int | str, name: str | None = None,
                     filters: WatchFilters | None = None, now: str | None = None) -> Watchlist:
    """Rename a watchlist and/or give it new filters. New filters run it again over the whole
    store in the same transaction: hits the new filters no longer match go, new matches come,
    and a hit found before keeps the time it was found."""
    now = now or utc_now()
    # a query is matched through the search index, synced before the transaction (a sync writes)
    index = _search_index(conn) if filters is not None and filters.query else None
    with transaction(conn):
        w = get_watchlist(conn, ref)
        new_name, new_filters = _checked(conn, w.name if name is None else name,
                                         w.filters if filters is None else filters)
        try:
            conn.execute("UPDATE watchlists SET name = ?, filters = ? WHERE id = ?",
                         (new_name, json.dumps(new_filters.to_dict(), ensure_ascii=False), w.id))
        except sqlite3.IntegrityError as exc:
            raise WatchError(f"a watchlist named {new_name!r} exists already") from exc
        if new_filters != w.filters:
            found = {tuple(r[:4]): r[4] for r in conn.execute(
                "SELECT report_id, event_type, event_start, event_end, found_at FROM watch_hits"
                " WHERE watchlist_id = ?", (w.id,))}
            conn.execute("DELETE FROM watch_hits WHERE watchlist_id = ?", (w.id,))
            conn.execute("UPDATE watchlists SET last_event_id = 0, last_report_pk = 0"
                         " WHERE id = ?", (w.id,))
            run_watchlists(conn, now=now, only=w.id, index=index)
            for key, at in found.items():
                conn.execute(
                    "UPDATE watch_hits SET found_at = ? WHERE watchlist_id = ? AND report_id = ?"
                    " AND event_type IS ? AND event_start IS ? AND event_end IS ?", (at, w.id, *key))
        return get_watchlist(conn, w.id)


def _row_to_watchlist(r: sqlite3.Row) -> Watchlist:
    """A watchlists row (with its hit count) as a Watchlist."""
    return Watchlist(r["id"], r["name"], WatchFilters.from_dict(json.loads(r["filters"])),
                     r["created_by"], r["created_at"], r["last_run_at"], r["last_event_id"],
                     r["last_report_pk"], r["hits"])


# A hit whose event an analyst has since rejected is no longer shown or counted (the event is
# matched by its span, which survives reextract); report hits have no event and always count.
LIVE_HIT = ("NOT EXISTS (SELECT 1 FROM events x WHERE x.report_id = h.report_id"
            " AND x.type = h.event_type AND x.start = h.event_start AND x.\"end\" = h.event_end"
            " AND x.review = 'rejected')")
_LIST_SQL = ("SELECT w.*, (SELECT count(*) FROM watch_hits h WHERE h.watchlist_id = w.id"
             f" AND {LIVE_HIT}) AS hits FROM watchlists w")


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


# --- feed keys -----------------------------------------------------------------------------

def feed_token(conn: sqlite3.Connection, ref: int | str) -> str:
    """The watchlist's feed key (for signed-in analysts: it opens the feed without a session)."""
    w = get_watchlist(conn, ref)
    return conn.execute("SELECT feed_token FROM watchlists WHERE id = ?", (w.id,)).fetchone()[0]


def new_feed_token(conn: sqlite3.Connection, ref: int | str) -> str:
    """Give the watchlist a new feed key; the old one stops working at once."""
    token = secrets.token_hex(TOKEN_BYTES)
    with transaction(conn):
        w = get_watchlist(conn, ref)
        conn.execute("UPDATE watchlists SET feed_token = ? WHERE id = ?", (token, w.id))
    return token


_NO_KEY = secrets.token_hex(TOKEN_BYTES)  # compared against when there is no such watchlist


def feed_token_ok(conn: sqlite3.Connection, watchlist_id: int, token: str | None) -> bool:
    """True when `token` is the key of watchlist `watchlist_id`. The comparison takes the same
    time whether the list exists, the key is wrong or missing, so it tells an outsider nothing."""
    row = conn.execute("SELECT feed_token FROM watchlists WHERE id = ?",
                       (watchlist_id,)).fetchone()
    stored = row[0] if row and row[0] else _NO_KEY
    same = secrets.compare_digest(stored.encode(), (token or "").encode("utf-8", "replace"))
    return bool(row and row[0] and token and same)


# --- running ------------------------------------------------------------------------------

def _search_index(conn: sqlite3.Connection) -> SearchIndex:
    """The store's search index with every report the store queued for it applied (unless
    another process holds its writer: `_indexed_marks` then keeps the marks before them).
    Never inside a transaction: the sync deletes what it applied from `search_queue` and
    commits, and would commit the caller's half-done work with it."""
    from borderwatch.store.searchindex import for_connection

    if conn.in_transaction:
        raise RuntimeError("a watchlist query needs the search index synced before the"
                           " transaction: pass index= (watchlists._search_index)")
    return for_connection(conn)


def _matching_pks(index: SearchIndex, f: WatchFilters, after: int, upto: int) -> list[int]:
    """The pks of the reports the query matches with after < pk <= upto, as the search box
    finds them (the same query reading, the same index)."""
    try:
        query = index.query(_fts(f.query or ""))
    except ValueError as exc:
        raise WatchError(f"bad search query {f.query!r}: {exc}") from exc
    return index.pks(query, after, upto)


def _report_filters(f: WatchFilters, pks: list[int] | None) -> tuple[list[str], list[Any]]:
    """Conditions on `reports r` for the report-level filters (queries.report_where, and the
    reports the search index matched for the query: `pks`, as one JSON array, however many)."""
    from borderwatch.store.queries import Filters, report_where

    since = None if f.watches_events else f.since  # events filter by their own day instead
    where, params = report_where(Filters(outlet=f.outlet, since=since), f.topic)
    if f.query:
        where.append("r.pk IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(pks or []))
    return where, params


# An entity id has one canonical name, so any mention of it will do (the entity index finds one
# at once; asking for this report's mention too would scan every mention of a busy place).
PLACE_NAME = "(SELECT m.name FROM mentions m WHERE m.entity_id = e.place LIMIT 1)"
SENTENCE = ("(SELECT substr(r.text, s.start + 1, s.\"end\" - s.start) FROM sentences s"
            " WHERE s.report_id = e.report_id AND s.idx = e.sentence)")


def _new_events(conn: sqlite3.Connection, f: WatchFilters, after: int, upto: int,
                index: SearchIndex | None) -> list[sqlite3.Row]:
    """Matching events with after < id <= upto."""
    cond, params = events_where(FactFilters(place=f.place, commodity=f.commodity,
                                            source_kind=f.source_kind, since=f.since,
                                            include_negated=False))
    pks = None
    if f.query and index is not None:  # the reports these events are in: new ones, or any
        lo, hi = conn.execute(  # (reextract makes new events in old reports)
            "SELECT min(r.pk), max(r.pk) FROM events e JOIN reports r ON r.id = e.report_id"
            " WHERE e.id > ? AND e.id <= ?", (after, upto)).fetchone()
        if lo is None:
            return []
        pks = _matching_pks(index, f, lo - 1, hi)
    extra, extra_params = _report_filters(f, pks)
    if f.type:
        extra = [f"e.type IN ({','.join('?' * len(f.type))})", *extra]
        extra_params = [*f.type, *extra_params]
    sql = (f'SELECT e.id, e.report_id, e.type, e.start, e."end", e.day'
           f" AS day, r.title, r.outlet, r.published, {PLACE_NAME} AS place,"
           f" {SENTENCE} AS sentence FROM events e JOIN reports r ON r.id = e.report_id"
           f" {cond} AND e.id > ? AND e.id <= ?"
           + "".join(f" AND {w}" for w in extra) + " ORDER BY day, e.id")
    return conn.execute(sql, [*params, after, upto, *extra_params]).fetchall()


def _new_reports(conn: sqlite3.Connection, f: WatchFilters, after: int, upto: int,
                 index: SearchIndex | None) -> list[sqlite3.Row]:
    """Matching reports with after < pk <= upto."""
    pks = _matching_pks(index, f, after, upto) if f.query and index is not None else None
    where, params = _report_filters(f, pks)
    return conn.execute(
        "SELECT r.id, r.title, r.outlet, r.published, substr(r.text, 1, 300) AS lead"
        " FROM reports r WHERE r.pk > ? AND r.pk <= ?" + "".join(f" AND {w}" for w in where)
        + " ORDER BY r.published, r.pk", [after, upto, *params]).fetchall()


def _indexed_marks(conn: sqlite3.Connection, w: Watchlist, max_event: int,
                   max_pk: int) -> tuple[int, int]:
    """How far a watchlist may move its marks (event id, report pk): for a query, to just
    before the first new report, or event in a report, that waits in `search_queue` (the
    index does not hold it as the store does yet); without a query, to the newest."""
    if not w.filters.query:
        return max_event, max_pk
    pk = conn.execute("SELECT min(pk) FROM search_queue WHERE pk > ?",
                      (w.last_report_pk,)).fetchone()[0]
    event = conn.execute(
        "SELECT min(e.id) FROM search_queue q JOIN reports r ON r.pk = q.pk"
        " JOIN events e ON e.report_id = r.id WHERE e.id > ?", (w.last_event_id,)).fetchone()[0]
    return (max_event if event is None else min(max_event, event - 1),
            max_pk if pk is None else min(max_pk, pk - 1))


def _run_one(conn: sqlite3.Connection, w: Watchlist, max_event: int, max_pk: int,
             now: str, index: SearchIndex | None) -> WatchResult:
    """Record and return what is new for one watchlist; advance its marks."""
    res = WatchResult(w.id, w.name, w.filters)
    max_event, max_pk = _indexed_marks(conn, w, max_event, max_pk)
    if w.filters.watches_events:
        for r in _new_events(conn, w.filters, w.last_event_id, max_event, index):
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
        for r in _new_reports(conn, w.filters, w.last_report_pk, max_pk, index):
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
                   only: int | str | None = None,
                   index: SearchIndex | None = None) -> list[WatchResult]:
    """Run every watchlist (or `only` one): record what is new since its last run. When one
    has a query, the search index is synced first, outside the run's transaction (or given
    as `index` by a caller that synced it before opening its own)."""
    now = now or utc_now()
    if index is None and conn.execute(
            "SELECT 1 FROM watchlists WHERE filters ->> '$.query' IS NOT NULL LIMIT 1").fetchone():
        index = _search_index(conn)
    with transaction(conn):
        max_event = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
        max_pk = conn.execute("SELECT coalesce(max(pk), 0) FROM reports").fetchone()[0]
        lists = [get_watchlist(conn, only)] if only is not None else list_watchlists(conn)
        if index is not None:
            # what the index committed before the queue (read above) let those reports go
            index.index.reload()
        # (a query watchlist saved by another process since the check above waits for the next
        # run: without the index its marks must not move)
        return [_run_one(conn, w, max_event, max_pk, now, index) for w in lists
                if index is not None or not w.filters.query]
