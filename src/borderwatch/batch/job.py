"""`borderwatch batch`: read, clean and extract partitions of inputs on a Dask cluster.

Each partition is one task (`run_partition`): the worker reads its inputs, cleans and extracts
every report with the same code `ingest --workers` runs (`clean.read_documents`,
`workers.extractor`), and writes the partition's Parquet files and done-marker itself, so only a
small summary travels back. The client plans partitions, skips those a previous run finished,
keeps a bounded number in flight, and turns whatever goes wrong into failure rows:

- a report that cannot be read or extracted is a failure row written by its worker (a report
  whose extraction raised is kept without facts, as ingest keeps it);
- a partition whose task raised, or whose worker died (the scheduler retries it on another
  worker and gives up after `ALLOWED_FAILURES` deaths: `KilledWorker`), is split into one task
  per input; an input that fails on its own is a failure row with the reason, and the rest of
  the partition is kept.

Only losing the scheduler itself ends the job; the same command then resumes.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from borderwatch.batch.output import commit, done_ids, drop_files
from borderwatch.batch.partitions import Partition, label, plan, read, renumber, split
from borderwatch.batch.tables import Rows
from borderwatch.clean import read_documents
from borderwatch.extract.sections import SectionedSheet
from borderwatch.ingest import ReadOptions
from borderwatch.model import Document, Failure
from borderwatch.workers import extractor

ALLOWED_FAILURES = 1  # worker deaths on one task before it is given up (then split or recorded)
# Tasks sent to a worker per thread: one, so a worker that dies was running exactly one task and
# only that task is blamed (the scheduler counts a death against every task the worker held).
WORKER_SATURATION = 1.0
IN_FLIGHT_PER_THREAD = 2  # tasks queued per worker thread: busy workers, bounded client memory
PLAN = Partition("plan", -1, "files", ())  # holds the failures of planning (sources naming nothing)


@dataclass(slots=True)
class BatchSummary:
    """What a batch run did; `reports` and `failures` count this run's partitions only."""

    partitions: int = 0
    skipped: int = 0  # done by an earlier run
    ran: int = 0
    split: int = 0  # partitions retried one input at a time after a task failed
    reports: int = 0
    failures: int = 0
    workers: int = 0
    seconds: float = 0.0
    startup: float = 0.0  # of those, before the first task: planning and starting the cluster
    failure_lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        del d["failure_lines"]
        return d


def run_partition(p: Partition, out: str, options: ReadOptions) -> dict[str, Any]:
    """Read, clean and extract one partition's reports and write its files (runs on a worker)."""
    rows = Rows(p.id)
    run = extractor(rows.add_failure)
    for item, shift in read(p, options.max_bytes):
        if isinstance(item, Failure):
            rows.add_failure(item)
            continue
        for doc in read_documents(item, options, None):
            if not isinstance(doc, Document | Failure):
                continue  # Unchanged: only a fetched page answers it, and nothing is fetched
            doc = renumber(doc, item.source, shift)
            if isinstance(doc, Failure):
                rows.add_failure(doc)
                continue
            made = run(doc)
            try:
                rows.add_report(doc, *(made or (None, None)))
            finally:
                if made is not None and isinstance(made[0], SectionedSheet):
                    made[0].discard()
    return commit(out, p, rows)


def _one_input(p: Partition) -> bool:
    return p.sub >= 0 or (p.kind == "files" and len(p.paths) == 1) or (p.kind == "rows" and p.stop - p.start == 1)


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a LocalCluster of `workers` processes
    (one thread each: extraction is Python, a second thread would wait on the first)."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                          "distributed.scheduler.worker-saturation": WORKER_SATURATION}):
        if scheduler:
            with Client(scheduler) as client:
                yield client
            return
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
            yield client


def run_batch(sources: list[str], out: str, options: ReadOptions, *, size: int = 1000,
              workers: int = 2, scheduler: str | None = None,
              on_failure: Callable[[str], None] | None = None) -> BatchSummary:
    """Every partition of `sources` not done yet, run on the cluster; see the module's doc."""
    from distributed import as_completed

    started = time.monotonic()
    summary = BatchSummary()
    done = done_ids(out)
    planned = list(plan(sources, size))
    plan_rows = Rows(PLAN.id)
    plan_rows.by_table["failures"].setdefault("", [])  # a failures table even when empty
    for item in planned:
        if isinstance(item, Failure):
            plan_rows.add_failure(item)
            summary.failures += 1
            summary.failure_lines.append(item.line())
    commit(out, PLAN, plan_rows)  # replaced by each run: what the sources named this time
    parts = [p for p in planned if isinstance(p, Partition)]
    summary.partitions = len(parts)
    todo: list[Partition] = []
    begun_split = {pid.split("-")[0] for pid in done if "-" in pid}
    for p in parts:
        if p.id in done:
            summary.skipped += 1
        elif p.id in begun_split:  # a killed run was trying it input by input: go on that way
            left = [s for s in split(p) if s.id not in done]
            if not left:  # killed after its last part, before marking the whole
                commit(out, p, Rows(p.id), {"split": True})
                summary.skipped += 1
            todo.extend(left)
        else:
            todo.append(p)

    def record(marker: dict[str, Any]) -> None:
        summary.reports += marker["rows"].get("reports", 0)
        summary.failures += marker["rows"].get("failures", 0)

    def fail_input(p: Partition, exc: BaseException) -> None:
        rows = Rows(p.id)
        rows.add_failure(Failure(label(p), f"worker failed ({type(exc).__name__}: {exc})", "extract"))
        record(commit(out, p, rows))
        summary.failure_lines.append(rows.by_table["failures"][""][0]["source"] + ": worker failed")

    parents: dict[str, set[str]] = {}  # a split partition -> its parts not done yet
    by_id = {p.id: p for p in parts}
    for p in todo:
        if p.sub >= 0:
            parents.setdefault(p.id.split("-")[0], set()).add(p.id)

    def part_done(p: Partition) -> None:
        parent = p.id.split("-")[0]
        left = parents.get(parent)
        if left is not None:
            left.discard(p.id)
            if not left:  # every part done: the partition is
                commit(out, by_id[parent], Rows(parent), {"split": True})
                del parents[parent]

    with _client(scheduler, workers) as client:
        summary.startup = round(time.monotonic() - started, 2)
        summary.workers = len(client.scheduler_info(n_workers=-1)["workers"])
        window = max(2, sum(client.nthreads().values()) * IN_FLIGHT_PER_THREAD)
        queue = list(reversed(todo))
        running = as_completed()
        owner: dict[Any, Partition] = {}

        def submit() -> None:
            while queue and running.count() < window:
                p = queue.pop()
                fut = client.submit(run_partition, p, out, options, key=f"partition-{p.id}", pure=False)
                owner[fut] = p
                running.add(fut)

        submit()
        for fut in running:
            p = owner.pop(fut)
            summary.ran += 1
            if fut.status == "finished":
                record(fut.result())
                part_done(p)
            elif fut.status == "error":
                exc = fut.exception()
                if _one_input(p):
                    fail_input(p, exc)
                    part_done(p)
                else:
                    summary.split += 1
                    drop_files(out, p.id)
                    pieces = split(p)
                    parents[p.id] = {s.id for s in pieces}
                    queue.extend(reversed(pieces))
            else:  # cancelled or lost: the cluster is gone, not this partition's fault
                raise RuntimeError(f"lost the cluster while running partition {p.id} ({fut.status})")
            fut.release()
            submit()
    if on_failure:
        for line in summary.failure_lines:
            on_failure(line)
    summary.seconds = round(time.monotonic() - started, 2)
    return summary
