"""Read queries behind the workbench pages (brief, goods, places): shared by HTML and JSON.

Periods compare on the event's own date when the text gave one, else the report's publication
date (`coalesce(e.date, r.published)`), so an event is placed in time as precisely as the
text allows.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from functools import cache
from typing import Any

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.model import EVENT_TYPES
from borderwatch.store.facts import EVENT_DAY, VISIBLE_EVENT
from borderwatch.store.periods import DateBound, period_sql

BRIEF_FILE = "brief.yaml"
RESOLUTIONS_FILE = "resolutions.yaml"


@cache
def brief_sections() -> dict[str, tuple[str, ...]]:
    """data/brief.yaml: the event types behind each section of the brief, validated."""
    raw = read_yaml(BRIEF_FILE)
    out: dict[str, tuple[str, ...]] = {}
    for section in ("goods_moving", "goods_demand", "fines", "prices"):
        types = raw.get(section)
        if not types or any(t not in EVENT_TYPES for t in types):
            raise DataError(f"{BRIEF_FILE}: {section} must list event types from the contract")
        out[section] = tuple(types)
    return out


def default_period(conn: sqlite3.Connection, days: int = 30) -> tuple[str, str]:
    """The last `days` days of reports: ending at the newest publication date (or today)."""
    row = conn.execute("SELECT max(published) FROM reports WHERE length(published) = 10").fetchone()
    until = date.fromisoformat(row[0]) if row and row[0] else date.today()
    return (until - timedelta(days=days - 1)).isoformat(), until.isoformat()


def previous_period(since: str, until: str) -> tuple[str, str]:
    """The period of the same length just before [since, until]. Bounds of whole months or
    years give whole months: since 2022 until 2022-06 (January to June) gives July to December
    2021; day bounds give the same number of days."""
    a, b = DateBound.parse(since), DateBound.parse(until)
    if a.day is None and b.day is None:
        start = a.year * 12 + (a.month or 1) - 1  # months since year 0
        end = b.year * 12 + (b.month or 12) - 1
        span = end - start + 1
        first = DateBound(divmod(start - span, 12)[0], divmod(start - span, 12)[1] + 1)
        last = DateBound(divmod(start - 1, 12)[0], divmod(start - 1, 12)[1] + 1)
        return first.first_day().isoformat(), last.last_day().isoformat()
    d0, d1 = a.first_day(), b.last_day()
    length = (d1 - d0).days + 1
    return (d0 - timedelta(days=length)).isoformat(), (d0 - timedelta(days=1)).isoformat()


def _in_period(since: str, until: str) -> tuple[str, list[Any]]:
    cond, params = period_sql(EVENT_DAY, since, until)
    return " AND ".join(cond), params


def top_places(conn: sqlite3.Connection, since: str, until: str, limit: int = 10) -> list[dict[str, Any]]:
    """Places with most incidents in the period, and how many independent sources back them
    (distinct reports, a syndicated copy counting with its original)."""
    cond, params = period_sql("i.first_date", since, until)  # as the incidents list filters
    rows = conn.execute(
        "SELECT i.place_id, i.place_name, count(DISTINCT i.id) AS incidents,"
        " count(DISTINCT coalesce(r.near_duplicate_of, r.id)) AS sources,"
        " count(DISTINCT ie.event_id) AS events"
        " FROM incidents i JOIN incident_events ie ON ie.incident_id = i.id"
        " JOIN events e ON e.id = ie.event_id JOIN reports r ON r.id = e.report_id"
        f" WHERE i.place_id IS NOT NULL AND {' AND '.join(cond)}"
        " GROUP BY i.place_id ORDER BY incidents DESC, events DESC LIMIT ?",
        (*params, limit)).fetchall()
    return [dict(r) for r in rows]


def goods_moving(conn: sqlite3.Connection, since: str, until: str,
                 types: tuple[str, ...]) -> list[dict[str, Any]]:
    """Commodities in events of `types` in the period, with UN sanctions status and counts."""
    cond, params = _in_period(since, until)
    marks = ",".join("?" for _ in types)
    rows = conn.execute(
        f"SELECT ee.entity_id, count(DISTINCT e.id) AS events, count(DISTINCT e.report_id) AS reports,"
        f" group_concat(DISTINCT e.type) AS types"
        f" FROM events e JOIN reports r ON r.id = e.report_id"
        f" JOIN event_entities ee ON ee.event_id = e.id AND ee.role = 'commodity'"
        f" WHERE e.type IN ({marks}) AND {VISIBLE_EVENT}"
        f" AND {cond} GROUP BY ee.entity_id ORDER BY events DESC",
        [*types, *params]).fetchall()
    out = []
    for r in rows:
        info = commodity_info(conn, r["entity_id"])
        out.append({**dict(r), **info})
    return out


def commodity_info(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any]:
    """Name, HS chapter and sanctions of a commodity, from its latest stored mention."""
    row = conn.execute("SELECT name, attrs FROM mentions WHERE entity_id = ? ORDER BY id DESC LIMIT 1",
                       (entity_id,)).fetchone()
    if row is None:
        return {"name": entity_id.split(":", 1)[-1], "hs": None, "un_sanctions": None,
                "sanctioned": False}
    attrs = json.loads(row["attrs"])
    sanc = attrs.get("un_sanctions") or {}
    return {"name": row["name"], "hs": attrs.get("hs"), "un_sanctions": sanc,
            "sanctioned": bool(sanc.get("export_ban") or sanc.get("import_ban")),
            "resolutions": resolutions_in_words(sanc.get("resolution"))}


@cache
def _resolutions() -> dict[str, dict[str, str]]:
    """data/resolutions.yaml: every resolution number with its adoption date and measures."""
    raw = read_yaml(RESOLUTIONS_FILE)
    if not isinstance(raw, dict) or any(not {"adopted", "words"} <= set(v) for v in raw.values()):
        raise DataError(f"{RESOLUTIONS_FILE}: each resolution needs 'adopted' and 'words'")
    return {str(k): v for k, v in raw.items()}


def resolutions_in_words(numbers: str | None) -> list[str]:
    """'2270,2371' -> ['UNSC 2270 (2 March 2016): coal, iron … exports banned', …]."""
    out = []
    for n in re.findall(r"\d{4}", numbers or ""):
        r = _resolutions().get(n)
        out.append(f"UNSC {n} ({r['adopted']}): {r['words']}" if r else f"UNSC {n}")
    return list(dict.fromkeys(out))


def _names(conn: sqlite3.Connection, report_id: str, ids: list[str]) -> list[str]:
    """The names of a report's mentions `ids` (an event's goods), in order, each once."""
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    found = dict(conn.execute(f"SELECT entity_id, name FROM mentions WHERE report_id = ?"
                              f" AND entity_id IN ({marks})", [report_id, *ids]).fetchall())
    return list(dict.fromkeys(found[i] for i in ids if i in found))


def money_in_events(conn: sqlite3.Connection, since: str, until: str, types: tuple[str, ...],
                    limit: int = 20) -> list[dict[str, Any]]:
    """Money amounts attached to events of `types` (fines, bribes, prices) with USD values."""
    cond, params = _in_period(since, until)
    marks = ",".join("?" for _ in types)
    rows = conn.execute(
        f"SELECT e.id AS event_id, e.type, e.report_id, {EVENT_DAY} AS day, e.facts, r.title"
        f" FROM events e JOIN reports r ON r.id = e.report_id"
        f" WHERE e.type IN ({marks}) AND {VISIBLE_EVENT}"
        f" AND {cond} ORDER BY day DESC LIMIT 500", [*types, *params]).fetchall()
    from borderwatch.resolve.currency import currency_codes

    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    for r in rows:
        facts = json.loads(r["facts"])
        idxs = facts.get("amounts", [])
        if not idxs:
            continue
        goods = _names(conn, r["report_id"], facts.get("commodities", []))
        marks2 = ",".join("?" for _ in idxs)
        for a in conn.execute(
                f"SELECT idx, text, min, max, currency, usd, per FROM amounts WHERE report_id = ?"
                f" AND kind = 'money' AND idx IN ({marks2})", [r["report_id"], *idxs]):
            row = dict(a)
            if (r["report_id"], row["idx"]) in seen:
                continue  # one amount told by two events ("corn and rice at KPW 3,100") is one row
            seen.add((r["report_id"], row["idx"]))
            # "8,200 won per USD": a currency's price in another is an exchange rate, not a price
            row["rate"] = row["per"] in currency_codes()
            out.append({"event_id": r["event_id"], "type": r["type"], "report_id": r["report_id"],
                        "day": r["day"], "title": r["title"], "goods": goods, **row})
        if len(out) >= limit:
            break
    return out[:limit]


def goods_overview(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every commodity in the data with HS chapter, sanctions, mentions, events and prices seen."""
    from borderwatch.extract.commodities import commodity_data

    counts = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT entity_id, count(*), count(DISTINCT report_id) FROM mentions"
        " WHERE kind = 'commodity' GROUP BY entity_id")}
    events = {r[0]: r[1] for r in conn.execute(
        "SELECT entity_id, count(*) FROM event_entities WHERE role = 'commodity' GROUP BY entity_id")}
    out = []
    for c in commodity_data().commodities.values():
        n, reports = counts.get(c.id, (0, 0))
        s = c.sanctions
        out.append({"id": c.id, "name": c.name, "hs": c.hs, "mentions": n, "reports": reports,
                    "events": events.get(c.id, 0), "un_sanctions": s.to_dict(),
                    "sanctioned": bool(s.export_ban or s.import_ban)})
    out.sort(key=lambda g: (-g["mentions"], g["name"]))
    return out


def good_detail(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any]:
    """One commodity: mentions by month, its events, and prices reported with it."""
    info = commodity_info(conn, entity_id)
    months = [dict(r) for r in conn.execute(
        "SELECT substr(r.published, 1, 7) AS month, count(*) AS mentions FROM mentions m"
        " JOIN reports r ON r.id = m.report_id WHERE m.entity_id = ? AND r.published IS NOT NULL"
        " GROUP BY month ORDER BY month", (entity_id,))]
    events = [dict(r) for r in conn.execute(
        f"SELECT e.id, e.type, e.report_id, {EVENT_DAY} AS day, e.negated, e.hedged, r.title,"
        f" substr(r.text, s.start + 1, s.\"end\" - s.start) AS sentence"
        f" FROM event_entities ee JOIN events e ON e.id = ee.event_id"
        f" JOIN reports r ON r.id = e.report_id"
        f" JOIN sentences s ON s.report_id = e.report_id AND s.idx = e.sentence"
        f" WHERE ee.entity_id = ? AND coalesce(e.review, '') <> 'rejected'"
        f" ORDER BY day DESC LIMIT 200", (entity_id,))]
    prices = [dict(r) for r in conn.execute(
        "SELECT a.text, a.min, a.max, a.currency, a.usd, a.per, r.published, a.report_id"
        " FROM amounts a JOIN reports r ON r.id = a.report_id"
        " JOIN mentions m ON m.report_id = a.report_id AND m.sentence = a.sentence"
        " WHERE m.entity_id = ? AND a.kind = 'money' GROUP BY a.id ORDER BY r.published",
        (entity_id,))]
    return {"id": entity_id, **info, "months": months, "events": events, "prices": prices}
