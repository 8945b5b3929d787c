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

from borderwatch.datafiles import DataError, read_text

REGION_KINDS = frozenset({"country", "province", "border", "river"})
LABEL_KINDS = frozenset({"country", "sea"})
GEOMETRIES = {"country": {"MultiPolygon"}, "province": {"MultiPolygon"},
              "border": {"MultiLineString"}, "river": {"LineString"},
              "sea": {"Point"}}


@dataclass(frozen=True)
class GeoData:
    """The merged FeatureCollection as JSON bytes (plain and gzipped), its ETag and its frame."""

    body: bytes
    gzipped: bytes
    etag: str
    view: tuple[float, float, float, float]  # west, south, east, north: what the map shows
    shapes: dict[str, str]  # place id -> "area" (a province) or "line" (a river)


def _lonlat_ok(pair: object) -> bool:
    return (isinstance(pair, list) and len(pair) == 2
            and all(isinstance(v, (int, float)) for v in pair)
            and -180 <= pair[0] <= 180 and -90 <= pair[1] <= 90)


def _points(coords: Any, depth: int) -> list[Any]:
    """The positions of a GeoJSON coordinate array nested `depth` levels."""
    if depth == 0:
        return [coords]
    if not isinstance(coords, list) or not coords:
        raise DataError("empty or malformed coordinates")
    return [p for c in coords for p in _points(c, depth - 1)]


_DEPTH = {"Point": 0, "LineString": 1, "MultiLineString": 2, "MultiPolygon": 3}


def _features(relpath: str, kinds: frozenset[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A FeatureCollection data file, each feature checked (kind, geometry, coordinates)."""
    try:
        doc = json.loads(read_text(relpath))
    except json.JSONDecodeError as exc:
        raise DataError(f"{relpath}: not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not doc.get("features"):
        raise DataError(f"{relpath}: expected a non-empty FeatureCollection")
    for i, feat in enumerate(doc["features"]):
        props, geom = feat.get("properties") or {}, feat.get("geometry") or {}
        kind = props.get("kind")
        where = f"{relpath} feature {i}"
        if kind not in kinds or not props.get("name"):
            raise DataError(f"{where}: needs a name and a kind in {sorted(kinds)}")
        allowed = {"Point"} if relpath.endswith("labels.geojson") else GEOMETRIES[kind]
        if geom.get("type") not in allowed:
            raise DataError(f"{where}: a {kind} must be a {' or '.join(sorted(allowed))}")
        try:
            pts = _points(geom.get("coordinates"), _DEPTH[geom["type"]])
        except DataError as exc:
            raise DataError(f"{where}: {exc}") from exc
        if not all(_lonlat_ok(p) for p in pts):
            raise DataError(f"{where}: coordinates must be [lon, lat] in range")
    return doc, doc["features"]


@cache
def geo_data() -> GeoData:
    """region.geojson and labels.geojson as one FeatureCollection, validated once per process."""
    region, features = _features("geo/region.geojson", REGION_KINDS)
    _, labels = _features("geo/labels.geojson", LABEL_KINDS)
    view = region.get("view")
    if not (isinstance(view, list) and len(view) == 4 and view[0] < view[2] and view[1] < view[3]):
        raise DataError("geo/region.geojson: 'view' must be [west, south, east, north]")
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
