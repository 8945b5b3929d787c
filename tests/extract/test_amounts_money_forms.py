"""Money forms of real reporting (issue 7): more currency spellings, ranges written with the
currency twice, implicit currencies, rate statements and "won" decided for the whole report.

Every sentence is invented. A case is one line: text, then the money amounts found in order as
(text, min, max, currency, per).
"""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.extract.amounts import find_amounts
from borderwatch.model import Amount, Report


def money_of(text: str) -> list[Amount]:
    doc = make_document(Report(source="t", body=text, format="text", published="2023-03-01"))
    found = [a for a in find_amounts(doc) if a.kind == "money"]
    for a in found:
        assert doc.text[a.start:a.end] == a.text
    return found


def rows(text: str) -> list[tuple]:
    return [(a.text, a.min, a.max, a.currency, a.per) for a in money_of(text)]


SPELLINGS = [
    ("The broker asked for USD$2,000 per person.", [("USD$2,000", 2000, 2000, "USD", "person")]),
    ("The shell firm paid HK$1.5 million for the tanker.", [("HK$1.5 million", 1.5e6, 1.5e6, "HKD", None)]),
    ("A buyer offered 40,000 Hong Kong dollars.", [("40,000 Hong Kong dollars", 40000, 40000, "HKD", None)]),
    ("Crab sold for NT$800 a box in Taipei.", [("NT$800", 800, 800, "TWD", "box")]),
    ("A kilogram of pork sold for 14,500 (North Korean) won.",
     [("14,500 (North Korean) won", 14500, 14500, "KPW", None)]),
    ("Her flat costs 900,000 (South Korean) won a month.",
     [("900,000 (South Korean) won", 900000, 900000, "KRW", "month")]),
    ("Sugar went for 9,800 won (KPW) per kilogram.", [("9,800 won (KPW)", 9800, 9800, "KPW", "kilogram")]),
    ("Porters there are paid U.S. $4 a day.", [("U.S. $4", 4, 4, "USD", "day")]),
    ("The fee was £300 in London.", [("£300", 300, 300, "GBP", None)]),
]

RANGES = [
    ("Porters make between 40 yuan and 60 yuan a day.", [("40 yuan and 60 yuan", 40, 60, "CNY", "day")]),
    ("Fees run from 30 yuan to 50 yuan per crossing.", [("30 yuan to 50 yuan", 30, 50, "CNY", "trip")]),
    ("The deal was worth $1 million-$2 million.", [("$1 million-$2 million", 1e6, 2e6, "USD", None)]),
    ("Brokers charge between $500 and $1,000.", [("$500 and $1,000", 500, 1000, "USD", None)]),
    ("Loaders were paid $1.50 - $2.00 an hour.", [("$1.50 - $2.00", 1.5, 2.0, "USD", "hour")]),
    ("Drivers charge 200 yuan to 300 per trip.", [("200 yuan to 300", 200, 300, "CNY", "trip")]),
    ("Guides ask between 500 yuan and 800 for the climb.", [("500 yuan and 800", 500, 800, "CNY", None)]),
    ("Prices ranged from 4,000 to 5,500 won at the market.", [("4,000 to 5,500 won", 4000, 5500, "KPW", None)]),
    # a change of price is two amounts, the old and the new
    ("The price of rice rose from 4,000 to 5,500 won per kilogram.",
     [("4,000", 4000, 4000, "KPW", None), ("5,500 won", 5500, 5500, "KPW", "kilogram")]),
    ("The bribe jumped from 15 yuan to 20 yuan within a week.",
     [("15 yuan", 15, 15, "CNY", None), ("20 yuan", 20, 20, "CNY", None)]),
    ("Two fines were set: 300 yuan, 500 yuan.", [("300 yuan", 300, 300, "CNY", None), ("500 yuan", 500, 500, "CNY", None)]),
    ("It fell to $30 - USD 20 was the bid.", [("$30", 30, 30, "USD", None), ("USD 20", 20, 20, "USD", None)]),
]

IMPLICIT = [
    ("Diesel climbed to 21,000 won per kilogram at the market, up from 17,500 a month earlier.",
     [("21,000 won", 21000, 21000, "KPW", "kilogram"), ("17,500", 17500, 17500, "KPW", None)]),
    ("A bag of flour costs 95 yuan, compared with 80 in May.",
     [("95 yuan", 95, 95, "CNY", None), ("80", 80, 80, "CNY", None)]),
    ("Brokers now take $3,000, down from about $2,000? No: down from 2,500.",
     [("$3,000", 3000, 3000, "USD", None), ("$2,000", 2000, 2000, "USD", None)]),
    ("The fee was 3,000 yuan in 2022 and 2,500 in 2021.",
     [("3,000 yuan", 3000, 3000, "CNY", None), ("2,500", 2500, 2500, "CNY", None)]),
    ("A kilo of pork fetched 18,000 won in Pyongyang versus 16,500 in Sinuiju.",
     [("18,000 won", 18000, 18000, "KPW", None), ("16,500", 16500, 16500, "KPW", None)]),
    ("The fine is 5,000 yuan, up from 4,000.",
     [("5,000 yuan", 5000, 5000, "CNY", None), ("4,000", 4000, 4000, "CNY", None)]),
    # never a count, a year, a percentage or a number far from the amount's size
    ("The fee is 3,000 yuan, up from 12 trucks a day.", [("3,000 yuan", 3000, 3000, "CNY", None)]),
    ("The fee is 3,000 yuan, up from 2019.", [("3,000 yuan", 3000, 3000, "CNY", None)]),
    ("The fee is 3,000 yuan, up from 20 percent.", [("3,000 yuan", 3000, 3000, "CNY", None)]),
    ("The fee reached 50,000 yuan, up from 3 last year.", [("50,000 yuan", 50000, 50000, "CNY", None)]),
    ("The fee is 3,000 yuan, up from 2,000 traders.", [("3,000 yuan", 3000, 3000, "CNY", None)]),
    ("The fee is 3,000 yuan. Up from 2,000, the count grew.", [("3,000 yuan", 3000, 3000, "CNY", None)]),
    ("The fee was 3,000 yuan in 2022 and 25 traders paid it.", [("3,000 yuan", 3000, 3000, "CNY", None)]),
]

RATES = [
    ("In the market, 1 USD equalled 8,100 KPW.", [("8,100 KPW", 8100, 8100, "KPW", "USD")]),
    ("On Tuesday $1 = 8,000 won in Sinuiju.", [("8,000 won", 8000, 8000, "KPW", "USD")]),
    ("Traders said 1 dollar now buys 8,300 won, compared with 7,900 a month ago.",
     [("8,300 won", 8300, 8300, "KPW", "USD"), ("7,900", 7900, 7900, "KPW", None)]),
    ("At the market, USD 1 = KPW 8,000 this week.", [("KPW 8,000", 8000, 8000, "KPW", "USD")]),
    # a 1-unit amount that is no rate's base stays money
    ("Bus fares rose to 1 yuan.", [("1 yuan", 1, 1, "CNY", None)]),
    ("He paid 1 dollar to the guard.", [("1 dollar", 1, 1, "USD", None)]),
    ("Traders quoted 1,150 won to 1 RMB.", [("1,150 won", 1150, 1150, "KPW", "CNY")]),
    ("By March the North Korean won had slid to 9,200 to 1 USD and 1,250 to 1 RMB.",
     [("9,200", 9200, 9200, "KPW", "USD"), ("1,250", 1250, 1250, "KPW", "CNY")]),
    ("The yuan was at 7.1 to the dollar.", [("7.1", 7.1, 7.1, "CNY", "USD")]),
    # a rate with no currency named before it is left out (precision first)
    ("The rate stood at 9,000 to the dollar.", []),
    ("The two sides met 3 to 1 in the vote.", []),
]


@pytest.mark.parametrize("text,expected", SPELLINGS + RANGES + IMPLICIT + RATES,
                         ids=[c[0][:50] for c in SPELLINGS + RANGES + IMPLICIT + RATES])
def test_amounts_money_form(text, expected):
    assert rows(text) == expected


REPORT_WON = [
    # a cue-less won follows the won amounts its report decided
    ("Rice sold for 6,000 won at the market in Hyesan. A week later corn fetched 2,500 won.", ["KPW", "KPW"]),
    ("Defectors receive resettlement money of 8 million won. Each also gets 300,000 won.", ["KRW", "KRW"]),
    # ... else the report's own cues, when they name one side only
    ("A source inside North Korea described the arrests. Each family paid 50,000 won.", ["KPW"]),
    ("The family now lives in Seoul. Her brother sent 2 million won.", ["KRW"]),
    # both sides in the report: left open
    ("Rice sold for 6,000 won at the market. In Seoul a flat rents for 500,000 won. He paid 9,000 won.",
     ["KPW", "KRW", None]),
    ("It cost 500 won.", [None]),
    # a conversion or a rate outranks a place cue
    ("In Seoul, brokers quote 12,000 won to the dollar for money sent north.", ["KPW"]),
    ("A defector in Seoul paid 1.3 million won ($1,000) for the phone.", ["KRW", "USD"]),
    ("A trader in Hyesan paid 800,000 won ($100) for the phone.", ["KPW", "USD"]),
]


@pytest.mark.parametrize("text,currencies", REPORT_WON, ids=[c[0][:50] for c in REPORT_WON])
def test_amounts_money_won_for_the_report(text, currencies):
    assert [a.currency for a in money_of(text)] == currencies


def test_amounts_money_report_rule_is_named():
    a = money_of("Rice sold for 6,000 won at the market. Corn fetched 2,500 won.")[1]
    assert "money.won_report_amounts" in a.rule
    b = money_of("A source inside North Korea described it. Each paid 50,000 won.")[0]
    assert "money.won_report_context" in b.rule


def test_amounts_money_new_currencies_get_a_dollar_value():
    (a,) = money_of("The shell firm paid HK$1.5 million for the tanker.")
    assert a.currency == "HKD" and a.usd is not None and 150_000 < a.usd < 250_000
