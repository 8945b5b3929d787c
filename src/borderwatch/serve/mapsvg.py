"""The offline map of the border region as a server-rendered SVG.

Geography is data: `data/geo/border.geojson` (Yalu, Paektu land section, Tumen, neighbouring
borders), `coast.geojson` (schematic coastline with the points that close each sea) and
`labels.geojson` (country and sea names), each vertex cited in `data/geo/README.md`. This module
only projects and draws: an equirectangular projection with x scaled by cos(mid-latitude), places
as circles whose area is proportional to their event count, coloured by their dominant event type,
each a link the caller builds. No tiles, no JavaScript, no network.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from borderwatch.datafiles import DataError, read_text
from borderwatch.model import EVENT_TYPES
from borderwatch.serve.charts import svg_open, esc, num, style_of

DEFAULT_BBOX = (121.0, 37.2, 131.5, 43.6)  # west, south, east, north (degrees)
KM_PER_DEG = 111.32
R_MIN, R_MAX = 4.0, 26.0
MAX_LABELS = 14
MAX_OUTSIDE = 8
LEGEND_W = 178
LINE_KINDS = frozenset({"river", "land_border", "coast"})
LABEL_KINDS = frozenset({"country", "sea"})
SCALE_STEPS = (10, 20, 25, 50, 100, 200, 250, 500)
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels
COLOURS = {"land": "#f4f1ea", "sea": "#d7e7f3", "coast": "#7fa6c4", "river": "#2b7bba",
           "border": "#5a5a5a"}


@dataclass(frozen=True)
class MapPoint:
    """A place to draw: where it is, how many events, which type dominates."""

    id: str
    name: str
    lat: float
    lon: float
    count: int
    dominant_type: str | None
    by_type: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GeoLine:
    """One LineString of a geo data file, as (lon, lat) pairs."""

    name: str
    kind: str
    coords: tuple[tuple[float, float], ...]
    sea_closure: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class GeoLabel:
    """A country or sea name placed at a point."""

    name: str
    kind: str
    lon: float
    lat: float


def _lonlat(pair: object, where: str) -> tuple[float, float]:
    """A validated [lon, lat] pair."""
    if (not isinstance(pair, list) or len(pair) != 2
            or not all(isinstance(v, (int, float)) for v in pair)):
        raise DataError(f"{where}: expected [lon, lat], got {pair!r}")
    lon, lat = float(pair[0]), float(pair[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DataError(f"{where}: coordinate out of range: {pair!r}")
    return lon, lat


def _features(relpath: str) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection data file (loud on any other shape)."""
    try:
        doc = json.loads(read_text(relpath))
    except json.JSONDecodeError as exc:
        raise DataError(f"{relpath}: not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not doc.get(
            "features"):
        raise DataError(f"{relpath}: expected a non-empty FeatureCollection")
    features: list[dict[str, Any]] = doc["features"]
    return features


@cache
def geo_lines(name: str) -> tuple[GeoLine, ...]:
    """The LineStrings of `data/geo/<name>.geojson`, validated once per process."""
    relpath = f"geo/{name}.geojson"
    out = []
    for i, feat in enumerate(_features(relpath)):
        where = f"{relpath} feature {i}"
        geom, props = feat.get("geometry") or {}, feat.get("properties") or {}
        if geom.get("type") != "LineString" or len(geom.get("coordinates") or []) < 2:
            raise DataError(f"{where}: expected a LineString of 2+ points")
        kind = props.get("kind")
        if kind not in LINE_KINDS or not props.get("name"):
            raise DataError(f"{where}: needs a name and kind in {sorted(LINE_KINDS)}")
        coords = tuple(_lonlat(p, where) for p in geom["coordinates"])
        sources = props.get("vertex_sources")
        if sources is not None and len(sources) != len(coords):
            raise DataError(f"{where}: vertex_sources must have one entry per vertex")
        closure = tuple(_lonlat(p, where) for p in props.get("sea_closure", []))
        out.append(GeoLine(props["name"], kind, coords, closure))
    return tuple(out)


@cache
def geo_labels() -> tuple[GeoLabel, ...]:
    """Country and sea names from `data/geo/labels.geojson`."""
    out = []
    for i, feat in enumerate(_features("geo/labels.geojson")):
        geom, props = feat.get("geometry") or {}, feat.get("properties") or {}
        where = f"geo/labels.geojson feature {i}"
        if geom.get("type") != "Point" or props.get("kind") not in LABEL_KINDS:
            raise DataError(f"{where}: expected a Point with kind in {sorted(LABEL_KINDS)}")
        lon, lat = _lonlat(geom.get("coordinates"), where)
        out.append(GeoLabel(str(props.get("name")), props["kind"], lon, lat))
    return tuple(out)


class Projection:
    """Equirectangular lon/lat → pixels, x scaled by cos(mid-latitude), bbox grown to fill."""

    def __init__(self, bbox: tuple[float, float, float, float], width: int, height: int):
        """Fit `bbox` (west, south, east, north) into the canvas, keeping shapes undistorted."""
        west, south, east, north = bbox
        if not (west < east and south < north):
            raise ValueError(f"bbox must be (west, south, east, north), got {bbox!r}")
        self.kx = math.cos(math.radians((south + north) / 2))
        span_x, span_y = (east - west) * self.kx, north - south
        self.scale = min(width / span_x, height / span_y)  # pixels per degree of latitude
        self.cx, self.cy = (west + east) / 2 * self.kx, (south + north) / 2
        self.width, self.height = width, height

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        """The pixel position of a point (north up, west left)."""
        x = self.width / 2 + (lon * self.kx - self.cx) * self.scale
        y = self.height / 2 - (lat - self.cy) * self.scale
        return x, y

    def inside(self, lon: float, lat: float, pad: float = 0) -> bool:
        """Whether a point falls on the canvas (with `pad` pixels kept clear of the edge)."""
        x, y = self.xy(lon, lat)
        return pad <= x <= self.width - pad and pad <= y <= self.height - pad

    def px_per_km(self) -> float:
        """Pixels per kilometre (at every latitude near the middle of the map)."""
        return self.scale / KM_PER_DEG


def _path(proj: Projection, coords: Sequence[tuple[float, float]], close: bool = False) -> str:
    """An SVG path through projected points."""
    pts = [proj.xy(lon, lat) for lon, lat in coords]
    d = "M" + " L".join(f"{num(x)},{num(y)}" for x, y in pts)
    return d + (" Z" if close else "")


def radius(count: int, max_count: int, r_max: float = R_MAX) -> float:
    """Circle radius with area proportional to count, never below R_MIN so 1 stays visible."""
    if count <= 0 or max_count <= 0:
        return R_MIN
    return max(R_MIN, r_max * math.sqrt(count / max_count))


def _geography(proj: Projection) -> list[str]:
    """Sea, coast, borders, rivers and the country and sea names."""
    coast = geo_lines("coast")
    border = geo_lines("border")
    out = ['<g class="geo" pointer-events="none" fill="none" stroke-linejoin="round" stroke-linecap="round">']
    for ln in coast:
        if ln.sea_closure:
            out.append(f'<path class="sea" d="{_path(proj, ln.coords + ln.sea_closure, True)}" '
                       f'fill="{COLOURS["sea"]}" stroke="none"/>')
    for ln in coast:
        out.append(f'<path class="coast" d="{_path(proj, ln.coords)}" '
                   f'stroke="{COLOURS["coast"]}" stroke-width="1"><title>{esc(ln.name)}</title>'
                   "</path>")
    for ln in border:
        if ln.kind == "land_border":
            out.append(f'<path class="land-border" d="{_path(proj, ln.coords)}" '
                       f'stroke="{COLOURS["border"]}" stroke-width="1.5" stroke-dasharray="6 4">'
                       f"<title>{esc(ln.name)}</title></path>")
    for ln in border:
        if ln.kind == "river":
            out.append(f'<path class="river" d="{_path(proj, ln.coords)}" '
                       f'stroke="{COLOURS["river"]}" stroke-width="2.2"><title>{esc(ln.name)}'
                       "</title></path>")
    for lab in geo_labels():
        x, y = proj.xy(lab.lon, lab.lat)
        half = len(lab.name) * (6.5 if lab.kind == "sea" else 12.5) / 2
        if not (half <= x <= proj.width - half and 20 <= y <= proj.height - 40):
            continue  # only names that fit whole on the canvas
        if lab.kind == "country":
            out.append(f'<text class="country" x="{num(x)}" y="{num(y)}" text-anchor="middle" '
                       'fill="#9a948a" font-size="17" letter-spacing="3" stroke="none">'
                       f"{esc(lab.name.upper())}</text>")
        else:
            out.append(f'<text class="sea-name" x="{num(x)}" y="{num(y)}" text-anchor="middle" '
                       'fill="#5b88ad" font-size="12" font-style="italic" stroke="none">'
                       f"{esc(lab.name)}</text>")
    out.append("</g>")
    return out


def _scale_bar(proj: Projection, x: float, y: float) -> str:
    """A bar of a round number of km, about an eighth of the map wide."""
    per_km = proj.px_per_km()
    km = max((s for s in SCALE_STEPS if s * per_km <= proj.width / 8), default=SCALE_STEPS[0])
    w = km * per_km
    return (f'<g class="scale-bar" stroke="#333" fill="#333"><path d="M{num(x)},{num(y - 5)} '
            f'V{num(y)} H{num(x + w)} V{num(y - 5)}" fill="none" stroke-width="1.5"/>'
            f'<text x="{num(x + w / 2)}" y="{num(y - 8)}" text-anchor="middle" stroke="none">'
            f"{km} km</text></g>")


def _tooltip(p: MapPoint) -> str:
    """'Sinuiju: 12 incidents' and the counts by type, largest first (the map counts incidents,
    and its link opens that many)."""
    parts = sorted(p.by_type.items(), key=lambda kv: (-kv[1], kv[0]))
    lines = [f"{p.name}: {p.count} incident{'s' if p.count != 1 else ''}"]
    lines += [f"{style_of(t).label} {n}" for t, n in parts if n]
    return "\n".join(lines)


def _overlaps(box: Box, taken: list[Box]) -> bool:
    """Whether a label box collides with one already placed."""
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in taken)


def _label_spots(x: float, y: float, r: float, w: float) -> list[tuple[Box, float, float, str]]:
    """Candidate places for a circle's name: right, left, above, below (box, x, y, anchor)."""
    h = 12
    return [((x + r + 3, y - h / 2, x + r + 3 + w, y + h / 2), x + r + 3, y + 4, "start"),
            ((x - r - 3 - w, y - h / 2, x - r - 3, y + h / 2), x - r - 3, y + 4, "end"),
            ((x - w / 2, y - r - 2 - h, x + w / 2, y - r - 2), x, y - r - 5, "middle"),
            ((x - w / 2, y + r + 2, x + w / 2, y + r + 2 + h), x, y + r + 12, "middle")]


def _labels(placed: list[tuple[MapPoint, float, float, float]], width: int, height: int,
            taken: list[Box]) -> list[str]:
    """Names beside the largest circles, skipping any that would overlap another or the legend."""
    out = ['<g class="place-labels" pointer-events="none" font-size="11" fill="#222" stroke="#fff" '
           'stroke-width="3" paint-order="stroke" stroke-linejoin="round">']
    for p, x, y, r in sorted(placed, key=lambda t: -t[0].count)[:MAX_LABELS]:
        if p.count <= 0:
            continue
        for box, tx, ty, anchor in _label_spots(x, y, r, 6.2 * len(p.name) + 2):
            if (0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height - 44
                    and not _overlaps(box, taken)):
                taken.append(box)
                out.append(f'<text x="{num(tx)}" y="{num(ty)}" text-anchor="{anchor}">'
                           f"{esc(p.name)}</text>")
                break
    out.append("</g>")
    return out


def _legend_height(types: list[str]) -> float:
    """Pixel height of the legend box for these types."""
    return 16 * (len(types) + 1) + 26


def _legend(types: list[str], max_count: int, x: float, y: float) -> str:
    """A box naming the dominant types drawn, and what circle size means."""
    parts = [f'<g class="map-legend" pointer-events="none" font-size="11" fill="#222"><rect x="{num(x)}" y="{num(y)}" '
             f'width="{LEGEND_W}" height="{_legend_height(types)}" fill="#fff" fill-opacity="0.85" '
             'stroke="#bbb"/>'
             f'<text x="{num(x + 8)}" y="{num(y + 15)}" font-weight="bold">'
             "Dominant event type</text>"]
    for i, t in enumerate(types):
        st, ty = style_of(t), y + 32 + 16 * i
        parts.append(f'<g class="legend-item"><circle cx="{num(x + 14)}" cy="{num(ty - 4)}" r="5" '
                     f'fill="{st.colour}"/><text x="{num(x + 26)}" y="{num(ty)}">'
                     f"{esc(st.label)}</text></g>")
    ty = y + 32 + 16 * len(types)
    parts.append(f'<text x="{num(x + 8)}" y="{num(ty)}" fill="#555">Circle area = events '
                 f"(largest {max_count})</text></g>")
    return "".join(parts)


def map_svg(points: Sequence[MapPoint], link: Callable[[str], str], width: int = 960,
            height: int = 640, bbox: tuple[float, float, float, float] | None = None) -> str:
    """The border region with each place as a linked circle sized and coloured by its events."""
    proj = Projection(bbox or DEFAULT_BBOX, width, height)
    inside = [p for p in points if proj.inside(p.lon, p.lat, pad=2)]
    outside = [p for p in points if not proj.inside(p.lon, p.lat, pad=2)]
    max_count = max((p.count for p in inside), default=0)
    r_max = R_MAX * min(width / 960, height / 640) ** 0.5
    out = [svg_open(width, height, "Map of events by place along the China–North Korea border"),
           f'<defs><clipPath id="bw-map-clip"><rect width="{width}" height="{height}"/>'
           '</clipPath></defs><g clip-path="url(#bw-map-clip)">',
           f'<rect class="land" width="{width}" height="{height}" fill="{COLOURS["land"]}"/>']
    out += _geography(proj)
    placed = []
    out.append('<g class="places" stroke="#fff" stroke-width="1">')
    for p in sorted(inside, key=lambda q: (-q.count, q.name)):
        x, y = proj.xy(p.lon, p.lat)
        r = radius(p.count, max_count, r_max)
        placed.append((p, x, y, r))
        colour = style_of(p.dominant_type).colour
        fill = f'fill="{colour}" fill-opacity="0.85"' if p.count > 0 else (
            f'fill="none" stroke="{colour}"')
        out.append(f'<a href="{esc(link(p.id))}"><circle class="place" data-id="{esc(p.id)}" '
                   f'cx="{num(x)}" cy="{num(y)}" r="{num(r)}" {fill}>'
                   f"<title>{esc(_tooltip(p))}</title></circle></a>")
    out.append("</g>")
    types = [t for t in EVENT_TYPES if any(p.dominant_type == t for p in inside)]
    types += sorted({p.dominant_type for p in inside if p.dominant_type} - set(EVENT_TYPES))
    taken: list[Box] = [(10, 10, 10 + LEGEND_W, 10 + _legend_height(types))] if types else []
    out += _labels(placed, width, height, taken)
    if types:
        out.append(_legend(types, max_count, 10, 10))
    out.append(_scale_bar(proj, width - 150, height - 34))
    note = ("Schematic: border and coast drawn through cited towns and points "
            "(see data/geo/README.md), not a survey.")
    out.append('<g class="notes" pointer-events="none" font-size="10" fill="#555" stroke="#fff" stroke-width="3" '
               'paint-order="stroke" stroke-linejoin="round">'
               f'<text class="note" x="8" y="{height - 8}">{esc(note)}</text>')
    if outside:
        ranked = sorted(outside, key=lambda q: (-q.count, q.name))
        names = ", ".join(f"{p.name} ({p.count})" for p in ranked[:MAX_OUTSIDE])
        more = len(ranked) - MAX_OUTSIDE
        names += f" and {more} more" if more > 0 else ""
        out.append(f'<text class="outside" x="8" y="{height - 22}" font-size="11" fill="#222">'
                   f"{esc('outside the map: ' + names)}</text>")
    out.append("</g>")
    out.append("</g></svg>")
    return "".join(out)
