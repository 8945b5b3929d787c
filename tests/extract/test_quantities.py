"""Quantities and percentages: a number is a quantity only when a known unit follows it."""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.data_models.numbers import UnitsFile
from borderwatch.datafiles import DataError, read_yaml, validated
from borderwatch.extract.amounts import find_amounts
from borderwatch.model import Amount, Report
from borderwatch.values import quantities
from borderwatch.values.numbers import parse_range


def quantities_of(text: str, published: str = "2022-07-19") -> list[Amount]:
    """The quantities and percentages found in an invented text, offsets checked."""
    doc = make_document(Report(source="t", body=text, format="text", published=published))
    found = [a for a in find_amounts(doc) if a.kind in ("quantity", "percent")]
    for a in found:
        assert doc.text[a.start:a.end] == a.text
    return found


# text -> (span text, min, max, unit, qualifier, per)
CASES = [
    ("Each 200 kilogram bag was checked.", ("200 kilogram bag", 200, 200, "kilogram", None, "bag")),
    ("A 20-ton truck crossed.", ("20-ton truck", 20, 20, "ton", None, "truck")),
    ("They moved 3 tons of coal.", ("3 tons", 3, 3, "ton", None, None)),
    ("Guards stopped about 20 trucks.", ("about 20 trucks", 20, 20, "trucks", "about", None)),
    ("Police held more than 100 defectors.",
     ("more than 100 defectors", 100, 100, "defectors", "more than", None)),
    ("The port took 5,000 barrels.", ("5,000 barrels", 5000, 5000, "barrel", None, None)),
    ("Two vessels left port.", ("Two vessels", 2, 2, "vessels", None, None)),
    ("There are over 50 fever cases emerging everyday.",
     ("over 50 fever cases", 50, 50, "fever cases", "over", "day")),
    # counts of people and cases keep the noun phrase as their unit: who or what was counted
    ("Clinics report 30 new cases every day.", ("30 new cases", 30, 30, "new cases", None, "day")),
    ("Some 40 North Korean defectors were held.",
     ("Some 40 North Korean defectors", 40, 40, "North Korean defectors", "around", None)),
    ("Police held around 25 North Koreans at the station.",
     ("around 25 North Koreans", 25, 25, "North Koreans", "around", None)),
    ("Agents arrested at least nine remittance brokers.",
     ("at least nine remittance brokers", 9, 9, "remittance brokers", "at least", None)),
    ("A broker said he took out four or five people a month.",
     ("four or five people", 4, 5, "people", None, "month")),
    ("A dozen trucks waited.", ("A dozen trucks", 12, 12, "trucks", None, None)),
    ("Ten soldiers stood guard.", ("Ten soldiers", 10, 10, "soldiers", None, None)),
    ("The mine sends 300 tons a month.", ("300 tons", 300, 300, "ton", None, "month")),
    ("Between 40 and 60 workers left.", ("Between 40 and 60 workers", 40, 60, "workers", None, None)),
    ("Some 2-3,000 residents fled.", ("Some 2-3,000 residents", 2000, 3000, "residents", "around", None)),
    ("Up to 1.5 million people.", ("Up to 1.5 million people", 1.5e6, 1.5e6, "people", "up to", None)),
    ("Nearly 400 households lost power.", ("Nearly 400 households", 400, 400, "households", "nearly", None)),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:36] for c in CASES])
def test_quantities_forms(text, expected):
    (a,) = quantities_of(text)
    assert (a.text, a.min, a.max, a.unit, a.qualifier, a.per) == expected
    assert a.kind == "quantity" and a.rule.startswith("quantity.")


PERCENTS = [
    ("Brokers take a 30 percent commission.", ("30 percent", 30, 30, "percent")),
    ("Prices rose 20-30% in a week.", ("20-30%", 20, 30, "percent")),
    ("Trade fell by 12.5 per cent.", ("12.5 per cent", 12.5, 12.5, "percent")),
    ("Rates rose 2 percentage points.", ("2 percentage points", 2, 2, "percentage point")),
]


@pytest.mark.parametrize("text,expected", PERCENTS)
def test_quantities_percent(text, expected):
    (a,) = quantities_of(text)
    assert (a.text, a.min, a.max, a.unit) == expected and a.kind == "percent"


NOT_QUANTITIES = [
    "COVID-19 cases keep rising.",
    "One resident told reporters about it.",
    "On July 11 people gathered at the gate.",
    "The 8th Party Congress met.",
    "Route A25 trucks are old.",
    "The decision came in 2019.",
    "He was 45 when he left.",
    "It was resolution 2397.",
    "At 14:46 trucks began moving.",
    "Since 2017 vessels have waited.",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_quantities_not_found_in(text):
    assert quantities_of(text) == []


RANGES = [
    ("40-50,000", (40000, 50000, True)),
    ("10-15,000", (10000, 15000, True)),
    ("500-1,500", (500, 1500, False)),
    ("900-1,000", (900, 1000, False)),
    ("3-5 million", (3e6, 5e6, True)),
    ("1,500", (1500, 1500, False)),
    ("twenty-five", (25, 25, False)),
    ("a dozen", (12, 12, False)),
]


@pytest.mark.parametrize("text,expected", RANGES)
def test_quantities_number_ranges(text, expected):
    r = parse_range(text)
    assert r is not None and (r.min, r.max, r.borrowed) == expected


def test_quantities_backwards_range_is_rejected():
    assert parse_range("50-40") is None


def test_quantities_duplicate_unit_form_raises(monkeypatch):
    bad = {
        "measures": [{"name": "ton", "forms": ["ton"]}],
        "containers": [{"name": "bag", "forms": ["bag"]}],
        "counts": [{"name": "tons", "forms": ["ton"]}],
        "times": [{"name": "day", "forms": ["day"]}],
    }
    # the shipped file with its unit groups replaced: only the duplicate form is wrong
    data = validated({**read_yaml("lang/en/units.yaml"), **bad}, UnitsFile, "lang/en/units.yaml")
    monkeypatch.setattr(quantities, "load", lambda *_: data)
    with pytest.raises(DataError, match=r"^lang/en/units\.yaml: counts\.tons: forms: 'ton' is listed under two units"):
        quantities.units.__wrapped__()


@pytest.mark.parametrize("text", [
    "Smugglers pay 2-3,000 yuan for each 20 kilogram sack.",
    "Anyone caught pays RMB 900 per 50 kilogram bag.",
])
def test_quantities_money_basis_is_not_a_quantity(text):
    assert quantities_of(text) == []
