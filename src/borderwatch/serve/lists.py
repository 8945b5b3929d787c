"""What every list page shares: its window ("Showing 26–50 of 312"), pager and sort links that
keep the filters, and downloads of exactly the filtered set.

A view builds one `listing(...)` dict; the HTML renders it with the `pager` and `sort_th`
macros of _macros.html and the JSON twin returns it as it is, so a script pages and sorts with
the same links a reader clicks. Links carry only what differs from the defaults (page 1, the
list's default sort, 25 rows a page), so the first page of a filtered list has one address.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import StreamingResponse

from borderwatch.export.tables import FORMATS, chunks
from borderwatch.store.paging import BadSort, SortSpec, Window
from borderwatch.store.periods import parse_bound

PER_PAGE = 25


@dataclass
class ListQuery:
    """The query parameters every list takes besides its filters (each list's own dataclass
    adds those): FastAPI reads them from the query string through Depends()."""

    sort: str | None = None
    order: str | None = None
    page: int = 1
    per_page: int | None = None


def window(page: int | None, per_page: int | None, default: int = PER_PAGE) -> Window:
    """The page asked for, clamped to sense (page >= 1, 1..200 rows)."""
    return Window.of(page, per_page, default)


def checked_sort(spec: SortSpec, sort: str | None, order: str | None) -> tuple[str, str]:
    """The sort asked for, or a 400 naming the keys the list offers."""
    try:
        return spec.check(sort or None, order or None)
    except BadSort as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc


def checked_period(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """Both bounds checked now (a bad one is a 400 before any row is read or streamed)."""
    return (str(parse_bound(since)) if parse_bound(since) else None,
            str(parse_bound(until)) if parse_bound(until) else None)


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    """The filters that are set, as query values (True as 'true'; empty ones left out)."""
    out: dict[str, Any] = {}
    for k, v in params.items():
        if v is None or v == "" or v is False:
            continue
        out[k] = "true" if v is True else v
    return out


def listing(path: str, filters: dict[str, Any], total: int, win: Window, spec: SortSpec,
            sort: str, order: str, *, per_page_default: int = PER_PAGE,
            rows_on_page: int | None = None,
            choices: Sequence[tuple[str, str, str]] = ()) -> dict[str, Any]:
    """Paging, sorting and download links of one list page (see the module docstring);
    `choices` (label, sort key, order) are named orders offered as links ("Newest first")."""
    base = _clean(filters)
    if (sort, order) != (spec.default, spec.default_order):
        base |= {"sort": sort, "order": order}
    if win.per_page != per_page_default:
        base["per_page"] = win.per_page

    def url(**changes: Any) -> str:
        q = {**base, **changes}
        if q.get("page") == 1:
            q.pop("page")
        return f"{path}?{urlencode(q)}" if q else path

    pages = max(1, math.ceil(total / win.per_page))
    shown = rows_on_page if rows_on_page is not None else max(0, min(win.per_page, total - win.offset))
    page = win.page
    sort_links = {}
    for key in spec.columns:
        if key == sort:
            nxt = "asc" if order == "desc" else "desc"
            aria = "ascending" if order == "asc" else "descending"
        else:
            nxt, aria = spec.start_order(key), None
        q = {k: v for k, v in base.items() if k not in ("sort", "order")}
        if (key, nxt) != (spec.default, spec.default_order):
            q |= {"sort": key, "order": nxt}
        sort_links[key] = {"href": f"{path}?{urlencode(q)}" if q else path, "aria_sort": aria}
    named = []
    for text, key, direction in choices:
        q = {k: v for k, v in base.items() if k not in ("sort", "order")}
        if (key, direction) != (spec.default, spec.default_order):
            q |= {"sort": key, "order": direction}
        named.append({"label": text, "sort": key, "order": direction,
                      "href": f"{path}?{urlencode(q)}" if q else path,
                      "current": (key, direction) == (sort, order)})
    query = urlencode({k: v for k, v in base.items() if k != "per_page"})  # all pages
    return {
        "total": total, "page": page, "per_page": win.per_page, "pages": pages,
        "first_row": win.offset + 1 if shown else 0, "last_row": win.offset + shown,
        "sort": sort, "order": order, "sorts": list(spec.columns),
        "links": {"first": url(page=1) if page > 1 else None,
                  "prev": url(page=min(page - 1, pages)) if page > 1 else None,
                  "next": url(page=page + 1) if page < pages else None,
                  "last": url(page=pages) if page < pages else None,
                  "self": url(page=page)},
        "sort_links": sort_links, "choices": named,
        "export": {fmt: f"{path}.{fmt}" + (f"?{query}" if query else "") for fmt in FORMATS},
        "filters": base,
    }


def download(request: Request, name: str, fmt: str,
             write: Callable[[Any], Iterator[str]]) -> StreamingResponse:
    """A CSV or JSON Lines download streamed from its own connection (the request's belongs
    to its worker thread; the stream is read on others), inside one read transaction so the
    file is one consistent snapshot however long it takes."""
    from borderwatch.store import open_db
    from borderwatch.store.db import read_snapshot

    if fmt not in FORMATS:
        raise HTTPException(status_code=404, detail=f"no {fmt} download")
    path = request.app.state.connections.path

    def body() -> Iterator[str]:
        conn = open_db(path, create=False)
        try:
            with read_snapshot(conn):
                yield from write(conn)
        finally:
            conn.close()

    return StreamingResponse(body(), media_type=f"{FORMATS[fmt]}; charset=utf-8",
                             headers={"Content-Disposition":
                                      f'attachment; filename="borderwatch-{name}.{fmt}"'})


def table(fmt: str, columns: Sequence[str],
          rows: Callable[[Any], Iterable[dict[str, Any]]]) -> Callable[[Any], Iterator[str]]:
    """A `download` writer of plain rows: `rows(conn)` as `fmt` with these columns."""
    return lambda conn: chunks(fmt, columns, rows(conn))


__all__ = ["PER_PAGE", "checked_period", "checked_sort", "download", "listing", "table", "window"]
