"""Korean money and quantities (extract/ko/amounts.py) on invented sentences: currencies, the
won decided KPW or KRW, qualifiers, ranges, per-unit prices, counters; hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.extract.ko.amounts import find_amounts_ko
from borderwatch.model import Amount
from tests.examples import examples
from tests.extract.factsbuild import doc, ko_doc


def _amounts(text: str, published: str | None = "2023-05-10") -> list[Amount]:
    return find_amounts_ko(doc(text, outlet=None, published=published), [])


def _money(text: str) -> list[tuple[float | None, float | None, str | None]]:
    return [(a.min, a.max, a.currency) for a in _amounts(text) if a.kind == "money"]


@pytest.mark.parametrize(("text", "expected"), [
    ("벌금으로 5천 위안을 냈다.", [(5000, 5000, "CNY")]),
    ("그는 3000위안화를 받았다.", [(3000, 3000, "CNY")]),
    ("운임은 200元이었다.", [(200, 200, "CNY")]),
    ("미화 1만 달러가 넘는다.", [(10000, 10000, "USD")]),
    ("2천 2백만 달러 어치가 팔렸다.", [(22_000_000, 22_000_000, "USD")]),
    ("공사비는 2억 원에 이른다.", [(200_000_000, 200_000_000, "KRW")]),
    ("선박 한 척에 $300,000를 받았다.", [(300_000, 300_000, "USD")]),
    ("운임은 RMB 2,000이었다.", [(2000, 2000, "CNY")]),
])
def test_ko_money_currencies(text: str, expected: list) -> None:
    assert _money(text) == expected


@pytest.mark.parametrize(("text", "currency"), [
    ("장마당에서 쌀 1kg이 6,000원에 팔린다.", "KPW"),
    ("북한 돈 5천원이면 강냉이를 산다.", "KPW"),
    ("한화 약 49만 원을 보냈다.", "KRW"),
    ("정부는 238억원을 지원했다.", "KRW"),
    ("적발되면 벌금 500만원을 내야 한다.", "KPW"),
])
def test_ko_won_decided_by_prefix_and_cues(text: str, currency: str) -> None:
    [(_, _, got)] = _money(text)
    assert got == currency


def test_ko_won_follows_the_report_when_its_sentence_is_silent() -> None:
    text = "시장 환율이 크게 올랐다. 옥수수 값은 2,500원이었다. 계란은 1천원이다."
    assert {a.currency for a in _amounts(text) if a.kind == "money"} == {"KPW"}


def test_ko_money_range_qualifier_and_rate() -> None:
    amounts = _amounts("장마당에서 돼지 한 마리가 40~50만 원이다. 환율은 1위안 대 1천3백원이다.")
    money = [a for a in amounts if a.kind == "money"]
    assert (money[0].min, money[0].max, money[0].qualifier) == (400_000, 500_000, "range")
    assert money[1].per == "CNY" and money[1].min == 1300
    assert "1위안" not in [a.text for a in money]  # the rate's unit is no amount of its own


def test_ko_money_per_unit_and_usd_value() -> None:
    [m] = [a for a in _amounts("쌀 1kg당 6,000원으로 올랐다고 북한 돈 기준으로 말했다.") if a.kind == "money"]
    assert m.per == "1kg" and m.currency == "KPW"
    assert m.usd is not None and 0 < m.usd < 10


def test_ko_won_restated_in_south_korean_won_is_the_norths() -> None:
    found = [a for a in _amounts("경유: 10,400원(한국원 약 1,308)") if a.kind == "money"]
    assert [(a.min, a.currency) for a in found] == [(10400, "KPW"), (1308, "KRW")]


def test_ko_people_count_told_twice_is_one_fact() -> None:
    found = _amounts("2천여명 중 650여명을 보냈다. 650여명의 탈북민들은 갇혔다.")
    assert {(a.min, a.unit) for a in found} == {(2000, "people"), (650, "defectors")}


def test_ko_money_prefix_without_suffix() -> None:
    [m] = [a for a in _amounts("휘발유 값은 한국원 약 2,617에 해당한다.") if a.kind == "money"]
    assert (m.min, m.currency, m.qualifier) == (2617, "KRW", "about")


def test_ko_won_inside_a_word_is_no_money() -> None:
    assert _money("그는 3원산 출신이 아니라 원산에서 왔다.") == []


@pytest.mark.parametrize(("text", "value", "unit", "qualifier"), [
    ("탈북민 6명이 붙잡혔다.", 6, "defectors", None),
    ("노동자 300여 명이 파견됐다.", 300, "workers", "about"),
    ("석탄 1만 2000톤을 실었다.", 12000, "tons", None),
    ("선박 49척이 드나들었다.", 49, "ships", None),
    ("잣 1톤 가량을 넘겼다.", 1, "tons", "about"),
    ("최소 103척이 확인됐다.", 103, "ships", "at least"),
    ("두 사람이 체포됐다.", 2, "people", None),
    ("연간 50만 배럴로 제한한다.", 500_000, "barrels", None),
    ("길이 약 165m의 배", 165, "meters", "about"),
])
def test_ko_quantities(text: str, value: float, unit: str, qualifier: str | None) -> None:
    [q] = [a for a in _amounts(text) if a.kind == "quantity"]
    assert (q.min, q.unit, q.qualifier) == (value, unit, qualifier)


def test_ko_percent_and_ranges() -> None:
    found = _amounts("수수료가 30%가량 뛰었고 하루 20~30여 대가 오갔다.")
    assert [(a.kind, a.min, a.max) for a in found] == [("percent", 30, 30), ("quantity", 20, 30)]


@pytest.mark.parametrize("text", ["30대 남성이 잡혔다.", "3개월 동안 일했다.", "한 소식통은 말했다.",
                                  "대부분 20~30대 젊은 층이다.", "가격은 1킬로 당 북한원이다."])
def test_ko_not_quantities(text: str) -> None:
    assert [a for a in _amounts(text) if a.kind == "quantity"] == []


def test_ko_date_spans_are_no_amounts() -> None:
    text = "2016년 3명이 잡혔다."
    found = find_amounts_ko(doc(text, outlet=None), [(0, 5)])
    assert [a.text for a in found] == ["3명"]


UNITS = ["원", "위안", "달러", "명", "톤", "척", "%", "kg"]
NUMS = ["300만", "1만 2천", "5천", "2억", "4천5백", "40~50만", "2,000", "1.5", "20여"]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "약 ", "최소 ", "북한 돈 ", "한화 "]), st.sampled_from(NUMS),
                          st.sampled_from(["", " "]), st.sampled_from(UNITS),
                          st.sampled_from(["", "을", "이", " 가량", "씩"])), max_size=6),
       st.sampled_from([None, "2019-03-04"]))
def test_ko_amount_properties(parts: list, published: str | None) -> None:
    text = " 그리고 ".join("".join(p) for p in parts) + "."
    for a in _amounts(text, published):
        assert text[a.start:a.end] == a.text
        assert a.min is not None and a.max is not None and 0 <= a.min <= a.max
        if a.kind == "money":
            assert a.currency in {"KPW", "KRW", "CNY", "USD"}


def test_ko_headline_repeat_is_one_fact() -> None:
    d = ko_doc("수수료 30%까지 올라\n\n브로커 수수료가 30%까지 올랐다고 소식통이 전했다.", published="2021-12-03")
    found = find_amounts_ko(d, [])
    assert [(a.text, a.start > 10) for a in found] == [("30%", True)]
