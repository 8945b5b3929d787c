"""Writing a fact sheet's facts to the store, and reading events back for `borderwatch facts`.

Facts an analyst has reviewed (review IS NOT NULL) or added (origin = 'analyst') are never
deleted by re-extraction; a newly extracted fact at the same span of the same table as a reviewed
one is dropped, so a rejected fact does not come back and a corrected one is not doubled.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from borderwatch.extract.sections import SectionedSheet
from borderwatch.model import FactSheet
from borderwatch.store.db import utc_now
from borderwatch.store.paging import SortSpec
from borderwatch.store.periods import period_sql

if TYPE_CHECKING:
    from borderwatch.store.claim_rows import ClaimRow

FACT_TABLES = ("mentions", "amounts", "dates", "attributions", "events")


def _kept_spans(conn: sqlite3.Connection, report_id: str) -> dict[str, set[tuple[int, int]]]:
    """Spans of reviewed or analyst-made facts, per table."""
    out: dict[str, set[tuple[int, int]]] = {}
    for table in FACT_TABLES:
        out[table] = {
            (s, e) for s, e in conn.execute(
                f'SELECT start, "end" FROM {table} WHERE report_id = ?'
                " AND (review IS NOT NULL OR origin <> 'extracted')", (report_id,))
        }
    return out


def _realign_kept(conn: sqlite3.Connection, rid: str, table: str, facts: Any,
                  kept: set[tuple[int, int]], first: int = 0) -> None:
    """A kept (reviewed) fact takes the fact-sheet index of the new fact at its span: events
    point at amounts and attributions by that index, so a corrected amount stays the amount
    of its event when re-extraction renumbers the sheet. Only facts at a kept span are looked
    up (`kept`): one UPDATE per fact, each reading the report's rows, made a report with 20,000
    amounts quadratic (5 s of a 14 s ingest at 450 KB)."""
    conn.executemany(
        f'UPDATE {table} SET idx = ? WHERE report_id = ? AND start = ? AND "end" = ?'
        " AND (review IS NOT NULL OR origin <> 'extracted') AND idx <> ?",
        [(i, rid, f.start, f.end, i) for i, f in enumerate(facts, first) if (f.start, f.end) in kept])


def write_facts(conn: sqlite3.Connection, sheet: FactSheet | SectionedSheet | FactRows,
                version: str, new_report: bool = False, claims: bool = True) -> bool:
    """Replace a report's unreviewed extracted facts with those of `sheet` (caller's
    transaction), and record the extractor version that made them. A long report's sheet comes
    in sections (extract/sections.py), written one at a time so its facts are never all in
    memory; the spool file is the caller's to discard. `new_report`: the report was stored in
    this transaction, so it has no facts yet, reviewed or not (the writer skips the eleven
    statements a report that would find nothing). `claims=False`: the caller derives the
    report's claims itself before its transaction commits (the writer does it once for a batch of
    reports: store/writer.py). A new report's facts may come as the rows an ingest worker
    built (`FactRows`): nothing is kept, so they are inserted as they are, and so are the claims
    the worker derived from them, if any; then only the claims' counts are left (for the
    caller, with `claims=False`), and True is returned."""
    claims_given = False
    if isinstance(sheet, FactRows):
        if not new_report:
            raise ValueError("facts as rows are for a report stored in this transaction")
        rid = sheet.report_id
        first_event, first_attribution = _insert_rows(conn, sheet)
        if sheet.claims is not None:
            from borderwatch.store.claim_table import insert_claims

            insert_claims(conn, rid, list(sheet.claims), first_event, first_attribution)
            claims_given = True
    else:
        rid = sheet.document.id
        _write_sheet(conn, sheet, new_report)
    conn.executemany("INSERT INTO report_topics(report_id, topic, rank) VALUES (?, ?, ?)",
                     [(rid, t, i) for i, t in enumerate(sheet.topics)])
    conn.execute(
        "INSERT INTO extractions(report_id, version, extracted_at) VALUES (?, ?, ?)"
        " ON CONFLICT(report_id) DO UPDATE SET version = excluded.version,"
        " extracted_at = excluded.extracted_at", (rid, version, utc_now()))
    if claims:  # the report's claims follow its facts, in this transaction
        from borderwatch.store.claim_table import add_claim_counts, refresh_claims

        if claims_given:
            add_claim_counts(conn, [rid])
        else:
            refresh_claims(conn, [rid])
    return claims_given


def _write_sheet(conn: sqlite3.Connection, sheet: FactSheet | SectionedSheet, new_report: bool) -> None:
    """A sheet's facts in place of the report's unreviewed extracted ones, part by part."""
    rid = sheet.document.id
    if new_report:
        kept: dict[str, set[tuple[int, int]]] = {t: set() for t in FACT_TABLES}
    else:
        for table in FACT_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE report_id = ? AND review IS NULL"
                         " AND origin = 'extracted'", (rid,))
        conn.execute("DELETE FROM report_topics WHERE report_id = ?", (rid,))
        kept = _kept_spans(conn, rid)
    base = dict.fromkeys(FACT_TABLES, 0)
    parts = sheet.sections() if isinstance(sheet, SectionedSheet) else (sheet,)
    for part in parts:
        _write_part(conn, part, kept, base)
        for table, items in (("mentions", part.mentions), ("amounts", part.amounts),
                             ("dates", part.dates), ("attributions", part.attributions),
                             ("events", part.events)):
            base[table] += len(items)
    if not new_report:
        drop_rejected(conn, rid)  # what an analyst rejected stays out of the new events


@dataclass(frozen=True, slots=True)
class FactRows:
    """A fact sheet (or one section of it) as the rows `write_facts` inserts, built without the
    store: an ingest worker builds them where it extracted, so the one writer only inserts
    (issue 11) and unpickles tuples instead of a tree of fact records. An event's id is given
    at insert (the next rowids), so its row here lacks it and its entities name its position."""

    report_id: str
    mentions: list[tuple[Any, ...]]
    amounts: list[tuple[Any, ...]]
    dates: list[tuple[Any, ...]]
    attributions: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]  # the events columns after `id`
    entities: list[tuple[int, str, str]]  # (position in `events`, entity id, role)
    topics: tuple[str, ...] = ()
    # the report's claims, derived by the worker (store/claim_rows.py); None: the writer
    # derives them from the stored rows. Their events and attribution are positions here.
    claims: tuple[ClaimRow, ...] | None = None


def fact_rows(sheet: FactSheet, kept: dict[str, set[tuple[int, int]]] | None = None,
              base: dict[str, int] | None = None) -> FactRows:
    """The rows of one sheet's (or section's) facts, leaving out those at a `kept` span (a
    reviewed fact stays instead); `base` holds each table's index of the part's first fact in
    the report (events point at amounts and attributions by report-wide index)."""
    rid = sheet.document.id
    sent = sheet.document.sentence_at
    keep = kept or {}
    none: set[tuple[int, int]] = set()
    m0, a0, d0, t0, e0 = (base[t] for t in FACT_TABLES) if base else (0, 0, 0, 0, 0)

    mentions = []
    for i, m in enumerate(sheet.mentions, m0):
        if (m.start, m.end) in keep.get("mentions", none):
            continue
        d = m.to_dict()
        attrs = {k: v for k, v in d.items()
                 if k not in ("kind", "text", "start", "end", "id", "name", "rule")}
        mentions.append((rid, i, m.kind, m.id, m.name, m.text, m.start, m.end, sent(m.start),
                         json.dumps(attrs, ensure_ascii=False), m.rule))
    kept_amounts, kept_dates = keep.get("amounts", none), keep.get("dates", none)
    kept_atts, kept_events = keep.get("attributions", none), keep.get("events", none)
    amounts = [(rid, i, a.kind, a.text, a.start, a.end, sent(a.start), a.min, a.max, a.currency,
                a.unit, a.qualifier, a.per, a.usd, a.usd_rate_date, a.conversion_of, a.rule)
               for i, a in enumerate(sheet.amounts, a0) if (a.start, a.end) not in kept_amounts]
    dates = [(rid, i, d.text, d.start, d.end, sent(d.start), d.value, d.granularity,
              int(d.relative), d.rule)
             for i, d in enumerate(sheet.dates, d0) if (d.start, d.end) not in kept_dates]
    attributions = [(rid, i, a.text, a.start, a.end, sent(a.start), a.kind, a.outlet, a.holder,
                     a.rule)
                    for i, a in enumerate(sheet.attributions, t0) if (a.start, a.end) not in kept_atts]
    # the day and first place and good are given with the row (migrations 0012, 0019, 0021)
    published = sheet.document.published
    events: list[tuple[Any, ...]] = []
    entities: list[tuple[int, str, str]] = []
    for i, e in enumerate(sheet.events, e0):
        if (e.start, e.end) in kept_events:
            continue
        att = sheet.attributions[e.attribution - t0] if e.attribution is not None else None
        facts = {"places": list(e.places), "commodities": list(e.commodities),
                 "amounts": list(e.amounts), "attribution": e.attribution,
                 "mentions": [m.to_dict() for m in e.all_mentions()]}
        n = len(events)
        events.append((rid, i, e.type, e.trigger, e.start, e.end, e.sentence_index, e.date,
                       att.kind if att else None, (att.holder or att.text) if att else None,
                       int(e.negated), int(e.hedged), json.dumps(facts), e.rule,
                       e.date if e.date is not None else published,
                       e.places[0] if e.places else None,
                       e.commodities[0] if e.commodities else None))
        entities += [(n, p, "place") for p in e.places]
        entities += [(n, c, "commodity") for c in e.commodities]
    return FactRows(rid, mentions, amounts, dates, attributions, events, entities, sheet.topics)


def _insert_rows(conn: sqlite3.Connection, rows: FactRows) -> tuple[int, int]:
    """Insert one part's rows, one statement per table. The events and attributions get their
    ids here (the next rowids, as SQLite would pick them) so that event_entities and claims can
    point at them by position; returns the first event id and the first attribution id."""
    conn.executemany(
        "INSERT INTO mentions(report_id, idx, kind, entity_id, name, text, start, \"end\","
        " sentence, attrs, rule) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows.mentions)
    conn.executemany(
        "INSERT INTO amounts(report_id, idx, kind, text, start, \"end\", sentence, min, max,"
        " currency, unit, qualifier, per, usd, usd_rate_date, conversion_of, rule)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows.amounts)
    conn.executemany(
        "INSERT INTO dates(report_id, idx, text, start, \"end\", sentence, value, granularity,"
        " relative, rule) VALUES (?,?,?,?,?,?,?,?,?,?)", rows.dates)
    first_attribution = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM attributions").fetchone()[0]
    conn.executemany(
        "INSERT INTO attributions(id, report_id, idx, text, start, \"end\", sentence, kind, outlet,"
        " holder, rule) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(first_attribution + n, *row) for n, row in enumerate(rows.attributions)])
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
    conn.executemany(
        "INSERT INTO events(id, report_id, idx, type, trigger, start, \"end\", sentence, date,"
        " attribution_kind, attribution_holder, negated, hedged, facts, rule, day, place, good)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(first + n, *row) for n, row in enumerate(rows.events)])
    conn.executemany(
        "INSERT OR IGNORE INTO event_entities(event_id, entity_id, role) VALUES (?, ?, ?)",
        [(first + n, e, role) for n, e, role in rows.entities])
    return first, first_attribution


def _write_part(conn: sqlite3.Connection, sheet: FactSheet, kept: dict[str, set[tuple[int, int]]],
                base: dict[str, int]) -> None:
    """Insert one sheet's (or section's) facts but those at kept spans, and give the kept
    amounts and attributions the indexes of the new facts at their spans."""
    _insert_rows(conn, fact_rows(sheet, kept, base))
    rid = sheet.document.id
    t0, a0 = base["attributions"], base["amounts"]
    for table, items, first in (("amounts", sheet.amounts, a0), ("attributions", sheet.attributions, t0)):
        _realign_kept(conn, rid, table, items, kept[table], first)


# An event's columns derived from its other values (migrations 0012, 0019, 0021): its day, else
# its report's publication date; its first place and good. The writer gives them with the row;
# any other insert (an analyst's added event, an undo putting an event back) runs this after it.
EVENT_COLUMNS = (
    "UPDATE events SET day = coalesce(date, (SELECT published FROM reports WHERE id = report_id)),"
    " place = json_extract(facts, '$.places[0]'), good = json_extract(facts, '$.commodities[0]')"
    " WHERE id = ?")


def fill_event_columns(conn: sqlite3.Connection, event_id: int) -> None:
    """Set an event's day, place and good from its date, report and facts (EVENT_COLUMNS)."""
    conn.execute(EVENT_COLUMNS, (event_id,))


# Events whose places, goods, date and source still follow the report's facts: extracted ones
# not corrected by hand (an analyst's correction or added event says what it means itself).
DERIVED_EVENT = "origin = 'extracted' AND coalesce(review, '') IN ('', 'accepted')"


def drop_rejected(conn: sqlite3.Connection, report_id: str) -> list[int]:
    """Take the facts an analyst rejected out of the report's derived events; return the ids of
    the events changed. A place or good goes when every mention of it in the report is
    rejected, a date when every date phrase with that value is, a source with its attribution.
    Idempotent; run on every review and after every (re-)extraction of the report."""
    gone: dict[str, set[str]] = {"place": set(), "commodity": set()}
    for kind, entity in conn.execute(
            "SELECT kind, entity_id FROM mentions WHERE report_id = ? AND kind IN ('place', 'commodity')"
            " GROUP BY kind, entity_id HAVING max(coalesce(review, '') <> 'rejected') = 0",
            (report_id,)):
        gone[kind].add(entity)
    dates = {r[0] for r in conn.execute(
        "SELECT value FROM dates WHERE report_id = ? AND value IS NOT NULL GROUP BY value"
        " HAVING max(coalesce(review, '') <> 'rejected') = 0", (report_id,))}
    atts = {r[0] for r in conn.execute(
        "SELECT idx FROM attributions WHERE report_id = ? AND review = 'rejected'", (report_id,))}
    if not (gone["place"] or gone["commodity"] or dates or atts):
        return []
    changed = []
    for ev in conn.execute(f"SELECT id, date, facts FROM events WHERE report_id = ? AND {DERIVED_EVENT}",
                           (report_id,)).fetchall():
        facts = json.loads(ev[2])
        new = dict(facts)
        new["places"] = [p for p in facts.get("places", []) if p not in gone["place"]]
        new["commodities"] = [c for c in facts.get("commodities", []) if c not in gone["commodity"]]
        att_gone = facts.get("attribution") is not None and facts["attribution"] in atts
        if att_gone:
            new["attribution"] = None
        date_gone = ev[1] in dates
        if new == facts and not date_gone:
            continue
        sets: dict[str, str | None] = {"facts": json.dumps(new)}
        if date_gone:
            sets["date"] = None
        if att_gone:
            sets.update(attribution_kind=None, attribution_holder=None)
        conn.execute(f"UPDATE events SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                     [*sets.values(), ev[0]])
        dropped = (set(facts.get("places", [])) - set(new["places"])) | (
            set(facts.get("commodities", [])) - set(new["commodities"]))
        conn.executemany("DELETE FROM event_entities WHERE event_id = ? AND entity_id = ?",
                         [(ev[0], e) for e in dropped])
        changed.append(ev[0])
    return changed


@dataclass(frozen=True, slots=True)
class FactFilters:
    """Filters of `borderwatch facts`."""

    type: str | None = None
    place: str | None = None  # a place name or id; matches the event's places
    commodity: str | None = None
    since: str | None = None  # on the event's date, else the report's publication date
    until: str | None = None
    source_kind: str | None = None  # attribution kind; 'none' for the outlet's own voice
    include_negated: bool = True
    include_hedged: bool = True
    only_negated: bool = False  # events the text says did not happen, and no others
    only_hedged: bool = False  # events told as rumour or hearsay, and no others
    moves: str | None = None  # a good's id: trade/smuggling events in which it is what moves (brief)


def _entity_filter(role: str, value: str) -> tuple[str, list[Any]]:
    """Events with a place/commodity whose id, name or surface text matches `value`. A place
    or good an analyst set by correction need not be mentioned in the report: its id, or the
    id its plain name spells ('coal' -> commodity:coal), matches it."""
    slug = f"{role}:{'-'.join(value.strip().lower().split())}"
    # the matching entities are found once (by id, or by a name or spelling any report gives
    # them), then their events through event_entities_entity: a subquery per event read every
    # event of the store (2 s at 50,000 reports)
    return (
        "e.id IN (SELECT ee.event_id FROM event_entities ee WHERE ee.role = ? AND ee.entity_id IN"
        " (SELECT ? UNION SELECT ? UNION SELECT m.entity_id FROM mentions m WHERE m.kind = ?"
        " AND m.name = ? COLLATE NOCASE UNION SELECT m.entity_id FROM mentions m WHERE m.kind = ?"
        " AND m.text = ? COLLATE NOCASE))",
        [role, value, slug, role, value, role, value],
    )


# The day an event is filed under: its own date, else its report's publication date, kept in
# events.day by triggers (migration 0012) so periods use the events_day index.
EVENT_DAY = "e.day"
# The one "visible event" predicate: an event counts unless an analyst rejected it or the text
# says it did not happen (hedged events count, and are shown as hedged).
NOT_REJECTED = "coalesce(e.review, '') <> 'rejected'"
VISIBLE_EVENT = f"e.negated = 0 AND {NOT_REJECTED}"


def events_where(f: FactFilters) -> tuple[str, list[Any]]:
    """WHERE clause over `events e JOIN reports r` for `f`, shared by queries and exports.

    Rejected events never match.
    """
    where: list[str] = []
    params: list[Any] = []
    if f.type:
        where.append("e.type = ?")
        params.append(f.type)
    for role, value in (("place", f.place), ("commodity", f.commodity)):
        if value:
            sql, p = _entity_filter(role, value)
            where.append(sql)
            params += p
    if f.moves:  # the brief's "goods moving" counts (store/workbench.moving_sql)
        from borderwatch.store.workbench import moves_filter

        sql, p = moves_filter(f.moves)
        where.append(sql)
        params += p
    cond, values = period_sql(EVENT_DAY, f.since or None, f.until or None)
    where += cond
    params += values
    if f.source_kind:
        if f.source_kind == "none":
            where.append("e.attribution_kind IS NULL")
        else:
            where.append("e.attribution_kind = ?")
            params.append(f.source_kind)
    if not f.include_negated:
        where.append("e.negated = 0")
    if f.only_negated:
        where.append("e.negated = 1")
    if not f.include_hedged:
        where.append("e.hedged = 0")
    if f.only_hedged:
        where.append("e.hedged = 1")
    where.append(NOT_REJECTED)
    return "WHERE " + " AND ".join(where), params


# The columns the events list sorts by; a place or good sorts by the event's first one, a
# report's title or outlet by report, then event. Each is served by an index (0012, 0015, 0019;
# see _page_source).
EVENT_SORT = SortSpec(
    {"date": EVENT_DAY, "type": "e.type", "place": "e.place",
     "good": "e.good", "source": "e.attribution_kind",
     "report": ("r.title COLLATE NOCASE", "r.pk"), "outlet": ("r.outlet COLLATE NOCASE", "r.pk")},
    default="date", default_order="desc", tiebreak="e.id", first_order={"date": "desc"},
    null_keyed=frozenset({"place", "good", "source", "report", "outlet"}))
NEWEST_FIRST = f"{EVENT_DAY} DESC, e.id"  # the order of `borderwatch facts` and the exports


def events_order(sort: str | None, order: str | None) -> str:
    """ORDER BY for the events list: newest first unless a sort is asked for (BadSort when
    the list has no such column)."""
    if sort is None and order is None:
        return NEWEST_FIRST
    return EVENT_SORT.order_by(*EVENT_SORT.check(sort, order))


# The index pairs (migration 0015) holding events in a sort's order: on events, or on reports
# (then each report's events by id). Name + "_a" serves the ascending order, + "_d" the other.
SORT_INDEXES = {"place": ("e", "events_sort_place"), "good": ("e", "events_sort_good"),
                "source": ("e", "events_sort_source"), "report": ("r", "reports_sort_title"),
                "outlet": ("r", "reports_sort_outlet")}
# From this many matching events a page is read by walking the sort's index; below it SQLite
# sorts what matched, which is cheaper than a walk past many events that do not match.
WALK_FROM = 10_000
_SENTENCE = "JOIN sentences s ON s.report_id = e.report_id AND s.idx = e.sentence"


def _page_source(sort: str | None, order: str | None, matching: int, f: FactFilters) -> str:
    """The FROM clause that reads one page of the events list. With no statistics SQLite does
    not know how many events match, and for these sorts read every event and sorted them (0.6-
    1.7 s at 50,000 reports); when many match it is told to walk the sort's index instead."""
    joined = f"events e JOIN reports r ON r.id = e.report_id {_SENTENCE}"
    if sort not in SORT_INDEXES or matching < WALK_FROM:
        return joined
    side, index = SORT_INDEXES[sort]
    if side == "r" and (f.place or f.commodity or f.moves):
        # a list of event ids to match: inside a walk over reports SQLite tries every id of
        # the list against each report (1.3 s); reading those events and sorting them is fast
        return joined
    _, direction = EVENT_SORT.check(sort, order)
    index += "_a" if direction == "asc" else "_d"
    if side == "e":
        return f"events e INDEXED BY {index} JOIN reports r ON r.id = e.report_id {_SENTENCE}"
    # each report's events through their report's index, whatever the filter (SQLite would
    # otherwise look up every event of a type for each report: 9 s)
    return (f"reports r INDEXED BY {index} CROSS JOIN events e INDEXED BY events_report"
            f" ON r.id = e.report_id CROSS {_SENTENCE}")


def events_page_sql(f: FactFilters, sort: str | None, order: str | None, matching: int,
                    limit: int, offset: int,
                    where: tuple[str, list[Any]] | None = None) -> tuple[str, list[Any]]:
    """(SQL, parameters) reading one page of the events list, `matching` events matching;
    `where` is events_where(f) when the caller has it already."""
    cond, params = where or events_where(f)
    return (
        f"SELECT e.id, e.report_id, e.type, e.trigger, e.start, e.\"end\", e.date, e.negated,"
        f" e.hedged, e.attribution_kind, e.attribution_holder, e.facts, e.rule, e.origin,"
        f" e.review, r.title, r.outlet, r.published,"
        f" substr(r.text, s.start + 1, s.\"end\" - s.start) AS sentence"
        f" FROM {_page_source(sort, order, matching, f)} {cond}"
        f" ORDER BY {events_order(sort, order)} LIMIT ? OFFSET ?", [*params, limit, offset])


def query_events(conn: sqlite3.Connection, f: FactFilters, limit: int = 100,
                 offset: int = 0, sort: str | None = None,
                 order: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Events matching the filters, newest first or as sorted, with their report's metadata
    and sentence."""
    cond, params = events_where(f)
    # every event has its report (a foreign key): the count joins reports only when a filter
    # reads them, which halves it on large stores
    joined = "JOIN reports r ON r.id = e.report_id " if re.search(r"\br\.", cond) else ""
    total = conn.execute(f"SELECT count(*) FROM events e {joined}{cond}", params).fetchone()[0]
    rows = conn.execute(*events_page_sql(f, sort, order, total, limit, offset,
                                         (cond, params))).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["facts"] = json.loads(d["facts"])
        d["negated"] = bool(d["negated"])
        d["hedged"] = bool(d["hedged"])
        out.append(d)
    return total, out


def mark_stale(conn: sqlite3.Connection, name: str = "incidents") -> None:
    """Note, inside the caller's transaction, that a derived table is behind its facts."""
    conn.execute("UPDATE derived_state SET stale = 1, changed_at = ? WHERE name = ? AND stale = 0",
                 (utc_now(), name))


# Tables whose rows decide how events group into incidents (a review of an amount or of a
# report's title changes no incident).
GROUPING_TABLES = frozenset({"events", "mentions", "dates", "attributions", "incident_pins"})


def note_report(conn: sqlite3.Connection, report_id: str) -> None:
    """Note, in the caller's (a review's) transaction, that this report's events changed: the
    next store/incidents.regroup_pending regroups only what they can have moved."""
    conn.execute("INSERT OR IGNORE INTO incidents_pending(kind, value) VALUES ('report', ?)",
                 (report_id,))


# The incidents of some events, noted for regrouping (the events' ids chosen by the WHERE).
_NOTE_INCIDENTS_OF = ("INSERT OR IGNORE INTO incidents_pending(kind, value) SELECT DISTINCT"
                      " 'incident', i.key FROM incident_events ie"
                      " JOIN incidents i ON i.id = ie.incident_id WHERE ie.event_id IN ({})")


def note_event_gone(conn: sqlite3.Connection, event_id: int) -> None:
    """Before a review deletes an event row (an added event undone): note the incidents it is
    in, which its report's events no longer lead to once it is gone."""
    conn.execute(_NOTE_INCIDENTS_OF.format("?"), (event_id,))


def note_events_gone(conn: sqlite3.Connection, report_id: str) -> None:
    """Before a report's extracted events are replaced (re-extraction): note the incidents they
    are in, as note_event_gone does for one event; with the report noted as well, the regroup
    covers the scopes of its old events and of its new ones."""
    conn.execute(_NOTE_INCIDENTS_OF.format("SELECT id FROM events WHERE report_id = ?"), (report_id,))


def is_stale(conn: sqlite3.Connection, name: str = "incidents") -> bool:
    """True when facts changed after the derived table was last rebuilt."""
    row = conn.execute("SELECT stale FROM derived_state WHERE name = ?", (name,)).fetchone()
    return bool(row and row[0])


def mark_fresh(conn: sqlite3.Connection, name: str = "incidents") -> None:
    """Note, inside the rebuild's transaction, that the derived table is up to date."""
    conn.execute("UPDATE derived_state SET stale = 0, changed_at = ? WHERE name = ?", (utc_now(), name))

