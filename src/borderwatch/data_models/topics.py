"""Topic weights (lang/<lang>/topics.yaml): what each event, fact and keyword says a report is about."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from borderwatch.data_models.fields import Data, EventType, Number, PhrasePatterns, PlaceKind, Topic

# {topic: weight}, every topic from the closed list.
Weights = Annotated[dict[Topic, Number], Field(min_length=1)]


class Factors(Data):
    """How much of its weight a negated or hedged event still gives."""

    negated: Number = 0.5
    hedged: Number = 0.8


class MentionWeights(Data):
    """Weights by fact kind (commodity, commodity_sanctioned, vessel, …), and by place kind."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, Weights] = Field(init=False)
    place_kinds: dict[PlaceKind, Weights] = Field(default_factory=dict)


class KeywordGroup(Data):
    """Patterns that point to one topic, each match adding `weight` up to `cap`."""

    topic: Topic
    patterns: PhrasePatterns
    weight: Number = 0.5
    cap: Number = 1.5


class TopicsFile(Data):
    """lang/<lang>/topics.yaml."""

    min_topics: int = 2
    max_topics: int = 5
    min_score: Number = 1.0
    relative_floor: Number = 0.15
    factors: Factors = Field(default_factory=Factors)
    events: dict[EventType, Weights] = Field(default_factory=dict)
    mentions: MentionWeights = Field(default_factory=MentionWeights)
    keywords: list[KeywordGroup] = Field(default_factory=list)
