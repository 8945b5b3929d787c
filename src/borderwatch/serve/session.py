"""Signing in and out: a session cookie (signed, SameSite=Strict) and a CSRF token per session."""

from __future__ import annotations

import sqlite3

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from borderwatch.serve.app import page
from borderwatch.serve.deps import check_csrf, db
from borderwatch.store.users import check_password

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect off the workbench after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None):  # noqa: A002, ANN201
    return page(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login(request: Request, name: str = Form(...), password: str = Form(...),
          csrf: str = Form(""), next: str = Form("/"),  # noqa: A002
          conn: sqlite3.Connection = Depends(db)):  # noqa: ANN201
    check_csrf(request, csrf)
    if not check_password(conn, name, password):
        resp = page(request, "login.html", {"next": _safe_next(next),
                                            "error": "wrong name or password"})
        resp.status_code = 401
        return resp
    request.session.clear()  # new session on login: no fixation
    request.session["user"] = name
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")):  # noqa: ANN201
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/", status_code=303)
