"""All writes of ingested reports go through here, in short transactions.

The write lock is taken only to write: a report's facts are extracted before its transaction
opens (`store` extracts first, `known` lets a caller skip extracting what is stored already),
and ingest writes each input's reports in chunks, each chunk one transaction, with nothing
fetched or extracted while it is open (issue 9: other writers waited on a lock held through
downloads and extraction). An input (a file, a URL, a feed) is marked done in `inputs` in the
same transaction as its last report, so after a crash a re-run skips exactly what was
committed and redoes the rest.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from borderwatch.clean.fingerprint import Fingerprint
from borderwatch.extract.sections import SectionedSheet
from borderwatch.model import Document, FactSheet, Failure
from borderwatch.store.claim_table import add_claim_counts, refresh_claims
from borderwatch.store.db import utc_now
from borderwatch.store.facts import FactRows, note_events_gone, write_facts

_NON_SPACE = re.compile(r"\S+")


# Longer texts are counted without making the list of their words (200 MB for a 19 MB text);
# shorter ones with str.split, 7 against 51 microseconds for a 300-word report.
WORD_COUNT_SPLIT_MAX = 1_000_000


def word_count(text: str) -> int:
    """len(text.split())."""
    if len(text) <= WORD_COUNT_SPLIT_MAX:
        return len(text.split())
    return sum(1 for _ in _NON_SPACE.finditer(text))

# Makes a report's fact sheet; returns None when extraction failed (the report is kept).
# A report's facts and the extractor version that made them (a long report's in sections)
Extractor = Callable[[Document], "tuple[FactSheet | SectionedSheet, str] | None"]

NEAR_THRESHOLD = 0.5  # estimated Jaccard of word 3-shingles above which a copy is linked
MAX_PER_BAND = 200  # reports read per matching band key (a key shared by more is boilerplate)
MAX_CANDIDATES = 25  # candidates compared on the full signature, most shared bands first
# SQLite's page cache for the writer's connection (SQLite's default is 2 MiB). Each report
# inserts into some 25 indexes whose pages a growing store no longer holds in 2 MiB; with 64
# MiB the writer's CPU a report was 10-15 % lower from 2,000 to 6,000 synthetic reports.
WRITER_CACHE_MIB = 64


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What happened to one document: stored, duplicate or near_duplicate (stored and linked)."""

    status: str
    id: str
    near_of: str | None = None
    similarity: float | None = None


class Writer:
    """The single writer of the ingest path: one connection, explicit transactions."""

    def __init__(self, conn: sqlite3.Connection, run_id: int | None, batch_size: int = 200,
                 batch_seconds: float = 0.5) -> None:  # short: reviews wait for this lock
        self.conn = conn
        # the connection is the caller's (a web request's, for one report's re-extraction):
        # close() gives it back its own cache size
        self._cache_before = conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_MIB * 1024}")
        self.run_id = run_id
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self._pending = 0
        self._opened = 0.0
        # reports whose facts this batch wrote: their claims are derived once for all of them,
        # before the batch commits (one read of each fact table per batch, not per report)
        self._claims_due: list[str] = []
        # new reports whose claims came with their rows (a worker derived them): only their
        # counts are added, once for the batch
        self._counts_due: list[str] = []
        # reports with new facts (stored, or re-extracted: the incidents their old events were
        # in are noted as they are replaced), noted for store/incidents.catch_up (migration 0023)
        self._new_facts: list[str] = []

    # --- transactions ------------------------------------------------------------------------
    def _begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self._opened = time.monotonic()
            self._pending = 0

    def maybe_commit(self) -> None:
        """Commit when the batch is full or old; called between inputs."""
        if self.conn.in_transaction and (
            self._pending >= self.batch_size or time.monotonic() - self._opened >= self.batch_seconds
        ):
            self.commit()

    def time_left(self) -> float:
        """Seconds before the open batch is due to commit (0 when none is open): how long the
        ingest loop may wait for a worker's result with the batch, and the lock, held."""
        if not self.conn.in_transaction:
            return 0.0
        return max(0.0, self.batch_seconds - (time.monotonic() - self._opened))

    def commit(self) -> None:
        """Make everything written so far durable; in the same transaction, the batch's reports
        with new facts are noted for regrouping (a kill before the regroup leaves the notes:
        store/incidents.catch_up)."""
        if self.conn.in_transaction:
            if self._claims_due:
                refresh_claims(self.conn, self._claims_due)
            if self._counts_due:
                add_claim_counts(self.conn, self._counts_due)
            self.conn.executemany("INSERT OR IGNORE INTO incidents_due(report_id) VALUES (?)",
                                  [(r,) for r in self._new_facts])
            self.conn.execute("COMMIT")
        self._forget_batch()

    def close(self) -> None:
        """Commit what is written and give the connection back its own page cache size (a
        pooled web connection that kept 64 MiB after a re-extraction would keep the memory)."""
        self.commit()
        self.conn.execute(f"PRAGMA cache_size = {int(self._cache_before)}")

    def _forget_batch(self) -> None:
        self._pending = 0
        self._claims_due.clear()
        self._counts_due.clear()
        self._new_facts.clear()

    def rollback(self) -> None:
        """Drop the open batch (used when the run is interrupted by an exception)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._forget_batch()

    # --- inputs ------------------------------------------------------------------------------
    def input_unchanged(self, source: str, digest: str) -> bool:
        """True when this exact input (same source, same bytes) was fully stored before."""
        row = self.conn.execute("SELECT digest FROM inputs WHERE source = ?", (source,)).fetchone()
        return row is not None and row[0] == digest

    def input_done(self, source: str, digest: str, reports: int) -> None:
        """Record that every report of `source` is stored (same transaction as the reports)."""
        self._begin()
        self.conn.execute(
            "INSERT INTO inputs(source, digest, reports, stored_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(source) DO UPDATE SET digest = excluded.digest,"
            " reports = excluded.reports, stored_at = excluded.stored_at",
            (source, digest, reports, utc_now()),
        )

    def failure(self, failure: Failure) -> None:
        """Record an input that could not be read (committed at once unless a batch is open)."""
        own = not self.conn.in_transaction
        self._begin()
        self.conn.execute(
            "INSERT INTO failures(run_id, source, stage, reason, at) VALUES (?, ?, ?, ?, ?)",
            (self.run_id, failure.source, failure.stage, failure.reason, utc_now()),
        )
        if own:
            self.conn.execute("COMMIT")
        else:
            self._pending += 1

    def known(self, report_id: str) -> bool:
        """True when a report with this id (the hash of its text) is stored already."""
        return self.conn.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is not None

    # --- re-extraction -----------------------------------------------------------------------
    def replace_facts(self, made: tuple[FactSheet | SectionedSheet, str]) -> None:
        """A stored report's facts extracted again (reviewed and analyst facts kept), in the
        open batch; a savepoint keeps the report's facts all or nothing. Extract before calling:
        the batch is the write lock, and it is held only while writing."""
        sheet, version = made
        try:
            self._begin()
            self.conn.execute("SAVEPOINT facts")
            try:
                # the incidents its old events are in: they are regrouped with the report's
                # new events (store/incidents.catch_up), not every incident rebuilt
                note_events_gone(self.conn, sheet.document.id)
                write_facts(self.conn, sheet, version, claims=False)
            except BaseException:
                self.conn.execute("ROLLBACK TO facts")
                self.conn.execute("RELEASE facts")
                raise
            self.conn.execute("RELEASE facts")
            self._claims_due.append(sheet.document.id)
            self._new_facts.append(sheet.document.id)
            self._pending += 1
        finally:
            if isinstance(sheet, SectionedSheet):
                sheet.discard()

    # --- reports -----------------------------------------------------------------------------
    def store(self, doc: Document, fp: Fingerprint, extractor: Extractor | None = None, *,
              made: tuple[FactSheet | SectionedSheet | FactRows, str] | None = None) -> StoreResult:
        """Store one cleaned report unless its text is already stored; all of it or nothing.

        Its facts are `made` by the caller, or extracted here by `extractor` before the write
        transaction opens (only for a report not stored yet). A savepoint per report means an
        interruption mid-report (Ctrl-C) rolls back just that report, and the batch around it
        can still be committed whole.
        """
        if made is None and extractor is not None and not self.known(doc.id):
            made = extractor(doc)
        try:
            self._begin()
            self.conn.execute("SAVEPOINT report")
            try:
                result = self._store(doc, fp, made)
            except BaseException:
                self.conn.execute("ROLLBACK TO report")
                self.conn.execute("RELEASE report")
                for due in (self._claims_due, self._counts_due, self._new_facts):
                    if doc.id in due:
                        due.remove(doc.id)
                raise
            self.conn.execute("RELEASE report")
            return result
        finally:
            if made is not None and isinstance(made[0], SectionedSheet):
                made[0].discard()  # a long report's spooled sections, written or not

    def _store(self, doc: Document, fp: Fingerprint,
               made: tuple[FactSheet | SectionedSheet | FactRows, str] | None) -> StoreResult:
        now = utc_now()
        exists = self.conn.execute("SELECT 1 FROM reports WHERE id = ?", (doc.id,)).fetchone()
        if exists:
            self.conn.execute(
                "INSERT OR IGNORE INTO report_sources(report_id, source, first_seen) VALUES (?, ?, ?)",
                (doc.id, doc.source, now),
            )
            return StoreResult("duplicate", doc.id)
        near_of, sim = self._nearest(fp)
        c = self.conn
        c.execute(
            "INSERT INTO reports(id, source, url, title, outlet, author, published, language,"
            " format, encoding, text, words, removed, near_duplicate_of, near_similarity,"
            " ingested_at, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.id, doc.source, doc.url, doc.title, doc.outlet, doc.author, doc.published,
             doc.language, doc.format, doc.encoding, doc.text, word_count(doc.text),
             json.dumps(list(doc.removed), ensure_ascii=False), near_of, sim, now, self.run_id),
        )
        c.execute("INSERT INTO report_sources(report_id, source, first_seen) VALUES (?, ?, ?)",
                  (doc.id, doc.source, now))
        c.executemany("INSERT OR IGNORE INTO report_tags(report_id, tag, position) VALUES (?, ?, ?)",
                      [(doc.id, t, i) for i, t in enumerate(doc.tags)])
        c.executemany("INSERT INTO report_captions(report_id, position, text) VALUES (?, ?, ?)",
                      [(doc.id, i, t) for i, t in enumerate(doc.captions)])
        c.executemany('INSERT INTO sentences(report_id, idx, start, "end") VALUES (?, ?, ?, ?)',
                      ((doc.id, i, s.start, s.end) for i, s in enumerate(doc.sentences)))
        c.execute("INSERT INTO report_minhash(report_id, signature) VALUES (?, ?)",
                  (doc.id, fp.signature))
        c.executemany("INSERT OR IGNORE INTO minhash_bands(band, key, report_id) VALUES (?, ?, ?)",
                      [(b, k, doc.id) for b, k in enumerate(fp.bands)])
        if made is not None:  # a duplicate's facts are stored already
            # (report row inserted above) claims come with a worker's rows, else are derived
            if write_facts(c, made[0], made[1], new_report=True, claims=False):
                self._counts_due.append(doc.id)
            else:
                self._claims_due.append(doc.id)
            self._new_facts.append(doc.id)
        self._pending += 1
        if near_of:
            return StoreResult("near_duplicate", doc.id, near_of, sim)
        return StoreResult("stored", doc.id)

    def _nearest(self, fp: Fingerprint) -> tuple[str | None, float | None]:
        """The most similar stored report above NEAR_THRESHOLD (following links to the first).

        One indexed lookup per band (the primary key is band, key, report_id), so the cost does
        not grow with the store; reports sharing the most bands are compared first, at most
        MAX_CANDIDATES of them on the full signature.
        """
        hits: dict[str, int] = {}
        for band, key in enumerate(fp.bands):
            for (rid,) in self.conn.execute(
                    "SELECT report_id FROM minhash_bands WHERE band = ? AND key = ? LIMIT ?",
                    (band, key, MAX_PER_BAND)):
                hits[rid] = hits.get(rid, 0) + 1
        best, best_sim = None, 0.0
        for rid in sorted(hits, key=lambda r: -hits[r])[:MAX_CANDIDATES]:
            row = self.conn.execute("SELECT signature FROM report_minhash WHERE report_id = ?",
                                    (rid,)).fetchone()
            sim = fp.similarity(row[0]) if row else 0.0
            if sim > best_sim:
                best, best_sim = rid, sim
        if best is None or best_sim < NEAR_THRESHOLD:
            return None, None
        root = self.conn.execute(
            "SELECT coalesce(near_duplicate_of, id) FROM reports WHERE id = ?", (best,)
        ).fetchone()[0]
        return root, round(best_sim, 3)
