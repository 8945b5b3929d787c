-- Search finds word forms (issue 8): "fines" finds "fined" and "fine", "smuggling" finds
-- "smuggled". The full-text index is rebuilt with the Porter stemmer in front of the same
-- unicode61 tokenizer (Hangul and Chinese pass through it unchanged), from the reports table.
DROP TRIGGER IF EXISTS reports_fts_ai;
DROP TRIGGER IF EXISTS reports_fts_ad;
DROP TRIGGER IF EXISTS reports_fts_au;
DROP TABLE IF EXISTS reports_fts;
CREATE VIRTUAL TABLE reports_fts USING fts5(
    title, text,
    content='reports', content_rowid='pk',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER reports_fts_ai AFTER INSERT ON reports BEGIN
    INSERT INTO reports_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
END;
CREATE TRIGGER reports_fts_ad AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
END;
CREATE TRIGGER reports_fts_au AFTER UPDATE OF title, text ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
    INSERT INTO reports_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
END;
INSERT INTO reports_fts(reports_fts) VALUES ('rebuild');
