"""The web benchmark's store generator (bench/bigstore.py) makes a store whose rows agree.

The benchmark's numbers mean something only if the big store is a store the app could have made:
every report indexed for search, every fact inside an existing report and sentence with its text
at its offsets, incidents and watch hits built, and a copy's facts the ones extraction gives.
Not a timing test. All texts are invented (bench/bigstore.py).
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest

from borderwatch.extract.pipeline import extract
from borderwatch.store import open_db, queries
from tests.store.storehelp import assert_search_index_covers

ROOT = Path(__file__).resolve().parents[2]
FACT_TABLES = ("mentions", "amounts", "dates", "attributions", "events")


def _load():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bw_bench_bigstore",
                                                  ROOT / "bench" / "bigstore.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up while being made
    spec.loader.exec_module(mod)
    return mod


bigstore = _load()
N_REPORTS = 200


@pytest.fixture(scope="module")
def templates():
    return bigstore.make_templates(12)


@pytest.fixture(scope="module")
def store(templates, tmp_path_factory):
    path = tmp_path_factory.mktemp("bigstore") / "store.db"
    counts = bigstore.build_store(path, N_REPORTS, templates)
    conn = sqlite3.connect(path)
    yield conn, counts
    conn.close()


def one(conn, sql, *params):
    return conn.execute(sql, params).fetchone()[0]


def test_bigstore_every_report_is_in_the_search_index(store):
    conn, counts = store
    assert counts["reports"] == N_REPORTS == one(conn, "SELECT count(*) FROM reports")
    # the watchlists' run synced the index: nothing waits for it, and it holds every report
    assert counts["search_queued"] == 0 == one(conn, "SELECT count(*) FROM search_queue")
    db = conn.execute("PRAGMA database_list").fetchone()[2]
    assert_search_index_covers(db)
    # each report's own code finds it, and only it
    app = open_db(db, create=False)
    for i in (0, 57, N_REPORTS - 1):
        titles = [r["title"] for r in queries.search(app, bigstore.code(i), limit=10).items]
        assert len(titles) == 1 and bigstore.code(i) in titles[0]
    app.close()


def test_bigstore_ids_titles_and_dates_vary(store):
    conn, _ = store
    assert one(conn, "SELECT count(DISTINCT id) FROM reports") == N_REPORTS
    assert one(conn, "SELECT count(DISTINCT title) FROM reports") == N_REPORTS
    lo, hi = conn.execute("SELECT min(published), max(published) FROM reports").fetchone()
    assert "2015-01-01" <= lo < "2017-01-01" and "2023-01-01" <= hi <= "2024-12-31"
    assert one(conn, "SELECT count(DISTINCT outlet) FROM reports") >= 4


@pytest.mark.parametrize("table", FACT_TABLES)
def test_bigstore_every_fact_points_at_its_report_sentence_and_text(store, table):
    conn, _ = store
    assert one(conn, f"SELECT count(*) FROM {table}") > 0
    assert one(conn, f"SELECT count(*) FROM {table} f LEFT JOIN reports r ON r.id = f.report_id"
                     " WHERE r.id IS NULL") == 0
    assert one(conn, f"SELECT count(*) FROM {table} f LEFT JOIN sentences s"
                     " ON s.report_id = f.report_id AND s.idx = f.sentence"
                     " WHERE s.idx IS NULL") == 0
    column = "trigger" if table == "events" else "text"
    # the code swapped into the headline keeps every span at its characters
    assert one(conn, f"SELECT count(*) FROM {table} f JOIN reports r ON r.id = f.report_id"
                     f' WHERE substr(r.text, f.start + 1, f."end" - f.start)'
                     f" <> f.{column}") == 0


def test_bigstore_incidents_watchlists_reviews_and_copies_are_built(store):
    conn, counts = store
    assert counts["incidents"] > 0
    assert one(conn, "SELECT count(*) FROM incident_events ie"
                     " LEFT JOIN events e ON e.id = ie.event_id WHERE e.id IS NULL") == 0
    assert counts["watchlists"] == 5 and counts["watch_hits"] > 0
    assert one(conn, "SELECT count(*) FROM events WHERE review = 'rejected'") > 0
    assert counts["near_duplicates"] > 0  # the writer linked the syndicated copies itself
    assert one(conn, "SELECT count(*) FROM extractions") == N_REPORTS


def test_bigstore_copy_has_the_facts_extraction_gives(templates):
    """A copy at its template's date is exactly what the real pipeline extracts from its text."""
    for k, t in enumerate(templates[:4]):
        doc = t.sheet.document
        copy = bigstore.copy_sheet(t, 1000 + k, doc.published, doc.outlet, "bench-test")
        assert copy.document.id != doc.id and bigstore.code(1000 + k) in copy.document.text
        assert extract(copy.document).to_dict() == copy.to_dict()


def test_bigstore_moved_copy_keeps_its_dates_near_its_publication(templates):
    t = templates[0]
    copy = bigstore.copy_sheet(t, 7, "2016" + t.sheet.document.published[4:], None, "bench-test")
    for d in copy.dates:
        if d.value:
            assert d.value[:4] in ("2014", "2015", "2016", "2017")
