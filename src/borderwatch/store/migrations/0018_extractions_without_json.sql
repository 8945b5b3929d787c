-- The whole fact sheet was kept as JSON beside its rows and never read: every reader (pages,
-- API, exports, claims, incidents, `show`) reads the fact rows, which carry each fact's span,
-- sentence and rule. The JSON was 5.6 times the reports' text at 5,000 synthetic reports (68 of
-- a 225 MB store) and 13 times for fact-dense prose, held in memory whole while a report was
-- written (issue 9: memory), and made by every ingest worker. What an analyst changed since
-- extraction is in `reviews`, before and after.
ALTER TABLE extractions DROP COLUMN factsheet;
