"""Undo round trips (issue 8): any sequence of reviews undone gives back the exact store it
changed, row for row; a later change blocks an earlier undo until it is undone itself; undo
works across re-extraction. Property-based over random sequences of reviews on the invented
sample reports (tests/serve/webstore.py)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES
from borderwatch.store import open_db
from borderwatch.store import review as rv
from borderwatch.store.incidents import IncidentError, merge_incidents, split_incident
from borderwatch.store.undo import undo_review
from tests.examples import examples

from ..serve.webstore import build_store

TABLES = ("mentions", "amounts", "dates", "attributions", "events")
GOODS = ("rice", "coal", "iron ore", "diesel", "copper")


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("undo-store"))


def _copy(master: Path) -> sqlite3.Connection:
    """A fresh copy of the store, beside it in pytest's temporary folder (cleaned by pytest: a
    copy in /tmp itself was left behind, a megabyte for each of some 200 examples a run)."""
    folder = Path(tempfile.mkdtemp(prefix="copy-", dir=master.parent))
    shutil.copy(master, folder / "s.db")
    return open_db(folder / "s.db")


def state(conn: sqlite3.Connection, with_ids: bool = True) -> dict[str, list[tuple]]:
    """Every row a review can change (ids left out when re-extraction renumbers rows)."""
    out = {}
    for t in (*TABLES, "incident_pins"):
        rows = [tuple(r) for r in conn.execute(f"SELECT * FROM {t}")]
        out[t] = sorted(rows if with_ids or t == "incident_pins" else [r[1:] for r in rows])
    ee = ("SELECT ee.event_id, ee.entity_id, ee.role FROM event_entities ee" if with_ids else
          "SELECT e.report_id, e.start, e.type, ee.entity_id, ee.role FROM event_entities ee"
          " JOIN events e ON e.id = ee.event_id")
    out["event_entities"] = sorted(tuple(r) for r in conn.execute(ee))
    out["reports"] = sorted(tuple(r) for r in conn.execute("SELECT id, title, published, outlet FROM reports"))
    return out


def _pick(conn: sqlite3.Connection, sql: str, n: int, params=()):
    rows = conn.execute(sql, params).fetchall()
    return rows[n % len(rows)] if rows else None


def apply(conn: sqlite3.Connection, action: int, n: int, m: int) -> None:
    """One review chosen by numbers (so hypothesis can shrink it); refused ones are skipped."""
    try:
        if action in (0, 1):
            table = TABLES[m % len(TABLES)]
            row = _pick(conn, f"SELECT id FROM {table} ORDER BY id", n)
            rv.review_fact(conn, table, row[0], "accept" if action == 0 else "reject", "ana")
        elif action == 2:
            ev = _pick(conn, "SELECT id, report_id FROM events ORDER BY id", n)
            places = [r[0] for r in conn.execute(
                "SELECT DISTINCT name FROM mentions WHERE report_id = ? AND kind = 'place'", (ev[1],))]
            changes = {"type": EVENT_TYPES[m % len(EVENT_TYPES)],
                       "commodities": list(GOODS[: m % 4]),
                       "date": [None, "2021", "2021-05", "2021-05-06"][n % 4],
                       "attribution_kind": sorted(ATTRIBUTION_KINDS)[m % len(ATTRIBUTION_KINDS)],
                       "places": places[: n % 3]}
            keys = list(changes)[: 1 + m % len(changes)]
            amount = _pick(conn, "SELECT a.id FROM amounts a JOIN events e ON e.report_id = a.report_id"
                                 " AND a.idx IN (SELECT value FROM json_each(e.facts, '$.amounts'))"
                                 " WHERE e.id = ? AND a.kind = 'money'", 0, (ev[0],))
            body = {k: changes[k] for k in keys}
            if amount and m % 2:
                body["amounts"] = [{"id": amount[0], "value": 100 + n, "currency": ["KPW", "CNY", "USD"][m % 3]}]
            rv.correct_event(conn, ev[0], body, "ana")
        elif action == 3:
            a = _pick(conn, "SELECT id, kind FROM amounts ORDER BY id", n)
            change = {"min": n, "max": n + m}
            if a[1] == "money":
                change["currency"] = ["KPW", "CNY", "USD", "EUR"][m % 4]
            else:
                change["unit"] = ["tons", "kg", None][m % 3]
            rv.correct_amount(conn, a[0], change, "ana")
        elif action == 4:
            r = _pick(conn, "SELECT id, length(text) FROM reports ORDER BY id", n)
            start = m % max(1, r[1] - 20)
            rv.add_event(conn, r[0], start, start + 5 + n % 10, EVENT_TYPES[n % len(EVENT_TYPES)], "ana",
                         commodities=list(GOODS[: n % 3]))
        elif action == 5:
            r = _pick(conn, "SELECT id FROM reports ORDER BY id", n)
            rv.edit_report(conn, r[0], {"title": f"Title {m}", "outlet": ["X", None, "Daily NK"][n % 3]}, "ana")
        elif action == 6:
            inc = _pick(conn, "SELECT id FROM incidents WHERE events >= 2 ORDER BY id", n)
            if inc:
                evs = [r[0] for r in conn.execute(
                    "SELECT event_id FROM incident_events WHERE incident_id = ? ORDER BY event_id", (inc[0],))]
                split_incident(conn, inc[0], evs[: 1 + m % (len(evs) - 1)], "ana")
        else:
            first = _pick(conn, "SELECT id, type FROM incidents ORDER BY id", n)
            other = _pick(conn, "SELECT id FROM incidents WHERE type = ? AND id <> ? ORDER BY id", m,
                          (first[1], first[0]))
            if other:
                merge_incidents(conn, [first[0], other[0]], "ana")
    except (rv.ReviewError, IncidentError):
        pass  # a review the store refuses (nothing to change, bad value) changes nothing


def _standing(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT id FROM reviews WHERE undone_by IS NULL AND action <> 'undo' ORDER BY id DESC")]


ACTIONS = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 500), st.integers(0, 500)),
                   min_size=1, max_size=6)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ACTIONS)
def test_undo_newest_first_restores_the_exact_store(master, steps):
    conn = _copy(master)
    before = state(conn)
    for step in steps:
        apply(conn, *step)
    for rid in _standing(conn):  # newest first: no later change ever stands in the way
        undo_review(conn, rid, "bob")
    assert state(conn) == before
    assert _standing(conn) == []
    conn.close()


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ACTIONS, order=st.randoms(use_true_random=False))
def test_undo_in_any_order_refuses_conflicts_and_ends_where_it_began(master, steps, order):
    """Undo in a random order: an undo either works or names the later review in its way;
    undoing that one first always clears the way, and the store ends exactly as it began."""
    conn = _copy(master)
    before = state(conn)
    for step in steps:
        apply(conn, *step)
    pending = _standing(conn)
    order.shuffle(pending)
    guard = 0
    while pending:
        guard += 1
        assert guard < 200
        rid = pending[0]
        try:
            undo_review(conn, rid, "bob")
            pending.remove(rid)
        except rv.ReviewConflict as exc:
            later = int(str(exc).split("review ")[1].split(":")[0])
            assert later > rid and later in pending  # it names a later review still standing
            pending.remove(later)
            pending.insert(0, later)
    assert state(conn) == before
    conn.close()


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("action", ["accept", "reject"])
def test_undo_verdict_on_every_fact_of_a_report(master, table, action):
    """Every fact of one report accepted (or rejected) one by one, then each undone: exact."""
    conn = _copy(master)
    rid = conn.execute("SELECT report_id FROM events GROUP BY report_id ORDER BY count(*) DESC"
                       " LIMIT 1").fetchone()[0]
    before = state(conn)
    ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE report_id = ? ORDER BY id", (rid,))]
    assert ids
    for fid in ids:
        rv.review_fact(conn, table, fid, action, "ana")
    assert state(conn) != before
    for r in _standing(conn):
        undo_review(conn, r, "bob")
    assert state(conn) == before


def test_rejected_mentions_leave_events_and_come_back_after_reextract(master):
    """Reject every mention of a good in its report: its events lose it, re-extraction keeps it
    out; the undo after re-extraction brings the extractor's reading back (jobs.undo
    re-extracts the report whose replaced events it cannot write back)."""
    from borderwatch import jobs

    conn = _copy(master)
    good, rid = conn.execute(
        "SELECT ee.entity_id, e.report_id FROM event_entities ee JOIN events e ON e.id = ee.event_id"
        " WHERE ee.role = 'commodity' ORDER BY e.id LIMIT 1").fetchone()
    fresh = state(conn, with_ids=False)
    for (mid,) in conn.execute("SELECT id FROM mentions WHERE report_id = ? AND entity_id = ?",
                               (rid, good)).fetchall():
        rv.review_fact(conn, "mentions", mid, "reject", "ana")
    holding = "SELECT count(*) FROM event_entities ee JOIN events e ON e.id = ee.event_id WHERE e.report_id = ? AND ee.entity_id = ?"
    assert conn.execute(holding, (rid, good)).fetchone()[0] == 0
    jobs.reextract(conn)
    assert conn.execute(holding, (rid, good)).fetchone()[0] == 0
    facts = [json.loads(r[0]) for r in conn.execute("SELECT facts FROM events WHERE report_id = ?", (rid,))]
    assert all(good not in f["commodities"] for f in facts)
    for r in _standing(conn):
        out = jobs.undo(conn, r, "bob")
        assert out["reextract"] in ([], [rid])
    assert state(conn, with_ids=False) == fresh


def test_undo_of_a_review_written_before_undo_existed(master):
    """A verdict logged without `changes` (before migration 0007) is undone from `before`;
    a correction logged so is refused in words."""
    conn = _copy(master)
    eid = conn.execute("SELECT id, report_id FROM events ORDER BY id LIMIT 1").fetchone()
    conn.execute("UPDATE events SET review = 'rejected' WHERE id = ?", (eid[0],))
    conn.execute("INSERT INTO reviews(report_id, fact_table, fact_id, action, before, after, user, at)"
                 " VALUES (?, 'events', ?, 'reject', '{\"review\": null}', '{\"review\": \"rejected\"}',"
                 " 'old', '2024-01-01')", (eid[1], eid[0]))
    old = conn.execute("SELECT max(id) FROM reviews").fetchone()[0]
    undo_review(conn, old, "bob")
    assert conn.execute("SELECT review FROM events WHERE id = ?", (eid[0],)).fetchone()[0] is None
    conn.execute("INSERT INTO reviews(report_id, fact_table, fact_id, action, before, after, user, at)"
                 " VALUES (?, 'events', ?, 'correct', '{}', '{}', 'old', '2024-01-01')", (eid[1], eid[0]))
    with pytest.raises(rv.ReviewError, match="before undo existed"):
        undo_review(conn, conn.execute("SELECT max(id) FROM reviews").fetchone()[0], "bob")


def test_undo_of_a_review_changed_again_and_back_names_the_later_one(master):
    """Accept, reject, accept the same fact: the first review cannot be undone while the later
    ones stand, though the row holds its values again (found by the random-order test)."""
    conn = _copy(master)
    fid = conn.execute("SELECT id FROM mentions ORDER BY id").fetchone()[0]
    for verdict in ("accept", "reject", "accept"):
        rv.review_fact(conn, "mentions", fid, verdict, "ana")
    standing = _standing(conn)
    assert len(standing) == 3
    first = min(standing)
    with pytest.raises(rv.ReviewConflict, match=rf"review {max(standing)}: undo that one first"):
        undo_review(conn, first, "bob")
    conn.close()
