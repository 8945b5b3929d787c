"""The fact sheet's closed vocabularies, from one data file (data/vocabularies.yaml).

Event types, topics, source kinds, mention, place, organisation and amount kinds: each code
with the label pages show, and each event type with its chart colour. `borderwatch.model`
derives its constants from here, so extraction, validation, filters, labels and charts follow
one list (followthemoney keeps its schema as data the same way). Validated declaratively with
pydantic when first loaded: a bad file fails at start, naming the file and the entry.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from borderwatch.datafiles import read_yaml, validated

FILE = "vocabularies.yaml"

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


class EventTypeEntry(BaseModel):
    """One event type: what pages call it and the colour charts draw it in."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: Label
    colour: Colour


class Vocabularies(BaseModel):
    """The whole file; every section required and non-empty, nothing else allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    event_types: dict[Code, EventTypeEntry] = Field(min_length=1)
    topics: dict[Code, Label] = Field(min_length=1)
    source_kinds: dict[Code, Label] = Field(min_length=1)
    mention_kinds: dict[Code, Label] = Field(min_length=1)
    mention_id_prefixes: dict[Code, Code] = Field(min_length=1)
    place_kinds: dict[Code, Label] = Field(min_length=1)
    org_kinds: dict[Code, Label] = Field(min_length=1)
    amount_kinds: dict[Code, Label] = Field(min_length=1)

    @model_validator(mode="after")
    def _prefixes_name_kinds(self) -> Vocabularies:
        wrong = sorted(k for k in self.mention_id_prefixes.values() if k not in self.mention_kinds)
        if wrong:
            raise ValueError(f"mention_id_prefixes name kinds that mention_kinds does not list: {wrong}")
        return self


def parse(raw: object, source: str = FILE) -> Vocabularies:
    """Validate a parsed vocabularies file; DataError names the file and the entry."""
    return validated(raw, Vocabularies, source)


@cache
def vocabularies() -> Vocabularies:
    """The shipped vocabularies, loaded and validated once per process."""
    return parse(read_yaml(FILE))


def codes_digest(text: str) -> bytes:
    """What extraction reads of a vocabularies file: its codes in order, not labels or colours
    (extract/pipeline.extractor_version digests this instead of the file's bytes)."""
    import yaml

    raw = yaml.safe_load(text)
    codes = {section: list(entries) for section, entries in (raw or {}).items()}
    return hashlib.sha256(json.dumps(codes, sort_keys=True).encode()).digest()


__all__ = ["FILE", "Vocabularies", "codes_digest", "parse", "vocabularies"]
