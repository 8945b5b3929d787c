"""Read queries shared by the CLI and the web app: search, list, show, stats.

Every value reaches SQL as a bound parameter; filters are built in one place (`_filters`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from borderwatch.store.paging import SortSpec
from borderwatch.store.periods import period_sql
from borderwatch.store.searchindex import IndexFilters
from borderwatch.store.searchquery import fts_query

if TYPE_CHECKING:
    from borderwatch.model import Document


class QueryError(ValueError):
    """A search query or filter that cannot be run; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Filters:
    """Filters common to search and list."""

    since: str | None = None  # YYYY[-MM[-DD]], inclusive, on the publication date
    until: str | None = None
    outlet: str | None = None
    tag: str | None = None
    language: str | None = None
    undated: bool = False  # only reports without a publication date (to fix them)
    good: str | None = None  # a commodity id: reports that mention it (the goods list's count)


@dataclass(slots=True)
class Page:
    """One page of results with the total count."""

    total: int
    items: list[dict[str, Any]] = field(default_factory=list)


_SUMMARY_COLS = (
    "r.id, r.title, r.outlet, r.published, r.language, r.source, r.url, r.words,"
    " r.near_duplicate_of"
)


def report_where(f: Filters, topic: str | None = None) -> tuple[list[str], list[Any]]:
    """Conditions on `reports r` for the report filters (shared by search, list, watchlists)."""
    where: list[str] = []
    params: list[Any] = []
    if topic:
        where.append("EXISTS (SELECT 1 FROM report_topics t WHERE t.report_id = r.id AND t.topic = ?)")
        params.append(topic)
    cond, values = period_sql("r.published", f.since or None, f.until or None)
    where += cond
    params += values
    if f.undated:
        where.append("r.published IS NULL")
    if f.outlet:
        where.append("r.outlet = ? COLLATE NOCASE")
        params.append(f.outlet)
    if f.tag:
        where.append("EXISTS (SELECT 1 FROM report_tags t WHERE t.report_id = r.id AND t.tag = ? COLLATE NOCASE)")
        params.append(f.tag)
    if f.language:
        where.append("r.language = ? COLLATE NOCASE")
        params.append(f.language)
    if f.good:
        where.append("EXISTS (SELECT 1 FROM mentions m WHERE m.report_id = r.id AND m.kind ="
                     " 'commodity' AND m.entity_id = ? AND coalesce(m.review, '') <> 'rejected')")
        params.append(f.good)
    return where, params


REPORT_SORT = SortSpec(
    {"published": "r.published", "title": "r.title COLLATE NOCASE",
     "outlet": "r.outlet COLLATE NOCASE", "words": "r.words"},
    default="published", default_order="desc", tiebreak="r.pk",
    first_order={"published": "desc", "words": "desc"})
# Search adds relevance (BM25, title weighted 5x; `score` is more negative for a better match,
# as SQLite's bm25() was, so "relevance, descending" is the best match first).
SEARCH_SORT = SortSpec({"relevance": "-h.score", **REPORT_SORT.columns},
                       default="relevance", default_order="desc", tiebreak="r.pk",
                       first_order={"relevance": "desc", **(REPORT_SORT.first_order or {})})
_SEARCH_SQL_SORT = SEARCH_SORT  # over `h` (pk, score) from _hits_sql: the same columns
# The columns of a report in a list or an export (its topics joined in rank order).
EXPORT_COLS = (_SUMMARY_COLS + ", r.author, (SELECT group_concat(topic, '; ') FROM"
               " (SELECT topic FROM report_topics t WHERE t.report_id = r.id ORDER BY t.rank))"
               " AS topics")


def _match(query: str) -> str:
    """The FTS5 query for what the analyst typed (QueryError when nothing is left)."""
    if not query.strip():
        raise QueryError("empty search query")
    from borderwatch.extract.places import place_spellings  # the gazetteer: loaded on first search

    # what the analyst meant, as valid FTS5 syntax; a place matches all its spellings
    match = fts_query(query, place_spellings)
    if not match:
        raise QueryError(f"nothing to search for in {query!r}")
    return match


def _fts_error(typed: str, exc: Exception) -> QueryError:
    return QueryError(
        f"cannot search for {typed!r}: {exc}. Put phrases in double quotes, write AND/OR/NOT"
        " in capitals, and quote words with punctuation (\"Rajin-Sonbong\")."
    )


# Sorts the search index answers by itself (its fast fields); the others, and filters on facts
# (topic, good), are answered in SQL over every match the index finds.
_INDEX_SORTS = {("relevance", "desc"): None, ("published", "desc"): "published",
                ("published", "asc"): "published_asc", ("words", "desc"): "words",
                ("words", "asc"): "words"}


def _index_filters(f: Filters) -> IndexFilters:
    return IndexFilters(outlet=f.outlet, language=f.language, tag=f.tag, since=f.since,
                        until=f.until, undated=f.undated)


def _matches(conn: sqlite3.Connection, query: str, filters: Filters) -> tuple[Any, Any, str]:
    """(the store's search index, the index query, the FTS5 query) for a typed search."""
    from borderwatch.store import searchindex

    idx = searchindex.for_connection(conn)
    match = _match(query)
    try:
        return idx, idx.query(match, _index_filters(filters)), match
    except ValueError as exc:
        raise _fts_error(query, exc) from exc


def _hits_sql(hits: list[tuple[int, float]], filters: Filters, topic: str | None) -> tuple[str, list[Any]]:
    """(FROM … WHERE clause, parameters) of `reports r` joined to the index's matches `h`
    (pk, score), with every report filter applied in SQL."""
    where, params = report_where(filters, topic)
    cond = ("WHERE " + " AND ".join(where)) if where else ""
    return ("FROM (SELECT value ->> 0 AS pk, value ->> 1 AS score FROM json_each(?)) h"
            f" JOIN reports r ON r.pk = h.pk {cond}",
            [json.dumps([[pk, -score] for pk, score in hits]), *params])


def search(conn: sqlite3.Connection, query: str, filters: Filters = Filters(), limit: int = 20,
           offset: int = 0, mark: tuple[str, str] = ("[", "]"), topic: str | None = None,
           sort: str | None = None, order: str | None = None) -> Page:
    """Reports matching a search with snippets and the exact total: best first (BM25, title
    weighted 5x; `score` is lower for a better match, as SQLite's bm25() was), or by any column
    of SEARCH_SORT (BadSort for others). The search index (store/searchindex.py) finds them."""
    from borderwatch.store.searchindex import snippet

    key, direction = SEARCH_SORT.check(sort, order)
    idx, q, match = _matches(conn, query, filters)
    if topic or filters.good or (key, direction) not in _INDEX_SORTS:
        every = idx.search(q, idx.search(q, 0).total)
        base, params = _hits_sql(every.hits, filters, topic)
        total = conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
        rows = conn.execute(
            f"SELECT {_SUMMARY_COLS}, r.text, h.score AS score {base}"
            f" ORDER BY {_SEARCH_SQL_SORT.order_by(key, direction)} LIMIT ? OFFSET ?",
            [*params, limit, offset]).fetchall()
        items = [dict(r) for r in rows]
    else:
        found = idx.search(q, limit, offset, _INDEX_SORTS[key, direction], direction == "asc")
        total = found.total
        byid = {r["pk"]: dict(r) for r in conn.execute(
            f"SELECT r.pk, {_SUMMARY_COLS}, r.text FROM reports r WHERE r.pk IN"
            f" ({','.join('?' * len(found.hits))})", [pk for pk, _ in found.hits])}
        items = []
        for pk, score in found.hits:
            if pk in byid:  # (a report deleted since the index last heard of it is left out)
                item = byid[pk]
                item.pop("pk")
                item["score"] = -score
                items.append(item)
    gen = idx.snippet_maker(match) if items else None
    for item in items:
        item["snippet"] = snippet(gen, item.pop("text"), mark)
    return Page(total=total, items=items)


def list_reports(conn: sqlite3.Connection, filters: Filters = Filters(), limit: int = 50,
                 offset: int = 0, topic: str | None = None, sort: str | None = None,
                 order: str | None = None) -> Page:
    """Reports newest first (by publication date, then ingest order), or by any column of
    REPORT_SORT (BadSort for others)."""
    key, direction = REPORT_SORT.check(sort, order)
    where, params = report_where(filters, topic)
    cond = ("WHERE " + " AND ".join(where)) if where else ""
    total = conn.execute(f"SELECT count(*) FROM reports r {cond}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT {_SUMMARY_COLS} FROM reports r {cond}"
        f" ORDER BY {REPORT_SORT.order_by(key, direction)} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return Page(total=total, items=[dict(r) for r in rows])


def iter_reports(conn: sqlite3.Connection, query: str | None, filters: Filters = Filters(),
                 topic: str | None = None, sort: str | None = None,
                 order: str | None = None) -> Iterator[dict[str, Any]]:
    """Every report a search (or, without a query, the list) finds, in the list's order, one
    row at a time: the export of exactly what the pages show, however many there are."""
    if query:
        key, direction = SEARCH_SORT.check(sort, order)
        idx, q, _ = _matches(conn, query, filters)
        base, params = _hits_sql(idx.search(q, idx.search(q, 0).total).hits, filters, topic)
        sql = f"SELECT {EXPORT_COLS} {base} ORDER BY {_SEARCH_SQL_SORT.order_by(key, direction)}"
    else:
        key, direction = REPORT_SORT.check(sort, order)
        where, params = report_where(filters, topic)
        cond = ("WHERE " + " AND ".join(where)) if where else ""
        sql = f"SELECT {EXPORT_COLS} FROM reports r {cond} ORDER BY {REPORT_SORT.order_by(key, direction)}"
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    try:
        cursor = cur.execute(sql, params)
    except sqlite3.OperationalError as exc:
        raise _fts_error(query or "", exc) from exc
    for row in cursor:
        yield dict(row)


def resolve_id(conn: sqlite3.Connection, ident: str) -> str:
    """Full report id from an id or a unique prefix of at least 4 characters."""
    if len(ident) < 4:
        raise QueryError("give at least 4 characters of the report id")
    rows = conn.execute(
        "SELECT id FROM reports WHERE id >= ? AND id < ? LIMIT 2", (ident, ident + "\uffff")
    ).fetchall()
    if not rows:
        raise QueryError(f"no report with id {ident!r}")
    if len(rows) > 1:
        raise QueryError(f"id prefix {ident!r} matches more than one report; give more characters")
    return rows[0][0]


def get_report(conn: sqlite3.Connection, ident: str) -> dict[str, Any]:
    """One report with its metadata, tags, captions, sources, sentences and copies."""
    rid = resolve_id(conn, ident)
    r = dict(conn.execute("SELECT * FROM reports WHERE id = ?", (rid,)).fetchone())
    r.pop("pk", None)
    r["removed"] = json.loads(r["removed"])
    r["tags"] = [x[0] for x in conn.execute(
        "SELECT tag FROM report_tags WHERE report_id = ? ORDER BY position", (rid,))]
    r["captions"] = [x[0] for x in conn.execute(
        "SELECT text FROM report_captions WHERE report_id = ? ORDER BY position", (rid,))]
    r["sources"] = [x[0] for x in conn.execute(
        "SELECT source FROM report_sources WHERE report_id = ? ORDER BY first_seen, source", (rid,))]
    r["sentences"] = [[s[0], s[1]] for s in conn.execute(
        'SELECT start, "end" FROM sentences WHERE report_id = ? ORDER BY idx', (rid,))]
    r["near_duplicates"] = [dict(x) for x in conn.execute(
        "SELECT id, title, outlet, published, near_similarity FROM reports"
        " WHERE near_duplicate_of = ? ORDER BY pk", (rid,))]
    return r


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts for `borderwatch stats`: totals, by outlet, month, language; failures; runs."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    pairs = lambda sql: [{"key": k, "count": n} for k, n in conn.execute(sql)]  # noqa: E731
    return {
        "reports": one("SELECT count(*) FROM reports"),
        "near_duplicates": one("SELECT count(*) FROM reports WHERE near_duplicate_of IS NOT NULL"),
        "sources": one("SELECT count(*) FROM report_sources"),
        "words": one("SELECT coalesce(sum(words), 0) FROM reports"),
        "by_outlet": pairs("SELECT coalesce(outlet, '(unknown)'), count(*) FROM reports"
                           " GROUP BY 1 ORDER BY 2 DESC, 1"),
        "by_month": pairs("SELECT coalesce(substr(published, 1, 7), '(undated)'), count(*)"
                          " FROM reports GROUP BY 1 ORDER BY 1"),
        "by_language": pairs("SELECT coalesce(language, '(unknown)'), count(*) FROM reports"
                             " GROUP BY 1 ORDER BY 2 DESC, 1"),
        "failures": one("SELECT count(*) FROM failures"),
        "failures_by_stage": pairs("SELECT stage, count(*) FROM failures GROUP BY 1 ORDER BY 2 DESC"),
        "recent_failures": [dict(x) for x in conn.execute(
            "SELECT source, stage, reason, at FROM failures ORDER BY id DESC LIMIT 10")],
        "runs": [dict(x) for x in conn.execute(
            "SELECT id, started_at, finished_at, status, read, stored, duplicate, near_duplicate,"
            " unchanged, failed FROM runs ORDER BY id DESC LIMIT 5")],
    }


_DOCUMENT_COLUMNS = ("SELECT pk, id, source, text, format, title, outlet, author, published,"
                     " language, url, encoding, removed FROM reports")


def iter_documents(conn: sqlite3.Connection, batch: int = 500,
                   ids: Collection[str] | None = None) -> Iterator[Document]:
    """Every stored report as a Document (with its stored sentences), streamed in id order; with
    `ids`, only those reports (re-extracting a few of a large store reads only them)."""
    if ids is not None:
        wanted = sorted(ids)
        for k in range(0, len(wanted), batch):
            part = wanted[k:k + batch]
            rows = conn.execute(f"{_DOCUMENT_COLUMNS} WHERE id IN ({', '.join('?' * len(part))})"
                                " ORDER BY pk", part).fetchall()
            yield from (_document(conn, r) for r in rows)
        return
    last = 0
    while True:
        rows = conn.execute(f"{_DOCUMENT_COLUMNS} WHERE pk > ? ORDER BY pk LIMIT ?",
                            (last, batch)).fetchall()
        if not rows:
            return
        for r in rows:
            last = r["pk"]
            yield _document(conn, r)


def _document(conn: sqlite3.Connection, r: sqlite3.Row) -> Document:
    """A Document from its reports row, with its sentences, tags and captions."""
    from borderwatch.model import Document, Sentence

    rid = r["id"]
    sents = tuple(Sentence(s, e) for s, e in conn.execute(
        'SELECT start, "end" FROM sentences WHERE report_id = ? ORDER BY idx', (rid,)))
    tags = tuple(x[0] for x in conn.execute(
        "SELECT tag FROM report_tags WHERE report_id = ? ORDER BY position", (rid,)))
    caps = tuple(x[0] for x in conn.execute(
        "SELECT text FROM report_captions WHERE report_id = ? ORDER BY position", (rid,)))
    return Document(
        id=rid, source=r["source"], text=r["text"], sentences=sents, format=r["format"],
        title=r["title"], outlet=r["outlet"], author=r["author"],
        published=r["published"], language=r["language"], url=r["url"], tags=tags,
        captions=caps, encoding=r["encoding"], removed=tuple(json.loads(r["removed"])),
    )


# --- small reads the workbench's pages need (no SQL in serve/) -------------------------------

def undated_count(conn: sqlite3.Connection) -> int:
    """Reports with no publication date (the brief links them to be fixed)."""
    return conn.execute("SELECT count(*) FROM reports WHERE published IS NULL").fetchone()[0]


def outlets(conn: sqlite3.Connection) -> list[str]:
    """Every outlet a stored report names, in order (a filter's choices)."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT outlet FROM reports WHERE outlet IS NOT NULL ORDER BY outlet")]


def languages(conn: sqlite3.Connection) -> list[str]:
    """Every language code of a stored report, in order."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT language FROM reports WHERE language IS NOT NULL ORDER BY language")]


def entity_names(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """A name as a mention wrote it for each entity id (the id itself when none does)."""
    out: dict[str, str] = {}
    for i in dict.fromkeys(ids):
        row = conn.execute("SELECT name FROM mentions WHERE entity_id = ? LIMIT 1", (i,)).fetchone()
        out[i] = row[0] if row else i
    return out


def report_topics(conn: sqlite3.Connection, report_id: str) -> list[str]:
    """A report's topics, first the main one."""
    return [r[0] for r in conn.execute(
        "SELECT topic FROM report_topics WHERE report_id = ? ORDER BY rank", (report_id,))]


def report_brief(conn: sqlite3.Connection, report_id: str) -> dict[str, Any] | None:
    """Id, title, outlet and publication date of one report (None when there is no such)."""
    row = conn.execute("SELECT id, title, outlet, published FROM reports WHERE id = ?",
                       (report_id,)).fetchone()
    return dict(row) if row else None


def report_fact_rows(conn: sqlite3.Connection, report_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every stored fact of a report, each kind in text order, with its row id and review."""
    def q(sql: str) -> list[dict[str, Any]]:
        return [dict(r) for r in conn.execute(sql, (report_id,))]

    return {
        "mentions": q('SELECT id, kind, entity_id, name, text, start, "end", sentence, attrs, rule,'
                      ' origin, review FROM mentions WHERE report_id = ? ORDER BY start'),
        "amounts": q('SELECT id, idx, kind, text, start, "end", sentence, min, max, currency, unit,'
                     ' qualifier, per, usd, usd_rate_date, rule, origin, review FROM amounts'
                     ' WHERE report_id = ? ORDER BY start'),
        "dates": q('SELECT id, text, start, "end", sentence, value, granularity, rule, origin,'
                   ' review FROM dates WHERE report_id = ? ORDER BY start'),
        "attributions": q('SELECT id, text, start, "end", sentence, kind, outlet, holder, rule,'
                          ' origin, review FROM attributions WHERE report_id = ? ORDER BY start'),
        "events": q('SELECT id, type, trigger, start, "end", sentence, date, attribution_kind,'
                    ' attribution_holder, negated, hedged, facts, rule, origin, review FROM events'
                    ' WHERE report_id = ? ORDER BY start'),
    }

