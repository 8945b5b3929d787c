"""Currencies (currencies.yaml: spellings by ISO code, the cues that settle an ambiguous won) and
the won's market rates (kpw_rates.csv)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PositiveFloat, PositiveInt, StringConstraints, model_validator

from borderwatch.data_models.fields import Blank, Data, Number, OptionalText, Stripped, Word, Words

# An ISO 4217 currency code.
Iso = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
ByIso = Annotated[dict[Iso, Words], Field(min_length=1)]


def _above_one(value: float) -> float:
    if value <= 1:
        raise ValueError("must be a number above 1")
    return value


class Spellings(Data):
    """How a currency is written before (US$) and after (yuan) its number."""

    prefixes: list[Word] = Field(default_factory=list)
    suffixes: list[Word] = Field(default_factory=list)


class Currency(Spellings):
    """One ISO code's spellings; at least one."""

    @model_validator(mode="after")
    def _spelled(self) -> Currency:
        if not self.prefixes and not self.suffixes:
            raise ValueError("needs prefixes or suffixes")
        return self


class Ambiguous(Spellings):
    """A spelling several currencies share (won: KPW or KRW), settled by context."""

    candidates: Annotated[list[Iso], Field(min_length=2)]


class WonMagnitude(Data):
    """A won price per `per` between min and max, next to a cue good, is in `currency`."""

    currency: Iso
    per: list[Word] = Field(default_factory=list)
    min: Number
    max: Number
    cue_words: Words


class CurrenciesFile(Data):
    """currencies.yaml."""

    currencies: Annotated[dict[Iso, Currency], Field(min_length=1)]
    ambiguous: Annotated[dict[Word, Ambiguous], Field(min_length=1)]
    won_context: ByIso
    won_rates: Annotated[dict[Iso, dict[Iso, list[tuple[Number, Number]]]], Field(min_length=1)]
    won_magnitude: WonMagnitude
    yen_sign_context: ByIso
    rate_cues: ByIso
    rate_verbs: Words
    rate_max_gap: Annotated[PositiveInt, Field(strict=True)]
    per_currency: ByIso
    rate_base_links: Words
    rate_subject_gap: Annotated[PositiveInt, Field(strict=True)]
    implicit_cues: Words
    implicit_followers: Words
    implicit_max_ratio: Annotated[Number, AfterValidator(_above_one)]
    change_words: Words
    # function words the money patterns are built from (see currencies.yaml for each)
    restatement_words: Words  # "or" of "RMB 300 (or $44)"
    restatement_abbreviations: Words  # "i.e."
    range_words: Words  # "to" of "300 to 400 yuan"
    change_from: Words  # "from" of "rose from 4,000 to 5,500 won"
    time_leads: Words
    contrast_links: Words
    rate_per_words: Words  # "to", "per", "against": the basis of a rate
    rate_one_words: Words  # "1", "one", "a": the one unit of a rate's basis
    rate_link_adverbs: Words  # "now", "still" before a rate_base_link


PositiveRate = Annotated[PositiveFloat | None, Blank]


class KpwRateRow(Data):
    """One row of kpw_rates.csv: a dated North Korean market rate and where it was reported."""

    date: dt.date
    kpw_per_usd: PositiveRate = None
    kpw_per_cny: PositiveRate = None
    place: OptionalText = None
    confidence: Literal["v", "approx_date", "weak"]
    source_url: Annotated[Word, Stripped]
    note: OptionalText = None
