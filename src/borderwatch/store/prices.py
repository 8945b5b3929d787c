"""Prices and exchange rates as series over time: what the brief, the goods pages and /rates chart.

A **price point** is one money amount of a visible price event (the event types of data/brief.yaml
`prices`), for one good, dated when the price was seen: the event's own date, else its report's
publication date (`EVENT_DAY`, the date rule of every list). It keeps the amount as written, in
its own currency (min–max), and in US dollars. One amount told by two events ("corn and rice at
KPW 3,100" twice) is one point.

Which good a price is for: an event naming one good, or one amount, gives every amount to every
good; an event naming several goods and several amounts ("rice sold for KPW 5,600 and corn for
KPW 3,100") gives each amount to the good named last before it in its sentence.

An amount priced per another currency ("8,200 won per USD"), or told beside such a rate in its
currency with no good before it ("… 1,370 won, and in Pyongyang at 1,350 won"), is an **exchange
rate**: it is never a good's price; the won's market rate (KPW per USD, KPW per CNY) is its own series, charted beside
the reference table the converter uses (data/kpw_rates.csv).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from functools import cache
from typing import Any

from borderwatch.datafiles import DataError, read_csv
from borderwatch.store.facts import EVENT_DAY, VISIBLE_EVENT
from borderwatch.store.periods import DateBound, period_sql

RATES_FILE = "kpw_rates.csv"
EVENT_CAP = 5000  # price events read for one chart or list: the newest of the period
RATE_PAIRS = ("USD", "CNY")  # the won's market rate is charted per dollar and per yuan
NOT_REJECTED_AMOUNT = "coalesce(a.review, '') <> 'rejected'"


def _currency_codes() -> frozenset[str]:
    from borderwatch.resolve.currency import currency_codes

    return currency_codes()


def value_of(lo: float | None, hi: float | None) -> float | None:
    """The one number a chart plots for an amount: its value, or the middle of its range."""
    if lo is None:
        return hi
    return lo if hi is None or hi == lo else (lo + hi) / 2


def _price_events(conn: sqlite3.Connection, since: str | None, until: str | None,
                  good: str | None, newest_first: bool, cap: int,
                  rate_pairs: tuple[str, ...] = ()) -> list[sqlite3.Row]:
    """Visible price events in the period (of one good, when given; that tell a won rate per
    one of `rate_pairs`, when given)."""
    from borderwatch.store.workbench import brief_sections

    if good and rate_pairs:
        raise ValueError("a rate of the won is no good's price: ask for a good or for rates")
    types = brief_sections()["prices"]
    cond, params = period_sql(EVENT_DAY, since, until)
    where = [f"e.type IN ({','.join('?' for _ in types)})", VISIBLE_EVENT, *cond]
    args: list[Any] = [*types, *params]
    source = "events e JOIN reports r ON r.id = e.report_id"
    if good:  # the good's events first (checked event by event: every price event was read)
        source = ("(SELECT ee.event_id FROM event_entities ee WHERE ee.entity_id = ?"
                  " AND ee.role = 'commodity') of_good CROSS JOIN events e ON e.id = of_good.event_id"
                  " JOIN reports r ON r.id = e.report_id")
        args = [good, *args]
    if rate_pairs:  # a rate of the won: the only events whose amounts can be such rates
        # the few reports that tell a rate first, through their index (migration 0016), then
        # their events: checked event by event, every price event of the store was read
        # (220 ms at 50,000 reports)
        pairs = ",".join("?" for _ in rate_pairs)
        source = ("(SELECT DISTINCT a.report_id FROM amounts a WHERE a.kind = 'money'"
                  f" AND a.currency = 'KPW' AND a.per IN ({pairs})) told"
                  " CROSS JOIN events e INDEXED BY events_report ON e.report_id = told.report_id"
                  " JOIN reports r ON r.id = e.report_id")
        where.append(
            "EXISTS (SELECT 1 FROM amounts a WHERE a.report_id = e.report_id AND a.kind = 'money'"
            f" AND a.currency = 'KPW' AND a.per IN ({pairs})"
            " AND a.idx IN (SELECT value FROM json_each(e.facts, '$.amounts')))")
        args = [*rate_pairs, *args, *rate_pairs]
    # the newest `cap` events, whichever order they are given in: a chart of a long period
    # shows its latest prices, not its first ones
    rows = conn.execute(
        f"SELECT e.id AS event_id, e.type, e.report_id, {EVENT_DAY} AS day, e.hedged, e.facts,"
        f" r.title, r.outlet FROM {source}"
        f" WHERE {' AND '.join(where)} ORDER BY day DESC, e.id DESC LIMIT ?",
        [*args, cap]).fetchall()
    return rows if newest_first else rows[::-1]


def _goods_of(conn: sqlite3.Connection, report_id: str, ids: list[str]) -> list[sqlite3.Row]:
    """The not-rejected mentions of an event's goods in its report, in text order."""
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    return conn.execute(
        f"SELECT entity_id, name, start, sentence FROM mentions WHERE report_id = ?"
        f" AND kind = 'commodity' AND entity_id IN ({marks})"
        f" AND coalesce(review, '') <> 'rejected' ORDER BY start", [report_id, *ids]).fetchall()


def _pair(goods: list[sqlite3.Row], ids: list[str], amount: sqlite3.Row,
          n_amounts: int) -> list[str]:
    """The goods (ids, in the event's order) an amount is the price of (module docstring)."""
    if len(ids) <= 1 or n_amounts <= 1:
        return list(ids)
    before = [g for g in goods if g["sentence"] == amount["sentence"] and g["start"] < amount["start"]]
    return [before[-1]["entity_id"]] if before else list(ids)


def money_points(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                 good: str | None = None, newest_first: bool = True,
                 limit: int | None = None, rate_pairs: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every money amount of the visible price events in the period, one row per amount, with
    the goods it prices (`good_ids`, `goods`) and whether it is an exchange rate (`rate`)."""
    codes = _currency_codes()
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    for ev in _price_events(conn, since, until, good, newest_first, cap=EVENT_CAP,
                            rate_pairs=rate_pairs):
        facts = json.loads(ev["facts"])
        idxs = facts.get("amounts", [])
        if not idxs:
            continue
        ids = list(dict.fromkeys(facts.get("commodities", [])))
        goods = _goods_of(conn, ev["report_id"], ids)
        names = {g["entity_id"]: g["name"] for g in goods}
        marks = ",".join("?" for _ in idxs)
        amounts = conn.execute(
            f"SELECT a.idx, a.text, a.start, a.sentence, a.min, a.max, a.currency, a.qualifier,"
            f" a.per, a.usd, a.usd_rate_date FROM amounts a WHERE a.report_id = ?"
            f" AND a.kind = 'money' AND a.idx IN ({marks}) AND {NOT_REJECTED_AMOUNT}"
            f" ORDER BY a.start", [ev["report_id"], *idxs]).fetchall()
        # "the yuan traded at 1,370 won, and in Pyongyang at 1,350 won": an amount with no unit,
        # in the currency of a rate of its event and with no good before it in its sentence,
        # is that rate too
        rate_per = {a["currency"]: a["per"] for a in amounts if a["per"] in codes}
        for a in amounts:
            key = (ev["report_id"], a["idx"])
            if key in seen:
                continue  # one amount told by two events is one row
            seen.add(key)
            per = a["per"]
            if per is None and a["currency"] in rate_per and not any(
                    g["sentence"] == a["sentence"] and g["start"] < a["start"] for g in goods):
                per = rate_per[a["currency"]]
            rate = per in codes  # "8,200 won per USD": a currency's price, not a good's
            priced = [] if rate else [i for i in _pair(goods, ids, a, len(amounts)) if i in names]
            if good and good not in priced:
                continue
            out.append({
                "event_id": ev["event_id"], "type": ev["type"], "report_id": ev["report_id"],
                "day": ev["day"], "title": ev["title"], "outlet": ev["outlet"],
                "hedged": bool(ev["hedged"]), "idx": a["idx"], "text": a["text"],
                "min": a["min"], "max": a["max"], "value": value_of(a["min"], a["max"]),
                "currency": a["currency"], "qualifier": a["qualifier"], "per": per,
                "usd": a["usd"], "usd_rate_date": a["usd_rate_date"], "rate": rate,
                "good_ids": priced, "goods": [names[i] for i in priced],
                "href": f"/reports/{ev['report_id']}#event-{ev['event_id']}"})
            if limit is not None and len(out) >= limit:
                return out
    return out


def price_points(conn: sqlite3.Connection, good: str, since: str | None = None,
                 until: str | None = None) -> list[dict[str, Any]]:
    """One good's prices over time, oldest first (exchange rates left out)."""
    return [p for p in money_points(conn, since, until, good=good, newest_first=False)
            if not p["rate"]]


def rate_points(conn: sqlite3.Connection, since: str | None = None,
                until: str | None = None) -> list[dict[str, Any]]:
    """The won's market rate as reports tell it (KPW per USD or CNY), oldest first."""
    return [p | {"pair": f"KPW/{p['per']}"} for p in
            money_points(conn, since, until, newest_first=False, rate_pairs=RATE_PAIRS)
            if p["rate"] and p["currency"] == "KPW" and p["per"] in RATE_PAIRS
            and p["value"] is not None]


@cache
def _reference_table() -> tuple[dict[str, Any], ...]:
    """data/kpw_rates.csv as one row per date and currency, validated at load."""
    out = []
    for row in read_csv(RATES_FILE):
        day = (row.get("date") or "").strip()
        try:
            date.fromisoformat(day)
        except ValueError as exc:
            raise DataError(f"{RATES_FILE}: bad date {day!r}") from exc
        for per in RATE_PAIRS:
            cell = (row.get(f"kpw_per_{per.lower()}") or "").strip()
            if not cell:
                continue
            value = float(cell)
            if value <= 0:
                raise DataError(f"{RATES_FILE}: {day}: non-positive rate")
            out.append({"day": day, "per": per, "pair": f"KPW/{per}", "value": value,
                        "place": row.get("place") or None, "confidence": row.get("confidence") or None,
                        "source_url": row.get("source_url") or None, "note": row.get("note") or None})
    out.sort(key=lambda r: (r["day"], r["per"]))
    return tuple(out)


def reference_rates(since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    """The reference market rates (data/kpw_rates.csv) in the period, oldest first, by the
    same bound rule as every list (a bound covers its whole year, month or day)."""
    lo = str(DateBound.parse(since)) if since else None
    hi = str(DateBound.parse(until)) if until else None
    return [dict(r) for r in _reference_table()
            if (lo is None or r["day"] >= lo) and (hi is None or r["day"][:len(hi)] <= hi)]
