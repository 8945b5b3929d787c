"""Analysts' changes to facts: accept, reject, correct, add. Every change is kept in `reviews`
with who made it, when, and the value before; reviewed and added facts survive `reextract`
(store/facts.py deletes only unreviewed extracted rows).
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES
from borderwatch.store.db import transaction, utc_now
from borderwatch.store.facts import FACT_TABLES

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class ReviewError(ValueError):
    """A review that cannot be applied (unknown fact, bad value); the message says which."""


def _row(conn: sqlite3.Connection, table: str, fact_id: int) -> dict[str, Any]:
    if table not in FACT_TABLES:
        raise ReviewError(f"unknown fact table {table!r}")
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (fact_id,)).fetchone()
    if row is None:
        raise ReviewError(f"no {table[:-1]} with id {fact_id}")
    return dict(row)


def _log(conn: sqlite3.Connection, report_id: str, table: str, fact_id: int | None, action: str,
         before: Any, after: Any, user: str) -> int:
    cur = conn.execute(
        "INSERT INTO reviews(report_id, fact_table, fact_id, action, before, after, user, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (report_id, table, fact_id, action, json.dumps(before, default=str),
         json.dumps(after, default=str), user, utc_now()))
    return int(cur.lastrowid or 0)


def review_fact(conn: sqlite3.Connection, table: str, fact_id: int, action: str, user: str) -> dict[str, Any]:
    """Accept or reject any fact."""
    if action not in ("accept", "reject"):
        raise ReviewError("action is accept or reject (use correct_event to change an event)")
    with transaction(conn):
        before = _row(conn, table, fact_id)
        state = "accepted" if action == "accept" else "rejected"
        conn.execute(f"UPDATE {table} SET review = ? WHERE id = ?", (state, fact_id))
        _log(conn, before["report_id"], table, fact_id, action, {"review": before["review"]},
             {"review": state}, user)
    return _row(conn, table, fact_id)


def _place_id(conn: sqlite3.Connection, report_id: str, place: str) -> str:
    """A place given by id or name: a place mentioned in the report or known to the gazetteer."""
    row = conn.execute(
        "SELECT entity_id FROM mentions WHERE kind = 'place' AND (entity_id = ? OR name = ? COLLATE NOCASE)"
        " ORDER BY report_id = ? DESC LIMIT 1", (place, place, report_id)).fetchone()
    if row:
        return row[0]
    from borderwatch.extract.places import place_data

    known = place_data().table.get(place)  # gazetteer names and aliases, like the extractor
    if known:
        return known[0]
    for p in place_data().places.values():  # ids, and names typed in another case
        if p.id == place or p.name.lower() == place.lower():
            return p.id
    raise ReviewError(f"unknown place {place!r}")


def correct_event(conn: sqlite3.Connection, event_id: int, changes: dict[str, Any], user: str) -> dict[str, Any]:
    """Change an event's type, places, date or attribution; the old values go to `reviews`."""
    allowed = {"type", "places", "date", "attribution_holder", "attribution_kind"}
    unknown = set(changes) - allowed
    if unknown:
        raise ReviewError(f"cannot change {sorted(unknown)}; one of {sorted(allowed)}")
    with transaction(conn):
        ev = _row(conn, "events", event_id)
        facts = json.loads(ev["facts"])
        before = {k: ev[k] for k in ("type", "date", "attribution_holder", "attribution_kind")}
        before["places"] = facts.get("places", [])
        sets: dict[str, Any] = {}
        if "type" in changes:
            if changes["type"] not in EVENT_TYPES:
                raise ReviewError(f"unknown event type {changes['type']!r}")
            sets["type"] = changes["type"]
        if "date" in changes:
            d = changes["date"] or None
            if d is not None and not _DATE.match(d):
                raise ReviewError("date is YYYY, YYYY-MM or YYYY-MM-DD")
            sets["date"] = d
        if "attribution_kind" in changes:
            k = changes["attribution_kind"] or None
            if k is not None and k not in ATTRIBUTION_KINDS:
                raise ReviewError(f"unknown attribution kind {k!r}")
            sets["attribution_kind"] = k
        if "attribution_holder" in changes:
            sets["attribution_holder"] = (changes["attribution_holder"] or "").strip() or None
        if "places" in changes:
            places = changes["places"]
            if isinstance(places, str):
                places = [p.strip() for p in places.split(";") if p.strip()]
            ids = [_place_id(conn, ev["report_id"], p) for p in places]
            facts["places"] = ids
            sets["facts"] = json.dumps(facts)
            conn.execute("DELETE FROM event_entities WHERE event_id = ? AND role = 'place'", (event_id,))
            conn.executemany("INSERT OR IGNORE INTO event_entities(event_id, entity_id, role)"
                             " VALUES (?, ?, 'place')", [(event_id, i) for i in ids])
        sets["review"] = "corrected"
        cols = ", ".join(f"{k} = ?" for k in sets)
        conn.execute(f"UPDATE events SET {cols} WHERE id = ?", [*sets.values(), event_id])
        after = {k: v for k, v in sets.items() if k not in ("facts", "review")}
        if "places" in changes:
            after["places"] = facts["places"]
        _log(conn, ev["report_id"], "events", event_id, "correct", before, after, user)
    return _row(conn, "events", event_id)


def add_event(conn: sqlite3.Connection, report_id: str, start: int, end: int, etype: str,
              user: str, places: list[str] | None = None, date: str | None = None) -> int:
    """A missed event, from text the analyst selected in the report."""
    if etype not in EVENT_TYPES:
        raise ReviewError(f"unknown event type {etype!r}")
    with transaction(conn):
        row = conn.execute("SELECT text FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise ReviewError(f"no report {report_id!r}")
        text = row[0]
        if not (0 <= start < end <= len(text)):
            raise ReviewError("selection is outside the report text")
        sent = conn.execute('SELECT idx FROM sentences WHERE report_id = ? AND start <= ?'
                            ' ORDER BY idx DESC LIMIT 1', (report_id, start)).fetchone()
        ids = [_place_id(conn, report_id, p) for p in (places or [])]
        idx = conn.execute("SELECT coalesce(max(idx), -1) + 1 FROM events WHERE report_id = ?",
                           (report_id,)).fetchone()[0]
        cur = conn.execute(
            'INSERT INTO events(report_id, idx, type, trigger, start, "end", sentence, date, negated,'
            " hedged, facts, rule, origin, review) VALUES (?,?,?,?,?,?,?,?,0,0,?,?, 'analyst', 'accepted')",
            (report_id, idx, etype, text[start:end], start, end, sent[0] if sent else 0, date,
             json.dumps({"places": ids, "commodities": [], "amounts": [], "attribution": None}),
             f"analyst.{user}"))
        eid = int(cur.lastrowid or 0)
        conn.executemany("INSERT OR IGNORE INTO event_entities(event_id, entity_id, role) VALUES (?, ?, 'place')",
                         [(eid, i) for i in ids])
        _log(conn, report_id, "events", eid, "add", None,
             {"type": etype, "start": start, "end": end, "text": text[start:end], "places": ids}, user)
    return eid


def list_reviews(conn: sqlite3.Connection, report_id: str | None = None, limit: int = 100,
                 offset: int = 0) -> list[dict[str, Any]]:
    """Review history, newest first."""
    where, params = ("WHERE report_id = ?", [report_id]) if report_id else ("", [])
    rows = conn.execute(f"SELECT * FROM reviews {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                        [*params, limit, offset]).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["before"] = json.loads(d["before"]) if d["before"] else None
        d["after"] = json.loads(d["after"]) if d["after"] else None
        out.append(d)
    return out


REPORT_FIELDS = ("title", "published", "outlet")


def edit_report(conn: sqlite3.Connection, report_id: str, changes: dict[str, Any],
                user: str) -> dict[str, Any]:
    """Correct a report's title, publication date or outlet, logged with the values before.

    The publication date is a real calendar date (YYYY-MM-DD), checked before anything is
    written; dates and incidents that depend on it are regrouped by the caller (jobs)."""
    from borderwatch.store.periods import DateBound

    unknown = set(changes) - set(REPORT_FIELDS)
    if unknown:
        raise ReviewError(f"cannot edit {sorted(unknown)} (only {', '.join(REPORT_FIELDS)})")
    clean: dict[str, Any] = {}
    for k, v in changes.items():
        v = (v or "").strip() or None
        if k == "published" and v is not None:
            try:
                b = DateBound.parse(v)
            except ValueError as exc:
                raise ReviewError(str(exc)) from exc
            if b.day is None:
                raise ReviewError("a publication date is a day: YYYY-MM-DD")
            v = str(b)
        clean[k] = v
    row = conn.execute("SELECT id, title, published, outlet FROM reports WHERE id = ?",
                       (report_id,)).fetchone()
    if row is None:
        raise ReviewError(f"no report with id {report_id!r}")
    before = {k: row[k] for k in clean}
    if before == clean:
        return {"id": report_id, **before}
    sets = ", ".join(f"{k} = ?" for k in clean)
    with transaction(conn):
        conn.execute(f"UPDATE reports SET {sets} WHERE id = ?", [*clean.values(), report_id])
        _log(conn, report_id, "reports", None, "edit", before, clean, user)
    return {"id": report_id, **clean}
