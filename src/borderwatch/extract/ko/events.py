"""Typed events in Korean: triggers from data/lang/ko/events/<type>.yaml, one file per type.

Korean glues endings onto its stems (단속했다, 단속에, 단속을), so a trigger is a regex matched
anywhere in a sentence rather than at word bounds. At most one event per type per sentence;
an exclusion phrase overlapping a trigger blocks it. Negation is read in the trigger's clause,
after it, as Korean puts it at the verb's end ("재개하지 않았다"); hedging in the sentence
("…것으로 알려졌다"), both from data/lang/ko/cues.yaml; a trigger with a purpose ending after it
("차단하기 위해") is an aim, not an event. With the analyser on (extract/ko/analyser.py), negation
is read from Kiwi's morphemes instead: a negation in the trigger's own predicate. The event carries its sentence's places,
goods, amounts, first date and source, like an English one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from borderwatch.data_models.events import KoEventFile
from borderwatch.data_models.ko import KoCuesFile
from borderwatch.datafiles import DataError, data_files, load, read_yaml, validated
from borderwatch.extract.ko.analyser import Analysis, predicate_negated
from borderwatch.extract.ko.lexicon import KO, checked, patterns_alt
from borderwatch.model import Amount, Attribution, DateMention, Document, Event, Mention

EVENTS_DIR = KO + "events"


@dataclass(frozen=True, slots=True)
class KoTrigger:
    """One trigger entry: its rule id, its patterns and the sentence context it needs."""

    rule: str
    regex: re.Pattern[str]
    context: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class KoEventType:
    """The compiled triggers of one event type."""

    type: str
    triggers: tuple[KoTrigger, ...]
    exclude: re.Pattern[str] | None
    negation_is_claim: bool


def compile_ko_event_type(data: Any, source: str) -> KoEventType:
    """Validate (as data_models.events.KoEventFile) and compile one Korean event-type file."""
    spec = validated(data, KoEventFile, source)
    triggers = tuple(KoTrigger(
        rule=f"event.{spec.type}.ko.{t.id}",
        regex=re.compile(patterns_alt(source, t.patterns)),
        context=re.compile(checked(source, t.context)) if t.context else None,
    ) for t in spec.triggers)
    return KoEventType(spec.type, triggers, re.compile(patterns_alt(source, spec.exclude)) if spec.exclude else None,
                       spec.negation_is_claim)


@dataclass(frozen=True, slots=True)
class KoCues:
    """cues.yaml compiled."""

    negation: re.Pattern[str]
    clause_end: re.Pattern[str]
    max_clause: int
    max_gap: int
    hedge: re.Pattern[str]
    purpose: re.Pattern[str]
    object_negation: re.Pattern[str]  # the trigger is the object of a negated verb


@cache
def ko_event_rules() -> tuple[KoEventType, ...]:
    """Every Korean event-type file, compiled once, in file-name order."""
    files = [f for f in data_files(EVENTS_DIR) if f.endswith(".yaml")]
    if not files:
        raise DataError(f"{EVENTS_DIR}: no event files")
    return tuple(compile_ko_event_type(read_yaml(f"{EVENTS_DIR}/{f}"), f"{EVENTS_DIR}/{f}") for f in files)


@cache
def ko_cues() -> KoCues:
    """cues.yaml, compiled once."""
    d = load(KO + "cues.yaml", KoCuesFile)
    return KoCues(re.compile(d.negation), re.compile(d.clause_end), d.max_clause, d.max_gap,
                  re.compile(d.hedge), re.compile(d.purpose), re.compile(d.object_negation))


def clause_negated(text: str, end: int, limit: int) -> bool:
    """Whether the clause going on from a trigger's end negates it: a negation near the
    trigger, or a negated verb whose object the trigger is ("송금 의뢰를 아예 받지 않고")."""
    cues = ko_cues()
    if cues.object_negation.match(text, end, limit):
        return True
    stop = min(limit, end + cues.max_clause)
    m = cues.clause_end.search(text, end, stop)
    clause_end = m.end() if m else stop
    neg = cues.negation.search(text, end, clause_end)
    return neg is not None and neg.start() - end <= cues.max_gap


def _first(rules: KoEventType, text: str, lo: int, hi: int) -> tuple[re.Match[str], KoTrigger] | None:
    """The earliest trigger of the type in text[lo:hi] that no exclusion overlaps."""
    sentence = text[lo:hi]
    purpose = ko_cues().purpose
    blocked = [(m.start(), m.end()) for m in rules.exclude.finditer(text, lo, hi)] if rules.exclude else []
    best: tuple[re.Match[str], KoTrigger] | None = None
    for t in rules.triggers:
        if t.context is not None and not t.context.search(sentence):
            continue
        for m in t.regex.finditer(text, lo, hi):
            if (m.end() == m.start() or any(s < m.end() and m.start() < e for s, e in blocked)
                    or purpose.match(text, m.end())):
                continue
            if best is None or m.start() < best[0].start():
                best = (m, t)
            break
    return best


def find_events_ko(doc: Document, mentions: list[Mention], amounts: list[Amount],
                   dates: list[DateMention], attributions: list[Attribution],
                   analysis: Analysis | None = None) -> list[Event]:
    """Every event of a Korean report: one per type and sentence, with its sentence's facts
    (negation read from the analyser's `analysis` when there is one)."""
    text = doc.text
    cues = ko_cues()
    spans = [(s.start, s.end) for s in doc.sentences] or [(0, len(text))]
    starts = [lo for lo, _ in spans]

    def by_sentence(offsets: list[int]) -> dict[int, list[int]]:
        """Positions in `offsets` (fact starts, in list order) grouped by their sentence: one
        pass, instead of every fact read again for every sentence."""
        out: dict[int, list[int]] = {}
        for i, at in enumerate(offsets):
            si = bisect_right(starts, at) - 1
            if si >= 0 and at < spans[si][1]:
                out.setdefault(si, []).append(i)
        return out

    mention_at = by_sentence([m.start for m in mentions])
    amount_at = by_sentence([a.start for a in amounts])
    date_at = by_sentence([d.start for d in dates])
    attribution_at: dict[int, int] = {}
    for i, a in enumerate(attributions):
        attribution_at.setdefault(a.sentence, i)
    out: list[Event] = []
    for si, (lo, hi) in enumerate(spans):
        inside = [mentions[i] for i in mention_at.get(si, ())]
        facts = dict(
            # each id once, in order: 양강도 twice in a sentence is one place of its event
            places=tuple(dict.fromkeys(m.id for m in inside if m.kind == "place")),
            commodities=tuple(dict.fromkeys(m.id for m in inside if m.kind == "commodity")),
            amounts=tuple(amount_at.get(si, ())),
            date=next((dates[i].value for i in date_at.get(si, ()) if dates[i].value), None),
            attribution=attribution_at.get(si),
        )
        hedged = bool(cues.hedge.search(text, lo, hi))
        for rules in ko_event_rules():
            found = _first(rules, text, lo, hi)
            if found is None:
                continue
            m, trig = found
            negated = not rules.negation_is_claim and (
                clause_negated(text, m.end(), hi) if analysis is None else predicate_negated(analysis, m.end(), hi))
            out.append(Event(type=rules.type, start=m.start(), end=m.end(), sentence=text[lo:hi],
                             sentence_index=si, trigger=m.group(0), negated=negated, hedged=hedged,
                             rule=trig.rule, **facts))  # type: ignore[arg-type]
    out.sort(key=lambda e: (e.start, e.type))
    return out
