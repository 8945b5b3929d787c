"""Claims (lang/en/claims.yaml): which sources speak for which side, and the subjects on which
the two sides' statements collide."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from borderwatch.data_models.fields import Data, EventType, PhrasePatterns, SourceKind, Word

Side = Literal["authorities", "sources"]


class Stance(Data):
    """One side of a subject: its label and the cues that state it (`with_count`: only with a
    number nearby)."""

    label: Word | None = None
    cues: PhrasePatterns
    with_count: PhrasePatterns | None = None


class Subject(Data):
    """A subject of claims: the event types it covers, its keywords and its two stances."""

    label: Word | None = None
    event_types: Annotated[list[EventType], Field(min_length=1)]
    keywords: PhrasePatterns
    stances: Annotated[dict[Word, Stance], Field(min_length=2, max_length=2)]


class ClaimsFile(Data):
    """claims.yaml."""

    sides: dict[Side, list[SourceKind]]
    outlet_side: Side
    reported_speech: PhrasePatterns
    subjects: Annotated[dict[Word, Subject], Field(min_length=1)]

    @field_validator("sides")
    @classmethod
    def _one_side_each(cls, sides: dict[str, list[str]]) -> dict[str, list[str]]:
        seen: set[str] = set()
        for kinds in sides.values():
            for kind in kinds:
                if kind in seen:
                    raise ValueError(f"{kind!r} is on both sides")
                seen.add(kind)
        if not seen:
            raise ValueError("no source kind on either side")
        return sides

    @field_validator("subjects")
    @classmethod
    def _one_subject_per_type(cls, subjects: dict[str, Subject]) -> dict[str, Subject]:
        seen: dict[str, str] = {}
        for key, s in subjects.items():
            for t in s.event_types:
                if t in seen:
                    raise ValueError(f"event type {t!r} in two subjects: {seen[t]} and {key}")
                seen[t] = key
        return subjects
