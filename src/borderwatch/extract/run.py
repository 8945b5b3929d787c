"""Extraction straight from files (the `extract` command): no database involved."""

from __future__ import annotations

from typing import Any, BinaryIO, Iterator

from borderwatch.clean import make_document
from borderwatch.extract.pipeline import extract
from borderwatch.ingest import Fetcher, ReadOptions, Unchanged, iter_inputs, read_input
from borderwatch.ingest.http import MemoryFetchCache
from borderwatch.model import Failure


def extract_sources(sources: list[str], options: ReadOptions,
                    stdin: BinaryIO | None = None) -> Iterator[dict[str, Any] | Failure]:
    """Fact sheets (as contract dicts) of every report in `sources`, in input order."""
    fetcher = Fetcher(MemoryFetchCache(), max_bytes=options.max_bytes,
                      allow_private=options.allow_private_urls)
    for item in iter_inputs(sources, options, fetcher, stdin):
        if isinstance(item, (Failure, Unchanged)):
            if isinstance(item, Failure):
                yield item
            continue
        for rec in read_input(item, options, fetcher):
            if isinstance(rec, Failure):
                yield rec
                continue
            if isinstance(rec, Unchanged):
                continue
            try:
                doc = make_document(rec)
            except ValueError as exc:
                yield Failure(rec.source, str(exc), "clean")
                continue
            yield extract(doc).to_dict()
