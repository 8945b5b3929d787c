"""A batch's output folder: Parquet files by table and month, and a marker per done partition.

    OUT/reports/month=2024-03/part-<partition>.parquet   (and places/, goods/, events/, …)
    OUT/failures/part-<partition>.parquet
    OUT/_done/<partition>.json                           (what the partition wrote)

Hive-style `month=YYYY-MM` folders, so DuckDB (`hive_partitioning`), pandas and
`pyarrow.dataset` open a table's folder as is and can read one month without the rest. Folders
starting with `_` (the markers, `_tmp`) are skipped by those readers.

A partition's files are written under `_tmp/` and renamed into place, then its marker is written
the same way, last: a kill at any moment leaves either the marker (everything is there) or no
marker (the partition is redone, and its files, named by the partition, are replaced rather than
doubled). Readers that must not see a half-finished partition (`load`) go by the markers.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from borderwatch.batch.partitions import Partition
from borderwatch.batch.tables import Rows

DONE = "_done"
TMP = "_tmp"


def file_name(table: str, month: str, pid: str) -> str:
    """A partition's file of one table and month, relative to the output folder."""
    return f"{table}/month={month}/part-{pid}.parquet" if month else f"{table}/part-{pid}.parquet"


def _replace_json(path: Path, value: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def commit(out: str, p: Partition, rows: Rows, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write a partition's rows as Parquet files and mark it done; returns its marker."""
    import pyarrow.parquet as pq

    root = Path(out)
    tmp = root / TMP / p.id
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    files: list[str] = []
    counts: dict[str, int] = {}
    for table, month, arrow in rows.tables():
        rel = file_name(table, month, p.id)
        pq.write_table(arrow, tmp / rel.replace("/", "__"))
        files.append(rel)
        counts[table] = counts.get(table, 0) + arrow.num_rows
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / rel.replace("/", "__"), root / rel)
    shutil.rmtree(tmp, ignore_errors=True)
    marker = {"partition": p.to_dict(), "files": sorted(files), "rows": counts, **(extra or {})}
    (root / DONE).mkdir(parents=True, exist_ok=True)
    _replace_json(root / DONE / f"{p.id}.json", marker)
    return marker


def done_ids(out: str) -> set[str]:
    """The partitions a previous run finished."""
    folder = Path(out) / DONE
    return {f.stem for f in folder.glob("*.json")} if folder.is_dir() else set()


def markers(out: str) -> Iterator[dict[str, Any]]:
    """Every done partition's marker, in plan order (a split partition's parts after it)."""
    found = [json.loads(f.read_text(encoding="utf-8")) for f in (Path(out) / DONE).glob("*.json")]
    found.sort(key=lambda m: (m["partition"]["seq"], m["partition"]["sub"]))
    yield from found


def drop_files(out: str, pid: str) -> None:
    """Remove the files a partition left without finishing (before its parts replace it)."""
    for path in glob.glob(os.path.join(glob.escape(out), "*", "**", f"part-{pid}.parquet"), recursive=True):
        os.remove(path)
