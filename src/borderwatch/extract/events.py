"""Typed events: trigger phrases from data/lang/en/events/<type>.yaml, one file per event type.

Each type compiles to one alternation with a named group per trigger (mapped to its rule id,
`event.<type>.<trigger id>`). A match becomes an event when its sentence passes the trigger's
context checks and no exclusion phrase overlaps it; a match that fails them blocks nothing (the
type's other triggers are tried at the same word, later words inside it stay open). At most one
event per type per clause; where triggers of two types overlap, the better-supported one is kept.
Context and `unless` words match inside hyphenated words ("cross-border"); the entries
`@leaders` and `@bodies` stand for every leader (persons.yaml) and state or international body
(organizations.csv) the data knows, matched as written.
The event carries the facts of its sentence (places, commodities, amounts, date), who says it,
and whether its clause negates or hedges it (extract/cues.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from borderwatch.data_models.entities import PersonsFile
from borderwatch.data_models.events import EventFile
from borderwatch.datafiles import DataError, data_files, load, read_csv, read_yaml, validated
from borderwatch.extract.attributions import speakers_by_sentence
from borderwatch.extract.cues import clause_bounds, is_hedged, is_negated
from borderwatch.extract.places import place_rank
from borderwatch.extract.trigger_index import TriggerIndex, build_index, word_starts
from borderwatch.model import EVENT_TYPES, Amount, Attribution, DateMention, Document, Event, Mention
from borderwatch.patterns import alternation, compile_group, lower_regex, lowered, pattern_list
from borderwatch.values import SpanSet

EVENTS_DIR = "lang/en/events"
# A keyword or tag line ("border, china, trade, defectors, remittance") is no sentence: at least
# this many comma-separated parts, none longer than _TAG_WORDS words.
_TAG_PARTS = 4
_TAG_WORDS = 3


# Named lists a context entry may refer to ("@leaders"): data file, and how to read names from it.
_PERSONS_FILE = "lang/en/persons.yaml"
_ORGS_FILE = "organizations.csv"
_BODY_KINDS = frozenset({"government", "party", "military", "international"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger entry: its rule id and the sentence checks it needs."""

    rule: str
    context: re.Pattern[str] | None
    context_kinds: frozenset[str]
    unless: re.Pattern[str] | None
    single: str = ""  # this trigger alone, as regex source for lower-cased text (see _single)
    claim: bool = False  # a denial is itself the event ("no confirmed cases"): never negated
    names: re.Pattern[str] | None = None  # named lists of the context (@leaders...), case-sensitive


@dataclass(frozen=True, slots=True)
class EventRules:
    """The compiled triggers of one event type."""

    type: str
    regex: re.Pattern[str]  # for lower-cased text, matched at word starts
    triggers: dict[str, Trigger]  # named group -> trigger
    exclude: re.Pattern[str] | None
    sources: tuple[str, ...] = ()  # each trigger pattern as lower-case regex source
    grouped: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group name, its sources) in data order


def compile_event_type(data: Any, source: str) -> EventRules:
    """Validate (as data_models.events.EventFile) and compile one event-type file."""
    spec = data if isinstance(data, EventFile) else validated(data, EventFile, source)
    alts: list[str] = []
    sources: list[str] = []
    grouped: list[tuple[str, tuple[str, ...]]] = []
    triggers: dict[str, Trigger] = {}
    for n, entry in enumerate(spec.triggers):
        tid = entry.id
        pats = pattern_list(source, f"{tid}.patterns", entry.patterns)
        group = f"t{n}"
        alts.append(f"(?P<{group}>(?:{'|'.join(pats)})(?![\\w-]))")
        own = tuple(lower_regex(f"(?:{p})(?![\\w-])") for p in pats)
        sources.extend(own)
        grouped.append((group, own))
        words, lists = _split_named(source, tid, entry.context)
        triggers[group] = Trigger(
            rule=f"event.{spec.type}.{tid}",
            context=_optional(source, f"{tid}.context", words),
            context_kinds=frozenset(entry.context_kinds),
            unless=_optional(source, f"{tid}.unless", entry.unless),
            single=lower_regex(f"(?:{'|'.join(pats)})(?![\\w-])"),
            names=_named_lists(lists) if lists else None,
            claim=entry.negation_is_claim,
        )
    return EventRules(
        type=spec.type,
        regex=re.compile(lower_regex("|".join(alts))),
        triggers=triggers,
        exclude=_optional(source, "exclude", spec.exclude, bounded=False, lower=True),
        sources=tuple(sources),
        grouped=tuple(grouped),
    )


def _optional(source: str, group: str, items: Any, bounded: bool = True,
              lower: bool = False) -> re.Pattern[str] | None:
    """An optional pattern list: absent is None, present-but-empty is a DataError.

    Bounded lists (context, unless) match whole words, also inside hyphenated ones. `lower`:
    compiled for lower-cased text (exclusions, scanned for every candidate trigger)."""
    if items is None:
        return None
    return compile_group(source, group, items, bounded=bounded, hyphen_inside=bounded, lower=lower)


def _tag_line(sentence: str) -> bool:
    """True for a keyword or tag line: many short comma-separated parts and nothing else."""
    if sentence.count(",") < _TAG_PARTS - 1:
        return False
    parts = sentence.split(",")
    return all(len(part.split()) <= _TAG_WORDS for part in parts)


def _split_named(source: str, tid: str, items: list[str] | None) -> tuple[list[str] | None, tuple[str, ...]]:
    """A context list split into its word patterns (None if none) and its @named lists."""
    if items is None:
        return None, ()
    lists = tuple(i[1:] for i in items if i.startswith("@"))
    unknown = [n for n in lists if n not in _NAMED_LISTS]
    if unknown:
        raise DataError(f"{source}: triggers.{tid}.context: unknown named lists {unknown}")
    words = [i for i in items if not i.startswith("@")]
    if lists and not words:
        return None, lists
    return words, lists


def _leaders() -> list[str]:
    """Every person the data knows by name (persons.yaml `known`)."""
    return list(load(_PERSONS_FILE, PersonsFile).known)


def _bodies() -> list[str]:
    """Names and aliases of every state, party, military or international body in the data."""
    out: list[str] = []
    for row in read_csv(_ORGS_FILE):
        if (row.get("org_kind") or "") in _BODY_KINDS:
            out.append(row.get("name") or "")
            out.extend((row.get("aliases") or "").split("|"))
    return [n for n in out if n.strip()]


_NAMED_LISTS = {"leaders": _leaders, "bodies": _bodies}


@cache
def _named_lists(lists: tuple[str, ...]) -> re.Pattern[str]:
    """One case-sensitive alternation of the names in `lists`, longest first."""
    names = {n for name in lists for n in _NAMED_LISTS[name]()}
    if not names:
        raise DataError(f"named lists {list(lists)} are empty")
    return re.compile(r"(?<!\w)(?:" + alternation(names) + r")(?!\w)")


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
def _index_of_triggers() -> TriggerIndex:
    """The trigger index (extract/trigger_index.py) over every type, built once."""
    return build_index([r.grouped for r in event_rules()])


@cache
def _single(source: str) -> re.Pattern[str]:
    """One trigger's own regex, compiled the first time a sibling trigger fails its checks."""
    return re.compile(source)


def _matches(text: str, accept: Callable[[EventRules, Trigger, int, int], bool],
             ) -> list[tuple[EventRules, Trigger, int, int]]:
    """Every accepted trigger match, per type not overlapping an earlier accepted match of the
    same type. Where the first trigger matching at a word is not accepted, the type's other
    triggers are tried there; a rejected match blocks nothing."""
    rules = event_rules()
    index = _index_of_triggers()
    low = lowered(text)
    found: list[tuple[EventRules, Trigger, int, int]] = []
    last_end = [0] * len(rules)
    for pos in word_starts(low):
        per_type = index.candidates(low, pos)
        if not per_type:
            continue
        for k, regex in per_type:
            if pos < last_end[k]:
                continue
            r = rules[k]
            m = regex.match(low, pos)
            if not m:
                continue
            first = r.triggers[m.lastgroup or ""]
            hit = (first, m.end()) if accept(r, first, pos, m.end()) else None
            if hit is None:
                for trig in r.triggers.values():
                    if trig is first or not trig.single:
                        continue
                    m2 = _single(trig.single).match(low, pos)
                    if m2 and accept(r, trig, pos, m2.end()):
                        hit = (trig, m2.end())
                        break
            if hit is not None:
                last_end[k] = hit[1]
                found.append((r, hit[0], pos, hit[1]))
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
    """The trigger's sentence checks: required context (words, names or fact kinds), then `unless`."""
    if trig.context is not None or trig.context_kinds or trig.names is not None:
        ok = (bool(trig.context_kinds & kinds) or bool(trig.context and trig.context.search(sentence))
              or bool(trig.names and trig.names.search(sentence)))
        if not ok:
            return False
    return not (trig.unless and trig.unless.search(sentence))


def _exclusions(rules: EventRules, low: str, cstart: int, cend: int) -> SpanSet:
    """The type's exclusion phrases in one clause (of the lower-cased text)."""
    if rules.exclude is None:
        return SpanSet()
    return SpanSet(m.span() for m in rules.exclude.finditer(low, cstart, cend))


def find_events(doc: Document, mentions: Sequence[Mention], amounts: Sequence[Amount],
                dates: Sequence[DateMention], attributions: Sequence[Attribution]) -> list[Event]:
    """Every typed event in the document, in text order, with its sentence's facts attached."""
    text = doc.text
    low = lowered(text)
    facts = _index(doc, mentions, amounts, dates, attributions)
    speakers = speakers_by_sentence(doc, attributions)
    att_starts = [a.start for a in attributions]
    events: list[Event] = []
    seen: set[tuple[str, int, int | str]] = set()
    # a sentence's checks and a clause's exclusions are read once, however many triggers they
    # hold: a report repeating one word thousands of times stays linear
    passed: dict[tuple[int, int], bool] = {}
    excluded: dict[tuple[str, int, int], SpanSet] = {}

    def accept(rules: EventRules, trig: Trigger, start: int, end: int) -> bool:
        si = doc.sentence_at(start)
        sent = doc.sentences[si]
        if end > sent.end or start < sent.start:
            return False
        ok = passed.get((id(trig), si))
        if ok is None:
            sentence = text[sent.start:sent.end]
            ok = passed[(id(trig), si)] = (not _tag_line(sentence)
                                           and _passes(trig, sentence, facts.kinds.get(si, set())))
        if not ok:
            return False
        cstart, cend = clause_bounds(text, sent.start, sent.end, start, end)
        key = (rules.type, cstart, cend)
        if key not in excluded:
            excluded[key] = _exclusions(rules, low, cstart, cend)
        return not excluded[key].overlaps(start, end)

    found = _best_of_overlaps(_matches(text, accept))
    for rules, trig, start, end in found:
        si = doc.sentence_at(start)
        sent = doc.sentences[si]
        cstart, _ = clause_bounds(text, sent.start, sent.end, start, end)
        keys = ((rules.type, si, cstart), (rules.type, si, trig.rule))
        if keys[0] in seen or keys[1] in seen:
            continue
        seen.update(keys)
        sentence = text[sent.start:sent.end]
        events.append(Event(
            type=rules.type, start=start, end=end, sentence=sentence, sentence_index=si,
            trigger=text[start:end], rule=trig.rule,
            places=_places(facts.mentions.get(si, ()), start, end),
            commodities=_ids(m2 for m2 in facts.mentions.get(si, ()) if m2.kind == "commodity"),
            amounts=tuple(facts.amounts.get(si, ())),
            date=_date(facts.dates.get(si, ()), start),
            attribution=_attribution(facts.attributions.get(si, ()), att_starts, start, speakers[si]),
            negated=not trig.claim and is_negated(text, sent.start, sent.end, start, end),
            hedged=is_hedged(text, sent.start, sent.end, start, end),
        ))
    events.sort(key=lambda e: (e.start, EVENT_TYPES.index(e.type)))
    return events


_Found = tuple[EventRules, Trigger, int, int]


def _support(found: _Found) -> tuple[int, int]:
    """How well a trigger match is supported: a checked context first, then the longer phrase."""
    _, trig, start, end = found
    checked = trig.context is not None or bool(trig.context_kinds) or trig.names is not None
    return (int(checked), end - start)


def _better(a: _Found, b: _Found) -> bool | None:
    """Whether match `a` beats overlapping match `b` of another type (None: keep both).

    A phrase that holds the other wins ("stop processing imports of" over "processing
    imports"); else the better-supported one."""
    if a[2] <= b[2] and b[3] <= a[3] and (a[2], a[3]) != (b[2], b[3]):
        return True
    if b[2] <= a[2] and a[3] <= b[3] and (a[2], a[3]) != (b[2], b[3]):
        return False
    sa, sb = _support(a), _support(b)
    return None if sa == sb else sa > sb


def _best_of_overlaps(found: list[_Found]) -> list[_Found]:
    """Where triggers of two types overlap, keep the better one (see _better)."""
    order = sorted(range(len(found)), key=lambda i: found[i][2])
    drop: set[int] = set()
    for n, i in enumerate(order):
        for k in range(n + 1, len(order)):  # no slice copy: that alone made this quadratic
            j = order[k]
            if found[j][2] >= found[i][3]:
                break
            if found[i][0].type == found[j][0].type:
                continue
            win = _better(found[i], found[j])
            if win is not None:
                drop.add(j if win else i)
    return [f for k, f in enumerate(found) if k not in drop]


def _ids(mentions: Any) -> tuple[str, ...]:
    """Mention ids in order, each once."""
    return tuple(dict.fromkeys(m.id for m in mentions))


def _places(mentions: Sequence[Mention], start: int, end: int) -> tuple[str, ...]:
    """Place ids of the sentence, the most specific first (a town before its county, province
    or river: an incident is counted at its first place and containing areas roll up), then the
    nearest to the trigger (countries are not places)."""
    rank = place_rank()
    unranked = max(rank.values(), default=0) + 1
    places = [m for m in mentions if m.kind == "place"]
    places.sort(key=lambda m: (rank.get(m.place_kind or "", unranked),
                               max(start - m.end, m.start - end, 0)))
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


__all__ = ["EventRules", "Trigger", "compile_event_type", "event_rules", "find_events"]
