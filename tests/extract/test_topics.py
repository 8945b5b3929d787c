"""Topics: 2-5 from the closed list, scored from events, mentions and keywords."""

from __future__ import annotations

import json

import pytest

from borderwatch.datafiles import DataError
from borderwatch.extract.attributions import find_attributions
from borderwatch.extract.events import find_events
from borderwatch.extract.topics import choose_topics, compile_topics
from borderwatch.model import TOPICS, Event
from tests.extract import factsbuild as fb


def _event(etype: str, negated: bool = False) -> Event:
    return Event(type=etype, start=0, end=1, sentence="x", sentence_index=0, trigger="x",
                 negated=negated)


def test_topics_seed_set() -> None:
    d = fb.seed_doc()
    mentions, amounts, dates = fb.seed_facts(d)
    events = find_events(d, mentions, amounts, dates, find_attributions(d, mentions))
    topics = choose_topics(d, mentions, events)
    expected = json.loads(fb.SEED_EXPECTED.read_text(encoding="utf-8"))["topics"]
    assert set(expected) <= set(topics) and 2 <= len(topics) <= 5


@pytest.mark.parametrize("events, first", [
    (["defection", "defection", "repatriation"], "defectors"),
    (["military", "military", "diplomacy"], "military"),
    (["smuggling", "smuggling", "enforcement"], "smuggling"),
    (["remittance", "remittance", "price"], "remittance"),
])
def test_topics_best_first_from_events(events: list[str], first: str) -> None:
    d = fb.doc("Nothing much happened.")
    topics = choose_topics(d, [], [_event(t) for t in events])
    assert topics[0] == first and 2 <= len(topics) <= 5 and set(topics) <= set(TOPICS)


def test_topics_negated_events_weigh_less() -> None:
    d = fb.doc("Nothing much happened.")
    events = [_event("border_easing", negated=True), _event("border_easing", negated=True),
              _event("trade"), _event("trade")]
    assert choose_topics(d, [], events)[0] == "trade"


def test_topics_sanctioned_commodities_and_ports() -> None:
    d = fb.doc("Coal and iron ore left the port of Nampo on ships bound for the sea route.")
    mentions = [fb.commodity(d, "Coal", export_ban=True), fb.commodity(d, "iron ore", export_ban=True),
                fb.place(d, "Nampo", kind="port")]
    topics = choose_topics(d, mentions, [_event("trade")])
    assert "trade" in topics and "maritime" in topics


def test_topics_empty_report_has_none() -> None:
    assert choose_topics(fb.doc("The weather was mild."), [], []) == []


@pytest.mark.parametrize("data, message", [
    ({"events": {"weather": {"border": 1.0}}}, r"^lang/en/topics\.yaml: events\.weather\.\[key\]: unknown event type"),
    ({"events": {"trade": {"gossip": 1.0}}}, r"^lang/en/topics\.yaml: events\.trade\.gossip\.\[key\]: unknown topic"),
    ({"events": {"trade": {}}}, r"^lang/en/topics\.yaml: events\.trade: .*at least 1 item"),
    ({"keywords": [{"topic": "trade", "patterns": []}]}, r"^lang/en/topics\.yaml: keywords\.0\.patterns: .*at least 1 item"),
    ({"keywords": [{"topic": "weather", "patterns": ["rain"]}]}, r"^lang/en/topics\.yaml: keywords\.0\.topic: unknown topic"),
    ({"events": {"trade": {"trade": "heavy"}}}, r"^lang/en/topics\.yaml: events\.trade\.trade: "),
])
def test_topics_data_validation(data: dict, message: str) -> None:
    with pytest.raises(DataError, match=message):
        compile_topics(data)
