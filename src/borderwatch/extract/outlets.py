"""The outlet registry (data/outlets.yaml) as text forms: one entry an outlet, read by the
organisation finder (extract/entities.py) and the source finder (extract/attributions.py).

ingest/meta.py reads the same file for domains, site names and page signatures. Here only the
forms written in running text count: the name, its aliases and an all-capitals form of each
("REUTERS", "DAILY NK"), which datelines and credits use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from borderwatch.datafiles import DataError, read_yaml

_FILE = "outlets.yaml"
_ISO = re.compile(r"^[A-Z]{2}$")
KINDS = ("media", "state_media")


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


def build_outlets(entries: list[dict]) -> tuple[Outlet, ...]:
    """Validate outlet entries; a missing field or a form naming two outlets raises DataError."""
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    out: list[Outlet] = []
    for e in entries:
        if not isinstance(e, dict):
            raise DataError(f"{_FILE}: outlet entry {e!r} is not a mapping")
        oid, name = str(e.get("id") or "").strip(), str(e.get("name") or "").strip()
        kind, country = e.get("kind"), (str(e.get("country") or "").strip() or None)
        if not oid.startswith("org:") or oid in seen_ids or not name:
            raise DataError(f"{_FILE}: outlet {name or oid!r} needs a unique org:… id and a name")
        if kind not in KINDS:
            raise DataError(f"{_FILE}: {oid}: kind must be one of {KINDS}, not {kind!r}")
        if country and not _ISO.match(country):
            raise DataError(f"{_FILE}: {oid}: bad country {country!r}")
        seen_ids.add(oid)
        forms: list[str] = []
        for form in [name, *(str(a).strip() for a in e.get("aliases") or [])]:
            for f in (form, _caps(form)):
                if f and f not in forms:
                    forms.append(f)
        for f in forms:
            key = f.replace("’", "'")
            if owner.setdefault(key, oid) != oid:
                raise DataError(f"{_FILE}: {f!r} names two outlets ({owner[key]}, {oid})")
        out.append(Outlet(oid, name, kind, country, tuple(forms)))
    if not out:
        raise DataError(f"{_FILE}: no outlets")
    return tuple(out)


@cache
def outlet_registry() -> tuple[Outlet, ...]:
    """The package's outlets, loaded and checked once."""
    raw = read_yaml(_FILE)
    return build_outlets(raw.get("outlets") or [] if isinstance(raw, dict) else [])
