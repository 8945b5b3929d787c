"""A report's main subjects: 2-5 topics from the closed list, scored from its events and facts.

Weights are data (data/lang/<language>/topics.yaml, the report's language folder): each event adds its type's weights (less when
negated or hedged), commodities under UN bans point to sanctions, ports and vessels to maritime,
and keyword patterns (one alternation, scanned once) add capped weight.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.extract.cues import lower_regex, lowered, pattern_list, word_start_gate
from borderwatch.model import EVENT_TYPES, TOPICS, Document, Event, Mention

_FILE = "lang/en/topics.yaml"
_LANG_FILE = "lang/{}/topics.yaml"
Weights = dict[str, float]


@dataclass(frozen=True, slots=True)
class TopicRules:
    """Compiled topics.yaml."""

    min_topics: int
    max_topics: int
    min_score: float
    relative_floor: float
    negated: float
    hedged: float
    events: dict[str, Weights]
    mentions: dict[str, Weights]
    place_kinds: dict[str, Weights]
    keywords: re.Pattern[str] | None
    keyword_gate: re.Pattern[str] | None
    keyword_topic: dict[str, tuple[str, float, float]]  # group -> (topic, weight, cap)


def _weights(where: str, value: Any, source: str = _FILE) -> Weights:
    """A {topic: weight} mapping, every topic from the closed list."""
    if not isinstance(value, dict) or not value:
        raise DataError(f"{source}: {where} must be a non-empty mapping of topic to weight")
    for topic, w in value.items():
        if topic not in TOPICS:
            raise DataError(f"{source}: {where}: unknown topic {topic!r}")
        if not isinstance(w, (int, float)):
            raise DataError(f"{source}: {where}: weight of {topic!r} must be a number")
    return {t: float(w) for t, w in value.items()}


def compile_topics(data: Any, source: str = _FILE) -> TopicRules:
    """Validate and compile topic rules; unknown topics or event types raise DataError."""
    if not isinstance(data, dict):
        raise DataError(f"{source}: must be a mapping")
    events = data.get("events") or {}
    unknown = set(events) - set(EVENT_TYPES)
    if unknown:
        raise DataError(f"{source}: unknown event types {sorted(unknown)}")
    mentions = dict(data.get("mentions") or {})
    place_kinds = mentions.pop("place_kinds", {}) or {}
    alts: list[str] = []
    sources: list[str] = []
    keyword_topic: dict[str, tuple[str, float, float]] = {}
    for n, kw in enumerate(data.get("keywords") or []):
        topic = kw.get("topic") if isinstance(kw, dict) else None
        if topic not in TOPICS:
            raise DataError(f"{source}: keyword group {n}: unknown topic {topic!r}")
        pats = pattern_list(source, f"keywords.{topic}", kw.get("patterns"))
        alts.append(f"(?P<k{n}>(?:{'|'.join(pats)})(?![\\w-]))")
        sources.extend(lower_regex(f"(?:{p})(?![\\w-])") for p in pats)
        keyword_topic[f"k{n}"] = (topic, float(kw.get("weight", 0.5)), float(kw.get("cap", 1.5)))
    factors = data.get("factors") or {}
    return TopicRules(
        min_topics=int(data.get("min_topics", 2)),
        max_topics=int(data.get("max_topics", 5)),
        min_score=float(data.get("min_score", 1.0)),
        relative_floor=float(data.get("relative_floor", 0.15)),
        negated=float(factors.get("negated", 0.5)),
        hedged=float(factors.get("hedged", 0.8)),
        events={t: _weights(f"events.{t}", w, source) for t, w in events.items()},
        mentions={k: _weights(f"mentions.{k}", w, source) for k, w in mentions.items()},
        place_kinds={k: _weights(f"place_kinds.{k}", w, source) for k, w in place_kinds.items()},
        keywords=re.compile(lower_regex("|".join(alts))) if alts else None,
        keyword_gate=word_start_gate(sources) if sources else None,
        keyword_topic=keyword_topic,
    )


@cache
def topic_rules(lang: str = "en") -> TopicRules:
    """The topics.yaml of a language folder (lang/<lang>/), compiled once."""
    source = _FILE if lang == "en" else _LANG_FILE.format(lang)
    return compile_topics(read_yaml(source), source)


def _add(scores: dict[str, float], weights: Weights | None, factor: float = 1.0) -> None:
    """Add a weight table (times `factor`) to the running scores."""
    for topic, w in (weights or {}).items():
        scores[topic] += w * factor


def topic_scores(doc: Document, mentions: Sequence[Mention], events: Sequence[Event],
                 lang: str = "en") -> dict[str, float]:
    """Every topic's score for the document (exposed for tests and for explaining a choice)."""
    rules = topic_rules(lang)
    scores: defaultdict[str, float] = defaultdict(float)
    for e in events:
        # a happening told in three sentences weighs as much as before merging: per mention
        factor = ((rules.negated if e.negated else 1.0) * (rules.hedged if e.hedged else 1.0)
                  * len(e.all_mentions()))
        _add(scores, rules.events.get(e.type), factor)
    seen: set[str] = set()
    for m in mentions:
        if m.id in seen:
            continue
        seen.add(m.id)
        _add(scores, rules.mentions.get(m.kind))
        s = m.un_sanctions
        if m.kind == "commodity" and s is not None and (s.export_ban or s.import_ban):
            _add(scores, rules.mentions.get("commodity_sanctioned"))
        if m.kind == "place" and m.place_kind:
            _add(scores, rules.place_kinds.get(m.place_kind))
    if rules.keywords is not None and rules.keyword_gate is not None:
        added: defaultdict[str, float] = defaultdict(float)
        low = lowered(doc.text)
        for g in rules.keyword_gate.finditer(low):
            km = rules.keywords.match(low, g.start())
            if km is None:
                continue
            topic, weight, cap = rules.keyword_topic[km.lastgroup or ""]
            step = min(weight, cap - added[topic])
            if step > 0:
                added[topic] += step
                scores[topic] += step
    return scores


def choose_topics(doc: Document, mentions: Sequence[Mention], events: Sequence[Event],
                  lang: str = "en") -> list[str]:
    """2-5 topics from the closed list, best first; fewer only when fewer have any score."""
    rules = topic_rules(lang)
    ranked = sorted(((s, t) for t, s in topic_scores(doc, mentions, events, lang).items() if s > 0),
                    key=lambda st: (-st[0], TOPICS.index(st[1])))
    if not ranked:
        return []
    floor = max(rules.min_score, rules.relative_floor * ranked[0][0])
    chosen = [t for s, t in ranked if s >= floor][: rules.max_topics]
    for _, t in ranked:
        if len(chosen) >= rules.min_topics:
            break
        if t not in chosen:
            chosen.append(t)
    return chosen
