"""The matching engine: alias tables compiled once into one trie-shaped regex each.

A table maps every alias (a place name, an organisation's acronym, a commodity's plural…) to the
keys of the entries it names. At run time a table is scanned with a single compiled regex built
from a character trie of all its aliases, so the regex engine walks the trie instead of trying
each alias in turn; at each position the longest alias that ends on a word boundary wins.
Typographic variants (’ for ', – for -) match each other, a space matches a single line break;
case folding is a per-table choice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from borderwatch.datafiles import DataError
from borderwatch.patterns import lowered

# Characters that match their typographic twins in text: apostrophes and hyphens/dashes.
# A space also matches one line break: hard-wrapped texts split names ("North Korea\nsanctions").
_EQUIV = {"'": "['’‘`]", "-": "[-‐‑–—]", " ": "[ \n]"}
_NORM = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})
_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^0-9a-z가-힣一-鿿]+")
_HAN = re.compile("[一-鿿]")


@lru_cache(maxsize=4)
def lowered_once(text: str) -> str:
    """`text` lower-cased with offsets kept, once per text (a report is scanned many times)."""
    return lowered(text)


def norm_key(text: str, fold: bool = False) -> str:
    """The lookup form of an alias or a matched span: one space, plain quotes and hyphens."""
    key = _SPACES.sub(" ", text.translate(_NORM)).strip()
    return key.lower() if fold else key


def split_aliases(field: str | None) -> list[str]:
    """The aliases of a '|'-separated data field, stripped, empties dropped, order kept."""
    if not field:
        return []
    return list(dict.fromkeys(a.strip() for a in field.split("|") if a.strip()))


@lru_cache(maxsize=1)
def _han_converters() -> tuple[object, object]:
    """OpenCC's simplified-to-traditional and traditional-to-simplified converters, made once
    (about 0.15 s: they load their phrase dictionaries)."""
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("t2s")


def with_han_variants(aliases: Iterable[str]) -> list[str]:
    """`aliases` and, for each one written in Chinese characters, its form in the other script.

    Why: the gazetteer spells Chinese names as Chinese reports do, in simplified characters
    (丹东, 新义州), while Korean reports write Hanja, which are traditional (丹東, 新義州), as are
    Taiwanese and Hong Kong sources. OpenCC converts by its phrase dictionaries, so one-to-many
    characters come out right (沈阳 -> 瀋陽). Order kept, duplicates dropped."""
    out: dict[str, None] = {}
    for alias in aliases:
        out[alias] = None
        if _HAN.search(alias):
            for conv in _han_converters():
                out[conv.convert(alias)] = None  # type: ignore[attr-defined]
    return list(out)


def slug(text: str) -> str:
    """A stable id part: lower-case letters and digits (Hangul and Chinese kept) joined by hyphens."""
    s = norm_key(text).lower().replace("'", "")
    s = _NOT_SLUG.sub("-", s).strip("-")
    return s or "x"


def _trie_regex(node: dict[str, dict], end: str = "") -> str:
    """Regex source for a character trie; longer continuations are tried before stopping."""
    alts: list[str] = []
    for ch in sorted(k for k in node if k != end):
        alts.append(_EQUIV.get(ch, re.escape(ch)) + _trie_regex(node[ch], end))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if end in node:  # an alias may stop here: make the continuation optional (greedy)
        return "(?:" + body + ")?"
    return body


@dataclass(frozen=True, slots=True)
class AliasTable:
    """Compiled aliases of one table: `scan(text)` yields (start, end, keys) for each match."""

    pattern: re.Pattern[str]
    lookup: dict[str, tuple[str, ...]]
    fold: bool
    # The aliases opening with an ASCII character alone, and the other aliases' first characters:
    # a text holding none of those (most English reports) is scanned with the smaller regex,
    # whose top-level branch is not hundreds of Hangul and Chinese openings long (4x faster).
    ascii_pattern: re.Pattern[str] | None = None
    other_first: re.Pattern[str] | None = None

    def pattern_for(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Pattern[str]:
        """The regex to scan text[pos:endpos] with: the ASCII-opening one when no other alias can
        start there (the same matches, found faster)."""
        if self.ascii_pattern is None:
            return self.pattern
        end = len(text) if endpos is None else endpos
        if self.other_first is not None and self.other_first.search(text, pos, end):
            return self.pattern
        return self.ascii_pattern

    def scan(self, text: str, pos: int = 0, endpos: int | None = None
             ) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """Leftmost-longest alias matches in text[pos:endpos], with the keys each alias names."""
        end = len(text) if endpos is None else endpos
        # a folding table is compiled for lower-cased text: 3-4x faster than re.IGNORECASE
        target = lowered_once(text) if self.fold else text
        for m in self.pattern_for(target, pos, end).finditer(target, pos, end):
            keys = self.lookup.get(norm_key(m.group(), self.fold))
            if keys:
                yield m.start(), m.end(), keys

    def get(self, text: str) -> tuple[str, ...]:
        """Keys named by `text` as a whole (empty tuple when it is no alias)."""
        return self.lookup.get(norm_key(text, self.fold), ())


def compile_table(pairs: Iterable[tuple[str, str]], *, fold: bool = False,
                  name: str = "table") -> AliasTable:
    """Build a table from (alias, key) pairs; an empty table or a non-word alias edge is a DataError."""
    lookup: dict[str, list[str]] = {}
    for alias, key in pairs:
        k = norm_key(alias, fold)
        if not k:
            continue
        if not (k[0].isalnum() and (k[-1].isalnum() or k[-1] in ".)'")):
            raise DataError(f"{name}: alias {alias!r} must start with a letter or digit")
        keys = lookup.setdefault(k, [])
        if key not in keys:
            keys.append(key)
    if not lookup:
        raise DataError(f"{name}: no aliases")
    pattern = _alias_regex(list(lookup))
    ascii_keys = [k for k in lookup if k[0].isascii()]
    others = sorted({k[0] for k in lookup if not k[0].isascii()})
    ascii_pattern = other_first = None
    if others and ascii_keys:
        ascii_pattern = _alias_regex(ascii_keys)
        other_first = re.compile("[" + "".join(re.escape(c) for c in others) + "]")
    return AliasTable(pattern, {k: tuple(v) for k, v in lookup.items()}, fold, ascii_pattern,
                      other_first)


def _alias_regex(keys: list[str]) -> re.Pattern[str]:
    """One trie-shaped regex for `keys` (lower-case ones for a folding table: matched on
    lower-cased text). The first-character class lets the engine skip most positions fast (4x
    here); then whole words only, and an alias ending in '.' ("U.S.") needs no boundary after it."""
    trie: dict[str, dict] = {}
    for k in keys:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}
    body = _trie_regex(trie)
    first = "[" + "".join(re.escape(c) for c in sorted({k[0] for k in keys})) + "]"
    return re.compile(rf"(?={first})(?<!\w)(?:{body})(?:(?<=\.)|(?!\w))")
