"""Dates: forms of real reporting and the anchors used when the publication day is unknown.

Every sentence here is invented. Publication date, where given, is 2022-07-19 (a Tuesday).
"""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.extract.dates import find_dates
from borderwatch.model import Report

PUB = "2022-07-19"


def values(text: str, published: str | None = PUB, url: str | None = None) -> list[tuple[str, str | None]]:
    doc = make_document(Report(source="t", body=text, format="text", published=published, url=url))
    found = find_dates(doc)
    for d in found:
        assert doc.text[d.start:d.end] == d.text
    return [(d.text, d.value) for d in found]


FORMS = [
    ("Coal shipments peaked in January last year.", [("January last year", "2021-01")]),
    ("By the end of April of last year the mine had closed.", [("the end of April of last year", "2021-04")]),
    ("Prices should fall by October this year.", [("October this year", "2022-10")]),
    ("Ferries will resume in May next year.", [("May next year", "2023-05")]),
    ("The crossing stays shut until Sunday.", [("Sunday", "2022-07-24")]),
    ("Traders must register no later than Friday.", [("Friday", "2022-07-22")]),
    ("Starting Monday, trucks need two permits.", [("Monday", "2022-07-25")]),
    ("By Friday, thirty traders had been held.", [("Friday", "2022-07-15")]),
    ("Guards were told to stay until Tuesday.", [("Tuesday", "2022-07-19")]),
    ("Inspectors cited her April visit to the depot.", [("April", "2022-04")]),
    ("Officials recalled the June and August 2017 shipments of zinc.",
     [("June", "2017-06"), ("August 2017", "2017-08")]),
    ("A 2019 audit found missing permits.", [("2019", "2019")]),
    ("The bank was listed under a 2016 executive order.", [("2016", "2016")]),
    ("Its 2020 annual report omitted the mine.", [("2020", "2020")]),
    ("The minister’s 2018 announcement surprised traders.", [("2018", "2018")]),
    ("Exports doubled over the 2015-2018 period.", [("2015", "2015"), ("2018", "2018")]),
    ("Output fell in 2011–12.", [("2011", "2011"), ("12", "2012")]),
    ("From March to June of 2021, the depot stood idle.", [("From March to June of 2021", "2021")]),
    ("Permits were frozen between May and July 2020.", [("between May and July 2020", "2020")]),
    ("Imports have grown since the start of the year.", [("the start of the year", "2022")]),
    ("Traders sold more in March and May 2021.", [("March", "2021-03"), ("May 2021", "2021-05")]),
]


@pytest.mark.parametrize("text,expected", FORMS, ids=[f[0][:40] for f in FORMS])
def test_dates_real_forms(text, expected):
    assert values(text) == expected


NOT_DATES = [
    "Athletes left after the 2018 Winter Games ended.",
    "The 1998 tonnes were never shipped.",
    "Port code 2016-9 was reassigned.",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_dates_real_forms_not_dates(text):
    assert values(text) == []


def test_dates_today_in_a_quote_is_the_speakers_day():
    text = "A trader said, “As of today, no trucks may cross.” Officials confirmed it today."
    assert values(text) == [("today", None), ("today", "2022-07-19")]


def test_dates_quote_open_to_paragraph_end():
    text = "“Yesterday the guards changed shifts early, and nobody knew why.\n\nMore text came later."
    assert values(text) == [("Yesterday", None)]


# --- anchors without a publication day ------------------------------------------------------------
def test_dates_month_anchor_from_url():
    url = "https://news.example.org/2018/11/invented-story/"
    got = values("Corn fell in October and rose again by October 9. Fuel rose last month. "
                 "A source spoke on Monday.", published=None, url=url)
    assert got == [("October", "2018-10"), ("October 9", "2018-10-09"), ("last month", "2018-10"),
                   ("Monday", None)]


def test_dates_month_anchor_from_month_only_date_line():
    got = values("date 2021-03\n\nThe checkpoint shut on February 8. Trade resumed this year.",
                 published=None)
    assert ("February 8", "2021-02-08") in got and ("this year", "2021") in got


@pytest.mark.parametrize("text,expected", [
    ("Talks opened on September 2, 2018 in an invented hall. By Sept. 9 they had failed.",
     ("Sept. 9", "2018-09-09")),
    ("The ferry sank on 3 March 2015. Divers came in April.", ("April", "2015-04")),
    ("In February 2020, a panel released a report.\n\nOn February 12, two agencies cited it.",
     ("February 12", "2020-02-12")),
])
def test_dates_anchor_on_a_date_before(text, expected):
    assert expected in values(text, published=None)


@pytest.mark.parametrize("text,expected", [
    # a full date in an earlier paragraph anchors nothing
    ("The bridge opened on May 4, 2016.\n\nIn June the traders returned.", ("June", None)),
    # a month with its year anchors only a day of that same month
    ("In February 2020, a panel met.\n\nOn March 12, two agencies cited it.", ("March 12", None)),
])
def test_dates_anchor_not_beyond_its_reach(text, expected):
    assert expected in values(text, published=None)


def test_dates_text_year_anchors_when_the_text_states_one_year_twice():
    text = ("Ferry logs kept in 2017 list few sailings. Since the start of 2017 the pier has been quiet. "
            "More boats called in January and in August last year.")
    got = values(text, published=None)
    assert ("January", "2017-01") in got and ("August last year", "2016-08") in got


@pytest.mark.parametrize("text", [
    "Ferry logs kept in 2017 list few sailings. In March the traders left.",  # stated once
    "The dock was busy in 2016 and quiet in 2017. In March the traders left.",  # two years
    "A photo dated June 3, 2015.\nA photo dated June 3, 2015.\n\nIn March the traders left.",  # full dates
])
def test_dates_text_year_needs_one_framing_year_twice(text):
    assert ("March", None) in values(text, published=None)


def test_dates_scrapers_today_line_is_not_a_date():
    text = "21.5 C\nSome City\nThursday, March 7, 2024\n\nInvented headline about a border\n\nTraders left on March 2."
    got = values(text, published=None)
    assert got == [("March 2", None)]


@pytest.mark.parametrize("text,published,expected", [
    ("Traders expect prices to rise in April and May.", "2021-02-10", [("April", "2021-04"), ("May", "2021-05")]),
    ("Talks will resume on Monday.", PUB, [("Monday", "2022-07-25")]),
    ("The bridge will reopen on July 11.", PUB, [("July 11", "2023-07-11")]),
    ("In March the ferry is scheduled to sail again.", "2021-08-01", [("March", "2022-03")]),
    # the cue is in another clause: reports look back
    ("Officials said on Thursday, and the rules will apply soon.", PUB, [("Thursday", "2022-07-14")]),
    ("The ship loaded coal in March. It will sail again soon.", PUB, [("March", "2022-03")]),
])
def test_dates_future_cue_in_the_clause_looks_ahead(text, published, expected):
    assert values(text, published=published) == expected


@pytest.mark.parametrize("text,published,expected", [
    ("Guards were told in the spring to stay away.", PUB, ("the spring", "2022")),
    ("Prices peaked after the autumn harvest, and since the autumn they fell.", "2021-02-10",
     ("the autumn", "2020")),
    ("Guards were told in the spring to stay away.", None, ("the spring", None)),
])
def test_dates_season_after_a_preposition(text, published, expected):
    assert expected in values(text, published=published)
