"""Korean dates: "7월 11일", "지난 11일", "이달 초", "지난달", "올해", "지난해 말", "2022년 7월",
weekdays and datelines ("2017.05.27"), resolved against the publication date.

The words are data (data/lang/ko/dates.yaml). A day without a month is the publication month's
(the month before when that day is still to come, or "지난"); a month without a year is the
publication year's unless it lies more than half a year ahead (then the year before), "지난"
puts it before the publication month and "오는" on or after it. Without a publication date the
URL's month anchors what it can (as for English); otherwise only dates that name their year get
a value, like English dates (values/calendar.py does the calendar).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from borderwatch.data_models.ko import KoDatesFile
from borderwatch.datafiles import load
from borderwatch.extract.ko.lexicon import KO, words_alt
from borderwatch.ingest.meta import month_from_url
from borderwatch.model import DateMention, Document
from borderwatch.values.calendar import (
    day_of_month,
    month_value,
    relative_value,
    shift_months,
    weekday_on_or_before,
)

_FILE = "dates.yaml"
_HALF_YEAR = 6


@dataclass(frozen=True, slots=True)
class DateRules:
    """dates.yaml compiled into one regex with named groups."""

    regex: re.Pattern[str]
    years: dict[str, int]
    months: dict[str, int]
    days: dict[str, int]
    weekdays: dict[str, int]
    parts: dict[str, str]
    past: frozenset[str]
    need_more: frozenset[str]


@cache
def date_rules() -> DateRules:
    """dates.yaml, validated and compiled once."""
    data = load(KO + _FILE, KoDatesFile)
    years, months, days, weekdays = dict(data.years), dict(data.months), dict(data.days), dict(data.weekdays)
    parts = data.parts
    past, ahead = data.past, data.ahead
    stop = words_alt(data.not_after)
    mark = rf"(?:(?P<mark>{words_alt(past + ahead)})\s?)?"
    follow = words_alt(data.part_followers)
    part = rf"(?:\s?(?P<part>{words_alt(list(parts))})(?=[^가-힣]|$|{follow}))?"
    marks = {"year": words_alt(data.year_marks), "month": words_alt(data.month_marks),
             "day": words_alt(data.day_marks)}
    day = rf"(?P<d>[1-9]|[12]\d|3[01])(?:{marks['day']})(?!\s?(?:{stop}))"
    month = rf"(?P<m>1[0-2]|0?[1-9])(?:{marks['month']})"
    sep = r"\s?[./-]\s?"
    rel_months = words_alt(list(months)).replace(r"\ ", r"\s?")
    source = "|".join([
        rf"(?P<iy>(?:19|20)\d\d){sep}(?P<im>1[0-2]|0?[1-9]){sep}(?P<id>3[01]|[12]\d|0?[1-9])(?!\d|\.\d)",
        r"(?P<hy>(?:19|20)\d\d)-(?P<hm>1[0-2]|0[1-9])(?![\d-])",
        rf"{mark}(?:(?P<y>(?:19|20)\d\d)(?:{marks['year']})|(?P<ry>{words_alt(list(years))}))"
        rf"(?:\s?{month}(?:\s?{day})?)?{part}",
        rf"{mark}(?P<rm>{rel_months})(?:\s?{day})?{part}",
        rf"{mark}{month}(?:\s?{day})?{part}",
        rf"{mark}{day}",
        rf"(?P<rd>{words_alt(list(days))})",
        rf"(?P<wd>{words_alt(list(weekdays))})",
    ])
    # group names repeat across branches: number them apart
    counter: dict[str, int] = {}

    def rename(m: re.Match[str]) -> str:
        """(?P<d> -> (?P<d__2> for a repeated group name."""
        name = m.group(1)
        counter[name] = counter.get(name, 0) + 1
        return f"(?P<{name}__{counter[name]}>"

    source = re.sub(r"\(\?P<(\w+)>", rename, source)
    return DateRules(
        regex=re.compile(rf"(?<![\w\d.,~])(?:{source})"),
        years=years, months=months, days=days, weekdays=weekdays,
        parts=dict(parts),
        past=frozenset(past), need_more=frozenset(data.years_need_more),
    )


def _groups(m: re.Match[str]) -> dict[str, str]:
    """The match's set groups under their plain names (d__2 -> d)."""
    return {k.split("__")[0]: v for k, v in m.groupdict().items() if v is not None}


@dataclass(frozen=True, slots=True)
class Pub:
    """What is known of the publication date."""

    year: int | None
    month: int | None
    day: date | None


def _pub(value: str | None, url: str | None = None) -> Pub:
    """The publication date as far as it is given (YYYY, YYYY-MM or YYYY-MM-DD); without one,
    the month a URL states (".../2018/01/..."), as English dates do."""
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value or month_from_url(url) or "")
    if not m:
        return Pub(None, None, None)
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        full = date(y, int(mo), int(d)) if mo and d else None
    except ValueError:
        full = None
    return Pub(y, int(mo) if mo else None, full)


def _month_year(rules: DateRules, g: dict[str, str], pub: Pub, month: int) -> int | None:
    """The year of a month named without one."""
    if pub.year is None or pub.month is None:
        return None
    if g.get("mark") in rules.past:
        return pub.year if month < pub.month or (month == pub.month and "d" in g) else pub.year - 1
    if g.get("mark"):
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year - 1 if month - pub.month > _HALF_YEAR else pub.year


def _day_in(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD when the day exists."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _resolve(rules: DateRules, g: dict[str, str], pub: Pub) -> tuple[str | None, str | None]:
    """(value, granularity) of one match."""
    if "iy" in g:
        return _day_in(int(g["iy"]), int(g["im"]), int(g["id"])), "day"
    if "hy" in g:
        return month_value(int(g["hy"]), int(g["hm"])), "month"
    part = rules.parts.get(g.get("part", ""))
    if "y" in g or "ry" in g:
        if "ry" in g and g["ry"] in rules.need_more and "m" not in g and not part:
            return None, None
        year = int(g["y"]) if "y" in g else (pub.year + rules.years[g["ry"]] if pub.year else None)
        if year is None:
            return None, None
        if "m" in g:
            month = int(g["m"])
            if "d" in g:
                return _day_in(year, month, int(g["d"])), "day"
            return month_value(year, month), "month"
        return (month_value(year, 12), "month") if part == "end" else (f"{year:04d}", "year")
    if "rm" in g:
        if pub.year is None or pub.month is None:
            return None, None
        key = re.sub(r"\s+", " ", g["rm"])
        y, mo = shift_months(pub.year, pub.month, rules.months.get(key, rules.months.get(g["rm"], 0)))
        if "d" in g:
            return _day_in(y, mo, int(g["d"])), "day"
        return month_value(y, mo), "month"
    if "m" in g:
        month = int(g["m"])
        year = _month_year(rules, g, pub, month)
        if year is None:
            return None, None
        if "d" in g:
            return _day_in(year, month, int(g["d"])), "day"
        return month_value(year, month), "month"
    if "d" in g:
        day = int(g["d"])
        if pub.day is not None:
            past = "past" if g.get("mark") in rules.past and day == pub.day.day else None
            if g.get("mark") and g["mark"] not in rules.past:
                y, mo = (pub.day.year, pub.day.month) if day >= pub.day.day else shift_months(
                    pub.day.year, pub.day.month, 1)
                return _day_in(y, mo, day), "day"
            d = day_of_month(pub.day, day, past)
            return (d.isoformat(), "day") if d else (None, None)
        if pub.year is not None and pub.month is not None:
            return _day_in(pub.year, pub.month, day), "day"
        return None, None
    if pub.day is None:
        return None, None
    if "rd" in g:
        return relative_value(pub.day, "day", rules.days[g["rd"]]), "day"
    if "wd" in g:
        return weekday_on_or_before(pub.day, rules.weekdays[g["wd"]], None).isoformat(), "day"
    return None, None


def find_dates_ko(doc: Document) -> list[DateMention]:
    """Every date phrase of a Korean report with its resolved value (None when it cannot be)."""
    rules = date_rules()
    pub = _pub(doc.published, doc.url)
    out: list[DateMention] = []
    for m in rules.regex.finditer(doc.text):
        g = _groups(m)
        value, gran = _resolve(rules, g, pub)
        if value is None and gran is None and "ry" in g and g["ry"] in rules.need_more:
            continue
        relative = not any(k in g for k in ("iy", "hy", "y"))
        kind = next((k for k in ("iy", "hy", "y", "ry", "rm", "m", "d", "rd", "wd") if k in g), "d")
        out.append(DateMention(m.group(0), m.start(), m.end(), value, gran if value else None,
                               relative, f"date.ko.{kind}"))
    return out
