"""Ingest: SOURCE arguments to Report records (or Failure records), with no database.

`iter_inputs` turns files, folders, globs, stdin and URLs into raw inputs one at a time;
`read_input` turns one raw input into reports (many for JSON Lines and feeds). Everything that
goes wrong is a Failure with a one-line reason; a URL answering 304 is `Unchanged`.
"""

from borderwatch.ingest.decode import DecodeError, decode_bytes
from borderwatch.ingest.detect import detect_format
from borderwatch.ingest.http import FetchCache, Fetcher, FetchError, FetchResult, MemoryFetchCache
from borderwatch.ingest.meta import ReadError, ReadOptions, Unchanged
from borderwatch.ingest.read import read_input
from borderwatch.ingest.sources import count_inputs, iter_inputs

__all__ = [
    "DecodeError", "FetchCache", "FetchError", "FetchResult", "Fetcher", "MemoryFetchCache",
    "ReadError", "ReadOptions", "Unchanged", "count_inputs", "decode_bytes", "detect_format",
    "iter_inputs", "read_input",
]
