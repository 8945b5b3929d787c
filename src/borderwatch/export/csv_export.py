"""CSV export: one row per event, a stable column order, lists joined with "; "."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from borderwatch.export.rows import EventRecord
from borderwatch.model import Mention

SEP = "; "
# A cell a spreadsheet would run as a formula starts with one of these; report text is untrusted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _join(values: Iterable[Any]) -> str:
    """A list cell: values joined with SEP, missing ones as empty strings."""
    return SEP.join("" if v is None else str(v) for v in values)


def _coords(m: Mention) -> str:
    """'lat,lon' of a place, or '' when the gazetteer has none."""
    return f"{m.lat},{m.lon}" if m.lat is not None and m.lon is not None else ""


def _sanctioned(m: Mention) -> str:
    """'export_ban'/'import_ban'/'import_cap' flags of a commodity, joined with '+', or 'no'."""
    s = m.un_sanctions
    if s is None:
        return ""
    flags = [k for k, v in (("export_ban", s.export_ban), ("import_ban", s.import_ban),
                            ("import_cap", s.import_cap)) if v]
    return "+".join(flags) if flags else "no"


def _att(r: EventRecord, field: str) -> Any:
    """One field of the event's attribution, or None."""
    return getattr(r.attribution, field) if r.attribution else None


# (column, value) in output order; adding a column is one line here.
COLUMNS: tuple[tuple[str, Callable[[EventRecord], Any]], ...] = (
    ("event_id", lambda r: r.id),
    ("report_id", lambda r: r.report.id),
    ("report_title", lambda r: r.report.title),
    ("outlet", lambda r: r.report.outlet),
    ("published", lambda r: r.report.published),
    ("url", lambda r: r.report.url),
    ("type", lambda r: r.type),
    ("date", lambda r: r.date),
    ("day", lambda r: r.day),
    ("trigger", lambda r: r.trigger),
    ("start", lambda r: r.start),
    ("end", lambda r: r.end),
    ("sentence", lambda r: r.sentence),
    ("place_ids", lambda r: _join(m.id for m in r.places)),
    ("place_names", lambda r: _join(m.name for m in r.places)),
    ("place_countries", lambda r: _join(m.country for m in r.places)),
    ("place_coordinates", lambda r: _join(_coords(m) for m in r.places)),
    ("commodity_ids", lambda r: _join(m.id for m in r.commodities)),
    ("commodities", lambda r: _join(m.name for m in r.commodities)),
    ("commodity_hs", lambda r: _join(m.hs for m in r.commodities)),
    ("commodity_un_sanctions", lambda r: _join(_sanctioned(m) for m in r.commodities)),
    ("amounts", lambda r: _join(a.text for a in r.amounts)),
    ("amount_kinds", lambda r: _join(a.kind for a in r.amounts)),
    ("amount_min", lambda r: _join(a.min for a in r.amounts)),
    ("amount_max", lambda r: _join(a.max for a in r.amounts)),
    ("amount_currency", lambda r: _join(a.currency or a.unit for a in r.amounts)),
    ("amount_usd", lambda r: _join(a.usd for a in r.amounts)),
    ("attribution", lambda r: _att(r, "text")),
    ("attribution_kind", lambda r: _att(r, "kind")),
    ("attribution_outlet", lambda r: _att(r, "outlet")),
    ("attribution_holder", lambda r: _att(r, "holder")),
    ("actors", lambda r: _join(m.name for m in r.actors)),
    ("negated", lambda r: int(r.negated)),
    ("hedged", lambda r: int(r.hedged)),
    ("review", lambda r: r.review),
    ("origin", lambda r: r.origin),
    ("rule", lambda r: r.rule),
)
HEADER = tuple(name for name, _ in COLUMNS)


def _cell(value: Any) -> Any:
    """A cell value, with text a spreadsheet would take for a formula quoted by a leading '."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def event_row(r: EventRecord) -> list[Any]:
    """One event as a CSV row in HEADER order."""
    return [_cell(get(r)) for _, get in COLUMNS]


def write_csv(records: Iterable[EventRecord], out: TextIO) -> int:
    """Write a header and one row per event; return the number of rows (without the header)."""
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    n = 0
    for r in records:
        w.writerow(event_row(r))
        n += 1
    return n
