-- A secret key per watchlist: with `serve --require-login`, a feed reader (which cannot sign
-- in) reads /watchlists/ID.atom?token=KEY. Existing watchlists get a random 192-bit key here;
-- new ones get theirs from store/watchlists.create_watchlist.

ALTER TABLE watchlists ADD COLUMN feed_token TEXT;
UPDATE watchlists SET feed_token = lower(hex(randomblob(24))) WHERE feed_token IS NULL;
