"""One date rule for every filter: bounds of a year, month or day, checked at the edge."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.store.periods import BadDate, DateBound, period_sql
from tests.examples import examples


@pytest.mark.parametrize("text, first, last", [
    ("2022", date(2022, 1, 1), date(2022, 12, 31)),
    ("2022-02", date(2022, 2, 1), date(2022, 2, 28)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-07-19", date(2023, 7, 19), date(2023, 7, 19)),
])
def test_periods_bound_covers_its_whole_year_month_or_day(text, first, last):
    b = DateBound.parse(text)
    assert (b.first_day(), b.last_day(), str(b)) == (first, last, text)


@pytest.mark.parametrize("text", ["2023-02-30", "2022-13", "2022-00", "22", "2022-7", "July 2022",
                                  "2022-07-19T10:00", "", "0000"])
def test_periods_bad_bounds_are_refused(text):
    with pytest.raises(BadDate):
        DateBound.parse(text)


def _inside(value: str | None, since: str | None, until: str | None) -> bool:
    conn = sqlite3.connect(":memory:")
    cond, params = period_sql("d", since, until)
    sql = "SELECT count(*) FROM (SELECT ? AS d) " + ("WHERE " + " AND ".join(cond) if cond else "")
    return bool(conn.execute(sql, [value, *params]).fetchone()[0])


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
shapes = st.sampled_from([4, 7, 10])


@settings(max_examples=examples(300), deadline=None)
@given(days, days, days, shapes, shapes)
def test_periods_day_rows_follow_the_bounds_calendar(d, a, b, ka, kb):
    """A row dated to the day is inside exactly when the day lies between the since bound's
    first day and the until bound's last day."""
    since, until = a.isoformat()[:ka], b.isoformat()[:kb]
    expected = DateBound.parse(since).first_day() <= d <= DateBound.parse(until).last_day()
    assert _inside(d.isoformat(), since, until) == expected


@pytest.mark.parametrize("value, since, until, inside", [
    ("2022-07", None, "2022-07", True),       # a month-dated row is inside "until" its month
    ("2022-07", "2022-07", None, True),
    ("2022-07", "2022-07-15", None, False),   # lower precision than a day bound: left out
    ("2022", "2022", "2022", True),
    (None, "2022", None, False),              # undated rows are never in a bounded period
    (None, None, None, True),
])
def test_periods_rows_of_lower_precision(value, since, until, inside):
    assert _inside(value, since, until) is inside


def test_periods_previous_period_of_coarse_bounds():
    from borderwatch.store.workbench import previous_period
    assert previous_period("2022", "2022-06") == ("2021-07-01", "2021-12-31")
    start = date(2023, 3, 1)
    assert previous_period("2023-03-01", "2023-03-10") == (
        (start - timedelta(days=10)).isoformat(), (start - timedelta(days=1)).isoformat())
