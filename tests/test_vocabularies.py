"""One data file holds the contract's vocabularies (issue 10): the model's constants, the pages'
labels and the charts' colours follow it, and a bad entry fails at load naming itself."""

from __future__ import annotations

import copy

import pytest
import yaml

from borderwatch import model
from borderwatch.datafiles import DataError, read_text
from borderwatch.serve.charts import event_style
from borderwatch.serve.render import label
from borderwatch.vocabularies import FILE, parse, vocabularies


def raw() -> dict:
    return yaml.safe_load(read_text(FILE))


def test_the_model_derives_every_vocabulary_from_the_file():
    v = raw()
    assert model.EVENT_TYPES == tuple(v["event_types"])
    assert model.TOPICS == tuple(v["topics"])
    assert model.ATTRIBUTION_KINDS == frozenset(v["source_kinds"])
    assert model.PLACE_KINDS == frozenset(v["place_kinds"])
    assert model.ORG_KINDS == frozenset(v["org_kinds"])
    assert model.MENTION_KINDS == frozenset(v["mention_kinds"])
    assert model.AMOUNT_KINDS == frozenset(v["amount_kinds"])


def test_every_event_type_has_its_trigger_file_a_colour_and_a_label():
    styles = event_style()
    assert list(styles) == list(model.EVENT_TYPES)
    assert len({s.colour for s in styles.values()}) == len(styles)
    for etype, entry in raw()["event_types"].items():
        assert f"type: {etype}" in read_text(f"lang/en/events/{etype}.yaml")
        assert styles[etype].colour == entry["colour"].upper()
        assert label("type", etype) == entry["label"]


def test_pages_label_codes_from_the_vocabularies_and_their_own_choices():
    assert label("source_kinds", "anonymous") == raw()["source_kinds"]["anonymous"]
    assert label("place_kinds", "crossing") == raw()["place_kinds"]["crossing"]
    assert label("source_kinds", "none") == "The outlet's own voice"  # labels.yaml
    assert label("languages", "ko") == "Korean"
    assert label("topics", "no_such_code") == "no such code"


def _bad(kind: str) -> dict:
    v = copy.deepcopy(raw())
    if kind == "colour_name":
        v["event_types"]["health"]["colour"] = "red"
    elif kind == "colour_short":
        v["event_types"]["health"]["colour"] = "#12345"
    elif kind == "empty_label":
        v["topics"]["trade"] = "  "
    elif kind == "bad_code":
        v["place_kinds"]["Border Crossing"] = "crossing"
    elif kind == "unknown_section":
        v["weather_kinds"] = {"rain": "Rain"}
    elif kind == "missing_section":
        del v["org_kinds"]
    elif kind == "empty_section":
        v["topics"] = {}
    elif kind == "extra_key":
        v["event_types"]["trade"]["icon"] = "ship"
    elif kind == "not_mapping":
        v["event_types"] = ["health"]
    elif kind == "prefix_of_no_kind":
        v["mention_id_prefixes"]["org"] = "organisation"
    return v


@pytest.mark.parametrize("kind", ["colour_name", "colour_short", "empty_label", "bad_code",
                                  "unknown_section", "missing_section", "empty_section",
                                  "extra_key", "not_mapping", "prefix_of_no_kind"])
def test_a_bad_vocabularies_file_fails_at_load_naming_the_entry(kind):
    with pytest.raises(DataError, match=rf"^{FILE}: "):
        parse(_bad(kind))


def test_the_shipped_file_is_valid():
    assert parse(raw()) == vocabularies()


@pytest.mark.parametrize("make", [
    lambda: model.Mention("town", "X", 0, 1, "place:x", "X"),
    lambda: model.Mention("place", "X", 0, 1, "place:x", "X", place_kind="hamlet"),
    lambda: model.Mention("organization", "X", 0, 1, "org:x", "X", org_kind="club"),
    lambda: model.Mention("place", "X", 5, 1, "place:x", "X"),
    lambda: model.Amount("weight", "5 t", 0, 3, 5, 5),
    lambda: model.DateMention("May", 0, 3, "May 2024", "month"),
    lambda: model.DateMention("May", 0, 3, "2024-05", "fortnight"),
    lambda: model.Attribution("a friend", 0, 8, "friend"),
    lambda: model.Event("weather", 0, 4, "Rain fell.", 0, "rain"),
    lambda: model.Event("trade", 0, 4, "Trade grew.", 0, "trade", date="last May"),
])
def test_a_record_outside_the_vocabularies_is_refused_where_it_is_made(make):
    with pytest.raises(ValueError, match="not"):
        make()


def test_records_inside_the_vocabularies_are_made():
    assert model.Mention("place", "Hyesan", 0, 6, "place:hyesan", "Hyesan", place_kind="city").kind == "place"
    assert model.Event("trade", 0, 5, "Trade grew.", 0, "Trade", date="2024-05").date == "2024-05"
    assert model.DateMention("May", 0, 3, None, None).value is None
