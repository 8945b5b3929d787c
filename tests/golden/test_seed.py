"""The seed report through `borderwatch extract`: every analyst fact present, no false ones."""

import json

import pytest

from ..conftest import SEED_EXPECTED, run_bw
from .facts_match import SCORERS


@pytest.fixture(scope="module")
def seed_sheet():
    from ..conftest import SEED
    if not SEED.exists():
        pytest.skip("shared seed report not present")
    p = run_bw("extract", str(SEED), "--format", "json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.fixture(scope="module")
def expected():
    return json.loads(SEED_EXPECTED.read_text())


@pytest.mark.parametrize("category", list(SCORERS))
def test_seed_holds_every_expected_fact(seed_sheet, expected, category):
    score = SCORERS[category](seed_sheet, expected)
    assert score.fn == [], f"{category}: missing {score.fn}"


@pytest.mark.parametrize("category", ["places", "money", "quantities", "commodities"])
def test_seed_has_no_false_fact(seed_sheet, expected, category):
    score = SCORERS[category](seed_sheet, expected)
    assert score.fp == [], f"{category}: not in the analyst's list {score.fp}"


def test_seed_offsets_point_at_their_text(seed_sheet):
    text = seed_sheet["document"]["text"]
    for key in ("mentions", "amounts", "dates", "attributions"):
        for item in seed_sheet[key]:
            assert text[item["start"]:item["end"]] == item["text"], (key, item)
    for ev in seed_sheet["events"]:
        assert text[ev["start"]:ev["end"]] == ev["trigger"]
        assert ev["sentence"] in text
        assert ev["mentions"][0]["start"] == ev["start"]
        for m in ev["mentions"]:
            assert text[m["start"]:m["end"]] == m["trigger"], (ev["type"], m)


def test_seed_document_metadata(seed_sheet):
    d = seed_sheet["document"]
    assert seed_sheet["schema"] == "borderwatch.factsheet/1"
    assert d["outlet"] == "Daily NK" and d["published"] is None
    assert "remittance" in d["tags"] and d["captions"][0].endswith("(Wikimedia Commons)")
    assert "Read in Korean" not in d["text"]


def test_seed_with_publication_date_resolves_dates_and_usd():
    from ..conftest import SEED
    if not SEED.exists():
        pytest.skip("shared seed report not present")
    p = run_bw("extract", str(SEED), "--published", "2022-07-19")
    sheet = json.loads(p.stdout)
    july11 = [d for d in sheet["dates"] if d["text"] == "July 11"]
    assert july11 and july11[0]["value"] == "2022-07-11"
    rmb = next(a for a in sheet["amounts"] if a["text"].startswith("RMB 300,000"))
    assert rmb["usd"] == pytest.approx(44500, rel=0.02)
    assert rmb["usd_rate_date"] is not None
