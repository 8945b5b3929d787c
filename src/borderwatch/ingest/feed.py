"""RSS 0.9x/1.0/2.0 and Atom feeds: every item becomes a report.

An item that carries only a teaser (few words, or ending in "…" or "Read more") has its page
fetched and extracted like any HTML page, when fetching is on, a fetcher exists and the item's
link is a web address (an RSS <guid> or an Atom `urn:` id is not). When the page cannot be
fetched the item is stored from its own text; only an item with no text of its own becomes a
Failure. One bad item (a lone surrogate, a URL that does not parse) fails alone: the rest of
its feed is read. A feed whose XML is broken and yields no items, or that was cut off before
its end, fails as a whole: a re-fetch is the fix, not a partial read.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from borderwatch.data_models.misc import PageLayoutFile
from borderwatch.datafiles import load
from borderwatch.ingest.decode import decode_bytes
from borderwatch.ingest.html import extract_html, fragment_text
from borderwatch.ingest.http import Fetcher, FetchError
from borderwatch.ingest.meta import ReadError, ReadOptions, Unchanged, normalize_date
from borderwatch.model import Failure, Report

_XML_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")
_TRUNCATED = ("no element found", "unclosed token", "unclosed cdata", "unexpected end")
_WORD = re.compile(r"\w+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# numeric references to surrogates: feedparser raises on them and would lose the whole feed
_SURROGATE_REF = re.compile(r"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*5[5-7]\d{3});")


@dataclasses.dataclass(frozen=True)
class TeaserRules:
    """When a feed item's text is only a teaser of its page."""

    min_words: int
    endings: tuple[re.Pattern[str], ...]


@cache
def teaser_rules() -> TeaserRules:
    """Load the teaser marks from data/lang/en/page_layout.yaml once."""
    raw = load("lang/en/page_layout.yaml", PageLayoutFile)
    return TeaserRules(raw.teaser_min_words, tuple(re.compile(p, re.I) for p in raw.teaser_endings))


def is_teaser(text: str) -> bool:
    """True if an item's text is too short or ends like a teaser."""
    rules = teaser_rules()
    tail = text.rstrip()[-200:]
    return len(_WORD.findall(text)) < rules.min_words or any(p.search(tail) for p in rules.endings)


def parse_feed(text: str, base_url: str | None = None) -> Any:
    """feedparser's result for a decoded feed, re-encoded as UTF-8 so nothing is re-guessed."""
    import feedparser  # imported on the first feed: a run without feeds never pays for it

    text = _SURROGATE_REF.sub(_replace_surrogate_ref, text)
    data = _XML_DECL_ENCODING.sub(r'\1"utf-8"', _SURROGATE.sub("\ufffd", text), count=1).encode("utf-8")
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    return feedparser.parse(io.BytesIO(data), response_headers=headers)


def _replace_surrogate_ref(m: re.Match[str]) -> str:
    ref = m.group(0)[2:-1]
    code = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
    return "&#xFFFD;" if 0xD800 <= code <= 0xDFFF else m.group(0)


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


def _str(value: Any) -> str | None:
    """A feed field as text, lone surrogates (from numeric character references such as
    &#xD800;) replaced: they cannot be stored or encoded, and must not cost the item."""
    if value is None:
        return None
    return _SURROGATE.sub("\ufffd", str(value))


def web_address(link: str | None) -> bool:
    """True for an http(s) URL with a host: the only links worth fetching."""
    if not link:
        return False
    try:
        parts = urlsplit(link)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # "http://[::1" and the like
        return False


def read_feed(text: str, source: str, encoding: str | None, options: ReadOptions,
              fetcher: Fetcher | None, url: str | None = None
              ) -> Iterator[Report | Failure | Unchanged]:
    """One Report (or Failure, or Unchanged page) for every item of a feed."""
    parsed = parse_feed(text, url)
    kind = _check(parsed)
    feed = parsed.feed
    for n, entry in enumerate(parsed.entries, 1):
        link = _str(entry.get("link")) or None
        where = link or f"{source}#item{n}"
        try:
            yield _item(entry, feed, kind, where, link, encoding, options, fetcher)
        except Exception as exc:  # noqa: BLE001 - one bad item fails alone, the feed goes on
            yield Failure(source=f"{source}#item{n}",
                          reason=f"feed item unreadable ({type(exc).__name__}: {exc})", stage="parse")


def _item(entry: Any, feed: Any, kind: str, where: str, link: str | None, encoding: str | None,
          options: ReadOptions, fetcher: Fetcher | None) -> Report | Failure | Unchanged:
    """One feed item as a Report; its page fetched when its own text is only a teaser."""
    base = Report(
        source=where, body=_str(_item_text(entry)) or "", format=kind,
        title=(_str(entry.get("title")) or "").strip() or None, outlet=_str(feed.get("title")) or None,
        author=_str(entry.get("author")) or None,
        published=normalize_date(entry.get("published_parsed") or entry.get("updated_parsed")),
        language=_str(feed.get("language")) or None,
        url=next((u for u in (link, _str(feed.get("link"))) if web_address(u)), None),
        tags=tuple(_str(t.get("term")) or "" for t in entry.get("tags") or []), encoding=encoding,
    )
    if (web_address(link) and fetcher is not None and options.fetch_pages
            and is_teaser(base.body)):
        return _with_page(base, link or "", fetcher)
    if base.body.strip():
        return base
    return Failure(source=where, reason="feed item has no text and no page to fetch", stage="parse")


def _with_page(item: Report, link: str, fetcher: Fetcher) -> Report | Failure | Unchanged:
    """The item with its page's text as body; the feed's own fields win over the page's.
    When the page cannot be had, the item's own text is the report (if it has any)."""
    try:
        answer = fetcher.get(link)
    except FetchError as exc:
        return _own_text(item, f"item page: {exc}", "fetch")
    if answer.not_modified:
        return Unchanged(source=item.source, url=link)
    try:
        text, encoding = decode_bytes(answer.data or b"", answer.content_type)
        page = extract_html(text, item.source, answer.url or link, encoding)
    except ReadError as exc:
        return _own_text(item, f"item page: {exc}", exc.stage)
    return dataclasses.replace(
        item, body=page.body, title=item.title or page.title,
        outlet=page.outlet or item.outlet, author=item.author or page.author,
        published=item.published or page.published, language=page.language or item.language,
        url=page.url or link, tags=item.tags or page.tags, captions=page.captions,
        encoding=encoding,
    )


def _own_text(item: Report, reason: str, stage: str) -> Report | Failure:
    """The item from its feed text when its page failed; a Failure when it has none."""
    if item.body.strip():
        return item
    return Failure(source=item.source, reason=reason, stage=stage)
