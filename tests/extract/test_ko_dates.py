"""Korean dates (extract/ko/dates.py) resolved against the publication date; hypothesis
properties: relative days never fall after publication, values are well formed, offsets hold."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.extract.ko.dates import find_dates_ko
from borderwatch.model import Document
from tests.examples import examples
from tests.extract.factsbuild import doc

VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _dates(text: str, published: str | None) -> list[tuple[str, str | None]]:
    return [(d.text, d.value) for d in find_dates_ko(doc(text, outlet=None, published=published))]


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("7월 11일 발생했다.", "2022-07-19", [("7월 11일", "2022-07-11")]),
    ("지난 11일 발생했다.", "2022-07-19", [("지난 11일", "2022-07-11")]),
    ("지난 25일 발생했다.", "2022-07-19", [("지난 25일", "2022-06-25")]),
    ("25일 발표했다.", "2022-07-19", [("25일", "2022-06-25")]),
    ("이달 초부터 시작됐다.", "2022-07-19", [("이달 초", "2022-07")]),
    ("지난달 말 끝났다.", "2022-01-05", [("지난달 말", "2021-12")]),
    ("지난달 28일 개통됐다.", "2022-03-02", [("지난달 28일", "2022-02-28")]),
    ("올해 농사가 잘 됐다.", "2015-09-24", [("올해", "2015")]),
    ("작년에 비해 늘었다.", "2015-09-24", [("작년", "2014")]),
    ("지난해 말 시작됐다.", "2015-09-24", [("지난해 말", "2014-12")]),
    ("금년 말까지 갚아야 한다.", "2017-10-30", [("금년 말", "2017-12")]),
    ("내년 1월부터 시행한다.", "2017-09-24", [("내년 1월", "2018-01")]),
    ("2022년 7월 발표했다.", None, [("2022년 7월", "2022-07")]),
    ("지난 2014년 9월 착공했다.", None, [("지난 2014년 9월", "2014-09")]),
    ("1937년 지어졌다.", None, [("1937년", "1937")]),
    ("12월10일 시행된다.", "2017-09-24", [("12월10일", "2017-12-10")]),
    ("12월 29일 조사했다.", "2018-01-05", [("12월 29일", "2017-12-29")]),
    ("지난 5월 말 떠났다.", "2025-06-13", [("지난 5월 말", "2025-05")]),
    ("다음달 1일부터 금지된다.", "2017-09-24", [("다음달 1일", "2017-10-01")]),
    ("어제 출항했다.", "2017-05-27", [("어제", "2017-05-26")]),
    ("월요일 회의가 열렸다.", "2024-05-16", [("월요일", "2024-05-13")]),
    ("2017.05.27 09:10 입력", None, [("2017.05.27", "2017-05-27")]),
    ("2017.05.27. 오후 2:19", None, [("2017.05.27", "2017-05-27")]),
    ("지난 12일 발생했다.", None, [("지난 12일", None)]),
    ("10일 보도했다.", "2020-09", [("10일", "2020-09-10")]),
])
def test_ko_date_forms(text: str, published: str | None, expected: list) -> None:
    assert _dates(text, published) == expected


@pytest.mark.parametrize("text", ["3일간 머물렀다.", "5일 동안 조사했다.", "6년 만에 봉쇄했다.", "사흘째 머물렀다."])
def test_ko_durations_are_no_dates(text: str) -> None:
    assert _dates(text, "2020-01-23") == []


PUBS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=examples(300), deadline=None)
@given(PUBS, st.integers(1, 31), st.sampled_from(["지난 ", ""]))
def test_ko_day_of_month_never_after_publication(pub: date, day: int, mark: str) -> None:
    found = find_dates_ko(doc(f"그는 {mark}{day}일 말했다.", outlet=None, published=pub.isoformat()))
    for d in found:
        if d.value is not None:
            got = date.fromisoformat(d.value)
            assert got <= pub and pub - got <= timedelta(days=62) and got.day == day


@settings(max_examples=examples(300), deadline=None)
@given(PUBS, st.integers(1, 12), st.integers(1, 28))
def test_ko_month_day_keeps_month_and_day(pub: date, month: int, day: int) -> None:
    [d] = find_dates_ko(doc(f"{month}월 {day}일 발표했다.", outlet=None, published=pub.isoformat()))
    assert d.value is not None and d.value[5:] == f"{month:02d}-{day:02d}"
    assert abs(int(d.value[:4]) - pub.year) <= 1


FRAGMENTS = ["지난", "오는", "이달", "지난달", "다음달", "올해", "작년", "지난해", "내년", "초", "말", "중순",
             "상반기", "7월", "11일", "2022년", "월요일", "어제", "12", "월", "일", "년", " ", ".", "3일간", "~"]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join), st.sampled_from([None, "2021-02-28", "2024-12"]))
def test_ko_date_properties(text: str, published: str | None) -> None:
    d0 = Document(id="t", source="t", text=text, sentences=(), format="text", published=published)
    for d in find_dates_ko(d0):
        assert d0.text[d.start:d.end] == d.text
        assert d.value is None or VALUE.match(d.value)


def test_ko_url_month_anchors_without_a_publication_date() -> None:
    d = Document(id="t", source="t", text="12월 29일 조사했다. 10일 발표했다.", sentences=(), format="text",
                 url="https://example.org/korean/2018/01/prices")
    assert [x.value for x in find_dates_ko(d)] == ["2017-12-29", "2018-01-10"]
