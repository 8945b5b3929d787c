-- A watchlist's hits are listed newest found first: with this index the page reads its 25 rows
-- in order instead of sorting every hit (1.5 s for a list of 51,000 hits at 50,000 reports).
CREATE INDEX watch_hits_found ON watch_hits(watchlist_id, found_at);
