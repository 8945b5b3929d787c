"""Korean events (extract/ko/events.py): triggers inside words, one event per type and sentence,
exclusions, negation read in the clause after the trigger, hedging in the sentence, broken data."""

from __future__ import annotations

import pytest

from borderwatch.datafiles import DataError
from borderwatch.extract.ko.events import compile_ko_event_type, find_events_ko
from borderwatch.model import Event
from tests.extract.factsbuild import doc


def _events(text: str) -> list[Event]:
    return find_events_ko(doc(text, published="2021-04-02"), [], [], [], [])


@pytest.mark.parametrize(("text", "etype"), [
    ("국경에서 잣을 밀수하다 걸렸다.", "smuggling"),
    ("보위부가 주민 세 명을 체포했다.", "enforcement"),
    ("장사꾼에게 벌금 5천 위안을 물렸다.", "enforcement"),
    ("탈북민 수십 명이 강제북송됐다.", "repatriation"),
    ("가족에게 돈을 보내려면 브로커를 통해야 한다.", "remittance"),
    ("장마당 쌀 가격이 크게 올랐다.", "price"),
    ("당국은 국경 봉쇄를 이어가고 있다.", "border_tightening"),
    ("세관 검사 절차가 간소화됐다.", "border_easing"),
    ("단둥을 오가는 화물차가 입항 절차를 밟았다.", "trade"),
    ("올해 중국산 비료 수입이 늘어났다.", "trade"),  # imports, not income
    ("화물선이 남포항에서 석탄 선적을 마쳤다.", "trade"),  # 선적 as loading
    ("간부들은 뇌물을 받고 눈을 감았다.", "corruption"),
    ("코로나 확진자가 나왔다.", "health"),
    ("안보리 대북제재가 강화됐다.", "sanctions"),
    ("무역회사를 새로 설립했다.", "company"),
    ("평양에서 대규모 열병식이 열렸다.", "military"),
    ("중국 대표단이 평양을 방문했다.", "diplomacy"),
    ("탈북민 5명이 지난달 한국에 입국했다.", "defection"),
])
def test_ko_event_types(text: str, etype: str) -> None:
    assert etype in {e.type for e in _events(text)}


def test_ko_one_event_per_type_and_sentence() -> None:
    found = _events("단속이 심해 체포와 처벌이 잇따랐다. 다른 마을에서도 단속이 있었다.")
    assert [(e.type, e.sentence_index) for e in found] == [("enforcement", 0), ("enforcement", 1)]


def test_ko_exclusion_blocks_its_trigger() -> None:
    assert "smuggling" not in {e.type for e in _events("밀수 단속이 시작됐다.")}


@pytest.mark.parametrize(("text", "negated"), [
    ("이번 달에는 단속하지 않았다.", True),
    ("세관은 물건을 통관시키지 못했다.", True),
    ("적발된 사례는 없다고 한다.", True),
    ("체포된 사람은 없었다.", True),
    ("주민들이 체포됐다.", False),
    ("화물 통관이 아직 재개되지 않았다.", True),
])
def test_ko_negation_in_the_clause(text: str, negated: bool) -> None:
    found = [e for e in _events(text) if e.type in ("enforcement", "trade", "border_easing")]
    assert found and found[0].negated is negated


@pytest.mark.parametrize(("text", "etype"), [
    ("브로커들은 송금 의뢰를 아예 받지 않고 있다.", "remittance"),
    ("장사꾼들은 밀수를 전혀 하지 못했다.", "smuggling"),
])
def test_ko_a_trigger_that_is_the_object_of_a_negated_verb_is_negated(text: str, etype: str) -> None:
    [e] = [e for e in _events(text) if e.type == etype]
    assert e.negated


def test_ko_negation_of_a_later_verb_is_not_the_triggers() -> None:
    [e] = [e for e in _events("북한은 방역을 이유로 물자를 받지 않고 있다.") if e.type == "health"]
    assert not e.negated


def test_ko_negation_stays_in_its_clause() -> None:
    [e] = _events("보위부는 주민들을 체포했고, 다른 간부들은 아무것도 하지 않았다.")
    assert e.type == "enforcement" and not e.negated


@pytest.mark.parametrize(("text", "absent"), [
    ("보위부는 송금을 차단하기 위해 주민들을 감시했다.", "border_tightening"),  # an aim, not an event
    ("이 공장은 코로나 이전부터 사람을 썼다.", "health"),  # a time reference
    ("국경 경비가 삼엄해 밀수가 거의 중단됐다.", "smuggling"),  # a cut-off
    ("당국은 노동 인력을 수출하려 애쓴다.", "trade"),  # workers are no goods
    ("중국은 석탄 수입을 전면 금지했다.", "trade"),  # a ban is sanctions
    ("한 제재 전문가가 그렇게 봤다.", "sanctions"),  # a person, no event
    ("제재로 광물 수출이 막힌 지 오래다.", "trade"),  # blocked trade is no trade
    ("일이 성사되면 중개인에게도 수입이 생긴다.", "trade"),  # 수입 as income, not imports
    ("북한이 석탄을 불법적으로 수출하고 있다.", "trade"),  # illegal export is no (legal) trade
    ("팔라우 선적의 화물선이 적발됐다.", "trade"),  # 선적 as a ship's flag
])
def test_ko_forms_that_are_no_event(text: str, absent: str) -> None:
    assert absent not in {e.type for e in _events(text)}


@pytest.mark.parametrize(("text", "hedged"), [
    ("보위부가 밀수꾼을 체포한 것으로 알려졌다.", True),
    ("밀수꾼들이 추방된 것으로 전해졌다.", True),
    ("보위부가 밀수꾼을 체포했다.", False),
])
def test_ko_hedging_in_the_sentence(text: str, hedged: bool) -> None:
    [e] = [e for e in _events(text) if e.type == "enforcement"]
    assert e.hedged is hedged


@pytest.mark.parametrize("data", [
    {"type": "nonsense", "triggers": [{"id": "x", "patterns": ["a"]}]},
    {"type": "trade", "triggers": []},
    {"type": "trade", "triggers": [{"id": "Bad Id", "patterns": ["a"]}]},
    {"type": "trade", "triggers": [{"id": "x", "patterns": ["(unclosed"]}]},
    {"type": "trade", "triggers": [{"id": "x", "patterns": ["a"]}], "unknown": 1},
])
def test_ko_broken_event_file_fails_at_load(data: dict) -> None:
    with pytest.raises(DataError):
        compile_ko_event_type(data, "lang/ko/events/test.yaml")


def test_ko_a_place_named_twice_in_a_sentence_is_one_place_of_its_event() -> None:
    from borderwatch.extract.ko.places import find_places_ko
    from borderwatch.extract.mentions import find_mentions

    d = doc("양강도 혜산시에서 국경 경비가 강화됐다고 양강도 소식통이 전했다.", published="2024-03-05")
    mentions = find_mentions(d, find_places_ko(d))
    assert [m.id for m in mentions if m.kind == "place"].count("place:ryanggang") == 2
    (event,) = [e for e in find_events_ko(d, mentions, [], [], []) if e.type == "border_tightening"]
    assert event.places == ("place:ryanggang", "place:hyesan")


def test_ko_mentions_of_one_happening_are_one_event() -> None:
    """"이번 단속" points back at the crackdown told before it: one happening, two mentions;
    crackdowns in two places stay two (data/lang/ko/happenings.yaml)."""
    from borderwatch.extract.pipeline import extract
    from tests.extract.factsbuild import ko_doc

    one = extract(ko_doc("보위부가 혜산에서 밀수 단속을 시작했다. 주민들은 불안해했다."
                         " 이번 단속으로 주민 10명이 붙잡혔다.", published="2021-04-02"))
    assert [(e.type, len(e.all_mentions())) for e in one.events if e.type == "enforcement"] == [
        ("enforcement", 2)]
    two = extract(ko_doc("혜산에서 단속이 있었다. 무산군에서도 단속이 있었다.", published="2021-04-02"))
    assert len([e for e in two.events if e.type == "enforcement"]) == 2
