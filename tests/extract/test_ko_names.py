"""Korean places, organisations and goods (extract/ko/places.py, names.py): particles, suffixes
and Hanja do not hide a name; common words are no places; the registry's facts come along."""

from __future__ import annotations

import pytest

from borderwatch.extract.ko.names import find_commodities_ko, find_countries_ko, find_orgs_ko
from borderwatch.extract.ko.places import find_places_ko
from borderwatch.extract.pipeline import extract
from tests.extract.factsbuild import doc, ko_doc


@pytest.mark.parametrize(("text", "name"), [
    ("신의주에서 물건을 샀다.", "Sinuiju"),
    ("혜산시의 시장이 붐빈다.", "Hyesan"),
    ("훈춘(琿春)시 세관을 거쳤다.", "Hunchun"),
    ("남포항에 배가 들어왔다.", "Nampo"),
    ("단둥 일대가 조용하다.", "Dandong"),
    ("무산군 주민들이 모였다.", "Musan"),
    ("신의주서 장사꾼이 잡혔다.", "Sinuiju"),  # a headline's 서 for 에서
    # Hanja alone, in the traditional characters Korean writes (the gazetteer has simplified)
    ("中 丹東서 北 무역상 체포", "Dandong"),
    ("北 新義州 세관 재개", "Sinuiju"),
    ("瀋陽에서 회의가 열렸다.", "Shenyang"),
    ("咸鏡北道 국경 경비 강화", "North Hamgyong"),
])
def test_ko_place_with_particle_suffix_or_hanja(text: str, name: str) -> None:
    assert [m.name for m in find_places_ko(doc(text))] == [name]


@pytest.mark.parametrize("text", ["지난 12일 잡혔다.", "계획이 무산됐다.", "지난주에 왔다.", "통화가 끊겼다."])
def test_ko_common_words_are_no_places(text: str) -> None:
    sheet = extract(ko_doc(text, published="2020-03-20"))
    assert [m.name for m in sheet.mentions if m.kind == "place"] == []


def test_ko_organisations_keep_registry_facts() -> None:
    found = find_orgs_ko(doc("국가보위성은 데일리NK에 알려진 대로 유엔 안보리 결의를 무시했다."))
    assert [(m.text, m.id, m.org_kind) for m in found] == [
        ("국가보위성", "org:kp-mss", "government"), ("데일리NK", "org:daily-nk", "media"),
        ("유엔 안보리", "org:unsc", "international")]


def test_ko_goods_keep_hs_and_sanctions() -> None:
    found = find_commodities_ko(doc("북한산석탄과 정제유, 쌀값이 올랐다. 홍콩에서 왔다."))
    assert [m.name for m in found] == ["coal", "refined petroleum", "rice"]
    coal = found[0]
    assert coal.hs and coal.un_sanctions is not None and coal.un_sanctions.export_ban


def test_ko_goods_need_a_trade_role_in_their_sentence() -> None:
    assert find_commodities_ko(doc("비가 와서 창고의 시멘트 벽에 금이 갔다.")) == []
    assert [m.name for m in find_commodities_ko(doc("시멘트를 중국에서 수입했다."))] == ["cement"]


def test_ko_countries_with_particles_short_forms_and_pairs() -> None:
    found = find_countries_ko(doc("中 세관이 북·중 국경을 닫았다. 중국에서 온 상인은 이란에서도 팔았다."))
    assert [(m.text, m.country) for m in found] == [
        ("중국", "CN"), ("이란", "IR"), ("中", "CN"), ("북", "KP"), ("중", "CN")]


def test_ko_country_names_that_are_word_parts() -> None:
    assert find_countries_ko(doc("탈북이란 말을 쓰며 물건을 인도하였다.")) == []


def test_ko_country_before_a_ministry_stays_a_country() -> None:
    d = doc("중국 상무부는 수입을 막았다.")
    [o] = find_orgs_ko(d)
    assert (o.text, o.name) == ("상무부", "Ministry of Commerce (China)")
    assert [m.country for m in find_countries_ko(d)] == ["CN"]


@pytest.mark.parametrize(("text", "found"), [
    ("혜산시 연봉동에서 단속이 있었다.", [("Hyesan", None), ("연봉동", "place:hyesan")]),
    ("회령시 활동가들이 모였다.", [("Hoeryong", None)]),  # 활동: a common noun, no district
    ("연봉동에서 단속이 있었다.", []),  # not nested in a known place: not a place
    # a county after its province, and a village after that county in turn
    ("양강도 학무군 신흥리에서 단속이 있었다.",
     [("Ryanggang", None), ("학무군", "place:ryanggang"), ("신흥리", "place:학무군")]),
    ("양강도 인민군 부대가 이동했다.", [("Ryanggang", None)]),  # the army, no county
    ("혜산시 학무군", [("Hyesan", None)]),  # a county is held by a province, not a city
    ("자강도 화평군 주민들", [("Chagang", None), ("Hwapyong", None)]),  # the gazetteer's own county
])
def test_ko_place_the_gazetteer_lacks_nested_in_a_known_one(text: str, found: list) -> None:
    assert [(m.name, m.parent) for m in find_places_ko(doc(text))] == found
