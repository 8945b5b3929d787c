"""Report metadata shared by every reader: options, outlet, publication date and language.

Readers fill what their input states (a page's site name, a feed's date, a record's fields);
`complete` then resolves each value the same way for every format. Explicit options
(--outlet, --published, --language) always win: the user typed them for this run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from borderwatch.data_models.outlets import OutletsFile
from borderwatch.datafiles import DataError, load
from borderwatch.model import Report


class ReadError(Exception):
    """A whole input could not be read; str(error) is the one-line reason."""

    stage = "parse"


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs. `outlet`, `published` and `language`, when given, are used for
    reports whose input does not say (the input's own metadata wins); `published` must be
    YYYY-MM-DD.
    """

    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    max_bytes: int = 20_000_000  # larger inputs fail as "too large"
    fetch_pages: bool = True  # fetch an RSS item's page when the feed holds only a summary
    allow_private_urls: bool = False  # fetch loopback/private/link-local addresses too (SSRF guard off)
    robots: bool = True  # obey each site's robots.txt when fetching (ingest/polite.py)
    host_delay: float = 1.0  # seconds at least between two requests to one host

    def __post_init__(self) -> None:
        """Refuse an override that would be silently ignored."""
        if self.published is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.published):
            raise ValueError(f"published must be YYYY-MM-DD, not {self.published!r}")
        if self.language is not None and normalize_language(self.language) is None:
            raise ValueError(f"language must be an ISO 639-1 code, not {self.language!r}")
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        if self.host_delay < 0:
            raise ValueError("host_delay must not be negative")


@dataclass(frozen=True)
class Outlets:
    """The outlet table from data/outlets.yaml, indexed for lookups."""

    by_domain: dict[str, str]
    by_alias: dict[str, str]
    signatures: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    signature_tail: int
    url_dates: tuple[re.Pattern[str], ...]
    url_months: tuple[re.Pattern[str], ...]


_KEY = re.compile(r"[\W_]+")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_LANG = re.compile(r"^([A-Za-z]{2})(?:$|[-_])")
_EARLIEST = dt.date(1945, 1, 1)
_LANGID_MIN_PROB = 0.5
_LANGID_SAMPLE = 2000
_LETTER = re.compile(r"[^\W\d_]")


def _key(name: str) -> str:
    """An outlet name folded for matching: lower case, no spaces or punctuation."""
    return _KEY.sub("", name.casefold())


@cache
def outlets() -> Outlets:
    """Load and check data/outlets.yaml once."""
    raw = load("outlets.yaml", OutletsFile)
    by_domain: dict[str, str] = {}
    by_alias: dict[str, str] = {}
    sigs: list[tuple[str, tuple[re.Pattern[str], ...]]] = []
    for entry in raw.outlets:
        name = entry.name
        for domain in entry.domains:
            domain = domain.lower().strip()
            if by_domain.setdefault(domain, name) != name:
                raise DataError(f"outlets.yaml: outlets[{entry.id}]: domains: {domain} also belongs to {by_domain[domain]}")
        for alias in [name, *entry.aliases, *entry.site_names]:
            if by_alias.setdefault(_key(alias), name) != name:
                raise DataError(f"outlets.yaml: outlets[{entry.id}]: {alias!r} also names {by_alias[_key(alias)]}")
        sigs.extend((name, tuple(re.compile(p, re.I | re.M) for p in group)) for group in entry.signatures)
    url_dates = tuple(re.compile(p) for p in raw.url_dates)
    url_months = tuple(re.compile(p) for p in raw.url_months)
    return Outlets(by_domain, by_alias, tuple(sigs), raw.signature_tail, url_dates, url_months)


def outlet_from_domain(url: str | None) -> str | None:
    """The outlet a URL's host belongs to (the host or any parent domain), if known."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    table = outlets().by_domain
    while host:
        if host in table:
            return table[host]
        host = host.partition(".")[2]
    return None


def outlet_from_text(body: str) -> str | None:
    """The outlet whose page furniture (a signature in data/outlets.yaml) ends the body."""
    table = outlets()
    tail = body[-table.signature_tail:]
    for name, patterns in table.signatures:
        if all(p.search(tail) for p in patterns):
            return name
    return None


def canonical_outlet(name: str | None) -> str | None:
    """A known outlet's canonical name for a page's own spelling of it, else the name as given."""
    if not name or not name.strip():
        return None
    found = outlets().by_alias.get(_key(name))
    if found is None and "." in name:
        found = outlet_from_domain("//" + name.strip())
    return found or name.strip()


def resolve_outlet(stated: str | None, url: str | None, body: str) -> str | None:
    """Outlet from the page/record/feed (canonicalised), else URL domain, else text signature."""
    stated_name = canonical_outlet(stated)
    if stated_name and stated_name in outlets().by_alias.values():
        return stated_name
    return outlet_from_domain(url) or stated_name or outlet_from_text(body)


def _valid(y: int, m: int, d: int) -> str | None:
    """YYYY-MM-DD if it is a real date, not before 1945 and not in the future."""
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None
    if day < _EARLIEST or day > dt.date.today() + dt.timedelta(days=1):
        return None
    return day.isoformat()


def normalize_date(value: Any) -> str | None:
    """YYYY-MM-DD from a date string, datetime or struct_time; None unless day, month and year
    are all stated (a date is never invented)."""
    if value is None:
        return None
    if isinstance(value, time.struct_time):
        return _valid(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, (dt.date, dt.datetime)):
        return _valid(value.year, value.month, value.day)
    text = str(value).strip()
    if not text or len(text) > 80:
        return None
    if m := _ISO_DATE.match(text):
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return _parse_phrase(text)


def _parse_phrase(text: str) -> str | None:
    """A written date ('June 29, 2019', 'Tue, 05 Sep 2017 08:00:00 GMT', '2019년 6월 29일')."""
    import dateparser  # slow to import; only needed when a date is not ISO

    try:
        parsed = dateparser.parse(
            text, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
        )
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    return _valid(parsed.year, parsed.month, parsed.day) if parsed else None


def _url_path(url: str) -> str:
    """A URL's path and query, where outlets write dates (/2022/07/19/, ?ud=20220719000123)."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def month_from_url(url: str | None) -> str | None:
    """The publication month YYYY-MM written in a URL (a full date's month, or /2018/11/)."""
    if not url:
        return None
    day = date_from_url(url)
    if day:
        return day[:7]
    path = _url_path(url)
    for pattern in outlets().url_months:
        for m in pattern.finditer(path):
            found = _valid(int(m.group("y")), int(m.group("m")), 1)
            if found:
                return found[:7]
    return None


def date_from_url(url: str | None) -> str | None:
    """A publication date written in a URL path (/2022/07/19/, 20220719), if any."""
    if not url:
        return None
    path = _url_path(url)
    for pattern in outlets().url_dates:
        for m in pattern.finditer(path):
            found = _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if found:
                return found
    return None


def _published_from_text(body: str) -> str | None:
    """The publication day the text's own date line states (page_layout.yaml date_lines)."""
    from borderwatch.ingest.textfile import published_from_lines  # textfile imports this module

    return published_from_lines(body)


def normalize_language(value: Any) -> str | None:
    """An ISO 639-1 code from 'en', 'en-US', 'ko_KR'; None for anything else."""
    if not isinstance(value, str):
        return None
    m = _LANG.match(value.strip())
    return m.group(1).lower() if m else None


@cache
def _identifier() -> Any:
    """py3langid's model with normalised probabilities, loaded once (from the disk cache when
    an earlier run left it there: decompressing the shipped model takes ~0.5 s)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    ptc, pc, classes, nextmove, row, output = _langid_model(MODEL_DIR / MODEL_FILE)
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


_LANGID_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
_TYPECODES = {2: "H", 4: "I", 8: "L"}  # py3langid's DFA tables are stdlib arrays of these


def _langid_model(path: Any) -> tuple[Any, ...]:
    """py3langid's model tuple (ptc, pc, classes, nextmove, row, output), as its own loader
    returns it, read from the cache or decompressed (and then cached)."""
    from importlib.metadata import version

    import numpy as np
    from py3langid.modelio import load_model

    from borderwatch.cache import content_key, load_arrays, save_arrays

    key = content_key([path], "py3langid", version("py3langid"))
    arrays = load_arrays("langid", key, _LANGID_ARRAYS)
    if arrays is not None and _langid_ok(arrays):
        return (arrays["ptc"], arrays["pc"], arrays["classes"].tolist(),
                _stdlib_array(arrays["nextmove"]), _stdlib_array(arrays["nextmove_row"]),
                arrays["out_feat"].tolist())
    ptc, pc, classes, nextmove, row, output = load_model(path)
    save_arrays("langid", key, {
        "ptc": ptc, "pc": pc, "classes": np.array(classes),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "nextmove_row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
        "out_feat": np.asarray(output, dtype=np.int32),
    })
    return np.asarray(ptc), np.asarray(pc), classes, nextmove, row, output


def _langid_ok(arrays: dict[str, Any]) -> bool:
    """True when cached model arrays fit together (shapes and kinds as py3langid writes them)."""
    ptc, pc, classes = arrays["ptc"], arrays["pc"], arrays["classes"]
    nextmove, row, out = arrays["nextmove"], arrays["nextmove_row"], arrays["out_feat"]
    return (ptc.ndim == 2 and ptc.shape[1] == pc.shape[0] == classes.shape[0] > 0
            and ptc.dtype.kind == pc.dtype.kind == "f" and out.dtype.kind == "i"
            and classes.dtype.kind == "U" and nextmove.ndim == row.ndim == out.ndim == 1
            and nextmove.size % 256 == 0 and row.size == out.size > 0
            and nextmove.dtype.kind == row.dtype.kind == "u"
            and nextmove.dtype.isnative and row.dtype.isnative
            and nextmove.dtype.itemsize in _TYPECODES and row.dtype.itemsize in _TYPECODES)


def _stdlib_array(values: Any) -> Any:
    """A numpy unsigned array as the stdlib array py3langid walks (as its loader makes it)."""
    from array import array

    import numpy as np

    out = array(_TYPECODES[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).data.cast("B"))
    return out


def detect_language(body: str) -> str | None:
    """The body's language by py3langid, or None when the model is unsure."""
    sample = body[:_LANGID_SAMPLE]
    if len(_LETTER.findall(sample, 0, 400)) < 20:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= _LANGID_MIN_PROB else None


def complete(report: Report, options: ReadOptions) -> Report:
    """Resolve outlet, published date and language the same way for every reader."""
    # What the input itself says wins; the options fill gaps (a batch run with --published
    # must not overwrite the dates that pages and feeds carry).
    outlet = resolve_outlet(report.outlet, report.url, report.body) or options.outlet
    published = (normalize_date(report.published) or date_from_url(report.url)
                 or _published_from_text(report.body) or normalize_date(options.published))
    language = (normalize_language(report.language) or normalize_language(options.language)
                or detect_language(report.body))
    tags = tuple(dict.fromkeys(t.strip().lower() for t in report.tags if t and t.strip()))
    captions = tuple(dict.fromkeys(c.strip() for c in report.captions if c and c.strip()))
    return dataclasses.replace(report, outlet=outlet, published=published, language=language,
                               tags=tags, captions=captions)


@dataclass(frozen=True)
class Unchanged:
    """A URL that answered 304 Not Modified: read on an earlier run, nothing new to store."""

    source: str
    url: str
