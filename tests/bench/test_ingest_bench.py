"""The ingest benchmark's moved-archive run (bench/ingest_bench.py --moved) measures what it
says: the same files under new names, into a copy of the store and its search index, every
report a duplicate, the original store untouched. Not a timing test. All texts are invented
(bench/bigstore.py)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_moved_run_reads_every_report_again_as_a_duplicate(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import bigstore
    import ingest_bench

    folder, db = tmp_path / "typical", tmp_path / "s.db"
    bigstore.write_typical(folder, 12)
    _, _, first, _ = ingest_bench.run_ingest(folder, db, "2")
    assert first["stored"] + first["near_duplicate"] == 12
    _, summary, cpu = ingest_bench.moved_rerun(folder, db, "2")
    assert (summary["stored"], summary["near_duplicate"], summary["duplicate"], summary["failed"]) == (0, 0, 12, 0)
    assert cpu["workers"] > 0  # the files went through the workers
    assert not (tmp_path / "typical-moved").exists()  # the moved copy is cleaned away
    conn = sqlite3.connect(db)  # the measured store is left as the first ingest made it
    assert conn.execute("SELECT count(*) FROM report_sources").fetchone()[0] == 12
    conn.close()
    moved = sqlite3.connect(tmp_path / "s-moved.db")
    assert moved.execute("SELECT count(*) FROM report_sources WHERE source LIKE '%typical-moved%'").fetchone()[0] == 12
    moved.close()
