"""Rendering shared by the workbench's views: the Jinja2 templates, labels of codes, safe links,
JSON-ready values and the page helper.

Kept apart from app.py so the view modules (pages, analysis_pages, reader, review, session,
watch_pages) import this, and app.py imports them to register their routes: no module imports
back the one that registers it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from borderwatch import __version__
from borderwatch.serve.deps import csrf_token, current_user

HERE = Path(str(resources.files("borderwatch.serve")))


def templates() -> Jinja2Templates:
    """Jinja2 with autoescaping on (the default for .html templates)."""
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.globals["version"] = __version__
    t.env.globals["label"] = label
    t.env.filters["web_link"] = web_link
    return t


@cache
def _labels() -> dict[str, dict[str, str]]:
    """Human labels of codes: the contract's vocabularies (data/vocabularies.yaml), then the
    pages' own choices (data/labels.yaml: languages, filter choices, the outlet's own voice)."""
    from borderwatch.data_models.pages import PageLabelsFile
    from borderwatch.datafiles import load
    from borderwatch.vocabularies import vocabularies

    v = vocabularies()
    out: dict[str, dict[str, str]] = {
        "type": {code: entry.label for code, entry in v.event_types.items()},
        "topics": dict(v.topics), "source_kinds": dict(v.source_kinds),
        "mention_kinds": dict(v.mention_kinds), "place_kinds": dict(v.place_kinds),
        "org_kinds": dict(v.org_kinds), "amount_kinds": dict(v.amount_kinds)}
    for section, labels in load("labels.yaml", PageLabelsFile).root.items():
        out.setdefault(section, {}).update(labels)
    return out


def label(vocabulary: str, code: str | None) -> str:
    """A code as a reader should see it: 'border_tightening' -> 'Border tightening',
    'named_person' -> 'Named person' (an unknown code with its underscores spelled as spaces)."""
    if code is None:
        return ""
    return _labels().get(vocabulary, {}).get(code) or code.replace("_", " ")


def web_link(url: str | None) -> str | None:
    """A stored address as a link only when it is http(s): a report's `javascript:` or `data:`
    "original" is shown as no link at all (CSP would block it; this never renders it)."""
    if url and re.match(r"(?i)^https?://[^\s]+$", url.strip()):
        return url.strip()
    return None


def plain(obj: Any) -> Any:
    """Dataclasses from the resolve and store stages (and lists of them) as JSON-ready values."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, (list, tuple)):
        return [plain(o) for o in obj]
    return obj


def respond(request: Request, template: str, data: dict[str, Any],
            html: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
            api: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Any:
    """One view, two forms: at /api/... the data as JSON, elsewhere the page rendered from the
    same data. Each view is one function registered on both paths, so its query parameters
    are declared once; `html` and `api` add what only one form shows."""
    if request.url.path.startswith("/api/"):
        return api(data) if api else data
    return page(request, template, html(data) if html else data)


def page(request: Request, template: str, data: dict) -> HTMLResponse:
    """Render a page with the user and CSRF token every template needs."""
    ctx = {"user": current_user(request), "csrf": csrf_token(request), **data}
    return request.app.state.templates.TemplateResponse(request, template, ctx)
