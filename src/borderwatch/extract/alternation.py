"""Literal phrases from the data files as one regex alternation, longest first.

Python's regex engine takes the first alternative that matches, not the longest, so "Yonhap News
Agency" must come before "Yonhap" and 위안화 before 위안. Every finder that turns a word list into
a regex needs that order; this is the one place that builds it, so the finders agree on it (and
on what a space in a data phrase means).

Ties in length are broken alphabetically: two different literals of one length cannot both match
at one position, so the tie order never changes a match, and the source comes out the same in
every process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


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
