"""Any list as CSV or JSON Lines, streamed in chunks: the download buttons of the workbench.

A list's rows are plain dicts (reports, incidents, goods, claims) or event records; the writer
takes a column order and yields text in chunks of about `CHUNK` characters, so a download of
100,000 rows never sits in memory whole. CSV cells that a spreadsheet would run as a formula
are quoted as the event export quotes them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from borderwatch.export.csv_export import _cell

CHUNK = 64 * 1024
FORMATS = {"csv": "text/csv", "jsonl": "application/x-ndjson"}


def _flat(value: Any) -> Any:
    """A CSV cell: lists joined with '; ', dicts as JSON, booleans as 1/0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple)):
        return "; ".join("" if v is None else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def csv_chunks(columns: Sequence[str], rows: Iterable[dict[str, Any]],
               cells: Callable[[dict[str, Any]], Sequence[Any]] | None = None) -> Iterator[str]:
    """A header and one line per row (CRLF, like the event export), in chunks."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for row in rows:
        values = cells(row) if cells else [_flat(row.get(c)) for c in columns]
        w.writerow([_cell(v) for v in values])
        if buf.tell() >= CHUNK:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def jsonl_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object a line, in chunks."""
    parts: list[str] = []
    size = 0
    for row in rows:
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
        parts.append(line)
        size += len(line)
        if size >= CHUNK:
            yield "".join(parts)
            parts, size = [], 0
    yield "".join(parts)


def chunks(fmt: str, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """`rows` written as `fmt` ('csv' or 'jsonl'); JSON Lines keeps only `columns` too, so both
    formats hold the same fields."""
    if fmt == "csv":
        return csv_chunks(columns, rows)
    if fmt == "jsonl":
        return jsonl_chunks({c: r.get(c) for c in columns} for r in rows)
    raise ValueError(f"unknown list format {fmt!r}; one of: {', '.join(FORMATS)}")


__all__ = ["CHUNK", "FORMATS", "chunks", "csv_chunks", "jsonl_chunks"]
