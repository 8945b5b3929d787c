-- The search index (store/searchindex.py, a Tantivy index beside the store) is rebuilt from the
-- store and kept in step with it through this queue: every report written, changed or deleted
-- (or whose tags change) puts its pk here in the same transaction, and the index sync removes
-- a row only after the index has committed it, with the same seq (a report queued again while
-- a sync ran stays queued). A kill -9 at any moment therefore loses nothing the index needs.
CREATE TABLE search_queue (
    pk  INTEGER PRIMARY KEY,   -- reports.pk (the report may be gone: then it leaves the index)
    seq INTEGER NOT NULL       -- grows with every queuing
);
CREATE INDEX search_queue_seq ON search_queue(seq);

CREATE TRIGGER search_queue_ai AFTER INSERT ON reports BEGIN
    INSERT OR REPLACE INTO search_queue(pk, seq)
    VALUES (new.pk, (SELECT coalesce(max(seq), 0) + 1 FROM search_queue));
END;
CREATE TRIGGER search_queue_ad AFTER DELETE ON reports BEGIN
    INSERT OR REPLACE INTO search_queue(pk, seq)
    VALUES (old.pk, (SELECT coalesce(max(seq), 0) + 1 FROM search_queue));
END;
CREATE TRIGGER search_queue_au AFTER UPDATE OF title, text, outlet, language, published, words
ON reports BEGIN
    INSERT OR REPLACE INTO search_queue(pk, seq)
    VALUES (new.pk, (SELECT coalesce(max(seq), 0) + 1 FROM search_queue));
END;
CREATE TRIGGER search_queue_tag_ai AFTER INSERT ON report_tags BEGIN
    INSERT OR REPLACE INTO search_queue(pk, seq)
    SELECT pk, (SELECT coalesce(max(seq), 0) + 1 FROM search_queue) FROM reports
    WHERE id = new.report_id;
END;
CREATE TRIGGER search_queue_tag_ad AFTER DELETE ON report_tags BEGIN
    INSERT OR REPLACE INTO search_queue(pk, seq)
    SELECT pk, (SELECT coalesce(max(seq), 0) + 1 FROM search_queue) FROM reports
    WHERE id = old.report_id;
END;

-- A store made before the index: every report waits for it.
INSERT INTO search_queue(pk, seq) SELECT pk, 1 FROM reports;
