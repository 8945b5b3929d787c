"""One raw input to reports: detect the format, decode, hand to the reader, complete metadata."""

from __future__ import annotations

from collections.abc import Iterator

from borderwatch.ingest.decode import decode_bytes
from borderwatch.ingest.detect import detect_format
from borderwatch.ingest.feed import read_feed
from borderwatch.ingest.html import extract_html
from borderwatch.ingest.http import Fetcher
from borderwatch.ingest.meta import ReadError, ReadOptions, Unchanged, complete
from borderwatch.ingest.records import read_json, read_jsonl
from borderwatch.ingest.textfile import read_text
from borderwatch.model import Failure, RawInput, Report


def read_input(raw: RawInput, options: ReadOptions, fetcher: Fetcher | None
               ) -> Iterator[Report | Failure | Unchanged]:
    """Reports from one input; anything wrong becomes a Failure and the stream goes on."""
    if len(raw.data) > options.max_bytes:
        yield Failure(raw.source, f"too large ({len(raw.data)} bytes > cap {options.max_bytes})",
                      "read")
        return
    try:
        for item in _read(raw, options, fetcher):
            if isinstance(item, Report):
                try:
                    item = complete(item, options)
                except Exception as exc:  # noqa: BLE001 - costs this report, not its file
                    item = Failure.unexpected(item.source, "parse", exc)
            yield item
    except ReadError as exc:
        yield Failure(source=raw.source, reason=str(exc), stage=exc.stage)
    except Exception as exc:  # noqa: BLE001 - one bad input must never stop the run
        yield Failure.unexpected(raw.source, "parse", exc)


def _read(raw: RawInput, options: ReadOptions, fetcher: Fetcher | None
          ) -> Iterator[Report | Failure | Unchanged]:
    """Dispatch on the detected format."""
    fmt = detect_format(raw)
    text, encoding = decode_bytes(raw.data, raw.content_type)
    if fmt == "html":
        yield extract_html(text, raw.source, raw.url, encoding)
    elif fmt == "json":
        yield from read_json(text, raw.source, encoding)
    elif fmt == "jsonl":
        yield from read_jsonl(text, raw.source, encoding)
    elif fmt == "feed":
        yield from read_feed(text, raw.source, encoding, options, fetcher, raw.url)
    else:
        yield read_text(text, raw.source, encoding, raw.url)
