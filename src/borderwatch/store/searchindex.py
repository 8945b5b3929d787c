"""The search index: a Tantivy index beside the store, rebuilt from it and kept in step with it.

Why not SQLite's own FTS5? At 200,000 reports a common word matches ~180,000 of them, and FTS5
scores every match to rank the best 20 (bm25() reads each match's column sizes): 150-500 ms
however the query is written. Tantivy skips whole blocks of postings that cannot reach the
top 20 (block-max WAND) and counts matches from its postings alone: the same queries answer in
a few milliseconds with exact totals (bench/search_bench.py, README "Search at scale").

The store stays the record. The index folder (`<db>.search/`) holds nothing the store does not:
delete it and the next search rebuilds it (`borderwatch reindex` does so at once). Keeping the
two in step survives `kill -9` at any moment because the store says what the index still
lacks: triggers (migration 0020) put the pk of every report written, changed or deleted into
`search_queue` in the same transaction as the change, and `sync` empties that queue only after
the index has committed what it read. A crash before the index commit leaves the queue as it
was; a crash after it, before the queue is emptied, makes the next sync apply the same rows
again, which is harmless (a report is deleted by pk before it is added).

Queries arrive as the FTS5 syntax store/searchquery.fts_query writes (the one place that reads
what an analyst types), and are translated here with the same meaning: words and prefixes,
"phrases", AND / OR / NOT with FTS5's precedence, title:word, a Korean word as a prefix. NEAR
groups are searched as all their words anywhere in the report (a looser match than FTS5's).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from borderwatch.store.db import store_file
from borderwatch.store.searchtree import Leaf, Node, parse

# Bump when the schema, the analyzer or what a document holds changes: the index is rebuilt.
INDEX_VERSION = "1"
ANALYZER = "bw"
TITLE_BOOST = 5.0  # as in SQLite's bm25(reports_fts, 5.0, 1.0): a match in the title counts 5x
HIGHLIGHT_TERMS = 200  # words a prefix may open that snippets mark
SYNC_BATCH = 2000  # reports read from the store at a time
COMMIT_EVERY = 20_000  # reports applied between index commits (and queue deletes)
WRITER_HEAP = 64_000_000
WRITER_THREADS = 2  # indexing threads beside the Python that reads the store
UNDATED_LAST = 99_999_999  # published_asc of an undated report: after every date
LOCK_WAIT_S = 30.0  # how long a sync waits for another process's index writer
SEARCH_WAIT_S = 0.5  # ... when a search asks for it


class IndexBusy(RuntimeError):
    """Another process holds the index writer longer than LOCK_WAIT_S."""


def _analyzer() -> Any:
    """Words as FTS5's 'porter unicode61 remove_diacritics 2' makes them: split at anything
    that is not a letter or digit (Hangul and Chinese runs stay whole), lower case, accents
    folded, English stems."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build())


def _schema() -> Any:
    b = tantivy.SchemaBuilder()
    b.add_integer_field("pk", indexed=True, fast=True)  # i64: deletes by term match it
    b.add_text_field("title", tokenizer_name=ANALYZER)
    b.add_text_field("text", tokenizer_name=ANALYZER)
    b.add_text_field("outlet", tokenizer_name="raw")  # lower-cased: the filters ignore case
    b.add_text_field("language", tokenizer_name="raw")
    b.add_text_field("tag", tokenizer_name="raw")  # one value per tag
    b.add_integer_field("published", indexed=True, fast=True)  # day_number(); 0 undated
    b.add_integer_field("published_asc", fast=True)  # the same, undated last when ascending
    b.add_integer_field("words", fast=True)
    return b.build()


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def day_number(published: str | None) -> int:
    """A publication date (YYYY[-MM[-DD]]) as an integer in the order of its text: 2022 ->
    20220000, 2022-07 -> 20220700, 2022-07-15 -> 20220715, so a coarser date sorts before
    the days it holds, as "2022-07" sorts before "2022-07-01". 0 undated, -1 unreadable."""
    if not published:
        return 0
    m = _DATE.match(published)
    if not m:
        return -1
    return int(m[1]) * 10000 + int(m[2] or 0) * 100 + int(m[3] or 0)


def period_bounds(since: str | None, until: str | None) -> tuple[int | None, int | None]:
    """store/periods.period_sql's period as inclusive day_number bounds: "since" compares as
    text (a coarser date than the bound is out), "until" keeps all of its period."""
    lo = day_number(since) if since else None
    hi = None
    if until:
        m = _DATE.match(until)
        if m:
            y, mo, d = int(m[1]), int(m[2] or 0), int(m[3] or 0)
            hi = y * 10000 + 9999 if not mo else y * 10000 + mo * 100 + 99 if not d else day_number(until)
    return lo, hi


# --- the index -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IndexFilters:
    """The filters the index holds (the rest are applied in SQL)."""

    outlet: str | None = None
    language: str | None = None
    tag: str | None = None
    since: str | None = None
    until: str | None = None
    undated: bool = False


@dataclass(slots=True)
class Hits:
    total: int
    hits: list[tuple[int, float]]  # (pk, score) in order


class SearchIndex:
    """One store's index: open it with `for_connection`, search it with `search`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.schema = _schema()
        self._lock = threading.Lock()
        self.analyzer = _analyzer()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, str(path), reuse=True)
        else:
            self.index = tantivy.Index(self.schema)
        self.index.register_tokenizer(ANALYZER, self.analyzer)

    # -- keeping in step with the store --

    @staticmethod
    def stale(path: Path | None) -> bool:
        """True when the folder holds no index of this version (missing, older, damaged)."""
        if path is None:
            return False
        try:
            return (path / "borderwatch-version").read_text() != INDEX_VERSION
        except OSError:
            return True

    def sync(self, conn: sqlite3.Connection, wait_s: float = LOCK_WAIT_S,
             fresh: bool = False) -> int:
        """Apply every queued report to the index; return how many. Safe to kill at any point
        (see the module docstring). `fresh`: the index was emptied first, so a report is
        deleted from it only if this pass added it already (queued again meanwhile)."""
        if conn.execute("SELECT 1 FROM search_queue LIMIT 1").fetchone() is None:
            return 0
        with self._lock:
            writer = self._writer(wait_s)
            done = 0
            added: set[int] | None = set() if fresh else None
            def commit(writer: Any, applied: list[tuple[int, int]]) -> None:
                writer.commit()
                with conn:  # only what was read: a report queued again since stays queued
                    conn.executemany("DELETE FROM search_queue WHERE pk = ? AND seq = ?", applied)

            try:
                while True:  # passes over the queue in pk order, until one finds nothing
                    last, applied = -1, []
                    while True:
                        queued = [(q[0], q[1]) for q in conn.execute(
                            "SELECT pk, seq FROM search_queue WHERE pk > ? ORDER BY pk LIMIT ?",
                            (last, SYNC_BATCH))]
                        if not queued:
                            break
                        self._apply(conn, writer, [q[0] for q in queued], added)
                        applied += queued
                        done += len(queued)
                        last = queued[-1][0]
                        if len(applied) >= COMMIT_EVERY:  # an index commit is costly: not often
                            commit(writer, applied)
                            applied = []
                    if not applied and last == -1:
                        break
                    if applied:
                        commit(writer, applied)
                writer.wait_merging_threads()
            finally:
                del writer
            self.index.reload()
            return done

    def _writer(self, wait_s: float) -> Any:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return self.index.writer(WRITER_HEAP, WRITER_THREADS)
            except ValueError as exc:  # another process is writing the index
                if time.monotonic() >= deadline:
                    raise IndexBusy(f"the search index is busy: {exc}") from exc
                time.sleep(0.05)

    def _apply(self, conn: sqlite3.Connection, writer: Any, pks: list[int],
               added: set[int] | None = None) -> None:
        rows = {r[0]: r for r in conn.execute(
            "SELECT pk, title, text, outlet, language, published, words,"
            " (SELECT json_group_array(tag) FROM report_tags t WHERE t.report_id = r.id)"
            f" FROM reports r WHERE pk IN ({','.join('?' * len(pks))})", pks)}
        for pk in pks:
            if added is None or pk in added:
                writer.delete_documents_by_term("pk", pk)
            elif pk in rows:
                added.add(pk)
            row = rows.get(pk)
            if row is None:
                continue  # deleted from the store
            _, title, text, outlet, language, published, words, tags = row
            doc = tantivy.Document()
            doc.add_integer("pk", pk)
            doc.add_text("title", title or "")
            doc.add_text("text", text or "")
            if outlet:
                doc.add_text("outlet", outlet.lower())
            if language:
                doc.add_text("language", language.lower())
            for tag in json.loads(tags or "[]"):
                doc.add_text("tag", tag.lower())
            day = day_number(published)
            doc.add_integer("published", day)
            doc.add_integer("published_asc", day if day else UNDATED_LAST)
            doc.add_integer("words", words or 0)
            writer.add_document(doc)

    def rebuild(self, conn: sqlite3.Connection) -> int:
        """Every report indexed afresh (`borderwatch reindex`)."""
        with self._lock:
            writer = self._writer(LOCK_WAIT_S)
            writer.delete_all_documents()
            writer.commit()
            del writer
        with conn:
            conn.execute("INSERT OR REPLACE INTO search_queue(pk, seq) SELECT pk, 0 FROM reports")
        # From here the folder and the queue together hold the store: mark the folder valid
        # before the long sync, so another process does not take it for a broken one.
        if self.path is not None:
            (self.path / "borderwatch-version").write_text(INDEX_VERSION)
        return self.sync(conn, fresh=True)

    # -- searching --

    def words(self, text: str) -> list[str]:
        return [str(t) for t in self.analyzer.analyze(text)]

    def query(self, match: str, f: IndexFilters = IndexFilters()) -> Any:
        """The tantivy query for an FTS5 query and the index's filters."""
        q = self._node(parse(match))
        filters = self._filters(f)
        if not filters:
            return q
        occ = tantivy.Occur
        return tantivy.Query.boolean_query(
            [(occ.Must, q)] + [(occ.Must, tantivy.Query.const_score_query(x, 0.0)) for x in filters])

    def _filters(self, f: IndexFilters) -> list[Any]:
        Q, s = tantivy.Query, self.schema
        out = []
        for name, value in (("outlet", f.outlet), ("language", f.language), ("tag", f.tag)):
            if value:
                out.append(Q.term_query(s, name, value.lower(), index_option="basic"))
        if f.undated:
            out.append(Q.term_query(s, "published", 0))
        lo, hi = period_bounds(f.since, f.until)
        if lo is not None or hi is not None:
            out.append(Q.range_query(s, "published", tantivy.FieldType.Integer,
                                     lo if lo is not None else 1, hi))
        return out

    def _node(self, node: Leaf | Node, terms: Any = None) -> Any:
        occ, Q = tantivy.Occur, tantivy.Query
        if isinstance(node, Leaf):
            return self._leaf(node, terms)
        subs = [self._node(c, terms) for c in node.children]
        if node.op == "AND":
            return Q.boolean_query([(occ.Must, q) for q in subs])
        if node.op == "OR":
            return Q.boolean_query([(occ.Should, q) for q in subs])
        return Q.boolean_query([(occ.Must, subs[0]), (occ.MustNot, subs[1])])

    def _leaf(self, leaf: Leaf, terms: Any = None) -> Any:
        """One word, prefix or phrase in the title (5x) or the text. With `terms` (a searcher),
        a prefix is the words of the text it opens (at most HIGHLIGHT_TERMS): what the snippet
        generator can mark, where a regex query gives it nothing to mark."""
        Q, s = tantivy.Query, self.schema
        words: list[str | tuple[int, str]] = list(self.words(leaf.words))
        if not words:
            return Q.empty_query()

        def one(field: str) -> Any:
            if leaf.prefix and len(words) == 1 and terms is not None:
                opened = terms.terms_with_prefix(field, str(words[0]), limit=HIGHLIGHT_TERMS)
                return (Q.term_set_query(s, field, [t for t, _ in opened]) if opened
                        else Q.empty_query())
            if leaf.prefix and len(words) == 1:
                return Q.regex_query(s, field, re.escape(str(words[0])) + ".*")
            if leaf.prefix:
                return Q.phrase_prefix_query(s, field, words)
            if len(words) == 1:
                return Q.term_query(s, field, str(words[0]))
            return Q.phrase_query(s, field, words)

        if leaf.field:
            return one(leaf.field)
        return Q.boolean_query([(tantivy.Occur.Should, Q.boost_query(one("title"), TITLE_BOOST)),
                                (tantivy.Occur.Should, one("text"))])

    def search(self, query: Any, limit: int, offset: int = 0, order_by: str | None = None,
               ascending: bool = False) -> Hits:
        """Matching reports' (pk, score) best first (or by a fast field), and the exact total."""
        searcher = self.index.searcher()
        kwargs: dict[str, Any] = {}
        if order_by:
            kwargs = {"order_by_field": order_by,
                      "order": tantivy.Order.Asc if ascending else tantivy.Order.Desc}
        res = searcher.search(query, limit=max(limit, 1), offset=offset, count=True, **kwargs)
        hits = res.hits[:limit] if limit else []
        pks = searcher.fast_field_values("pk", [a for _, a in hits]) if hits else []
        total = res.count  # type: ignore[attr-defined]  # (missing from tantivy's stubs)
        return Hits(total, [(int(pk or 0), float(score) if not order_by else 0.0)
                            for pk, (score, _) in zip(pks, hits, strict=True)])

    def pks(self, query: Any, after: int | None = None, upto: int | None = None) -> list[int]:
        """Every matching report's pk, in pk order, with after < pk <= upto when given (the
        watchlists' marks: store/watchlists.py). Unscored: ordered by the pk fast field."""
        if after is not None or upto is not None:
            lo = after + 1 if after is not None else None
            pk_range = tantivy.Query.range_query(self.schema, "pk", tantivy.FieldType.Integer,
                                                 lo, upto)
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query),
                                                 (tantivy.Occur.Must, pk_range)])
        searcher = self.index.searcher()
        total = searcher.search(query, limit=1, count=True).count  # type: ignore[attr-defined]
        if not total:
            return []
        res = searcher.search(query, limit=total, order_by_field="pk", order=tantivy.Order.Asc)
        return [int(pk or 0) for pk in searcher.fast_field_values("pk", [a for _, a in res.hits])]

    def snippet_maker(self, match: str) -> Any:
        """Snippets of the text marked with the words an FTS5 query matches."""
        searcher = self.index.searcher()
        query = self._node(parse(match), searcher)
        gen = tantivy.SnippetGenerator.create(searcher, query, self.schema, "text")
        gen.set_max_num_chars(120)
        return gen


_CHECKER: SearchIndex | None = None


def check_query(match: str) -> None:
    """Read an FTS5 query (as fts_query writes it) as the index would search it, without any
    store: ValueError when it cannot be searched (a watchlist's query is checked when saved)."""
    global _CHECKER
    with _OPEN_LOCK:
        if _CHECKER is None:
            _CHECKER = SearchIndex(None)  # an empty index in memory: its schema and analyzer
        checker = _CHECKER
    checker.query(match)


def snippet(gen: Any, text: str, mark: tuple[str, str]) -> str:
    """The part of `text` around its best-matching words, those words between the marks, '…'
    where text was cut (as FTS5's snippet() writes it)."""
    snip = gen.snippet_from_doc(tantivy.Document(text=text))
    frag = snip.fragment()
    if not frag:
        return text[:120] + ("…" if len(text) > 120 else "")
    raw = frag.encode()  # the highlighted ranges count bytes of UTF-8, not characters
    out, last = [], 0
    for r in snip.highlighted():
        out += [raw[last:r.start].decode(errors="replace"), mark[0],
                raw[r.start:r.end].decode(errors="replace"), mark[1]]
        last = r.end
    out.append(raw[last:].decode(errors="replace"))
    body = "".join(out)
    start = text.find(frag)
    lead = "…" if start > 0 else ""
    tail = "…" if start < 0 or start + len(frag) < len(text) else ""
    return lead + body + tail


# --- one index per store, per process ---------------------------------------------------------

_OPEN: dict[str, SearchIndex] = {}
_OPEN_LOCK = threading.Lock()


def index_path(conn: sqlite3.Connection) -> Path | None:
    """The index folder beside the store's file (None for an in-memory store)."""
    file = store_file(conn)
    return Path(file + ".search") if file else None


def for_connection(conn: sqlite3.Connection, sync: bool = True,
                   wait_s: float = SEARCH_WAIT_S) -> SearchIndex:
    """The store's index, rebuilt if missing or of another version, and (with `sync`) with
    every report the store queued for it applied, unless another process holds the index
    writer for longer than `wait_s` (a search does not wait for an ingest to finish syncing).
    An in-memory store gets an in-memory index made afresh (nothing identifies it to cache)."""
    path = index_path(conn)
    if path is None:
        idx = SearchIndex(None)
        idx.rebuild(conn)
        return idx
    with _OPEN_LOCK:
        cached = _OPEN.get(str(path))
        if cached is not None and not SearchIndex.stale(path):
            idx = cached
        else:
            idx = _OPEN[str(path)] = _opened(conn, path)
    if sync:
        # another process applying the queue: what it has committed is searched
        with suppress(IndexBusy):
            idx.sync(conn, wait_s)
    idx.index.reload()  # commits by other processes (ingest) become visible
    return idx


def _opened(conn: sqlite3.Connection, path: Path) -> SearchIndex:
    """The index in `path`, or a new one built from the store when the folder holds none of
    this version, or one Tantivy cannot open (another schema, damaged files)."""
    if not SearchIndex.stale(path):
        try:
            return SearchIndex(path)
        except ValueError:
            pass
    shutil.rmtree(path, ignore_errors=True)
    idx = SearchIndex(path)
    idx.rebuild(conn)
    return idx


def forget(conn: sqlite3.Connection) -> None:
    """Drop this process's handle on the store's index (before its folder is removed)."""
    with _OPEN_LOCK:
        _OPEN.pop(str(index_path(conn)), None)


def reindex(conn: sqlite3.Connection) -> int:
    """Rebuild the store's index from the store; the number of reports indexed."""
    path = index_path(conn)
    forget(conn)
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
    idx = SearchIndex(path)
    n = idx.rebuild(conn)
    if path is not None:
        with _OPEN_LOCK:
            _OPEN[str(path)] = idx
    return n


__all__ = ["Hits", "IndexBusy", "IndexFilters", "SearchIndex", "check_query", "day_number",
           "for_connection", "index_path", "parse", "period_bounds", "reindex", "snippet"]
