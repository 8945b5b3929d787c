"""Places: gazetteer variants, rivers named twice, nesting, suffix places, shared names, data checks."""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.datafiles import DataError
from borderwatch.extract.mentions import find_mentions
from borderwatch.extract.places import build_places, place_data
from borderwatch.model import Mention, Report


def places(text: str) -> list[Mention]:
    """Place mentions of an invented sentence, after overlaps are settled."""
    doc = make_document(Report(source="t", body=text, format="text"))
    found = find_mentions(doc)
    for m in found:
        assert doc.text[m.start:m.end] == m.text
    return [m for m in found if m.kind == "place"]


def one(text: str, surface: str) -> Mention:
    """The single place mention whose text is `surface`."""
    hits = [m for m in places(text) if m.text == surface]
    assert len(hits) == 1, (surface, places(text))
    return hits[0]


@pytest.mark.parametrize("text,surface,pid,kind,country", [
    ("Goods piled up in Sinuiju last week.", "Sinuiju", "place:sinuiju", "city", "KP"),
    ("Goods piled up in Shinuiju last week.", "Shinuiju", "place:sinuiju", "city", "KP"),
    ("Arrests rose in Ryanggang Province.", "Ryanggang Province", "place:ryanggang", "province", "KP"),
    ("Arrests rose in Yanggang Province.", "Yanggang Province", "place:ryanggang", "province", "KP"),
    ("Arrests rose in Yangkang Province.", "Yangkang Province", "place:ryanggang", "province", "KP"),
    ("Troops moved into Jagang.", "Jagang", "place:chagang", "province", "KP"),
    ("Troops moved into Chagang.", "Chagang", "place:chagang", "province", "KP"),
    ("Ships left Rajin-Sonbong.", "Rajin-Sonbong", "place:rason", "province", "KP"),
    ("Ships left Rason.", "Rason", "place:rason", "province", "KP"),
    ("Farmers in Bocheon complained.", "Bocheon", "place:pochon", "county", "KP"),
    ("Farmers in Hoeryeong complained.", "Hoeryeong", "place:hoeryong", "city", "KP"),
    ("Crowds filled Pyongyang.", "Pyongyang", "place:pyongyang", "city", "KP"),
    ("Crowds filled 평양 yesterday.", "평양", "place:pyongyang", "city", "KP"),
    ("Traders in 丹东 agreed.", "丹东", "place:dandong", "city", "CN"),
    ("Rain fell on North Hamgyong Province.", "North Hamgyong Province", "place:north-hamgyong", "province", "KP"),
    ("Families in the Hamgyong region moved.", "Hamgyong", "place:hamgyong", "region", "KP"),
    ("He lives in Yanbian Korean Autonomous Prefecture now.", "Yanbian Korean Autonomous Prefecture", "place:yanbian", "prefecture", "CN"),
    ("Trucks crossed the Friendship Bridge at dawn.", "Friendship Bridge", "place:sino-korean-friendship-bridge", "bridge", None),
    ("Workers reached Hwanggumpyong Island.", "Hwanggumpyong Island", "place:hwanggumpyong", "island", "KP"),
    ("Cargo passed Hunchun Quanhe Port.", "Quanhe Port", "place:quanhe-wonjong-bridge", "bridge", None),
    ("Boats gathered in the Yalu River Estuary near Donggang.", "Donggang", "place:donggang", "city", "CN"),
    ("Beijing is worried about the border.", "Beijing", "place:beijing", "city", "CN"),
    ("Pyongyang ordered a new campaign.", "Pyongyang", "place:pyongyang", "city", "KP"),
    ("Defectors travel via Vientiane and Bangkok.", "Vientiane", "place:vientiane", "city", "LA"),
    ("The envoy flew to Ulaanbaatar.", "Ulaanbaatar", "place:ulaanbaatar", "city", "MN"),
    ("The envoy flew to Vladivostok.", "Vladivostok", "place:vladivostok", "city", "RU"),
    ("Fishing boats crossed the Yellow Sea.", "Yellow Sea", "place:yellow-sea", "sea", None),
    ("Fishing boats entered the East Sea.", "East Sea", "place:east-sea", "sea", None),
    ("Sales rose in Hong Kong.", "Hong Kong", "place:hong-kong", "region", "HK"),
    ("Gangwon Province hosted the talks.", "Gangwon Province", "place:gangwon", "province", "KR"),
    ("Kangwon Province held a drill.", "Kangwon Province", "place:kangwon", "province", "KP"),
    ("Trade via Dandong's Port is growing.", "Dandong", "place:dandong", "city", "CN"),
])
def test_places_gazetteer_forms(text: str, surface: str, pid: str, kind: str, country: str | None) -> None:
    m = one(text, surface)
    assert (m.id, m.place_kind, m.country) == (pid, kind, country)


@pytest.mark.parametrize("text,expected", [
    ("They crossed the Yalu (Amnok) River at night.", ["Yalu", "Amnok"]),
    ("They crossed the Tumen (Tuman) River at night.", ["Tumen", "Tuman"]),
    ("They swam across the Amrok River.", ["Amrok River"]),
])
def test_places_rivers_named_twice_are_one_river(text: str, expected: list[str]) -> None:
    found = places(text)
    assert [m.text for m in found] == expected
    assert len({m.id for m in found}) == 1 and found[0].place_kind == "river"


@pytest.mark.parametrize("text,inner,outer", [
    ("A resident of Hyesan, Ryanggang Province said so.", "Hyesan", "place:ryanggang"),
    ("Traders in Dandong, Liaoning Province said so.", "Dandong", "place:liaoning"),
    ("He lives in Longjing in Yanbian Korean Autonomous Prefecture.", "Longjing", "place:yanbian"),
    ("A resident of North Pyongan Province's Ryongchon County said so.", "Ryongchon County", "place:north-pyongan"),
    ("A farmer from Sangjang-ri in Musan County was caught.", "Sangjang-ri", "place:musan"),
    ("Trucks queued at Hunchun Quanhe Port.", "Quanhe Port", "place:hunchun"),
])
def test_places_nested_get_parent(text: str, inner: str, outer: str) -> None:
    assert one(text, inner).parent == outer


@pytest.mark.parametrize("text", [
    "Arrests in Sinuiju, Musan County and Hyesan rose.",  # a list, not a nesting
    "Traders in Dandong, Ryanggang Province was mentioned.",  # the gazetteer says otherwise
])
def test_places_lists_do_not_nest(text: str) -> None:
    assert all(m.parent is None for m in places(text))


@pytest.mark.parametrize("text,surface,kind,country,parent", [
    ("Police searched Hwajeon-ri, a North Korean official said.", "Hwajeon-ri", "village", "KP", None),
    ("Police searched Wiyon-dong in North Korea.", "Wiyon-dong", "district", "KP", None),
    ("A farmer from Sangjang-ri in Musan County was caught.", "Sangjang-ri", "village", "KP", "place:musan"),
    ("Officials met in Samsong County last week.", "Samsong County", "county", None, None),
    ("Offices opened in Songpa-gu in Seoul.", "Songpa-gu", "district", "KR", "place:seoul"),
    ("Offices opened in Songpa-gu, South Korea.", "Songpa-gu", "district", "KR", None),
    ("A fire broke out in Hwajeon-ri.", "Hwajeon-ri", "village", None, None),
])
def test_places_suffix(text: str, surface: str, kind: str, country: str | None, parent: str | None) -> None:
    m = one(text, surface)
    assert (m.place_kind, m.country, m.parent, m.rule) == (kind, country, parent, "place.suffix")
    assert m.lat is None and m.lon is None and m.id == "place:" + surface.lower().replace(" ", "-")


@pytest.mark.parametrize("text", [
    "Officials in every county met.",
    "The province sent inspectors.",
    "Three County officials came.",
    "Every County must comply.",
    "Kim Yong-dong attended the meeting.",  # a person's given name, not a district
])
def test_places_suffix_needs_a_name(text: str) -> None:
    assert places(text) == []


@pytest.mark.parametrize("text,surface,pid,kind", [
    ("Factories reopened in Liaoning and Jilin provinces.", "Jilin", "place:jilin", "province"),
    ("Factories reopened in Jilin and Liaoning provinces.", "Jilin", "place:jilin", "province"),
    ("Factories reopened in Jilin Province.", "Jilin Province", "place:jilin", "province"),
    ("Factories reopened in Jilin city.", "Jilin", "place:jilin-city", "city"),
    ("Factories reopened in Jilin City.", "Jilin City", "place:jilin-city", "city"),
    ("Factories reopened in Jilin.", "Jilin", "place:jilin", "province"),
    ("Smuggling along the Tumen has dropped.", "Tumen", "place:tumen-river", "river"),
    ("They crossed the Tumen River.", "Tumen River", "place:tumen-river", "river"),
    ("A trader in Tumen city agreed.", "Tumen", "place:tumen", "city"),
    ("A trader in Tumen, Jilin agreed.", "Tumen", "place:tumen", "city"),
    ("A trader in Tumen agreed.", "Tumen", "place:tumen", "city"),
    ("Goods arrive through the port of Nampo.", "Nampo", "place:nampo-port", "port"),
    ("Goods arrive through Nampo port.", "Nampo", "place:nampo-port", "port"),
    ("Goods arrive through Nampo Port.", "Nampo Port", "place:nampo-port", "port"),
    ("A resident of Nampo said so.", "Nampo", "place:nampo", "city"),
    ("Ships left the Chinese ports of Shanghai or Dalian.", "Shanghai", "place:shanghai-port", "port"),
    ("Ships left the Chinese ports of Shanghai or Dalian.", "Dalian", "place:dalian-port", "port"),
    ("Prices rose in Dalian.", "Dalian", "place:dalian", "city"),
])
def test_places_shared_names_read_from_context(text: str, surface: str, pid: str, kind: str) -> None:
    m = one(text, surface)
    assert (m.id, m.place_kind) == (pid, kind)


def test_places_seed_style_list_gives_both_provinces() -> None:
    found = places("Factories reopened in Liaoning and Jilin provinces.")
    assert [(m.name, m.place_kind) for m in found] == [("Liaoning", "province"), ("Jilin", "province")]


@pytest.mark.parametrize("text", [
    "Chinese traders bought it.",
    "North Korean authorities denied it.",
    "South Korean officials visited.",
])
def test_places_adjectives_are_not_places(text: str) -> None:
    assert places(text) == []


def test_places_longest_match_wins() -> None:
    found = places("Rain fell on North Hamgyong Province.")
    assert [m.text for m in found] == ["North Hamgyong Province"]


ROW = {"id": "place:a", "name": "Aville", "aliases": "Ax", "country": "KP", "kind": "city",
       "admin1": "", "lat": "1", "lon": "2", "ambiguous_with": ""}
CUES = {"kind_cues": {"city": {"after": ["city"], "before": ["city of"]}},
        "list_separators": [","], "list_joiners": ["and"], "articles": ["the"]}


@pytest.mark.parametrize("rows", [
    [dict(ROW, kind="town")],  # unknown kind
    [ROW, dict(ROW, id="place:b", name="Bville")],  # alias Ax names two places
    [ROW, dict(ROW, name="B")],  # duplicate id
    [dict(ROW, country="Korea")],  # not an ISO code
    [dict(ROW, lat="north")],  # bad coordinate
    [dict(ROW, ambiguous_with="place:nowhere")],  # unknown place
])
def test_places_bad_data_raises(rows: list[dict[str, str]]) -> None:
    with pytest.raises(DataError):
        build_places(rows, CUES)


def test_places_marked_ambiguity_is_allowed() -> None:
    data = build_places([ROW, dict(ROW, id="place:b", name="Bville", kind="river",
                                    ambiguous_with="place:a")], CUES)
    assert data.table.get("Ax") == ("place:a", "place:b")


def test_places_package_data_loads() -> None:
    data = place_data()
    assert len(data.places) > 200
    assert data.places["place:sinuiju"].lat == pytest.approx(40.1)
