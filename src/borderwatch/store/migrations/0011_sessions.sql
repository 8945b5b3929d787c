-- Signed-in sessions live in the store as well as in the signed cookie (issue 9): logging out
-- deletes the row, so a copied cookie stops working at once instead of for its 14 days.
CREATE TABLE sessions (
    sid        TEXT PRIMARY KEY,
    user       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user);
