"""Quantity forms of real reporting (issue 7): more count nouns, hyphenated and glued units,
counts whose noun is elsewhere, multiplying words, and one fact for a count told twice.

Every sentence is invented. A case is one line: text, then the quantities found in order as
(text, min, unit).
"""

from __future__ import annotations

import pytest

from borderwatch.model import Amount

from .test_quantities import quantities_of as _quantities_of


def quantities_of(text: str) -> list[Amount]:
    return _quantities_of(text, published="2023-03-01")


def rows(text: str) -> list[tuple]:
    return [(a.text, a.min, a.unit) for a in quantities_of(text)]


NOUNS = [
    ("Inspectors seized 400 packets of cigarettes.", [("400 packets", 400, "packet")]),
    ("The island lies 12 miles off the coast.", [("12 miles", 12, "mile")]),
    ("Six buses left the depot at dawn.", [("Six buses", 6, "buses")]),
    ("The barge carried 22 crew members.", [("22 crew members", 22, "crew members")]),
    ("Some 300 personnel were sent to the river.", [("Some 300 personnel", 300, "personnel")]),
    ("Clinics logged 57 new infections overnight.", [("57 new infections", 57, "new infections")]),
    ("Auditors found 11 instances of forged permits.", [("11 instances", 11, "instances")]),
    ("He crossed the river three times.", [("three times", 3, "times")]),
    ("Guards confiscated 80 mobile phones.", [("80 mobile phones", 80, "mobile phones")]),
    ("The council adopted two rounds of measures.", [("two rounds", 2, "rounds")]),
    ("A court jailed three teenagers.", [("three teenagers", 3, "teenagers")]),
    ("The militia split into two groups.", [("two groups", 2, "groups")]),
    ("Regulators fined 10 third-country firms.", [("10 third-country firms", 10, "companies")]),
    ("She spoke to five individuals.", [("five individuals", 5, "individuals")]),
    ("Agents searched at least 12 restaurants.", [("at least 12 restaurants", 12, "restaurants")]),
    ("Inspectors toured four Chinese cities.", [("four Chinese cities", 4, "Chinese cities")]),
    ("Analysts studied over 60 satellite images.", [("over 60 satellite images", 60, "satellite images")]),
    ("It would take 250 voyages to move it all.", [("250 voyages", 250, "voyages")]),
    ("Nine detained North Koreans were moved.", [("Nine detained North Koreans", 9, "detained North Koreans")]),
    ("Police caught eleven North Korean female workers.",
     [("eleven North Korean female workers", 11, "North Korean female workers")]),
    ("Agents questioned five family members.", [("five family members", 5, "family members")]),
    ("The province sent 30 doctors north.", [("30 doctors", 30, "doctors")]),
    ("Airlines cut 12 flights a week.", [("12 flights", 12, "flights")]),
    ("Officials closed three markets in the city.", [("three markets", 3, "markets")]),
    ("Up to 200 or more trucks queue there.", [("Up to 200 or more trucks", 200, "trucks")]),
    ("Officials checked more than 40 publicly available government documents.",
     [("more than 40 publicly available government documents", 40, "publicly available government documents")]),
]

HYPHENS = [
    ("A six-lane road now runs to the port.", [("six-lane", 6, "lanes")]),
    ("The 90-page ruling was leaked.", [("90-page", 90, "pages")]),
    ("The 12-nation group met in Geneva.", [("12-nation", 12, "nation")]),
    ("A 40-metre-long barge sank.", [("40-metre", 40, "metre")]),
    ("Engineers laid a 700km pipeline.", [("700km", 700, "kilometre")]),
    ("The wall runs 35 km along the river.", [("35 km", 35, "kilometre")]),
]

NOT_COUNTS = [
    "Trade between the two countries fell.",
    "Ships sailed between both ports every week.",
    "He boarded the Route 2 bus downtown.",
    "1kg of rice sells for 6,000 won at the market.",
    "The 2021 group was smaller.",
    "She read Article 5 of the treaty.",
]

ELSEWHERE = [
    ("Of the 60 workers, around 45 were sent home.",
     [("60 workers", 60, "workers"), ("around 45", 45, "workers")]),
    ("Defector arrivals numbered 1,100 in one year but 190 by the next spring.",
     [("1,100", 1100, "defector arrivals"), ("190", 190, "defector arrivals")]),
    ("The number of fishing vessels seen off the coast rose to 75.",
     [("75", 75, "fishing vessels")]),
    ("The three ports handled 40, 25 and 12 ships respectively.",
     [("40", 40, "vessels"), ("25", 25, "vessels"), ("12 ships", 12, "vessels")]),
    ("Prices rose 3, 5 and 8 percent respectively.",
     [("3", 3, "percent"), ("5", 5, "percent"), ("8 percent", 8, "percent")]),
    ("More than 300 people were hurt and more than 9,000 others lost their homes.",
     [("More than 300 people", 300, "people"), ("more than 9,000 others", 9000, "people")]),
    ("The deficit more than tripled in a year.", [("more than tripled", 3, "times")]),
    ("Rail freight doubled after the bridge opened.", [("doubled", 2, "times")]),
    ("Of the 12 defectors, three were women and two were children.",
     [("12 defectors", 12, "defectors"), ("three", 3, "women"), ("two", 2, "children")]),
    ("Police arrested 4 smugglers on Monday and 6 on Tuesday.",
     [("4 smugglers", 4, "smugglers"), ("6", 6, "smugglers")]),
    ("The number of cases rose to 4,000 on Tuesday and 5,200 on Wednesday.",
     [("4,000", 4000, "cases"), ("5,200", 5200, "cases")]),
    # spelled fractions and halves
    ("Nearly two-thirds of the dispatched workers went home.",
     [("Nearly two-thirds", 0.6667, "fraction of dispatched workers")]),
    ("Half of the trucks were empty.", [("Half", 0.5, "fraction of trucks")]),
    ("About a third of all vessels were idle.", [("About a third", 0.3333, "fraction of vessels")]),
    ("My brother got only half of that.", []),
    ("Half of what is sold comes from China.", []),
    ("It took half an hour.", []),
    ("They moved two and a half tons of copper.", [("two and a half tons", 2.5, "ton")]),
    ("One and a half million people fled.", [("One and a half million people", 1.5e6, "people")]),
    # a bare number with no noun to point to stays out
    ("The deal went to two others.", []),
    ("The team scored 45 in the match.", []),
    ("He was sentenced to 15 years and his 2 sons to 10.", []),
    ("The workers at factory number 5, they said, were unpaid.", []),
    ("Police arrested 4 smugglers and 6 said nothing.", [("4 smugglers", 4, "smugglers")]),
    ("Of the 60 workers, 2019 was hard.", [("60 workers", 60, "workers")]),
]


@pytest.mark.parametrize("text,expected", NOUNS + HYPHENS + ELSEWHERE,
                         ids=[c[0][:50] for c in NOUNS + HYPHENS + ELSEWHERE])
def test_amounts_quantity_form(text, expected):
    assert rows(text) == expected


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_amounts_quantity_not_a_count(text):
    assert quantities_of(text) == []


REPEATS = [
    # a count told again takes its first mention's unit: one fact, not two
    ("Three North Korean laborers came in May. The same three laborers left in June.",
     ["North Korean laborers", "North Korean laborers"]),
    ("Police held nine detained North Koreans. These nine people face return.",
     ["detained North Koreans", "detained North Koreans"]),
    # different counts keep their own units
    ("Three women and three men were held.", ["women", "men"]),
    ("Nine traders were held. Nine people were freed elsewhere.", ["traders", "people"]),
    ("Three Chinese workers were fined. Three North Korean workers were sent back.",
     ["Chinese workers", "North Korean workers"]),
    ("A group of 40 workers left. The 40 North Korean workers reached Hunchun.", ["workers", "workers"]),
]


@pytest.mark.parametrize("text,units", REPEATS, ids=[c[0][:50] for c in REPEATS])
def test_amounts_quantity_repeat_is_one_fact(text, units):
    assert [a.unit for a in quantities_of(text)] == units


def test_amounts_quantity_rules_are_named():
    found = quantities_of("Defector arrivals numbered 1,100 in one year but 190 by the next spring.")
    assert [a.rule for a in found] == ["quantity.count_verb", "quantity.chain"]
