"""A report's claims derived from its facts, wherever the facts are: read back from the store
(store/claim_table.py: after a review, a re-extraction, a backfill) or as an ingest worker made
them (store/facts.FactRows), so the one writer of an ingest only inserts the claims (issue 11:
reading a batch's facts back to derive them was a sixth of the writer's time). One derivation
for both, so a claim is the same however its report came in (tests/store/test_claim_rows.py
compares the two on the same reports).

The steps, per report:
  candidates   each event of a subject's type (not rejected) voiced by a known side, or by the
               outlet where nobody else speaks in the sentence; each attribution of a known side;
               each with the part of its sentence it governs (its scope: from its attribution to
               the next one, the whole sentence when it holds fewer than two)
  events       one claim per scope, subject and holder: the events there are merged into it
  attributions an attribution's scope is a claim on each subject its words name, unless an event
               makes that claim already (the first attribution wins among several)
  stance       from the scope's cue phrases; an attribution's claim needs one, an event's not
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from borderwatch.model import Document
from borderwatch.resolve.claims import ClaimRules, Subject, claim_rules, stance_of
from borderwatch.store.facts import FactRows


@dataclass(frozen=True, slots=True)
class Att:
    """A non-rejected attribution, as the scopes of its sentence need it."""

    id: int
    idx: int
    start: int
    kind: str
    holder: str  # its holder, else its words


@dataclass(frozen=True, slots=True)
class Ev:
    """A non-rejected event of a subject's type, voiced by a known side or by nobody."""

    id: int
    sentence: int
    start: int
    type: str
    kind: str | None  # its attribution's kind (None: the outlet's own voice)
    holder: str | None  # its attribution's holder, else the kind
    att_idx: int | None  # its attribution's index in the report
    hedged: int
    date: str | None


@dataclass(slots=True)
class ClaimFacts:
    """The facts claims are derived from, for one or more reports. Ids are the store's, or,
    built from a worker's rows, positions in FactRows.events and FactRows.attributions."""

    reports: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)  # text, outlet, published
    sentences: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    atts: dict[str, dict[int, list[Att]]] = field(default_factory=dict)  # report, sentence; text order
    amounts: dict[tuple[str, int], list[int]] = field(default_factory=dict)  # (report, sentence) -> starts
    places: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # place mentions: start, id
    events: dict[str, list[Ev]] = field(default_factory=dict)  # in id order
    event_places: dict[int, set[str]] = field(default_factory=dict)


def facts_of_rows(doc: Document, rows: FactRows, rules: ClaimRules) -> ClaimFacts:
    """The claim facts of a report not stored yet, from the rows a worker built (nothing of it
    is rejected yet); the same selection claim_table.read_facts makes in SQL."""
    rid = doc.id
    facts = ClaimFacts()
    facts.reports[rid] = (doc.text, doc.outlet, doc.published)
    facts.sentences.update({(rid, i): (s.start, s.end) for i, s in enumerate(doc.sentences)})
    atts: dict[int, list[Att]] = {}
    for pos, (_, idx, text, start, _end, sent, kind, _outlet, holder, _rule) in sorted(
            enumerate(rows.attributions), key=lambda a: (a[1][3], a[0])):
        atts.setdefault(sent, []).append(Att(pos, idx, start, kind, holder if holder is not None else text))
    if atts:
        facts.atts[rid] = atts
    for a in rows.amounts:
        facts.amounts.setdefault((rid, a[6]), []).append(a[4])
    places = [(m[6], m[3]) for m in rows.mentions if m[2] == "place"]
    if places:
        facts.places[rid] = places
    types = {t for s in rules.subjects for t in s.event_types}
    events = []
    for pos, e in enumerate(rows.events):
        kind = e[8]
        if e[2] in types and (kind is None or kind in rules.side_of):
            events.append(Ev(pos, e[6], e[4], e[2], kind, e[9] or kind,
                             json.loads(e[12]).get("attribution"), e[11], e[7]))
    if events:
        facts.events[rid] = events
    for pos, entity, role in rows.entities:
        if role == "place":
            facts.event_places.setdefault(pos, set()).add(entity)
    return facts


@dataclass(slots=True)
class _Found:
    """One claim of a report, before its stance and row."""

    subject: Subject
    holder: str
    kind: str | None
    sentence: int
    lo: int
    hi: int
    day: str | None
    event_ids: list[int]  # ascending; empty for an attribution's claim
    attribution_id: int | None = None
    hedged: bool = False
    places: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One claim as the claims table holds it, but for its own id (given at insert) and with
    the ids of its facts as ClaimFacts had them: the store's, or positions in a worker's rows,
    which the writer turns into ids when it inserts the rows (claim_table.insert_claims)."""

    event_ids: tuple[int, ...]
    attribution_id: int | None
    # subject, ord, side, holder, kind, stance, cue, text, lo, hi, start, end, cue_start,
    # cue_end, outlet, published, day, period, bucket, hedged
    columns: tuple[Any, ...]
    places: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        """(subject, bucket): the claim_counts group it counts in."""
        return self.columns[0], self.columns[18]


def scope(atts: list[Att], at: int | None, start: int, end: int) -> tuple[int, int]:
    """The part of a sentence (start, end) governed by the attribution at offset `at`: from it
    to the next attribution, the first one's part opening at the sentence start; the whole
    sentence when it holds fewer than two attributions or the claim has none."""
    if len(atts) < 2 or at is None:
        return start, end
    first = atts[0].start
    lo = max((a.start for a in atts if first < a.start <= at), default=start)
    hi = min((a.start for a in atts if a.start > max(at, first)), default=end)
    return lo, hi


def _found(facts: ClaimFacts, rid: str, rules: ClaimRules) -> list[_Found]:
    """The claims of one report, one per scope, subject and holder, in no particular order."""
    text, outlet, published = facts.reports[rid]
    by_type = {t: s for s in rules.subjects for t in s.event_types}
    found: dict[tuple[int, str, str], _Found] = {}
    for e in facts.events.get(rid, []):
        span = facts.sentences.get((rid, e.sentence))
        if span is None:
            continue
        atts = facts.atts.get(rid, {}).get(e.sentence, [])
        if e.kind is None:
            sentence = text[span[0]:span[1]]
            # the outlet's own voice counts only where nobody else speaks in the sentence
            if atts or (sentence and rules.reported_speech.search(sentence)):
                continue
            holder, at = outlet or "(outlet)", None
        else:
            holder = e.holder or ""
            at = next((a.start for a in atts if a.idx == e.att_idx), e.start)
        lo, hi = scope(atts, at, *span)
        subject = by_type[e.type]
        day = e.date if e.date is not None else published
        claim = found.get((lo, subject.key, holder))
        if claim is None:
            claim = found[(lo, subject.key, holder)] = _Found(
                subject, holder, e.kind, e.sentence, lo, hi, day, [], hedged=True)
        # the newest event speaks for the claim (events come in id order); hedged if all are
        claim.kind, claim.sentence, claim.hi, claim.day = e.kind, e.sentence, hi, day
        claim.event_ids.append(e.id)
        claim.hedged = claim.hedged and bool(e.hedged)
        claim.places |= facts.event_places.get(e.id, set())
    from_attributions: dict[tuple[int, str, str], _Found] = {}
    for sent, atts in facts.atts.get(rid, {}).items():
        span = facts.sentences.get((rid, sent))
        if span is None:
            continue
        for a in atts:
            if a.kind not in rules.side_of:
                continue
            lo, hi = scope(atts, a.start, *span)
            words = text[lo:hi]
            for subject in rules.subjects:
                key = (lo, subject.key, a.holder)
                if (words and subject.keywords.search(words) and key not in found
                        and key not in from_attributions):
                    from_attributions[key] = _Found(subject, a.holder, a.kind, sent, lo, hi,
                                                    published, [], a.id)
    return [*found.values(), *from_attributions.values()]


def claim_rows(facts: ClaimFacts, rid: str, rules: ClaimRules) -> list[ClaimRow]:
    """Report `rid`'s claims as rows, in the order they are numbered: by scope, subject, holder.
    An attribution's sentence part is a claim only when it takes a stance."""
    text, outlet, published = facts.reports[rid]
    order = {s.key: i for i, s in enumerate(rules.subjects)}
    mentions = facts.places.get(rid, [])
    out = []
    for c in sorted(_found(facts, rid, rules), key=lambda c: (c.lo, order[c.subject.key], c.holder)):
        raw = text[c.lo:c.hi]
        has_count = any(c.lo <= a < c.hi for a in facts.amounts.get((rid, c.sentence), ()))
        stance, m = stance_of(c.subject, raw, has_count)
        if stance is None and not c.event_ids:
            continue
        lead, trail = len(raw) - len(raw.lstrip()), len(raw) - len(raw.rstrip())
        period = c.day[:7] if c.day is not None and len(c.day) >= 7 else None
        bucket = period or c.day or ""
        columns = (
            c.subject.key, order[c.subject.key],
            rules.side_of[c.kind] if c.kind else rules.outlet_side, c.holder, c.kind,
            c.subject.stances.index(stance) if stance else None, m.group(0) if m else None,
            raw.strip(), c.lo, c.hi, c.lo + lead, c.hi - trail, c.lo + m.start() if m else None,
            c.lo + m.end() if m else None, outlet, published, c.day, period, bucket,
            int(c.hedged))
        places = c.places | {p for at, p in mentions if c.lo <= at < c.hi}
        out.append(ClaimRow(tuple(c.event_ids), c.attribution_id, columns, tuple(sorted(places))))
    return out


def with_claims(rows: FactRows, doc: Document) -> FactRows:
    """A new report's rows with its claims: what an ingest worker hands the writer."""
    rules = claim_rules()
    return replace(rows, claims=tuple(claim_rows(facts_of_rows(doc, rows, rules), doc.id, rules)))
