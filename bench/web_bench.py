"""Web benchmark: every page and API endpoint of `borderwatch serve`, timed on large stores.

Why: the workbench must stay usable on a real archive (issue 8, "Fast on real stores": p95 at
most 300 ms for every page and endpoint on 50,000 reports, server memory flat in store size).
A test suite over a 20-report store cannot show that; this does.

How: for each --reports size it takes a store from bench/bigstore.py (built once and cached in
bench/out/, see there for how it is made), starts `borderwatch serve` on it as a real process,
lists every GET route of the app (app.routes, so a new page is timed without editing this file),
fills path parameters with real ids from the store and query parameters with typical values (a
word, a phrase, a place's other spelling, type and place filters, a period, page 2, each sort),
warms each URL up, then requests it N times in a row with httpx and prints p50, p95, max, the
response size and the first (cold) request; rows over the target are marked. A whole-list
download (/events.csv, ...) grows with the store by nature: it is streamed, so it is judged by
when its first bytes come. A URL slower than --budget gets fewer requests; one with no answer
in --timeout is an error and the server is restarted. The server's memory is read from
/proc/PID/status (VmRSS at start and end, VmHWM the peak). Results also go to
bench/out/web.json. Usage:
    python bench/web_bench.py --reports 5000 --reports 50000 [--requests 30] [--only REGEX]
    python bench/web_bench.py --reports 50000 --profile '/api/brief'   # cProfile and SQL times
    python bench/web_bench.py --db STORE.db [--profile URL]            # an existing store
The machine's load is printed with each table: other work on the machine slows every row.
"""

from __future__ import annotations

import argparse
import enum
import json
import math
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import typing
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bigstore

OUT = Path(__file__).resolve().parent / "out"
BW = str(Path(sys.executable).with_name("borderwatch"))
TARGET_MS = 300.0


# --- what to request ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RouteInfo:
    """A GET route of the app: its path template, path and query parameter names, and the
    values a query parameter admits when its annotation says (Literal or Enum)."""

    path: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    required: tuple[str, ...] = ()  # query parameters the route cannot do without


def _choices(annotation: Any) -> tuple[str, ...]:
    """The allowed values of a Literal[...] or Enum annotation (inside Optional too)."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(str(m.value) for m in annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        found = _choices(arg)
        if found:
            return found
    return ()


def app_routes(db: Path) -> list[RouteInfo]:
    """Every GET route of the app, walking included routers, plus the static files."""
    from fastapi.routing import APIRoute
    from starlette.routing import Mount, Route

    from borderwatch.serve.app import HERE, create_app

    app = create_app(str(db))
    out: list[RouteInfo] = []

    def walk(routes: list[Any], prefix: str) -> None:
        for r in routes:
            if hasattr(r, "original_router"):  # FastAPI's included router
                walk(r.original_router.routes, prefix + r.include_context.prefix)
            elif isinstance(r, APIRoute) and "GET" in r.methods:
                qs = r.dependant.query_params
                out.append(RouteInfo(
                    prefix + r.path, tuple(p.alias for p in r.dependant.path_params),
                    tuple(q.alias for q in qs),
                    {q.alias: c for q in qs if (c := _choices(q.field_info.annotation))},
                    tuple(q.alias for q in qs if q.field_info.is_required())))
            elif isinstance(r, Route) and r.methods and "GET" in r.methods:
                out.append(RouteInfo(prefix + r.path, tuple(r.param_convertors), ()))
            elif isinstance(r, Mount) and r.path == "/static":
                static = HERE / "static"
                for f in sorted(static.rglob("*")):
                    if f.suffix in (".js", ".css", ".svg") and f.stat().st_size > 0:
                        out.append(RouteInfo(f"/static/{f.relative_to(static).as_posix()}", (), ()))

    walk(app.routes, "")
    return out


def store_values(db: Path) -> dict[str, str]:
    """Real ids and typical filter values from the store, for path and query parameters."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    one = lambda sql, default=None: (conn.execute(sql).fetchone() or (default,))[0]  # noqa: E731
    n_reports = one("SELECT count(*) FROM reports")
    v = {
        # a report at the 90th percentile of events: the reader of a busy report
        "report_id": one("SELECT report_id FROM (SELECT report_id, count(*) n FROM events"
                         f" GROUP BY report_id) ORDER BY n DESC LIMIT 1 OFFSET {n_reports // 10}"),
        # the largest incident: the one at the top of the list, which analysts open
        "incident_id": str(one("SELECT id FROM incidents ORDER BY events DESC, id LIMIT 1")),
        "entity_id": one("SELECT entity_id FROM mentions WHERE kind = 'commodity'"
                         " GROUP BY entity_id ORDER BY count(*) DESC LIMIT 1"),
        "watchlist_id": str(one("SELECT watchlist_id FROM watch_hits GROUP BY watchlist_id"
                                " ORDER BY count(*) DESC LIMIT 1", 1)),
        "place": one("SELECT entity_id FROM event_entities WHERE role = 'place'"
                     " GROUP BY entity_id ORDER BY count(*) DESC LIMIT 1"),
        "commodity": "coal",
        "type": "smuggling",
        "outlet": "Daily NK",
        "topic": "trade",
        "tag": "border",
        "source_kind": "anonymous",
        "since": "2023-01",
        "until": "2023-06",
    }
    v["place_id"] = v["place"]
    v["id"] = v["report_id"]
    conn.close()
    try:
        from borderwatch.resolve.claims import claim_rules

        v["subject"] = claim_rules().subjects[0].key
    except Exception:  # noqa: BLE001 - the claims module may be changing; skip the variant
        pass
    return v


SEARCHES = (("word", "coal"), ("phrase", '"fever cases"'), ("spelling", "Shinuiju"))
SORT_GUESSES = ("newest", "oldest", "date", "-date", "published", "-published", "title",
                "events", "incidents", "count", "place", "type", "relevance")
FILTERS = ("type", "place", "commodity", "outlet", "topic", "tag", "source_kind", "subject")


def variants(route: RouteInfo, values: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """(label, query) pairs for a route: bare, then one per typical use of its parameters.
    A required parameter is always given (its first typical value); a route with a required
    parameter this does not know is left out."""
    q = set(route.query_params)
    base: dict[str, str] = {}
    for name in route.required:
        if name == "q":
            base["q"] = SEARCHES[0][1]
        elif name in values:
            base[name] = values[name]
        elif route.choices.get(name):
            base[name] = route.choices[name][0]
        else:
            return
    for label, query in _variants(route, q, values):
        if is_download(route) and label not in ("", "combined", "type"):
            continue  # a whole-set download: the bare set and a filtered one say enough
        yield label, {**base, **query}


def is_download(route: RouteInfo) -> bool:
    """A route that serves a whole list as a file (events.csv, /reports.{fmt}, ...)."""
    path = route.path
    return (path.endswith((".csv", ".json", ".jsonl", ".geojson", ".{fmt}"))
            and path != "/openapi.json" and not path.startswith("/static/")
            and all(p == "fmt" for p in route.path_params))


def _variants(route: RouteInfo, q: set[str],
              values: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    yield "", {}
    if "q" in q:
        for kind, text in SEARCHES:
            yield kind, {"q": text}
    for name in FILTERS:
        if name in q and name in values:
            yield name, {name: values[name]}
    if {"since", "until"} <= q:
        yield "period", {"since": values["since"], "until": values["until"]}
    combo = {k: values[k] for k in ("type", "place", "since", "until") if k in q}
    if len(combo) >= 3:
        yield "combined", combo
    if "granularity" in q:
        yield "week", {"granularity": "week"}
    if "page" in q:
        yield "page 2", {"page": "2"}
        if "q" in q:
            yield "word page 2", {"q": SEARCHES[0][1], "page": "2"}
    if "sort" in q and not route.choices.get("sort"):
        # the list's own sort keys are asked of the running server (expand_sorts)
        yield ASK_SORTS, {"sort": ASK_SORTS}
        return
    for name in ("sort", "order"):
        if name in q:
            for choice in route.choices.get(name) or SORT_GUESSES:
                yield f"{name}={choice}", {name: choice}


@dataclass(slots=True)
class Target:
    """One URL to time."""

    route: str  # path template
    label: str  # what the query does
    url: str
    guessed: bool = False  # a guessed value (sort): dropped unless the app answers 200


ASK_SORTS = "?"  # a placeholder sort: the server answers 400 naming the keys it sorts by
_SORT_KEYS = re.compile(r"sort by one of: ([\w ,-]+)")


def expand_sorts(client: httpx.Client, todo: list[Target]) -> list[Target]:
    """Each placeholder sort replaced by every key the list sorts by, in both orders: the
    keys come from the list's own refusal of an unknown key (paging.BadSort), so a column
    added to a list is timed without editing this file."""
    out: list[Target] = []
    for t in todo:
        if t.label != ASK_SORTS:
            out.append(t)
            continue
        m = _SORT_KEYS.search(client.get(t.url).text)
        for key in (k.strip() for k in m.group(1).split(",")) if m else ():
            for order in ("asc", "desc"):
                url = t.url.replace(urlencode({"sort": ASK_SORTS}),
                                    urlencode({"sort": key, "order": order}))
                out.append(Target(t.route, f"sort={key} {order}", url, False))
    return out


# Path parameters that are a choice of format, not an id: each is timed when the app serves it.
PATH_GUESSES = {"fmt": ("csv", "json", "jsonl")}


def _fill(path: str, name: str, value: str) -> str:
    """The path template with `{name}` or `{name:converter}` replaced by value."""
    return re.sub(r"\{" + re.escape(name) + r"(:[^}]*)?\}", value, path)


def targets(routes: list[RouteInfo], values: dict[str, str]) -> tuple[list[Target], list[str]]:
    """Every URL to time, and the routes left out (a path parameter with no value)."""
    out: list[Target] = []
    skipped: list[str] = []
    for r in routes:
        missing = [p for p in r.path_params if p not in values and p not in PATH_GUESSES]
        if missing:
            skipped.append(f"{r.path} (no value for {', '.join(missing)})")
            continue
        paths = [(r.path, False)]
        for p in r.path_params:
            if p in values:
                paths = [(_fill(path, p, str(values[p])), g) for path, g in paths]
            else:
                paths = [(_fill(path, p, v), True) for path, _g in paths for v in PATH_GUESSES[p]]
        made = list(variants(r, values))
        if not made:
            skipped.append(f"{r.path} (a required query parameter with no known value)")
        for path, path_guessed in paths:
            for label, query in made:
                guessed = path_guessed or any(k in ("sort", "order") and k not in r.choices
                                              for k in query)
                url = path + ("?" + urlencode(query) if query else "")
                shown = r.path  # the template, with a format filled in (/events.csv)
                for p in r.path_params:
                    if p in PATH_GUESSES:
                        shown = _fill(shown, p, path.rsplit(".", 1)[-1])
                if all(t.url != url for t in out):
                    out.append(Target(shown, label, url, guessed))
    return out, skipped


# --- the server --------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process in MiB (Linux /proc)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(rest.split()[0]) / 1024
    return out


class Server:
    """`borderwatch serve` on a store, as a real process; ready when the port answers."""

    def __init__(self, db: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        t0 = time.perf_counter()
        env = {k: v for k, v in os.environ.items() if k != "BORDERWATCH_DB"}
        # its log goes to a file: a pipe nobody reads would block the server when full
        self.log = OUT / f"server-{db.stem}.log"
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([BW, "serve", "--db", str(db), "--port", str(self.port)],
                                         stdout=subprocess.DEVNULL, stderr=log, env=env)
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: {self.stderr_tail()} (log: {self.log})")
            try:
                httpx.get(self.base + "/openapi.json", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        self.startup_s = time.perf_counter() - t0

    def memory(self) -> dict[str, float]:
        return memory(self.proc.pid)

    def stderr_tail(self) -> str:
        """The last lines the dead server wrote (its traceback)."""
        return " | ".join(self.log.read_text(errors="replace").strip().splitlines()[-3:])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# --- timing ------------------------------------------------------------------------------------

@dataclass(slots=True)
class Timing:
    """Latencies of one URL (whole response read; ttfb: until the headers came)."""

    route: str
    label: str
    url: str
    status: int
    n: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    ttfb_p95_ms: float
    bytes: int
    download: bool = False
    first_ms: float = 0.0  # the first request, before the warm-up: caches filled, pages read

    @property
    def slow(self) -> bool:
        """Over the target: a page or endpoint by its p95, a whole-list download (streamed, its
        size grows with the store) by when its first bytes come."""
        return (self.ttfb_p95_ms if self.download else self.p95_ms) > TARGET_MS


def p95(xs: list[float]) -> float:
    """Nearest-rank 95th percentile (of 30 samples: the 29th)."""
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def _get(client: httpx.Client, url: str) -> tuple[float, float, int, int, bool]:
    """(total ms, ms to the headers, status, bytes, is a download) of one request."""
    t0 = time.perf_counter()
    with client.stream("GET", url) as r:
        ttfb = time.perf_counter() - t0
        size = sum(len(chunk) for chunk in r.iter_raw())
        download = "attachment" in r.headers.get("content-disposition", "")
        status = r.status_code
    return (time.perf_counter() - t0) * 1000, ttfb * 1000, status, size, download


def time_target(client: httpx.Client, t: Target, n: int, warmup: int,
                budget_s: float) -> Timing | None:
    """Warm up, then n sequential requests; a URL whose first request takes budget_s / n or
    more gets fewer (at least 3), one that takes budget_s or more is timed once."""
    took, ttfb, status, size, download = _get(client, t.url)
    if t.guessed and status != 200:
        return None
    first = took
    if took / 1000 >= budget_s:
        return Timing(t.route, t.label, t.url, status, 1, took, took, took, ttfb, size, download,
                      first)
    for _ in range(warmup - 1):
        _get(client, t.url)
    count = n if took / 1000 * n <= budget_s else max(3, int(budget_s * 1000 / took))
    times, ttfbs = [], []
    for _ in range(count):
        took, ttfb, status, size, download = _get(client, t.url)
        times.append(took)
        ttfbs.append(ttfb)
    return Timing(t.route, t.label, t.url, status, count, statistics.median(times), p95(times),
                  max(times), p95(ttfbs), size, download, first)


def index_search(db: Path, say: Callable[[str], None]) -> None:
    """The store's search index, built (or caught up) before the server starts, so no timed
    request pays for it (a store made before the index queues every report for it)."""
    from borderwatch.store import open_db, searchindex

    conn = open_db(db, create=False)
    t0 = time.perf_counter()
    searchindex.for_connection(conn, wait_s=searchindex.LOCK_WAIT_S)
    conn.close()
    say(f"search index ready in {time.perf_counter() - t0:.1f} s")


def run_size(n_reports: int, args: argparse.Namespace,
             templates: list[bigstore.Template] | None) -> dict[str, Any]:
    """Build or reuse the store, serve it, time every target; the results as a dict."""
    say = lambda m: print(f"  {m}", flush=True)  # noqa: E731
    if args.db:  # a store made elsewhere (its counts read now)
        db = Path(args.db)
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        counts = bigstore.store_counts(conn)
        conn.close()
    else:
        db, counts = bigstore.cached_store(OUT, n_reports, args.templates, args.rebuild, say,
                                           templates)
    index_search(db, say)
    load_start = os.getloadavg()[0]
    values = store_values(db)
    todo, skipped = targets(app_routes(db), values)
    if args.only:  # the sort placeholders are filtered once the keys are known
        todo = [t for t in todo if t.label == ASK_SORTS or re.search(args.only, t.url)]
    server = Server(db)
    startup_s, mem_start = server.startup_s, server.memory()
    rows: list[Timing] = []
    errors: list[str] = []
    peak = 0.0
    try:
        client = httpx.Client(base_url=server.base, timeout=args.timeout)
        todo = expand_sorts(client, todo)
        if args.only:
            todo = [t for t in todo if re.search(args.only, t.url)]
        for t in todo:
            try:
                timing = time_target(client, t, args.requests, args.warmup, args.budget)
            except httpx.TransportError as exc:
                # a timeout, or the server died: note it, start a new server if needed, go on
                alive = server.proc.poll() is None
                why = (f"no answer in {args.timeout:.0f} s"
                       if isinstance(exc, httpx.TimeoutException)
                       else f"connection lost; server {'alive' if alive else 'died'}:"
                            f" {server.stderr_tail()}")
                errors.append(f"{t.url}: {type(exc).__name__} ({why})")
                print(f"    ERROR {t.url}: {why}", flush=True)
                # a new server: the old one would go on working on the abandoned request
                if alive:
                    peak = max(peak, server.memory()["VmHWM"])
                server.stop()
                client.close()
                server = Server(db)
                client = httpx.Client(base_url=server.base, timeout=args.timeout)
                continue
            if timing is not None:
                rows.append(timing)
                if args.verbose:
                    print(f"    {timing.p95_ms:8.1f} ms  {timing.status}  n={timing.n}"
                          f"  {timing.bytes / 1024:.0f} KiB  {timing.url}", flush=True)
        mem_end = server.memory()
        mem_end["VmHWM"] = max(mem_end["VmHWM"], peak)
    finally:
        server.stop()
    return {"reports": counts["reports"], "db": str(db), "db_mib": db.stat().st_size / 2**20,
            "load": [load_start, os.getloadavg()[0]],
            "counts": counts, "startup_s": startup_s, "memory_start": mem_start,
            "memory_end": mem_end, "skipped": skipped, "errors": errors,
            "rows": [asdict(r) for r in rows],
            "slow": sum(r.slow for r in rows), "timed": len(rows)}


def print_size(res: dict[str, Any]) -> None:
    """The table of one store size."""
    c = res["counts"]
    print(f"\n== {res['reports']:,} reports: store {res['db_mib']:.0f} MiB, {c['events']:,} events,"
          f" {c['incidents']:,} incidents, {c['mentions']:,} mentions; server ready in"
          f" {res['startup_s']:.1f} s (includes its incident rebuild)")
    w = max(len(f"{r['route']} {r['label']}") for r in res["rows"]) if res["rows"] else 20
    w = min(w, 64)
    print(f"{'endpoint':{w}} {'status':>6} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
          f" {'KiB':>8} {'first ms':>9}")
    for r in res["rows"]:
        name = f"{r['route']} {r['label']}".strip()[:w]
        slow = (r["ttfb_p95_ms"] if r["download"] else r["p95_ms"]) > TARGET_MS
        mark = "  SLOW" if slow else ""
        if r["download"]:
            mark += f"  (download: first bytes after {r['ttfb_p95_ms']:.0f} ms, p95)"
        print(f"{name:{w}} {r['status']:>6} {r['n']:>3} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}"
              f" {r['max_ms']:>8.1f} {r['bytes'] / 1024:>8.1f} {r['first_ms']:>9.1f}{mark}")
    ms, me = res["memory_start"], res["memory_end"]
    print(f"machine load (1-minute average) {res['load'][0]:.1f} at start, {res['load'][1]:.1f}"
          f" at end: other work on the machine slows every row")
    print(f"{res['slow']} of {res['timed']} over {TARGET_MS:.0f} ms (p95; a download: its first"
          f" bytes).  Server memory: RSS"
          f" {ms['VmRSS']:.0f} MiB at start, {me['VmRSS']:.0f} MiB at end, peak (VmHWM)"
          f" {me['VmHWM']:.0f} MiB")
    for s in res["skipped"]:
        print(f"not timed: {s}")
    for e in res["errors"]:
        print(f"error: {e}")


def profile(n_reports: int, url: str, args: argparse.Namespace) -> None:
    """One URL in-process under cProfile (the app over the cached store, FastAPI's TestClient,
    sync endpoints run inline so the profiler sees them), then the top functions by cumulative
    time and the SQL statements by time (from one statement's start to the next: the Python
    work after a statement is counted with it). Where a slow endpoint spends its time."""
    import cProfile
    import pstats

    import fastapi.dependencies.utils
    import fastapi.routing
    from fastapi.testclient import TestClient

    from borderwatch.serve import deps
    from borderwatch.serve.app import create_app

    db = Path(args.db) if args.db else bigstore.cached_store(
        OUT, n_reports, args.templates, args.rebuild, lambda m: print(f"  {m}", flush=True))[0]
    prof = cProfile.Profile()
    trace: list[tuple[float, str]] = []

    async def inline(func, *a, **kw):
        return func(*a, **kw)

    fastapi.routing.run_in_threadpool = inline
    fastapi.dependencies.utils.run_in_threadpool = inline
    opener = deps.open_db

    def traced(*a, **kw) -> sqlite3.Connection:
        conn = opener(*a, **kw)
        conn.set_trace_callback(lambda sql: trace.append((time.perf_counter(), sql)))
        return conn

    deps.open_db = traced  # every connection the app opens for requests
    app = create_app(str(db))

    async def profiled(scope, receive, send):
        prof.enable()
        try:
            await app(scope, receive, send)
        finally:
            prof.disable()

    client = TestClient(profiled)
    client.get(url)  # warm: imports, data files, SQLite page cache
    prof = cProfile.Profile()
    trace.clear()
    t0 = time.perf_counter()
    r = client.get(url)
    t1 = time.perf_counter()
    print(f"{url}: {r.status_code}, {(t1 - t0) * 1000:.0f} ms under the profiler,"
          f" {len(r.content) / 1024:.0f} KiB")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile_lines)
    spent: dict[str, list[float]] = {}
    for (t, sql), nxt in zip(trace, [*trace[1:], (t1, "")]):
        spent.setdefault(" ".join(sql.split())[:160], []).append(nxt[0] - t)
    print(f"{len(trace)} SQL statements; by time (start to the next statement's start):")
    for sql, ts in sorted(spent.items(), key=lambda kv: -sum(kv[1]))[:12]:
        print(f"{sum(ts) * 1000:9.1f} ms {len(ts):6}x  {sql}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, action="append",
                    help="store size (repeatable; default 5000 and 50000)")
    ap.add_argument("--requests", type=int, default=30, help="timed requests per URL")
    ap.add_argument("--warmup", type=int, default=2, help="untimed requests per URL first")
    ap.add_argument("--budget", type=float, default=60.0,
                    help="seconds per URL: a slower URL gets fewer requests (at least 3)")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds per request; a URL that takes longer is reported as an error")
    ap.add_argument("--templates", type=int, default=bigstore.DEFAULT_TEMPLATES)
    ap.add_argument("--only", help="time only URLs matching this regex")
    ap.add_argument("--rebuild", action="store_true", help="build the stores even if cached")
    ap.add_argument("--db", help="time this existing store instead (one size)")
    ap.add_argument("--profile", metavar="URL", help="profile one URL in-process instead")
    ap.add_argument("--profile-lines", type=int, default=40)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    sizes = args.reports or [5000, 50000]
    if args.profile:
        profile(sizes[-1], args.profile, args)
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python"
          f" {platform.python_version()}, SQLite {sqlite3.sqlite_version}; {args.requests}"
          f" requests per URL after {args.warmup} warm-up; target p95 <= {TARGET_MS:.0f} ms")
    templates = None
    if args.db:
        sizes = sizes[:1]
    elif any(not bigstore.is_cached(OUT, n, args.templates) for n in sizes) or args.rebuild:
        templates = bigstore.make_templates(args.templates, lambda m: print(f"  {m}", flush=True))
    results = []
    for n in sizes:
        res = run_size(n, args, templates)
        print_size(res)
        results.append(res)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"\nmemory: peak {a['memory_end']['VmHWM']:.0f} MiB at {a['reports']:,} reports,"
              f" {b['memory_end']['VmHWM']:.0f} MiB at {b['reports']:,}")
    OUT.mkdir(exist_ok=True)
    (OUT / "web.json").write_text(json.dumps(
        {"machine": {"arch": platform.machine(), "cores": os.cpu_count(),
                     "python": platform.python_version(), "sqlite": sqlite3.sqlite_version},
         "target_ms": TARGET_MS, "results": results}, indent=2))


if __name__ == "__main__":
    main()
