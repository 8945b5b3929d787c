"""Places: gazetteer names (data/places.csv), names shared by several places, and suffix places.

A name several rows share (Jilin the province or the city, Tumen the city or the river, Nampo the
city or its port) is read from the words around it (data/lang/en/places.yaml): "Jilin and
Liaoning provinces", "the port of Nampo", "along the Tumen". Without a cue the row that does not
declare `ambiguous_with` is the reading. Places no gazetteer has ("Hwajeon-ri", "X County") are
found from their suffix (data/lang/en/place_suffixes.yaml). After overlaps are settled,
`finish_places` nests places ("Hyesan, Ryanggang Province") and gives suffix places a country.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from borderwatch.data_models.entities import PersonsFile
from borderwatch.data_models.places import PlaceCues, PlaceRow, PlaceSuffixes
from borderwatch.datafiles import DataError, load, load_rows, validated, validated_rows
from borderwatch.extract.gazetteer import AliasTable, compile_table, lowered_once, slug, split_aliases, with_han_variants
from borderwatch.model import Document, Mention
from borderwatch.patterns import alternation, compile_fast, literal, longest_first, lower_regex

_PLACES_FILE = "places.csv"
_CUES_FILE = "lang/en/places.yaml"
_SUFFIX_FILE = "lang/en/place_suffixes.yaml"
_PERSONS_FILE = "lang/en/persons.yaml"
_WORD_BEFORE = re.compile(r"([A-Z][a-z]+) $")
# A name in a list before a shared cue word: "Jilin, Liaoning and Heilongjiang provinces".
_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}"
_CAP_NEXT = re.compile(r"\s+[A-Z]")
_KOREA = frozenset({"KP", "KR"})
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer row."""

    id: str
    name: str
    country: str | None  # one ISO code; None for a feature on several countries' borders
    countries: tuple[str, ...]
    kind: str
    admin1: str | None
    lat: float | None
    lon: float | None
    secondary: bool  # shares an alias and is chosen only on a context cue


@dataclass(frozen=True, slots=True)
class PlaceData:
    """The compiled gazetteer and its context cues."""

    places: Mapping[str, Place]
    table: AliasTable
    after_cue: re.Pattern[str]
    before_cue: re.Pattern[str]
    cue_kind: Mapping[str, str]  # cue word/phrase -> place kind
    bare_the: frozenset[str]
    article_before: re.Pattern[str]  # "the " ending the text before a name: a bare-the reading


def _list_join(cues: PlaceCues) -> str:
    """What stands between two names of a list: a separator, perhaps a word joiner after it
    (", and"); or a joiner between spaces (" & ")."""
    words = [j for j in cues.list_joiners if j.isalpha()]
    return (rf"(?:\s*(?:{alternation(cues.list_separators, any_space=True)})\s*"
            rf"(?:(?:{alternation(words, any_space=True)})\s+)?"
            rf"|\s+(?:{alternation(cues.list_joiners, any_space=True)})\s+)")


def _cue_patterns(cues: PlaceCues) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Compile the after- and before-name cue words of places.yaml into one regex each."""
    word_kind: dict[str, str] = {}
    after: list[str] = []
    before: list[str] = []
    for kind, spec in cues.kind_cues.items():
        for side, bucket in ((spec.after, after), (spec.before, before)):
            for word in side:
                bucket.append(word)
                word_kind[word.lower()] = kind

    def alt(words: list[str]) -> str:
        """Longest-first alternation; a space in a cue matches any white space."""
        return alternation(words, any_space=True)

    join = _list_join(cues)
    after_re = re.compile(rf"(?:\s*\([^()\n]{{1,40}}\))?(?:{join}{_NAME}){{0,3}}\s+(?P<cue>{alt(after)})(?!\w)")
    before_re = re.compile(rf"(?<!\w)(?P<cue>{alt(before)})\s+(?:{_NAME}{join}){{0,3}}$")
    return after_re, before_re, word_kind


def build_places(rows: Iterable[Mapping[str, str] | PlaceRow], cues: Mapping[str, Any] | PlaceCues) -> PlaceData:
    """Compile gazetteer rows (validated as PlaceRow) and cues; a shared alias or an unknown
    place named by ambiguous_with raises DataError."""
    rows = validated_rows(rows, PlaceRow, _PLACES_FILE)
    cues = cues if isinstance(cues, PlaceCues) else validated(cues, PlaceCues, _CUES_FILE)
    places: dict[str, Place] = {}
    amb: dict[str, set[str]] = {}
    pairs: list[tuple[str, str]] = []
    for row in rows:
        pid = row.id
        countries = tuple(row.country.split("|")) if row.country else ()
        amb[pid] = set(split_aliases(row.ambiguous_with))
        places[pid] = Place(
            id=pid, name=row.name, country=countries[0] if len(countries) == 1 else None,
            countries=countries, kind=row.kind, admin1=row.admin1,
            lat=row.lat, lon=row.lon, secondary=bool(amb[pid]),
        )
        pairs.extend((a, pid) for a in with_han_variants([row.name, *split_aliases(row.aliases)]))
    for pid, others in amb.items():
        for other in others:
            if other not in places:
                raise DataError(f"{_PLACES_FILE}: {pid}: ambiguous_with: unknown place {other!r}")
    table = compile_table(pairs, name="places")
    for alias, keys in table.lookup.items():
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if b not in amb[a] and a not in amb[b]:
                    raise DataError(f"{_PLACES_FILE}: {a}: aliases: {alias!r} names both {a} and {b}; "
                                    "mark one row ambiguous_with the other")
    after_re, before_re, word_kind = _cue_patterns(cues)
    articles = alternation(cues.articles, any_space=True, capitalised=True)
    return PlaceData(places, table, after_re, before_re, word_kind, frozenset(cues.bare_the),
                     re.compile(rf"(?:^|\W)(?:{articles})\s+$"))


@cache
def place_data() -> PlaceData:
    """The package gazetteer, loaded and compiled once."""
    return build_places(load_rows(_PLACES_FILE, PlaceRow), load(_CUES_FILE, PlaceCues))


@dataclass(frozen=True, slots=True)
class SuffixRules:
    """Compiled suffix-place patterns."""

    hyphen: re.Pattern[str]
    word: re.Pattern[str]
    kinds: Mapping[str, str]  # suffix (lower case) -> place kind
    korean: frozenset[str]  # hyphen suffixes
    stop: frozenset[str]
    surnames: frozenset[str]  # "Kim Yong-dong" is a person, not a district
    plural: re.Pattern[str]  # "Rodo and Pidan Islands"
    singular: Mapping[str, str]  # plural suffix word -> singular
    dateline: re.Pattern[str]
    kind_before: re.Pattern[str]  # "the county of Kapsan"
    before_kind: Mapping[str, str]  # "county of" -> county
    compound: re.Pattern[str]  # "the Sanhe-Hoeryong crossing"
    compound_kind: Mapping[str, str]  # crossing word -> place kind
    plural_word: re.Pattern[str]  # cheap literal pre-checks for the three patterns above
    before_word: re.Pattern[str]
    compound_word: re.Pattern[str]


@cache
def suffix_rules() -> SuffixRules:
    """The suffix patterns of place_suffixes.yaml, validated and compiled once."""
    data = load(_SUFFIX_FILE, PlaceSuffixes)
    kinds = {item.suffix.lower(): item.kind for item in (*data.hyphen, *data.word)}
    groups = {"hyphen": [item.suffix for item in data.hyphen], "word": [item.suffix for item in data.word]}
    plurals = data.plurals
    cues = load(_CUES_FILE, PlaceCues)
    before_kind: dict[str, str] = {}
    for kind, words in cues.kind_before.items():
        before_kind.update({_WS.sub(" ", w.lower()): kind for w in words})
    before_alt = alternation(before_kind, any_space=True)
    compound_kind = {_WS.sub(" ", k): v for k, v in cues.compound_words.items()}
    compound_alt = alternation(compound_kind, any_space=True)
    plural_alt = alternation(plurals)
    hy = alternation(groups["hyphen"])
    wd = "|".join(literal(s).replace("'", "['’]") for s in longest_first(groups["word"]))
    word_tok = r"[A-Z][a-z'’]+(?:-[a-z]+)?"
    joiners = alternation(cues.list_joiners, any_space=True)
    return SuffixRules(
        hyphen=compile_fast(rf"(?<![\w-])(?P<name>[A-Z][a-z]{{1,14}}(?:-[a-z]{{2,10}})?)-(?P<suf>{hy})(?![\w-])"),
        word=compile_fast(rf"(?<![\w-])(?P<name>{word_tok}(?: {word_tok})?) (?P<suf>{wd})(?![\w-])"),
        kinds=kinds, korean=frozenset(s.lower() for s in groups["hyphen"]),
        stop=frozenset(data.stop_words),
        surnames=frozenset(load(_PERSONS_FILE, PersonsFile).korean_surnames),
        plural=compile_fast(rf"(?<![\w-])(?P<names>{word_tok}(?:\s*,\s*{word_tok})*,?\s+(?:{joiners})\s+{word_tok})"
                          rf"\s+(?P<suf>{plural_alt})(?![\w-])"),
        singular=dict(plurals),
        dateline=re.compile(cues.dateline),
        kind_before=re.compile(rf"(?<![\w-])(?P<cue>(?i:{before_alt}))\s+(?P<name>{word_tok}(?: {word_tok})?)(?![\w-])"),
        before_kind=before_kind,
        compound=re.compile(rf"(?<![\w-])(?P<a>[A-Z][\w'’]+)[-–‐‑](?P<b>[A-Z][\w'’]+)\s+(?P<w>{compound_alt})(?![\w-])"),
        compound_kind=compound_kind,
        plural_word=re.compile(rf"(?<=\s)(?:{plural_alt})\b"),  # a pre-check: literal first, fast
        # for lower-cased text: a case-folding scan of every report costs four times as much
        before_word=re.compile(lower_regex(rf"(?:{before_alt})\s")),
        compound_word=re.compile(rf"[a-z’'][-–‐‑][A-Z][\w'’]+\s+(?:{compound_alt})\b"),
    )


def _mention(p: Place, text: str, start: int, end: int, rule: str) -> Mention:
    """A place mention carrying the gazetteer row's facts."""
    return Mention(kind="place", text=text[start:end], start=start, end=end, id=p.id, name=p.name,
                   country=p.country, place_kind=p.kind, admin1=p.admin1, lat=p.lat, lon=p.lon,
                   rule=rule)


def _cue_kind(data: PlaceData, text: str, start: int, end: int) -> str | None:
    """The place kind the words around text[start:end] point to, if any."""
    m = data.after_cue.match(text, end, min(len(text), end + 120))
    if m:
        return data.cue_kind.get(_WS.sub(" ", m.group("cue")).lower())
    left = text[max(0, start - 120):start]
    m = data.before_cue.search(left)
    if m:
        return data.cue_kind.get(_WS.sub(" ", m.group("cue")).lower())
    if text.startswith(", ", end):  # "in Tumen, Jilin": a place named inside a province
        for s, _e, keys in data.table.scan(text, end + 2, min(len(text), end + 60)):
            if s == end + 2 and any(data.places[k].kind in ("province", "prefecture") for k in keys):
                return "city"
            break
    if data.article_before.search(left) and not _CAP_NEXT.match(text, end):
        return "bare_the"
    return None


def _resolve(data: PlaceData, keys: tuple[str, ...], text: str, start: int, end: int
             ) -> tuple[Place, str] | None:
    """Pick the place a shared name means here, with the rule that decided; None if unsure."""
    if len(keys) == 1:
        return data.places[keys[0]], "place.gazetteer"
    cands = [data.places[k] for k in keys]
    cue = _cue_kind(data, text, start, end)
    if cue == "bare_the":
        hits = [p for p in cands if p.kind in data.bare_the]
    else:
        hits = [p for p in cands if p.kind == cue] if cue else []
    if len(hits) == 1:
        return hits[0], "place.context"
    primary = [p for p in cands if not p.secondary]
    if len(primary) == 1:
        return primary[0], "place.default"
    return None


def _suffix_mentions(text: str, gaz: list[Mention], data: PlaceData) -> list[Mention]:
    """Places found from a suffix, or gazetteer places widened to take their suffix word."""
    rules = suffix_rules()
    by_start = {m.start: m for m in gaz}
    covered = bytearray(len(text) + 1)
    for m in gaz:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    out: list[Mention] = []
    for rx in (rules.hyphen, rules.word):
        for hit in rx.finditer(text):
            s, e = hit.span()
            name_words = hit.group("name").split(" ")
            while name_words and name_words[0] in rules.stop:
                s += len(name_words.pop(0)) + 1
            if not name_words or any(w in rules.stop for w in name_words):
                continue
            kind = rules.kinds[hit.group("suf").lower().replace("’", "'")]
            before = _WORD_BEFORE.search(text, max(0, s - 12), s)
            if rx is rules.hyphen and before and before.group(1) in rules.surnames:
                continue
            g = by_start.get(s)
            if g is not None and g.end >= e:
                continue  # the gazetteer already has the whole name ("Musan County")
            if covered.find(1, s, e) != -1:
                if g is not None and g.end == s + len(" ".join(name_words)) and _compatible(g.place_kind, kind):
                    out.append(replace(g, text=text[g.start:e], end=e, rule="place.gazetteer_suffix"))
                continue
            out.append(Mention(kind="place", text=text[s:e], start=s, end=e,
                               id="place:" + slug(text[s:e]), name=text[s:e], place_kind=kind,
                               rule="place.suffix"))
    return out + _word_list_mentions(text, covered, rules)


def _word_list_mentions(text: str, covered: bytearray, rules: SuffixRules) -> list[Mention]:
    """Places named before a plural place word ('Rodo and Pidan Islands') or after a kind word
    ('the county of Kapsan'), where no gazetteer name already covers them."""
    out: list[Mention] = []
    if rules.plural_word.search(text) is not None:
        for pm in rules.plural.finditer(text):
            single = rules.singular[pm.group("suf")]
            kind = rules.kinds[single.lower()]
            for n in re.finditer(r"[A-Z][a-z'’]+(?:-[a-z]+)?", pm.group("names")):
                s, e = pm.start("names") + n.start(), pm.start("names") + n.end()
                if n.group() in rules.stop or covered.find(1, s, e) != -1:
                    continue
                name = f"{n.group()} {single[:1].upper()}{single[1:]}"
                out.append(Mention(kind="place", text=text[s:e], start=s, end=e, id="place:" + slug(name),
                                   name=name, place_kind=kind, rule="place.suffix_list"))
    if rules.before_word.search(lowered_once(text)) is not None:
        for km in rules.kind_before.finditer(text):
            s, e = km.span("name")
            if any(w in rules.stop for w in km.group("name").split(" ")) or covered.find(1, s, e) != -1:
                continue
            kind = rules.before_kind[_WS.sub(" ", km.group("cue").lower())]
            out.append(Mention(kind="place", text=text[s:e], start=s, end=e, id="place:" + slug(text[s:e]),
                               name=text[s:e], place_kind=kind, rule="place.kind_before"))
    return out


def _title(word: str) -> str:
    """A capitalised dateline word in the gazetteer's case: 'HUNCHUN' -> 'Hunchun', "JI'AN" -> "Ji'an"."""
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))


def _compound_mentions(text: str, data: PlaceData) -> list[Mention]:
    """Crossings named by two places joined by a dash ('the Sanhe-Hoeryong crossing'), whole."""
    rules = suffix_rules()
    out = []
    seen: set[int] = set()
    for cw in rules.compound_word.finditer(text):  # the regex runs only just before a crossing word
        m = rules.compound.search(text, max(0, cw.start() - 80), cw.end() + 20)
        if m is None or m.start() in seen:
            continue
        seen.add(m.start())
        a, b, word = m.group("a"), m.group("b"), _WS.sub(" ", m.group("w"))
        kind = rules.compound_kind[word]
        s, e = m.span()
        keys: tuple[str, ...] = ()
        for form in dict.fromkeys([word, word[:1].upper() + word[1:], kind.title()]):
            keys = data.table.get(f"{a}–{b} {form}") or data.table.get(f"{a}-{b} {form}")
            if keys:
                break
        if keys:
            hit = _resolve(data, keys, text, s, e)
            if hit is not None:
                out.append(_mention(hit[0], text, s, e, "place.compound"))
            continue
        if not (data.table.get(a) or data.table.get(b)) or a in rules.stop or b in rules.stop:
            continue
        name = f"{a}–{b} {kind.title()}"
        out.append(Mention(kind="place", text=text[s:e], start=s, end=e, id="place:" + slug(name),
                           name=name, place_kind=kind, rule="place.compound"))
    return out


def _dateline_mentions(text: str, data: PlaceData) -> list[Mention]:
    """Places of a capitalised dateline ('SEOUL, June 3 (Yonhap) --', 'SEOUL/BEIJING:')."""
    out = []
    for m in suffix_rules().dateline.finditer(text):
        base = m.start("names")
        for part in re.finditer(r"[^/]+", m.group("names")):
            name = " ".join(_title(w) for w in part.group().split(" "))
            keys = data.table.get(name) or data.table.get(name.replace("-", " "))
            if not keys:
                continue
            s, e = base + part.start(), base + part.end()
            hit = _resolve(data, keys, text, s, e)
            if hit is not None:
                out.append(_mention(hit[0], text, s, e, "place.dateline"))
    return out


def _widget_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines around a scraper's 'today' widget (its date, city and weather): a
    place named alone on one of them is the site's, not the report's."""
    from borderwatch.ingest.textfile import date_lines, rules

    reach = rules().widget_reach
    spans = []
    for line in date_lines(text):
        if not line.widget:
            continue
        lo, hi = line.start, line.end
        for _ in range(reach):  # `reach` lines up and down
            lo = text.rfind("\n", 0, lo - 1) + 1 if lo > 0 else 0
            nxt = text.find("\n", hi + 1)
            hi = len(text) if nxt == -1 else nxt
        spans.append((lo, hi))
    return spans


def _alone_on_widget_line(m: Mention, text: str, spans: list[tuple[int, int]]) -> bool:
    """True for a place that is the whole of a line next to a 'today' widget."""
    if not any(a <= m.start < b for a, b in spans):
        return False
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line = text[line_start:len(text) if line_end == -1 else line_end]
    return line.strip() == m.text


def _compatible(gaz_kind: str | None, suffix_kind: str) -> bool:
    """Whether a suffix word may widen a gazetteer name of this kind ("Hoeryong County")."""
    return gaz_kind == suffix_kind or (suffix_kind == "county" and gaz_kind == "city")


def gazetteer_mention(keys: tuple[str, ...], text: str, start: int, end: int) -> Mention | None:
    """The place an alias match names here (a shared name decided by its context), or None;
    for finders of other languages that find the alias themselves (extract/ko/places.py)."""
    hit = _resolve(place_data(), keys, text, start, end)
    return _mention(hit[0], text, start, end, hit[1]) if hit else None


def find_places(doc: Document) -> list[Mention]:
    """Every place mention in the document (overlaps with other kinds not yet settled)."""
    data = place_data()
    text = doc.text
    gaz: list[Mention] = []
    for s, e, keys in data.table.scan(text):
        hit = _resolve(data, keys, text, s, e)
        if hit is not None:
            gaz.append(_mention(hit[0], text, s, e, hit[1]))
    gaz += _dateline_mentions(text, data) + _compound_mentions(text, data)
    found = gaz + _suffix_mentions(text, gaz, data)
    widgets = _widget_lines(text)
    if widgets:
        found = [m for m in found if not _alone_on_widget_line(m, text, widgets)]
    return found


def _nest_ok(inner: Mention, outer: Mention, rank: Mapping[str, int]) -> bool:
    """True when `outer` can hold `inner`: higher rank and no clash with the gazetteer's facts."""
    if rank.get(outer.place_kind or "", -1) <= rank.get(inner.place_kind or "", 99):
        return False
    if inner.admin1 and outer.admin1 and inner.admin1 != outer.admin1:
        return False
    return not (inner.country and outer.country and inner.country != outer.country)


def _nest(inner: Mention, outer: Mention) -> Mention:
    """`inner` with `outer` as its parent, borrowing country and admin1 it lacks."""
    return replace(inner, parent=outer.id, country=inner.country or outer.country,
                   admin1=inner.admin1 or (outer.admin1 if outer.place_kind != "city" else None))


@cache
def _spellings_by_place() -> dict[str, tuple[str, ...]]:
    """Every alias of every gazetteer place, by place id."""
    out: dict[str, list[str]] = {}
    for alias, keys in place_data().table.lookup.items():
        for key in keys:
            out.setdefault(key, []).append(alias)
    return {k: tuple(v) for k, v in out.items()}


def place_spellings(word: str) -> tuple[str, ...]:
    """The other ways reports spell the place `word` names ("Shinuiju" -> "Sinuiju", "신의주",
    …), for search; empty when `word` names no place of the gazetteer (or several)."""
    keys = place_data().table.get(word)
    if len(keys) != 1:
        return ()
    return tuple(a for a in _spellings_by_place().get(keys[0], ()) if a.lower() != word.lower())


def place_rank() -> dict[str, int]:
    """How specific each place kind is (places.yaml `rank`: village 0 … province 4); kinds
    without a rank (rivers, seas) are areas less specific than any ranked kind."""
    return load(_CUES_FILE, PlaceCues).rank


def finish_places(mentions: list[Mention], doc: Document) -> list[Mention]:
    """Nest places named together and give Korean suffix places a country; order is kept."""
    cues = load(_CUES_FILE, PlaceCues)
    rank = cues.rank
    gaps, poss = set(cues.nest_gaps), set(cues.possessive_gaps)
    adjacent = set(cues.adjacent_kinds)
    text = doc.text
    out = list(mentions)
    idx = [i for i, m in enumerate(out) if m.kind == "place"]
    for a, b in zip(idx[::-1][1:], idx[::-1][:-1]):  # right to left, so chains pass country along
        ma, mb = out[a], out[b]
        gap = text[ma.end:mb.start]
        if gap in gaps and _nest_ok(ma, mb, rank):
            out[a] = _nest(ma, mb)
        elif gap in poss and _nest_ok(mb, ma, rank):
            out[b] = _nest(mb, ma)
        elif gap == " " and ma.place_kind == "city" and mb.place_kind in adjacent:
            out[b] = replace(mb, parent=ma.id)
    rules = suffix_rules()
    korea_by_sentence: dict[int, set[str]] = {}
    for m in out:
        codes = {m.country} if m.kind in ("country", "place") and m.country in _KOREA else set()
        if codes:
            korea_by_sentence.setdefault(doc.sentence_at(m.start), set()).update(codes)
    for i, m in enumerate(out):
        if m.rule == "place.suffix" and m.country is None and \
                m.text.rsplit("-", 1)[-1].lower() in rules.korean:
            found = korea_by_sentence.get(doc.sentence_at(m.start), set())
            if len(found) == 1:
                out[i] = replace(m, country=next(iter(found)))
    return out
