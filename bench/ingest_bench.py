"""Ingest and search benchmark: throughput (reports/s, MB/s), peak memory, search latency.

Generates synthetic reports (bench/corpus.py), runs `borderwatch ingest` on them in a child
process (peak RSS read from that child's rusage), then times 200 searches on the new store.
Prints a table and writes bench/out/ingest.json. Usage:
    python bench/ingest_bench.py --reports 10000 [--reports 50000] [--formats text,html]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from borderwatch.store import open_db, queries

OUT = Path(__file__).resolve().parent / "out"


def run_ingest(folder: Path, db: Path) -> tuple[float, int, dict]:
    """Wall seconds, peak RSS in KiB and the JSON summary of one ingest child process."""
    exe = Path(sys.executable).with_name("borderwatch")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(exe), "ingest", str(folder), "--db", str(db), "-q", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"ingest failed: {err.decode()[-2000:]}")
    return wall, usage.ru_maxrss, json.loads(out)


def search_latency(db: Path, n: int = 200) -> tuple[float, float]:
    """Median and p95 milliseconds over n searches of words and phrases from the corpus."""
    conn = open_db(db, create=False)
    rng = random.Random(7)
    terms = corpus.PLACES + corpus.GOODS + corpus.FILLER
    qs = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.5:
            qs.append(f'"{rng.choice(terms)}"')
        elif kind < 0.8:
            qs.append(f'"{rng.choice(terms)}" AND "{rng.choice(terms)}"')
        else:
            qs.append(f'"{rng.choice(corpus.PLACES)}" NOT "{rng.choice(corpus.GOODS)}"')
    times = []
    for q in qs:
        t0 = time.perf_counter()
        queries.search(conn, q, limit=20)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, action="append", help="corpus size (repeatable)")
    ap.add_argument("--formats", default="text,html")
    ap.add_argument("--html-max", type=int, default=10000, help="largest HTML corpus to run")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and store")
    args = ap.parse_args()
    sizes = args.reports or [10000]
    results = []
    work = Path(tempfile.mkdtemp(prefix="bw-bench-"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'format':6} {'reports':>8} {'MB':>7} {'seconds':>8} {'reports/s':>10} {'MB/s':>6}"
          f" {'peak MiB':>9} {'search ms median':>17} {'p95':>6}")
    try:
        for fmt in args.formats.split(","):
            for n in sizes:
                if fmt == "html" and n > args.html_max:
                    continue
                folder = work / f"{fmt}-{n}"
                nbytes = (corpus.write_text if fmt == "text" else corpus.write_html)(folder, n)
                db = work / f"{fmt}-{n}.db"
                wall, rss_kib, summary = run_ingest(folder, db)
                med, p95 = search_latency(db)
                row = {"format": fmt, "reports": n, "mb": nbytes / 1e6, "seconds": wall,
                       "reports_per_s": n / wall, "mb_per_s": nbytes / 1e6 / wall,
                       "peak_rss_mib": rss_kib / 1024, "search_median_ms": med,
                       "search_p95_ms": p95, "summary": summary}
                results.append(row)
                print(f"{fmt:6} {n:>8} {row['mb']:>7.1f} {wall:>8.1f} {row['reports_per_s']:>10.1f}"
                      f" {row['mb_per_s']:>6.2f} {row['peak_rss_mib']:>9.1f} {med:>17.2f} {p95:>6.2f}",
                      flush=True)
                if not args.keep:
                    shutil.rmtree(folder)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "ingest.json").write_text(json.dumps(
        {"machine": {"arch": platform.machine(), "cores": os.cpu_count(),
                     "python": platform.python_version()}, "results": results}, indent=2))


if __name__ == "__main__":
    main()
