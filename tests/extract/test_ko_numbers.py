"""Korean numerals (extract/ko/numbers.py): written forms, and hypothesis round trips through
every way Korean writes a number (digits with 만/억 blocks, 천/백 inside a block, spaces or none)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.extract.ko.numbers import parse_number, parse_range
from tests.examples import examples


@pytest.mark.parametrize(("text", "value"), [
    ("300만", 3_000_000), ("1만 2천", 12_000), ("1만2천", 12_000), ("5천", 5_000), ("2억", 200_000_000),
    ("4천5백억", 450_000_000_000), ("1억3959만", 139_590_000), ("2천 2백만", 22_000_000),
    ("1천3백", 1_300), ("20,800", 20_800), ("25.8", 25.8), ("7억3000만", 730_000_000), ("1만 2000", 12_000),
])
def test_ko_number_forms(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "만", "천원", "3 4", "abc", "1,00"])
def test_ko_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("low", "high", "expected"), [
    ("40", "50만", (400_000, 500_000)), ("4", "5백", (400, 500)), ("2300", "2500", (2300, 2500)),
    ("43", "47만", (430_000, 470_000)),
])
def test_ko_range_shares_the_trailing_multiplier(low: str, high: str, expected: tuple[int, int]) -> None:
    assert parse_range(low, high) == expected


def test_ko_range_backwards_is_none() -> None:
    assert parse_range("50", "40") is None


def _block(n: int, style: int) -> str:
    """A number below 10,000 as Korean writes it: plain digits, or with 천/백."""
    if style == 0 or n < 100:
        return str(n)
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    out = (f"{thousands}천" if thousands else "") + (f"{hundreds}백" if hundreds else "")
    return out + (str(rest) if rest else "")


def _korean(n: int, style: int, space: bool) -> str:
    """n written with 억 and 만 blocks."""
    parts = []
    eok, rest = divmod(n, 100_000_000)
    man, rest = divmod(rest, 10_000)
    if eok:
        parts.append(_block(eok, style) + "억")
    if man:
        parts.append(_block(man, style) + "만")
    if rest or not parts:
        parts.append(_block(rest, style))
    return (" " if space else "").join(parts)


@settings(max_examples=examples(300), deadline=None)
@given(st.integers(min_value=1, max_value=9_999_999_999_999), st.integers(0, 1), st.booleans())
def test_ko_number_round_trip(n: int, style: int, space: bool) -> None:
    assert parse_number(_korean(n, style, space)) == n


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(1, 9999), st.integers(1, 9999), st.sampled_from(["", "만", "백", "천"]))
def test_ko_range_runs_forwards(a: int, b: int, mult: str) -> None:
    lo, hi = sorted((a, b))
    got = parse_range(str(lo), f"{hi}{mult}")
    assert got is not None and got[0] <= got[1]
