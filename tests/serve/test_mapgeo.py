"""The map's shipped geography and libraries, and the map page and its JSON twins.

The geography (data/geo/region.geojson, built by tools/map_assets.py from Natural Earth 1:10m) is
checked against the project's own knowledge: every gazetteer place in the map's frame falls in
its country, every border feature (bridge, crossing, river reach) on the border line of its
countries, the river points cited in data/geo/border.geojson on the Yalu and Tumen drawn, and
the country and sea names on land and sea. Each tolerance and exception below is documented in
data/geo/README.md.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
import tomllib
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from borderwatch.datafiles import DataError, read_csv
from borderwatch.serve import mapview
from borderwatch.serve.app import create_app

from .webstore import build_store

ROOT = Path(__file__).resolve().parents[2]
PKG = Path(str(resources.files("borderwatch")))
GEO = PKG / "data" / "geo"
VENDOR = PKG / "serve" / "static" / "vendor"

NEAR_COAST_KM = 5  # a port, island or river-bank town the 1:10m outline leaves just outside
ON_BORDER_KM = 7  # a bridge, crossing or river point from the border line of its countries
ON_RIVER_KM = 12  # a cited river town or bridge from the river line drawn
# Places that fail the rule of their kind, each for a reason the README gives.
EXCEPTIONS = {
    # Natural Earth 1:10m ends China's strip along the lower Tumen ~13 km short of the tripoint
    "place:fangchuan": ("country", "CN", 15),
    # the Imjin crosses the Military Demarcation Line; its point is 9 km south, in South Korea
    "place:imjin-river": ("country", "KR", 0),
}
# The cited Yalu mouth is out in the estuary, past where the land border meets the coast.
RIVER_EXCEPTIONS = {(124.3, 39.85)}


@pytest.fixture(scope="module")
def region() -> dict:
    return json.loads((GEO / "region.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("mapgeo"))
    with TestClient(create_app(str(db), secret="test")) as c:
        yield c


# --- geometry helpers ------------------------------------------------------------------------

def in_ring(p, ring) -> bool:
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def in_multipolygon(p, polys) -> bool:
    return any(in_ring(p, poly[0]) and not any(in_ring(p, hole) for hole in poly[1:])
               for poly in polys)


def km_to_segment(p, a, b) -> float:
    k = math.cos(math.radians(p[1]))
    px, py, ax, ay, bx, by = p[0] * k, p[1], a[0] * k, a[1], b[0] * k, b[1]
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy) * 111.32


def km_to_lines(p, lines) -> float:
    return min(km_to_segment(p, a, b) for line in lines for a, b in zip(line, line[1:]))


def countries(region) -> dict[str, list]:
    return {f["properties"]["country"]: f["geometry"]["coordinates"]
            for f in region["features"] if f["properties"]["kind"] == "country"}


def border_lines(region) -> dict[str, list]:
    """'CN-KP' -> the lines of that border (river reaches included)."""
    out: dict[str, list] = {}
    for f in region["features"]:
        if f["properties"]["kind"] in ("border", "river"):
            g = f["geometry"]
            lines = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
            for pair in f["properties"]["borders"]:
                out.setdefault(pair, []).extend(lines)
    return out


def outline(polys) -> list:
    return [ring for poly in polys for ring in poly]


def view_places(region) -> list[dict]:
    w, s, e, n = region["view"]
    return [r for r in read_csv("places.csv") if r["lat"] and r["kind"] != "sea"
            and w <= float(r["lon"]) <= e and s <= float(r["lat"]) <= n]


# --- the shipped geography -------------------------------------------------------------------

def test_mapgeo_region_covers_the_view_with_the_four_countries(region):
    w, s, e, n = region["view"]
    bw, bs, be, bn = region["bbox"]
    assert bw < w and bs < s and be > e and bn > n  # a margin, so no cut edge shows
    c = countries(region)
    assert {"CN", "KP", "KR", "RU"} <= set(c)
    for code, (lon, lat) in {"CN": (123.4, 41.8), "KP": (126.0, 40.0), "KR": (127.5, 37.0),
                             "RU": (132.0, 44.0)}.items():
        assert in_multipolygon((lon, lat), c[code]), code
    pts = [p for polys in c.values() for ring in outline(polys) for p in ring]
    assert min(p[0] for p in pts) <= w and max(p[0] for p in pts) >= e
    assert min(p[1] for p in pts) <= s and max(p[1] for p in pts) >= n


def test_mapgeo_yalu_and_tumen_are_the_cn_kp_border_split_at_paektu(region):
    rivers = {f["properties"]["place_id"]: f for f in region["features"]
              if f["properties"]["kind"] == "river"}
    assert set(rivers) == {"place:yalu-river", "place:tumen-river"}
    yalu = rivers["place:yalu-river"]["geometry"]["coordinates"]
    tumen = rivers["place:tumen-river"]["geometry"]["coordinates"]
    assert len(yalu) > 50 and len(tumen) > 50  # real courses, not a few cited points
    paektu = next(f for f in region["features"] if f["properties"]["name"] == "Mount Paektu land border")
    land = paektu["geometry"]["coordinates"][0]
    assert yalu[-1] == land[0] and land[-1] == tumen[0]  # one unbroken border line
    assert yalu[0][0] < 124.5 and tumen[-1][0] > 130.5  # from the Yellow Sea to the East Sea
    assert km_to_lines((128.06, 42.01), [land]) < 3  # over Mount Paektu (gazetteer)


def test_mapgeo_cited_river_points_lie_on_the_rivers_drawn(region):
    """Every river town, bridge and crossing cited in border.geojson is within ON_RIVER_KM of
    the Natural Earth border line drawn as that river."""
    lines = border_lines(region)
    cited = json.loads((GEO / "border.geojson").read_text(encoding="utf-8"))
    checked = 0
    for f in cited["features"]:
        pair = "KP-RU" if "Russia" in f["properties"]["name"] else "CN-KP"
        assert len(f["properties"]["vertex_sources"]) == len(f["geometry"]["coordinates"])
        for p, src in zip(f["geometry"]["coordinates"], f["properties"]["vertex_sources"]):
            if tuple(p) in RIVER_EXCEPTIONS:
                continue
            assert km_to_lines(p, lines[pair]) <= ON_RIVER_KM, src
            checked += 1
    assert checked >= 25


def test_mapgeo_every_gazetteer_place_in_view_falls_in_its_country(region):
    """A place of one country lies inside it (or within NEAR_COAST_KM of its outline); a place
    of several (a bridge, a crossing, a border river) lies on the border line they share."""
    c, lines = countries(region), border_lines(region)
    checked = 0
    for r in view_places(region):
        p, codes = (float(r["lon"]), float(r["lat"])), r["country"].split("|")
        if r["id"] in EXCEPTIONS:
            _, code, km = EXCEPTIONS[r["id"]]
            assert in_multipolygon(p, c[code]) or km_to_lines(p, outline(c[code])) <= km, r["id"]
        elif len(codes) == 1:
            assert in_multipolygon(p, c[codes[0]]) or (
                km_to_lines(p, outline(c[codes[0]])) <= NEAR_COAST_KM), r["id"]
        else:
            pairs = ["-".join(sorted((a, b))) for i, a in enumerate(codes) for b in codes[i + 1:]]
            shared = [ln for pair in pairs for ln in lines.get(pair, [])]
            assert shared and km_to_lines(p, shared) <= ON_BORDER_KM, r["id"]
        checked += 1
    assert checked > 150


def test_mapgeo_seas_are_not_on_land_and_names_sit_where_they_name(region):
    c = countries(region)
    w, s, e, n = region["view"]
    seas = [r for r in read_csv("places.csv") if r["kind"] == "sea" and r["lat"]
            and w <= float(r["lon"]) <= e and s <= float(r["lat"]) <= n]
    assert len(seas) >= 3
    for r in seas:
        assert not any(in_multipolygon((float(r["lon"]), float(r["lat"])), polys)
                       for polys in c.values()), r["id"]
    codes = {"China": "CN", "North Korea": "KP", "South Korea": "KR", "Russia": "RU"}
    labels = json.loads((GEO / "labels.geojson").read_text(encoding="utf-8"))["features"]
    for f in labels:
        p, name = f["geometry"]["coordinates"], f["properties"]["name"]
        on_land = [k for k, polys in c.items() if in_multipolygon(p, polys)]
        assert on_land == ([codes[name]] if f["properties"]["kind"] == "country" else []), name


def test_mapgeo_provinces_are_areas_of_the_gazetteer_provinces(region):
    provinces = {f["properties"]["place_id"]: f for f in region["features"]
                 if f["properties"]["kind"] == "province" and f["properties"]["place_id"]}
    kp = {r["id"] for r in read_csv("places.csv") if r["kind"] == "province" and r["country"] == "KP"}
    assert kp <= set(provinces)  # all ten first-level units of North Korea
    assert {"place:liaoning", "place:jilin", "place:primorsky-krai", "place:gyeonggi"} <= set(provinces)
    w, s, e, n = region["view"]
    for pid, f in provinces.items():
        lon, lat = f["properties"]["label_at"]
        assert w <= lon <= e and s <= lat <= n, pid
        assert in_multipolygon((lon, lat), f["geometry"]["coordinates"]), pid


def test_mapgeo_loader_refuses_a_broken_file(monkeypatch):
    mapview.geo_data.cache_clear()
    real = mapview.read_text
    broken = json.loads(real("geo/region.geojson"))
    broken["features"][0]["geometry"]["coordinates"][0][0][0] = [200.0, 40.0]
    monkeypatch.setattr(mapview, "read_text",
                        lambda rel: json.dumps(broken) if rel == "geo/region.geojson" else real(rel))
    with pytest.raises(DataError, match="coordinates"):
        mapview.geo_data()
    mapview.geo_data.cache_clear()


# --- the vendored libraries and the package ---------------------------------------------------

def test_mapgeo_vendored_files_are_the_registry_copies():
    rows = re.findall(r"\| `([^`]+)` \| `([0-9a-f]{64})` \|", (VENDOR / "README.md").read_text())
    assert len(rows) >= 10
    for rel, digest in rows:
        assert hashlib.sha256((VENDOR / rel).read_bytes()).hexdigest() == digest, rel
    for lic in ("leaflet/LICENSE", "leaflet.markercluster/MIT-LICENCE.txt"):
        assert (VENDOR / lic).stat().st_size > 500


def test_mapgeo_package_data_ships_map_files():
    """pyproject's package-data patterns cover the templates, static files, vendored libraries
    and geography, so a wheel (not only an editable install) serves the map."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["borderwatch"]
    src = ROOT / "src" / "borderwatch"
    shipped = {p for pat in patterns for p in src.glob(pat) if p.is_file()}
    wanted = [src / "serve" / "templates" / "map.html", src / "serve" / "static" / "map.js",
              *(p for p in (src / "serve" / "static" / "vendor").rglob("*") if p.is_file()),
              *(src / "data" / "geo").iterdir()]
    missing = [str(p.relative_to(src)) for p in wanted if p not in shipped]
    assert not missing


# --- the page and the API --------------------------------------------------------------------

def test_mapgeo_api_geo_serves_the_geography_gzipped_and_cached(client):
    r = client.get("/api/geo")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    doc = r.json()
    kinds = {f["properties"]["kind"] for f in doc["features"]}
    assert {"country", "province", "border", "river", "label-country", "label-sea"} <= kinds
    assert len(doc["view"]) == 4
    raw = client.get("/api/geo", headers={"Accept-Encoding": "gzip"})
    assert raw.headers.get("content-encoding") == "gzip"
    assert len(gzip.compress(json.dumps(doc).encode())) < 200_000
    again = client.get("/api/geo", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("period", [{}, {"since": "2019", "until": "2024-12-31"}])
def test_mapgeo_every_place_link_opens_its_count_of_incidents(client, period):
    places = client.get("/api/places", params=period).json()["places"]
    assert places
    for p in places:
        q = {k: v[0] for k, v in parse_qs(urlsplit(p["href"]).query).items()}
        assert q == {"place": p["place_id"], **period}
        assert client.get("/api/incidents", params=q).json()["total"] == p["incidents"]


def test_mapgeo_places_say_how_the_map_shows_them(client):
    places = {p["place_id"]: p for p in client.get("/api/places").json()["places"]}
    assert places["place:sinuiju"]["shown_as"] == "point"
    assert places["place:hyesan"]["shown_as"] == "point"
    assert places["place:beijing"]["shown_as"] == "outside"
    assert places["place:yalu-river"]["shown_as"] == "line"
    assert places["place:north-hamgyong"]["shown_as"] == "area"
    labels = [p["label"] for p in places.values()]
    assert len(labels) == len(set(labels))  # 'Nampo (city)', 'Nampo (port)'


def test_mapgeo_page_table_numbers_are_links_and_script_is_static(client):
    html = client.get("/map?since=2019").text
    assert "<script>" not in html and "style=" not in html
    assert 'data-places="/api/places?since=2019"' in html
    rows = re.findall(r'<tr data-place="([^"]+)">.*?<a class="count" href="([^"]+)">(\d+)</a>', html)
    api = {p["place_id"]: p for p in client.get("/api/places?since=2019").json()["places"]}
    assert len(rows) == len(api)
    for pid, href, n in rows:
        assert href.replace("&amp;", "&") == api[pid]["href"] and int(n) == api[pid]["incidents"]
    assert 'id="map-outside"' in html and "Beijing" in html
