"""Load test: analysts on every page and reviewers writing, while an ingest runs (issue 9).

A store is built from the bundled invented sample reports plus one analyst account per
reviewer; `borderwatch serve` runs as its own process on loopback; an `borderwatch ingest` of
--ingest synthetic reports (bench/corpus.py) runs into the same store at the same time. Then,
for --seconds:
  - --clients readers fetch every page and API list in turn (brief, reports, a search, events,
    incidents, goods, claims, map, timeline, watchlists, a reader page);
  - --reviewers analysts accept and reject facts, each on facts of their own (id modulo
    reviewers), so what the store must hold afterwards is known exactly.
Prints requests, errors and p50/p95 per page, and checks that every acknowledged review is in
the audit log and in the facts. Everything stays on 127.0.0.1. Usage:
    python bench/load.py [--seconds 60] [--clients 16] [--reviewers 4] [--ingest 300]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

BW = str(Path(sys.executable).with_name("borderwatch"))
PAGES = ["/", "/api/brief", "/reports", "/reports?q=rice", "/events", "/api/events", "/incidents",
         "/goods", "/claims", "/map", "/api/places", "/timeline", "/watchlists"]
TABLES = ("mentions", "amounts", "dates", "attributions")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build(folder: Path, reviewers: int) -> Path:
    from borderwatch.ingest import ReadOptions
    from borderwatch.jobs import ingest
    from borderwatch.store import open_db
    from borderwatch.store.users import add_user

    db = folder / "load.db"
    conn = open_db(db)
    ingest(conn, [str(ROOT / "examples" / "reports")], ReadOptions(published="2024-06-01"))
    for i in range(reviewers):
        add_user(conn, f"reviewer{i}", f"invented password {i}")
    conn.close()
    return db


def _serve(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([BW, "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def _sign_in(url: str, name: str, password: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=60)
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    c.post("/login", data={"name": name, "password": password, "csrf": token})
    c.headers["X-CSRF-Token"] = re.search(r'name="csrf-token" content="([^"]+)"', c.get("/").text).group(1)
    return c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--reviewers", type=int, default=4)
    ap.add_argument("--ingest", type=int, default=300, help="synthetic reports ingested meanwhile")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bw-load-"))
    try:
        db = _build(work, args.reviewers)
        conn = sqlite3.connect(db)
        facts = [(t, r[0]) for t in TABLES for r in conn.execute(f"SELECT id FROM {t}")]
        report_id = conn.execute("SELECT id FROM reports LIMIT 1").fetchone()[0]
        conn.close()
        pages = PAGES + [f"/reports/{report_id}"]
        corpus.write_text(work / "incoming", args.ingest)
        server, url = _serve(db)
        ingest = subprocess.Popen([BW, "ingest", str(work / "incoming"), "--db", str(db), "-q"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        told: dict[tuple[str, int], str] = {}
        acked = defaultdict(int)
        refused: list[str] = []
        lock = threading.Lock()
        end = time.monotonic() + args.seconds

        def reader(i: int) -> None:
            with httpx.Client(base_url=url, timeout=60) as c:
                n = i
                while time.monotonic() < end:
                    path = pages[n % len(pages)]
                    n += 1
                    t = time.perf_counter()
                    try:
                        status = c.get(path).status_code
                    except httpx.HTTPError as exc:
                        status = repr(exc)
                    with lock:
                        times[path.split("?")[0] if "q=" not in path else path].append(time.perf_counter() - t)
                        if status != 200:
                            errors.append(f"GET {path}: {status}")

        def reviewer(i: int) -> None:
            mine = [f for f in facts if f[1] % args.reviewers == i]
            rnd = random.Random(i)
            c = _sign_in(url, f"reviewer{i}", f"invented password {i}")
            while time.monotonic() < end and mine:
                table, fid = rnd.choice(mine)
                action = rnd.choice(("accept", "reject"))
                t = time.perf_counter()
                try:
                    r = c.post(f"/api/facts/{table}/{fid}/review", json={"action": action})
                    status = r.status_code
                except httpx.HTTPError as exc:
                    status = repr(exc)
                with lock:
                    times["POST review"].append(time.perf_counter() - t)
                    if status == 200:
                        told[(table, fid)] = "accepted" if action == "accept" else "rejected"
                        acked[f"reviewer{i}"] += 1
                    elif status in (400, 409):
                        refused.append(f"{table}/{fid}")  # a review rule said no, in words
                    else:
                        errors.append(f"POST review {table}/{fid}: {status}")
            c.close()

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.clients)]
        threads += [threading.Thread(target=reviewer, args=(i,)) for i in range(args.reviewers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ingest_rc = ingest.wait(timeout=3600)
        server.terminate()
        server.wait(timeout=30)

        store = sqlite3.connect(db)
        audited = dict(store.execute("SELECT user, count(*) FROM reviews GROUP BY user").fetchall())
        lost = [u for u, n in acked.items() if audited.get(u, 0) != n]
        wrong = [f for f, s in told.items()
                 if store.execute(f"SELECT review FROM {f[0]} WHERE id = ?", (f[1],)).fetchone()[0] != s]
        stored = store.execute("SELECT count(*) FROM reports").fetchone()[0]
        total = sum(len(v) for v in times.values())
        print(f"{args.clients} readers + {args.reviewers} reviewers for {args.seconds:g} s during an "
              f"ingest of {args.ingest} reports (ingest exit {ingest_rc}; store now {stored} reports)")
        print(f"{'page':28} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for path, ts in sorted(times.items()):
            ts = sorted(ts)
            p95 = ts[min(len(ts) - 1, int(0.95 * len(ts)))]
            print(f"{path:28} {len(ts):8d} {statistics.median(ts) * 1000:8.0f} {p95 * 1000:8.0f}")
        every = sorted(t for ts in times.values() for t in ts)
        print(f"all: {total} requests, {len(errors)} errors, p50 {statistics.median(every) * 1000:.0f} ms, "
              f"p95 {every[int(0.95 * len(every))] * 1000:.0f} ms")
        print(f"acknowledged reviews: {sum(acked.values())} ({len(refused)} refused by a review rule); "
              "all in the audit log and applied: "
              f"{'yes' if not lost and not wrong else f'NO (lost for {lost}, wrong state {wrong[:5]})'}")
        for e in errors[:10]:
            print("  error:", e)
        return 0 if not errors and not lost and not wrong and ingest_rc == 0 else 1
    finally:
        if not os.environ.get("BORDERWATCH_KEEP_LOAD"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
