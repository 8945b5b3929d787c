"""The speed-ups of extract/trigger_index.py and cues.compile_fast change no result.

Invented sentences only (the paraphrase suite's, plus a few here).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.extract.events import event_rules
from borderwatch.extract.trigger_index import openings, word_starts
from borderwatch.patterns import compile_fast, lowered
from tests.examples import examples

from .test_paraphrases import NEGATIVES, NEUTRAL, PARAPHRASES

SENTENCES = ([p[1] for p in PARAPHRASES] + [s for _, s in NEGATIVES] + list(NEUTRAL) + [
    "Customs at the bridge were publicly executed, officials said.",
    "The won traded at 8,200 to 1 USD in Hyesan; 1,150 won per yuan in Sinuiju.",
    "Self-isolation for ten days became the rule in the county.",
])


def test_trigger_index_every_match_opens_with_one_of_its_openings():
    """Wherever a trigger pattern matches at a word start, the text there begins with one of
    the pattern's openings: the index never hides a match."""
    checked = 0
    for rules in event_rules():
        for _group, sources in rules.grouped:
            for src in sources:
                pat, opens = re.compile(src), openings(src)
                for sentence in SENTENCES:
                    low = lowered(sentence)
                    for pos in word_starts(low):
                        if pat.match(low, pos):
                            checked += 1
                            assert any(low.startswith(o, pos) for o in opens), (src, sentence)
    assert checked > 300  # the suite really exercised the patterns


@pytest.mark.parametrize("source, expected", [
    (r"(?:smuggl(?:e|ed|es|ing))(?![\w-])", {"smu"}),
    (r"(?:publicly\s+)?execut(?:ed|ion)", {"pub", "exe"}),
    (r"ab?c", {"abc", "ac"}),
    (r"(?:ab)+c", {"ab"}),
])
def test_trigger_index_openings_of_known_forms(source, expected):
    assert openings(source) == expected


PATTERNS = [
    r"(?<![\w-])(?:Kim|Lee|Park) [A-Z][a-z]{0,5}(?:-[A-Za-z][a-z]{0,5})(?![\w-])",
    r"\b(?:said|told),? (?P<name>[A-Z][a-z]+)",
    r"(?<![\w.])(?P<title>(?i:minister|envoy)) (?P<name>[A-Z]\w+)",
    r"(?x) \b (?:one|two) \s+ ships",
    r"(?:^|[.!?]\s+)(?=[A-Z])",
    r"[,;]\s*(?:but|while)\b",
]


@settings(max_examples=examples(150), deadline=None)
@given(st.text(alphabet="KimLeParkSunOh -.,;!?said told Minister ENVOY one two ships\n", max_size=80))
def test_cues_compile_fast_finds_the_same_matches(text):
    for source in PATTERNS:
        plain, fast = re.compile(source), compile_fast(source)
        assert [m.span() for m in plain.finditer(text)] == [m.span() for m in fast.finditer(text)]


@pytest.mark.parametrize("text", [
    "Coal and 석탄 moved through 丹东 and Dandong.",
    "Only English here: Dandong, Sinuiju and coal.",
    "석탄 first, then Hyesan.",
])
def test_gazetteer_ascii_fast_path_finds_the_same_aliases(text):
    """A table with Hangul and Chinese aliases scans an English-only text with its ASCII part;
    a text holding other scripts with the whole table. Either way the same matches."""
    from borderwatch.extract.gazetteer import compile_table
    table = compile_table([("coal", "c"), ("석탄", "c"), ("Dandong", "d"), ("丹东", "d"),
                           ("Sinuiju", "s"), ("Hyesan", "h")])
    assert table.ascii_pattern is not None
    full = [(m.start(), m.end()) for m in table.pattern.finditer(text)]
    assert [(s, e) for s, e, _ in table.scan(text)] == full
