"""Typed records passed between pipeline stages.

ingest yields `Report` (or `Failure`); clean turns a Report into a `Document` (cleaned text,
sentences, stable id); extract turns a Document into a `FactSheet`. Dicts appear only at the
edges (JSON output, SQL rows), through the `to_dict` methods here, so the fact-sheet contract
(`schema: borderwatch.factsheet/1`) is written in exactly one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from borderwatch.vocabularies import vocabularies

FACTSHEET_SCHEMA = "borderwatch.factsheet/1"

# The closed vocabularies, in the order pages list them, from data/vocabularies.yaml (one
# place: adding an event type is an entry there plus its trigger file).
_V = vocabularies()
MENTION_KINDS = frozenset(_V.mention_kinds)
MENTION_ID_PREFIXES = dict(_V.mention_id_prefixes)  # an entity id's prefix -> its mention kind
PLACE_KINDS = frozenset(_V.place_kinds)
ORG_KINDS = frozenset(_V.org_kinds)
ATTRIBUTION_KINDS = frozenset(_V.source_kinds)
AMOUNT_KINDS = frozenset(_V.amount_kinds)
EVENT_TYPES = tuple(_V.event_types)
TOPICS = tuple(_V.topics)
INPUT_FORMATS = frozenset({"text", "html", "json", "jsonl", "rss", "atom"})
GRANULARITIES = frozenset({"day", "week", "month", "season", "year"})
_DATE_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _check(record: object, name: str, value: object, allowed: frozenset[str] | tuple[str, ...],
           optional: bool = False) -> None:
    """A record's vocabulary value, checked where the record is made (ValueError otherwise)."""
    if (value is None and optional) or value in allowed:
        return
    raise ValueError(f"{type(record).__name__}.{name}: {value!r} is not one of the contract's values")


def _check_span(record: Any) -> None:
    if not 0 <= record.start <= record.end:
        raise ValueError(f"{type(record).__name__}: span {record.start}..{record.end} is not within the text")


@dataclass(frozen=True, slots=True)
class RawInput:
    """Bytes read from one source, before decoding; `source` names it in every message."""

    source: str
    data: bytes
    content_type: str | None = None  # from HTTP, when the bytes came over the network
    url: str | None = None
    format_hint: str | None = None  # from the file name or the caller


@dataclass(frozen=True, slots=True)
class Report:
    """One report as read from its source; the body still carries boilerplate."""

    source: str
    body: str
    format: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD, or None when no date could be found
    language: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a character span of `Document.text` (end exclusive)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned report: what the store keeps and what extraction reads.

    `id` is a hash of `text`, so the same report read twice, from anywhere, gets the same id.
    """

    id: str
    source: str
    text: str
    sentences: tuple[Sentence, ...]
    format: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    encoding: str | None = None
    removed: tuple[str, ...] = ()  # boilerplate lines taken out of the body, kept for audit

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding character `offset` (the nearest one before it)."""
        lo, hi = 0, len(self.sentences) - 1
        found = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].start <= offset:
                found = mid
                lo = mid + 1
            else:
                hi = mid - 1
        return found

    def metadata(self) -> dict[str, Any]:
        """The `document` part of the fact sheet."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "published": self.published,
            "language": self.language,
            "url": self.url,
            "format": self.format,
            "encoding": self.encoding,
            "tags": list(self.tags),
            "captions": list(self.captions),
            "text": self.text,
        }


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(text: str) -> str:
    """`text` with control characters escaped (\\n, \\x1b...), everything else as is."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read; stored with its reason, never silently dropped."""

    source: str
    reason: str
    stage: str  # read | decode | parse | fetch | store

    def line(self) -> str:
        """The one line printed for it: control characters in a file name or a reason (a
        newline in a name would split the line) are shown as escapes."""
        return f"error: {_one_line(self.source)}: {_one_line(self.reason)}"

    @classmethod
    def unexpected(cls, source: str, stage: str, exc: Exception) -> Failure:
        """A bug met while reading or cleaning `source` (an input, or one record of it): the
        record fails with the error's name and message, and the rest of the input goes on."""
        return cls(source, f"unexpected error: {type(exc).__name__}: {exc}"[:300], stage)


# --- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sanctions:
    """UN sanctions status of a commodity, from data/commodities.csv."""

    export_ban: bool | None  # None: the reference says 'unclear'
    import_ban: bool | None
    import_cap: bool = False  # supply to the DPRK capped rather than banned (petroleum)
    resolution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "export_ban": self.export_ban,
            "import_ban": self.import_ban,
            "import_cap": self.import_cap,
            "resolution": self.resolution,
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """A named thing found in the text: place, country, organisation, commodity, person, vessel."""

    kind: str
    text: str
    start: int
    end: int
    id: str
    name: str
    country: str | None = None
    place_kind: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    parent: str | None = None  # id of the place this one lies in, when the text says so
    org_kind: str | None = None
    hs: str | None = None
    un_sanctions: Sanctions | None = None
    rule: str = ""

    def __post_init__(self) -> None:
        _check(self, "kind", self.kind, MENTION_KINDS)
        _check(self, "place_kind", self.place_kind, PLACE_KINDS, optional=True)
        _check(self, "org_kind", self.org_kind, ORG_KINDS, optional=True)
        _check_span(self)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
            "id": self.id, "name": self.name,
        }
        if self.kind in ("place", "country", "organization", "person", "vessel"):
            d["country"] = self.country
        if self.kind == "place":
            d.update(place_kind=self.place_kind, admin1=self.admin1, lat=self.lat, lon=self.lon,
                     parent=self.parent)
        elif self.kind == "organization":
            d["org_kind"] = self.org_kind
        elif self.kind == "commodity":
            d["hs"] = self.hs
            d["un_sanctions"] = self.un_sanctions.to_dict() if self.un_sanctions else None
        d["rule"] = self.rule
        return d


@dataclass(frozen=True, slots=True)
class Amount:
    """Money or a quantity, with its range, qualifier and per-unit basis."""

    kind: str  # money | quantity | percent
    text: str
    start: int
    end: int
    min: float | None
    max: float | None
    currency: str | None = None
    unit: str | None = None
    qualifier: str | None = None
    per: str | None = None
    usd: float | None = None
    usd_rate_date: str | None = None
    conversion_of: int | None = None  # index of the amount this one restates in another currency
    rule: str = ""

    def __post_init__(self) -> None:
        _check(self, "kind", self.kind, AMOUNT_KINDS)
        _check_span(self)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
            "min": self.min, "max": self.max, "qualifier": self.qualifier, "per": self.per,
        }
        if self.kind == "money":
            d.update(currency=self.currency, usd=self.usd, usd_rate_date=self.usd_rate_date,
                     conversion_of=self.conversion_of)
        else:
            d["unit"] = self.unit
        d["rule"] = self.rule
        return d


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase and its value resolved against the publication date (None if it cannot be)."""

    text: str
    start: int
    end: int
    value: str | None
    granularity: str | None  # day | month | year | week | season | None
    relative: bool = False
    rule: str = ""

    def __post_init__(self) -> None:
        _check(self, "granularity", self.granularity, GRANULARITIES, optional=True)
        if self.value is not None and not _DATE_VALUE.fullmatch(self.value):
            raise ValueError(f"DateMention.value: {self.value!r} is not YYYY[-MM[-DD]]")
        _check_span(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "start": self.start, "end": self.end, "value": self.value,
            "granularity": self.granularity, "relative": self.relative, "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who says it: the phrase naming the holder of a claim."""

    text: str
    start: int
    end: int
    kind: str
    outlet: str | None = None
    holder: str | None = None  # canonical holder name ("Daily NK source", "Rodong Sinmun", …)
    sentence: int = 0
    rule: str = ""

    def __post_init__(self) -> None:
        _check(self, "kind", self.kind, ATTRIBUTION_KINDS)
        _check_span(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "start": self.start, "end": self.end, "kind": self.kind,
            "outlet": self.outlet, "holder": self.holder, "sentence": self.sentence,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class EventMention:
    """One place in the text that tells of an event: a trigger phrase and its sentence."""

    start: int
    end: int
    sentence_index: int
    trigger: str
    rule: str = ""
    hedged: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "sentence_index": self.sentence_index,
                "trigger": self.trigger, "rule": self.rule, "hedged": self.hedged}


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happens, typed, with the facts of its sentences attached by index or id.

    A happening told in several sentences is one Event: `start`/`end`/`sentence_index` point at
    its first (anchoring) mention and `mentions` lists every mention, the first included.
    """

    type: str
    start: int  # span of the trigger phrase in Document.text
    end: int
    sentence: str
    sentence_index: int
    trigger: str
    places: tuple[str, ...] = ()  # mention ids
    commodities: tuple[str, ...] = ()  # mention ids
    amounts: tuple[int, ...] = ()  # indices into FactSheet.amounts
    date: str | None = None  # resolved value of the event's date
    attribution: int | None = None  # index into FactSheet.attributions
    negated: bool = False
    hedged: bool = False
    rule: str = ""
    mentions: tuple[EventMention, ...] = ()  # empty: the event's own trigger is its one mention

    def __post_init__(self) -> None:
        _check(self, "type", self.type, EVENT_TYPES)
        if self.date is not None and not _DATE_VALUE.fullmatch(self.date):
            raise ValueError(f"Event.date: {self.date!r} is not YYYY[-MM[-DD]]")
        _check_span(self)

    def all_mentions(self) -> tuple[EventMention, ...]:
        """Every mention, the anchoring one first."""
        return self.mentions or (EventMention(self.start, self.end, self.sentence_index,
                                              self.trigger, self.rule, self.hedged),)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type, "start": self.start, "end": self.end, "sentence": self.sentence,
            "sentence_index": self.sentence_index, "trigger": self.trigger,
            "places": list(self.places), "commodities": list(self.commodities),
            "amounts": list(self.amounts), "date": self.date, "attribution": self.attribution,
            "negated": self.negated, "hedged": self.hedged, "rule": self.rule,
            "mentions": [m.to_dict() for m in self.all_mentions()],
        }


@dataclass(frozen=True, slots=True)
class FactSheet:
    """Everything found in one document; `to_dict` is the public JSON contract."""

    document: Document
    mentions: tuple[Mention, ...] = ()
    amounts: tuple[Amount, ...] = ()
    dates: tuple[DateMention, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    events: tuple[Event, ...] = ()
    topics: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": FACTSHEET_SCHEMA,
            "document": self.document.metadata(),
            "sentences": [[s.start, s.end] for s in self.document.sentences],
            "mentions": [m.to_dict() for m in self.mentions],
            "amounts": [a.to_dict() for a in self.amounts],
            "dates": [d.to_dict() for d in self.dates],
            "attributions": [a.to_dict() for a in self.attributions],
            "events": [e.to_dict() for e in self.events],
            "topics": list(self.topics),
        }
