"""Queries: FTS5 search with ranking, snippets and filters; list; show by prefix; stats."""

import pytest

from borderwatch.store import open_db, queries
from borderwatch.store.queries import Filters, QueryError
from borderwatch.store.writer import Writer

from .storehelp import doc, store

REPORTS = [
    # (title, body, outlet, published, language, tags) — all invented
    ("Rice prices climb in Hyesan", "Rice sold for more in Hyesan markets this week as trucks "
     "stopped coming from the river crossing. Traders blamed new inspections.", "Daily NK",
     "2023-03-02", "en", ("prices", "border")),
    ("Ships unload at Nampo", "Several cargo ships unloaded flour and sugar at the port of Nampo, "
     "a source said. The vessels came from Dalian.", "NK News", "2023-04-15", "en", ("trade",)),
    ("Border patrols double", "Patrols along the Yalu doubled after a smuggling case. Rice "
     "smugglers were fined, residents said.", "Radio Free Asia", "2022-11-20", "en", ("border",)),
    ("쌀값 상승", "혜산 시장에서 쌀값이 올랐다고 소식통이 전했다. 국경 단속이 강화되었다.",
     "Daily NK", "2023-05-01", "ko", ()),
]


@pytest.fixture
def conn(tmp_path):
    c = open_db(tmp_path / "q.db")
    w = Writer(c, c.execute("INSERT INTO runs(started_at, command) VALUES ('n', 't')").lastrowid)
    for i, (title, body, outlet, pub, lang, tags) in enumerate(REPORTS):
        store(w, doc(body, f"r{i}.txt", title=title, outlet=outlet, published=pub, language=lang,
                     tags=tags))
    w.commit()
    return c


def test_queries_search_ranks_title_match_first_and_highlights(conn):
    page = queries.search(conn, "rice", mark=("<<", ">>"))
    assert page.total == 2
    assert page.items[0]["title"] == "Rice prices climb in Hyesan"
    assert all("<<Rice>>" in r["snippet"] or "<<rice>>" in r["snippet"] for r in page.items)


@pytest.mark.parametrize("filters,expected", [
    (Filters(outlet="daily nk"), {"Rice prices climb in Hyesan"}),
    (Filters(since="2023-01-01"), {"Rice prices climb in Hyesan"}),
    (Filters(until="2022-11"), {"Border patrols double"}),
    (Filters(tag="BORDER"), {"Rice prices climb in Hyesan", "Border patrols double"}),
    (Filters(language="ko"), set()),
])
def test_queries_search_filters(conn, filters, expected):
    assert {r["title"] for r in queries.search(conn, "rice", filters).items} == expected


def test_queries_search_finds_korean_text(conn):
    titles = [r["title"] for r in queries.search(conn, "혜산").items]
    # the Hangul spelling of a gazetteer place also finds its romanisation (issue 8)
    assert "쌀값 상승" in titles and "Rice prices climb in Hyesan" in titles


@pytest.mark.parametrize("bad", ["", "   ", "AND OR", "()"])
def test_queries_nothing_to_search_gives_a_helpful_error(conn, bad):
    with pytest.raises(QueryError):
        queries.search(conn, bad)


@pytest.mark.parametrize("typed", ['"unclosed', "rice AND", "title:", "cross-border", "Kim's"])
def test_queries_malformed_syntax_is_read_as_text(conn, typed):
    """Issue 8: a stray quote, a hyphen or a dangling operator is text, never a database error."""
    assert queries.search(conn, typed).total >= 0


def test_queries_list_newest_first_and_paginated(conn):
    page = queries.list_reports(conn, limit=2)
    assert page.total == 4
    assert [r["published"] for r in page.items] == ["2023-05-01", "2023-04-15"]
    assert queries.list_reports(conn, limit=2, offset=3).items[0]["published"] == "2022-11-20"


def test_queries_show_by_prefix_and_errors(conn):
    rid = queries.list_reports(conn, Filters(outlet="NK News")).items[0]["id"]
    r = queries.get_report(conn, rid[:6])
    assert r["id"] == rid and r["tags"] == ["trade"] and r["sources"] == ["r1.txt"]
    with pytest.raises(QueryError):
        queries.get_report(conn, "zzzzzz")
    with pytest.raises(QueryError):
        queries.get_report(conn, "ab")


def test_queries_stats_counts(conn):
    s = queries.stats(conn)
    assert s["reports"] == 4
    assert {r["key"]: r["count"] for r in s["by_outlet"]}["Daily NK"] == 2
    assert {r["key"]: r["count"] for r in s["by_language"]} == {"en": 3, "ko": 1}
    assert {r["key"] for r in s["by_month"]} == {"2022-11", "2023-03", "2023-04", "2023-05"}


@pytest.mark.parametrize("typed, title", [
    ("fines", "Border patrols double"),        # the text says "fined"
    ("smuggle", "Border patrols double"),      # the text says "smuggling", "smugglers"
    ("unloading", "Ships unload at Nampo"),    # the text says "unloaded"
    ("inspection", "Rice prices climb in Hyesan"),
])
def test_queries_search_finds_word_forms(conn, typed, title):
    """Issue 8: the index stems words (migration 0005), so other forms of a word match."""
    assert title in [r["title"] for r in queries.search(conn, typed).items]
