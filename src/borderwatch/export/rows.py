"""Event records for every export format, built once from the store and streamed.

An `EventRecord` is one stored event with its report's metadata, its sentence and the facts it
points at resolved to typed records: places and commodities as `Mention`s (the mention of that
id nearest the event), amounts as `Amount`s, its attribution as an `Attribution`, and the
organisations, persons and vessels named in its sentence as `actors`. Facts an analyst rejected
are left out; rejected events are never yielded.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from borderwatch.extract.places import place_data
from borderwatch.model import MENTION_ID_PREFIXES, MENTION_KINDS, Amount, Attribution, Mention, Sanctions
from borderwatch.store.facts import FactFilters, events_order, events_where

RECORD_SCHEMA = "borderwatch.event/1"
REVIEWED_SQL = " AND (e.review IN ('accepted', 'corrected') OR e.origin = 'analyst')"
ACTOR_KINDS = ("organization", "person", "vessel")
# Outlets report an event rather than take part in it, so they are not its actors.
_NOT_ACTORS = frozenset({"media", "state_media"})
_MENTION_FIELDS = frozenset(f.name for f in fields(Mention))
_T = TypeVar("_T")
_REPORT_CACHE = 64  # reports whose facts are kept while streaming (events cluster by report)

_EVENTS_SQL = (
    "SELECT e.id, e.report_id, e.type, e.trigger, e.start, e.\"end\", e.sentence AS sentence_index,"
    " e.date, e.attribution_kind, e.attribution_holder, e.negated, e.hedged, e.facts, e.rule,"
    " e.origin, e.review, r.title, r.outlet, r.author, r.published, r.url, r.source, r.language,"
    " substr(r.text, s.start + 1, s.\"end\" - s.start) AS sentence"
    " FROM events e JOIN reports r ON r.id = e.report_id"
    " JOIN sentences s ON s.report_id = e.report_id AND s.idx = e.sentence"
)


@dataclass(frozen=True, slots=True)
class ReportRef:
    """The metadata of the report an event was read from."""

    id: str
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None
    url: str | None
    source: str
    language: str | None

    def to_dict(self) -> dict[str, Any]:
        """The report as the fact sheet's `document` names its fields (without text)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event and its resolved facts: the unit every export writes."""

    id: int  # events.id in this store
    report: ReportRef
    type: str
    trigger: str
    start: int
    end: int
    sentence: str
    sentence_index: int
    date: str | None
    negated: bool
    hedged: bool
    rule: str
    origin: str
    review: str | None
    places: tuple[Mention, ...] = ()
    commodities: tuple[Mention, ...] = ()
    amounts: tuple[Amount, ...] = ()
    attribution: Attribution | None = None
    actors: tuple[Mention, ...] = ()  # organisations (not outlets), persons, vessels named in
    # the sentence outside its attribution

    @property
    def day(self) -> str | None:
        """The day the event is filed under: its own date, else the report's publication date."""
        return self.date or self.report.published

    def to_dict(self) -> dict[str, Any]:
        """Nested JSON in the fact sheet's vocabulary (one line of the JSONL export)."""
        return {
            "schema": RECORD_SCHEMA, "id": self.id, "type": self.type, "trigger": self.trigger,
            "start": self.start, "end": self.end, "sentence": self.sentence,
            "sentence_index": self.sentence_index, "date": self.date, "day": self.day,
            "negated": self.negated, "hedged": self.hedged, "rule": self.rule,
            "origin": self.origin, "review": self.review, "report": self.report.to_dict(),
            "places": [m.to_dict() for m in self.places],
            "commodities": [m.to_dict() for m in self.commodities],
            "amounts": [a.to_dict() for a in self.amounts],
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "actors": [m.to_dict() for m in self.actors],
        }


@dataclass(slots=True)
class _ReportFacts:
    """A report's non-rejected facts, indexed for resolving event references."""

    by_entity: dict[str, list[tuple[int, Mention]]]  # entity id -> (sentence, mention)
    actors: dict[int, list[Mention]]  # sentence -> organisations, persons, vessels
    amounts: dict[int, list[tuple[int, Amount]]]  # fact-sheet idx -> (sentence, amount)
    attributions: dict[int, list[tuple[int, Attribution]]]


def _mention(row: sqlite3.Row) -> Mention:
    """A stored mention row back into the typed record."""
    attrs = {k: v for k, v in json.loads(row["attrs"] or "{}").items() if k in _MENTION_FIELDS}
    sanc = attrs.pop("un_sanctions", None)
    return Mention(kind=row["kind"], text=row["text"], start=row["start"], end=row["end"],
                   id=row["entity_id"], name=row["name"], rule=row["rule"],
                   un_sanctions=Sanctions(**sanc) if isinstance(sanc, dict) else None, **attrs)


def _rows(conn: sqlite3.Connection, sql: str, params: Any) -> sqlite3.Cursor:
    """Run `sql` with rows addressable by column name, whatever the connection's row factory."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params)


def _load_report_facts(conn: sqlite3.Connection, report_id: str) -> _ReportFacts:
    """Read one report's mentions, amounts and attributions (rejected ones left out)."""
    keep = "report_id = ? AND coalesce(review, '') <> 'rejected'"
    facts = _ReportFacts({}, {}, {}, {})
    for row in _rows(conn, f'SELECT kind, entity_id, name, text, start, "end", sentence, attrs,'
                            f" rule FROM mentions WHERE {keep} ORDER BY start", (report_id,)):
        m = _mention(row)
        facts.by_entity.setdefault(m.id, []).append((row["sentence"], m))
        if m.kind in ACTOR_KINDS and m.org_kind not in _NOT_ACTORS:
            facts.actors.setdefault(row["sentence"], []).append(m)
    for row in _rows(conn, f'SELECT idx, sentence, kind, text, start, "end", min, max, currency,'
                            f" unit, qualifier, per, usd, usd_rate_date, conversion_of, rule"
                            f" FROM amounts WHERE {keep} ORDER BY id", (report_id,)):
        d = dict(row)
        idx, sent = d.pop("idx"), d.pop("sentence")
        facts.amounts.setdefault(idx, []).append((sent, Amount(**d)))
    for row in _rows(conn, f'SELECT idx, sentence, text, start, "end", kind, outlet, holder, rule'
                            f" FROM attributions WHERE {keep} ORDER BY id", (report_id,)):
        d = dict(row)
        idx = d.pop("idx")
        facts.attributions.setdefault(idx, []).append((d["sentence"], Attribution(**d)))
    return facts


def _nearest(cands: list[tuple[int, _T]], sentence: int) -> _T:
    """The candidate in the event's sentence, else the one in the nearest sentence."""
    return min(cands, key=lambda c: (abs(c[0] - sentence), c[0] > sentence))[1]


def _entity(facts: _ReportFacts, entity_id: str, sentence: int, at: int) -> Mention:
    """The mention of `entity_id` nearest the event; for an id no mention carries (an analyst's
    correction), the gazetteer's row, or the bare id."""
    cands = facts.by_entity.get(entity_id)
    if cands:
        return _nearest(cands, sentence)
    place = place_data().places.get(entity_id)
    if place is not None:
        return Mention(kind="place", text="", start=at, end=at, id=place.id, name=place.name,
                       country=place.country, place_kind=place.kind, admin1=place.admin1,
                       lat=place.lat, lon=place.lon, rule="export.gazetteer")
    prefix = entity_id.split(":", 1)[0] if ":" in entity_id else "place"
    kind = MENTION_ID_PREFIXES.get(prefix, prefix)
    if kind not in MENTION_KINDS:  # an id of no known kind: shown as a place, as before
        kind = "place"
    return Mention(kind=kind, text="", start=at, end=at, id=entity_id, name=entity_id,
                   rule="export.unresolved")


def _indexed(table: dict[int, list[tuple[int, _T]]], idx: int | None, sentence: int) -> _T | None:
    """The fact at fact-sheet index `idx`, preferring the copy in the event's sentence."""
    cands = table.get(idx) if idx is not None else None
    return _nearest(cands, sentence) if cands else None


def _attribution(facts: _ReportFacts, row: sqlite3.Row, idx: int | None) -> Attribution | None:
    """The event's attribution; its kind and holder as the event row has them (corrections)."""
    att = _indexed(facts.attributions, idx, row["sentence_index"])
    kind, holder = row["attribution_kind"], row["attribution_holder"]
    if att is None:
        if not kind:
            return None
        return Attribution(text=holder or "", start=row["start"], end=row["start"], kind=kind,
                           holder=holder, sentence=row["sentence_index"], rule="export.event_row")
    if kind and (kind != att.kind or (holder and holder not in (att.holder, att.text))):
        return Attribution(text=att.text, start=att.start, end=att.end, kind=kind,
                           outlet=att.outlet, holder=holder or att.holder,
                           sentence=att.sentence, rule=att.rule)
    return att


def _record(row: sqlite3.Row, facts: _ReportFacts) -> EventRecord:
    """One event row plus its report's facts into an EventRecord."""
    ref = json.loads(row["facts"] or "{}")
    sent, at = row["sentence_index"], row["start"]
    amounts = (_indexed(facts.amounts, i, sent) for i in ref.get("amounts") or [])
    att = _attribution(facts, row, ref.get("attribution"))
    # Whoever is quoted as the source says the event happened; they are not a party to it.
    actors = tuple(m for m in facts.actors.get(sent, ())
                   if att is None or not (att.start <= m.start and m.end <= att.end))
    return EventRecord(
        id=row["id"],
        report=ReportRef(row["report_id"], row["title"], row["outlet"], row["author"],
                         row["published"], row["url"], row["source"], row["language"]),
        type=row["type"], trigger=row["trigger"], start=row["start"], end=row["end"],
        sentence=row["sentence"], sentence_index=sent, date=row["date"],
        negated=bool(row["negated"]), hedged=bool(row["hedged"]), rule=row["rule"],
        origin=row["origin"], review=row["review"],
        places=tuple(_entity(facts, p, sent, at) for p in ref.get("places") or []),
        commodities=tuple(_entity(facts, c, sent, at) for c in ref.get("commodities") or []),
        amounts=tuple(a for a in amounts if a is not None),
        attribution=att, actors=actors,
    )


def events_query(filters: FactFilters, reviewed_only: bool) -> tuple[str, list[Any]]:
    """SQL (without ORDER/LIMIT) selecting the exported events, and its parameters."""
    cond, params = events_where(filters)
    return _EVENTS_SQL + " " + cond + (REVIEWED_SQL if reviewed_only else ""), params


def count_events(conn: sqlite3.Connection, filters: FactFilters = FactFilters(),
                 reviewed_only: bool = False) -> int:
    """How many events `event_records` would yield without a limit."""
    cond, params = events_where(filters)
    sql = (f"SELECT count(*) FROM events e JOIN reports r ON r.id = e.report_id {cond}"
           + (REVIEWED_SQL if reviewed_only else ""))
    return int(conn.execute(sql, params).fetchone()[0])


def event_records(conn: sqlite3.Connection, filters: FactFilters = FactFilters(),
                  reviewed_only: bool = False, limit: int | None = None,
                  offset: int = 0, sort: str | None = None,
                  order: str | None = None) -> Iterator[EventRecord]:
    """Stream the matching events, newest first (the order of `borderwatch facts`), or in the
    order of the events list sorted by `sort` and `order`."""
    sql, params = events_query(filters, reviewed_only)
    sql += f" ORDER BY {events_order(sort, order)} LIMIT ? OFFSET ?"
    cache: OrderedDict[str, _ReportFacts] = OrderedDict()
    for row in _rows(conn, sql, [*params, -1 if limit is None else limit, offset]):
        rid = row["report_id"]
        facts = cache.get(rid)
        if facts is None:
            facts = cache[rid] = _load_report_facts(conn, rid)
            if len(cache) > _REPORT_CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(rid)
        yield _record(row, facts)
