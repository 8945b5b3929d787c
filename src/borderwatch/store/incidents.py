"""Incidents in the store: events read in grouping order, grouped by the rules of
resolve/incidents.py, written as incidents (a full rebuild, or a regroup of what a review can
have changed); the analysts' splits and merges as pins; incident lists, details and counts.

A split or merge is logged in `reviews` with the pin rows it changed, before and after; undoing
it (store/undo.py, jobs.undo) puts those pins back as they were and rebuilds. Because the undo
restores the pins, not a snapshot of incident rows, it survives any number of rebuilds and
re-extractions in between: the next rebuild groups those events as the earlier pins, or the
automatic rule, say for the events as they are then.
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from borderwatch.resolve.incidents import (
    DEFAULT_WINDOW_DAYS,
    PIN_PREFIX,
    Ev,
    IncidentError,
    group_events,
    incident_row,
    is_place_scope,
    pin_key,
    scope_of,
)
from borderwatch.store.db import transaction, utc_now
from borderwatch.store.facts import VISIBLE_EVENT, is_stale, mark_fresh
from borderwatch.store.periods import period_sql

# Every event that counts, with its first place (or, when it names none, the one place its
# report's other events of the same type all name), its day, and its grouping scope; sorted so
# that rebuild_incidents can group in one pass holding one scope at a time (memory stays flat
# however large the store).
_STREAM_SQL = f"""
WITH ev AS (
  SELECT e.id, e.report_id, e.type, e.start, e."end",
         e.place,
         CASE WHEN length(e.date) = 10 AND coalesce(
                (SELECT d.granularity FROM dates d WHERE d.report_id = e.report_id
                   AND d.sentence = e.sentence AND d.value = e.date
                   AND coalesce(d.review, '') <> 'rejected' LIMIT 1), 'day') = 'day' THEN e.date
              WHEN length(r.published) = 10 THEN r.published END AS day,
         coalesce(r.near_duplicate_of, r.id) AS root
  FROM events e JOIN reports r ON r.id = e.report_id
  WHERE {VISIBLE_EVENT} {{only}}
), rt AS (
  SELECT report_id, type, min(place) AS only_place FROM ev WHERE place IS NOT NULL
  GROUP BY report_id, type HAVING count(DISTINCT place) = 1
), eff AS (
  SELECT ev.id, ev.report_id, ev.type, ev.start, ev."end",
         coalesce(ev.place, rt.only_place) AS place, ev.day, ev.root
  FROM ev LEFT JOIN rt ON rt.report_id = ev.report_id AND rt.type = ev.type
)
SELECT *, CASE WHEN day IS NULL THEN coalesce(place, '-') || '|undated:' || report_id
               ELSE coalesce(place, 'report:' || report_id) END AS scope
FROM eff ORDER BY type, scope, coalesce(day, ''), id
"""
# A regroup reads only the events of the reports it names (regroup_pending).
_ONLY_NAMED = "AND e.report_id IN (SELECT report_id FROM temp.regroup_reports)"


_DETAIL_EVENTS_SQL = """
SELECT e.id, e.report_id, e.type, e.trigger, e.start, e."end", e.date, e.negated, e.hedged,
       e.attribution_kind, e.attribution_holder, e.facts, e.rule, e.origin, e.review,
       r.title, r.outlet, r.published, r.near_duplicate_of,
       substr(r.text, s.start + 1, s."end" - s.start) AS sentence
FROM incident_events ie JOIN events e ON e.id = ie.event_id
JOIN reports r ON r.id = e.report_id
JOIN sentences s ON s.report_id = e.report_id AND s.idx = e.sentence
WHERE ie.incident_id = ? ORDER BY e.day, e.id
"""


def _stream_groups(conn: sqlite3.Connection, pins: dict[tuple[str, str, int, int], str],
                   pinned: dict[str, list[Ev]], window_days: int,
                   scopes: set[tuple[str, str]] | None = None) -> Iterator[tuple[str, list[Ev]]]:
    """The events in grouping order, grouped (resolve/incidents.group_events). With `scopes`,
    only the events of the reports in temp.regroup_reports are read, and only those of these
    (type, scope) grouped."""
    sql = _STREAM_SQL.replace("{only}", "" if scopes is None else _ONLY_NAMED)
    rows = (Ev(r["id"], r["report_id"], r["type"], r["start"], r["end"], r["place"], r["day"],
               r["root"], r["scope"]) for r in conn.execute(sql))
    if scopes is not None:
        rows = (ev for ev in rows if (ev.type, ev.scope) in scopes)
    return group_events(rows, pins, pinned, window_days)


def _place_names(conn: sqlite3.Connection, ids: set[str] | None = None) -> dict[str, str]:
    """Canonical name of every place id mentioned in the store (or of these ids)."""
    if ids is None:
        return {r[0]: r[1] for r in conn.execute(
            "SELECT entity_id, min(name) FROM mentions WHERE kind = 'place' GROUP BY entity_id")}
    # an incident at the place has its name already (reading every mention of a busy place
    # took 340 ms of a 450 ms regroup at 5,000 reports); the mentions are read for a new one
    out = {}
    for pid in ids:
        row = conn.execute("SELECT place_name FROM incidents WHERE place_id = ? AND place_name"
                           " IS NOT NULL LIMIT 1", (pid,)).fetchone()
        row = row or conn.execute("SELECT min(name) FROM mentions WHERE entity_id = ?"
                                  " AND kind = 'place'", (pid,)).fetchone()
        if row[0] is not None:
            out[pid] = row[0]
    return out


def _put(conn: sqlite3.Connection, key: str, evs: list[Ev], is_pin: bool,
         names: dict[str, str]) -> int:
    """Write one group as its incident (upserted by key, so its id survives) and its members;
    return the incident's id. The caller has cleared the incident's old members."""
    iid = int(conn.execute(
        "INSERT INTO incidents(key, type, place_id, place_name, first_date, last_date,"
        " events, reports, sources, pinned) VALUES (?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(key) DO UPDATE SET type = excluded.type, place_id = excluded.place_id,"
        " place_name = excluded.place_name, first_date = excluded.first_date,"
        " last_date = excluded.last_date, events = excluded.events,"
        " reports = excluded.reports, sources = excluded.sources, pinned = excluded.pinned"
        " RETURNING id", incident_row(key, evs, is_pin, names)).fetchone()[0])
    conn.executemany("INSERT INTO incident_events(incident_id, event_id) VALUES (?, ?)",
                     [(iid, e.id) for e in evs])
    return iid


def rebuild_incidents(conn: sqlite3.Connection, window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Regroup all events into incidents (pins first, then the automatic rule); return the count.

    Streams: one group is held at a time, incidents are upserted by key (so ids survive), and
    incidents no longer produced are deleted at the end.
    """
    if window_days < 0:
        raise ValueError("window_days must be >= 0")
    with transaction(conn):
        return _rebuild_all(conn, window_days)


def _rebuild_all(conn: sqlite3.Connection, window_days: int) -> int:
    """rebuild_incidents inside the caller's transaction."""
    pins = {(r[0], r[1], r[2], r[3]): r[4] for r in conn.execute(
        'SELECT report_id, type, start, "end", key FROM incident_pins')}
    names = _place_names(conn)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS kept_incidents (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.kept_incidents")
    conn.execute("DELETE FROM incident_events")
    pinned: dict[str, list[Ev]] = defaultdict(list)
    count = 0

    def put(key: str, evs: list[Ev], is_pin: bool) -> None:
        iid = _put(conn, key, evs, is_pin, names)
        conn.execute("INSERT OR IGNORE INTO temp.kept_incidents(id) VALUES (?)", (iid,))

    for key, evs in _stream_groups(conn, pins, pinned, window_days):
        put(key, evs, False)
        count += 1
    for key, evs in pinned.items():
        put(key, evs, True)
        count += 1
    conn.execute("DELETE FROM incidents WHERE id NOT IN (SELECT id FROM temp.kept_incidents)")
    conn.execute("DELETE FROM incidents_pending")
    conn.execute("DELETE FROM incidents_due")
    mark_fresh(conn)
    return count


# New reports regrouped by scope while they are at most this share of the store (and this many
# at least); more, and one streaming rebuild of everything is cheaper than a regroup of nearly
# every scope.
CATCH_UP_SHARE = 0.1
CATCH_UP_MIN = 200


def catch_up(conn: sqlite3.Connection, window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Bring incidents up to the facts after a run that wrote some (ingest, load, reextract; at
    a server's start, after a run that was killed): everything is rebuilt when they are marked
    stale or the reports with new facts noted by the writer (migration 0023: stored, or
    re-extracted, with the incidents their old events were in) are a large part of the store;
    otherwise those reports join what reviews noted and only the scopes they can change are
    regrouped (regroup_pending). Return the incidents written."""
    due = conn.execute("SELECT count(*) FROM incidents_due").fetchone()[0]
    reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0] if due else 0
    if is_stale(conn) or due > max(CATCH_UP_MIN, CATCH_UP_SHARE * reports):
        return rebuild_incidents(conn, window_days)
    if due:
        with transaction(conn):  # a kill after this leaves them noted as a review's are
            conn.execute("INSERT OR IGNORE INTO incidents_pending(kind, value)"
                         " SELECT 'report', report_id FROM incidents_due")
            conn.execute("DELETE FROM incidents_due")
    return regroup_pending(conn, window_days)


# --- regrouping after a review (store/facts.note_report notes what changed) --------------------

def _fill_reports(conn: sqlite3.Connection, report_ids: list[str]) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS regroup_reports (report_id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.regroup_reports")
    conn.executemany("INSERT OR IGNORE INTO temp.regroup_reports(report_id) VALUES (?)",
                     [(r,) for r in report_ids])


def regroup_pending(conn: sqlite3.Connection, window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Regroup only what the noted reviews can have changed; return the incidents written.

    Grouping is per (type, scope), a scope being a place or, for events with no place or no
    day, their report. The scopes to regroup are those of the noted reports' events now and of
    the incidents their events were in; a place's scope is regrouped whole, from every report
    with an event of that type first placed there (a placeless event takes its place only from
    its own report's events of the same type, so those reports hold all of the scope). The
    result is what rebuild_incidents would give for these scopes. A noted report that has an
    analyst's pin, or whose events were in a pinned incident, is regrouped by a full rebuild.
    """
    if window_days < 0:
        raise ValueError("window_days must be >= 0")
    with transaction(conn):
        noted = conn.execute("SELECT kind, value FROM incidents_pending").fetchall()
        if not noted:
            return 0
        reports = [v for k, v in noted if k == "report"]
        _fill_reports(conn, reports)
        gone = [v for k, v in noted if k == "incident"]
        old = conn.execute(
            "SELECT DISTINCT i.id, i.key, i.type FROM events e"
            " JOIN incident_events ie ON ie.event_id = e.id JOIN incidents i ON i.id = ie.incident_id"
            " WHERE e.report_id IN (SELECT report_id FROM temp.regroup_reports)").fetchall()
        old += [r for key in gone for r in conn.execute(
            "SELECT id, key, type FROM incidents WHERE key = ?", (key,))]
        pinned = conn.execute("SELECT 1 FROM incident_pins WHERE report_id IN"
                              " (SELECT report_id FROM temp.regroup_reports) LIMIT 1").fetchone()
        if pinned or any(r[1].startswith(PIN_PREFIX) for r in old):
            return _rebuild_all(conn, window_days)
        scopes = {(r[2], scope_of(r[1], r[2])) for r in old}
        scopes |= {(r["type"], r["scope"]) for r in conn.execute(
            _STREAM_SQL.replace("{only}", _ONLY_NAMED))}
        wider = set(reports)
        for etype, place in {s for s in scopes if is_place_scope(s[1])}:
            wider.update(r[0] for r in conn.execute(
                "SELECT DISTINCT report_id FROM events WHERE (place IS NULL) = 0 AND place = ?"
                " AND type = ?",
                (place, etype)))
        _fill_reports(conn, sorted(wider))
        pins = {(r[0], r[1], r[2], r[3]): r[4] for r in conn.execute(
            'SELECT report_id, type, start, "end", key FROM incident_pins'
            " WHERE report_id IN (SELECT report_id FROM temp.regroup_reports)")}
        groups = list(_stream_groups(conn, pins, defaultdict(list), window_days, scopes))
        replaced = {r[0] for r in old}
        for etype, scope in scopes:
            prefix = f"{etype}|{scope}|"
            replaced.update(r[0] for r in conn.execute(
                "SELECT id, key FROM incidents WHERE key >= ? AND key < ?",
                (prefix, prefix + "\U0010ffff")) if scope_of(r[1], etype) == scope)
        conn.executemany("DELETE FROM incident_events WHERE incident_id = ?", [(i,) for i in replaced])
        names = _place_names(conn, {e.place for _, evs in groups for e in evs if e.place})
        kept = {_put(conn, key, evs, False, names) for key, evs in groups}
        conn.executemany("DELETE FROM incidents WHERE id = ?", [(i,) for i in replaced - kept])
        conn.executemany("DELETE FROM incidents_pending WHERE kind = ? AND value = ?", noted)
        return len(groups)


# --- analysts' split and merge ----------------------------------------------------------------

def _members(conn: sqlite3.Connection, incident_id: int) -> tuple[str, list[sqlite3.Row]]:
    """An incident's key and its events' identities; IncidentError when it does not exist."""
    row = conn.execute("SELECT key FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None:
        raise IncidentError(f"no incident {incident_id}")
    evs = conn.execute(
        'SELECT e.id, e.report_id, e.type, e.start, e."end" FROM incident_events ie'
        " JOIN events e ON e.id = ie.event_id WHERE ie.incident_id = ? ORDER BY e.id",
        (incident_id,)).fetchall()
    return row[0], evs


def _ident(r: sqlite3.Row) -> list[Any]:
    """An event row's identity across re-extraction, as JSON-ready list."""
    return [r["report_id"], r["type"], r["start"], r["end"]]


def _pin(conn: sqlite3.Connection, rows: list[sqlite3.Row], key: str, user: str, at: str) -> None:
    """Pin these events to `key` (an event pinned before moves to the new key)."""
    conn.executemany(
        'INSERT INTO incident_pins(report_id, type, start, "end", key, user, at)'
        ' VALUES (?,?,?,?,?,?,?) ON CONFLICT(report_id, type, start, "end")'
        " DO UPDATE SET key = excluded.key, user = excluded.user, at = excluded.at",
        [(*_ident(r), key, user, at) for r in rows])


def _pin_watched(conn: sqlite3.Connection, rows: list[sqlite3.Row], key: str, user: str,
                 at: str) -> list[dict[str, Any]]:
    """Pin these events to `key` and return the exact pin rows changed (before and after), so
    the split or merge can be undone (store/undo.py): an undo puts the earlier pins back, and
    the next rebuild groups those events as they were grouped before."""
    from borderwatch.store.review import Recorder

    rec = Recorder(conn)
    for r in rows:
        rec.watch("incident_pins", dict(zip(("report_id", "type", "start", "end"), _ident(r))))
    _pin(conn, rows, key, user, at)
    return rec.changes()


def _review(conn: sqlite3.Connection, report_id: str, incident_id: int, action: str,
            before: Any, after: Any, user: str, at: str, changes: list[dict[str, Any]]) -> None:
    """Record a split or merge in the review log, with the pins it changed."""
    from borderwatch.store.review import log_review

    log_review(conn, report_id, "incidents", incident_id, action, before, after, user, changes,
               at=at)


def split_incident(conn: sqlite3.Connection, incident_id: int, event_ids: list[int], user: str,
                   window_days: int = DEFAULT_WINDOW_DAYS) -> str:
    """Move the given events of an incident into a new pinned incident; return its key."""
    with transaction(conn):
        key, members = _members(conn, incident_id)
        chosen = [r for r in members if r["id"] in set(event_ids)]
        if not event_ids or len(chosen) != len(set(event_ids)):
            raise IncidentError(f"events {sorted(set(event_ids))} are not all in incident {incident_id}")
        if len(chosen) == len(members):
            raise IncidentError("a split must leave at least one event in the incident")
        new_key = pin_key([_ident(r) for r in chosen])
        at = utc_now()
        changes = _pin_watched(conn, chosen, new_key, user, at)
        _review(conn, chosen[0]["report_id"], incident_id, "split",
                {"key": key, "events": [_ident(r) for r in members]},
                {"key": new_key, "events": [_ident(r) for r in chosen]}, user, at, changes)
        rebuild_incidents(conn, window_days)
    return new_key


def merge_incidents(conn: sqlite3.Connection, incident_ids: list[int], user: str,
                    window_days: int = DEFAULT_WINDOW_DAYS) -> str:
    """Pin all events of the given incidents (same type) to one key; return that key."""
    ids = list(dict.fromkeys(incident_ids))
    if len(ids) < 2:
        raise IncidentError("a merge needs at least two incidents")
    with transaction(conn):
        parts = [(i, *_members(conn, i)) for i in ids]
        types = {r["type"] for _, _, rows in parts for r in rows}
        if len(types) > 1:
            raise IncidentError(f"cannot merge incidents of different types: {sorted(types)}")
        rows = [r for _, _, evs in parts for r in evs]
        new_key = pin_key([_ident(r) for r in rows])
        at = utc_now()
        changes = _pin_watched(conn, rows, new_key, user, at)
        _review(conn, rows[0]["report_id"], ids[0], "merge",
                [{"id": i, "key": k, "events": [_ident(r) for r in evs]} for i, k, evs in parts],
                {"key": new_key, "events": [_ident(r) for r in rows]}, user, at, changes)
        rebuild_incidents(conn, window_days)
    return new_key


def incident_history(conn: sqlite3.Connection, incident: dict[str, Any]) -> list[dict[str, Any]]:
    """The splits and merges (and their undos) that moved any event of this incident, newest
    first, each with `can_undo` (for the incident page's History)."""
    from borderwatch.store.review import get_review

    idents = {json.dumps([e["report_id"], e["type"], e["start"], e["end"]])
              for e in incident.get("events") or []}

    def events_of(value: Any) -> set[str]:  # a split's or merge's before/after, as identities
        parts = value if isinstance(value, list) else [value or {}]
        return {json.dumps(ev) for p in parts if isinstance(p, dict) for ev in p.get("events") or []}

    out = []
    for rid, before, after in conn.execute(
            "SELECT id, before, after FROM reviews WHERE fact_table = 'incidents'"
            " ORDER BY id DESC LIMIT 500"):
        if (events_of(json.loads(before or "null")) | events_of(json.loads(after or "null"))) & idents:
            d = get_review(conn, rid)
            d.pop("changes")
            out.append(d)
    return out


# --- queries for the pages ----------------------------------------------------------------------

def _period_filter(since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """Incidents that began in [since, until] (until may be a prefix: 2022-07 is all of July)."""
    return period_sql("i.first_date", since or None, until or None)


def _cond(where: list[str]) -> str:
    """A WHERE clause, or nothing when there are no conditions."""
    return ("WHERE " + " AND ".join(where)) if where else ""


def list_incidents(conn: sqlite3.Connection, type: str | None = None,  # noqa: A002
                   place: str | None = None, since: str | None = None, until: str | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Incidents matching the filters, newest first, with the total count."""
    where, params = _period_filter(since, until)
    if type:
        where.append("i.type = ?")
        params.append(type)
    if place:
        where.append("(i.place_id = ? OR i.place_name = ? COLLATE NOCASE)")
        params += [place, place]
    cond = _cond(where)
    total = conn.execute(f"SELECT count(*) FROM incidents i {cond}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT i.* FROM incidents i {cond} ORDER BY i.first_date IS NULL, i.first_date DESC,"
        f" i.id LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return total, [dict(r) | {"pinned": bool(r["pinned"])} for r in rows]


def incident_detail(conn: sqlite3.Connection, incident_id: int) -> dict[str, Any] | None:
    """One incident with its events (and sentences), reports and attributions; None if unknown."""
    row = conn.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None:
        return None
    events = []
    for r in conn.execute(_DETAIL_EVENTS_SQL, (incident_id,)):
        d = dict(r)
        d["facts"] = json.loads(d["facts"])
        d["negated"], d["hedged"] = bool(d["negated"]), bool(d["hedged"])
        events.append(d)
    reports: dict[str, dict[str, Any]] = {}
    for e in events:
        reports.setdefault(e["report_id"], {
            "id": e["report_id"], "title": e["title"], "outlet": e["outlet"],
            "published": e["published"], "near_duplicate_of": e["near_duplicate_of"],
            "source_root": e["near_duplicate_of"] or e["report_id"]})
    attributions = [dict(r) for r in conn.execute(
        'SELECT DISTINCT a.id, a.report_id, a.text, a.start, a."end", a.kind, a.outlet, a.holder'
        " FROM incident_events ie JOIN events e ON e.id = ie.event_id"
        " JOIN attributions a ON a.report_id = e.report_id"
        " AND a.idx = json_extract(e.facts, '$.attribution')"
        " WHERE ie.incident_id = ? AND coalesce(a.review, '') <> 'rejected' ORDER BY a.id",
        (incident_id,))]
    return dict(row) | {"pinned": bool(row["pinned"]), "events": events,
                        "reports": list(reports.values()), "attributions": attributions}


def incident_counts_by_type(conn: sqlite3.Connection, since: str | None = None,
                            until: str | None = None) -> list[dict[str, Any]]:
    """Incidents, events and independent sources per event type, most incidents first."""
    where, params = _period_filter(since, until)
    return [dict(r) for r in conn.execute(
        f"SELECT i.type, count(*) AS incidents, sum(i.events) AS events,"
        f" sum(i.sources) AS sources FROM incidents i {_cond(where)}"
        f" GROUP BY i.type ORDER BY incidents DESC, i.type", params)]


def incident_counts_by_place(conn: sqlite3.Connection, since: str | None = None,
                             until: str | None = None) -> list[dict[str, Any]]:
    """Incidents per place with its coordinates and dominant event type, for the map."""
    where, params = _period_filter(since, until)
    where.append("i.place_id IS NOT NULL")
    rows = conn.execute(
        f"SELECT i.place_id, i.place_name, i.type, count(*) AS n, sum(i.sources) AS sources"
        f" FROM incidents i {_cond(where)} GROUP BY i.place_id, i.type", params).fetchall()
    places: dict[str, dict[str, Any]] = {}
    for r in rows:
        p = places.setdefault(r["place_id"], {"place_id": r["place_id"], "name": r["place_name"],
                                              "incidents": 0, "sources": 0, "types": {}})
        p["incidents"] += r["n"]
        p["sources"] += r["sources"]
        p["types"][r["type"]] = r["n"]
    for pid, p in places.items():
        p["dominant_type"] = sorted(p["types"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        attrs = conn.execute("SELECT attrs FROM mentions WHERE entity_id = ? AND kind = 'place'"
                             " LIMIT 1", (pid,)).fetchone()
        a = json.loads(attrs[0]) if attrs else {}
        p.update(lat=a.get("lat"), lon=a.get("lon"), country=a.get("country"),
                 place_kind=a.get("place_kind"))
    return sorted(places.values(), key=lambda p: (-p["incidents"], p["place_id"]))


_PERIOD_SQL = {
    "week": "date(i.first_date, '-6 days', 'weekday 1')",  # the Monday on or before
    "month": "substr(i.first_date, 1, 7) || '-01'",
}


def incident_counts_by_period(conn: sqlite3.Connection, granularity: str = "week",
                              since: str | None = None,
                              until: str | None = None) -> list[dict[str, Any]]:
    """Rows (period start, type, incidents) for the timeline; undated incidents left out."""
    if granularity not in _PERIOD_SQL:
        raise ValueError(f"granularity must be one of {sorted(_PERIOD_SQL)}")
    where, params = _period_filter(since, until)
    where.append("i.first_date IS NOT NULL")
    period = _PERIOD_SQL[granularity]
    return [dict(r) for r in conn.execute(
        f"SELECT {period} AS period, i.type, count(*) AS incidents, sum(i.sources) AS sources"
        f" FROM incidents i {_cond(where)} GROUP BY period, i.type ORDER BY period, i.type",
        params)]
