"""Date mentions of a document, resolved against its publication date.

Finding is parsers/dates.py (pure, over the text); the arithmetic is resolve/dates.py. Every
phrase found is kept: without a publication date, relative and year-less ones get value None.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.extract.parsers.dates import DateMatch, find_date_spans
from borderwatch.model import DateMention, Document
from borderwatch.resolve import dates as rd

_ABSOLUTE = frozenset({"ymd", "ym", "year"})


@cache
def _window_days() -> int:
    """Days after publication a year-less day may lie (dates.yaml future_window_days)."""
    value = read_yaml("lang/en/dates.yaml").get("future_window_days")
    if not isinstance(value, int) or value < 0:
        raise DataError("lang/en/dates.yaml: 'future_window_days' must be a non-negative integer")
    return value


def resolve(d: DateMatch, pub: date | None) -> tuple[str | None, str | None]:
    """(value, granularity) of one date phrase; value None when it cannot be resolved."""
    k = d.kind
    if k == "ymd":
        return rd.day_value(date(d.year, d.month, d.day)), "day"  # type: ignore[arg-type]
    if k == "ym":
        return rd.month_value(d.year, d.month), "month"  # type: ignore[arg-type]
    if k == "year":
        return f"{d.year:04d}", "year"
    if k == "season" and d.year is not None:
        return f"{d.year:04d}", "season"
    gran = {"md": "day", "month": "month", "weekday": "day", "dom": "day", "season": "season",
            "relative": d.unit, "ago": d.unit}.get(k)
    if pub is None or k == "anaphoric":
        return None, gran
    if k == "md":
        window = 0 if d.relation == "past" else _window_days()
        found = rd.year_for_day(pub, d.month, d.day, window)  # type: ignore[arg-type]
        return (rd.day_value(found) if found else None), "day"
    if k == "month":
        year = rd.year_for_month(pub, d.month, d.relation)  # type: ignore[arg-type]
        return rd.month_value(year, d.month), "month"  # type: ignore[arg-type]
    if k == "weekday":
        day = rd.weekday_on_or_before(pub, d.weekday, d.relation)  # type: ignore[arg-type]
        return rd.day_value(day), "day"
    if k == "dom":
        found = rd.day_of_month(pub, d.day, d.relation)  # type: ignore[arg-type]
        return (rd.day_value(found) if found else None), "day"
    if k == "relative":
        return rd.relative_value(pub, d.unit, d.offset), d.unit  # type: ignore[arg-type]
    if k == "ago":
        return rd.relative_value(pub, d.unit, -d.offset), d.unit  # type: ignore[arg-type, operator]
    if k == "season":
        return f"{rd.season_year(pub, d.season, d.relation):04d}", "season"  # type: ignore[arg-type]
    return None, gran


def find_dates(doc: Document) -> list[DateMention]:
    """Every date phrase in the document with its value against the publication date."""
    pub = rd.parse_iso(doc.published)
    out = []
    for d in find_date_spans(doc.text):
        try:
            value, gran = resolve(d, pub)
        except (ValueError, OverflowError):
            value, gran = None, None  # e.g. a year-less day beyond the calendar's range
        relative = d.kind not in _ABSOLUTE and not (d.kind == "season" and d.year is not None)
        out.append(DateMention(d.text, d.start, d.end, value, gran, relative, d.rule))
    return out
