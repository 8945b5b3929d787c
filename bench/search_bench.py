"""Search at scale: SQLite FTS5 (as it was, and tuned) against the Tantivy index, on one store.

The store no longer keeps an FTS5 table (migration 0022 dropped bench_fts once watchlists
matched through the Tantivy index too): for the FTS5 engines this bench builds its own, the same
table as the store had (bench/fts5.py: external content, the tokenizer of migration 0005),
named bench_fts, once per cached store (or again with --build).

Why: at 200,000 reports a common word took 450-520 ms to search (issue 11), the target is
p95 <= 25 ms. This measures, on the same store and the same queries, what the search page needs
for one answer: the best 20 reports with snippets and the total. Engines:

- fts5: the search as it was before the Tantivy index: count(*) of every match joined to
  `reports`, BM25 (title 5x) over every match, snippet().
- fts5-tuned: what SQLite offers to make that faster: the total counted from the FTS index
  alone when no filter needs `reports`, and capped at 10,001 ("10,000+"); the best 20 chosen
  inside the FTS table before the join; a filter-first plan (`rowid IN (filtered reports)`)
  when a filter keeps few reports; the FTS index merged into one b-tree ('optimize', timed).
  detail=column/none would shrink the index but cannot answer phrases, and columnsize=0 makes
  bm25() re-read every match's text, so neither is tried.
- tantivy: borderwatch's search as shipped (store/queries.search over store/searchindex.py),
  exact totals.

Queries alternate between engines within each round (the machine is shared: ratios measured
together are worth more than absolute figures). Build time: FTS5 'rebuild' and 'optimize' of
the bench's table (the first run on a store, or --build: minutes at 200,000 reports),
`borderwatch reindex` for Tantivy. Sizes: FTS5 pages (dbstat) and the index folder.

Usage: python bench/search_bench.py [--reports 200000 | --db STORE] [--rounds 15] [--build]
Without --db it searches a store of bench/bigstore.py's copies (search_store), built once and
cached in bench/out/; `make bench-search` runs it at 200,000 reports.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fts5
from borderwatch.store import open_db, queries, searchindex
from borderwatch.store.queries import Filters, report_where

OUT = Path(__file__).resolve().parent / "out"
CAP = 10_000
SLOW_MS = 3000  # a query slower than this when warming up is timed once, not every round
FILTER_FIRST_BELOW = 20_000  # a filter keeping fewer reports than this is applied first
_SUMMARY = ("r.id, r.title, r.outlet, r.published, r.language, r.source, r.url, r.words,"
            " r.near_duplicate_of")
_BM25 = "bm25(bench_fts, 5.0, 1.0)"


def query_set(conn: sqlite3.Connection) -> list[tuple[str, str, Filters]]:
    """(label, query, filters): the kinds of search the page and `borderwatch search` get."""
    # a rare word: the six-letter code bench/bigstore.py writes into one copy's headline
    title = conn.execute("SELECT title FROM reports WHERE pk = (SELECT max(pk) / 2 FROM reports)"
                         ).fetchone()[0] or ""
    code = next((w for w in title.replace(":", " ").split() if len(w) == 6 and w.isalpha()
                 and not set(w.lower()) & set("aeiouy")), "Manpo")
    year = Filters(since="2020-01-01", until="2020-12-31")
    return [
        ("common word", "border", Filters()),
        ("common word 2", "fines", Filters()),
        ("rare word", code, Filters()),
        ("place", "Sinuiju", Filters()),
        ("phrase", '"fever cases"', Filters()),
        ("phrase 2", '"border guards"', Filters()),
        ("AND", "rice AND Hyesan", Filters()),
        ("NOT", "Hyesan NOT coal", Filters()),
        ("OR", "rice OR corn", Filters()),
        ("prefix", "smuggl*", Filters()),
        ("word + outlet", "border", Filters(outlet="Daily NK")),
        ("word + small outlet", "border", Filters(outlet="38 North")),
        ("word + year", "border", year),
        ("word + month", "fines", Filters(since="2019-03", until="2019-03")),
        ("place + language", "Sinuiju", Filters(language="en")),
        ("phrase + outlet + year", '"border guards"', Filters(outlet="Yonhap", since="2018",
                                                             until="2019")),
        ("Korean word", "혜산", Filters()),
    ]


# --- the engines --------------------------------------------------------------------------

def fts5_before(conn: sqlite3.Connection, q: str, f: Filters) -> tuple[int, bool, list[Any]]:
    """The search as it was (store/queries.py before the Tantivy index)."""
    match = queries._match(q)
    where, params = report_where(f)
    base = ("FROM bench_fts JOIN reports r ON r.pk = bench_fts.rowid WHERE "
            + " AND ".join(["bench_fts MATCH ?"] + where))
    total = conn.execute(f"SELECT count(*) {base}", [match, *params]).fetchone()[0]
    rows = conn.execute(
        f"SELECT {_SUMMARY}, {_BM25} AS score, snippet(bench_fts, 1, '[', ']', '…', 16)"
        f" AS snippet {base} ORDER BY -{_BM25} DESC, r.pk DESC LIMIT 20",
        [match, *params]).fetchall()
    return total, False, rows


def fts5_tuned(conn: sqlite3.Connection, q: str, f: Filters) -> tuple[int, bool, list[Any]]:
    """FTS5 as fast as this bench could make it (module docstring); total capped at CAP.
    The best 20 are chosen first (rowid and bm25 only: a snippet() in the same SELECT is
    computed for every match before the sort), then their snippets and rows are read."""
    match = queries._match(q)
    where, params = report_where(f)
    if not where:
        total = conn.execute("SELECT count(*) FROM (SELECT 1 FROM bench_fts WHERE bench_fts"
                             " MATCH ? LIMIT ?)", (match, CAP + 1)).fetchone()[0]
        top = conn.execute(f"SELECT rowid, {_BM25} FROM bench_fts WHERE bench_fts MATCH ?"
                           f" ORDER BY {_BM25} LIMIT 20", (match,)).fetchall()
    else:
        cond = " AND ".join(where)
        kept = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM reports r WHERE {cond} LIMIT ?)",
                            [*params, FILTER_FIRST_BELOW]).fetchone()[0]
        if kept < FILTER_FIRST_BELOW:  # few reports pass the filter: those first, then MATCH
            base = (f"FROM reports r JOIN bench_fts ON bench_fts.rowid = r.pk WHERE {cond}"
                    " AND bench_fts MATCH ?")
            args = [*params, match]
        else:
            base = (f"FROM bench_fts JOIN reports r ON r.pk = bench_fts.rowid WHERE"
                    f" bench_fts MATCH ? AND {cond}")
            args = [match, *params]
        total = conn.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT ?)",
                             [*args, CAP + 1]).fetchone()[0]
        top = conn.execute(f"SELECT bench_fts.rowid, {_BM25} {base} ORDER BY {_BM25} LIMIT 20",
                           args).fetchall()
    rows = [conn.execute(
        f"SELECT {_SUMMARY}, ? AS score, snippet(bench_fts, 1, '[', ']', '…', 16) AS snippet"
        " FROM bench_fts JOIN reports r ON r.pk = bench_fts.rowid"
        " WHERE bench_fts MATCH ? AND bench_fts.rowid = ?", (score, match, pk)).fetchone()
        for pk, score in top]
    return min(total, CAP), total > CAP, rows


def tantivy_search(conn: sqlite3.Connection, q: str, f: Filters) -> tuple[int, bool, list[Any]]:
    """borderwatch's search as shipped."""
    page = queries.search(conn, q, f, limit=20)
    return page.total, False, page.items


ENGINES: dict[str, Callable[[sqlite3.Connection, str, Filters], tuple[int, bool, list[Any]]]] = {
    "fts5": fts5_before, "fts5-tuned": fts5_tuned, "tantivy": tantivy_search}


# --- the store --------------------------------------------------------------------------------

def search_store(n: int, written: int = 40_000, templates: int = 400) -> Path:
    """A store of n reports for searching, cached in bench/out/ under the generator version.

    The first `written` are bench/bigstore.py's copies (texts, titles, outlets, dates, tags,
    topics) written through the store's writer, without their other facts (search reads none).
    The rest repeat those rows with another six-consonant code in the headline and closing line
    (so another id) and another year, inserted as rows: the store's own triggers queue them
    for the search index exactly as the writer's inserts are. Why: writing
    200,000 through the writer took over an hour on this shared 2-core machine; what search
    reads is the same either way."""
    import bigstore
    from borderwatch.extract.pipeline import extractor_version
    from borderwatch.model import FactSheet
    from borderwatch.store.writer import Writer

    # keyed by the generator only: search reads texts, titles and metadata, which other code
    # changes leave alone (delete the file to remake it)
    path = OUT / f"searchstore-g{bigstore.GENERATOR_VERSION}-{n}.db"
    done = path.with_suffix(".done")
    if path.exists() and done.exists():
        return path
    say = lambda m: print(f"  {m}", flush=True)  # noqa: E731
    OUT.mkdir(parents=True, exist_ok=True)
    conn = open_db(path)
    have = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    t0 = time.perf_counter()
    if have < min(written, n):  # (a store cut short by an earlier run: its rows are kept)
        tpl = bigstore.make_templates(templates, say)
        writer = Writer(conn, conn.execute(
            "INSERT INTO runs(started_at, command) VALUES (datetime('now'), 'search_bench')"
        ).lastrowid, batch_size=2000, batch_seconds=30.0)
        version = extractor_version()
        for i, c in enumerate(bigstore.copies(tpl, min(written, n))):
            if i < have:
                continue
            sheet = FactSheet(document=c.sheet.document, topics=c.sheet.topics)
            writer.store(sheet.document, c.fp, made=(sheet, version))
            writer.maybe_commit()
            if (i + 1) % 10000 == 0:
                say(f"store: {i + 1}/{n} reports written ({time.perf_counter() - t0:.0f} s)")
        writer.commit()
    _repeat_rows(conn, n, say)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    done.write_text(str(n))
    return path


def _repeat_rows(conn: sqlite3.Connection, n: int, say: Callable[[str], None]) -> None:
    """Fill the store up to n reports with recoded copies of its written rows (search_store)."""
    import random
    import re

    import bigstore
    from borderwatch.clean.document import report_id

    cols = ("source, url, title, outlet, author, published, language, format, encoding, text,"
            " words, removed, ingested_at, run_id")
    base = conn.execute("SELECT max(pk) FROM reports WHERE source NOT LIKE 'bench://repeat/%'"
                        ).fetchone()[0]
    have = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    rng = random.Random(have)
    closing = re.compile(r"Reference (\w{6}) \(invented")
    t0 = time.perf_counter()
    for j in range(have, n):
        if j % 2000 == 0 or j == have:
            conn.execute("BEGIN")
        src = conn.execute(f"SELECT id, {cols} FROM reports WHERE pk = ?",
                           (j % base + 1,)).fetchone()
        row = dict(zip(["id", *[c.strip() for c in cols.split(",")]], src, strict=True))
        m = closing.search(row["text"])
        old, new = (m[1] if m else ""), bigstore.code(j + 1_000_000)
        text = row["text"].replace(old, new) if old else f"{row['text']}\n\n{new}"
        row |= {"text": text, "title": (row["title"] or "").replace(old, new) if old else row["title"],
                "source": f"bench://repeat/{j}", "url": None,
                "published": (f"{rng.randint(*bigstore.YEARS)}{row['published'][4:]}"
                              if row["published"] else None)}
        conn.execute(f"INSERT INTO reports(id, {cols}) VALUES (?{', ?' * 14})",
                     [report_id(text), *[row[c.strip()] for c in cols.split(",")]])
        conn.execute("INSERT INTO report_tags(report_id, tag, position) SELECT ?, tag, position"
                      " FROM report_tags WHERE report_id = ?", (report_id(text), row["id"]))
        if j % 2000 == 1999 or j == n - 1:
            conn.execute("COMMIT")
        if (j + 1) % 20000 == 0:
            say(f"store: {j + 1}/{n} reports ({time.perf_counter() - t0:.0f} s repeating rows)")


# --- build and size ---------------------------------------------------------------------------

def fts5_size(conn: sqlite3.Connection) -> int | None:
    try:
        return conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'bench_fts%'"
                            ).fetchone()[0]
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return None


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def build_fts5(conn: sqlite3.Connection) -> dict[str, float]:
    """The bench's FTS5 table made (when missing) and filled from the store, then merged."""
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    fts5.build(conn, "bench_fts")
    out["fts5_rebuild_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    conn.execute("INSERT INTO bench_fts(bench_fts) VALUES ('optimize')")
    out["fts5_optimize_s"] = time.perf_counter() - t0
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return out


def build(conn: sqlite3.Connection) -> dict[str, float]:
    t0 = time.perf_counter()
    searchindex.reindex(conn)
    return {"tantivy_reindex_s": time.perf_counter() - t0}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="a store to search (default: --reports copies, built once)")
    ap.add_argument("--reports", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--build", action="store_true",
                    help="time FTS5 rebuild + optimize of the bench's table (minutes) and reindex")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--json", default=str(OUT / "search.json"))
    args = ap.parse_args()
    args.db = args.db or str(search_store(args.reports))
    conn = open_db(args.db, create=False)
    n = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    print(f"store: {args.db} ({n} reports); load {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores",
          flush=True)
    built: dict[str, float] = {}
    engines = [e for e in args.engines.split(",") if e in ENGINES]
    have_fts = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'bench_fts'").fetchone()
    if args.build or (not have_fts and any(e.startswith("fts5") for e in engines)):
        built = build_fts5(conn)
    path = searchindex.index_path(conn)
    if args.build or path is None or searchindex.SearchIndex.stale(path):
        built |= build(conn)
    else:
        t0 = time.perf_counter()
        queued = searchindex.for_connection(conn, sync=False).sync(conn)
        if queued:
            built["tantivy_sync_s"] = time.perf_counter() - t0
    sizes = {"fts5_bytes": fts5_size(conn), "tantivy_bytes": folder_size(path) if path else None}
    print("build:", {k: round(v, 1) for k, v in built.items()}, "size:",
          {k: f"{v / 1e6:.0f} MB" if v else None for k, v in sizes.items()}, flush=True)

    qs = query_set(conn)
    times: dict[tuple[str, str], list[float]] = {(e, lab): [] for e in engines for lab, _, _ in qs}
    totals: dict[tuple[str, str], str] = {}
    slow: set[tuple[str, str]] = set()  # over SLOW_MS when warming up: timed once more only
    for rnd in range(args.rounds + 1):  # round 0 warms the caches and is not counted
        for label, q, f in qs:
            for e in engines if rnd % 2 else reversed(engines):
                if rnd > 1 and (e, label) in slow:
                    continue
                t0 = time.perf_counter()
                total, capped, _rows = ENGINES[e](conn, q, f)
                dt = (time.perf_counter() - t0) * 1000
                if rnd:
                    times[e, label].append(dt)
                elif dt > SLOW_MS:
                    slow.add((e, label))
                    print(f"  {e}, {label}: {dt / 1000:.1f} s, timed once more only", flush=True)
                totals[e, label] = f"{total:,}{'+' if capped else ''}"
    load = os.getloadavg()[0]
    print(f"\n{args.rounds} rounds, load {load:.2f} at the end; ms: median / p95; total matches")
    head = f"{'query':24}" + "".join(f"{e:>30}" for e in engines)
    print(head)
    result: dict[str, Any] = {"reports": n, "rounds": args.rounds, "load": load, "build_s": built,
                              "sizes": sizes, "queries": {}}
    for label, q, f in qs:
        cells = []
        for e in engines:
            ts = times[e, label]
            cells.append(f"{statistics.median(ts):7.1f} / {pct(ts, 95):7.1f}  {totals[e, label]:>10}")
            result["queries"].setdefault(label, {"q": q, "filters": {
                k: v for k, v in dataclasses.asdict(f).items() if v}})[e] = {
                "median_ms": statistics.median(ts), "p95_ms": pct(ts, 95), "total": totals[e, label]}
        print(f"{label:24}" + "".join(f"{c:>30}" for c in cells))
    print(f"{'all queries p95':24}" + "".join(
        f"{pct([t for lab, _, _ in qs for t in times[e, lab]], 95):>19.1f}{'':11}" for e in engines))
    result["p95_all_ms"] = {e: pct([t for lab, _, _ in qs for t in times[e, lab]], 95) for e in engines}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
