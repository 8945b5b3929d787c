"""The search box never reaches SQLite malformed: typed text is read as text (issue 8)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.store.searchquery import fts_query


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


@settings(max_examples=3000, deadline=None)
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
