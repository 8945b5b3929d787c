"""extract(document) -> FactSheet: the fact finders run in order over one Document.

Pure: no I/O, data loaded once per process by each finder's cached loader. Later finders read
the earlier ones' output (events need the places, amounts, dates and attributions of their
sentence; mentions of one happening are then merged into one event), so the order here is the dependency order.
"""

from __future__ import annotations

import hashlib
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


def extract(doc: Document) -> FactSheet:
    """Every fact in `doc`, each pointing at its characters."""
    mentions = find_mentions(doc)
    amounts = find_amounts(doc)
    dates = find_dates(doc)
    attributions = find_attributions(doc, mentions)
    events = merge_happenings(doc, find_events(doc, mentions, amounts, dates, attributions),
                              mentions)
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
