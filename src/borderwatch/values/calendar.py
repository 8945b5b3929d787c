"""Date arithmetic against the publication date: the rules that turn a date phrase into a value.

Rules (documented here, tested in tests/extract/test_dates.py):
- A year-less day ("July 11") is the latest such day no more than `future_window_days`
  (dates.yaml) after publication: reports mostly look back, but "on Aug. 15" a week ahead is
  this year's.
- A year-less month ("in March") is this year's when it is not after the publication month,
  else last year's; "last March" is the latest March before the publication month, "next March"
  the first after it, "this March" the publication year's.
- A weekday ("on Monday") is the latest such day on or before publication; "last Monday" the
  latest strictly before; "next Monday" the first strictly after; after a forward lead
  ("until Sunday", dates.yaml forward_leads) the first on or after.
- "on the 28th" is that day of the publication month, or of the previous month when the 28th
  is after the publication day (or when the text says "of last month").
- A week ("last week", "two weeks ago") names no day: it is given as its month (the month of
  its Thursday), and "a year ago" as the same month a year before ("two years ago" as a year).
- Seasons are given as the year in which the season starts (granularity "season"; winter =
  December-February); "in the spring" is the one under way or the latest begun.
- In a sentence that looks ahead (dates.yaml future_cues), a year-less day, month or weekday is
  the first one on or after publication.
- "March last year" is that month in the year before publication ("this year", "next year" alike).
- When only the publication month is known (a URL's /2018/11/, a month-only date line), phrases
  that need the day (weekdays, "yesterday", "last week", "on the 28th") stay unresolved; the
  others resolve as if published on the month's last day.
- Without any publication date, a year-less day or month takes the year of the nearest full date
  (day, month and year) before it in the same paragraph ("on September 2, 2018 ... By Sept. 9"),
  a year-less day the year of its month named with a year just before ("In May 2020 ... On May 12"),
  else the one year the text states when it states it at least twice and no other year
  ("logs kept in 2017 ... since the start of 2017 ... busier in January").
Values are always YYYY, YYYY-MM or YYYY-MM-DD; None when there is nothing to resolve against.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

SEASON_MONTHS = 3


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_iso(value: str | None) -> date | None:
    """A YYYY-MM-DD string as a date; None when absent or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def day_value(d: date) -> str:
    """YYYY-MM-DD."""
    return d.isoformat()


def month_value(year: int, month: int) -> str:
    """YYYY-MM."""
    return f"{year:04d}-{month:02d}"


def shift_months(year: int, month: int, n: int) -> tuple[int, int]:
    """(year, month) moved by n months."""
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def week_start(d: date) -> date:
    """The Monday of d's week."""
    return d - timedelta(days=d.weekday())


def weekday_on_or_before(pub: date, weekday: int, relation: str | None) -> date:
    """'on Monday' (latest on/before), 'last Monday' (strictly before), 'next Monday' (after),
    'until Monday' (relation 'upcoming': the first on or after)."""
    if relation == "upcoming":
        return pub + timedelta(days=(weekday - pub.weekday()) % 7)
    if relation == "next":
        return pub + timedelta(days=(weekday - pub.weekday() - 1) % 7 + 1)
    back = (pub.weekday() - weekday) % 7
    if relation == "past" and back == 0:
        back = 7
    return pub - timedelta(days=back)


def day_of_month(pub: date, day: int, relation: str | None) -> date | None:
    """'on the 28th': this month's when not after publication, else last month's; None if invalid."""
    y, m = pub.year, pub.month
    if relation == "past" or day > pub.day:
        y, m = shift_months(y, m, -1)
    if day > calendar.monthrange(y, m)[1]:
        return None
    return date(y, m, day)


def year_for_day(pub: date, month: int, day: int, window_days: int) -> date | None:
    """The year-less day's latest occurrence at most `window_days` after publication."""
    for y in (pub.year + 1, pub.year, pub.year - 1):
        if day > calendar.monthrange(y, month)[1]:
            continue
        d = date(y, month, day)
        if d <= pub + timedelta(days=window_days):
            return d
    return None


def next_day(pub: date, month: int, day: int) -> date | None:
    """The first such day on or after publication (a sentence that looks ahead)."""
    for y in (pub.year, pub.year + 1, pub.year + 2, pub.year + 3, pub.year + 4):
        if day <= calendar.monthrange(y, month)[1] and date(y, month, day) >= pub:
            return date(y, month, day)
    return None


def year_for_month(pub: date, month: int, relation: str | None) -> int:
    """Year of a year-less month: not after the publication month, or per 'last'/'next'/'this';
    'upcoming' (a sentence that looks ahead): the first on or after the publication month."""
    if relation == "upcoming":
        return pub.year if month >= pub.month else pub.year + 1
    if relation == "current":
        return pub.year
    if relation == "next":
        return pub.year if month > pub.month else pub.year + 1
    if relation == "past":
        return pub.year if month < pub.month else pub.year - 1
    return pub.year if month <= pub.month else pub.year - 1


def season_year(pub: date, start_month: int, relation: str | None) -> int:
    """Year in which the season meant by 'this past/last/this/next <season>' starts."""
    pub_k = pub.year * 12 + pub.month - 1

    def start_k(y: int) -> int:
        """Month index (year*12 + month-1) at which year y's season starts."""
        return y * 12 + start_month - 1

    years = range(pub.year - 2, pub.year + 2)
    if relation == "past":  # the latest season already over at publication
        return max(y for y in years if start_k(y) + SEASON_MONTHS <= pub_k)
    if relation == "next":
        return min(y for y in years if start_k(y) > pub_k)
    if relation == "latest":  # "in the spring": the one under way or the latest already begun
        return max(y for y in years if start_k(y) <= pub_k)
    for y in years:  # current: the one under way, else the one starting this year
        if start_k(y) <= pub_k < start_k(y) + SEASON_MONTHS:
            return y
    return pub.year


def relative_value(pub: date, unit: str, offset: int) -> str:
    """Value of 'last week', 'earlier this month', 'next year', 'yesterday' (offset in units)."""
    if unit == "day":
        return day_value(pub + timedelta(days=offset))
    if unit == "week":  # a week names no day: its month (the month holding its Thursday)
        mid = week_start(pub) + timedelta(weeks=offset, days=3)
        return month_value(mid.year, mid.month)
    if unit == "month":
        return month_value(*shift_months(pub.year, pub.month, offset))
    return f"{pub.year + offset:04d}"
