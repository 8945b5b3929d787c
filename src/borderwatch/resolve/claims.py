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

Claims are derived from each report's facts when they are written, and stored
(store/claim_table.py); this module says what a claim is, its stance and how claims group;
store/claims.py reads the stored ones.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from borderwatch.data_models.claims import ClaimsFile, Stance
from borderwatch.datafiles import load
from borderwatch.patterns import compile_group, pattern_list

CLAIMS_FILE = "lang/en/claims.yaml"
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


def _cue_pattern(key: str, stances: dict[str, Stance]) -> re.Pattern[str]:
    """One alternation over both stances' cues; leftmost match wins, so a longer cue starting
    earlier ("yet to reopen") hides a shorter one inside it ("reopen")."""
    alts = []
    for i, (name, spec) in enumerate(stances.items()):
        alts.append(f"(?P<s{i}>" + "|".join(
            f"(?:{p})" for p in pattern_list(CLAIMS_FILE, f"{key}.{name}.cues", spec.cues)) + ")")
        if spec.with_count is not None:
            alts.append(f"(?P<c{i}>" + "|".join(f"(?:{p})" for p in pattern_list(
                CLAIMS_FILE, f"{key}.{name}.with_count", spec.with_count)) + ")")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alts)})(?![\w-])", re.IGNORECASE)


@cache
def claim_rules() -> ClaimRules:
    """Load data/lang/en/claims.yaml once (validated as data_models.claims.ClaimsFile)."""
    data = load(CLAIMS_FILE, ClaimsFile)
    side_of = {kind: side for side in SIDES for kind in data.sides.get(side, [])}
    subjects = []
    for key, spec in data.subjects.items():
        names = tuple(spec.stances)
        subjects.append(Subject(
            key, spec.label or key, frozenset(spec.event_types),
            compile_group(CLAIMS_FILE, f"{key}.keywords", spec.keywords),
            (names[0], names[1]),
            (spec.stances[names[0]].label or names[0], spec.stances[names[1]].label or names[1]),
            _cue_pattern(key, spec.stances)))
    return ClaimRules(tuple(subjects), side_of, data.outlet_side,
                      compile_group(CLAIMS_FILE, "reported_speech", data.reported_speech))


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
    colliding: bool = False  # the other side holds the opposite stance that month

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
    # All claims of each side in the group; a page shows the first few (colliding ones first).
    authorities_total: int = -1
    sources_total: int = -1

    def __post_init__(self) -> None:
        """Totals default to the claims held (a group built from every claim)."""
        if self.authorities_total < 0:
            object.__setattr__(self, "authorities_total", len(self.authorities))
        if self.sources_total < 0:
            object.__setattr__(self, "sources_total", len(self.sources))

    def to_dict(self) -> dict[str, Any]:
        """The group as JSON-ready dict."""
        return {"subject": self.subject, "label": self.label, "period": self.period,
                "collision": self.collision, "pairs": [list(p) for p in self.pairs],
                "authorities_total": self.authorities_total, "sources_total": self.sources_total,
                "authorities": [c.to_dict() for c in self.authorities],
                "sources": [c.to_dict() for c in self.sources]}


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


def group_of(subject: str, period: str | None, cs: list[Claim]) -> ClaimGroup:
    """One group from its claims: each side in date order, pairs of opposite stances."""
    labels = {s.key: s.label for s in claim_rules().subjects}
    cs = sorted(cs, key=lambda c: (c.date or "", c.report_id, c.start))
    auth = tuple(c for c in cs if c.side == "authorities")
    src = tuple(c for c in cs if c.side == "sources")
    pairs = tuple((i, j) for i, a in enumerate(auth) for j, s in enumerate(src)
                  if period and a.stance and s.stance and a.stance != s.stance)
    return ClaimGroup(subject, labels[subject], period, auth, src, bool(pairs), pairs)


def group_claims(claims: list[Claim]) -> list[ClaimGroup]:
    """Claims by subject and month, newest month first, with their collisions."""
    order = {s.key: i for i, s in enumerate(claim_rules().subjects)}
    buckets: dict[tuple[str, str | None], list[Claim]] = {}
    for c in claims:
        buckets.setdefault((c.subject, c.period), []).append(c)
    out = [group_of(subj, period, cs) for (subj, period), cs in buckets.items()]
    out.sort(key=lambda g: order[g.subject])
    out.sort(key=lambda g: g.period or "", reverse=True)  # stable: newest month first, undated last
    return out
