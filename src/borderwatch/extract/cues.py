"""Negation and hedge cues, scoped to the clause that holds an event trigger.

"Chinese authorities have yet to reopen trade" negates the reopening; "factories are reopening,
but the border has yet to reopen" negates only the second clause. Cue lists and clause breaks
are data (data/lang/en/negations.yaml, hedges.yaml), compiled once into one alternation each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from borderwatch.data_models.cues import HedgesFile, NegationsFile
from borderwatch.datafiles import DataError, load

try:  # the parser behind re.compile; only used to learn which characters a pattern starts with
    from re._parser import parse as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older or other Pythons
    from sre_parse import parse as _sre_parse

_NEG_FILE = "lang/en/negations.yaml"
_HEDGE_FILE = "lang/en/hedges.yaml"


_UPPER_OUTSIDE_ESCAPES = re.compile(r"(\\.|\(\?P<\w+>|\(\?P=\w+\))|([A-Z])")


def phrase_regex(pattern: str) -> str:
    """A data pattern as regex source: a literal space stands for any run of white space."""
    return pattern.replace(" ", r"\s+")


def lower_regex(source: str) -> str:
    """Regex source matching the lower-cased text: letters lowered, escapes and group names kept.

    Matching lower-cased text without re.IGNORECASE is about four times faster in CPython.
    """
    return _UPPER_OUTSIDE_ESCAPES.sub(lambda m: m.group(1) or m.group(2).lower(), source)


def lowered(text: str) -> str:
    """`text` lower-cased with every offset kept (characters whose lower case is longer stay)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def check_regex(source: str, where: str) -> str:
    """`source` if it compiles; a DataError naming the data file and group if it does not."""
    try:
        re.compile(source)
    except re.error as exc:
        raise DataError(f"{where}: bad pattern: {exc}") from exc
    return source


def pattern_list(source: str, group: str, items: object) -> list[str]:
    """A non-empty list of non-empty pattern strings, as regex sources; else DataError."""
    if not isinstance(items, list) or not items or not all(isinstance(p, str) and p for p in items):
        raise DataError(f"{source}: group {group!r} must be a non-empty list of patterns")
    return [check_regex(phrase_regex(p), f"{source}: {group}") for p in items]


def compile_group(source: str, group: str, items: object, *, bounded: bool = True,
                  lower: bool = False, hyphen_inside: bool = False) -> re.Pattern[str]:
    """One alternation for a list of data patterns; empty or broken -> DataError.

    `lower`: compiled for lower-cased text (see `lowered`), else case-insensitive.
    `hyphen_inside`: a bounded entry also matches a part of a hyphenated word ("border" in
    "cross-border"); else a hyphen counts as a word character.
    """
    alts = "|".join(f"(?:{p})" for p in pattern_list(source, group, items))
    edge = r"\w" if hyphen_inside else r"[\w-]"
    body = rf"(?<!{edge})(?:{alts})(?!{edge})" if bounded else f"(?:{alts})"
    if lower:
        return compile_fast(lower_regex(body))
    return compile_fast(body, re.IGNORECASE)


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _first_chars(items: Any) -> tuple[frozenset[str] | None, bool]:
    """Characters a parsed regex sequence can start with (None: any), and whether it can be empty."""
    chars: set[str] = set()
    first: frozenset[str] | None
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            first, empty = frozenset({chr(av)}), False
        elif name == "IN":
            first, empty = _charset(av), False
        elif name == "SUBPATTERN":
            first, empty = _first_chars(av[3])
        elif name == "BRANCH":
            parts = [_first_chars(b) for b in av[1]]
            if any(f is None for f, _ in parts):
                return None, False
            first = frozenset().union(*(f for f, _ in parts if f is not None))
            empty = any(e for _, e in parts)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            first, empty = _first_chars(av[2])
            empty = empty or av[0] == 0
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            first, empty = frozenset(), True
        else:
            return None, False
        if first is None:
            return None, False
        chars |= first
        if not empty:
            return frozenset(chars), False
    return frozenset(chars), True


def _charset(av: Any) -> frozenset[str] | None:
    """The characters of a parsed [...] class, or None for a negated or category class."""
    out: set[str] = set()
    for op, a in av:
        if str(op) == "LITERAL":
            out.add(chr(a))
        elif str(op) == "RANGE" and a[1] - a[0] < 500:
            out.update(chr(c) for c in range(a[0], a[1] + 1))
        else:
            return None
    return frozenset(out)


_GLOBAL_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))+")


def compile_fast(source: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile, with a look-ahead for the characters a match can start with put first when
    they can be told: the engine then skips every other position with one test instead of
    running the pattern's opening look-behind and alternation there (2-3x faster for the
    whole-text finders: names, vessels, number words, gates). The same matches."""
    try:
        first, can_be_empty = _first_chars(_sre_parse(source, flags).data)
    except Exception:  # noqa: BLE001 - an engine change must cost speed, never matches
        return re.compile(source, flags)
    if first is None or can_be_empty or not first or len(first) > 300:
        return re.compile(source, flags)
    if "(?i" in source:  # an inline case-folding group: either case may open a match
        first = frozenset(c for ch in first for c in (ch, ch.lower(), ch.upper()))
    cls = "".join(re.escape(c) for c in sorted(first))
    lead = _GLOBAL_FLAGS.match(source)  # "(?x)" and the like must stay first
    head, body = (lead.group(0), source[lead.end():]) if lead else ("", source)
    try:
        return re.compile(f"{head}(?=[{cls}])(?:{body})", flags)
    except re.error:  # a form this wrapping does not allow: the plain pattern, never an error
        return re.compile(source, flags)


def first_chars(source: str) -> frozenset[str]:
    """Word characters a trigger pattern can start with; all of them when that cannot be told."""
    try:
        first, _ = _first_chars(_sre_parse(source).data)
    except Exception:  # noqa: BLE001 - an engine change must cost speed, never matches
        first = None
    return _WORD_CHARS if first is None else frozenset(first) & _WORD_CHARS


def word_start_gate(sources: list[str]) -> re.Pattern[str]:
    """A regex finding the word starts (in lower-cased text) where one of `sources` may match.

    Sources are grouped by first character, each group a branch opening with that literal
    character, which CPython's engine rejects with one comparison; the branch then looks back one
    character and requires one of its sources to match. Several times faster than one alternation.
    """
    buckets: dict[str, list[str]] = {}
    for src in sources:
        for ch in first_chars(src):
            buckets.setdefault(ch, []).append(src)
    branches = [f"{re.escape(ch)}(?<=(?=(?:{'|'.join(srcs)})).)" for ch, srcs in sorted(buckets.items())]
    return compile_fast(r"(?<![\w-])(?:" + "|".join(branches) + ")")


@dataclass(frozen=True, slots=True)
class _Cues:
    neg_before: re.Pattern[str]
    neg_after: re.Pattern[str]
    neg_gap: int
    neg_gap_after: int
    hedge_clause: re.Pattern[str]
    hedge_sentence: re.Pattern[str]
    hedge_gap: int
    breaks: re.Pattern[str]


@cache
def _cues() -> _Cues:
    """negations.yaml and hedges.yaml compiled once, for lower-cased sentences."""
    neg = load(_NEG_FILE, NegationsFile)
    hedge = load(_HEDGE_FILE, HedgesFile)
    before = compile_group(_NEG_FILE, "before", neg.before, lower=True).pattern
    if neg.except_ is not None:
        skip = "|".join(pattern_list(_NEG_FILE, "except", neg.except_))
        before = lower_regex(rf"(?!(?:{skip})(?![\w-])){before}")
    return _Cues(
        neg_before=re.compile(before),
        neg_after=compile_group(_NEG_FILE, "after", neg.after, lower=True),
        neg_gap=neg.max_gap,
        neg_gap_after=neg.max_gap_after,
        hedge_clause=compile_group(_HEDGE_FILE, "clause", hedge.clause, lower=True),
        hedge_sentence=compile_group(_HEDGE_FILE, "sentence", hedge.sentence, lower=True),
        hedge_gap=hedge.max_gap,
        breaks=_compile_breaks(neg.clause_breaks),
    )


def _compile_breaks(items: object) -> re.Pattern[str]:
    """Clause breaks: punctuation entries as they are, word entries with word boundaries."""
    pats = pattern_list(_NEG_FILE, "clause_breaks", items)
    punct = [f"(?:{p})" for p in pats if not p[0].isalpha()]
    words = [f"(?:{p})" for p in pats if p[0].isalpha()]
    # one word-boundary test shared by every word entry: five times faster than one per entry
    alts = punct + ([rf"\b(?:{'|'.join(words)})"] if words else [])
    return re.compile(lower_regex("|".join(alts)))


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A sentence lower-cased, with its clause breaks and hearsay frame found once."""

    start: int
    low: str
    breaks: tuple[tuple[int, int], ...]  # absolute offsets
    hearsay: bool


@lru_cache(maxsize=512)
def _sentence(text: str, sent_start: int, sent_end: int) -> _Sentence:
    """Per-sentence work shared by every trigger in it (str hashes are cached, so this is cheap)."""
    cues = _cues()
    low = lowered(text[sent_start:sent_end])
    breaks = tuple((m.start() + sent_start, m.end() + sent_start) for m in cues.breaks.finditer(low))
    return _Sentence(sent_start, low, breaks, bool(cues.hedge_sentence.search(low)))


def _bounds(sent: _Sentence, sent_end: int, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end) from the sentence's precomputed breaks."""
    cstart, cend = sent.start, sent_end
    for bs, be in sent.breaks:
        if be <= start:
            cstart = be
        elif bs <= start:  # a break word the trigger opens with ("due to sanctions")
            cstart = bs
        elif bs >= end:
            cend = bs
            break
    return cstart, cend


def clause_bounds(text: str, sent_start: int, sent_end: int, start: int, end: int) -> tuple[int, int]:
    """The span of the clause around text[start:end], within its sentence."""
    return _bounds(_sentence(text, sent_start, sent_end), sent_end, start, end)


def _cue_before(pat: re.Pattern[str], sent: _Sentence, cstart: int, start: int, end: int,
                gap: int) -> bool:
    """True if a cue lies in [cstart, end) and ends no more than `gap` characters before `start`."""
    off = sent.start
    for m in pat.finditer(sent.low, max(cstart, start - gap - 40) - off, end - off):
        if m.start() + off >= cstart and m.end() + off >= start - gap:
            return True
    return False


def is_negated(text: str, sent_start: int, sent_end: int, trig_start: int, trig_end: int) -> bool:
    """True when the trigger's own clause says the event did not (or not yet) happen."""
    cues = _cues()
    sent = _sentence(text, sent_start, sent_end)
    cstart, cend = _bounds(sent, sent_end, trig_start, trig_end)
    if _cue_before(cues.neg_before, sent, cstart, trig_start, trig_end, cues.neg_gap):
        return True
    m = cues.neg_after.search(sent.low, trig_end - sent_start, cend - sent_start)
    return bool(m and m.start() + sent_start - trig_end <= cues.neg_gap_after)


def is_hedged(text: str, sent_start: int, sent_end: int, trig_start: int, trig_end: int) -> bool:
    """True when the trigger's clause hedges it or its sentence is framed as hearsay."""
    cues = _cues()
    sent = _sentence(text, sent_start, sent_end)
    if sent.hearsay:
        return True
    cstart, _ = _bounds(sent, sent_end, trig_start, trig_end)
    return _cue_before(cues.hedge_clause, sent, cstart, trig_start, trig_end, cues.hedge_gap)
