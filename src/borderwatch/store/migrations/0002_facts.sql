-- Facts extracted from reports. Every fact row points at its report and sentence and carries
-- the character span it came from and the rule that produced it. `origin` says whether the
-- extractor or an analyst made it; `review` holds an analyst's verdict (accepted, rejected,
-- corrected). `reextract` replaces only unreviewed extracted rows, so reviewed facts survive.

CREATE TABLE extractions (
    report_id    TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    version      TEXT NOT NULL,            -- extractor version + data digest
    extracted_at TEXT NOT NULL,
    factsheet    TEXT NOT NULL             -- the whole fact sheet as JSON (minus the text)
) WITHOUT ROWID;

CREATE TABLE mentions (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,           -- position in the fact sheet's mentions list
    kind       TEXT NOT NULL,              -- place | country | organization | commodity | person | vessel
    entity_id  TEXT NOT NULL,              -- place:sinuiju, commodity:coal, ...
    name       TEXT NOT NULL,
    text       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    sentence   INTEGER NOT NULL,
    attrs      TEXT NOT NULL DEFAULT '{}', -- kind-specific fields as JSON
    rule       TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'extracted',
    review     TEXT,
    FOREIGN KEY (report_id, sentence) REFERENCES sentences(report_id, idx)
);
CREATE INDEX mentions_report ON mentions(report_id);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_kind_name ON mentions(kind, name);

CREATE TABLE amounts (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    kind       TEXT NOT NULL,              -- money | quantity | percent
    text       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    sentence   INTEGER NOT NULL,
    min        REAL,
    max        REAL,
    currency   TEXT,
    unit       TEXT,
    qualifier  TEXT,
    per        TEXT,
    usd        REAL,
    usd_rate_date TEXT,
    conversion_of INTEGER,
    rule       TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'extracted',
    review     TEXT,
    FOREIGN KEY (report_id, sentence) REFERENCES sentences(report_id, idx)
);
CREATE INDEX amounts_report ON amounts(report_id);

CREATE TABLE dates (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    sentence   INTEGER NOT NULL,
    value      TEXT,
    granularity TEXT,
    relative   INTEGER NOT NULL DEFAULT 0,
    rule       TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'extracted',
    review     TEXT,
    FOREIGN KEY (report_id, sentence) REFERENCES sentences(report_id, idx)
);
CREATE INDEX dates_report ON dates(report_id);

CREATE TABLE attributions (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    sentence   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    outlet     TEXT,
    holder     TEXT,
    rule       TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'extracted',
    review     TEXT,
    FOREIGN KEY (report_id, sentence) REFERENCES sentences(report_id, idx)
);
CREATE INDEX attributions_report ON attributions(report_id);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    trigger    TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    sentence   INTEGER NOT NULL,
    date       TEXT,                       -- the event's own date, if the sentence gives one
    attribution_kind TEXT,                 -- kind of the attribution governing it (denormalised for filters)
    attribution_holder TEXT,
    negated    INTEGER NOT NULL DEFAULT 0,
    hedged     INTEGER NOT NULL DEFAULT 0,
    facts      TEXT NOT NULL DEFAULT '{}', -- places, commodities, amounts, attribution as in the fact sheet
    rule       TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'extracted',
    review     TEXT,
    FOREIGN KEY (report_id, sentence) REFERENCES sentences(report_id, idx)
);
CREATE INDEX events_report ON events(report_id);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_date ON events(date);

-- Which named things each event involves, for filtering events by place or commodity.
CREATE TABLE event_entities (
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    role      TEXT NOT NULL,               -- place | commodity
    PRIMARY KEY (event_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX event_entities_entity ON event_entities(entity_id);

CREATE TABLE report_topics (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    topic     TEXT NOT NULL,
    rank      INTEGER NOT NULL,
    PRIMARY KEY (report_id, topic)
) WITHOUT ROWID;
CREATE INDEX report_topics_topic ON report_topics(topic);

-- Analysts' changes to facts (the review workflow): who, when, what it was before.
CREATE TABLE reviews (
    id         INTEGER PRIMARY KEY,
    report_id  TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    fact_table TEXT NOT NULL,              -- mentions | amounts | dates | attributions | events
    fact_id    INTEGER,
    action     TEXT NOT NULL,              -- accept | reject | correct | add
    before     TEXT,
    after      TEXT,
    user       TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX reviews_report ON reviews(report_id);
