"""`borderwatch export`: events and their facts to a file or stdout in one of the export formats."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import click

from borderwatch.export import FORMATS, MissingExtra, available
from borderwatch.export import export as run_export
from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES
from borderwatch.store import StoreError, default_db_path, open_db
from borderwatch.store.facts import FactFilters
from borderwatch.store.periods import checked_bound


def _export_file(conn: sqlite3.Connection, fmt: str, path: Path, filters: FactFilters,
                 reviewed_only: bool) -> int:
    """Export into `path` through a temporary file, so a failed run leaves no half-written file.

    The temporary file is `.NAME.PID.part` beside it; one left by a run that was killed (its
    process gone) is removed by the next export to the same file."""
    for old in path.parent.glob(f".{path.name}.*.part"):
        pid = old.name[len(path.name) + 2:-len(".part")]
        if pid.isdigit() and not _alive(int(pid)):
            old.unlink(missing_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with part.open("w", encoding="utf-8", newline="") as out:
            n = run_export(conn, fmt, out, filters, reviewed_only)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return n


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="csv and jsonl: one record per event; geojson: places with event counts;"
                   " ftm: FollowTheMoney entities (JSON lines).")
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES), metavar="EVENT_TYPE",
              help="Event type (e.g. smuggling).")
@click.option("--place", help="Place name or id (e.g. Sinuiju, place:sinuiju).")
@click.option("--commodity", help="Commodity name or id (e.g. coal).")
@click.option("--since", metavar="DATE", callback=checked_bound,
              help="Event (else report) date on or after.")
@click.option("--until", metavar="DATE", callback=checked_bound,
              help="Event (else report) date on or before.")
@click.option("--source-kind", type=click.Choice(sorted(ATTRIBUTION_KINDS | {"none"})),
              metavar="KIND", help="Attribution kind: anonymous, named_person, state_media,"
                                   " media_outlet, official, document, or none.")
@click.option("--no-negated", is_flag=True, help="Leave out events the text says did not happen.")
@click.option("--reviewed-only", is_flag=True,
              help="Only events an analyst accepted, corrected or added.")
@click.option("-o", "--output", "output", required=True, type=click.Path(allow_dash=True),
              metavar="FILE", help="File to write ('-' for stdout).")
@click.option("--db", "db", default=None, metavar="PATH",
              help="SQLite database (default: $BORDERWATCH_DB or ./borderwatch.db).")
def export(fmt: str, event_type: str | None, place: str | None, commodity: str | None,
           since: str | None, until: str | None, source_kind: str | None, no_negated: bool,
           reviewed_only: bool, output: str, db: str | None) -> None:
    """Export stored events and their facts (rejected events are never exported)."""
    try:
        available(fmt)
    except MissingExtra as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        conn = open_db(db or default_db_path(), create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    filters = FactFilters(event_type, place, commodity, since, until, source_kind, not no_negated)
    try:
        n = run_export(conn, fmt, sys.stdout, filters, reviewed_only) if output == "-" \
            else _export_file(conn, fmt, Path(output), filters, reviewed_only)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc}") from exc
    finally:
        conn.close()
    click.echo(f"wrote {n} records to {'stdout' if output == '-' else output}", err=True)
