-- New reports regroup only the incidents they can change (issue 11, "Scale"). Every batch the
-- writer stored marked incidents stale, and the ingest's end rebuilt all of them: 35 s for a
-- store of 20,000 synthetic reports, however few reports the ingest brought. The writer now
-- notes each new report that has facts here, in the batch's transaction; at the end of the run
-- (jobs.settle) or at the next start of a killed one (serve), store/incidents.catch_up regroups
-- the scopes their events fall in, or rebuilds everything when they are a large part of the
-- store. A re-extraction still marks incidents stale: its old events are gone, and with them
-- what said which incidents they were in.
CREATE TABLE incidents_due (
    report_id TEXT PRIMARY KEY
) WITHOUT ROWID;
