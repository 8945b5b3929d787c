"""The ingest job: sources -> reports -> cleaned documents -> store, with a summary.

Each input (a file, a URL, a feed) is stored as a unit and marked done in the same
transaction, so an interrupted run (Ctrl-C, kill -9, power loss) leaves the store consistent
and the same command run again skips what was stored and completes the rest.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from borderwatch.clean import read_documents
from borderwatch.clean.fingerprint import Fingerprint, fingerprint
from borderwatch.extract.pipeline import extract_report, extractor_version
from borderwatch.extract.sections import SectionedSheet
from borderwatch.ingest import (
    Fetcher,
    ReadOptions,
    Unchanged,
    count_inputs,
    iter_inputs,
)
from borderwatch.ingest.http import fetcher_for
from borderwatch.model import Document, FactSheet, Failure, RawInput
from borderwatch.progress import Progress
from borderwatch.store.db import store_file, transaction, utc_now
from borderwatch.store.fetchcache import StoreFetchCache
from borderwatch.store.writer import Writer
from borderwatch.workers import AlreadyStored, InlinePool, Pool, Prepared, Preparers, digest_of, local
from borderwatch.workers import extractor as make_extractor


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run did."""

    run_id: int = 0
    read: int = 0
    stored: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)

    def tallies(self) -> str:
        """The short running tally shown beside the progress bar."""
        return (f"stored {self.stored}, duplicate {self.duplicate}, near-duplicate "
                f"{self.near_duplicate}, unchanged {self.unchanged}, failed {self.failed}")

    def count(self, status: str) -> None:
        """Tally one report the writer stored ('stored', 'near_duplicate' or 'duplicate')."""
        if status == "stored":
            self.stored += 1
        elif status == "near_duplicate":
            self.near_duplicate += 1
        else:
            self.duplicate += 1

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in
                ("run_id", "read", "stored", "duplicate", "near_duplicate", "unchanged", "failed")}


def _start_run(conn: sqlite3.Connection, command: str) -> int:
    mark_dead_runs(conn)
    cur = conn.execute("INSERT INTO runs(started_at, command, pid) VALUES (?, ?, ?)",
                       (utc_now(), command, os.getpid()))
    return int(cur.lastrowid or 0)


def mark_dead_runs(conn: sqlite3.Connection) -> int:
    """Runs still 'running' whose process is gone (killed) become 'interrupted'; return how many.
    A run from before runs recorded their process (pid NULL) is left as it is."""
    dead = []
    for run_id, pid in conn.execute("SELECT id, pid FROM runs WHERE status = 'running' AND pid IS NOT NULL"):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            dead.append((run_id,))
        except PermissionError:
            pass  # alive, another user's
    if dead:
        conn.executemany("UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'", dead)
    return len(dead)


def _finish_run(conn: sqlite3.Connection, s: IngestSummary, status: str) -> None:
    # Counted from the store, not the loop: exact even when Ctrl-C lands between a write and
    # the tally.
    s.stored, s.near_duplicate = conn.execute(
        "SELECT count(*) FILTER (WHERE near_duplicate_of IS NULL),"
        " count(*) FILTER (WHERE near_duplicate_of IS NOT NULL) FROM reports WHERE run_id = ?",
        (s.run_id,),
    ).fetchone()
    conn.execute(
        "UPDATE runs SET finished_at = ?, status = ?, read = ?, stored = ?, duplicate = ?,"
        " near_duplicate = ?, unchanged = ?, failed = ? WHERE id = ?",
        (utc_now(), status, s.read, s.stored, s.duplicate, s.near_duplicate, s.unchanged, s.failed,
         s.run_id),
    )


def ingest(
    conn: sqlite3.Connection,
    sources: list[str],
    options: ReadOptions,
    *,
    stdin: BinaryIO | None = None,
    command: str = "ingest",
    progress: Progress | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    fetcher: Fetcher | None = None,
    workers: int = 1,
) -> IngestSummary:
    """Read every source and store what is new; failures are recorded and reported, not raised.
    With `workers` > 1, local inputs are read and extracted in that many processes
    (borderwatch/workers.py) and written here in the order they were named; with one, small
    local inputs are prepared here a window at a time and written together (InlinePool)."""
    summary = IngestSummary(run_id=_start_run(conn, command))
    cache = StoreFetchCache(conn)
    fetcher = fetcher or fetcher_for(cache, options)
    writer = Writer(conn, summary.run_id)
    progress = progress or Progress(count_inputs(sources), enabled=False)

    def fail(f: Failure) -> None:
        summary.failed += 1
        if len(summary.failures) < 1000:
            summary.failures.append(f)
        writer.failure(f)
        if on_failure:
            on_failure(f)

    pool: Preparers = (Pool(workers, options, db=store_file(conn)) if workers > 1
                       else InlinePool(options, known=writer.known))

    def stored(prep: Prepared) -> None:
        _write_prepared(prep, writer, summary, fail)
        writer.maybe_commit()  # while the workers are ahead: a commit every batch or 2 s at most
        progress.note(summary.tallies())
        progress.advance()

    status = "interrupted"
    try:
        for item in iter_inputs(sources, options, fetcher, stdin):
            for prep in pool.ready():
                stored(prep)
            if isinstance(item, Failure):
                fail(item)
            elif isinstance(item, Unchanged):
                summary.unchanged += 1  # a URL that answered 304 Not Modified
            elif local(item) and pool.takes(item):
                digest = digest_of(item)
                if writer.input_unchanged(item.source, digest):
                    summary.unchanged += 1
                else:
                    while pool.full:
                        stored(pool.take(writer))
                    pool.submit(item, digest)
                    continue  # counted when its result is written
            else:
                for prep in pool.drain(writer):
                    stored(prep)  # in order: every earlier input first
                _ingest_input(item, options, fetcher, writer, cache, summary, fail)
            writer.maybe_commit()
            progress.note(summary.tallies())
            progress.advance()
        for prep in pool.drain(writer):
            stored(prep)
        status = "completed"
    finally:
        pool.close(cancel=status != "completed")
        # Keep what is done, even on Ctrl-C; an input half-read is redone by the next run.
        writer.close()
        if status == "completed":
            settle(conn)
        _finish_run(conn, summary, status)
        progress.close()
    return summary


def _ingest_input(item: RawInput, options: ReadOptions, fetcher: Fetcher, writer: Writer,
                  cache: StoreFetchCache, summary: IngestSummary,
                  fail: Callable[[Failure], None]) -> None:
    """Read, clean and store every report of one input; mark it done if nothing failed.

    Item pages are fetched and reports extracted with no transaction open; the prepared
    reports are written WRITE_CHUNK at a time, each chunk one short transaction, the last one
    with the input marked done."""
    writer.commit()
    digest = hashlib.sha256(item.data).hexdigest()
    if writer.input_unchanged(item.source, digest):
        summary.unchanged += 1
        return
    extractor = make_extractor(fail)
    prepared: list[tuple[Document, Fingerprint, tuple[FactSheet | SectionedSheet, str] | None]] = []
    ok = 0
    failed = False

    def write() -> None:
        nonlocal ok
        for doc, fp, made in prepared:
            summary.count(writer.store(doc, fp, made=made).status)
            ok += 1
        prepared.clear()

    for doc in read_documents(item, options, fetcher):
        if isinstance(doc, Failure):
            summary.read += int(doc.stage == "clean")  # read, then empty (or failed) once cleaned
            failed = True
            fail(doc)
            continue
        if isinstance(doc, Unchanged):
            summary.unchanged += 1  # a feed item whose page answered 304
            continue
        summary.read += 1
        made = None if writer.known(doc.id) else extractor(doc)
        prepared.append((doc, fingerprint(doc.text), made))
        if len(prepared) >= WRITE_CHUNK:
            write()
            writer.commit()
    write()
    if failed:
        cache.discard()
    else:
        cache.flush()
        writer.input_done(item.source, digest, ok)
    writer.commit()


WRITE_CHUNK = 50  # prepared reports per write transaction within one input


def _write_prepared(prep: Prepared, writer: Writer, summary: IngestSummary,
                    fail: Callable[[Failure], None]) -> None:
    """Store what a worker prepared from one input, WRITE_CHUNK reports a transaction, and mark
    the input done with its last one when nothing failed. The transaction stays open after it
    (the pool commits before it waits on a worker), so quick inputs share a commit."""
    summary.read += prep.read
    for f in prep.failures:
        fail(f)
    ok = 0
    extract = make_extractor(fail)  # used only for a report gone since its worker looked
    for n, (doc, fp, made) in enumerate(prep.reports, 1):
        if isinstance(made, AlreadyStored):  # when the worker looked: a duplicate, or extracted here
            summary.count(writer.store(doc, fp, extract).status)
        else:
            summary.count(writer.store(doc, fp, made=made).status)
        ok += 1
        if n % WRITE_CHUNK == 0:
            writer.commit()
    if prep.complete:
        writer.input_done(prep.source, prep.digest, ok)


def settle(conn: sqlite3.Connection) -> None:
    """After a completed run that stores reports (ingest, `load`): the search index catches up
    (a search would, too); incidents rebuilt when stale (also when nothing is new: a run killed
    during its rebuild left the mark), else what reviews made meanwhile noted for regrouping."""
    _sync_search_index(conn)
    _regroup(conn)


# Run bookkeeping other jobs that store reports share with ingest (`load`: batch/load.py).
start_run = _start_run
finish_run = _finish_run


def _sync_search_index(conn: sqlite3.Connection) -> None:
    """Apply the reports just written to the search index. Another process holding the index
    writer for long is no failure: the queue in the store keeps them until the next sync."""
    from borderwatch.store.searchindex import LOCK_WAIT_S, for_connection

    for_connection(conn, wait_s=LOCK_WAIT_S)


def _regroup(conn: sqlite3.Connection) -> None:
    """Incidents are derived from events: regroup what the run's new reports (and reviews a
    killed server left noted) can have changed, or rebuild them all after a re-extraction or
    when the new reports are much of the store (store/incidents.catch_up). Then every watchlist
    records what the new reports brought (issue 8: watchlists watch on their own, not only
    through `borderwatch watch`)."""
    from borderwatch.store.incidents import catch_up
    from borderwatch.store.watchlists import run_watchlists

    catch_up(conn)
    run_watchlists(conn)


def print_summary(s: IngestSummary, stream=None) -> None:
    """The closing summary of an ingest run."""
    stream = stream or sys.stderr
    stream.write(
        f"read {s.read}, stored {s.stored}, duplicate {s.duplicate}, near-duplicate "
        f"{s.near_duplicate}, unchanged {s.unchanged}, failed {s.failed}\n"
    )


@dataclass(slots=True)
class ReextractSummary:
    """What one reextract run did."""

    reports: int = 0
    events: int = 0
    failed: int = 0
    kept_reviewed: int = 0


REEXTRACT_CHUNK = 20  # reports extracted, then written in one transaction


def reextract(conn: sqlite3.Connection, *, only_stale: bool = False,
              progress: Progress | None = None,
              on_failure: Callable[[Failure], None] | None = None) -> ReextractSummary:
    """Re-run extraction over stored reports in place; reviewed and analyst facts are kept."""
    from borderwatch.store.queries import iter_documents

    version = extractor_version()
    s = ReextractSummary()
    stale = None
    if only_stale:  # read only those (edit_details re-extracts one report of a large store)
        stale = {r[0] for r in conn.execute(
            "SELECT r.id FROM reports r LEFT JOIN extractions x ON x.report_id = r.id"
            " WHERE x.version IS NULL OR x.version <> ?", (version,))}
    total = len(stale) if stale is not None else conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    progress = progress or Progress(total, enabled=False, label="reextract")
    # iter_documents pages by rowid, and writes touch only fact tables. Reports are extracted
    # REEXTRACT_CHUNK at a time with no transaction open, then written through the writer in one
    # short one (issue 9: the write lock is never held while extracting).
    writer = Writer(conn, None)
    chunk: list[tuple[FactSheet | SectionedSheet, str]] = []

    def write() -> None:
        while chunk:
            writer.replace_facts(chunk.pop(0))
        writer.commit()

    try:
        for doc in iter_documents(conn, ids=stale):
            progress.advance()
            try:
                sheet = extract_report(doc)
            except Exception as exc:  # noqa: BLE001 - one bad report must not stop the run
                s.failed += 1
                if on_failure:
                    on_failure(Failure(doc.source, f"extraction failed: {exc}", "extract"))
                continue
            chunk.append((sheet, version))
            s.reports += 1
            s.events += sheet.event_count if isinstance(sheet, SectionedSheet) else len(sheet.events)
            if len(chunk) >= REEXTRACT_CHUNK:
                write()
        write()
    finally:
        for sheet, _ in chunk:  # extracted, not written (interrupted): their spools go
            if isinstance(sheet, SectionedSheet):
                sheet.discard()
        writer.close()  # keep what is written, even on Ctrl-C
        progress.close()
    _regroup(conn)
    s.kept_reviewed = conn.execute(
        "SELECT (SELECT count(*) FROM events WHERE review IS NOT NULL OR origin <> 'extracted')"
        " + (SELECT count(*) FROM mentions WHERE review IS NOT NULL OR origin <> 'extracted')"
    ).fetchone()[0]
    return s


def edit_details(conn: sqlite3.Connection, report_id: str, changes: dict[str, Any],
                 user: str) -> dict[str, Any]:
    """Correct a report's title, publication date or outlet (logged), then re-extract it when
    its facts depend on the change: dates and dollar values resolve against the publication
    date, sources against the outlet. Reviewed facts are kept, as in every re-extraction."""
    from borderwatch.store.review import edit_report

    before = dict(conn.execute("SELECT published, outlet FROM reports WHERE id = ?",
                               (report_id,)).fetchone() or {})
    out = edit_report(conn, report_id, changes, user)
    if any(k in out and out[k] != before.get(k) for k in ("published", "outlet")):
        reextract_reports(conn, [report_id])
    return out


def reextract_reports(conn: sqlite3.Connection, report_ids: list[str]) -> None:
    """Re-extract these reports (their facts depend on something an analyst changed); this
    also regroups incidents and runs the watchlists."""
    with transaction(conn):
        conn.executemany("UPDATE extractions SET version = '' WHERE report_id = ?",
                         [(r,) for r in report_ids])
    reextract(conn, only_stale=True)


def undo(conn: sqlite3.Connection, review_id: int, user: str) -> dict[str, Any]:
    """Undo a review (store/undo.py), then bring what is derived from the facts up to date: a
    report whose publication date or outlet went back, or whose replaced facts the undone review
    had touched, is re-extracted; otherwise incidents are regrouped when events may have moved.
    Incident splits and merges are undone the same way: their pins go back, and the rebuild
    groups the events as the earlier pins (or the automatic rule) say."""
    from borderwatch.store.incidents import rebuild_incidents, regroup_pending
    from borderwatch.store.review import get_review
    from borderwatch.store.undo import undo_review

    out = undo_review(conn, review_id, user)
    redo = set(out["reextract"])
    if {"published", "outlet"} & set(out["columns"].get("reports", ())):
        redo.add(get_review(conn, review_id)["report_id"])
    if redo:
        reextract_reports(conn, sorted(redo))
    elif "incident_pins" in out["tables"]:
        rebuild_incidents(conn)
    else:  # what the undo noted (nothing when no grouping row changed)
        regroup_pending(conn)
    return out
