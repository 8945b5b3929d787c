"""patterns.py: literal phrases as one regex, longest first (property tests)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from borderwatch.patterns import alternation, alternation_by_first_char, literal, longest_first

# Phrases of letters, spaces and regex metacharacters (which must match literally).
_CHARS = st.sampled_from(list("abcAB .*+?()[]|\\$^{}위안화"))
_PHRASES = st.lists(st.text(_CHARS, min_size=1, max_size=6).filter(lambda p: p.strip() == p and p),
                    min_size=1, max_size=8)


def _longest_prefix(phrases: list[str], text: str) -> str | None:
    found = [p for p in phrases if text.startswith(p)]
    return max(found, key=len) if found else None


@given(_PHRASES, st.text(_CHARS, max_size=6))
def test_alternation_matches_the_longest_phrase_at_a_position(phrases: list[str], tail: str) -> None:
    for p in phrases:
        text = p + tail
        m = re.match(alternation(phrases), text)
        assert m is not None and m.group(0) == _longest_prefix(phrases, text)


@given(_PHRASES, st.text(_CHARS, max_size=6))
def test_alternation_grouped_by_first_character_matches_the_same(phrases: list[str], text: str) -> None:
    for t in [text, *(p + text for p in phrases)]:
        a = re.match(alternation(phrases), t)
        b = re.match(alternation_by_first_char(phrases), t)
        assert (a and a.group(0)) == (b and b.group(0))


@given(_PHRASES)
def test_alternation_source_does_not_depend_on_input_order(phrases: list[str]) -> None:
    assert alternation(phrases) == alternation(list(reversed(phrases))) == alternation(set(phrases))
    assert longest_first(phrases) == sorted(set(phrases), key=lambda p: (-len(p), p))


def test_alternation_any_space_matches_any_run_of_white_space() -> None:
    rx = re.compile(alternation(["per cent", "per"], any_space=True))
    assert rx.match("per \n\t cent").group(0) == "per \n\t cent"
    assert re.match(alternation(["per cent"]), "per  cent") is None  # without it, one space only
    assert literal("a b", any_space=True) == r"a\s+b"


def test_alternation_capitalised_adds_the_sentence_start_form() -> None:
    rx = re.compile(rf"(?:{alternation(['twenty', 'a dozen'], capitalised=True)})$")
    assert all(rx.match(w) for w in ("twenty", "Twenty", "a dozen", "A dozen"))
    assert not rx.match("TWENTY")
