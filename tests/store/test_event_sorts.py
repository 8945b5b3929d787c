"""Sorting the events list: what each column means, and that the fast way of reading a page
(walking the sort's index, store/facts._page_source) gives exactly the rows of the plain way.

The walk is taken from WALK_FROM matching events, which a test store never reaches; these tests
lower the threshold to compare both ways on the invented sample reports, and check with
EXPLAIN QUERY PLAN that each walk reads its index in order, with no sort of every event. An
index whose expression drifts from EVENT_SORT's (migration 0015) fails here, not on a large
store in use.
"""

from __future__ import annotations

import sqlite3

import pytest

from borderwatch.store import facts, open_db
from borderwatch.store.facts import EVENT_SORT, SORT_INDEXES, FactFilters, query_events

ORDERS = ("asc", "desc")
FILTERS = {
    "none": FactFilters(include_negated=False),
    "type": FactFilters(type="smuggling"),
    "place": FactFilters(place="Hyesan"),
    "period": FactFilters(since="2023-01", until="2024-12"),
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory) -> sqlite3.Connection:
    from tests.serve.webstore import build_store

    c = open_db(build_store(tmp_path_factory.mktemp("sorts")))
    # one report without an outlet, two with the same title: empty values and ties to order
    first, second, third = (r[0] for r in c.execute("SELECT id FROM reports ORDER BY pk LIMIT 3"))
    c.execute("UPDATE reports SET outlet = NULL WHERE id = ?", (first,))
    c.execute("UPDATE reports SET title = 'Same title' WHERE id IN (?, ?)", (second, third))
    return c


def _all_pages(conn: sqlite3.Connection, f: FactFilters, sort: str, order: str) -> list[int]:
    """Event ids of every page of 7, in order; the pages must add up to the total."""
    ids: list[int] = []
    offset = 0
    while True:
        total, rows = query_events(conn, f, limit=7, offset=offset, sort=sort, order=order)
        ids += [r["id"] for r in rows]
        offset += 7
        if offset >= total:
            assert len(ids) == total
            return ids


def _expected(conn: sqlite3.Connection, f: FactFilters, sort: str, order: str) -> list[int]:
    """The order the column promises, computed in Python: the key (a place or good: the
    event's first; a report's title or outlet: by report, then event), empty values last in
    both orders, then the event id in the same direction."""
    _, rows = query_events(conn, f, limit=10_000)
    pk = dict(conn.execute("SELECT id, pk FROM reports").fetchall())

    def key(r: dict) -> tuple:
        value = {"date": lambda: r["date"] or r["published"], "type": lambda: r["type"],
                 "place": lambda: (r["facts"].get("places") or [None])[0],
                 "good": lambda: (r["facts"].get("commodities") or [None])[0],
                 "source": lambda: r["attribution_kind"],
                 "report": lambda: r["title"] and r["title"].lower(),
                 "outlet": lambda: r["outlet"] and r["outlet"].lower()}[sort]()
        by_report = (pk[r["report_id"]],) if sort in ("report", "outlet") else ()
        return (value, *by_report, r["id"])

    present = sorted((r for r in rows if key(r)[0] is not None), key=key,
                     reverse=order == "desc")
    empty = sorted((r for r in rows if key(r)[0] is None), key=lambda r: r["id"],
                   reverse=order == "desc")
    return [r["id"] for r in present + empty]


@pytest.mark.parametrize("fname", list(FILTERS))
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("sort", list(EVENT_SORT.columns))
def test_sorted_pages_follow_the_column_both_ways(conn, monkeypatch, sort, order, fname):
    f = FILTERS[fname]
    expected = _expected(conn, f, sort, order)
    assert expected, f"the sample store has no events for filter {fname}"
    monkeypatch.setattr(facts, "WALK_FROM", 10**9)  # SQLite sorts what matched
    assert _all_pages(conn, f, sort, order) == expected
    monkeypatch.setattr(facts, "WALK_FROM", 0)  # the sort's index is walked
    assert _all_pages(conn, f, sort, order) == expected


def test_the_sample_store_has_what_the_sorts_must_order(conn):
    """Guards the test above: ties, empty values and several values for each column."""
    _, rows = query_events(conn, FILTERS["none"], limit=10_000)
    assert any(not r["facts"].get("places") for r in rows)
    assert any(not r["facts"].get("commodities") for r in rows)
    assert len({(r["facts"].get("commodities") or [None])[0] for r in rows}) > 2
    assert any(r["attribution_kind"] is None for r in rows)
    assert len({r["attribution_kind"] for r in rows}) > 2
    assert any(r["outlet"] is None for r in rows)
    assert sum(r["title"] == "Same title" for r in rows) > 1


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("sort", list(SORT_INDEXES))
def test_a_walk_reads_its_index_in_order(conn, sort, order):
    sql, params = facts.events_page_sql(FILTERS["none"], sort, order, facts.WALK_FROM, 25, 0)
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    index = SORT_INDEXES[sort][1] + ("_a" if order == "asc" else "_d")
    assert any(index in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
