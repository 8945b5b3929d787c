"""Shared helpers of the Korean finders: the alternations they match with, and sentence bounds.

Every Korean word list is data under data/lang/ko/, read with datafiles.load as a model of
data_models/ko.py (a broken file fails with DataError naming file, entry and field).
"""

from __future__ import annotations

from borderwatch.model import Document
from borderwatch.patterns import alternation, check_regex

KO = "lang/ko/"


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
