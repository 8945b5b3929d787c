"""All named things of a document, with overlaps settled: the mentions part of the fact sheet.

Each finder proposes candidates on its own; here the longest candidate wins a stretch of text,
and between equally long ones a fixed kind order decides (an organisation's name beats the place
inside it, a place beats a person of the same letters). Places are then nested and suffix places
given a country, which needs the other mentions of their sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from borderwatch.extract.commodities import find_commodities
from borderwatch.extract.entities import find_countries_and_orgs, find_persons, find_vessels
from borderwatch.extract.places import find_places, finish_places
from borderwatch.model import Document, Mention

# Lower wins when two candidates cover the same length of text.
# A vessel is found only right after a ship word, so it beats a place of the same name.
KIND_PRIORITY = {"organization": 0, "vessel": 1, "place": 2, "country": 3, "person": 4, "commodity": 5}
# Between two places of the same span: the gazetteer beats a name widened or built from a suffix.
_RULE_PRIORITY = {"place.suffix": 2, "place.gazetteer_suffix": 1}


def select(candidates: list[Mention], length: int) -> list[Mention]:
    """Non-overlapping mentions, longest first then by kind priority, sorted by start."""
    order = sorted(candidates, key=lambda m: (m.start - m.end, KIND_PRIORITY[m.kind],
                                              _RULE_PRIORITY.get(m.rule, 0), m.start))
    taken = bytearray(length + 1)
    chosen: list[Mention] = []
    for m in order:
        if m.end <= m.start or taken.find(1, m.start, m.end) != -1:
            continue
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        chosen.append(m)
    chosen.sort(key=lambda m: m.start)
    return chosen


def find_mentions(doc: Document, extra: Sequence[Mention] = ()) -> list[Mention]:
    """Places, countries, organisations, persons, vessels and commodities, sorted by start;
    `extra` are candidates of a language's own finders (Korean organisations and goods)."""
    candidates = (find_places(doc) + find_countries_and_orgs(doc) + find_persons(doc)
                  + find_vessels(doc) + find_commodities(doc) + list(extra))
    return finish_places(select(candidates, len(doc.text)), doc)
