"""Shared helpers of the Korean finders: reading data/lang/ko/ entries and sentence bounds.

Every Korean word list is data; these helpers validate an entry when it is loaded (a broken file
fails with DataError naming it) and build the alternations the finders match with.
"""

from __future__ import annotations

from typing import Any

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.model import Document
from borderwatch.patterns import alternation, check_regex

KO = "lang/ko/"


def ko_yaml(name: str) -> dict[str, Any]:
    """A mapping data file of lang/ko/ (e.g. 'money.yaml')."""
    data = read_yaml(KO + name)
    if not isinstance(data, dict):
        raise DataError(f"{KO}{name}: must be a mapping")
    return data


def str_map(name: str, data: dict[str, Any], key: str) -> dict[str, str]:
    """A non-empty {word: text} mapping under `key`."""
    value = data.get(key)
    if not isinstance(value, dict) or not value or not all(
            isinstance(k, str) and k and isinstance(v, str) and v for k, v in value.items()):
        raise DataError(f"{KO}{name}: {key!r} must map words to non-empty strings")
    return dict(value)


def str_list(name: str, data: dict[str, Any], key: str) -> list[str]:
    """A non-empty list of non-empty strings under `key`."""
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise DataError(f"{KO}{name}: {key!r} must be a non-empty list of strings")
    return list(value)


def checked(name: str, source: str) -> str:
    """`source` if it compiles as a regex, else DataError naming the file."""
    return check_regex(source, f"{KO}{name}")


def words_alt(words: list[str]) -> str:
    """Regex alternation of literal words, longest first (so 위안화 wins over 위안)."""
    return alternation(words)


def patterns_alt(name: str, patterns: list[str]) -> str:
    """Regex alternation of data patterns (a space matches any run of white space)."""
    space = r"\s*"
    return "|".join(f"(?:{checked(name, p.replace(' ', space))})" for p in patterns)


def sentence_span(doc: Document, pos: int) -> tuple[int, int]:
    """Bounds of the sentence holding `pos` (the whole text when there are no sentences)."""
    if doc.sentences:
        s = doc.sentences[doc.sentence_at(pos)]
        if s.start <= pos <= s.end:
            return s.start, s.end
    return 0, len(doc.text)
