"""kill -9 in the middle of a large ingest leaves a consistent store; re-running completes it."""

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from ..conftest import BW

N = 600


def _count(db):
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        n = c.execute("SELECT count(*) FROM reports").fetchone()[0]
        c.close()
        return n
    except sqlite3.Error:
        return 0


def _check_consistent(db):
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    c.execute("INSERT INTO reports_fts(reports_fts) VALUES ('integrity-check')")
    assert c.execute("PRAGMA foreign_key_check").fetchall() == []
    # every stored report is whole: sentences, fingerprint, source, index entry
    for table in ("sentences", "report_minhash", "report_sources"):
        missing = c.execute(
            f"SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.report_id = r.id)"
        ).fetchone()[0]
        assert missing == 0, table
    n = c.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert c.execute("SELECT count(*) FROM reports_fts").fetchone()[0] == n
    c.close()
    return n


@pytest.mark.slow
def test_kill_9_twice_then_rerun_completes_without_duplicates(tmp_path, corpus):
    folder = tmp_path / "corpus"
    corpus.write_text(folder, N)
    db = tmp_path / "k.db"
    cmd = [BW, "ingest", str(folder), "--db", str(db), "-q"]
    seen = []
    for target in (100, 300):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while _count(db) < target and proc.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before it could be killed; raise N"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        seen.append(_check_consistent(db))
    assert 0 < seen[0] <= seen[1] < N
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _check_consistent(db) == N
    c = sqlite3.connect(db)
    assert c.execute("SELECT count(*) FROM inputs").fetchone()[0] == N
    assert c.execute("SELECT count(DISTINCT source) FROM report_sources").fetchone()[0] == N
    statuses = [r[0] for r in c.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["running", "running", "completed"]  # killed runs never reached their end


@pytest.mark.slow
def test_ctrl_c_keeps_what_was_stored_and_marks_the_run_interrupted(tmp_path, corpus):
    folder = tmp_path / "corpus"
    corpus.write_text(folder, 500)
    db = tmp_path / "c.db"
    proc = subprocess.Popen([BW, "ingest", str(folder), "--db", str(db), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while _count(db) < 100 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    n = _check_consistent(db)
    assert 100 <= n < 500
    c = sqlite3.connect(db)
    assert c.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"
    assert c.execute("SELECT stored FROM runs").fetchone()[0] == n
