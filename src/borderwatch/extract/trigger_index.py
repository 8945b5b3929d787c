"""Where to try which event triggers: an index from a word's first three characters to the
(few) trigger patterns that can match there.

A report has ~800 word starts and the trigger files hold hundreds of patterns. Trying every
type's whole alternation at every word, or a gate regex holding all patterns, spends most of the
time on patterns whose first letters already rule them out. Here each pattern's possible
three-character openings are read from its parsed form once; at a word start the text's next
three characters pick, per event type, one small regex holding only the patterns that can open
so, in their data order and under their trigger's group name. The first alternative matching at
a position is therefore the same as with the type's whole alternation: the result is identical,
only faster. A pattern whose openings cannot be told (a category class, a very short pattern,
too many openings) is kept in a per-first-character fallback that joins every bucket of its letter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

try:  # the parser behind re.compile; only used to learn how a pattern opens
    from re._parser import parse as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older or other Pythons
    from sre_parse import parse as _sre_parse

from borderwatch.patterns import first_chars

KEY = 3  # longest opening (characters) that picks a bucket (candidates() is written for 3)
_MAX_OPENINGS = 64  # more openings than this: the pattern's openings are cut shorter
_WORD_START = re.compile(r"(?<![\w-])\w")
_SPACES = frozenset(" \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\x1c\x1d\x1e\x1f")

# Per type: its triggers as (group name, [lower-cased pattern sources]) in data order.
TypeTriggers = Sequence[tuple[str, Sequence[str]]]
Bucket = tuple[tuple[int, re.Pattern[str]], ...]  # (type index, regex) in type order


@dataclass(slots=True)
class _Bucket:
    """The patterns of one opening: per type their alternation, and all of them at once (most
    word starts match no trigger at all, and one try of the whole bucket rules that out).
    Compiled on first use: a run meets a fraction of the openings."""

    sources: tuple[tuple[int, str, str], ...]  # (type index, grouped source, plain source)
    compiled: tuple[re.Pattern[str], tuple[tuple[int, re.Pattern[str]], ...]] | None = None

    def get(self) -> tuple[re.Pattern[str], tuple[tuple[int, re.Pattern[str]], ...]]:
        if self.compiled is None:
            every = re.compile("|".join(f"(?:{plain})" for _, _, plain in self.sources))
            self.compiled = (every, tuple((k, re.compile(src)) for k, src, _ in self.sources))
        return self.compiled


@dataclass(frozen=True, slots=True)
class TriggerIndex:
    """Buckets of small per-type regexes keyed by openings of 1..KEY characters.

    The bucket of an opening holds every pattern that has an opening which is a prefix of it,
    so the longest opening found at a position names every pattern that can match there."""

    by_length: tuple[dict[str, _Bucket], ...]  # index L-1: openings of L characters

    def candidates(self, low: str, pos: int) -> Bucket:
        """The (type index, regex) pairs whose triggers match at word start `pos` of lower-cased
        text (each still to be matched there: the pair's regex gives the first trigger)."""
        by = self.by_length
        bucket = by[2].get(low[pos:pos + 3]) or by[1].get(low[pos:pos + 2]) or by[0].get(low[pos])
        if bucket is None:
            return ()
        every, per_type = bucket.compiled or bucket.get()
        return per_type if every.match(low, pos) else ()


def word_starts(low: str) -> list[int]:
    """Positions where a word starts (not after a letter, digit or hyphen)."""
    return [m.start() for m in _WORD_START.finditer(low)]


def openings(source: str) -> frozenset[str]:
    """Strings of 1..KEY characters such that every match of `source` starts with one of them;
    a pattern that can start with any character gets every letter and digit."""
    try:
        found = _seq_openings(_sre_parse(source).data, KEY)
    except Exception:  # noqa: BLE001 - an engine change must cost speed, never matches
        found = None
    if found is not None:
        n = KEY
        while len(found) > _MAX_OPENINGS and n > 1:
            n -= 1
            found = {p[:n] for p in found}
    if not found or "" in found or len(found) > _MAX_OPENINGS:
        return first_chars(source)
    return frozenset(found)


def build_index(types: Sequence[TypeTriggers]) -> TriggerIndex:
    """Compile the buckets for every event type's triggers."""
    parsed = [[(group, src, openings(src)) for group, srcs in trigs for src in srcs]
              for trigs in types]
    keys = {o for pats in parsed for _, _, ops in pats for o in ops}
    by_length: list[dict[str, _Bucket]] = [{} for _ in range(KEY)]
    for key in sorted(keys):
        heads = {key[:n] for n in range(1, len(key) + 1)}
        bucket = []
        for k, pats in enumerate(parsed):
            chosen = [(g, s) for g, s, ops in pats if ops & heads]
            if chosen:
                bucket.append((k, _source(chosen), "|".join(src for _, src in chosen)))
        by_length[len(key) - 1][key] = _Bucket(tuple(bucket))
    return TriggerIndex(tuple(by_length))


def _source(chosen: list[tuple[str, str]]) -> str:
    """One alternation: a named group per trigger (in data order) over its chosen patterns."""
    groups: dict[str, list[str]] = {}
    for g, s in chosen:
        groups.setdefault(g, []).append(s)
    return "|".join(f"(?P<{g}>{'|'.join(srcs)})" for g, srcs in groups.items())


def _seq_openings(items: Any, k: int) -> set[str]:
    """Strings of up to k characters such that every match of a parsed sequence starts with one
    of them ("" when nothing can be told)."""
    return _seq(items, k)[0]


def _seq(items: Any, k: int) -> tuple[set[str], bool]:
    """Openings of a parsed sequence and whether they are all exact: an exact opening shorter
    than k is the whole match (what follows may extend it); an inexact one only its start."""
    out: set[str] = {""}
    done: set[str] = set()
    exact = True
    for item in items:
        nxt: set[str] = set()
        for p in out:
            for o, ex in _item(item, k):
                q = (p + o)[:k]
                if len(q) >= k:
                    done.add(q)
                elif ex:
                    nxt.add(q)
                else:
                    done.add(q)
                    exact = False
        out = nxt
        if not out:
            break
        if len(done) + len(out) > 8 * _MAX_OPENINGS:
            return done | out, False
    return done | out, exact


def _item(item: Any, k: int) -> set[tuple[str, bool]]:
    """Openings of one parsed element, each with whether it is exact (the whole of what the
    element matched: what follows may extend it); {("", False)} when nothing can be told."""
    op, av = str(item[0]), item[1]
    if op == "LITERAL":
        return {(chr(av), True)}
    if op == "IN":
        chars = _charset_chars(av)
        return {(c, True) for c in chars} if chars is not None else {("", False)}
    if op == "SUBPATTERN":
        found, ex = _seq(av[3], k)
        return {(o, ex) for o in found}
    if op == "BRANCH":
        out: set[tuple[str, bool]] = set()
        for b in av[1]:
            found, ex = _seq(b, k)
            out |= {(o, ex) for o in found}
        return out
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, sub = av
        found, ex = _seq(sub, k)
        once = ex and hi == 1  # matched at most once: its opening is the whole of it
        out = {(o, once) for o in found}
        if lo == 0:
            out.add(("", True))  # skipped: what follows opens the match
        return out
    if op in ("AT", "ASSERT", "ASSERT_NOT"):
        return {("", True)}  # zero width: what follows opens the match
    return {("", False)}


def _charset_chars(av: Any) -> set[str] | None:
    """The characters of a parsed [...] class (\\s counted as every space character), or None
    for a negated, other category or wide class."""
    out: set[str] = set()
    for op, a in av:
        name = str(op)
        if name == "LITERAL":
            out.add(chr(a))
        elif name == "RANGE" and a[1] - a[0] < 12:
            out.update(chr(c) for c in range(a[0], a[1] + 1))
        elif name == "CATEGORY" and str(a) == "CATEGORY_SPACE":
            out |= _SPACES
        else:
            return None
    return out if len(out) <= 40 else None


__all__ = ["KEY", "TriggerIndex", "build_index", "openings", "word_starts"]
