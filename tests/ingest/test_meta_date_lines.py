"""Publication dates stated in the text (date lines) and in outlets' URL patterns. Invented pages."""

from __future__ import annotations

import pytest

from borderwatch.ingest.meta import ReadOptions, complete, date_from_url, month_from_url
from borderwatch.ingest.textfile import date_lines, published_from_lines, read_text
from borderwatch.model import Report

BODY = "Traders in an invented town said prices rose after the new inspections began."


@pytest.mark.parametrize("head,expected", [
    ("Posted Oct. 4, 2022 16:20", "2022-10-04"),
    ("PUBLISHED : Tuesday, 5 March, 2019", "2019-03-05"),
    ("Published : Nov. 8, 2018 - 09:12", "2018-11-08"),
    ("date 2021-05-06 [Evening News] FLOODS HIT RIVER TOWNS", "2021-05-06"),
    ("Written: 2015-03-02 11:20:05Updated: 2015-03-02 12:00:00", "2015-03-02"),
    ("입력 2021-05-06 16:32:46 수정 2021-05-06 17:00:01", "2021-05-06"),
    ("All Stories 10:05 March 3, 2021", "2021-03-03"),
    ("4 June 2020 Geneva", "2020-06-04"),
    ("May 2, 2018|AFP", "2018-05-02"),
    ("Jan. 5th, 2021", "2021-01-05"),
    ("September 09, 2020", "2020-09-09"),
])
def test_date_line_gives_publication(head, expected):
    text = f"An Invented Headline About Trade\n\n{head}\n\n{BODY}\n"
    assert published_from_lines(text) == expected
    assert complete(Report(source="x", body=text, format="text"), ReadOptions()).published == expected


@pytest.mark.parametrize("head", [
    "The bridge reopened on June 5, 2019 after repairs, a trader said.",
    "Prices rose in March 2021.",
    "He arrived 4 June 2020 and left the next day for the border city.",
])
def test_sentences_are_not_date_lines(head):
    assert published_from_lines(f"{head}\n\n{BODY}\n") is None


@pytest.mark.parametrize("head,value", [
    ("date 2023-08", "2023-08"),
    ("August 2023", "2023-08"),
])
def test_month_only_date_line(head, value):
    text = f"{head}\n\n{BODY}\n"
    assert [x.value for x in date_lines(text)] == [value]
    assert published_from_lines(text) is None  # a month is not a publication day


def test_scrapers_today_line_is_not_the_publication_date():
    text = "18.3 C\nSome Town\nFriday, April 12, 2024\n\nAn Invented Headline\n\n" + BODY
    (line,) = date_lines(text)
    assert line.widget and line.value == "2024-04-12"
    assert published_from_lines(text) is None
    lone_weekday = "Monday\nThursday, April 11, 2024\n\n" + BODY
    assert published_from_lines(lone_weekday) is None


def test_date_line_after_a_caption_line_in_a_plain_file():
    text = " date 2022-02-03 Photo : Invented Agency\n\n" + BODY + "\n"
    assert read_text(text, "x.txt", "utf-8").published == "2022-02-03"


def test_date_line_in_a_record_body_when_the_record_states_none():
    opts = ReadOptions(published="2001-01-01")
    stated = complete(Report(source="a", body="June 3, 2020\n\n" + BODY, format="json",
                             published="2020-07-01"), opts)
    assert stated.published == "2020-07-01"  # the record's own field wins
    found = complete(Report(source="a", body="June 3, 2020\n\n" + BODY, format="json"), opts)
    assert found.published == "2020-06-03"  # the page's date line beats a batch option


@pytest.mark.parametrize("url,day,month", [
    ("https://news.example.org/english/news/korea/invented-story-03152021104512.html", "2021-03-15", "2021-03"),
    ("https://en.example.kr/view/AEN20190704001200315", "2019-07-04", "2019-07"),
    ("http://www.example.com/view.php?ud=20170911000123", "2017-09-11", "2017-09"),
    ("https://example.org/section/2018/04/invented-story/", None, "2018-04"),
    ("https://example.org/article/2115263/invented-story", None, None),
    ("https://example.org/2018/13/invented/", None, None),
])
def test_dates_in_url_patterns(url, day, month):
    assert date_from_url(url) == day
    assert month_from_url(url) == month


@pytest.mark.parametrize("head,expected", [
    ("Published: 2020-11-02T08:15:00+09:00", "2020-11-02"),
    ("Posted on March 3, 2021 by An Invented Reporter", "2021-03-03"),
    ("THURSDAY, MARCH 4, 2021", "2021-03-04"),
    ("2021.03.03 09:14", "2021-03-03"),
    ("Mar 03, 2021 09:14 AM", "2021-03-03"),
    ("Posted by An Invented Writer on Oct. 9, 2019 | 8 comments", "2019-10-09"),
])
def test_date_line_more_shapes(head, expected):
    assert published_from_lines(f"An Invented Headline\n\n{head}\n\n{BODY}\n") == expected
