"""Views over prices and exchange rates: a good's price charts and the won's market-rate page.

The data comes from store/prices.py; this module groups it into charts (serve/charts.series_svg)
so that the page shows one dot per row of its table and of its JSON twin.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from borderwatch.serve.charts import SERIES_COLOURS, Series, SeriesPoint, fmt_value, series_svg
from borderwatch.store import prices, workbench
from borderwatch.store.periods import parse_bound


def _unit(per: str | None) -> str:
    return f"per {per}" if per else "unit not given"


def _usd(v: float | None) -> str:
    if v is None:
        return "no US$ rate"
    return f"US$ {v:,.2f}" if v < 100 else f"US$ {v:,.0f}"


def price_charts(name: str, points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One chart per currency (values as written, not converted), one series per unit
    ("per kilogram", "unit not given"); each dot links to the event it was read from."""
    by_currency: dict[str, list[dict[str, Any]]] = {}
    for p in points:
        by_currency.setdefault(p["currency"] or "?", []).append(p)
    charts = []
    for currency, rows in sorted(by_currency.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        units = list(dict.fromkeys(_unit(p["per"]) for p in rows))
        series = []
        for i, unit in enumerate(units):
            pts = tuple(SeriesPoint(
                day=p["day"], value=p["value"], low=p["min"], high=p["max"], href=p["href"],
                tip=f"{p['day']}: {p['text']} {_unit(p['per'])} ({_usd(p['usd'])})"
                    + (" (hedged)" if p["hedged"] else "") + f" · {p['title'] or p['report_id']}")
                for p in rows if _unit(p["per"]) == unit and p["value"] is not None)
            series.append(Series(f"{currency} {unit}", pts, SERIES_COLOURS[i % len(SERIES_COLOURS)]))
        title = f"Prices of {name} in {currency} over time"
        charts.append({"currency": currency, "title": title, "points": len(rows),
                       "svg": series_svg(series, title, currency)})
    return charts


RATE_LIST_MAX: int | None = None  # rates listed one by one; None: data/brief.yaml rates_listed


def rate_list_max() -> int:
    """Reported rates listed one by one; a longer period is shown month by month."""
    return RATE_LIST_MAX if RATE_LIST_MAX is not None else workbench.page_limit("rates_listed")


def rates_view(conn: sqlite3.Connection, since: str | None, until: str | None,
               pair: str | None = None, by_month: bool = False) -> dict[str, Any]:
    """The won's market rate over time: what reports say and the reference table the dollar
    conversions use (data/kpw_rates.csv).

    A period of up to rate_list_max() reported rates, or of one month, lists each (`reported`,
    linked to its event). A longer one (ten years of a large store tell 40,000) is shown month
    by month (`months`: median, range and count per pair, each linking to the month's list of
    that many rates), with the rates dated only by their year listed as themselves. `pair`
    (USD or CNY) keeps one of the two rates; a month's link keeps its row's. `by_month` asks
    for months over any period of more than one month."""
    since, until, pair = since or None, until or None, pair or None
    for bound in (since, until):
        parse_bound(bound)  # a bad bound is a 400
    if pair is not None and pair not in prices.RATE_PAIRS:
        raise ValueError(f"pair is one of {', '.join(prices.RATE_PAIRS)}")
    pairs = [pair] if pair else list(prices.RATE_PAIRS)
    summary = prices.rate_months(conn, since, until)
    in_pairs = [m for m in summary["months"] if m["per"] in pairs]
    coarse = [p for p in summary["coarse"] if p["per"] in pairs]
    total = sum(m["n"] for m in in_pairs) + len(coarse)
    asked = by_month
    by_month = (asked or total > rate_list_max()) and len({m["month"] for m in in_pairs}) > 1
    months = [m | {"href": f"{m['href']}&pair={m['per']}"} for m in in_pairs] if by_month else []
    reported = coarse if by_month else [
        p for p in prices.rate_points(conn, since, until) if p["per"] in pairs]
    return {"since": since, "until": until, "pair": pair, "by": "month" if asked else None,
            "pairs": pairs,
            "total_reported": total, "by_month": by_month, "months": months,
            "reported": reported,
            "reference": [r for r in prices.reference_rates(since, until) if r["per"] in pairs],
            "newest_day": workbench.newest_day(conn).isoformat()}


def rate_charts(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One chart per pair (KPW per USD, KPW per CNY): reports' rates as filled dots linked to
    their events (or, month by month, each month's median with its range, linked to the
    month's list), the reference table as rings joined by a line."""
    charts = []
    for per in data["pairs"]:
        rep = [SeriesPoint(
            day=p["day"], value=p["value"], low=p["min"], high=p["max"], href=p["href"],
            tip=f"{p['day']}: {p['text']} per {per}" + (" (hedged)" if p["hedged"] else "")
                + f" · {p['title'] or p['report_id']}")
            for p in data["reported"] if p["per"] == per]
        rep += [SeriesPoint(
            day=m["month"], value=m["median"], low=m["min"], high=m["max"], href=m["href"],
            tip=f"{m['month']}: median {fmt_value(m['median'])} won per {per} of {m['n']:,} rates"
                f" ({fmt_value(m['min'])}–{fmt_value(m['max'])})")
            for m in data["months"] if m["per"] == per]
        ref = tuple(SeriesPoint(
            day=r["day"], value=r["value"],
            tip=f"{r['day']}: {fmt_value(r['value'])} won per {per} (reference: {r['note'] or r['source_url']})")
            for r in data["reference"] if r["per"] == per)
        title = f"North Korean won per {per} over time"
        label = "told in reports (month's median and range)" if data["by_month"] else "told in reports"
        series = [Series("reference table (used for US$ values)", ref, SERIES_COLOURS[0],
                         line=True, hollow=True),
                  Series(label, tuple(rep), SERIES_COLOURS[1])]  # drawn last: on top
        charts.append({"per": per, "title": title, "points": len(rep) + len(ref),
                       "svg": series_svg(series, title, f"KPW per {per}")})
    return charts
