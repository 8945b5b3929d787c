"""From a Report to a Document: the one place a report's stable id is made."""

from __future__ import annotations

import hashlib

from borderwatch.clean.boilerplate import strip_boilerplate
from borderwatch.clean.normalize import normalize_text
from borderwatch.clean.sentences import split_sentences
from borderwatch.model import Document, Report


def report_id(text: str) -> str:
    """Stable id of a cleaned text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def make_document(report: Report) -> Document:
    """Normalise, strip boilerplate, split sentences; raise ValueError if nothing is left."""
    body, removed = strip_boilerplate(normalize_text(report.body))
    if not body.strip():
        raise ValueError("no report text left after removing boilerplate")
    return Document(
        id=report_id(body),
        source=report.source,
        text=body,
        sentences=split_sentences(body),
        format=report.format,
        title=report.title,
        outlet=report.outlet,
        author=report.author,
        published=report.published,
        language=report.language,
        url=report.url,
        tags=report.tags,
        captions=report.captions,
        encoding=report.encoding,
        removed=removed,
    )
