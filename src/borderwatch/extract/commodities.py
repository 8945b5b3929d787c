"""Commodities: goods named in a report, each with its HS chapter and UN sanctions status.

The aliases of data/commodities.csv are matched case-insensitively in one pass (a plural is
added for every singular alias). A word counts as a commodity only where the text gives it a
trade role: it is traded, smuggled, requested, banned, produced or priced. The roles, their cue
words and patterns live in data/lang/en/commodities.yaml:

- head: a head word right after it ("coal exports", "rice prices");
- before: a trade phrase just before it ("imports of North Korean coal", "1kg of rice");
- list: it stands in one list with a commodity that has a role ("exports of iron, coal and lead");
- near: a cue word within a few characters in its sentence (strong and weak aliases);
- sentence: a cue word anywhere in its sentence (strong aliases only).

Context aliases ("lead", "oil", "watches") take only head, before and list roles; weak aliases
("iron", "fuel", "vehicles") not the sentence role. Vehicles, vessels and aircraft next to a
conveyance word ("trucks carrying coal", "cargo trucks") are the carrier, never the goods. In
"iron and lead ores" the head of the last member is shared: iron ore. A lower-case alias met
capitalised in mid-sentence ("Rice" the surname, "the Silk Road") is a proper name and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from borderwatch.data_models.commodities import CommodityCues, CommodityRow
from borderwatch.datafiles import DataError, load, load_rows, validated, validated_rows
from borderwatch.extract.gazetteer import AliasTable, compile_table, norm_key, split_aliases
from borderwatch.model import Document, Mention, Sanctions
from borderwatch.patterns import literal, longest_first

_FILE = "commodities.csv"
_CUE_FILE = "lang/en/commodities.yaml"
_OPENERS = frozenset("\"'“‘([ ")
_TIERS = (("aliases", "strong"), ("weak_aliases", "weak"), ("context_aliases", "context"))
_LATIN_WORD = re.compile(r"[a-z][a-z-]*[a-z]")
_WORD = r"[\w'’-]+"
_ENDS = frozenset(".!?…:;\"”'’)]")


@dataclass(frozen=True, slots=True)
class Commodity:
    """One commodities.csv row."""

    id: str
    name: str
    hs: str | None
    sanctions: Sanctions


@dataclass(frozen=True, slots=True)
class CommodityData:
    """Compiled commodity aliases (table keys 'strong|id', 'weak|id', 'context|id', 'block|') and
    the trade-role patterns."""

    commodities: Mapping[str, Commodity]
    table: AliasTable
    cues: re.Pattern[str]  # search: a cue word
    window: int
    heads: re.Pattern[str]  # match at a mention's end: a head word follows
    flow_heads: re.Pattern[str]
    before: re.Pattern[str]  # search in the text before a mention: a trade phrase ends there
    flow_before: re.Pattern[str]
    link: re.Pattern[str]  # fullmatch on the text between two list members
    conveyance: frozenset[str]
    carrier_after: re.Pattern[str]
    carrier_before: re.Pattern[str]
    proper: frozenset[str]  # folded aliases written with capitals in the data ("Koryo ginseng")


def _plural(alias: str) -> str | None:
    """The plural of an alias whose last word is a singular Latin-letter noun, else None."""
    head, _, last = alias.rpartition(" ")
    if not _LATIN_WORD.fullmatch(last) or (last.endswith("s") and not last.endswith("ss")):
        return None
    if last.endswith(("ss", "x", "z", "ch", "sh", "o")):
        last += "es"
    elif last.endswith("y") and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _alt_or_none(words: Iterable[str] | None) -> str:
    """_alt of the words; a pattern matching nothing when there are none."""
    return _alt(words) if words else "(?!)"


def _alt(words: Iterable[str]) -> str:
    """One alternation of cue entries; 'export*' matches any word starting with 'export'."""
    parts = []
    for w in longest_first(w.strip() for w in words):
        stem = w[:-1] if w.endswith("*") else w
        body = literal(stem, any_space=True)
        parts.append(body + (r"\w*" if w.endswith("*") else ""))
    return "|".join(parts)


def _before(words: list[str], gap: int, stops: list[str]) -> re.Pattern[str]:
    """A trade phrase at the end of a text, with at most `gap` words after it ("imports of Chinese ");
    a stop word among them ends the phrase's object ("sell coal to ...")."""
    word = rf"(?!(?:{_alt(stops)})\s){_WORD}" if stops else _WORD
    return re.compile(rf"(?<![^\W\d_])(?:{_alt(words)})\s+(?:{word}\s+){{0,{gap}}}$", re.IGNORECASE)


def build_commodities(rows: Iterable[Mapping[str, str] | CommodityRow],
                      cue_data: Mapping[str, object] | CommodityCues) -> CommodityData:
    """Compile commodity rows and cue words (validated as CommodityRow, CommodityCues); an alias
    two goods share or a conveyance id no row has raises DataError."""
    rows = validated_rows(rows, CommodityRow, _FILE)
    cues = cue_data if isinstance(cue_data, CommodityCues) else validated(cue_data, CommodityCues, _CUE_FILE)
    items: dict[str, Commodity] = {}
    pairs: list[tuple[str, str]] = []
    for row in rows:
        cid = row.id
        sanctions = Sanctions(export_ban=row.export_ban, import_ban=row.import_ban,
                              import_cap=bool(row.import_cap), resolution=row.resolution)
        items[cid] = Commodity(cid, row.name, row.hs, sanctions)
        pairs += [(a, f"{tier}|{cid}") for col, tier in _TIERS for a in split_aliases(getattr(row, col))]
    blockers = [(b, "block|") for b in cues.blockers or []]
    table = compile_table(pairs + blockers, fold=True, name="commodities")
    for alias, keys in table.lookup.items():
        if len(keys) > 1:
            raise DataError(f"{_FILE}: {alias!r}: aliases: given twice: {keys}")
    # Plurals of singular aliases ("refrigerator" -> "refrigerators"), unless already an alias.
    taken = set(table.lookup)
    extra = []
    for alias, key in pairs:
        plural = _plural(norm_key(alias, fold=True))
        if plural and plural not in taken:
            taken.add(plural)
            extra.append((plural, key))
    if extra:
        table = compile_table(pairs + blockers + extra, fold=True, name="commodities")
    gap, stops = cues.before_gap, cues.gap_stops or []
    conv = cues.conveyance
    unknown = [c for c in conv.ids if c not in items]
    # "two trucks, each carrying coal": a word spreading the carrier over the vehicles
    spread = rf"(?:(?:{_alt(conv.distributives)})\s+)?" if conv.distributives else ""
    if unknown:
        raise DataError(f"{_CUE_FILE}: conveyance.ids: unknown commodities {unknown}")
    links = cues.list_links or ["and", "or"]
    fillers = cues.list_fillers or []
    filler = rf"(?:(?:{_alt(fillers)})\s+){{0,3}}" if fillers else ""
    proper = frozenset(norm_key(a, fold=True) for a, _k in pairs if a != a.lower())
    return CommodityData(
        commodities=items, table=table,
        cues=re.compile(rf"(?<![\w-])(?:{_alt(cues.cues)})(?![\w-])", re.IGNORECASE),
        window=cues.window,
        heads=re.compile(rf"(?:\s+|-)(?:{_alt(cues.heads)})(?!\w)", re.IGNORECASE),
        flow_heads=re.compile(rf"(?:\s+|-)(?:{_alt(cues.flow_heads)})(?!\w)", re.IGNORECASE),
        before=_before(cues.before, gap, stops),
        flow_before=_before(cues.flow_before, gap, stops),
        link=re.compile(rf"\s*(?:,\s*|;\s*|/\s*|&\s*)?(?:(?:{_alt(links)})\s+)?{filler}", re.IGNORECASE),
        conveyance=frozenset(conv.ids),
        carrier_after=re.compile(rf"(?:\s*,\s*{spread}|\s+)(?:{_alt_or_none(conv.after)})(?!\w)", re.IGNORECASE),
        carrier_before=re.compile(rf"(?<!\w)(?:{_alt_or_none(conv.before)})\s+(?:{_WORD}\s+)?$",
                                  re.IGNORECASE),
        proper=proper)


@cache
def commodity_data() -> CommodityData:
    """The package's commodities, loaded and compiled once."""
    return build_commodities(load_rows(_FILE, CommodityRow), load(_CUE_FILE, CommodityCues))


def _sentence_span(doc: Document, pos: int) -> tuple[int, int]:
    """Span of the sentence holding `pos` (the whole text when there are no sentences)."""
    if not doc.sentences:
        return 0, len(doc.text)
    sent = doc.sentences[doc.sentence_at(pos)]
    return sent.start, sent.end


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    tier: str
    cid: str
    sent: tuple[int, int]
    role: bool = False


def _own_role(data: CommodityData, text: str, h: _Hit) -> bool:
    """A role from the mention's own surroundings (not from its list)."""
    ss, se = h.sent
    heads = data.flow_heads if h.tier == "context" else data.heads
    if heads.match(text, h.end, se):
        return True
    lo = h.start - 90
    if lo < ss and text[max(0, ss - 3):ss].rstrip()[-1:] in _ENDS:
        lo = ss  # the phrase may run across a line break the sentence splitter took for an end
    before = data.flow_before if h.tier == "context" else data.before
    if before.search(text[max(lo, 0):h.start]):
        return True
    if h.tier == "context":
        return False
    lo, hi = (ss, se) if h.tier == "strong" else (max(ss, h.start - data.window), min(se, h.end + data.window))
    return bool(data.cues.search(text, lo, h.start) or data.cues.search(text, h.end, hi))


_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def _title_case(sentence: str) -> bool:
    """A headline in title case ("Traders Smuggle Coal To China"): most long words capitalised."""
    words = _TITLE_WORD.findall(sentence)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _is_carrier(data: CommodityData, text: str, h: _Hit) -> bool:
    """A vehicle, vessel or aircraft that carries goods or people ("trucks carrying coal")."""
    if h.cid not in data.conveyance:
        return False
    ss, se = h.sent
    return bool(data.carrier_after.match(text, h.end, se)
                or data.carrier_before.search(text[max(ss, h.start - 40):h.start]))


def find_commodities(doc: Document) -> list[Mention]:
    """Every commodity mention that has a trade role, with HS chapter and sanctions status."""
    data = commodity_data()
    text = doc.text
    hits: list[_Hit] = []
    titles: dict[int, bool] = {}
    for s, e, keys in data.table.scan(text):
        tier, cid = keys[0].split("|", 1)
        if tier == "block":
            continue
        sent = _sentence_span(doc, s)
        if text[s].isupper() and norm_key(text[s:e], fold=True) not in data.proper and \
                any(ch not in _OPENERS for ch in text[sent[0]:s]):
            if sent[0] not in titles:
                titles[sent[0]] = _title_case(text[sent[0]:sent[1]])
            if not titles[sent[0]]:
                continue  # a capitalised word in mid-sentence is a proper name
        h = _Hit(s, e, tier, cid, sent)
        if _is_carrier(data, text, h):
            continue
        h.role = _own_role(data, text, h)
        hits.append(h)
    # Lists: members joined by connectors share a role; "iron and lead ores" shares the head.
    groups: list[list[_Hit]] = []
    for h in hits:
        prev = groups[-1][-1] if groups else None
        if prev and prev.sent == h.sent and data.link.fullmatch(text, prev.end, h.start):
            groups[-1].append(h)
        else:
            groups.append([h])
    out: list[Mention] = []
    for group in groups:
        if len(group) > 1:
            _share_head(data, text, group)
        if not any(h.role for h in group):
            continue
        for h in group:
            c = data.commodities[h.cid]
            out.append(Mention(kind="commodity", text=text[h.start:h.end], start=h.start, end=h.end,
                               id=c.id, name=c.name, hs=c.hs, un_sanctions=c.sanctions,
                               rule=f"commodity.{h.tier}"))
    return out


def _share_head(data: CommodityData, text: str, group: list[_Hit]) -> None:
    """In "iron and lead ores" a member takes the head word of the next member when that makes
    an alias of its own ("iron ores" -> iron ore); "barley and barley rice" stay two goods."""
    for h, nxt in zip(group, group[1:]):
        words = text[nxt.start:nxt.end].split()
        own = text[h.start:h.end]
        if len(words) < 2 or own.lower() in (w.lower() for w in words):
            continue
        keys = data.table.get(f"{own} {words[-1]}")
        if keys and not keys[0].startswith("block|"):
            h.tier, h.cid = keys[0].split("|", 1)
