"""Typed events: trigger phrases from data/lang/en/events/<type>.yaml, one file per event type.

Each type compiles to one alternation with a named group per trigger (mapped to its rule id,
`event.<type>.<trigger id>`). A match becomes an event when its sentence passes the trigger's
context checks and no exclusion phrase overlaps it; at most one event per type per clause.
The event carries the facts of its sentence (places, commodities, amounts, date), who says it,
and whether its clause negates or hedges it (extract/cues.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from borderwatch.datafiles import DataError, data_files, read_yaml
from borderwatch.extract.attributions import speakers_by_sentence
from borderwatch.extract.cues import (
    clause_bounds, compile_group, first_chars, is_hedged, is_negated, lower_regex, lowered,
    pattern_list,
)
from borderwatch.model import EVENT_TYPES, Amount, Attribution, DateMention, Document, Event, Mention

EVENTS_DIR = "lang/en/events"
CONTEXT_KINDS = frozenset(
    {"place", "commodity", "organization", "person", "vessel", "money", "quantity", "date"}
)
_TRIGGER_KEYS = frozenset({"id", "patterns", "context", "context_kinds", "unless"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_BUCKET_CHARS = 4  # see _gate: wider patterns are not copied into every character's branch


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger entry: its rule id and the sentence checks it needs."""

    rule: str
    context: re.Pattern[str] | None
    context_kinds: frozenset[str]
    unless: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class EventRules:
    """The compiled triggers of one event type."""

    type: str
    regex: re.Pattern[str]  # for lower-cased text, matched at word starts
    triggers: dict[str, Trigger]  # named group -> trigger
    exclude: re.Pattern[str] | None
    sources: tuple[str, ...] = ()  # each trigger pattern as lower-case regex source


def compile_event_type(data: Any, source: str) -> EventRules:
    """Validate and compile one event-type file; a broken file raises DataError."""
    if not isinstance(data, dict):
        raise DataError(f"{source}: must be a mapping")
    etype = data.get("type")
    if etype not in EVENT_TYPES:
        raise DataError(f"{source}: unknown event type {etype!r}")
    entries = data.get("triggers")
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{source}: 'triggers' must be a non-empty list")
    alts: list[str] = []
    sources: list[str] = []
    triggers: dict[str, Trigger] = {}
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or not _ID.match(str(entry.get("id", ""))):
            raise DataError(f"{source}: trigger {n} needs an id of lower-case letters and _")
        tid = entry["id"]
        if tid in seen:
            raise DataError(f"{source}: duplicate trigger id {tid!r}")
        seen.add(tid)
        unknown = set(entry) - _TRIGGER_KEYS
        if unknown:
            raise DataError(f"{source}: trigger {tid!r}: unknown keys {sorted(unknown)}")
        pats = pattern_list(source, f"{tid}.patterns", entry.get("patterns"))
        if any("(?P" in p for p in pats):
            raise DataError(f"{source}: trigger {tid!r}: named groups are reserved")
        kinds = entry.get("context_kinds") or []
        if not isinstance(kinds, list) or not set(kinds) <= CONTEXT_KINDS:
            raise DataError(f"{source}: trigger {tid!r}: context_kinds must be from {sorted(CONTEXT_KINDS)}")
        group = f"t{n}"
        alts.append(f"(?P<{group}>(?:{'|'.join(pats)})(?![\\w-]))")
        sources.extend(lower_regex(f"(?:{p})(?![\\w-])") for p in pats)
        triggers[group] = Trigger(
            rule=f"event.{etype}.{tid}",
            context=_optional(source, f"{tid}.context", entry.get("context")),
            context_kinds=frozenset(kinds),
            unless=_optional(source, f"{tid}.unless", entry.get("unless")),
        )
    return EventRules(
        type=etype,
        regex=re.compile(lower_regex("|".join(alts))),
        triggers=triggers,
        exclude=_optional(source, "exclude", data.get("exclude"), bounded=False),
        sources=tuple(sources),
    )


def _optional(source: str, group: str, items: Any, bounded: bool = True) -> re.Pattern[str] | None:
    """An optional pattern list: absent is None, present-but-empty is a DataError."""
    if items is None:
        return None
    return compile_group(source, group, items, bounded=bounded)


@cache
def event_rules() -> tuple[EventRules, ...]:
    """All event types, compiled once, in the contract's type order; each type exactly once."""
    by_type: dict[str, EventRules] = {}
    for name in data_files(EVENTS_DIR):
        if not name.endswith(".yaml"):
            continue
        rel = f"{EVENTS_DIR}/{name}"
        rules = compile_event_type(read_yaml(rel), rel)
        if name != f"{rules.type}.yaml":
            raise DataError(f"{rel}: file name must be {rules.type}.yaml")
        by_type[rules.type] = rules
    missing = [t for t in EVENT_TYPES if t not in by_type]
    if missing:
        raise DataError(f"{EVENTS_DIR}: no trigger file for {missing}")
    return tuple(by_type[t] for t in EVENT_TYPES)


@cache
def _gate() -> tuple[re.Pattern[str], dict[str, tuple[int, ...]]]:
    """One pass over the text finding the word starts where some trigger matches, and per first
    character the event types that have a trigger starting with it.

    Each branch opens with the character(s) its patterns start with (a literal or a class, which
    CPython's engine rejects with one test), looks back one character and requires one of its
    patterns to match there. A pattern that starts with at most _BUCKET_CHARS characters goes
    into one branch per character; wider ones share one branch per set of first characters, so
    they are not repeated up to ten times: the gate compiles in a third of the time (~0.1 s less
    at start), for a pass ~30% slower (~3% of extraction time).
    Only the types of the character found are then tried, each with its own regex (a type none
    of whose triggers match there fails at once). Returns the regex and, per character, the
    indices of its types in ascending order.
    """
    groups: dict[frozenset[str], list[str]] = {}
    types: dict[str, set[int]] = {}
    for k, rules in enumerate(event_rules()):
        for src in rules.sources:
            chars = first_chars(src)
            keys = [frozenset(c) for c in chars] if len(chars) <= _BUCKET_CHARS else [chars]
            for key in keys:
                groups.setdefault(key, []).append(src)
            for c in chars:
                types.setdefault(c, set()).add(k)
    branches = [f"{_char_class(chars)}(?<=(?=(?:{'|'.join(dict.fromkeys(srcs))})).)"
                for chars, srcs in sorted(groups.items(), key=lambda g: (len(g[0]), sorted(g[0])))]
    gate = re.compile(r"(?<![\w-])(?:" + "|".join(branches) + ")")
    return gate, {c: tuple(sorted(ks)) for c, ks in types.items()}


def _char_class(chars: frozenset[str]) -> str:
    """Regex source matching one of `chars`: the character itself, or a [...] class."""
    if len(chars) == 1:
        return re.escape(next(iter(chars)))
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _matches(text: str) -> list[tuple[EventRules, re.Match[str]]]:
    """Every trigger match, per type not overlapping an earlier match of the same type."""
    rules = event_rules()
    gate, types = _gate()
    low = lowered(text)
    found: list[tuple[EventRules, re.Match[str]]] = []
    last_end = [0] * len(rules)
    for g in gate.finditer(low):
        pos = g.start()
        for k in types[low[pos]]:
            if pos < last_end[k]:
                continue
            m = rules[k].regex.match(low, pos)
            if m:
                last_end[k] = m.end()
                found.append((rules[k], m))
    return found


@dataclass(slots=True)
class _Facts:
    """The facts of a document indexed by sentence, built once per find_events call."""

    mentions: dict[int, list[Mention]]
    amounts: dict[int, list[int]]
    dates: dict[int, list[DateMention]]
    attributions: dict[int, list[int]]
    kinds: dict[int, set[str]]


def _index(doc: Document, mentions: Sequence[Mention], amounts: Sequence[Amount],
           dates: Sequence[DateMention], attributions: Sequence[Attribution]) -> _Facts:
    """Group facts by the sentence their start falls in."""
    facts = _Facts({}, {}, {}, {}, {})
    for m in mentions:
        si = doc.sentence_at(m.start)
        facts.mentions.setdefault(si, []).append(m)
        facts.kinds.setdefault(si, set()).add(m.kind)
    for i, a in enumerate(amounts):
        si = doc.sentence_at(a.start)
        facts.kinds.setdefault(si, set()).add(a.kind)
        if a.conversion_of is None:  # a conversion restates an amount already attached
            facts.amounts.setdefault(si, []).append(i)
    for d in dates:
        si = doc.sentence_at(d.start)
        facts.dates.setdefault(si, []).append(d)
        facts.kinds.setdefault(si, set()).add("date")
    for i, at in enumerate(attributions):
        facts.attributions.setdefault(doc.sentence_at(at.start), []).append(i)
    return facts


def _passes(trig: Trigger, sentence: str, kinds: set[str]) -> bool:
    """The trigger's sentence checks: required context (words or fact kinds), then `unless`."""
    if trig.context is not None or trig.context_kinds:
        ok = bool(trig.context_kinds & kinds) or bool(trig.context and trig.context.search(sentence))
        if not ok:
            return False
    return not (trig.unless and trig.unless.search(sentence))


def _excluded(rules: EventRules, text: str, cstart: int, cend: int, start: int, end: int) -> bool:
    """True when an exclusion phrase in the clause overlaps the trigger."""
    if rules.exclude is None:
        return False
    return any(m.start() < end and m.end() > start for m in rules.exclude.finditer(text, cstart, cend))


def find_events(doc: Document, mentions: Sequence[Mention], amounts: Sequence[Amount],
                dates: Sequence[DateMention], attributions: Sequence[Attribution]) -> list[Event]:
    """Every typed event in the document, in text order, with its sentence's facts attached."""
    text = doc.text
    facts = _index(doc, mentions, amounts, dates, attributions)
    speakers = speakers_by_sentence(doc, attributions)
    att_starts = [a.start for a in attributions]
    events: list[Event] = []
    seen: set[tuple[str, int, int | str]] = set()
    for rules, m in _matches(text):
        start, end = m.span()
        si = doc.sentence_at(start)
        sent = doc.sentences[si]
        if end > sent.end or start < sent.start:
            continue
        trig = rules.triggers[m.lastgroup or ""]
        sentence = text[sent.start:sent.end]
        if not _passes(trig, sentence, facts.kinds.get(si, set())):
            continue
        cstart, cend = clause_bounds(text, sent.start, sent.end, start, end)
        if _excluded(rules, text, cstart, cend, start, end):
            continue
        keys = ((rules.type, si, cstart), (rules.type, si, trig.rule))
        if keys[0] in seen or keys[1] in seen:
            continue
        seen.update(keys)
        events.append(Event(
            type=rules.type, start=start, end=end, sentence=sentence, sentence_index=si,
            trigger=text[start:end], rule=trig.rule,
            places=_places(facts.mentions.get(si, ()), start, end),
            commodities=_ids(m2 for m2 in facts.mentions.get(si, ()) if m2.kind == "commodity"),
            amounts=tuple(facts.amounts.get(si, ())),
            date=_date(facts.dates.get(si, ()), start),
            attribution=_attribution(facts.attributions.get(si, ()), att_starts, start, speakers[si]),
            negated=is_negated(text, sent.start, sent.end, start, end),
            hedged=is_hedged(text, sent.start, sent.end, start, end),
        ))
    events.sort(key=lambda e: (e.start, EVENT_TYPES.index(e.type)))
    return events


def _ids(mentions: Any) -> tuple[str, ...]:
    """Mention ids in order, each once."""
    return tuple(dict.fromkeys(m.id for m in mentions))


def _places(mentions: Sequence[Mention], start: int, end: int) -> tuple[str, ...]:
    """Place ids of the sentence, nearest to the trigger first (countries are not places)."""
    places = [m for m in mentions if m.kind == "place"]
    places.sort(key=lambda m: max(start - m.end, m.start - end, 0))
    return _ids(places)


def _date(dates: Sequence[DateMention], start: int) -> str | None:
    """The value of the sentence's date nearest the trigger, or None."""
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - start)).value


def _attribution(in_sentence: Sequence[int], att_starts: list[int], start: int,
                 governing: int | None) -> int | None:
    """The attribution in the sentence nearest before the trigger, else the first after it,
    else the speaker governing the sentence (a quote or paragraph carried over)."""
    if not in_sentence:
        return governing
    before = [i for i in in_sentence if att_starts[i] <= start]
    return before[-1] if before else in_sentence[0]


__all__ = ["find_events", "event_rules", "compile_event_type", "EventRules", "Trigger"]
