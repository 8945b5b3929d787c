"""The gazetteer (places.csv) and the English place cues (lang/en/places.yaml, place_suffixes.yaml)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo, field_validator

from borderwatch.data_models.fields import Data, OptionalFloat, OptionalText, PlaceKind, Stripped, Word, Words

_COUNTRY = re.compile(r"^[A-Z]{2}(?:\|[A-Z]{2})*$")


def _countries(value: str | None) -> str | None:
    if value and not _COUNTRY.match(value):
        raise ValueError(f"bad country {value!r}: ISO codes, several joined by |")
    return value


class PlaceRow(Data):
    """One row of places.csv. Aliases and ambiguous_with are |-separated lists; `notes` is for people."""

    id: Annotated[str, StringConstraints(pattern=r"^place:"), Stripped]
    name: Annotated[Word, Stripped]
    aliases: OptionalText = None
    country: Annotated[OptionalText, AfterValidator(_countries)] = None
    kind: Annotated[PlaceKind, Stripped]
    admin1: OptionalText = None
    lat: OptionalFloat = None
    lon: OptionalFloat = None
    ambiguous_with: OptionalText = None
    notes: OptionalText = None


class KindCue(Data):
    """Words after ("Jilin Province") and before ("the port of Nampo") a name of one place kind."""

    after: list[Word] = Field(default_factory=list)
    before: list[Word] = Field(default_factory=list)


class PlaceCues(Data):
    """lang/en/places.yaml: the context words that pick a reading of a shared name, and nesting."""

    kind_cues: Annotated[dict[PlaceKind, KindCue], Field(min_length=1)]
    bare_the: list[Word] = Field(default_factory=list)
    list_separators: Words  # between two names of a list (",")
    list_joiners: Words  # and, or, &: after a separator or between spaces
    articles: Words  # the article before a bare name ("along the Tumen")
    nest_gaps: Words
    possessive_gaps: Words
    adjacent_kinds: list[PlaceKind]
    rank: dict[PlaceKind, int]
    dateline: Word
    kind_before: Annotated[dict[PlaceKind, Words], Field(min_length=1)]
    compound_words: Annotated[dict[Word, PlaceKind], Field(min_length=1)]

    @field_validator("kind_cues")
    @classmethod
    def _both_sides(cls, cues: dict[str, KindCue]) -> dict[str, KindCue]:
        if not any(c.after for c in cues.values()) or not any(c.before for c in cues.values()):
            raise ValueError("needs both after and before words")
        return cues


class Suffix(Data):
    """A place suffix and the kind of place it makes ("Hwajeon-ri": village)."""

    suffix: Word
    kind: PlaceKind
    korean: bool = False


class PlaceSuffixes(Data):
    """lang/en/place_suffixes.yaml: places no gazetteer has, found from their suffix."""

    hyphen: Annotated[list[Suffix], Field(min_length=1)]
    word: Annotated[list[Suffix], Field(min_length=1)]
    plurals: dict[Word, Word] = Field(default_factory=dict)
    stop_words: list[Word] = Field(default_factory=list)

    @field_validator("plurals")
    @classmethod
    def _plurals_of_known_suffixes(cls, plurals: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        known = {s.suffix.lower() for group in ("hyphen", "word") for s in info.data.get(group, [])}
        for plural, single in plurals.items():
            if single.lower() not in known:
                raise ValueError(f"plural {plural!r} of unknown suffix {single!r}")
        return plurals
