"""Negation and hedge cues (lang/en/negations.yaml, hedges.yaml): pattern lists and how far a cue reaches."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, NonNegativeInt

from borderwatch.data_models.fields import Data, PhrasePatterns

Gap = Annotated[NonNegativeInt, Field(strict=True)]


class NegationsFile(Data):
    """negations.yaml: cues before and after a trigger, exceptions, and the clause breaks."""

    max_gap: Gap
    before: PhrasePatterns
    max_gap_after: Gap
    after: PhrasePatterns
    except_: PhrasePatterns | None = Field(default=None, alias="except")
    clause_breaks: PhrasePatterns


class HedgesFile(Data):
    """hedges.yaml: cues that hedge a trigger's clause or its whole sentence."""

    max_gap: Gap
    clause: PhrasePatterns
    sentence: PhrasePatterns
