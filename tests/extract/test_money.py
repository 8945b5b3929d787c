"""Money: every form of the phenomena catalogue, won decisions, qualifiers, per-units, conversions.

Example sentences are invented. A case is one line: text, then the fields the money amounts
must have (in order); `None` in an expected dict means the field must be None.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from borderwatch.clean import make_document
from borderwatch.data_models.money import CurrenciesFile
from borderwatch.datafiles import DataError, read_yaml, validated
from borderwatch.extract import amounts as amounts_mod
from borderwatch.extract.amounts import find_amounts
from borderwatch.model import Amount, Report
from borderwatch.values import money

PUB = "2022-07-19"
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_82c2ab5bc94310e0.txt"


def amounts(text: str, published: str | None = PUB) -> list[Amount]:
    """find_amounts on a document made the way the pipeline makes one."""
    doc = make_document(Report(source="t", body=text, format="text", published=published))
    found = find_amounts(doc)
    for a in found:
        assert doc.text[a.start:a.end] == a.text
    return found


def money_of(text: str, published: str | None = PUB) -> list[Amount]:
    return [a for a in amounts(text, published) if a.kind == "money"]


def check(found: list[Amount], expected: list[dict]) -> None:
    assert len(found) == len(expected), [a.text for a in found]
    for a, exp in zip(found, expected):
        for key, value in exp.items():
            got = getattr(a, key)
            if key == "rule":
                assert value in got, (a.text, got)
            else:
                assert got == value, (a.text, key, got, value)


# --- every money form in phenomena.md "Money" -------------------------------------------------
FORMS = [
    ("They paid RMB 300,000 (around USD 44,450) to the broker.",
     [dict(text="RMB 300,000", min=300000, max=300000, currency="CNY", conversion_of=None),
      dict(text="USD 44,450", min=44450, currency="USD", qualifier="around", conversion_of=0,
           rule="money.conversion")]),
    ("Guards set a fine of 40-50,000 yuan for each 200 kilogram bag of copper.",
     [dict(text="40-50,000 yuan", min=40000, max=50000, currency="CNY", per="200 kilogram bag",
           rule="money.range_borrowed")]),
    ("Drivers earn RMB 10,000 [around USD 1,400] a day on that route.",
     [dict(text="RMB 10,000", currency="CNY", per="day"),
      dict(text="USD 1,400", currency="USD", per="day", qualifier="around", conversion_of=0)]),
    ("A smuggler paid 3.5 million won in bribes to the guards.",
     [dict(text="3.5 million won", min=3_500_000, currency="KPW")]),
    ("Rice sold for KPW 5,000 per kilogram last week.",
     [dict(text="KPW 5,000", min=5000, currency="KPW", per="kilogram")]),
    ("The carrier charged $1,000 for the trip.", [dict(text="$1,000", min=1000, currency="USD")]),
    ("She sent 1,500 dollars home.", [dict(text="1,500 dollars", min=1500, currency="USD")]),
    ("He was fined 500,000 North Korean won.",
     [dict(text="500,000 North Korean won", min=500000, currency="KPW")]),
    ("The family paid 10 million South Korean won.",
     [dict(text="10 million South Korean won", min=10_000_000, currency="KRW")]),
    ("Brokers take a 30 percent commission.", []),
    ("In Hyesan the dollar fetched 8,000 won.",
     [dict(text="8,000 won", min=8000, currency="KPW", per="USD", rule="money.exchange_rate")]),
    ("The price reached 2.3bn yuan.", [dict(text="2.3bn yuan", min=2.3e9, currency="CNY")]),
    ("The firm raised $1.2m last year.", [dict(text="$1.2m", min=1.2e6, currency="USD")]),
    ("They spent ten thousand yuan.", [dict(text="ten thousand yuan", min=10000, currency="CNY")]),
    ("Donors gave a million dollars.", [dict(text="a million dollars", min=1e6, currency="USD")]),
    ("Costs ran between 40,000 and 50,000 yuan.",
     [dict(min=40000, max=50000, currency="CNY")]),
    ("The deal was worth 3-5 million euros.", [dict(min=3e6, max=5e6, currency="EUR")]),
    ("A ticket costs 2,000 yen.", [dict(min=2000, currency="JPY")]),
    ("Fuel cost 50,000 rubles.", [dict(min=50000, currency="RUB")]),
    ("Workers in Pyongyang earn 8,000 won to the dollar.",
     [dict(text="8,000 won", per="USD", currency="KPW")]),
]


@pytest.mark.parametrize("text,expected", FORMS, ids=[f[0][:40] for f in FORMS])
def test_money_forms(text, expected):
    check(money_of(text), expected)


def test_money_percent_is_a_rate_not_money():
    found = amounts("Brokers take a 30 percent commission.")
    assert [(a.kind, a.text, a.unit, a.min) for a in found] == [("percent", "30 percent", "percent", 30)]


# --- qualifiers --------------------------------------------------------------------------------
QUALIFIERS = [
    ("at least", "at least"), ("more than", "more than"), ("over", "over"), ("around", "around"),
    ("about", "about"), ("up to", "up to"), ("nearly", "nearly"), ("roughly", "around"),
    ("approximately", "around"), ("as much as", "up to"), ("almost", "nearly"),
    ("less than", "less than"), ("some", "around"),
]


@pytest.mark.parametrize("phrase,normalised", QUALIFIERS)
def test_money_qualifier(phrase, normalised):
    (a,) = money_of(f"Officials demanded {phrase} RMB 20,000 from each trader.")
    assert (a.text, a.qualifier) == ("RMB 20,000", normalised)


def test_money_qualifier_after():
    (a,) = money_of("Each crossing costs 300,000 yuan or more.")
    assert a.qualifier == "at least"


# --- per-unit bases ----------------------------------------------------------------------------
PERS = [
    ("Porters earn 5,000 yuan a month.", "month"),
    ("Corn costs KPW 3,000 per kg.", "kilogram"),
    ("Diesel sold for KPW 20,000 per kilogram.", "kilogram"),
    ("Tickets cost 100 yuan per person.", "person"),
    ("The rate was 1,300 won to the yuan at the market.", "CNY"),
    ("Loaders get 80 yuan each day.", "day"),
    ("The fee was 300 yuan a year ago.", None),
]


@pytest.mark.parametrize("text,per", PERS)
def test_money_per_unit(text, per):
    (a,) = money_of(text)
    assert a.per == per


# --- KPW or KRW --------------------------------------------------------------------------------
WON = [
    ("Rice cost 6,000 won at the jangmadang.", "KPW", "money.won_kpw_context"),
    ("Officials demanded a bribe of 200,000 won.", "KPW", "money.won_kpw_context"),
    ("Monthly wages at the mine are 3,000 won.", "KPW", "money.won_kpw_context"),
    ("Defectors receive resettlement support of 8 million won.", "KRW", "money.won_krw_context"),
    ("A studio flat in Seoul rents for 500,000 won.", "KRW", "money.won_krw_context"),
    ("The fee was 10 million won (about $8,000).", "KRW", "money.won_krw_rate"),
    ("She carried $1,000 (about 8 million won).", "KPW", "money.won_kpw_rate"),
    ("The dollar fetched 8,200 won.", "KPW", "money.won_kpw_rate"),
    ("One dollar was worth 1,300 won.", "KRW", "money.won_krw_rate"),
    ("Rice costs 5,000 won per kilogram.", "KPW", "money.won_kpw_magnitude"),
    ("It cost 500 won.", None, "money.won_undecided"),
    ("Prices ranged up to ₩9,000 in places.", None, "money.won_undecided"),
    ("Traders in the market paid ₩9,000.", "KPW", "money.won_kpw_context"),
]


@pytest.mark.parametrize("text,currency,rule", WON)
def test_money_won_decision(text, currency, rule):
    found = [a for a in money_of(text) if "won" in a.text or "₩" in a.text]
    assert len(found) == 1
    assert found[0].currency == currency
    assert rule in found[0].rule


def test_money_won_undecided_is_kept_without_usd():
    (a,) = money_of("It cost 500 won.")
    assert a.currency is None and a.usd is None and a.usd_rate_date is None


YEN_SIGN = [
    ("The fine was ¥5,000 in Dandong.", "CNY"),
    ("Tokyo buyers paid ¥5,000.", "JPY"),
    ("It cost ¥5,000.", None),
]


@pytest.mark.parametrize("text,currency", YEN_SIGN)
def test_money_yen_sign_decided_from_context(text, currency):
    (a,) = money_of(text)
    assert a.currency == currency


# --- never money -------------------------------------------------------------------------------
NOT_MONEY = [
    "In 2019 won the title again.",
    "The council passed resolution 2397 in 2017.",
    "Call 010-1234-5678 for details.",
    "The meeting began at 14:46.",
    "It happened on the 28th.",
    "COVID-19 cases rose.",
    "He finished 3rd in the race.",
    "The team won 3-1 at home.",
    "Two won't do.",
    "He was born on July 4, 1990.",
]


@pytest.mark.parametrize("text", NOT_MONEY)
def test_money_never_found_in(text):
    assert money_of(text) == []


# --- the seed ----------------------------------------------------------------------------------
@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("shared seed report not present")
    return SEED.read_text(encoding="utf-8")


def test_money_seed_gives_exactly_the_analyst_amounts(seed_text):
    found = amounts(seed_text)
    assert [(a.kind, a.text) for a in found] == [
        ("money", "RMB 300,000"), ("money", "USD 44,450"), ("quantity", "over 50 fever cases")]
    rmb, usd, fever = found
    assert (rmb.min, rmb.max, rmb.currency, rmb.qualifier, rmb.conversion_of) == (
        300000, 300000, "CNY", "at least", None)
    assert (usd.min, usd.max, usd.currency, usd.qualifier, usd.conversion_of) == (
        44450, 44450, "USD", "around", 0)
    assert (fever.min, fever.max, fever.unit, fever.qualifier, fever.per) == (
        50, 50, "fever cases", "over", "day")
    assert rmb.usd == pytest.approx(44500, rel=0.02) and rmb.usd_rate_date == PUB


def test_money_seed_without_date_has_no_usd(seed_text):
    rmb = amounts(seed_text, published=None)[0]
    assert rmb.currency == "CNY" and rmb.usd is None and rmb.usd_rate_date is None


def test_money_range_usd_is_midpoint():
    (a,) = money_of("A fine of 40-50,000 yuan was set.")
    (b,) = money_of("A fine of 45,000 yuan was set.")
    assert a.usd == pytest.approx(b.usd)


def test_money_conversion_index_survives_quantities_before_it():
    found = amounts("Over 20 trucks paid RMB 1,000 (about $140) each.")
    kinds = [a.kind for a in found]
    assert kinds == ["quantity", "money", "money"]
    assert found[2].conversion_of == 1


def test_money_data_duplicate_spelling_raises(monkeypatch):
    bad = {"currencies": {"CNY": {"suffixes": ["yuan"]}, "JPY": {"suffixes": ["yuan"]}}}
    # the shipped file with its currencies replaced: only the shared spelling is wrong
    data = validated({**read_yaml("currencies.yaml"), **bad}, CurrenciesFile, "currencies.yaml")
    monkeypatch.setattr(money, "load", lambda *_: data)
    with pytest.raises(DataError, match=r"^currencies\.yaml: JPY: 'yuan' is also a spelling of CNY"):
        money.data.__wrapped__()


def test_money_module_shares_date_pass():
    assert amounts_mod.date_spans.cache_info().maxsize == 8
