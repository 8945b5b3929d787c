"""Which reader an input needs: from its name, then its content type, then its first bytes."""

from __future__ import annotations

import codecs
import json
import posixpath
import re
from urllib.parse import urlsplit

from borderwatch.model import RawInput

FORMATS = ("text", "html", "json", "jsonl", "feed")

_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_CONTENT_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/json": "json", "text/json": "json",
    "application/x-ndjson": "jsonl", "application/ndjson": "jsonl",
    "application/jsonl": "jsonl", "application/json-lines": "jsonl",
    "application/jsonlines": "jsonl",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/xml": "feed", "text/xml": "feed",
    "text/plain": "text", "text/markdown": "text",
}
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|section|main)[\s>/]")
_HEAD = 4096


def format_from_name(name: str | None) -> str | None:
    """The format a file name or URL path's extension names, if any."""
    if not name:
        return None
    path = urlsplit(name).path if "://" in name else name
    return _EXTENSIONS.get(posixpath.splitext(path.lower())[1])


def format_from_content_type(content_type: str | None) -> str | None:
    """The format an HTTP Content-Type names, if it names one."""
    if not content_type:
        return None
    return _CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())


def _head(data: bytes) -> str:
    """The first bytes as lower-case text, good enough to sniff markup or JSON."""
    head = data[:_HEAD]
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "ignore").lstrip().lower()
    return head.replace(b"\x00", b"").decode("latin-1").lstrip().lower()


def sniff(data: bytes) -> str:
    """The format the first bytes look like; 'text' when nothing else fits."""
    head = _head(data)
    if head.startswith("<"):
        if _FEED_ROOT.search(head[:2000]):
            return "feed"
        if _HTML_START.search(head):
            return "html"
        return "feed" if head.startswith("<?xml") else "html"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        return "jsonl" if _first_line_is_object(data) else "json"
    return "text"


def _first_line_is_object(data: bytes) -> bool:
    """True if the data holds several lines and the first one alone is a JSON object."""
    first, sep, rest = data.lstrip(b"\xef\xbb\xbf \t\r\n").partition(b"\n")
    if not sep or not rest.strip():
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def detect_format(raw: RawInput) -> str:
    """The reader for `raw`: caller's hint, extension, sniffed feed, content type, then sniffing."""
    if raw.format_hint in FORMATS:
        return raw.format_hint
    by_name = format_from_name(raw.url or raw.source)
    if by_name:
        return by_name
    sniffed = sniff(raw.data)
    if sniffed == "feed":  # servers often label feeds text/html or text/plain
        return sniffed
    by_type = format_from_content_type(raw.content_type)
    if by_type == "text" and sniffed != "text":
        return sniffed
    return by_type or sniffed
