"""Field types several data files share: non-blank words, phrase lists, vocabulary codes.

A vocabulary code (place kind, event type, …) is checked against data/vocabularies.yaml through
`borderwatch.model`, so a data file cannot name a kind the fact sheet's contract does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES, ORG_KINDS, PLACE_KINDS, TOPICS


class Data(BaseModel):
    """A data file's record: unknown keys are typos, so they are errors; records never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _blank_is_none(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _compiles(space: str) -> Callable[[str], str]:
    """A validator: the pattern, with each space read as `space`, must compile. The finders
    compile the same source, so Python's pattern cache makes the second compile free."""
    def check(pattern: str) -> str:
        try:
            re.compile(pattern.replace(" ", space) if space != " " else pattern)
        except re.error as exc:
            raise ValueError(f"bad pattern: {exc}") from exc
        return pattern
    return check


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def member_of(values: Collection[str], what: str) -> Callable[[str], str]:
    """A validator accepting only `values` (a closed vocabulary), naming `what` when it fails."""
    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"unknown {what} {value!r}")
        return value
    return check


# A word or phrase: a string with something in it (YAML's on/off/yes/no are booleans, not words).
Word = Annotated[str, Field(strict=True), AfterValidator(_not_blank)]
# A non-empty list of words.
Words = Annotated[list[Word], Field(min_length=1)]
# A CSV cell that may be blank: None when blank.
Blank = BeforeValidator(_blank_is_none)
# A CSV cell read without its surrounding spaces.
Stripped = BeforeValidator(_stripped)
OptionalText = Annotated[str | None, Blank, Stripped]
OptionalFloat = Annotated[float | None, Blank]

def _iso_country(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError(f"bad country {value!r}: an ISO 3166 code such as KP")
    return value


# An optional two-letter ISO country code (a blank CSV cell is None).
OptionalCountry = Annotated[OptionalText, AfterValidator(_iso_country)]

PlaceKind = Annotated[str, AfterValidator(member_of(PLACE_KINDS, "place kind"))]
EventType = Annotated[str, AfterValidator(member_of(EVENT_TYPES, "event type"))]
OrgKind = Annotated[str, AfterValidator(member_of(ORG_KINDS, "organisation kind"))]
SourceKind = Annotated[str, AfterValidator(member_of(ATTRIBUTION_KINDS, "source kind"))]
Topic = Annotated[str, AfterValidator(member_of(TOPICS, "topic"))]
# A number from a YAML file (not a quoted string, not a boolean).
Number = Annotated[float, Field(strict=True)]
# A regex pattern from a data file; it must compile as written.
Pattern = Annotated[Word, AfterValidator(_compiles(" "))]
Patterns = Annotated[list[Pattern], Field(min_length=1)]
# An English cue or trigger pattern: a space stands for any run of white space (cues.phrase_regex).
PhrasePattern = Annotated[Word, AfterValidator(_compiles(r"\s+"))]
PhrasePatterns = Annotated[list[PhrasePattern], Field(min_length=1)]
# A Korean trigger pattern: a space stands for optional white space (ko.lexicon.patterns_alt).
KoPattern = Annotated[Word, AfterValidator(_compiles(r"\s*"))]
KoPatterns = Annotated[list[KoPattern], Field(min_length=1)]
