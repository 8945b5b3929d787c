"""Plain-text reports as scrapers save them: tags line, photo caption, title, byline, body.

The leading lines are taken as page furniture only when they have its exact shape (see
data/lang/en/page_layout.yaml); a normal first sentence ends in punctuation and stays in the
body. A dateline (`SHENYANG, China --`) is part of the first sentence and stays in the body:
it carries a place the extractor should see. Boilerplate is removed later, by clean/.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from borderwatch.data_models.misc import PageLayoutFile
from borderwatch.datafiles import DataError, load
from borderwatch.ingest.meta import normalize_date
from borderwatch.model import Report

_HEAD_LINES = 8  # page furniture sits in the first few lines; never look further

_FILE = "lang/en/page_layout.yaml"


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
    date_line_max_lines: int
    date_lines: tuple[re.Pattern[str], ...]
    widget_reach: int
    widget_marks: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class DateLine:
    """A line near the top of a text that states a date: the page's own date line, or a scraper's
    'today' line (`widget`), which is neither the publication date nor a date of the report."""

    start: int  # the stripped line's span in the text
    end: int
    value: str  # YYYY-MM-DD, or YYYY-MM for a month-only line
    widget: bool


@dataclass
class Layout:
    """What the leading lines held, and the body: always a suffix of the input text."""

    body: str
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    published: str | None = None


def _patterns(group: list[str], flags: int = 0, suffix: str = "") -> tuple[re.Pattern[str], ...]:
    """Compile one group of patterns (never empty: the model requires one or more)."""
    return tuple(re.compile(f"(?:{p}){suffix}", flags) for p in group)


_PART = re.compile(r"\{(\w+)\}")


def _expand(pattern: str, parts: dict[str, str], where: str) -> str:
    """A pattern with each `{name}` replaced by that part (parts may use earlier parts)."""

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in parts:
            raise DataError(f"{_FILE}: {where}: unknown part {{{m.group(1)}}}")
        return parts[m.group(1)]

    return _PART.sub(sub, pattern)


def _date_line_patterns(raw: PageLayoutFile) -> tuple[re.Pattern[str], ...]:
    """`date_lines` with their `{part}`s filled in from `date_line_parts`."""
    parts: dict[str, str] = {}
    for name, value in raw.date_line_parts.items():
        parts[name] = _expand(value, parts, f"date_line_parts.{name}")
    out = []
    for n, p in enumerate(raw.date_lines):
        pattern = re.compile(_expand(p, parts, f"date_lines.{n}"))
        if "date" not in pattern.groupindex:
            raise DataError(f"{_FILE}: date_lines.{n}: no 'date' group in {p}")
        out.append(pattern)
    return tuple(out)


@cache
def rules() -> LayoutRules:
    """Load and compile the page-layout shapes once."""
    raw = load(_FILE, PageLayoutFile)
    return LayoutRules(
        tag_split=re.compile(raw.tag_separators),
        tag_item=re.compile(raw.tag_item),
        tags_min_items=raw.tags_min_items,
        tag_max_words=raw.tag_max_words,
        tags_max_chars=raw.tags_max_chars,
        caption_max_words=raw.caption_max_words,
        credits_labelled=_patterns(raw.caption_credits_labelled, re.I, r"\s*$"),
        credits_bare=_patterns(raw.caption_credits_bare, re.I, r"\s*$"),
        title_max_chars=raw.title_max_chars,
        title_max_words=raw.title_max_words,
        title_bad_end=re.compile(f"(?:{raw.title_bad_endings})$"),
        bylines=_patterns(raw.bylines),
        date_line_max_lines=raw.date_line_max_lines,
        date_lines=_date_line_patterns(raw),
        widget_reach=raw.today_widget_reach,
        widget_marks=_patterns(raw.today_widget_marks, re.I),
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


_MONTH_ISO = re.compile(r"((?:19|20)\d\d)[-./](\d\d)")


def _month_value(phrase: str) -> str | None:
    """YYYY-MM from a month-only date ('2023-08', 'August 2023'), if it is a real past month."""
    if m := _MONTH_ISO.fullmatch(phrase.strip()):
        year, month = int(m.group(1)), int(m.group(2))
    else:
        words = phrase.replace(",", " ").split()
        names = [calendar.month_name[i].lower() for i in range(13)]
        if len(words) != 2 or words[0].lower() not in names or not words[1].isdigit():
            return None
        year, month = int(words[1]), names.index(words[0].lower())
    if not 1 <= month <= 12 or not year >= 1945 or (year, month) > _this_month():
        return None
    return f"{year:04d}-{month:02d}"


def _this_month() -> tuple[int, int]:
    """(year, month) of today: a date line is never in the future."""
    today = dt.date.today()
    return today.year, today.month


_HANGUL_DATE = re.compile(r"((?:19|20)\d\d)년\s*(\d{1,2})월\s*(\d{1,2})일")
_WORD = re.compile(r"(?<![\dA-Za-z])[A-Za-z]+")


def _day_value(phrase: str) -> str | None:
    """YYYY-MM-DD of a date line's date phrase ('Tuesday, 5 March, 2019', 'OCT. 4, 2022'), read
    by the report date parser (fast; dateparser costs ~10 ms a call)."""
    from borderwatch.values.dates import find_date_spans

    if m := _HANGUL_DATE.fullmatch(phrase.strip()):
        return normalize_date(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
    cased = _WORD.sub(lambda w: w.group()[:1].upper() + w.group()[1:].lower(), phrase)
    days = [d for d in find_date_spans(cased) if d.kind == "ymd"]
    if len(days) != 1:
        return None
    d = days[0]
    return normalize_date(f"{d.year:04d}-{d.month:02d}-{d.day:02d}")


def _line_date(line: str) -> str | None:
    """The date a date line states (YYYY-MM-DD or YYYY-MM), or None if the line is not one."""
    for pattern in rules().date_lines:
        m = pattern.fullmatch(line)
        if m is None:
            continue
        phrase = m.group("date")
        found = _day_value(phrase) or _month_value(phrase)
        if found:
            return found
    return None


def date_lines(text: str) -> tuple[DateLine, ...]:
    """The date lines among the first non-blank lines of `text` (see page_layout.yaml)."""
    return _date_lines(text[:_HEAD_CHARS])


_HEAD_CHARS = 6000  # the first lines of a text are all a date line search needs


@lru_cache(maxsize=16)  # ingest, dates and places ask about the same text in turn
def _date_lines(text: str) -> tuple[DateLine, ...]:
    """date_lines over a text's head."""
    r = rules()
    lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append((pos + lead, pos + lead + len(stripped), stripped))
            if len(lines) >= r.date_line_max_lines:
                break
        pos += len(raw)
    out = []
    for i, (start, end, line) in enumerate(lines):
        value = _line_date(line)
        if value is None:
            continue
        near = lines[max(0, i - r.widget_reach):i] + lines[i + 1:i + 1 + r.widget_reach]
        widget = any(p.fullmatch(other) for _, _, other in near for p in r.widget_marks)
        out.append(DateLine(start, end, value, widget))
    return tuple(out)


def published_from_lines(text: str) -> str | None:
    """The publication day a page's own date line states (never a scraper's 'today' line)."""
    for line in date_lines(text):
        if not line.widget and len(line.value) == 10:
            return line.value
    return None


def read_text(text: str, source: str, encoding: str | None, url: str | None = None) -> Report:
    """A Report from a plain-text file in the seed's layout."""
    layout = parse_layout(text)
    return Report(
        source=source, body=layout.body, format="text", title=layout.title,
        author=layout.author, published=layout.published or published_from_lines(text), url=url,
        tags=tuple(layout.tags), captions=tuple(layout.captions), encoding=encoding,
    )
