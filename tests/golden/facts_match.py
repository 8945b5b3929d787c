"""Comparing a fact sheet with an analyst's plain list of facts (the seeds' expected.json form).

Used by the seed test and the quality gate. Each category is scored as true positives, false
negatives (expected, not found) and false positives (found, not expected) so precision and
recall can be pinned per category.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Score:
    """Counts for one category, with the misses and extras named for the failure message."""

    tp: int = 0
    fn: list = field(default_factory=list)
    fp: list = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + len(self.fp)) if self.tp + len(self.fp) else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + len(self.fn)) if self.tp + len(self.fn) else 1.0


def _norm(s: str | None) -> str:
    return " ".join((s or "").lower().replace("’", "'").split())


def _set_score(expected: set, found: set) -> Score:
    return Score(tp=len(expected & found), fn=sorted(expected - found), fp=sorted(found - expected))


def score_places(sheet: dict, expected: dict) -> Score:
    """Places by canonical name (and country); an expected kind must match when given."""
    found = {}
    for m in sheet["mentions"]:
        if m["kind"] == "place":
            found.setdefault(_norm(m["name"]), set()).add(m.get("place_kind"))
    s = Score()
    exp_names = set()
    for p in expected.get("places", []):
        n = _norm(p["name"])
        exp_names.add(n)
        if n in found and (not p.get("kind") or p["kind"] in found[n]):
            s.tp += 1
        else:
            s.fn.append(f"{p['name']} ({p.get('kind')})")
    s.fp = sorted(n for n in found if n not in exp_names)
    return s


def score_names(sheet: dict, expected: dict, kind: str, key: str, field_: str = "name") -> Score:
    """Mentions of one kind compared by name (organisations) or id suffix (countries)."""
    if kind == "country":
        found = {m["country"] for m in sheet["mentions"] if m["kind"] == "country"}
        return _set_score(set(expected.get(key, [])), found)
    # by canonical name or by the words of the text, as the shared dev-set scorer matches them
    # ("Korean Central News Agency (KCNA)" is found as KCNA, "China's foreign ministry" by its text)
    found = [(_norm(m[field_]), _norm(m["text"])) for m in sheet["mentions"] if m["kind"] == kind]
    exp = sorted({_norm(x) for x in expected.get(key, [])})
    s = Score()
    hit_names: set[str] = set()
    for e in exp:
        names = {n for n, t in found if e in (n, t)}
        if names:
            s.tp += 1
            hit_names |= names
        else:
            s.fn.append(e)
    s.fp = sorted({n for n, _ in found if n not in hit_names})
    return s


def score_commodities(sheet: dict, expected: dict) -> Score:
    """Commodities by surface text or canonical name."""
    found_text = {_norm(m["text"]) for m in sheet["mentions"] if m["kind"] == "commodity"}
    found_name = {_norm(m["name"]) for m in sheet["mentions"] if m["kind"] == "commodity"}
    exp = {_norm(x) for x in expected.get("commodities", [])}
    s = Score()
    for e in sorted(exp):
        if e in found_text or e in found_name:
            s.tp += 1
        else:
            s.fn.append(e)
    s.fp = sorted(t for t in found_text if t not in exp and not ({t} & exp))
    s.fp = [t for t in s.fp if not any(_norm(m["name"]) in exp for m in sheet["mentions"]
                                       if m["kind"] == "commodity" and _norm(m["text"]) == t)]
    return s


def score_money(sheet: dict, expected: dict) -> Score:
    """Money amounts by text, with min, max and currency equal."""
    found = [a for a in sheet["amounts"] if a["kind"] == "money"]
    s = Score()
    used = set()
    for e in expected.get("money", []):
        hit = next((i for i, a in enumerate(found) if i not in used and _norm(e["text"]) in _norm(a["text"])
                    and a["min"] == e["min"] and a["max"] == e["max"]
                    and a["currency"] == e.get("currency")), None)
        if hit is None:
            s.fn.append(e["text"])
        else:
            used.add(hit)
            s.tp += 1
    s.fp = [a["text"] for i, a in enumerate(found) if i not in used]
    return s


def _unit(u: str | None) -> str:
    """A unit compared loosely: case, plural and metre/meter spelling do not matter."""
    words = [w.rstrip("s") for w in _norm(u).replace("meter", "metre").split()]
    return " ".join(words)


def score_quantities(sheet: dict, expected: dict) -> Score:
    """Quantities (and percentages) by text with value; unit and qualifier must match when given."""
    found = [a for a in sheet["amounts"] if a["kind"] in ("quantity", "percent")]
    s = Score()
    used = set()
    for e in expected.get("quantities", []):
        hit = next((i for i, a in enumerate(found) if i not in used
                    and (_norm(e["text"]) in _norm(a["text"]) or _norm(a["text"]) in _norm(e["text"]))
                    and a["min"] == e["value"]
                    and (not e.get("unit") or _unit(a["unit"]) == _unit(e["unit"]))
                    and (not e.get("qualifier") or _norm(a["qualifier"]) == _norm(e["qualifier"]))),
                   None)
        if hit is None:
            s.fn.append(e["text"])
        else:
            used.add(hit)
            s.tp += 1
    s.fp = [a["text"] for i, a in enumerate(found) if i not in used]
    return s


def score_sources(sheet: dict, expected: dict) -> Score:
    """Attributions: an expected source is found when some attribution's text holds it (or is
    held by it) with the same kind and outlet. Extra attributions of an expected holder are not
    counted as false; attributions of holders never expected are."""
    atts = sheet["attributions"]
    s = Score()
    matched = set()
    for e in expected.get("sources", []):
        hit = [i for i, a in enumerate(atts)
               if (_norm(e["text"]) in _norm(a["text"]) or _norm(a["text"]) in _norm(e["text"]))
               and a["kind"] == e["kind"] and (e.get("outlet") is None or a["outlet"] == e["outlet"])]
        if hit:
            s.tp += 1
            matched.update(hit)
            holders = {atts[i]["holder"] for i in hit}
            matched.update(i for i, a in enumerate(atts) if a["holder"] in holders and a["holder"])
        else:
            s.fn.append(f"{e['text']} ({e['kind']})")
    s.fp = [f"{a['text']} ({a['kind']})" for i, a in enumerate(atts) if i not in matched]
    return s


def _event_sentences(sheet: dict, ev: dict) -> list[str]:
    """The normalised sentences of every mention of a found event (the anchor's first)."""
    text, spans = sheet["document"]["text"], sheet["sentences"]
    idx = [m["sentence_index"] for m in ev.get("mentions") or []] or [ev["sentence_index"]]
    return [_norm(text[spans[i][0]:spans[i][1]]) for i in idx if i < len(spans)]


def _match_evidence(sheet: dict, wanted: list[tuple[str | None, str, str | None]],
                    found: list[dict]) -> Score:
    """One-to-one: each wanted (type, evidence, place) takes the first unused found event of its
    type (any type when None) whose mentions' sentences hold the evidence and whose places hold
    the place; found events left unused are false positives."""
    names = {m["id"]: _norm(m["name"]) for m in sheet["mentions"]}
    sents = [_event_sentences(sheet, ev) for ev in found]
    used: set[int] = set()
    s = Score()
    for etype, evidence, where in wanted:
        hit = next((i for i, ev in enumerate(found) if i not in used
                    and (etype is None or ev["type"] == etype)
                    and any(_norm(evidence) in st for st in sents[i])
                    and (not where or _norm(where) in {names.get(p) for p in ev["places"]})), None)
        if hit is None:
            s.fn.append(f"{etype or 'any'}: {evidence[:60]}")
        else:
            used.add(hit)
            s.tp += 1
    s.fp = [f"{ev['type']}: {ev['trigger']}" for i, ev in enumerate(found) if i not in used]
    return s


def score_events(sheet: dict, expected: dict) -> Score:
    """Events one by one: an expected event is found when an event of its type tells it (the
    evidence lies in one of its mentions' sentences; the expected place among its places). The
    expected list holds negated events too (negated_events says which), so every found event
    is matched, and every one matched to no expected event is a false positive: telling one
    happening as two events, or a type the text does not bear, costs precision."""
    wanted = [(e["type"], e["evidence"], e.get("place")) for e in expected.get("events", [])]
    return _match_evidence(sheet, wanted, list(sheet["events"]))


def score_negated(sheet: dict, expected: dict) -> Score:
    """Events the text says did not (or not yet) happen: expected evidence against events
    marked negated."""
    wanted = [(None, ev, None) for ev in expected.get("negated_events") or []]
    return _match_evidence(sheet, wanted, [ev for ev in sheet["events"] if ev["negated"]])


def score_hedged(sheet: dict, expected: dict) -> Score:
    """Events the text only hedges or reports second-hand, against events marked hedged."""
    wanted = [(None, ev, None) for ev in expected.get("hedged_events") or []]
    return _match_evidence(sheet, wanted, [ev for ev in sheet["events"]
                                           if ev["hedged"] and not ev["negated"]])


def score_dates(sheet: dict, expected: dict) -> Score:
    """Dates by text and resolved value (None when the text gives no way to resolve it)."""
    found = sheet["dates"]
    used: set[int] = set()
    s = Score()
    for e in expected.get("dates", []):
        hit = next((i for i, d in enumerate(found) if i not in used
                    and (_norm(e["text"]) in _norm(d["text"]) or _norm(d["text"]) in _norm(e["text"]))
                    and d["value"] == e.get("value")), None)
        if hit is None:
            s.fn.append(f"{e['text']} = {e.get('value')}")
        else:
            used.add(hit)
            s.tp += 1
    # a date said again ("Sunday" twice) is no new false date: only dates whose value and text
    # no expected date has count against precision
    values = {e.get("value") for e in expected.get("dates", [])}
    texts = [_norm(e["text"]) for e in expected.get("dates", [])]
    s.fp = [f"{d['text']} = {d['value']}" for i, d in enumerate(found) if i not in used
            and d["value"] not in values and not any(_norm(d["text"]) in t or t in _norm(d["text"])
                                                     for t in texts)]
    return s


def score_topics(sheet: dict, expected: dict) -> Score:
    return _set_score(set(expected.get("topics", [])), set(sheet["topics"]))


SCORERS = {
    "places": score_places,
    "countries": lambda sh, ex: score_names(sh, ex, "country", "countries"),
    "organizations": lambda sh, ex: score_names(sh, ex, "organization", "organizations"),
    "commodities": score_commodities,
    "money": score_money,
    "quantities": score_quantities,
    "sources": score_sources,
    "events": score_events,
    "negated events": score_negated,
    "hedged events": score_hedged,
    "dates": score_dates,
    "topics": score_topics,
}
