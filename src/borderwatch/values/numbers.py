"""Numbers as written in reports: digits, number words, scales, ranges, qualifiers.

Pure functions over strings. `number_regex()` finds a number or a range of numbers ("1,500",
"3.5 million", "2.3bn", "ten", "a dozen", "40-50,000", "between 3 and 5 million"); the money
and quantity parsers look at what stands before and after it. `parse_range` turns the matched
text into (min, max), borrowing the magnitude of the second number when the first lacks it
("40-50,000" -> 40,000 to 50,000; "3-5 million" -> 3 to 5 million). Vocabulary is data:
data/lang/en/numbers.yaml and qualifiers.yaml, compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from borderwatch.data_models.numbers import NumbersFile, QualifiersFile
from borderwatch.datafiles import load
from borderwatch.patterns import alternation, compile_fast

_NUMBERS_FILE = "lang/en/numbers.yaml"
_QUALIFIERS_FILE = "lang/en/qualifiers.yaml"

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SPACE = re.compile(r"\s+")
_DIGIT_HEAD = re.compile(r"(\d[\d,]*(?:\.\d+)?)(.*)", re.S)


def norm_phrase(text: str) -> str:
    """Lower case with single spaces: the key under which a data phrase is looked up."""
    return _SPACE.sub(" ", text.strip().lower())


def _int_map(values: dict[str, float]) -> dict[str, float]:
    """A name -> number mapping from numbers.yaml, keys normalised."""
    return {norm_phrase(k): v for k, v in values.items()}


@dataclass(frozen=True, slots=True)
class _Vocab:
    words: dict[str, float]  # units and tens
    scales: dict[str, float]
    suffixes: dict[str, float]
    prefix_suffixes: dict[str, float]
    phrases: dict[str, float]
    not_alone: frozenset[str]  # number words that are no amount alone ("one")
    number: str  # regex source of one number
    finder: re.Pattern[str]
    word_starts: re.Pattern[str]  # where a number written in words may begin (fast pre-scan)
    splitter: re.Pattern[str]
    qual_before: re.Pattern[str]
    qual_after: re.Pattern[str]
    qualifiers_before: dict[str, str]
    qualifiers_after: dict[str, str]
    ordinal: str  # regex source of an ordinal ending glued to digits ("th" of "28th")
    scale_one: frozenset[str]  # "a" of "a million"
    range_opener: str  # regex source: "between" of "between 3 and 5"
    range_closer: str  # regex source: "and" of "between 3 and 5"
    added: dict[str, float]  # "and a half" -> 0.5
    added_split: re.Pattern[str]  # "two and a half million" -> head, fraction, scale words


@cache
def vocab() -> _Vocab:
    """Number words and qualifiers, compiled once."""
    data = load(_NUMBERS_FILE, NumbersFile)
    units, tens = _int_map(data.units), _int_map(data.tens)
    scales, phrases = _int_map(data.scales), _int_map(data.phrases)
    suffixes, psuffixes = _int_map(data.suffixes), _int_map(data.prefix_only_suffixes)
    seps = data.range_separators

    def alt(phrases: Iterable[str]) -> str:
        return alternation(phrases, any_space=True)

    one, opener, closer = alt(data.scale_one), alt(data.range_openers), alt(data.range_closers)
    added = _int_map(data.added_fractions)
    half = rf"\s+(?:{alt(added)})"  # "two and a half tons", "one and a half million"
    scale = rf"(?:\s+(?:{alt(scales)}))"
    unit_w, tens_w = alt(units), alt(tens)
    word = (rf"(?:{alt(phrases)}|(?:(?:{tens_w})(?:[-\s](?:{unit_w}))?|{unit_w})(?:{half})?{scale}{{0,2}}"
            rf"|(?:{one})\s+(?:{alt(scales)}))")
    glued = rf"(?:{alt(list(suffixes) + list(psuffixes))})(?![\w])"
    number = rf"(?:{_DIGITS}(?:{glued}|{scale}{{1,2}})?|\b(?:{word})\b)"
    sep_parts = [rf"\s*{re.escape(s)}\s*" if not s.isalpha() else rf"\s+{re.escape(s)}\s+" for s in seps]
    sep = "|".join(sep_parts)
    start_guard = r"(?<![\d.,:/])(?<!\w[-–])"
    end_guard = r"(?![\d]|[.,:/]\d|[-–]\d|[A-Za-z])"
    finder = re.compile(
        rf"{start_guard}(?:\b(?:{opener})\s+{number}\s+(?:{closer})\s+{number}|{number}(?:(?:{sep}){number})?){end_guard}",
        re.IGNORECASE,
    )
    # Pre-scan for number words: a flat case-sensitive alternation (lower case and Capitalised)
    # runs ~6x faster than the IGNORECASE finder over the whole text; the finder then runs only
    # where a digit or a number word starts.
    scale_one = [norm_phrase(w) for w in data.scale_one]
    starts = (list(units) + list(tens) + list(phrases) + [f"{a} {k}" for a in scale_one for k in scales]
              + [norm_phrase(w) for w in data.range_openers])
    # \b first: every word alternative of the finder opens on a word boundary (and a third faster)
    word_starts = compile_fast(r"\b(?:" + alternation(starts, any_space=True, capitalised=True) + r")\b")
    splitter = re.compile(rf"^(?:(?:{opener})\s+)?(?P<a>{number})(?:(?:{sep}|\s+(?:{closer})\s+)(?P<b>{number}))?$",
                          re.IGNORECASE)
    q = load(_QUALIFIERS_FILE, QualifiersFile)
    qb, qa = q.before, q.after
    return _Vocab(
        words={**units, **tens}, scales=scales, suffixes=suffixes, prefix_suffixes=psuffixes,
        phrases=phrases, not_alone=frozenset(norm_phrase(w) for w in data.not_alone),
        number=number, finder=finder, word_starts=word_starts, splitter=splitter,
        qual_before=re.compile(rf"(?<![\w.])({alt(qb)})"
                               r"\s*[(\[]?\s*$", re.IGNORECASE),
        qual_after=re.compile(rf"\s+({alt(qa)})\b",
                              re.IGNORECASE),
        qualifiers_before={norm_phrase(k): v for k, v in qb.items()},
        qualifiers_after={norm_phrase(k): v for k, v in qa.items()},
        ordinal=alt(data.ordinal_suffixes),
        scale_one=frozenset(scale_one),
        range_opener=opener,
        range_closer=closer,
        added=added,
        added_split=re.compile(rf"^(?P<head>.+?)\s+(?P<frac>{alt(added)})(?P<tail>(?:\s+\S+)*)$"),
    )


def number_regex() -> re.Pattern[str]:
    """The compiled finder for a number or a range of numbers (use find_numbers on whole texts)."""
    return vocab().finder


_DIGIT_RUN = re.compile(r"\d+")


@lru_cache(maxsize=8)
def find_numbers(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, text) of every number or range in `text`, in order, without overlaps.

    Cached on the text: the money, quantity and percent parsers all start from this list.
    """
    v = vocab()
    starts = sorted({m.start() for m in _DIGIT_RUN.finditer(text)}
                    | {m.start() for m in v.word_starts.finditer(text)})
    out: list[tuple[int, int, str]] = []
    last = 0
    for p in starts:
        if p < last:
            continue
        m = v.finder.match(text, p)
        if m:
            out.append((m.start(), m.end(), m.group()))
            last = m.end()
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """One number's value and how it was written."""

    value: float
    plain: bool  # digits only: no commas, no decimals, no scale ("40" in "40-50,000")
    scale: float  # multiplier from a scale word or suffix (1 when none)
    prefix_only: bool  # carries a suffix ("m", "b") valid only after a currency prefix
    word: bool  # written in words ("ten", "a dozen")


def parse_number(text: str) -> ParsedNumber | None:
    """Value of one number as matched by the finder; None when it cannot be read."""
    v = vocab()
    s = norm_phrase(text)
    if s in v.phrases:
        return ParsedNumber(v.phrases[s], False, 1.0, False, True)
    m = _DIGIT_HEAD.match(s)
    if m:
        head, rest = m.group(1), m.group(2).strip()
        try:
            base = float(head.replace(",", ""))
        except ValueError:
            return None
        scale, prefix_only = 1.0, False
        if rest in v.suffixes:
            scale = v.suffixes[rest]
        elif rest in v.prefix_suffixes:
            scale, prefix_only = v.prefix_suffixes[rest], True
        elif rest:
            for w in rest.split():
                if w not in v.scales:
                    return None
                scale *= v.scales[w]
        plain = not rest and "," not in head and "." not in head
        return ParsedNumber(base * scale, plain, scale, prefix_only, False)
    return _parse_words(s)


def _parse_words(s: str) -> ParsedNumber | None:
    """'twenty-five', 'three hundred thousand', 'a million', 'two and a half million' -> value."""
    v = vocab()
    half = v.added_split.match(s)
    if half:
        head = _parse_words(half.group("head"))
        if head is None or head.scale != 1:
            return None
        scale = 1.0
        for w in half.group("tail").split():
            if w not in v.scales:
                return None
            scale *= v.scales[w]
        return ParsedNumber((head.value + v.added[norm_phrase(half.group("frac"))]) * scale, False, scale, False,
                            True)
    total, current, scale_seen = 0.0, 0.0, 1.0
    for w in re.split(r"[\s-]+", s):
        if w in v.words:
            current += v.words[w]
        elif w in v.scale_one and current == 0:
            current = 1.0
        elif w in v.scales:
            current = (current or 1.0) * v.scales[w]
            scale_seen *= v.scales[w]
            if v.scales[w] >= 1000:
                total, current = total + current, 0.0
        else:
            return None
    return ParsedNumber(total + current, False, scale_seen, False, True)


@dataclass(frozen=True, slots=True)
class ParsedRange:
    """min/max of a number or range, and whether the first number borrowed its magnitude."""

    min: float
    max: float
    borrowed: bool
    first: ParsedNumber
    last: ParsedNumber


def _zero_groups(text: str) -> int:
    """How many trailing ',000' groups a digit string has ('50,000' -> 1, '1,500' -> 0)."""
    parts = text.split(",")
    n = 0
    for p in reversed(parts[1:]):
        if p != "000":
            break
        n += 1
    return n


def parse_range(text: str) -> ParsedRange | None:
    """(min, max) of the finder's match; None when unreadable or the range runs backwards."""
    m = vocab().splitter.match(text.strip())
    if not m:
        return None
    a = parse_number(m.group("a"))
    if a is None:
        return None
    if m.group("b") is None:
        return ParsedRange(a.value, a.value, False, a, a)
    b = parse_number(m.group("b"))
    if b is None:
        return None
    lo, borrowed = a.value, False
    if a.plain and b.scale > 1 and a.value < b.value / b.scale:
        lo, borrowed = a.value * b.scale, True  # "3-5 million"
    elif a.plain and not b.word and b.scale == 1:
        groups = _zero_groups(m.group("b").strip())
        mult = 1000.0 ** groups
        if groups and a.value * mult <= b.value and a.value < b.value:
            lo, borrowed = a.value * mult, True  # "40-50,000"
    if lo > b.value:
        return None
    return ParsedRange(lo, b.value, borrowed, a, b)


def is_lone_word(text: str, r: ParsedRange) -> bool:
    """True for a number word that is no amount by itself ("one" in "one resident", "one yuan")."""
    return r.min == r.max and r.first.word and norm_phrase(text) in vocab().not_alone


def qualifier_before(text: str, start: int) -> tuple[str, int] | None:
    """The normalised qualifier ending just before `start` and where it begins, if any."""
    v = vocab()
    m = v.qual_before.search(text, max(0, start - 30), start)
    if not m:
        return None
    return v.qualifiers_before[norm_phrase(m.group(1))], m.start(1)


def qualifier_after(text: str, end: int) -> tuple[str, int] | None:
    """The normalised qualifier right after `end` ("or more") and where it ends, if any."""
    v = vocab()
    m = v.qual_after.match(text, end)
    if not m:
        return None
    return v.qualifiers_after[norm_phrase(m.group(1))], m.end(1)
