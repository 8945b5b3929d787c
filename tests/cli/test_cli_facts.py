"""extract, facts and reextract through the CLI on the invented samples."""

import json
import sqlite3

import pytest

from ..conftest import EXAMPLES, bw_json, run_bw


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("facts") / "f.db"
    p = run_bw("ingest", str(EXAMPLES), db=path)
    assert p.returncode == 0, p.stderr
    return path


def test_extract_jsonl_prints_one_sheet_per_report_in_input_order():
    files = [EXAMPLES / "dandong_customs_crackdown.txt", EXAMPLES / "border_briefs.jsonl"]
    p = run_bw("extract", *map(str, files), "--format", "jsonl")
    assert p.returncode == 0, p.stderr
    sheets = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(sheets) == 4
    assert sheets[0]["document"]["source"].endswith("dandong_customs_crackdown.txt")
    assert [s["document"]["source"].rsplit(":", 1)[-1] for s in sheets[1:]] == ["1", "2", "3"]
    assert all(s["schema"] == "borderwatch.factsheet/1" for s in sheets)


def test_extract_reports_unreadable_files_and_goes_on(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    p = run_bw("extract", str(bad), str(EXAMPLES / "dandong_customs_crackdown.txt"), "--format", "jsonl")
    assert p.returncode == 1
    assert "empty.txt" in p.stderr and len(p.stdout.splitlines()) == 1


@pytest.mark.parametrize("args,check", [
    (["--type", "smuggling"], lambda e: e["type"] == "smuggling"),
    (["--place", "Sinuiju"], lambda e: "place:sinuiju" in e["facts"]["places"]),
    (["--commodity", "coal"], lambda e: "commodity:coal" in e["facts"]["commodities"]),
    (["--source-kind", "anonymous"], lambda e: e["attribution_kind"] == "anonymous"),
    (["--since", "2023-01-01", "--until", "2023-12-31"], lambda e: (e["date"] or e["published"])[:4] == "2023"),
])
def test_facts_filters(db, args, check):
    out = bw_json("facts", *args, "--limit", "500", db=db)
    assert out["total"] > 0 and all(check(e) for e in out["events"])


def test_facts_unknown_type_is_a_usage_error(db):
    p = run_bw("facts", "--type", "picnic", db=db)
    assert p.returncode == 2 and "unknown event type" in p.stderr


def test_reextract_keeps_reviewed_facts_and_stale_skips_current(db):
    conn = sqlite3.connect(db)
    eid, = conn.execute("SELECT id FROM events WHERE type = 'smuggling' LIMIT 1").fetchone()
    conn.execute("UPDATE events SET review = 'accepted' WHERE id = ?", (eid,))
    conn.commit()
    total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    out = bw_json("reextract", "-q", db=db)
    assert out["reports"] == bw_json("stats", db=db)["reports"] and out["failed"] == 0
    assert conn.execute("SELECT review FROM events WHERE id = ?", (eid,)).fetchone()[0] == "accepted"
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == total
    assert bw_json("reextract", "--stale", "-q", db=db)["reports"] == 0


def test_reextract_never_holds_the_write_lock_while_extracting(tmp_path, monkeypatch):
    """Issue 9: extraction runs with no transaction open; the writer writes each chunk in one
    short transaction, and the facts come back the same as the first extraction's."""
    from borderwatch import jobs
    from borderwatch.ingest import ReadOptions
    from borderwatch.store import open_db

    conn = open_db(tmp_path / "s.db")
    jobs.ingest(conn, [str(EXAMPLES)], ReadOptions(published="2024-06-01"))
    before = conn.execute('SELECT report_id, type, start, "end" FROM events ORDER BY 1, 3, 2').fetchall()
    conn.execute("UPDATE extractions SET version = 'old'")
    conn.commit()
    real, open_while = jobs.extract_report, []

    def watched(doc):
        open_while.append(conn.in_transaction)
        return real(doc)

    monkeypatch.setattr(jobs, "extract_report", watched)
    s = jobs.reextract(conn, only_stale=True)
    assert s.reports == len(open_while) == conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert not any(open_while)
    assert not conn.in_transaction
    assert conn.execute('SELECT report_id, type, start, "end" FROM events ORDER BY 1, 3, 2').fetchall() == before
    assert conn.execute("SELECT count(DISTINCT version) FROM extractions").fetchone()[0] == 1
