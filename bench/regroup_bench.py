"""What a review costs in incident regrouping: the regroup of what it can have changed against a
full rebuild, on a copy of a built store.

A review notes its report; regroup_pending regroups the (type, scope) groups the report's events
had and have (store/incidents.py). Each of --reviews rejections of an event is followed by one
regroup, timed; then one full rebuild is timed for comparison. The store is copied first (the
copy is changed and removed). Usage:
    python bench/regroup_bench.py --db bench/out/webstore-...-5000.db [--reviews 10]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from borderwatch.store import open_db
from borderwatch.store import review as rv
from borderwatch.store.incidents import rebuild_incidents, regroup_pending


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--reviews", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bw-regroup-"))
    try:
        db = work / "copy.db"
        shutil.copy(args.db, db)
        conn = open_db(db)
        n_reports, n_events, n_incidents = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                            for t in ("reports", "events", "incidents"))
        print(f"{n_reports:,} reports, {n_events:,} events, {n_incidents:,} incidents")
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM events WHERE review IS NULL AND origin = 'extracted' AND id % 97 = 0")]
        rnd = random.Random(args.seed)
        times, written = [], []
        for eid in rnd.sample(ids, min(args.reviews, len(ids))):
            rv.review_fact(conn, "events", eid, "reject", "bench")
            t = time.perf_counter()
            written.append(regroup_pending(conn))
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        rebuild_incidents(conn)
        full = time.perf_counter() - t
        conn.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ms = sorted(1000 * x for x in times)
    print(f"regroup after a review: median {statistics.median(ms):.0f} ms, {ms[0]:.0f}-{ms[-1]:.0f} ms"
          f" over {len(ms)} reviews ({min(written)}-{max(written)} incidents written each)")
    print(f"full rebuild: {1000 * full:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
