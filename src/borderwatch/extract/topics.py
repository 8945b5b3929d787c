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

from borderwatch.data_models.topics import TopicsFile
from borderwatch.datafiles import read_yaml, validated
from borderwatch.model import TOPICS, Document, Event, Mention
from borderwatch.patterns import lower_regex, lowered, pattern_list, word_start_gate

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


def compile_topics(data: Any, source: str = _FILE) -> TopicRules:
    """Validate (as data_models.topics.TopicsFile) and compile topic rules."""
    spec = validated(data, TopicsFile, source)
    alts: list[str] = []
    sources: list[str] = []
    keyword_topic: dict[str, tuple[str, float, float]] = {}
    for n, kw in enumerate(spec.keywords):
        pats = pattern_list(source, f"keywords.{kw.topic}", kw.patterns)
        alts.append(f"(?P<k{n}>(?:{'|'.join(pats)})(?![\\w-]))")
        sources.extend(lower_regex(f"(?:{p})(?![\\w-])") for p in pats)
        keyword_topic[f"k{n}"] = (kw.topic, kw.weight, kw.cap)
    return TopicRules(
        min_topics=spec.min_topics,
        max_topics=spec.max_topics,
        min_score=spec.min_score,
        relative_floor=spec.relative_floor,
        negated=spec.factors.negated,
        hedged=spec.factors.hedged,
        events=dict(spec.events),
        mentions=dict(spec.mentions.model_extra or {}),
        place_kinds=dict(spec.mentions.place_kinds),
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
