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

The steps, per report:
  candidates   each event of a subject's type (not rejected) voiced by a known side, or by the
               outlet where nobody else speaks in the sentence; each attribution of a known side;
               each with the part of its sentence it governs (its scope: from its attribution to
               the next one, the whole sentence when it holds fewer than two)
  events       one claim per scope, subject and holder: the events there are merged into it
  attributions an attribution's scope is a claim on each subject its words name, unless an event
               makes that claim already (the first attribution wins among several)
  stance       from the scope's cue phrases; an attribution's claim needs one, an event's not
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from borderwatch.datafiles import read_text
from borderwatch.resolve.claims import CLAIMS_FILE, ClaimRules, Subject, claim_rules, stance_of
from borderwatch.store.db import transaction

CLAIMS_FORMAT = "1"  # bump when the derivation changes what a stored claim holds
BACKFILL_BATCH = 500  # reports per backfill transaction


@cache
def rules_digest() -> str:
    """What the stored claims depend on besides the facts: the rules file and the derivation's
    format. Claims derived under another digest are derived again (ensure_claims)."""
    return hashlib.sha256(f"{CLAIMS_FORMAT}\n{read_text(CLAIMS_FILE)}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class _Att:
    """A non-rejected attribution, as the scopes of its sentence need it."""

    id: int
    idx: int
    start: int
    kind: str
    holder: str  # its holder, else its words


@dataclass(slots=True)
class _Found:
    """One claim of a report, before it is stored."""

    subject: Subject
    holder: str
    kind: str | None
    sentence: int
    lo: int
    hi: int
    day: str | None
    event_ids: list[int]  # ascending; empty for an attribution's claim
    attribution_id: int | None = None
    hedged: bool = False
    places: set[str] = field(default_factory=set)


class _Facts:
    """The facts claims are derived from, for a batch of reports (a few indexed reads each)."""

    def __init__(self, conn: sqlite3.Connection, report_ids: list[str], rules: ClaimRules) -> None:
        """Read the facts of `report_ids` (not rejected) from `conn`."""
        q = ",".join("?" * len(report_ids))
        ok = "coalesce(review, '') <> 'rejected'"
        self.reports = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
            f"SELECT id, text, outlet, published FROM reports WHERE id IN ({q})", report_ids)}
        self.sentences = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
            f'SELECT report_id, idx, start, "end" FROM sentences WHERE report_id IN ({q})',
            report_ids)}
        self.atts: dict[str, dict[int, list[_Att]]] = {}  # report -> sentence -> in text order
        for r in conn.execute(
                f"SELECT report_id, sentence, id, idx, start, kind, coalesce(holder, text)"
                f" FROM attributions WHERE report_id IN ({q}) AND {ok} ORDER BY start, id",
                report_ids):
            self.atts.setdefault(r[0], {}).setdefault(r[1], []).append(
                _Att(r[2], r[3], r[4], r[5], r[6]))
        self.amounts: dict[tuple[str, int], list[int]] = {}
        for r in conn.execute(f"SELECT report_id, sentence, start FROM amounts"
                              f" WHERE report_id IN ({q}) AND {ok}", report_ids):
            self.amounts.setdefault((r[0], r[1]), []).append(r[2])
        self.places: dict[str, list[tuple[int, str]]] = {}
        for r in conn.execute(f"SELECT report_id, start, entity_id FROM mentions WHERE report_id"
                              f" IN ({q}) AND +kind = 'place' AND {ok}",  # `+`: by report
                              report_ids):
            self.places.setdefault(r[0], []).append((r[1], r[2]))
        types = sorted(t for s in rules.subjects for t in s.event_types)
        kinds = sorted(rules.side_of)
        self.events: dict[str, list[sqlite3.Row]] = {}
        cur = conn.cursor()
        cur.row_factory = sqlite3.Row
        for r in cur.execute(
                f"SELECT id, report_id, sentence, start, type, attribution_kind AS kind,"
                f" coalesce(nullif(attribution_holder, ''), attribution_kind) AS holder,"
                f" json_extract(facts, '$.attribution') AS att_idx, hedged, date"
                f" FROM events WHERE report_id IN ({q}) AND {ok}"
                f" AND type IN ({','.join('?' * len(types))})"
                f" AND (attribution_kind IS NULL OR attribution_kind IN ({','.join('?' * len(kinds))}))"
                f" ORDER BY id", [*report_ids, *types, *kinds]):
            self.events.setdefault(r[1], []).append(r)
        self.event_places: dict[int, set[str]] = {}
        for r in conn.execute(
                f"SELECT ee.event_id, ee.entity_id FROM event_entities ee JOIN events e"
                f" ON e.id = ee.event_id WHERE e.report_id IN ({q}) AND ee.role = 'place'",
                report_ids):
            self.event_places.setdefault(r[0], set()).add(r[1])


def _scope(atts: list[_Att], at: int | None, start: int, end: int) -> tuple[int, int]:
    """The part of a sentence (start, end) governed by the attribution at offset `at`: from it
    to the next attribution, the first one's part opening at the sentence start; the whole
    sentence when it holds fewer than two attributions or the claim has none."""
    if len(atts) < 2 or at is None:
        return start, end
    first = atts[0].start
    lo = max((a.start for a in atts if first < a.start <= at), default=start)
    hi = min((a.start for a in atts if a.start > max(at, first)), default=end)
    return lo, hi


def _report_claims(facts: _Facts, rid: str, rules: ClaimRules) -> list[_Found]:
    """The claims of one report, one per scope, subject and holder, in no particular order."""
    text, outlet, published = facts.reports[rid]
    by_type = {t: s for s in rules.subjects for t in s.event_types}
    found: dict[tuple[int, str, str], _Found] = {}
    for e in facts.events.get(rid, []):
        span = facts.sentences.get((rid, e["sentence"]))
        if span is None:
            continue
        atts = facts.atts.get(rid, {}).get(e["sentence"], [])
        if e["kind"] is None:
            sentence = text[span[0]:span[1]]
            # the outlet's own voice counts only where nobody else speaks in the sentence
            if atts or (sentence and rules.reported_speech.search(sentence)):
                continue
            holder, at = outlet or "(outlet)", None
        else:
            holder = e["holder"]
            at = next((a.start for a in atts if a.idx == e["att_idx"]), e["start"])
        lo, hi = _scope(atts, at, *span)
        subject = by_type[e["type"]]
        day = e["date"] if e["date"] is not None else published
        claim = found.get((lo, subject.key, holder))
        if claim is None:
            claim = found[(lo, subject.key, holder)] = _Found(
                subject, holder, e["kind"], e["sentence"], lo, hi, day, [], hedged=True)
        # the newest event speaks for the claim (events come in id order); hedged if all are
        claim.kind, claim.sentence, claim.hi, claim.day = e["kind"], e["sentence"], hi, day
        claim.event_ids.append(e["id"])
        claim.hedged = claim.hedged and bool(e["hedged"])
        claim.places |= facts.event_places.get(e["id"], set())
    from_attributions: dict[tuple[int, str, str], _Found] = {}
    for sent, atts in facts.atts.get(rid, {}).items():
        span = facts.sentences.get((rid, sent))
        if span is None:
            continue
        for a in atts:
            if a.kind not in rules.side_of:
                continue
            lo, hi = _scope(atts, a.start, *span)
            words = text[lo:hi]
            for subject in rules.subjects:
                key = (lo, subject.key, a.holder)
                if (words and subject.keywords.search(words) and key not in found
                        and key not in from_attributions):
                    from_attributions[key] = _Found(subject, a.holder, a.kind, sent, lo, hi,
                                                    published, [], a.id)
    return [*found.values(), *from_attributions.values()]


_INSERT = ("INSERT INTO claims(id, report_id, event_id, attribution_id, event_ids, subject, ord, side,"
           " holder, kind, stance, cue, text, lo, hi, start, \"end\", cue_start, cue_end, outlet,"
           " published, day, period, bucket, hedged) VALUES (" + ",".join("?" * 25) + ")")


def _store(conn: sqlite3.Connection, facts: _Facts, rid: str, rules: ClaimRules,
           next_id: int) -> tuple[set[tuple[str, str]], int]:
    """Write report `rid`'s claims (its old ones are gone), numbered from `next_id` (the rowids
    SQLite would give them, so that their places can point at them: one statement per table,
    not one per claim); return their (subject, bucket) keys and the next free id."""
    text, outlet, published = facts.reports[rid]
    order = {s.key: i for i, s in enumerate(rules.subjects)}
    mentions = facts.places.get(rid, [])
    keys = set()
    rows, places_rows = [], []
    for c in sorted(_report_claims(facts, rid, rules),
                    key=lambda c: (c.lo, order[c.subject.key], c.holder)):
        raw = text[c.lo:c.hi]
        has_count = any(c.lo <= a < c.hi for a in facts.amounts.get((rid, c.sentence), ()))
        stance, m = stance_of(c.subject, raw, has_count)
        if stance is None and not c.event_ids:
            continue  # an attribution's sentence is a claim only when it takes a stance
        lead, trail = len(raw) - len(raw.lstrip()), len(raw) - len(raw.rstrip())
        period = c.day[:7] if c.day is not None and len(c.day) >= 7 else None
        bucket = period or c.day or ""
        rows.append((
            next_id, rid, c.event_ids[-1] if c.event_ids else None, c.attribution_id,
            ",".join(map(str, c.event_ids)) or None, c.subject.key, order[c.subject.key],
            rules.side_of[c.kind] if c.kind else rules.outlet_side, c.holder, c.kind,
            c.subject.stances.index(stance) if stance else None, m.group(0) if m else None,
            raw.strip(), c.lo, c.hi, c.lo + lead, c.hi - trail, c.lo + m.start() if m else None,
            c.lo + m.end() if m else None, outlet, published, c.day, period, bucket,
            int(c.hedged)))
        places = c.places | {p for at, p in mentions if c.lo <= at < c.hi}
        places_rows += [(next_id, p) for p in sorted(places)]
        keys.add((c.subject.key, bucket))
        next_id += 1
    conn.executemany(_INSERT, rows)
    conn.executemany("INSERT INTO claim_places(claim_id, place) VALUES (?, ?)", places_rows)
    return keys, next_id


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
        facts = _Facts(conn, chunk, rules)
        new: set[tuple[str, str]] = set()
        next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM claims").fetchone()[0]
        for rid in chunk:
            if rid in facts.reports:
                keys_of, next_id = _store(conn, facts, rid, rules, next_id)
                new |= keys_of
        if recount and not old:
            # reports with no claims before (an ingest): their counts are added to the stored
            # ones; recounting a month's every claim per new report grew with the store
            conn.execute(_ADD.format(q=q), chunk)
        else:
            keys |= old | new  # claims taken away: their counts are counted again
    if recount:
        _recount(conn, keys)
    # a store made empty by migration 0010 has had every claim derived here: these rules
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
