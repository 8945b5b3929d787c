"""`borderwatch load DIR`: a batch's Parquet output into the store, through the store's writer.

Partitions are loaded in the order they were planned (the order ingest would have read them,
so the same report decides which of two copies is the original). Each report is rebuilt as its
Document and FactSheet (`tables.document_of`, `tables.sheet_of`) and given to `Writer.store`
exactly as ingest gives it a prepared report: its fingerprint, near-duplicate link, facts,
claims, FTS row and incidents follow as after an ingest.

Idempotent and resumable the way ingest is: a partition is an input of the store's `inputs`
table (`batch:<partition>`, digest of its marker), marked done in the same transaction as its
last reports and its failure rows; a report already stored (by its id, the hash of its text) is
a duplicate, not a second row. A load killed at any moment leaves whole transactions; the same
command again skips finished partitions and stores what is missing. Reports are written
WRITE_CHUNK to a transaction, so other writers (reviews) wait at most one chunk.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from borderwatch.batch.output import markers
from borderwatch.batch.tables import FACT_TABLES, document_of, sheet_of
from borderwatch.clean.fingerprint import fingerprint
from borderwatch.jobs import WRITE_CHUNK, IngestSummary, finish_run, settle, start_run
from borderwatch.model import Failure
from borderwatch.store.writer import Writer


@dataclass(slots=True)
class LoadSummary:
    partitions: int = 0
    unchanged: int = 0  # loaded by an earlier run
    loaded: int = 0
    stored: int = 0
    duplicate: int = 0
    failures: int = 0

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__slots__}


def _read(out: Path, files: list[str], table: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for rel in files:
        if rel.split("/", 1)[0] == table:
            rows.extend(pq.read_table(out / rel).to_pylist())
    return rows


def load(conn: sqlite3.Connection, out: str, *, command: str = "load",
         on_partition: Callable[[int], None] | None = None) -> LoadSummary:
    """Store every done partition of the batch in `out` not loaded yet; see the module's doc."""
    root = Path(out)
    summary = LoadSummary()
    run = IngestSummary(run_id=start_run(conn, command))
    writer = Writer(conn, run.run_id)
    status = "interrupted"
    try:
        for marker in markers(out):
            summary.partitions += 1
            pid = marker["partition"]["id"]
            source = f"batch:{pid}"
            digest = hashlib.sha256(json.dumps(marker, sort_keys=True).encode()).hexdigest()
            if writer.input_unchanged(source, digest):
                summary.unchanged += 1
                continue
            _load_partition(root, marker, writer, summary, run)
            writer.input_done(source, digest, len(marker["files"]))
            for f in _read(root, marker["files"], "failures"):
                writer.failure(Failure(f["source"], f["reason"], f["stage"]))
                summary.failures += 1
                run.failed += 1
            writer.commit()  # the partition's last reports, its failures and its mark, together
            summary.loaded += 1
            if on_partition:
                on_partition(summary.loaded)
        status = "completed"
    finally:
        writer.close()
        if status == "completed":
            settle(conn)
        finish_run(conn, run, status)
    return summary


def _load_partition(root: Path, marker: dict[str, Any], writer: Writer, summary: LoadSummary,
                    run: IngestSummary) -> None:
    files = marker["files"]
    facts: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for table in FACT_TABLES:
        for row in _read(root, files, table):
            facts[row["report_id"]][table].append(row)
    reports = sorted(_read(root, files, "reports"), key=lambda r: r["position"])  # read order
    for n, row in enumerate(reports, 1):
        doc = document_of(row)
        run.read += 1
        made = None
        if row["extractor"] is not None and not writer.known(doc.id):
            made = (sheet_of(doc, row["topics"], facts.pop(doc.id, {})), row["extractor"])
        status = writer.store(doc, fingerprint(doc.text), made=made).status
        run.count(status)
        if status == "duplicate":
            summary.duplicate += 1
        else:
            summary.stored += 1
        if n % WRITE_CHUNK == 0 and n < len(reports):
            writer.commit()
