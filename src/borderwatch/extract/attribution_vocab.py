"""The compiled vocabulary of attributions (data/lang/en/attributions.yaml), built once.

Every word list and pattern the attribution finders use comes from the data file; this module
only turns them into regexes (lower-cased text unless a key says the forms are case-sensitive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from borderwatch.data_models.attributions import AttributionsFile
from borderwatch.datafiles import load
from borderwatch.extract.outlets import outlet_registry
from borderwatch.patterns import alternation_by_first_char, compile_fast, lower_regex, word_start_gate

FILE = "lang/en/attributions.yaml"
W = r"[\w’'-]+(?:\.[\w’'-]+)*"  # a word inside a name or phrase ("U.N" but no final stop)


def _low(source: str) -> re.Pattern[str]:
    """Compile for lower-cased text (see cues.lowered): much faster than re.IGNORECASE."""
    return compile_fast(lower_regex(source))


def _items(items: list[str], escape: bool = False) -> list[str]:
    """A data list as regex sources (spaces match any white space), longest first."""
    items = sorted(items, key=len, reverse=True)  # longest first: "Yonhap News Agency" before "Yonhap"
    return [(re.escape(i) if escape else i).replace(r"\ ", " ").replace(" ", r"\s+") for i in items]


def _alt(items: list[str], escape: bool = False) -> str:
    """A data list as one regex alternation."""
    return "|".join(_items(items, escape))


def _words(items: list[str]) -> frozenset[str]:
    """A data list as a set of lower-cased words."""
    return frozenset(w.lower() for w in _items(items, escape=False))


def _gated(items: list[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A whole-text finder for lower-cased text: a fast word-start gate and the full pattern."""
    srcs = [lower_regex(f"(?:{i})(?![\\w-])") for i in _items(items)]
    return word_start_gate(srcs), _low(rf"(?<![\w-])(?:{_alt(items)})(?![\w-])")


@dataclass(frozen=True, slots=True)
class Vocab:
    outlet: re.Pattern[str]
    outlet_of: OutletForms
    noun: re.Pattern[str]
    noun_gate: re.Pattern[str]
    left: re.Pattern[str]
    tail: re.Pattern[str]
    verb_after: re.Pattern[str]
    verb_before: re.Pattern[str]
    according: re.Pattern[str]
    told: re.Pattern[str]
    report_after: re.Pattern[str]
    state_reach: re.Pattern[str]
    outlet_modifier: re.Pattern[str]
    credit: re.Pattern[str]
    official: re.Pattern[str]
    official_gate: re.Pattern[str]
    official_after: re.Pattern[str]
    official_org_kinds: frozenset[str]
    official_generic: frozenset[str]
    body_name: re.Pattern[str]
    outlet_name: re.Pattern[str]
    doc_head: re.Pattern[str]
    doc_gate: re.Pattern[str]
    doc_left: re.Pattern[str]
    doc_by: re.Pattern[str]
    doc_after: re.Pattern[str]
    doc_by_outlet: re.Pattern[str]
    outlet_report_heads: frozenset[str]
    vague_doc_heads: frozenset[str]
    vague_doc_words: frozenset[str]
    name: re.Pattern[str]
    surname: re.Pattern[str]
    person_after: re.Pattern[str]
    person_title_before: re.Pattern[str]
    name_reveal: re.Pattern[str]
    continuation: re.Pattern[str]
    definite: frozenset[str]
    counting: frozenset[str]
    new_words: frozenset[str]
    function_words: frozenset[str]
    list_opener: re.Pattern[str]
    name_stop: frozenset[str]
    body_heads: frozenset[str]
    qualified_nouns: frozenset[str]
    bare_plural: frozenset[str]
    bare_plurals_speak: bool
    commentators: frozenset[str]
    passive: re.Pattern[str]
    doc_tail: re.Pattern[str]
    doc_tail_before: re.Pattern[str]
    doc_name_left: re.Pattern[str]
    next_cap: re.Pattern[str]
    prep_before: re.Pattern[str]
    told_any: re.Pattern[str]
    told_outlet: re.Pattern[str]
    told_gate: re.Pattern[str]  # what every told_outlet match holds: a cheap test for the text
    clause_start: re.Pattern[str]
    subject_stop: frozenset[str]
    source_line: re.Pattern[str]
    tail_trim: re.Pattern[str]
    counted_speaker: re.Pattern[str]
    doc_before: re.Pattern[str]
    own_work_heads: frozenset[str]
    speaker_label: re.Pattern[str]
    said_surname: re.Pattern[str]
    outlet_name_stop: frozenset[str]
    speaker_label_stop: frozenset[str]
    counted_stop: frozenset[str]
    state_media_phrase: re.Pattern[str]
    state_media_gate: re.Pattern[str]
    reported_clause: re.Pattern[str]
    articles: frozenset[str]  # definite and indefinite: dropped from a holder's label
    indefinite: tuple[str, ...]
    body_joiner: re.Pattern[str]  # between two named bodies of one verb ("Kyodo and Hokkai Shimbun")
    progressive: tuple[str, ...]  # an -ing verb is never passive
    based: tuple[str, ...]  # "-based" and the like: a modifier, no name
    demonym_endings: tuple[str, ...]
    told_stems: tuple[str, ...]  # a verb starting with one names the outlet after it ("told X")
    same_words: frozenset[str]  # "the same source": dropped from the holder
    any_holder_nouns: frozenset[str]  # "the source" refers back to a source of any noun


class OutletForms(dict):
    """Text form -> (canonical name, kind). The patterns match a form across any white space
    ("Daily\nNK" at a line break) and some in any case, so a matched form missing as written is
    looked up with its spaces normalised, then case-folded, instead of raising KeyError."""

    def __init__(self, pairs: dict[str, tuple[str, str]]) -> None:
        super().__init__(pairs)
        self._folded = {" ".join(k.split()).casefold(): v for k, v in pairs.items()}

    def __missing__(self, key: str) -> tuple[str, str]:
        spaced = " ".join(key.split())
        if spaced != key and dict.__contains__(self, spaced):
            return dict.__getitem__(self, spaced)
        return self._folded[spaced.casefold()]


def _outlets() -> OutletForms:
    """Text form -> (canonical name, kind), from the one outlet registry (data/outlets.yaml)."""
    return OutletForms({form: (o.name, o.kind) for o in outlet_registry() for form in o.aliases})


def _by_first_char(names: list[str]) -> str:
    """Literal names as one alternation grouped by first character (longest first in a group):
    the engine rejects a position with one comparison per group instead of one per name."""
    return alternation_by_first_char(names, any_space=True)


@cache
def vocab() -> Vocab:
    """Compile attributions.yaml once (its model has checked every list and pattern)."""
    d = load(FILE, AttributionsFile)
    outlet_of = _outlets()
    outlets = _alt(list(outlet_of), escape=True)
    low_outlets = _alt(sorted({lower_regex(re.escape(a)) for a in outlet_of}, key=len, reverse=True))
    the, indef = _alt(d.articles), _alt(d.indefinite_articles)
    rp = _alt(d.relative_pronouns)
    told_whom = rf"(?=\s+(?:(?:{the})\s+)?(?:{low_outlets}|{_alt(d.told_whom)})(?![\w-]))"
    verbs = rf"{_alt(d.speech_verbs)}|(?:{_alt(d.speech_verbs_to_outlet)}){told_whom}"
    aux = _alt(d.auxiliaries)
    stop, tstop = _alt(d.modifier_stop), _alt(d.tail_stop)
    dets = _alt(d.determiners)
    aux_run = (rf"(?:\s+(?:{aux}|(?:{_alt(d.time_before_verb)})\s+\w+"
               rf"|(?:{_alt(d.date_before_verb)})\s+\w+(?:\s+\d{{1,2}})?))*")
    according = _alt(d.according_to)
    joiners = _alt(d.holder_joiners)
    before = (rf"(?:(?:[,”\"’]|\.\.\.)\s*(?:{verbs})|\b(?:{according})(?:\s+(?:{the}))?"
              rf"|\b(?:{_alt(d.according_to)})\s+[^.;:“”\"\n]{{1,100}}?\s+(?P<conj>{joiners}))\s*$")
    reach = d.state_media_reach
    noun_gate, noun = _gated(d.source_nouns)
    official_gate, official = _gated(d.official_subjects)
    doc_gate, doc_head = _gated(d.document_heads)
    state_gate, state_phrase = _gated(d.state_media_phrases)
    coord = rf"(?P<coord>\s+(?:{joiners})\s+(?:(?:{dets})\s+)?(?:{W}\s+){{0,2}}?{W})?"
    preps = _alt(d.tail_prepositions)
    rel = rf"(?:\s+(?:{rp})|\s*,\s*(?:{rp})\s[^,.;“”\"]{{1,100}},|\s*,\s*(?:{rp})(?=\s))?"
    aside = (rf"(?:\s*,\s*(?P<aside>{_alt(d.asides)}),|\s*[—–]\s*[^—–.;“”\"]{{1,120}}[—–]"
             rf"|{d.relative_clause or '(?!)'})?")
    paren = r"(?:\s*\([^()\n]{1,30}\))?"
    heads = "|".join(_items(d.body_heads))
    told_all = _alt(_items(d.told_verbs) + _items(d.told_more_verbs))
    caps = rf"(?:[A-Z][\w’'.-]*[ \t]+(?:(?:{_alt(d.name_connectors)})[ \t]+)*)"
    return Vocab(
        noun_gate=noun_gate,
        official_gate=official_gate,
        doc_gate=doc_gate,
        outlet=compile_fast(rf"(?<![\w-])(?:{_by_first_char(list(outlet_of))})(?![\w-])"),
        outlet_of=outlet_of,
        noun=noun,
        left=re.compile(
            rf"(?<![\w’'-])(?:(?P<det>(?i:{dets}))[ \t]+"
            rf"(?P<mods>(?:(?!(?i:{stop}|{according}|{verbs})\b)(?:[A-Z](?:\.[A-Z])+\.|{W})[ \t]+){{0,4}})"
            rf"|(?P<cap>(?:(?:[A-Z](?:\.[A-Z])+\.|[A-Z]{W}|[\w-]+-(?:{_alt(d.based_suffixes)})|"
            rf"(?:{_alt(d.lower_modifiers)})(?=\s))[ \t]+){{1,4}}))\Z"),
        tail=_low(
            rf"(?:\s+(?:{preps})(?:\s+(?!(?:{tstop}|{preps}|{verbs})\b){W}){{1,6}}){{1,3}}"),
        tail_trim=_low(rf"(?:\s+(?:{_alt(d.tail_prepositions)}|{the}|{indef}|{rp}))+$"),
        verb_after=_low(rf"{coord}{aside}{aux_run}\s+(?P<verb>{verbs})(?![\w-])"),
        verb_before=compile_fast(lower_regex(before)),
        according=_low(rf"\b(?:{according})\s+(?:{d.outlet_descriptors})?$"),
        told=re.compile(rf"\s+(?:(?:{the})\s+)?(?P<o>{outlets})(?![\w-])"),
        report_after=_low(
            rf"{paren}(?:[’']s(?:\s+[\w-]+){{0,2}}\s+(?:{_alt(d.outlet_work_nouns)}))?{aux_run}"
            rf"\s+(?:{_alt(d.report_verbs)})(?![\w-])"),
        state_reach=_low(
            rf"[^.!?\n]{{0,{reach}}}?(?<![\w-])(?:{_alt(d.report_verbs)})(?![\w-])"),
        outlet_modifier=_low(rf"\s+(?:{_alt(d.outlet_modifier_nouns)})(?![\w-])"),
        credit=_low(rf"(?:{_alt(d.credit_before)})$"),
        official=official,
        official_after=_low(
            rf"{paren}(?:\s+(?:{_alt(d.official_place_preps)})\s+(?!(?:{tstop})\b){W}(?:\s+(?!(?:{tstop})\b){W})?)?"
            rf"{aside}{aux_run}\s+(?P<verb>{_alt(d.official_verbs)})(?![\w-])"),
        official_org_kinds=_words(d.official_org_kinds),
        official_generic=_words(d.official_generic_heads),
        body_name=compile_fast(rf"(?<![\w’'-])(?:The[ \t]+)?{caps}{{1,6}}(?:{heads})(?![\w-])"),
        outlet_name=re.compile(
            rf"(?<![\w’'-])(?:[A-Z][\w’'.-]*[ \t]+){{1,3}}(?:{'|'.join(_items(d.outlet_heads))})(?![\w-])"),
        doc_head=doc_head,
        doc_left=_low(
            rf"(?<![\w’'-])(?:(?:{dets}|{_alt(d.possessives)})[ \t]+)?"
            rf"(?P<mods>(?:(?!(?:{_alt(d.document_modifier_stop)})\b){W}[ \t]+){{0,5}})\Z"),
        doc_by=re.compile(rf"\s+(?i:{_alt([d.document_by])})\s+(?:(?:{the})\s+)?"
                          rf"(?:{outlets}|[A-Z0-9][\w.-]*(?:\s+[A-Z0-9][\w.-]*){{0,3}})"),
        doc_by_outlet=re.compile(
            rf"\s+(?:{_alt(d.document_outlet_preps)})\s+(?:(?:{the}|{indef}|[\w.’'-]+)\s+){{0,4}}?"
            rf"(?P<o>{outlets})(?![\w-])"),
        outlet_report_heads=_words(d.outlet_report_heads),
        vague_doc_heads=_words(d.vague_document_heads),
        vague_doc_words=_words(d.vague_document_words),
        doc_after=_low(rf"{rel}{aux_run}\s+(?:{_alt(d.document_verbs)})(?![\w-])"),
        name=re.compile(r"(?<![\w’'-])[A-Z][a-z]+(?:-[a-z]+)?(?:[ \t][A-Z][a-z]+(?:-[a-z]+)?){1,2}(?![\w-])"),
        surname=re.compile(r"(?<![\w’'.-])[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?(?![\w’'-])"),
        person_after=_low(
            rf"(?:\s*,\s*[^,.;“”\"]{{1,120}},|\s*,)?{aux_run}\s+(?P<verb>{verbs})(?![\w-])"),
        person_title_before=_low(
            rf"\b(?:{according}|{verbs})\s+(?:(?:{the}|{indef}|[\w.’'-]+)\s+){{0,3}}"
            rf"(?:{_alt(d.person_titles)})\s+$"),
        name_reveal=re.compile(d.name_reveal),
        continuation=_low(rf"(?<![\w-])(?:{_alt(d.continuations)})(?![\w-])"),
        definite=_words(d.definite),
        counting=_words(d.counting_determiners),
        new_words=_words(d.new_holder_words),
        function_words=_words(d.function_words),
        list_opener=re.compile(rf"\b(?:{_alt(d.list_openers)})\b"),
        name_stop=frozenset(d.name_stopwords),
        body_heads=frozenset(_items(d.body_heads)) | frozenset(_items(d.outlet_heads)),
        qualified_nouns=_words(d.qualified_nouns),
        bare_plural=_words(d.bare_plural_nouns),
        bare_plurals_speak=d.bare_plurals_speak,
        commentators=_words(d.commentator_nouns),
        passive=_low(rf"(?<![\w-])(?:{_alt(d.passive_before)})\s+$"),
        doc_tail=_low(
            rf"\s+(?:{_alt(d.document_tail)})(?:\s+{W}){{1,12}}?"
            rf"(?={rel}{aux_run}\s+(?:{_alt(d.document_verbs)})(?![\w-]))"),
        counted_speaker=_low(
            rf"(?<![\w-])(?P<np>(?:{_alt(d.counting_determiners)})\s+(?:[a-z][\w-]*\s+){{0,2}}?[a-z][\w-]*s)"
            rf"{aux_run}\s+(?:{_alt(d.counted_speaker_verbs)})(?![\w-])(?!\s+(?:{_alt(d.counted_verb_not_before)})\s)"),
        doc_before=_low(rf"(?:{_alt(d.document_before)})\s+$"),
        own_work_heads=_words(d.own_work_heads),
        speaker_label=re.compile(d.speaker_label, re.M),
        said_surname=re.compile(rf"[,”\"]\s*(?:{_alt(d.surname_speech_verbs)})\s+"
                                r"(?P<n>[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)(?=\s*[,.])"),
        outlet_name_stop=frozenset(_items(d.outlet_name_stop)),
        speaker_label_stop=_words(d.speaker_label_stop),
        counted_stop=_words(d.counted_noun_stop),
        state_media_gate=state_gate,
        state_media_phrase=state_phrase,
        reported_clause=_low(rf"(?<![\w-])(?:{verbs})\s+(?:(?:{_alt(d.clause_openers)})\s+)?$"),
        doc_tail_before=_low(
            rf"\s+(?:{_alt(d.document_tail)})(?:\s+{W}){{1,8}}?(?=\s*[,.;:)]|\s*$)"),
        doc_name_left=re.compile(
            rf"(?<![\w’'-])(?:(?i:{dets})[ \t]+)?{caps}{{1,8}}\Z"),
        next_cap=re.compile(r"[ \t]+[A-Z]"),
        told_any=re.compile(rf"\b(?:{_alt(d.told_verbs)})\s+(?P<o>{outlets})(?![\w-])"),
        told_outlet=re.compile(
            rf"(?:\s+(?:{_alt(d.told_auxiliaries)}))*\s+(?:{told_all})\s+(?:(?:{the})\s+)?"
            rf"(?:{outlets})(?![\w-])"),
        told_gate=compile_fast(rf"\b(?:{told_all})\s+(?:(?:{the})\s+)?(?:{outlets})(?![\w-])"),
        clause_start=re.compile(rf"(?:^|[.!?]\s+(?=[A-Z“\"])|[:;,”\"\n]\s*|\b(?:{_alt(d.clause_openers)})\s+)"
                                r"(?=[^\s])", re.M),
        subject_stop=_words(d.subject_stop),
        prep_before=_low(rf"(?<![\w-])(?:{_alt(d.tail_prepositions)})\s+$"),
        source_line=re.compile(rf"^[ \t]*(?:{d.source_line})[ \t]*[:：=][ \t]*(?P<o>{outlets})(?![\w-])",
                               re.M),
        articles=_words(d.articles) | _words(d.indefinite_articles),
        indefinite=tuple(_items(d.indefinite_articles)),
        body_joiner=re.compile(rf"\s+(?:{_alt(d.body_joiners, escape=True)})\s+"),
        progressive=tuple(_items(d.progressive_endings)),
        based=tuple(f"-{b}" for b in _items(d.based_suffixes)),
        demonym_endings=tuple(_items(d.demonym_endings)),
        told_stems=tuple(_words(d.told_stems)),
        same_words=_words(d.same_holder_words),
        any_holder_nouns=_words(d.any_holder_nouns),
    )
