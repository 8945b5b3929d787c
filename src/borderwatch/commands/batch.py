"""`borderwatch batch` and `borderwatch load`: Parquet on a Dask cluster, then into the store."""

from __future__ import annotations

import importlib
import os
import sys

import click

from borderwatch.commands.common import db_option, echo_json

SCALE_MODULES = ("dask", "distributed", "pyarrow")


def _need_scale(command: str) -> None:
    """A clear message, not an ImportError, when the `scale` extra is not installed."""
    missing = []
    for name in SCALE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise click.ClickException(
            f"`borderwatch {command}` needs {', '.join(missing)}: install the scale extra,"
            " pip install 'borderwatch[scale]'")


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--out", "out", required=True, metavar="DIR",
              help="Folder for the Parquet tables (created; a rerun into it resumes).")
@click.option("--scheduler", metavar="ADDRESS",
              help="A running Dask scheduler (tcp://host:8786); default: a local cluster.")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes of the local cluster (default: the number of cores).")
@click.option("--partition-size", type=click.IntRange(min=1), default=1000, show_default=True,
              metavar="N", help="Files, JSON Lines lines or Parquet rows per partition (one task).")
@click.option("--outlet", help="Outlet for reports that do not name one.")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for reports without one.")
@click.option("--language", help="Language for reports that do not say (ISO 639-1).")
@click.option("--max-bytes", type=int, default=20_000_000, show_default=True,
              help="Inputs larger than this are refused.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def batch(sources: tuple[str, ...], out: str, scheduler: str | None, workers: int | None,
          partition_size: int, outlet: str | None, published: str | None, language: str | None,
          max_bytes: int, as_json: bool) -> None:
    """Read, clean and extract SOURCE... (files, folders, globs; JSON Lines and Parquet files in
    partitions) on a Dask cluster, writing reports, facts and failures as Parquet by month."""
    _need_scale("batch")
    from borderwatch.batch.job import run_batch
    from borderwatch.ingest import ReadOptions

    try:
        options = ReadOptions(outlet=outlet, published=published, language=language,
                              max_bytes=max_bytes, fetch_pages=False)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    summary = run_batch(list(sources), os.path.abspath(out), options, size=partition_size,
                        workers=workers or os.cpu_count() or 1, scheduler=scheduler,
                        on_failure=lambda line: click.echo(line, err=True))
    if as_json:
        echo_json(summary.as_dict())
    else:
        click.echo(", ".join(f"{k} {v}" for k, v in summary.as_dict().items()), err=True)
    sys.exit(1 if summary.failures else 0)


@click.command()
@click.argument("out", metavar="DIR", type=click.Path(exists=True, file_okay=False))
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def load(out: str, db: str | None, as_json: bool) -> None:
    """Store the reports and facts of a `batch` output folder DIR (partitions loaded before are
    skipped, reports stored before are duplicates, not second copies)."""
    _need_scale("load")
    from borderwatch.batch.load import load as run_load
    from borderwatch.store import StoreError, default_db_path, open_db

    try:
        conn = open_db(db or default_db_path())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    summary = run_load(conn, out, command=f"load {out}")
    if as_json:
        echo_json(summary.as_dict())
    else:
        click.echo(", ".join(f"{k} {v}" for k, v in summary.as_dict().items()), err=True)
