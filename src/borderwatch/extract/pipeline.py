"""extract(document) -> FactSheet: the fact finders run in order over one Document.

Pure: no I/O, data loaded once per process by each finder's cached loader. A Korean report
(language "ko") runs the finders of extract/ko/, which read data/lang/ko/; places and countries
come from the shared gazetteer for every language. Later finders read
the earlier ones' output (events need the places, amounts, dates and attributions of their
sentence; mentions of one happening are then merged into one event), so the order here is the dependency order.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import cache
from importlib import import_module, resources
from importlib.resources.abc import Traversable

from borderwatch import __version__
from borderwatch.extract.amounts import find_amounts
from borderwatch.extract.attributions import find_attributions
from borderwatch.extract.dates import find_dates
from borderwatch.extract.events import find_events
from borderwatch.extract.happenings import merge_happenings
from borderwatch.extract.ko.amounts import find_amounts_ko
from borderwatch.extract.ko.analyser import analyse, analyser_tag
from borderwatch.extract.ko.dates import find_dates_ko
from borderwatch.extract.ko.events import find_events_ko
from borderwatch.extract.ko.names import find_commodities_ko, find_countries_ko, find_orgs_ko
from borderwatch.extract.ko.places import find_places_ko, without_common_words
from borderwatch.extract.ko.sources import find_attributions_ko
from borderwatch.extract.languages import finder_language
from borderwatch.extract.mentions import find_mentions
from borderwatch.extract.sections import SECTION_CHARS, SectionedSheet, extract_in_sections
from borderwatch.extract.topics import choose_topics
from borderwatch.model import Document, FactSheet

BUDGET_S = 120.0
# Longer texts are not extracted: a 19 MB file ran out of time. A field report is a few
# kilobytes; a text of a million characters (some 500 pages) is a collection, which extracts once
# split into its reports. Texts over SECTION_CHARS are extracted in sections (extract/sections.py)
# so their facts are never all in memory at once.
MAX_CHARS = 1_000_000


class TooLongToExtract(RuntimeError):
    """Extraction of one report ran past its time budget, or the report is longer than
    MAX_CHARS: the caller records a failure and stores the report without facts, instead of
    holding a batch (and the store) for hours or running out of memory."""


def extract(doc: Document, budget_s: float | None = None,
            max_chars: float | None = None) -> FactSheet:
    """Every fact in `doc`, each pointing at its characters.

    Every finder is linear in the text's length (bench/linearity.py measures it), so the
    budget is checked between finders: a report that still runs past it fails with a clear
    reason rather than hanging. `budget_s` and `max_chars` replace BUDGET_S and MAX_CHARS
    (bench/linearity.py lifts both to time the finders on any length)."""
    limit = MAX_CHARS if max_chars is None else max_chars
    if len(doc.text) > limit:
        raise TooLongToExtract(f"too long to extract: {len(doc.text):,} characters, more than"
                               f" {limit:,} (split the file into its reports to extract them)")
    started = time.monotonic()
    budget = BUDGET_S if budget_s is None else budget_s

    def check(stage: str) -> None:
        spent = time.monotonic() - started
        if spent > budget:
            raise TooLongToExtract(f"too long to extract in {budget:g} s ({len(doc.text):,} "
                                   f"characters; stopped after {stage}, {spent:.0f} s)")

    if finder_language(doc) == "ko":
        return _extract_korean(doc, check)
    mentions = find_mentions(doc)
    check("names")
    amounts = find_amounts(doc)
    check("amounts")
    dates = find_dates(doc)
    check("dates")
    attributions = find_attributions(doc, mentions)
    check("sources")
    events = merge_happenings(doc, find_events(doc, mentions, amounts, dates, attributions),
                              mentions)
    check("events")
    topics = choose_topics(doc, mentions, events)
    return FactSheet(
        document=doc,
        mentions=tuple(mentions),
        amounts=tuple(amounts),
        dates=tuple(dates),
        attributions=tuple(attributions),
        events=tuple(events),
        topics=tuple(topics),
    )


def extract_report(doc: Document, budget_s: float | None = None,
                   max_chars: float | None = None) -> FactSheet | SectionedSheet:
    """A report's facts for the store: one FactSheet, or for a text over SECTION_CHARS the
    facts of its sections spooled to a file (SectionedSheet), within one time budget."""
    if len(doc.text) <= SECTION_CHARS:
        return extract(doc, budget_s, max_chars)
    limit = MAX_CHARS if max_chars is None else max_chars
    if len(doc.text) > limit:
        return extract(doc, budget_s, max_chars)  # raises TooLongToExtract with the reason
    budget = BUDGET_S if budget_s is None else budget_s
    started = time.monotonic()

    def one(sub: Document) -> FactSheet:
        left = budget - (time.monotonic() - started)
        try:
            if left <= 0:
                raise TooLongToExtract("no time left")
            return extract(sub, left, limit)
        except TooLongToExtract:
            raise TooLongToExtract(
                f"too long to extract in {budget:g} s ({len(doc.text):,} characters; stopped"
                f" after {time.monotonic() - started:.0f} s)") from None

    return extract_in_sections(doc, one)


def _extract_korean(doc: Document, check: Callable[[str], None]) -> FactSheet:
    """The Korean finders in dependency order (dates first: their numbers are no amounts), with
    the morphological analyser's reading of the text when it is switched on (extract/ko/analyser.py)."""
    analysis = analyse(doc.text)
    mentions = without_common_words(
        find_mentions(doc, find_places_ko(doc, analysis) + find_countries_ko(doc) + find_orgs_ko(doc)
                      + find_commodities_ko(doc)))
    check("names")
    dates = find_dates_ko(doc)
    amounts = find_amounts_ko(doc, [(d.start, d.end) for d in dates])
    check("amounts")
    attributions = find_attributions_ko(doc, mentions)
    check("sources")
    events = merge_happenings(doc, find_events_ko(doc, mentions, amounts, dates, attributions, analysis),
                              mentions, "ko")
    check("events")
    return FactSheet(document=doc, mentions=tuple(mentions), amounts=tuple(amounts),
                     dates=tuple(dates), attributions=tuple(attributions), events=tuple(events),
                     topics=tuple(choose_topics(doc, mentions, events, "ko")))


# Data files extraction never reads: what pages, charts, claims and the brief show. Editing one
# must not mark every report stale. Every other file under data/ counts (a new file counts until
# it is listed here); tests/extract/test_version.py checks extraction reads none of these.
NOT_READ_BY_EXTRACTION = ("brief.yaml", "labels.yaml", "resolutions.yaml", "lang/en/claims.yaml", "geo/")
# Files of which extraction reads only a part: digested through that part (the vocabularies'
# codes, not their labels and colours).
PARTLY_READ = {"data/vocabularies.yaml": "borderwatch.vocabularies:codes_digest"}
# The code whose rules shape a fact sheet: the finders (their words are data, but the patterns
# built from them are code: patterns.py), the records, the value readers and normalisers they
# call (values/: numbers, money, dates, dollars at a date, calendar arithmetic), and the data
# files' models (their defaults are rules too).
EXTRACTION_CODE = ("extract/", "model.py", "patterns.py", "values/", "data_models/")
# Code inside those folders that shapes no fact sheet: the `extract` command's file driver, and
# the models of files extraction never reads.
NOT_EXTRACTION_CODE = ("extract/run.py", "data_models/geo.py", "data_models/pages.py",
                       "data_models/claims.py", "data_models/registry.py")


def _package_files(relfolder: str) -> list[tuple[str, Traversable]]:
    """(path under the package, file) of every file in a package folder, walked in order."""
    root = resources.files("borderwatch")
    node = root
    for part in relfolder.strip("/").split("/"):
        if part:
            node = node / part
    if node.is_file():
        return [(relfolder, node)]
    out: list[tuple[str, Traversable]] = []
    stack = [(relfolder.strip("/"), node)]
    while stack:
        rel, folder = stack.pop()
        for child in folder.iterdir():
            path = f"{rel}/{child.name}" if rel else child.name
            if child.is_dir():
                if child.name != "__pycache__":
                    stack.append((path, child))
            elif not child.name.endswith((".pyc", ".pyo")):
                out.append((path, child))
    return sorted(out, key=lambda pf: pf[0])


def _counted(rel: str) -> bool:
    """Whether a data file (path under data/) is one extraction may read."""
    return not any(rel == n or (n.endswith("/") and rel.startswith(n)) for n in NOT_READ_BY_EXTRACTION)


def _version_files() -> list[tuple[str, Traversable]]:
    data = [(rel, f) for rel, f in _package_files("data") if _counted(rel.removeprefix("data/"))]
    return data + [pf for folder in EXTRACTION_CODE for pf in _package_files(folder)
                   if pf[0] not in NOT_EXTRACTION_CODE]


def version_inputs() -> list[str]:
    """The package files extractor_version() digests, as paths under the package."""
    return [rel for rel, _ in _version_files()]


@cache
def extractor_version() -> str:
    """Package version plus a digest of what extraction reads (its data files and its code):
    changes when a rule, a word list or a finder changes, and only then (a report extracted by
    another version is stale, `reextract` brings it up to date). The Korean analyser, when one
    is switched on, is part of it: its reports are another extraction."""
    h = hashlib.sha256()
    for rel, f in _version_files():
        h.update(rel.encode() + b"\0")
        if rel in PARTLY_READ:
            module, name = PARTLY_READ[rel].split(":")
            h.update(getattr(import_module(module), name)(f.read_text(encoding="utf-8")))
        else:
            h.update(f.read_bytes())
    analyser = analyser_tag()
    if analyser is not None:
        h.update(b"ko-analyser\0" + analyser.encode())
    return f"{__version__}+{h.hexdigest()[:12]}"
