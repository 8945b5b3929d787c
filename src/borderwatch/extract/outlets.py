"""The outlet registry (data/outlets.yaml) as text forms: one entry an outlet, read by the
organisation finder (extract/entities.py) and the source finder (extract/attributions.py).

ingest/meta.py reads the same file for domains, site names and page signatures. Here only the
forms written in running text count: the name, its aliases and an all-capitals form of each
("REUTERS", "DAILY NK"), which datelines and credits use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from borderwatch.data_models.outlets import OutletEntry, OutletRegistry, OutletsFile
from borderwatch.datafiles import DataError, load, validated

_FILE = "outlets.yaml"


@dataclass(frozen=True, slots=True)
class Outlet:
    """One outlet: id, canonical name, kind (media | state_media), country, text forms."""

    id: str
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...]  # every text form, the name first; upper-case forms included


def _caps(form: str) -> str | None:
    """The all-capitals form of a name with at least three letters, if it differs."""
    up = form.upper()
    return up if up != form and sum(c.isalpha() for c in form) >= 3 else None


def build_outlets(entries: Sequence[Mapping[str, Any] | OutletEntry]) -> tuple[Outlet, ...]:
    """Outlets from entries validated as data_models.outlets.OutletEntry; a text form naming two
    outlets raises DataError."""
    if not entries or not all(isinstance(e, OutletEntry) for e in entries):
        entries = validated({"outlets": list(entries)}, OutletRegistry, _FILE).outlets
    owner: dict[str, str] = {}
    out: list[Outlet] = []
    for e in entries:
        assert isinstance(e, OutletEntry)
        forms: list[str] = []
        for form in [e.name, *e.aliases]:
            for f in (form, _caps(form)):
                if f and f not in forms:
                    forms.append(f)
        for f in forms:
            key = f.replace("’", "'")
            if owner.setdefault(key, e.id) != e.id:
                raise DataError(f"{_FILE}: outlets[{e.id}]: aliases: {f!r} also names {owner[key]}")
        out.append(Outlet(e.id, e.name, e.kind, e.country, tuple(forms)))
    return tuple(out)


@cache
def outlet_registry() -> tuple[Outlet, ...]:
    """The package's outlets, loaded and checked once."""
    return build_outlets(load(_FILE, OutletsFile).outlets)
