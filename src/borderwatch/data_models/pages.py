"""Files only pages read: the brief's sections and limits (brief.yaml), the UN resolutions goods
are banned by (resolutions.yaml), and the pages' own labels (labels.yaml)."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, PositiveInt, RootModel

from borderwatch.data_models.fields import Data, EventType, Word, Words

EventTypes = Annotated[list[EventType], Field(min_length=1)]
WholeDays = Annotated[PositiveInt, Field(strict=True)]


class BanWords(Data):
    """How the brief words each kind of UN measure."""

    export: Word
    import_: Word = Field(alias="import")
    cap: Word


class BriefFile(Data):
    """brief.yaml: the event types behind each section, preset periods, page limits, list links."""

    goods_moving: EventTypes
    goods_demand: Annotated[list[EventType], Field(min_length=1, max_length=1)]
    fines: EventTypes
    prices: EventTypes
    presets: Annotated[list[WholeDays], Field(min_length=1)]
    rates_listed: WholeDays
    weeks_by_default: WholeDays
    list_links: Words
    ban_words: BanWords


class Resolution(Data):
    """One UN Security Council resolution: when it was adopted and what it bans, in words."""

    adopted: Word
    words: Word


class ResolutionsFile(RootModel[dict[Annotated[str, Field(pattern=r"^\d{4}$")], Resolution]]):
    """resolutions.yaml: resolution number -> Resolution."""

    model_config = ConfigDict(frozen=True)


class PageLabelsFile(RootModel[Annotated[dict[Word, Annotated[dict[Word, Word], Field(min_length=1)]],
                                     Field(min_length=1)]]):
    """labels.yaml: section -> code -> the label pages show for it (beyond vocabularies.yaml)."""

    model_config = ConfigDict(frozen=True)
