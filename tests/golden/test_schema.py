"""The fact-sheet contract as a JSON Schema in the repository (docs/factsheet.schema.json, issue
10): every golden sheet and every sheet extraction makes of the samples conforms, the schema's
closed lists are the vocabularies', and a sheet that breaks the contract is refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from borderwatch.values.usd import currency_codes
from borderwatch.vocabularies import vocabularies

from .samples import sample_sheets

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "factsheet.schema.json").read_text(encoding="utf-8"))
GOLDEN = sorted((Path(__file__).parent / "sheets").glob("*.json"))
validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_every_golden_sheet_conforms(path):
    sheet = json.loads(path.read_text(encoding="utf-8"))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(sheet)]
    assert errors == []


def test_every_sheet_extracted_from_the_samples_conforms():
    sheets = sample_sheets()
    assert len(sheets) >= 10
    for sid, sheet in sheets.items():
        assert list(validator.iter_errors(sheet)) == [], sid


def test_the_schemas_closed_lists_are_the_vocabularies():
    v, defs, props = vocabularies(), SCHEMA["$defs"], SCHEMA["properties"]
    assert defs["event"]["properties"]["type"]["enum"] == list(v.event_types)
    assert props["topics"]["items"]["enum"] == list(v.topics)
    assert props["attributions"]["items"]["properties"]["kind"]["enum"] == list(v.source_kinds)
    assert set(defs["mention"]["properties"]["kind"]["enum"]) == set(v.mention_kinds)
    assert set(defs["mention"]["properties"]["place_kind"]["enum"]) == set(v.place_kinds)
    assert set(defs["mention"]["properties"]["org_kind"]["enum"]) == set(v.org_kinds)
    assert set(defs["amount"]["properties"]["kind"]["enum"]) == set(v.amount_kinds)
    assert set(defs["amount"]["properties"]["currency"]["enum"]) == set(currency_codes())


@pytest.mark.parametrize("breakage", ["event_type", "topic", "offset", "published", "no_events",
                                      "currency", "usd_negative", "place_kind"])
def test_a_sheet_that_breaks_the_contract_is_refused(breakage):
    sheet = json.loads(GOLDEN[0].read_text(encoding="utf-8"))
    bad = copy.deepcopy(sheet)
    money = next(a for a in bad["amounts"] if a["kind"] == "money")
    if breakage == "event_type":
        bad["events"][0]["type"] = "weather"
    elif breakage == "topic":
        bad["topics"].append("sports")
    elif breakage == "offset":
        bad["mentions"][0]["start"] = -1
    elif breakage == "published":
        bad["document"]["published"] = "19 July 2022"
    elif breakage == "no_events":
        del bad["events"]
    elif breakage == "currency":
        money["currency"] = "yuan"
    elif breakage == "usd_negative":
        money["usd"] = -3.0
    elif breakage == "place_kind":
        next(m for m in bad["mentions"] if m["kind"] == "place")["place_kind"] = "town"
    assert list(validator.iter_errors(sheet)) == []
    assert list(validator.iter_errors(bad)) != []
