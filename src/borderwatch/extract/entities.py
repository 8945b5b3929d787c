"""Countries, organisations, persons and vessels.

Countries (data/countries.csv), their adjectives (data/lang/en/demonyms.yaml), organisations
(data/organizations.csv) and news outlets (data/outlets.yaml, the one outlet registry) share one
case-sensitive alias table, scanned once; an alias naming two entries fails at load. Long
organisation names also match in any case ("MINISTRY OF STATE SECURITY"). "Chinese traders" and
"North Korean authorities" are country mentions, never places; a currency ("US dollars",
"Chinese yuan", "US$") names no country. "the North"/"the South" count only in a report that
names a Korea outright, and never swallow a longer name ("the South China Morning Post").

Organisations no registry lists are found by form (lang/en/organizations.yaml): a capitalised
name and a head noun ("… Trading Company", "Ministry of …"), a known place and a body ("Dandong
Customs", "the Hunchun municipal government"), a country and a body ("China's Foreign Affairs
Ministry"), a number ("Office 39"), or a kind noun ("a unit called 'X'", "firms such as A and
B", "X, a US satellite firm"). Names in photo credits ("Photo: AP", "(Kcna/Xinhua)") are dropped.

Persons and vessels come from patterns with their word lists in data (lang/en/persons.yaml,
vessels.yaml); a candidate that is a known place, country or organisation is dropped, because a
wrong person costs more than a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from borderwatch.data_models.entities import (
    CountryRow,
    DemonymsFile,
    NameWordsFile,
    OrganizationRow,
    OrgFormsFile,
    PersonsFile,
    VesselsFile,
)
from borderwatch.datafiles import DataError, load, load_rows, read_yaml, validated_rows
from borderwatch.extract.gazetteer import AliasTable, compile_table, norm_key, slug, split_aliases
from borderwatch.extract.outlets import Outlet, outlet_registry
from borderwatch.extract.places import place_data
from borderwatch.model import Document, Mention
from borderwatch.patterns import alternation, compile_fast
from borderwatch.values.numbers import vocab

_COUNTRY_FILE = "countries.csv"
_ORG_FILE = "organizations.csv"
_DEMONYM_FILE = "lang/en/demonyms.yaml"
_PERSON_FILE = "lang/en/persons.yaml"
_VESSEL_FILE = "lang/en/vessels.yaml"
_ORG_FORM_FILE = "lang/en/organizations.yaml"
_NAME_WORDS_FILE = "lang/en/name_words.yaml"
_CURRENCY_FILE = "currencies.yaml"
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
    caseless: AliasTable | None = None  # long organisation names, lower case, for any case


def build_entities(countries: Iterable[Mapping[str, str] | CountryRow],
                   orgs: Iterable[Mapping[str, str] | OrganizationRow],
                   demonyms: Mapping[str, str], outlets: Iterable[Outlet] = (),
                   function_words: Iterable[str] = ()) -> EntityData:
    """Validate country, organisation, outlet and demonym data and compile them into one table;
    an id or an alias naming two entries raises DataError."""
    ents: dict[str, Entity] = {}
    pairs: list[tuple[str, str]] = []
    for c in validated_rows(countries, CountryRow, _COUNTRY_FILE):
        ents[c.id] = Entity(c.id, c.name, "country", c.code)
        pairs += [(a, f"name|{c.id}") for a in split_aliases(c.aliases)]
        pairs += [(a, f"weak|{c.id}") for a in split_aliases(c.weak_aliases)]
    for word, code in demonyms.items():
        if f"country:{code}" not in ents:
            raise DataError(f"demonyms: {word!r} names unknown country {code!r}")
        pairs.append((word, f"demonym|country:{code}"))
    for org in validated_rows(orgs, OrganizationRow, _ORG_FILE):
        ents[org.id] = Entity(org.id, org.name, "organization", org.country, org.org_kind)
        pairs += [(a, f"name|{org.id}") for a in [org.name, *split_aliases(org.aliases)]]
    for o in outlets:
        if o.id in ents:
            raise DataError(f"outlets/organizations: duplicate id {o.id!r}")
        ents[o.id] = Entity(o.id, o.name, "organization", o.country, o.kind)
        pairs += [(a, f"name|{o.id}") for a in o.aliases]
    table = compile_table(pairs, name="countries+organizations")
    for alias, keys in table.lookup.items():
        if len({k.split("|", 1)[1] for k in keys}) > 1:
            raise DataError(f"countries/organizations: alias {alias!r} names several: {keys}")
    owners: dict[str, set[str]] = {}
    small = frozenset(function_words)
    for alias, key in pairs:
        if key.startswith("name|org:") and _caseless_ok(alias, small):
            owners.setdefault(norm_key(alias, fold=True), set()).add(key)
    long_names = [(a, next(iter(k))) for a, k in owners.items() if len(k) == 1]  # ambiguous ones dropped
    # scanned over the lower-cased text (faster than a case-folding regex)
    caseless = compile_table(long_names, name="organizations (any case)") if long_names else None
    return EntityData(ents, table, caseless)


def _caseless_ok(alias: str, function_words: frozenset[str]) -> bool:
    """A name long enough to be matched in any case: four words, or three without a function
    word ("Korea Customs Service"; not "Panel of Experts", which is also a common phrase)."""
    words = alias.split()
    return len(words) >= 4 or (len(words) == 3 and not function_words & {w.lower() for w in words})


@cache
def entity_data() -> EntityData:
    """The package's countries and organisations, loaded and compiled once."""
    return build_entities(load_rows(_COUNTRY_FILE, CountryRow), load_rows(_ORG_FILE, OrganizationRow),
                          load(_DEMONYM_FILE, DemonymsFile).root,
                          outlet_registry(), load(_ORG_FORM_FILE, OrgFormsFile).caseless_function_words)


def _entity_mention(e: Entity, form: str, text: str, s: int, end: int) -> Mention:
    """A country or organisation mention."""
    rule = f"country.{form}" if e.kind == "country" else "org.alias"
    return Mention(kind=e.kind, text=text[s:end], start=s, end=end, id=e.id, name=e.name,
                   country=e.country, org_kind=e.org_kind, rule=rule)


@cache
def _currency_rx() -> re.Pattern[str]:
    """Currency names that open with a country's name or adjective ("US dollars", "Chinese
    yuan", "US$"), from data/currencies.yaml: a country mention inside one is no country."""
    d = read_yaml(_CURRENCY_FILE).get("currencies") or {}
    forms = {f for c in d.values() for k in ("prefixes", "suffixes") for f in (c.get(k) or [])
             if f[:1].isalpha() and f[:1].isupper()}
    if not forms:
        raise DataError(f"{_CURRENCY_FILE}: no currency spellings")
    alt = alternation(forms, any_space=True)
    return re.compile(rf"(?:{alt})(?!\w)|[A-Z][A-Z.]{{0,4}}\s?\$")


def _scan(table: AliasTable, text: str):
    """The alias table's matches, leftmost-longest; after a weak alias ("the South") that a
    capitalised word follows, scanning resumes inside it so the longer name starting there
    ("the South China Morning Post") is found."""
    pos, n = 0, len(text)
    pattern = table.pattern_for(text)
    while pos < n:
        m = pattern.search(text, pos)
        if m is None:
            return
        keys = table.lookup.get(norm_key(m.group(), table.fold))
        if keys and keys[0].startswith("weak|") and name_words().weak_block.match(text, m.end()):
            sp = text.find(" ", m.start(), m.end())
            pos = sp + 1 if sp != -1 else m.end()
            continue
        pos = m.end() if m.end() > m.start() else m.start() + 1
        if keys:
            yield m.start(), m.end(), keys


def find_countries_and_orgs(doc: Document) -> list[Mention]:
    """Country (names, adjectives, 'the North') and organisation mentions."""
    data = entity_data()
    text = doc.text
    out: list[Mention] = []
    weak: list[Mention] = []
    koreas = False
    currency = _currency_rx()
    for s, e, keys in _scan(data.table, text):
        form, eid = keys[0].split("|", 1)
        ent = data.entities[eid]
        if ent.kind == "country":
            cm = currency.match(text, s)
            if cm and cm.end() > e:
                continue  # "US dollars", "Chinese yuan", "US$": a currency, not a country
        m = _entity_mention(ent, form, text, s, e)
        if form == "weak":
            weak.append(m)
            continue
        koreas = koreas or eid in _KOREAS
        out.append(m)
    out = out + weak if koreas else out
    low = text.lower()
    if data.caseless is not None and len(low) == len(text):
        # "MINISTRY OF STATE SECURITY", "industrial and commercial bank …"
        spans = [(m.start, m.end) for m in out]
        for s, e, keys in data.caseless.scan(low):
            if not _overlaps(spans, s, e) and _one_case(text[s:e]):
                ent = data.entities[keys[0].split("|", 1)[1]]
                out.append(Mention(kind="organization", text=text[s:e], start=s, end=e, id=ent.id,
                                   name=ent.name, country=ent.country, org_kind=ent.org_kind,
                                   rule="org.alias.caseless"))
    orgs = out + find_org_forms(doc, out)
    credit = org_forms().credit
    return [m for m in orgs if m.kind != "organization" or not _is_credit(credit, text, m.start, m.end)]


def _one_case(span: str) -> bool:
    """All capitals, all lower case, or lower case after a capital first letter: a name written
    in another case, not a phrase that runs into one ("to open North Korea to trade")."""
    return span.isupper() or span[1:] == span[1:].lower()


_SENTENCE_END = frozenset('.!?"”’')


_CREDIT_REACH = 80  # a credit's cue ("Photo:") or brackets lie this close to the name
_LINE_REST_BLANK = re.compile(r"[^\S\n]*(?:\n|\Z)")


def _is_credit(before: re.Pattern[str], text: str, s: int, e: int) -> bool:
    """True for a name in a photo or image credit: after "Photo:" and the like on its line, or
    in parentheses that end a line and follow no full sentence ("(AP)", "(Kcna/Xinhua)").

    Looks no further than _CREDIT_REACH from the name (brackets more than 70 characters apart
    are no credit): reading to the line's ends made a long one-line text quadratic."""
    lo = max(0, s - _CREDIT_REACH)
    line_start = text.rfind("\n", lo, s) + 1 or lo
    if before.search(text[max(line_start, s - 60):s]):
        return True
    for o, c in ("()", "[]"):
        open_ = text.rfind(o, line_start, s)
        if open_ == -1 or c in text[open_:s]:
            continue
        close = text.find(c, e, open_ + 71)
        if close == -1 or "\n" in text[e:close] or not _LINE_REST_BLANK.match(text, close + 1):
            continue
        i = open_ - 1  # the last character before the bracket on its line, spaces skipped
        while i >= 0 and text[i] != "\n" and text[i].isspace():
            i -= 1
        # "[YONHAP]" ending a line is a photo credit; "(Yonhap)" after a full sentence credits the story
        return o == "[" or i < 0 or text[i] == "\n" or text[i] not in _SENTENCE_END
    return False


@dataclass(frozen=True, slots=True)
class OrgForms:
    """Compiled organisation forms (lang/en/organizations.yaml)."""

    named: re.Pattern[str]  # a head noun: "Institute", "Ministry"
    named_before: re.Pattern[str]  # the capitalised words before it: "Hanbit Peninsula"
    named_of: re.Pattern[str]  # " of Land Protection" after an of-head
    of_heads: frozenset[str]
    name_heads: frozenset[str]
    kinds: Mapping[str, str]  # head noun -> org_kind
    local: re.Pattern[str]  # "Dandong public security bureau"
    stop: frozenset[str]
    lead: frozenset[str]  # words cut off the front of a name
    placed: re.Pattern[str]  # "Ryanggang Trade Bureau", "Dandong Customs": the head
    placed_before: re.Pattern[str]  # the place and words before the head
    place_alone: frozenset[str]
    country: re.Pattern[str]  # "China's Foreign Affairs Ministry"
    country_kinds: Mapping[str, str]
    number: re.Pattern[str]  # "Office 39", "the 8th General Bureau"
    number_kinds: Mapping[str, str]
    kind_of: Mapping[str, str]  # kind noun (lower case) -> org_kind
    called_kind: AliasTable  # kind nouns, scanned in lower-cased text
    called: re.Pattern[str]  # "a unit called 'X'", "the firm X": what follows the kind noun
    such_as: re.Pattern[str]  # "firms such as A, B and C": the "such as"
    such_kind: re.Pattern[str]  # the kind noun before it
    such_list: re.Pattern[str]  # the names after it
    appositive: re.Pattern[str]  # "Orbit Imaging, a US satellite firm,": the ", a "
    appos_name: re.Pattern[str]  # the name before it
    appos_kind: re.Pattern[str]  # the kind noun after it
    credit: re.Pattern[str]
    folded: Mapping[str, str]  # folded registry alias -> organisation id
    closes: re.Pattern[str]  # what may follow a one-word name after a kind noun
    descriptor: re.Pattern[str]  # "Hong Kong-based"


_CAP = r"[A-Z](?:[\w'’]*\w)?(?:-[A-Za-z](?:[\w'’]*\w)?)?"
_FOLD_DROP = re.compile(r"[^\w\s]")
_NAME_ITEM = re.compile(rf"[\"“‘']?({_CAP}(?: {_CAP}){{0,3}})[\"”’']?")
_NUM_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True, slots=True)
class NameWords:
    """name_words.yaml compiled: the function words of the name patterns."""

    alt: dict[str, str]  # list name -> longest-first alternation of its words
    articles: frozenset[str]  # dropped from the front of a folded name
    weak_block: re.Pattern[str]  # after "the North": not "the North Sea", "… of China", "North-South"


_NAME_WORD_LISTS = ("name_links", "head_of", "of_words", "articles", "name_joiners", "list_joiners",
                    "appositive_articles", "number_marks")


@cache
def name_words() -> NameWords:
    """name_words.yaml compiled once (its model has checked every list)."""
    d = load(_NAME_WORDS_FILE, NameWordsFile)
    alt = {key: _alt(getattr(d, key)) for key in _NAME_WORD_LISTS}
    return NameWords(alt, frozenset(d.articles),
                     re.compile(rf"\s+[A-Z]|\s+(?:{alt['of_words']})\b|[-‐–]\w"))


def _fold(name: str) -> str:
    """A name folded for near-equality: lower case, no article, punctuation or plural -s."""
    words = _FOLD_DROP.sub(" ", norm_key(name).lower().replace("'", "")).split()
    if words and words[0] in name_words().articles:
        words = words[1:]
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words)


@cache
def org_forms() -> OrgForms:
    """organizations.yaml compiled once (its model has checked every group and org kind)."""
    d = load(_ORG_FORM_FILE, OrgFormsFile)
    heads, ofs = d.name_heads, d.of_heads
    w = name_words()
    the, of = w.alt["articles"], w.alt["of_words"]
    link = rf"(?: (?:{w.alt['name_links']}))*"
    kinds = {k.lower(): v for k, v in d.kind_nouns.items()}
    kind_alt = _alt(d.kind_nouns)
    # found from the head noun: the capitalised words before it, or "of/for <Name>" after it
    named = (rf"(?<![\w-])(?P<h>{_alt({**heads, **ofs})})"
             rf"(?P<more>(?:,? (?:{_alt(d.name_head_suffixes)}))*)(?![\w-])")
    named_before = rf"(?<![\w'’.-])(?:{_CAP} ){{1,5}}$"
    named_of = rf" (?:{w.alt['head_of']})(?: (?:{the}))? {_CAP}(?:{link} {_CAP}){{0,5}}"
    local = rf"(?=[A-Z])(?<![\w-])(?P<place>[A-Z][a-z]+) (?P<body>{'|'.join(d.local_bodies)})(?![\w-])"
    # found from the head: "Bureau", then the capitalised words before it ("Ryanggang Trade")
    placed = (rf"(?<![\w-])(?P<h>{_alt(d.place_heads)})"
              rf"(?P<of> (?:{of})(?: (?:{the}))? {_CAP}(?: (?:(?:{w.alt['name_joiners']}) )?{_CAP}){{0,3}})?"
              r"(?![\w-])(?! [A-Z][a-z])")
    placed_before = rf"(?<![\w'’.-])(?:{_CAP} ){{1,6}}$"
    # matched right after a country mention: "China" + "'s Foreign Affairs Ministry"
    country = (rf"(?:['’]s)? (?P<body>(?:{_CAP} ){{1,4}}?(?P<h>{_alt(d.country_heads)}))"
               rf"(?![\w-])(?! (?:[A-Z]|(?:{of})\b))")
    nh = _alt(d.number_heads)
    ordinal = vocab().ordinal
    number = (rf"(?=[A-Z0-9])(?<![\w.-])(?:(?P<a>(?P<ha>{nh}) (?:(?:{w.alt['number_marks']}) ?)?\d{{2,4}})"
              rf"|(?P<b>(?P<nb>\d{{1,4}}(?:{ordinal})|\d{{2,4}}) (?:{_CAP} ){{0,2}}?(?P<hb>{nh})))(?![\w-])")
    # the kind noun is found in the lower-cased text, the name after it in the text as written
    called_kind = compile_table(((k, k) for k in kinds), name=f"{_ORG_FORM_FILE} kind_nouns")
    called = (rf"(?i:(?P<by>{_alt(d.kind_called)}) (?:(?:{the}) )?)?"
              rf"(?:[\"“‘'](?P<q>[A-Z0-9][^\"“”‘’'\n]{{0,38}}[\w.])[\"”’']|(?P<name>{_CAP}(?:{link} {_CAP}){{0,5}}))")
    # "firms such as A, B and C": found from "such as" back to the kind noun, then on to the names
    such_as = rf",? (?i:{_alt(d.kind_such_as)}) "
    such_kind = rf"(?i:\b(?P<k2>{kind_alt}))(?: [a-z]+)?$"
    such_list = (rf"(?P<list>{_NAME_ITEM.pattern}(?:, {_NAME_ITEM.pattern}){{0,6}}"
                 rf"(?:,? (?:{w.alt['list_joiners']}) {_NAME_ITEM.pattern})?)")
    # "Orbit Imaging, a US satellite firm,": found from ", a", then the name before and the kind after
    appos = rf", (?:{w.alt['appositive_articles']}) "
    appos_name = rf"(?<![\w’'-])(?<![A-Z][a-z] )(?P<name>{_CAP}(?: {_CAP}){{0,4}})$"
    appos_kind = (rf"(?:(?!(?:{_alt(d.appositive_block)})\b)[\w’'.-]+ ){{0,4}}?(?P<k3>{kind_alt})"
                  rf"(?=[,.;:)]| (?:{_alt(d.appositive_after)})\b)")
    credit = re.compile(rf"(?i:(?:{'|'.join(d.credit_before)}))$")
    data = entity_data()
    folded: dict[str, str] = {}
    for alias, keys in data.table.lookup.items():
        eid = keys[0].split("|", 1)[1]
        if eid.startswith("org:") and len(alias) > 4:
            folded.setdefault(_fold(alias), eid)
    return OrgForms(re.compile(named), re.compile(named_before), re.compile(named_of),
                    frozenset(ofs), frozenset(heads), {**heads, **ofs}, re.compile(local), frozenset(d.name_stop),
                    frozenset(d.name_lead), re.compile(placed), re.compile(placed_before), frozenset(d.place_heads_alone),
                    re.compile(country), d.country_heads, re.compile(number), d.number_heads,
                    kinds, called_kind, re.compile(called), re.compile(such_as), re.compile(such_kind),
                    re.compile(such_list), re.compile(appos), re.compile(appos_name),
                    re.compile(appos_kind), credit, folded,
                    re.compile(rf"[\"”’']|\s*[,.;:)]|\s+(?:{_alt(d.one_word_closes)})\b"),
                    re.compile(rf"[\w.’']+-(?:{_alt(d.descriptor_suffixes)})$"))


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def _trim(forms: OrgForms, text: str, s: int, e: int) -> int:
    """Start of text[s:e] once leading stop words and descriptors ("Hong Kong-based") are cut off."""
    words = list(re.finditer(r"\S+", text[s:e]))
    last = max((i for i, w in enumerate(words) if forms.descriptor.match(w.group())), default=-1)
    for w in words[last + 1:]:
        if w.group() not in forms.lead:
            return s + w.start()
    return e


def _title_line(text: str, s: int, e: int) -> bool:
    """True on a headline written in title case ("Customs Bank Fines Shipping Company"), where
    capitalised words are no sign of a name: no full stop at its end, and most longer words
    outside the name capitalised."""
    a = text.rfind("\n", 0, s) + 1
    b = text.find("\n", e)
    line_end = len(text) if b == -1 else b
    if text[a:line_end].rstrip()[-1:] in _SENTENCE_END:
        return False
    words = [w for w in (text[a:s] + " " + text[e:line_end]).split() if len(w) > 3 and w[0].isalpha()]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _known_place(name: str) -> bool:
    """A place of the gazetteer or a country's name (not its adjective: "Chinese Customs")."""
    return bool(place_data().table.get(name)) or any(
        k.startswith("name|country:") for k in entity_data().table.get(name))


def _leads_with_country(name: str) -> bool:
    """True when a name opens with a country's name or adjective ("North Korea ...")."""
    data = entity_data()
    for m in data.table.pattern.finditer(name, 0, min(len(name), 40)):
        if m.start() == 0:
            keys = data.table.lookup.get(norm_key(m.group()), ())
            return any(k.split("|", 1)[1].startswith("country:") for k in keys)
        break
    return False


def _country_then_name(forms: OrgForms, name: str, head: str) -> bool:
    """True for a name that opens with a country and has a word of its own before the head:
    "North Korea Freedom Coalition", not "North Korean Institute" or "Chinese Trading Company"."""
    data = entity_data()
    m = data.table.pattern.match(name)
    if not m or not any(k.split("|", 1)[1].startswith("country:")
                        for k in data.table.lookup.get(norm_key(m.group()), ())):
        return False
    rest = name[m.end():].split()
    own = rest[:len(rest) - len(head.split())]
    return bool(own) and own[0] not in forms.stop and own[0] not in forms.lead


def _bad_name(name: str) -> bool:
    """A candidate name that is a place, country, nationality, known person or a Korean name
    ("Kim Chol": a Korean surname and one or two syllables)."""
    rules = person_rules()
    words = name.split()
    return is_known_name(name) or bool(rules.known.get(name)) or bool(rules.korean.fullmatch(name)) \
        or words[0].rstrip(".") in rules.title_words \
        or (len(words) <= 3 and words[0] in _korean_surnames() and all(rules.syllable.fullmatch(w) for w in words[1:]))


@cache
def _korean_surnames() -> frozenset[str]:
    return frozenset(load(_PERSON_FILE, PersonsFile).korean_surnames)


def find_org_forms(doc: Document, known: list[Mention]) -> list[Mention]:
    """Organisations no data file lists, found by form; never where a known name already is."""
    forms, text = org_forms(), doc.text
    data = entity_data()
    # a name may hold a country ("North Korea Freedom Coalition"): the longer mention wins later
    taken = [(m.start, m.end) for m in known if m.kind != "country"]
    countries = [(m.start, m.end) for m in known if m.kind == "country"]
    out: list[Mention] = []

    def add(s: int, e: int, name: str, kind: str, rule: str, country: str | None = None) -> None:
        name = " ".join(name.split())
        if s >= e or _overlaps(taken, s, e) or any(a < e and s < b and not (s <= a and b <= e)
                                                   for a, b in countries):
            return
        eid = forms.folded.get(_fold(name))
        if eid:  # a known organisation, misspelt or pluralised
            ent = data.entities[eid]
            m = Mention(kind="organization", text=text[s:e], start=s, end=e, id=ent.id, name=ent.name,
                        country=ent.country, org_kind=ent.org_kind, rule="org.alias.folded")
        else:
            m = Mention(kind="organization", text=text[s:e], start=s, end=e, id="org:" + slug(name),
                        name=name, country=country, org_kind=kind, rule=rule)
        taken.append((s, e))
        out.append(m)

    for c in known:
        m = forms.country.match(text, c.end) if c.kind == "country" else None
        if m:
            s, e = m.span("body")
            add(s, e, f"{c.text}{text[c.end:s]}{text[s:e]}", forms.country_kinds[m.group("h")],
                "org.form.country", c.country)
    for m in forms.number.finditer(text):
        grp = "a" if m.group("a") else "b"
        if grp == "b" and _NUM_YEAR.fullmatch(m.group("nb")):
            continue
        s, e = m.span(grp)
        add(s, e, text[s:e], forms.number_kinds[m.group("ha") or m.group("hb")], "org.form.number")
    for m in forms.placed.finditer(text):
        before = forms.placed_before.search(text, max(0, m.start() - 120), m.start())
        if before is None:
            continue
        words, head = text[before.start():m.start() - 1].split(), m.group("h")
        found = next(((i, k) for i in range(len(words)) for k in (2, 1)  # the first known place
                      if i + k <= len(words) and _known_place(" ".join(words[i:i + k]))), None)
        if found is None:
            continue
        i, k = found
        if i + k == len(words) and head not in forms.place_alone and " " not in head:
            continue  # "Pyongyang Office": a place and a bare head name no body
        place_end = before.start() + len(" ".join(words[:i + k]))
        name = " ".join(words[i:]) + f" {head}{m.group('of') or ''}"
        add(place_end + 1, m.end(), name, "government", "org.form.place")
    for grp, s, e, head, tail in _named(forms, text):
        s = _trim(forms, text, s, e)
        words = text[s:e].split()
        if not words or (grp == "head" and len(words) <= len(tail.split())):
            continue  # the head alone ("Institute", "Co. Ltd.") names no one
        if words[0] in forms.stop and not _country_then_name(forms, " ".join(words), tail):
            continue
        if _bad_name(text[s:e]) or _overlaps(taken, s, e) or _title_line(text, s, e):
            continue
        place = next((k for k in (2, 1) if len(words) > k and _known_place(" ".join(words[:k]))), 0)
        if place and grp == "head" and len(words) > place + len(tail.split()):
            s = s + len(" ".join(words[:place])) + 1  # "Yanbian Shenghai Industry & Trade": the place stays
        add(s, e, " ".join(words), forms.kinds[head], f"org.form.{grp}")
    for m in forms.local.finditer(text):
        s, e = m.span("body")
        if _overlaps(taken, s, e) or not place_data().table.get(m.group("place")):
            continue
        add(s, e, f"{m.group('place')} {m.group('body')}", "government", "org.form.local")
    _kind_forms(forms, text, add)
    return out


def _named(forms: OrgForms, text: str):
    """(form, start, end, head, head with its suffixes) of names built on a head noun: "Ministry
    of Land Protection" (form 'of', with up to three capitalised words before the head) or
    "Hanbit Peninsula Institute", "Tonghae Marine Co., Ltd." (form 'head'). Heads are found
    longest first: "Trading Company", not "Company"."""
    for h in forms.named.finditer(text):
        head, hs, he = h.group("h"), h.start(), h.end()
        before = forms.named_before.search(text, max(0, hs - 120), hs)
        if head in forms.of_heads:
            of = forms.named_of.match(text, he)
            if of:
                words = text[before.start():hs].split()[-3:] if before else []
                s = hs - len(" ".join(words)) - 1 if words else hs
                yield "of", s, of.end(), head, head
                continue
        if head in forms.name_heads and before:
            yield "head", before.start(), h.end(), head, head + h.group("more")


def _kind_forms(forms: OrgForms, text: str, add) -> None:
    """Names joined to a kind noun: 'the firm X', 'a unit called X', 'firms such as A and B',
    'X, a US satellite firm'."""
    low = text.lower()
    for _ks, ke, keys in forms.called_kind.scan(low) if len(low) == len(text) else ():
        m = forms.called.match(text, ke + 1) if text[ke:ke + 1] == " " else None
        if not m:
            continue
        kind = forms.kind_of[keys[0]]
        if m.group("q"):
            if m.group("by"):  # a unit called "10.27 Brigade": quoted after "called", any name
                s, e = m.span("q")
                if not _bad_name(text[s:e]):
                    add(s, e, text[s:e], kind, "org.form.kind")
            continue
        s, e = m.span("name")
        s = _trim(forms, text, s, e)
        name = text[s:e]
        words = name.split()
        if not words or words[0] in forms.stop or name.endswith(("'s", "’s")) or _bad_name(name) \
                or _bad_name(words[0]) or _leads_with_country(name) or _title_line(text, s, e):
            continue
        if len(words) == 1 and not m.group("by") and not forms.closes.match(text, e):
            continue  # "the firm Daesong, which ..." yes; "the company Kim visited" no
        add(s, e, name, kind, "org.form.kind")
    for g in forms.such_as.finditer(text):
        kn = forms.such_kind.search(text, max(0, g.start() - 40), g.start())
        names = forms.such_list.match(text, g.end()) if kn else None
        if kn is None or names is None:
            continue
        kind = forms.kind_of[kn.group("k2").lower()]
        base = names.start("list")
        for item in _NAME_ITEM.finditer(names.group("list")):
            name = item.group(1)
            s = base + item.start(1)
            if name.split()[0] in forms.stop or name.endswith(("'s", "’s")) or _bad_name(name) \
                    or _leads_with_country(name):
                continue
            add(s, s + len(name), name, kind, "org.form.list")
    for a in forms.appositive.finditer(text):
        m = forms.appos_name.search(text, max(0, a.start() - 80), a.start())
        kn = forms.appos_kind.match(text, a.end()) if m else None
        if m is None or kn is None:
            continue
        s, e = m.span("name")
        s = _trim(forms, text, s, e)
        name = text[s:e]
        if not name or name.split()[0] in forms.stop or _bad_name(name) or _leads_with_country(name) \
                or _bad_name(name.split()[0]) or _title_line(text, s, e):
            continue
        add(s, e, name, forms.kind_of[kn.group("k3").lower()], "org.form.appositive")


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
    return alternation(words)


@cache
def person_rules() -> PersonRules:
    """persons.yaml compiled once; empty groups raise DataError."""
    d = load(_PERSON_FILE, PersonsFile)
    word = r"[A-Z][a-z'’]+(?:-[A-Za-z][a-z]+)?"
    part = rf"(?:{_alt(d.particles)})" if d.particles else "(?!)"
    name = rf"{word}(?: (?:[A-Z]\. )?(?:{part} )?{word}){{0,3}}"
    name2 = rf"{word}(?: (?:[A-Z]\. )?(?:{part} )?{word}){{1,2}}"
    verbs = _alt(d.speech_verbs)
    syl = r"[A-Z][a-z]{0,5}"
    return PersonRules(
        known=compile_table(((n, n) for n in d.known), name="persons.known"),
        korean=compile_fast(rf"(?<![\w-])(?:{_alt(d.korean_surnames)}) {syl}(?:-[A-Za-z][a-z]{{0,5}}| {syl})(?![\w-])"),
        syllable=re.compile(d.korean_syllable, re.IGNORECASE),
        titled=compile_fast(rf"(?<![\w.])(?P<title>{_alt(d.titles + d.honorifics)}) (?P<name>{name})"),
        said_after=compile_fast(rf"\b(?:{verbs}),? (?P<name>{name2})(?![\w-])"),
        said_before=compile_fast(rf"(?<![\w-])(?P<name>{name2}),? (?:{verbs})\b"),
        lone_after=re.compile(rf"\b(?:{verbs}),? (?P<name>{word})\b(?! [A-Z])"),
        lone_before=re.compile(rf"(?<![\w-])(?P<name>{word}),? (?:{verbs})\b"),
        honorifics=frozenset(d.honorifics),
        stop=frozenset(d.stop_words),
        title_words=frozenset(w.rstrip(".") for t in d.titles + d.honorifics
                              for w in t.split() if w[:1].isupper()),
        not_before=frozenset(d.not_before),
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
        for lm in rx.finditer(text):
            hit = surnames.get(lm.group("name"))
            if hit and lm.start("name") >= hit[0]:
                out.append(_person(text, lm.start("name"), lm.end("name"), "person.surname", hit[1]))
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
    d = load(_VESSEL_FILE, VesselsFile)
    w = name_words()
    the = w.alt["articles"]
    flag = rf"(?P<flag>[A-Z][\w'’.]*(?: [A-Z][\w'’.]*)?)-(?:{_alt(d.flag_words)}) "
    ship = (rf"(?:{_alt(d.determiners)}) (?:{flag})?(?:[a-z-]+ )?(?:{_alt(d.ship_words)})"
            rf"(?: (?:{_alt(d.naming_words)})(?: (?:{the}))?)?")
    quoted = r"[\"“‘'](?P<q>[A-Za-z0-9][^\"”’'\n]{1,38})[\"”’']"
    capname = rf"(?P<n>[A-Z0-9][\w.'’-]*(?: (?:[A-Z0-9][\w.'’-]*|(?:{w.alt['number_marks']}) ?\d+))*)"
    prefix = rf"(?<![\w/.])(?P<prefix>{_alt(d.prefixes)})"
    pattern = compile_fast(rf"(?:(?<!\w){ship}|{prefix}) (?:{quoted}|{capname})")
    return VesselRules(pattern, frozenset(d.stop_words), d.max_name_words)


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
