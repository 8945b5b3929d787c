"""The search box never reaches SQLite malformed: typed text is read as text (issue 8)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.store.searchquery import fts_query
from tests.examples import examples


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO t(title, text) VALUES (?, ?)", [
        ("Invented: cross-border coal", "Traders moved coal across the Yalu near Sinuiju."),
        ("Invented: Kim's fever cases", "Fever cases rose in Hyesan, officials said."),
    ])
    return conn


@pytest.mark.parametrize("typed, hits", [
    ("cross-border", 1), ('"fever', 1), ("Kim's", 1), ("Sinuiju AND", 1), ("coal -Yalu", 1),
    ('"fever cases" AND Hyesan', 1), ("Hyesan NOT coal", 1), ("(coal OR fever) AND Yalu", 1),
    ("smugg* OR trad*", 1), ("title:coal", 1), ("NEAR(fever cases)", 1), ("AND OR", 0),
])
def test_searchquery_typed_text_finds_what_it_says(fts, typed, hits):
    q = fts_query(typed)
    n = fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", [q]).fetchone()[0] if q else 0
    assert n == hits, (typed, q)


@settings(max_examples=examples(3000), deadline=None)
@given(st.text(alphabet='abc Kim\'s-"()*:ANDORTNEAR/,.5 \t', max_size=40))
def test_searchquery_never_malformed(fts, typed):
    q = fts_query(typed)
    if q:
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", [q]).fetchone()


def test_searchquery_place_spellings_find_each_other(fts):
    """Issue 8: Shinuiju finds Sinuiju (the gazetteer's aliases of one place)."""
    from borderwatch.extract.places import place_spellings
    assert "Sinuiju" in place_spellings("Shinuiju")
    q = fts_query("Shinuiju coal", place_spellings)
    assert fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", [q]).fetchone()[0] == 1
    assert place_spellings("coal") == ()


@pytest.fixture(scope="module")
def fts_ko():
    """Invented Korean sentences, indexed as the store indexes text (words split at spaces)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='porter unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO t(title, text) VALUES (?, ?)", [
        ("지어낸 예", "양강도 혜산시에서 밀수꾼들이 단속됐다."),
        ("지어낸 예", "혜산의 장마당에서 쌀값이 올랐다."),
        ("지어낸 예", "신의주 세관은 화물차를 돌려보냈다."),
    ])
    return conn


@pytest.mark.parametrize("typed, hits", [
    ("혜산", 2), ("신의주", 1), ("밀수", 1), ("혜산 쌀값", 1), ("혜산 OR 신의주", 3),
    ("혜산 NOT 밀수", 1), ("장마당", 1), ("평양", 0),
])
def test_a_korean_word_finds_it_with_its_particles(fts_ko, typed, hits):
    """Particles are written onto the word (혜산시에서, 혜산의): a Korean word is a prefix."""
    q = fts_query(typed)
    assert fts_ko.execute("SELECT count(*) FROM t WHERE t MATCH ?", [q]).fetchone()[0] == hits, (typed, q)


def test_a_place_typed_in_english_finds_its_hangul_spelling_with_particles(fts_ko):
    from borderwatch.extract.places import place_spellings

    q = fts_query("Hyesan", place_spellings)
    assert fts_ko.execute("SELECT count(*) FROM t WHERE t MATCH ?", [q]).fetchone()[0] == 2, q
