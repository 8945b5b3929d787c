"""What watchlists found: their hits as a list (the app's hits page) and as Atom 1.0 or JSON
Feed 1.1 documents for feed readers.

A hit is listed newest-found first, joined to the event that now has its span (event ids change
when `reextract` rewrites a report's facts, the span does not); a hit whose event an analyst has
rejected is no longer listed, counted or sent to feed readers.
"""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from typing import Any

from borderwatch.store.watchlists import (
    LIVE_HIT,
    PLACE_NAME,
    SENTENCE,
    Labeller,
    WatchError,
    Watchlist,
    describe,
    get_watchlist,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# Characters XML 1.0 does not allow; report text is untrusted and may hold them.
_XML_BAD = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_HITS_SQL = f"""
SELECT h.report_id, h.found_at, h.event_type, h.event_start, h.event_end,
       e.id AS event_id, e.type, e.day AS day,
       r.title, r.outlet, r.published, {PLACE_NAME} AS place,
       coalesce({SENTENCE}, substr(r.text, 1, 300)) AS summary
FROM watch_hits h JOIN reports r ON r.id = h.report_id
LEFT JOIN events e ON e.id = (
    SELECT e2.id FROM events e2 WHERE e2.report_id = h.report_id AND e2.type = h.event_type
    AND e2.start = h.event_start AND e2."end" = h.event_end LIMIT 1)
WHERE h.watchlist_id = ? AND {LIVE_HIT} ORDER BY h.found_at DESC, h.rowid DESC LIMIT ? OFFSET ?
"""


def list_hits(conn: sqlite3.Connection, watchlist_id: int, limit: int = 100,
              offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """The watchlist's hits, newest found first, and how many it has in all (hits whose event an
    analyst rejected since are left out of both)."""
    total = conn.execute(f"SELECT count(*) FROM watch_hits h WHERE h.watchlist_id = ? AND {LIVE_HIT}",
                         (watchlist_id,)).fetchone()[0]
    rows = [dict(r) for r in conn.execute(_HITS_SQL, (watchlist_id, limit, offset))]
    return total, rows


def _clean(text: str | None) -> str:
    """Text safe for XML 1.0 (untrusted report text may hold control characters)."""
    return _XML_BAD.sub("", text or "")


def _rfc3339(value: str | None, fallback: str) -> str:
    """A date or timestamp as RFC 3339 (a bare day becomes midnight UTC)."""
    if value and len(value) == 10:
        return value + "T00:00:00Z"
    return value or fallback


def _entries(conn: sqlite3.Connection, w: Watchlist, limit: int, base_url: str,
             label: Labeller | None) -> list[dict[str, Any]]:
    """The watchlist's latest hits as feed-neutral entries."""
    base = base_url.rstrip("/")
    out = []
    for r in list_hits(conn, w.id, limit)[1]:
        if r["event_type"]:
            link = f"{base}/reports/{r['report_id']}"
            if r["event_id"] is not None:
                link += f"#event-{r['event_id']}"
            what = label("type", r["event_type"]) if label else r["event_type"].replace("_", " ")
            title = f"{what} in {r['place']}" if r["place"] else what
            title += f" ({r['outlet'] or 'unknown outlet'}, {r['day'] or 'undated'})"
            ident = (f"urn:borderwatch:watch:{w.id}:{r['report_id']}:{r['event_type']}:"
                     f"{r['event_start']}:{r['event_end']}")
        else:
            link = f"{base}/reports/{r['report_id']}"
            title = r["title"] or f"Report from {r['outlet'] or 'unknown outlet'}"
            ident = f"urn:borderwatch:watch:{w.id}:{r['report_id']}"
        out.append({"id": ident, "url": link, "title": _clean(title),
                    "summary": _clean(r["summary"]), "updated": r["found_at"],
                    "published": _rfc3339(r["published"], r["found_at"]),
                    "report_id": r["report_id"], "event_id": r["event_id"],
                    "type": r["event_type"], "place": r["place"], "outlet": r["outlet"]})
    return out


def _atom(w: Watchlist, entries: list[dict[str, Any]], base: str, self_url: str | None,
          words: str) -> str:
    """An Atom 1.0 document (RFC 4287)."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        """An Atom child element."""
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", f"urn:borderwatch:watch:{w.id}")
    sub(feed, "title", _clean(f"borderwatch: {w.name}"))
    sub(feed, "subtitle", _clean(words))
    sub(feed, "updated", entries[0]["updated"] if entries else (w.last_run_at or w.created_at))
    sub(sub(feed, "author"), "name", "borderwatch")
    sub(feed, "link", href=base + "/", rel="alternate")
    if self_url:
        sub(feed, "link", href=self_url, rel="self")
    sub(feed, "generator", "borderwatch")
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", e["id"])
        sub(entry, "title", e["title"])
        sub(entry, "updated", e["updated"])
        sub(entry, "published", e["published"])
        sub(entry, "link", href=e["url"], rel="alternate")
        sub(entry, "summary", e["summary"], type="text")
        if e["type"]:
            sub(entry, "category", term=e["type"])
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")


def _json_feed(w: Watchlist, entries: list[dict[str, Any]], base: str,
               self_url: str | None, words: str) -> str:
    """A JSON Feed 1.1 document."""
    doc: dict[str, Any] = {
        "version": JSON_FEED_VERSION, "title": f"borderwatch: {w.name}",
        "home_page_url": base + "/", "description": f"New matches for {words}",
        "items": [{
            "id": e["id"], "url": e["url"], "title": e["title"], "content_text": e["summary"],
            "date_published": e["published"], "date_modified": e["updated"],
            "tags": [e["type"]] if e["type"] else [],
            "_borderwatch": {k: e[k] for k in ("report_id", "event_id", "type", "place",
                                               "outlet")},
        } for e in entries],
    }
    if self_url:
        doc["feed_url"] = self_url
    return json.dumps(doc, ensure_ascii=False, indent=2)


def watch_feed(conn: sqlite3.Connection, watchlist_id: int | str, fmt: str = "atom",
               limit: int = 50, base_url: str = DEFAULT_BASE_URL,
               self_url: str | None = None, label: Labeller | None = None) -> str:
    """The watchlist's latest hits as an Atom 1.0 or JSON Feed 1.1 document; with `label`
    (serve.render.label) event types and the filters read in words."""
    if fmt not in ("atom", "json"):
        raise WatchError(f"feed format must be atom or json, not {fmt!r}")
    w = get_watchlist(conn, watchlist_id)
    base = base_url.rstrip("/")
    words = describe(conn, w.filters, label) if label else json.dumps(
        w.filters.to_dict(), ensure_ascii=False)
    entries = _entries(conn, w, limit, base, label)
    return (_atom if fmt == "atom" else _json_feed)(w, entries, base, self_url, words)
