"""Undoing a review: the rows it changed go back exactly to how they were before it.

A review's `changes` (store/review.Recorder) name every row it touched with the changed columns
before and after. Undo checks that each row still holds the review's "after" values: when a
later review changed one of them again, the undo is refused (ReviewConflict) and names that
review, to be undone first, so an undo never silently throws away someone's later work. Then
the "before" values are written back, the undo is logged as a review of its own (action 'undo',
`undoes`), and the undone review is marked `undone_by`.

A row that is gone was an unreviewed extracted fact that `reextract` replaced (reviewed rows
are never deleted by it): nothing to write back there; the report is re-extracted instead, so
the extractor's reading comes back without the undone review (jobs.undo does that).

An undo is not undone itself: to have the change again, make it again.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from borderwatch.store.db import transaction
from borderwatch.store.facts import fill_event_columns, note_event_gone
from borderwatch.store.review import ENTITIES, ROW_KEYS, ReviewConflict, ReviewError, get_review, log_review, snapshot


def _legacy_changes(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Changes of a review written before migration 0007, where its before/after are exact."""
    if r["action"] in ("accept", "reject"):
        return [{"table": r["fact_table"], "key": {"id": r["fact_id"]},
                 "before": {"review": (r["before"] or {}).get("review")},
                 "after": {"review": (r["after"] or {}).get("review")}}]
    if r["action"] == "edit":
        return [{"table": "reports", "key": {"id": r["report_id"]},
                 "before": r["before"], "after": r["after"]}]
    raise ReviewError(f"review {r['id']} ({r['action']}) was recorded before undo existed: "
                      "change the fact again instead")


def _later_review(conn: sqlite3.Connection, review_id: int, change: dict[str, Any]) -> int | None:
    """The newest standing review after `review_id` that changed the same row, if any."""
    for rid, raw in conn.execute(
            "SELECT id, changes FROM reviews WHERE id > ? AND undone_by IS NULL"
            " AND action <> 'undo' AND changes IS NOT NULL ORDER BY id DESC", (review_id,)):
        if any(c["table"] == change["table"] and c["key"] == change["key"] for c in json.loads(raw)):
            return int(rid)
    return None


def _state(conn: sqlite3.Connection, change: dict[str, Any]) -> str:
    """'ok' when the row holds the review's after values, 'gone' when an unreviewed extracted
    row was replaced by re-extraction, else 'changed'."""
    now = snapshot(conn, change["table"], change["key"])
    after = change["after"]
    if after is None:
        return "ok" if now is None else "changed"
    if now is None:
        replaced = change["before"] is not None and change["table"] not in ("reports", "incident_pins")
        return "gone" if replaced else "changed"
    return "ok" if all(now.get(c) == v for c, v in after.items()) else "changed"


def _where(change: dict[str, Any]) -> tuple[str, list[Any]]:
    keys = ROW_KEYS[change["table"]]
    return " AND ".join(f'"{k}" = ?' for k in keys), [change["key"][k] for k in keys]


def _set_entities(conn: sqlite3.Connection, event_id: int, rows: list[list[str]]) -> None:
    conn.execute("DELETE FROM event_entities WHERE event_id = ?", (event_id,))
    conn.executemany("INSERT INTO event_entities(event_id, entity_id, role) VALUES (?, ?, ?)",
                     [(event_id, e, r) for e, r in rows])


def _restore(conn: sqlite3.Connection, change: dict[str, Any]) -> None:
    """Write a change's before state back."""
    table, before = change["table"], change["before"]
    where, params = _where(change)
    if before is None:  # the review made the row: take it away
        if table == "events":
            note_event_gone(conn, change["key"]["id"])
        conn.execute(f"DELETE FROM {table} WHERE {where}", params)
        return
    cols = {c: v for c, v in before.items() if c != ENTITIES}
    if change["after"] is None:  # the review removed the row: put it back whole
        names = ", ".join(f'"{c}"' for c in cols)
        conn.execute(f"INSERT INTO {table}({names}) VALUES ({', '.join('?' for _ in cols)})",
                     list(cols.values()))
        if table == "events":  # a snapshot older than a derived column lacks it
            fill_event_columns(conn, change["key"]["id"])
    elif cols:
        assigns = ", ".join(f'"{c}" = ?' for c in cols)
        conn.execute(f"UPDATE {table} SET {assigns} WHERE {where}", [*cols.values(), *params])
    if ENTITIES in before:
        _set_entities(conn, change["key"]["id"], before[ENTITIES])


def undo_review(conn: sqlite3.Connection, review_id: int, user: str) -> dict[str, Any]:
    """Undo one review; return {id (the undo's review id), undoes, action, tables, columns
    (per table, the columns put back), reextract (reports whose replaced facts need
    re-extraction)}. ReviewConflict when a later review
    changed the same rows; ReviewError when there is nothing to undo."""
    with transaction(conn):
        r = get_review(conn, review_id)
        if r["action"] == "undo":
            raise ReviewError(f"review {review_id} is an undo: to have the change again, make it again")
        if r["undone_by"] is not None:
            raise ReviewError(f"review {review_id} was undone already (review {r['undone_by']})")
        changes = r["changes"] if r["changes"] is not None else _legacy_changes(r)
        states = [_state(conn, c) for c in changes]
        for c, s in zip(changes, states):
            # a later standing review of the same row is in the way even when the row holds
            # this review's values again (accept, reject, accept: undoing the first would wipe
            # the third and leave it standing)
            later = _later_review(conn, review_id, c)
            if s == "changed" or later:
                what = f"{c['table'][:-1]} {'/'.join(str(v) for v in c['key'].values())}"
                raise ReviewConflict(
                    f"{what} was changed again by review {later}: undo that one first" if later
                    else f"{what} was changed since review {review_id}: it cannot be undone")
        reextract: set[str] = set()
        done = []
        for c, s in zip(changes, states):
            if s == "gone":
                reextract.add(r["report_id"])  # a review changes facts of its own report only
                continue
            _restore(conn, c)
            done.append({"table": c["table"], "key": c["key"], "before": c["after"],
                         "after": c["before"]})
        uid = log_review(conn, r["report_id"], r["fact_table"], r["fact_id"], "undo", r["after"],
                         r["before"], user, done, undoes=review_id)
        conn.execute("UPDATE reviews SET undone_by = ? WHERE id = ?", (uid, review_id))
    columns: dict[str, set[str]] = {}
    for c in changes:
        columns.setdefault(c["table"], set()).update(c["before"] or c["after"] or {})
    return {"id": uid, "undoes": review_id, "action": r["action"],
            "tables": sorted(columns), "columns": {t: sorted(v) for t, v in columns.items()},
            "reextract": sorted(reextract)}

