"""The optional Korean morphological analyser (Kiwi, the `ko` extra), and what finders read from it.

Off by default: the data-driven particle and ending handling of extract/ko/ scores as well on the
dev set, at a third of the time and 500 MB less memory (README, "Korean reports"). An analyst who
wants it sets BORDERWATCH_KO_ANALYSER=kiwi (or `--ko-analyser kiwi` on ingest, extract and
reextract, which set that variable, so worker processes inherit it). The choice is read once per
process, and extractor_version() digests it with Kiwi's version: reports extracted with the
analyser are another extraction, so switching marks stored ones stale.

With it on, Kiwi's morphemes decide two things the regexes guess at: where a name the gazetteer
lacks ends inside its word ("관흥노동자구에서": a proper noun with an administrative suffix, then a
locative particle; "김영동이", a person, is no place), and whether a trigger's own predicate is negated ("단속을 하지 못했다", but not
"적발된 사례로 미루어 보아", where the trigger only modifies a noun). Which tags mean what is data:
data/lang/ko/analyser.yaml. Kiwi itself is created once per process, when a Korean report first
needs it (loading its model takes about 1.5 s and 300 MB).
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from types import ModuleType
from typing import Any

from borderwatch.data_models.ko import KoAnalyserFile
from borderwatch.datafiles import load
from borderwatch.extract.ko.lexicon import KO

ENV = "BORDERWATCH_KO_ANALYSER"
CHOICES = ("none", "kiwi")
KIWI_PACKAGES = ("kiwipiepy", "kiwipiepy_model")
MISSING = "the Korean analyser 'kiwi' needs the ko extra (kiwipiepy): pip install 'borderwatch[ko]', or choose none"


class AnalyserUnavailable(RuntimeError):
    """The analyser asked for cannot be used (not installed, or an unknown name): raised when the
    choice is first read, so a command fails at its start with this one-line message."""


def _import_kiwi() -> ModuleType:
    """kiwipiepy, or AnalyserUnavailable naming the extra that installs it."""
    try:
        import kiwipiepy
    except ImportError as exc:
        raise AnalyserUnavailable(MISSING) from exc
    return kiwipiepy


@cache
def analyser_choice() -> str:
    """The analyser this process uses ("none" or "kiwi"), from BORDERWATCH_KO_ANALYSER, read once.
    Asking for kiwi where it is not installed fails here, not at the first Korean report."""
    value = os.environ.get(ENV, "").strip().lower() or "none"
    if value not in CHOICES:
        raise AnalyserUnavailable(f"{ENV}={value!r}: the Korean analyser is one of {', '.join(CHOICES)}")
    if value == "kiwi":
        _import_kiwi()
    return value


def choose(value: str | None) -> str:
    """Set the analyser for this process and the workers it starts (the `--ko-analyser` option),
    then check it: the choice, or AnalyserUnavailable. None keeps the environment's choice."""
    if value is not None:
        os.environ[ENV] = value
        analyser_choice.cache_clear()
    return analyser_choice()


def analyser_tag() -> str | None:
    """What extractor_version() adds for the analyser: None when off, else its name and the
    versions of Kiwi and its model (another model tags otherwise, so it is another extraction)."""
    if analyser_choice() == "none":
        return None
    return "kiwi " + " ".join(f"{p}=={metadata.version(p)}" for p in KIWI_PACKAGES)


@cache
def _kiwi() -> Any:
    """The one Kiwi of this process, made when first needed."""
    return _import_kiwi().Kiwi()


@dataclass(frozen=True, slots=True)
class Morpheme:
    """One of Kiwi's morphemes: its form (a stem may differ from the text: 됐 is 되+었), its tag
    and the characters of the text it covers."""

    form: str
    tag: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text's morphemes in order, and where each ends (to find the one after a trigger)."""

    morphemes: tuple[Morpheme, ...]
    ends: tuple[int, ...]


def analyse(text: str) -> Analysis | None:
    """The morphemes of `text`, or None when the analyser is off. A verb's tag loses Kiwi's mark
    of regular or irregular conjugation (VV-R, VA-I): the finders ask what a morpheme is, not how
    it conjugates."""
    if analyser_choice() == "none":
        return None
    morphemes = tuple(Morpheme(t.form, t.tag.partition("-")[0], t.start, t.start + t.len)
                      for t in _kiwi().tokenize(text))
    return Analysis(morphemes, tuple(m.end for m in morphemes))


@dataclass(frozen=True, slots=True)
class AnalyserTags:
    """analyser.yaml as sets."""

    place_tags: frozenset[str]
    place_min_stem: int
    place_after: frozenset[str]
    negation: frozenset[tuple[str, str]]
    predicate_tags: frozenset[str]
    predicate_endings: frozenset[str]
    argument_particles: frozenset[str]
    argument_nouns: frozenset[str]
    noun_verbs: frozenset[str]
    max_predicate: int


@cache
def analyser_tags() -> AnalyserTags:
    """analyser.yaml, validated and compiled once."""
    d = load(KO + "analyser.yaml", KoAnalyserFile)
    return AnalyserTags(frozenset(d.place_tags), d.place_min_stem, frozenset(d.place_after),
                        frozenset(d.negation), frozenset(d.predicate_tags),
                        frozenset(d.predicate_endings), frozenset(d.argument_particles),
                        frozenset(d.argument_nouns), frozenset(d.noun_verbs), d.max_predicate)


def suffixed_names(analysis: Analysis, text: str, suffixes: Iterable[str]) -> list[tuple[Morpheme, str]]:
    """Proper nouns ending in one of `suffixes` (the longest that fits), with a stem long enough,
    followed by a locative particle or a word that follows places (analyser.yaml `place_after`):
    each with its suffix. The morpheme must be the text's own characters (a form Kiwi restored is
    no name)."""
    tags = analyser_tags()
    ordered = sorted(set(suffixes), key=len, reverse=True)
    morphemes = analysis.morphemes
    out: list[tuple[Morpheme, str]] = []
    for i, m in enumerate(morphemes[:-1]):
        if m.tag not in tags.place_tags or morphemes[i + 1].form not in tags.place_after or text[m.start:m.end] != m.form:
            continue
        suffix = next((s for s in ordered if m.form.endswith(s)), None)
        if suffix is not None and len(m.form) - len(suffix) >= tags.place_min_stem:
            out.append((m, suffix))
    return out


def predicate_negated(analysis: Analysis, end: int, limit: int) -> bool:
    """Whether the predicate of the trigger ending at `end` is negated: a negation morpheme on
    the way from the trigger through its predicate (and at most one argument particle), before
    `limit` (its sentence's end). See analyser.yaml for the walk."""
    tags = analyser_tags()
    morphemes = analysis.morphemes
    i = bisect_right(analysis.ends, end)  # the first morpheme past the trigger
    nouns_ok, particle_seen = True, False
    for j in range(i, min(len(morphemes), i + tags.max_predicate)):
        m = morphemes[j]
        if m.start >= limit:
            return False
        if (m.form, m.tag) in tags.negation:
            return True
        if m.tag in tags.predicate_tags or (m.tag == "EC" and m.form in tags.predicate_endings):
            nouns_ok = False  # past the nouns: a verb, its endings, auxiliaries and adverbs
            continue
        if m.tag in tags.argument_nouns and (
                nouns_ok or (j + 1 < len(morphemes) and morphemes[j + 1].tag in tags.noun_verbs)):
            continue  # a noun of the trigger's phrase, or one made a verb (강화/NNG 하/XSV)
        if m.tag == "ETM" and not particle_seen:
            nouns_ok = True  # the trigger modifies the noun after it ("적발된 사례가 없다")
            continue
        if m.tag in tags.argument_particles and not particle_seen:
            particle_seen, nouns_ok = True, False
            continue
        return False
    return False
