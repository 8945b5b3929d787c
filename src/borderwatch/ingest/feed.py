"""RSS 0.9x/1.0/2.0 and Atom feeds: every item becomes a report.

An item that carries only a teaser (few words, or ending in "…" or "Read more") has its page
fetched and extracted like any HTML page, when fetching is on and a fetcher exists; if that
fails the item becomes a Failure. A feed whose XML is broken and yields no items, or that was
cut off before its end, fails as a whole: a re-fetch is the fix, not a partial read.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.ingest.decode import decode_bytes
from borderwatch.ingest.html import extract_html, fragment_text
from borderwatch.ingest.http import Fetcher, FetchError
from borderwatch.ingest.meta import ReadError, ReadOptions, Unchanged, normalize_date
from borderwatch.model import Failure, Report

_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")
_TRUNCATED = ("no element found", "unclosed token", "unclosed cdata", "unexpected end")
_WORD = re.compile(r"\w+")


@dataclasses.dataclass(frozen=True)
class TeaserRules:
    """When a feed item's text is only a teaser of its page."""

    min_words: int
    endings: tuple[re.Pattern[str], ...]


@cache
def teaser_rules() -> TeaserRules:
    """Load the teaser marks from data/lang/en/page_layout.yaml once."""
    raw = read_yaml("lang/en/page_layout.yaml")
    endings = tuple(re.compile(p, re.I) for p in raw.get("teaser_endings") or [])
    if not endings:
        raise DataError("page_layout.yaml: empty group teaser_endings")
    return TeaserRules(int(raw["teaser_min_words"]), endings)


def is_teaser(text: str) -> bool:
    """True if an item's text is too short or ends like a teaser."""
    rules = teaser_rules()
    tail = text.rstrip()[-200:]
    return len(_WORD.findall(text)) < rules.min_words or any(p.search(tail) for p in rules.endings)


def parse_feed(text: str, base_url: str | None = None) -> Any:
    """feedparser's result for a decoded feed, re-encoded as UTF-8 so nothing is re-guessed."""
    import feedparser  # imported on the first feed: a run without feeds never pays for it

    data = _XML_DECL_ENCODING.sub(r'\1"utf-8"', text, count=1).encode("utf-8")
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    return feedparser.parse(io.BytesIO(data), response_headers=headers)


def _check(parsed: Any) -> str:
    """The feed kind ('rss' or 'atom'), or ReadError for a broken, cut or non-feed document."""
    version = parsed.get("version") or ""
    if parsed.get("bozo"):
        error = str(parsed.get("bozo_exception", "")).strip()
        if any(mark in error.lower() for mark in _TRUNCATED):
            raise ReadError(f"truncated feed XML: {error}")
        if not parsed.entries:
            raise ReadError(f"malformed feed XML: {error}")
    if not version:
        raise ReadError("not an RSS or Atom feed")
    if not parsed.entries:
        raise ReadError("feed has no items")
    return "atom" if version.startswith("atom") else "rss"


def _item_text(entry: Any) -> str:
    """The item's own text: its full content if it has any, else its summary."""
    contents = [c.get("value", "") for c in entry.get("content") or []]
    best = max(contents, key=len, default="")
    summary = entry.get("summary") or ""
    return fragment_text(best if len(best) >= len(summary) else summary)


def read_feed(text: str, source: str, encoding: str | None, options: ReadOptions,
              fetcher: Fetcher | None, url: str | None = None
              ) -> Iterator[Report | Failure | Unchanged]:
    """One Report (or Failure, or Unchanged page) for every item of a feed."""
    parsed = parse_feed(text, url)
    kind = _check(parsed)
    feed = parsed.feed
    for n, entry in enumerate(parsed.entries, 1):
        link = entry.get("link") or None
        where = link or f"{source}#item{n}"
        base = Report(
            source=where, body=_item_text(entry), format=kind,
            title=(entry.get("title") or "").strip() or None, outlet=feed.get("title") or None,
            author=entry.get("author") or None,
            published=normalize_date(entry.get("published_parsed") or entry.get("updated_parsed")),
            language=feed.get("language") or None, url=link or feed.get("link") or None,
            tags=tuple(t.get("term") or "" for t in entry.get("tags") or []), encoding=encoding,
        )
        if link and fetcher is not None and options.fetch_pages and is_teaser(base.body):
            yield _with_page(base, link, fetcher)
        elif base.body.strip():
            yield base
        else:
            yield Failure(source=where, reason="feed item has no text and no page to fetch",
                          stage="parse")


def _with_page(item: Report, link: str, fetcher: Fetcher) -> Report | Failure | Unchanged:
    """The item with its page's text as body; the feed's own fields win over the page's."""
    try:
        answer = fetcher.get(link)
    except FetchError as exc:
        return Failure(source=item.source, reason=f"item page: {exc}", stage="fetch")
    if answer.not_modified:
        return Unchanged(source=item.source, url=link)
    try:
        text, encoding = decode_bytes(answer.data or b"", answer.content_type)
        page = extract_html(text, item.source, answer.url or link, encoding)
    except ReadError as exc:
        return Failure(source=item.source, reason=f"item page: {exc}", stage=exc.stage)
    return dataclasses.replace(
        item, body=page.body, title=item.title or page.title,
        outlet=page.outlet or item.outlet, author=item.author or page.author,
        published=item.published or page.published, language=page.language or item.language,
        url=page.url or link, tags=item.tags or page.tags, captions=page.captions,
        encoding=encoding,
    )
