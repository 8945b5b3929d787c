"""The claims as the per-request code computed them before migration 0010 (a frozen copy of
resolve/claims.py's query-time SQL at that time): the oracle that the claims table, derived
when facts are written, must agree with (tests/resolve/test_claims_table.py). Its answers over
every claim were kept while the store did not change (store/memo.py then); here they are kept
while the connection has made no change (`total_changes`), which is the same for the tests.

Not used by the package. Everything it shares with the package (rules, dataclasses, stance_of)
is imported from resolve/claims.py, so only the way claims are found and grouped is frozen here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

from borderwatch.resolve.claims import SIDES, Claim, ClaimGroup, Subject, claim_rules, stance_of
from borderwatch.store.claims import ClaimFilters
from borderwatch.store.paging import SortSpec
from borderwatch.store.periods import DateBound

T = TypeVar("T")
_kept: dict[tuple, Any] = {}


def memoized(conn: sqlite3.Connection, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its answer from when this connection was in the same state. The key
    holds the database file: a closed connection's id() is reused by the next one made, whose
    change count starts again, so an id alone served one test's store to another (the
    synthetic-store comparison failed now and then with the sample store's answers)."""
    path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
    full = (id(conn), path, conn.total_changes, key)
    if full not in _kept:
        if len(_kept) > 256:
            _kept.clear()
        _kept[full] = compute()
    return _kept[full]

# --- claims in SQL ----------------------------------------------------------------------------
#
# Claims are found, grouped and paged by SQLite: the rules' regular expressions (stance cues,
# subject keywords, reported speech) run inside the query as three functions registered on the
# connection, so a page of the Claims list reads only the rows it shows into Python, however
# many claims the store holds. The query gives one row per claim with the same rules as the
# description at the top of this module:
#   ev       events of the subjects' types (not rejected) spoken by a known side or by the outlet
#   cand     claim candidates: those events, and every attribution of a known side (whose subject
#            is found by keywords later), each with the sentence it sits in and the number of
#            attributions there
#   scoped   each candidate's scope: the part of the sentence from its attribution to the next
#   ev_claims one claim per report, scope start, subject and holder (events merged)
#   at_claims an attribution's sentence is a claim on a subject when no event claim has the same
#            key, the scope names the subject and takes a stance
_OK = "coalesce({t}.review, '') <> 'rejected'"
_SENTENCE_ATTS = ("FROM attributions {a} WHERE {a}.report_id = {c}.report_id"
                  " AND {a}.sentence = {c}.sentence AND coalesce({a}.review, '') <> 'rejected'")


def _atts(a: str, c: str) -> str:
    """FROM/WHERE of the non-rejected attributions in candidate `c`'s sentence."""
    return _SENTENCE_ATTS.format(a=a, c=c)


_CLAIMS_CTE = f"""
WITH subjects(key, ord) AS (VALUES {{subject_rows}}), {{period_reports}}
ev AS ({{events}}
),
cand AS (
  SELECT 'e' AS src, ev.id AS event_id, ev.report_id, ev.sentence, s.start AS s_start,
         s."end" AS s_end, ev.kind, ev.subject, ev.day, ev.outlet, ev.published, ev.hedged,
         ev.at_place, (SELECT count(*) {_atts("a", "ev")}) AS n_atts,
         CASE WHEN ev.kind IS NULL THEN coalesce(nullif(ev.outlet, ''), '(outlet)')
              ELSE ev.att_holder END AS holder,
         CASE WHEN ev.kind IS NULL THEN NULL ELSE coalesce(
           (SELECT a.start {_atts("a", "ev")} AND a.idx = ev.att_idx ORDER BY a.start LIMIT 1),
           ev.start) END AS at
  FROM ev JOIN sentences s ON s.report_id = ev.report_id AND s.idx = ev.sentence
  WHERE ev.kind IS NOT NULL OR (n_atts = 0 AND NOT bw_reported_speech(
    -- the outlet's own voice counts only where nobody else is speaking in the sentence
    (SELECT substr(text, s.start + 1, s."end" - s.start) FROM reports WHERE id = ev.report_id)))
  UNION ALL
  SELECT 'a', NULL, a.report_id, a.sentence, s.start, s."end", a.kind, NULL, r.published,
         r.outlet, r.published, 0, 0, (SELECT count(*) {_atts("b", "a")}),
         coalesce(a.holder, a.text), a.start
  FROM reports r CROSS JOIN attributions a ON a.report_id = r.id
  JOIN sentences s ON s.report_id = a.report_id AND s.idx = a.sentence
  WHERE {_OK.format(t="a")} AND a.kind IN ({{kinds}}) {{attribution_scope}}
),
scoped AS (
  SELECT cand.*,  -- the first attribution's scope opens at the sentence start
    CASE WHEN n_atts < 2 OR at IS NULL THEN s_start ELSE coalesce(
      (SELECT max(a.start) {_atts("a", "cand")} AND a.start <= cand.at
         AND a.start > (SELECT min(b.start) {_atts("b", "cand")})), s_start) END AS lo,
    CASE WHEN n_atts < 2 OR at IS NULL THEN s_end ELSE coalesce(
      (SELECT min(a.start) {_atts("a", "cand")}
         AND a.start > max(cand.at, (SELECT min(b.start) {_atts("b", "cand")}))), s_end) END AS hi
  FROM cand
),
ev_claims AS (
  SELECT report_id, sentence, lo, hi, subject, holder, max(event_id) AS last_event, kind, day,
         outlet, published, group_concat(event_id) AS event_ids,
         sum(hedged) = count(*) AS hedged, sum(at_place) > 0 AS at_place
  FROM scoped WHERE src = 'e' GROUP BY report_id, lo, subject, holder
),
at_text AS MATERIALIZED (
  SELECT scoped.*, bw_claim_subjects((SELECT substr(text, lo + 1, hi - lo) FROM reports
           WHERE id = scoped.report_id)) AS subject_list
  FROM scoped WHERE src = 'a'
),
found AS (
  -- one claim per key: the event claim when there is one, else the first attribution's
  SELECT max(rank) AS rank, from_event, report_id, sentence, lo, hi, subject, holder, kind, day,
         outlet, published, event_ids, hedged, at_place
  FROM (
    SELECT 1e15 AS rank, 1 AS from_event, report_id, sentence, lo, hi, subject, holder, kind,
           day, outlet, published, event_ids, hedged, at_place FROM ev_claims
    UNION ALL
    SELECT -t.at, 0, t.report_id, t.sentence, t.lo, t.hi, subjects.key, t.holder, t.kind, t.day,
           t.outlet, t.published, NULL, 0, 0
    FROM at_text t JOIN subjects ON instr(t.subject_list, ',' || subjects.key || ',') > 0
  ) GROUP BY report_id, lo, subject, holder
),
texts AS MATERIALIZED (
  SELECT found.*, (SELECT substr(text, lo + 1, hi - lo) FROM reports
                   WHERE id = found.report_id) AS text,
         EXISTS (SELECT 1 FROM amounts am WHERE am.report_id = found.report_id
                 AND am.sentence = found.sentence AND {_OK.format(t="am")}
                 AND am.start >= found.lo AND am.start < found.hi) AS has_count
  FROM found
),
staked AS MATERIALIZED (
  SELECT texts.*, bw_claim_stance(subject, text, has_count) AS stance FROM texts
),
claims AS (
  SELECT staked.*, (SELECT ord FROM subjects WHERE key = staked.subject) AS ord,
         CASE WHEN kind IS NULL THEN :outlet_side {{side_cases}} END AS side,
         CASE WHEN length(day) >= 7 THEN substr(day, 1, 7) END AS period
  FROM staked WHERE (from_event OR stance IS NOT NULL) {{claim_place}} {{claim_period}}
),
judged AS (
  -- a claim collides when the other side holds the opposite stance on the subject that month
  -- (judged over both sides, also when the list keeps one)
  SELECT claims.*,
    max(side = 'authorities' AND stance = 0) OVER grp AS a0,
    max(side = 'authorities' AND stance = 1) OVER grp AS a1,
    max(side = 'sources' AND stance = 0) OVER grp AS s0,
    max(side = 'sources' AND stance = 1) OVER grp AS s1
  FROM claims WINDOW grp AS (PARTITION BY subject, period)
),
listed AS (
  SELECT judged.*, (period IS NOT NULL AND ((a0 AND s1) OR (a1 AND s0))) AS group_collision,
    (period IS NOT NULL AND stance IS NOT NULL AND CASE side
       WHEN 'authorities' THEN (stance = 0 AND s1) OR (stance = 1 AND s0)
       ELSE (stance = 0 AND a1) OR (stance = 1 AND a0) END) AS colliding
  FROM judged {{claim_where}}
)
"""

_COLUMNS = ("subject, side, holder, kind, stance, has_count, text, report_id, outlet, published,"
            " day, period, lo, hi, event_ids, hedged, colliding")
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


def _functions(conn: sqlite3.Connection) -> None:
    """Register the rules' regular expressions as SQL functions on `conn` (cheap; idempotent)."""
    rules = claim_rules()
    by_key = {s.key: s for s in rules.subjects}

    def stance(key: str, text: str | None, has_count: int) -> int | None:
        subject = by_key.get(key)
        if subject is None or text is None:
            return None
        found, _ = stance_of(subject, text, bool(has_count))
        return None if found is None else subject.stances.index(found)

    def subjects(text: str | None) -> str:
        """',epidemic,prices,': the subjects whose keywords the text names."""
        if not text:
            return ""
        found = [s.key for s in rules.subjects if s.keywords.search(text)]
        return f",{','.join(found)}," if found else ""

    def reported(text: str | None) -> int:
        return int(bool(text and rules.reported_speech.search(text)))

    conn.create_function("bw_claim_stance", 3, stance, deterministic=True)
    conn.create_function("bw_claim_subjects", 1, subjects, deterministic=True)
    conn.create_function("bw_reported_speech", 1, reported, deterministic=True)


def _place_id(conn: sqlite3.Connection, place: str) -> str:
    """A place filter as an entity id: the id itself, or the id of a place of that name."""
    row = conn.execute("SELECT entity_id FROM mentions WHERE kind = 'place' AND (entity_id = ?"
                       " OR name = ? COLLATE NOCASE) LIMIT 1", (place, place)).fetchone()
    return row[0] if row else place


_EVENT_COLUMNS = """
  SELECT e.id, e.report_id, e.sentence, e.start, e.attribution_kind AS kind,
         coalesce(nullif(e.attribution_holder, ''), e.attribution_kind) AS att_holder,
         json_extract(e.facts, '$.attribution') AS att_idx, e.hedged,
         coalesce(e.date, r.published) AS day, r.outlet, r.published,
         CASE e.type {subject_cases} END AS subject, {event_place} AS at_place"""
_EVENT_FILTER = (f"{_OK.format(t='e')} AND e.type IN ({{types}})"
                 " AND (e.attribution_kind IS NULL OR e.attribution_kind IN ({kinds}))")


def _period(column: str, f: ClaimFilters) -> str:
    """AND-conditions keeping `column` (a date) in the filters' period, by the one rule of
    store/periods.py, plus bounds an index can use (`column < until~`: every value whose
    prefix is at most `until` sorts before it, '~' being above every digit and hyphen)."""
    conds = []
    if f.since:
        conds.append(f"{column} >= :since")
    if f.until:
        conds += [f"{column} < :until_hi", f"substr({column}, 1, length(:until)) <= :until"]
    return "".join(f" AND {c}" for c in conds)


def _events_sql(f: ClaimFilters, common: dict[str, str]) -> str:
    """The `ev` CTE's body: the events of the subjects' types; with a period, of the reports
    that may hold a claim of the period (see _period_reports)."""
    cols = _EVENT_COLUMNS.format(**common)
    where = _EVENT_FILTER.format(**common)
    scope = " AND e.report_id IN (SELECT id FROM period_reports)" if f.since or f.until else ""
    return f"{cols}\n  FROM events e JOIN reports r ON r.id = e.report_id WHERE {where}{scope}"


def _period_reports(f: ClaimFilters, types: str) -> str:
    """With a period: the reports that may hold a claim of it, read through indexes (reports
    by publication date, events by their own date). A claim's date is its event's date, else its
    report's, and it is known only once the report's claims are found and merged (an event
    claim takes the place of an attribution's claim on the same words), so whole reports are
    read and the claims are kept by date after: a month's claims are the same whether the
    list asks for the month or for everything."""
    if not (f.since or f.until):
        return ""
    return (f"period_reports(id) AS (SELECT r.id FROM reports r WHERE 1{_period('r.published', f)}"
            f" UNION SELECT e.report_id FROM events e WHERE e.date IS NOT NULL"
            f" AND +e.type IN ({types}){_period('e.date', f)}),")


def _where(conds: tuple[tuple[str, bool], ...]) -> str:
    """WHERE of the conditions that are on ('' when none is)."""
    on = [c for c, is_on in conds if is_on]
    return ("WHERE " + " AND ".join(on)) if on else ""


def _claims_sql(conn: sqlite3.Connection, f: ClaimFilters) -> tuple[str, dict[str, Any]]:
    """The claims CTE (ending in `listed`) for the filters, and its named parameters."""
    rules = claim_rules()
    subjects = [s for s in rules.subjects if f.subject in (None, s.key)]
    if f.subject and not subjects:
        raise ValueError(f"unknown claim subject {f.subject!r}")
    if f.side and f.side not in SIDES:
        raise ValueError(f"side is one of {', '.join(SIDES)}, not {f.side!r}")
    _functions(conn)
    order = {s.key: i for i, s in enumerate(rules.subjects)}
    types = sorted(t for s in subjects for t in s.event_types)
    kinds = sorted(rules.side_of)
    params: dict[str, Any] = {"outlet_side": rules.outlet_side}
    for i, subj in enumerate(subjects):
        params |= {f"sk{i}": subj.key, f"so{i}": order[subj.key]}
    type_subject = [(t, subj.key) for subj in subjects for t in sorted(subj.event_types)]
    for i, (t, key) in enumerate(type_subject):
        params |= {f"ct{i}": t, f"cs{i}": key}
    params |= {f"ty{i}": t for i, t in enumerate(types)}
    params |= {f"k{i}": k for i, k in enumerate(kinds)}
    params |= {f"sd{i}": rules.side_of[k] for i, k in enumerate(kinds)}
    if f.since:
        params["since"] = str(DateBound.parse(f.since))
    if f.until:
        until = str(DateBound.parse(f.until))
        params |= {"until": until, "until_hi": until + "~"}
    if f.place:
        params["place"] = _place_id(conn, f.place)
    if f.side:
        params["side"] = f.side
    if f.colliding is not None:
        params["colliding"] = int(f.colliding)
    common = {
        "subject_cases": " ".join(f"WHEN :ct{i} THEN :cs{i}" for i in range(len(type_subject))),
        "event_place": ("EXISTS (SELECT 1 FROM event_entities ee WHERE ee.event_id = e.id"
                        " AND ee.role = 'place' AND ee.entity_id = :place)") if f.place else "0",
        "types": ",".join(f":ty{i}" for i in range(len(types))),
        "kinds": ",".join(f":k{i}" for i in range(len(kinds))),
    }
    sql = _CLAIMS_CTE.format(
        subject_rows=",".join(f"(:sk{i}, :so{i})" for i in range(len(subjects))),
        period_reports=_period_reports(f, common["types"]),
        events=_events_sql(f, common), kinds=common["kinds"],
        attribution_scope=(" AND r.id IN (SELECT id FROM period_reports)"
                           if f.since or f.until else ""),
        claim_period=_period("day", f),
        side_cases=" ".join(f"WHEN kind = :k{i} THEN :sd{i}" for i in range(len(kinds))),
        claim_place=("AND (at_place OR EXISTS (SELECT 1 FROM mentions m WHERE m.report_id ="
                     " staked.report_id AND m.kind = 'place' AND m.entity_id = :place AND"
                     " m.start >= staked.lo AND m.start < staked.hi"
                     " AND coalesce(m.review, '') <> 'rejected'))") if f.place else "",
        claim_where=_where((("side = :side", bool(f.side)), ("period IS NULL", f.undated),
                            ("colliding = :colliding", f.colliding is not None),
                            ("day IS NULL", f.no_day))),
    )
    return sql, params


def _claim_of(row: sqlite3.Row, by_key: dict[str, Subject]) -> Claim:
    """One row of `listed` as a Claim, its cue found again in its text (a page's rows only)."""
    subject = by_key[row["subject"]]
    raw = row["text"] or ""
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip())
    stance = subject.stances[row["stance"]] if row["stance"] is not None else None
    m = stance_of(subject, raw, bool(row["has_count"]))[1] if stance is not None else None
    lo = row["lo"]
    ids = tuple(sorted(int(i) for i in str(row["event_ids"]).split(","))) if row["event_ids"] else ()
    day = row["day"]
    return Claim(row["subject"], row["side"], row["holder"], row["kind"], stance,
                 m.group(0) if m else None, raw.strip(), row["report_id"], row["outlet"],
                 row["published"], day, row["period"], lo + lead, row["hi"] - trail,
                 lo + m.start() if m else None, lo + m.end() if m else None, ids,
                 bool(row["hedged"]), bool(row["colliding"]))


def _subjects_by_key() -> dict[str, Subject]:
    return {s.key: s for s in claim_rules().subjects}


def iter_claims(conn: sqlite3.Connection, f: ClaimFilters = ClaimFilters(),
                sort: str | None = None, order: str | None = None,
                limit: int = -1, offset: int = 0) -> Iterator[Claim]:
    """The claims of the filters, one at a time, colliding ones first (or as sorted)."""
    key, direction = CLAIM_SORT.check(sort, order)
    sql, params = _claims_sql(conn, f)
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    by_key = _subjects_by_key()
    for row in cur.execute(f"{sql} SELECT {_COLUMNS} FROM listed"
                           f" ORDER BY {CLAIM_SORT.order_by(key, direction)}"
                           f" LIMIT :limit OFFSET :offset", params | {"limit": limit, "offset": offset}):
        yield _claim_of(row, by_key)


_GROUPS_SQL = """
, grouped AS (
  SELECT subject, period, min(ord) AS ord, count(*) AS claims,
         sum(side = 'authorities') AS authorities, sum(side = 'sources') AS sources,
         max(group_collision) AS collision, max(published) AS newest,
         sum(colliding) AS colliding, sum(day IS NOT NULL) AS with_day
  FROM listed GROUP BY subject, period
)
SELECT *, count(*) OVER () AS total_groups, sum(claims) OVER () AS total_claims,
       sum(collision) OVER () AS total_collisions
FROM grouped {where}
"""


def group_index(conn: sqlite3.Connection, f: ClaimFilters, sort: str | None = None,
                order: str | None = None, collisions_only: bool = False) -> list[dict[str, Any]]:
    """Every group of the filters in the order asked for: subject, period, claims, the claims
    of each side, collision, newest publication date. It is computed from every claim of the
    filters."""
    key, direction = GROUP_SORT.check(sort, order)

    def compute() -> list[dict[str, Any]]:
        sql, params = _claims_sql(conn, f)
        where = "WHERE collision" if collisions_only else ""
        return [dict(r) for r in conn.execute(
            f"{sql} {_GROUPS_SQL.format(where=where)}"
            f" ORDER BY {GROUP_SORT.order_by(key, direction)}", params)]

    return memoized(conn, ("claims.group_index", f, key, direction, collisions_only), compute)


def count_claims(conn: sqlite3.Connection, f: ClaimFilters = ClaimFilters()) -> dict[str, int]:
    """How many claims, groups and colliding groups the filters hold."""
    rows = group_index(conn, f)
    return {"claims": sum(r["claims"] for r in rows), "groups": len(rows),
            "collisions": sum(1 for r in rows if r["collision"])}


def _buckets(conn: sqlite3.Connection, f: ClaimFilters) -> dict[str | None, tuple[int, int]]:
    """(colliding claims, claims) of the filters by the date they sort under: a month, a year
    (a claim dated to a year only, which sorts between that year's months and the year
    before), or None (no date; last). Kept like the group index."""
    def compute() -> dict[str | None, tuple[int, int]]:
        sql, params = _claims_sql(conn, f)
        return {r[0]: (r[1], r[2]) for r in conn.execute(
            f"{sql} SELECT coalesce(period, day), sum(colliding), count(*) FROM listed"
            f" GROUP BY 1", params)}

    return memoized(conn, ("claims.buckets", f), compute)


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

    Ordered by collision or date, a page's claims lie in a few months, and the kept counts
    of _buckets say how many claims, colliding or not, each month holds: the page is read
    month by month from just those months, not from every claim of the store (the other
    orders read the whole list)."""
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


def _narrowed(f: ClaimFilters, keys: list[tuple[str, str | None]]) -> ClaimFilters:
    """The filters cut down to the months and subject of `keys`: the same claims for those
    groups (a group's claims all lie in its month), read from far fewer rows."""
    subjects = {k[0] for k in keys}
    periods = [k[1] for k in keys if k[1] is not None]
    subject = f.subject or (next(iter(subjects)) if len(subjects) == 1 else None)
    if len(periods) < len(keys):  # an undated group: no period to narrow to
        return replace(f, subject=subject)
    lo, hi = DateBound.parse(min(periods)), DateBound.parse(max(periods))
    since, until = str(lo), str(hi)
    if f.since and DateBound.parse(f.since).first_day() > lo.first_day():
        since = f.since
    if f.until and DateBound.parse(f.until).last_day() < hi.last_day():
        until = f.until
    return replace(f, subject=subject, since=since, until=until)


def _groups_of(conn: sqlite3.Connection, f: ClaimFilters, keys: list[tuple[str, str | None]],
               totals: dict[tuple[str, str | None], tuple[int, int, bool]],
               shown: int | None) -> list[ClaimGroup]:
    """ClaimGroups for the given (subject, period) keys, each side's first `shown` claims
    (colliding ones first, then by date) or all of them (None)."""
    if not keys:
        return []
    sql, params = _claims_sql(conn, _narrowed(f, keys))
    cond = " OR ".join(f"(subject = :gs{i} AND period IS :gp{i})" for i in range(len(keys)))
    rank = ("row_number() OVER (PARTITION BY subject, period, side ORDER BY colliding DESC,"
            " day IS NULL, day, report_id, lo, holder)")
    limit = f"WHERE n <= {int(shown)}" if shown is not None else ""
    rows = conn.execute(
        f"{sql}, ranked AS (SELECT {_COLUMNS}, {rank} AS n FROM listed WHERE {cond})"
        f" SELECT * FROM ranked {limit} ORDER BY n",
        params | {f"g{x}{i}": v for i, k in enumerate(keys) for x, v in zip("sp", k)}).fetchall()
    by_key = _subjects_by_key()
    claims: dict[tuple[str, str | None], list[Claim]] = {k: [] for k in keys}
    for row in rows:
        claims[(row["subject"], row["period"])].append(_claim_of(row, by_key))
    out = []
    for k in keys:
        g = _group(k[0], k[1], claims[k])
        n_auth, n_src, collision = totals[k]
        out.append(ClaimGroup(g.subject, g.label, g.period, g.authorities, g.sources, collision,
                              g.pairs, n_auth, n_src))
    return out


def claim_group_page(conn: sqlite3.Connection, f: ClaimFilters = ClaimFilters(),
                     sort: str | None = None, order: str | None = None, limit: int = 10,
                     offset: int = 0, shown: int | None = SHOWN_PER_SIDE,
                     collisions_only: bool = False) -> tuple[dict[str, int], list[ClaimGroup]]:
    """One page of claim groups (a subject in a month), colliding groups first by default;
    with the number of groups, claims and colliding groups the filters hold (all of them, also
    when only the colliding groups are listed)."""
    rows = group_index(conn, f, sort, order, collisions_only)[offset:offset + limit]
    counts = count_claims(conn, f)
    keys = [(r["subject"], r["period"]) for r in rows]
    totals = {(r["subject"], r["period"]): (r["authorities"], r["sources"], bool(r["collision"]))
              for r in rows}
    return counts, _groups_of(conn, f, keys, totals, shown)


def collect_claims(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                   subject: str | None = None) -> list[Claim]:
    """Every claim in the store (events first, then attribution sentences), one per holder,
    subject and text."""
    f = ClaimFilters(subject=subject, since=since or None, until=until or None)
    return list(iter_claims(conn, f, "date", "asc"))


def _group(subject: str, period: str | None, cs: list[Claim]) -> ClaimGroup:
    """One group from its claims: each side in date order, pairs of opposite stances."""
    labels = {s.key: s.label for s in claim_rules().subjects}
    cs = sorted(cs, key=lambda c: (c.date or "", c.report_id, c.start))
    auth = tuple(c for c in cs if c.side == "authorities")
    src = tuple(c for c in cs if c.side == "sources")
    pairs = tuple((i, j) for i, a in enumerate(auth) for j, s in enumerate(src)
                  if period and a.stance and s.stance and a.stance != s.stance)
    return ClaimGroup(subject, labels[subject], period, auth, src, bool(pairs), pairs)


def group_claims(claims: list[Claim]) -> list[ClaimGroup]:
    """Claims by subject and month, newest month first, with their collisions."""
    order = {s.key: i for i, s in enumerate(claim_rules().subjects)}
    buckets: dict[tuple[str, str | None], list[Claim]] = {}
    for c in claims:
        buckets.setdefault((c.subject, c.period), []).append(c)
    out = [_group(subj, period, cs) for (subj, period), cs in buckets.items()]
    out.sort(key=lambda g: order[g.subject])
    out.sort(key=lambda g: g.period or "", reverse=True)  # stable: newest month first, undated last
    return out


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
