"""Every data file with a model (data_models.YAML_MODELS, CSV_MODELS) loads; a bad entry in one
raises DataError naming the file, the entry and the field.

Bad entries are made from the shipped file with one change each (a field dropped, a wrong type,
a code no vocabulary has, a key given twice), so each case fails for that change alone.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from borderwatch.data_models.registry import CSV_MODELS, JSON_MODELS, YAML_MODELS
from borderwatch.datafiles import DataError, data_files, read_csv, read_text, read_yaml, validated, validated_rows

DATA = resources.files("borderwatch") / "data"


def _yaml_cases() -> list[tuple[str, Any]]:
    out = []
    for rel, model in YAML_MODELS.items():
        names = [rel + n for n in data_files(rel) if n.endswith(".yaml")] if rel.endswith("/") else [rel]
        out += [(name, model) for name in names]
    return out


def _model_of(rel: str) -> Any:
    return YAML_MODELS.get(rel) or YAML_MODELS[rel.rsplit("/", 1)[0] + "/"]


@pytest.mark.parametrize("rel, model", _yaml_cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_data_models_every_yaml_file_loads(rel: str, model: Any) -> None:
    record = validated(read_yaml(rel), model, rel)
    assert record.model_dump()  # a record with content, not an empty shell


@pytest.mark.parametrize("rel", sorted(CSV_MODELS))
def test_data_models_every_csv_file_loads(rel: str) -> None:
    model, key = CSV_MODELS[rel]
    rows = validated_rows(read_csv(rel), model, rel, key)
    assert len(rows) == len(read_csv(rel)) and all(getattr(r, key) for r in rows)


def test_data_models_every_folder_of_trigger_files_is_not_empty() -> None:
    for rel in (r for r in YAML_MODELS if r.endswith("/")):
        assert [n for n in data_files(rel) if n.endswith(".yaml")], rel


# ---------------------------------------------------------------- a bad entry per YAML model

def _drop(path: str) -> Callable[[Any], None]:
    """Delete the field at a dotted path (list items by index)."""
    def mutate(raw: Any) -> None:
        *head, last = path.split(".")
        node = raw
        for step in head:
            node = node[int(step)] if isinstance(node, list) else node[step]
        del node[int(last) if isinstance(node, list) else last]
    return mutate


def _set(path: str, value: Any) -> Callable[[Any], None]:
    """Set the field at a dotted path (list items by index)."""
    def mutate(raw: Any) -> None:
        *head, last = path.split(".")
        node = raw
        for step in head:
            node = node[int(step)] if isinstance(node, list) else node[step]
        node[int(last) if isinstance(node, list) else last] = value
    return mutate


def _twice(path: str) -> Callable[[Any], None]:
    """Append a copy of the first item of the list at `path` (a key given twice)."""
    def mutate(raw: Any) -> None:
        node = raw
        for step in path.split("."):
            node = node[int(step)] if isinstance(node, list) else node[step]
        node.append(copy.deepcopy(node[0]))
    return mutate


YAML_BAD: list[tuple[str, Callable[[Any], None], str]] = [
    # places cues
    ("lang/en/places.yaml", _drop("dateline"), r"dateline: Field required"),
    ("lang/en/places.yaml", _set("rank.city", "high"), r"rank\.city: Input should be a valid integer"),
    ("lang/en/places.yaml", _set("kind_cues.hamlet", {"after": ["hamlet"]}), r"kind_cues\.hamlet\.\[key\]: unknown place kind 'hamlet'"),
    ("lang/en/places.yaml", _set("compound_words.crossing", "gate"), r"compound_words\.crossing: unknown place kind 'gate'"),
    ("lang/en/places.yaml", _set("nest_gaps", []), r"nest_gaps: List should have at least 1 item"),
    # place suffixes
    ("lang/en/place_suffixes.yaml", _drop("hyphen.0.kind"), r"hyphen\.0\.kind: Field required"),
    ("lang/en/place_suffixes.yaml", _set("hyphen.0.kind", "hamlet"), r"hyphen\.0\.kind: unknown place kind 'hamlet'"),
    ("lang/en/place_suffixes.yaml", _set("stop_words.0", False), r"stop_words\.0: Input should be a valid string"),
    ("lang/en/place_suffixes.yaml", _set("plurals.Hamlets", "Hamlet"), r"plurals: plural 'Hamlets' of unknown suffix 'Hamlet'"),
    # commodity cues
    ("lang/en/commodities.yaml", _drop("cues"), r"cues: Field required"),
    ("lang/en/commodities.yaml", _set("window", "wide"), r"window: Input should be a valid integer"),
    ("lang/en/commodities.yaml", _set("heads.0", "  "), r"heads\.0: must not be blank"),
    # numbers, qualifiers, units
    ("lang/en/numbers.yaml", _drop("units"), r"units: Field required"),
    ("lang/en/numbers.yaml", _set("units.one", "1"), r"units\.one: Input should be a valid number"),
    ("lang/en/numbers.yaml", _set("fractions.half", 2), r"fractions\.half: 2\.0 is no fraction"),
    ("lang/en/qualifiers.yaml", _set("before", {}), r"before: Dictionary should have at least 1 item"),
    ("lang/en/units.yaml", _drop("measures.0.forms"), r"measures\[\w+\]\.forms: Field required"),
    ("lang/en/units.yaml", _set("measures.0.phrase", "yes"), r"measures\[\w+\]\.phrase: Input should be a valid boolean"),
    ("lang/en/units.yaml", _set("frequency_gap", -1), r"frequency_gap: Input should be greater than or equal to 0"),
    # dates
    ("lang/en/dates.yaml", _drop("season_leads"), r"season_leads: Field required"),
    ("lang/en/dates.yaml", _set("months.May", 13), r"months\.May: Input should be less than or equal to 12"),
    ("lang/en/dates.yaml", _set("future_cues.0", True), r"future_cues\.0: Input should be a valid string"),
    ("lang/en/dates.yaml", _set("relative.today", {"unit": "day"}),
     r"relative\.today: needs a unit and an offset, or anaphoric: true"),
    ("lang/en/dates.yaml", _set("relative.today.unit", "fortnight"), r"relative\.today\.unit: Input should be 'day'"),
    ("lang/en/dates.yaml", _set("future_window_days", "31"), r"future_window_days: Input should be a valid integer"),
    # attributions
    ("lang/en/attributions.yaml", _drop("speech_verbs"), r"speech_verbs: Field required"),
    ("lang/en/attributions.yaml", _set("told_verbs.0", False), r"told_verbs\.0: Input should be a valid string"),
    ("lang/en/attributions.yaml", _set("asides.0", "(unclosed"), r"asides\.0: bad pattern"),
    ("lang/en/attributions.yaml", _set("name_reveal", "(?P<name>"), r"name_reveal: bad pattern"),
    ("lang/en/attributions.yaml", _set("state_media_reach", 0), r"state_media_reach: Input should be greater than 0"),
    # name words
    ("lang/en/name_words.yaml", _drop("articles"), r"articles: Field required"),
    ("lang/en/name_words.yaml", _set("name_links.2", True), r"name_links\.2: Input should be a valid string"),
    # vessels
    ("lang/en/vessels.yaml", _drop("ship_words"), r"ship_words: Field required"),
    ("lang/en/vessels.yaml", _set("max_name_words", "four"), r"max_name_words: Input should be a valid integer"),
    # persons
    ("lang/en/persons.yaml", _drop("known"), r"known: Field required"),
    ("lang/en/persons.yaml", _set("korean_syllable", "(unclosed"), r"korean_syllable: bad pattern"),
    ("lang/en/persons.yaml", _set("stop_words.0", False), r"stop_words\.0: Input should be a valid string"),
    # organisation forms
    ("lang/en/organizations.yaml", _set("kind_nouns.firm", "club"), r"kind_nouns\.firm: unknown organisation kind 'club'"),
    ("lang/en/organizations.yaml", _drop("name_heads"), r"name_heads: Field required"),
    ("lang/en/organizations.yaml", _set("local_bodies.0", "(unclosed"), r"local_bodies\.0: bad pattern"),
    # demonyms
    ("lang/en/demonyms.yaml", _set("Chinese", "China"), r"Chinese: String should match pattern"),
    ("lang/en/demonyms.yaml", _set("Chinese", ["CN"]), r"Chinese: Input should be a valid string"),
    # currencies
    ("currencies.yaml", _set("currencies.Yuan", {"suffixes": ["yuan"]}), r"currencies\.Yuan\.\[key\]: String should match pattern"),
    ("currencies.yaml", _set("currencies.CNY", {}), r"currencies\.CNY: needs prefixes or suffixes"),
    ("currencies.yaml", _set("ambiguous.won.candidates", ["KPW"]), r"ambiguous\.won\.candidates: List should have at least 2 items"),
    ("currencies.yaml", _drop("rate_max_gap"), r"rate_max_gap: Field required"),
    ("currencies.yaml", _set("implicit_max_ratio", 1), r"implicit_max_ratio: must be a number above 1"),
    # outlets
    ("outlets.yaml", _drop("outlets.0.name"), r"outlets\[org:[\w-]+\]\.name: Field required"),
    ("outlets.yaml", _set("outlets.0.kind", "blog"), r"outlets\[org:[\w-]+\]\.kind: Input should be 'media' or 'state_media'"),
    ("outlets.yaml", _twice("outlets"), r"outlets: duplicate outlet id 'org:[\w-]+'"),
    ("outlets.yaml", _set("url_dates.0", "(unclosed"), r"url_dates\.0: bad pattern"),
    # negations, hedges
    ("lang/en/negations.yaml", _set("max_gap", "far"), r"max_gap: Input should be a valid integer"),
    ("lang/en/negations.yaml", _set("before.0", "(unclosed"), r"before\.0: bad pattern"),
    ("lang/en/hedges.yaml", _drop("clause"), r"clause: Field required"),
    # topics
    ("lang/en/topics.yaml", _set("events.weather", {"border": 1.0}), r"events\.weather\.\[key\]: unknown event type 'weather'"),
    ("lang/en/topics.yaml", _set("events.trade", {"gossip": 1.0}), r"events\.trade\.gossip\.\[key\]: unknown topic 'gossip'"),
    ("lang/ko/topics.yaml", _set("keywords.0.weight", "heavy"), r"keywords\.0\.weight: Input should be a valid number"),
    # Korean files
    ("lang/ko/places.yaml", _set("nested_suffixes.리", "hamlet"), r"nested_suffixes\.리: unknown place kind 'hamlet'"),
    ("lang/ko/places.yaml", _drop("after"), r"after: Field required"),
    ("lang/ko/cues.yaml", _set("max_gap", 0), r"max_gap: Input should be greater than 0"),
    ("lang/ko/cues.yaml", _set("negation", "(unclosed"), r"negation: bad pattern"),
    ("lang/ko/numbers.yaml", _set("range_marks.0", "~~"), r"range_marks\.0: String should have at most 1 character"),
    ("lang/ko/numbers.yaml", _set("small.십", "10"), r"small\.십: Input should be a valid integer"),
    ("lang/ko/dates.yaml", _set("years.올해", "0"), r"years\.올해: Input should be a valid integer"),
    ("lang/ko/dates.yaml", _set("past", []), r"past: List should have at least 1 item"),
    ("lang/ko/countries.yaml", _set("short", {}), r"short: Dictionary should have at least 1 item"),
    ("lang/ko/organizations.yaml", _drop("organizations.0.aliases"), r"organizations\[org:[\w-]+\]\.aliases: Field required"),
    ("lang/ko/organizations.yaml", _set("organizations.0.kind", "club"),
     r"organizations\[org:[\w-]+\]\.kind: unknown organisation kind 'club'"),
    ("lang/ko/commodities.yaml", _set("commodities.commodity:coal", []), r"commodities\.commodity:coal: List should have at least 1 item"),
    ("lang/ko/money.yaml", _set("default_won", "USD"), r"default_won: Input should be 'KPW' or 'KRW'"),
    ("lang/ko/money.yaml", _set("kpw_cues.0", "(unclosed"), r"kpw_cues\.0: bad pattern"),
    ("lang/ko/units.yaml", _drop("counters"), r"counters: Field required"),
    ("lang/ko/units.yaml", _set("not_after.대", "남성"), r"not_after\.대: Input should be a valid list"),
    ("lang/ko/qualifiers.yaml", _set("before.약", 1), r"before\.약: Input should be a valid string"),
    ("lang/ko/particles.yaml", _set("dative", []), r"dative: List should have at least 1 item"),
    ("lang/ko/analyser.yaml", _set("place_tags", ["nnp"]), r"place_tags\.0: String should match pattern"),
    ("lang/ko/analyser.yaml", _set("place_after", []), r"place_after: List should have at least 1 item"),
    ("lang/ko/analyser.yaml", _set("negation.0", ["않"]), r"negation\.0\.1: Field required"),
    ("lang/ko/analyser.yaml", _set("max_predicate", 0), r"max_predicate: Input should be greater than 0"),
    ("lang/ko/attributions.yaml", _drop("speakers"), r"speakers: Field required"),
    ("lang/ko/attributions.yaml", _set("speech", "(unclosed"), r"speech: bad pattern"),
    # boilerplate, happenings, page layout, vocabularies
    ("boilerplate.yaml", _set("line", []), r"line: List should have at least 1 item"),
    ("boilerplate.yaml", _set("tail.0", "(unclosed"), r"tail\.0: bad pattern"),
    ("lang/en/happenings.yaml", _set("window", -1), r"window: Input should be greater than or equal to 0"),
    ("lang/en/happenings.yaml", _set("distinct_types", ["weather"]), r"distinct_types\.0: unknown event type 'weather'"),
    ("lang/en/page_layout.yaml", _drop("bylines"), r"bylines: Field required"),
    ("lang/en/page_layout.yaml", _set("tags_min_items", "three"), r"tags_min_items: Input should be a valid integer"),
    ("vocabularies.yaml", _set("event_types.trade.colour", "green"), r"event_types\.trade\.colour: String should match pattern"),
    ("vocabularies.yaml", _set("mention_id_prefixes.zz", "zebra"),
     r"\(whole file\): mention_id_prefixes name kinds that mention_kinds does not list: \[.zebra.\]"),
    # pages: brief, resolutions
    ("brief.yaml", _set("goods_demand", ["trade_demand", "trade"]), r"goods_demand: List should have at most 1 item"),
    ("brief.yaml", _set("presets.0", 0), r"presets\.0: Input should be greater than 0"),
    ("brief.yaml", _drop("ban_words.cap"), r"ban_words\.cap: Field required"),
    ("resolutions.yaml", _drop("2270.words"), r"2270\.words: Field required"),
    ("resolutions.yaml", _set("UNSC 1", {"adopted": "2006", "words": "x"}), r"UNSC 1\.\[key\]: String should match pattern"),
    # page labels
    ("labels.yaml", _set("languages", {}), r"languages: Dictionary should have at least 1 item"),
    ("labels.yaml", _set("languages.en", 1), r"languages\.en: Input should be a valid string"),
    # claims
    ("lang/en/claims.yaml", _set("outlet_side", "nobody"), r"outlet_side: Input should be 'authorities' or 'sources'"),
    ("lang/en/claims.yaml", _set("sides.sources", ["official"]), r"sides: 'official' is on both sides"),
    ("lang/en/claims.yaml", _set("subjects.epidemic.event_types", ["weather"]), r"subjects\.epidemic\.event_types\.0: unknown event type"),
    ("lang/en/claims.yaml", _set("subjects.epidemic.stances.third", {"cues": ["x"]}),
     r"subjects\.epidemic\.stances: Dictionary should have at most 2 items"),
    # trigger files
    ("lang/en/events/trade.yaml", _set("type", "weather"), r"type: unknown event type 'weather'"),
    ("lang/en/events/trade.yaml", _drop("triggers.0.patterns"), r"triggers\[\w+\]\.patterns: Field required"),
    ("lang/en/events/trade.yaml", _twice("triggers"), r"triggers: duplicate trigger id '\w+'"),
    ("lang/en/events/trade.yaml", _set("triggers.0.context_kinds", ["weather"]), r"triggers\[\w+\]\.context_kinds\.0: Input should be"),
    ("lang/en/events/trade.yaml", _set("triggers.0.negation_is_claim", "yes"),
     r"triggers\[\w+\]\.negation_is_claim: Input should be a valid boolean"),
    ("lang/ko/events/trade.yaml", _set("triggers.0.id", "Bad Id"), r"triggers\[Bad Id\]\.id: String should match pattern"),
    ("lang/ko/events/trade.yaml", _twice("triggers"), r"triggers: duplicate trigger id '\w+'"),
    ("lang/ko/events/trade.yaml", _set("unknown", 1), r"unknown: Extra inputs are not permitted"),
]


@pytest.mark.parametrize("rel, mutate, message", YAML_BAD, ids=[f"{r}:{m}" for r, _, m in YAML_BAD])
def test_data_models_bad_yaml_entry_names_file_entry_and_field(rel: str, mutate: Callable[[Any], None],
                                                                message: str) -> None:
    raw = copy.deepcopy(read_yaml(rel))
    validated(raw, _model_of(rel), rel)  # the shipped file is fine: the change alone breaks it
    mutate(raw)
    with pytest.raises(DataError, match=rf"^{re.escape(rel)}: {message}"):
        validated(raw, _model_of(rel), rel)


def test_data_models_every_yaml_model_has_a_bad_entry_case() -> None:
    covered = {_model_of(rel) for rel, _, _ in YAML_BAD}
    assert set(YAML_MODELS.values()) <= covered


# ---------------------------------------------------------------- a bad row per CSV model

CSV_BAD: list[tuple[str, int, dict[str, str | None], str]] = [
    ("places.csv", 0, {"kind": "hamlet"}, r"kind: unknown place kind 'hamlet'"),
    ("places.csv", 0, {"name": ""}, r"name: must not be blank"),
    ("places.csv", 0, {"country": "Korea"}, r"country: bad country 'Korea'"),
    ("places.csv", 0, {"lat": "north"}, r"lat: Input should be a valid number"),
    ("places.csv", 0, {"id": "hyesan"}, r"id: String should match pattern"),
    ("commodities.csv", 0, {"export_ban": "maybe"}, r"export_ban: must be true, false or empty"),
    ("commodities.csv", 0, {"hs": "fruit"}, r"hs: bad HS chapter 'fruit'"),
    ("commodities.csv", 0, {"aliases": "", "weak_aliases": "", "context_aliases": ""}, r"no aliases"),
    ("commodities.csv", 0, {"name": None}, r"name: Input should be a valid string"),
    ("countries.csv", 0, {"code": "Korea"}, r"code: String should match pattern"),
    ("countries.csv", 0, {"code": "CN"}, r"code: the id must be country:CN"),
    ("organizations.csv", 0, {"org_kind": "club"}, r"org_kind: unknown organisation kind 'club'"),
    ("organizations.csv", 0, {"country": "Korea"}, r"country: bad country 'Korea'"),
    ("kpw_rates.csv", 0, {"source_url": ""}, r"source_url: must not be blank"),
    ("kpw_rates.csv", 0, {"kpw_per_usd": "-5"}, r"kpw_per_usd: Input should be greater than 0"),
    ("kpw_rates.csv", 0, {"confidence": "sure"}, r"confidence: Input should be 'v', 'approx_date' or 'weak'"),
]


@pytest.mark.parametrize("rel, index, change, message", CSV_BAD, ids=[f"{r}:{m}" for r, _, _, m in CSV_BAD])
def test_data_models_bad_csv_row_names_file_row_and_field(rel: str, index: int, change: dict[str, str | None],
                                                          message: str) -> None:
    model, key = CSV_MODELS[rel]
    rows = [dict(r) for r in read_csv(rel)]
    rows[index].update(change)
    name = rows[index][key]
    entry = rf"row {index + 1} \({key}={re.escape(repr(name))}\)" if name else rf"row {index + 1}"
    with pytest.raises(DataError, match=rf"^{re.escape(rel)}: {entry}: (?:\S+: )?{message}"):
        validated_rows(rows, model, rel, key)


@pytest.mark.parametrize("rel", sorted(CSV_MODELS))
def test_data_models_csv_key_given_twice_is_an_error(rel: str) -> None:
    model, key = CSV_MODELS[rel]
    rows = [dict(r) for r in read_csv(rel)]
    rows.append(dict(rows[0]))
    with pytest.raises(DataError, match=rf"^{re.escape(rel)}: row {len(rows)} .*: {key}: duplicate of row 1"):
        validated_rows(rows, model, rel, key)


def test_data_models_every_csv_model_has_a_bad_row_case() -> None:
    assert {rel for rel, *_ in CSV_BAD} == set(CSV_MODELS)


# ---------------------------------------------------------------- the map's GeoJSON

JSON_BAD: list[tuple[str, Callable[[Any], None], str]] = [
    ("geo/region.geojson", _set("features.0.geometry.coordinates.0.0.0", [200.0, 40.0]),
     r"features\.0\.geometry\.MultiPolygon\.coordinates\.0\.0\.0\.0: Input should be less than or equal to 180"),
    ("geo/region.geojson", _set("features.0.properties.kind", "ocean"),
     r"features\.0: .*kind must be one of \['border', 'country', 'province', 'river'\], not 'ocean'"),
    ("geo/region.geojson", _set("view", [133.0, 36.0, 118.0, 45.0]), r"view: .*must be \[west, south, east, north\]"),
    ("geo/labels.geojson", _drop("features.0.properties.name"), r"features\.0\.properties\.name: Field required"),
    ("geo/labels.geojson", _set("features.0.geometry", {"type": "LineString", "coordinates": [[120.0, 40.0]]}),
     r"features\.0: .*a country must be a Point"),
]


@pytest.mark.parametrize("rel", sorted(JSON_MODELS))
def test_data_models_every_json_file_loads(rel: str) -> None:
    assert validated(json.loads(read_text(rel)), JSON_MODELS[rel], rel).model_dump()


@pytest.mark.parametrize("rel, mutate, message", JSON_BAD, ids=[f"{r}:{m}" for r, _, m in JSON_BAD])
def test_data_models_bad_json_feature_names_file_entry_and_field(rel: str, mutate: Callable[[Any], None],
                                                                 message: str) -> None:
    raw = json.loads(read_text(rel))
    mutate(raw)
    with pytest.raises(DataError, match=rf"^{re.escape(rel)}: {message}"):
        validated(raw, JSON_MODELS[rel], rel)


# Data files read without a model (none left): a new data file must get a model in
# data_models/registry.py or be listed here, on purpose.
NOT_YET_MODELLED: frozenset[str] = frozenset()


def _data_files() -> set[str]:
    out, stack = set(), [("", DATA)]
    while stack:
        rel, node = stack.pop()
        for child in node.iterdir():
            path = f"{rel}{child.name}"
            if child.is_dir():
                stack.append((path + "/", child))
            elif child.name.endswith((".yaml", ".csv", ".geojson")):
                out.add(path)
    return out


def test_data_models_every_data_file_has_a_model_or_is_listed_as_not_yet() -> None:
    modelled = {rel for rel in _data_files()
                if rel in YAML_MODELS or rel in CSV_MODELS or rel in JSON_MODELS
                or rel.rsplit("/", 1)[0] + "/" in YAML_MODELS}
    unmodelled = _data_files() - modelled - {"geo/border.geojson"}  # a build input of tools/map_assets.py
    assert unmodelled == NOT_YET_MODELLED
