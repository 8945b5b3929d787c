"""Mentions of one happening become one event (extract/happenings.py).

Invented sentences; events are built by hand from string searches so these tests do not move
when the trigger files change.
"""

from __future__ import annotations

import pytest

from borderwatch.extract.happenings import merge_happenings
from borderwatch.model import Document, Event

from .factsbuild import _span, doc, place


def ev(d: Document, etype: str, trigger: str, nth: int = 0, **kw) -> Event:
    """An event on the nth occurrence of `trigger`, in its sentence."""
    s, e = _span(d, trigger, nth)
    si = d.sentence_at(s)
    sent = d.sentences[si]
    return Event(type=etype, start=s, end=e, sentence=d.text[sent.start:sent.end],
                 sentence_index=si, trigger=trigger, rule=f"event.{etype}.test", **kw)


def test_happenings_back_reference_merges_across_sentences():
    d = doc("Police in Hyesan launched a crackdown on phone brokers last week. Residents say "
            "markets emptied overnight. The crackdown has since spread to nearby villages.")
    hyesan = place(d, "Hyesan")
    events = [ev(d, "enforcement", "crackdown", 0, places=(hyesan.id,)),
              ev(d, "enforcement", "crackdown", 1)]
    [merged] = merge_happenings(d, events, [hyesan])
    assert [m.sentence_index for m in merged.all_mentions()] == [0, 2]
    assert merged.places == (hyesan.id,)
    assert merged.to_dict()["mentions"][1]["trigger"] == "crackdown"


@pytest.mark.parametrize("text, first, second", [
    # "this" points back whatever the word
    ("Guards seized a truck of copper at the bridge. This seizure was the third in a month.",
     "seized", "seizure"),
    # "the same" points back too
    ("Officers arrested two carriers in the village. The same arrests were reported by a "
     "second source.", "arrested", "arrests"),
])
def test_happenings_strong_back_references(text, first, second):
    d = doc(text)
    out = merge_happenings(d, [ev(d, "enforcement", first), ev(d, "enforcement", second)], [])
    assert len(out) == 1 and len(out[0].all_mentions()) == 2


def test_happenings_definite_needs_the_same_head_word():
    # "the shipments" after "exports" may be other goods: "the" alone is no back-reference
    d = doc("Exports of wigs to China rose sharply. The shipments left from a second port.")
    out = merge_happenings(d, [ev(d, "trade", "Exports"), ev(d, "trade", "shipments")], [])
    assert len(out) == 2


def test_happenings_conflicting_places_stay_apart():
    d = doc("Traders in Sinuiju were fined for selling phones. The fines in Hyesan were lighter.")
    sinuiju, hyesan = place(d, "Sinuiju"), place(d, "Hyesan")
    events = [ev(d, "enforcement", "fined", places=(sinuiju.id,)),
              ev(d, "enforcement", "fines", places=(hyesan.id,))]
    assert len(merge_happenings(d, events, [sinuiju, hyesan])) == 2


def test_happenings_nested_places_agree():
    d = doc("Guards in Ryanggang Province closed the crossings. This closure hit Hyesan hardest.")
    ryang = place(d, "Ryanggang Province", kind="province")
    hyesan = place(d, "Hyesan")
    from dataclasses import replace
    hyesan = replace(hyesan, parent=ryang.id)
    events = [ev(d, "border_tightening", "closed", places=(ryang.id,)),
              ev(d, "border_tightening", "closure", places=(hyesan.id,))]
    [merged] = merge_happenings(d, events, [ryang, hyesan])
    assert set(merged.places) == {ryang.id, hyesan.id}


def test_happenings_conflicting_dates_stay_apart():
    d = doc("Customs reopened in March. The reopening in June was wider.")
    events = [ev(d, "border_easing", "reopened", date="2023-03"),
              ev(d, "border_easing", "reopening", date="2023-06")]
    assert len(merge_happenings(d, events, [])) == 2


def test_happenings_far_apart_without_back_reference_stay_apart():
    d = doc("Exports of wigs rose in spring. Prices held. Rates held. Fuel was short. "
            "Exports of seafood fell in autumn.")
    events = [ev(d, "trade", "Exports"), ev(d, "trade", "Exports", 1)]
    assert len(merge_happenings(d, events, [])) == 2


def test_happenings_prices_never_merge():
    d = doc("Rice sold for 5,000 won. The price of corn was 2,000 won.")
    events = [ev(d, "price", "sold for", amounts=(0,)), ev(d, "price", "price", amounts=(1,))]
    assert len(merge_happenings(d, events, [])) == 2


def test_happenings_negated_and_asserted_stay_apart():
    d = doc("Trade has not resumed at the port. This trade resumed at the bridge instead.")
    events = [ev(d, "trade", "resumed", negated=True), ev(d, "trade", "resumed", 1)]
    assert len(merge_happenings(d, events, [])) == 2


def test_happenings_said_plainly_once_is_not_hedged():
    d = doc("Smugglers reportedly moved copper. This smuggling went on for months.")
    events = [ev(d, "smuggling", "moved", hedged=True), ev(d, "smuggling", "smuggling")]
    [merged] = merge_happenings(d, events, [])
    assert merged.hedged is False


def test_happenings_anchor_is_the_best_supported_mention():
    d = doc("Smuggling\n\nBrokers said the smuggling of copper to Changbai doubled.")
    changbai = place(d, "Changbai", country="CN")
    events = [ev(d, "smuggling", "Smuggling"),
              ev(d, "smuggling", "smuggling", places=(changbai.id,), commodities=("commodity:copper",))]
    [merged] = merge_happenings(d, events, [changbai])
    assert merged.sentence_index == 1 and merged.trigger == "smuggling"
    assert [m.sentence_index for m in merged.all_mentions()] == [1, 0]


def test_happenings_headline_joins_the_lead_and_anchors_there():
    d = doc("Guards seize copper at the bridge\n\nBorder guards in Sinuiju seized 40 kilograms "
            "of copper on Monday, a source said.")
    sinuiju = place(d, "Sinuiju")
    events = [ev(d, "enforcement", "seize"),
              ev(d, "enforcement", "seized", places=(sinuiju.id,))]
    [merged] = merge_happenings(d, events, [sinuiju])
    assert merged.sentence_index == 1 and len(merged.all_mentions()) == 2


def test_happenings_headline_does_not_reach_past_the_lead():
    d = doc("Guards seize copper at the bridge\n\nOne. Two. Three. Four. Five. Officers seized "
            "phones in a later raid.")
    events = [ev(d, "enforcement", "seize"), ev(d, "enforcement", "seized")]
    assert len(merge_happenings(d, events, [])) == 2


def test_happenings_a_first_sentence_ending_in_a_full_stop_is_no_headline():
    from borderwatch.extract.happenings import is_headline
    assert is_headline(doc("Guards seize copper\n\nThe seizure was large."), 0)
    assert not is_headline(doc("Guards seized copper. The seizure was large."), 0)


def test_happenings_a_repeated_trigger_word_nearby_is_the_same_happening():
    d = doc("Police detained two brokers in Musan. Relatives were not told. The two remain "
            "detained without charge.")
    events = [ev(d, "enforcement", "detained"), ev(d, "enforcement", "detained", 1)]
    assert len(merge_happenings(d, events, [])) == 1


def test_happenings_a_repeated_trigger_word_far_away_is_a_new_happening():
    d = doc("Police detained two brokers in Musan. One. Two. Three. Four. Police detained a "
            "driver later.")
    events = [ev(d, "enforcement", "detained"), ev(d, "enforcement", "detained", 1)]
    assert len(merge_happenings(d, events, [])) == 2
