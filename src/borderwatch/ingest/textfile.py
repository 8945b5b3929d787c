"""Plain-text reports as scrapers save them: tags line, photo caption, title, byline, body.

The leading lines are taken as page furniture only when they have its exact shape (see
data/lang/en/page_layout.yaml); a normal first sentence ends in punctuation and stays in the
body. A dateline (`SHENYANG, China --`) is part of the first sentence and stays in the body:
it carries a place the extractor should see. Boilerplate is removed later, by clean/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.ingest.meta import normalize_date
from borderwatch.model import Report

_HEAD_LINES = 8  # page furniture sits in the first few lines; never look further


@dataclass(frozen=True)
class LayoutRules:
    """Compiled shapes from data/lang/en/page_layout.yaml."""

    tag_split: re.Pattern[str]
    tag_item: re.Pattern[str]
    tags_min_items: int
    tag_max_words: int
    tags_max_chars: int
    caption_max_words: int
    credits_labelled: tuple[re.Pattern[str], ...]
    credits_bare: tuple[re.Pattern[str], ...]
    title_max_chars: int
    title_max_words: int
    title_bad_end: re.Pattern[str]
    bylines: tuple[re.Pattern[str], ...]


@dataclass
class Layout:
    """What the leading lines held, and the body: always a suffix of the input text."""

    body: str
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    published: str | None = None


def _patterns(raw: dict, key: str, flags: int = 0, suffix: str = "") -> tuple[re.Pattern[str], ...]:
    """Compile one group of patterns, refusing an empty group."""
    group = raw.get(key) or []
    if not group:
        raise DataError(f"page_layout.yaml: empty group {key}")
    return tuple(re.compile(f"(?:{p}){suffix}", flags) for p in group)


@cache
def rules() -> LayoutRules:
    """Load and compile the page-layout shapes once."""
    raw = read_yaml("lang/en/page_layout.yaml")
    return LayoutRules(
        tag_split=re.compile(raw["tag_separators"]),
        tag_item=re.compile(raw["tag_item"]),
        tags_min_items=int(raw["tags_min_items"]),
        tag_max_words=int(raw["tag_max_words"]),
        tags_max_chars=int(raw["tags_max_chars"]),
        caption_max_words=int(raw["caption_max_words"]),
        credits_labelled=_patterns(raw, "caption_credits_labelled", re.I, r"\s*$"),
        credits_bare=_patterns(raw, "caption_credits_bare", re.I, r"\s*$"),
        title_max_chars=int(raw["title_max_chars"]),
        title_max_words=int(raw["title_max_words"]),
        title_bad_end=re.compile(f"(?:{raw['title_bad_endings']})$"),
        bylines=_patterns(raw, "bylines"),
    )


def parse_tags(line: str) -> list[str] | None:
    """The tags on a publisher's tag line, or None if the line is not one."""
    r = rules()
    if len(line) > r.tags_max_chars or "," not in line:
        return None
    items = [t.strip() for t in r.tag_split.split(line.rstrip("."))]
    if len(items) < r.tags_min_items:
        return None
    for item in items:
        if not r.tag_item.fullmatch(item) or len(item.split()) > r.tag_max_words:
            return None
    return items


def is_caption(line: str) -> bool:
    """True for a short line ending in a photo credit."""
    r = rules()
    if len(line.split()) > r.caption_max_words:
        return False
    if any(p.search(line) for p in r.credits_labelled):
        return True
    for p in r.credits_bare:
        m = p.search(line)
        if m:
            head = line[: m.start()].rstrip()
            return bool(head) and head[-1] not in '.!?"”’'
    return False


def is_title(line: str) -> bool:
    """True for a short headline-shaped line: two or more words, no sentence-final punctuation."""
    r = rules()
    words = line.split()
    return (2 <= len(words) <= r.title_max_words and len(line) <= r.title_max_chars
            and not r.title_bad_end.search(line) and not line[0].islower()
            and not line.startswith(("-", "*", "#", "<")))


def parse_byline(line: str) -> tuple[str | None, str | None] | None:
    """(author, published YYYY-MM-DD) from a byline or date line, or None if it is not one."""
    for pattern in rules().bylines:
        m = pattern.fullmatch(line)
        if not m:
            continue
        groups = m.groupdict()
        author = (groups.get("author") or "").strip() or None
        date = normalize_date(groups["date"]) if groups.get("date") else None
        if groups.get("date") and date is None:
            continue  # a date-shaped line whose date does not parse is not a date line
        return author, date
    return None


def _new_byline(line: str, found: Layout) -> tuple[str | None, str | None] | None:
    """A byline or date line that adds an author or a date not yet found, else None."""
    by = parse_byline(line)
    if by is None or (by[0] and found.author) or (by[1] and found.published):
        return None
    return by


def _stands_alone(lines: list[tuple[int, int, str]], i: int) -> bool:
    """True if line i is followed by a blank line or by a byline: not a hard-wrapped sentence."""
    next_start, next_line = lines[i + 1][0], lines[i + 1][2]
    if next_start > lines[i][1]:
        return True
    return parse_byline(next_line) is not None


def _lines(text: str) -> list[tuple[int, int, str]]:
    """The first non-blank lines as (start, end, stripped text)."""
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        if raw.strip():
            out.append((pos, pos + len(raw), raw.strip()))
            if len(out) > _HEAD_LINES:
                break
        pos += len(raw)
    return out


def parse_layout(text: str) -> Layout:
    """Split the leading page furniture from the body; never raises, never loses body text."""
    found = Layout(body=text)
    lines = _lines(text)
    body_start = None
    byline_seen = False  # a title comes before the byline, never after it
    for i, (start, _end, line) in enumerate(lines[:_HEAD_LINES]):
        has_next = i + 1 < len(lines)
        tags = parse_tags(line) if i == 0 else None
        if tags is not None:
            found.tags = tags
        elif is_caption(line):
            found.captions.append(line)
        elif (by := _new_byline(line, found)) is not None:
            byline_seen = True
            found.author = found.author or by[0]
            found.published = found.published or by[1]
        elif (found.title is None and not byline_seen and has_next and is_title(line)
              and _stands_alone(lines, i)):
            found.title = line
        else:
            body_start = start
            break
    if body_start is None:  # nothing but furniture: keep the whole text as the body
        return Layout(body=text)
    found.body = text[body_start:]
    return found


def read_text(text: str, source: str, encoding: str | None, url: str | None = None) -> Report:
    """A Report from a plain-text file in the seed's layout."""
    layout = parse_layout(text)
    return Report(
        source=source, body=layout.body, format="text", title=layout.title,
        author=layout.author, published=layout.published, url=url,
        tags=tuple(layout.tags), captions=tuple(layout.captions), encoding=encoding,
    )
