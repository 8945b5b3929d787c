"""The analyst's workbench: a FastAPI app serving HTML pages and their JSON twins over the store.

Everything is served by the app itself (templates and static files from the package): no CDN,
no tiles, no web fonts. Report text is untrusted: templates autoescape it, queries bind
parameters, and no route serves files outside the package's static folder.
"""

from __future__ import annotations

import os
import re
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from borderwatch import __version__
from borderwatch.serve.deps import Connections, csrf_token, current_user
from borderwatch.serve.render import HERE, templates
from borderwatch.store.periods import BadDate

OPEN_PATHS = ("/login", "/static/", "/style/", "/favicon.ico")
# A feed reader cannot sign in: with --require-login a watchlist's feed opens with its secret key
# (checked by serve/watch_pages.watchlist_feed, which answers 404 to anything else).
KEYED_PATH = re.compile(r"^/watchlists/\d+\.(?:atom|json)$")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self';"
                               " script-src 'self'; object-src 'none'; base-uri 'none';"
                               " form-action 'self'; frame-ancestors 'none'",
}
ERROR_TITLES = {400: "That request does not make sense here", 401: "Sign in first",
                403: "Not allowed", 404: "Not found", 405: "Not allowed here",
                500: "Something went wrong"}


def create_app(db_path: str, *, require_login: bool = False, secret: str | None = None,
               public_url: str | None = None) -> FastAPI:
    """The web app over the store at `db_path` (which must exist).

    `public_url` is the address analysts and feed readers use (`serve --public-url`): feed links
    are built on it, never on the request's Host header, and an https address marks the session
    cookie Secure."""
    app = FastAPI(title="borderwatch", version=__version__, docs_url=None, redoc_url=None,
                  description="JSON API of the borderwatch workbench: reports, search, facts, "
                              "events, incidents, claims, places, goods, watchlists and reviews.")
    app.state.connections = Connections(db_path)
    app.state.connections.get().close()  # fail now, not on the first request, if the store is unusable
    app.state.templates = templates()
    app.state.require_login = require_login
    app.state.public_url = public_url.rstrip("/") if public_url else None
    from borderwatch.serve.throttle import LoginThrottle

    app.state.login_throttle = LoginThrottle()

    @app.middleware("http")
    async def login_gate(request: Request, call_next):
        """A signed-in session must still be in the store (not logged out); with
        --require-login, reading needs one too."""
        if request.session.get("user") and not _session_alive(request):
            request.session.clear()
        if (request.app.state.require_login and not request.session.get("user")
                and not request.url.path.startswith(OPEN_PATHS)
                and not KEYED_PATH.match(request.url.path)):
            if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
                return JSONResponse({"detail": "sign in first"}, status_code=401)
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(back, safe='/')}", status_code=303)
        response = await call_next(request)
        _secure(response)
        return response

    # Added after the gate so it runs first (outermost): the gate can read the session.
    app.add_middleware(SessionMiddleware,
                       secret_key=secret or os.environ.get("BORDERWATCH_SECRET") or secrets.token_hex(32),
                       session_cookie="borderwatch_session", same_site="strict",
                       https_only=bool(public_url and public_url.lower().startswith("https://")))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":  # no route: say which address
            message = f"There is nothing at {request.url.path}."
        return _error(request, exc.status_code, message)

    @app.exception_handler(BadDate)
    async def bad_date(request: Request, exc: BadDate):
        return _error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        """The API keeps FastAPI's detailed 422; a page says in words what was wrong (400)."""
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        return _error(request, 400, "; ".join(_problem(e) for e in exc.errors()))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers and feed readers that ask for the old name get the SVG icon."""
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @app.exception_handler(Exception)
    async def any_error(request: Request, exc: Exception):
        return _error(request, 500, "something went wrong; the error was logged")

    from borderwatch.serve import analysis_pages, pages, review, session, watch_pages

    app.include_router(session.router)
    app.include_router(pages.router)
    app.include_router(analysis_pages.router)
    app.include_router(review.router)
    app.include_router(watch_pages.router)
    return app


def _wants_json(request: Request) -> bool:
    """The API and its schema answer in JSON; pages (and feeds) get an HTML page."""
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _problem(error: dict[str, Any]) -> str:
    """One request validation error in words: 'page: must be a whole number'."""
    where = ".".join(str(p) for p in error.get("loc", ())[1:]).replace("_", " ") or "request"
    msg = str(error.get("msg", "not valid"))
    if error.get("type", "").startswith("int_"):
        msg = "must be a whole number"
    return f"{where}: {msg}"


def _session_alive(request: Request) -> bool:
    from borderwatch.serve.session import session_alive

    with request.app.state.connections.checkout() as conn:
        return session_alive(conn, request.session.get("sid"), request.session.get("user"))


def _secure(response: Any) -> Any:
    """The security headers every answer carries (500s too: they bypass the middleware)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _error(request: Request, status: int, message: str):
    """A plain error page (or JSON for the API); never a traceback."""
    if _wants_json(request):
        return _secure(JSONResponse({"detail": message}, status_code=status))
    t = request.app.state.templates
    return _secure(t.TemplateResponse(request, "error.html", {
        "status": status, "message": message, "title": ERROR_TITLES.get(status, "Error"),
        "user": current_user(request), "csrf": csrf_token(request)}, status_code=status))
