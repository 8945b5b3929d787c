-- Reports, where each was read from, its sentences, near-duplicate fingerprints, failures,
-- ingest runs, HTTP validators, and full-text search. Facts come in a later migration and
-- point at reports(id) and sentences(report_id, idx).

CREATE TABLE reports (
    pk            INTEGER PRIMARY KEY,          -- rowid, used by the FTS index
    id            TEXT NOT NULL UNIQUE,         -- hash of the cleaned text (clean/document.py)
    source        TEXT NOT NULL,                -- where it was first read from
    url           TEXT,
    title         TEXT,
    outlet        TEXT,
    author        TEXT,
    published     TEXT,                         -- YYYY-MM-DD or NULL
    language      TEXT,
    format        TEXT NOT NULL,
    encoding      TEXT,
    text          TEXT NOT NULL,
    words         INTEGER NOT NULL,
    removed       TEXT NOT NULL DEFAULT '[]',   -- boilerplate lines taken out (JSON list)
    near_duplicate_of TEXT REFERENCES reports(id),
    near_similarity   REAL,
    ingested_at   TEXT NOT NULL,
    run_id        INTEGER REFERENCES runs(id)
);
CREATE INDEX reports_published ON reports(published);
CREATE INDEX reports_outlet ON reports(outlet);
CREATE INDEX reports_near ON reports(near_duplicate_of);

CREATE TABLE report_tags (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    position  INTEGER NOT NULL,                 -- order the publisher gave
    PRIMARY KEY (report_id, tag)
) WITHOUT ROWID;
CREATE INDEX report_tags_tag ON report_tags(tag);

CREATE TABLE report_captions (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
) WITHOUT ROWID;

-- Every place a report was seen: the first source, exact duplicates, re-runs.
CREATE TABLE report_sources (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    source    TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (report_id, source)
) WITHOUT ROWID;
CREATE INDEX report_sources_source ON report_sources(source);

CREATE TABLE sentences (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    PRIMARY KEY (report_id, idx)
) WITHOUT ROWID;

-- MinHash signature and LSH band keys for near-duplicate lookup (clean/fingerprint.py).
CREATE TABLE report_minhash (
    report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    signature BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE minhash_bands (
    band      INTEGER NOT NULL,
    key       INTEGER NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    PRIMARY KEY (band, key, report_id)
) WITHOUT ROWID;

-- One row per input (file, URL, record stream) fully stored, so a re-run skips unchanged inputs.
CREATE TABLE inputs (
    source    TEXT PRIMARY KEY,
    digest    TEXT NOT NULL,                    -- SHA-256 of the bytes read
    reports   INTEGER NOT NULL,
    stored_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    command     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'running',  -- running | completed | interrupted
    read        INTEGER NOT NULL DEFAULT 0,
    stored      INTEGER NOT NULL DEFAULT 0,
    duplicate   INTEGER NOT NULL DEFAULT 0,
    near_duplicate INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE failures (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER REFERENCES runs(id),
    source  TEXT NOT NULL,
    stage   TEXT NOT NULL,
    reason  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX failures_source ON failures(source);

-- Validators for conditional HTTP requests (ETag / Last-Modified).
CREATE TABLE fetch_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE reports_fts USING fts5(
    title, text,
    content='reports', content_rowid='pk',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER reports_fts_ai AFTER INSERT ON reports BEGIN
    INSERT INTO reports_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
END;
CREATE TRIGGER reports_fts_ad AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
END;
CREATE TRIGGER reports_fts_au AFTER UPDATE OF title, text ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
    INSERT INTO reports_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
END;
