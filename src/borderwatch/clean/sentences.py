"""Sentence splitting with character offsets.

A rule-based splitter: a sentence ends at a line break, or at . ! ? (plus closing quotes or
brackets) followed by space and a capital, digit or opening quote, unless the word before the
full stop is a known abbreviation (data/lang/en/abbreviations.txt) or a single initial.
Offsets index the cleaned text, so every fact can name the sentence it came from. Measured
against pysbd it is ~50x faster, which matters because extraction must run near tokenizer speed.

Work per report must stay linear in its length: a run of full stops is matched once from its
first stop (no retry from every stop inside it), and a "sentence" longer than MAX_SENTENCE
characters (no real one comes near: the longest in the English dev set is under 900) is cut at
the last space before the limit, so per-sentence work downstream is bounded.
"""

from __future__ import annotations

import re
from functools import cache

from borderwatch.datafiles import read_lines
from borderwatch.model import Sentence

_END = re.compile(r"""(?<![.!?])[.!?]++["'”’)\]]*+(?=\s+["“‘'(\[]?[A-Z0-9가-힣])""")
_LINE = re.compile(r"[^\n]+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.?$")
MAX_SENTENCE = 2000


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in read_lines("lang/en/abbreviations.txt"))


@cache
def _number_abbreviations() -> frozenset[str]:
    return frozenset(
        w.lower().rstrip(".") for w in read_lines("lang/en/abbreviations_before_number.txt")
    )


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` closes an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot + 1)
    if not m:
        return False
    word = m.group(1).rstrip(".")
    if len(word) == 1 and word.isupper():
        return True  # an initial: "Kim J. Un"
    if word.lower() in _number_abbreviations():
        rest = text[dot + 1 : dot + 3].lstrip()
        return bool(rest) and rest[0].isdigit()
    return word.lower() in _abbreviations()


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences of `text` as spans, trimmed of surrounding white space, in order."""
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        ls, le = line.span()
        start = ls
        for m in _END.finditer(text, ls, le):
            if _is_abbreviation(text, m.start()):
                continue
            _append(out, text, start, m.end())
            start = m.end()
        _append(out, text, start, le)
    return tuple(out)


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    """Append text[start:end] trimmed, cut into pieces of at most MAX_SENTENCE characters."""
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start <= MAX_SENTENCE:
            break
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        out.append(Sentence(start, cut))
        start = cut
    if end > start:
        out.append(Sentence(start, end))
