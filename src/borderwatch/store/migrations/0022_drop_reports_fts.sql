-- The SQLite FTS5 table goes (issue 11). Search runs on the Tantivy index beside the store
-- (store/searchindex.py, kept in step through search_queue: migration 0020), and since
-- watchlists match their queries through that index too (store/watchlists.py), nothing reads
-- reports_fts. Keeping it meant every report was indexed twice: the one writer of ingest paid
-- an FTS5 insert per report, and at 200,000 reports the table took 249 MB of the store.
-- The table and the triggers that kept it are those of migrations 0001 and 0005.
DROP TRIGGER IF EXISTS reports_fts_ai;
DROP TRIGGER IF EXISTS reports_fts_ad;
DROP TRIGGER IF EXISTS reports_fts_au;
DROP TABLE IF EXISTS reports_fts;
