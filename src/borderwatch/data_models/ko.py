"""The Korean finders' files (lang/ko/): places, cues, numerals, dates, countries, and the Korean
spellings of registry organisations and goods."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PositiveInt, StringConstraints

from borderwatch.data_models.fields import Data, OrgKind, Pattern, PlaceKind, Word, Words

StrictInt = Annotated[int, Field(strict=True)]


class KoPlacesFile(Data):
    """places.yaml: place suffixes, the particles that may follow a place, places held in others."""

    suffixes: Words
    after: Words
    need_suffix: Words
    nested_suffixes: Annotated[dict[Word, PlaceKind], Field(min_length=1)]
    # the kind a suffix gives -> the kinds of place that may hold it
    nested_in: Annotated[dict[PlaceKind, Annotated[list[PlaceKind], Field(min_length=1)]], Field(min_length=1)]
    not_nested: list[Word] = Field(default_factory=list)  # names with a place suffix that are no places


class KoCuesFile(Data):
    """cues.yaml: negation, hedge and purpose patterns, and how far a clause runs."""

    negation: Pattern
    clause_end: Pattern
    max_clause: Annotated[PositiveInt, Field(strict=True)]
    max_gap: Annotated[PositiveInt, Field(strict=True)]
    hedge: Pattern
    purpose: Pattern
    object_negation: Pattern  # the trigger as the object of a negated verb


NumeralMap = Annotated[dict[Word, Annotated[PositiveInt, Field(strict=True)]], Field(min_length=1)]


class KoNumbersFile(Data):
    """numbers.yaml: Sino-Korean multipliers, native numerals and range marks."""

    small: NumeralMap
    big: NumeralMap
    native: NumeralMap
    range_marks: Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=1)]], Field(min_length=1)]


Offsets = Annotated[dict[Word, StrictInt], Field(min_length=1)]


class KoDatesFile(Data):
    """dates.yaml: relative years, months, days and weekdays, parts of a period, and marks."""

    years: Offsets
    months: Offsets
    days: Offsets
    years_need_more: Words
    weekdays: Offsets
    parts: Annotated[dict[Word, Word], Field(min_length=1)]
    past: Words
    ahead: Words
    not_after: Words
    part_followers: Words  # particles after a part of a period ("올해 초부터")
    year_marks: Words  # the marks glued to a year, month and day number (년, 월, 일)
    month_marks: Words
    day_marks: Words


class KoCountriesFile(Data):
    """countries.yaml: names needing a bound, one-character short forms, paired syllables (북·중)."""

    bounded: Words
    short: Annotated[dict[Word, Word], Field(min_length=1)]
    pairs: Annotated[dict[Word, Word], Field(min_length=1)]
    pair_marks: Words


class KoOrganization(Data):
    """Korean spellings of an organisation; name and kind only for one the registry lacks."""

    id: Word
    aliases: Words
    name: Word | None = None
    kind: OrgKind | None = None
    country: Word | None = None


class KoOrganizationsFile(Data):
    """organizations.yaml."""

    organizations: Annotated[list[KoOrganization], Field(min_length=1)]


class KoCommoditiesFile(Data):
    """commodities.yaml: Korean words of registry goods, by commodity id, and their trade cues."""

    allowed_before: Words
    trade_cues: Words
    commodities: Annotated[dict[Word, Words], Field(min_length=1)]
