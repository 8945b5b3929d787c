-- Indexes for the workbench on large stores (issue 8, "Fast on real stores"; measured with
-- `make bench-web` on 5,000 and 50,000 reports). Indexes only: no fact, count or row changes.
--
-- An event is found again by its report, type and span wherever an id cannot be kept: watch
-- hits (feeds and the "still there" test), analysts' pins, reviewed spans at re-extraction.
-- Without this index SQLite answers `report_id = ? AND type = ? AND start = ? AND "end" = ?`
-- through events_type and reads every event of that type for each hit: a watchlist feed took
-- 11-20 s at 5,000 reports and grows with hits x events. `review` rides along so the "hit whose
-- event was rejected" test (watchlists' LIVE_HIT) reads the index alone.
CREATE INDEX events_report_span ON events(report_id, type, start, "end", review);

-- The events list, its downloads, watchlists and the brief filter events by place or good with
-- `EXISTS (event_entities ee JOIN mentions m ON m.report_id = e.report_id AND m.entity_id =
-- ee.entity_id ...)`. With only mentions_report and mentions_entity SQLite picks entity_id and
-- reads every mention of that place in the store for each event: /events?place=... took 15 s
-- of SQL at 5,000 reports; with this index, 86 ms.
CREATE INDEX mentions_report_entity ON mentions(report_id, entity_id);

-- The reports page fills its language drop-down with SELECT DISTINCT language FROM reports on
-- every request: a scan and a sort of every report (118 ms at 50,000) without an index, a
-- skip along this one with it (2 ms).
CREATE INDEX reports_language ON reports(language);
