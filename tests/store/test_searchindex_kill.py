"""kill -9 at any moment leaves the search index and the store consistent after the next start
(issue 11): real processes writing reports and syncing or rebuilding the index are killed at
many points, then a search must find exactly what an SQLite FTS5 table made from the store
after the kill finds (bench/fts5.py; the store kept one until migration 0022). All text invented."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from borderwatch.store import open_db, queries, searchindex

from .storehelp import fts5_ids

WORDS = ["coal", "rice", "copper", "diesel", "phones", "sugar", "flour", "yuan", "guards", "bribes"]
QUERIES = ["coal", "rice OR copper", '"border guards"', "diesel NOT sugar", "혜산", "flour AND yuan"]

# Writes reports in many small transactions and syncs the index after each: the process the
# test kills. Rows go straight into `reports` (the triggers fill the queue).
WRITER = r"""
import random, sys
from borderwatch.store import open_db, searchindex
words = sys.argv[2].split(",")
conn = open_db(sys.argv[1])
rng = random.Random(int(sys.argv[3]))
start = conn.execute("SELECT coalesce(max(pk), 0) FROM reports").fetchone()[0]
for batch in range(10_000):
    with conn:
        for i in range(50):
            n = start + batch * 50 + i + 1
            body = " ".join(rng.choice(words) for _ in range(30))
            body += " border guards" if n % 3 else " 혜산시에서"
            conn.execute("INSERT INTO reports(id, source, title, text, words, format, ingested_at)"
                         " VALUES (?, ?, ?, ?, 32, 'text', 'now')",
                         (f"inv{n:08d}", f"inv{n}.txt", f"Invented {rng.choice(words)}", body))
        if batch % 7 == 3:  # a change and a delete too
            conn.execute("UPDATE reports SET title = 'Invented copper' WHERE pk = ?", (n - 10,))
            conn.execute("DELETE FROM reports WHERE pk = ?", (n - 20,))
    searchindex.for_connection(conn)
"""


CLI = [sys.executable, "-c", "from borderwatch.cli import main; main()"]


def _env():
    src = Path(searchindex.__file__).resolve().parents[2]
    return {**os.environ, "PYTHONPATH": str(src)}


def _consistent(db: Path) -> int:
    """Open as the next start would; every query finds what FTS5 finds. Returns reports."""
    conn = open_db(db)
    searchindex.forget(conn)  # as a new process: nothing cached
    for q in QUERIES:
        match = queries._match(q)
        fts = fts5_ids(conn, match)
        page = queries.search(conn, q, limit=100_000)
        assert page.total == len(fts), q
        assert {r["id"] for r in page.items} == fts, q
    assert conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 0
    n = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    conn.close()
    return n


def _run_and_kill(args: list[str], after_s: float) -> None:
    proc = subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(after_s)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, -signal.SIGKILL), err.decode()


@pytest.mark.slow
def test_searchindex_kill9_while_writing_and_syncing(tmp_path):
    db = tmp_path / "k.db"
    open_db(db).close()
    rng = random.Random(11)
    counts = []
    for trial in range(8):
        _run_and_kill([sys.executable, "-c", WRITER, str(db), ",".join(WORDS), str(trial)],
                      rng.uniform(0.8, 3.0))
        counts.append(_consistent(db))
    assert counts[-1] > counts[0] > 0, "the writer got far enough to prove something"


@pytest.mark.slow
def test_searchindex_kill9_while_reindexing(tmp_path):
    db = tmp_path / "k.db"
    open_db(db).close()
    _run_and_kill([sys.executable, "-c", WRITER, str(db), ",".join(WORDS), "1"], 4.0)
    _consistent(db)
    t0 = time.perf_counter()
    subprocess.run([*CLI, "reindex", "--db", str(db)], env=_env(),
                   check=True, capture_output=True)
    full = time.perf_counter() - t0
    rng = random.Random(5)
    for _ in range(6):
        _run_and_kill([*CLI, "reindex", "--db", str(db)],
                      rng.uniform(0.0, full))
        _consistent(db)
