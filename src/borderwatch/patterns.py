"""The regexes built from the data files' words and patterns, shared by every stage.

Why one module: knowledge is data, so every finder (extract/), value reader (values/) and
boilerplate or layout rule (clean/, ingest/) turns word lists and patterns into regexes; they
must agree on what a data phrase means. It sits below every stage, as datafiles.py does.

Literal phrases become one alternation, longest first. Python's regex engine takes the first
alternative that matches, not the longest, so "Yonhap News Agency" must come before "Yonhap" and
위안화 before 위안. Every finder that turns a word list into a regex needs that order; this is the
one place that builds it, so the finders agree on it (and on what a space in a data phrase
means).

Ties in length are broken alphabetically: two different literals of one length cannot both match
at one position, so the tie order never changes a match, and the source comes out the same in
every process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from borderwatch.datafiles import DataError

try:  # the parser behind re.compile; only used to learn which characters a pattern starts with
    from re._parser import parse as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older or other Pythons
    from sre_parse import parse as _sre_parse


def longest_first(phrases: Iterable[str]) -> list[str]:
    """The distinct phrases, longest first (ties alphabetical)."""
    return sorted(set(phrases), key=lambda p: (-len(p), p))


def literal(phrase: str, *, any_space: bool = False) -> str:
    """`phrase` as regex source matching itself; `any_space`: a space matches any run of white space."""
    source = re.escape(phrase)
    return source.replace(r"\ ", r"\s+") if any_space else source


def alternation(phrases: Iterable[str], *, any_space: bool = False, capitalised: bool = False) -> str:
    """Regex source (no group around it) matching any of `phrases`, longest first.

    `any_space`: a space in a phrase matches any run of white space ("per  cent", "per\\ncent").
    `capitalised`: each phrase also matches with its first letter upper-cased, a cheap
    case-insensitivity for a sentence's first word without re.IGNORECASE.
    """
    items = set(phrases)
    if capitalised:
        items |= {p[:1].upper() + p[1:] for p in items}
    return "|".join(literal(p, any_space=any_space) for p in longest_first(items))


def alternation_by_first_char(phrases: Iterable[str], *, any_space: bool = False) -> str:
    """The same matches as `alternation`, grouped by first character ("Y(?:onhap News|onhap)").

    The engine rejects a position with one comparison per group instead of one per phrase: worth
    it for a long list (hundreds of outlet names) scanned over every position of a text.
    """
    groups: dict[str, list[str]] = {}
    for p in longest_first(p for p in phrases if p):
        groups.setdefault(p[0], []).append(literal(p[1:], any_space=any_space))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in sorted(groups.items()))


# --- data patterns compiled: case, white space, a fast first-character look-ahead ----------------

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
