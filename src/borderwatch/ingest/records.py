"""JSON and JSON Lines records: `text` or `html`, plus optional metadata fields.

A JSON file holds one record or an array of them; a JSON Lines file one record a line. A bad
record yields a Failure naming it (`path#N` in an array, `path:LINE` in JSON Lines) and the
other records still come through.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from borderwatch.ingest.html import extract_html
from borderwatch.ingest.meta import ReadError
from borderwatch.model import Failure, Report

_STR_FIELDS = ("title", "url", "published", "outlet", "language", "author")
_LIST_FIELDS = ("tags", "captions")


def _json_error(exc: json.JSONDecodeError, text: str, what: str = "JSON") -> str:
    """'malformed JSON at line 3 column 17: …', or 'truncated …' when the text just stops."""
    cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
    kind = "truncated" if cut else "malformed"
    return f"{kind} {what} at line {exc.lineno} column {exc.colno}: {exc.msg}"


def _as_list(value: Any, name: str) -> tuple[str, ...]:
    """A list field from a list of strings or a comma-separated string."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise ReadError(f"field '{name}' must be a list of strings or a comma-separated string")


def _label(record: dict[str, Any]) -> str:
    """A short name for a record in a message: its title or url, if it has one."""
    for key in ("title", "url", "id"):
        if isinstance(record.get(key), str) and record[key].strip():
            return f" ({key}: {str(record[key]).strip()[:60]!r})"
    return ""


def record_report(record: Any, source: str, encoding: str | None, fmt: str = "json") -> Report:
    """A Report from one record, or ReadError saying what is wrong with it."""
    if not isinstance(record, dict):
        raise ReadError(f"record is a JSON {type(record).__name__}, not an object")
    fields: dict[str, Any] = {}
    for name in _STR_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise ReadError(f"field '{name}' must be a string{_label(record)}")
        fields[name] = value.strip() or None if isinstance(value, str) else None
    tags, captions = (_as_list(record.get(n), n) for n in _LIST_FIELDS)
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        report = Report(source=source, body=text, format=fmt, encoding=encoding)
    elif isinstance(html, str) and html.strip():
        report = replace(extract_html(html, source, fields["url"], encoding), format=fmt)
    else:
        raise ReadError(f"record has no 'text' or 'html'{_label(record)}")
    stated = {k: v for k, v in fields.items() if v is not None}
    return _merge(report, stated, tags, captions)


def _merge(report: Report, stated: dict[str, Any], tags: tuple[str, ...],
           captions: tuple[str, ...]) -> Report:
    """The record's own fields over what a page said about itself."""
    return replace(report, **stated, tags=tags or report.tags,
                   captions=captions or report.captions)


def read_json(text: str, source: str, encoding: str | None) -> Iterator[Report | Failure]:
    """Records from a JSON document: one object or an array of objects."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _looks_like_lines(text):
            yield from read_jsonl(text, source, encoding)  # JSON Lines saved as .json
            return
        raise ReadError(_json_error(exc, text)) from None
    if isinstance(value, dict):
        yield _one(value, source, encoding)
    elif isinstance(value, list):
        if not value:
            raise ReadError("JSON array holds no records")
        for n, record in enumerate(value, 1):
            yield _one(record, f"{source}#{n}", encoding)
    else:
        raise ReadError(f"JSON holds a {type(value).__name__}, not a record or a list of records")


def _looks_like_lines(text: str) -> bool:
    """True if the first line alone is a JSON object."""
    try:
        return isinstance(json.loads(text.lstrip().split("\n", 1)[0]), dict)
    except json.JSONDecodeError:
        return False


def _one(record: Any, source: str, encoding: str | None, fmt: str = "json") -> Report | Failure:
    """A Report, or the Failure of this record alone: a bug met in one record of a JSON Lines
    archive costs that record, not the lines after it."""
    try:
        return record_report(record, source, encoding, fmt)
    except ReadError as exc:
        return Failure(source=source, reason=str(exc), stage=exc.stage)
    except Exception as exc:  # noqa: BLE001 - recorded with the record's line
        return Failure.unexpected(source, "parse", exc)


def read_jsonl(text: str, source: str, encoding: str | None) -> Iterator[Report | Failure]:
    """Records from JSON Lines, one a line; blank lines are skipped."""
    lines = text.split("\n")
    seen = False
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        seen = True
        where = f"{source}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = _json_error(exc, line, "JSON record")
            if lineno < len(lines) and reason.startswith("truncated"):
                reason = "malformed" + reason.removeprefix("truncated")  # only the last can be cut
            reason = reason.replace(f"line {exc.lineno} ", f"line {lineno} ", 1)
            yield Failure(source=where, reason=reason, stage="parse")
            continue
        yield _one(record, where, encoding, "jsonl")
    if not seen:
        raise ReadError("empty file")
