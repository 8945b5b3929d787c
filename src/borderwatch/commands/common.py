"""What every command shares: the --db option, opening an existing store, printing JSON."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import click

from borderwatch.store import StoreError, default_db_path, open_db

DB_HELP = "SQLite database (default: $BORDERWATCH_DB or ./borderwatch.db)."


def db_option(f):
    """The --db option every command that reads or writes the store takes."""
    return click.option("--db", "db", default=None, metavar="PATH", help=DB_HELP)(f)


def open_existing(db: str | None) -> sqlite3.Connection:
    """Open an existing store; a missing or broken one is a clean CLI error."""
    try:
        return open_db(db or default_db_path(), create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def echo_json(value: Any) -> None:
    """Print a JSON document."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))
