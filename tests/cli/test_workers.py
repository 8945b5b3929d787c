"""`ingest --workers N` (issue 11): local files are read and extracted in worker processes and
written by the main one, in the order they were named. The store it leaves is the store one
process leaves: the same reports in the same order, the same facts, the same failures; inputs
whose reports all stored are marked done, so a second run finds them unchanged."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from borderwatch.workers import CRASH_MARKER_ENV, INPUTS_PER_WORKER, auto_workers

from ..conftest import run_bw
from .fined import write_fined_reports

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "reports"

pytestmark = pytest.mark.slow

# What a store holds, in an order that does not depend on row ids
SNAPSHOT = {
    "reports": "SELECT id, title, published, outlet, near_duplicate_of FROM reports ORDER BY pk",
    "events": "SELECT report_id, idx, type, start, \"end\", date, negated, hedged, facts FROM events"
              " ORDER BY report_id, idx",
    "mentions": "SELECT report_id, idx, kind, entity_id, start, \"end\" FROM mentions ORDER BY report_id, idx",
    "amounts": "SELECT report_id, idx, currency, min, max, usd FROM amounts ORDER BY report_id, idx",
    "failures": "SELECT source, stage, reason FROM failures ORDER BY source",
    "inputs": "SELECT source, digest, reports FROM inputs ORDER BY source",
    "claims": "SELECT count(*) FROM claims",
}


def snapshot(db: Path) -> dict[str, list]:
    conn = sqlite3.connect(db)
    try:
        return {k: conn.execute(q).fetchall() for k, q in SNAPSHOT.items()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The invented samples, a second copy of one under another name (a duplicate, whose
    order decides which is the original), a file that cannot be read and one of many copies."""
    folder = tmp_path_factory.mktemp("workers") / "in"
    shutil.copytree(EXAMPLES, folder)
    text = next(p for p in sorted(folder.glob("*.txt")))
    shutil.copy(text, folder / "zz_copy_of_first.txt")
    (folder / "zz_broken.json").write_bytes(b'{"title": "Invented", "text": ')
    for i in range(INPUTS_PER_WORKER * 2):
        (folder / f"extra_{i:02d}.txt").write_text(
            f"Invented example report {i}.\n\nGuards in Hyesan fined a trader {500 + i} yuan on"
            " Monday for carrying phones across the Yalu, a source in the city told Daily NK.\n",
            encoding="utf-8")
    return folder


def test_two_workers_leave_the_store_one_process_leaves(inputs, tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    a = run_bw("ingest", str(inputs), "--workers", "1", "-q", "--json", db=one)
    b = run_bw("ingest", str(inputs), "--workers", "2", "-q", "--json", db=two)
    assert a.returncode == b.returncode == 1  # the broken file
    assert json.loads(a.stdout) == json.loads(b.stdout)
    summary = json.loads(b.stdout)
    assert summary["failed"] == 1 and summary["duplicate"] == 1
    assert summary["stored"] + summary["near_duplicate"] == summary["read"] - 1 >= 30
    assert "zz_broken.json" in b.stderr and b.stderr.count("\n") == 1
    assert snapshot(one) == snapshot(two)


def test_a_second_run_with_workers_finds_every_stored_input_unchanged(inputs, tmp_path):
    db = tmp_path / "s.db"
    first = json.loads(run_bw("ingest", str(inputs), "--workers", "2", "-q", "--json", db=db).stdout)
    again = run_bw("ingest", str(inputs), "--workers", "2", "-q", "--json", db=db)
    second = json.loads(again.stdout)
    n_inputs = len(list(inputs.iterdir()))
    assert second["stored"] == 0 and second["unchanged"] == n_inputs - 1  # all but the broken one
    assert second["failed"] == 1 and first["failed"] == 1


def test_workers_option_refuses_nonsense(tmp_path):
    for bad in ("0", "-2", "many"):
        p = run_bw("ingest", str(EXAMPLES), "--workers", bad, db=tmp_path / "x.db")
        assert p.returncode == 2 and "--workers" in p.stderr


def test_auto_starts_a_worker_per_batch_of_inputs_up_to_the_cores(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    assert auto_workers(None) == 1 and auto_workers(0) == 1
    assert auto_workers(INPUTS_PER_WORKER - 1) == 1
    assert auto_workers(INPUTS_PER_WORKER * 2) == 2
    assert auto_workers(10_000) == 4



def test_the_pool_holds_at_most_its_window_of_input_bytes(monkeypatch):
    """Inputs in flight stay below WINDOW_BYTES however few they are (a few large JSON Lines
    files must not all sit in memory at once), and the pool is full by count as well."""
    import borderwatch.workers as workers_module
    from borderwatch.ingest import ReadOptions
    from borderwatch.model import RawInput

    monkeypatch.setattr(workers_module, "WINDOW_BYTES", 1_000)
    pool = workers_module.Pool(1, ReadOptions(published="2024-06-01"))
    try:
        text = b"Invented report. Guards in Musan fined a trader 700 yuan, a source said.\n"
        pool.submit(RawInput(source="a.txt", data=text * 8), "a")  # 600 bytes
        assert not pool.full
        pool.submit(RawInput(source="b.txt", data=text * 8), "b")
        assert pool.full  # two inputs of the many allowed, but over the bytes
        assert [p.source for p in pool.drain(_NoBatch())] == ["a.txt", "b.txt"]
        assert not pool.full
    finally:
        pool.close()


class _NoBatch:
    """The writer's batch as a pool sees it, with nothing open."""

    def commit(self) -> None:
        pass

    def time_left(self) -> float:
        return 0.0

def test_a_worker_that_dies_on_one_report_costs_that_report_not_the_run(tmp_path):
    """A worker killed by one report (os._exit through the test-only hook, as a crash in native
    code would end it) breaks the process pool with every input in flight: the report is
    recorded as failed, every other report is stored once, and the next run stores it."""
    folder = tmp_path / "in"
    n = INPUTS_PER_WORKER * 3
    write_fined_reports(folder, n, "CRASH-HERE", n // 2)
    db = tmp_path / "crash.db"
    first = run_bw("ingest", str(folder), "--workers", "2", "-q", "--json", db=db,
                   env={CRASH_MARKER_ENV: "CRASH-HERE"}, timeout=300)
    assert first.returncode == 1, first.stderr
    assert first.stdout.strip(), first.stderr  # the run's summary, not an error
    summary = json.loads(first.stdout)
    assert summary["failed"] == 1 and summary["stored"] + summary["near_duplicate"] == n - 1
    conn = sqlite3.connect(db)
    failures = conn.execute("SELECT source, stage, reason FROM failures").fetchall()
    assert [(Path(s).name, stage) for s, stage, _ in failures] == [(f"r{n // 2:02d}.txt", "extract")]
    assert "worker died" in failures[0][2]
    assert conn.execute("SELECT count(*) FROM inputs").fetchone()[0] == n - 1
    conn.close()
    again = run_bw("ingest", str(folder), "--workers", "2", "-q", "--json", db=db, timeout=300)
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["stored"] + second["near_duplicate"] == 1 and second["unchanged"] == n - 1
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*), count(DISTINCT id) FROM reports").fetchone() == (n, n)
    assert conn.execute("SELECT count(DISTINCT source) FROM report_sources").fetchone()[0] == n


def test_a_worker_that_dies_on_one_report_of_a_file_of_many_costs_only_that_report(tmp_path):
    """A JSON Lines file of many reports, one of which kills its worker: the file is prepared
    again alone, the report the worker was on is left out and recorded as failed under its own
    line, the file's other reports are stored, and the file is not marked done, so the next run
    stores the one left out."""
    folder = tmp_path / "in"
    folder.mkdir()
    lines = 7
    for name in ("a", "b"):  # two files in flight at once, both with a crashing line
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            for i in range(lines):
                crash = " CRASH-HERE" if i == 4 else ""
                f.write(json.dumps({
                    "title": f"Invented report {name}{i}", "published": f"2024-03-{i + 1:02d}",
                    "text": f"Invented report {name}{i}. Guards in Onsong fined {name}{i} a trader"
                            f" {300 + i} yuan for carrying phones to the river, a source said.{crash}"}) + "\n")
    db = tmp_path / "many.db"
    first = run_bw("ingest", str(folder), "--workers", "2", "-q", "--json", db=db,
                   env={CRASH_MARKER_ENV: "CRASH-HERE"}, timeout=300)
    assert first.returncode == 1, first.stderr
    summary = json.loads(first.stdout)
    assert summary["failed"] == 2
    assert summary["stored"] + summary["near_duplicate"] == 2 * (lines - 1)
    conn = sqlite3.connect(db)
    failures = sorted((Path(s).name, stage) for s, stage, _ in
                      conn.execute("SELECT source, stage, reason FROM failures"))
    assert failures == [("a.jsonl:5", "extract"), ("b.jsonl:5", "extract")]
    assert not conn.execute("SELECT count(*) FROM reports WHERE text LIKE '%CRASH-HERE%'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM inputs").fetchone()[0] == 0
    conn.close()
    again = run_bw("ingest", str(folder), "--workers", "2", "-q", "--json", db=db, timeout=300)
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["stored"] + second["near_duplicate"] == 2 and second["duplicate"] == 2 * (lines - 1)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*), count(DISTINCT id) FROM reports").fetchone() == (2 * lines,) * 2
    assert conn.execute("SELECT count(*) FROM inputs").fetchone()[0] == 2


def test_a_report_the_store_holds_is_not_extracted_again_by_a_worker(tmp_path):
    """A worker reads the store (read-only): a report it holds already, as when an archive is
    moved and every file is a new input, comes back as AlreadyStored instead of facts; a new
    report in the same file is extracted."""
    from borderwatch.ingest import ReadOptions
    from borderwatch.jobs import ingest
    from borderwatch.model import RawInput
    from borderwatch.store import open_db
    from borderwatch.workers import AlreadyStored, Pool

    write_fined_reports(tmp_path / "in", 2, "", -1)
    db = tmp_path / "s.db"
    conn = open_db(db)
    ingest(conn, [str(tmp_path / "in" / "r00.txt")], ReadOptions(published="2024-06-01"))
    old, new = ((tmp_path / "in" / f"r{i:02d}.txt").read_text(encoding="utf-8") for i in range(2))
    moved = json.dumps({"text": old}) + "\n" + json.dumps({"text": new}) + "\n"
    pool = Pool(1, ReadOptions(published="2024-06-01"), db=str(db))
    try:
        pool.submit(RawInput(source="moved.jsonl", data=moved.encode()), "d")
        [prep] = list(pool.drain(_NoBatch()))
    finally:
        pool.close()
    (_, _, first), (_, _, second) = prep.reports
    assert isinstance(first, AlreadyStored)
    assert isinstance(second, tuple) and second[0].events  # extracted: the fine
    conn.close()


def test_a_report_gone_since_the_worker_looked_is_extracted_by_the_writer(tmp_path):
    """AlreadyStored is only what the worker saw: a report the store no longer holds when its
    result is written is extracted there, so it is never stored without its facts."""
    from borderwatch.clean import read_documents
    from borderwatch.clean.fingerprint import fingerprint
    from borderwatch.ingest import ReadOptions
    from borderwatch.jobs import IngestSummary, _write_prepared
    from borderwatch.model import RawInput
    from borderwatch.store import open_db
    from borderwatch.store.writer import Writer
    from borderwatch.workers import STORED, Prepared

    write_fined_reports(tmp_path / "in", 1, "", -1)
    path = tmp_path / "in" / "r00.txt"
    [doc] = list(read_documents(RawInput(str(path), path.read_bytes()), ReadOptions(published="2024-06-01"), None))
    conn = open_db(tmp_path / "s.db")
    writer, summary = Writer(conn, None), IngestSummary()
    _write_prepared(Prepared(str(path), "d", [(doc, fingerprint(doc.text), STORED)], read=1),
                    writer, summary, lambda f: None)
    writer.close()
    assert (summary.stored, summary.duplicate) == (1, 0)
    assert conn.execute("SELECT count(*) FROM events WHERE report_id = ?", (doc.id,)).fetchone()[0] > 0
    conn.close()


def test_a_moved_folder_is_all_duplicates_with_workers(tmp_path):
    """The same reports under new names: every one a duplicate, nothing stored twice, every
    new name recorded as a source of its report."""
    write_fined_reports(tmp_path / "a", INPUTS_PER_WORKER * 2, "", -1)
    db = tmp_path / "s.db"
    run_bw("ingest", str(tmp_path / "a"), "--db", str(db), "--workers", "2", "-q")
    before = snapshot(db)
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    for p in sorted((tmp_path / "b").iterdir()):
        p.rename(p.with_name("moved-" + p.name))
    out = run_bw("ingest", str(tmp_path / "b"), "--db", str(db), "--workers", "2", "--json")
    summary = json.loads(out.stdout)
    assert (summary["stored"], summary["duplicate"], summary["failed"]) == (0, INPUTS_PER_WORKER * 2, 0)
    after = snapshot(db)
    assert {k: v for k, v in after.items() if k != "inputs"} == {k: v for k, v in before.items() if k != "inputs"}
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM report_sources WHERE source LIKE '%moved-%'").fetchone()[0] \
        == INPUTS_PER_WORKER * 2
    conn.close()


@pytest.mark.timeout(300)
def test_the_writer_reads_every_workers_answers_while_it_waits_for_the_oldest(monkeypatch):
    """Each worker has its own pipe, which holds far less than a large input or its results: a
    worker must read the inputs sent to it while it sends a result the writer has not read yet,
    or the writer, sending it the next input, and the worker would wait on each other for ever.
    Inputs of half a megabyte alternate between many reports and one, and all come back, in
    the order they were sent, each with every report."""
    import borderwatch.workers as workers_module
    from borderwatch.ingest import ReadOptions
    from borderwatch.model import RawInput

    line = ("Invented report {k}. Guards in Musan fined a trader {k} yuan for carrying phones"
            " across the Tumen, a source in the county said. Rice sold for 6,000 won a kilogram.")
    sizes = [60 if i % 2 == 0 else 1 for i in range(12)]
    pad = "x" * 500_000  # a field the reader ignores, so the input is large but quick to read
    pool = workers_module.Pool(2, ReadOptions(published="2024-06-01"))
    try:
        for i, size in enumerate(sizes):
            data = "\n".join(json.dumps({"text": line.format(k=1000 * i + j),
                                         "padding": pad if j == 0 else ""}) for j in range(size))
            pool.submit(RawInput(source=f"in{i:02d}.jsonl", data=data.encode()), str(i))
        got = list(pool.drain(_NoBatch()))
    finally:
        pool.close()
    assert [p.source for p in got] == [f"in{i:02d}.jsonl" for i in range(len(sizes))]
    assert [len(p.reports) for p in got] == sizes
    assert all(p.complete and not p.failures for p in got)
