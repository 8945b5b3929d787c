"""Quantities, percentages and per-unit bases in running text.

Pure functions over strings. A number is a quantity only when a known unit or count noun from
data/lang/en/units.yaml follows it ("3 tons", "more than 100 defectors", "over 50 fever cases");
anything else ("in 2019", "resolution 2397", "COVID-19") is left alone: precision first.
`per_basis` reads the basis after an amount ("per kilogram", "a day", "for each 200 kilogram
bag", "... emerging everyday") and is shared with the money parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.extract.parsers.numbers import (
    find_numbers, is_lone_word, norm_phrase, parse_number, parse_range, phrase_alternation,
    qualifier_before, vocab,
)

_UNITS_FILE = "lang/en/units.yaml"
_GROUPS = ("measures", "containers", "counts", "times")
_ALTERNATIVE = re.compile(r"(?<![\w-])([A-Za-z]+|\d+)\s+or\s+\Z")
_PERCENT = re.compile(r"\s*(%|percent\b|per\s+cent\b|percentage\s+points?\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit spelling's meaning."""

    group: str  # measures | containers | counts | times
    name: str  # normalised unit of a quantity ("fever cases", "kilogram")
    singular: str  # as a per-unit basis ("person", "kilogram")
    phrase: bool = False  # the unit is the noun phrase as written ("North Korean defectors")


@dataclass(frozen=True, slots=True)
class _Units:
    by_form: dict[str, Unit]
    tail: re.Pattern[str]
    per: re.Pattern[str]
    freq: dict[int, re.Pattern[str]]  # by allowed word gap
    freq_names: dict[str, str]


def _entries(data: dict, group: str) -> list[dict]:
    """A non-empty list section of units.yaml, or DataError."""
    items = data.get(group)
    if not isinstance(items, list) or not items:
        raise DataError(f"{_UNITS_FILE}: {group!r} must be a non-empty list")
    return items


@cache
def units() -> _Units:
    """Unit vocabulary and the regexes built from it, compiled once."""
    data = read_yaml(_UNITS_FILE)
    by_form: dict[str, Unit] = {}

    def add(form: str, unit: Unit) -> None:
        """Register one spelling; the same spelling under two units is a DataError."""
        key = norm_phrase(form)
        if key in by_form and by_form[key] != unit:
            raise DataError(f"{_UNITS_FILE}: {form!r} is listed under two units")
        by_form[key] = unit

    for group in _GROUPS:
        for e in _entries(data, group):
            name, forms = e.get("name"), e.get("forms")
            if not name or not isinstance(forms, list) or not forms:
                raise DataError(f"{_UNITS_FILE}: {group} entry {e!r} needs a name and forms")
            singular, phrase = str(e.get("singular") or name), bool(e.get("phrase"))
            for f in forms:
                add(str(f), Unit(group, str(name), singular, phrase))
            for mod in e.get("modifiers") or []:
                for f in forms:
                    add(f"{mod} {f}", Unit(group, f"{mod} {name}", f"{mod} {singular}", phrase))
    alt = lambda xs, g: phrase_alternation(xs, _UNITS_FILE, g)  # noqa: E731
    quantity_forms = [f for f, u in by_form.items() if u.group != "times"]
    measure_forms = [f for f, u in by_form.items() if u.group == "measures"]
    cont_forms = [f for f, u in by_form.items() if u.group in ("containers", "counts")]
    skip = alt(data.get("skip_words"), "skip_words")
    tail = re.compile(
        rf"[\s-]{{1,2}}(?:(?:{skip})\s+)?(?P<unit>{alt(quantity_forms, 'forms')})(?![\w-])"
        rf"(?:[\s-](?P<cont>{alt(cont_forms, 'containers')})(?![\w-]))?", re.IGNORECASE)
    leads = data.get("per_leads")
    if not isinstance(leads, list) or not leads:
        raise DataError(f"{_UNITS_FILE}: 'per_leads' must be a non-empty list")
    lead_src = "|".join(
        [rf"(?:{alt([p for p in leads if p[0].isalpha()], 'per_leads')})\s+"]
        + [rf"{re.escape(p)}\s*" for p in leads if not p[0].isalpha()])
    not_after = alt(data.get("not_after_per"), "not_after_per")
    per = re.compile(
        rf"(?:\s*[)\]])?\s*(?<![\w])(?:{lead_src})(?:(?P<pnum>{vocab().number})[\s-]*)?"
        rf"(?:(?P<pmeas>{alt(measure_forms, 'measures')})[\s-]+)?"
        rf"(?P<punit>{alt(list(by_form), 'forms')})(?![\w-])(?!\s+(?:{not_after})\b)", re.IGNORECASE)
    freq = data.get("frequency")
    if not isinstance(freq, dict) or not freq:
        raise DataError(f"{_UNITS_FILE}: 'frequency' must be a non-empty mapping")
    freq_names = {norm_phrase(p): str(k) for k, ps in freq.items() for p in ps}
    gap = data.get("frequency_gap", 0)
    if not isinstance(gap, int) or gap < 0:
        raise DataError(f"{_UNITS_FILE}: 'frequency_gap' must be a non-negative integer")
    freq_alt = alt(list(freq_names), "frequency")
    freq_res = {
        g: re.compile(rf"(?:\s*[)\]])?(?:\s+[a-z]+){{0,{g}}}?\s+(?P<freq>{freq_alt})(?![\w-])"
                      rf"(?!\s+(?:{not_after})\b)", re.IGNORECASE)
        for g in {0, gap}
    }
    return _Units(by_form, tail, per, freq_res, freq_names)


def frequency_gap() -> int:
    """Words allowed between a quantity and its frequency adverb (data: frequency_gap)."""
    return max(units().freq)


def _fmt(value: float) -> str:
    """A number for a per-unit text: '200', '1.5'."""
    return str(int(value)) if value == int(value) else f"{value:g}"


def per_basis(text: str, pos: int, gap: int = 0) -> tuple[str, int] | None:
    """The normalised per-unit basis starting at `pos` and where it ends ("per kg" -> 'kilogram')."""
    u = units()
    m = u.per.match(text, pos)
    if m:
        parts = []
        if m.group("pnum"):
            n = parse_number(m.group("pnum"))
            if n is None or n.prefix_only:
                return None
            parts.append(_fmt(n.value))
        if m.group("pmeas"):
            parts.append(u.by_form[norm_phrase(m.group("pmeas"))].name)
        parts.append(u.by_form[norm_phrase(m.group("punit"))].singular)
        return " ".join(parts), m.end()
    m = u.freq[gap if gap in u.freq else 0].match(text, pos)
    if m:
        return u.freq_names[norm_phrase(m.group("freq"))], m.end()
    return None


@dataclass(frozen=True, slots=True)
class QuantityMatch:
    """A count, measure or percentage found in text (qualifier included in a quantity's span)."""

    start: int
    end: int
    text: str
    min: float
    max: float
    unit: str
    kind: str  # quantity | percent
    qualifier: str | None
    per: str | None
    rule: str


def _before_ok(text: str, s: int) -> bool:
    """False when the number is glued to a word or a symbol ("A25", "$5", "No.3")."""
    return s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "$€¥₩£#")


def find_quantities(text: str) -> list[QuantityMatch]:
    """Counts and measures: a number followed by a known unit or count noun."""
    u = units()
    out: list[QuantityMatch] = []
    for s, e, num in find_numbers(text):
        if not _before_ok(text, s):
            continue
        t = u.tail.match(text, e)
        if not t:
            continue
        r = parse_range(num)
        if r is None or r.first.prefix_only or r.last.prefix_only:
            continue
        if is_lone_word(num, r):
            continue
        unit = u.by_form[norm_phrase(t.group("unit"))]
        end, per = t.end("unit"), None
        if unit.group == "measures" and t.group("cont"):
            end, per = t.end("cont"), u.by_form[norm_phrase(t.group("cont"))].singular
        if per is None:
            pb = per_basis(text, end, frequency_gap())
            per = pb[0] if pb else None
        q = qualifier_before(text, s)
        start = q[1] if q else s
        lo, hi = r.min, r.max
        alt = _ALTERNATIVE.search(text, max(0, s - 20), s)  # "five or six people"
        if alt:
            a = parse_range(alt.group(1))
            if a is not None and not a.first.prefix_only and a.min < r.min:
                lo, start = a.min, alt.start(1) if not q else start
        name = " ".join(text[e:t.end("unit")].split()).strip("- ") if unit.phrase else unit.name
        rule = "quantity." + ("count" if unit.group in ("counts", "containers") else "measure")
        if r.borrowed:
            rule += ".range_borrowed"
        out.append(QuantityMatch(start, end, text[start:end], lo, hi, name, "quantity",
                                 q[0] if q else None, per, rule))
    return out


def find_percents(text: str) -> list[QuantityMatch]:
    """'a 30 percent commission', '20-30%': rates, not money (qualifier outside the span)."""
    out: list[QuantityMatch] = []
    for s, e, num in find_numbers(text):
        p = _PERCENT.match(text, e)
        if not p or not _before_ok(text, s):
            continue
        r = parse_range(num)
        if r is None or r.first.prefix_only or r.last.prefix_only:
            continue
        unit = "percentage point" if p.group(1).lower().startswith("percentage") else "percent"
        q = qualifier_before(text, s)
        out.append(QuantityMatch(s, p.end(), text[s:p.end()], r.min, r.max, unit, "percent",
                                 q[0] if q else None, None, "percent"))
    return out
