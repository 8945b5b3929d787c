"""Korean sources (extract/ko/sources.py): unnamed sources with their modifiers, back-references
to one holder, outlets, officials, named persons, documents; the outlet a source spoke to."""

from __future__ import annotations

from borderwatch.extract.ko.names import find_orgs_ko
from borderwatch.extract.ko.places import find_places_ko
from borderwatch.extract.ko.sources import find_attributions_ko
from borderwatch.model import Attribution
from tests.extract.factsbuild import doc


def _sources(text: str, outlet: str | None = "Daily NK") -> list[Attribution]:
    d = doc(text, outlet=outlet)
    return find_attributions_ko(d, find_places_ko(d) + find_orgs_ko(d))


def test_ko_anonymous_source_with_modifiers_and_back_reference() -> None:
    found = _sources("양강도의 한 소식통은 단속이 심해졌다고 전했다. 이 소식통은 벌금도 올랐다고 말했다.")
    assert [(a.text, a.kind, a.holder) for a in found] == [
        ("양강도의 한 소식통", "anonymous", "양강도의 한 소식통"),
        ("이 소식통", "anonymous", "양강도의 한 소식통")]


def test_ko_bare_source_in_a_lead_points_forward() -> None:
    found = _sources("쌀값이 내렸다고 소식통은 전했다. 함경북도 소식통은 시장이 한산하다고 말했다.")
    assert {a.holder for a in found} == {"함경북도 소식통"}


def test_ko_outlet_told_is_the_attribution_outlet() -> None:
    [a] = _sources("중국의 대북 소식통은 RFA에 말했다. 자유아시아방송에 이렇게 밝혔다.", outlet=None)
    assert a.text == "중국의 대북 소식통" and a.outlet is None
    [b] = _sources("평안북도 소식통은 데일리NK에 전했다.", outlet="Radio Free Asia")
    assert b.outlet == "Daily NK"


def test_ko_state_media_and_outlet_sources() -> None:
    found = _sources("노동신문은 방역을 강화하라고 보도했다. 미국의소리(VOA)에 따르면 배가 머물렀다.")
    assert [(a.text, a.kind) for a in found] == [("노동신문", "state_media"), ("미국의소리(VOA)", "media_outlet")]


def test_ko_outlet_as_object_is_no_source() -> None:
    assert [a.kind for a in _sources("그는 데일리NK에 이같이 전했다.")] == []


def test_ko_official_named_person_document_and_withheld_name() -> None:
    text = ("중국 상무부는 수입 금지를 발표했다. 김철수 통일부 대변인은 우려를 표명했다고 말했다. "
            "연례보고서에 따르면 석탄이 수출됐다. 중국동포 박모씨는 값이 올랐다고 전했다.")
    kinds = [(a.text, a.kind) for a in _sources(text)]
    assert kinds == [("중국 상무부", "official"), ("김철수 통일부 대변인", "named_person"),
                     ("연례보고서", "document"), ("중국동포 박모씨", "anonymous")]


def test_ko_residents_inside_a_source_clause_are_no_source() -> None:
    found = _sources("주민들이 장마당에서 쌀을 샀다고 함경북도 소식통이 전했다.")
    assert [a.text for a in found] == ["함경북도 소식통"]


def test_ko_outlet_citing_a_source_is_a_source() -> None:
    found = _sources("미국의소리 방송은 중국 소식통을 인용해 배가 떠났다고 보도했다.", outlet="YTN")
    assert [(a.text, a.kind) for a in found] == [("미국의소리 방송", "media_outlet"), ("중국 소식통", "anonymous")]


def test_ko_report_own_outlet_is_no_source() -> None:
    assert _sources("데일리NK는 이 사실을 확인했다고 밝혔다.", outlet="Daily NK") == []


def test_ko_speaker_of_a_state_body_is_official() -> None:
    [a] = _sources("한편 통일부 관계자는 동향을 주시하고 있다고 밝혔다.")
    assert (a.text, a.kind) == ("통일부 관계자", "official")


def test_ko_country_qualified_ministry_is_an_official_source() -> None:
    [a] = _sources("중국 외교부는 결의를 이행하고 있다고 주장했다.")
    assert (a.text, a.kind, a.holder) == ("중국 외교부", "official", "Ministry of Foreign Affairs (China)")


def test_ko_pointing_speaker_is_the_speaker_before() -> None:
    found = _sources("현지 소식통이 그렇게 전했다. 단둥의 한 무역업자는 값이 올랐다고 말했다. "
                     "이 무역업자는 물건이 없다고 덧붙였다.")
    assert [a.holder for a in found] == ["현지 소식통", "단둥의 한 무역업자", "단둥의 한 무역업자"]


def test_ko_government_official_speaker() -> None:
    [a] = _sources("정부 당국자는 상황을 지켜보고 있다고 말했다.")
    assert (a.text, a.kind) == ("정부 당국자", "official")


def test_ko_speaker_before_according_to() -> None:
    [a] = _sources("현지 주민들에 따르면 단속이 심해졌다.")
    assert (a.text, a.kind) == ("현지 주민들", "anonymous")
