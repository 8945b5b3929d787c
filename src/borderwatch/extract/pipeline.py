"""extract(document) -> FactSheet: the fact finders run in order over one Document.

Pure: no I/O, data loaded once per process by each finder's cached loader. Later finders read
the earlier ones' output (events need the places, amounts, dates and attributions of their
sentence; mentions of one happening are then merged into one event), so the order here is the dependency order.
"""

from __future__ import annotations

import hashlib
import time
from functools import cache
from importlib import resources

from borderwatch import __version__
from borderwatch.extract.amounts import find_amounts
from borderwatch.extract.attributions import find_attributions
from borderwatch.extract.dates import find_dates
from borderwatch.extract.events import find_events
from borderwatch.extract.happenings import merge_happenings
from borderwatch.extract.mentions import find_mentions
from borderwatch.extract.topics import choose_topics
from borderwatch.model import Document, FactSheet


BUDGET_S = 120.0
# Longer texts are not extracted. Their facts are held in memory until stored, 30-60 times the
# text for fact-dense prose (bench/linearity.py): a 19 MB file peaked at 3 GB and still ran out
# of time. A field report is a few kilobytes; a text of a million characters (some 500 pages) is
# a collection, which extracts once split into its reports.
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


@cache
def extractor_version() -> str:
    """Package version plus a digest of every data file: changes when rules or data change."""
    h = hashlib.sha256()
    root = resources.files("borderwatch") / "data"
    stack = [root]
    files = []
    while stack:
        node = stack.pop()
        for child in node.iterdir():
            (stack if child.is_dir() else files).append(child)
    for f in sorted(files, key=lambda p: str(p)):
        h.update(str(f).rsplit("data", 1)[-1].encode())
        h.update(f.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"
