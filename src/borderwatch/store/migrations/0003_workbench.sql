-- The analyst's workbench: accounts and sessions, incidents (events grouped across reports),
-- analysts' pins that split or merge incidents, and watchlists.

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,           -- argon2id, from argon2-cffi
    created_at TEXT NOT NULL
);

-- Incidents are rebuilt from events by analysis/incidents.py; this table is derived data.
CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,      -- stable: type|place|first day, or an analyst's pin key
    type        TEXT NOT NULL,
    place_id    TEXT,                      -- NULL: events with no place are grouped per report
    place_name  TEXT,
    first_date  TEXT,
    last_date   TEXT,
    events      INTEGER NOT NULL,
    reports     INTEGER NOT NULL,
    sources     INTEGER NOT NULL,          -- independent sources: a report and its copies count once
    pinned      INTEGER NOT NULL DEFAULT 0 -- 1 when an analyst split or merged it
);
CREATE INDEX incidents_type ON incidents(type);
CREATE INDEX incidents_place ON incidents(place_id);

CREATE TABLE incident_events (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, event_id)
) WITHOUT ROWID;
CREATE INDEX incident_events_event ON incident_events(event_id);

-- An analyst's split or merge: the event (identified by report, type and span, which survive
-- re-extraction) belongs to the incident with this key whatever the automatic grouping says.
CREATE TABLE incident_pins (
    report_id   TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    key         TEXT NOT NULL,
    user        TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (report_id, type, start, "end")
) WITHOUT ROWID;

CREATE TABLE watchlists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    filters     TEXT NOT NULL,             -- JSON: query, type, place, commodity, source_kind, outlet…
    created_by  TEXT,
    created_at  TEXT NOT NULL,
    last_run_at TEXT,
    last_event_id INTEGER NOT NULL DEFAULT 0, -- events with a larger id are new to this watchlist
    last_report_pk INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE watch_hits (
    watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
    event_id     INTEGER,
    report_id    TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    found_at     TEXT NOT NULL,
    PRIMARY KEY (watchlist_id, report_id, event_id)
);
