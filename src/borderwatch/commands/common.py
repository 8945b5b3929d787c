"""What every command shares: the --db option, opening an existing store, printing JSON, and the
--ko-analyser option of the commands that extract."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import click

from borderwatch.extract.ko.analyser import CHOICES, ENV, AnalyserUnavailable, choose
from borderwatch.store import StoreError, default_db_path, open_db

DB_HELP = "SQLite database (default: $BORDERWATCH_DB or ./borderwatch.db)."


def db_option(f):
    """The --db option every command that reads or writes the store takes."""
    return click.option("--db", "db", default=None, metavar="PATH", help=DB_HELP)(f)


def _ko_analyser(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    """Set (or, without the option, read from the environment) the Korean analyser and check it
    now: kiwi asked for and not installed is a one-line error before any work starts."""
    try:
        return choose(value)
    except AnalyserUnavailable as exc:
        raise click.ClickException(str(exc)) from exc


def ko_analyser_option(f):
    """--ko-analyser: the morphological analyser Korean reports are read with (sets the
    environment variable, so worker processes use it too)."""
    return click.option(
        "--ko-analyser", type=click.Choice(CHOICES), default=None, callback=_ko_analyser, expose_value=False,
        is_eager=True, help=f"Korean morphological analyser: none, or kiwi (the ko extra; slower). Default: ${ENV} or none.",
    )(f)


def open_existing(db: str | None) -> sqlite3.Connection:
    """Open an existing store; a missing or broken one is a clean CLI error."""
    try:
        return open_db(db or default_db_path(), create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def echo_json(value: Any) -> None:
    """Print a JSON document."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))
