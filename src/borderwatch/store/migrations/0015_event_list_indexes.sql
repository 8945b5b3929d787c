-- Indexes for sorting the events list by place, good, source, report and outlet (issue 8:
-- each sort took 0.7-1.7 s at 50,000 reports, SQLite sorting every event for one page). Each
-- key has a pair led by "(key) IS NULL": the first serves the ascending order, the second (its
-- emptiness term descending, read backwards) the descending one, empty values last in both.
-- The expressions must be written exactly as store/facts.EVENT_SORT writes them (the emptiness
-- test without a collation: SQLite does not match "(x COLLATE NOCASE) IS NULL" to an index). No ANALYZE:
-- with sampled statistics SQLite chose worse plans for these sorts (2 s) than without any.
CREATE INDEX events_sort_place_a ON events((json_extract(facts, '$.places[0]')) IS NULL, json_extract(facts, '$.places[0]'));
CREATE INDEX events_sort_place_d ON events((json_extract(facts, '$.places[0]')) IS NULL DESC, json_extract(facts, '$.places[0]'));
CREATE INDEX events_sort_good_a ON events((json_extract(facts, '$.commodities[0]')) IS NULL, json_extract(facts, '$.commodities[0]'));
CREATE INDEX events_sort_good_d ON events((json_extract(facts, '$.commodities[0]')) IS NULL DESC, json_extract(facts, '$.commodities[0]'));
CREATE INDEX events_sort_source_a ON events((attribution_kind) IS NULL, attribution_kind);
CREATE INDEX events_sort_source_d ON events((attribution_kind) IS NULL DESC, attribution_kind);
CREATE INDEX reports_sort_title_a ON reports((title) IS NULL, title COLLATE NOCASE);
CREATE INDEX reports_sort_title_d ON reports((title) IS NULL DESC, title COLLATE NOCASE);
CREATE INDEX reports_sort_outlet_a ON reports((outlet) IS NULL, outlet COLLATE NOCASE);
CREATE INDEX reports_sort_outlet_d ON reports((outlet) IS NULL DESC, outlet COLLATE NOCASE);
-- The visible events (store/facts.VISIBLE_EVENT) by day: counting a period's events read every
-- event of it for its negated and review columns (200 ms for a year at 50,000 reports; 7 ms
-- with this index). The WHERE must stay the predicate's exact terms for SQLite to use it; its
-- "day IS NOT NULL" is implied only by a period's bounds, so a list without a period does not
-- read it (counting most of the store through it took 420 ms, against 110 ms by the table).
CREATE INDEX events_visible_day ON events(day) WHERE day IS NOT NULL AND negated = 0 AND coalesce(review, '') <> 'rejected';
