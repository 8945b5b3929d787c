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


def with_title(title: str | None, body: str) -> str:
    """The text extraction reads: the headline, then a blank line, then the body.

    Headlines carry facts ("Customs seizes copper at Hunchun") that the body may never repeat;
    a body that already opens with its headline is left as it is.
    """
    head = normalize_text(title).strip() if title else ""
    if not head or body.lstrip().startswith(head):
        return body
    return f"{head}\n\n{body}"


def make_document(report: Report) -> Document:
    """Normalise, strip boilerplate, put the title first, split sentences; raise ValueError if
    nothing is left.

    The id stays the hash of the body alone, so a report read with and without its headline
    (a feed item, then its page) is still one report.
    """
    body, removed = strip_boilerplate(normalize_text(report.body))
    if not body.strip():
        raise ValueError("no report text left after removing boilerplate")
    text = with_title(report.title, body)
    return Document(
        id=report_id(body),
        source=report.source,
        text=text,
        sentences=split_sentences(text),
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
