"""Incidents: one happening counted once, however many reports tell of it. The rules, pure:
store/incidents.py reads the events, writes the incidents and keeps the analysts' pins.

Events (not rejected, not negated) of the same type at the same place whose days lie within a
window are one incident. The place is an event's FIRST place; events with no place are grouped
per report (never merged across reports: "a crackdown" in two reports need not be the same one),
unless other events of the same type in the same report all name one place, which they then
take; events with no day at all are grouped per report too. An event's day is its own date when that is day-precise,
else its report's publication date.

Window: ANCHORED, not chained. Events are taken in day order; an event joins the open group of
its type and place when its day is at most `window_days` after the group's FIRST day, otherwise it
opens a new group. Chaining (compare with the last day) lets a daily stream of reports about an
ongoing campaign collapse into one months-long incident; anchoring bounds an incident to
window_days + 1 days and keeps its key (type|place|first day) fixed when later reports arrive.

Analysts' pins (incident_pins, keyed by report, type and span, which survive re-extraction)
override the grouping: pinned events form the incident of their pin key. The store's rebuild
is idempotent and keeps the row id of every incident whose key it produces again.

A split or merge is logged in `reviews` with the pin rows it changed, before and after; undoing
it (store/undo.py, jobs.undo) puts those pins back as they were and rebuilds. Because the undo
restores the pins, not a snapshot of incident rows, it survives any number of rebuilds and
re-extractions in between: the next rebuild groups those events as the earlier pins, or the
automatic rule, say for the events as they are then.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 7
PIN_PREFIX = "pin:"


class IncidentError(ValueError):
    """A split or merge that cannot be done (unknown incident, events not in it, mixed types)."""


@dataclass(frozen=True, slots=True)
class Ev:
    """One event as the grouping sees it."""

    id: int
    report_id: str
    type: str
    start: int
    end: int
    place: str | None  # its first place, or the one its report's events of the type all name
    day: str | None  # its own day-precise date, else its report's publication date
    root: str  # the report, or the report it is a near-duplicate of
    scope: str  # the place; for events with no place or no day, their report

    @property
    def ident(self) -> tuple[str, str, int, int]:
        """What identifies the event across re-extraction (the incident_pins key)."""
        return (self.report_id, self.type, self.start, self.end)


def stored_day(ev: Ev) -> date | None:
    """The event's day, or None (with a warning) when the stored value is not on the calendar:
    one bad row written by an older version or by hand must not stop every rebuild."""
    if not ev.day:
        return None
    try:
        return date.fromisoformat(ev.day)
    except ValueError:
        log.warning("event %s of report %s has a date not on the calendar (%r): grouped as undated",
                    ev.id, ev.report_id, ev.day)
        return None


def group_events(events: Iterable[Ev], pins: dict[tuple[str, str, int, int], str],
                 pinned: dict[str, list[Ev]], window_days: int) -> Iterator[tuple[str, list[Ev]]]:
    """Automatic groups in one pass over events sorted by type, scope and day (anchored
    windows per type and scope), each with its key (type|scope|first day); events with an
    analyst's pin are set aside in `pinned` instead. Holds one group at a time."""
    scope_key: tuple[str, str] | None = None
    first: date | None = None
    current: list[Ev] = []
    key = ""
    for ev in events:
        pin = pins.get(ev.ident)
        if pin is not None:
            pinned[pin].append(ev)
            continue
        day = stored_day(ev)
        here = (ev.type, ev.scope)
        if here == scope_key and current and (day is None or first is None
                                              or (day - first).days <= window_days):
            current.append(ev)
            continue
        if current:
            yield key, current
        scope_key, first, current = here, day, [ev]
        key = f"{ev.type}|{ev.scope}|{ev.day or 'undated'}"
    if current:
        yield key, current


def incident_row(key: str, evs: list[Ev], pinned: bool, names: dict[str, str]) -> tuple:
    """The incidents row (minus id) for one group of events: its type, its most named place,
    first and last days, and how many events, reports and independent sources tell it."""
    etype = Counter(e.type for e in evs).most_common(1)[0][0]
    places = [e.place for e in sorted(evs, key=lambda e: (e.day or "", e.id)) if e.place]
    place = Counter(places).most_common(1)[0][0] if places else None
    days = sorted(e.day for e in evs if e.day)
    return (key, etype, place, names.get(place) if place else None,
            days[0] if days else None, days[-1] if days else None, len(evs),
            len({e.report_id for e in evs}), len({e.root for e in evs}), int(pinned))


def scope_of(key: str, etype: str) -> str:
    """The grouping scope inside an automatic incident's key (type|scope|first day)."""
    return key[len(etype) + 1:key.rindex("|")]


def is_place_scope(scope: str) -> bool:
    """Whether events of other reports can share the scope (a place, dated)."""
    return not scope.startswith("report:") and "|undated:" not in scope


def pin_key(idents: list[list[Any]]) -> str:
    """A pin key derived from its members, so the same split done twice gives the same key."""
    blob = json.dumps(sorted(idents), separators=(",", ":"))
    return PIN_PREFIX + hashlib.sha1(blob.encode()).hexdigest()[:16]
