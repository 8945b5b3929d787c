"""Regrouping after a review (issue 9): a review regroups only the incidents it can change, and
what it leaves is exactly what a full rebuild gives. Property-based over random sequences of
reviews and undos on the invented sample reports (tests/serve/webstore.py)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.jobs import undo
from borderwatch.store import review as rv
from borderwatch.store.facts import is_stale
from borderwatch.store.incidents import rebuild_incidents, regroup_pending
from tests.examples import examples

from ..serve.webstore import build_store
from ..store.test_review_undo import _copy, apply

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("regroup-store"))


def incidents(conn: sqlite3.Connection) -> dict[str, tuple]:
    """Every incident by key: its row (id left out) and its events."""
    members: dict[int, list[int]] = {}
    for iid, eid in conn.execute("SELECT incident_id, event_id FROM incident_events"):
        members.setdefault(iid, []).append(eid)
    return {r[1]: (*tuple(r)[2:], sorted(members.get(r[0], [])))
            for r in conn.execute("SELECT * FROM incidents")}


def full_rebuild_of(conn: sqlite3.Connection) -> dict[str, tuple]:
    """What a full rebuild would make of the store as it is now (rolled back after)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        rebuild_incidents(conn)
        return incidents(conn)
    finally:
        conn.execute("ROLLBACK")


def _noted(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT kind, value FROM incidents_pending")]


STEPS = st.lists(st.tuples(st.integers(0, 8), st.integers(0, 500), st.integers(0, 500)),
                 min_size=1, max_size=6)


# REGROUP_EXAMPLES=400 for a longer run (526 partial regroups checked against a full rebuild on 2026-12-05)
@settings(max_examples=examples(int(os.environ.get("REGROUP_EXAMPLES", "40"))), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_regrouping_after_any_reviews_equals_a_full_rebuild(master, steps):
    conn = _copy(master)
    for action, n, m in steps:
        if action == 8:  # undo the newest standing review, as the workbench does (jobs.undo)
            standing = [r[0] for r in conn.execute(
                "SELECT id FROM reviews WHERE undone_by IS NULL AND action <> 'undo' ORDER BY id DESC")]
            if standing:
                undo(conn, standing[0], "bob")
        else:
            apply(conn, action, n, m)
            regroup_pending(conn)
        assert _noted(conn) == []
        assert incidents(conn) == full_rebuild_of(conn)
    conn.close()


def test_a_review_regroups_its_scopes_only(master):
    """Rejecting one event rewrites the incidents of its scope and leaves the others' rows
    untouched (same ids, same members), and the result equals a full rebuild."""
    conn = _copy(master)
    row = conn.execute(
        "SELECT e.id, ie.incident_id FROM events e JOIN incident_events ie ON ie.event_id = e.id"
        " JOIN incidents i ON i.id = ie.incident_id WHERE i.events >= 2 AND e.review IS NULL"
        " ORDER BY e.id LIMIT 1").fetchone()
    assert row is not None
    before = {r[0]: tuple(r) for r in conn.execute("SELECT * FROM incidents")}
    rv.review_fact(conn, "events", row[0], "reject", "ana")
    assert _noted(conn) != []
    written = regroup_pending(conn)
    after = {r[0]: tuple(r) for r in conn.execute("SELECT * FROM incidents")}
    assert after[row[1]][7] == before[row[1]][7] - 1  # one event fewer in its incident
    assert 1 <= written < len(before)
    same = [i for i in before if i != row[1] and after.get(i) == before[i]]
    assert len(same) >= len(before) - written - 1
    assert incidents(conn) == full_rebuild_of(conn)
    conn.close()


def test_a_note_left_by_a_killed_server_is_regrouped_by_the_next_start(master):
    """The review commits its note; a server killed before regrouping leaves it, and the next
    regroup (serve start, ingest) does the work and takes the note away."""
    conn = _copy(master)
    eid = conn.execute("SELECT id FROM events WHERE review IS NULL ORDER BY id LIMIT 1").fetchone()[0]
    rv.review_fact(conn, "events", eid, "reject", "ana")
    rid = conn.execute("SELECT report_id FROM events WHERE id = ?", (eid,)).fetchone()[0]
    assert _noted(conn) == [("report", rid)]
    assert not is_stale(conn)  # a review no longer makes every incident stale
    assert conn.execute("SELECT count(*) FROM incident_events WHERE event_id = ?", (eid,)).fetchone()[0] == 1
    regroup_pending(conn)
    assert _noted(conn) == []
    assert conn.execute("SELECT count(*) FROM incident_events WHERE event_id = ?", (eid,)).fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_ingest_regroups_only_what_its_new_reports_change(tmp_path, monkeypatch, seed):
    """Migration 0023: the writer notes each new report with facts, and the ingest's end
    regroups the scopes they fall in instead of rebuilding every incident. Ingesting the
    invented samples (and reports that share their places and weeks) in three runs gives the
    incidents one full rebuild gives, and the later runs rebuild nothing."""
    import random
    import shutil

    from borderwatch.ingest import ReadOptions
    from borderwatch.jobs import ingest
    from borderwatch.store import incidents as store_incidents
    from borderwatch.store import open_db

    from ..conftest import EXAMPLES

    files = sorted(p for p in EXAMPLES.iterdir() if p.suffix not in (".xml", ".atom"))
    extra = tmp_path / "extra"
    extra.mkdir()
    for i in range(12):  # invented: the same places and types, days apart, to share scopes
        place = ("Hyesan", "Sinuiju", "Musan")[i % 3]
        (extra / f"x{i:02d}.txt").write_text(
            f"Invented report {i} ({seed}).\n\nBorder guards in {place} caught smugglers carrying"
            f" copper on 2024-03-{1 + 2 * i:02d}, and fined a trader {400 + i} yuan, a source said.\n",
            encoding="utf-8")
    inputs = files + sorted(extra.iterdir())
    random.Random(seed).shuffle(inputs)
    parts = [inputs[: len(inputs) // 3], inputs[len(inputs) // 3: 2 * len(inputs) // 3],
             inputs[2 * len(inputs) // 3:]]
    conn = open_db(tmp_path / "s.db")
    for n, part in enumerate(parts):
        folder = tmp_path / f"run{n}"
        folder.mkdir()
        for p in part:
            shutil.copy(p, folder / p.name)
        if n:  # a later run into a store that holds incidents: no full rebuild
            monkeypatch.setattr(store_incidents, "rebuild_incidents", _no_rebuild)
        ingest(conn, [str(folder)], ReadOptions())
        monkeypatch.undo()
        assert not conn.execute("SELECT count(*) FROM incidents_due").fetchone()[0]
        assert not _noted(conn)
        assert incidents(conn) == full_rebuild_of(conn)
    assert conn.execute("SELECT count(*) FROM incidents").fetchone()[0] > 10


def _no_rebuild(*_a, **_k):
    raise AssertionError("a small ingest into a store rebuilt every incident")



def _plant_and_take(conn: sqlite3.Connection, rid: str) -> tuple[int, int]:
    """In report rid: plant an extracted event the extractor does not give (a copy of one of its
    events, moved to Manpo) and delete one it does give; regroup everything. (planted, taken)."""
    cols = [r[1] for r in conn.execute("PRAGMA table_info(events)") if r[1] != "id"]
    picked = ", ".join("'place:manpo'" if c == "place" else "start + 1" if c == "start"
                       else f'"{c}"' for c in cols)
    with conn:
        planted = conn.execute(
            f"INSERT INTO events({', '.join(f'{c!r}' for c in cols)}) SELECT {picked} FROM events"
            " WHERE report_id = ? AND origin = 'extracted' ORDER BY id LIMIT 1 RETURNING id",
            (rid,)).fetchone()[0]
        taken = conn.execute("SELECT max(id) FROM events WHERE report_id = ? AND id <> ?"
                             " AND origin = 'extracted' AND review IS NULL", (rid, planted)).fetchone()[0]
        conn.execute("DELETE FROM incident_events WHERE event_id = ?", (taken,))
        conn.execute("DELETE FROM events WHERE id = ?", (taken,))
    rebuild_incidents(conn)
    return planted, taken


def test_a_reextraction_regroups_the_scopes_of_old_and_new_events(master, monkeypatch):
    """Re-extraction replaces a report's events: the incidents its old events were in are noted
    before they go, the report after (store/facts.note_events_gone), and the regroup that follows
    gives what a full rebuild gives, without one. The old events include one the extraction does
    not give (at Manpo, where no other report has one: its incident must go), and lack one it
    gives (it comes back, and joins its incident again)."""
    from borderwatch.jobs import reextract_reports
    from borderwatch.store import incidents as store_incidents

    conn = _copy(master)
    rid = conn.execute("SELECT report_id FROM events WHERE place = 'place:sinuiju' AND origin ="
                       " 'extracted' GROUP BY report_id ORDER BY count(*) DESC, report_id").fetchone()[0]
    planted, _ = _plant_and_take(conn, rid)
    manpo = conn.execute("SELECT i.key FROM incident_events ie JOIN incidents i ON i.id = ie.incident_id"
                         " WHERE ie.event_id = ?", (planted,)).fetchone()[0]
    before = incidents(conn)
    monkeypatch.setattr(store_incidents, "rebuild_incidents", _no_rebuild)
    reextract_reports(conn, [rid])
    monkeypatch.undo()
    assert not is_stale(conn) and not _noted(conn)
    assert not conn.execute("SELECT count(*) FROM incidents_due").fetchone()[0]
    after = incidents(conn)
    assert manpo in before and manpo not in after  # the planted event's incident went with it
    assert after != before
    assert after == full_rebuild_of(conn)
    conn.close()


def test_a_reextraction_of_every_report_equals_a_full_rebuild(master):
    """The whole store re-extracted (a new extractor version): many reports noted at once."""
    from borderwatch.jobs import reextract

    conn = _copy(master)
    rids = [r[0] for r in conn.execute("SELECT DISTINCT report_id FROM events ORDER BY report_id")]
    for rid in rids[:3]:
        _plant_and_take(conn, rid)
    reextract(conn)
    assert not is_stale(conn) and not _noted(conn)
    assert incidents(conn) == full_rebuild_of(conn)
    conn.close()
