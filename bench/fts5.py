"""An SQLite FTS5 table over the reports, as the store kept one until migration 0022 dropped it.

Why it is still here: the search index (store/searchindex.py) was made to answer queries exactly
as FTS5 did (words, prefixes, phrases, AND / OR / NOT with FTS5's precedence), so FTS5 stays the
reference the tests compare it with (tests/store/test_searchindex*.py), and bench/search_bench.py
still measures FTS5 beside it. The store itself no longer has or writes such a table: this one
is built on demand from `reports`, with the tokenizer of migration 0005.
"""

from __future__ import annotations

import sqlite3

TOKENIZE = "porter unicode61 remove_diacritics 2"  # as migration 0005 made reports_fts


def build(conn: sqlite3.Connection, name: str = "bench_fts", temp: bool = False) -> str:
    """Make (or remake) the FTS5 table `name` over every report; return its name.

    temp=False: an external-content table in the store (no copy of the text, as reports_fts
    was: its size is comparable), filled by 'rebuild'; it does not follow later writes.
    temp=True: a table of its own in the connection's temp schema (the store file is untouched),
    filled from `reports` now."""
    if temp:
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
        conn.execute(f"CREATE VIRTUAL TABLE temp.{name} USING fts5(title, text,"
                     f" tokenize='{TOKENIZE}')")
        conn.execute(f"INSERT INTO temp.{name}(rowid, title, text) SELECT pk, title, text"
                     " FROM reports")
    else:
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5(title, text,"
                     f" content='reports', content_rowid='pk', tokenize='{TOKENIZE}')")
        conn.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
    if conn.in_transaction:
        conn.commit()
    return name


def ids(conn: sqlite3.Connection, match: str, name: str = "bench_fts") -> set[str]:
    """Ids of the reports FTS5 matches for an FTS5 query (as store/searchquery.fts_query
    writes it)."""
    return {r[0] for r in conn.execute(
        f"SELECT r.id FROM {name} f JOIN reports r ON r.pk = f.rowid WHERE {name} MATCH ?",
        (match,))}
