"""Signing in and out: a session cookie (signed, SameSite=Strict) and a CSRF token per session.

A signed-in session is also a row in the store's `sessions` table, checked on every request by
the app's gate (app.py): logging out deletes it, so a copied cookie stops working at once.
Sign-in attempts go through serve/throttle.py (failure limits, bounded password hashing).
"""

from __future__ import annotations

import secrets
import sqlite3

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from borderwatch.serve.deps import check_csrf, db
from borderwatch.serve.render import page
from borderwatch.serve.throttle import Refused
from borderwatch.store.users import check_password, close_session, open_session, session_exists

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect off the workbench after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None):  # noqa: A002
    return page(request, "login.html", {"next": _safe_next(next), "error": None,
                                        "require_login": request.app.state.require_login})


@router.post("/login")
def login(request: Request, name: str = Form(...), password: str = Form(...),
          csrf: str = Form(""), next: str = Form("/"),  # noqa: A002
          conn: sqlite3.Connection = Depends(db)):
    check_csrf(request, csrf)
    throttle = request.app.state.login_throttle
    address = request.client.host if request.client else "?"

    def refuse(message: str, status: int):
        resp = page(request, "login.html", {"next": _safe_next(next), "error": message,
                                            "require_login": request.app.state.require_login})
        resp.status_code = status
        return resp

    try:
        throttle.check(name, address)
        with throttle.hashing():
            ok = check_password(conn, name, password)
    except Refused as exc:
        return refuse(str(exc), exc.status)
    if not ok:
        throttle.failed(name, address)
        return refuse("wrong name or password", 401)
    throttle.succeeded(name)
    sid = secrets.token_urlsafe(32)
    open_session(conn, sid, name)
    request.session.clear()  # new session on login: no fixation
    request.session["user"] = name
    request.session["sid"] = sid
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: str = Form(""),
           conn: sqlite3.Connection = Depends(db)):
    check_csrf(request, csrf)
    sid = request.session.get("sid")
    if sid:
        close_session(conn, sid)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


def session_alive(conn: sqlite3.Connection, sid: str | None, user: str | None) -> bool:
    """True when the cookie's session is still in the store for that user (not logged out)."""
    if not sid or not user:
        return False
    return session_exists(conn, sid, user)
