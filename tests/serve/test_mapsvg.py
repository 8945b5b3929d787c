"""The offline map: projection, circles, links, and the cited geographic data files."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from borderwatch.datafiles import DataError, read_csv
from borderwatch.serve import mapsvg
from borderwatch.serve.mapsvg import (
    DEFAULT_BBOX, MapPoint, Projection, geo_labels, geo_lines, map_svg, radius,
)

NS = {"s": "http://www.w3.org/2000/svg"}
GEO = resources.files("borderwatch") / "data" / "geo"


@pytest.fixture(scope="module")
def places() -> dict[str, tuple[float, float]]:
    """Place id -> (lat, lon) from the package gazetteer."""
    return {r["id"]: (float(r["lat"]), float(r["lon"])) for r in read_csv("places.csv")}


def point(pid: str, places, count: int, dominant: str | None = "health", name=None) -> MapPoint:
    lat, lon = places[pid]
    return MapPoint(pid, name or pid.split(":")[1].title(), lat, lon, count, dominant,
                    {dominant: count} if dominant else {})


def circles(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {c.get("data-id"): c for c in root.findall(".//s:circle[@class='place']", NS)}


def plink(pid: str) -> str:
    return f"/events?place={pid}"


# --- projection -------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [((124.0, 40.0), (125.0, 40.0)), ((121.5, 43.0), (131.0, 43.0)),
                                  ((126.0, 38.0), (126.0001, 38.0))])
def test_projection_east_is_right(a, b):
    proj = Projection(DEFAULT_BBOX, 960, 640)
    assert proj.xy(*a)[0] < proj.xy(*b)[0]


@pytest.mark.parametrize("lon, lat_s, lat_n", [(124.0, 38.0, 39.0), (130.0, 42.0, 43.5)])
def test_projection_north_is_up(lon, lat_s, lat_n):
    proj = Projection(DEFAULT_BBOX, 960, 640)
    assert proj.xy(lon, lat_n)[1] < proj.xy(lon, lat_s)[1]


def test_projection_is_undistorted_at_mid_latitude():
    proj = Projection(DEFAULT_BBOX, 960, 640)
    x0, y0 = proj.xy(126.0, 40.4)
    x1, _ = proj.xy(127.0, 40.4)
    _, y1 = proj.xy(126.0, 41.4)
    assert (x1 - x0) / (y0 - y1) == pytest.approx(0.7604, abs=0.002)  # cos(40.4°)
    assert proj.px_per_km() * 111.32 == pytest.approx(y0 - y1)


def test_projection_rejects_inverted_bbox():
    with pytest.raises(ValueError):
        Projection((131.0, 37.0, 121.0, 43.0), 960, 640)


def test_known_places_land_inside_in_the_right_order(places):
    proj = Projection(DEFAULT_BBOX, 960, 640)
    xy = {p: proj.xy(places[p][1], places[p][0]) for p in (
        "place:dandong", "place:sinuiju", "place:hyesan", "place:hoeryong", "place:pyongyang",
        "place:nampo", "place:rajin", "place:namyang")}
    assert all(0 < x < 960 and 0 < y < 640 for x, y in xy.values())
    assert xy["place:dandong"][0] < xy["place:hyesan"][0] < xy["place:hoeryong"][0]
    assert xy["place:hoeryong"][1] < xy["place:pyongyang"][1]
    assert xy["place:nampo"][0] < xy["place:pyongyang"][0]  # Pyongyang is inland of its port
    dx = xy["place:dandong"][0] - xy["place:sinuiju"][0]
    dy = xy["place:dandong"][1] - xy["place:sinuiju"][1]
    assert (dx * dx + dy * dy) ** 0.5 < 10  # across the river from each other


# --- circles ----------------------------------------------------------------------------------

def test_radius_area_proportional_with_a_visible_minimum():
    assert radius(100, 100) == pytest.approx(2 * radius(25, 100))
    assert radius(1, 1000) == mapsvg.R_MIN
    assert radius(0, 10) == mapsvg.R_MIN
    assert radius(10, 100) < radius(50, 100) < radius(100, 100)


def test_map_circles_links_and_sizes(places):
    pts = [point("place:sinuiju", places, 40), point("place:hyesan", places, 10, "smuggling"),
           point("place:hoeryong", places, 1, None)]
    svg = map_svg(pts, plink)
    got = circles(svg)
    assert set(got) == {"place:sinuiju", "place:hyesan", "place:hoeryong"}
    r = {k: float(c.get("r")) for k, c in got.items()}
    assert r["place:sinuiju"] > r["place:hyesan"] > r["place:hoeryong"] >= mapsvg.R_MIN
    root = ET.fromstring(svg)
    links = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert {plink(p.id) for p in pts} <= set(links)
    assert got["place:hyesan"].get("fill") == "#EE7733"  # smuggling's colour
    assert got["place:hoeryong"].get("fill") == "#999999"  # no dominant type: neutral
    assert got["place:sinuiju"].find("s:title", NS).text == "Sinuiju: 40 incidents\nHealth 40"
    legend = [t.text for t in root.findall(".//s:g[@class='legend-item']/s:text", NS)]
    assert legend == ["Smuggling", "Health"]


def test_map_x_order_matches_longitude(places):
    pts = [point(p, places, 5) for p in ("place:dandong", "place:manpo", "place:hyesan",
                                         "place:musan", "place:tumen")]
    got = circles(map_svg(pts, plink))
    xs = [float(got[p.id].get("cx")) for p in pts]
    assert xs == sorted(xs)


def test_points_outside_the_map_are_listed_not_drawn(places):
    pts = [point("place:sinuiju", places, 3), point("place:shanghai", places, 4, "trade")]
    svg = map_svg(pts, plink)
    assert set(circles(svg)) == {"place:sinuiju"}
    root = ET.fromstring(svg)
    note = root.find(".//s:text[@class='outside']", NS)
    assert note is not None and "Shanghai (4)" in note.text


def test_custom_bbox_moves_points_out(places):
    pts = [point("place:sinuiju", places, 3), point("place:hoeryong", places, 2)]
    svg = map_svg(pts, plink, width=480, height=320, bbox=(123.5, 39.5, 125.5, 41.0))
    assert set(circles(svg)) == {"place:sinuiju"}
    assert "Hoeryong (2)" in svg


def test_map_escapes_names_and_links():
    bad = MapPoint("place:x", "<script>alert(1)</script>", 40.0, 125.0, 2, "<img onerror=x>",
                   {"<img onerror=x>": 2})
    svg = map_svg([bad], lambda pid: f'/e?p={pid}&q="1"')
    assert "<script>" not in svg and "<img" not in svg
    root = ET.fromstring(svg)
    assert '/e?p=place:x&q="1"' in [a.get("href") for a in root.iter(
        "{http://www.w3.org/2000/svg}a")]


def test_map_draws_geography_and_furniture():
    svg = map_svg([], plink)
    root = ET.fromstring(svg)
    assert len(root.findall(".//s:path[@class='river']", NS)) >= 2
    assert root.findall(".//s:path[@class='land-border']", NS)
    assert root.findall(".//s:path[@class='sea']", NS)
    countries = {t.text for t in root.findall(".//s:text[@class='country']", NS)}
    assert {"CHINA", "NORTH KOREA", "RUSSIA"} <= countries
    assert re.search(r">\d+ km<", svg)


# --- geo data files ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["border", "coast"])
def test_geo_files_are_linestring_geojson(name):
    doc = json.loads((GEO / f"{name}.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["features"]
    for f in doc["features"]:
        assert f["geometry"]["type"] == "LineString"
        assert f["properties"]["name"] and f["properties"]["kind"] in mapsvg.LINE_KINDS
        assert len(f["properties"]["vertex_sources"]) == len(f["geometry"]["coordinates"])
        for lon, lat in f["geometry"]["coordinates"]:
            assert 110 < lon < 140 and 30 < lat < 50


def test_border_runs_from_yalu_mouth_to_tumen_mouth():
    lines = {ln.name: ln for ln in geo_lines("border")}
    yalu, tumen = lines["Yalu (Amnok) River"], lines["Tumen (Tuman) River"]
    tumen_ru = lines["Tumen (Tuman) River, DPRK-Russia reach"]
    paektu = lines["Mount Paektu land border"]
    assert yalu.kind == tumen.kind == "river" and paektu.kind == "land_border"
    assert yalu.coords[0] == (124.30, 39.85)
    assert yalu.coords[-1] == paektu.coords[0] and paektu.coords[-1] == tumen.coords[0]
    assert tumen.coords[-1] == tumen_ru.coords[0] and tumen_ru.coords[-1] == (130.70, 42.29)
    assert (128.06, 42.01) in paektu.coords  # over the summit


def test_gazetteer_cited_vertices_match_the_gazetteer(places):
    checked = 0
    for name in ("border", "coast"):
        doc = json.loads((GEO / f"{name}.geojson").read_text(encoding="utf-8"))
        for f in doc["features"]:
            for (lon, lat), src in zip(f["geometry"]["coordinates"],
                                       f["properties"]["vertex_sources"]):
                m = re.match(r"gazetteer (place:[\w-]+)", src)
                assert m or src.startswith(("NE110m", "estimate")), src
                if m and "notes:" not in src:
                    assert places[m.group(1)] == pytest.approx((lat, lon)), src
                    checked += 1
    assert checked >= 20


def test_geo_readme_lists_every_line_and_says_schematic():
    readme = (GEO / "README.md").read_text(encoding="utf-8")
    assert "schematic" in readme.lower() and "not a survey" in readme.lower()
    for ln in geo_lines("border") + geo_lines("coast"):
        assert ln.name in readme


def test_geo_labels_load():
    kinds = {lab.kind for lab in geo_labels()}
    assert kinds == {"country", "sea"}


@pytest.mark.parametrize("text", [
    '{"type": "Feature"}',
    'not json',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "a",'
    ' "kind": "river"}, "geometry": {"type": "Point", "coordinates": [125, 40]}}]}',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "a",'
    ' "kind": "river"}, "geometry": {"type": "LineString", "coordinates": [[125, 40], [125, 95]]}}]}',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "a",'
    ' "kind": "canal"}, "geometry": {"type": "LineString", "coordinates": [[125, 40], [126, 41]]}}]}',
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "a",'
    ' "kind": "river", "vertex_sources": ["x"]}, "geometry": {"type": "LineString",'
    ' "coordinates": [[125, 40], [126, 41]]}}]}',
])
def test_geo_lines_reject_bad_files(monkeypatch, text):
    monkeypatch.setattr(mapsvg, "read_text", lambda relpath: text)
    with pytest.raises(DataError):
        geo_lines.__wrapped__("bad")


def test_outside_note_is_truncated():
    far = [MapPoint(f"place:far{i}", f"Far{i}", 10.0, 100.0 + i, i + 1, "trade", {}) for i in
           range(mapsvg.MAX_OUTSIDE + 3)]
    svg = map_svg(far, plink)
    assert "and 3 more" in svg and not circles(svg)
