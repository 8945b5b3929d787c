"""Goods: the registry (commodities.csv) and the English trade-role cues (lang/en/commodities.yaml)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, model_validator

from borderwatch.data_models.fields import Data, OptionalText, Stripped, Word, Words

_HS = re.compile(r"^\d{2}(?:[;-]\d{2})*$")
_TRI = {"true": True, "false": False, "": None}


def _tri(value: Any) -> Any:
    """A CSV cell 'true', 'false' or blank (any case) as True, False or None."""
    if value is None or isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    if v not in _TRI:
        raise ValueError(f"must be true, false or empty, not {value!r}")
    return _TRI[v]


def _hs(value: str | None) -> str | None:
    if value and not _HS.match(value):
        raise ValueError(f"bad HS chapter {value!r}: two digits, several joined by ; or -")
    return value


TriState = Annotated[bool | None, BeforeValidator(_tri)]


class CommodityRow(Data):
    """One row of commodities.csv. Alias columns are |-separated; a row needs at least one alias."""

    id: Annotated[str, StringConstraints(pattern=r"^commodity:"), Stripped]
    name: Annotated[Word, Stripped]
    aliases: OptionalText = None
    weak_aliases: OptionalText = None
    context_aliases: OptionalText = None
    hs: Annotated[OptionalText, AfterValidator(_hs)] = None
    hs_heading: OptionalText = None
    export_ban: TriState = None
    import_ban: TriState = None
    import_cap: TriState = None
    resolution: OptionalText = None
    notes: OptionalText = None

    @model_validator(mode="after")
    def _has_aliases(self) -> CommodityRow:
        if not (self.aliases or self.weak_aliases or self.context_aliases):
            raise ValueError("no aliases")
        return self


class Conveyance(Data):
    """Goods that carry goods (vehicles, vessels) and the words that make them the carrier."""

    ids: list[Word] = Field(default_factory=list)
    distributives: Words | None = None  # "each", "all": "two trucks, each carrying coal"
    after: Words | None = None
    before: Words | None = None


class CommodityCues(Data):
    """lang/en/commodities.yaml: the words that give a goods word a trade role."""

    window: int = 50
    before_gap: int = 3
    gap_stops: Words | None = None
    cues: Words
    heads: Words
    flow_heads: Words
    before: Words
    flow_before: Words
    list_links: Words | None = None
    list_fillers: Words | None = None
    conveyance: Conveyance = Field(default_factory=Conveyance)
    blockers: Words | None = None
