"""The Tantivy search index (issue 11): the same matches as SQLite FTS5 for anything typed, kept
in step with the store through the queue, rebuilt from the store when missing. All text invented."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.store import open_db, queries, searchindex
from borderwatch.store.periods import period_sql
from borderwatch.store.queries import Filters
from borderwatch.store.searchquery import fts_query
from borderwatch.store.writer import Writer
from tests.examples import examples

from .storehelp import doc, fts5_ids, store

# (title, body, outlet, published, language) — all invented
REPORTS = [
    ("Invented: cross-border coal", "Traders moved coal across the Yalu near Sinuiju. Border "
     "guards fined smugglers; fever cases were reported.", "Daily NK", "2023-03-02", "en"),
    ("Invented: Kim's fever cases", "Fever cases rose in Hyesan, officials said. Coal and rice "
     "prices fell while trucks waited at the border.", "NK News", "2023-04", "en"),
    ("Invented: smuggling ring broken", "Police broke a smuggling ring moving copper and phones; "
     "the smugglers were fined in yuan.", "Radio Free Asia", "2022", None),
    ("Invented: guards and rice", "Rice traders say border guards take bribes in Sinuiju and "
     "Hyesan alike, a source said.", "Yonhap", None, "en"),
    ("혜산 장마당 쌀값", "혜산시에서 쌀값이 올랐다고 소식통이 전했다. 국경 단속이 강화되었고 "
     "밀수꾼들이 벌금을 냈다.", "Daily NK", "2023-05-01", "ko"),
    ("신의주 세관", "신의주의 세관에서 석탄 밀수가 단속되었다.", "Asia Press", "2021-12-30", "ko"),
]

WORDS = ["coal", "rice", "border", "guards", "fever", "cases", "Sinuiju", "Hyesan", "smuggl*",
         "fined", "fines", "bribe", "혜산", "신의주", "밀수", "국경", "yuan", "trucks", "copper"]


def _store(path):
    c = open_db(path)
    w = Writer(c, c.execute("INSERT INTO runs(started_at, command) VALUES ('n', 't')").lastrowid)
    for i, (title, body, outlet, pub, lang) in enumerate(REPORTS):
        store(w, doc(body, f"r{i}.txt", title=title, outlet=outlet, published=pub, language=lang))
    w.commit()
    return c


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    return _store(tmp_path_factory.mktemp("six") / "s.db")


def _index_ids(conn, typed, f=Filters()):
    page = queries.search(conn, typed, f, limit=100)
    assert page.total == len(page.items)
    return {r["id"] for r in page.items}


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(["AND", "OR", "NOT", "(", ")"]),
                          st.lists(st.sampled_from(WORDS[:11]), min_size=2, max_size=3).map(
                              lambda ws: '"' + " ".join(ws) + '"')),
                min_size=1, max_size=7).map(" ".join))
def test_searchindex_finds_what_fts5_finds(conn, typed):
    """Words, prefixes, phrases, AND / OR / NOT with FTS5's precedence, parentheses, Korean
    prefixes, place spellings: the index answers exactly as SQLite FTS5 did."""
    from borderwatch.extract.places import place_spellings

    match = fts_query(typed, place_spellings)
    if not match:
        return
    assert _index_ids(conn, typed) == fts5_ids(conn, match), (typed, match)


def test_searchindex_korean_word_is_a_prefix(conn):
    """혜산 finds 혜산시에서 (a particle written onto the word), as the FTS5 search did."""
    titles = {r["title"] for r in queries.search(conn, "혜산").items}
    assert "혜산 장마당 쌀값" in titles
    assert "혜산 장마당 쌀값" not in {r["title"] for r in queries.search(conn, '"혜산시"x').items}


@pytest.mark.parametrize("f", [
    Filters(outlet="daily nk"), Filters(language="KO"), Filters(since="2023-03"),
    Filters(since="2023-03-05"), Filters(until="2023-03"), Filters(until="2022"),
    Filters(since="2022", until="2023-04"), Filters(undated=True), Filters(since="2021-12-30"),
])
def test_searchindex_filters_match_the_sql_filters(conn, f):
    """The index's own filters (outlet, language, dates, undated) keep what SQL keeps."""
    where, params = queries.report_where(f)
    sql = {r[0] for r in conn.execute(
        f"SELECT r.id FROM reports r WHERE {' AND '.join(where)}", params)}
    found = _index_ids(conn, "coal OR rice OR border OR 혜산 OR 신의주 OR smuggl*", f)
    every = _index_ids(conn, "coal OR rice OR border OR 혜산 OR 신의주 OR smuggl*")
    assert found == every & sql and found


@settings(max_examples=examples(500), deadline=None)
@given(st.tuples(st.integers(1990, 2030), st.integers(0, 12), st.integers(0, 28)),
       st.tuples(st.integers(1990, 2030), st.integers(0, 12), st.integers(0, 28)),
       st.sampled_from(["since", "until"]))
def test_searchindex_day_numbers_order_as_period_sql(a, b, side):
    """A date inside a period by store/periods.period_sql is inside it by day numbers."""
    import sqlite3

    def text(t):
        y, m, d = t
        return f"{y}" if not m else f"{y}-{m:02d}" if not d else f"{y}-{m:02d}-{d:02d}"

    row, bound = text(a), text(b)
    since, until = (bound, None) if side == "since" else (None, bound)
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t(d TEXT)")
    con.execute("INSERT INTO t VALUES (?)", (row,))
    where, params = period_sql("d", since, until)
    inside_sql = con.execute(f"SELECT count(*) FROM t WHERE {' AND '.join(where)}",
                             params).fetchone()[0] == 1
    lo, hi = searchindex.period_bounds(since, until)
    day = searchindex.day_number(row)
    assert inside_sql == ((lo is None or day >= lo) and (hi is None or day <= hi)), (row, bound)


def test_searchindex_follows_changes_and_rebuilds_when_missing(tmp_path):
    """A report's new title is found after the change; the index folder deleted is rebuilt
    from the store on the next search; `reindex` gives the same answers."""
    c = _store(tmp_path / "s.db")
    assert queries.search(c, "copper").total == 1
    assert c.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 0
    c.execute("UPDATE reports SET title = 'Invented: zinc quota' WHERE title LIKE '%smuggling ring%'")
    assert c.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 1
    assert [r["title"] for r in queries.search(c, "zinc").items] == ["Invented: zinc quota"]
    assert _index_ids(c, "quota OR ring") == fts5_ids(c, "quota OR ring")  # the old title: gone
    before = {q: _index_ids(c, q) for q in ("coal", "rice OR 혜산", '"fever cases"')}
    searchindex.forget(c)
    shutil.rmtree(searchindex.index_path(c))
    assert {q: _index_ids(c, q) for q in before} == before
    assert searchindex.reindex(c) == len(REPORTS)
    assert {q: _index_ids(c, q) for q in before} == before
    c.execute("DELETE FROM reports WHERE title = 'Invented: zinc quota'")
    assert queries.search(c, "zinc").total == 0


@pytest.mark.parametrize("sort,order,topic", [
    ("relevance", "desc", None), ("relevance", "asc", None), ("published", "desc", None),
    ("published", "asc", None), ("words", "asc", None), ("title", "asc", None),
    ("outlet", "desc", None),
])
def test_searchindex_total_is_the_rows_the_pages_list(conn, sort, order, topic):
    """The total shown is exact: paging two at a time lists that many reports, each once, in
    the asked order (undated reports last), whether the index or SQL orders them."""
    typed = "coal OR rice OR border OR 혜산 OR 신의주 OR smuggl*"
    first = queries.search(conn, typed, limit=2, sort=sort, order=order, topic=topic)
    rows = []
    for offset in range(0, first.total + 4, 2):
        rows += queries.search(conn, typed, limit=2, offset=offset, sort=sort, order=order,
                               topic=topic).items
    assert len(rows) == first.total == len({r["id"] for r in rows}) > 3
    if sort == "published":
        dated = [r["published"] for r in rows if r["published"]]
        assert dated == sorted(dated, reverse=order == "desc")
        assert [r["published"] for r in rows[len(dated):]] == [None] * (len(rows) - len(dated))
    if sort == "relevance":
        scores = [r["score"] for r in rows]
        assert scores == sorted(scores, reverse=order == "asc")


@pytest.mark.parametrize("typed,lang,opens", [("혜산", "ko", "혜산"), ("밀수", "ko", "밀수"),
                                               ("smuggl*", "en", "smuggl")])
def test_searchindex_snippets_mark_the_words_a_prefix_opens(conn, typed, lang, opens):
    """Snippets mark whole words, in Korean too (the index counts bytes; marks go between
    characters), and a prefix marks the words it opens (혜산 marks 혜산시에서)."""
    import re

    page = queries.search(conn, typed, Filters(language=lang), mark=("[", "]"))
    marked = re.findall(r"\[([^\]]*)\]", " ".join(r["snippet"] for r in page.items))
    assert marked and all(m.lower().startswith(opens) for m in marked), marked
