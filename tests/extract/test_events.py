"""Typed events: one trigger file per type, negation and hedging, facts of the sentence, the seed."""

from __future__ import annotations

import json

import pytest

from borderwatch.datafiles import DataError
from borderwatch.extract.attributions import find_attributions
from borderwatch.extract.events import compile_event_type, event_rules, find_events
from borderwatch.model import EVENT_TYPES, Attribution
from tests.extract import factsbuild as fb


def _events(text: str, commodities: tuple[str, ...] = (), money: tuple[str, ...] = (),
            places: tuple[str, ...] = ()):
    d = fb.doc(text)
    mentions = [fb.commodity(d, c) for c in commodities] + [fb.place(d, p) for p in places]
    amounts = [fb.money(d, t, 1000, "CNY") for t in money]
    return find_events(d, mentions, amounts, [], find_attributions(d, mentions))


def _types(text: str, **kw) -> set[str]:
    return {e.type for e in _events(text, **kw)}


# (type, invented sentence, commodities in it, money in it); one line a case.
POSITIVE = [
    ("border_tightening", "Guards have sealed off the border near the city since spring.", (), ()),
    ("border_tightening", "Authorities set up new checkpoints on the roads to the river.", (), ()),
    ("border_tightening", "Customs clearance was made harder for every truck.", (), ()),
    ("border_easing", "Officials reopened the border crossing to freight last week.", (), ()),
    ("border_easing", "Border guards are turning a blind eye to small traders.", (), ()),
    ("border_easing", "Controls on the river have been relaxed this month.", (), ()),
    ("enforcement", "Police arrested four traders at the market.", (), ()),
    ("enforcement", "The man was fined RMB 5,000 for selling phones.", (), ("RMB 5,000",)),
    ("enforcement", "Two officials were publicly executed in the city square.", (), ()),
    ("smuggling", "Smugglers carried the goods across the river at night.", (), ()),
    ("smuggling", "Contraband is moving through the hills again.", (), ()),
    ("trade", "The rice arrived by rail through the bridge crossing.", ("rice",), ()),
    ("trade", "Several ships carrying flour docked at the port last week.", ("flour",), ()),
    ("trade_demand", "Importers are asking their partners for fertilizer and diesel.", ("fertilizer", "diesel"), ()),
    ("trade_demand", "There are severe shortages of cooking oil in the markets.", ("cooking oil",), ()),
    ("trade_demand", "Demand for Chinese seeds has grown this year.", (), ()),
    ("defection", "A soldier defected across the line in the fog.", (), ()),
    ("defection", "The family fled North Korea in the winter of that year.", (), ()),
    ("repatriation", "China forcibly repatriated dozens of escapees last month.", (), ()),
    ("repatriation", "Police sent the arrested women back to North Korea.", (), ()),
    ("remittance", "Remittances from families in the South have slowed.", (), ()),
    ("remittance", "Brokers sent money to relatives in the northern towns.", (), ()),
    ("price", "Rice prices have soared in local markets.", (), ()),
    ("price", "A kilogram of rice sold for KPW 5,000 on Friday.", (), ("KPW 5,000",)),
    ("price", "The exchange rate climbed again this week.", (), ()),
    ("health", "Over thirty fever cases were found in the town.", (), ()),
    ("health", "Residents were placed in quarantine for two weeks.", (), ()),
    ("health", "A cholera outbreak hit the county in August.", (), ()),
    ("sanctions", "The council imposed new sanctions on the shipping firm.", (), ()),
    ("sanctions", "The tanker was seized in violation of UN sanctions.", (), ()),
    ("corruption", "Traders bribed the guards to let the trucks pass.", (), ()),
    ("corruption", "The official took kickbacks from every shipment.", (), ()),
    ("company", "The state plans to merge several small trading companies.", (), ()),
    ("company", "The ministry revoked trade licenses held by two firms.", (), ()),
    ("military", "The army fired two ballistic missiles into the sea.", (), ()),
    ("military", "The regime carried out a nuclear test in the mountains.", (), ()),
    ("diplomacy", "The two leaders held a summit in the capital.", (), ()),
    ("diplomacy", "The foreign minister visited Beijing for talks with officials.", (), ()),
]

NEGATIVE = [
    ("border_tightening", "The shop closed early because the owner was ill."),
    ("border_easing", "Factories and restaurants are reopening in the province."),
    ("enforcement", "The weather was fine and the market was busy."),
    ("smuggling", "Guards arrested three people caught smuggling copper."),
    ("trade", "Officials worry about importing the virus from abroad."),
    ("trade_demand", "The trader asked for anonymity when speaking to reporters."),
    ("defection", "The factory found defects in half of the shoes."),
    ("repatriation", "The students returned to their dormitory after class."),
    ("remittance", "He sent a letter to his teacher last year."),
    ("price", "The cost of living is a common topic of conversation."),
    ("health", "The hospital hired two new doctors in the spring."),
    ("sanctions", "Officials discussed the weather at the meeting."),
    ("corruption", "The anti-corruption office held a lecture."),
    ("company", "The trading company sold shoes in the market."),
    ("military", "The soldiers ate lunch at the base."),
    ("diplomacy", "The trader visited the market to buy shoes."),
]


@pytest.mark.parametrize("etype, sentence, commodities, money", POSITIVE)
def test_events_positive(etype: str, sentence: str, commodities: tuple[str, ...],
                         money: tuple[str, ...]) -> None:
    assert etype in _types(sentence, commodities=commodities, money=money)


@pytest.mark.parametrize("etype, sentence", NEGATIVE)
def test_events_negative(etype: str, sentence: str) -> None:
    assert etype not in _types(sentence)


def test_events_every_type_has_two_positive_and_one_negative_case() -> None:
    for etype in EVENT_TYPES:
        assert sum(c[0] == etype for c in POSITIVE) >= 2, etype
        assert any(c[0] == etype for c in NEGATIVE), etype


@pytest.mark.parametrize("sentence, etype, negated, hedged", [
    ("Chinese authorities have yet to reopen the border with the North.", "border_easing", True, False),
    ("No one is attempting to smuggle anything across the river.", "smuggling", True, False),
    ("UN sanctions have yet to be lifted on the country.", "sanctions", True, False),
    ("The guards did not arrest the traders.", "enforcement", True, False),
    ("Police reportedly arrested two brokers in the town.", "enforcement", False, True),
    ("The border appears to have closed again near the river.", "border_tightening", False, True),
    ("Shops are open again, but the border has not reopened.", "border_easing", True, False),
    ("The border was closed in spring, but trade resumed in the summer.", "border_tightening", False, False),
])
def test_events_negation_and_hedging(sentence: str, etype: str, negated: bool, hedged: bool) -> None:
    found = [e for e in _events(sentence) if e.type == etype]
    assert found, f"no {etype} event"
    assert (found[0].negated, found[0].hedged) == (negated, hedged)


def test_events_carry_offsets_rule_and_sentence_facts() -> None:
    text = "Police in Hyesan fined smugglers RMB 2,000 on the 5th.\n\nMarkets were quiet."
    d = fb.doc(text)
    mentions = [fb.place(d, "Hyesan")]
    amounts = [fb.money(d, "RMB 2,000", 2000, "CNY")]
    dates = [fb.date(d, "the 5th", "2022-07-05")]
    (event,) = [e for e in find_events(d, mentions, amounts, dates, []) if e.type == "enforcement"]
    assert d.text[event.start:event.end] == event.trigger == "fined"
    assert event.rule == "event.enforcement.fine"
    assert event.places == ("place:hyesan",) and event.amounts == (0,)
    assert event.date == "2022-07-05" and event.sentence_index == 0
    assert event.attribution is None


def test_events_one_per_type_per_clause() -> None:
    events = _events("Police arrested and punished the traders.")
    assert [e.type for e in events].count("enforcement") == 1


def test_events_attribution_from_the_sentence_or_its_speaker() -> None:
    text = ("A source in Hyesan told Daily NK that police arrested ten traders.\n\n"
            "“Guards have sealed off the border,” the source added.")
    d = fb.doc(text)
    atts = find_attributions(d, [])
    events = find_events(d, [], [], [], atts)
    assert {e.type: e.attribution for e in events} == {"enforcement": 0, "border_tightening": 1}
    assert atts[1].holder == atts[0].holder


@pytest.mark.parametrize("data, message", [
    ({"type": "weather", "triggers": [{"id": "rain", "patterns": ["rain"]}]}, "unknown event type"),
    ({"type": "trade", "triggers": []}, "non-empty"),
    ({"type": "trade", "triggers": [{"id": "ship", "patterns": []}]}, "non-empty"),
    ({"type": "trade", "triggers": [{"id": "ship", "patterns": ["(unclosed"]}]}, "bad pattern"),
    ({"type": "trade", "triggers": [{"id": "a", "patterns": ["x"]}, {"id": "a", "patterns": ["y"]}]},
     "duplicate"),
    ({"type": "trade", "triggers": [{"id": "a", "patterns": ["x"], "context_kinds": ["weather"]}]},
     "context_kinds"),
])
def test_events_data_validation(data: dict, message: str) -> None:
    with pytest.raises(DataError, match=message):
        compile_event_type(data, "test.yaml")


def test_events_data_one_file_per_type_with_rule_ids() -> None:
    rules = event_rules()
    assert [r.type for r in rules] == list(EVENT_TYPES)
    for r in rules:
        assert r.triggers and all(t.rule.startswith(f"event.{r.type}.") for t in r.triggers.values())


# --- the seed --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    d = fb.seed_doc()
    mentions, amounts, dates = fb.seed_facts(d)
    atts = find_attributions(d, mentions)
    return d, find_events(d, mentions, amounts, dates, atts), atts


def test_events_seed_expected_types_with_evidence(seed) -> None:
    _, events, _ = seed
    expected = json.loads(fb.SEED_EXPECTED.read_text(encoding="utf-8"))["events"]
    for exp in expected:
        hits = [e for e in events if e.type == exp["type"] and exp["evidence"] in e.sentence]
        assert hits, f"no {exp['type']} event for {exp['evidence']!r}"
        if exp["place"]:
            assert any(f"place:{exp['place'].lower()}" in e.places for e in hits)


def test_events_seed_first_sentence_is_negated(seed) -> None:
    _, events, _ = seed
    first = [e for e in events if e.sentence_index == 0 and e.type in ("border_easing", "trade")]
    assert first and all(e.negated for e in first)


def test_events_seed_precision(seed) -> None:
    _, events, _ = seed
    assert len(events) <= 30
    assert not [e for e in events if e.type in ("smuggling", "military", "diplomacy", "defection")]


def test_events_seed_offsets_and_attributions(seed) -> None:
    d, events, atts = seed
    for e in events:
        assert d.text[e.start:e.end] == e.trigger
        assert e.attribution is None or isinstance(atts[e.attribution], Attribution)
    health = [e for e in events if e.type == "health" and "Sinuiju" in e.sentence]
    assert health and atts[health[0].attribution].holder == atts[0].holder
