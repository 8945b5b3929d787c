"""The incidents and goods lists: filtered, sorted and paged in SQL, with their totals.

The incidents list filters exactly as the counts on the brief, the timeline and the map do
(type, place id or name, the period on an incident's first day), so a count there opens a list
of that many rows. The goods list counts what the events list shows: an event counts for a good
when it is visible (not rejected, not negated; hedged counts) and names the good, so "coal: 12
events" opens /events?commodity=commodity:coal with 12 rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from borderwatch.store.facts import VISIBLE_EVENT
from borderwatch.store.memo import memoized
from borderwatch.store.paging import SortSpec, Window
from borderwatch.store.periods import period_sql


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    """Rows as dicts, streamed from one cursor, whatever the connection's row factory."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    for row in cur.execute(sql, params):
        yield dict(row)


# --- incidents --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IncidentFilters:
    """The incidents list's filters."""

    type: str | None = None
    place: str | None = None  # a place id or name
    since: str | None = None  # on the incident's first day
    until: str | None = None


INCIDENT_SORT = SortSpec(
    {"first_date": "i.first_date", "last_date": "i.last_date", "type": "i.type",
     "place": "i.place_name COLLATE NOCASE", "events": "i.events", "reports": "i.reports",
     "sources": "i.sources"},
    default="first_date", default_order="desc", tiebreak="i.id",
    first_order={"first_date": "desc", "last_date": "desc", "events": "desc", "reports": "desc",
                 "sources": "desc"})


def incident_where(f: IncidentFilters) -> tuple[str, list[Any]]:
    """WHERE clause over `incidents i` (empty when there is no filter)."""
    where, params = period_sql("i.first_date", f.since or None, f.until or None)
    if f.type:
        where.append("i.type = ?")
        params.append(f.type)
    if f.place:
        where.append("(i.place_id = ? OR i.place_name = ? COLLATE NOCASE)")
        params += [f.place, f.place]
    return ("WHERE " + " AND ".join(where)) if where else "", params


def _incident(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"pinned": bool(row["pinned"])}


def incident_list(conn: sqlite3.Connection, f: IncidentFilters, window: Window,
                  sort: str | None = None,
                  order: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """One page of incidents and how many match in all."""
    key, direction = INCIDENT_SORT.check(sort, order)
    cond, params = incident_where(f)
    total = conn.execute(f"SELECT count(*) FROM incidents i {cond}", params).fetchone()[0]
    rows = _rows(conn, f"SELECT i.* FROM incidents i {cond} ORDER BY"
                       f" {INCIDENT_SORT.order_by(key, direction)} LIMIT ? OFFSET ?",
                 [*params, window.limit, window.offset])
    return total, [_incident(r) for r in rows]


def iter_incidents(conn: sqlite3.Connection, f: IncidentFilters, sort: str | None = None,
                   order: str | None = None) -> Iterator[dict[str, Any]]:
    """Every incident of the filters in the list's order, one at a time (for exports)."""
    key, direction = INCIDENT_SORT.check(sort, order)
    cond, params = incident_where(f)
    for r in _rows(conn, f"SELECT i.id, i.type, i.place_id, i.place_name, i.first_date,"
                         f" i.last_date, i.events, i.reports, i.sources, i.pinned, i.key"
                         f" FROM incidents i {cond}"
                         f" ORDER BY {INCIDENT_SORT.order_by(key, direction)}", params):
        yield _incident(r)


def incident_places(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The places incidents are counted at (id and name), by name: the place drop-down."""
    return list(_rows(conn, "SELECT place_id AS id, min(place_name) AS name FROM incidents"
                            " WHERE place_id IS NOT NULL GROUP BY place_id"
                            " ORDER BY name COLLATE NOCASE", []))


# --- goods --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class GoodsFilters:
    """The goods list's filters."""

    q: str | None = None  # part of the good's name, or its id
    sanctions: str | None = None  # 'sanctioned' (an export or import ban) | 'not'
    seen: str | None = None  # 'yes': only goods the reports mention | 'all' (the default)


GOODS_SORT = SortSpec(
    {"name": "name", "hs": "hs", "sanctioned": "sanctioned", "mentions": "mentions",
     "reports": "reports", "events": "events"},
    default="mentions", default_order="desc", then="name", tiebreak="id",
    first_order={"mentions": "desc", "reports": "desc", "events": "desc", "sanctioned": "desc"})

_GOODS_COUNTS = """
SELECT m.entity_id AS id, count(*) AS mentions, count(DISTINCT m.report_id) AS reports
FROM mentions m WHERE m.kind = 'commodity' AND coalesce(m.review, '') <> 'rejected'
GROUP BY m.entity_id
"""
# As /events?commodity=ID counts (store/facts.py _entity_filter): visible events naming the good.
_GOODS_EVENTS = f"""
SELECT ee.entity_id AS id, count(DISTINCT e.id) AS events
FROM event_entities ee JOIN events e ON e.id = ee.event_id
WHERE ee.role = 'commodity' AND {VISIBLE_EVENT}
GROUP BY ee.entity_id
"""


def _goods_counts(conn: sqlite3.Connection) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """Mentions and reports, and visible events, of every good in the store: counted over all
    mentions and events, so kept until the store changes (store/memo.py)."""
    return memoized(conn, "lists.goods_counts", lambda: (
        {r["id"]: r for r in _rows(conn, _GOODS_COUNTS, [])},
        {r["id"]: r["events"] for r in _rows(conn, _GOODS_EVENTS, [])}))


def _goods(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every known commodity (data/commodities.csv) with its counts in the store."""
    from borderwatch.extract.commodities import commodity_data

    counts, events = _goods_counts(conn)
    out = []
    for c in commodity_data().commodities.values():
        n = counts.get(c.id, {})
        s = c.sanctions
        out.append({"id": c.id, "name": c.name, "hs": c.hs, "mentions": n.get("mentions", 0),
                    "reports": n.get("reports", 0), "events": events.get(c.id, 0),
                    "un_sanctions": s.to_dict(), "sanctioned": bool(s.export_ban or s.import_ban)})
    return out


def _matches(g: dict[str, Any], f: GoodsFilters) -> bool:
    if f.q and f.q.casefold() not in g["name"].casefold() and f.q != g["id"]:
        return False
    if f.sanctions == "sanctioned" and not g["sanctioned"]:
        return False
    if f.sanctions == "not" and g["sanctioned"]:
        return False
    return not (f.seen == "yes" and not g["mentions"])


def goods_rows(conn: sqlite3.Connection, f: GoodsFilters, sort: str | None = None,
               order: str | None = None) -> list[dict[str, Any]]:
    """The goods of the filters in the list's order. The list is the commodity data file (a
    few hundred rows at most), so it is filtered and sorted here; the counts come from SQL."""
    key, direction = GOODS_SORT.check(sort, order)
    rows = [g for g in _goods(conn) if _matches(g, f)]
    # the same order as SortSpec.order_by: empty values last, then name, then id
    rows.sort(key=lambda g: (g["name"].casefold(), g["id"]))
    present = [g for g in rows if g[key] is not None]
    present.sort(key=lambda g: g[key].casefold() if isinstance(g[key], str) else g[key],
                 reverse=direction == "desc")
    return present + [g for g in rows if g[key] is None]


def goods_list(conn: sqlite3.Connection, f: GoodsFilters, window: Window, sort: str | None = None,
               order: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """One page of goods and how many match in all."""
    rows = goods_rows(conn, f, sort, order)
    return len(rows), rows[window.offset:window.offset + window.limit]


__all__ = ["GOODS_SORT", "INCIDENT_SORT", "GoodsFilters", "IncidentFilters", "goods_list",
           "goods_rows", "incident_list", "incident_places", "incident_where", "iter_incidents"]
