"""`borderwatch serve` and `borderwatch user`: the workbench and its accounts."""

from __future__ import annotations

import sys

import click

from borderwatch.commands.common import DB_HELP
from borderwatch.store import StoreError, default_db_path, open_db


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--db", "db", default=None, metavar="PATH",
              help="SQLite database (default: $BORDERWATCH_DB or ./borderwatch.db).")
@click.option("--require-login", is_flag=True, help="Reading needs an account too.")
@click.option("--public-url", metavar="URL",
              help="The address analysts use (e.g. https://bw.example.org behind a proxy): feed "
                   "links are built on it, not on the Host header; https marks the session "
                   "cookie Secure. Default: http://HOST:PORT.")
def serve(host: str, port: int, db: str | None, require_login: bool, public_url: str | None) -> None:
    """Serve the analyst's workbench (web pages and JSON API) over the store."""
    import uvicorn

    from borderwatch.serve.app import create_app
    from borderwatch.store.incidents import catch_up

    path = db or default_db_path()
    try:
        conn = open_db(path, create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    catch_up(conn)  # a run killed before its regroup, reviews a killed server left noted
    from borderwatch.store.claim_table import claims_ready, ensure_claims

    if not claims_ready(conn):  # a store from before claims were stored, or new claim rules
        click.echo("deriving the claims of every report (once; resumable) ...", err=True)
        ensure_claims(conn)
    from borderwatch.store.searchindex import LOCK_WAIT_S, SearchIndex, for_connection, index_path

    # the search index caught up (built, when missing) before the first search asks for it
    if (SearchIndex.stale(index_path(conn))
            or conn.execute("SELECT 1 FROM search_queue LIMIT 1").fetchone()):
        click.echo("search index: indexing the store's new or changed reports ...", err=True)
    for_connection(conn, wait_s=LOCK_WAIT_S)
    conn.close()
    app = create_app(path, require_login=require_login,
                     public_url=public_url or f"http://{host}:{port}")
    click.echo(f"borderwatch workbench on http://{host}:{port}/ (database {path})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.group()
def user() -> None:
    """Analyst accounts (needed to review facts in the workbench)."""


@user.command("add")
@click.argument("name")
@click.option("--db", "db", default=None, metavar="PATH", help=DB_HELP)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(name: str, db: str | None, password_stdin: bool) -> None:
    """Create an account NAME; asks for the password (or reads it with --password-stdin)."""
    from borderwatch.store.users import UserError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        conn = open_db(db or default_db_path(), create=False)
        add_user(conn, name, password)
    except (StoreError, UserError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {name} added", err=True)


@user.command("list")
@click.option("--db", "db", default=None, metavar="PATH", help=DB_HELP)
def user_list(db: str | None) -> None:
    """Account names."""
    from borderwatch.store.users import list_users

    try:
        conn = open_db(db or default_db_path(), create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    for n in list_users(conn):
        click.echo(n)
