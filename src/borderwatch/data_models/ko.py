"""The Korean finders' files (lang/ko/): places, cues, numerals, dates, countries, money, units,
qualifiers, particles, sources, and the Korean spellings of registry organisations and goods."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PositiveInt, StringConstraints

from borderwatch.data_models.fields import Data, KoPattern, KoPatterns, OrgKind, Pattern, PlaceKind, Word, Words

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


WordMap = Annotated[dict[Word, Word], Field(min_length=1)]


class KoMoneyFile(Data):
    """money.yaml: currency words after a number, prefixes naming the currency, the cues that
    tell North Korean from South Korean won, and the patterns of a rate."""

    suffixes: WordMap  # word -> ISO code, or "won" (decided KPW or KRW by the cues)
    prefixes: Annotated[dict[KoPattern, Word], Field(min_length=1)]
    kpw_cues: KoPatterns
    krw_cues: KoPatterns
    default_won: Literal["KPW", "KRW"]
    won_not_before: Words  # characters that, right after 원, make it no currency
    rate_joiner: Pattern
    per_unit: Pattern


class KoUnitsFile(Data):
    """units.yaml: counters and what they count, percent words, words a counter may not precede,
    the people nouns after a count, and what after an amount makes it a basis ("kg당")."""

    counters: WordMap
    percent: Words
    not_after: dict[Word, Words] = Field(default_factory=dict)
    people_nouns: WordMap
    basis_after: Pattern | None = None


class KoQualifiersFile(Data):
    """qualifiers.yaml: words before a number, glued after it (650여명), and after the unit."""

    before: WordMap
    after_number: WordMap
    after: WordMap


class KoParticlesFile(Data):
    """particles.yaml: the genitive and dative particles the source finders look for."""

    genitive: Words
    dative: Words


class KoAttributionsFile(Data):
    """attributions.yaml: the source noun and its modifiers, speakers, titles, documents, and the
    patterns of saying and of "에 따르면"."""

    source_head: Pattern
    modifiers: Words
    back_reference: Words
    speakers: Words
    withheld: Pattern
    titles: Words
    documents: Words
    self_reference: Words
    self_reference_after: Pattern
    foreign_press: Pattern
    speech: Pattern
    according: Pattern
    subject: Pattern
    org_after: Pattern
    title_word: Pattern
    official_speakers: Words
    org_report_nouns: Words


Tag = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]
Tags = Annotated[list[Tag], Field(min_length=1)]


class KoAnalyserFile(Data):
    """analyser.yaml: which of Kiwi's part-of-speech tags the analyser-backed finders read as
    names, particles, negations and a predicate (only when the analyser is switched on)."""

    place_tags: Tags
    place_min_stem: Annotated[PositiveInt, Field(strict=True)]
    place_after: Words
    negation: Annotated[list[tuple[Word, Tag]], Field(min_length=1)]
    predicate_tags: Tags
    predicate_endings: Words
    argument_particles: Tags
    argument_nouns: Tags
    noun_verbs: Tags
    max_predicate: Annotated[PositiveInt, Field(strict=True)]
