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

from borderwatch.store import queries
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
    rows = queries.report_fact_rows(conn, report_id)
    mentions, amounts, dates, atts, events = (rows[k] for k in (
        "mentions", "amounts", "dates", "attributions", "events"))
    for m in mentions:
        m["attrs"] = json.loads(m["attrs"])
    names = {m["entity_id"]: m["name"] for m in mentions}
    from borderwatch.store.review import amount_words

    for a in amounts:
        a["words"] = amount_words(a)  # '3,500 KPW': a corrected amount as the analyst set it
        for k in ("min", "max"):  # what the correction form's number fields start with
            v = a[k]
            a[f"{k}_input"] = "" if v is None else (str(int(v)) if float(v).is_integer() else repr(v))
    by_idx = {a["idx"]: a for a in amounts}
    for e in events:
        e["facts"] = json.loads(e["facts"])
        e["place_names"] = [names.get(p) or entity_name(p) for p in e["facts"].get("places", [])]
        e["commodity_names"] = [names.get(c) or entity_name(c)
                                for c in e["facts"].get("commodities", [])]
        # the amounts the event reports, for its correction form
        e["amount_ids"] = [by_idx[i]["id"] for i in e["facts"].get("amounts") or [] if i in by_idx]
        e["negated"], e["hedged"] = bool(e["negated"]), bool(e["hedged"])
    return {"mentions": mentions, "amounts": amounts, "dates": dates, "attributions": atts,
            "events": events}


def _spans(facts: dict[str, list[dict[str, Any]]]) -> list[tuple[int, int, str, str]]:
    """(start, end, fact key, kind) for every fact that is not rejected (a rejected fact stays
    listed beside the text, struck through, with its history and undo)."""
    out = []
    facts = {k: [f for f in v if f.get("review") != "rejected"] for k, v in facts.items()}
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
    report["topics"] = queries.report_topics(conn, report["id"])
    from borderwatch.store.review import list_reviews

    # the audit trail: who changed which fact of this report, when, from what to what
    report["history"] = history_rows(list_reviews(conn, report["id"], limit=200), facts)
    root = report["near_duplicate_of"]
    if root:
        report["original"] = queries.report_brief(conn, root)
    return report


# --- the History: who changed which fact, when, before -> after -------------------------------

FIELD_WORDS = {"type": "type", "places": "places", "commodities": "goods", "date": "date",
               "attribution_holder": "who says it", "attribution_kind": "kind of source",
               "review": "verdict", "title": "title", "published": "publication date",
               "outlet": "outlet", "amount": "amount", "text": "text", "key": "incident",
               "events": "events"}
ACTION_WORDS = {"accept": "accepted", "reject": "rejected", "correct": "corrected",
                "add": "added", "edit": "edited", "split": "split", "merge": "merged",
                "undo": "undid"}


def entity_name(entity_id: str) -> str:
    """A place's or good's name from the gazetteer or the goods data (the id if neither)."""
    from borderwatch.extract.commodities import commodity_data
    from borderwatch.extract.places import place_data

    place = place_data().places.get(entity_id)
    if place is not None:
        return place.name
    good = commodity_data().commodities.get(entity_id)
    return good.name if good is not None else entity_id


def _words(field: str, value: Any) -> str:
    """A before or after value as the History shows it."""
    from borderwatch.serve.render import label

    if field == "review" and not value:
        return "not reviewed"
    if value is None or value == [] or value == "":
        return "—"
    if field in ("places", "commodities"):
        return ", ".join(entity_name(v) for v in value)
    if field == "type":
        return label("type", value)
    if field == "attribution_kind":
        return label("source_kinds", value)
    if field == "events" and isinstance(value, list):
        return f"{len(value)} event{'' if len(value) == 1 else 's'}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _incident_words(action: str, before: Any, after: Any) -> tuple[str, str]:
    """A split's or merge's grouping before and after, in words (an undo: the other way)."""
    def n(part: Any) -> int:
        return len(part.get("events") or []) if isinstance(part, dict) else 0

    if action == "undo":
        b, a = _incident_words("merge" if isinstance(after, list) else "split", after, before)
        return a, b
    if action == "merge" and isinstance(before, list):
        return (f"{len(before)} incidents, {sum(n(p) for p in before)} events",
                f"one incident of {n(after)} events")
    return f"one incident of {n(before)} events", f"{n(after)} of them in an incident of their own"


def _fact_of(h: dict[str, Any], facts: dict[str, list[dict[str, Any]]]) -> tuple[str, str | None]:
    """What a review was about, in words, and the id of its row in the facts panel."""
    table, fid = h["fact_table"], h["fact_id"]
    if table == "reports":
        return "report details", "report-title"
    if table == "incidents":
        return f"incident {fid}", None
    kind = {"mentions": "mention", "amounts": "amount", "dates": "date",
            "attributions": "attribution", "events": "event"}.get(table, table)
    row = next((f for f in facts.get(table, []) if f["id"] == fid), None)
    if row is None:
        return f"{kind} {fid}", None
    what = row.get("trigger") or row.get("text") or ""
    return f"{kind} {fid} “{what}”", f"fact-{kind}-{fid}"


def history_rows(reviews: list[dict[str, Any]],
                 facts: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each review with `what` (the fact in words), `anchor` (its row in the panel),
    `verb` and `diff` [{field, before, after}] in words; the raw values stay beside them."""
    out = []
    for h in reviews:
        before = h["before"] if isinstance(h["before"], dict) else {}
        after = h["after"] if isinstance(h["after"], dict) else {}
        if h["fact_table"] == "incidents":
            b, a = _incident_words(h["action"], h["before"], h["after"])
            diff = [{"field": "grouping", "before": b, "after": a}]
        else:
            keys = list(dict.fromkeys([*before, *after]))
            diff = [{"field": FIELD_WORDS.get(k.split(" ")[0], k) + (
                        f" {k.split(' ', 1)[1]}" if " " in k else ""),
                     "before": _words(k, before.get(k)), "after": _words(k, after.get(k))}
                    for k in keys if before.get(k) != after.get(k) and k not in ("start", "end")]
        what, anchor = _fact_of(h, facts)
        out.append({**h, "what": what, "anchor": anchor, "diff": diff,
                    "verb": ACTION_WORDS.get(h["action"], h["action"])})
    return out


def form_choices(report: dict[str, Any]) -> dict[str, Any]:
    """What the correction forms offer: goods of the goods data, currencies, the report's
    places, event types and source kinds with their labels."""
    from borderwatch.extract.commodities import commodity_data
    from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES
    from borderwatch.values.usd import currency_codes

    places = sorted({m["name"] for m in report["facts"]["mentions"] if m["kind"] == "place"})
    return {"goods": sorted(c.name for c in commodity_data().commodities.values()),
            "currencies": sorted(currency_codes()), "places": places,
            "event_types": list(EVENT_TYPES), "source_kinds": sorted(ATTRIBUTION_KINDS),
            "amounts": {a["id"]: a for a in report["facts"]["amounts"]}}
