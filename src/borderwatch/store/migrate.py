"""Versioned schema migrations: numbered SQL files applied in order, recorded in a table.

A database made by an older borderwatch is upgraded in place on open; each migration runs in
its own transaction, so a failure leaves the database at the previous version.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from importlib import resources

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration shipped in the package, in order."""
    folder = resources.files("borderwatch.store") / "migrations"
    out = []
    for node in folder.iterdir():
        m = _NAME.match(node.name)
        if m:
            out.append((int(m.group(1)), m.group(2), node.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in out]
    if len(set(versions)) != len(versions):
        raise RuntimeError("two migrations share a version number")
    return sorted(out)


def current_version(conn: sqlite3.Connection) -> int:
    """The newest migration applied to this database (0 for a new one)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def _applied(conn: sqlite3.Connection) -> set[int]:
    current_version(conn)  # makes the table on a new database
    return {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}


def apply_migrations(conn: sqlite3.Connection) -> list[int]:
    """Apply every migration the database has not had, in order; return the versions applied.

    Which ones are missing is read again inside each migration's write transaction, so two
    processes opening a new store at once do not both apply the same migration (the second
    waits for the first, then finds it done)."""
    applied = []
    for version, name, sql in available_migrations():
        if version in _applied(conn):
            continue
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            conn.execute("BEGIN IMMEDIATE")
            if version in _applied(conn):  # another process got here first
                conn.execute("COMMIT")
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (complete_statement keeps triggers' inner ';' intact)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if not buf and line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
