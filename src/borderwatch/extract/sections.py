"""A long report extracted in sections, so memory follows the section, not the report.

Facts outweigh their text: fact-dense prose makes 40-60 bytes of fact records per character,
and a report's facts were all held until stored (issue 9: memory under 10x the input). A report
longer than SECTION_CHARS is cut at sentence boundaries (at a paragraph break when one is near)
into sections of at most that length. Each section is extracted as a document of its own, its
facts shifted back to the report's characters, sentences and fact indices, and spooled to a
temporary file; the writer reads the sections back one at a time inside its transaction, so the
write lock is never held while extracting.

What a section cannot see: a happening told on both sides of a cut is two events, a back-
reference ("the source said") does not reach a holder named in an earlier section, and the won
is read as KPW or KRW from its section's context. Topics are chosen for the whole report (from
each place, good or organisation's first mention and every event). Reports of ordinary length
(a field report is a few thousand characters) are one section, extracted exactly as before.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from borderwatch.extract.languages import finder_language
from borderwatch.extract.topics import choose_topics
from borderwatch.model import Document, Event, EventMention, FactSheet, Mention, Sentence

SECTION_CHARS = 50_000
# A cut at a paragraph break is preferred when one lies in the section's last quarter.
_PARAGRAPH_REACH = SECTION_CHARS // 4


def section_bounds(doc: Document, limit: int = SECTION_CHARS) -> list[tuple[int, int]]:
    """Sentence index ranges [i, j) covering the document, each spanning at most `limit`
    characters (a sentence is cut at 2,000 characters, so one always fits)."""
    sents = doc.sentences
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        begin = sents[i].start
        j = i + 1
        while j < len(sents) and sents[j].end - begin <= limit:
            j += 1
        if j < len(sents):  # a paragraph break near the end makes the better cut
            for k in range(j - 1, i, -1):
                if sents[k].start - begin < limit - _PARAGRAPH_REACH:
                    break
                if "\n\n" in doc.text[sents[k - 1].end:sents[k].start]:
                    j = k
                    break
        out.append((i, j))
        i = j
    return out


def _sub_document(doc: Document, i: int, j: int) -> tuple[Document, int]:
    """Sentences i..j-1 as a document of their own; and the character offset of its text."""
    a, b = doc.sentences[i].start, doc.sentences[j - 1].end
    sents = tuple(Sentence(s.start - a, s.end - a) for s in doc.sentences[i:j])
    return replace(doc, text=doc.text[a:b], sentences=sents), a


def _shift_mention(m: EventMention, chars: int, sents: int) -> EventMention:
    return replace(m, start=m.start + chars, end=m.end + chars,
                   sentence_index=m.sentence_index + sents)


def _shift(sheet: FactSheet, doc: Document, chars: int, sents: int, amounts: int,
           attributions: int) -> FactSheet:
    """A section's facts in the report's coordinates: characters, sentence indices, and the
    indices events and conversions hold into the report's amounts and attributions."""
    def span(r):  # any record with a span
        return replace(r, start=r.start + chars, end=r.end + chars)

    def event(e: Event) -> Event:
        return replace(e, start=e.start + chars, end=e.end + chars,
                       sentence_index=e.sentence_index + sents,
                       amounts=tuple(a + amounts for a in e.amounts),
                       attribution=None if e.attribution is None else e.attribution + attributions,
                       mentions=tuple(_shift_mention(m, chars, sents) for m in e.mentions))

    return FactSheet(
        document=doc,
        mentions=tuple(span(m) for m in sheet.mentions),
        amounts=tuple(replace(span(a), conversion_of=None if a.conversion_of is None
                              else a.conversion_of + amounts) for a in sheet.amounts),
        dates=tuple(span(d) for d in sheet.dates),
        attributions=tuple(replace(span(a), sentence=a.sentence + sents) for a in sheet.attributions),
        events=tuple(event(e) for e in sheet.events),
    )


@dataclass(frozen=True, slots=True)
class SectionedSheet:
    """A long report's facts, section by section, spooled in a temporary file (`path`) that
    `sections()` reads back one section at a time; `discard()` removes it. Offsets, sentence
    indices and fact indices are the report's, as in one FactSheet."""

    document: Document
    path: str
    count: int  # sections in the file
    topics: tuple[str, ...]
    event_count: int

    def sections(self) -> Iterator[FactSheet]:
        with open(self.path, "rb") as f:
            for _ in range(self.count):
                mentions, amounts, dates, attributions, events = pickle.load(f)
                yield FactSheet(self.document, mentions, amounts, dates, attributions, events)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


def extract_in_sections(doc: Document, extract_one: Callable[[Document], FactSheet],
                        limit: int = SECTION_CHARS) -> SectionedSheet:
    """Extract each section with `extract_one` and spool its shifted facts; topics are chosen
    from what every section found (each entity's first mention, every event)."""
    firsts: dict[str, Mention] = {}
    events: list[Event] = []
    amounts = attributions = 0
    fd, path = tempfile.mkstemp(prefix="borderwatch-sections-", suffix=".pickle")
    count = 0
    try:
        with os.fdopen(fd, "wb") as f:
            for i, j in section_bounds(doc, limit):
                sub, chars = _sub_document(doc, i, j)
                part = _shift(extract_one(sub), doc, chars, i, amounts, attributions)
                amounts += len(part.amounts)
                attributions += len(part.attributions)
                for m in part.mentions:
                    firsts.setdefault(m.id, m)
                events.extend(part.events)
                pickle.dump((part.mentions, part.amounts, part.dates, part.attributions, part.events),
                            f, protocol=pickle.HIGHEST_PROTOCOL)
                count += 1
                del part
    except BaseException:
        os.unlink(path)
        raise
    topics = tuple(choose_topics(doc, list(firsts.values()), events, finder_language(doc)))
    return SectionedSheet(doc, path, count, topics, len(events))


__all__ = ["SECTION_CHARS", "SectionedSheet", "extract_in_sections", "section_bounds"]
