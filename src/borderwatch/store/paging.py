"""Paging and sorting of every list (reports, events, incidents, goods, claims), in one place.

A list names the columns it can be sorted by (a whitelist of public keys, each mapped to a SQL
expression), so a sort key typed into a URL never reaches SQL: an unknown key is a `BadSort`
(a 400 in the app). Every ORDER BY ends on a unique column, so page 2 starts exactly where
page 1 stopped and the pages of a list add up to its total; empty values sort last whichever
way the column is sorted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ORDERS = ("asc", "desc")
# A trailing collation: "(x COLLATE NOCASE) IS NULL" does not match an index on "(x) IS NULL"
_COLLATE = re.compile(r"\s+COLLATE\s+\w+\s*$", re.IGNORECASE)
MAX_PER_PAGE = 200


class BadSort(ValueError):
    """A sort key or order the list does not offer; the message lists the ones it does."""


@dataclass(frozen=True, slots=True)
class SortSpec:
    """The columns a list sorts by: public key -> SQL expression, a default, and a tie-breaker."""

    columns: dict[str, str | tuple[str, ...]]  # several expressions: one key, same direction
    default: str
    default_order: str = "desc"
    tiebreak: str = ""  # a unique expression ending every ORDER BY ("e.id"), in its direction
    then: str = ""  # fixed further ordering after the key and before the tie-breaker
    first_order: dict[str, str] | None = None  # the order a column starts in when first clicked
    # columns with a pair of indexes led by "(expr) IS NULL" (ascending, and descending on the
    # emptiness term): their ORDER BY is written in that form, which those indexes serve in
    # either direction with empty values last (migration 0015)
    null_keyed: frozenset[str] = frozenset()

    def check(self, sort: str | None, order: str | None) -> tuple[str, str]:
        """(key, order) after defaults; BadSort for anything the list does not offer."""
        key = sort or self.default
        if key not in self.columns:
            raise BadSort(f"cannot sort by {key!r}; sort by one of: {', '.join(self.columns)}")
        if order and order not in ORDERS:
            raise BadSort(f"order is 'asc' or 'desc', not {order!r}")
        return key, order or (self.default_order if key == self.default else self.start_order(key))

    def start_order(self, key: str) -> str:
        """The direction a column sorts in when its header is first clicked."""
        return (self.first_order or {}).get(key, "asc")

    def order_by(self, key: str, order: str) -> str:
        """ORDER BY clause (without the keywords) for a checked key and order."""
        value = self.columns[key]
        first, *more = (value,) if isinstance(value, str) else value
        direction = "DESC" if order == "desc" else "ASC"
        # empty values last either way. A column with its pair of "(expr) IS NULL" indexes says
        # so first; any other is written so that an index on `expr` serves its descending order
        # (SQLite puts NULLs last there by itself; "ASC NULLS LAST" sorts, which small lists
        # afford but /events did not: 1 s at 50,000 reports)
        if key in self.null_keyed:  # the emptiness test without a collation, as indexed
            parts = [f"({_COLLATE.sub('', first)}) IS NULL", f"{first} {direction}"]
        else:
            parts = [f"{first} DESC" if order == "desc" else f"{first} ASC NULLS LAST"]
        parts += [f"{expr} {direction}" for expr in more]
        if self.then:
            parts.append(self.then)
        if self.tiebreak:
            parts.append(f"{self.tiebreak} {direction}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Window:
    """Which rows of a list one page shows (1-based page number, rows per page)."""

    page: int = 1
    per_page: int = 25

    @classmethod
    def of(cls, page: int | None, per_page: int | None, default: int = 25) -> Window:
        """A window from query values, clamped: page >= 1, 1 <= per_page <= MAX_PER_PAGE."""
        return cls(max(1, page or 1), min(MAX_PER_PAGE, max(1, per_page or default)))

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.per_page

    @property
    def limit(self) -> int:
        """Rows on this page."""
        return self.per_page


__all__ = ["MAX_PER_PAGE", "ORDERS", "BadSort", "SortSpec", "Window"]
