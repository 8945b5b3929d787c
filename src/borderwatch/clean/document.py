"""From a Report to a Document: the one place a report's stable id is made."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from borderwatch.clean.boilerplate import strip_boilerplate
from borderwatch.clean.normalize import normalize_text
from borderwatch.clean.sentences import split_sentences
from borderwatch.ingest import Fetcher, ReadOptions, Unchanged, read_input
from borderwatch.model import Document, Failure, RawInput, Report


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


_TITLE_WORDS = 14


def title_from_text(text: str, sentences: tuple) -> str | None:
    """A title for a report that has none: its first sentence, cut to a few words (a list or
    page shows this, never the file path). Not put into the text: the text is the report's own."""
    if not sentences:
        return None
    first = " ".join(text[sentences[0].start:sentences[0].end].split())
    words = first.split()
    if len(words) > _TITLE_WORDS:
        return " ".join(words[:_TITLE_WORDS]).rstrip(",;:") + " …"
    return first or None


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
    sentences = split_sentences(text)
    return Document(
        id=report_id(body),
        source=report.source,
        text=text,
        sentences=sentences,
        format=report.format,
        title=report.title or title_from_text(text, sentences),
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


def read_documents(item: RawInput, options: ReadOptions,
                   fetcher: Fetcher | None) -> Iterator[Document | Failure | Unchanged]:
    """Every report of one input, read and cleaned: a Document, a Failure (stage "clean" for
    a report read but empty once cleaned, or one cleaning failed on), or Unchanged (a feed item
    whose page answered 304).
    The one read-and-clean loop `ingest`, its workers and `extract` share."""
    for rec in read_input(item, options, fetcher):
        if not isinstance(rec, Report):
            yield rec
            continue
        try:
            doc = make_document(rec)
        except ValueError as exc:
            yield Failure(rec.source, str(exc), "clean")
            continue
        except Exception as exc:  # noqa: BLE001 - a bug costs this report, not its input's rest
            yield Failure.unexpected(rec.source, "clean", exc)
            continue
        del rec  # its body is a second copy of the text: a long report's peak is copies
        yield doc
