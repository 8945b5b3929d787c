"""The report reader's data: the text cut into segments, each knowing the facts that cover it.

Facts overlap (an amount inside an event's sentence, a place inside an attribution), so the text
is split at every fact boundary and each piece lists all facts covering it; the page colours a
piece by its most specific fact and shows them all on hover. Text stays text: the template
escapes every piece.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from borderwatch.store.queries import get_report

# Most specific first: the class a segment is coloured by.
KIND_ORDER = ("amount", "date", "place", "commodity", "organization", "person", "vessel",
              "country", "attribution", "event")


@dataclass(slots=True)
class Segment:
    """A piece of text and the ids of the facts covering it."""

    text: str
    facts: list[str] = field(default_factory=list)
    kind: str | None = None
    anchors: list[str] = field(default_factory=list)


def report_facts(conn: sqlite3.Connection, report_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every stored fact of a report with its database id and review state."""
    q = lambda sql: [dict(r) for r in conn.execute(sql, (report_id,))]  # noqa: E731
    mentions = q('SELECT id, kind, entity_id, name, text, start, "end", sentence, attrs, rule,'
                 ' origin, review FROM mentions WHERE report_id = ? ORDER BY start')
    for m in mentions:
        m["attrs"] = json.loads(m["attrs"])
    amounts = q('SELECT id, kind, text, start, "end", sentence, min, max, currency, unit,'
                ' qualifier, per, usd, usd_rate_date, rule, origin, review FROM amounts'
                ' WHERE report_id = ? ORDER BY start')
    dates = q('SELECT id, text, start, "end", sentence, value, granularity, rule, origin, review'
              ' FROM dates WHERE report_id = ? ORDER BY start')
    atts = q('SELECT id, text, start, "end", sentence, kind, outlet, holder, rule, origin, review'
             ' FROM attributions WHERE report_id = ? ORDER BY start')
    events = q('SELECT id, type, trigger, start, "end", sentence, date, attribution_kind,'
               ' attribution_holder, negated, hedged, facts, rule, origin, review FROM events'
               ' WHERE report_id = ? ORDER BY start')
    names = {m["entity_id"]: m["name"] for m in mentions}
    for e in events:
        e["facts"] = json.loads(e["facts"])
        e["place_names"] = [names.get(p, p) for p in e["facts"].get("places", [])]
        e["commodity_names"] = [names.get(c, c) for c in e["facts"].get("commodities", [])]
        e["negated"], e["hedged"] = bool(e["negated"]), bool(e["hedged"])
    return {"mentions": mentions, "amounts": amounts, "dates": dates, "attributions": atts,
            "events": events}


def _spans(facts: dict[str, list[dict[str, Any]]]) -> list[tuple[int, int, str, str]]:
    """(start, end, fact key, kind) for every fact that is not rejected."""
    out = []
    for m in facts["mentions"]:
        out.append((m["start"], m["end"], f"mention-{m['id']}", m["kind"]))
    for a in facts["amounts"]:
        out.append((a["start"], a["end"], f"amount-{a['id']}", "amount"))
    for d in facts["dates"]:
        out.append((d["start"], d["end"], f"date-{d['id']}", "date"))
    for a in facts["attributions"]:
        out.append((a["start"], a["end"], f"attribution-{a['id']}", "attribution"))
    for e in facts["events"]:
        out.append((e["start"], e["end"], f"event-{e['id']}", "event"))
        # the other sentences telling the same happening are highlighted as the same event
        for m in (e.get("facts") or {}).get("mentions", [])[1:]:
            out.append((m["start"], m["end"], f"event-{e['id']}", "event"))
    return [s for s in out if s[1] > s[0]]


def segments(text: str, facts: dict[str, list[dict[str, Any]]]) -> list[Segment]:
    """The text cut at every fact boundary; each piece lists the facts covering it."""
    spans = _spans(facts)
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    out: list[Segment] = []
    starts: dict[int, list[str]] = {}
    anchored: set[str] = set()  # one anchor per fact: an event's later mentions get none
    for s, _, key, _ in sorted(spans):
        if key not in anchored:
            anchored.add(key)
            starts.setdefault(s, []).append(key)
    for a, b in zip(cuts, cuts[1:]):
        if b <= a:
            continue
        cover = [(k, kind) for s, e, k, kind in spans if s <= a and e >= b]
        kind = min((kind for _, kind in cover), key=lambda x: rank.get(x, 99), default=None)
        out.append(Segment(text[a:b], [k for k, _ in cover], kind, starts.get(a, [])))
    return out


def reader_data(conn: sqlite3.Connection, report_id: str) -> dict[str, Any]:
    """A report, its facts and its text segments for the reader page (and its JSON twin)."""
    report = get_report(conn, report_id)
    facts = report_facts(conn, report["id"])
    report["facts"] = facts
    report["topics"] = [r[0] for r in conn.execute(
        "SELECT topic FROM report_topics WHERE report_id = ? ORDER BY rank", (report["id"],))]
    from borderwatch.store.review import list_reviews

    # the audit trail: who changed which fact of this report, when, from what to what
    report["history"] = list_reviews(conn, report["id"], limit=200)
    root = report["near_duplicate_of"]
    if root:
        report["original"] = dict(conn.execute(
            "SELECT id, title, outlet, published FROM reports WHERE id = ?", (root,)).fetchone())
    return report
