"""Analysts' changes to facts: accept, reject, correct, add, edit a report's details.

Every change is kept in `reviews` with who made it, when, the value before and after (for people)
and the exact rows it changed (`changes`, for store/undo.py). Reviewed and added facts survive
`reextract` (store/facts.py deletes only unreviewed extracted rows), and a rejected mention,
date or source is taken out of the events that pointed at it (facts.drop_rejected), at once and
after every re-extraction.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES
from borderwatch.store.db import transaction, utc_now
from borderwatch.store.facts import FACT_TABLES, drop_rejected, fill_event_columns
from borderwatch.store.periods import DateBound

REPORT_FIELDS = ("title", "published", "outlet")
# The columns that identify a row of each table a review can change.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(FACT_TABLES, ("id",)),
    "reports": ("id",),
    "incident_pins": ("report_id", "type", "start", "end"),
}
ENTITIES = "_entities"  # an event's event_entities rows, kept with its snapshot
MAX_UNIT = 40


class ReviewError(ValueError):
    """A review that cannot be applied (unknown fact, bad value); the message says which."""


class ReviewConflict(ReviewError):
    """An undo that would overwrite a later change: that one has to be undone first."""


# --- exact snapshots of the rows a review changes -------------------------------------------

def snapshot(conn: sqlite3.Connection, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    """The row of `table` with `key` as a dict (None when absent). An event carries its
    event_entities rows; a report only the details an analyst can edit (never its text)."""
    where = " AND ".join(f'"{k}" = ?' for k in ROW_KEYS[table])
    cols = ", ".join(f'"{c}"' for c in REPORT_FIELDS) if table == "reports" else "*"
    row = conn.execute(f"SELECT {cols} FROM {table} WHERE {where}",
                       [key[k] for k in ROW_KEYS[table]]).fetchone()
    if row is None:
        return None
    out = dict(row)
    if table == "events":
        out[ENTITIES] = sorted([e, r] for e, r in conn.execute(
            "SELECT entity_id, role FROM event_entities WHERE event_id = ?", (key["id"],)))
    return out


class Recorder:
    """Watches rows before a review changes them; `changes()` lists what changed, exactly.

    An entry is {table, key, before, after}: for a row changed in place, the changed columns
    with their old and new values; for a row made (before None) or removed (after None), the
    whole row on the side where it exists."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._before: dict[tuple[str, str], tuple[str, dict[str, Any], dict[str, Any] | None]] = {}

    def watch(self, table: str, key: dict[str, Any]) -> None:
        """Remember the row as it is now (the first time it is watched)."""
        ident = (table, json.dumps([key[k] for k in ROW_KEYS[table]]))
        if ident not in self._before:
            self._before[ident] = (table, key, snapshot(self.conn, table, key))

    def changes(self) -> list[dict[str, Any]]:
        """Every watched row that differs now from when it was watched."""
        out = []
        for table, key, before in self._before.values():
            after = snapshot(self.conn, table, key)
            if before == after:
                continue
            if before is not None and after is not None:
                cols = [c for c in after if before.get(c) != after[c]]
                before, after = {c: before.get(c) for c in cols}, {c: after[c] for c in cols}
            out.append({"table": table, "key": key, "before": before, "after": after})
        return out


def _row(conn: sqlite3.Connection, table: str, fact_id: int) -> dict[str, Any]:
    if table not in FACT_TABLES:
        raise ReviewError(f"unknown fact table {table!r}")
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (fact_id,)).fetchone()
    if row is None:
        raise ReviewError(f"no {table[:-1]} with id {fact_id}")
    return dict(row)


def log_review(conn: sqlite3.Connection, report_id: str, table: str, fact_id: int | None,
               action: str, before: Any, after: Any, user: str,
               changes: list[dict[str, Any]] | None = None, undoes: int | None = None,
               at: str | None = None) -> int:
    """Write one review row; return its id. Every change an analyst makes to a report's facts or
    details (and every undo) is logged here after it is made, in its transaction: the report's
    claims are derived again here too, so they follow the review at once; and the report is
    noted for regrouping (store/facts.note_report), so a regroup killed after the review
    commits is redone by the next ingest or serve start (the caller's regroup takes the note
    away). A split or merge regroups everything itself."""
    from borderwatch.store.claim_table import refresh_claims
    from borderwatch.store.facts import GROUPING_TABLES, mark_stale, note_report

    if table == "incidents":
        mark_stale(conn)
    elif table in GROUPING_TABLES:
        note_report(conn, report_id)
    cur = conn.execute(
        "INSERT INTO reviews(report_id, fact_table, fact_id, action, before, after, user, at,"
        " changes, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (report_id, table, fact_id, action, json.dumps(before, default=str),
         json.dumps(after, default=str), user, at or utc_now(),
         None if changes is None else json.dumps(changes, default=str), undoes))
    if table != "incidents":  # a split or merge moves events between incidents, not claims
        refresh_claims(conn, [report_id])
    return int(cur.lastrowid or 0)


def _watch_events(rec: Recorder, conn: sqlite3.Connection, report_id: str) -> None:
    """Watch every event of a report (a rejected mention may change any of them)."""
    for (eid,) in conn.execute("SELECT id FROM events WHERE report_id = ?", (report_id,)).fetchall():
        rec.watch("events", {"id": eid})


# --- accept and reject ----------------------------------------------------------------------

def review_fact(conn: sqlite3.Connection, table: str, fact_id: int, action: str, user: str) -> dict[str, Any]:
    """Accept or reject any fact. A rejected place, good, date or source leaves the events that
    pointed at it in the same transaction (recorded, so an undo puts it back)."""
    if action not in ("accept", "reject"):
        raise ReviewError("action is accept or reject (use correct_event to change an event)")
    with transaction(conn):
        before = _row(conn, table, fact_id)
        if action == "accept" and before["review"] == "rejected" and table != "events":
            _refuse_if_rejection_moved_events(conn, table, fact_id)
        rec = Recorder(conn)
        rec.watch(table, {"id": fact_id})
        if table != "events":
            _watch_events(rec, conn, before["report_id"])
        state = "accepted" if action == "accept" else "rejected"
        conn.execute(f"UPDATE {table} SET review = ? WHERE id = ?", (state, fact_id))
        if table != "events":
            drop_rejected(conn, before["report_id"])
        log_review(conn, before["report_id"], table, fact_id, action, {"review": before["review"]},
                   {"review": state}, user, rec.changes())
    return _row(conn, table, fact_id)


def _refuse_if_rejection_moved_events(conn: sqlite3.Connection, table: str, fact_id: int) -> None:
    """Accepting a fact whose rejection took it out of events would leave them without it:
    the rejection is undone instead (it puts the events back exactly)."""
    for rid, raw in conn.execute(
            "SELECT id, changes FROM reviews WHERE fact_table = ? AND fact_id = ? AND action = 'reject'"
            " AND undone_by IS NULL ORDER BY id DESC LIMIT 1", (table, fact_id)):
        if any(c["table"] == "events" for c in json.loads(raw or "[]")):
            raise ReviewError(f"review {rid} rejected this and took it out of its events: undo "
                              f"review {rid} (History) to bring it back")


# --- resolving what an analyst typed --------------------------------------------------------

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


def commodity_id(good: str) -> str:
    """A good given by id, name or any alias of data/commodities.csv (the extractor's data)."""
    from borderwatch.extract.commodities import commodity_data

    data = commodity_data()
    text = good.strip()
    low = text.lower()
    for c in data.commodities.values():
        if low in (c.id, c.name.lower(), c.id.split(":", 1)[-1]):
            return c.id
    keys = [k for k in data.table.get(text) if not k.startswith("block|")]
    for tier in ("strong", "weak", "context"):  # a clear goods word before an ambiguous one
        for k in keys:
            if k.startswith(tier + "|"):
                return k.split("|", 1)[1]
    raise ReviewError(f"unknown good {good!r}: use a name from the goods list (e.g. coal, rice)")


def _listed(value: Any) -> list[str]:
    """A list from a list or a '; '-separated string, blanks dropped, order kept, each once."""
    items = value.split(";") if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(s.strip() for s in items if s and s.strip()))


def _number(value: Any, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        n = float(value)
    except (TypeError, ValueError) as exc:
        raise ReviewError(f"{what} is a number, not {value!r}") from exc
    if n != n or n in (float("inf"), float("-inf")) or n < 0:
        raise ReviewError(f"{what} is a number of 0 or more")
    return n


def amount_sets(amount: dict[str, Any], change: dict[str, Any], published: str | None) -> dict[str, Any]:
    """New column values for an amount: its range (min, max; `value` sets both), currency
    (money, an ISO code of data/currencies.yaml) or unit (quantities); a money amount's US
    dollars are worked out again at the report's publication date (values/usd.py)."""
    from borderwatch.values.usd import currency_codes, to_usd

    allowed = {"id", "value", "min", "max", "currency", "unit"}
    unknown = set(change) - allowed
    if unknown:
        raise ReviewError(f"cannot change an amount's {sorted(unknown)}; one of {sorted(allowed - {'id'})}")
    lo, hi = amount["min"], amount["max"]
    if "value" in change:
        lo = hi = _number(change["value"], "the amount")
    if "min" in change:
        lo = _number(change["min"], "the amount (from)")
    if "max" in change:
        hi = _number(change["max"], "the amount (to)")
    if ("value" in change or "min" in change or "max" in change) and lo is None and hi is None:
        raise ReviewError("an amount needs a number")
    lo = hi if lo is None else lo
    hi = lo if hi is None else hi
    if lo is not None and hi is not None and lo > hi:
        raise ReviewError("the amount's 'from' is larger than its 'to'")
    sets: dict[str, Any] = {"min": lo, "max": hi}
    if amount["kind"] == "money":
        if change.get("unit"):
            raise ReviewError("money has a currency, not a unit")
        cur = amount["currency"]
        if "currency" in change:
            cur = (change["currency"] or "").strip().upper() or None
            if cur is None or cur not in currency_codes():
                raise ReviewError(f"unknown currency {change['currency']!r}; one of "
                                  f"{', '.join(sorted(currency_codes()))}")
        sets["currency"] = cur
        if lo is not None and hi is not None:
            sets["usd"], sets["usd_rate_date"] = to_usd((lo + hi) / 2, cur, published)
        else:
            sets["usd"], sets["usd_rate_date"] = None, None
    else:
        if change.get("currency"):
            raise ReviewError(f"a {amount['kind']} has no currency")
        if "unit" in change:
            unit = (change["unit"] or "").strip() or None
            if unit is not None and len(unit) > MAX_UNIT:
                raise ReviewError(f"a unit is at most {MAX_UNIT} characters")
            sets["unit"] = unit
    return sets


def amount_words(a: dict[str, Any]) -> str:
    """'3,000-3,500 KPW', '20 tons': an amount as the history shows it."""
    def num(x: float | None) -> str:
        if x is None:
            return "?"
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"
    rng = num(a.get("min")) if a.get("min") == a.get("max") else f"{num(a.get('min'))}–{num(a.get('max'))}"
    tail = a.get("currency") or a.get("unit") or ""
    return f"{rng} {tail}".strip()


def _apply_amount(conn: sqlite3.Connection, amount: dict[str, Any], change: dict[str, Any],
                  published: str | None) -> tuple[str, str]:
    """Write one amount's correction; (before, after) in words."""
    sets = amount_sets(amount, change, published)
    sets["review"] = "corrected"
    conn.execute(f"UPDATE amounts SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                 [*sets.values(), amount["id"]])
    return amount_words(amount), amount_words({**amount, **sets})


def _published(conn: sqlite3.Connection, report_id: str) -> str | None:
    row = conn.execute("SELECT published FROM reports WHERE id = ?", (report_id,)).fetchone()
    return row[0] if row else None


# --- corrections ----------------------------------------------------------------------------

EVENT_FIELDS = ("type", "places", "commodities", "date", "attribution_holder", "attribution_kind",
                "amounts")


def correct_event(conn: sqlite3.Connection, event_id: int, changes: dict[str, Any], user: str) -> dict[str, Any]:
    """Change an event's type, places, goods, date, source or amounts; one review logs it all.

    `places` and `commodities` replace the event's lists (names, ids or aliases; a list or a
    '; '-separated string); `amounts` is a list of {id, value | min/max, currency | unit} for
    amounts the event reports."""
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ReviewError(f"cannot change {sorted(unknown)}; one of {sorted(EVENT_FIELDS)}")
    with transaction(conn):
        ev = _row(conn, "events", event_id)
        rec = Recorder(conn)
        rec.watch("events", {"id": event_id})
        facts = json.loads(ev["facts"])
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        sets: dict[str, Any] = {}
        if "type" in changes:
            if changes["type"] not in EVENT_TYPES:
                raise ReviewError(f"unknown event type {changes['type']!r}")
            sets["type"] = changes["type"]
        if "date" in changes:
            sets["date"] = event_date(changes["date"])
        if "attribution_kind" in changes:
            k = changes["attribution_kind"] or None
            if k is not None and k not in ATTRIBUTION_KINDS:
                raise ReviewError(f"unknown attribution kind {k!r}")
            sets["attribution_kind"] = k
        if "attribution_holder" in changes:
            sets["attribution_holder"] = (changes["attribution_holder"] or "").strip() or None
        for col, v in sets.items():
            before[col], after[col] = ev[col], v
        for field, role, resolve in (("places", "place", lambda p: _place_id(conn, ev["report_id"], p)),
                                     ("commodities", "commodity", commodity_id)):
            if field not in changes:
                continue
            ids = list(dict.fromkeys(resolve(x) for x in _listed(changes[field])))
            before[field], after[field] = facts.get(field, []), ids
            facts[field] = ids
            sets["facts"] = json.dumps(facts)
            conn.execute("DELETE FROM event_entities WHERE event_id = ? AND role = ?", (event_id, role))
            conn.executemany("INSERT OR IGNORE INTO event_entities(event_id, entity_id, role)"
                             " VALUES (?, ?, ?)", [(event_id, i, role) for i in ids])
        if changes.get("amounts"):
            published = _published(conn, ev["report_id"])
            own = set(facts.get("amounts") or [])
            for ch in changes["amounts"]:
                aid = ch.get("id") if isinstance(ch, dict) else None
                if not isinstance(aid, int):
                    raise ReviewError("each amount to correct needs its id")
                amount = _row(conn, "amounts", aid)
                if amount["report_id"] != ev["report_id"] or amount["idx"] not in own:
                    raise ReviewError(f"amount {aid} is not one of this event's amounts")
                rec.watch("amounts", {"id": aid})
                b, a = _apply_amount(conn, amount, {k: v for k, v in ch.items() if k != "id"}, published)
                if a != b:
                    before[f"amount {aid}"], after[f"amount {aid}"] = b, a
        sets["review"] = "corrected"
        conn.execute(f"UPDATE events SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                     [*sets.values(), event_id])
        log_review(conn, ev["report_id"], "events", event_id, "correct", before, after, user,
                   rec.changes())
    return _row(conn, "events", event_id)


def correct_amount(conn: sqlite3.Connection, amount_id: int, changes: dict[str, Any],
                   user: str) -> dict[str, Any]:
    """Correct one amount of money (number, currency; US dollars worked out again) or a
    quantity (number, unit); kept through reextract like every reviewed fact."""
    if not changes:
        raise ReviewError("nothing to change")
    with transaction(conn):
        amount = _row(conn, "amounts", amount_id)
        rec = Recorder(conn)
        rec.watch("amounts", {"id": amount_id})
        b, a = _apply_amount(conn, amount, changes, _published(conn, amount["report_id"]))
        log_review(conn, amount["report_id"], "amounts", amount_id, "correct", {"amount": b},
                   {"amount": a}, user, rec.changes())
    return _row(conn, "amounts", amount_id)


def event_date(value: str | None) -> str | None:
    """An event date as typed, checked against the calendar (YYYY, YYYY-MM or a real day:
    "2023-02-30" is refused) and written canonically; blank is no date. Checked before the
    write: a bad stored date once made every incident rebuild fail (issue 9)."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return str(DateBound.parse(text))
    except ValueError as exc:
        raise ReviewError(f"date is YYYY, YYYY-MM or YYYY-MM-DD on the calendar: {exc}") from exc


def add_event(conn: sqlite3.Connection, report_id: str, start: int, end: int, etype: str,
              user: str, places: list[str] | None = None, date: str | None = None,
              commodities: list[str] | None = None) -> int:
    """A missed event, from text the analyst selected in the report."""
    if etype not in EVENT_TYPES:
        raise ReviewError(f"unknown event type {etype!r}")
    date = event_date(date)
    with transaction(conn):
        row = conn.execute("SELECT text FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise ReviewError(f"no report {report_id!r}")
        text = row[0]
        if not (0 <= start < end <= len(text)):
            raise ReviewError("selection is outside the report text")
        sent = conn.execute('SELECT idx FROM sentences WHERE report_id = ? AND start <= ?'
                            ' ORDER BY idx DESC LIMIT 1', (report_id, start)).fetchone()
        ids = list(dict.fromkeys(_place_id(conn, report_id, p) for p in _listed(places)))
        goods = list(dict.fromkeys(commodity_id(c) for c in _listed(commodities)))
        idx = conn.execute("SELECT coalesce(max(idx), -1) + 1 FROM events WHERE report_id = ?",
                           (report_id,)).fetchone()[0]
        cur = conn.execute(
            'INSERT INTO events(report_id, idx, type, trigger, start, "end", sentence, date, negated,'
            " hedged, facts, rule, origin, review) VALUES (?,?,?,?,?,?,?,?,0,0,?,?, 'analyst', 'accepted')",
            (report_id, idx, etype, text[start:end], start, end, sent[0] if sent else 0, date,
             json.dumps({"places": ids, "commodities": goods, "amounts": [], "attribution": None}),
             f"analyst.{user}"))
        eid = int(cur.lastrowid or 0)
        fill_event_columns(conn, eid)
        conn.executemany("INSERT OR IGNORE INTO event_entities(event_id, entity_id, role) VALUES (?, ?, ?)",
                         [(eid, i, "place") for i in ids] + [(eid, g, "commodity") for g in goods])
        made = snapshot(conn, "events", {"id": eid})
        log_review(conn, report_id, "events", eid, "add", None,
                   {"type": etype, "start": start, "end": end, "text": text[start:end],
                    "places": ids, "commodities": goods, "date": date}, user,
                   [{"table": "events", "key": {"id": eid}, "before": None, "after": made}])
    return eid


def edit_report(conn: sqlite3.Connection, report_id: str, changes: dict[str, Any],
                user: str) -> dict[str, Any]:
    """Correct a report's title, publication date or outlet, logged with the values before.

    The publication date is a real calendar date (YYYY-MM-DD), checked before anything is
    written; dates and incidents that depend on it are regrouped by the caller (jobs)."""

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
        rec = Recorder(conn)
        rec.watch("reports", {"id": report_id})
        conn.execute(f"UPDATE reports SET {sets} WHERE id = ?", [*clean.values(), report_id])
        log_review(conn, report_id, "reports", None, "edit", before, clean, user, rec.changes())
    return {"id": report_id, **clean}


# --- the history ----------------------------------------------------------------------------

LEGACY_UNDO = ("accept", "reject", "edit")  # undone from `before` when `changes` is missing


def _decode(r: sqlite3.Row) -> dict[str, Any]:
    d = dict(r)
    for k in ("before", "after", "changes"):
        d[k] = json.loads(d[k]) if d.get(k) else None
    d["can_undo"] = (d["action"] != "undo" and d.get("undone_by") is None
                     and (d["changes"] is not None or d["action"] in LEGACY_UNDO))
    return d


def get_review(conn: sqlite3.Connection, review_id: int) -> dict[str, Any]:
    """One review, decoded; ReviewError when there is none."""
    row = conn.execute("SELECT * FROM reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None:
        raise ReviewError(f"no review {review_id}")
    return _decode(row)


def list_reviews(conn: sqlite3.Connection, report_id: str | None = None, limit: int = 100,
                 offset: int = 0) -> list[dict[str, Any]]:
    """Review history, newest first; `can_undo` says which an undo may still reverse."""
    where, params = ("WHERE report_id = ?", [report_id]) if report_id else ("", [])
    rows = conn.execute(f"SELECT * FROM reviews {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                        [*params, limit, offset]).fetchall()
    out = []
    for r in rows:
        d = _decode(r)
        d.pop("changes")  # rows for undo, not for reading; get_review has them
        out.append(d)
    return out
