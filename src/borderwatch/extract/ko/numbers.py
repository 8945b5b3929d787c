"""Korean numerals: digits with 십/백/천 and 만/억/조 multipliers, ranges, native number words.

Korean counts in blocks of four places: "1억3959만" is 1 × 10⁸ + 3959 × 10⁴, "4천5백억" is
(4,000 + 500) × 10⁸, and a space may sit between the parts ("1만 2천", "2천 2백만"). The
multipliers and words are data (data/lang/ko/numbers.yaml); `NUMBER` is the regex source of one
number, `parse_number` its value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from borderwatch.data_models.ko import KoNumbersFile
from borderwatch.datafiles import load

_FILE = "lang/ko/numbers.yaml"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass(frozen=True, slots=True)
class Numerals:
    """numbers.yaml compiled: multipliers, native words and the regex sources built from them."""

    small: dict[str, int]
    big: dict[str, int]
    native: dict[str, int]
    number: str  # regex source of one number ("1만 2천", "4천5백", "20,800")
    range_marks: str  # regex character class of the range marks
    part: re.Pattern[str]  # one part of a number: digits, then at most one small and one big


@cache
def numerals() -> Numerals:
    """numbers.yaml, validated and compiled once."""
    data = load(_FILE, KoNumbersFile)
    small, big, native, marks = dict(data.small), dict(data.big), dict(data.native), data.range_marks
    sm = "".join(re.escape(k) for k in small)
    bg = "".join(re.escape(k) for k in big)
    part = rf"(?:{_DIGITS})(?:\s?[{sm}])?(?:\s?[{bg}])?"
    # a following part only after a part that ended in a multiplier ("1만 2천", not "3 4")
    number = rf"(?:{_DIGITS})(?:(?:\s?[{sm}])?\s?[{bg}]|\s?[{sm}])(?:\s?(?:{part}))*|(?:{_DIGITS})"
    return Numerals(small, big, native, number, "[" + "".join(re.escape(m) for m in marks) + "]",
                    re.compile(rf"({_DIGITS})(?:\s?([{sm}]))?(?:\s?([{bg}]))?"))


def parse_number(text: str) -> float | None:
    """The value of one Korean number ("1만 2천" -> 12000, "4천5백억" -> 450000000000), or None
    when `text` is not one."""
    n = numerals()
    if not re.fullmatch(n.number, text.strip()):
        return None
    total = 0.0
    block = 0.0
    for m in n.part.finditer(text):
        value = float(m.group(1).replace(",", ""))
        if m.group(2):
            value *= n.small[m.group(2)]
        if m.group(3):
            total += (block + value) * n.big[m.group(3)]
            block = 0.0
        else:
            block += value
    return total + block


def trailing_multiplier(text: str) -> int:
    """The big multiplier ending a number (만 of "50만"), times a small one before it (백 of
    "5백"), which the bare first number of a range shares ("40~50만", "4~5백")."""
    n = numerals()
    m = n.part.fullmatch(text.strip())
    if m is None:
        return 1
    mult = 1
    if m.group(2):
        mult *= n.small[m.group(2)]
    if m.group(3):
        mult *= n.big[m.group(3)]
    return mult


def parse_range(low: str, high: str) -> tuple[float, float] | None:
    """(min, max) of a range "40~50만": a bare first number takes the second's multiplier."""
    lo, hi = parse_number(low), parse_number(high)
    if lo is None or hi is None:
        return None
    if re.fullmatch(_DIGITS, low.strip()):
        lo *= trailing_multiplier(high)
    return (lo, hi) if lo <= hi else None
