"""The writer's cheaper writes (issue 11) store what one report at a time stored.

A batch of reports writes each fact table in one statement per report, gives events and claims
their ids itself and derives the batch's claims once before it commits (store/writer.py,
store/facts.py, store/claim_table.py); migration 0019 keeps an event's first place and good in
columns and its day given by the writer. Whatever the batch size, the rows are the same, and
every writer (reviews, undo, migrations) keeps the columns equal to the facts they come from.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from borderwatch.clean import read_documents
from borderwatch.clean.fingerprint import fingerprint
from borderwatch.ingest import ReadOptions
from borderwatch.ingest.sources import iter_inputs
from borderwatch.model import Document, RawInput
from borderwatch.store import open_db
from borderwatch.store.facts import FactRows, fact_rows, write_facts
from borderwatch.store.migrate import _statements, available_migrations, current_version
from borderwatch.store.review import add_event, correct_event
from borderwatch.store.undo import undo_review
from borderwatch.store.writer import Writer
from borderwatch.workers import extractor

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "reports"
# columns whose values are the time of writing
CLOCK = {"ingested_at", "extracted_at", "first_seen", "at", "stored_at", "applied_at",
         "started_at", "changed_at"}


def _documents() -> list[Document]:
    """Every invented example report that can be read without the network (no feeds)."""
    docs = []
    for item in iter_inputs([str(p) for p in sorted(EXAMPLES.iterdir())
                             if p.suffix not in (".xml", ".atom")], ReadOptions(), None, None):
        assert isinstance(item, RawInput)
        docs += [d for d in read_documents(item, ReadOptions(), None) if isinstance(d, Document)]
    assert len(docs) >= 15
    return docs


def _write(path: Path, docs: list[Document], commit_every: int, as_rows: bool = False) -> sqlite3.Connection:
    """Store `docs` through the writer; `as_rows`: their facts as an ingest worker hands them
    over (store/facts.FactRows), not as fact sheets."""
    conn = open_db(path)
    run = conn.execute("INSERT INTO runs(started_at, command) VALUES ('then', 'test')").lastrowid
    writer = Writer(conn, run, batch_size=10_000, batch_seconds=10_000)
    made = extractor(lambda f: None)
    for n, doc in enumerate(docs, 1):
        sheet = made(doc)
        if as_rows and sheet is not None:
            sheet = fact_rows(sheet[0]), sheet[1]
        writer.store(doc, fingerprint(doc.text), made=sheet)
        if n % commit_every == 0:
            writer.commit()
    writer.commit()
    return conn


def _dump(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table, without clock columns, sorted."""
    out = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                 " AND name NOT LIKE 'sqlite_%'"):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in CLOCK]
        rows = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM {table}").fetchall()
        out[table] = sorted((tuple(r) for r in rows), key=repr)
    return out


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return _documents()


def test_one_batch_stores_the_rows_one_report_per_transaction_stores(docs, tmp_path):
    one_by_one = _dump(_write(tmp_path / "a.db", docs, commit_every=1))
    batched = _dump(_write(tmp_path / "b.db", docs, commit_every=len(docs)))
    in_threes = _dump(_write(tmp_path / "c.db", docs, commit_every=3))
    assert len(one_by_one["events"]) > 50 and len(one_by_one["claims"]) > 10
    assert len(one_by_one["claim_places"]) > 0 and len(one_by_one["event_entities"]) > 50
    assert batched == one_by_one
    assert in_threes == one_by_one


def _disagreeing(conn: sqlite3.Connection) -> int:
    """Events whose columns are not what their facts and report say."""
    return conn.execute(
        "SELECT count(*) FROM events e JOIN reports r ON r.id = e.report_id"
        " WHERE e.place IS NOT json_extract(e.facts, '$.places[0]')"
        " OR e.good IS NOT json_extract(e.facts, '$.commodities[0]')"
        " OR e.day IS NOT coalesce(e.date, r.published)").fetchone()[0]


def test_event_columns_follow_facts_through_reviews_and_undo(docs, tmp_path):
    conn = _write(tmp_path / "r.db", docs, commit_every=len(docs))
    assert conn.execute("SELECT count(*) FROM events WHERE place IS NOT NULL").fetchone()[0] > 20
    assert conn.execute("SELECT count(*) FROM events WHERE good IS NOT NULL").fetchone()[0] > 5
    assert conn.execute("SELECT count(*) FROM events WHERE day IS NOT NULL").fetchone()[0] > 20
    assert _disagreeing(conn) == 0
    eid, rid = conn.execute("SELECT id, report_id FROM events WHERE place IS NOT NULL"
                            " ORDER BY id LIMIT 1").fetchone()
    correct_event(conn, eid, {"places": "Hyesan", "commodities": "coal"}, "ana")
    review = conn.execute("SELECT max(id) FROM reviews").fetchone()[0]
    assert tuple(conn.execute("SELECT place, good FROM events WHERE id = ?", (eid,)).fetchone()) == (
        "place:hyesan", "commodity:coal")
    start, end = conn.execute('SELECT start, "end" FROM sentences WHERE report_id = ?'
                              " ORDER BY idx LIMIT 1", (rid,)).fetchone()
    added = add_event(conn, rid, start, end, "trade", "ana", places=["Sinuiju"], date="2020-05-04")
    assert tuple(conn.execute("SELECT place, good, day FROM events WHERE id = ?",
                              (added,)).fetchone()) == (
        "place:sinuiju", None, "2020-05-04")
    assert _disagreeing(conn) == 0
    undo_review(conn, review, "ana")
    assert conn.execute("SELECT place FROM events WHERE id = ?", (eid,)).fetchone()[0] != "place:hyesan"
    assert _disagreeing(conn) == 0


def test_migration_0019_fills_the_columns_of_a_store_written_before_it(tmp_path):
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path, isolation_level=None)
    current_version(raw)
    for version, name, sql in available_migrations():
        if version >= 19:
            break
        for st in _statements(sql):
            raw.execute(st)
        raw.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (version, name))
    raw.execute("INSERT INTO reports(id, source, format, text, words, ingested_at, published)"
                " VALUES ('r1', 'invented.txt', 'text', 'Invented text.', 2, 'then', '2021-03-04')")
    raw.execute("INSERT INTO sentences VALUES ('r1', 0, 0, 14)")
    for i, (places, goods, date) in enumerate([(["place:hyesan", "place:musan"], ["commodity:coal"], None),
                                               ([], [], "2020-01-02"), (["place:sinuiju"], [], None)]):
        raw.execute('INSERT INTO events(report_id, idx, type, trigger, start, "end", sentence,'
                    " date, facts, rule) VALUES ('r1', ?, 'trade', 'x', 0, 1, 0, ?, ?, 'invented')",
                    (i, date, json.dumps({"places": places, "commodities": goods})))
    raw.close()
    conn = open_db(path)
    conn.row_factory = None
    assert current_version(conn) == available_migrations()[-1][0]
    assert conn.execute("SELECT place, good, day FROM events ORDER BY idx").fetchall() == [
        ("place:hyesan", "commodity:coal", "2021-03-04"), (None, None, "2020-01-02"),
        ("place:sinuiju", None, "2021-03-04")]
    assert _disagreeing(conn) == 0


def test_an_event_put_back_from_a_snapshot_without_its_columns_gets_them(docs, tmp_path):
    """Migration 0021 took the insert triggers away: an undo that puts an event back from a
    snapshot older than the day, place and good columns fills them (store/facts.EVENT_COLUMNS)."""
    from borderwatch.store.undo import _restore

    conn = _write(tmp_path / "r.db", docs[:4], commit_every=4)
    row = conn.execute("SELECT * FROM events WHERE place IS NOT NULL AND date IS NULL"
                       " ORDER BY id LIMIT 1").fetchone()
    assert row is not None
    eid, rid = row["id"], row["report_id"]
    expected = (row["day"], row["place"], row["good"])
    assert expected[0] == conn.execute("SELECT published FROM reports WHERE id = ?", (rid,)).fetchone()[0]
    before = {k: v for k, v in dict(row).items() if k not in ("day", "place", "good")}
    conn.execute("DELETE FROM event_entities WHERE event_id = ?", (eid,))
    conn.execute("DELETE FROM events WHERE id = ?", (eid,))
    _restore(conn, {"table": "events", "key": {"id": eid}, "before": before, "after": None})
    assert tuple(conn.execute("SELECT day, place, good FROM events WHERE id = ?",
                              (eid,)).fetchone()) == expected
    # the same insert without the fill leaves them empty: nothing else sets them any more
    conn.execute("DELETE FROM events WHERE id = ?", (eid,))
    names = ", ".join(f'"{c}"' for c in before)
    conn.execute(f"INSERT INTO events({names}) VALUES ({', '.join('?' * len(before))})",
                 list(before.values()))
    assert tuple(conn.execute("SELECT day, place, good FROM events WHERE id = ?",
                              (eid,)).fetchone()) == (None, None, None)


def test_rows_built_by_a_worker_store_what_the_fact_sheets_store(docs, tmp_path):
    """An ingest worker hands the writer rows, not fact sheets (issue 11): every row of every
    table is the same as when the writer builds them itself."""
    sheets = _dump(_write(tmp_path / "sheets.db", docs, commit_every=5))
    rows = _dump(_write(tmp_path / "rows.db", docs, commit_every=5, as_rows=True))
    assert sum(len(v) for k, v in sheets.items() if k in ("events", "mentions", "claims")) > 100
    assert rows == sheets


def test_rows_are_refused_for_a_report_that_may_hold_reviewed_facts(docs, tmp_path):
    """Rows are built without the store, so they cannot leave out a reviewed fact's span: they
    are for a report stored in the same transaction only."""
    conn = _write(tmp_path / "r.db", docs[:1], commit_every=1)
    sheet = extractor(lambda f: None)(docs[0])
    assert sheet is not None
    rows = fact_rows(sheet[0])
    assert isinstance(rows, FactRows) and rows.report_id == docs[0].id
    with pytest.raises(ValueError):
        write_facts(conn, rows, sheet[1], new_report=False)


def test_a_batch_has_time_left_only_while_it_is_open_and_young(docs, tmp_path, monkeypatch):
    """Writer.time_left tells the ingest loop how long it may wait for a worker with the write
    lock held: nothing when no batch is open, the batch's age subtracted, never below 0."""
    import borderwatch.store.writer as writer_module

    now = [1000.0]
    monkeypatch.setattr(writer_module.time, "monotonic", lambda: now[0])
    conn = open_db(tmp_path / "t.db")
    writer = Writer(conn, None, batch_seconds=0.5)
    assert writer.time_left() == 0.0  # no batch open: no lock held, nothing to wait for
    doc = docs[0]
    writer.store(doc, fingerprint(doc.text))
    assert conn.in_transaction and writer.time_left() == pytest.approx(0.5)
    now[0] += 0.2
    assert writer.time_left() == pytest.approx(0.3)
    now[0] += 5
    assert writer.time_left() == 0.0
    writer.commit()
    assert not conn.in_transaction and writer.time_left() == 0.0


def test_a_writer_gives_the_connection_back_its_own_page_cache(tmp_path):
    """The writer's 64 MiB page cache is for its run: a pooled web connection that re-extracted
    one report must not keep it (each of the server's connections would grow to 64 MiB)."""
    from borderwatch.store.writer import WRITER_CACHE_MIB

    conn = open_db(tmp_path / "c.db")
    own = conn.execute("PRAGMA cache_size").fetchone()[0]
    writer = Writer(conn, None)
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -WRITER_CACHE_MIB * 1024 != own
    writer.close()
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == own
