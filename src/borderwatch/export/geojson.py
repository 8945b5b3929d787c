"""GeoJSON export: the places events happen at, as Point features with event counts by type."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from borderwatch.export.rows import EventRecord
from borderwatch.model import EVENT_TYPES, Mention

_TYPE_ORDER = {t: i for i, t in enumerate(EVENT_TYPES)}


@dataclass(slots=True)
class PlaceTally:
    """Events counted at one place."""

    place: Mention
    events: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    reports: set[str] = field(default_factory=set)

    @property
    def dominant_type(self) -> str | None:
        """The most frequent event type; ties go to the type listed first in the vocabulary."""
        if not self.by_type:
            return None
        return min(self.by_type, key=lambda t: (-self.by_type[t], _TYPE_ORDER.get(t, 99), t))

    def feature(self) -> dict[str, Any]:
        """The place as a GeoJSON Point feature ([lon, lat])."""
        p = self.place
        return {
            "type": "Feature",
            "id": p.id,
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "id": p.id, "name": p.name, "country": p.country, "place_kind": p.place_kind,
                "admin1": p.admin1, "events": self.events,
                "by_type": dict(sorted(self.by_type.items(), key=lambda kv: _TYPE_ORDER.get(kv[0], 99))),
                "dominant_type": self.dominant_type, "reports": len(self.reports),
            },
        }


def tally_places(records: Iterable[EventRecord]) -> dict[str, PlaceTally]:
    """Count events, types and reports per place id (an event counts once at each of its places)."""
    out: dict[str, PlaceTally] = {}
    for r in records:
        for p in {m.id: m for m in r.places}.values():
            t = out.get(p.id)
            if t is None:
                t = out[p.id] = PlaceTally(p)
            elif t.place.lat is None and p.lat is not None:
                t.place = p
            t.events += 1
            t.by_type[r.type] += 1
            t.reports.add(r.report.id)
    return out


def feature_collection(records: Iterable[EventRecord]) -> dict[str, Any]:
    """A FeatureCollection of the places with coordinates, busiest first; the rest counted."""
    tallies = tally_places(records)
    located = [t for t in tallies.values() if t.place.lat is not None and t.place.lon is not None]
    located.sort(key=lambda t: (-t.events, t.place.name, t.place.id))
    return {
        "type": "FeatureCollection",
        "features": [t.feature() for t in located],
        "skipped_places": len(tallies) - len(located),
    }


def write_geojson(records: Iterable[EventRecord], out: TextIO) -> int:
    """Write the FeatureCollection; return the number of features."""
    fc = feature_collection(records)
    json.dump(fc, out, ensure_ascii=False)
    out.write("\n")
    return len(fc["features"])
