"""Negation and hedge cues, scoped to the trigger's clause."""

from __future__ import annotations

import pytest

from borderwatch.extract.cues import clause_bounds, is_hedged, is_negated


def _check(fn, sentence: str, trigger: str) -> bool:
    i = sentence.index(trigger)
    return fn(sentence, 0, len(sentence), i, i + len(trigger))


@pytest.mark.parametrize("sentence, trigger, expected", [
    ("Chinese authorities have yet to reopen trade with the North.", "reopen trade", True),
    ("No one is attempting to smuggle goods across the river now.", "smuggle", True),
    ("Customs officers did not seize the shipment.", "seize", True),
    ("The guards never arrested the traders.", "arrested", True),
    ("Officials refused to lift the ban on crossings.", "lift the ban", True),
    ("The company failed to export the coal.", "export", True),
    ("Traders cannot cross the bridge these days.", "cross the bridge", True),
    ("The border didn't reopen in May.", "reopen", True),
    ("The planned summit was called off at the last minute.", "summit", True),
    ("Factories are reopening, but the border has yet to reopen.", "Factories are reopening", False),
    ("The border has not reopened, but smugglers are busy again.", "smugglers are busy", False),
    ("Police not only fined the traders but also arrested them.", "fined", False),
    ("The guards arrested three smugglers on Monday.", "arrested", False),
    ("There is no doubt the border closed again.", "closed", False),
])
def test_cues_negation(sentence: str, trigger: str, expected: bool) -> None:
    assert _check(is_negated, sentence, trigger) is expected


@pytest.mark.parametrize("sentence, trigger, expected", [
    ("Authorities are reportedly cracking down on smugglers.", "cracking down", True),
    ("The border appears to have closed again.", "closed", True),
    ("The defector is believed to have crossed the river.", "crossed the river", True),
    ("Trade is expected to resume next month.", "resume", True),
    ("The official allegedly took bribes from traders.", "bribes", True),
    ("The border will likely reopen in spring.", "reopen", True),
    ("Smuggling has surged in the area, sources said.", "Smuggling", True),
    ("Prices rose sharply, but the border reportedly stayed closed.", "Prices rose", False),
    ("Guards arrested two traders on Monday.", "arrested", False),
    ("The border closed in March, which is most likely due to the outbreak.", "closed", False),
])
def test_cues_hedging(sentence: str, trigger: str, expected: bool) -> None:
    assert _check(is_hedged, sentence, trigger) is expected


def test_cues_clause_bounds_stop_at_conjunctions_and_commas() -> None:
    s = "Shops are open again, but the bridge remains shut because of the virus."
    i = s.index("bridge")
    start, end = clause_bounds(s, 0, len(s), i, i + 6)
    assert s[start:end].strip() == "the bridge remains shut"
