"""HTTP validators (ETag / Last-Modified) kept in the store for conditional re-fetching.

New validators are held back until the input they came with is stored (`flush`), so a crash or
a failed parse never leaves a validator that would make the next run skip unstored content.
"""

from __future__ import annotations

import sqlite3

from borderwatch.store.db import utc_now


class StoreFetchCache:
    """FetchCache backed by the `fetch_cache` table."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._pending: dict[str, tuple[str | None, str | None]] = {}

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) last seen for `url`, if its content was stored."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM fetch_cache WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember validators; written by `flush` once the content is stored."""
        if etag or last_modified:
            self._pending[url] = (etag, last_modified)

    def flush(self) -> None:
        """Write the pending validators (inside the caller's open transaction)."""
        now = utc_now()
        for url, (etag, lm) in self._pending.items():
            self.conn.execute(
                "INSERT INTO fetch_cache(url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, fetched_at = excluded.fetched_at",
                (url, etag, lm, now),
            )
        self._pending.clear()

    def discard(self) -> None:
        """Forget validators of an input that failed."""
        self._pending.clear()
