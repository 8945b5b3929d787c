"""Event trigger files, one per event type and language (lang/<lang>/events/<type>.yaml)."""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import Field, StringConstraints, field_validator, model_validator

from borderwatch.data_models.fields import Data, EventType, KoPatterns, Pattern, PhrasePatterns

TriggerId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
# The fact kinds a trigger may ask for in its sentence (English `context_kinds`).
ContextKind = Literal["place", "commodity", "organization", "person", "vessel", "money", "quantity", "date"]


class Trigger(Data):
    """One English trigger: patterns, and what the sentence must (context) or must not (unless) hold.

    A context entry "@leaders" or "@bodies" stands for a named list of the data (extract/events.py)."""

    id: TriggerId
    patterns: PhrasePatterns
    context: PhrasePatterns | None = None
    context_kinds: list[ContextKind] = Field(default_factory=list)
    unless: PhrasePatterns | None = None
    negation_is_claim: Annotated[bool, Field(strict=True)] = False

    @model_validator(mode="after")
    def _no_named_groups(self) -> Trigger:
        if any("(?P" in p for p in self.patterns):
            raise ValueError("named groups are reserved (the compiler names one per trigger)")
        return self


def _unique_ids(triggers: list[T]) -> list[T]:
    seen: set[str] = set()
    for t in triggers:
        if t.id in seen:
            raise ValueError(f"duplicate trigger id {t.id!r}")
        seen.add(t.id)
    return triggers


T = TypeVar("T", "Trigger", "KoTrigger")


class EventFile(Data):
    """lang/en/events/<type>.yaml."""

    type: EventType
    triggers: Annotated[list[Trigger], Field(min_length=1)]
    exclude: PhrasePatterns | None = None

    _ids_unique = field_validator("triggers")(_unique_ids)


class KoTrigger(Data):
    """One Korean trigger: patterns and an optional context pattern the sentence must hold."""

    id: TriggerId
    patterns: KoPatterns
    context: Pattern | None = None


class KoEventFile(Data):
    """lang/ko/events/<type>.yaml; `negation_is_claim` holds for the whole type."""

    type: EventType
    triggers: Annotated[list[KoTrigger], Field(min_length=1)]
    exclude: KoPatterns | None = None
    negation_is_claim: Annotated[bool, Field(strict=True)] = False

    _ids_unique = field_validator("triggers")(_unique_ids)
