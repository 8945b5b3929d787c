-- Claims are derived when facts are written, not per request (issue 9 item 9; issue 8 "Fast on
-- real stores"). Finding them per request read every claim candidate of the store: the first
-- /claims after any change took ~2 s at 5,000 reports and ~20 s at 50,000, and a concurrent
-- ingest changed the store every batch.
--
-- resolve/claims.py derives a report's claims from its facts (events, attributions, amounts,
-- place mentions, sentences, the report's outlet and date) whenever they change, in the same
-- transaction: store/facts.write_facts (ingest, reextract) and store/review.log_review (every
-- accept, reject, correction, added event, report edit and undo). So review state is never
-- copied: a rejected event or attribution is gone from the claims when its review commits.
--
-- Subjects and stances come from the regular expressions of data/lang/en/claims.yaml, which SQL
-- cannot run, so a store that already holds reports is filled by a one-time backfill on first
-- use (resolve/claims.ensure_claims; `borderwatch serve` runs it before it answers): reports in
-- `pk` order, a batch per transaction that also moves claims_state.next_pk, so a killed backfill
-- goes on where it stopped. It runs again when the rules change (claims_state.rules is their
-- digest).

CREATE TABLE claims (
    id             INTEGER PRIMARY KEY,
    report_id      TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    event_id       INTEGER,           -- the source fact: the (newest) event the claim is made of,
    attribution_id INTEGER,           -- or the attribution whose sentence part it is
    event_ids      TEXT,              -- every event of the claim (mentions of one statement), 'id,id'
    subject        TEXT NOT NULL,
    ord            INTEGER NOT NULL,  -- the subject's place in claims.yaml (sorting by topic)
    side           TEXT NOT NULL,     -- authorities | sources
    holder         TEXT NOT NULL,
    kind           TEXT,              -- the holder's attribution kind; NULL: the outlet's own voice
    stance         INTEGER,           -- 0 or 1: the subject's first or second stance; NULL: not said
    cue            TEXT,              -- the words that say the stance
    text           TEXT NOT NULL,     -- the claim: its sentence, or the part its holder governs
    lo             INTEGER NOT NULL,  -- that part of the sentence, as offsets in the report text
    hi             INTEGER NOT NULL,
    start          INTEGER NOT NULL,  -- offsets of `text` (the part without surrounding spaces)
    "end"          INTEGER NOT NULL,
    cue_start      INTEGER,
    cue_end        INTEGER,
    outlet         TEXT,
    published      TEXT,
    day            TEXT,              -- the event's own date, else the report's publication date
    period         TEXT,              -- the month (YYYY-MM) of `day`, when it names one
    bucket         TEXT NOT NULL,     -- period, else day (a year only), else '' (no date)
    hedged         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX claims_report ON claims(report_id);
-- A subject-month's claims (the groups on the Claims page; the counts below are made from it).
CREATE INDEX claims_group ON claims(subject, period, bucket, side, stance, published);
-- A period's claims (the flat list is read month by month; the brief's period).
CREATE INDEX claims_day ON claims(day);

-- The places a claim names (place mentions inside it) or its events are at: the place filter.
CREATE TABLE claim_places (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    place    TEXT NOT NULL,
    PRIMARY KEY (claim_id, place)
) WITHOUT ROWID;
CREATE INDEX claim_places_place ON claim_places(place, claim_id);

-- How many claims each subject, month (or year, or no date), side and stance holds, and the
-- newest publication date among them: the groups, their collisions and the month counts of the
-- whole store, read without reading every claim. Recounted from `claims` for the keys a
-- report's claims touch, in the same transaction as they change.
CREATE TABLE claim_counts (
    subject TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    side    TEXT NOT NULL,
    stance  INTEGER NOT NULL,         -- -1: no stance
    ord     INTEGER NOT NULL,
    claims  INTEGER NOT NULL,
    newest  TEXT,
    PRIMARY KEY (subject, bucket, side, stance)
) WITHOUT ROWID;

-- rules: digest of the rules every stored claim was derived with (NULL: none yet: the first
-- write of claims records its rules). next_pk: NULL when every report's claims are derived,
-- else the reports.pk after which the backfill goes on.
CREATE TABLE claims_state (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    rules   TEXT,
    next_pk INTEGER
);
INSERT INTO claims_state(one, rules, next_pk)
    VALUES (1, NULL, CASE WHEN EXISTS (SELECT 1 FROM reports) THEN 0 END);
