"""Watchlists match their query through the search index (issue 11), the store keeps no FTS5
table (migration 0022), and a watchlist never skips a report the index does not hold yet.

Real store files and the `borderwatch` command as a process; the index writer held by another
real process for the consistency point. All report texts are invented.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest
from borderwatch.store import open_db, searchindex
from borderwatch.store.migrate import _statements, available_migrations, current_version
from borderwatch.store.watchlists import WatchFilters, create_watchlist, run_watchlists

from ..conftest import bw_json, run_bw

# Invented reports: (file name, text). The first batch is in the store before the watchlists.
FIRST = [
    ("old_coal.txt", "Invented: coal trucks waited at the Sinuiju customs gate for two days while "
                     "border guards checked every load, a trader said."),
    ("old_ko.txt", "혜산시에서 쌀값이 올랐다고 소식통이 전했다. 국경 단속이 강화되었다는 "
                   "지어낸 이야기이다."),
]
# The second batch: what each watchlist should find among them is written beside it.
SECOND = [
    ("new_coal.txt", "Invented: smugglers moved coal across the river at night near Manpo, and "
                     "police arrested three of them, a source said."),  # coal
    ("new_coalition.txt", "Invented: a coalition of traders in Manpo asked officials to open "
                          "the market longer, a resident said."),  # none ("coalition" is not coal)
    ("new_ko.txt", "혜산에서 밀수꾼들이 단속되었다고 소식통이 전했다. 지어낸 보도이다."),  # 혜산
    ("new_sinuiju.txt", "Invented: rice prices in Sinuiju fell this week as harvest grain "
                        "arrived, a trader told the newsroom."),  # Shinuiju
    ("new_other.txt", "Invented: the weather in Chongjin was cold and dry all week, residents "
                      "said, and fishing boats stayed in the harbour."),  # none
]
LISTS = {"coal": "coal", "hyesan-ko": "혜산", "shinuiju": "Shinuiju"}
EXPECTED = {"coal": {"new_coal.txt"}, "hyesan-ko": {"new_ko.txt"}, "shinuiju": {"new_sinuiju.txt"}}


def _write(folder: Path, reports: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in reports:
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _ingest(db: Path, folder: Path) -> None:
    p = run_bw("ingest", str(folder), "-q", db=db)
    assert p.returncode == 0, p.stderr


def _hits_by_list(db: Path) -> dict[str, set[str]]:
    """watchlist name -> the file names of the reports it has hits in."""
    c = sqlite3.connect(db)
    out: dict[str, set[str]] = {}
    for name, source in c.execute(
            "SELECT w.name, r.source FROM watch_hits h JOIN watchlists w ON w.id = h.watchlist_id"
            " JOIN reports r ON r.id = h.report_id"):
        out.setdefault(name, set()).add(Path(source).name)
    c.close()
    return out


def _search_names(db: Path, query: str) -> set[str]:
    found = bw_json("search", query, "--limit", "100", db=db)
    assert found["total"] == len(found["results"])
    return {Path(r["source"]).name for r in found["results"]}


def _add_lists(db: Path) -> None:
    for name, query in LISTS.items():
        p = run_bw("watch", "add", name, "--query", query, db=db)
        assert p.returncode == 0, p.stderr


def _check_second_batch(db: Path, tmp_path: Path) -> None:
    """After the watchlists ran once over the first batch, an ingest of the second makes each
    find exactly the new reports its query matches, the ones the search box finds."""
    before = _hits_by_list(db)
    _ingest(db, _write(tmp_path / "second", SECOND))
    p = run_bw("watch", "run", "--json", db=db)  # (the ingest ran them; anything left comes now)
    assert p.returncode == 0, p.stderr
    after = _hits_by_list(db)
    new = {name for name, _ in SECOND}
    for name, query in LISTS.items():
        got = after.get(name, set()) - before.get(name, set())
        assert got == EXPECTED[name], name
        assert got == _search_names(db, query) & new, name  # the search box's meaning


def test_watchlist_queries_find_exactly_the_new_matching_reports(tmp_path):
    db = tmp_path / "w.db"
    _ingest(db, _write(tmp_path / "first", FIRST))
    _add_lists(db)
    first = bw_json("watch", "run", db=db)
    got = {r["name"]: {h["report_id"] for h in r["hits"]} for r in first}
    c = sqlite3.connect(db)
    ids = {Path(s).name: i for i, s in c.execute("SELECT id, source FROM reports")}
    c.close()
    # the first run reports what already matches: coal and Sinuiju in one, 혜산 in the other
    assert got == {"coal": {ids["old_coal.txt"]}, "hyesan-ko": {ids["old_ko.txt"]},
                   "shinuiju": {ids["old_coal.txt"]}}
    _check_second_batch(db, tmp_path)


def test_watchlist_query_is_checked_by_the_index_reading(tmp_path):
    db = tmp_path / "w.db"
    _ingest(db, _write(tmp_path / "first", FIRST))
    p = run_bw("watch", "add", "nothing", "--query", "AND OR ()", db=db)
    assert p.returncode != 0 and "nothing to search for" in p.stderr


def _store_at(path: Path, version: int) -> None:
    """A store made by a borderwatch whose newest migration was `version`."""
    raw = sqlite3.connect(path, isolation_level=None)
    current_version(raw)
    for v, name, sql in available_migrations():
        if v > version:
            break
        for st in _statements(sql):
            raw.execute(st)
        raw.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (v, name))
    raw.close()


def test_store_migrated_to_0022_has_no_fts5_and_still_ingests_searches_and_watches(tmp_path):
    db = tmp_path / "old.db"
    _store_at(db, 21)
    c = sqlite3.connect(db)
    assert c.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'reports_fts%'"
                     ).fetchone()[0] > 0  # what 0022 takes away: the table and its triggers
    c.close()
    _ingest(db, _write(tmp_path / "first", FIRST))  # the open applies 0022
    c = sqlite3.connect(db)
    assert c.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] >= 22
    assert c.execute("SELECT name FROM sqlite_master WHERE name LIKE '%fts%'"
                     " OR sql LIKE '%fts5%'").fetchall() == []
    c.close()
    assert _search_names(db, "coal") == {"old_coal.txt"}
    assert _search_names(db, "혜산") == {"old_ko.txt"}
    _add_lists(db)
    assert run_bw("watch", "run", db=db).returncode == 0
    _check_second_batch(db, tmp_path)


# Holds the search index's writer until its stdin closes (or it is killed): another process
# syncing the index, as an ingest does, while the watchlists run.
HOLDER = r"""
import sys
from pathlib import Path
from borderwatch.store.searchindex import SearchIndex
writer = SearchIndex(Path(sys.argv[1]))._writer(5)
print("holding", flush=True)
sys.stdin.read()
"""


def test_watchlists_never_skip_reports_the_index_does_not_hold_yet(tmp_path, monkeypatch):
    """An ingest while another process holds the index writer: its sync gives up waiting, so
    the reports it stored are not in the index when it runs the watchlists. Their marks stop
    before those reports (no hit is lost), and once that process is gone (killed) the next run
    finds them."""
    monkeypatch.setattr(searchindex, "LOCK_WAIT_S", 0.5)  # the ingest's wait for the writer
    conn = open_db(tmp_path / "s.db")
    assert ingest(conn, [str(_write(tmp_path / "first", FIRST[:1]))], ReadOptions()).failed == 0
    reports = create_watchlist(conn, "coal", WatchFilters(query="coal"))
    events = create_watchlist(conn, "coal arrests", WatchFilters(query="coal", type="enforcement"))
    run_watchlists(conn)
    marks = conn.execute("SELECT last_report_pk FROM watchlists WHERE id = ?",
                         (reports,)).fetchone()[0]
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(searchindex.index_path(conn))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_env())
    try:
        assert holder.stdout.readline().strip() == b"holding"
        # stored and "settled" with the writer held: queued for the index, not in it
        second = _write(tmp_path / "second", [SECOND[0], SECOND[4]])
        assert ingest(conn, [str(second)], ReadOptions()).failed == 0
        assert conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 2
        new_coal = conn.execute("SELECT id FROM reports WHERE source LIKE '%new_coal.txt'"
                                ).fetchone()[0]
        first_event = conn.execute("SELECT min(id) FROM events WHERE type = 'enforcement'"
                                   " AND report_id = ?", (new_coal,)).fetchone()[0]
        assert first_event is not None
        assert {r.name: r.hits for r in run_watchlists(conn)} == {"coal": [], "coal arrests": []}
        for wid in (reports, events):  # the marks stayed before the reports the index lacks
            pk, event = conn.execute("SELECT last_report_pk, last_event_id FROM watchlists"
                                     " WHERE id = ?", (wid,)).fetchone()
            assert pk == marks and event < first_event
        assert conn.execute("SELECT count(*) FROM watch_hits WHERE report_id = ?",
                            (new_coal,)).fetchone()[0] == 0
    finally:
        holder.kill()
        holder.wait()
    results = {r.name: r.hits for r in run_watchlists(conn)}
    assert [h.report_id for h in results["coal"]] == [new_coal]
    assert results["coal arrests"] and {h.report_id for h in results["coal arrests"]} == {new_coal}
    assert conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 0
    conn.close()


def _env() -> dict[str, str]:
    src = Path(searchindex.__file__).resolve().parents[2]
    return {**os.environ, "PYTHONPATH": str(src)}

