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
    # forms beyond single keywords: one invented sentence per form
    ("enforcement", "Investigators began a joint crackdown operation near the river landings.", (), ()),
    ("enforcement", "The two brokers face sentences of up to five years in a labour camp.", (), ()),
    ("enforcement", "Anyone caught with the goods has to pay RMB 9,000 on the spot.", (), ("RMB 9,000",)),
    ("enforcement", "Four customs officers were quietly dismissed after the audit.", (), ()),
    ("enforcement", "The provincial party dismissed three officials who had sold permits.", (), ()),
    ("enforcement", "The ministry set up a special task force to catch phone users.", (), ()),
    ("enforcement", "Police have been checking identity cards at every bus station.", (), ()),
    ("enforcement", "The men were taken to a provincial detention center for questioning.", (), ()),
    ("enforcement", "Officials were told to track down residents who watch foreign films.", (), ()),
    ("enforcement", "Police raided three warehouses on the edge of the town.", (), ()),
    ("smuggling", "A farmer was caught with herbs hidden in a hay cart.", ("herbs",), ()),
    ("smuggling", "A van carrying forty boxes of phones was intercepted near the bridge.", (), ()),
    ("smuggling", "Bags of sugar are thrown across at shallow points of the river.", ("sugar",), ()),
    ("smuggling", "The crabs leave in boxes labelled as Chinese products.", ("crabs",), ()),
    ("trade", "Freight trains between the two cities resumed service in March.", (), ()),
    ("trade", "Cargo traffic through the new bridge has finally resumed.", (), ()),
    ("trade", "The country expanded imports from Russia this spring.", (), ()),
    ("trade", "Exports to the North had risen sharply by the end of the year.", (), ()),
    ("trade", "Trade between the neighbours is expected to recover further.", (), ()),
    ("trade", "A tanker was unloading at the fuel terminal in the port.", (), ()),
    ("trade", "Customs data shows that imports of flour doubled.", ("flour",), ()),
    ("sanctions", "Iron ore is among the goods banned under UN sanctions.", (), ()),
    ("sanctions", "The Security Council banned all textile exports from the country.", (), ()),
    ("sanctions", "The freighter switched off its AIS transponder near the coast.", (), ()),
    ("sanctions", "The tanker took on diesel in a ship-to-ship transfer at night.", (), ()),
    ("sanctions", "The panel said fishing rights had been sold to foreign fleets.", (), ()),
    ("sanctions", "The firm shipped the machines despite UN sanctions.", (), ()),
    ("defection", "Only nine defectors reached South Korea in the first quarter.", (), ()),
    ("defection", "The broker helped two women leave North Korea last winter.", (), ()),
    ("defection", "Nobody has tried to cross the river since the spring.", (), ()),
    ("defection", "Her mother had crossed the river alone in 2015.", (), ()),
    ("repatriation", "The detainees were handed over to North Korean border guards.", (), ()),
    ("repatriation", "Women who are sent back face torture and forced labour.", (), ()),
    ("remittance", "My sister sent 2 million South Korean won last month.", (), ()),
    ("remittance", "Brokers now ask for an upfront fee of 1 million won.", (), ()),
    ("price", "Prices of imported shoes have started to climb in the city.", (), ()),
    ("price", "A traders pays about 30 yuan per kilogram for scrap iron.", (), ("30 yuan",)),
    ("price", "A sack of flour costs about 150 yuan in the market.", (), ("150 yuan",)),
    ("corruption", "The smugglers paid the local police chief 300 dollars a month.", (), ()),
    ("corruption", "Importers pay RMB 800 for every truck to customs officials.", (), ()),
    ("corruption", "Inspectors were reportedly paid to look the other way.", (), ()),
    ("corruption", "Guards used to wave carts through in exchange for cigarettes.", (), ()),
    ("border_tightening", "Guards were ordered to fire on anyone approaching the fence.", (), ()),
    ("border_tightening", "Residents were told to keep 200 meters away from the riverbank.", (), ()),
    ("border_tightening", "The army declared a buffer zone along the frontier.", (), ()),
    ("border_tightening", "Smuggling across the river has stopped completely.", (), ()),
    ("border_easing", "Officials said checks on cross-border freight would be eased soon.", (), ()),
    ("border_easing", "The new bridge has yet to open to traffic.", (), ()),
    ("health", "Two children died after developing high fevers.", (), ()),
    ("military", "The country has conducted a string of weapons tests this year.", (), ()),
    ("military", "Extra troops have reportedly been deployed near the coast.", (), ()),
    ("diplomacy", "Talks between the two trade ministers were held in the capital.", (), ()),
    ("diplomacy", "The foreign ministry asked Beijing to stop the deportations.", (), ()),
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
    # generic nouns and background clauses are not events
    ("smuggling", "The smugglers in the village are mostly older men."),
    ("smuggling", "Smuggling through the town has stopped completely this year."),
    ("defection", "Defection is as dangerous as it has ever been."),
    ("enforcement", "Guards were warned they will be punished if anyone slips through."),
    ("enforcement", "The court dismissed the claims as baseless."),
    ("enforcement", "The workers have to pay rent every month."),
    ("border_tightening", "Prices were lower before the border was closed."),
    ("border_tightening", "Few traders have earned money since the border closure."),
    ("trade_demand", "There is growing demand for foreign currency in the city."),
    ("trade_demand", "Sugar and oil were the first items to become scarce."),
    ("price", "The cost of sending a parcel by train has fallen."),
    ("price", "Licences cost up to $9,000 in unofficial payments to officials."),
    ("repatriation", "Half of the money sent to North Korea goes to the brokers."),
    ("military", "The ban came in response to the country's missile tests."),
    ("military", "Soldiers have been deployed along the river to stop smugglers."),
    ("defection", "Trucks crossed the river bridge at dawn with North Korean goods."),
    ("sanctions", "The ship switched on its lights at dusk."),
    ("diplomacy", "The trader asked Beijing-based friends for a loan."),
    ("corruption", "The traders pay customs duties to officials at the post."),
    ("border_easing", "Customs officers are paid to look the other way."),
    ("trade", "Trade officials reached the city by car on Monday."),
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
    ({"type": "weather", "triggers": [{"id": "rain", "patterns": ["rain"]}]},
     r"^test\.yaml: type: unknown event type 'weather'"),
    ({"type": "trade", "triggers": []}, r"^test\.yaml: triggers: .*at least 1 item"),
    ({"type": "trade", "triggers": [{"id": "ship", "patterns": []}]},
     r"^test\.yaml: triggers\[ship\]\.patterns: .*at least 1 item"),
    ({"type": "trade", "triggers": [{"id": "ship", "patterns": ["(unclosed"]}]},
     r"^test\.yaml: triggers\[ship\]\.patterns\.0: bad pattern"),
    ({"type": "trade", "triggers": [{"id": "a", "patterns": ["x"]}, {"id": "a", "patterns": ["y"]}]},
     r"^test\.yaml: .*duplicate trigger id 'a'"),
    ({"type": "trade", "triggers": [{"id": "a", "patterns": ["x"], "context_kinds": ["weather"]}]},
     r"^test\.yaml: triggers\[a\]\.context_kinds\.0: "),
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


# --- matching mechanics ----------------------------------------------------------------------


@pytest.fixture()
def only_rules(monkeypatch):
    """Replace the data's trigger files by hand-written ones for one test."""
    from borderwatch.extract import events as ev

    def install(*types: dict) -> None:
        rules = tuple(compile_event_type(t, "test.yaml") for t in types)
        monkeypatch.setattr(ev, "event_rules", lambda: rules)
        ev._index_of_triggers.cache_clear()

    yield install
    ev._index_of_triggers.cache_clear()


def test_events_failed_context_blocks_no_later_trigger(only_rules) -> None:
    only_rules({"type": "trade", "triggers": [
        {"id": "long", "patterns": ["ships? (?:[\\w-]+ ){0,3}cargo"], "context": ["harbour"]},
        {"id": "short", "patterns": ["cargo of"]},
    ]})
    (event,) = _events("The ships brought in a cargo of rice.")
    assert event.rule == "event.trade.short" and event.trigger == "cargo of"


def test_events_failed_context_tries_other_triggers_at_the_same_word(only_rules) -> None:
    only_rules({"type": "trade", "triggers": [
        {"id": "a", "patterns": ["cargo of rice"], "context": ["harbour"]},
        {"id": "b", "patterns": ["cargo"]},
    ]})
    (event,) = _events("A cargo of rice came in.")
    assert event.rule == "event.trade.b"


@pytest.mark.parametrize("sentence, found", [
    ("The area is now heavily patrolled, a cross-border trader said.", True),
    ("The area is now heavily patrolled, a local farmer said.", False),
])
def test_events_context_words_match_inside_hyphenated_words(sentence: str, found: bool) -> None:
    assert ("border_tightening" in _types(sentence)) is found


@pytest.mark.parametrize("sentence, etype, found", [
    ("Xi Jinping visited Pyongyang in June.", "diplomacy", True),
    ("A tourist visited Pyongyang in June.", "diplomacy", False),
    ("The Security Council banned exports of coal from the country.", "sanctions", True),
])
def test_events_context_lists_of_leaders_and_bodies_come_from_data(sentence: str, etype: str,
                                                                   found: bool) -> None:
    assert (etype in _types(sentence)) is found


def test_events_unknown_named_context_list_is_a_data_error() -> None:
    data = {"type": "trade", "triggers": [{"id": "a", "patterns": ["x"], "context": ["@nobody"]}]}
    with pytest.raises(DataError, match="named lists"):
        compile_event_type(data, "test.yaml")


@pytest.mark.parametrize("sentence, kept, dropped", [
    ("Customs will stop processing imports of coal from the port.", "border_tightening", "trade"),
    ("Police began a crackdown on contact with traders across the river.", "border_tightening",
     "enforcement"),
    ("Smuggling through the pass has stopped this month.", "border_tightening", "smuggling"),
])
def test_events_one_type_where_two_compete_for_one_trigger(sentence: str, kept: str,
                                                           dropped: str) -> None:
    types = _types(sentence)
    assert kept in types and dropped not in types


def test_events_negation_does_not_spill_over_a_cause() -> None:
    found = [e for e in _events("Trade has not recovered due to new sanctions on the country.")
             if e.type == "sanctions"]
    assert found and not found[0].negated


def test_events_a_denial_that_is_the_claim_is_not_negated() -> None:
    found = [e for e in _events("State media said there were no confirmed cases of the virus.")
             if e.type == "health"]
    assert found and not found[0].negated


def test_events_tag_lines_yield_nothing() -> None:
    assert _events("border, china, smuggling, defectors, remittance, sanctions") == []


def test_events_most_specific_place_first() -> None:
    """An incident is counted at an event's first place: the town, not its province or river."""
    d = fb.doc("In Ryanggang Province, traders smuggled copper over the Yalu River at Hyesan.")
    mentions = [fb.place(d, "Ryanggang Province", kind="province"),
                fb.place(d, "Yalu River", kind="river"), fb.place(d, "Hyesan")]
    (event,) = find_events(d, mentions, [], [], [])
    assert event.type == "smuggling"
    assert event.places[0] == mentions[2].id and event.places[-1] == mentions[1].id
