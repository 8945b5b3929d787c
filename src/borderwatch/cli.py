"""Command-line interface: parse arguments, call the Python API, print. No logic lives here."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from borderwatch.commands.common import db_option, echo_json, ko_analyser_option, open_existing
from borderwatch.store import StoreError, default_db_path, open_db, queries
from borderwatch.store.periods import checked_bound
from borderwatch.store.queries import Filters, QueryError


def _filter_options(f):
    for opt in reversed([
        click.option("--since", metavar="DATE", callback=checked_bound,
                     help="Published on or after (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="DATE", callback=checked_bound,
                     help="Published on or before (YYYY[-MM[-DD]])."),
        click.option("--outlet", help="Only this outlet (e.g. 'Daily NK')."),
        click.option("--tag", help="Only reports with this publisher tag."),
        click.option("--language", help="Only this language (ISO 639-1, e.g. en, ko)."),
    ]):
        f = opt(f)
    return f


class _Commands(click.Group):
    """The command group; a store another process keeps busy past the busy timeout is a
    one-line error naming the cause, never a `database is locked` traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        import sqlite3

        try:
            return super().invoke(ctx)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                from borderwatch.store.db import busy_message

                raise click.ClickException(busy_message()) from exc
            raise


def _workers_value(_ctx: click.Context, _param: click.Parameter, value: str) -> int | None:
    """--workers: a positive number, or 'auto' (None: decided from the inputs)."""
    if value == "auto":
        return None
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise click.BadParameter("a number of processes (1 or more) or 'auto'")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="borderwatch")
def main() -> None:
    """borderwatch: fact sheets from open reporting on the China-North Korea border."""


@main.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option("--outlet", help="Outlet for reports that do not name one.")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for reports without one.")
@click.option("--language", help="Language for reports that do not say (ISO 639-1).")
@click.option("--max-bytes", type=int, default=20_000_000, show_default=True,
              help="Inputs larger than this are refused.")
@click.option("--no-fetch-pages", is_flag=True, help="Do not fetch item pages of summary-only feeds.")
@click.option("--allow-private-urls", is_flag=True,
              help="Also fetch URLs on loopback, private and link-local addresses (refused by "
                   "default: feed links could reach internal services).")
@click.option("--ignore-robots", is_flag=True,
              help="Fetch pages a site's robots.txt disallows (obeyed by default).")
@click.option("--host-delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              metavar="SECONDS", help="Wait at least this long between two requests to one site"
                                      " (longer when its robots.txt asks, up to 30 s).")
@click.option("--workers", default="auto", show_default=True, metavar="N|auto",
              callback=_workers_value,
              help="Processes that read and extract local files while this one writes; auto: one"
                   " per 8 inputs, up to the number of cores (1 for URLs and stdin).")
@click.option("--quiet", "-q", is_flag=True, help="No progress output; errors and summary only.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@ko_analyser_option
def ingest(sources: tuple[str, ...], db: str | None, outlet: str | None, published: str | None,
           language: str | None, max_bytes: int, no_fetch_pages: bool, allow_private_urls: bool,
           ignore_robots: bool, host_delay: float, workers: int | None, quiet: bool,
           as_json: bool) -> None:
    """Read reports from SOURCE... (files, folders, globs, '-' for stdin, http(s) URLs, feeds)."""
    from borderwatch.ingest import ReadOptions, count_inputs
    from borderwatch.jobs import ingest as run_ingest
    from borderwatch.jobs import print_summary
    from borderwatch.progress import Progress

    try:
        conn = open_db(db or default_db_path())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    options = ReadOptions(outlet=outlet, published=published, language=language,
                          max_bytes=max_bytes, fetch_pages=not no_fetch_pages,
                          allow_private_urls=allow_private_urls, robots=not ignore_robots,
                          host_delay=host_delay)
    inputs = count_inputs(list(sources))
    progress = Progress(inputs, enabled=not quiet)
    if workers is None:
        from borderwatch.workers import auto_workers

        workers = auto_workers(inputs)

    def on_failure(f) -> None:
        click.echo(f.line(), err=True)

    summary = run_ingest(conn, list(sources), options, stdin=sys.stdin.buffer,
                         command="ingest " + " ".join(sources), progress=progress,
                         on_failure=on_failure, workers=workers)
    if as_json:
        echo_json(summary.as_dict())
    else:
        print_summary(summary)
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.argument("query")
@db_option
@_filter_options
@click.option("--limit", type=int, default=20, show_default=True, help="Rows to show.")
@click.option("--offset", type=int, default=0, show_default=True, help="Rows to skip first (paging).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def search(query: str, db: str | None, since, until, outlet, tag, language, limit: int,
           offset: int, as_json: bool) -> None:
    """Full-text search (FTS5 query syntax; the search index beside the store answers it), best
    matches first, with snippets and the exact total."""
    conn = open_existing(db)
    try:
        page = queries.search(conn, query, Filters(since, until, outlet, tag, language), limit, offset)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json({"query": query, "total": page.total, "results": page.items})
        return
    click.echo(f"{page.total} report(s) match {query!r}")
    for r in page.items:
        click.echo(f"\n{r['id']}  {r['published'] or '----------'}  {r['outlet'] or '-'}  "
                   f"{r['title'] or '(untitled)'}")
        click.echo(f"    {r['snippet']}")


@main.command("list")
@db_option
@_filter_options
@click.option("--limit", type=int, default=50, show_default=True, help="Rows to show.")
@click.option("--offset", type=int, default=0, show_default=True, help="Rows to skip first (paging).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(db: str | None, since, until, outlet, tag, language, limit: int, offset: int,
             as_json: bool) -> None:
    """Stored reports, newest first."""
    conn = open_existing(db)
    page = queries.list_reports(conn, Filters(since, until, outlet, tag, language), limit, offset)
    if as_json:
        echo_json({"total": page.total, "reports": page.items})
        return
    click.echo(f"{page.total} report(s)")
    for r in page.items:
        near = f"  (near-duplicate of {r['near_duplicate_of']})" if r["near_duplicate_of"] else ""
        click.echo(f"{r['id']}  {r['published'] or '----------'}  {(r['outlet'] or '-')[:18]:18}  "
                   f"{r['title'] or r['source']}{near}")


@main.command()
@click.argument("report_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show(report_id: str, db: str | None, as_json: bool) -> None:
    """One report with its metadata (REPORT_ID may be a unique prefix)."""
    conn = open_existing(db)
    try:
        r = queries.get_report(conn, report_id)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json(r)
        return
    for key in ("id", "title", "outlet", "author", "published", "language", "url", "source",
                "format", "encoding", "words", "ingested_at"):
        click.echo(f"{key:>10}: {r[key] if r[key] is not None else '-'}")
    click.echo(f"{'tags':>10}: {', '.join(r['tags']) or '-'}")
    for c in r["captions"]:
        click.echo(f"{'caption':>10}: {c}")
    if r["near_duplicate_of"]:
        click.echo(f"{'copy of':>10}: {r['near_duplicate_of']} (similarity {r['near_similarity']})")
    for n in r["near_duplicates"]:
        click.echo(f"{'copied by':>10}: {n['id']} {n['outlet'] or ''} (similarity {n['near_similarity']})")
    if len(r["sources"]) > 1:
        click.echo(f"{'also at':>10}: {', '.join(r['sources'][1:])}")
    click.echo("")
    click.echo(r["text"])


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def stats(db: str | None, as_json: bool) -> None:
    """Counts by outlet, month and language; failures; recent runs."""
    conn = open_existing(db)
    s = queries.stats(conn)
    if as_json:
        echo_json(s)
        return
    click.echo(f"reports: {s['reports']} ({s['near_duplicates']} near-duplicates), "
               f"words: {s['words']}, failures: {s['failures']}")
    for title, key in (("by outlet", "by_outlet"), ("by month", "by_month"),
                       ("by language", "by_language"), ("failures by stage", "failures_by_stage")):
        if s[key]:
            click.echo(f"\n{title}:")
            for row in s[key]:
                click.echo(f"  {row['count']:>7}  {row['key']}")
    if s["recent_failures"]:
        click.echo("\nrecent failures:")
        for f in s["recent_failures"]:
            click.echo(f"  {f['source']}: {f['reason']}")


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json",
              show_default=True, help="json: one indented sheet per report; jsonl: one per line.")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for reports without one.")
@click.option("--outlet", help="Outlet for reports that do not name one.")
@click.option("--language", help="Language for reports that do not say (ISO 639-1).")
@ko_analyser_option
def extract(files: tuple[str, ...], fmt: str, published: str | None, outlet: str | None,
            language: str | None) -> None:
    """Print the fact sheet of each report in FILE... (no database needed), in input order."""
    from borderwatch.extract.run import extract_sources
    from borderwatch.ingest import ReadOptions

    try:
        options = ReadOptions(outlet=outlet, published=published, language=language)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    failed = 0
    for item in extract_sources(list(files), options, stdin=sys.stdin.buffer):
        if isinstance(item, dict):
            click.echo(json.dumps(item, ensure_ascii=False, indent=None if fmt == "jsonl" else 2))
        else:
            failed += 1
            click.echo(item.line(), err=True)
    sys.exit(1 if failed else 0)


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def reindex(db: str | None, as_json: bool) -> None:
    """Rebuild the search index (the folder DB.search beside the store) from the store."""
    import time

    from borderwatch.store.searchindex import index_path
    from borderwatch.store.searchindex import reindex as rebuild

    conn = open_existing(db)
    t0 = time.perf_counter()
    n = rebuild(conn)
    out = {"reports": n, "seconds": round(time.perf_counter() - t0, 1),
           "index": str(index_path(conn))}
    if as_json:
        echo_json(out)
    else:
        click.echo(f"{n} report(s) indexed in {out['seconds']} s into {out['index']}", err=True)


@main.command()
@db_option
@click.option("--stale", is_flag=True, help="Only reports extracted by other rules or data.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@ko_analyser_option
def reextract(db: str | None, stale: bool, quiet: bool, as_json: bool) -> None:
    """Re-run extraction over the store in place; reviewed facts are kept."""
    from borderwatch.jobs import reextract as run_reextract
    from borderwatch.progress import Progress

    conn = open_existing(db)
    total = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    s = run_reextract(conn, only_stale=stale,
                      progress=Progress(total, enabled=not quiet, label="reextract"),
                      on_failure=lambda f: click.echo(f.line(), err=True))
    out = {"reports": s.reports, "events": s.events, "failed": s.failed,
           "kept_reviewed": s.kept_reviewed}
    if as_json:
        echo_json(out)
    else:
        click.echo(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in out.items()), err=True)
    sys.exit(1 if s.failed else 0)


@main.command()
@db_option
@click.option("--type", "event_type", metavar="EVENT_TYPE", help="Event type (e.g. smuggling).")
@click.option("--place", help="Place name or id (e.g. Sinuiju, place:sinuiju).")
@click.option("--commodity", help="Commodity name or id (e.g. coal).")
@click.option("--since", metavar="DATE", callback=checked_bound,
              help="Event (else report) date on or after.")
@click.option("--until", metavar="DATE", callback=checked_bound,
              help="Event (else report) date on or before.")
@click.option("--source-kind", metavar="KIND",
              help="Attribution kind: anonymous, named_person, state_media, media_outlet,"
                   " official, document, or none.")
@click.option("--no-negated", is_flag=True, help="Hide events the text says did not happen.")
@click.option("--limit", type=int, default=50, show_default=True, help="Rows to show.")
@click.option("--offset", type=int, default=0, show_default=True, help="Rows to skip first (paging).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def facts(db: str | None, event_type: str | None, place: str | None, commodity: str | None,
          since: str | None, until: str | None, source_kind: str | None, no_negated: bool,
          limit: int, offset: int, as_json: bool) -> None:
    """Stored events with their facts, newest first."""
    from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES
    from borderwatch.store.facts import FactFilters, query_events

    if event_type and event_type not in EVENT_TYPES:
        raise click.BadParameter(f"unknown event type {event_type!r}; one of: {', '.join(EVENT_TYPES)}",
                                 param_hint="--type")
    if source_kind and source_kind not in ATTRIBUTION_KINDS | {"none"}:
        raise click.BadParameter(f"unknown source kind {source_kind!r}", param_hint="--source-kind")
    conn = open_existing(db)
    total, rows = query_events(conn, FactFilters(event_type, place, commodity, since, until,
                                                 source_kind, not no_negated), limit, offset)
    if as_json:
        echo_json({"total": total, "events": rows})
        return
    click.echo(f"{total} event(s)")
    for e in rows:
        flags = "".join([" [negated]" if e["negated"] else "", " [hedged]" if e["hedged"] else ""])
        who = f" — {e['attribution_holder']} ({e['attribution_kind']})" if e["attribution_kind"] else ""
        click.echo(f"\n{e['date'] or e['published'] or '----------'}  {e['type']}{flags}  "
                   f"{e['report_id']}{who}")
        places = ", ".join(e["facts"]["places"])
        goods = ", ".join(e["facts"]["commodities"])
        if places or goods:
            click.echo(f"    {places}{' | ' if places and goods else ''}{goods}")
        click.echo(f"    {e['sentence']}")


@main.command("edit")
@click.argument("report_id")
@db_option
@click.option("--title", help="The report's title.")
@click.option("--published", metavar="YYYY-MM-DD", callback=checked_bound,
              help="The publication date (its dates and dollar values are resolved again).")
@click.option("--outlet", help="The outlet that published it.")
@click.option("--user", "user_name", default="cli", show_default=True,
              help="Name written in the review log.")
@click.option("--json", "as_json", is_flag=True, help="Print the report's new details as JSON.")
def edit(report_id: str, db: str | None, title: str | None, published: str | None,
         outlet: str | None, user_name: str, as_json: bool) -> None:
    """Correct a report's title, publication date or outlet (logged with the values before)."""
    from borderwatch.jobs import edit_details
    from borderwatch.store.review import ReviewError

    conn = open_existing(db)
    changes = {k: v for k, v in (("title", title), ("published", published), ("outlet", outlet))
               if v is not None}
    if not changes:
        raise click.UsageError("nothing to change: give --title, --published or --outlet")
    try:
        rid = queries.resolve_id(conn, report_id)
        out = edit_details(conn, rid, changes, user_name)
    except (QueryError, ReviewError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json(out)
    else:
        click.echo(", ".join(f"{k} {v}" for k, v in out.items() if k != "id"))


def _register() -> None:
    """Commands that live in borderwatch/commands/ (one module per area)."""
    from borderwatch.commands.batch import batch, load
    from borderwatch.commands.export import export
    from borderwatch.commands.review import reviews, undo
    from borderwatch.commands.serve import serve, user
    from borderwatch.commands.watch import watch

    for cmd in (batch, export, load, reviews, serve, undo, user, watch):
        main.add_command(cmd)


_register()
