-- Cheaper writes of facts (issue 11, "Scale": the one writer of `ingest --workers N` was the
-- bottleneck, and an event row was a fifth of its time). No fact, count or row of an existing
-- column changes.
--
-- An event's first place and first good were sorted on through four indexes on
-- json_extract(facts, ...): every event written parsed its facts JSON eight times for them.
-- They are columns now, filled by the writer (store/facts.py), backfilled here from the JSON, and
-- kept equal to it by triggers for every other writer (an analyst's correction, an added event,
-- an undo, a rejected place taken out of its events). store/facts.EVENT_SORT and the queries that
-- read an event's first place (incidents, watchlists) read the columns.
ALTER TABLE events ADD COLUMN place TEXT;
ALTER TABLE events ADD COLUMN good TEXT;
UPDATE events SET place = json_extract(facts, '$.places[0]'),
                  good = json_extract(facts, '$.commodities[0]');
DROP INDEX events_sort_place_a;
DROP INDEX events_sort_place_d;
DROP INDEX events_sort_good_a;
DROP INDEX events_sort_good_d;
CREATE INDEX events_sort_place_a ON events((place) IS NULL, place);
CREATE INDEX events_sort_place_d ON events((place) IS NULL DESC, place);
CREATE INDEX events_sort_good_a ON events((good) IS NULL, good);
CREATE INDEX events_sort_good_d ON events((good) IS NULL DESC, good);
CREATE TRIGGER events_first_ai AFTER INSERT ON events
WHEN new.place IS NOT json_extract(new.facts, '$.places[0]')
  OR new.good IS NOT json_extract(new.facts, '$.commodities[0]') BEGIN
    UPDATE events SET place = json_extract(new.facts, '$.places[0]'),
                      good = json_extract(new.facts, '$.commodities[0]') WHERE id = new.id;
END;
CREATE TRIGGER events_first_au AFTER UPDATE OF facts ON events BEGIN
    UPDATE events SET place = json_extract(new.facts, '$.places[0]'),
                      good = json_extract(new.facts, '$.commodities[0]') WHERE id = new.id;
END;

-- events.day (migration 0012) was set by a trigger that updated every event just inserted: a
-- second write of the row and of its three day indexes. The writer gives the day itself now;
-- the trigger fixes only a row whose day is not what it must be (other writers).
DROP TRIGGER events_day_ai;
CREATE TRIGGER events_day_ai AFTER INSERT ON events
WHEN new.day IS NOT coalesce(new.date, (SELECT published FROM reports WHERE id = new.report_id))
BEGIN
    UPDATE events SET day = coalesce(new.date, (SELECT published FROM reports WHERE id = new.report_id))
    WHERE id = new.id;
END;

-- Indexes no query needs, each written with every fact (checked with EXPLAIN QUERY PLAN over
-- the 23,000 distinct statements the store, serve and export tests run, on a store with and
-- without them: only the plans below changed, none to a scan):
-- events_date: nothing selects or sorts events by their own date since events.day (0012);
-- mentions_kind_name: only "a report's names of a kind" chose it (every mention of the kind in
-- the store, read for one report); it now reads the report's mentions (mentions_report), and the
-- name filters use the NOCASE indexes (0013).
-- Kept, though they look redundant: events_type (the events list sorted by type walks it in
-- (type, id) order, which events_type_day cannot give) and mentions_report (without it SQLite
-- answers a report's mentions of a kind through an index on kind: the whole store's).
DROP INDEX events_date;
DROP INDEX mentions_kind_name;
