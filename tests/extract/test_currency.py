"""USD values: ECB rates from currency_converter (weekends, series ends), KPW from the data table."""

from __future__ import annotations

from datetime import date

import pytest

from borderwatch.datafiles import DataError, validated_rows
from borderwatch.values import usd as currency
from borderwatch.values.usd import kpw_rate, to_usd


def test_currency_seed_rmb_at_publication_date():
    usd, day = to_usd(300000, "CNY", "2022-07-19")
    assert usd == pytest.approx(44500, rel=0.02) and day == "2022-07-19"


def test_currency_ecb_weekend_date_is_interpolated():
    usd, day = to_usd(300000, "CNY", "2022-07-16")  # a Saturday: no ECB fixing that day
    assert usd == pytest.approx(44450, rel=0.02) and day == "2022-07-16"


@pytest.mark.parametrize("code,amount,on,low,high", [
    ("KRW", 10_000_000, "2023-03-06", 7000, 8500),
    ("EUR", 1000, "2022-07-19", 1000, 1040),
    ("JPY", 100_000, "2022-07-19", 700, 760),
    ("RUB", 100_000, "2021-06-01", 1300, 1450),
])
def test_currency_ecb_conversions(code, amount, on, low, high):
    usd, day = to_usd(amount, code, on)
    assert low <= usd <= high and day == on


def test_currency_ecb_series_end_uses_the_last_day_within_a_year():
    usd, day = to_usd(100_000, "RUB", "2022-05-01")  # ECB stopped RUB on 2022-03-01
    assert usd is not None and day == "2022-03-01"


def test_currency_ecb_series_end_too_far_gives_none():
    assert to_usd(100_000, "RUB", "2024-05-01") == (None, None)


def test_currency_usd_is_itself():
    assert to_usd(1400, "USD", "2022-07-19") == (1400.0, "2022-07-19")


@pytest.mark.parametrize("code", ["CNY", "USD", "KPW", "KRW"])
def test_currency_no_publication_date_gives_none(code):
    assert to_usd(1000, code, None) == (None, None)


def test_currency_unknown_or_undecided_gives_none():
    assert to_usd(1000, None, "2022-07-19") == (None, None)
    assert to_usd(1000, "XAU", "2022-07-19") == (None, None)


KPW = [
    ("2022-07-19", "2022-04-17"),  # latest point at or before the date
    ("2022-07-25", "2022-07-25"),
    ("2018-06-01", "2017-09-26"),  # no 2018 survey: the 2017 point is within a year
    ("2015-01-10", "2015-06-15"),  # before the first USD point: the earliest within a year
]


@pytest.mark.parametrize("on,point", KPW)
def test_currency_kpw_from_table(on, point):
    usd, day = to_usd(8000, "KPW", on)
    assert day == point
    rate, _ = kpw_rate(date.fromisoformat(on))
    assert usd == pytest.approx(8000 / rate, abs=0.01)


@pytest.mark.parametrize("on", ["2009-01-01", "2013-01-01", "2027-01-01"])
def test_currency_kpw_far_from_table_gives_none(on):
    assert to_usd(8000, "KPW", on) == (None, None)


def test_currency_kpw_table_rejects_missing_source(monkeypatch):
    rows = [{"date": "2022-01-11", "kpw_per_usd": "4700", "kpw_per_cny": "", "confidence": "v", "source_url": ""}]
    monkeypatch.setattr(currency, "load_rows",
                        lambda path, model, key: validated_rows(rows, model, path, key))
    with pytest.raises(DataError, match=r"^kpw_rates\.csv: row 1 \(date='2022-01-11'\): source_url: "):
        currency._kpw_table.__wrapped__()


def test_currency_converter_is_built_once():
    assert currency._converter() is currency._converter()
