-- An event's day, first place and first good are given by whoever inserts it (issue 11: the
-- one writer of `ingest --workers N` is the bottleneck). The two AFTER INSERT triggers of 0019
-- checked every new event against its facts (two json_extract parses and a read of its report)
-- to fix the rows other writers left without them: half of the cost of writing an event. The
-- writer (store/facts.py) gives the three columns; an analyst's added event and an undo that
-- puts an event back fill them with store/facts.EVENT_COLUMNS, one statement for that one row.
-- The AFTER UPDATE triggers stay: a corrected date, facts list or publication date still moves
-- the columns, whoever writes it.
DROP TRIGGER events_first_ai;
DROP TRIGGER events_day_ai;
