"""Countries, organisations, persons and vessels.

Countries (data/countries.csv), their adjectives (data/lang/en/demonyms.yaml) and organisations
(data/organizations.csv) share one case-sensitive alias table, scanned once. "Chinese traders" and
"North Korean authorities" are country mentions, never places. "the North"/"the South" count only
in a report that names a Korea outright. Persons and vessels come from patterns with their word
lists in data (lang/en/persons.yaml, vessels.yaml); a candidate that is a known place, country or
organisation is dropped, because a wrong person costs more than a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from borderwatch.datafiles import DataError, read_csv, read_yaml
from borderwatch.extract.gazetteer import AliasTable, compile_table, norm_key, slug, split_aliases
from borderwatch.extract.places import place_data
from borderwatch.model import ORG_KINDS, Document, Mention

_COUNTRY_FILE = "countries.csv"
_ORG_FILE = "organizations.csv"
_DEMONYM_FILE = "lang/en/demonyms.yaml"
_PERSON_FILE = "lang/en/persons.yaml"
_VESSEL_FILE = "lang/en/vessels.yaml"
_ORG_FORM_FILE = "lang/en/organizations.yaml"
_ISO = re.compile(r"^[A-Z]{2}$")
# After "the North": not "the North Sea", "the North of China", "the North-South talks".
_WEAK_BLOCK = re.compile(r"\s+[A-Z]|\s+of\b|[-‐–]\w")
_KOREAS = frozenset({"country:KP", "country:KR"})
_TOKEN = re.compile(r"\S+")
_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)")
_NAME_PARTS = re.compile(r"[ -]")


@dataclass(frozen=True, slots=True)
class Entity:
    """A country or an organisation row."""

    id: str
    name: str
    kind: str  # country | organization
    country: str | None
    org_kind: str | None = None


@dataclass(frozen=True, slots=True)
class EntityData:
    """Countries and organisations compiled into one table; keys are 'form|id'."""

    entities: Mapping[str, Entity]
    table: AliasTable


def build_entities(countries: Iterable[Mapping[str, str]], orgs: Iterable[Mapping[str, str]],
                   demonyms: Mapping[str, str]) -> EntityData:
    """Validate country, organisation and demonym data and compile them; problems raise DataError."""
    ents: dict[str, Entity] = {}
    pairs: list[tuple[str, str]] = []
    for row in countries:
        cid, code = (row.get("id") or "").strip(), (row.get("code") or "").strip()
        if not _ISO.match(code) or cid != f"country:{code}" or cid in ents:
            raise DataError(f"countries: bad or duplicate id/code {cid!r}/{code!r}")
        ents[cid] = Entity(cid, row["name"].strip(), "country", code)
        pairs += [(a, f"name|{cid}") for a in split_aliases(row.get("aliases"))]
        pairs += [(a, f"weak|{cid}") for a in split_aliases(row.get("weak_aliases"))]
    for word, code in demonyms.items():
        if f"country:{code}" not in ents:
            raise DataError(f"demonyms: {word!r} names unknown country {code!r}")
        pairs.append((word, f"demonym|country:{code}"))
    for row in orgs:
        oid, kind = (row.get("id") or "").strip(), (row.get("org_kind") or "").strip()
        if not oid.startswith("org:") or oid in ents:
            raise DataError(f"organizations: missing, malformed or duplicate id {oid!r}")
        if kind not in ORG_KINDS:
            raise DataError(f"organizations: {oid}: unknown org_kind {kind!r}")
        country = (row.get("country") or "").strip() or None
        if country and not _ISO.match(country):
            raise DataError(f"organizations: {oid}: bad country {country!r}")
        ents[oid] = Entity(oid, row["name"].strip(), "organization", country, kind)
        pairs += [(a, f"name|{oid}") for a in [row["name"], *split_aliases(row.get("aliases"))]]
    table = compile_table(pairs, name="countries+organizations")
    for alias, keys in table.lookup.items():
        if len({k.split("|", 1)[1] for k in keys}) > 1:
            raise DataError(f"countries/organizations: alias {alias!r} names several: {keys}")
    return EntityData(ents, table)


@cache
def entity_data() -> EntityData:
    """The package's countries and organisations, loaded and compiled once."""
    return build_entities(read_csv(_COUNTRY_FILE), read_csv(_ORG_FILE), read_yaml(_DEMONYM_FILE))


def _entity_mention(e: Entity, form: str, text: str, s: int, end: int) -> Mention:
    """A country or organisation mention."""
    rule = f"country.{form}" if e.kind == "country" else "org.alias"
    return Mention(kind=e.kind, text=text[s:end], start=s, end=end, id=e.id, name=e.name,
                   country=e.country, org_kind=e.org_kind, rule=rule)


def find_countries_and_orgs(doc: Document) -> list[Mention]:
    """Country (names, adjectives, 'the North') and organisation mentions."""
    data = entity_data()
    text = doc.text
    out: list[Mention] = []
    weak: list[Mention] = []
    koreas = False
    for s, e, keys in data.table.scan(text):
        form, eid = keys[0].split("|", 1)
        m = _entity_mention(data.entities[eid], form, text, s, e)
        if form == "weak":
            if not _WEAK_BLOCK.match(text, e):
                weak.append(m)
            continue
        koreas = koreas or eid in _KOREAS
        out.append(m)
    out = out + weak if koreas else out
    return out + find_org_forms(doc, out)


@dataclass(frozen=True, slots=True)
class OrgForms:
    """Compiled organisation forms (lang/en/organizations.yaml)."""

    named: re.Pattern[str]  # "Hanbit Peninsula Institute", "Ministry of Land Protection"
    kinds: Mapping[str, str]  # head noun -> org_kind
    local: re.Pattern[str]  # "Dandong public security bureau"
    stop: frozenset[str]


@cache
def org_forms() -> OrgForms:
    """organizations.yaml compiled once; an empty group or an unknown org_kind raises DataError."""
    d = read_yaml(_ORG_FORM_FILE)
    heads, ofs = d.get("name_heads") or {}, d.get("of_heads") or {}
    for key in ("name_stop", "local_bodies", "group_words"):
        if not d.get(key):
            raise DataError(f"{_ORG_FORM_FILE}: {key} must be a non-empty list")
    if not heads or not ofs or not set(heads.values()) | set(ofs.values()) <= ORG_KINDS:
        raise DataError(f"{_ORG_FORM_FILE}: name_heads/of_heads must map nouns to org kinds")
    cap = r"[A-Z][\w'’]*(?:-[A-Z][\w'’]*)?"
    link = r"(?: (?:of|for|on|and|the|in))*"
    group = "|".join(sorted(d["group_words"], key=len, reverse=True)).replace(" ", r"\s+")
    named = (rf"(?<![\w-])(?P<head>{cap}(?: {cap}){{0,3}} (?P<h1>{_alt(heads)}))(?![\w-])"
             rf"|(?<![\w-])(?P<of>(?P<h2>{_alt(ofs)}) (?:of|for)(?: the)? {cap}(?:{link} {cap}){{0,5}})"
             rf"|(?<![\w-])(?i:{group}) (?P<grp>{cap}(?:{link} {cap}){{1,5}})")
    local = rf"(?<![\w-])(?P<place>[A-Z][a-z]+) (?P<body>{'|'.join(d['local_bodies'])})(?![\w-])"
    return OrgForms(re.compile(named), {**heads, **ofs}, re.compile(local), frozenset(d["name_stop"]))


def find_org_forms(doc: Document, known: list[Mention]) -> list[Mention]:
    """Organisations no data file lists, found by form; never where a known name already is."""
    forms, text = org_forms(), doc.text
    taken = [(m.start, m.end) for m in known]
    out: list[Mention] = []
    for m in forms.named.finditer(text):
        grp = m.lastgroup
        s, e = m.span(grp)
        words = text[s:e].split()
        if words[0] in forms.stop or any(a < e and s < b for a, b in taken) or is_known_name(text[s:e]):
            continue
        kind = "ngo" if grp == "grp" else forms.kinds[m.group("h1") or m.group("h2")]
        name = " ".join(words)
        out.append(Mention(kind="organization", text=text[s:e], start=s, end=e, id="org:" + slug(name),
                           name=name, org_kind=kind, rule=f"org.form.{grp}"))
    for m in forms.local.finditer(text):
        s, e = m.span("body")
        if any(a < e and s < b for a, b in taken) or not place_data().table.get(m.group("place")):
            continue
        name = f"{m.group('place')} {m.group('body')}"  # the place stays a place mention
        out.append(Mention(kind="organization", text=text[s:e], start=s, end=e, id="org:" + slug(name),
                           name=name, org_kind="government", rule="org.form.local"))
    return out


def is_known_name(name: str) -> bool:
    """True when `name` is a place, country, adjective of nationality or organisation alias."""
    return bool(entity_data().table.get(name) or place_data().table.get(name))


# --- persons ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRules:
    """Compiled person patterns."""

    known: AliasTable
    korean: re.Pattern[str]
    syllable: re.Pattern[str]
    titled: re.Pattern[str]
    said_after: re.Pattern[str]  # "said John Smith"
    said_before: re.Pattern[str]  # "John Smith said"
    lone_after: re.Pattern[str]  # "said Smith"
    lone_before: re.Pattern[str]  # "Smith said"
    honorifics: frozenset[str]
    stop: frozenset[str]  # never part of a name
    title_words: frozenset[str]  # "President Moon Jae-in said": the title rule's business
    not_before: frozenset[str]


def _alt(words: Iterable[str]) -> str:
    """Longest-first regex alternation of literal words (a space matches one space)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def person_rules() -> PersonRules:
    """persons.yaml compiled once; empty groups raise DataError."""
    d = read_yaml(_PERSON_FILE)
    for key in ("known", "korean_surnames", "honorifics", "titles", "speech_verbs", "stop_words"):
        if not d.get(key):
            raise DataError(f"{_PERSON_FILE}: {key} must be a non-empty list")
    word = r"[A-Z][a-z'’]+(?:-[A-Za-z][a-z]+)?"
    part = rf"(?:{_alt(d.get('particles', []))})" if d.get("particles") else "(?!)"
    name = rf"{word}(?: (?:[A-Z]\. )?(?:{part} )?{word}){{0,3}}"
    name2 = rf"{word}(?: (?:[A-Z]\. )?(?:{part} )?{word}){{1,2}}"
    verbs = _alt(d["speech_verbs"])
    syl = r"[A-Z][a-z]{0,5}"
    return PersonRules(
        known=compile_table(((n, n) for n in d["known"]), name="persons.known"),
        korean=re.compile(rf"(?<![\w-])(?:{_alt(d['korean_surnames'])}) {syl}(?:-[A-Za-z][a-z]{{0,5}}| {syl})(?![\w-])"),
        syllable=re.compile(d["korean_syllable"], re.IGNORECASE),
        titled=re.compile(rf"(?<![\w.])(?P<title>{_alt(d['titles'] + d['honorifics'])}) (?P<name>{name})"),
        said_after=re.compile(rf"\b(?:{verbs}),? (?P<name>{name2})(?![\w-])"),
        said_before=re.compile(rf"(?<![\w-])(?P<name>{name2}),? (?:{verbs})\b"),
        lone_after=re.compile(rf"\b(?:{verbs}),? (?P<name>{word})\b(?! [A-Z])"),
        lone_before=re.compile(rf"(?<![\w-])(?P<name>{word}),? (?:{verbs})\b"),
        honorifics=frozenset(d["honorifics"]),
        stop=frozenset(d["stop_words"]),
        title_words=frozenset(w.rstrip(".") for t in d["titles"] + d["honorifics"]
                              for w in t.split() if w[:1].isupper()),
        not_before=frozenset(d.get("not_before", [])),
    )


def _person(text: str, s: int, e: int, rule: str, full: str | None = None) -> Mention:
    """A person mention; `full` names the person when the text gives only a surname."""
    name = norm_key(full or text[s:e])
    return Mention(kind="person", text=text[s:e], start=s, end=e, id="person:" + slug(name),
                   name=name, rule=rule)


def _trim_name(rules: PersonRules, text: str, s: int, e: int) -> int:
    """End of the name in text[s:e] once any stop word and what follows it are cut off."""
    pos = s
    for tok in _TOKEN.finditer(text, s, e):
        if tok.group() in rules.stop:
            break
        pos = tok.end()
    return pos


def _next_word(text: str, end: int) -> str:
    """The word right after position `end` (after one space), or ''."""
    m = _NEXT_WORD.match(text, end, end + 30)
    return m.group(1) if m else ""


def find_persons(doc: Document) -> list[Mention]:
    """Named persons: known names, Korean names, titled names and speakers of 'said'."""
    rules = person_rules()
    text = doc.text
    out = [_person(text, s, e, "person.known") for s, e, _k in rules.known.scan(text)
           if _next_word(text, e) not in rules.not_before]
    for m in rules.korean.finditer(text):
        parts = _NAME_PARTS.split(m.group())[1:]
        if all(rules.syllable.fullmatch(p) and p.capitalize() not in rules.stop for p in parts) \
                and _next_word(text, m.end()) not in rules.not_before \
                and not is_known_name(m.group()):
            out.append(_person(text, m.start(), m.end(), "person.korean"))
    for m in rules.titled.finditer(text):
        s = m.start("name")
        e = _trim_name(rules, text, s, m.end("name"))
        words = text[s:e].split()
        title = m.group("title")
        single_ok = title in rules.honorifics or title[0].isupper()
        if not words or (len(words) == 1 and not single_ok) or is_known_name(text[s:e]) \
                or _next_word(text, e) in rules.not_before:
            continue
        out.append(_person(text, s, e, "person.title"))
    for rx in (rules.said_after, rules.said_before):
        for m in rx.finditer(text):
            s, e = m.span("name")
            words = text[s:e].split()
            if any(w in rules.stop or w.rstrip(".") in rules.title_words for w in words) \
                    or is_known_name(text[s:e]) \
                    or any(is_known_name(w) for w in words):
                continue
            out.append(_person(text, s, e, "person.said"))
    return out + _surname_mentions(rules, text, out)


def _surname_mentions(rules: PersonRules, text: str, found: list[Mention]) -> list[Mention]:
    """'Smith said' after 'John Smith' was found: the surname alone, linked to the full name."""
    surnames: dict[str, tuple[int, str]] = {}
    for m in found:
        words = m.name.split()
        if len(words) >= 2 and m.rule != "person.korean":
            surnames.setdefault(words[-1], (m.end, m.name))
    if not surnames:
        return []
    out: list[Mention] = []
    for rx in (rules.lone_after, rules.lone_before):
        for m in rx.finditer(text):
            hit = surnames.get(m.group("name"))
            if hit and m.start("name") >= hit[0]:
                out.append(_person(text, m.start("name"), m.end("name"), "person.surname", hit[1]))
    return out


# --- vessels ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VesselRules:
    """The compiled vessel pattern."""

    pattern: re.Pattern[str]
    stop: frozenset[str]
    max_words: int


@cache
def vessel_rules() -> VesselRules:
    """vessels.yaml compiled once into one pattern."""
    d = read_yaml(_VESSEL_FILE)
    for key in ("prefixes", "ship_words", "naming_words", "determiners", "stop_words"):
        if not d.get(key):
            raise DataError(f"{_VESSEL_FILE}: {key} must be a non-empty list")
    flag = r"(?P<flag>[A-Z][\w'’.]*(?: [A-Z][\w'’.]*)?)-flagged "
    ship = rf"(?:{_alt(d['determiners'])}) (?:{flag})?(?:[a-z-]+ )?(?:{_alt(d['ship_words'])})(?: (?:{_alt(d['naming_words'])})(?: the)?)?"
    quoted = r"[\"“‘'](?P<q>[A-Za-z0-9][^\"”’'\n]{1,38})[\"”’']"
    capname = r"(?P<n>[A-Z0-9][\w.'’-]*(?: (?:[A-Z0-9][\w.'’-]*|No\. ?\d+))*)"
    prefix = rf"(?<![\w/.])(?P<prefix>{_alt(d['prefixes'])})"
    pattern = re.compile(rf"(?:(?<!\w){ship}|{prefix}) (?:{quoted}|{capname})")
    return VesselRules(pattern, frozenset(d["stop_words"]), int(d.get("max_name_words", 4)))


def find_vessels(doc: Document) -> list[Mention]:
    """Named ships: 'the vessel X', 'MV X', 'the Togo-flagged tanker X', 'a ship named X'."""
    rules = vessel_rules()
    text = doc.text
    out: list[Mention] = []
    for m in rules.pattern.finditer(text):
        group = "q" if m.group("q") else "n"
        s, e = m.span(group)
        words = text[s:e].split(" ")
        if group == "n":
            keep: list[str] = []
            for w in words[:rules.max_words]:
                if w in rules.stop:
                    break
                keep.append(w)
            words = keep
            e = s + len(" ".join(words))
            while e > s and text[e - 1] in ".,'’":
                e -= 1
        name = text[s:e]
        if not words or not name or words[0] in rules.stop or entity_data().table.get(name):
            continue  # a ship may bear a place's name ("the tanker Saebyol"), not a country's
        country = None
        if m.group("flag"):
            keys = entity_data().table.get(m.group("flag"))
            country = entity_data().entities[keys[0].split("|", 1)[1]].country if keys else None
        rule = "vessel.prefix" if m.group("prefix") else "vessel.ship_word"
        out.append(Mention(kind="vessel", text=name, start=s, end=e, id="vessel:" + slug(name),
                           name=norm_key(name), country=country, rule=rule))
    return out
