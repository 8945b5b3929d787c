"""Organisations and goods named in Korean (data/lang/ko/organizations.yaml, commodities.yaml).

A good counts where its sentence gives it a trade role (a trade cue of commodities.yaml).

Korean writes particles onto names ("국가보위성은", "석탄을"), so a spelling matches where it
starts a word and may run on into an ending; it must not continue a longer Hangul word before it
(콩 is no good in 홍콩). Each entry points at the registry's id, so a Korean mention carries the
same name, kind, HS code and sanctions status as an English one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from borderwatch.data_models.ko import (
    KoCommoditiesFile,
    KoCountriesFile,
    KoOrganization,
    KoOrganizationsFile,
    KoPlacesFile,
)
from borderwatch.datafiles import DataError, load
from borderwatch.extract.commodities import commodity_data
from borderwatch.extract.entities import entity_data
from borderwatch.extract.ko.lexicon import KO, sentence_span, words_alt
from borderwatch.model import Document, Mention

_ORG_FILE = "organizations.yaml"
_GOODS_FILE = "commodities.yaml"
_HANGUL = "[가-힣]"
_HANGUL_RX = re.compile(_HANGUL)


@dataclass(frozen=True, slots=True)
class OrgEntry:
    """One organisation a Korean spelling names."""

    id: str
    name: str
    kind: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class KoNames:
    """The compiled Korean spellings of organisations and goods."""

    orgs: re.Pattern[str]
    org_of: dict[str, OrgEntry]  # spelling (white space squashed) -> entry
    goods: re.Pattern[str]
    good_of: dict[str, str]  # spelling -> commodity id
    trade_cues: re.Pattern[str]


def _squash(s: str) -> str:
    """A spelling with white space runs as one space (the key of the lookup tables)."""
    return re.sub(r"\s+", " ", s)


def _spelling_rx(spellings: list[str], allowed_before: list[str]) -> re.Pattern[str]:
    """Spellings (a space matching any white space) not preceded by a Hangul letter, unless
    by one of `allowed_before`."""
    alt = words_alt(spellings).replace(r"\ ", r"\s*")
    allowed = "|".join(f"(?<={re.escape(a)})" for a in allowed_before)
    left = f"(?:(?<!{_HANGUL})|{allowed})" if allowed else f"(?<!{_HANGUL})"
    return re.compile(rf"{left}(?<![A-Za-z0-9])(?:{alt})(?![A-Za-z0-9])")


def _org_entry(raw: KoOrganization) -> OrgEntry:
    """One organizations.yaml entry, its name and kind from the registry when it is there."""
    known = entity_data().entities.get(raw.id)
    if known is not None:
        return OrgEntry(raw.id, known.name, known.org_kind, known.country)
    if not raw.name or not raw.kind:
        raise DataError(f"{KO}{_ORG_FILE}: organizations[{raw.id}]: not in the registry, so it needs a name and a kind")
    return OrgEntry(raw.id, raw.name, raw.kind, raw.country)


@cache
def ko_names() -> KoNames:
    """organizations.yaml and commodities.yaml, checked against the registries, compiled once."""
    org_of: dict[str, OrgEntry] = {}
    for raw in load(KO + _ORG_FILE, KoOrganizationsFile).organizations:
        entry = _org_entry(raw)
        for a in raw.aliases:
            key = _squash(a)
            if key in org_of and org_of[key].id != entry.id:
                raise DataError(f"{KO}{_ORG_FILE}: organizations[{entry.id}]: aliases: {a!r} also names {org_of[key].id}")
            org_of[key] = entry
    data = load(KO + _GOODS_FILE, KoCommoditiesFile)
    known = commodity_data().commodities
    good_of: dict[str, str] = {}
    for cid, words in data.commodities.items():
        if cid not in known:
            raise DataError(f"{KO}{_GOODS_FILE}: commodities.{cid}: unknown commodity")
        for w in words:
            if _squash(w) in good_of:
                raise DataError(f"{KO}{_GOODS_FILE}: commodities.{cid}: {w!r} listed twice")
            good_of[_squash(w)] = cid
    return KoNames(_spelling_rx(list(org_of), []), org_of,
                   _spelling_rx(list(good_of), data.allowed_before), good_of,
                   re.compile(words_alt(data.trade_cues)))


@dataclass(frozen=True, slots=True)
class KoCountries:
    """countries.yaml compiled with the Hangul names of countries.csv."""

    names: re.Pattern[str]
    code_of: dict[str, str]  # Hangul name -> entity id
    short: re.Pattern[str]
    short_of: dict[str, str]  # Hanja -> code
    pair: re.Pattern[str]
    pair_of: dict[str, str]  # syllable -> code


@cache
def ko_countries() -> KoCountries:
    """The Korean country finder's rules, compiled once."""
    data = load(KO + "countries.yaml", KoCountriesFile)
    table = entity_data().table
    code_of = {k: keys[0].split("|")[-1] for k, keys in table.lookup.items()
               if _HANGUL_RX.match(k) and keys[0].split("|")[-1].startswith("country:")}
    bounded = set(data.bounded)
    after = words_alt(load(KO + "places.yaml", KoPlacesFile).after)
    free = words_alt([k for k in code_of if k not in bounded])
    tight = words_alt([k for k in code_of if k in bounded]) or "(?!)"
    names = re.compile(rf"(?<![가-힣])(?:(?:{free})|(?:{tight})(?=[^가-힣]|$|{after}))")
    short, pairs = data.short, data.pairs
    marks = "".join(re.escape(m) for m in data.pair_marks)
    syll = "".join(re.escape(k) for k in pairs)
    return KoCountries(
        names, code_of,
        re.compile(rf"(?<![一-鿿])[{''.join(re.escape(k) for k in short)}](?![一-鿿])"), dict(short),
        re.compile(rf"(?<![가-힣])([{syll}])[{marks}]([{syll}])(?![가-힣]{{0,1}}[{marks}])"), dict(pairs),
    )


def find_countries_ko(doc: Document) -> list[Mention]:
    """Countries named in Korean: Hangul names with particles, one-Hanja short forms, pairs."""
    rules = ko_countries()
    ents = entity_data().entities
    text = doc.text
    spans: list[tuple[int, int, str]] = [(m.start(), m.end(), rules.code_of[m.group(0)])
                                         for m in rules.names.finditer(text)]
    spans += [(m.start(), m.end(), f"country:{rules.short_of[m.group(0)]}") for m in rules.short.finditer(text)]
    for m in rules.pair.finditer(text):
        spans += [(m.start(g), m.end(g), f"country:{rules.pair_of[m.group(g)]}") for g in (1, 2)]
    out = []
    for s, e, cid in spans:
        c = ents.get(cid)
        if c is not None:
            out.append(Mention(kind="country", text=text[s:e], start=s, end=e, id=c.id, name=c.name,
                               country=c.country, rule="country.ko"))
    return out


def find_orgs_ko(doc: Document) -> list[Mention]:
    """Organisations named in Korean. A spelling that opens with a country's name ("중국 상무부")
    names the body from after it, so the country stays a mention of its own."""
    names = ko_names()
    countries = ko_countries()
    out: list[Mention] = []
    for m in names.orgs.finditer(doc.text):
        e = names.org_of[_squash(m.group(0))]
        start = m.start()
        lead = countries.names.match(doc.text, start, m.end())
        if lead and doc.text[lead.end():lead.end() + 1].isspace():
            start = lead.end() + 1
        out.append(Mention(kind="organization", text=doc.text[start:m.end()], start=start, end=m.end(),
                           id=e.id, name=e.name, country=e.country, org_kind=e.kind, rule="org.ko.alias"))
    return out


def find_commodities_ko(doc: Document) -> list[Mention]:
    """Goods named in Korean."""
    names = ko_names()
    goods = commodity_data().commodities
    out: list[Mention] = []
    for m in names.goods.finditer(doc.text):
        lo, hi = sentence_span(doc, m.start())
        if not names.trade_cues.search(doc.text, lo, hi):
            continue
        c = goods[names.good_of[_squash(m.group(0))]]
        out.append(Mention(kind="commodity", text=m.group(0), start=m.start(), end=m.end(), id=c.id,
                           name=c.name, hs=c.hs, un_sanctions=c.sanctions, rule="commodity.ko.word"))
    return out
