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
from urllib.parse import urlencode

from borderwatch.data_models.pages import BriefFile, ResolutionsFile
from borderwatch.datafiles import load
from borderwatch.store.facts import EVENT_DAY, VISIBLE_EVENT
from borderwatch.store.periods import DateBound, period_sql

BRIEF_FILE = "brief.yaml"
RESOLUTIONS_FILE = "resolutions.yaml"
SECTIONS = ("goods_moving", "goods_demand", "fines", "prices")
PAGE_LIMITS = ("rates_listed", "weeks_by_default")


@cache
def _brief_data() -> dict[str, Any]:
    """data/brief.yaml, validated: event types per section, presets, list links."""
    return load(BRIEF_FILE, BriefFile).model_dump(by_alias=True)


@cache
def brief_sections() -> dict[str, tuple[str, ...]]:
    """data/brief.yaml: the event types behind each section of the brief, validated."""
    raw = _brief_data()
    return {section: tuple(raw[section]) for section in SECTIONS}


def page_limit(key: str) -> int:
    """data/brief.yaml: how much a page shows before it sums up (PAGE_LIMITS)."""
    return int(_brief_data()[key])


def newest_day(conn: sqlite3.Connection) -> date:
    """The newest publication date in the store (today in an empty store): where the brief's
    periods end unless the analyst says otherwise."""
    row = conn.execute("SELECT max(published) FROM reports WHERE length(published) = 10").fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else date.today()


def default_period(conn: sqlite3.Connection, days: int = 30) -> tuple[str, str]:
    """The last `days` days of reports: ending at the newest publication date (or today)."""
    until = newest_day(conn)
    return (until - timedelta(days=days - 1)).isoformat(), until.isoformat()


def presets(conn: sqlite3.Connection, since: str | None, until: str | None, path: str = "/",
            keep: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The brief's period presets (data/brief.yaml: 7, 30, 90, 365 days, then all), each ending
    on the newest publication date, with its link and whether it is the period shown. Other
    pages (the timeline) offer the same presets: `path` is their page, `keep` the values their
    links keep (the timeline's granularity)."""
    end = newest_day(conn)
    keep = {k: v for k, v in (keep or {}).items() if v}
    out = []
    for days in _brief_data()["presets"]:
        s, u = (end - timedelta(days=days - 1)).isoformat(), end.isoformat()
        out.append({"label": f"{days} days", "days": days, "since": s, "until": u,
                    "href": f"{path}?" + urlencode({**keep, "since": s, "until": u}),
                    "current": (since, until) == (s, u)})
    out.append({"label": "all", "days": None, "since": None, "until": None,
                "href": f"{path}?" + urlencode({**keep, "period": "all"}),
                "current": since is None and until is None})
    return out


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


def _in_period(since: str | None, until: str | None) -> tuple[str, list[Any]]:
    """' AND …' conditions keeping events of the period (nothing for no bounds)."""
    cond, params = period_sql(EVENT_DAY, since, until)
    return "".join(f" AND {c}" for c in cond), params


def top_places(conn: sqlite3.Connection, since: str | None, until: str | None, limit: int = 10) -> list[dict[str, Any]]:
    """Places with most incidents in the period (the incidents list's count for the place and
    period), and how many independent sources back them (distinct reports, a syndicated copy
    counting with its original). The top places are picked from the incidents table alone;
    only theirs are joined to events and reports, so a long period stays fast."""
    cond, params = period_sql("i.first_date", since, until)  # as the incidents list filters
    where = " AND ".join(["i.place_id IS NOT NULL", *cond])
    top = conn.execute(
        f"SELECT i.place_id, max(i.place_name) AS place_name, count(*) AS incidents,"
        f" sum(i.events) AS n_events FROM incidents i WHERE {where}"
        f" GROUP BY i.place_id ORDER BY incidents DESC, n_events DESC, i.place_id LIMIT ?",
        (*params, limit)).fetchall()
    out = []
    for t in top:
        r = conn.execute(
            "SELECT count(DISTINCT coalesce(r.near_duplicate_of, r.id)) AS sources,"
            " count(DISTINCT ie.event_id) AS events"
            " FROM incidents i JOIN incident_events ie ON ie.incident_id = i.id"
            " JOIN events e ON e.id = ie.event_id JOIN reports r ON r.id = e.report_id"
            f" WHERE i.place_id = ? AND {where}", (t["place_id"], *params)).fetchone()
        out.append({"place_id": t["place_id"], "place_name": t["place_name"],
                    "incidents": t["incidents"], "sources": r["sources"], "events": r["events"]})
    return out


def period_summary(conn: sqlite3.Connection, since: str | None,
                   until: str | None) -> dict[str, int]:
    """Reports, events and incidents in the period, counted by the very queries behind the
    reports list (by publication date), the events list with negated events hidden (the
    visible events, by their own date else publication) and the incidents list (by the day
    an incident began), so each number is the total of the list it links to."""
    from borderwatch.store.facts import FactFilters, query_events
    from borderwatch.store.incidents import list_incidents
    from borderwatch.store.queries import Filters, list_reports

    return {
        "reports": list_reports(conn, Filters(since=since, until=until), limit=0).total,
        "events": query_events(conn, FactFilters(since=since, until=until, include_negated=False),
                               limit=0)[0],
        "incidents": list_incidents(conn, since=since, until=until, limit=0)[0],
    }


def _sql_list(values: list[str] | tuple[str, ...] | frozenset[str]) -> tuple[str, list[str]]:
    """'(?,?,?)' and its values, sorted (an empty list matches nothing)."""
    vals = sorted(values)
    return "(" + ",".join("?" for _ in vals) + ")" if vals else "(NULL)", vals


def moving_sql(entity: str = "ee") -> tuple[str, list[Any]]:
    """Condition: the good `entity` (an event_entities row of event `e`, report `r`) is what
    moves in its trade or smuggling event, not what carries it.

    Extraction already drops a vehicle next to a conveyance word ("a truck carrying rice",
    "cargo trucks"); here a vehicle, vessel or aircraft (commodities.yaml `conveyance`) that
    shares its event with other goods is their carrier ("smuggled rice on trucks": rice moves),
    unless it stands in one list with a good ("smuggled coal and trucks": both move), and a
    vehicle alone in its event is itself the goods ("smuggled Chinese cars")."""
    from borderwatch.extract.commodities import commodity_data

    conv, conv_args = _sql_list(commodity_data().conveyance)
    links, link_args = _sql_list([w.lower() for w in _brief_data()["list_links"]] + [""])
    ws = "' ' || char(9) || char(10) || char(13)"

    def gap(a: str, b: str) -> str:  # the text between mention a's end and mention b's start
        return (f'({a}."end" <= {b}.start AND lower(trim(substr(r.text, {a}."end" + 1,'
                f' {b}.start - {a}."end"), {ws})) IN {links})')

    sql = (
        f"({entity}.entity_id NOT IN {conv}"
        f" OR NOT EXISTS (SELECT 1 FROM event_entities o WHERE o.event_id = {entity}.event_id"
        f" AND o.role = 'commodity' AND o.entity_id NOT IN {conv})"
        f" OR EXISTS (SELECT 1 FROM mentions mv JOIN mentions mg ON mg.report_id = mv.report_id"
        f" AND mg.sentence = mv.sentence AND mg.kind = 'commodity' AND mg.entity_id NOT IN {conv}"
        f" AND coalesce(mg.review, '') <> 'rejected'"
        f" WHERE mv.report_id = e.report_id AND +mv.entity_id = {entity}.entity_id"  # by report
        f" AND mv.kind = 'commodity' AND coalesce(mv.review, '') <> 'rejected'"
        f" AND ({gap('mg', 'mv')} OR {gap('mv', 'mg')})))")
    return sql, [*conv_args, *conv_args, *conv_args, *link_args, *link_args]


def moves_filter(good: str) -> tuple[str, list[Any]]:
    """Condition over `events e JOIN reports r`: a trade or smuggling event (brief.yaml
    `goods_moving`) in which the good with id `good` is what moves (see moving_sql). The
    events list's `moves` filter, so the brief's counts of goods moving open their rows."""
    types = brief_sections()["goods_moving"]
    moving, args = moving_sql("ee")
    return (f"e.type IN ({','.join('?' for _ in types)}) AND EXISTS (SELECT 1 FROM event_entities ee"
            f" WHERE ee.event_id = e.id AND ee.role = 'commodity' AND ee.entity_id = ? AND {moving})",
            [*types, good, *args])


def _goods_rows(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    return [{**dict(r), **commodity_info(conn, r["entity_id"])} for r in rows]


def goods_moving(conn: sqlite3.Connection, since: str | None, until: str | None,
                 types: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Goods that move in the period's visible trade and smuggling events (carriers left out,
    see moving_sql), with UN sanctions status, the resolutions in words, and counts: `events`
    is the total of the events list `moves=<id>` over the same period."""
    types = types or brief_sections()["goods_moving"]
    cond, params = period_sql(EVENT_DAY, since, until)
    moving, margs = moving_sql("ee")
    marks = ",".join("?" for _ in types)
    rows = conn.execute(
        f"SELECT ee.entity_id, count(DISTINCT e.id) AS events, count(DISTINCT e.report_id) AS reports,"
        f" count(DISTINCT CASE WHEN e.hedged THEN e.id END) AS hedged,"
        f" group_concat(DISTINCT e.type) AS types"
        f" FROM events e JOIN reports r ON r.id = e.report_id"
        f" JOIN event_entities ee ON ee.event_id = e.id AND ee.role = 'commodity'"
        f" WHERE e.type IN ({marks}) AND {VISIBLE_EVENT} AND {' AND '.join(cond + [moving])}"
        f" GROUP BY ee.entity_id ORDER BY events DESC, ee.entity_id",
        [*types, *params, *margs]).fetchall()
    return _goods_rows(conn, rows)


def goods_demand(conn: sqlite3.Connection, since: str | None, until: str | None) -> list[dict[str, Any]]:
    """Goods in the period's visible demand events (brief.yaml `goods_demand`): `events` is the
    total of the events list of that type and good over the same period."""
    (etype,) = brief_sections()["goods_demand"]
    cond, params = period_sql(EVENT_DAY, since, until)
    rows = conn.execute(
        f"SELECT ee.entity_id, count(DISTINCT e.id) AS events, count(DISTINCT e.report_id) AS reports,"
        f" count(DISTINCT CASE WHEN e.hedged THEN e.id END) AS hedged, e.type AS types"
        f" FROM events e JOIN reports r ON r.id = e.report_id"
        f" JOIN event_entities ee ON ee.event_id = e.id AND ee.role = 'commodity'"
        f" WHERE e.type = ? AND {VISIBLE_EVENT} {''.join(' AND ' + c for c in cond)}"
        f" GROUP BY ee.entity_id ORDER BY events DESC, ee.entity_id",
        [etype, *params]).fetchall()
    return _goods_rows(conn, rows)


def commodity_info(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any]:
    """Name, HS chapter and sanctions of a commodity, from its latest stored mention."""
    row = conn.execute("SELECT name, attrs FROM mentions WHERE entity_id = ? ORDER BY id DESC LIMIT 1",
                       (entity_id,)).fetchone()
    if row is None:  # a good of the data that no report names (yet)
        from borderwatch.extract.commodities import commodity_data

        c = commodity_data().commodities.get(entity_id)
        name, hs = (c.name, c.hs) if c else (entity_id.split(":", 1)[-1], None)
        sanc = c.sanctions.to_dict() if c else {}
    else:
        attrs = json.loads(row["attrs"])
        name, hs, sanc = row["name"], attrs.get("hs"), attrs.get("un_sanctions") or {}
    return {"name": name, "hs": hs, "un_sanctions": sanc or None,
            "sanctioned": bool(sanc.get("export_ban") or sanc.get("import_ban")),
            "bans": bans_in_words(entity_id, sanc),
            "resolutions": resolutions_in_words(sanc.get("resolution"))}


@cache
def _resolutions() -> dict[str, dict[str, str]]:
    """data/resolutions.yaml: every resolution number with its adoption date and measures."""
    return {k: v.model_dump() for k, v in load(RESOLUTIONS_FILE, ResolutionsFile).root.items()}


_DIRECTION = re.compile(r"\b(export|import):\s*(\d{4}(?:\s*,\s*\d{4})*)")


@cache
def _commodity_notes() -> dict[str, str]:
    """The notes column of data/commodities.csv by good ("export:2321; import:2397 …")."""
    from borderwatch.datafiles import read_csv

    return {row["id"]: row.get("notes") or "" for row in read_csv("commodities.csv")}


def _dated(n: str) -> str:
    r = _resolutions().get(n)
    return f"UNSC {n} ({r['adopted']})" if r else f"UNSC {n}"


def bans_in_words(entity_id: str, sanctions: dict[str, Any]) -> list[str]:
    """What the UN bans about a good, one line per direction, with the resolutions that do it:
    'may not be exported from North Korea: UNSC 2371 (5 August 2017)'. Directions come from
    the good's notes in commodities.csv, else from its export/import flags."""
    words = _brief_data().get("ban_words") or {}
    by_direction: dict[str, list[str]] = {}
    for direction, numbers in _DIRECTION.findall(_commodity_notes().get(entity_id, "")):
        by_direction.setdefault(direction, []).extend(re.findall(r"\d{4}", numbers))
    every = re.findall(r"\d{4}", sanctions.get("resolution") or "")
    if not by_direction:
        by_direction = {"export": every, "import": every}
    # the flags say what holds: a supply that is capped, not banned, reads as a cap
    if not sanctions.get("export_ban"):
        by_direction.pop("export", None)
    if not sanctions.get("import_ban"):
        numbers = by_direction.pop("import", None)
        if sanctions.get("import_cap"):
            by_direction["cap"] = numbers or every
    out = []
    for direction in ("export", "import", "cap"):
        if direction in by_direction:
            nums = list(dict.fromkeys(by_direction[direction]))
            out.append(f"{words.get(direction, direction)}: " + ", ".join(_dated(n) for n in nums))
    return out


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


def money_in_events(conn: sqlite3.Connection, since: str | None, until: str | None, types: tuple[str, ...],
                    limit: int = 20) -> list[dict[str, Any]]:
    """Money amounts attached to events of `types` (fines, bribes, prices) with USD values."""
    cond, params = _in_period(since, until)
    marks = ",".join("?" for _ in types)
    rows = conn.execute(
        f"SELECT e.id AS event_id, e.type, e.report_id, {EVENT_DAY} AS day, e.facts, r.title"
        f" FROM events e JOIN reports r ON r.id = e.report_id"
        f" WHERE e.type IN ({marks}) AND {VISIBLE_EVENT}"
        f" {cond} ORDER BY day DESC LIMIT 500", [*types, *params]).fetchall()
    from borderwatch.values.usd import currency_codes

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
                f" AND kind = 'money' AND idx IN ({marks2}) AND coalesce(review, '') <> 'rejected'", [r["report_id"], *idxs]):
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
        " WHERE kind = 'commodity' AND coalesce(review, '') <> 'rejected' GROUP BY entity_id")}
    events = {r[0]: r[1] for r in conn.execute(  # rejected mentions and events count nowhere
        "SELECT ee.entity_id, count(*) FROM event_entities ee JOIN events e ON e.id = ee.event_id"
        " WHERE ee.role = 'commodity' AND coalesce(e.review, '') <> 'rejected' GROUP BY ee.entity_id")}
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
    """One commodity: reports naming it by month (each count the /reports list of that good and
    month: same predicate as queries.Filters.good), its events, and its prices over time."""
    info = commodity_info(conn, entity_id)
    months = [dict(r) for r in conn.execute(
        "SELECT substr(r.published, 1, 7) AS month, count(DISTINCT r.id) AS reports FROM mentions m"
        " JOIN reports r ON r.id = m.report_id WHERE m.kind = 'commodity' AND m.entity_id = ?"
        " AND r.published IS NOT NULL AND coalesce(m.review, '') <> 'rejected'"
        " GROUP BY month ORDER BY month", (entity_id,))]
    for m in months:
        m["href"] = "/reports?" + urlencode({"good": entity_id, "since": m["month"], "until": m["month"]})
    events = [dict(r) for r in conn.execute(
        f"SELECT DISTINCT e.id, e.type, e.report_id, {EVENT_DAY} AS day, e.negated, e.hedged, r.title,"
        f" substr(r.text, s.start + 1, s.\"end\" - s.start) AS sentence"
        f" FROM event_entities ee JOIN events e ON e.id = ee.event_id"
        f" JOIN reports r ON r.id = e.report_id"
        f" JOIN sentences s ON s.report_id = e.report_id AND s.idx = e.sentence"
        f" WHERE ee.entity_id = ? AND coalesce(e.review, '') <> 'rejected'"
        f" ORDER BY day DESC LIMIT 200", (entity_id,))]
    from borderwatch.store.prices import price_points

    # prices of visible price events, dated when seen, exchange rates left out (store/prices.py)
    prices = price_points(conn, entity_id)
    return {"id": entity_id, **info, "months": months, "events": events, "prices": prices}
