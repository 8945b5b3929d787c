"""Values found in text, read and normalised: the floor below every stage (no Document, no I/O).

The parsers over strings (numbers, money, quantities, date phrases), dollars at a date (usd.py)
and calendar arithmetic (calendar.py). Extraction calls them so a fact sheet's amounts have their
USD value and its dates their day; ingest reads a dateline with them. Below every stage, so no
stage reaches up for them (ARCHITECTURE.md, "Layers").

`SpanSet` is shared by the parsers and the extract modules that settle overlapping finds.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable


class SpanSet:
    """Character spans, merged where they overlap, with O(log n) overlap queries.

    Settling overlaps by comparing each find with every kept one is quadratic, and a long
    document with thousands of numbers or dates made that the slowest step.
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) shares a character with a span in the set."""
        if end <= start:
            return False
        i = bisect_right(self._starts, start)
        if i and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def add(self, start: int, end: int) -> None:
        """Add [start, end), merging it with the spans it overlaps (empty spans are ignored)."""
        if end <= start:
            return
        i = bisect_right(self._starts, start)
        lo = hi = i
        if i and self._ends[i - 1] > start:
            lo = i - 1
            start = self._starts[lo]
        while hi < len(self._starts) and self._starts[hi] < end:
            hi += 1
        if hi > lo:
            end = max(end, self._ends[hi - 1])
        self._starts[lo:hi] = [start]
        self._ends[lo:hi] = [end]
