"""A batch's partitions: bounded lists of inputs, named so a rerun knows which are done.

A partition is a run of files of a folder, a range of lines of a JSON Lines file (by byte
offsets, so a worker reads only its part), or a range of rows of one row group of a Parquet
file. Its id digests what it covers and the size and modification time of its files: the same
command over the same files plans the same ids (a rerun skips what is done), and a file that
changed gets new ones. Planning reads no report: a folder is listed, a JSON Lines file is scanned
for line ends, a Parquet file's footer is read.

`split` cuts a partition into partitions of one input each: when a worker dies on a partition,
its inputs are tried one by one, so only the input that kills a worker is lost (recorded as a
failure), not its neighbours.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace

from borderwatch.ingest.sources import STDIN, display_path, expand, is_url, read_file
from borderwatch.model import Document, Failure, RawInput

LINE_FILES = (".jsonl", ".ndjson")
PARQUET_FILES = (".parquet",)
_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class Partition:
    """Some inputs for one task. kind `files`: `paths`; `lines`: bytes [start, stop) of
    paths[0], whose first line is line `first`; `rows`: rows [start, stop) of row group `group`
    of paths[0], the first of them row `first` of the file (lines and rows count from 1)."""

    id: str
    seq: int  # its place in the plan: `load` stores partitions in this order, as ingest would
    kind: str
    paths: tuple[str, ...]
    start: int = 0
    stop: int = 0
    first: int = 1
    group: int = 0
    sub: int = -1  # the index of a one-input part of partition `seq` (split), -1 for a whole one

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Partition:
        return cls(**{**d, "paths": tuple(d["paths"])})  # type: ignore[arg-type]


def _stamp(path: str) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns]


def _make(seq: int, kind: str, paths: tuple[str, ...], **where: int) -> Partition:
    key = json.dumps([kind, [[os.path.abspath(p), _stamp(p)] for p in paths], sorted(where.items())])
    pid = hashlib.sha256(key.encode()).hexdigest()[:20]
    return Partition(pid, seq, kind, paths, **where)


def plan(sources: list[str], size: int) -> Iterator[Partition | Failure]:
    """The partitions of every SOURCE (files, folders, globs), in order; a source that names
    nothing or cannot be read is a Failure. At most `size` files, lines or rows a partition."""
    seq = 0
    files: list[str] = []

    def flush() -> Iterator[Partition]:
        nonlocal seq
        if files:
            yield _make(seq, "files", tuple(files))
            seq += 1
            files.clear()

    for source in sources:
        if source == STDIN or is_url(source):
            yield Failure(source, "batch reads files, folders and globs (ingest reads URLs and stdin)", "read")
            continue
        paths = expand(source)
        if paths is None:
            yield Failure(display_path(source), "no such file or directory", "read")
            continue
        for path in paths:
            if isinstance(path, Failure):
                yield path
                continue
            lower = path.lower()
            if not lower.endswith(LINE_FILES + PARQUET_FILES):
                files.append(path)
                if len(files) >= size:
                    yield from flush()
                continue
            yield from flush()
            try:
                ranges = _line_ranges(path, size) if lower.endswith(LINE_FILES) else _row_ranges(path, size)
                for kind, where in ranges:
                    yield _make(seq, kind, (path,), **where)
                    seq += 1
            except (OSError, ValueError) as exc:  # pyarrow's errors are OSError or ValueError
                yield Failure(display_path(path), f"cannot read: {exc}", "read")
    yield from flush()


def _line_ranges(path: str, size: int) -> Iterator[tuple[str, dict[str, int]]]:
    """Byte ranges of `size` lines each (by line ends, read a block at a time)."""
    start = offset = 0
    first = line = 1
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            at = -1
            while (at := block.find(b"\n", at + 1)) != -1:
                line += 1
                if line - first == size:
                    yield "lines", {"start": start, "stop": offset + at + 1, "first": first}
                    start, first = offset + at + 1, line
            offset += len(block)
    if offset > start:
        yield "lines", {"start": start, "stop": offset, "first": first}


def _row_ranges(path: str, size: int) -> Iterator[tuple[str, dict[str, int]]]:
    """Row ranges of at most `size` rows within each row group of a Parquet file."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    row = 1
    for g in range(meta.num_row_groups):
        n = meta.row_group(g).num_rows
        for a in range(0, n, size):
            yield "rows", {"group": g, "start": a, "stop": min(n, a + size), "first": row + a}
        row += n


def split(p: Partition) -> list[Partition]:
    """The partition as partitions of one input each (a file, a line, a row)."""
    if p.kind == "files":
        parts = [replace(p, paths=(path,)) for path in p.paths]
    elif p.kind == "rows":
        parts = [replace(p, start=r, stop=r + 1, first=p.first + r - p.start) for r in range(p.start, p.stop)]
    else:
        parts = []
        with open(p.paths[0], "rb") as fh:
            fh.seek(p.start)
            offset, line = p.start, p.first
            for text in fh.read(p.stop - p.start).splitlines(keepends=True):
                parts.append(replace(p, start=offset, stop=offset + len(text), first=line))
                offset += len(text)
                line += 1
    return [replace(part, id=f"{p.id}-{k}", sub=k) for k, part in enumerate(parts)]


def label(p: Partition) -> str:
    """The inputs of a partition as a failure names them: a file, `path:LINE`, `path:ROW`."""
    path = display_path(p.paths[0])
    if p.kind == "files":
        return path if len(p.paths) == 1 else f"{path} and {len(p.paths) - 1} more files"
    if p.sub >= 0:
        return f"{path}:{p.first}"
    return f"{path} ({p.kind} from {p.first})"


def read(p: Partition, max_bytes: int) -> Iterator[tuple[RawInput | Failure, int]]:
    """The raw inputs of a partition, each with the number to add to its records' line or row
    numbers (JSON Lines numbers records from 1 within the bytes it is given)."""
    if p.kind == "files":
        for path in p.paths:
            yield read_file(path, max_bytes), 0
        return
    path = p.paths[0]
    name = display_path(path)
    if p.kind == "lines":
        with open(path, "rb") as fh:
            fh.seek(p.start)
            data = fh.read(p.stop - p.start)
    else:
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(path).read_row_group(p.group).slice(p.start, p.stop - p.start).to_pylist()
        data = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows).encode()
    yield RawInput(source=name, data=data, format_hint="jsonl"), p.first - 1


def renumber(item: Document | Failure, source: str, shift: int) -> Document | Failure:
    """A record read from part of a JSON Lines file named by its line in the whole file:
    `path:3` of a range starting at line 1001 is `path:1003`, as `extract` of the file names it."""
    if shift and item.source.startswith(source + ":"):
        n = item.source[len(source) + 1:]
        if n.isdigit():
            return replace(item, source=f"{source}:{int(n) + shift}")
    return item
