"""`borderwatch reviews` and `borderwatch undo`: the review history from the command line, and
undoing one review (the same job as the reader's Undo button and POST /api/reviews/{id}/undo)."""

from __future__ import annotations

from typing import Any

import click

from borderwatch.commands.common import DB_HELP, echo_json, open_existing


def _diff(before: Any, after: Any) -> str:
    """'type: smuggling -> trade; date: - -> 2021-05' (only what changed)."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        return ""
    b, a = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    words = lambda v: "-" if v in (None, "", []) else (", ".join(map(str, v)) if isinstance(v, list) else str(v))  # noqa: E731
    return "; ".join(f"{k}: {words(b.get(k))} -> {words(a.get(k))}"
                     for k in dict.fromkeys([*b, *a]) if b.get(k) != a.get(k))


@click.command("reviews")
@click.argument("report_id", required=False)
@click.option("--db", "db", default=None, metavar="PATH", help=DB_HELP)
@click.option("--limit", type=int, default=50, show_default=True, help="Newest reviews to show.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def reviews(report_id: str | None, db: str | None, limit: int, as_json: bool) -> None:
    """Review history, newest first (of one report when REPORT_ID is given): who changed which
    fact, when, before -> after, and whether it was undone."""
    from borderwatch.store.queries import QueryError, resolve_id
    from borderwatch.store.review import list_reviews

    conn = open_existing(db)
    if report_id:
        try:
            report_id = resolve_id(conn, report_id)
        except QueryError as exc:
            raise click.ClickException(str(exc)) from exc
    rows = list_reviews(conn, report_id, limit)
    if as_json:
        echo_json({"reviews": rows})
        return
    if not rows:
        click.echo("no reviews")
    for r in rows:
        fact = f"{r['fact_table']} {r['fact_id']}" if r["fact_id"] is not None else r["fact_table"]
        state = f"  [undone by {r['undone_by']}]" if r["undone_by"] else (
            f"  [undoes {r['undoes']}]" if r["undoes"] else "")
        click.echo(f"{r['id']:>6}  {r['at']}  {r['user']:<10} {r['action']:<7} {fact}  "
                   f"({r['report_id']}){state}")
        diff = _diff(r["before"], r["after"])
        if diff:
            click.echo(f"        {diff}")


@click.command("undo")
@click.argument("review_id", type=int)
@click.option("--db", "db", default=None, metavar="PATH", help=DB_HELP)
@click.option("--user", "user_name", default="cli", show_default=True,
              help="Name written in the review log.")
@click.option("--json", "as_json", is_flag=True, help="Print what was undone as JSON.")
def undo(review_id: int, db: str | None, user_name: str, as_json: bool) -> None:
    """Undo review REVIEW_ID (see `borderwatch reviews`): the facts, report details or incident
    grouping it changed go back exactly; a later review of the same fact is undone first."""
    from borderwatch.jobs import undo as run_undo
    from borderwatch.store.review import ReviewError

    conn = open_existing(db)
    try:
        out = run_undo(conn, review_id, user_name)
    except ReviewError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json(out)
    else:
        click.echo(f"undid review {review_id} ({out['action']}) as review {out['id']}")
