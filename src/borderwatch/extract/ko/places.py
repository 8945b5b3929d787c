"""Places named in Korean: the gazetteer's Hangul aliases with particles, suffixes and Hanja.

The English finder matches whole words, so "신의주에서" or "혜산시의" hid their places. Here a
Hangul alias (or one in Chinese characters: "丹東서") matches where no Hangul letter or Hanja
comes before it, may take Hanja in brackets and an administrative suffix ("훈춘(琿春)시",
"무산군", "남포항"), and must be followed by no Hangul letter or by a particle or place word
(data/lang/ko/places.yaml). Aliases that are also common
words ("지난" = last) count only with a suffix or Hanja. The mention is the gazetteer's place,
decided by the shared resolver (extract/places.py), so nesting and countries follow as in English.
With the analyser on (extract/ko/analyser.py), a place the gazetteer lacks is also found on its
own where Kiwi reads a proper noun with an administrative suffix ("관흥노동자구에서"), not only
nested after the place that holds it.
"""

from __future__ import annotations

import re
from functools import cache

from borderwatch.data_models.ko import KoPlacesFile
from borderwatch.datafiles import load
from borderwatch.extract.gazetteer import norm_key, slug
from borderwatch.extract.ko.analyser import Analysis, suffixed_names
from borderwatch.extract.ko.lexicon import KO, words_alt
from borderwatch.extract.places import gazetteer_mention, place_data
from borderwatch.model import Document, Mention

_FILE = KO + "places.yaml"
_HANGUL = re.compile("[가-힣]")
_HAN = re.compile("[一-鿿]")


@cache
def _place_regex() -> tuple[re.Pattern[str], frozenset[str]]:
    """The Korean place regex and the aliases that need a suffix."""
    data = load(_FILE, KoPlacesFile)
    # Hangul aliases, and Chinese-character ones (the gazetteer's, in both scripts): Korean
    # headlines write Hanja with a particle straight after ("中 丹東서"), which the shared
    # whole-word finder cannot see
    aliases = [k for k in place_data().table.lookup if _HANGUL.match(k) or _HAN.match(k)]
    suffixes = words_alt(data.suffixes)
    after = words_alt(data.after)
    names = words_alt(aliases).replace(r"\ ", r"\s")
    rx = re.compile(rf"(?<![가-힣一-鿿])(?P<name>{names})(?P<hanja>\([一-鿿]{{1,6}}\))?"
                    rf"(?P<suffix>{suffixes})?(?=[^가-힣]|$|(?:{after}))")
    return rx, frozenset(data.need_suffix)


@cache
def _nested_rules() -> tuple[re.Pattern[str], dict[str, str], dict[str, frozenset[str]], frozenset[str]]:
    """The nested-place regex (matched right after a known place and a space; a name of two
    syllables or more before the suffix, so 활동 and 이동 are no places), suffix kinds, the
    kinds of place that may hold each kind, and the names that are no places (인민군)."""
    data = load(_FILE, KoPlacesFile)
    kinds = data.nested_suffixes
    after = words_alt(data.after)
    rx = re.compile(rf"(?P<stem>[가-힣]{{2,4}}?)(?P<suf>{words_alt(list(kinds))})(?=[^가-힣]|$|{after})")
    holders = {kind: frozenset(outer) for kind, outer in data.nested_in.items()}
    return rx, dict(kinds), holders, frozenset(data.not_nested)


def _unknown(name: str, stem: str, no_place: frozenset[str]) -> bool:
    """Whether a suffixed name is a place the gazetteer lacks (not 인민군, not the gazetteer's own
    place with or without its suffix)."""
    table = place_data().table
    return name not in no_place and not any(table.get(w) or table.lookup.get(norm_key(w)) for w in (stem, name))


def _nested(text: str, outer: Mention) -> Mention | None:
    """A place the gazetteer lacks, named right after the place holding it: a county after its
    province ("양강도 삼수군"), a district or village after its city or county ("혜산시 연봉동")."""
    rx, kinds, holders, no_place = _nested_rules()
    if not text.startswith(" ", outer.end):
        return None
    m = rx.match(text, outer.end + 1)
    if m is None or not _unknown(m.group(0), m.group("stem"), no_place):
        return None  # none, 인민군, or the gazetteer's own place
    kind = kinds[m.group("suf")]
    if outer.place_kind not in holders.get(kind, ()):
        return None
    name = m.group(0)
    return Mention(kind="place", text=name, start=m.start(), end=m.end(), id="place:" + slug(name),
                   name=name, country=outer.country, place_kind=kind,
                   parent=outer.id, rule="place.ko.nested")


def _analysed(text: str, analysis: Analysis, found: list[Mention]) -> list[Mention]:
    """Places the gazetteer lacks that Kiwi reads as proper nouns with an administrative suffix,
    where no place found already covers them (no holder named: country and parent unknown)."""
    _, kinds, _, no_place = _nested_rules()
    out = []
    for m, suffix in suffixed_names(analysis, text, kinds):
        if _unknown(m.form, m.form[:-len(suffix)], no_place) and not any(
                f.start < m.end and m.start < f.end for f in found):
            out.append(Mention(kind="place", text=m.form, start=m.start, end=m.end, id="place:" + slug(m.form),
                               name=m.form, place_kind=kinds[suffix], rule="place.ko.analyser"))
    return out


def find_places_ko(doc: Document, analysis: Analysis | None = None) -> list[Mention]:
    """Places of a Korean report's Hangul aliases, and places the gazetteer lacks nested in them,
    or (with the analyser's `analysis`) on their own (overlaps with other kinds settled later)."""
    rx, need_suffix = _place_regex()
    table = place_data().table
    text = doc.text
    out: list[Mention] = []
    for m in rx.finditer(text):
        name = m.group("name")
        if name in need_suffix and not (m.group("suffix") or m.group("hanja")):
            continue
        keys = table.get(name) or table.lookup.get(norm_key(name), ())
        found = gazetteer_mention(keys, text, m.start(), m.end()) if keys else None
        if found is not None:
            out.append(found)
            inner = _nested(text, found)
            while inner is not None:  # 양강도 삼수군 관흥노동자구: each held by the one before
                out.append(inner)
                inner = _nested(text, inner)
    return out + _analysed(text, analysis, out) if analysis is not None else out


def without_common_words(mentions: list[Mention]) -> list[Mention]:
    """`mentions` less the places whose whole text is an alias that is also a common Korean word
    (found by the shared, whole-word finder: "지난 12일" is no Jinan)."""
    _, need_suffix = _place_regex()
    return [m for m in mentions if not (m.kind == "place" and m.text in need_suffix)]
