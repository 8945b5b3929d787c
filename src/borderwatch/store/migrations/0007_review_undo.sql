-- Undo (issue 8): every review (accept, reject, correct, add, report edit, incident split or
-- merge) can be undone from the reader's History, the API and the command line. `changes`
-- holds the exact rows the review changed, their columns before and after (JSON), so an undo
-- restores them exactly and can tell when a later review changed them again. An undo is a
-- review of its own (action 'undo'): `undoes` names the review it undid, and that review's
-- `undone_by` names the undo. Reviews written before this migration have no `changes`; an
-- accept, reject or report edit among them is undone from its `before` value.

ALTER TABLE reviews ADD COLUMN changes TEXT;
ALTER TABLE reviews ADD COLUMN undoes INTEGER REFERENCES reviews(id);
ALTER TABLE reviews ADD COLUMN undone_by INTEGER REFERENCES reviews(id);
CREATE INDEX reviews_fact ON reviews(fact_table, fact_id);
