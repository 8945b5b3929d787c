"""Export stage: stored events and their facts as CSV, JSON Lines, GeoJSON or FollowTheMoney.

Every format starts from the same stream of `EventRecord`s (export/rows.py), so a filter or a
review rule applies identically to all of them; one module per format writes the stream.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TextIO

from borderwatch.export.csv_export import write_csv
from borderwatch.export.geojson import write_geojson
from borderwatch.export.jsonl import write_jsonl
from borderwatch.export.rows import EventRecord, ReportRef, count_events, event_records
from borderwatch.store.facts import FactFilters

WRITERS: dict[str, Callable[[Iterable[EventRecord], TextIO], int]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "geojson": write_geojson,
    "ftm": lambda records, out: _ftm(records, out),
}
FORMATS = tuple(WRITERS)


class MissingExtra(RuntimeError):
    """A format whose library is an optional extra that is not installed."""


def available(fmt: str) -> None:
    """Raise MissingExtra when `fmt` needs a package this install lacks (before any file is
    opened): FollowTheMoney is the `ftm` extra, ~200 MB that most installs do not need."""
    if fmt == "ftm":
        from importlib.util import find_spec

        if find_spec("followthemoney") is None:
            raise MissingExtra("the FollowTheMoney export needs the ftm extra:"
                               " pip install 'borderwatch[ftm]'")


def _ftm(records: Iterable[EventRecord], out: TextIO) -> int:
    """FollowTheMoney, imported on use: the package takes ~0.7 s to import."""
    available("ftm")
    from borderwatch.export.ftm import write_ftm

    return write_ftm(records, out)


def export(conn: sqlite3.Connection, fmt: str, out: TextIO,
           filters: FactFilters = FactFilters(), reviewed_only: bool = False) -> int:
    """Write the matching events to `out` in `fmt`; return the records written.

    Records are events (csv, jsonl), place features (geojson) or entities (ftm). Rejected
    events are never written; `reviewed_only` keeps accepted, corrected and analyst-made ones.
    """
    writer = WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}; one of: {', '.join(FORMATS)}")
    return writer(event_records(conn, filters, reviewed_only), out)


__all__ = ["FORMATS", "EventRecord", "MissingExtra", "ReportRef", "available", "count_events", "event_records",
           "export"]
