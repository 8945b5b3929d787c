"""Date phrases in running text: found and parsed into parts, not yet resolved.

Pure functions over strings. `find_date_spans` returns every date phrase with what it says
(year, month, day, weekday, relative offset, season…) and a `rule` id; values/calendar.py turns
those parts into a value against the publication date. Month and weekday names are matched
case-sensitively from data/lang/en/dates.yaml, and a month name alone counts only after a
preposition or with a day or year ("in May", "May 5", "May 2021"; never "may" the verb, never
"A 25"). Overlapping finds are settled longest first.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from borderwatch.data_models.dates import DatesFile, RelativePhrase
from borderwatch.datafiles import load
from borderwatch.patterns import alternation
from borderwatch.values import SpanSet
from borderwatch.values.numbers import norm_phrase, parse_number, vocab

_FILE = "lang/en/dates.yaml"
_YEAR = r"(?:19|20)\d\d"
_YEAR_END = r"(?![\w]|[.,]\d|[-–/]\d)"
_DAY_END = r"(?![\w]|[.,:]\d|[-–/]\d)"
_ORD = re.compile(r"\d+")
_TITLE_BEFORE = re.compile(r"[A-Z][\w-]*\s+$")  # a capitalised word right before a capitalised phrase
_AHEAD = 40  # characters after an anchor hit that a finder may still need
# The function-word lists of dates.yaml the patterns are built from.
_FUNCTION_WORDS = ("determiners", "range_words", "range_from", "range_between", "range_between_and",
                   "list_joiners", "list_links", "of_words", "definite", "day_of_month_leads",
                   "ago_words", "ago_one", "season_leads")


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date phrase and its parts; which parts are set depends on `kind`."""

    start: int
    end: int
    text: str
    # ymd | md | ym | month | month_yoff | year | weekday | dom | relative | ago | season | anaphoric
    kind: str
    rule: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    unit: str | None = None  # relative/ago unit: day | week | month | year
    offset: int | None = None  # relative offset, or the N of "N days ago"
    relation: str | None = None  # past | current | next | upcoming | latest (weekday, month, season)
    season: int | None = None  # month the season starts in


@dataclass(frozen=True, slots=True)
class _Vocab:
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, int]
    relations: dict[str, str]
    relative: dict[str, RelativePhrase]
    ago_units: dict[str, str]
    # (kind, finder, anchor, back): the finder runs only in a window around each anchor hit
    # (`back` characters before it); anchors are case-sensitive literal-first alternations,
    # which Python's regex engine scans ~10x faster than the finders themselves.
    patterns: tuple[tuple[str, re.Pattern[str], re.Pattern[str], int], ...]
    cont: re.Pattern[str]
    year_cont: re.Pattern[str]
    past_lead: re.Pattern[str]
    forward_lead: re.Pattern[str]
    year_offsets: dict[str, int]
    ago_one: frozenset[str]  # words counting one before an ago unit ("a week ago")


def _words(words: list[str]) -> list[str]:
    """A function-word list of dates.yaml, lower-cased."""
    return [norm_phrase(w) for w in words]


def _literal_alt(names: list[str]) -> str:
    """Case-sensitive alternation of names, longest first."""
    return alternation(names)


def _alt(phrases: Iterable[str]) -> str:
    """Alternation of data phrases, longest first; a space matches any run of white space."""
    return alternation(phrases, any_space=True)


@cache
def _vocab() -> _Vocab:
    """dates.yaml compiled into the finders, once."""
    data = load(_FILE, DatesFile)
    full, abbr = data.months, data.month_abbreviations
    weekdays, seasons = data.weekdays, data.seasons
    relations, relative = data.relations, data.relative
    ago = data.ago_units
    months = {**{k: int(v) for k, v in full.items()}, **{k: int(v) for k, v in abbr.items()}}
    m_full = _literal_alt(list(full))
    m_any = rf"(?:{_literal_alt(list(full))}|(?:{_literal_alt(list(abbr))})\.?)"
    part = rf"(?:(?i:{_alt(data.part_of_period)})[\s-]+)"
    mlead = rf"(?:(?i:{_alt(data.month_lead)})\s+)"
    ylead = rf"(?:(?i:{_alt(data.year_lead)})\s+)"
    rel = rf"(?i:{_alt(relations)})"
    wd = _literal_alt(list(weekdays))
    season = rf"(?i:{_alt(seasons)})"
    tails = _alt(data.day_of_month_tail)
    number = vocab().number
    day = rf"(?:3[01]|[12]\d|0?[1-9])(?:{vocab().ordinal})?"
    yoffs = data.month_year_offsets
    yoff = rf"(?i:{_alt(yoffs)})"
    nouns = _alt(data.dated_nouns)
    words = {k: _alt(getattr(data, k)) for k in _FUNCTION_WORDS}
    of, the, joiners = words["of_words"], words["definite"], words["list_joiners"]
    det = rf"(?:(?<![\w-])(?i:{words['determiners']})|(?<=\w)['’]s)"
    before_noun = lambda n: rf"\s+(?:[A-Za-z][\w-]*\s+){{0,{n}}}(?:{nouns})\b"  # noqa: E731
    range_to = rf"(?:\s+(?i:{words['range_words']})\s+|\s*[-–]\s*)"
    b = r"(?<![\w-])"
    # "the last winter" is no date: one fixed-width look-behind per article
    not_after_the = "".join(f"(?<!{re.escape(w)} )" for w in _words(data.definite))
    a_year = re.compile(r"(?:19|20)\d\d")
    a_month = re.compile(rf"(?:{m_full}|{_literal_alt(list(abbr))})")
    a_weekday = re.compile(rf"(?:{wd})")
    a_ordinal = re.compile(rf"\d(?:{vocab().ordinal})\b")
    a_relative = re.compile(_cased_alt(list(relative)))
    a_ago = re.compile(rf"(?:{words['ago_words']})\b")
    a_season = re.compile(_cased_alt(list(seasons)))
    anchors = {"iso": (a_year, 1), "mdy": (a_month, 30), "dmy": (a_month, 12), "my": (a_month, 30),
               "month": (a_month, 40), "year": (a_year, 40), "relmonth": (a_month, 15),
               "weekday": (a_weekday, 15), "dom": (a_ordinal, 12), "relative": (a_relative, 1),
               "ago": (a_ago, 60), "season": (a_season, 15), "seasony": (a_season, 1),
               "monthyoff": (a_month, 30), "seasonthe": (a_season, 20), "yrange": (a_year, 1),
               "mrange": (a_month, 30),
               "yearmod": (a_year, 12), "monthmod": (a_month, 12)}
    finders = (
        ("iso", re.compile(rf"(?<![\d.\-/])(?P<y>{_YEAR})(?P<sep>[-./])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
                           rf"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d|[-./]\d)")),
        ("mdy", re.compile(rf"{b}(?P<part>{part})?(?P<mon>{m_any})\s+(?P<d>{day}){_DAY_END}"
                           rf"(?:,?\s+(?P<y>{_YEAR}){_YEAR_END})?")),
        ("dmy", re.compile(rf"(?<![\w.,])(?P<d>{day})\s+(?:(?:{of})\s+)?(?P<mon>{m_any})(?![\w])"
                           rf"(?:,?\s+(?P<y>{_YEAR}){_YEAR_END})?")),
        ("my", re.compile(rf"{b}(?P<part>{part})?(?P<mon>{m_any})(?:\s+(?:{of}))?,?\s+(?P<y>{_YEAR}){_YEAR_END}")),
        ("month", re.compile(rf"{b}(?:{mlead}|(?={part}))(?P<part>{part})?"
                             rf"(?P<mon>{m_full})\b(?!\s+\d)")),
        ("year", re.compile(rf"{b}(?:{ylead}|(?={part}))(?P<part>{part})?(?P<y>{_YEAR}){_YEAR_END}")),
        ("relmonth", re.compile(rf"{b}(?P<rel>{rel})\s+(?P<mon>{m_full})\b(?!\s+\d)")),
        ("weekday", re.compile(rf"{b}(?:(?P<rel>{rel})\s+)?(?P<wd>{wd})\b")),
        ("dom", re.compile(rf"{b}(?i:{words['day_of_month_leads']})\s+(?P<txt>(?:{the})\s+(?P<d>{day})"
                           rf"(?:\s+(?P<tail>{tails}))?)(?(tail)|(?=\s*[,.;:)!?]|\s*$|\s+(?:{joiners})\b))")),
        ("relative", re.compile(rf"{b}(?P<rel>(?i:{_alt(relative)}))(?![\w-])")),
        ("ago", re.compile(rf"{b}(?P<n>(?i:{words['ago_one']})|{number})\s+(?P<u>(?i:{_alt(ago)}))"
                           rf"\s+(?i:{words['ago_words']})\b")),
        ("season", re.compile(rf"{b}{not_after_the}(?P<rel>{rel})\s+(?P<season>{season})\b")),
        ("seasony", re.compile(rf"{b}(?P<season>{season})\s+(?:(?:{of})\s+)?(?P<y>{_YEAR}){_YEAR_END}")),
        ("seasonthe", re.compile(rf"{b}(?i:{words['season_leads']})\s+"
                                 rf"(?P<txt>(?i:{the})\s+(?P<season>{season}))\b(?!\s+(?:(?:{of})\s+)?{_YEAR})")),
        ("monthyoff", re.compile(rf"{b}(?P<part>{part})?(?P<mon>{m_full})\s+(?:(?:{of})\s+)?(?P<yo>{yoff})\b")),
        ("yrange", re.compile(rf"{b}(?P<y>{_YEAR})\s*[-–]\s*(?P<y2>{_YEAR}|\d\d){_YEAR_END}")),
        ("mrange", re.compile(rf"{b}(?:(?:(?i:{words['range_from']})\s+)?(?P<part>{part})?(?P<mon>{m_full}){range_to}"
                              rf"|(?i:{words['range_between']})\s+(?P<part1>{part})?(?P<mon1>{m_full})"
                              rf"\s+(?:{words['range_between_and']})\s+)"
                              rf"(?:{part})?(?P<mon2>{m_full})(?:,?\s+(?:{of}))?,?\s+(?P<y>{_YEAR}){_YEAR_END}")),
        ("yearmod", re.compile(rf"{det}\s+(?P<y>{_YEAR}){_YEAR_END}(?={before_noun(2)})")),
        ("monthmod", re.compile(rf"{det}\s+(?P<part>{part})?(?P<mon>{m_full})\b"
                                rf"(?=(?:(?:,\s*|\s+(?:{joiners})\s+)(?:{m_full}))*"
                                rf"(?:,?\s+{_YEAR})?{before_noun(1)})")),
    )
    patterns = tuple((k, p, *anchors[k]) for k, p in finders)
    link = rf"(?:,\s*(?:(?:{joiners})\s+)?|\s+(?:{words['list_links']})\s+|\s*[-–]\s*)"
    cont = re.compile(rf"{link}"
                      rf"(?P<part>{part})?(?P<mon>{m_full})\b(?!\s+\d{{1,2}}(?!\d))"  # a day follows: no list
                      rf"(?:,?\s+(?P<y>{_YEAR}){_YEAR_END})?")
    year_cont = re.compile(rf"{link}(?P<y>{_YEAR}){_YEAR_END}")
    return _Vocab(months, {k: int(v) for k, v in weekdays.items()},
                  {norm_phrase(k): int(v) for k, v in seasons.items()},
                  {norm_phrase(k): str(v) for k, v in relations.items()},
                  {norm_phrase(k): v for k, v in relative.items()},
                  {norm_phrase(k): str(v) for k, v in ago.items()}, patterns, cont, year_cont,
                  re.compile(rf"(?<![\w])(?:{_alt(data.past_leads)})\s+$", re.I),
                  re.compile(rf"(?<![\w])(?:{_alt(data.forward_leads)})\s+$",
                             re.I),
                  {norm_phrase(k): int(x) for k, x in yoffs.items()}, frozenset(_words(data.ago_one)))


def _cased_alt(phrases: list[str]) -> str:
    """The phrases as written and with a capital first letter, as one trie-shaped regex (a
    space matches any white space): the longest phrase that fits wins, as with a longest-first
    alternation, but the engine walks shared openings once instead of trying each phrase (the
    relative-date phrases are a few hundred: ten times faster)."""
    trie: dict[str, dict] = {}
    for form in {x for p in phrases for x in (p, p[:1].upper() + p[1:])}:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _trie(trie) + ")"


def _trie(node: dict[str, dict]) -> str:
    """Regex source of a phrase trie; longer continuations are tried before stopping."""
    alts = [(r"\s+" if ch == " " else re.escape(ch)) + _trie(child)
            for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body


def _month(v: _Vocab, name: str) -> int:
    """Month number of a name or abbreviation as written ('Sept.' -> 9)."""
    return v.months[name.rstrip(".")]


def _valid(year: int | None, month: int, day: int) -> bool:
    """True when the day exists in that month (any leap year when the year is unknown)."""
    return 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _day(text: str) -> int:
    """Day number of '28th', '5'."""
    return int(_ORD.match(text).group())  # type: ignore[union-attr]


def _year(m: re.Match[str]) -> int | None:
    """The match's year group as a number, if the pattern has one and it matched."""
    y = m.groupdict().get("y")
    return int(y) if y else None


def _from_match(kind: str, m: re.Match[str], text: str, v: _Vocab) -> list[DateMatch]:
    """DateMatch records for one finder match (several for 'in March and May')."""
    s, e = m.span()
    y: int | None  # the year, when the date has one
    if kind == "iso":
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        return [DateMatch(s, e, text[s:e], "ymd", "date.iso", y, mo, d)] if _valid(y, mo, d) else []
    if kind in ("mdy", "dmy"):
        mo, d, y = _month(v, m["mon"]), _day(m["d"]), _year(m)
        if not _valid(y, mo, d):
            return []
        past = None if y else ("past" if v.past_lead.search(text, max(0, s - 15), s) else None)
        return [DateMatch(s, e, text[s:e], "ymd" if y else "md", f"date.{kind}", y, mo, d, relation=past)]
    if kind == "my":
        return [DateMatch(s, e, text[s:e], "ym", "date.month_year", int(m["y"]), _month(v, m["mon"]))]
    if kind == "month":
        return _month_list(m, text, v)
    if kind == "year":
        out = [DateMatch(m.start("part") if m["part"] else m.start("y"), e,
                         text[m.start("part") if m["part"] else m.start("y"):e], "year", "date.year",
                         int(m["y"]))]
        pos = e
        while (c := v.year_cont.match(text, pos)) is not None:
            out.append(DateMatch(c.start("y"), c.end(), c["y"], "year", "date.year", int(c["y"])))
            pos = c.end()
        return out
    if kind == "relmonth":
        return [DateMatch(s, e, text[s:e], "month", "date.month_relative", None, _month(v, m["mon"]),
                          relation=v.relations[norm_phrase(m["rel"])])]
    if kind == "weekday":
        relation = v.relations.get(norm_phrase(m["rel"])) if m["rel"] else None
        if relation is None and v.forward_lead.search(text, max(0, s - 20), s):
            relation = "upcoming"
        return [DateMatch(s, e, text[s:e], "weekday", "date.weekday", weekday=v.weekdays[m["wd"]],
                          relation=relation)]
    if kind == "dom":
        d = _day(m["d"])
        if not 1 <= d <= 31:
            return []
        # "of last month": a tail holding a past relation word (dates.yaml relations) looks back
        rel = "past" if m["tail"] and any(v.relations.get(w) == "past"
                                          for w in norm_phrase(m["tail"]).split()) else None
        ts, te = m.span("txt")
        return [DateMatch(ts, te, text[ts:te], "dom", "date.day_of_month", day=d, relation=rel)]
    if kind == "relative":
        if m["rel"][0].isupper() and _TITLE_BEFORE.search(text, max(0, s - 30), s):
            return []  # "Korea Today", "USA Today": a title, not a date
        key = norm_phrase(m["rel"])
        spec = v.relative[key]
        rule = "date.relative." + key.replace(" ", "_")
        if spec.anaphoric:
            return [DateMatch(s, e, text[s:e], "anaphoric", rule)]
        return [DateMatch(s, e, text[s:e], "relative", rule, unit=spec.unit, offset=spec.offset)]
    if kind == "ago":
        n_text = m["n"].lower()
        n = 1.0 if n_text in v.ago_one else getattr(parse_number(m["n"]), "value", None)
        if n is None or n != int(n) or n > 10000:
            return []
        return [DateMatch(s, e, text[s:e], "ago", "date.ago", unit=v.ago_units[norm_phrase(m["u"])],
                          offset=int(n))]
    if kind == "season":
        return [DateMatch(s, e, text[s:e], "season", "date.season",
                          relation=v.relations[norm_phrase(m["rel"])],
                          season=v.seasons[norm_phrase(m["season"])])]
    if kind == "seasony":
        return [DateMatch(s, e, text[s:e], "season", "date.season_year", int(m["y"]),
                          season=v.seasons[norm_phrase(m["season"])])]
    if kind == "seasonthe":
        ts, te = m.span("txt")
        return [DateMatch(ts, te, text[ts:te], "season", "date.season", relation="latest",
                          season=v.seasons[norm_phrase(m["season"])])]
    if kind == "monthyoff":
        a = m.start("part") if m["part"] else m.start("mon")
        return [DateMatch(a, e, text[a:e], "month_yoff", "date.month_year_offset", month=_month(v, m["mon"]),
                          offset=v.year_offsets[norm_phrase(m["yo"])])]
    if kind == "yrange":
        y1, y2_text = int(m["y"]), m["y2"]
        y2 = int(y2_text) if len(y2_text) == 4 else y1 // 100 * 100 + int(y2_text)
        if not y1 < y2 <= y1 + 30:
            return []
        return [DateMatch(m.start("y"), m.end("y"), m["y"], "year", "date.year_range", y1),
                DateMatch(m.start("y2"), e, m["y2"], "year", "date.year_range", y2)]
    if kind == "mrange":
        return [DateMatch(s, e, text[s:e], "year", "date.month_range_year", int(m["y"]))]
    if kind == "yearmod":
        return [DateMatch(m.start("y"), e, m["y"], "year", "date.year_modifier", int(m["y"]))]
    if kind == "monthmod":
        return _month_list(m, text, v)
    raise AssertionError(kind)


def _month_list(m: re.Match[str], text: str, v: _Vocab) -> list[DateMatch]:
    """'in March and May (2021)': one mention per month, a trailing year applying to all."""
    start = m.start("part") if m["part"] else m.start("mon")
    items = [(start, m.end("mon"), _month(v, m["mon"]))]
    year = None
    pos = m.end()
    while (c := v.cont.match(text, pos)) is not None:
        cs = c.start("part") if c["part"] else c.start("mon")
        items.append((cs, c.end("mon"), _month(v, c["mon"])))
        pos = c.end()
        if c["y"]:
            year = int(c["y"])
            items[-1] = (cs, c.end(), items[-1][2])
            break
    kind = "ym" if year else "month"
    return [DateMatch(a, z, text[a:z], kind, "date.month" if not year else "date.month_list_year", year, mo)
            for a, z, mo in items]


def _around(pat: re.Pattern[str], text: str, at: int, lo: int, hi: int) -> re.Match[str] | None:
    """The finder's match in text[lo:hi] that covers position `at`, if any."""
    n = len(text)
    pos, hi = max(0, lo), min(n, hi)
    while pos <= at:
        m = pat.search(text, pos, hi)
        if m is not None and m.end() > hi - 8 and hi < n:
            m = pat.search(text, pos, min(n, hi + 200))  # too close to the window's edge
        if m is None or m.start() > at:
            return None
        if m.end() > at:
            return m
        pos = max(m.end(), pos + 1)
    return None


def find_date_spans(text: str) -> list[DateMatch]:
    """Every date phrase in `text`, in order, without overlaps (longest first)."""
    v = _vocab()
    found: list[DateMatch] = []
    hits: dict[int, list[re.Match[str]]] = {}  # anchor hits, found once per anchor pattern
    for kind, pat, anchor, back in v.patterns:
        seen: set[tuple[int, int]] = set()
        if id(anchor) not in hits:
            hits[id(anchor)] = list(anchor.finditer(text))
        for a in hits[id(anchor)]:
            m = _around(pat, text, a.start(), a.start() - back, a.end() + _AHEAD)
            if m is None or m.span() in seen:
                continue
            seen.add(m.span())
            found.extend(_from_match(kind, m, text, v))
    found.sort(key=lambda d: (-(d.end - d.start), d.start))
    taken = SpanSet()
    out = []
    for d in found:
        if d.end <= d.start or taken.overlaps(d.start, d.end):
            continue
        taken.add(d.start, d.end)
        out.append(d)
    out.sort(key=lambda d: d.start)
    return out


@lru_cache(maxsize=8)
def date_spans(text: str) -> tuple[DateMatch, ...]:
    """find_date_spans, cached: money, quantities and dates all read a report's date phrases,
    and the pass is found once per report."""
    return tuple(find_date_spans(text))
