"""News outlets (outlets.yaml): names, domains, page signatures, and how URLs carry dates.

Read by extraction (extract/outlets.py: who a source is) and by ingest (ingest/meta.py: which
outlet published a page)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PositiveInt, StringConstraints, field_validator

from borderwatch.data_models.fields import Data, OptionalCountry, OptionalText, Pattern, Patterns, Stripped, Word


class OutletEntry(Data):
    """One outlet. Every alias and site name is a text form of it; signatures are groups of
    patterns that together mark its page furniture."""

    id: Annotated[str, StringConstraints(pattern=r"^org:"), Stripped]
    name: Annotated[Word, Stripped]
    kind: Literal["media", "state_media"]
    country: OptionalCountry = None
    domains: list[Word] = Field(default_factory=list)
    aliases: list[Annotated[Word, Stripped]] = Field(default_factory=list)
    site_names: list[Word] = Field(default_factory=list)
    signatures: list[Patterns] = Field(default_factory=list)
    notes: OptionalText = None


class OutletRegistry(Data):
    """The outlets, each id once."""

    outlets: Annotated[list[OutletEntry], Field(min_length=1)]

    @field_validator("outlets")
    @classmethod
    def _ids_unique(cls, outlets: list[OutletEntry]) -> list[OutletEntry]:
        seen: set[str] = set()
        for o in outlets:
            if o.id in seen:
                raise ValueError(f"duplicate outlet id {o.id!r}")
            seen.add(o.id)
        return outlets


class OutletsFile(OutletRegistry):
    """outlets.yaml: the registry, how far from a page's end signatures are looked for, and the
    URL patterns that carry a publication date or month."""

    signature_tail: PositiveInt = 1500
    url_dates: Patterns
    url_months: list[Pattern] = Field(default_factory=list)
