"""Dates: absolute and relative forms, resolved against the publication date (2022-07-19, a Tuesday)."""

from __future__ import annotations

from datetime import date

import pytest

from borderwatch.clean import make_document
from borderwatch.extract.dates import find_dates
from borderwatch.model import DateMention, Report
from borderwatch.values import calendar as rd

PUB = "2022-07-19"


def dates_of(text: str, published: str | None = PUB) -> list[DateMention]:
    doc = make_document(Report(source="t", body=text, format="text", published=published))
    found = find_dates(doc)
    for d in found:
        assert doc.text[d.start:d.end] == d.text
    return found


def triples(text: str, published: str | None = PUB) -> list[tuple[str, str | None, str | None]]:
    return [(d.text, d.value, d.granularity) for d in dates_of(text, published)]


# text -> [(mention text, value, granularity)] with published = 2022-07-19
CASES = [
    ("State media ran it on July 11.", [("July 11", "2022-07-11", "day")]),
    ("The law took effect Sept. 5, 2017.", [("Sept. 5, 2017", "2017-09-05", "day")]),
    ("Trade has been halted since Aug. 15.", [("Aug. 15", "2021-08-15", "day")]),
    ("Exports resumed on Aug. 2 as planned.", [("Aug. 2", "2022-08-02", "day")]),
    ("Prices rose in March and May.", [("March", "2022-03", "month"), ("May", "2022-05", "month")]),
    ("Posted 2009-06-29 14:46", [("2009-06-29", "2009-06-29", "day")]),
    ("The mine closed in 2019.", [("2019", "2019", "year")]),
    ("It reopened in March 2021.", [("March 2021", "2021-03", "month")]),
    ("Trains ran again in early June 2020.", [("early June 2020", "2020-06", "month")]),
    ("Checks tightened in mid-July.", [("mid-July", "2022-07", "month")]),
    ("Fighting eased by mid-2021.", [("mid-2021", "2021", "year")]),
    ("Troops arrived in December.", [("December", "2021-12", "month")]),
    ("He left on 11 July 2022.", [("11 July 2022", "2022-07-11", "day")]),
    ("It began on the 28th of June.", [("28th of June", "2022-06-28", "day")]),
    ("A source said on Monday that", [("Monday", "2022-07-18", "day")]),
    ("A source said on Tuesday that", [("Tuesday", "2022-07-19", "day")]),
    ("It happened last Tuesday.", [("last Tuesday", "2022-07-12", "day")]),
    ("Talks resume next Monday.", [("next Monday", "2022-07-25", "day")]),
    ("The order came on the 28th.", [("the 28th", "2022-06-28", "day")]),
    ("The order came on the 5th.", [("the 5th", "2022-07-05", "day")]),
    ("The order came on the 3rd of last month.", [("the 3rd of last month", "2022-06-03", "day")]),
    ("Daily NK reported earlier this month that", [("earlier this month", "2022-07", "month")]),
    ("Trucks stopped last week.", [("last week", "2022-07", "month")]),
    ("He crossed 20 days ago.", [("20 days ago", "2022-06-29", "day")]),
    ("She crossed two weeks ago.", [("two weeks ago", "2022-07", "month")]),
    ("Trade fell a week ago.", [("a week ago", "2022-07", "month")]),
    ("Prices doubled from a year ago.", [("a year ago", "2021-07", "month")]),
    ("The mine shut two years ago.", [("two years ago", "2020", "year")]),
    ("Stocks ran low at the start of the month.", [("the start of the month", "2022-07", "month")]),
    ("It closed three months ago.", [("three months ago", "2022-04", "month")]),
    ("Prices jumped this past spring.", [("this past spring", "2022", "season")]),
    ("Snow fell last winter.", [("last winter", "2021", "season")]),
    ("Trains ran in the spring of 2019.", [("spring of 2019", "2019", "season")]),
    ("Trade may resume early next year.", [("early next year", "2023", "year")]),
    ("Exports fell last year.", [("last year", "2021", "year")]),
    ("Guards were replaced yesterday.", [("yesterday", "2022-07-18", "day")]),
    ("Last month the border was shut.", [("Last month", "2022-06", "month")]),
    ("Trade grew. Today it is stalled.", [("Today", "2022-07-19", "day")]),
    ("It rained the previous day.", [("the previous day", None, None)]),
    ("Exports rose last March.", [("last March", "2022-03", "month")]),
    ("Trade stalled in 2019 and 2020.", [("2019", "2019", "year"), ("2020", "2020", "year")]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:36] for c in CASES])
def test_dates_forms(text, expected):
    assert triples(text) == expected


NOT_DATES = [
    "Take route A 25 to the port.",
    "You may go now.",
    "May I ask a question?",
    "The 8th Party Congress met.",
    "It was resolution 2397.",
    "He had 5,000 won.",
    "Mar the surface.",
    "The march was long.",
    "They fought over 2,019 items.",
    "He wrote for Korea Today in Pyongyang.",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_dates_not_found_in(text):
    assert dates_of(text) == []


NO_PUB = [
    ("A source said on Monday that", ("Monday", None, "day")),
    ("State media ran it on July 11.", ("July 11", None, "day")),
    ("Trucks stopped last week.", ("last week", None, "month")),
    ("Prices rose in March.", ("March", None, "month")),
    ("It reopened in March 2021.", ("March 2021", "2021-03", "month")),
    ("The law took effect Sept. 5, 2017.", ("Sept. 5, 2017", "2017-09-05", "day")),
]


@pytest.mark.parametrize("text,expected", NO_PUB)
def test_dates_without_publication_date_keep_mention(text, expected):
    assert triples(text, published=None) == [expected]


def test_dates_relative_flag_and_rule():
    a, b = dates_of("On July 11 and in 2019.")
    assert a.relative and not b.relative
    assert a.rule == "date.mdy" and b.rule == "date.year"


def test_dates_seed_mentions():
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_82c2ab5bc94310e0.txt"
    if not seed.exists():
        pytest.skip("shared seed report not present")
    got = triples(seed.read_text(encoding="utf-8"))
    assert got == [("Monday", "2022-07-18", "day"), ("earlier this month", "2022-07", "month"),
                   ("July 11", "2022-07-11", "day")]


# --- the arithmetic ----------------------------------------------------------------------------
SEASONS = [
    (date(2022, 7, 19), 3, "past", 2022),
    (date(2022, 4, 10), 3, "past", 2021),
    (date(2022, 7, 19), 12, "past", 2021),
    (date(2022, 1, 10), 12, "current", 2021),
    (date(2022, 7, 19), 12, "current", 2022),
    (date(2022, 7, 19), 3, "next", 2023),
]


@pytest.mark.parametrize("pub,start_month,relation,year", SEASONS)
def test_dates_season_year(pub, start_month, relation, year):
    assert rd.season_year(pub, start_month, relation) == year


def test_dates_day_of_month_invalid_is_none():
    assert rd.day_of_month(date(2022, 7, 19), 31, None) is None  # June has 30 days


def test_dates_month_shift_crosses_years():
    assert rd.shift_months(2022, 1, -1) == (2021, 12)
    assert rd.relative_value(date(2022, 1, 5), "month", -1) == "2021-12"
