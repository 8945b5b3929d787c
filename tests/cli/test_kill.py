"""kill -9 in the middle of a large ingest leaves a consistent store; re-running completes it."""

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from borderwatch.workers import HANG_MARKER_ENV, INPUTS_PER_WORKER

from ..conftest import BW
from ..store.storehelp import assert_search_index_covers
from .fined import write_fined_reports

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
    assert c.execute("PRAGMA foreign_key_check").fetchall() == []
    # every stored report is whole: sentences, fingerprint, source, search index entry
    for table in ("sentences", "report_minhash", "report_sources"):
        missing = c.execute(
            f"SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.report_id = r.id)"
        ).fetchone()[0]
        assert missing == 0, table
    n = c.execute("SELECT count(*) FROM reports").fetchone()[0]
    c.close()
    assert_search_index_covers(db)
    return n


def _workers_of(parents: list[int]) -> list[int]:
    """Processes whose command line says they are multiprocessing workers spawned by one of
    `parents` (their parent pid is gone after a kill, so match the spawn arguments instead)."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{d}/cmdline").read_bytes().decode(errors="replace")
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if "spawn_main" in cmd and (ppid in parents or ppid == 1):
            found.append(int(d))
    return found


@pytest.mark.slow
def test_kill_9_twice_then_rerun_completes_without_duplicates(tmp_path, corpus):
    folder = tmp_path / "corpus"
    corpus.write_text(folder, N)
    db = tmp_path / "k.db"
    # two workers and the writer, whatever the machine's cores (issue 11)
    cmd = [BW, "ingest", str(folder), "--db", str(db), "-q", "--workers", "2"]
    seen, killed = [], []
    for target in (100, 300):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        killed.append(proc.pid)
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
    # killed runs never reached their end; each next run found their process gone
    assert statuses == ["interrupted", "interrupted", "completed"]
    # the killed runs' worker processes ended with them
    deadline = time.time() + 10
    while _workers_of(killed) and time.time() < deadline:
        time.sleep(0.2)
    assert _workers_of(killed) == []



def _ctrl_c_delivered() -> None:
    """In the child, before it starts: SIGINT does what Ctrl-C does. A suite started in the
    background by a non-interactive shell (`make test &`, `nohup`) inherits SIGINT ignored, and
    Python keeps an ignored SIGINT ignored: the run would never see the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)

@pytest.mark.slow
def test_ctrl_c_keeps_what_was_stored_and_marks_the_run_interrupted(tmp_path, corpus):
    folder = tmp_path / "corpus"
    # far more reports than are stored before the signal: a faster ingest, or a test process
    # starved of CPU on a loaded machine, still finds the run unfinished when it lands
    total = 3000
    corpus.write_text(folder, total)
    db = tmp_path / "c.db"
    proc = subprocess.Popen([BW, "ingest", str(folder), "--db", str(db), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=_ctrl_c_delivered)
    deadline = time.time() + 120
    while _count(db) < 100 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    # the workers are stopped, not waited for (the test below): the wait is for a starved machine
    proc.wait(timeout=240)
    n = _check_consistent(db)
    assert 100 <= n < total
    c = sqlite3.connect(db)
    assert c.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"
    assert c.execute("SELECT stored FROM runs").fetchone()[0] == n



def test_ctrl_c_does_not_wait_for_a_worker_busy_with_its_report(tmp_path):
    """A worker in the middle of a report when Ctrl-C lands (here one that never finishes,
    through the test-only hook) is stopped, not waited for: nothing it holds would be written.
    Waiting for them kept an interrupted run alive as long as the report took."""
    folder = tmp_path / "in"
    n = INPUTS_PER_WORKER * 3
    write_fined_reports(folder, n, "HANG-HERE", n // 2)
    db = tmp_path / "h.db"
    proc = subprocess.Popen([BW, "ingest", str(folder), "--db", str(db), "--workers", "2", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, HANG_MARKER_ENV: "HANG-HERE"},
                            preexec_fn=_ctrl_c_delivered)
    try:
        # results are written in order: every report before the hanging one, then nothing;
        # they are visible because the writer waited for the stuck result only as long as its
        # batch had left (0.5 s), then committed rather than block with the lock held
        deadline = time.time() + 240
        while _count(db) < n // 2 and proc.poll() is None and time.time() < deadline:
            time.sleep(0.1)
        assert _count(db) == n // 2
        workers = _workers_of([proc.pid])
        assert workers  # the pool is up, one of them asleep on its report
        proc.send_signal(signal.SIGINT)
        # the hanging report sleeps an hour: a run that waited for its workers would not end
        proc.wait(timeout=120)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode != 0
    assert [w for w in workers if Path(f"/proc/{w}").exists()] == []
    assert _check_consistent(db) == n // 2
    c = sqlite3.connect(db)
    assert c.execute("SELECT status, stored + near_duplicate FROM runs").fetchone() == ("interrupted", n // 2)


_SLOW_REBUILD = r"""
import sys, time
from pathlib import Path
from borderwatch.store import incidents
from borderwatch.jobs import ingest
from borderwatch.ingest import ReadOptions
from borderwatch.store import open_db

def slow(conn, *a, **k):  # inside the regroup's transaction: say so, then hang until killed
    with incidents.transaction(conn):
        conn.execute("DELETE FROM incident_events")
        Path(sys.argv[3]).write_text("rebuilding")
        time.sleep(600)
incidents.rebuild_incidents = slow  # a store's first ingest is regrouped, a large one rebuilt
incidents.regroup_pending = slow
ingest(open_db(sys.argv[1]), [sys.argv[2]], ReadOptions(published="2024-06-01"))
"""


def test_kill_9_during_the_incident_regroup_then_an_unchanged_rerun_regroups(tmp_path):
    import sys

    from ..serve.webstore import ROOT

    db, marker = tmp_path / "k.db", tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_REBUILD, str(db), str(ROOT / "examples" / "reports"),
                             str(marker)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not marker.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the rebuild never started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    c = sqlite3.connect(db)
    assert c.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0  # killed before its first one
    # what the run stored is still noted for regrouping (migration 0023: by the writer, in the
    # batches' transactions; store/incidents.catch_up moves the notes in one transaction)
    noted = c.execute("SELECT (SELECT count(*) FROM incidents_due)"
                      " + (SELECT count(*) FROM incidents_pending WHERE kind = 'report')").fetchone()[0]
    assert noted == c.execute("SELECT count(DISTINCT report_id) FROM events").fetchone()[0] > 0
    assert c.execute("SELECT status FROM runs").fetchall() == [("running",)]
    c.close()
    again = subprocess.run([BW, "ingest", str(ROOT / "examples" / "reports"), "--db", str(db), "-q"],
                           capture_output=True, text=True, timeout=300)
    assert "stored 0" in again.stderr and "unchanged" in again.stderr, again.stderr
    c = sqlite3.connect(db)
    assert c.execute("SELECT count(*) FROM incidents").fetchone()[0] > 0  # regrouped though nothing was new
    assert c.execute("SELECT stale FROM derived_state WHERE name = 'incidents'").fetchone()[0] == 0
    assert c.execute("SELECT (SELECT count(*) FROM incidents_due)"
                     " + (SELECT count(*) FROM incidents_pending)").fetchone()[0] == 0
    assert [r[0] for r in c.execute("SELECT status FROM runs ORDER BY id")] == ["interrupted", "completed"]


def test_ingest_holds_no_write_lock_while_it_fetches(tmp_path, httpserver):
    """Issue 9, item 7: while an ingest waits on a slow download, another writer gets the lock
    at once (before, the batch's transaction stayed open through fetching and extraction)."""
    from werkzeug import Response

    page = ("<html><head><title>{t}</title></head><body><article><p>Invented test page. Customs "
            "officers in Hunchun turned back trucks of frozen fish on Thursday, a trader said, "
            "after inspectors found the cargo lacked the new certificates. {t}</p></article></body></html>")
    httpserver.expect_request("/a").respond_with_data(page.format(t="First"), content_type="text/html")

    def slow(_request):
        time.sleep(6)
        return Response(page.format(t="Second"), content_type="text/html")

    httpserver.expect_request("/b").respond_with_handler(slow)
    db = tmp_path / "w.db"
    proc = subprocess.Popen([BW, "ingest", httpserver.url_for("/a"), httpserver.url_for("/b"),
                             "--db", str(db), "-q", "--allow-private-urls"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while _count(db) < 1 and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # now fetching /b
    other = sqlite3.connect(db, timeout=0.5, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if the ingest holds the lock
    other.execute("INSERT INTO users(name, password_hash, created_at) VALUES ('x', 'y', 'z')")
    other.execute("COMMIT")
    other.close()
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert _count(db) == 2


def test_a_writer_that_cannot_get_the_lock_gets_one_clear_line(tmp_path):
    from borderwatch.store import open_db

    db = tmp_path / "busy.db"
    open_db(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        env = dict(os.environ, BORDERWATCH_BUSY_TIMEOUT="1")
        p = subprocess.run([BW, "user", "add", "second", "--db", str(db), "--password-stdin"],
                           input="invented password 2\n", capture_output=True, text=True, timeout=120, env=env)
    finally:
        holder.execute("ROLLBACK")
    assert p.returncode == 1
    assert "Traceback" not in p.stderr and "the store is busy" in p.stderr
