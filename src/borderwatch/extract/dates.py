"""Date mentions of a document, resolved against its publication date.

Finding is parsers/dates.py (pure, over the text); the arithmetic is values/calendar.py. Every
phrase found is kept: without a publication date, relative and year-less ones get value None.
The anchor is the publication day; else the publication month (the URL's /2018/11/, a month-only
date line in the text); else, for a year-less day or month, a full date before it in the same
paragraph (for a day, also a month with its year: "In May 2020 … On May 12"), or the one year
the text states (twice or more, and no other). A sentence that looks ahead ("will reopen in
March") takes the next such day or month. A scraper's 'today' line (ingest/textfile.py) is not a
date of the report, and "today" or "yesterday" inside a direct quotation is the speaker's day,
left unresolved.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from functools import cache

from borderwatch.data_models.dates import DatesFile
from borderwatch.datafiles import load
from borderwatch.model import DateMention, Document
from borderwatch.patterns import alternation
from borderwatch.values import calendar as rd
from borderwatch.values.dates import DateMatch, date_spans

_ABSOLUTE = frozenset({"ymd", "ym", "year"})
_NEEDS_DAY = frozenset({"weekday", "dom"})  # unresolvable when only the month is known
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_QUOTE_MARKS = re.compile(r'[“”"]')


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a date phrase is resolved against: the publication day, or (exact False) the last
    day of the publication month when only the month is known."""

    day: date
    exact: bool = True


@cache
def _future_cue() -> re.Pattern[str]:
    """Words of a sentence that looks ahead (dates.yaml future_cues)."""
    words = load("lang/en/dates.yaml", DatesFile).future_cues
    return re.compile(rf"(?<![\w'’])(?:{alternation(words, any_space=True)})(?!\w)", re.I)


_CLAUSE_BREAK = re.compile(r"[,;:.!?()\n“”\"]")
_CLAUSE_REACH = 80  # characters between a future cue and the date phrase, at most


def _looks_ahead(text: str, d: DateMatch) -> bool:
    """True when a future cue stands in the date phrase's clause: before or after it, near, and
    with no punctuation between ("prices will rise in April"; not "on Thursday, it will")."""
    lo, hi = max(0, d.start - _CLAUSE_REACH), min(len(text), d.end + _CLAUSE_REACH)
    for m in _future_cue().finditer(text, lo, hi):
        gap = text[m.end():d.start] if m.end() <= d.start else text[d.end:m.start()]
        if m.start() < d.end and m.end() > d.start:
            continue
        if not _CLAUSE_BREAK.search(gap):
            return True
    return False


@cache
def _window_days() -> int:
    """Days after publication a year-less day may lie (dates.yaml future_window_days)."""
    return load("lang/en/dates.yaml", DatesFile).future_window_days


def resolve(d: DateMatch, pub: date | Anchor | None) -> tuple[str | None, str | None]:
    """(value, granularity) of one date phrase; value None when it cannot be resolved."""
    anchor = Anchor(pub) if isinstance(pub, date) else pub
    k = d.kind
    if k == "ymd":
        return rd.day_value(date(d.year, d.month, d.day)), "day"  # type: ignore[arg-type]
    if k == "ym":
        return rd.month_value(d.year, d.month), "month"  # type: ignore[arg-type]
    if k == "year":
        return f"{d.year:04d}", "year"
    if k == "season" and d.year is not None:
        return f"{d.year:04d}", "season"
    gran = {"md": "day", "month": "month", "month_yoff": "month", "weekday": "day", "dom": "day",
            "season": "season", "relative": _value_unit(d.unit), "ago": _value_unit(d.unit)}.get(k)
    if anchor is None or k == "anaphoric":
        return None, gran
    if not anchor.exact and (k in _NEEDS_DAY or (k in ("relative", "ago") and d.unit in ("day", "week"))):
        return None, gran
    pub = anchor.day
    if k == "md" and d.relation == "upcoming":
        found = rd.next_day(pub, d.month, d.day)  # type: ignore[arg-type]
        return (rd.day_value(found) if found else None), "day"
    if k == "md":
        window = 0 if d.relation == "past" else _window_days()
        found = rd.year_for_day(pub, d.month, d.day, window)  # type: ignore[arg-type]
        return (rd.day_value(found) if found else None), "day"
    if k == "month":
        year = rd.year_for_month(pub, d.month, d.relation)  # type: ignore[arg-type]
        return rd.month_value(year, d.month), "month"  # type: ignore[arg-type]
    if k == "month_yoff":
        return rd.month_value(pub.year + d.offset, d.month), "month"  # type: ignore[arg-type, operator]
    if k == "weekday":
        day = rd.weekday_on_or_before(pub, d.weekday, d.relation)  # type: ignore[arg-type]
        return rd.day_value(day), "day"
    if k == "dom":
        found = rd.day_of_month(pub, d.day, d.relation)  # type: ignore[arg-type]
        return (rd.day_value(found) if found else None), "day"
    if k == "relative":
        return rd.relative_value(pub, d.unit, d.offset), _value_unit(d.unit)  # type: ignore[arg-type]
    if k == "ago":
        if d.unit == "year" and d.offset == 1:  # "a year ago": the same month a year before
            return rd.month_value(pub.year - 1, pub.month), "month"
        return rd.relative_value(pub, d.unit, -d.offset), _value_unit(d.unit)  # type: ignore[arg-type, operator]
    if k == "season":
        return f"{rd.season_year(pub, d.season, d.relation):04d}", "season"  # type: ignore[arg-type]
    return None, gran


def _value_unit(unit: str | None) -> str | None:
    """Granularity of a relative value: a week is given as its month."""
    return "month" if unit == "week" else unit


def _month_anchor(doc: Document) -> Anchor | None:
    """The publication month from the URL or a month-only date line, as its last day."""
    from borderwatch.ingest.meta import month_from_url
    from borderwatch.ingest.textfile import date_lines

    value = month_from_url(doc.url)
    if value is None:
        value = next((x.value[:7] for x in date_lines(doc.text) if not x.widget), None)
    if value is None:
        return None
    return Anchor(rd.month_end(int(value[:4]), int(value[5:7])), exact=False)


def _widget_spans(text: str) -> list[tuple[int, int]]:
    """Spans of a scraper's 'today' lines: their dates are not dates of the report."""
    from borderwatch.ingest.textfile import date_lines

    return [(x.start, x.end) for x in date_lines(text) if x.widget]


def _quote_spans(text: str, breaks: list[int]) -> list[tuple[int, int]]:
    """Spans of direct quotations: “…” or "…" pairs within a paragraph (an unclosed one runs to
    the paragraph's end, as a quote continued in the next paragraph is written)."""
    spans = []
    edges = [0, *breaks, len(text)]
    for lo, hi in zip(edges, edges[1:]):
        opened = None
        for m in _QUOTE_MARKS.finditer(text, lo, hi):
            ch = m.group()
            if opened is None and ch != "”":
                opened = m.start()
            elif opened is not None and ch != "“":
                spans.append((opened, m.end()))
                opened = None
        if opened is not None:
            spans.append((opened, hi))
    return spans


_FRAMING_RULES = frozenset({"date.year", "date.month_year", "date.month_list_year"})


def _text_year(found: list[DateMatch]) -> int | None:
    """The one year a text dates its own events in, when it states no other and states it at
    least twice ("logs kept in 2017 ... since the start of 2017"); else None. Years that only
    name a thing ("a 2005 order"), bound a range or belong to a full date (a photo's date) do not
    count."""
    years = [d.year for d in found if d.year is not None and d.rule in _FRAMING_RULES]
    if len(years) >= 2 and len(set(years)) == 1:
        return years[0]
    return None


def _in_year(d: DateMatch, year: int) -> tuple[str | None, str | None]:
    """A year-less day or month (or "March last year") in the given year."""
    try:
        if d.kind == "md":
            return rd.day_value(date(year, d.month, d.day)), "day"  # type: ignore[arg-type]
        if d.kind == "month_yoff":
            return rd.month_value(year + d.offset, d.month), "month"  # type: ignore[arg-type, operator]
        return rd.month_value(year, d.month), "month"  # type: ignore[arg-type]
    except ValueError:
        return None, "day" if d.kind == "md" else "month"


def find_dates(doc: Document) -> list[DateMention]:
    """Every date phrase in the document with its value against the publication date."""
    pub = rd.parse_iso(doc.published)
    anchor = Anchor(pub) if pub else _month_anchor(doc)
    widgets = _widget_spans(doc.text)
    breaks = [m.start() for m in _PARAGRAPH.finditer(doc.text)]
    quotes = _quote_spans(doc.text, breaks)
    out = []
    full: tuple[date, int] | None = None  # the last full date seen and its paragraph
    month_year: tuple[int, int, int] | None = None  # the last month with a year: year, month, paragraph
    found = list(date_spans(doc.text))
    text_year = _text_year(found) if anchor is None else None
    for d in found:
        if any(a <= d.start < b for a, b in widgets):
            continue
        para = bisect_left(breaks, d.start)  # paragraph index
        if d.relation is None and d.kind in ("md", "month", "weekday") and _looks_ahead(doc.text, d):
            d = dataclasses.replace(d, relation="upcoming")
        try:
            value, gran = resolve(d, anchor)
            if (d.kind in ("relative", "ago") and d.unit == "day"
                    and any(a <= d.start < b for a, b in quotes)):
                value = None  # "today" in a quote is the day the speaker spoke, not publication
            if anchor is None and value is None and d.kind in ("md", "month", "month_yoff") \
                    and d.relation in (None, "upcoming"):
                if full is not None and full[1] == para:
                    value, gran = _in_year(d, full[0].year)
                elif (d.kind == "md" and month_year is not None and month_year[1] == d.month
                      and para - month_year[2] <= 1):
                    value, gran = _in_year(d, month_year[0])  # "In May 2020 … On May 12"
                elif text_year is not None:
                    value, gran = _in_year(d, text_year)
            if d.kind == "ymd":
                full = (date(d.year, d.month, d.day), para)  # type: ignore[arg-type]
            elif d.kind == "ym":
                month_year = (d.year, d.month, para)  # type: ignore[assignment]
        except (ValueError, OverflowError):
            value, gran = None, None  # e.g. a year-less day beyond the calendar's range
        relative = d.kind not in _ABSOLUTE and not (d.kind == "season" and d.year is not None)
        out.append(DateMention(d.text, d.start, d.end, value, gran, relative, d.rule))
    return out
