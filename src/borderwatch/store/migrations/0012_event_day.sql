-- The day an event is filed under (its own date, else its report's publication date) is kept
-- in a column, so periods select events through an index instead of computing
-- coalesce(e.date, r.published) for every event of the store (issue 8: the brief's event count
-- took 535 ms at 50,000 reports). Triggers keep it true for every writer: new events, date
-- corrections and undos, and a report whose publication date is edited.
ALTER TABLE events ADD COLUMN day TEXT;
UPDATE events SET day = coalesce(date, (SELECT published FROM reports r WHERE r.id = events.report_id));
CREATE INDEX events_day ON events(day);
CREATE INDEX events_type_day ON events(type, day);
CREATE TRIGGER events_day_ai AFTER INSERT ON events BEGIN
    UPDATE events SET day = coalesce(new.date, (SELECT published FROM reports WHERE id = new.report_id))
    WHERE id = new.id;
END;
CREATE TRIGGER events_day_au AFTER UPDATE OF date, report_id ON events BEGIN
    UPDATE events SET day = coalesce(new.date, (SELECT published FROM reports WHERE id = new.report_id))
    WHERE id = new.id;
END;
CREATE TRIGGER reports_published_day_au AFTER UPDATE OF published ON reports BEGIN
    UPDATE events SET day = coalesce(date, new.published) WHERE report_id = new.id;
END;
