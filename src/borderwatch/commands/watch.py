"""`borderwatch watch`: saved searches and filters, and what is new for each since the last run."""

from __future__ import annotations

import click

from borderwatch.commands.common import db_option, echo_json, open_existing
from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES, TOPICS
from borderwatch.store.watchfeeds import DEFAULT_BASE_URL, watch_feed
from borderwatch.store.watchlists import (
    WatchError,
    WatchFilters,
    WatchResult,
    create_watchlist,
    delete_watchlist,
    describe,
    feed_token,
    get_watchlist,
    list_watchlists,
    new_feed_token,
    run_watchlists,
    update_watchlist,
)

SNIPPET = 100


def _snippet(text: str | None) -> str:
    """One line of at most SNIPPET characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= SNIPPET else flat[:SNIPPET - 1] + "…"


def _label():
    """The app's labeller (event types and vocabularies in words), loaded when needed."""
    from borderwatch.serve.render import label

    return label


def _filter_options(f):
    """The filter options of `add` and `edit`."""
    options = [
        click.option("--query", help="Search query, read as the search box reads it."),
        click.option("--type", "type_", type=click.Choice(EVENT_TYPES), multiple=True,
                     help="Event type; repeat for any of several."),
        click.option("--place", help="Place name or id (e.g. Sinuiju, place:sinuiju)."),
        click.option("--commodity", help="Commodity name or id (e.g. coal)."),
        click.option("--source-kind", type=click.Choice(sorted(ATTRIBUTION_KINDS) + ["none"]),
                     help="Who says it ('none': the outlet's own voice)."),
        click.option("--outlet", help="Outlet (e.g. 'Daily NK')."),
        click.option("--topic", type=click.Choice(TOPICS), help="Report topic."),
        click.option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD: events on or after it."),
    ]
    for opt in reversed(options):
        f = opt(f)
    return f


def _print_results(results: list[WatchResult], show: int) -> None:
    """Per watchlist: how many new hits and one line for each (up to `show`)."""
    if not results:
        click.echo("no watchlists: add one with `borderwatch watch add NAME --type ...`")
    for res in results:
        click.echo(f"{res.name}: {len(res.hits)} new")
        # Several events of one sentence are one line on the terminal (--json keeps them all).
        lines = list(dict.fromkeys(
            f"  {h.date or '----------':<10}  {h.type or 'report':<17} {(h.place or '-'):<14} "
            f"{_snippet(h.sentence or h.title)}  [{h.report_id}]" for h in res.hits))
        for line in lines[:show]:
            click.echo(line)
        if len(lines) > show:
            click.echo(f"  … and {len(lines) - show} more (use --json for all)")


@click.group(invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (for `run`).")
@click.option("--show", type=int, default=20, show_default=True,
              help="Hits printed per watchlist (for `run`).")
@click.pass_context
def watch(ctx: click.Context, db: str | None, as_json: bool, show: int) -> None:
    """Watchlists: `watch` alone runs them all and lists what is new since the last run."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is None:
        ctx.invoke(run, db=db, as_json=as_json, show=show)


def _db(ctx: click.Context, db: str | None) -> str | None:
    """--db given after the subcommand wins over one given before it."""
    return db or (ctx.obj or {}).get("db")


@watch.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--show", type=int, default=20, show_default=True,
              help="Hits printed per watchlist.")
@click.pass_context
def run(ctx: click.Context, db: str | None, as_json: bool, show: int) -> None:
    """Run every watchlist: print its new hits and remember them."""
    conn = open_existing(_db(ctx, db))
    results = run_watchlists(conn)
    if as_json:
        echo_json([r.to_dict() for r in results])
    else:
        _print_results(results, show)


@watch.command()
@click.argument("name")
@db_option
@_filter_options
@click.option("--user", help="Who made it.")
@click.pass_context
def add(ctx: click.Context, name: str, db: str | None, query: str | None,
        type_: tuple[str, ...], place: str | None, commodity: str | None,
        source_kind: str | None, outlet: str | None, topic: str | None, since: str | None,
        user: str | None) -> None:
    """Save a watchlist NAME: any combination of the filters, at least one."""
    conn = open_existing(_db(ctx, db))
    try:
        filters = WatchFilters(query, type_, place, commodity, source_kind, outlet, topic, since)
        wid = create_watchlist(conn, name, filters, user)
        w = get_watchlist(conn, wid)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"watchlist {wid} {name!r}: {describe(conn, w.filters, _label())}")


@watch.command()
@click.argument("name")
@db_option
@click.option("--name", "new_name", help="A new name.")
@_filter_options
@click.option("--clear", is_flag=True, help="Start from no filters (else the given ones are "
              "changed and the others kept).")
@click.pass_context
def edit(ctx: click.Context, name: str, db: str | None, new_name: str | None,
         query: str | None, type_: tuple[str, ...], place: str | None, commodity: str | None,
         source_kind: str | None, outlet: str | None, topic: str | None, since: str | None,
         clear: bool) -> None:
    """Rename the watchlist NAME or change its filters; new filters run it again over the whole
    store (its hits become what they match)."""
    conn = open_existing(_db(ctx, db))
    given = {k: v for k, v in (("query", query), ("type", type_), ("place", place),
                               ("commodity", commodity), ("source_kind", source_kind),
                               ("outlet", outlet), ("topic", topic), ("since", since)) if v}
    try:
        w = get_watchlist(conn, name)
        filters = None
        if given or clear:
            filters = WatchFilters.from_dict(({} if clear else w.filters.to_dict()) | given)
        w = update_watchlist(conn, w.id, new_name, filters)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"watchlist {w.id} {w.name!r}: {describe(conn, w.filters, _label())}; "
               f"hits {w.hits}")


@watch.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def list_(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List the watchlists with their filters and when they last ran."""
    conn = open_existing(_db(ctx, db))
    lists = list_watchlists(conn)
    if as_json:
        echo_json([w.to_dict() | {"words": describe(conn, w.filters, _label())} for w in lists])
        return
    label = _label()
    for w in lists:
        click.echo(f"{w.name}: {describe(conn, w.filters, label)}  "
                   f"hits {w.hits}  last run {w.last_run_at or 'never'}")


@watch.command()
@click.argument("name")
@db_option
@click.pass_context
def remove(ctx: click.Context, name: str, db: str | None) -> None:
    """Delete the watchlist NAME and its hits."""
    if not delete_watchlist(open_existing(_db(ctx, db)), name):
        raise click.ClickException(f"no watchlist {name!r}")
    click.echo(f"removed {name!r}")


@watch.command()
@click.argument("name")
@db_option
@click.option("--format", "fmt", type=click.Choice(["atom", "json"]), default="atom",
              show_default=True, help="atom: an Atom feed; json: a JSON Feed 1.1.")
@click.option("--limit", type=int, default=50, show_default=True, help="Newest hits in the feed.")
@click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True,
              help="Where the workbench is served; entry links are made under it.")
@click.pass_context
def feed(ctx: click.Context, name: str, db: str | None, fmt: str, limit: int,
         base_url: str) -> None:
    """Print the latest hits of watchlist NAME as an Atom or JSON feed."""
    try:
        click.echo(watch_feed(open_existing(_db(ctx, db)), name, fmt, limit, base_url,
                              label=_label()))
    except WatchError as exc:
        raise click.ClickException(str(exc)) from exc


@watch.command()
@click.argument("name")
@db_option
@click.option("--new", "renew", is_flag=True, help="Make a new key; the old one stops working.")
@click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True,
              help="Where the workbench is served.")
@click.pass_context
def token(ctx: click.Context, name: str, db: str | None, renew: bool, base_url: str) -> None:
    """Print the feed addresses of watchlist NAME with its secret key (what a feed reader uses
    when the workbench runs with --require-login)."""
    conn = open_existing(_db(ctx, db))
    try:
        w = get_watchlist(conn, name)
        key = new_feed_token(conn, w.id) if renew else feed_token(conn, w.id)
    except WatchError as exc:
        raise click.ClickException(str(exc)) from exc
    base = base_url.rstrip("/")
    for fmt in ("atom", "json"):
        click.echo(f"{base}/watchlists/{w.id}.{fmt}?token={key}")
