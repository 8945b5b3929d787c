"""Extraction straight from files (the `extract` command): no database involved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from borderwatch.clean import read_documents
from borderwatch.extract.pipeline import extract
from borderwatch.ingest import ReadOptions, Unchanged, iter_inputs
from borderwatch.ingest.http import MemoryFetchCache, fetcher_for
from borderwatch.model import Failure


def extract_sources(sources: list[str], options: ReadOptions,
                    stdin: BinaryIO | None = None) -> Iterator[dict[str, Any] | Failure]:
    """Fact sheets (as contract dicts) of every report in `sources`, in input order."""
    fetcher = fetcher_for(MemoryFetchCache(), options)
    for item in iter_inputs(sources, options, fetcher, stdin):
        if isinstance(item, (Failure, Unchanged)):
            if isinstance(item, Failure):
                yield item
            continue
        for doc in read_documents(item, options, fetcher):
            if isinstance(doc, Failure):
                yield doc
            elif not isinstance(doc, Unchanged):
                yield extract(doc).to_dict()
