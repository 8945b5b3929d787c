"""Quantities, percentages and per-unit bases in running text.

Pure functions over strings. A number is a quantity only when a known unit or count noun from
data/lang/en/units.yaml follows it ("3 tons", "more than 100 defectors", "over 50 fever cases",
"a four-lane bridge", "900km", "150 of the dispatched workers") or when the noun it counts is
named elsewhere in a form `find_counts_elsewhere` knows ("Of the 60 workers, around 45 ...",
"arrivals numbered 1,100 in one year but 190 the next", "40, 25 and 12 ships", "more than
tripled", "two-thirds of the workers"); anything else ("in 2019", "resolution 2397",
"COVID-19", "Route 2 bus") is left alone: precision first.
`per_basis` reads the basis after an amount ("per kilogram", "a day", "for each 200 kilogram
bag", "... emerging everyday") and is shared with the money parser.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from borderwatch.data_models.numbers import NumbersFile, UnitsFile
from borderwatch.datafiles import DataError, load
from borderwatch.patterns import alternation, compile_fast
from borderwatch.values import SpanSet
from borderwatch.values.numbers import (
    ParsedRange,
    find_numbers,
    is_lone_word,
    norm_phrase,
    parse_number,
    parse_range,
    qualifier_after,
    qualifier_before,
    vocab,
)

_UNITS_FILE = "lang/en/units.yaml"
_NUMBERS_FILE = "lang/en/numbers.yaml"
_GROUPS = ("measures", "containers", "counts", "times")
_PERCENT_UNIT = "percent"  # the unit of a number with a "%" sign


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit spelling's meaning."""

    group: str  # measures | containers | counts | times
    name: str  # normalised unit of a quantity ("fever cases", "kilogram")
    singular: str  # as a per-unit basis ("person", "kilogram")
    phrase: bool = False  # the unit is the noun phrase as written ("North Korean defectors")
    after_the: bool = True  # False: "the two countries" is a back-reference, not a count


@dataclass(frozen=True, slots=True)
class _Units:
    by_form: dict[str, Unit]
    tail: re.Pattern[str]
    of_the: re.Pattern[str]  # "150 of the dispatched workers"
    plural_without_s: frozenset[str]
    definite: re.Pattern[str]  # "the", "these", "both" right before a number
    glued: re.Pattern[str]  # "900km", "25kg"
    per: re.Pattern[str]
    freq: dict[int, re.Pattern[str]]  # by allowed word gap
    freq_names: dict[str, str]
    alternative: re.Pattern[str]  # "five or " before "six people"
    percent: re.Pattern[str]  # "%", " percent" after a number
    percent_units: dict[str, str]  # "percentage points" -> "percentage point"


@cache
def units() -> _Units:
    """Unit vocabulary and the regexes built from it, compiled once."""
    data = load(_UNITS_FILE, UnitsFile)
    by_form: dict[str, Unit] = {}

    def add(form: str, unit: Unit) -> None:
        """Register one spelling; the same spelling under two units is a DataError."""
        key = norm_phrase(form)
        if key in by_form and by_form[key] != unit:
            raise DataError(f"{_UNITS_FILE}: {unit.group}.{unit.name}: forms: {form!r} is listed under two units")
        by_form[key] = unit

    for group in _GROUPS:
        for e in getattr(data, group):
            name, forms = e.name, e.forms
            singular, phrase, after_the = e.singular or name, e.phrase, e.after_the
            for f in forms:
                add(f, Unit(group, name, singular, phrase, after_the))
            for mod in e.modifiers:
                for f in forms:
                    add(f"{mod} {f}", Unit(group, f"{mod} {name}", f"{mod} {singular}", phrase, after_the))
    def alt(phrases: Iterable[str]) -> str:
        return alternation(phrases, any_space=True)

    quantity_forms = [f for f, u in by_form.items() if u.group != "times"]
    measure_forms = [f for f, u in by_form.items() if u.group == "measures"]
    cont_forms = [f for f, u in by_form.items() if u.group in ("containers", "counts")]
    skip = alt(data.skip_words)
    # descriptive words before the noun: listed ones, or any hyphenated compound ("third-country")
    mods = rf"(?:(?:{skip}|[A-Za-z]+(?:-[A-Za-z]+)+)\s+){{0,2}}"
    dims = alt(data.dimension_words)
    unit_end = rf"(?![\w])(?!-(?!(?:{dims})(?![\w-]))[\w])"
    forms_alt = alt(quantity_forms)
    of = alt(data.of_words)
    before_unit = alt(data.qualifiers_before_unit)
    tail = re.compile(
        rf"(?P<gap>[\s-]{{1,2}})(?:(?P<qa>{before_unit})\s+)?(?P<body>{mods}(?P<unit>{forms_alt})){unit_end}"
        rf"(?:[\s-](?P<cont>{alt(cont_forms)})(?![\w-]))?", re.IGNORECASE)
    of_the = re.compile(
        rf"\s+(?:{of})\s+(?:{alt(data.of_the_determiners)})\s+"
        rf"(?P<body>{mods}(?P<unit>{forms_alt})){unit_end}", re.IGNORECASE)
    definite = re.compile(rf"(?<![\w-])(?:{alt(data.definite_determiners)})\s+$",
                          re.IGNORECASE)
    leads = data.per_leads
    lead_src = "|".join(
        [rf"(?:{alt([p for p in leads if p[0].isalpha()])})\s+"]
        + [rf"{re.escape(p)}\s*" for p in leads if not p[0].isalpha()])
    not_after = alt(data.not_after_per)
    per = re.compile(
        rf"(?:\s*[)\]])?\s*(?<![\w])(?:{lead_src})(?:(?P<pnum>{vocab().number})[\s-]*)?"
        rf"(?:(?P<pmeas>{alt(measure_forms)})[\s-]+)?"
        rf"(?P<punit>{alt(list(by_form))})(?![\w-])(?!\s+(?:{not_after})\b)", re.IGNORECASE)
    freq_names = {norm_phrase(p): k for k, ps in data.frequency.items() for p in ps}
    gap = data.frequency_gap
    freq_alt = alt(list(freq_names))
    freq_res = {
        g: re.compile(rf"(?:\s*[)\]])?(?:\s+[a-z]+){{0,{g}}}?\s+(?P<freq>{freq_alt})(?![\w-])"
                      rf"(?!\s+(?:{not_after})\b)", re.IGNORECASE)
        for g in {0, gap}
    }
    plural = frozenset(norm_phrase(w) for w in data.plural_without_s)
    glued_forms = data.glued
    if any(norm_phrase(f) not in by_form or by_form[norm_phrase(f)].group != "measures" for f in glued_forms):
        raise DataError(f"{_UNITS_FILE}: glued: every form must be a form of a measure")
    glued = re.compile(rf"(?<![\w.,$€£¥₩#-])(?P<n>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                       rf"(?P<unit>{alt(glued_forms)})(?![\w-])", re.IGNORECASE) if glued_forms \
        else re.compile(r"(?!x)x")
    alternative = re.compile(rf"(?<![\w-])([A-Za-z]+|\d+)\s+(?:{alt(data.alternative_words)})\s+\Z")
    percent = re.compile(rf"\s*(%|(?:{alt(data.percent_words)})\b)", re.IGNORECASE)
    percent_units = {norm_phrase(k): v for k, v in data.percent_words.items()}
    return _Units(by_form, tail, of_the, plural, definite, glued, per, freq_res, freq_names, alternative, percent,
                  percent_units)


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
    base: str = ""  # the unit's normalised name ("workers" for "North Korean workers")


def _before_ok(text: str, s: int) -> bool:
    """False when the number is glued to a word or a symbol ("A25", "$5", "No.3")."""
    return s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "$€¥₩£#")


@cache
def _back_reference() -> re.Pattern[str]:
    """units.yaml `back_reference_determiners`, compiled once."""
    words = alternation(load(_UNITS_FILE, UnitsFile).back_reference_determiners, any_space=True)
    return re.compile(rf"(?<![\w-])(?:{words})\s+$", re.IGNORECASE)


def back_reference_before(text: str, start: int) -> bool:
    """'these seven people', 'the same three laborers': a count that points back to one before."""
    return bool(_back_reference().search(text, max(0, start - 16), start))


def _is_singular(u: _Units, form: str) -> bool:
    """'lane', 'bus': a count noun in the singular (as in "a four-lane bridge")."""
    key = norm_phrase(form)
    last = key.split()[-1]
    if last in u.plural_without_s:
        return False
    return key == norm_phrase(u.by_form[key].singular) or not last.endswith("s")


def find_quantities(text: str) -> list[QuantityMatch]:
    """Counts and measures: a number followed by a known unit or count noun ("3 tons", "a
    four-lane bridge", "65-metre-long", "300 or more trucks", "150 of the dispatched workers")."""
    u = units()
    out: list[QuantityMatch] = []
    for s, e, num in find_numbers(text):
        if not _before_ok(text, s):
            continue
        t = u.tail.match(text, e) or u.of_the.match(text, e)
        if not t:
            continue
        r = parse_range(num)
        if r is None or r.first.prefix_only or r.last.prefix_only:
            continue
        if is_lone_word(num, r):
            continue
        unit = u.by_form[norm_phrase(t.group("unit"))]
        hyphen = "gap" in t.re.groupindex and "-" in (t.group("gap") or "")
        if unit.group in ("counts", "containers") and r.max != 1 and not hyphen and _is_singular(u, t.group("unit")):
            continue  # "Route 2 bus", "the 2019 case": a singular noun after a plain number is a label
        cont = t.group("cont") if "cont" in t.re.groupindex else None
        if unit.group == "measures" and r.max == 1 and not cont:
            continue  # "1kg of rice sells for ...": the basis of a price, not an amount
        if not unit.after_the and not hyphen and u.definite.search(text, max(0, s - 12), s):
            continue  # "between the two countries": a back-reference, not a count
        end, per = t.end("unit"), None
        if unit.group == "measures" and cont:
            end, per = t.end("cont"), u.by_form[norm_phrase(cont)].singular
        if per is None:
            pb = per_basis(text, end, frequency_gap())
            per = pb[0] if pb else None
        q = qualifier_before(text, s)
        start = q[1] if q else s
        qual = q[0] if q else None
        if qual is None and "qa" in t.re.groupindex and t.group("qa"):
            qa = qualifier_after(text, e)
            qual = qa[0] if qa else None
        lo, hi = r.min, r.max
        alt = u.alternative.search(text, max(0, s - 20), s)  # "five or six people"
        if alt:
            a = parse_range(alt.group(1))
            if a is not None and not a.first.prefix_only and a.min < r.min:
                lo, start = a.min, alt.start(1) if not q else start
        name = " ".join(t.group("body").split()).strip("- ") if unit.phrase else unit.name
        rule = "quantity." + ("count" if unit.group in ("counts", "containers") else "measure")
        if r.borrowed:
            rule += ".range_borrowed"
        if t.re is u.of_the:
            rule += ".of_the"
        out.append(QuantityMatch(start, end, text[start:end], lo, hi, name, "quantity",
                                 qual, per, rule, unit.name))
    for m in u.glued.finditer(text):  # "a 900km fence": a measure glued to its number
        r = parse_range(m.group("n"))
        unit = u.by_form[norm_phrase(m.group("unit"))]
        if r is None or r.max == 1:
            continue
        q = qualifier_before(text, m.start())
        start = q[1] if q else m.start()
        pb = per_basis(text, m.end(), frequency_gap())
        out.append(QuantityMatch(start, m.end(), text[start:m.end()], r.min, r.max, unit.name, "quantity",
                                 q[0] if q else None, pb[0] if pb else None, "quantity.measure.glued", unit.name))
    out.sort(key=lambda q: q.start)
    return out


def find_percents(text: str) -> list[QuantityMatch]:
    """'a 30 percent commission', '20-30%': rates, not money (qualifier outside the span)."""
    out: list[QuantityMatch] = []
    for s, e, num in find_numbers(text):
        p = units().percent.match(text, e)
        if not p or not _before_ok(text, s):
            continue
        r = parse_range(num)
        if r is None or r.first.prefix_only or r.last.prefix_only:
            continue
        unit = units().percent_units.get(norm_phrase(p.group(1)), _PERCENT_UNIT)  # "%": a percent
        q = qualifier_before(text, s)
        out.append(QuantityMatch(s, p.end(), text[s:p.end()], r.min, r.max, unit, "percent",
                                 q[0] if q else None, None, "percent"))
    return out


@dataclass(frozen=True, slots=True)
class _Elsewhere:
    count_verb: re.Pattern[str]  # "<noun> ... numbered " ending where the number starts
    number_of: re.Pattern[str]  # "the number of <noun> ... rose to "
    chain: re.Pattern[str]  # " in 2018 but " between a count and a bare number
    chain_timed: re.Pattern[str]  # the same with the time or place phrase required
    predicate: re.Pattern[str]  # "three were women": the noun after a copula
    follow: re.Pattern[str]
    list_last: re.Pattern[str]  # "40, 25 and " before a count
    list_more: re.Pattern[str]  # "40, " before a listed number
    of_lead: re.Pattern[str]  # "Of the " before "60 workers, around 45"
    multiplier: re.Pattern[str]
    multipliers: dict[str, float]
    fraction: re.Pattern[str]  # "two-thirds of (the workers)"
    fractions: dict[str, float]


@cache
def _elsewhere() -> _Elsewhere:
    """The forms of counts whose noun is elsewhere, compiled once from units.yaml."""
    data = load(_UNITS_FILE, UnitsFile)
    u = units()

    def alt(group: str) -> str:
        return alternation(getattr(data, group), any_space=True)

    counts = [f for f, x in u.by_form.items() if x.group in ("counts", "containers")]
    nouns = alternation(counts, any_space=True)
    word = r"[^\s,.;:!?()\[\]]+"
    mult = data.multipliers
    num = vocab().number
    fracs = load(_NUMBERS_FILE, NumbersFile).fractions
    skip = alt("skip_words")
    mods = rf"(?:(?:{skip}|[A-Za-z]+(?:-[A-Za-z]+)+)\s+){{0,2}}"
    when = rf"\s+(?:{alt('time_leads')})\s+{word}(?:\s+{word}){{0,2}}?"
    of = alt("of_words")
    return _Elsewhere(
        count_verb=re.compile(rf"(?<![\w-])(?P<unit>{nouns})(?:\s+{word}){{0,3}}?\s+(?:{alt('count_verbs')})\s+$",
                              re.IGNORECASE),
        number_of=re.compile(rf"(?<![\w-])(?:{alt('number_of_words')})\s+(?P<body>(?:{word}\s+){{0,2}}?(?P<unit>{nouns}))(?![\w-])"
                             rf"(?:\s+{word}){{0,6}}?\s+(?:{alt('number_of_verbs')})\s+$", re.IGNORECASE),
        chain=re.compile(rf"(?:{when})?\s*,?\s+(?:{alt('chain_links')})\s+$", re.IGNORECASE),
        chain_timed=re.compile(rf"{when}\s*,?\s+(?:{alt('timed_links')})\s+$",
                               re.IGNORECASE),
        predicate=re.compile(rf"\s+(?:{alt('predicate_verbs')})\s+(?P<body>(?:{word}\s+){{0,2}}?(?P<unit>{nouns}))(?![\w-])",
                             re.IGNORECASE),
        follow=re.compile(rf"\s*(?:[,.;:)!?]|$)|\s+(?:{alt('bare_followers')})(?![\w-])", re.IGNORECASE),
        list_last=re.compile(rf"(?<![\w.,$-])(?P<n>{num})\s*,?\s+(?:{alt('list_joiners')})\s+$", re.IGNORECASE),
        list_more=re.compile(rf"(?<![\w.,$-])(?P<n>{num})\s*,\s*$", re.IGNORECASE),
        of_lead=re.compile(rf"(?<![\w-])(?:{of})\s+(?:{alt('of_group_determiners')})\s+$", re.IGNORECASE),
        multiplier=compile_fast(rf"(?<![\w-])(?:{alternation(mult, any_space=True)})(?![\w-])",
                              re.IGNORECASE),
        multipliers={norm_phrase(k): v for k, v in mult.items()},
        fraction=compile_fast(
            rf"(?<![\w-])(?P<f>{alternation(fracs, any_space=True)})\s+(?:{of})(?![\w-])"
            rf"\s+(?:(?:{alt('fraction_determiners')})\s+)?(?P<body>{mods}(?P<unit>{nouns}))(?![\w-])",
            re.IGNORECASE),
        fractions={norm_phrase(k): v for k, v in fracs.items()},
    )


_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_SENT_END = re.compile(r"[.!?;](?:\s|$)")


def _bare(text: str, s: int, e: int, num: str) -> ParsedRange | None:
    """The value of a number that stands alone (no unit, not a year, not a lone 'one')."""
    r = parse_range(num)
    if r is None or r.first.prefix_only or r.last.prefix_only or is_lone_word(num, r):
        return None
    if _YEAR.fullmatch(num.strip()) or not _before_ok(text, s) or text[e:e + 1] in "%$":
        return None
    return r


def _start(q: QuantityMatch) -> int:
    return q.start


def find_counts_elsewhere(text: str, found: list[QuantityMatch],
                          blocked: tuple[tuple[int, int], ...] = ()) -> list[QuantityMatch]:
    """Counts whose noun is not right after the number: "Of the 60 workers, around 45 ...",
    "arrivals numbered 1,100 in one year but 190 the next", "the number of vessels ... rose to
    40", "40, 25 and 12 ships", and multiplying words ("more than tripled" -> 3 times).
    `found` are the quantities and percentages already found; bare numbers inside them or inside
    a `blocked` span (money, dates) are skipped."""
    x = _elsewhere()
    u = units()
    taken = SpanSet([(q.start, q.end) for q in found] + list(blocked))
    known = sorted(found, key=lambda q: q.start)
    out: list[QuantityMatch] = []

    def free(s: int, e: int) -> bool:
        return not taken.overlaps(s, e)

    def add(s: int, e: int, r: ParsedRange, like: QuantityMatch | None, unit: Unit | None,
            name: str, rule: str) -> None:
        q = qualifier_before(text, s)
        start = q[1] if q else s
        kind = like.kind if like else "quantity"
        base = like.base if like else (unit.name if unit else name)
        m = QuantityMatch(start, e, text[start:e], r.min, r.max, name, kind, q[0] if q else None,
                          None, rule, base)
        out.append(m)
        taken.add(start, e)
        insort(known, m, key=_start)

    # lists: "40, 25 and 12 ships", "3, 5 and 7 percent respectively"
    for q in list(found):
        pos, link = q.start, x.list_last
        while True:
            m = link.search(text, max(0, pos - 40), pos)
            if not m or not free(m.start("n"), m.end("n")):
                break
            r = _bare(text, m.start("n"), m.end("n"), m.group("n"))
            if r is None:
                break
            add(m.start("n"), m.end("n"), r, q, None, q.unit, q.rule.split(".")[0] + ".list")
            pos, link = m.start("n"), x.list_more
    for s, e, num in find_numbers(text):
        if not free(s, e):
            continue
        r = _bare(text, s, e, num)
        if r is None or not x.follow.match(text, e):
            continue
        q0 = qualifier_before(text, s)
        qs = q0[1] if q0 else s
        lo = max(0, qs - 160)
        ends = list(_SENT_END.finditer(text, lo, qs))
        lo = ends[-1].end() if ends else lo
        window = known[bisect_left(known, lo, key=_start):bisect_right(known, qs, key=_start)]
        prev = [k for k in window if k.end <= qs]
        p = prev[-1] if prev else None
        group = next((k for k in reversed(prev) if k.kind == "quantity"
                      and x.of_lead.search(text, max(0, k.start - 20), k.start)), None)
        m = x.predicate.match(text, e)
        if m and group is not None:
            unit = u.by_form[norm_phrase(m.group("unit"))]
            name = " ".join(m.group("body").split()) if unit.phrase else unit.name
            add(s, e, r, None, unit, name, "quantity.of_the_group")  # "Of the 12, three were women"
            continue
        if p is not None and p.kind == "quantity" and re.fullmatch(r"\s*,\s*", text[p.end:qs]) \
                and x.of_lead.search(text, max(0, p.start - 20), p.start):
            add(s, e, r, p, None, p.unit, "quantity.of_the_group")  # "Of the 60 workers, around 45"
            continue
        if p is not None and (x.chain_timed.fullmatch(text, p.end, qs) or (x.chain.fullmatch(text, p.end, qs) and (
                p.rule.endswith("count_verb") or p.rule.endswith("number_of") or p.rule.endswith("chain")))):
            add(s, e, r, p, None, p.unit, "quantity.chain")  # "... 1,204 in 2018 but 877 by ..."
            continue
        # "the workers numbered 1,204" (noun, verb, number); "the number of workers rose to 900"
        for pat, reach, named, rule in ((x.count_verb, 80, "unit", "quantity.count_verb"),
                                        (x.number_of, 120, "body", "quantity.number_of")):
            m = pat.search(text, max(lo, qs - reach), qs)
            if m:
                unit = u.by_form[norm_phrase(m.group("unit"))]
                name = " ".join(m.group(named).split()) if unit.phrase else unit.name
                add(s, e, r, None, unit, name, rule)
                break
    for m in x.multiplier.finditer(text):
        if not free(m.start(), m.end()):
            continue
        v = x.multipliers[norm_phrase(m.group())]
        qual = qualifier_before(text, m.start())
        start = qual[1] if qual else m.start()
        out.append(QuantityMatch(start, m.end(), text[start:m.end()], v, v, "times", "quantity",
                                 qual[0] if qual else None, None, "quantity.multiplier", "times"))
    for m in x.fraction.finditer(text):  # "two-thirds of the workers" (never "half of that")
        if not free(m.start(), m.end()):
            continue
        v = x.fractions[norm_phrase(m.group("f"))]
        end = m.end("f")
        unit = u.by_form[norm_phrase(m.group("unit"))]
        name = "fraction of " + (" ".join(m.group("body").split()) if unit.phrase else unit.name)
        qual = qualifier_before(text, m.start())
        start = qual[1] if qual else m.start()
        out.append(QuantityMatch(start, end, text[start:end], v, v, name, "quantity",
                                 qual[0] if qual else None, None, "quantity.fraction", "fraction"))
    return sorted(out, key=lambda q: q.start)
