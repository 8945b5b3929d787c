"""Property tests for the money, quantity and date parsers: on any text they never raise, never
hang, and every fact's offsets give back its text; ranges run forwards; date values are well formed.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.extract.amounts import find_amounts
from borderwatch.extract.dates import find_dates
from borderwatch.model import Document, Sentence
from borderwatch.values import SpanSet
from borderwatch.values.dates import find_date_spans
from borderwatch.values.money import find_money
from borderwatch.values.quantities import find_percents, find_quantities
from tests.examples import examples

VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FRAGMENTS = [
    "RMB", "USD", "KPW", "KRW", "$", "US$", "€", "¥", "₩", "300,000", "44,450", "40-50,000", "1,500",
    "3.5", "million", "2.3bn", "$1.2m", "ten", "a dozen", "twenty-five", "between", "and", "to", "-",
    "–", "yuan", "won", "dollars", "North Korean won", "South Korean won", "per", "kilogram", "kg",
    "a day", "everyday", "for each", "200", "bag", "fever cases", "trucks", "defectors", "percent", "%",
    "at least", "around", "over", "up to", "(", ")", "[", "]", ",", ".", "\n", "July", "11", "Sept.",
    "5,", "2017", "2019", "2009-06-29", "on the", "28th", "Monday", "last", "week", "earlier this month",
    "20", "days", "ago", "this past", "spring", "early next year", "in", "since", "May", "may", "A 25",
    "14:46", "COVID-19", "resolution 2397", "the dollar fetched", "jangmadang", "Seoul", "or more",
    "USD$", "HK$", "(North Korean) won", "up from", "down from", "compared with", "rose from", "from",
    "equaling", "=", "1 RMB", "to 1 USD", "the won was", "respectively", "Of the", "of the", "numbered",
    "the number of", "were", "tripled", "others", "900km", "-lane", "-metre-long", "four-lane", "but",
    "on Monday", "these", "the same", "workers", "women", "1", "three",
]
fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join)
any_text = st.one_of(st.text(max_size=400), fragment_text,
                     st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
PROPS = settings(max_examples=examples(300), deadline=500, suppress_health_check=[HealthCheck.too_slow])

# Load and compile the data before hypothesis times anything.
find_amounts(Document("w", "t", "RMB 5 on July 1", (Sentence(0, 15),), "text", published="2022-07-19"))


def _doc(text: str, published: str | None) -> Document:
    return Document("p", "t", text, (Sentence(0, len(text)),) if text else (), "text", published=published)


@PROPS
@given(any_text)
def test_parsers_properties_money(text):
    for m in find_money(text):
        assert text[m.start:m.end] == m.text and m.min <= m.max
        assert m.start <= m.end <= m.per_end <= len(text)


@PROPS
@given(any_text)
def test_parsers_properties_quantities(text):
    for q in find_quantities(text) + find_percents(text):
        assert text[q.start:q.end] == q.text and q.min <= q.max and q.unit


@PROPS
@given(any_text)
def test_parsers_properties_dates(text):
    spans = find_date_spans(text)
    for d in spans:
        assert text[d.start:d.end] == d.text and d.start < d.end
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))  # no overlaps, in order


@PROPS
@given(any_text, st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_parsers_properties_documents(text, published):
    doc = _doc(text, published)
    found = find_amounts(doc)
    for i, a in enumerate(found):
        assert text[a.start:a.end] == a.text and a.rule
        assert a.min is None or a.max is None or a.min <= a.max
        if a.conversion_of is not None:
            assert a.conversion_of < i and found[a.conversion_of].kind == "money"
        if a.usd_rate_date is not None:
            assert VALUE.match(a.usd_rate_date)
        if published is None:
            assert a.usd is None
    for d in find_dates(doc):
        assert text[d.start:d.end] == d.text and d.rule
        assert d.value is None or VALUE.match(d.value)
        if published is None and d.relative and not re.search(r"(?:19|20)\d\d", text):
            assert d.value is None  # nothing to resolve against (a year-less date may anchor
            # on a full date the text itself gives)


span = st.tuples(st.integers(0, 60), st.integers(0, 8)).map(lambda t: (t[0], t[0] + t[1]))


@PROPS
@given(st.lists(span, max_size=30), span)
def test_parsers_properties_spanset_matches_brute_force(spans, query):
    s, e = query
    assert SpanSet(spans).overlaps(s, e) == (s < e and any(a < e and s < b for a, b in spans if a < b))
