-- Derived tables know when they are behind (issue 9): a write of facts marks incidents stale in
-- the same transaction; a rebuild clears the mark in its own. A run killed between the two
-- leaves the mark, and the next ingest rebuilds even when it finds nothing new. Runs record the
-- process that started them, so a run whose process is gone is marked interrupted, not left
-- 'running' forever.
CREATE TABLE derived_state (
    name       TEXT PRIMARY KEY,
    stale      INTEGER NOT NULL DEFAULT 0,
    changed_at TEXT
);
INSERT INTO derived_state(name, stale) VALUES ('incidents',
    (SELECT count(*) > 0 FROM events) AND (SELECT count(*) = 0 FROM incidents));
ALTER TABLE runs ADD COLUMN pid INTEGER;
