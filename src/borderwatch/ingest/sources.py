"""SOURCE arguments to raw inputs: files, folders, globs, standard input and URLs.

Inputs are produced one at a time, so a folder of 50,000 files is never held in memory: only
its sorted list of paths is. Hidden files and folders (names starting with '.') are skipped.
A source that names nothing, a folder that cannot be listed, or an input too large to read,
becomes a Failure in the stream. A file name that is not valid UTF-8 is named by its bytes
with the bad ones escaped (display_path): the store and the terminal can hold that name, and
the file is still opened by its real one.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterator
from typing import BinaryIO

from borderwatch.ingest.http import Fetcher, FetchError
from borderwatch.ingest.meta import ReadOptions, Unchanged
from borderwatch.model import Failure, RawInput

STDIN = "-"
STDIN_NAME = "<stdin>"
_GLOB_CHARS = frozenset("*?[")


def is_url(source: str) -> bool:
    """True for an http(s) URL."""
    return source.lower().startswith(("http://", "https://"))


def _is_glob(source: str) -> bool:
    """True if the source holds glob wildcards."""
    return any(ch in _GLOB_CHARS for ch in source)


def _too_large(size: int, cap: int) -> str:
    """The reason for an input over the size cap."""
    return f"too large ({size} bytes > cap {cap})"


def display_path(path: str) -> str:
    """`path` as storable, printable text: undecodable bytes of a file name (which Python keeps
    as lone surrogates) become \\xNN escapes; a valid UTF-8 name is unchanged."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def walk_folder(folder: str) -> Iterator[str | Failure]:
    """Files under `folder`, recursively, in sorted order, skipping hidden files and folders;
    a folder that cannot be listed is a Failure naming it, and the walk goes on."""
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        yield from _folder_failures(errors)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)
    yield from _folder_failures(errors)


def _folder_failures(errors: list[OSError]) -> Iterator[Failure]:
    while errors:
        exc = errors.pop(0)
        where = display_path(str(exc.filename)) if exc.filename is not None else "?"
        yield Failure(source=where, reason=f"cannot read folder: {exc.strerror or exc}", stage="read")


def expand(source: str) -> Iterator[str | Failure] | None:
    """The file paths a file, folder or glob source names; None if it names nothing."""
    if os.path.isdir(source):
        return walk_folder(source)
    if os.path.exists(source):
        return iter([source])
    if _is_glob(source):
        matches = sorted(glob.glob(source, recursive=True))
        if matches:
            return (p for m in matches for p in (walk_folder(m) if os.path.isdir(m) else [m]))
    return None


def read_file(path: str, cap: int) -> RawInput | Failure:
    """The bytes of one file, or a Failure if it is too large or cannot be read."""
    name = display_path(path)
    try:
        size = os.path.getsize(path)
        if size > cap:
            return Failure(source=name, reason=_too_large(size, cap), stage="read")
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)
    except OSError as exc:
        return Failure(source=name, reason=f"cannot read: {exc.strerror or exc}", stage="read")
    if len(data) > cap:  # the file grew while we read it
        return Failure(source=name, reason=_too_large(len(data), cap), stage="read")
    return RawInput(source=name, data=data)


def read_stdin(stdin: BinaryIO | None, cap: int) -> RawInput | Failure:
    """Standard input as one input."""
    stream = stdin if stdin is not None else sys.stdin.buffer
    data = stream.read(cap + 1)
    if len(data) > cap:
        return Failure(source=STDIN_NAME, reason=f"too large (more than {cap} bytes)", stage="read")
    return RawInput(source=STDIN_NAME, data=data)


def fetch(url: str, fetcher: Fetcher | None) -> RawInput | Failure | Unchanged:
    """A URL's body as an input; Unchanged when the server says it has not changed."""
    if fetcher is None:
        return Failure(source=url, reason="URL given but fetching is off", stage="fetch")
    try:
        answer = fetcher.get(url)
    except FetchError as exc:
        return Failure(source=url, reason=str(exc), stage="fetch")
    if answer.not_modified:
        return Unchanged(source=url, url=url)
    return RawInput(source=url, data=answer.data or b"", content_type=answer.content_type,
                    url=answer.url or url)


def iter_inputs(sources: list[str], options: ReadOptions, fetcher: Fetcher | None,
                stdin: BinaryIO | None = None) -> Iterator[RawInput | Failure | Unchanged]:
    """Every input the SOURCE arguments name, one at a time, in order."""
    for source in sources:
        if source == STDIN:
            yield read_stdin(stdin, options.max_bytes)
        elif is_url(source):
            yield fetch(source, fetcher)
        else:
            paths = expand(source)
            if paths is None:
                reason = "no files match" if _is_glob(source) else "no such file or directory"
                yield Failure(source=display_path(source), reason=reason, stage="read")
                continue
            for path in paths:
                yield path if isinstance(path, Failure) else read_file(path, options.max_bytes)


def count_inputs(sources: list[str]) -> int | None:
    """How many inputs the sources name, for a progress bar; None if any is a URL or stdin."""
    total = 0
    for source in sources:
        if source == STDIN or is_url(source):
            return None
        paths = expand(source)
        total += 1 if paths is None else sum(1 for _ in paths)
    return total
