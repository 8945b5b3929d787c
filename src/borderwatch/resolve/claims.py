"""Claims: who says what about the epidemic, the border, trade and prices, and where they collide.

A claim is an event of a subject's type (health -> epidemic situation, ...), or the sentence of an
attribution that names a subject and takes a stance, together with its holder. Holders are on
one of two sides: the authorities (state media, officials) or sources (anonymous and named
people, other outlets, documents; an unattributed event is the outlet's own voice). A claim's
stance comes from cue phrases (data/lang/en/claims.yaml). Claims are grouped by subject and
calendar month; a group is a collision when the two sides hold opposite stances. A claim with no
stance (no cue, or cues both ways) never makes a collision: precision first.

When a sentence holds several attributions ("Xinhua said prices were stable, while a source said
they had soared"), each holder's claim is only the part of the sentence from its attribution to
the next one.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.extract.cues import compile_group, pattern_list
from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES

_FILE = "lang/en/claims.yaml"
SIDES = ("authorities", "sources")


@dataclass(frozen=True, slots=True)
class Subject:
    """One subject of claims, compiled from the data file."""

    key: str
    label: str
    event_types: frozenset[str]
    keywords: re.Pattern[str]
    stances: tuple[str, str]
    stance_labels: tuple[str, str]
    cues: re.Pattern[str]  # named groups s0/s1 (always) and c0/c1 (only with a number nearby)


@dataclass(frozen=True, slots=True)
class ClaimRules:
    """The whole claims data file, validated."""

    subjects: tuple[Subject, ...]
    side_of: dict[str, str]  # attribution kind -> side
    outlet_side: str
    reported_speech: re.Pattern[str]

    def subject_for_type(self, event_type: str) -> Subject | None:
        """The subject an event type's claims are about, if any."""
        for s in self.subjects:
            if event_type in s.event_types:
                return s
        return None


def _cue_pattern(key: str, stances: dict[str, Any]) -> re.Pattern[str]:
    """One alternation over both stances' cues; leftmost match wins, so a longer cue starting
    earlier ("yet to reopen") hides a shorter one inside it ("reopen")."""
    alts = []
    for i, (name, spec) in enumerate(stances.items()):
        if not isinstance(spec, dict):
            raise DataError(f"{_FILE}: {key}.{name} must be a mapping")
        alts.append(f"(?P<s{i}>" + "|".join(
            f"(?:{p})" for p in pattern_list(_FILE, f"{key}.{name}.cues", spec.get("cues"))) + ")")
        if "with_count" in spec:
            alts.append(f"(?P<c{i}>" + "|".join(f"(?:{p})" for p in pattern_list(
                _FILE, f"{key}.{name}.with_count", spec["with_count"])) + ")")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alts)})(?![\w-])", re.IGNORECASE)


@cache
def claim_rules() -> ClaimRules:
    """Load and check data/lang/en/claims.yaml once; any inconsistency is a DataError."""
    data = read_yaml(_FILE)
    side_of: dict[str, str] = {}
    for side in SIDES:
        for kind in data.get("sides", {}).get(side) or []:
            if kind not in ATTRIBUTION_KINDS:
                raise DataError(f"{_FILE}: unknown attribution kind {kind!r}")
            if kind in side_of:
                raise DataError(f"{_FILE}: {kind!r} is on both sides")
            side_of[kind] = side
    if not side_of or data.get("outlet_side") not in SIDES:
        raise DataError(f"{_FILE}: sides and outlet_side must name {SIDES}")
    subjects = []
    seen_types: set[str] = set()
    for key, spec in (data.get("subjects") or {}).items():
        types = set(spec.get("event_types") or [])
        if not types or not types <= set(EVENT_TYPES):
            raise DataError(f"{_FILE}: {key}: event_types empty or unknown: {sorted(types)}")
        if types & seen_types:
            raise DataError(f"{_FILE}: {key}: event types in two subjects: {types & seen_types}")
        seen_types |= types
        stances = spec.get("stances") or {}
        if len(stances) != 2:
            raise DataError(f"{_FILE}: {key}: a subject needs exactly two opposite stances")
        names = tuple(stances)
        subjects.append(Subject(
            key, spec.get("label") or key, frozenset(types),
            compile_group(_FILE, f"{key}.keywords", spec.get("keywords")),
            (names[0], names[1]),
            tuple(str(stances[n].get("label") or n) for n in names),  # type: ignore[arg-type]
            _cue_pattern(key, stances)))
    if not subjects:
        raise DataError(f"{_FILE}: no subjects")
    return ClaimRules(tuple(subjects), side_of, data["outlet_side"],
                      compile_group(_FILE, "reported_speech", data.get("reported_speech")))


@dataclass(frozen=True, slots=True)
class Claim:
    """One holder's statement on a subject, pointing back at the report text."""

    subject: str
    side: str  # authorities | sources
    holder: str
    holder_kind: str | None  # attribution kind; None for the outlet's own voice
    stance: str | None  # one of the subject's two stances; None when the text does not say
    cue: str | None
    text: str  # the sentence, or the part of it governed by this holder
    report_id: str
    outlet: str | None
    published: str | None
    date: str | None  # the claim's date: the event's own, else the publication date
    period: str | None  # YYYY-MM
    start: int  # offsets of `text` in the report's cleaned text
    end: int
    cue_start: int | None
    cue_end: int | None
    event_ids: tuple[int, ...] = ()
    hedged: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON-ready dict."""
        return asdict(self) | {"event_ids": list(self.event_ids)}


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """The claims of both sides on one subject in one month."""

    subject: str
    label: str
    period: str | None
    authorities: tuple[Claim, ...]
    sources: tuple[Claim, ...]
    collision: bool
    pairs: tuple[tuple[int, int], ...]  # (authorities index, sources index) holding opposite stances

    def to_dict(self) -> dict[str, Any]:
        """The group as JSON-ready dict."""
        return {"subject": self.subject, "label": self.label, "period": self.period,
                "collision": self.collision, "pairs": [list(p) for p in self.pairs],
                "authorities": [c.to_dict() for c in self.authorities],
                "sources": [c.to_dict() for c in self.sources]}


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    text: str
    attributions: tuple[tuple[int, int], ...]  # (start, idx), in text order
    amounts: tuple[int, ...]  # amount start offsets

    def scope(self, at: int | None) -> tuple[int, int]:
        """The part of the sentence governed by the attribution starting at `at` (all of it when
        the sentence holds fewer than two attributions)."""
        if len(self.attributions) < 2 or at is None:
            return self.start, self.end
        starts = [s for s, _ in self.attributions]
        i = max((k for k, s in enumerate(starts) if s <= at), default=0)
        lo = self.start if i == 0 else starts[i]
        hi = starts[i + 1] if i + 1 < len(starts) else self.end
        return lo, hi


class _Sentences:
    """Sentences of stored reports with their attributions and amounts, read a report at a time."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Read from `conn`; keeps the sentences of the reports asked for."""
        self.conn = conn
        self.reports: dict[str, dict[int, _Sentence]] = {}

    def get(self, report_id: str, idx: int) -> _Sentence | None:
        """The sentence; None when the store has no such sentence."""
        if report_id not in self.reports:
            self.reports[report_id] = self._load(report_id)
        return self.reports[report_id].get(idx)

    def _load(self, report_id: str) -> dict[int, _Sentence]:
        """All sentences of a report with the starts of their attributions and amounts."""
        c = self.conn
        row = c.execute("SELECT text FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            return {}
        atts: dict[int, list[tuple[int, int]]] = {}
        for sent, start, idx in c.execute(
                "SELECT sentence, start, idx FROM attributions WHERE report_id = ?"
                " AND coalesce(review, '') <> 'rejected' ORDER BY start", (report_id,)):
            atts.setdefault(sent, []).append((start, idx))
        amts: dict[int, list[int]] = {}
        for sent, start in c.execute(
                "SELECT sentence, start FROM amounts WHERE report_id = ?"
                " AND coalesce(review, '') <> 'rejected'", (report_id,)):
            amts.setdefault(sent, []).append(start)
        text = row[0]
        return {idx: _Sentence(lo, hi, text[lo:hi], tuple(atts.get(idx, ())),
                               tuple(amts.get(idx, ())))
                for idx, lo, hi in c.execute(
                    'SELECT idx, start, "end" FROM sentences WHERE report_id = ?', (report_id,))}


def stance_of(subject: Subject, text: str, has_count: bool) -> tuple[str | None, re.Match | None]:
    """The stance the text takes on the subject and the cue that says so; None when no cue
    fires or cues point both ways."""
    found: dict[int, re.Match[str]] = {}
    for m in subject.cues.finditer(text):
        group = m.lastgroup or ""
        if group.startswith("c") and not has_count:
            continue
        found.setdefault(int(group[1:]), m)
    if len(found) != 1:
        return None, None
    (i, m), = found.items()
    return subject.stances[i], m


_EVENTS_SQL = """
SELECT e.id, e.report_id, e.sentence, e.type, e.start, e.date, e.attribution_kind,
       e.attribution_holder, json_extract(e.facts, '$.attribution') AS att_idx, e.hedged,
       r.outlet, r.published
FROM events e JOIN reports r ON r.id = e.report_id
WHERE coalesce(e.review, '') <> 'rejected' AND e.type IN ({types}) {where}
ORDER BY e.report_id, e.id
"""
_ATTS_SQL = """
SELECT a.report_id, a.idx, a.sentence, a.start, a.kind, coalesce(a.holder, a.text) AS holder,
       r.outlet, r.published
FROM attributions a JOIN reports r ON r.id = a.report_id
WHERE coalesce(a.review, '') <> 'rejected' {where} ORDER BY a.report_id, a.start
"""


def _date_filter(column: str, since: str | None, until: str | None) -> tuple[str, list[Any]]:
    """AND-conditions on a date column (until may be a prefix: 2022-07 is all of July)."""
    sql, params = "", []
    if since:
        sql += f" AND {column} >= ?"
        params.append(since)
    if until:
        sql += f" AND substr({column}, 1, length(?)) <= ?"
        params += [until, until]
    return sql, params


def _claim(rules: ClaimRules, subject: Subject, sent: _Sentence, scope: tuple[int, int],
           holder: str, kind: str | None, row: sqlite3.Row, date: str | None,
           event_ids: tuple[int, ...] = (), hedged: bool = False) -> Claim:
    """A claim on `scope` (absolute offsets inside `sent`)."""
    lo, hi = scope
    text = sent.text[lo - sent.start:hi - sent.start]
    has_count = any(lo <= a < hi for a in sent.amounts)
    stance, m = stance_of(subject, text, has_count)
    side = rules.side_of[kind] if kind else rules.outlet_side
    when = date or row["published"]
    return Claim(subject.key, side, holder, kind, stance, m.group(0) if m else None,
                 text.strip(), row["report_id"], row["outlet"], row["published"], when,
                 when[:7] if when and len(when) >= 7 else None,
                 lo + (len(text) - len(text.lstrip())), hi - (len(text) - len(text.rstrip())),
                 lo + m.start() if m else None, lo + m.end() if m else None, event_ids, hedged)


def collect_claims(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                   subject: str | None = None) -> list[Claim]:
    """Every claim in the store (events first, then attribution sentences), one per holder,
    subject and text."""
    rules = claim_rules()
    subjects = [s for s in rules.subjects if subject in (None, s.key)]
    if subject and not subjects:
        raise ValueError(f"unknown claim subject {subject!r}")
    sentences = _Sentences(conn)
    claims: dict[tuple[str, int, str, str], Claim] = {}
    types = sorted(t for s in subjects for t in s.event_types)
    where, params = _date_filter("coalesce(e.date, r.published)", since, until)
    sql = _EVENTS_SQL.format(types=",".join("?" * len(types)), where=where)
    for row in conn.execute(sql, [*types, *params]).fetchall():
        subj = rules.subject_for_type(row["type"])
        sent = sentences.get(row["report_id"], row["sentence"])
        kind = row["attribution_kind"]
        if subj is None or sent is None or (kind and kind not in rules.side_of):
            continue
        if kind is None:
            # The outlet's own voice, unless someone else is speaking and we do not know who.
            if sent.attributions or rules.reported_speech.search(sent.text):
                continue
            holder, at = row["outlet"] or "(outlet)", None
        else:
            holder = row["attribution_holder"] or kind
            at = next((s for s, i in sent.attributions if i == row["att_idx"]), row["start"])
        scope = sent.scope(at)
        key = (row["report_id"], scope[0], subj.key, holder)
        old = claims.get(key)
        ids = (old.event_ids if old else ()) + (row["id"],)
        claims[key] = _claim(rules, subj, sent, scope, holder, kind, row, row["date"], ids,
                             bool(row["hedged"]) and (old is None or old.hedged))
    where, params = _date_filter("r.published", since, until)
    for row in conn.execute(_ATTS_SQL.format(where=where), params).fetchall():
        if row["kind"] not in rules.side_of:
            continue
        sent = sentences.get(row["report_id"], row["sentence"])
        if sent is None:
            continue
        scope = sent.scope(row["start"])
        text = sent.text[scope[0] - sent.start:scope[1] - sent.start]
        for subj in subjects:
            key = (row["report_id"], scope[0], subj.key, row["holder"])
            if key in claims or not subj.keywords.search(text):
                continue
            c = _claim(rules, subj, sent, scope, row["holder"], row["kind"], row, None)
            if c.stance is not None:  # a sentence with no event is a claim only with a stance
                claims[key] = c
    return list(claims.values())


def group_claims(claims: list[Claim]) -> list[ClaimGroup]:
    """Claims by subject and month, newest month first, with their collisions."""
    rules = claim_rules()
    order = {s.key: i for i, s in enumerate(rules.subjects)}
    labels = {s.key: s.label for s in rules.subjects}
    buckets: dict[tuple[str, str | None], list[Claim]] = {}
    for c in claims:
        buckets.setdefault((c.subject, c.period), []).append(c)
    out = []
    for (subj, period), cs in buckets.items():
        cs.sort(key=lambda c: (c.date or "", c.report_id, c.start))
        auth = tuple(c for c in cs if c.side == "authorities")
        src = tuple(c for c in cs if c.side == "sources")
        pairs = tuple((i, j) for i, a in enumerate(auth) for j, s in enumerate(src)
                      if period and a.stance and s.stance and a.stance != s.stance)
        out.append(ClaimGroup(subj, labels[subj], period, auth, src, bool(pairs), pairs))
    out.sort(key=lambda g: order[g.subject])
    out.sort(key=lambda g: g.period or "", reverse=True)  # stable: newest month first, undated last
    return out


def claim_groups(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                 subject: str | None = None) -> list[ClaimGroup]:
    """The Claims page: per subject and month, each side's claims, collisions marked."""
    return group_claims(collect_claims(conn, since, until, subject))


def newest_collisions(conn: sqlite3.Connection, limit: int = 5, since: str | None = None,
                      until: str | None = None) -> list[ClaimGroup]:
    """The most recent subject-months where authorities and sources disagree (for the brief)."""
    groups = [g for g in claim_groups(conn, since, until) if g.collision]
    groups.sort(key=lambda g: max((c.published or "" for c in g.authorities + g.sources)),
                reverse=True)
    groups.sort(key=lambda g: g.period or "", reverse=True)
    return groups[:limit]
