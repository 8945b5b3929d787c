"""The map page's data: the shipped geography and the places with their incident counts.

Geography is data (`data/geo/`, built by tools/map_assets.py from Natural Earth, see its README):
`region.geojson` holds the countries, provinces, borders and the Yalu and Tumen for the border
region; `labels.geojson` names the countries and seas. Both are validated once and served as one
FeatureCollection at /api/geo, gzipped once, for the browser's map (serve/static/map.js, drawn
with the vendored Leaflet). Nothing here or there fetches from outside.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from borderwatch.data_models.geo import LabelsFile, RegionFile
from borderwatch.datafiles import DataError, read_text, validated


@dataclass(frozen=True)
class GeoData:
    """The merged FeatureCollection as JSON bytes (plain and gzipped), its ETag and its frame."""

    body: bytes
    gzipped: bytes
    etag: str
    view: tuple[float, float, float, float]  # west, south, east, north: what the map shows
    shapes: dict[str, str]  # place id -> "area" (a province) or "line" (a river)


def _features(relpath: str, model: type[RegionFile] | type[LabelsFile]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A FeatureCollection data file, validated as `model` (kinds, geometries, coordinates);
    the parsed JSON is what the page is served, so it is returned as read."""
    try:
        doc = json.loads(read_text(relpath))
    except json.JSONDecodeError as exc:
        raise DataError(f"{relpath}: not JSON: {exc}") from exc
    validated(doc, model, relpath)
    return doc, doc["features"]


@cache
def geo_data() -> GeoData:
    """region.geojson and labels.geojson as one FeatureCollection, validated once per process."""
    region, features = _features("geo/region.geojson", RegionFile)
    _, labels = _features("geo/labels.geojson", LabelsFile)
    view = region["view"]
    for f in labels:
        f["properties"]["kind"] = "label-" + f["properties"]["kind"]
    doc = {"type": "FeatureCollection", "view": view, "sources": region.get("sources", []),
           "features": features + labels}
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    shapes = {f["properties"]["place_id"]: "line" if f["properties"]["kind"] == "river" else "area"
              for f in features if f["properties"].get("place_id")}
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    return GeoData(body, gzip.compress(body, mtime=0), etag, (view[0], view[1], view[2], view[3]),
                   shapes)


def in_view(lat: float | None, lon: float | None, view: tuple[float, float, float, float]) -> bool:
    """Whether a point falls inside the map's frame."""
    if lat is None or lon is None:
        return False
    return view[0] <= lon <= view[2] and view[1] <= lat <= view[3]


def _tell_apart(places: list[dict[str, Any]]) -> None:
    """Places that share a name ('Nampo' the city and 'Nampo' the port) get their kind added to
    `label`, so two markers never read the same; `name` stays the gazetteer's."""
    seen: dict[str, int] = {}
    for p in places:
        seen[p["name"]] = seen.get(p["name"], 0) + 1
    for p in places:
        kind = p.get("place_kind")
        p["label"] = f"{p['name']} ({kind})" if seen[p["name"]] > 1 and kind else p["name"]


def map_view(conn: sqlite3.Connection, since: str | None, until: str | None) -> dict[str, Any]:
    """Places with incident counts, each with the link that opens exactly those incidents, where
    the map draws it (`shown_as`: area, line, point, outside the frame, or none without
    coordinates), and the styles of the dominant types drawn (for the legend)."""
    from borderwatch.serve.charts import style_of
    from borderwatch.store.incidents import incident_counts_by_place

    geo = geo_data()
    period = {k: v for k, v in (("since", since), ("until", until)) if v}
    places = incident_counts_by_place(conn, since, until)
    for p in places:
        p["href"] = "/incidents?" + urlencode({"place": p["place_id"], **period})
        if p["place_id"] in geo.shapes:
            p["shown_as"] = geo.shapes[p["place_id"]]
        elif p["lat"] is None or p["lon"] is None:
            p["shown_as"] = "none"
        else:
            p["shown_as"] = "point" if in_view(p["lat"], p["lon"], geo.view) else "outside"
    _tell_apart(places)
    types = sorted({p["dominant_type"] for p in places if p.get("dominant_type")},
                   key=lambda t: style_of(t).label)
    styles = {t: {"label": style_of(t).label, "colour": style_of(t).colour} for t in types}
    return {"since": since, "until": until, "view": list(geo.view), "places": places,
            "styles": styles}
