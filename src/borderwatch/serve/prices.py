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


def rates_view(conn: sqlite3.Connection, since: str | None, until: str | None) -> dict[str, Any]:
    """The won's market rate over time: what reports say (each linked to its event) and the
    reference table the dollar conversions use (data/kpw_rates.csv)."""
    since, until = since or None, until or None
    for bound in (since, until):
        parse_bound(bound)  # a bad bound is a 400
    reported = prices.rate_points(conn, since, until)
    reference = prices.reference_rates(since, until)
    return {"since": since, "until": until, "pairs": list(prices.RATE_PAIRS),
            "reported": reported, "reference": reference, "newest_day": workbench.newest_day(conn).isoformat()}


def rate_charts(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One chart per pair (KPW per USD, KPW per CNY): reports' rates as filled dots linked to
    their events, the reference table as rings joined by a line."""
    charts = []
    for per in data["pairs"]:
        rep = tuple(SeriesPoint(
            day=p["day"], value=p["value"], low=p["min"], high=p["max"], href=p["href"],
            tip=f"{p['day']}: {p['text']} per {per}" + (" (hedged)" if p["hedged"] else "")
                + f" · {p['title'] or p['report_id']}")
            for p in data["reported"] if p["per"] == per)
        ref = tuple(SeriesPoint(
            day=r["day"], value=r["value"],
            tip=f"{r['day']}: {fmt_value(r['value'])} won per {per} (reference: {r['note'] or r['source_url']})")
            for r in data["reference"] if r["per"] == per)
        title = f"North Korean won per {per} over time"
        series = [Series("reference table (used for US$ values)", ref, SERIES_COLOURS[0],
                         line=True, hollow=True),
                  Series("told in reports", rep, SERIES_COLOURS[1])]  # drawn last: on top
        charts.append({"per": per, "title": title, "points": len(rep) + len(ref),
                       "svg": series_svg(series, title, f"KPW per {per}")})
    return charts
