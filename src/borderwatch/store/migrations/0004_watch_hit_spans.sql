-- Watch hits remember the event they found by report, type and span as well as by id: event
-- ids change when `reextract` rewrites a report's facts, the span does not, so an event seen
-- before re-extraction is not announced again after it.

ALTER TABLE watch_hits ADD COLUMN event_type TEXT;
ALTER TABLE watch_hits ADD COLUMN event_start INTEGER;
ALTER TABLE watch_hits ADD COLUMN event_end INTEGER;
CREATE INDEX watch_hits_span ON watch_hits(watchlist_id, report_id, event_type, event_start, event_end);
