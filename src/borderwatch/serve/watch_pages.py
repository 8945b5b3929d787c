"""Watchlists in the app: list, hits, feeds, and forms to make, edit and delete them.

Reading follows the app's rule (open, or signed-in with --require-login), except the feeds: a
feed reader cannot sign in, so with --require-login `/watchlists/ID.atom?token=KEY` opens with the
list's secret key, and anything else (no key, a wrong key, no such list) is the same 404.

Writing needs a signed-in analyst and the session's CSRF token, either as the `csrf` field of the
page's plain HTML forms (no JavaScript needed; they answer with a redirect back to the list) or in
the X-CSRF-Token header of the JSON API. Delete asks first with a second button, not a dialog.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES, TOPICS
from borderwatch.serve.deps import check_csrf, current_user, db, require_user
from borderwatch.serve.render import label, page, respond
from borderwatch.store import queries
from borderwatch.store.watchfeeds import list_hits, watch_feed
from borderwatch.store.watchlists import (
    WatchError,
    WatchFilters,
    Watchlist,
    create_watchlist,
    delete_watchlist,
    describe,
    entity_field_value,
    feed_token,
    feed_token_ok,
    get_watchlist,
    list_watchlists,
    new_feed_token,
    run_watchlists,
    update_watchlist,
)

router = APIRouter()
HITS_PAGE = 50
FILTER_FIELDS = ("query", "type", "place", "commodity", "source_kind", "outlet", "topic", "since")


def _keys_shown(request: Request) -> bool:
    """Feed keys are for signed-in analysts, and only matter when reading needs a session."""
    return bool(request.app.state.require_login and current_user(request))


def _when(stamp: str | None) -> str:
    """A stored UTC timestamp as a reader reads it: '2024-06-01 09:59 UTC'."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if stamp and len(stamp) >= 16 else (stamp or "never")


def _form_values(w: Watchlist) -> dict[str, Any]:
    """What the edit form shows: the stored filters, places and goods by name."""
    f = w.filters
    return {"name": w.name, "query": f.query or "", "type": list(f.type),
            "place": entity_field_value("place", f.place),
            "commodity": entity_field_value("commodity", f.commodity),
            "source_kind": f.source_kind or "", "outlet": f.outlet or "",
            "topic": f.topic or "", "since": f.since or ""}


def _one(request: Request, conn: sqlite3.Connection, w: Watchlist) -> dict[str, Any]:
    """A watchlist as the page and the API show it: filters in words, hits with their list,
    feeds (with the key for signed-in analysts when reading needs a session)."""
    out = w.to_dict() | {
        "words": describe(conn, w.filters, label), "hits_href": f"/watchlists/{w.id}",
        "last_run": _when(w.last_run_at),
        "feeds": {fmt: f"/watchlists/{w.id}.{fmt}" for fmt in ("atom", "json")},
        "form": _form_values(w)}
    if _keys_shown(request):
        key = feed_token(conn, w.id)
        base = request.app.state.public_url or str(request.base_url).rstrip("/")
        out["feed_token"] = key
        out["keyed_feeds"] = {fmt: f"{base}/watchlists/{w.id}.{fmt}?token={key}"
                              for fmt in ("atom", "json")}
    return out


def watchlists_view(request: Request, conn: sqlite3.Connection) -> dict[str, Any]:
    """Every watchlist with its filters in words, hit count and feeds."""
    return {"watchlists": [_one(request, conn, w) for w in list_watchlists(conn)],
            "require_login": bool(request.app.state.require_login)}


def _choices(conn: sqlite3.Connection) -> dict[str, Any]:
    """The forms' drop-downs and suggestions: codes as values, labels as text."""
    from borderwatch.extract.commodities import commodity_data
    from borderwatch.extract.places import place_data

    places = sorted(place_data().places.values(), key=lambda p: p.name)
    return {
        "event_types": [(t, label("type", t)) for t in EVENT_TYPES],
        "source_kinds": [(k, label("source_kinds", k)) for k in sorted(ATTRIBUTION_KINDS) + ["none"]],
        "topics": [(t, label("topics", t)) for t in TOPICS],
        "outlets": queries.outlets(conn),
        "place_names": [(p.name, f"{p.name}, {p.admin1}" if p.admin1 and p.admin1 != p.name
                         else p.name) for p in places],
        "goods_names": sorted({c.name for c in commodity_data().commodities.values()}),
    }


def _render(request: Request, conn: sqlite3.Connection, status: int = 200,
            error: dict[str, Any] | None = None) -> Response:
    """The watchlists page; `error` ({"for": id or "new", "message", "values"}) re-opens the
    form that failed with what the analyst typed."""
    data = watchlists_view(request, conn) | _choices(conn)
    data["flash"] = request.session.pop("flash", None)
    data["error"] = error
    resp = page(request, "watchlists.html", data)
    resp.status_code = status
    return resp


@router.get("/watchlists", include_in_schema=False)
@router.get("/api/watchlists")
def watchlists(request: Request, conn: sqlite3.Connection = Depends(db)) -> Any:
    """Saved searches and filters: filters in words, hits, when they last ran, feeds."""
    if request.url.path.startswith("/api/"):
        return watchlists_view(request, conn)
    return _render(request, conn)  # the page adds its forms' choices and the flash message


# --- one watchlist's hits -------------------------------------------------------------------

def _get(conn: sqlite3.Connection, watchlist_id: int) -> Watchlist:
    """The watchlist, or 404."""
    try:
        return get_watchlist(conn, watchlist_id)
    except WatchError as exc:
        raise HTTPException(status_code=404, detail="no such watchlist") from exc


def hits_view(request: Request, conn: sqlite3.Connection, watchlist_id: int,
              page_no: int) -> dict[str, Any]:
    """One watchlist's hits, newest found first, a page at a time, with the total."""
    w = _get(conn, watchlist_id)
    page_no = max(1, page_no)
    total, hits = list_hits(conn, w.id, HITS_PAGE, (page_no - 1) * HITS_PAGE)
    return {"watchlist": _one(request, conn, w), "total": total, "page": page_no,
            "per_page": HITS_PAGE, "hits": hits}


@router.get("/watchlists/{watchlist_id:int}", include_in_schema=False)
@router.get("/api/watchlists/{watchlist_id:int}")
def hits(request: Request, watchlist_id: int, page: int = 1,
         conn: sqlite3.Connection = Depends(db)) -> Any:
    """One watchlist and its hits (50 a page), newest found first."""
    return respond(request, "watchlist.html", hits_view(request, conn, watchlist_id, page))


# --- feeds ----------------------------------------------------------------------------------

@router.get("/watchlists/{watchlist_id:int}.atom", include_in_schema=False)
@router.get("/watchlists/{watchlist_id:int}.json", include_in_schema=False)
def watchlist_feed(request: Request, watchlist_id: int, token: str | None = None,
                   conn: sqlite3.Connection = Depends(db)) -> Response:
    """A watchlist's newest hits as an Atom or JSON feed to subscribe to."""
    if (request.app.state.require_login and not current_user(request)
            and not feed_token_ok(conn, watchlist_id, token)):  # the login gate let this through
        raise HTTPException(status_code=404, detail="no such feed")
    fmt = "atom" if request.url.path.endswith(".atom") else "json"
    base = request.app.state.public_url or str(request.base_url).rstrip("/")
    try:
        self_url = base + request.url.path + (f"?{request.url.query}" if request.url.query else "")
        body = watch_feed(conn, watchlist_id, fmt=fmt, base_url=base, self_url=self_url, label=label)
    except WatchError as exc:
        raise HTTPException(status_code=404, detail="no such feed") from exc
    media = "application/atom+xml" if fmt == "atom" else "application/feed+json"
    return Response(body, media_type=f"{media}; charset=utf-8")


# --- writing: the JSON API ------------------------------------------------------------------

class WatchlistIn(BaseModel):
    """A watchlist to make: a name and at least one filter."""

    name: str = Field(min_length=1, max_length=100)
    filters: dict[str, Any] = {}


class WatchlistEdit(BaseModel):
    """New name and/or filters (the filters replace the old ones whole)."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    filters: dict[str, Any] | None = None


def _filters(d: dict[str, Any]) -> WatchFilters:
    """API filters as WatchFilters; an unknown key is a mistake, not something to ignore."""
    unknown = set(d) - set(FILTER_FIELDS)
    if unknown:
        raise WatchError(f"unknown filter(s): {', '.join(sorted(unknown))}")
    return WatchFilters.from_dict(d)


def _bad(exc: Exception) -> HTTPException:
    return HTTPException(status_code=400, detail=str(exc))


@router.post("/api/watchlists")
def add_watchlist(request: Request, body: WatchlistIn, user: str = Depends(require_user),
                  conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Save a search or filter as a watchlist; it runs at once over the store."""
    try:
        wid = create_watchlist(conn, body.name, _filters(body.filters), user)
    except WatchError as exc:
        raise _bad(exc) from exc
    run_watchlists(conn, only=wid)
    return {"id": wid, "watchlist": _one(request, conn, get_watchlist(conn, wid))}


@router.put("/api/watchlists/{watchlist_id:int}")
@router.post("/api/watchlists/{watchlist_id:int}")
def edit_watchlist(request: Request, watchlist_id: int, body: WatchlistEdit,
                   user: str = Depends(require_user),
                   conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Rename a watchlist or replace its filters; new filters run it again over the store."""
    _get(conn, watchlist_id)
    try:
        filters = None if body.filters is None else _filters(body.filters)
        w = update_watchlist(conn, watchlist_id, body.name, filters)
    except WatchError as exc:
        raise _bad(exc) from exc
    return {"watchlist": _one(request, conn, w)}


@router.delete("/api/watchlists/{watchlist_id:int}")
def remove_watchlist(watchlist_id: int, user: str = Depends(require_user),
                     conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Delete a watchlist and its hits."""
    if not delete_watchlist(conn, watchlist_id):
        raise HTTPException(status_code=404, detail="no such watchlist")
    return {"deleted": watchlist_id}


@router.post("/api/watchlists/{watchlist_id:int}/token")
def renew_token(request: Request, watchlist_id: int, user: str = Depends(require_user),
                conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Give a watchlist's feeds a new secret key; the old addresses stop working."""
    _get(conn, watchlist_id)
    key = new_feed_token(conn, watchlist_id)
    return {"feed_token": key, "watchlist": _one(request, conn, _get(conn, watchlist_id))}


# --- writing: the page's forms --------------------------------------------------------------

def _form_user(request: Request, csrf: str) -> str:
    """A signed-in analyst who sent the session's CSRF token with the form."""
    user = current_user(request)
    if not user:
        raise HTTPException(status_code=401, detail="sign in to change watchlists")
    check_csrf(request, csrf)
    return user


def _back(wid: int | None = None) -> RedirectResponse:
    """Back to the list (the flash message is shown there once)."""
    return RedirectResponse(f"/watchlists#w-{wid}" if wid else "/watchlists", status_code=303)


def _flash(request: Request, message: str) -> None:
    request.session["flash"] = message


def _typed(name: str, query: str, type_: list[str], place: str, commodity: str,
           source_kind: str, outlet: str, topic: str, since: str) -> dict[str, Any]:
    """The form as the analyst filled it (shown again when it is refused)."""
    return {"name": name, "query": query, "type": type_, "place": place, "commodity": commodity,
            "source_kind": source_kind, "outlet": outlet, "topic": topic, "since": since}


def _hits_word(n: int) -> str:
    return f"{n} hit" if n == 1 else f"{n} hits"


@router.post("/watchlists", include_in_schema=False)
def create_form(request: Request, csrf: str = Form(""), name: str = Form(""),
                query: str = Form(""), type: list[str] = Form([]),  # noqa: A002
                place: str = Form(""), commodity: str = Form(""), source_kind: str = Form(""),
                outlet: str = Form(""), topic: str = Form(""), since: str = Form(""),
                conn: sqlite3.Connection = Depends(db)) -> Response:
    user = _form_user(request, csrf)
    typed = _typed(name, query, type, place, commodity, source_kind, outlet, topic, since)
    try:
        wid = create_watchlist(conn, name, WatchFilters.from_dict(typed), user)
    except WatchError as exc:
        return _render(request, conn, 400, {"for": "new", "message": str(exc), "values": typed})
    run_watchlists(conn, only=wid)
    w = get_watchlist(conn, wid)
    _flash(request, f"Saved “{w.name}”: {_hits_word(w.hits)} in the store now.")
    return _back(wid)


@router.post("/watchlists/{watchlist_id:int}/edit", include_in_schema=False)
def edit_form(request: Request, watchlist_id: int, csrf: str = Form(""), name: str = Form(""),
              query: str = Form(""), type: list[str] = Form([]),  # noqa: A002
              place: str = Form(""), commodity: str = Form(""), source_kind: str = Form(""),
              outlet: str = Form(""), topic: str = Form(""), since: str = Form(""),
              conn: sqlite3.Connection = Depends(db)) -> Response:
    _form_user(request, csrf)
    _get(conn, watchlist_id)
    typed = _typed(name, query, type, place, commodity, source_kind, outlet, topic, since)
    try:
        w = update_watchlist(conn, watchlist_id, name, WatchFilters.from_dict(typed))
    except WatchError as exc:
        return _render(request, conn, 400, {"for": watchlist_id, "message": str(exc),
                                            "values": typed})
    _flash(request, f"Saved “{w.name}”: {_hits_word(w.hits)} for the new filters.")
    return _back(w.id)


@router.post("/watchlists/{watchlist_id:int}/delete", include_in_schema=False)
def delete_form(request: Request, watchlist_id: int, csrf: str = Form(""),
                conn: sqlite3.Connection = Depends(db)) -> Response:
    _form_user(request, csrf)
    w = _get(conn, watchlist_id)
    delete_watchlist(conn, w.id)
    _flash(request, f"Deleted “{w.name}” and its {_hits_word(w.hits)}.")
    return _back()


@router.post("/watchlists/{watchlist_id:int}/token", include_in_schema=False)
def token_form(request: Request, watchlist_id: int, csrf: str = Form(""),
               conn: sqlite3.Connection = Depends(db)) -> Response:
    _form_user(request, csrf)
    w = _get(conn, watchlist_id)
    new_feed_token(conn, w.id)
    _flash(request, f"New feed key for “{w.name}”: the old feed addresses no longer work.")
    return _back(w.id)
