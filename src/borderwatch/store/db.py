"""Opening the database: WAL, foreign keys, migrations applied on open.

WAL plus one transaction per batch is what makes `kill -9` safe: SQLite either has a batch's
commit record in the WAL or it does not, and an uncommitted tail is discarded on the next open.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator
from pathlib import Path

from borderwatch.store.migrate import apply_migrations

ENV_VAR = "BORDERWATCH_DB"
DEFAULT_NAME = "borderwatch.db"


class StoreError(RuntimeError):
    """The database cannot be opened or used (missing, not a database, locked)."""


def default_db_path() -> str:
    """--db default: $BORDERWATCH_DB, else ./borderwatch.db."""
    return os.environ.get(ENV_VAR) or DEFAULT_NAME


def open_db(path: str | os.PathLike[str], *, create: bool = True) -> sqlite3.Connection:
    """Open (and with `create`, make) the store at `path`, upgraded to the newest schema.

    Read commands pass create=False so a mistyped --db gives a clear error instead of an
    empty new database.
    """
    p = Path(path)
    if not create and not p.exists():
        raise StoreError(
            f"no database at {p}: run `borderwatch ingest SOURCE` first, or pass --db / set {ENV_VAR}"
        )
    if p.parent and not p.parent.exists():
        raise StoreError(f"folder for the database does not exist: {p.parent}")
    try:
        conn = sqlite3.connect(p, isolation_level=None, timeout=30.0, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        apply_migrations(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot use {p} as a borderwatch database: {exc}") from exc
    return conn


def utc_now() -> str:
    """The timestamp every stored row uses: UTC, ISO 8601, whole seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error; joins an open transaction."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
