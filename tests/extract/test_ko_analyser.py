"""The optional Korean analyser (Kiwi, the `ko` extra; issue 12): the switch, its place in the
extractor's version, the error when it is missing, and what its morphemes change. Every Korean
sentence here is invented for these tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.extract.ko import analyser
from borderwatch.extract.ko.analyser import ENV, AnalyserUnavailable, analyse, analyser_choice, predicate_negated, suffixed_names
from borderwatch.extract.pipeline import extract, extractor_version
from tests.examples import examples
from tests.extract.factsbuild import ko_doc


def _fresh() -> None:
    """Forget the process's reading of the switch (and the version built on it)."""
    analyser_choice.cache_clear()
    extractor_version.cache_clear()


@pytest.fixture
def switch(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The switch's environment variable restored, and its cached reading forgotten, after."""
    monkeypatch.setenv(ENV, "none")
    _fresh()
    yield monkeypatch
    _fresh()


@pytest.fixture
def kiwi(switch: pytest.MonkeyPatch) -> None:
    """The analyser switched on (skipped where the `ko` extra is not installed)."""
    pytest.importorskip("kiwipiepy", reason="the ko extra (kiwipiepy) is not installed")
    switch.setenv(ENV, "kiwi")
    _fresh()


def test_off_unless_asked_and_an_unknown_name_is_refused(switch):
    switch.delenv(ENV)
    _fresh()
    assert analyser_choice() == "none" and analyse("혜산시에서") is None
    switch.setenv(ENV, "mecab")
    _fresh()
    with pytest.raises(AnalyserUnavailable, match="none, kiwi"):
        analyser_choice()


def test_switching_the_analyser_on_changes_the_extractor_version(switch):
    pytest.importorskip("kiwipiepy", reason="the ko extra (kiwipiepy) is not installed")
    off = extractor_version()
    switch.setenv(ENV, "kiwi")
    _fresh()
    on = extractor_version()
    assert on != off and on.split("+")[0] == off.split("+")[0]
    assert "kiwipiepy==" in (analyser.analyser_tag() or "")
    switch.setenv(ENV, "none")
    _fresh()
    assert extractor_version() == off  # switching back: the old extraction again


def test_kiwi_asked_for_but_missing_is_a_one_line_error_naming_the_ko_extra(switch, tmp_path: Path):
    switch.setitem(sys.modules, "kiwipiepy", None)  # `import kiwipiepy` now raises ImportError
    switch.setenv(ENV, "kiwi")
    _fresh()
    with pytest.raises(AnalyserUnavailable) as err:
        analyser_choice()
    message = str(err.value)
    assert "ko extra" in message and "borderwatch[ko]" in message and "\n" not in message

    from borderwatch.cli import main

    report = tmp_path / "r.txt"
    report.write_text("Invented: the border opened.\n", encoding="utf-8")
    switch.setenv(ENV, "none")
    _fresh()
    r = CliRunner().invoke(main, ["extract", "--ko-analyser", "kiwi", str(report)])
    assert r.exit_code == 1
    assert r.output.strip() == f"Error: {message}"  # before any report is read: no fact sheet printed


# Kiwi itself (its model loads in about 1.5 s): slow.

@pytest.mark.slow
def test_morphemes_point_at_their_characters_and_verb_tags_lose_the_conjugation_mark(kiwi):
    text = "혜산시에서 송금 의뢰를 아예 받지 않고 있다."
    a = analyse(text)
    assert a is not None
    assert [(m.form, m.tag) for m in a.morphemes[:2]] == [("혜산시", "NNP"), ("에서", "JKB")]
    assert ("받", "VV") in [(m.form, m.tag) for m in a.morphemes]  # Kiwi says VV-R
    for m in a.morphemes:
        if m.tag in ("NNP", "NNG", "JKB", "JKO"):
            assert text[m.start:m.end] == m.form
    assert list(a.ends) == [m.end for m in a.morphemes]


@pytest.mark.slow
def test_names_ending_in_a_suffix_are_cut_from_their_particles(kiwi):
    # (Kiwi reads a name by its context: in "지난달 칠성리 주민들" it splits 칠성/리; README says so)
    text = "관흥노동자구에서 단속이 있었고 칠성리 주민들도 봤다. 보위원들이 왔다."
    a = analyse(text)
    assert a is not None
    found = [(m.form, suffix, text[m.start:m.end]) for m, suffix in suffixed_names(a, text, ["노동자구", "구", "리"])]
    # the longest suffix; 보위원들 is no name
    assert found == [("관흥노동자구", "노동자구", "관흥노동자구"), ("칠성리", "리", "칠성리")]


@pytest.mark.slow
@pytest.mark.parametrize("text", ["김영동이 말했다.", "주민 김성동(45)씨는 웃었다.", "보안원 리영동은 떠났다.", "김정리 씨가 왔다."])
def test_a_persons_name_with_a_place_suffix_is_no_place(kiwi, text):
    a = analyse(text)
    assert a is not None
    assert suffixed_names(a, text, ["동", "리"]) == []


NEGATED = [  # (sentence, trigger): the trigger's own predicate is negated
    ("단속을 하지 못했다.", "단속"),
    ("브로커들은 송금 의뢰를 아예 받지 않고 있다.", "송금"),
    ("무역 재개가 미뤄졌다.", "재개"),
    ("올해 적발된 사례가 없다.", "적발된"),
    ("세관의 화물 통관이 아직 재개되지 않았다.", "통관"),
    ("국경 단속을 강화하지 않았다.", "단속"),
]
NOT_NEGATED = [  # a negation of another predicate, or none
    ("지난해 석탄이 적발된 사례로 미루어 보아 밀수는 계속되고 있다.", "적발된"),  # 미루어 보아: judging by
    ("보위부가 단속했지만 밀수꾼을 잡지 못했다.", "단속"),  # the catching failed, not the crackdown
    ("물동량을 감당할 수 없다.", "물동량"),
    ("밀수꾼 두 명이 체포됐다.", "체포"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger", "negated"),
                         [(t, g, True) for t, g in NEGATED] + [(t, g, False) for t, g in NOT_NEGATED])
def test_negation_is_read_in_the_triggers_own_predicate(kiwi, text, trigger, negated):
    a = analyse(text)
    assert a is not None
    end = text.index(trigger) + len(trigger)
    assert predicate_negated(a, end, len(text)) is negated


@pytest.mark.slow
def test_the_walk_stops_at_a_final_ending_and_at_the_limit(kiwi):
    text = "단속을 했다. 밀수는 하지 않았다."
    a = analyse(text)
    assert a is not None
    assert predicate_negated(a, 2, len(text)) is False  # 했다. ends the crackdown's predicate
    assert predicate_negated(a, text.index("밀수") + 2, len(text)) is True
    assert predicate_negated(a, text.index("밀수") + 2, text.index("않")) is False  # the sentence ends first


# Invented: a village unit the gazetteer lacks, not after the place that holds it; a trade
# negated three words after its trigger; an enforcement whose trigger only modifies a noun.
REPORT = ("양강도 소식통에 따르면 관흥노동자구에서 지난달 밀수꾼 두 명이 체포됐다. "
          "세관의 화물 통관이 아직 재개되지 않았다고 소식통이 전했다. "
          "지난해 석탄이 적발된 사례로 미루어 보아 밀수는 계속되고 있다.")


def _facts() -> tuple[list[tuple[str, str | None, str]], dict[tuple[str, str], bool]]:
    sheet = extract(ko_doc(REPORT, published="2024-03-05"))
    places = [(m.text, m.place_kind, m.rule) for m in sheet.mentions if m.kind == "place"]
    return places, {(e.type, e.trigger): e.negated for e in sheet.events}


@pytest.mark.slow
def test_what_the_analyser_changes_in_an_invented_report(kiwi, switch):
    with_kiwi = _facts()
    switch.setenv(ENV, "none")
    _fresh()
    without = _facts()
    # a place the gazetteer lacks, standing alone, is found only with the analyser
    assert ("관흥노동자구", "district", "place.ko.analyser") in with_kiwi[0]
    assert "관흥노동자구" not in [p for p, _, _ in without[0]]
    assert [p for p in with_kiwi[0] if p[0] != "관흥노동자구"] == without[0]
    # "통관이 아직 재개되지 않았다": the regexes look for a negation within 8 characters of the
    # trigger; Kiwi follows the predicate
    assert without[1][("trade", "통관")] is False and with_kiwi[1][("trade", "통관")] is True
    # "적발된 사례로 미루어 보아" (judging by the cases found): the regexes read 미루 (put off)
    # as a negation; Kiwi sees the trigger modify 사례 and stops there
    assert without[1][("enforcement", "적발된")] is True and with_kiwi[1][("enforcement", "적발된")] is False
    assert with_kiwi[1][("enforcement", "체포")] is False and without[1][("enforcement", "체포")] is False


# Pieces of invented Korean report text, and stray characters, for the property below.
PIECES = ["관흥노동자구", "혜산시", "양강도", "에서", "의", "이", "를", "단속", "하지", "않았다", "못했다",
          "적발된", "사례가", "없다", "밀수꾼", "체포됐다", "통관이", "아직", "재개되지", " ", " ", "\n", ".",
          ",", "“", "3명", "丹東서", "😀", "\u200b", "ㄱ", "됐", "‘"]


@pytest.mark.slow
@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(parts=st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=40))
def test_with_the_analyser_every_fact_still_points_at_its_characters(kiwi, parts):
    text = "양강도 소식통이 전했다. " + "".join(parts)  # never empty: a report needs text
    sheet = extract(ko_doc(text))
    doc_text = sheet.document.text
    for m in sheet.mentions:
        assert doc_text[m.start:m.end] == m.text
    for e in sheet.events:
        assert doc_text[e.start:e.end] == e.trigger
    a = analyse(doc_text)
    assert a is not None and all(0 <= m.start <= m.end <= len(doc_text) for m in a.morphemes)
