"""`borderwatch batch` and `load` as real processes on a real Dask LocalCluster: the Parquet
facts equal `extract`'s, a rerun does no finished partition again, kill -9 of a batch or of a
load then the same command completes with no duplicates, and a worker that dies on one report
costs that report alone."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")
ds = pytest.importorskip("pyarrow.dataset")

from ..conftest import BW, EXAMPLES, run_bw  # noqa: E402
from ..store.storehelp import assert_search_index_covers  # noqa: E402
from .test_tables import read_back  # noqa: E402

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent
N = 160  # synthetic reports for the kill tests: long enough to be killed in the middle


def batch(*args: str, env: dict | None = None) -> dict:
    p = run_bw("batch", *args, "--json", env=env, timeout=600)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)


def load(out: Path, db: Path) -> dict:
    p = run_bw("load", str(out), "--json", db=db, timeout=600)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def report_ids(out: Path) -> list[str]:
    return ds.dataset(out / "reports", partitioning="hive").to_table(columns=["report_id"]).column(0).to_pylist()


def store_digest(db: Path) -> dict[str, list]:
    """What a store holds, without times and run ids: reports, every fact, claims, incidents."""
    c = sqlite3.connect(db)
    q = {
        "reports": "SELECT id, source, title, published, text, near_duplicate_of FROM reports",
        "sources": "SELECT report_id, source FROM report_sources",
        "mentions": 'SELECT report_id, idx, kind, entity_id, text, start, "end", sentence, attrs, rule FROM mentions',
        "amounts": 'SELECT report_id, idx, kind, min, max, currency, usd, rule FROM amounts',
        "dates": "SELECT report_id, idx, value, granularity, rule FROM dates",
        "attributions": "SELECT report_id, idx, kind, holder, sentence FROM attributions",
        "events": "SELECT report_id, idx, type, sentence, date, attribution_holder, facts FROM events",
        "topics": "SELECT report_id, topic, rank FROM report_topics",
        "claims": "SELECT * FROM claims",
        "incidents": "SELECT count(*) FROM incidents",
        "search_queue": "SELECT count(*) FROM search_queue",
        "failures": "SELECT source, stage, reason FROM failures",
    }
    out = {k: sorted(map(repr, c.execute(sql).fetchall())) for k, sql in q.items()}
    c.close()
    return out


def check_store(db: Path) -> int:
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = c.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert c.execute("SELECT count(*) FROM report_sources").fetchone()[0] == n  # no second copies
    c.close()
    assert_search_index_covers(db)
    return n


def test_batch_of_the_samples_equals_extract_resumes_and_loads_as_ingest_stores(tmp_path):
    out = tmp_path / "out"
    files = sorted(str(p) for p in EXAMPLES.iterdir() if "feed" not in p.name)
    first = batch(*files, "--out", str(out), "--workers", "2", "--partition-size", "3")
    assert first["ran"] == first["partitions"] > 3 and first["failures"] == 0
    # the facts of every report, read from Parquet as a user would, are extract's
    extracted = run_bw("extract", *files, "--format", "jsonl")
    want = {d["document"]["source"]: d for d in map(json.loads, extracted.stdout.splitlines())}
    assert read_back(out) == want
    assert {p.name for p in (out / "events").iterdir()} >= {"month=2024-03", "month=unknown"}

    again = batch(*files, "--out", str(out), "--workers", "2", "--partition-size", "3")
    assert (again["ran"], again["skipped"]) == (0, first["partitions"])
    victim = next(p for p in (out / "_done").iterdir() if p.stem != "plan")
    victim.unlink()
    third = batch(*files, "--out", str(out), "--workers", "2", "--partition-size", "3")
    assert (third["ran"], third["skipped"]) == (1, first["partitions"] - 1)
    ids = report_ids(out)
    assert len(ids) == len(set(ids)) == len(want)

    loaded, ingested = tmp_path / "l.db", tmp_path / "i.db"
    assert load(out, loaded)["stored"] == len(want)
    assert load(out, loaded)["loaded"] == 0  # every partition was loaded before
    p = run_bw("ingest", *files, "--no-fetch-pages", "-q", db=ingested)
    assert p.returncode == 0, p.stderr
    assert store_digest(loaded) == store_digest(ingested)
    check_store(loaded)


def test_batch_a_report_that_kills_its_worker_and_a_bad_file_become_failure_rows(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    good = [json.loads(line) for line in (EXAMPLES / "border_briefs.jsonl").read_text().splitlines()[:3]]
    crash = {"title": "Invented crash", "published": "2024-01-02",
             "text": "INVENTED-CRASH-MARKER. Traders in Hyesan said rice prices rose, a source said."}
    rows = [good[0], crash, *good[1:]]
    (src / "briefs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (src / "broken.json").write_text('{"text": ', encoding="utf-8")
    out = tmp_path / "out"
    env = {"DASK_DISTRIBUTED__WORKER__PRELOAD": json.dumps([str(HERE / "crash_preload.py")])}
    s = batch(str(src), "--out", str(out), "--workers", "2", "--partition-size", "100", env=env)
    assert s["split"] == 1 and s["reports"] == 3 and s["failures"] == 2
    failures = {f["source"]: f for f in ds.dataset(out / "failures").to_table().to_pylist()}
    assert set(failures) == {f"{src}/briefs.jsonl:2", f"{src}/broken.json"}
    assert "KilledWorker" in failures[f"{src}/briefs.jsonl:2"]["reason"]
    sources = sorted(r["source"] for r in ds.dataset(out / "reports", partitioning="hive").to_table().to_pylist())
    assert sources == [f"{src}/briefs.jsonl:{n}" for n in (1, 3, 4)]
    # done is done: the rerun does not try the crashing report again; a run killed while it went
    # input by input (the whole partition and its first part not marked yet) goes on that way
    done = out / "_done"
    (parent,) = [m for m in done.glob("*.json") if json.loads(m.read_text()).get("split")]
    parent.unlink()
    (done / f"{parent.stem}-0.json").unlink()
    again = batch(str(src), "--out", str(out), "--workers", "1", "--partition-size", "100", env=env)
    assert (again["ran"], again["split"], again["reports"]) == (1, 0, 1)
    assert parent.exists()
    assert batch(str(src), "--out", str(out), "--workers", "1", "--partition-size", "100", env=env)["ran"] == 0
    ids = report_ids(out)
    assert len(ids) == len(set(ids)) == 3
    db = tmp_path / "c.db"
    assert load(out, db)["failures"] == 2
    assert check_store(db) == 3


def _done_count(out: Path) -> int:
    folder = out / "_done"
    return sum(1 for p in folder.glob("*.json") if p.stem != "plan") if folder.exists() else 0


def _kill_when(cmd: list[str], ready, what: str) -> None:
    """Start `cmd`, wait until `ready()`, kill -9 it (only the command's own process)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not ready() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, f"{what} finished before it could be killed; raise N"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.fixture(scope="module")
def killed_batch(tmp_path_factory, corpus):
    """A batch of N synthetic reports killed with -9 after a few partitions, then run again."""
    root = tmp_path_factory.mktemp("killed")
    folder = root / "corpus"
    corpus.write_text(folder, N)
    out = root / "out"
    args = [str(folder), "--out", str(out), "--workers", "1", "--partition-size", "4"]
    _kill_when([BW, "batch", *args], lambda: _done_count(out) >= 3, "batch")
    before = _done_count(out)
    time.sleep(3)  # the killed client's worker processes follow their parent out
    summary = batch(*args)
    return out, before, summary


def test_batch_killed_then_rerun_completes_without_redoing_or_doubling(killed_batch):
    out, before, s = killed_batch
    assert 3 <= before < s["partitions"] == N // 4
    assert s["skipped"] == before and s["ran"] == s["partitions"] - before
    ids = report_ids(out)
    assert len(ids) == len(set(ids)) == N
    assert not list((out / "_tmp").iterdir())  # nothing half-written left behind


def test_load_killed_then_rerun_stores_each_report_once(killed_batch, tmp_path):
    out = killed_batch[0]
    db = tmp_path / "k.db"

    def some_stored() -> bool:
        try:
            c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            n = c.execute("SELECT count(*) FROM reports").fetchone()[0]
            c.close()
            return n >= 20
        except sqlite3.Error:
            return False

    _kill_when([BW, "load", str(out), "--db", str(db)], some_stored, "load")
    assert 20 <= check_store(db) < N
    s = load(out, db)
    assert s["unchanged"] >= 1 and s["stored"] + s["duplicate"] <= N
    assert check_store(db) == N
    reference = tmp_path / "r.db"
    load(out, reference)
    assert store_digest(db) == store_digest(reference)


def test_batch_on_a_running_cluster_given_by_its_scheduler_address(tmp_path):
    """`--scheduler`: a scheduler and a worker started as the `dask` command starts them."""
    dask_cmd = str(Path(BW).with_name("dask"))
    info = tmp_path / "scheduler.json"
    started = [subprocess.Popen([dask_cmd, "scheduler", "--port", "0", "--dashboard-address", ":0",
                                 "--scheduler-file", str(info)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.time() + 120
        while not info.exists() and time.time() < deadline:
            time.sleep(0.1)
        started.append(subprocess.Popen([dask_cmd, "worker", "--scheduler-file", str(info),
                                         "--nthreads", "1"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        address = json.loads(info.read_text())["address"]
        out = tmp_path / "out"
        files = [str(EXAMPLES / "dandong_customs_crackdown.txt"), str(EXAMPLES / "border_briefs.jsonl")]
        s = batch(*files, "--out", str(out), "--scheduler", address, "--partition-size", "2")
        assert s["failures"] == 0 and s["ran"] == s["partitions"] >= 2
        extracted = run_bw("extract", *files, "--format", "jsonl")
        assert read_back(out) == {d["document"]["source"]: d for d in map(json.loads, extracted.stdout.splitlines())}
    finally:
        for proc in reversed(started):
            proc.terminate()
            proc.wait(timeout=60)
