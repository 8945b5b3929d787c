"""Which speaker governs each sentence: an attribution governs its sentence and the rest of its
paragraph; quoted sentences and "he added" lines keep the last named speaker."""

from __future__ import annotations

import re
from collections.abc import Sequence

from borderwatch.extract.attribution_vocab import vocab
from borderwatch.model import Attribution, Document
from borderwatch.patterns import lowered

_OPEN_QUOTE = re.compile(r"^[“\"‘]")


def _quote_open_after(sentence: str, was_open: bool) -> bool:
    """Whether a quotation is still open at the end of a sentence."""
    curly = sentence.count("“") - sentence.count("”")
    if curly:
        return curly > 0
    if sentence.count('"') % 2:
        return not was_open
    return was_open and "”" not in sentence


def speakers_by_sentence(doc: Document, attributions: Sequence[Attribution]) -> list[int | None]:
    """For each sentence, the attribution governing it (None: the outlet's own voice).

    An attribution governs its sentence and the rest of its paragraph; quoted sentences and
    "he added" lines keep the last named speaker until the next one is named.
    """
    v = vocab()
    text = doc.text
    by_sentence: dict[int, int] = {}
    for i, a in enumerate(attributions):
        by_sentence.setdefault(doc.sentence_at(a.start), i)
    out: list[int | None] = []
    last: int | None = None
    para: int | None = None
    open_quote = False
    prev_end = 0
    for si, s in enumerate(doc.sentences):
        if si == 0 or "\n" in text[prev_end:s.start]:
            para = None
        sentence = text[s.start:s.end]
        quoted = open_quote or bool(_OPEN_QUOTE.match(sentence))
        if si in by_sentence:
            last = para = by_sentence[si]
            out.append(last)
        elif quoted or v.continuation.search(lowered(sentence)):
            out.append(last)
            para = last
        else:
            out.append(para)
        open_quote = _quote_open_after(sentence, open_quote)
        prev_end = s.end
    return out
