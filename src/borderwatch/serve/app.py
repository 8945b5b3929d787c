"""The analyst's workbench: a FastAPI app serving HTML pages and their JSON twins over the store.

Everything is served by the app itself (templates and static files from the package): no CDN,
no tiles, no web fonts. Report text is untrusted: templates autoescape it, queries bind
parameters, and no route serves files outside the package's static folder.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import asdict, is_dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from borderwatch import __version__
from borderwatch.serve.deps import Connections, csrf_token, current_user
from borderwatch.store.periods import BadDate

HERE = Path(str(resources.files("borderwatch.serve")))
OPEN_PATHS = ("/login", "/static/", "/style/", "/favicon.ico")


def templates() -> Jinja2Templates:
    """Jinja2 with autoescaping on (the default for .html templates)."""
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.globals["version"] = __version__
    t.env.globals["label"] = label
    return t


@cache
def _labels() -> dict[str, dict[str, str]]:
    """data/labels.yaml: human labels of the contract's codes."""
    from borderwatch.datafiles import read_yaml

    return read_yaml("labels.yaml")


def label(vocabulary: str, code: str | None) -> str:
    """A code as a reader should see it: 'border_tightening' -> 'Border tightening',
    'named_person' -> 'Named person' (event types from event_style.yaml, the rest from
    labels.yaml; an unknown code with its underscores spelled as spaces)."""
    if code is None:
        return ""
    if vocabulary == "type":
        from borderwatch.serve.charts import style_of

        return style_of(code).label
    return _labels().get(vocabulary, {}).get(code) or code.replace("_", " ")


def create_app(db_path: str, *, require_login: bool = False, secret: str | None = None) -> FastAPI:
    """The web app over the store at `db_path` (which must exist)."""
    app = FastAPI(title="borderwatch", version=__version__, docs_url=None, redoc_url=None,
                  description="JSON API of the borderwatch workbench: reports, search, facts, "
                              "events, incidents, claims, places, goods, watchlists and reviews.")
    app.state.connections = Connections(db_path)
    app.state.connections.get()  # fail now, not on the first request, if the store is unusable
    app.state.templates = templates()
    app.state.require_login = require_login

    @app.middleware("http")
    async def login_gate(request: Request, call_next):  # noqa: ANN001, ANN202
        """With --require-login, reading needs a session too."""
        if (request.app.state.require_login and not request.session.get("user")
                and not request.url.path.startswith(OPEN_PATHS)):
            if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
                return JSONResponse({"detail": "sign in first"}, status_code=401)
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        return response

    # Added after the gate so it runs first (outermost): the gate can read the session.
    app.add_middleware(SessionMiddleware,
                       secret_key=secret or os.environ.get("BORDERWATCH_SECRET") or secrets.token_hex(32),
                       session_cookie="borderwatch_session", same_site="strict", https_only=False)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):  # noqa: ANN202
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(BadDate)
    async def bad_date(request: Request, exc: BadDate):  # noqa: ANN202
        return _error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def any_error(request: Request, exc: Exception):  # noqa: ANN202
        return _error(request, 500, "something went wrong; the error was logged")

    from borderwatch.serve import analysis_pages, pages, review, session

    app.include_router(session.router)
    app.include_router(pages.router)
    app.include_router(analysis_pages.router)
    app.include_router(review.router)
    return app


def _error(request: Request, status: int, message: str):  # noqa: ANN202
    """A plain error page (or JSON for the API); never a traceback."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    t = request.app.state.templates
    return t.TemplateResponse(request, "error.html", {"status": status, "message": message,
                                                      "user": current_user(request),
                                                      "csrf": csrf_token(request)},
                              status_code=status)


def plain(obj: Any) -> Any:
    """Dataclasses from the resolve and store stages (and lists of them) as JSON-ready values."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, (list, tuple)):
        return [plain(o) for o in obj]
    return obj


def page(request: Request, template: str, data: dict) -> HTMLResponse:
    """Render a page with the user and CSRF token every template needs."""
    ctx = {"user": current_user(request), "csrf": csrf_token(request), **data}
    return request.app.state.templates.TemplateResponse(request, template, ctx)
