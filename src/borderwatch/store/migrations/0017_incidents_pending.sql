-- Reviews regroup only the incidents they can change (issue 9: every review rebuilt every
-- incident, 200-500 ms at 300 reports and a minute at 50,000, under the write lock). A review
-- notes its report here in its own transaction; the regroup that follows takes the note away in
-- its own, so a server killed between the two leaves the note for the next start. `incident`
-- rows name an incident (by key) whose events a change took away (an added event undone): the
-- report's events no longer lead to it.
CREATE TABLE incidents_pending (
    kind  TEXT NOT NULL CHECK (kind IN ('report', 'incident')),
    value TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
