"""A batch's Parquet tables: one explicit schema per table, rows made from the typed records.

A batch writes what `extract` would print, as tables a data tool opens as is: `reports` (the
cleaned document, its sentences and topics), one table per kind of fact (`places`,
`organisations`, `goods`, `names`, `amounts`, `quantities`, `dates`, `sources`, `events`) and
`failures`. Every fact row carries its report's id, its index in the fact sheet (events point at
amounts and sources by that index), its characters (`start`/`end`, `text`) and its sentence:
nothing is written that cannot be traced to the text.

The tables hold everything the store's writer needs, so `sheet_of` rebuilds the very FactSheet
(`to_dict` equal to `extract`'s) and `borderwatch load` stores it through the writer as ingest
would. Explicit schemas, not inferred ones: a partition whose reports found no goods still
writes a `goods` file with the right column types, and every partition's files agree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from borderwatch.extract.sections import SectionedSheet
from borderwatch.model import (
    Amount,
    Attribution,
    DateMention,
    Document,
    Event,
    EventMention,
    FactSheet,
    Failure,
    Mention,
    Sanctions,
    Sentence,
)

UNKNOWN_MONTH = "unknown"  # the month folder of a report with no publication date
_MONTH = re.compile(r"\d{4}-\d{2}")
_STRINGS = pa.list_(pa.string())

_SPAN = [("report_id", pa.string()), ("idx", pa.int32()), ("text", pa.string()),
         ("start", pa.int64()), ("end", pa.int64()), ("sentence", pa.int32())]
_MENTION = [*_SPAN, ("kind", pa.string()), ("entity_id", pa.string()), ("name", pa.string())]
_AMOUNT = [*_SPAN, ("kind", pa.string()), ("min", pa.float64()), ("max", pa.float64()),
           ("currency", pa.string()), ("unit", pa.string()), ("qualifier", pa.string()),
           ("per", pa.string()), ("usd", pa.float64()), ("usd_rate_date", pa.string()),
           ("conversion_of", pa.int32()), ("rule", pa.string())]
_SANCTIONS = pa.struct([("export_ban", pa.bool_()), ("import_ban", pa.bool_()),
                        ("import_cap", pa.bool_()), ("resolution", pa.string())])
_EVENT_MENTION = pa.struct([("start", pa.int64()), ("end", pa.int64()),
                            ("sentence_index", pa.int32()), ("trigger", pa.string()),
                            ("rule", pa.string()), ("hedged", pa.bool_())])

SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema([
        ("report_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("title", pa.string()), ("outlet", pa.string()), ("author", pa.string()),
        ("published", pa.string()), ("language", pa.string()), ("format", pa.string()),
        ("encoding", pa.string()), ("text", pa.string()),
        ("sentences", pa.list_(pa.struct([("start", pa.int64()), ("end", pa.int64())]))),
        ("tags", _STRINGS), ("captions", _STRINGS), ("removed", _STRINGS), ("topics", _STRINGS),
        ("extractor", pa.string()),  # the version that made its facts; null: extraction failed
        ("partition", pa.string()), ("position", pa.int32()),  # its place in the partition
    ]),
    # mentions, by kind: places (and countries), organisations, goods, names (persons, vessels)
    "places": pa.schema([*_MENTION, ("country", pa.string()), ("place_kind", pa.string()),
                         ("admin1", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
                         ("parent", pa.string()), ("rule", pa.string())]),
    "organisations": pa.schema([*_MENTION, ("country", pa.string()), ("org_kind", pa.string()),
                                ("rule", pa.string())]),
    "goods": pa.schema([*_MENTION, ("hs", pa.string()), ("un_sanctions", _SANCTIONS),
                        ("rule", pa.string())]),
    "names": pa.schema([*_MENTION, ("country", pa.string()), ("rule", pa.string())]),
    "amounts": pa.schema(_AMOUNT),  # money
    "quantities": pa.schema(_AMOUNT),  # quantities and percentages
    "dates": pa.schema([*_SPAN, ("value", pa.string()), ("granularity", pa.string()),
                        ("relative", pa.bool_()), ("rule", pa.string())]),
    "sources": pa.schema([*_SPAN, ("kind", pa.string()), ("outlet", pa.string()),
                          ("holder", pa.string()), ("rule", pa.string())]),
    "events": pa.schema([
        ("report_id", pa.string()), ("idx", pa.int32()), ("type", pa.string()),
        ("trigger", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("sentence_index", pa.int32()), ("sentence", pa.string()),
        ("places", _STRINGS), ("commodities", _STRINGS), ("amounts", pa.list_(pa.int32())),
        ("date", pa.string()), ("attribution", pa.int32()), ("negated", pa.bool_()),
        ("hedged", pa.bool_()), ("rule", pa.string()), ("mentions", pa.list_(_EVENT_MENTION)),
    ]),
    "failures": pa.schema([("partition", pa.string()), ("source", pa.string()),
                           ("stage", pa.string()), ("reason", pa.string())]),
}
FACT_TABLES = ("places", "organisations", "goods", "names", "amounts", "quantities", "dates",
               "sources", "events")
MENTION_TABLE = {"place": "places", "country": "places", "organization": "organisations",
                 "commodity": "goods", "person": "names", "vessel": "names"}
_MENTION_TABLES = ("places", "organisations", "goods", "names")


def month_of(published: str | None) -> str:
    """The Hive partition value of a report: its publication month, YYYY-MM."""
    if published and _MONTH.match(published):
        return published[:7]
    return UNKNOWN_MONTH


class Rows:
    """The rows of one partition, by table and month, until they are written."""

    def __init__(self, partition: str) -> None:
        self.partition = partition
        self.by_table: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        self.reports = 0

    def add_failure(self, failure: Failure) -> None:
        self.by_table["failures"][""].append({"partition": self.partition, "source": failure.source,
                                              "stage": failure.stage, "reason": failure.reason})

    def add_report(self, doc: Document, sheet: FactSheet | SectionedSheet | None,
                   version: str | None) -> None:
        """A report and every fact of its sheet (a long report's sections one at a time)."""
        month = month_of(doc.published)
        self.reports += 1
        self.by_table["reports"][month].append({
            "report_id": doc.id, "source": doc.source, "url": doc.url, "title": doc.title,
            "outlet": doc.outlet, "author": doc.author, "published": doc.published,
            "language": doc.language, "format": doc.format, "encoding": doc.encoding,
            "text": doc.text, "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
            "tags": list(doc.tags), "captions": list(doc.captions), "removed": list(doc.removed),
            "topics": list(sheet.topics) if sheet is not None else [],
            "extractor": version if sheet is not None else None, "partition": self.partition,
            "position": self.reports - 1,
        })
        if sheet is None:
            return
        base = dict.fromkeys(("mentions", "amounts", "dates", "sources", "events"), 0)
        parts = sheet.sections() if isinstance(sheet, SectionedSheet) else (sheet,)
        for part in parts:
            for table, row in fact_rows(part, base):
                self.by_table[table][month].append(row)
            for key, items in (("mentions", part.mentions), ("amounts", part.amounts),
                               ("dates", part.dates), ("sources", part.attributions),
                               ("events", part.events)):
                base[key] += len(items)

    def tables(self) -> Iterator[tuple[str, str, pa.Table]]:
        """(table, month, Arrow table) for every table with rows ("" month: failures)."""
        for table, months in self.by_table.items():
            for month, rows in months.items():
                yield table, month, pa.Table.from_pylist(rows, schema=SCHEMAS[table])


def fact_rows(sheet: FactSheet, base: dict[str, int]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row) for every fact of a sheet; `base` holds each kind's index of the sheet's
    first fact in the report (a long report's later sections start past 0)."""
    doc = sheet.document
    rid = doc.id

    def span(idx: int, text: str, start: int, end: int) -> dict[str, Any]:
        return {"report_id": rid, "idx": idx, "text": text, "start": start, "end": end,
                "sentence": doc.sentence_at(start)}

    for i, m in enumerate(sheet.mentions, base["mentions"]):
        row = span(i, m.text, m.start, m.end) | {
            "kind": m.kind, "entity_id": m.id, "name": m.name, "country": m.country,
            "place_kind": m.place_kind, "admin1": m.admin1, "lat": m.lat, "lon": m.lon,
            "parent": m.parent, "org_kind": m.org_kind, "hs": m.hs, "rule": m.rule,
            "un_sanctions": None if m.un_sanctions is None else m.un_sanctions.to_dict()}
        yield MENTION_TABLE[m.kind], row
    for i, a in enumerate(sheet.amounts, base["amounts"]):
        yield ("amounts" if a.kind == "money" else "quantities"), span(i, a.text, a.start, a.end) | {
            "kind": a.kind, "min": a.min, "max": a.max, "currency": a.currency, "unit": a.unit,
            "qualifier": a.qualifier, "per": a.per, "usd": a.usd, "usd_rate_date": a.usd_rate_date,
            "conversion_of": a.conversion_of, "rule": a.rule}
    for i, d in enumerate(sheet.dates, base["dates"]):
        yield "dates", span(i, d.text, d.start, d.end) | {
            "value": d.value, "granularity": d.granularity, "relative": d.relative, "rule": d.rule}
    for i, t in enumerate(sheet.attributions, base["sources"]):
        # an attribution records its own sentence (where its claim is), kept as it is
        yield "sources", span(i, t.text, t.start, t.end) | {
            "sentence": t.sentence, "kind": t.kind, "outlet": t.outlet, "holder": t.holder,
            "rule": t.rule}
    for i, e in enumerate(sheet.events, base["events"]):
        yield "events", {
            "report_id": rid, "idx": i, "type": e.type, "trigger": e.trigger, "start": e.start,
            "end": e.end, "sentence_index": e.sentence_index, "sentence": e.sentence,
            "places": list(e.places), "commodities": list(e.commodities),
            "amounts": list(e.amounts), "date": e.date, "attribution": e.attribution,
            "negated": e.negated, "hedged": e.hedged, "rule": e.rule,
            "mentions": [m.to_dict() for m in e.all_mentions()]}


# --- back to records (for `load`) ------------------------------------------------------------


def document_of(row: dict[str, Any]) -> Document:
    """The cleaned document a `reports` row holds."""
    return Document(
        id=row["report_id"], source=row["source"], text=row["text"],
        sentences=tuple(Sentence(s["start"], s["end"]) for s in row["sentences"]),
        format=row["format"], title=row["title"], outlet=row["outlet"], author=row["author"],
        published=row["published"], language=row["language"], url=row["url"],
        tags=tuple(row["tags"]), captions=tuple(row["captions"]), encoding=row["encoding"],
        removed=tuple(row["removed"]))


def sheet_of(doc: Document, topics: Iterable[str], facts: dict[str, list[dict[str, Any]]]) -> FactSheet:
    """The fact sheet of one report from its rows of every fact table (any order)."""
    def ordered(*tables: str) -> list[dict[str, Any]]:
        return sorted((r for t in tables for r in facts.get(t, ())), key=lambda r: r["idx"])

    mentions = tuple(Mention(
        kind=r["kind"], text=r["text"], start=r["start"], end=r["end"], id=r["entity_id"],
        name=r["name"], country=r.get("country"), place_kind=r.get("place_kind"),
        admin1=r.get("admin1"), lat=r.get("lat"), lon=r.get("lon"), parent=r.get("parent"),
        org_kind=r.get("org_kind"), hs=r.get("hs"), rule=r["rule"],
        un_sanctions=Sanctions(**r["un_sanctions"]) if r.get("un_sanctions") else None)
        for r in ordered(*_MENTION_TABLES))
    amounts = tuple(Amount(
        kind=r["kind"], text=r["text"], start=r["start"], end=r["end"], min=r["min"], max=r["max"],
        currency=r["currency"], unit=r["unit"], qualifier=r["qualifier"], per=r["per"],
        usd=r["usd"], usd_rate_date=r["usd_rate_date"], conversion_of=r["conversion_of"],
        rule=r["rule"]) for r in ordered("amounts", "quantities"))
    dates = tuple(DateMention(text=r["text"], start=r["start"], end=r["end"], value=r["value"],
                              granularity=r["granularity"], relative=r["relative"], rule=r["rule"])
                  for r in ordered("dates"))
    attributions = tuple(Attribution(text=r["text"], start=r["start"], end=r["end"], kind=r["kind"],
                                     outlet=r["outlet"], holder=r["holder"], sentence=r["sentence"],
                                     rule=r["rule"]) for r in ordered("sources"))
    events = tuple(Event(
        type=r["type"], start=r["start"], end=r["end"], sentence=r["sentence"],
        sentence_index=r["sentence_index"], trigger=r["trigger"], places=tuple(r["places"]),
        commodities=tuple(r["commodities"]), amounts=tuple(r["amounts"]), date=r["date"],
        attribution=r["attribution"], negated=r["negated"], hedged=r["hedged"], rule=r["rule"],
        mentions=tuple(EventMention(**m) for m in r["mentions"])) for r in ordered("events"))
    return FactSheet(doc, mentions, amounts, dates, attributions, events, tuple(topics))
