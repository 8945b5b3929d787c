"""Claims in the store: lists, groups, counts and collisions read from the stored claims
(store/claim_table.py derives them when facts are written; resolve/claims.py says what a claim
is, its stance and how claims group)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from borderwatch.resolve.claims import SIDES, Claim, ClaimGroup, Subject, claim_rules, group_claims, group_of
from borderwatch.store.paging import SortSpec
from borderwatch.store.periods import DateBound


@dataclass(frozen=True, slots=True)
class ClaimFilters:
    """What the Claims page and its exports narrow to: a subject (the claim's topic), a place
    named in the claim (or by its event), a period (on the claim's date), one side."""

    subject: str | None = None
    place: str | None = None  # a place id ('place:hyesan') or name
    since: str | None = None
    until: str | None = None
    side: str | None = None  # authorities | sources
    undated: bool = False  # only claims with no month (no event date, no publication date)
    colliding: bool | None = None  # only claims that collide (True) or do not (False)
    no_day: bool = False  # only claims with no date at all


# --- reading claims -----------------------------------------------------------------------------
#
# Lists are read from the stored claims through indexes: a month's claims (claims_day), a
# subject-month's (claims_group), a place's (claim_places). Whether a claim collides is judged
# over the claims of the filters that decide it (subject, place, period) before a list keeps one
# side or the colliding ones: `flags` says, per subject-month, which side holds which stance, and
# each claim is judged against its month's flags. For the whole store (no place, no period) the
# flags, the groups and the month counts are read from claim_counts (a row per subject, month,
# side and stance), so the default Claims page never reads every claim.

_FLAGS = """
flags AS (
  -- by bucket, which is the month where there is one (and only months can collide)
  SELECT subject, bucket,
    max(side = 'authorities' AND stance = 0) AS a0, max(side = 'authorities' AND stance = 1) AS a1,
    max(side = 'sources' AND stance = 0) AS s0, max(side = 'sources' AND stance = 1) AS s1
  FROM {rows} WHERE length(bucket) = 7 GROUP BY subject, bucket
),
listed AS (
  -- a claim collides when the other side holds the opposite stance on the subject that month
  SELECT base.*,
    (base.period IS NOT NULL AND ((a0 AND s1) OR (a1 AND s0))) AS group_collision,
    (base.period IS NOT NULL AND base.stance IS NOT NULL AND CASE base.side
       WHEN 'authorities' THEN (base.stance = 0 AND s1) OR (base.stance = 1 AND s0)
       ELSE (base.stance = 0 AND a1) OR (base.stance = 1 AND a0) END) AS colliding
  FROM base LEFT JOIN flags ON flags.subject = base.subject AND flags.bucket = base.bucket
  {where}
)"""
# Stored claims as rows (n: how many claims a row stands for); `narrow`: the columns that
# counting reads (the same as _COUNT_ROWS').
_CLAIM_ROWS = "SELECT {columns}, 1 AS n, c.published AS newest FROM claims c WHERE 1{where}"
_NARROW = "c.subject, c.period, c.bucket, c.side, c.stance, c.ord"
# Counted claims as rows.
_COUNT_ROWS = ("SELECT subject, CASE WHEN length(bucket) = 7 THEN bucket END AS period, bucket,"
               " side, nullif(stance, -1) AS stance, ord, claims AS n, newest FROM claim_counts"
               " WHERE 1{where}")
_COLUMNS = ("subject, side, holder, kind, stance, cue, text, report_id, outlet, published, day,"
            " period, start, \"end\", cue_start, cue_end, lo, event_ids, hedged, colliding")
# The Claims page lists groups (a subject in a month), colliding ones first, newest first.
GROUP_SORT = SortSpec({"collision": "collision", "period": "period", "topic": "ord",
                       "claims": "claims"},
                      default="collision", default_order="desc",
                      then="period IS NULL, period DESC, newest DESC, ord",
                      first_order={"collision": "desc", "period": "desc", "claims": "desc"})
# The flat list of claims (one side, one group, or every claim of the filters).
CLAIM_SORT = SortSpec({"collision": "colliding", "date": "day", "topic": "ord", "side": "side",
                       "holder": "holder COLLATE NOCASE", "stance": "stance"},
                      default="collision", default_order="desc",
                      then="day IS NULL, day DESC, report_id, lo, ord, holder",
                      first_order={"collision": "desc", "date": "desc"})
SHOWN_PER_SIDE = 8  # claims of each side a group shows on the page; the rest are a link away


def _place_id(conn: sqlite3.Connection, place: str) -> str:
    """A place filter as an entity id: the id itself, or the id of a place of that name (in
    any case). Each step is an index lookup but the last (a name typed in another case)."""
    for sql in ("SELECT entity_id FROM mentions WHERE entity_id = ? AND +kind = 'place'",
                "SELECT entity_id FROM mentions WHERE kind = 'place' AND name = ?",
                "SELECT entity_id FROM mentions WHERE kind = 'place' AND name = ? COLLATE NOCASE"):
        row = conn.execute(f"{sql} LIMIT 1", (place,)).fetchone()
        if row:
            return row[0]
    return place


def _counted(f: ClaimFilters) -> bool:
    """True when claim_counts holds what the filters ask (no place, no period)."""
    return not (f.place or f.since or f.until)


def _where(conds: list[tuple[str, Any]]) -> str:
    """' AND c1 AND c2' of the conditions that are on."""
    return "".join(f" AND {c}" for c, on in conds if on)


def _listed_sql(conn: sqlite3.Connection, f: ClaimFilters, counting: bool = False,
                keys: list[tuple[str, str | None]] | None = None) -> tuple[str, dict[str, Any]]:
    """`WITH base, flags, listed`: the claims of the filters, each judged colliding or not
    (with `keys`, only the claims of those (subject, period) groups); with `counting`, rows of
    the columns that counting reads, counted rows where the filters allow. Also the named
    parameters."""
    if f.subject and f.subject not in {s.key for s in claim_rules().subjects}:
        raise ValueError(f"unknown claim subject {f.subject!r}")
    if f.side and f.side not in SIDES:
        raise ValueError(f"side is one of {', '.join(SIDES)}, not {f.side!r}")
    from borderwatch.store.claim_table import ensure_claims

    ensure_claims(conn)  # a store from before claims were stored: derived once, on first use
    params: dict[str, Any] = {"subject": f.subject, "side": f.side, "colliding": f.colliding}
    counted = _where([("subject = :subject", f.subject and not keys),
                      ("length(bucket) <> 7", f.undated), ("bucket = ''", f.no_day)])
    # with a period, its days are read through claims_day (`+`: not the subject's index)
    subject = "+c.subject = :subject" if f.since or f.until else "c.subject = :subject"
    conds = [(subject, f.subject and not keys), ("c.period IS NULL", f.undated),
             ("c.day IS NULL", f.no_day)]
    if f.place:
        params["place"] = _place_id(conn, f.place)
        conds.append(("c.id IN (SELECT claim_id FROM claim_places WHERE place = :place)", True))
    if f.since:
        params["since"] = str(DateBound.parse(f.since))
        conds.append(("c.day >= :since", True))
    if f.until:
        # `day < until~` bounds the index range: every day at or before `until` sorts below it
        until = str(DateBound.parse(f.until))
        params |= {"until": until, "until_hi": until + "~"}
        conds += [("c.day < :until_hi", True), ("substr(c.day, 1, length(:until)) <= :until", True)]
    if keys:
        params |= {f"g{x}{i}": v for i, k in enumerate(keys) for x, v in zip("sp", k)}
        conds.append(("(" + " OR ".join(
            f"(c.subject = :gs{i} AND c.period {'IS NULL' if k[1] is None else f'= :gp{i}'})"
            for i, k in enumerate(keys)) + ")", True))
    where = _where(conds)
    flag_rows = (_COUNT_ROWS.format(where=counted) if _counted(f)
                 else _CLAIM_ROWS.format(columns=_NARROW, where=where))
    rows = flag_rows if counting else _CLAIM_ROWS.format(columns="c.*", where=where)
    listed = [c for c, on in (("base.side = :side", f.side),
                              ("colliding = :colliding", f.colliding is not None)) if on]
    return (f"WITH base AS ({rows}),"
            + _FLAGS.format(rows="base" if counting else f"({flag_rows})",
                            where=("WHERE " + " AND ".join(listed)) if listed else ""), params)


def _claim_of(row: sqlite3.Row, by_key: dict[str, Subject]) -> Claim:
    """One row of `listed` as a Claim."""
    stance = by_key[row["subject"]].stances[row["stance"]] if row["stance"] is not None else None
    ids = tuple(int(i) for i in row["event_ids"].split(",")) if row["event_ids"] else ()
    return Claim(row["subject"], row["side"], row["holder"], row["kind"], stance, row["cue"],
                 row["text"], row["report_id"], row["outlet"], row["published"], row["day"],
                 row["period"], row["start"], row["end"], row["cue_start"], row["cue_end"], ids,
                 bool(row["hedged"]), bool(row["colliding"]))


def _subjects_by_key() -> dict[str, Subject]:
    return {s.key: s for s in claim_rules().subjects}


def iter_claims(conn: sqlite3.Connection, f: ClaimFilters = ClaimFilters(),
                sort: str | None = None, order: str | None = None,
                limit: int = -1, offset: int = 0) -> Iterator[Claim]:
    """The claims of the filters, one at a time, colliding ones first (or as sorted)."""
    key, direction = CLAIM_SORT.check(sort, order)
    sql, params = _listed_sql(conn, f)
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    by_key = _subjects_by_key()
    for row in cur.execute(f"{sql} SELECT {_COLUMNS} FROM listed"
                           f" ORDER BY {CLAIM_SORT.order_by(key, direction)}"
                           f" LIMIT :limit OFFSET :offset", params | {"limit": limit, "offset": offset}):
        yield _claim_of(row, by_key)


_GROUPS_SQL = """
SELECT subject, period, min(ord) AS ord, sum(n) AS claims,
       sum(CASE side WHEN 'authorities' THEN n ELSE 0 END) AS authorities,
       sum(CASE side WHEN 'sources' THEN n ELSE 0 END) AS sources,
       max(group_collision) AS collision, max(newest) AS newest, sum(colliding * n) AS colliding
FROM listed GROUP BY subject, period
"""


def group_index(conn: sqlite3.Connection, f: ClaimFilters, sort: str | None = None,
                order: str | None = None) -> list[dict[str, Any]]:
    """Every group of the filters in the order asked for: subject, period, claims, the claims
    of each side, collision, colliding claims, newest publication date. Read from the counts
    when the filters allow (a few rows per subject-month), else from the filters' claims."""
    key, direction = GROUP_SORT.check(sort, order)
    sql, params = _listed_sql(conn, f, counting=True)
    return [dict(r) for r in conn.execute(
        f"{sql} SELECT * FROM ({_GROUPS_SQL}) ORDER BY {GROUP_SORT.order_by(key, direction)}",
        params)]


def count_claims(conn: sqlite3.Connection, f: ClaimFilters = ClaimFilters()) -> dict[str, int]:
    """How many claims, groups and colliding groups the filters hold."""
    return _counts(group_index(conn, f))


def _counts(groups: list[dict[str, Any]]) -> dict[str, int]:
    return {"claims": sum(r["claims"] for r in groups), "groups": len(groups),
            "collisions": sum(1 for r in groups if r["collision"])}


def _buckets(conn: sqlite3.Connection, f: ClaimFilters) -> dict[str | None, tuple[int, int]]:
    """(colliding claims, claims) of the filters by the date they sort under: a month, a year
    (a claim dated to a year only, which sorts between that year's months and the year
    before), or None (no date; last)."""
    sql, params = _listed_sql(conn, f, counting=True)
    return {r[0] or None: (r[1], r[2]) for r in conn.execute(
        f"{sql} SELECT bucket, sum(colliding * n), sum(n) FROM listed GROUP BY bucket", params)}


def _in_bucket(f: ClaimFilters, bucket: str | None) -> ClaimFilters:
    """The filters cut down to one date bucket of _buckets."""
    if bucket is None:
        return replace(f, no_day=True)
    bound = DateBound.parse(bucket)
    since, until = bucket, bucket
    if f.since and DateBound.parse(f.since).first_day() > bound.first_day():
        since = f.since
    if f.until and DateBound.parse(f.until).last_day() < bound.last_day():
        until = f.until
    return replace(f, since=since, until=until, undated=f.undated or bound.month is None)


def claim_page(conn: sqlite3.Connection, f: ClaimFilters = ClaimFilters(),
               sort: str | None = None, order: str | None = None, limit: int = 25,
               offset: int = 0) -> tuple[int, list[Claim]]:
    """One page of the flat list of claims, and how many there are.

    Ordered by collision or date, a page's claims lie in a few months, and _buckets says how
    many claims, colliding or not, each month holds: the page is read month by month from just
    those months, not from every claim of the store (the other orders read the whole list)."""
    key, direction = CLAIM_SORT.check(sort, order)
    buckets = _buckets(conn, f)
    total = sum(n for _, n in buckets.values())
    if key not in ("collision", "date") or len(buckets) < 2:
        return total, list(iter_claims(conn, f, key, direction, limit, offset))
    newest_first = key == "collision" or direction == "desc"
    walk = sorted((b for b in buckets if b), reverse=newest_first) + [None] * (None in buckets)
    segments: list[bool | None] = [None] if key == "date" else (
        [True, False] if direction == "desc" else [False, True])
    out: list[Claim] = []
    for seg in segments:
        for bucket in walk:
            colliding, n = buckets[bucket]
            n = n if seg is None else (colliding if seg else n - colliding)
            if offset >= n:
                offset -= n
                continue
            out += iter_claims(conn, replace(_in_bucket(f, bucket), colliding=seg), key,
                               direction, limit - len(out), offset)
            offset = 0
            if len(out) >= limit:
                return total, out
    return total, out


def _groups_of(conn: sqlite3.Connection, f: ClaimFilters, groups: list[dict[str, Any]],
               shown: int | None) -> list[ClaimGroup]:
    """ClaimGroups of these rows of group_index, each side's first `shown` claims (colliding
    ones first, then by date) or all of them (None)."""
    if not groups:
        return []
    keys = [(g["subject"], g["period"]) for g in groups]
    sql, params = _listed_sql(conn, f, keys=keys)
    rank = ("row_number() OVER (PARTITION BY subject, period, side ORDER BY colliding DESC,"
            " day IS NULL, day, report_id, lo, holder)")
    limit = f"WHERE n <= {int(shown)}" if shown is not None else ""
    rows = conn.execute(f"{sql}, ranked AS (SELECT {_COLUMNS}, {rank} AS n FROM listed)"
                        f" SELECT * FROM ranked {limit} ORDER BY n", params).fetchall()
    by_key = _subjects_by_key()
    claims: dict[tuple[str, str | None], list[Claim]] = {k: [] for k in keys}
    for row in rows:
        claims[(row["subject"], row["period"])].append(_claim_of(row, by_key))
    out = []
    for g in groups:
        made = group_of(g["subject"], g["period"], claims[(g["subject"], g["period"])])
        out.append(replace(made, collision=bool(g["collision"]),
                           authorities_total=g["authorities"], sources_total=g["sources"]))
    return out


def claim_group_page(conn: sqlite3.Connection, f: ClaimFilters = ClaimFilters(),
                     sort: str | None = None, order: str | None = None, limit: int = 10,
                     offset: int = 0, shown: int | None = SHOWN_PER_SIDE,
                     collisions_only: bool = False) -> tuple[dict[str, int], list[ClaimGroup]]:
    """One page of claim groups (a subject in a month), colliding groups first by default;
    with the number of groups, claims and colliding groups the filters hold (all of them, also
    when only the colliding groups are listed)."""
    groups = group_index(conn, f, sort, order)
    listed = [g for g in groups if g["collision"]] if collisions_only else groups
    return _counts(groups), _groups_of(conn, f, listed[offset:offset + limit], shown)


def collect_claims(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                   subject: str | None = None) -> list[Claim]:
    """Every claim of the period and subject, by date."""
    f = ClaimFilters(subject=subject, since=since or None, until=until or None)
    return list(iter_claims(conn, f, "date", "asc"))


def claim_groups(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                 subject: str | None = None) -> list[ClaimGroup]:
    """Every group of the filters with all its claims (for tests and small stores; the page
    reads one page of groups with `claim_group_page`)."""
    return group_claims(collect_claims(conn, since, until, subject))


def newest_collisions(conn: sqlite3.Connection, limit: int = 5, since: str | None = None,
                      until: str | None = None) -> list[ClaimGroup]:
    """The most recent subject-months where authorities and sources disagree (for the brief)."""
    f = ClaimFilters(since=since or None, until=until or None)
    return claim_group_page(conn, f, "period", "desc", limit, 0, collisions_only=True)[1]
