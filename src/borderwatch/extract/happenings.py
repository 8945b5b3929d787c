"""Events are happenings, not mentions: mentions of one happening within a report become one
event that lists its mentions (data/lang/<language>/happenings.yaml says when).

find_events yields one event per trigger clause (and settles two types claiming one phrase). A
report telling one crackdown in three sentences would otherwise count three crackdowns on every
page, chart and export. Pure: reads only the events and mentions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from borderwatch.data_models.misc import HappeningsFile
from borderwatch.datafiles import load
from borderwatch.extract.places import place_rank
from borderwatch.model import Document, Event, EventMention, Mention
from borderwatch.patterns import compile_group


@dataclass(frozen=True, slots=True)
class MergeRules:
    """When two mentions of one type are one happening."""

    back_reference: re.Pattern[str]  # matches a determiner ending right before a trigger
    definite: re.Pattern[str]  # "the": a back-reference only when the trigger's head repeats
    back_reference_window: int
    window: int
    repeat_window: int
    headline_window: int
    distinct_types: frozenset[str]


@cache
def merge_rules(lang: str = "en") -> MergeRules:
    """The language's happenings.yaml, validated and compiled once. A language without
    articles (Korean) lists no `definite` words: only back-references and windows merge."""
    source = f"lang/{lang}/happenings.yaml"
    data = load(source, HappeningsFile)
    words, definite = data.back_references, data.definite
    brw, win, head, rep = data.back_reference_window, data.window, data.headline_window, data.repeat_window
    distinct = frozenset(data.distinct_types)
    strong = compile_group(source, "back_references", words).pattern
    weak = compile_group(source, "definite", definite).pattern if definite else "(?!)"
    return MergeRules(re.compile(rf"(?:{strong})\s+$", re.I), re.compile(rf"(?:{weak})\s+$", re.I),
                      brw, win, rep, head, distinct)


def _contained(ids: Sequence[str], other: Sequence[str], parents: dict[str, str]) -> bool:
    """Some place of `ids` is one of `other` or lies inside one of them (by the text's nesting)."""
    for p in ids:
        seen = set()
        while p and p not in seen:
            if p in other:
                return True
            seen.add(p)
            p = parents.get(p, "")
    return False


def _agree(ids_a: Sequence[str], ids_b: Sequence[str], parents: dict[str, str]) -> bool:
    """Two fact lists do not disagree: one is empty, or they share or nest an item."""
    if not ids_a or not ids_b:
        return True
    return _contained(ids_a, ids_b, parents) or _contained(ids_b, ids_a, parents)


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


@dataclass(slots=True)
class _Happening:
    """An event being built from its mentions."""

    first: Event
    mentions: list[EventMention]  # the triggers so far (read by the back-reference check)
    places: list[str]
    commodities: list[str]
    amounts: dict[int, None]  # an ordered set: a happening told a thousand times stays linear
    date: str | None
    hedged: bool
    last_sentence: int

    parts: list[Event]
    headline: bool = False  # the first mention is in the report's headline
    heads: set[str] = field(default_factory=set)  # _head of every mention's trigger

    def event(self, specificity: dict[str, int] | None = None) -> Event:
        """The merged event, anchored on its first mention that names a place, good or amount
        (a bare heading or headline gives way to the sentence that tells the happening), else on
        its first mention in the body."""
        if len(self.parts) == 1:
            return self.first
        body = self.parts[1:] if self.headline else self.parts
        anchor = next((e for e in body if e.places or e.commodities or e.amounts), body[0])
        mentions = [m for p in self.parts if p is anchor for m in p.all_mentions()]
        mentions += [m for p in self.parts if p is not anchor for m in p.all_mentions()]
        places = self.places if specificity is None else sorted(
            self.places, key=lambda pid: specificity.get(pid, len(specificity) + 99))
        return replace(anchor, places=tuple(places), commodities=tuple(self.commodities),
                       amounts=tuple(self.amounts), date=self.date, hedged=self.hedged,
                       attribution=anchor.attribution if anchor.attribution is not None
                       else self.first.attribution, mentions=tuple(mentions))


def _compatible(h: _Happening, e: Event, parents: dict[str, str], rules: MergeRules) -> bool:
    if e.type in rules.distinct_types:
        return False
    return (_agree(h.places, e.places, parents) and _agree(h.commodities, e.commodities, parents)
            and _dates_agree(h.date, e.date))


def _head(trigger: str) -> str:
    """The last word of a trigger phrase, cut to a crude stem ("crackdowns" -> "crack")."""
    words = trigger.lower().split()
    return words[-1][:5] if words else ""


def is_headline(doc: Document, index: int) -> bool:
    """Sentence `index` is the report's headline: the first sentence, standing alone on its
    line(s) before a blank line, with no sentence-final punctuation."""
    if index != 0 or not doc.sentences:
        return False
    s = doc.sentences[0]
    line = doc.text[s.start:s.end].rstrip()
    return bool(line) and line[-1] not in ".!?:" and doc.text[s.end:s.end + 2].strip(" ").startswith("\n")


def _linked(h: _Happening, e: Event, text: str, rules: MergeRules) -> bool:
    if h.headline and len(h.parts) == 1 and e.sentence_index <= rules.headline_window:
        return True  # the headline announces what the lead then tells: its first like mention
    gap = e.sentence_index - h.last_sentence
    lead = text[max(0, e.start - 40):e.start]
    if gap <= rules.back_reference_window:
        if rules.back_reference.search(lead):
            return True
        if rules.definite.search(lead) and _head(e.trigger) in h.heads:
            return True
    repeats = _head(e.trigger) in h.heads
    if gap > (rules.repeat_window if repeats else rules.window):
        return False
    adds = (any(p not in h.places for p in e.places)
            or any(c not in h.commodities for c in e.commodities)
            or (e.date is not None and e.date != h.date))
    return not adds


def merge_happenings(doc: Document, events: Sequence[Event],
                     mentions: Sequence[Mention], lang: str = "en") -> list[Event]:
    """One event per happening, each listing its mentions, in the order of first mention."""
    rules = merge_rules(lang)
    parents = {m.id: m.parent for m in mentions if m.kind == "place" and m.parent}
    rank = place_rank()  # a merged event's places, the most specific first (as events.py orders them)
    unranked = max(rank.values(), default=0) + 1
    specificity = {m.id: rank.get(m.place_kind or "", unranked) for m in mentions if m.kind == "place"}
    open_: list[_Happening] = []
    by_kind: dict[tuple[str, bool], list[_Happening]] = {}  # open happenings of one type and polarity
    reach = max(rules.back_reference_window, rules.window, rules.repeat_window)
    for e in sorted(events, key=lambda e: (e.start, -e.end)):
        same = by_kind.setdefault((e.type, e.negated), [])
        # a happening out of every window can take no later mention: let it go, so a report
        # with thousands of mentions is merged in linear time
        same[:] = [h for h in same if e.sentence_index - h.last_sentence <= reach
                   or (h.headline and len(h.parts) == 1 and e.sentence_index <= rules.headline_window)]
        host = next((h for h in reversed(same)
                     if _compatible(h, e, parents, rules) and _linked(h, e, doc.text, rules)), None)
        m = e.all_mentions()[0]
        if host is None:
            h = _Happening(e, [m], list(e.places), list(e.commodities), dict.fromkeys(e.amounts),
                           e.date, e.hedged, e.sentence_index, [e], is_headline(doc, e.sentence_index),
                           {_head(m.trigger)})
            open_.append(h)
            same.append(h)
            continue
        host.mentions.append(m)
        host.heads.add(_head(m.trigger))
        host.parts.append(e)
        host.places += [p for p in e.places if p not in host.places]
        host.commodities += [c for c in e.commodities if c not in host.commodities]
        host.amounts.update(dict.fromkeys(e.amounts))
        host.date = host.date or e.date
        host.hedged = host.hedged and e.hedged  # said plainly once: not hedged
        host.last_sentence = e.sentence_index
    return [h.event(specificity) for h in open_]


__all__ = ["MergeRules", "merge_happenings", "merge_rules"]
