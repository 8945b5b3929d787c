"""Analyst accounts: names and argon2id password hashes (argon2-cffi), nothing else."""

from __future__ import annotations

import sqlite3

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from borderwatch.store.db import transaction, utc_now

_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters


class UserError(ValueError):
    """A user cannot be created (bad name, short password, exists)."""


def add_user(conn: sqlite3.Connection, name: str, password: str) -> int:
    """Create an account; the password is stored only as an argon2id hash."""
    name = name.strip()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise UserError("a user name is 1-64 letters, digits, '.', '_' or '-'")
    if len(password) < 8:
        raise UserError("a password needs at least 8 characters")
    try:
        cur = conn.execute(
            "INSERT INTO users(name, password_hash, created_at) VALUES (?, ?, ?)",
            (name, _HASHER.hash(password), utc_now()),
        )
    except sqlite3.IntegrityError as exc:
        raise UserError(f"user {name!r} exists already") from exc
    return int(cur.lastrowid or 0)


def check_password(conn: sqlite3.Connection, name: str, password: str) -> bool:
    """True when the account exists and the password matches its hash."""
    row = conn.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        _HASHER.hash(password)  # same work as a real check: no timing hint that the name is unknown
        return False
    try:
        return _HASHER.verify(row[0], password)
    except (VerificationError, InvalidHashError):
        return False


def list_users(conn: sqlite3.Connection) -> list[str]:
    """Account names."""
    return [r[0] for r in conn.execute("SELECT name FROM users ORDER BY name")]


def open_session(conn: sqlite3.Connection, sid: str, user: str) -> None:
    """Record a signed-in session (logging out deletes it: a copied cookie then stops working)."""
    with transaction(conn):
        conn.execute("INSERT INTO sessions(sid, user, created_at) VALUES (?, ?, ?)", (sid, user, utc_now()))


def close_session(conn: sqlite3.Connection, sid: str) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM sessions WHERE sid = ?", (sid,))


def session_exists(conn: sqlite3.Connection, sid: str, user: str) -> bool:
    return conn.execute("SELECT 1 FROM sessions WHERE sid = ? AND user = ?", (sid, user)).fetchone() is not None

