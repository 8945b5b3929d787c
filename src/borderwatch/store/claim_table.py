"""The claims table: each report's claims, derived from its facts whenever they are written.

A report's claims (resolve/claims.py says what a claim is) depend only on its own facts: its
events of the subjects' types, its attributions and amounts (not rejected), its place mentions,
sentences, text, outlet and date. So they are derived one report at a time whenever those change,
in the same transaction: store/facts.write_facts (ingest, reextract) and store/review.log_review
(every accept, reject, correction, added event, report edit and undo), and kept in `claims`
(migration 0010) with the places each names (`claim_places`) and the count per subject, month,
side and stance (`claim_counts`). Review state is never copied: a rejected event or attribution
is out of the claims when its review commits, and back when the undo does. What crosses reports,
whether a month's claims collide, is judged when a list is read (store/claims.py).

A store that held reports before migration 0010, or whose claims were derived under other rules
(data/lang/en/claims.yaml), is filled by `ensure_claims` on first use: resumable, a batch of
reports per transaction.

How a report's claims follow from its facts is store/claim_rows.py. This module reads the facts
from the store and writes the claims and their counts; a report an ingest worker prepared
brings its claims with its facts, derived there, and they are only inserted here.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable
from functools import cache

from borderwatch.datafiles import read_text
from borderwatch.resolve.claims import CLAIMS_FILE, ClaimRules, claim_rules
from borderwatch.store.claim_rows import Att, ClaimFacts, ClaimRow, Ev, claim_rows
from borderwatch.store.db import transaction

CLAIMS_FORMAT = "1"  # bump when the derivation changes what a stored claim holds
BACKFILL_BATCH = 500  # reports per backfill transaction


@cache
def rules_digest() -> str:
    """What the stored claims depend on besides the facts: the rules file and the derivation's
    format. Claims derived under another digest are derived again (ensure_claims)."""
    return hashlib.sha256(f"{CLAIMS_FORMAT}\n{read_text(CLAIMS_FILE)}".encode()).hexdigest()[:16]


def read_facts(conn: sqlite3.Connection, report_ids: list[str], rules: ClaimRules) -> ClaimFacts:
    """The facts of `report_ids` claims are derived from (not rejected), a few indexed reads
    for the whole batch; claim_rows.facts_of_rows makes the same selection from a worker's rows."""
    facts = ClaimFacts()
    q = ",".join("?" * len(report_ids))
    ok = "coalesce(review, '') <> 'rejected'"
    facts.reports = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
        f"SELECT id, text, outlet, published FROM reports WHERE id IN ({q})", report_ids)}
    facts.sentences = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
        f'SELECT report_id, idx, start, "end" FROM sentences WHERE report_id IN ({q})',
        report_ids)}
    for r in conn.execute(
            f"SELECT report_id, sentence, id, idx, start, kind, coalesce(holder, text)"
            f" FROM attributions WHERE report_id IN ({q}) AND {ok} ORDER BY start, id",
            report_ids):
        facts.atts.setdefault(r[0], {}).setdefault(r[1], []).append(Att(r[2], r[3], r[4], r[5], r[6]))
    for r in conn.execute(f"SELECT report_id, sentence, start FROM amounts"
                          f" WHERE report_id IN ({q}) AND {ok}", report_ids):
        facts.amounts.setdefault((r[0], r[1]), []).append(r[2])
    for r in conn.execute(f"SELECT report_id, start, entity_id FROM mentions WHERE report_id"
                          f" IN ({q}) AND +kind = 'place' AND {ok}",  # `+`: by report
                          report_ids):
        facts.places.setdefault(r[0], []).append((r[1], r[2]))
    types = sorted(t for s in rules.subjects for t in s.event_types)
    kinds = sorted(rules.side_of)
    for r in conn.execute(
            f"SELECT report_id, id, sentence, start, type, attribution_kind,"
            f" coalesce(nullif(attribution_holder, ''), attribution_kind),"
            f" json_extract(facts, '$.attribution'), hedged, date"
            f" FROM events WHERE report_id IN ({q}) AND {ok}"
            f" AND type IN ({','.join('?' * len(types))})"
            f" AND (attribution_kind IS NULL OR attribution_kind IN ({','.join('?' * len(kinds))}))"
            f" ORDER BY id", [*report_ids, *types, *kinds]):
        facts.events.setdefault(r[0], []).append(Ev(*r[1:]))
    for r in conn.execute(
            f"SELECT ee.event_id, ee.entity_id FROM event_entities ee JOIN events e"
            f" ON e.id = ee.event_id WHERE e.report_id IN ({q}) AND ee.role = 'place'",
            report_ids):
        facts.event_places.setdefault(r[0], set()).add(r[1])
    return facts


_INSERT = ("INSERT INTO claims(id, report_id, event_id, attribution_id, event_ids, subject, ord, side,"
           " holder, kind, stance, cue, text, lo, hi, start, \"end\", cue_start, cue_end, outlet,"
           " published, day, period, bucket, hedged) VALUES (" + ",".join("?" * 25) + ")")


def insert_claims(conn: sqlite3.Connection, rid: str, claims: list[ClaimRow], event_base: int = 0,
                  attribution_base: int = 0) -> set[tuple[str, str]]:
    """Write report `rid`'s claims (its old ones are gone), numbered from the next free id (the
    rowids SQLite would give them, so that their places can point at them: one statement per
    table, not one per claim). Fact ids are the claims' own plus the bases: the first event and
    attribution ids the report's rows got, when the claims were derived from a worker's rows.
    Returns their (subject, bucket) keys."""
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM claims").fetchone()[0]
    rows, places_rows = [], []
    for cid, c in enumerate(claims, next_id):
        events = [e + event_base for e in c.event_ids]
        att = c.attribution_id + attribution_base if c.attribution_id is not None else None
        rows.append((cid, rid, events[-1] if events else None, att,
                     ",".join(map(str, events)) or None, *c.columns))
        places_rows += [(cid, p) for p in c.places]
    conn.executemany(_INSERT, rows)
    conn.executemany("INSERT INTO claim_places(claim_id, place) VALUES (?, ?)", places_rows)
    return {c.key for c in claims}


# (`ord` follows from the subject: given for one key, the count reads only the index)
_COUNT = ("INSERT INTO claim_counts(subject, bucket, side, stance, ord, claims, newest)"
          " SELECT subject, bucket, side, coalesce(stance, -1), {ord}, count(*), max(published)"
          " FROM claims {where} GROUP BY subject, bucket, side, stance")


# New claims' counts added to those stored: the same groups as _COUNT over all claims gives
_ADD = ("INSERT INTO claim_counts(subject, bucket, side, stance, ord, claims, newest)"
        " SELECT subject, bucket, side, coalesce(stance, -1), min(ord), count(*), max(published)"
        " FROM claims WHERE report_id IN ({q}) GROUP BY subject, bucket, side, stance"
        " ON CONFLICT(subject, bucket, side, stance) DO UPDATE SET claims = claims + excluded.claims,"
        " newest = CASE WHEN newest IS NULL THEN excluded.newest WHEN excluded.newest IS NULL"
        " THEN newest ELSE max(newest, excluded.newest) END")


def _recount(conn: sqlite3.Connection, keys: set[tuple[str, str]] | None) -> None:
    """Count the claims of these (subject, bucket) keys again into claim_counts (None: all)."""
    if keys is None:
        conn.execute("DELETE FROM claim_counts")
        conn.execute(_COUNT.format(ord="min(ord)", where=""))
        return
    order = {s.key: i for i, s in enumerate(claim_rules().subjects)}
    for subject, bucket in sorted(keys):
        conn.execute("DELETE FROM claim_counts WHERE subject = ? AND bucket = ?", (subject, bucket))
        if subject in order:  # (else a subject of older rules, gone when the backfill ends)
            conn.execute(_COUNT.format(ord="?", where="WHERE subject = ? AND period IS ? AND bucket = ?"),
                         (order[subject], subject, bucket if len(bucket) == 7 else None, bucket))


def refresh_claims(conn: sqlite3.Connection, report_ids: Iterable[str], recount: bool = True) -> None:
    """Derive these reports' claims again from their facts as they are now, in the caller's
    transaction. Every writer of facts calls it (store/facts.write_facts, store/review.log_review),
    so the stored claims and their counts never lag the facts, review state included. (The
    backfill counts once at its end, `recount=False`: a batch touches most months.)"""
    ids = list(dict.fromkeys(report_ids))
    rules = claim_rules()
    keys: set[tuple[str, str]] = set()
    for i in range(0, len(ids), BACKFILL_BATCH):
        chunk = ids[i:i + BACKFILL_BATCH]
        q = ",".join("?" * len(chunk))
        old = {(r[0], r[1]) for r in conn.execute(
            f"SELECT DISTINCT subject, bucket FROM claims WHERE report_id IN ({q})", chunk)}
        conn.execute(f"DELETE FROM claims WHERE report_id IN ({q})", chunk)
        facts = read_facts(conn, chunk, rules)
        new: set[tuple[str, str]] = set()
        for rid in chunk:
            if rid in facts.reports:
                new |= insert_claims(conn, rid, claim_rows(facts, rid, rules))
        if recount and not old:
            # reports with no claims before (an ingest): their counts are added to the stored
            # ones; recounting a month's every claim per new report grew with the store
            conn.execute(_ADD.format(q=q), chunk)
        else:
            keys |= old | new  # claims taken away: their counts are counted again
    if recount:
        _recount(conn, keys)
    _rules_used(conn)


def add_claim_counts(conn: sqlite3.Connection, report_ids: Iterable[str]) -> None:
    """Add the counts of new reports' claims, inserted as they were stored (insert_claims with
    claims a worker derived), to claim_counts: once for a batch of reports, in its transaction."""
    ids = list(dict.fromkeys(report_ids))
    for i in range(0, len(ids), BACKFILL_BATCH):
        chunk = ids[i:i + BACKFILL_BATCH]
        conn.execute(_ADD.format(q=",".join("?" * len(chunk))), chunk)
    _rules_used(conn)


def _rules_used(conn: sqlite3.Connection) -> None:
    """A store made empty by migration 0010 has had every claim derived under these rules."""
    conn.execute("UPDATE claims_state SET rules = ? WHERE rules IS NULL AND next_pk IS NULL",
                 (rules_digest(),))


_backfilling = threading.Lock()  # one thread of a process backfills; the others wait for it


def claims_ready(conn: sqlite3.Connection) -> bool:
    """True when every report's claims are stored, derived under the current rules."""
    rules, next_pk = conn.execute("SELECT rules, next_pk FROM claims_state").fetchone()
    return next_pk is None and rules in (None, rules_digest())


def ensure_claims(conn: sqlite3.Connection, batch: int = BACKFILL_BATCH) -> int:
    """Derive the claims of every report not derived under the current rules: once for a store
    from before migration 0010, and again after the rules change. Reports are read in `pk` order,
    a batch per transaction that also moves claims_state.next_pk, so a killed backfill (or two
    processes at once) goes on where it stopped. One row read when nothing is missing, as on
    every read of claims; the counts are made once, when the last batch is done. Returns the
    number of reports derived."""
    if claims_ready(conn):
        return 0
    digest = rules_digest()
    done = 0
    with _backfilling:
        while True:
            with transaction(conn):
                rules, next_pk = conn.execute("SELECT rules, next_pk FROM claims_state").fetchone()
                if rules != digest and not (rules is None and next_pk is None):
                    next_pk = 0  # claims from other rules, or a store that held reports before
                rows = [] if next_pk is None else conn.execute(
                    "SELECT pk, id FROM reports WHERE pk > ? ORDER BY pk LIMIT ?",
                    (next_pk, batch)).fetchall()
                refresh_claims(conn, [r[1] for r in rows], recount=False)
                if not rows:
                    _recount(conn, None)
                conn.execute("UPDATE claims_state SET rules = ?, next_pk = ?",
                             (digest, rows[-1][0] if rows else None))
            done += len(rows)
            if not rows:
                return done
