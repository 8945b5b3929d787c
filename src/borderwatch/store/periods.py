"""Periods: the one way a date bound given by an analyst (YYYY, YYYY-MM or YYYY-MM-DD) is read,
checked and turned into SQL.

Every list, count and chart filters on dates through `period_sql`, so "since 2022" or "until
2022-07" means the same on every page, in the API, the CLI and the exports: a bound covers its
whole year, month or day ("until 2022-07" keeps July 31st), and stored values of any precision
(an event dated only "2022-07") compare by the same rule. A value that is not a real calendar
date is refused at the edge with a plain message, never stored or sent to SQL.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_SHAPE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class BadDate(ValueError):
    """A date bound that is not YYYY, YYYY-MM or YYYY-MM-DD of a real calendar day."""


@dataclass(frozen=True, slots=True)
class DateBound:
    """A year, month or day, as an analyst writes a period's start or end."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> DateBound:
        """'2022', '2022-07' or '2022-07-19'; anything else (or 2023-02-30) raises BadDate."""
        m = _SHAPE.match((text or "").strip())
        if not m:
            raise BadDate(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        y, mo, d = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
        if mo is not None and not 1 <= mo <= 12:
            raise BadDate(f"no such month: {text!r}")
        if d is not None and not 1 <= d <= calendar.monthrange(y, mo or 1)[1]:
            raise BadDate(f"no such day: {text!r}")
        if y < 1:
            raise BadDate(f"no such year: {text!r}")
        return cls(y, mo, d)

    def __str__(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{v:02d}" for v in (self.month, self.day) if v])

    def first_day(self) -> date:
        """The first day the bound covers."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The last day the bound covers."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


def parse_bound(text: str | None) -> DateBound | None:
    """A bound from an optional form or query value ('' and None are no bound)."""
    return DateBound.parse(text) if text and text.strip() else None


def period_sql(expr: str, since: DateBound | str | None,
               until: DateBound | str | None) -> tuple[list[str], list[Any]]:
    """Conditions keeping rows whose date `expr` (YYYY[-MM[-DD]] text) lies in the period.

    "until" compares on the bound's precision (until 2022-07 keeps all of July, until 2022 all
    of 2022); "since" compares as text, so a row of lower precision than the bound (2022-07
    against since 2022-07-15) is left out; undated rows (NULL) are never inside a bounded
    period."""
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        s = str(since if isinstance(since, DateBound) else DateBound.parse(since))
        where.append(f"{expr} >= ?")
        params.append(s)
    if until is not None:
        u = str(until if isinstance(until, DateBound) else DateBound.parse(until))
        # the second test says the same as the first ('~' sorts after every digit and '-') in a
        # form an index on `expr` can use
        where.append(f"substr({expr}, 1, length(?)) <= ? AND {expr} <= ?")
        params += [u, u, u + "~"]
    return where, params


def checked_bound(_ctx: Any, _param: Any, value: str | None) -> str | None:
    """A click callback: the option's date bound, checked (a bad one is a usage error)."""
    try:
        bound = parse_bound(value)
    except BadDate as exc:
        import click
        raise click.BadParameter(str(exc)) from exc
    return str(bound) if bound else None


__all__ = ["BadDate", "DateBound", "checked_bound", "parse_bound", "period_sql"]
