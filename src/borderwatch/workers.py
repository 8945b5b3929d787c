"""Reading, cleaning and extraction in worker processes, with one writer (issue 11).

Extraction is most of an ingest's work and needs nothing from the store (but whether it holds a
report already, read-only: then it is not extracted again), so `ingest --workers N` hands each
local input (a file of one or many reports) to a pool of N processes and writes
what comes back in the order the inputs were named, through the one Writer of the main process:
SQLite has one writer at a time, and the order keeps runs reproducible (which of two identical
reports is the original, which the duplicate).

Inputs that may need the network (URLs, feeds whose items' pages are fetched) stay in the main
process, which holds the fetch cache. The writer holds a transaction open at most its batch's
time (Writer.batch_seconds): when the next result is not ready, it waits for it only as long as
the batch has left, then commits before it blocks, so other writers (reviews, `user add`) get
the lock whenever the workers are behind. Committing at every wait instead (each 7 reports or
so, since two workers seldom have the next result ready) spent 14 of a 32-second ingest in
COMMIT, writing the same index pages again and again.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import queue
import signal
import sqlite3
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as connection_wait
from pathlib import Path
from typing import Protocol, cast

from borderwatch.clean import read_documents
from borderwatch.clean.fingerprint import Fingerprint, fingerprint
from borderwatch.extract.pipeline import extract_report, extractor_version
from borderwatch.extract.sections import SectionedSheet
from borderwatch.ingest import ReadOptions
from borderwatch.ingest.detect import detect_format
from borderwatch.model import Document, FactSheet, Failure, RawInput
from borderwatch.store.claim_rows import with_claims
from borderwatch.store.facts import FactRows, fact_rows


@dataclass(frozen=True, slots=True)
class AlreadyStored:
    """In place of a report's facts: they were not made, because the store held the report
    already (a file moved or renamed, a folder copied). The writer stores it as a duplicate,
    or extracts it after all if it is gone by then (store/writer.Writer.store's extractor)."""


STORED = AlreadyStored()
Made = tuple[FactSheet | SectionedSheet | FactRows, str] | AlreadyStored | None

STOP_WAIT_S = 5.0  # how long an interrupted run waits for a terminated worker to go
PARENT_CHECK_S = 1.0  # how often a worker checks that the process that started it is alive
INPUTS_PER_WORKER = 8  # `--workers auto` starts a worker per this many inputs, up to the cores
# Inputs in flight per worker: enough that a worker never waits while the writer commits or
# derives a batch's claims, and at most WINDOW_BYTES of input held (memory stays flat with large
# files). 16 against 4: 5,000 real-length reports with 2 workers in 30.6 s against 32.9 s; 64
# against 16: 1.85-1.88 cores busy against 1.79-1.80 (three runs each, alternating).
WINDOW_PER_WORKER = 64
WINDOW_BYTES = 64_000_000
# Test-only: a worker that reads a report containing this environment variable's value dies
# on it (os._exit), as a crash in native code would (tests/cli/test_workers.py). Unset in use.
CRASH_MARKER_ENV = "BORDERWATCH_TEST_WORKER_DIES_ON"
HANG_MARKER_ENV = "BORDERWATCH_TEST_WORKER_HANGS_ON"  # a report a worker never finishes (tests)
INLINE_WINDOW = 64  # small inputs prepared, then written in one transaction, by `--workers 1`
INLINE_MAX_BYTES = 1_000_000  # a larger input is written in chunks as it is read (memory stays flat)
MAX_CRASHED_REPORTS = 20  # reports of one input left out after killing a worker, then the input fails
CRASHED = ("worker died while preparing this report (a crash in extraction); the rest of its"
           " input is stored, the next run tries it again")
CRASHED_INPUT = ("worker died while preparing this input (a crash in reading or extraction);"
                 " nothing of it is stored, the next run tries it again")


class OpenBatch(Protocol):
    """The writer's open transaction, as a pool sees it (store.writer.Writer is one)."""

    def commit(self) -> None:
        """End the batch: what is written is durable and the write lock is free."""

    def time_left(self) -> float:
        """Seconds before the open batch is due to commit (0 when none is open)."""


class Preparers(Protocol):
    """What the ingest loop needs of a pool: Pool (worker processes) and InlinePool (this one)."""

    def takes(self, item: RawInput) -> bool: ...
    def submit(self, item: RawInput, digest: str) -> None: ...
    @property
    def full(self) -> bool: ...
    def ready(self) -> Iterable[Prepared]: ...
    def take(self, batch: OpenBatch) -> Prepared: ...
    def drain(self, batch: OpenBatch) -> Iterator[Prepared]: ...
    def close(self, cancel: bool = False) -> None: ...


@dataclass(slots=True)
class Prepared:
    """One input read, cleaned and extracted: what the writer stores, and what went wrong."""

    source: str
    digest: str
    # each report with its fingerprint and facts (made here, not by the writer)
    reports: list[tuple[Document, Fingerprint, Made]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    read: int = 0
    complete: bool = True  # every report read and cleaned (a failed extraction still stores it)


def extractor(fail: Callable[[Failure], None]
              ) -> Callable[[Document], tuple[FactSheet | SectionedSheet, str] | None]:
    """Extraction for the writer: a bug in a finder costs the report's facts, not the report."""
    version = extractor_version()

    def run(doc: Document) -> tuple[FactSheet | SectionedSheet, str] | None:
        try:
            return extract_report(doc), version
        except Exception as exc:  # noqa: BLE001 - recorded with the source, run goes on
            fail(Failure(doc.source, f"extraction failed ({type(exc).__name__}: {exc});"
                         " report stored without facts", "extract"))
            return None

    return run


def prepare(item: RawInput, options: ReadOptions, digest: str, skip: frozenset[int] = frozenset(),
            progress: str | None = None, known: Callable[[str], bool] | None = None) -> Prepared:
    """Every report of one local input, read, cleaned, extracted and fingerprinted (runs in a
    worker; no network, and the store only read, through `known`: a report it holds already is
    not extracted again, its facts are STORED). After a worker died on the input, it is prepared
    again with `progress`, a file where the number of reports finished so far is kept, so the
    writer can tell which report killed it; that one is then in `skip`: recorded as failed, not
    extracted."""
    out = Prepared(item.source, digest)
    run = extractor(out.failures.append)
    known = known or _store_holds
    crash_on = os.environ.get(CRASH_MARKER_ENV)
    hang_on = os.environ.get(HANG_MARKER_ENV)
    for k, doc in enumerate(read_documents(item, options, None)):
        if progress is not None:
            Path(progress).write_text(str(k), encoding="ascii")
        if k in skip and isinstance(doc, Document):
            out.read += 1
            out.failures.append(Failure(doc.source, CRASHED, "extract"))
            out.complete = False
            continue
        if crash_on and isinstance(doc, Document) and crash_on in doc.text:
            os._exit(70)
        if hang_on and isinstance(doc, Document) and hang_on in doc.text:
            time.sleep(3600)
        if isinstance(doc, Failure):
            out.read += int(doc.stage == "clean")  # read, then empty (or failed) once cleaned
            out.failures.append(doc)
            out.complete = False
            continue
        if not isinstance(doc, Document):
            continue
        out.read += 1
        if known(doc.id):
            out.reports.append((doc, fingerprint(doc.text), STORED))
            continue
        made: Made = run(doc)
        if isinstance(made, tuple) and isinstance(made[0], FactSheet):
            # the rows the writer inserts, and the claims they make, built here: the one
            # writer only inserts them
            made = with_claims(fact_rows(made[0]), doc), made[1]
        out.reports.append((doc, fingerprint(doc.text), made))
    return out


def local(item: RawInput) -> bool:
    """Whether an input can be prepared in a worker: read from a file or stdin, and not a feed
    (a feed's items may send us fetching their pages)."""
    return item.url is None and detect_format(item) not in ("rss", "atom", "feed")


def digest_of(item: RawInput) -> str:
    return hashlib.sha256(item.data).hexdigest()


def auto_workers(inputs: int | None) -> int:
    """Workers for `--workers auto`: one per INPUTS_PER_WORKER inputs, at most the cores; one
    (no pool) for a handful of inputs or when their number is unknown (URLs, stdin)."""
    if not inputs:
        return 1
    return max(1, min(os.cpu_count() or 1, inputs // INPUTS_PER_WORKER))


_store: sqlite3.Connection | None = None  # in a worker: the store, opened read-only


def _store_holds(report_id: str) -> bool:
    """In a worker: whether the store holds this report already (committed by the writer).
    False without a store, and when it cannot be read: the report is then extracted, as before."""
    if _store is None:
        return False
    try:
        return _store.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is not None
    except sqlite3.Error:
        return False


def _start_worker(parent: int, db: str | None) -> None:
    """In each worker: follow the writer's process (below), and open the store read-only, so
    that reports it holds already are not extracted again (a moved archive: every file is a
    new input, every report a duplicate). Reads in WAL mode neither wait for the writer nor
    hold it up; each is one short autocommit statement."""
    global _store
    _follow_parent(parent)
    if db:
        try:
            _store = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            _store = None


def _follow_parent(parent: int) -> None:
    """In each worker: end when the writer is gone (kill -9 leaves no one to shut the pool
    down, and a worker waiting for work would wait for ever)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def _serve(conn: Connection, parent: int, db: str | None, options: ReadOptions) -> None:
    """A worker process: prepare each input the writer sends, answer in the order received.

    A thread receives the inputs as they come, so the writer never blocks sending one while
    this process blocks sending a result the writer has not read yet. Ctrl-C is the writer's
    to handle: it stops the workers (Pool.close)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _start_worker(parent, db)
    tasks: queue.SimpleQueue[Task | None] = queue.SimpleQueue()

    def receive() -> None:
        try:
            while True:
                tasks.put(conn.recv())
        except (EOFError, OSError):
            tasks.put(None)  # the writer is gone

    threading.Thread(target=receive, name="receive", daemon=True).start()
    while (task := tasks.get()) is not None:
        seq, item, digest, skip, progress = task
        try:
            answer: Answer = (seq, prepare(item, options, digest, skip, progress), None)
        except Exception as exc:  # noqa: BLE001 - the input's failure, told to the writer
            answer = (seq, None, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a result that cannot be sent
            conn.send((seq, None, f"{type(exc).__name__}: {exc}"))


# (sequence number, input, digest, reports to skip, progress file): one input for a worker
Task = tuple[int, RawInput, str, frozenset[int], str | None]
Answer = tuple[int, Prepared | None, str | None]  # (sequence number, result, error)


@dataclass(slots=True)
class _InFlight:
    """An input sent to a worker and not yet taken by the writer."""

    seq: int
    item: RawInput
    digest: str
    worker: int = -1  # the worker it was sent to (-1: none was alive)


class Pool:
    """N worker processes preparing inputs, their results handed back in submission order.

    Each worker has its own pipe: an input goes to the worker with the fewest in flight, and
    the writer reads whichever answers come while it waits for the oldest. (Python's
    ProcessPoolExecutor did this through two threads of the writer's process, a Future and a
    wake-up pipe per input: 0.28-0.30 against 0.10-0.12 ms of the writer's CPU an input, two
    runs each of 2,000 inputs of 2.5 kB, and the threads took the GIL from the writer.)

    A worker that dies (a crash in native code, the kernel's out-of-memory killer) loses the
    inputs it held. When the oldest is one of them, every worker is started again, that input
    is prepared again on its own and is recorded as failed only if it kills that worker too;
    the inputs still unanswered are sent again. So one bad report costs its input, not the run."""

    def __init__(self, workers: int, options: ReadOptions, db: str | None = None) -> None:
        self._workers = workers
        self._options = options
        self._db = db  # the store's file, read by the workers (None: in memory, or unknown)
        self._window = workers * WINDOW_PER_WORKER
        # each input stays here until its result is taken, so it can be sent again
        self._pending: deque[_InFlight] = deque()
        self._answers: dict[int, tuple[Prepared | None, str | None]] = {}
        self._bytes = 0  # of the inputs in _pending
        self._seq = 0
        self._procs: list[multiprocessing.process.BaseProcess] = []
        self._conns: list[Connection] = []
        self._load: list[int] = []  # inputs sent to each worker and not answered
        self._dead: set[int] = set()
        self._start()

    def _start(self) -> None:
        # spawn: a worker must not inherit the writer's open SQLite connection
        ctx = multiprocessing.get_context("spawn")
        self._procs, self._conns = [], []
        for _ in range(self._workers):
            mine, theirs = ctx.Pipe(duplex=True)
            proc = ctx.Process(target=_serve, args=(theirs, os.getpid(), self._db, self._options),
                               daemon=True)
            proc.start()
            theirs.close()  # so that a worker's death reads as the end of its pipe
            self._procs.append(proc)
            self._conns.append(mine)
        self._load = [0] * self._workers
        self._dead = set()

    def _stop(self) -> None:
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self._procs:
            proc.join(timeout=STOP_WAIT_S)
        for conn in self._conns:
            conn.close()

    def takes(self, item: RawInput) -> bool:
        """Every local input is prepared by a worker."""
        return True

    def submit(self, item: RawInput, digest: str) -> None:
        self._seq += 1
        entry = _InFlight(self._seq, item, digest)
        self._send(entry)
        self._pending.append(entry)
        self._bytes += len(item.data)

    def _send(self, entry: _InFlight, skip: frozenset[int] = frozenset(),
              progress: str | None = None) -> None:
        """Hand an input to the live worker with the fewest in flight (to none when all died:
        it waits for the restart)."""
        alive = [w for w in range(self._workers) if w not in self._dead]
        entry.worker = -1
        if not alive:
            return
        w = min(alive, key=self._load.__getitem__)
        try:
            self._conns[w].send((entry.seq, entry.item, entry.digest, skip, progress))
        except OSError:  # it died: the input waits for the restart
            self._dead.add(w)
            return
        entry.worker = w
        self._load[w] += 1

    @property
    def full(self) -> bool:
        return len(self._pending) >= self._window or self._bytes >= WINDOW_BYTES

    def _pop(self) -> _InFlight:
        entry = self._pending.popleft()
        self._bytes -= len(entry.item.data)
        return entry

    def _receive(self, timeout: float | None) -> None:
        """Read every answer that comes within `timeout` (None: wait for one at least);
        note a worker whose pipe ended (it died)."""
        live = {self._conns[w]: w for w in range(self._workers) if w not in self._dead}
        for ready in connection_wait(list(live), timeout):
            conn = cast(Connection, ready)
            w = live[conn]
            try:
                while True:
                    answer: Answer = conn.recv()
                    self._answers[answer[0]] = answer[1:]
                    self._load[w] -= 1
                    if not conn.poll():
                        break
            except (EOFError, OSError):
                self._dead.add(w)

    def _answered(self, entry: _InFlight) -> bool:
        """Whether the input's answer is here, or cannot come (its worker died)."""
        return entry.seq in self._answers or entry.worker < 0 or entry.worker in self._dead

    def ready(self) -> Iterable[Prepared]:
        """The finished results at the head of the queue, without waiting."""
        if self._pending:
            self._receive(0)
        while self._pending and self._pending[0].seq in self._answers:
            yield self._result(self._pop())

    def take(self, batch: OpenBatch) -> Prepared:
        """The oldest result, waiting for it: while the open batch has time left, with the
        batch open; then after committing it, so the lock is not held through a long wait."""
        head = self._pending[0]
        if not self._answered(head):
            end = time.monotonic() + batch.time_left()
            while not self._answered(head) and (left := end - time.monotonic()) > 0:
                self._receive(left)
            if not self._answered(head):
                batch.commit()
            while not self._answered(head):
                self._receive(None)
        return self._result(self._pop())

    def drain(self, batch: OpenBatch) -> Iterator[Prepared]:
        """Every result still to come, in order."""
        while self._pending:
            yield self.take(batch)

    def _result(self, entry: _InFlight) -> Prepared:
        """A worker's result; a worker that died or raised costs its input, not the run (the
        input is not marked done, so the next run tries it again)."""
        if entry.seq not in self._answers:
            return self._after_crash(entry)
        result, error = self._answers.pop(entry.seq)
        if result is None:
            return _failed(entry.item, entry.digest, f"worker failed ({error})")
        return result

    def _restart(self) -> None:
        self._stop()
        self._start()

    def _after_crash(self, entry: _InFlight) -> Prepared:
        """A worker died with `entry` in flight: prepare it alone with new workers, keeping
        count of its reports; each time a worker dies again, the report it was on is left out
        (recorded as failed) and the input is prepared again, so a file of many reports loses
        only those that kill a worker. Then the inputs still unanswered are sent again."""
        self._restart()
        skip: set[int] = set()
        with tempfile.TemporaryDirectory(prefix="borderwatch-progress-") as tmp:
            progress = Path(tmp) / "reports"
            while True:
                progress.unlink(missing_ok=True)
                self._send(entry, frozenset(skip), str(progress))
                while not self._answered(entry):
                    self._receive(None)
                if entry.seq in self._answers:
                    result = self._result(entry)
                    break
                self._restart()
                at = _reached(progress)
                if at is None or at in skip or len(skip) >= MAX_CRASHED_REPORTS:
                    result = _failed(entry.item, entry.digest, CRASHED_INPUT)
                    break
                skip.add(at)
        for behind in self._pending:
            if behind.seq not in self._answers:
                self._send(behind)
        return result

    def close(self, cancel: bool = False) -> None:
        """End the workers. After a finished run they are idle and end when told. After Ctrl-C
        (`cancel`) nothing they hold will be written, so they are stopped, not waited for: a
        worker still starting (importing, compiling the data's patterns) kept an interrupted
        run alive 8 s at load 8, and one stuck in a report as long as the report took."""
        if not cancel:
            for w, conn in enumerate(self._conns):
                if w not in self._dead:
                    with contextlib.suppress(OSError):
                        conn.send(None)
            for proc in self._procs:
                proc.join(timeout=STOP_WAIT_S)
        self._stop()


class InlinePool:
    """`--workers 1`: small local inputs prepared in this process, a window of them at a time
    with no transaction open, then written one after another in one transaction. Writing each
    file in its own transaction (as URLs and large files still are: jobs._ingest_input) cost a
    commit and a claims derivation per report, a third of a one-process ingest of 800-word
    reports. The same interface as Pool, so the ingest loop does not tell them apart."""

    def __init__(self, options: ReadOptions, window: int = INLINE_WINDOW,
                 known: Callable[[str], bool] | None = None) -> None:
        self._options = options
        self._window = window
        self._known = known  # the writer's: a report the store holds is not extracted again
        self._queue: deque[tuple[RawInput, str]] = deque()
        self._done: deque[Prepared] = deque()

    def takes(self, item: RawInput) -> bool:
        """Whether `item` is prepared here (a larger file streams its reports in chunks)."""
        return len(item.data) <= INLINE_MAX_BYTES

    def submit(self, item: RawInput, digest: str) -> None:
        self._queue.append((item, digest))

    @property
    def full(self) -> bool:
        return len(self._queue) + len(self._done) >= self._window

    def ready(self) -> Iterable[Prepared]:
        while self._done:
            yield self._done.popleft()

    def take(self, batch: OpenBatch) -> Prepared:
        """The oldest result; when none is prepared, every queued input is prepared now, after
        the batch commits: the write lock is never held while extracting."""
        if not self._done:
            batch.commit()
            while self._queue:
                item, digest = self._queue.popleft()
                self._done.append(prepare(item, self._options, digest, known=self._known))
        return self._done.popleft()

    def drain(self, batch: OpenBatch) -> Iterator[Prepared]:
        while self._queue or self._done:
            yield self.take(batch)

    def close(self, cancel: bool = False) -> None:
        self._queue.clear()


def _reached(progress: Path) -> int | None:
    """The report a worker was on when it died (None: it died before the first)."""
    try:
        return int(progress.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def _failed(item: RawInput, digest: str, reason: str) -> Prepared:
    return Prepared(item.source, digest, complete=False, failures=[Failure(item.source, reason, "extract")])
