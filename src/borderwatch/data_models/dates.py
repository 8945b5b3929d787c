"""English date words (lang/en/dates.yaml): month, weekday and season names, relative phrases,
and the function words the date patterns are built from."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, NonNegativeInt, model_validator

from borderwatch.data_models.fields import Data, Word, Words

StrictInt = Annotated[int, Field(strict=True)]
MonthNumber = Annotated[int, Field(strict=True, ge=1, le=12)]
Unit = Literal["day", "week", "month", "year"]
MonthMap = Annotated[dict[Word, MonthNumber], Field(min_length=1)]


class RelativePhrase(Data):
    """A phrase relative to the publication date ("last week": unit week, offset -1), or one
    relative to another date of the text (anaphoric: true)."""

    unit: Unit | None = None
    offset: StrictInt | None = None
    anaphoric: Annotated[bool, Field(strict=True)] = False

    @model_validator(mode="after")
    def _unit_or_anaphoric(self) -> RelativePhrase:
        if not self.anaphoric and (self.unit is None or self.offset is None):
            raise ValueError("needs a unit and an offset, or anaphoric: true")
        return self


class DatesFile(Data):
    """dates.yaml: names, relative phrases, leads, and the date patterns' function words."""

    months: MonthMap
    month_abbreviations: MonthMap
    weekdays: Annotated[dict[Word, Annotated[int, Field(strict=True, ge=0, le=6)]], Field(min_length=1)]
    month_lead: Words
    year_lead: Words
    part_of_period: Words
    seasons: MonthMap  # the month the season starts in
    relative: Annotated[dict[Word, RelativePhrase], Field(min_length=1)]
    relations: Annotated[dict[Word, Literal["past", "current", "next"]], Field(min_length=1)]
    ago_units: Annotated[dict[Word, Unit], Field(min_length=1)]
    day_of_month_tail: Words
    past_leads: Words
    future_window_days: Annotated[NonNegativeInt, Field(strict=True)]
    month_year_offsets: Annotated[dict[Word, StrictInt], Field(min_length=1)]
    forward_leads: Words
    dated_nouns: Words
    future_cues: Words
    determiners: Words
    range_words: Words
    range_from: Words
    range_between: Words
    range_between_and: Words
    list_joiners: Words
    list_links: Words
    of_words: Words
    definite: Words
    day_of_month_leads: Words
    ago_words: Words
    ago_one: Words
    season_leads: Words
