"""Per-thread database connections, the signed-in user and CSRF checks for the web app."""

from __future__ import annotations

import secrets
import sqlite3
import threading

from fastapi import HTTPException, Request

from borderwatch.store import open_db


class Connections:
    """One SQLite connection per worker thread (sqlite3 objects must not cross threads)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_db(self.path, create=False)
            self._local.conn = conn
        return conn


def db(request: Request) -> sqlite3.Connection:
    """FastAPI dependency: this thread's connection to the store."""
    return request.app.state.connections.get()


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
