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
from collections.abc import Iterator
from functools import cache
from itertools import islice
from statistics import median
from typing import Any

from borderwatch.data_models.money import KpwRateRow
from borderwatch.datafiles import load_rows
from borderwatch.store.facts import EVENT_DAY, VISIBLE_EVENT
from borderwatch.store.periods import DateBound, period_sql

RATES_FILE = "kpw_rates.csv"
EVENT_CAP = 5000  # price events read for one chart or list: the newest of the period
RATE_PAIRS = ("USD", "CNY")  # the won's market rate is charted per dollar and per yuan
NOT_REJECTED_AMOUNT = "coalesce(a.review, '') <> 'rejected'"


def _currency_codes() -> frozenset[str]:
    from borderwatch.values.usd import currency_codes

    return currency_codes()


def value_of(lo: float | None, hi: float | None) -> float | None:
    """The one number a chart plots for an amount: its value, or the middle of its range."""
    if lo is None:
        return hi
    return lo if hi is None or hi == lo else (lo + hi) / 2


def _price_events(conn: sqlite3.Connection, since: str | None, until: str | None,
                  good: str | None, newest_first: bool, cap: int | None,
                  rate_pairs: tuple[str, ...] = ()) -> Iterator[sqlite3.Row]:
    """Visible price events in the period (of one good, when given; that tell a won rate per
    one of `rate_pairs`, when given): the newest `cap` of them, or all when `cap` is None."""
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
    if rate_pairs:
        pairs = ",".join("?" for _ in rate_pairs)
        if since or until:
            # a period: its price events through (type, day), then whether each tells a rate
            # (a month at 50,000 reports: 4 ms; starting from the rate reports read them all)
            source = "events e INDEXED BY events_type_day JOIN reports r ON r.id = e.report_id"
        else:
            # all time: the reports that tell a rate first, through their index (migration
            # 0016), then their events (event by event, every price event was read)
            source = ("(SELECT DISTINCT a.report_id FROM amounts a WHERE a.kind = 'money'"
                      f" AND a.currency = 'KPW' AND a.per IN ({pairs})) told"
                      " CROSS JOIN events e INDEXED BY events_report ON e.report_id = told.report_id"
                      " JOIN reports r ON r.id = e.report_id")
            args = [*rate_pairs, *args]
        where.append(
            "EXISTS (SELECT 1 FROM amounts a WHERE a.report_id = e.report_id AND a.kind = 'money'"
            f" AND a.currency = 'KPW' AND a.per IN ({pairs})"
            " AND a.idx IN (SELECT value FROM json_each(e.facts, '$.amounts')))")
        args = [*args, *rate_pairs]
    # the newest `cap` events, whichever order they are given in: a chart of a long period
    # shows its latest prices, not its first ones
    limit = "" if cap is None else " LIMIT ?"
    order = "DESC" if newest_first or cap is not None else "ASC"
    rows = conn.execute(
        f"SELECT e.id AS event_id, e.type, e.report_id, {EVENT_DAY} AS day, e.hedged, e.facts,"
        f" r.title, r.outlet FROM {source}"
        f" WHERE {' AND '.join(where)} ORDER BY day {order}, e.id {order}{limit}",
        [*args] if cap is None else [*args, cap])
    if newest_first or cap is None:
        return rows  # read as they come: every rate of ten years is never held at once
    return reversed(rows.fetchall())


CHUNK = 400  # events whose reports' amounts and goods are read in one query


def _report_facts(conn: sqlite3.Connection, report_ids: list[str], currency: str | None = None
                  ) -> tuple[dict[tuple[str, int], sqlite3.Row], dict[str, list[sqlite3.Row]]]:
    """The not-rejected money amounts (by report and index; in one currency, when given) and
    good mentions (by report, in text order) of some reports, a few queries for all of them
    rather than two per event."""
    in_currency = "" if currency is None else " AND a.currency = ?"
    marks = ",".join("?" for _ in report_ids)  # at most CHUNK: the caller reads a chunk at a time
    amounts = {(a["report_id"], a["idx"]): a for a in conn.execute(
        f"SELECT a.report_id, a.idx, a.text, a.start, a.sentence, a.min, a.max, a.currency,"
        f" a.qualifier, a.per, a.usd, a.usd_rate_date FROM amounts a"
        f" WHERE a.report_id IN ({marks}) AND a.kind = 'money' AND {NOT_REJECTED_AMOUNT}"
        f"{in_currency}", report_ids if currency is None else [*report_ids, currency])}
    goods: dict[str, list[sqlite3.Row]] = {}
    for g in conn.execute(
            f"SELECT report_id, entity_id, name, start, sentence FROM mentions INDEXED BY mentions_report"
            f" WHERE report_id IN ({marks}) AND kind = 'commodity'"
            f" AND coalesce(review, '') <> 'rejected' ORDER BY report_id, start", report_ids):
        goods.setdefault(g["report_id"], []).append(g)
    return amounts, goods


def _pair(goods: list[sqlite3.Row], ids: list[str], amount: sqlite3.Row,
          n_amounts: int) -> list[str]:
    """The goods (ids, in the event's order) an amount is the price of (module docstring)."""
    if len(ids) <= 1 or n_amounts <= 1:
        return list(ids)
    before = [g for g in goods if g["sentence"] == amount["sentence"] and g["start"] < amount["start"]]
    return [before[-1]["entity_id"]] if before else list(ids)


def money_points(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                 good: str | None = None, newest_first: bool = True,
                 limit: int | None = None, rate_pairs: tuple[str, ...] = (),
                 every: bool = False) -> list[dict[str, Any]]:
    """Every money amount of the visible price events in the period, as a list (iter_money)."""
    out = iter_money(conn, since, until, good, newest_first, rate_pairs, every)
    return list(out if limit is None else islice(out, limit))


def iter_money(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
               good: str | None = None, newest_first: bool = True,
               rate_pairs: tuple[str, ...] = (), every: bool = False) -> Iterator[dict[str, Any]]:
    """Every money amount of the visible price events in the period, one row per amount, with
    the goods it prices (`good_ids`, `goods`) and whether it is an exchange rate (`rate`).
    EVENT_CAP bounds the events read (the newest of the period) unless `every` is asked.
    With `rate_pairs`, only the won's rates are returned."""
    events = iter(_price_events(conn, since, until, good, newest_first,
                                cap=None if every else EVENT_CAP, rate_pairs=rate_pairs))
    seen: set[tuple[str, int]] = set()
    while chunk := list(islice(events, CHUNK)):  # amounts and goods read a chunk at a time
        stored, goods_by_report = _report_facts(
            conn, list(dict.fromkeys(e["report_id"] for e in chunk)),
            currency="KPW" if rate_pairs else None)
        yield from _chunk_points(chunk, stored, goods_by_report, seen, good, rate_pairs)


def _chunk_points(chunk: list[sqlite3.Row], stored: dict[tuple[str, int], sqlite3.Row],
                  goods_by_report: dict[str, list[sqlite3.Row]], seen: set[tuple[str, int]],
                  good: str | None, rate_pairs: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """The money points of some events, their reports' amounts and goods read (iter_money)."""
    codes = _currency_codes()
    for ev in chunk:
        facts = json.loads(ev["facts"])
        ids = list(dict.fromkeys(facts.get("commodities", [])))
        wanted = set(ids)
        goods = [g for g in goods_by_report.get(ev["report_id"], ()) if g["entity_id"] in wanted]
        names = {g["entity_id"]: g["name"] for g in goods}
        amounts = sorted((stored[(ev["report_id"], i)] for i in set(facts.get("amounts", []))
                          if (ev["report_id"], i) in stored), key=lambda a: a["start"])
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
            if rate_pairs and not rate:
                continue
            priced = [] if rate else [i for i in _pair(goods, ids, a, len(amounts)) if i in names]
            if good and good not in priced:
                continue
            yield {
                "event_id": ev["event_id"], "type": ev["type"], "report_id": ev["report_id"],
                "day": ev["day"], "title": ev["title"], "outlet": ev["outlet"],
                "hedged": bool(ev["hedged"]), "idx": a["idx"], "text": a["text"],
                "min": a["min"], "max": a["max"], "value": value_of(a["min"], a["max"]),
                "currency": a["currency"], "qualifier": a["qualifier"], "per": per,
                "usd": a["usd"], "usd_rate_date": a["usd_rate_date"], "rate": rate,
                "good_ids": priced, "goods": [names[i] for i in priced],
                "href": f"/reports/{ev['report_id']}#event-{ev['event_id']}"}


def price_points(conn: sqlite3.Connection, good: str, since: str | None = None,
                 until: str | None = None) -> list[dict[str, Any]]:
    """One good's prices over time, oldest first (exchange rates left out)."""
    return [p for p in money_points(conn, since, until, good=good, newest_first=False)
            if not p["rate"]]


def rate_points(conn: sqlite3.Connection, since: str | None = None,
                until: str | None = None) -> list[dict[str, Any]]:
    """The won's market rate as reports tell it (KPW per USD or CNY), oldest first: every one
    of the period (a long period is summed up month by month: rate_months)."""
    return list(_iter_rates(conn, since, until))


def _iter_rates(conn: sqlite3.Connection, since: str | None, until: str | None
                ) -> Iterator[dict[str, Any]]:
    for p in iter_money(conn, since, until, newest_first=False, rate_pairs=RATE_PAIRS, every=True):
        if p["currency"] == "KPW" and p["per"] in RATE_PAIRS and p["value"] is not None:
            yield p | {"pair": f"KPW/{p['per']}"}


def rate_months(conn: sqlite3.Connection, since: str | None = None,
                until: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The won's reported rate month by month, per pair, oldest first (`months`): how many
    rates reports tell (`n`, every one of the period, no cap), their median, lowest and
    highest, and the link to the month's list, which has `n` rows. A rate dated only by its
    year belongs to no month and no month's list: it is kept as itself (`coarse`). Reading
    every rate of a long period takes a second at 50,000 reports, so the answer is kept until
    the store changes (store/memo.py)."""
    from borderwatch.store.memo import memoized

    def compute() -> dict[str, list[dict[str, Any]]]:
        by: dict[tuple[str, str], list[float]] = {}
        coarse = []
        for p in _iter_rates(conn, since, until):  # streamed: memory flat in the store's size
            if len(p["day"]) < 7:
                coarse.append(p)
            else:
                by.setdefault((p["day"][:7], p["per"]), []).append(p["value"])
        months = [{"month": month, "per": per, "pair": f"KPW/{per}", "n": len(values),
                   "median": median(values), "min": min(values), "max": max(values),
                   "href": f"/rates?since={month}&until={month}"}
                  for (month, per), values in sorted(by.items())]
        return {"months": months, "coarse": coarse}

    return memoized(conn, ("prices.rate_months", since, until), compute)


@cache
def _reference_table() -> tuple[dict[str, Any], ...]:
    """data/kpw_rates.csv as one row per date and currency, validated at load."""
    out = []
    for row in load_rows(RATES_FILE, KpwRateRow, key="date"):
        day = row.date.isoformat()
        for per in RATE_PAIRS:
            value = getattr(row, f"kpw_per_{per.lower()}")
            if value is None:
                continue
            out.append({"day": day, "per": per, "pair": f"KPW/{per}", "value": value,
                        "place": row.place, "confidence": row.confidence,
                        "source_url": row.source_url, "note": row.note})
    out.sort(key=lambda r: (r["day"], r["per"]))
    return tuple(out)


def reference_rates(since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    """The reference market rates (data/kpw_rates.csv) in the period, oldest first, by the
    same bound rule as every list (a bound covers its whole year, month or day)."""
    lo = str(DateBound.parse(since)) if since else None
    hi = str(DateBound.parse(until)) if until else None
    return [dict(r) for r in _reference_table()
            if (lo is None or r["day"] >= lo) and (hi is None or r["day"][:len(hi)] <= hi)]
