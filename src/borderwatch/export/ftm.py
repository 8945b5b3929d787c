"""FollowTheMoney export: events and the things they involve as FtM entities, one JSON a line.

Each report becomes an `Article`, each place an `Address` (name, country, coordinates), each
organisation or person acting in an event's sentence an `Organization` or `Person`, each vessel
a `Vessel`, and each event an `Event` pointing at them (addressEntity, involved, proof). Ids are
hashes of stable keys (report id and span, gazetteer ids), so re-exports update rather than
duplicate entities in Aleph. Every value goes through the schema's own cleaning; a value the
schema refuses is logged and counted, never silently lost.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from followthemoney import model
from followthemoney.proxy import EntityProxy

from borderwatch.export.rows import EventRecord, ReportRef
from borderwatch.model import Amount, Mention

log = logging.getLogger(__name__)

ID_PREFIX = "borderwatch"
_ACTOR_SCHEMA = {"organization": "Organization", "person": "Person", "vessel": "Vessel"}
_WEB = ("http://", "https://")


@dataclass(slots=True)
class FtmBuilder:
    """Turns event records into FtM entities, each shared entity made once per export."""

    seen: set[str] = field(default_factory=set)
    dropped: list[tuple[str, str, str, Any]] = field(default_factory=list)  # schema, id, prop, value

    def put(self, entity: EntityProxy, prop: str, *values: Any) -> None:
        """Add cleaned values to `prop`; a value the schema refuses is recorded in `dropped`."""
        p = entity.schema.get(prop)
        if p is None:
            raise KeyError(f"{entity.schema.name} has no property {prop!r}")
        for value in values:
            if value is None or value == "":
                continue
            cleaned = p.type.clean(value, proxy=entity)
            if cleaned is None:
                self.dropped.append((entity.schema.name, entity.id or "", prop, value))
                log.warning("ftm: %s.%s refused %r", entity.schema.name, prop, value)
                continue
            entity.add(prop, cleaned, cleaned=True)

    def _new(self, schema: str, *key: Any) -> EntityProxy | None:
        """A fresh entity with a stable id, or None when that id was already emitted."""
        e = model.make_entity(schema)
        e.make_id(ID_PREFIX, *key)
        if e.id in self.seen:
            return None
        self.seen.add(e.id or "")
        return e

    @staticmethod
    def entity_id(schema: str, *key: Any) -> str:
        """The id `_new` gives an entity of `schema` with `key`."""
        e = model.make_entity(schema)
        return e.make_id(ID_PREFIX, *key) or ""

    def article(self, rep: ReportRef) -> EntityProxy | None:
        """The report as an Article."""
        e = self._new("Article", "report", rep.id)
        if e is None:
            return None
        self.put(e, "title", rep.title)
        self.put(e, "name", rep.title or rep.id)
        self.put(e, "publishedAt", rep.published)
        self.put(e, "publisher", rep.outlet)
        self.put(e, "author", rep.author)
        self.put(e, "language", rep.language)
        if rep.url and rep.url.startswith(_WEB):
            self.put(e, "sourceUrl", rep.url)
        return e

    def place(self, m: Mention, proof: str) -> EntityProxy | None:
        """A place as an Address with its gazetteer facts."""
        e = self._new("Address", m.id)
        if e is None:
            return None
        self.put(e, "name", m.name)
        self.put(e, "full", m.name)
        self.put(e, "country", m.country)
        self.put(e, "region", m.admin1)
        self.put(e, "latitude", m.lat)
        self.put(e, "longitude", m.lon)
        self.put(e, "keywords", m.place_kind)
        if m.place_kind == "city":
            self.put(e, "city", m.name)
        self.put(e, "proof", proof)
        return e

    def actor(self, m: Mention, proof: str) -> EntityProxy | None:
        """An organisation, person or vessel named in an event's sentence."""
        e = self._new(_ACTOR_SCHEMA[m.kind], m.id)
        if e is None:
            return None
        self.put(e, "name", m.name)
        self.put(e, "flag" if m.kind == "vessel" else "country", m.country)
        if m.kind == "organization":
            self.put(e, "classification", m.org_kind)
        self.put(e, "proof", proof)
        return e

    def event(self, r: EventRecord, article_id: str) -> EntityProxy:
        """The event, linked to its places, actors and report."""
        e = model.make_entity("Event")
        e.make_id(ID_PREFIX, "event", r.report.id, r.type, r.start, r.end)
        places = ", ".join(dict.fromkeys(m.name for m in r.places))
        label = r.type.replace("_", " ")
        self.put(e, "name", f"{label}: {places}" if places else label)
        self.put(e, "summary", r.sentence)
        self.put(e, "description", _description(r))
        self.put(e, "date", r.day)
        self.put(e, "country", *dict.fromkeys(m.country for m in r.places if m.country))
        self.put(e, "location", *dict.fromkeys(m.name for m in r.places))
        self.put(e, "addressEntity", *(self.entity_id("Address", m.id) for m in r.places))
        self.put(e, "involved", *(self.entity_id(_ACTOR_SCHEMA[m.kind], m.id)
                                  for m in r.actors if m.kind != "vessel"))
        self.put(e, "namesMentioned", *(m.name for m in r.actors if m.kind == "vessel"))
        self.put(e, "keywords", r.type, *(m.name for m in r.commodities))
        self.put(e, "proof", article_id)
        self.put(e, "publisher", r.report.outlet)
        if r.report.url and r.report.url.startswith(_WEB):
            self.put(e, "sourceUrl", r.report.url)
        self.put(e, "recordId", f"{r.report.id}:{r.start}-{r.end}")
        return e

    def entities(self, r: EventRecord) -> list[EntityProxy]:
        """The event's entities: new shared ones (report, places, actors) first, then the event."""
        out: list[EntityProxy | None] = [self.article(r.report)]
        aid = self.entity_id("Article", "report", r.report.id)
        out += [self.place(m, aid) for m in r.places]
        out += [self.actor(m, aid) for m in r.actors]
        out.append(self.event(r, aid))
        return [e for e in out if e is not None]


def _amount(a: Amount) -> str:
    """An amount as text, with its USD value when known."""
    return f"{a.text} (≈ USD {a.usd:,.0f})" if a.usd is not None else a.text


def _description(r: EventRecord) -> str:
    """What the FtM schema has no property for: source, flags, goods, amounts, extraction rule."""
    parts = []
    if r.attribution:
        parts.append(f"According to {r.attribution.text} ({r.attribution.kind}).")
    if r.negated:
        parts.append("The text says this did not happen (or has not yet).")
    if r.hedged:
        parts.append("Reported second-hand or hedged.")
    if not r.date:
        parts.append("Date: the report's publication date.")
    if r.commodities:
        parts.append("Goods: " + ", ".join(m.name for m in r.commodities) + ".")
    if r.amounts:
        parts.append("Amounts: " + "; ".join(_amount(a) for a in r.amounts) + ".")
    parts.append(f"Trigger: {r.trigger!r}; rule {r.rule}; review {r.review or 'none'}.")
    return " ".join(parts)


def write_ftm(records: Iterable[EventRecord], out: TextIO,
              builder: FtmBuilder | None = None) -> int:
    """Write one FtM entity (to_dict) per line; return how many entities were written."""
    b = builder or FtmBuilder()
    n = 0
    for r in records:
        for e in b.entities(r):
            out.write(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n
