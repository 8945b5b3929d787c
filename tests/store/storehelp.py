"""Helpers for store tests: documents made from invented text through the real clean stage,
and the FTS5 table the search index is compared with (bench/fts5.py)."""

import importlib.util
from functools import cache
from pathlib import Path

from borderwatch.clean import make_document
from borderwatch.clean.fingerprint import fingerprint
from borderwatch.model import Report


def doc(body: str, source: str = "t.txt", **meta):
    """A cleaned Document from an invented body."""
    return make_document(Report(source=source, body=body, format="text", **meta))


def store(writer, d):
    """Store a document with its real fingerprint."""
    return writer.store(d, fingerprint(d.text))


# An invented report body long enough for shingles to mean something.
BODY = (
    "Customs officers in the invented town of Eastbridge have started weighing every sack of "
    "rice that crosses the river, a trader told the newsroom on Tuesday. The new rule came "
    "after a month in which smugglers moved sugar, diesel and mobile phones at night, he said. "
    "Prices of flour in the market rose sharply in the following week, and several families "
    "stopped buying cooking oil altogether. Local officials have not commented on the measure. "
    "The trader said that brokers now charge twice as much for each crossing and that few people "
    "are willing to take the risk while patrols continue along the riverbank every evening."
)


@cache
def fts5():
    """bench/fts5.py: an FTS5 table over the reports as the store kept one until migration
    0022, the reference the search index must answer like."""
    path = Path(__file__).resolve().parents[2] / "bench" / "fts5.py"
    spec = importlib.util.spec_from_file_location("bw_bench_fts5", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fts5_ids(conn, match):
    """Ids of the reports FTS5 matches now: its table is made afresh from the store (in the
    connection's temp schema: the store file is untouched)."""
    return fts5().ids(conn, match, fts5().build(conn, "oracle_fts", temp=True))


def assert_search_index_covers(db) -> None:
    """Every report of the store at `db` is in its search index or waits for it in
    `search_queue` (what a kill at any moment must leave: the next sync applies the queue).
    Read only: the index folder is opened, never written."""
    import sqlite3

    import tantivy

    from borderwatch.store import searchindex

    c = sqlite3.connect(db)
    pks = {r[0] for r in c.execute("SELECT pk FROM reports")}
    queued = {r[0] for r in c.execute("SELECT pk FROM search_queue")}
    c.close()
    path = Path(f"{db}.search")
    indexed = (set() if searchindex.SearchIndex.stale(path)
               else set(searchindex.SearchIndex(path).pks(tantivy.Query.all_query())))
    assert pks <= queued | indexed, sorted(pks - queued - indexed)[:10]
