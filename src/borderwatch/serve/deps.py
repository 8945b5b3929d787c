"""Database connections per request, the signed-in user and CSRF checks for the web app."""

from __future__ import annotations

import queue
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException, Request

from borderwatch.store import open_db
from borderwatch.store.db import abandon


class Connections:
    """A pool of SQLite connections; each request checks one out for itself alone.

    One connection per thread was not enough: FastAPI runs a dependency and its endpoint on
    different worker threads, so two requests could share a connection and one's COMMIT or
    ROLLBACK ended the other's transaction (issue 9: acknowledged reviews that were never
    applied). A checked-out connection belongs to one request until it is returned, and is
    returned with no transaction open."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()

    def get(self) -> sqlite3.Connection:
        """A new connection of the caller's own (the start-up check; scripts)."""
        return open_db(self.path, create=False)

    @contextmanager
    def checkout(self) -> Iterator[sqlite3.Connection]:
        """An idle connection (or a new one) for the length of the block."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = open_db(self.path, create=False)
        try:
            yield conn
        finally:
            abandon(conn)  # an error left a write open: it must not leak to the next request
            self._idle.put(conn)


def db(request: Request) -> Iterator[sqlite3.Connection]:
    """FastAPI dependency: a connection that is this request's alone until it finishes."""
    with request.app.state.connections.checkout() as conn:
        yield conn


def current_user(request: Request) -> str | None:
    """Name of the signed-in analyst, if any."""
    return request.session.get("user")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse a state-changing request whose token does not match the session's."""
    expected = request.session.get("csrf")
    if not expected or not sent or not secrets.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


def require_user(request: Request) -> str:
    """FastAPI dependency for writes: a signed-in analyst and a valid CSRF header."""
    user = current_user(request)
    if not user:
        raise HTTPException(status_code=401, detail="sign in to change facts")
    check_csrf(request, request.headers.get("x-csrf-token"))
    return user
