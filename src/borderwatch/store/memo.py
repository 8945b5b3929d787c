"""Small answers computed from the whole store, kept until the store changes.

Some lists need a figure over every row before they can show one page: the goods' counts.
Those answers are small (a few hundred rows at most) while computing them reads everything, so
the app keeps the last few, keyed by what was asked and by the store's state. The state is a
handful of index lookups (the largest row id of every table that facts are written to, and of
the review log): every ingest, re-extraction, review and undo adds rows, so any change is a new
state, and a figure is never served from before it. Stores without a file (":memory:") are not
memoized. (Claims need no such cache: they are stored with their counts when facts are written,
store/claim_table.py.)
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from borderwatch.store.db import store_file

T = TypeVar("T")
SIZE = 64  # answers kept; each is small

_STATE_SQL = ("SELECT (SELECT max(pk) FROM reports), (SELECT count(*) FROM reports),"
              " (SELECT max(id) FROM events), (SELECT max(id) FROM attributions),"
              " (SELECT max(id) FROM amounts), (SELECT max(id) FROM mentions),"
              " (SELECT max(id) FROM reviews)")
_kept: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def store_state(conn: sqlite3.Connection) -> tuple:
    """(database file, the state of its content); the file is '' for an in-memory store."""
    return (store_file(conn) or "", *conn.execute(_STATE_SQL).fetchone())


def memoized(conn: sqlite3.Connection, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its answer from the last time `key` was asked of this store in this
    state. The answer is shared: callers must not change it."""
    state = store_state(conn)
    if not state[0]:
        return compute()
    full = (state, key)
    with _lock:
        if full in _kept:
            _kept.move_to_end(full)
            return _kept[full]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _kept[full] = value
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return value


def forget() -> None:
    """Drop every kept answer (tests that change a store behind the app's back)."""
    with _lock:
        _kept.clear()


__all__ = ["SIZE", "forget", "memoized", "store_state"]
