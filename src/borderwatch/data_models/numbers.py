"""English number words, qualifiers and units (lang/en/numbers.yaml, qualifiers.yaml, units.yaml)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, NonNegativeInt

from borderwatch.data_models.fields import Data, Number, Word, Words


def _fraction(value: float) -> float:
    if not 0 < value < 1:
        raise ValueError(f"{value} is no fraction between 0 and 1")
    return value


NumberMap = Annotated[dict[Word, Number], Field(min_length=1)]


class NumbersFile(Data):
    """lang/en/numbers.yaml: number words and their values."""

    units: NumberMap
    tens: NumberMap
    scales: NumberMap
    suffixes: NumberMap
    prefix_only_suffixes: NumberMap
    phrases: NumberMap
    fractions: Annotated[dict[Word, Annotated[Number, AfterValidator(_fraction)]], Field(min_length=1)]
    not_alone: list[Word] = Field(default_factory=list)
    range_separators: Words
    ordinal_suffixes: Words  # st, nd, rd, th: glued to digits ("28th")
    range_openers: Words  # "between" of "between 3 and 5"
    range_closers: Words  # "and" of "between 3 and 5"
    scale_one: Words  # "a" of "a million"
    # "and a half" -> 0.5: a fraction added to the number words before it
    added_fractions: Annotated[dict[Word, Annotated[Number, AfterValidator(_fraction)]], Field(min_length=1)]


class QualifiersFile(Data):
    """lang/en/qualifiers.yaml: phrase before or after a number -> qualifier ("at least 20")."""

    before: Annotated[dict[Word, Word], Field(min_length=1)]
    after: Annotated[dict[Word, Word], Field(min_length=1)]


class UnitEntry(Data):
    """One unit: its name, its spellings and how it behaves."""

    name: Word
    forms: Words
    singular: Word | None = None
    phrase: Annotated[bool, Field(strict=True)] = False
    after_the: Annotated[bool, Field(strict=True)] = True
    modifiers: list[Word] = Field(default_factory=list)


UnitGroup = Annotated[list[UnitEntry], Field(min_length=1)]


class UnitsFile(Data):
    """lang/en/units.yaml: units by group and the words around quantities."""

    measures: UnitGroup
    containers: UnitGroup
    counts: UnitGroup
    times: UnitGroup
    skip_words: Words
    per_leads: Words
    frequency: Annotated[dict[Word, Words], Field(min_length=1)]
    frequency_gap: Annotated[NonNegativeInt, Field(strict=True)] = 0
    not_after_per: Words
    plural_without_s: list[Word] = Field(default_factory=list)
    dimension_words: Words = Field(default_factory=lambda: ["long"])
    count_verbs: Words
    number_of_verbs: Words
    chain_links: Words
    bare_followers: Words
    multipliers: Annotated[dict[Word, Number], Field(min_length=1)]
    glued: list[Word] = Field(default_factory=list)
    of_the_determiners: Words
    definite_determiners: Words
    back_reference_determiners: Words
    of_group_determiners: Words
    # function words the quantity patterns are built from (see units.yaml for each)
    alternative_words: Words  # "or" of "two or three"
    fraction_determiners: Words  # "the" of "two-thirds of the workers"
    list_joiners: Words  # "and" of "40, 25 and 30 workers"
    number_of_words: Words  # "number of"
    of_words: Words
    percent_words: Annotated[dict[Word, Word], Field(min_length=1)]  # word -> the unit it gives
    predicate_verbs: Words  # "three were women"
    qualifiers_before_unit: Words  # "or more" of "20 or more trucks"
    time_leads: Words
    timed_links: Words
