"""Opening the database: WAL, foreign keys, migrations applied on open.

WAL plus one transaction per batch is what makes `kill -9` safe: SQLite either has a batch's
commit record in the WAL or it does not, and an uncommitted tail is discarded on the next open.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from borderwatch.store.migrate import apply_migrations

ENV_VAR = "BORDERWATCH_DB"
DEFAULT_NAME = "borderwatch.db"
BUSY_ENV = "BORDERWATCH_BUSY_TIMEOUT"  # seconds a writer waits for another to finish (default 30)


def busy_timeout() -> float:
    """How long a connection waits for the write lock before "the store is busy"."""
    try:
        return max(0.0, float(os.environ.get(BUSY_ENV, "30")))
    except ValueError:
        return 30.0


def busy_message() -> str:
    """The one line a writer gets when another process kept the store busy too long."""
    return (f"the store is busy: another borderwatch process has been writing to it for more "
            f"than {busy_timeout():g} s; try again when it has finished (or raise {BUSY_ENV})")


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
        wait = busy_timeout()
        conn = sqlite3.connect(p, isolation_level=None, timeout=wait, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        _wal(conn, wait)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        apply_migrations(conn)
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(busy_message()) from exc
        raise StoreError(f"cannot use {p} as a borderwatch database: {exc}") from exc
    return conn


def _wal(conn: sqlite3.Connection, wait_s: float = 30.0) -> None:
    """Switch to WAL. Changing the journal mode can answer "database is locked" at once, without
    waiting on the busy timeout, while another process opens the same new store: retry."""
    import time

    deadline = time.monotonic() + wait_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def utc_now() -> str:
    """The timestamp every stored row uses: UTC, ISO 8601, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


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


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One consistent view of the store for a long read (a streamed download): a read
    transaction for the length of the block, however long it takes."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        abandon(conn)


def abandon(conn: sqlite3.Connection) -> None:
    """Roll back whatever the connection left open (an error mid-write must not leak into the
    next use of a pooled connection)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def store_file(conn: sqlite3.Connection) -> str | None:
    """The file of the connection's main database (None for one in memory)."""
    return next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), None) or None
