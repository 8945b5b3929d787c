"""The words the finders' patterns are built from are data (issue 10): every list moved out of
the code is loaded (a copy of the data without it fails to load), and a word added to a copy of
the data is matched with no code change. Texts are invented."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import borderwatch.extract.attribution_vocab as attribution_vocab
import borderwatch.extract.entities as entities
import borderwatch.extract.ko.amounts as ko_amounts
import borderwatch.extract.ko.dates as ko_dates
import borderwatch.extract.ko.lexicon as ko_lexicon
import borderwatch.extract.ko.sources as ko_sources
import borderwatch.extract.places as places
import borderwatch.values.dates as date_parser
import borderwatch.values.money as money
import borderwatch.values.numbers as numbers
import borderwatch.values.quantities as quantities
from borderwatch import datafiles
from borderwatch.datafiles import DataError, read_yaml
from borderwatch.extract.attributions import find_attributions
from borderwatch.extract.entities import find_vessels
from borderwatch.extract.ko.dates import find_dates_ko
from borderwatch.extract.ko.sources import find_attributions_ko
from borderwatch.values.dates import find_date_spans
from tests.extract import factsbuild as fb

# slow tier: every test recompiles the finders' data from a changed copy (about 0.2 s each)
pytestmark = pytest.mark.slow

# (module whose read_yaml loads the file, data file, list key, the cached loader that compiles it)
MOVED: list[tuple[Any, str, str, Callable[[], Any]]] = [
    *[(date_parser, "lang/en/dates.yaml", k, date_parser._vocab) for k in date_parser._FUNCTION_WORDS],
    *[(numbers, "lang/en/numbers.yaml", k, numbers.vocab) for k in (
        "ordinal_suffixes", "range_openers", "range_closers", "scale_one", "added_fractions")],
    *[(money, "currencies.yaml", k, money.data) for k in money._FUNCTION_WORDS],
    *[(quantities, "lang/en/units.yaml", k, quantities.units) for k in (
        "alternative_words", "percent_words", "qualifiers_before_unit", "of_words")],
    *[(quantities, "lang/en/units.yaml", k, quantities._elsewhere) for k in (
        "of_words", "number_of_words", "time_leads", "timed_links", "predicate_verbs", "list_joiners",
        "fraction_determiners")],
    *[(entities, "lang/en/name_words.yaml", k, entities.name_words) for k in entities._NAME_WORD_LISTS],
    (entities, "lang/en/vessels.yaml", "flag_words", entities.vessel_rules),
    *[(attribution_vocab, "lang/en/attributions.yaml", k, attribution_vocab.vocab) for k in (
        "articles", "indefinite_articles", "possessives", "relative_pronouns", "clause_openers",
        "holder_joiners", "body_joiners", "time_before_verb", "date_before_verb", "outlet_work_nouns",
        "official_place_preps", "document_outlet_preps", "told_verbs", "told_more_verbs",
        "told_auxiliaries", "progressive_endings", "based_suffixes", "demonym_endings", "told_stems",
        "same_holder_words", "any_holder_nouns", "counted_verb_not_before")],
    *[(places, "lang/en/places.yaml", k, places.place_data) for k in ("list_separators", "list_joiners", "articles")],
    (places, "lang/en/places.yaml", "list_joiners", places.suffix_rules),
    (ko_lexicon, "lang/ko/particles.yaml", "genitive", ko_sources.source_rules),
    (ko_lexicon, "lang/ko/particles.yaml", "dative", ko_sources.source_rules),
    (ko_lexicon, "lang/ko/particles.yaml", "genitive", ko_amounts.amount_rules),
    (ko_lexicon, "lang/ko/attributions.yaml", "org_report_nouns", ko_sources.source_rules),
    *[(ko_lexicon, "lang/ko/dates.yaml", k, ko_dates.date_rules) for k in (
        "part_followers", "year_marks", "month_marks", "day_marks")],
]
LOADERS = {id(loader): loader for *_, loader in MOVED}


def _clear() -> None:
    datafiles.load.cache_clear()  # validated files are cached by path and model
    for loader in LOADERS.values():
        loader.cache_clear()  # type: ignore[attr-defined]
    date_parser.date_spans.cache_clear()
    numbers.find_numbers.cache_clear()


@pytest.fixture(autouse=True)
def fresh_loaders() -> Iterator[None]:
    """Each test compiles from its own data, and leaves the real data compiled after it."""
    _clear()
    yield
    _clear()


def _patch(monkeypatch: pytest.MonkeyPatch, module: Any, file: str, change: Callable[[dict], None]) -> None:
    """Make `module` read a changed copy of `file` (every other file as shipped)."""
    changed = copy.deepcopy(read_yaml(file))
    change(changed)
    real = read_yaml
    rel = file.removeprefix("lang/ko/") if module is ko_lexicon else file
    fake = lambda path: changed if path in (file, rel) else real(path)
    if hasattr(module, "read_yaml"):  # a loader reading the raw file
        monkeypatch.setattr(module, "read_yaml", fake)
    monkeypatch.setattr(datafiles, "read_yaml", fake)  # a loader validating it (datafiles.load)
    _clear()


def _add(key: str, *words: str) -> Callable[[dict], None]:
    return lambda d: d.__setitem__(key, [*d[key], *words])


@pytest.mark.parametrize(("module", "file", "key", "loader"), MOVED,
                         ids=[f"{f.split('/')[-1]}:{k}:{ld.__name__}" for _, f, k, ld in MOVED])
def test_every_moved_list_is_in_the_data_and_its_loader_needs_it(monkeypatch, module, file, key, loader):
    words = read_yaml(file)[key]  # a list of words, or words mapped to what they mean
    assert isinstance(words, (list, dict)) and words and all(isinstance(w, str) and w.strip() for w in words)
    loader()  # the shipped data compiles
    _patch(monkeypatch, module, file, lambda d: d.pop(key))
    with pytest.raises(DataError):
        loader()


def _seasons(text: str) -> list[str]:
    return [d.text for d in find_date_spans(text) if d.kind == "season"]


def test_a_season_lead_added_to_the_data_is_matched(monkeypatch):
    text = "Smuggling slowed amid the winter, traders said."
    assert _seasons(text) == []
    _patch(monkeypatch, date_parser, "lang/en/dates.yaml", _add("season_leads", "amid"))
    assert _seasons(text) == ["the winter"]


def test_a_range_word_added_to_the_data_joins_a_month_range(monkeypatch):
    text = "Exports fell from March thru May 2021."
    rules = lambda: {d.rule for d in find_date_spans(text)}
    assert "date.month_range_year" not in rules()
    _patch(monkeypatch, date_parser, "lang/en/dates.yaml", _add("range_words", "thru"))
    assert "date.month_range_year" in rules()


def _vessels(text: str) -> list[str]:
    return [m.name for m in find_vessels(fb.doc(text))]


def test_a_flag_word_added_to_the_data_finds_the_vessel(monkeypatch):
    text = "Customs boarded the Panama-registered tanker Rich Glory off Nampo."
    assert _vessels(text) == []
    _patch(monkeypatch, entities, "lang/en/vessels.yaml", _add("flag_words", "registered"))
    assert _vessels(text) == ["Rich Glory"]


def _holders(text: str) -> list[str]:
    return [a.text for a in find_attributions(fb.doc(text), [])]


def test_a_time_word_added_to_the_data_lets_a_source_speak_across_it(monkeypatch):
    text = "A trader in Dandong yesterday afternoon said rice prices rose."
    before = _holders(text)
    _patch(monkeypatch, attribution_vocab, "lang/en/attributions.yaml", _add("time_before_verb", "yesterday"))
    after = _holders(text)
    assert after != before and "A trader in Dandong" in after


def _ko_dates(text: str) -> list[str]:
    return [d.text for d in find_dates_ko(fb.ko_doc(text, published="2022-07-19"))]


def test_a_korean_particle_added_to_the_data_ends_a_date_part(monkeypatch):
    text = "올해 초께 국경이 다시 열렸다."
    assert _ko_dates(text) == ["올해"]
    _patch(monkeypatch, ko_lexicon, "lang/ko/dates.yaml", _add("part_followers", "께"))
    assert _ko_dates(text) == ["올해 초"]


def test_a_korean_dative_added_to_the_data_names_the_outlet_told(monkeypatch):
    text = "양강도 소식통은 자유아시아방송한테 쌀값이 올랐다고 전했다."
    d = fb.ko_doc(text, outlet=None)
    from borderwatch.extract.pipeline import extract

    mentions = list(extract(d).mentions)
    outlets = lambda: [a.outlet for a in find_attributions_ko(d, mentions)]
    assert outlets() and outlets()[0] is None
    _patch(monkeypatch, ko_lexicon, "lang/ko/particles.yaml", _add("dative", "한테"))
    assert outlets()[0] == "Radio Free Asia"


def test_an_added_fraction_in_the_data_is_read_in_a_number(monkeypatch):
    assert numbers.parse_number("two and a quarter") is None
    _patch(monkeypatch, numbers, "lang/en/numbers.yaml",
           lambda d: d["added_fractions"].__setitem__("and a quarter", 0.25))
    parsed = numbers.parse_number("two and a quarter")
    assert parsed is not None and parsed.value == 2.25


def test_a_list_joiner_added_to_the_data_joins_places_before_a_shared_suffix(monkeypatch):
    from borderwatch.extract.places import find_places

    text = "Smugglers moved between Oksan plus Tonghwa counties at night."
    names = lambda: {m.name for m in find_places(fb.doc(text))}
    assert "Oksan County" not in names()
    _patch(monkeypatch, places, "lang/en/places.yaml", _add("list_joiners", "plus"))
    assert {"Oksan County", "Tonghwa County"} <= names()


def test_a_restatement_word_added_to_the_data_links_a_conversion(monkeypatch):
    text = "Rice cost 300,000 won, namely $40, at the market."
    linked = lambda: money.link_conversions(text, money.find_money(text))
    assert not any(i is not None for i in linked())
    _patch(monkeypatch, money, "currencies.yaml", _add("restatement_words", "namely"))
    assert linked()[1] == 0


def test_a_percent_word_added_to_the_data_makes_a_percentage(monkeypatch):
    text = "Fees rose 30 pct at the bridge."
    assert quantities.find_percents(text) == []
    _patch(monkeypatch, quantities, "lang/en/units.yaml", lambda d: d["percent_words"].__setitem__("pct", "percent"))
    assert [(p.text, p.unit) for p in quantities.find_percents(text)] == [("30 pct", "percent")]
