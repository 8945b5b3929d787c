"""End to end at scale: generate, ingest, search, rebuild incidents, open the brief.

Issue 11 asks what an analyst's archive of 200,000 reports costs on this machine, stage by
stage. Each stage runs in its own child process, so the peak memory printed beside its time is
that stage's own (the child's rusage, including the ingest workers it waited for), not the
largest of everything before it:

1. **generate**: N invented reports written to a folder: dense 800-word text files
   (bench/corpus.py, about six times a real report's facts), or with `--corpus typical`
   real-length JSON records (bench/bigstore.py's templates, a real report's load of facts);
2. **ingest**: `borderwatch ingest FOLDER --workers W` into a new store (the real command);
3. **search**: the search the page and the CLI run (store.queries.search, top 20 with a
   total) over phrases, AND and NOT from the corpus's vocabulary, the query mix of
   bench/ingest_bench.py: median and p95;
4. **incidents**: a full rebuild of the incidents (store.incidents.rebuild_incidents), as
   `ingest` runs at its end and a review of a pinned report does;
5. **brief**: `borderwatch serve` on the store, then the brief's page and its JSON twin
   fetched over HTTP: the first (cold) answer and the median of the next ten; the peak memory
   is the server's.

Usage:
    python bench/scale_bench.py --reports 200000 [--corpus typical] [--workers 2] [--keep DIR]
Prints a table and writes bench/out/scale-N.json (or --json PATH). Nothing here is real reporting.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
# Disk a synthetic report takes: its text, the store's rows (events, mentions and their
# indexes, claims, sentences) and the search index. Measured 2026-12-06: dense reports (5.4 KB
# of text, ~50 events, ~85 mentions) 2.3 GB for 20,000; typical ones (2.6 KB, a real report's
# load of facts) 131 MB of store for 5,000, plus their corpus and the write-ahead log.
DISK_PER_REPORT = {"text": 120_000, "typical": 35_000}
DISK_SPARE = 3_000_000_000  # left free for everything else on the machine
BENCH = Path(__file__).resolve().parent


@dataclass
class Stage:
    """One stage's cost: wall seconds and the peak resident memory of its process(es)."""

    name: str
    seconds: float
    peak_mib: float
    detail: dict[str, object] = field(default_factory=dict)


def _child(argv: list[str]) -> tuple[float, float, str]:
    """Run argv to the end; (wall seconds, peak RSS MiB of it and the children it waited for,
    stdout). os.wait4 gives this child's own rusage, so an earlier, larger stage does not
    show through. A failing child stops the benchmark with its error."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {err.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out


GENERATE = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from ingest_bench import writer_for
print(writer_for(sys.argv[4])(Path(sys.argv[2]), int(sys.argv[3])))
"""

SEARCH = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from ingest_bench import search_latency  # the same query mix as `make bench`
median, p95 = search_latency(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
print(json.dumps({"queries": int(sys.argv[3]), "median_ms": round(median, 1), "p95_ms": round(p95, 1)}))
"""

INCIDENTS = """
import json, sys
from borderwatch.store import open_db
from borderwatch.store.incidents import rebuild_incidents
conn = open_db(sys.argv[1], create=False)
with conn:
    n = rebuild_incidents(conn)
print(json.dumps({"incidents": n}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get_ms(url: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as r:
        r.read()
    return (time.perf_counter() - t0) * 1000


def brief_stage(db: Path) -> Stage:
    """Start the server on the store, open the brief (page, then its JSON twin), stop it."""
    exe = Path(sys.executable).with_name("borderwatch")
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):  # the server regroups left-over notes before it listens
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(f"serve exited: {proc.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.25)
        started = time.perf_counter() - t0
        cold = _get_ms(base + "/")
        warm = sorted(_get_ms(base + "/") for _ in range(10))
        api = _get_ms(base + "/api/brief")
        status = Path(f"/proc/{proc.pid}/status").read_text()
        peak_kib = int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmHWM")))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return Stage("brief", started + cold / 1000, peak_kib / 1024,
                 {"server_start_s": round(started, 2), "page_cold_ms": round(cold, 1),
                  "page_warm_median_ms": round(warm[len(warm) // 2], 1),
                  "api_ms": round(api, 1)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=200_000)
    ap.add_argument("--workers", default="auto", help="ingest --workers value")
    ap.add_argument("--corpus", choices=sorted(DISK_PER_REPORT), default="text",
                    help="text: dense 800-word reports (bench/corpus.py, ~49 events each);"
                         " typical: real-length ones (bench/bigstore.py templates, ~8 events)")
    ap.add_argument("--searches", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="keep the corpus and store in this folder")
    ap.add_argument("--json", type=Path, help="where to write the results (default bench/out/scale-N.json)")
    args = ap.parse_args()
    py = sys.executable
    work = args.keep or Path(tempfile.mkdtemp(prefix="bw-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    need, free = args.reports * DISK_PER_REPORT[args.corpus], shutil.disk_usage(work).free
    if free < need + DISK_SPARE:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        sys.exit(f"scale_bench: {args.reports:,} reports need about {need / 1e9:.1f} GB in {work.parent}"
                 f" (corpus, store and search index), {free / 1e9:.1f} GB is free (3 GB stay spare): use --keep"
                 " on a larger disk, or fewer --reports")
    folder, db = work / "reports", work / "store.db"
    exe = str(Path(py).with_name("borderwatch"))
    stages: list[Stage] = []
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
          f" load {os.getloadavg()[0]:.1f}", flush=True)
    try:
        wall, peak, out = _child([py, "-c", GENERATE, str(BENCH), str(folder), str(args.reports),
                                  args.corpus])
        stages.append(Stage("generate", wall, peak, {"reports": args.reports, "corpus": args.corpus,
                                                     "mb": int(out) / 1e6}))
        _print(stages[-1])
        wall, peak, out = _child([exe, "ingest", str(folder), "--db", str(db), "-q", "--json",
                                  "--workers", args.workers])
        summary = json.loads(out)
        stages.append(Stage("ingest", wall, peak, {"reports_per_s": round(args.reports / wall, 1),
                                                   "workers": args.workers, "summary": summary}))
        _print(stages[-1])
        wall, peak, out = _child([py, "-c", SEARCH, str(BENCH), str(db), str(args.searches),
                                  args.corpus])
        stages.append(Stage("search", wall, peak, json.loads(out)))
        _print(stages[-1])
        wall, peak, out = _child([py, "-c", INCIDENTS, str(db)])
        stages.append(Stage("incidents", wall, peak, json.loads(out)))
        _print(stages[-1])
        stages.append(brief_stage(db))
        _print(stages[-1])
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    path = args.json or OUT / f"scale-{args.reports}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"reports": args.reports, "cores": os.cpu_count(),
                                "stages": [asdict(s) for s in stages]}, indent=2))
    print(f"wrote {path}")


def _print(s: Stage) -> None:
    detail = {k: v for k, v in s.detail.items() if k != "summary"}
    print(f"{s.name:10} {s.seconds:9.1f} s  peak {s.peak_mib:8.0f} MiB  {detail}", flush=True)


if __name__ == "__main__":
    main()
