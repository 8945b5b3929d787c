"""Commodities: aliases, plurals, HS chapter and sanctions flags, ambiguous words, data checks."""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.datafiles import DataError
from borderwatch.extract.commodities import build_commodities, commodity_data, find_commodities
from borderwatch.model import Mention, Report


def goods(text: str) -> list[Mention]:
    """Commodity mentions of an invented text, offsets checked."""
    doc = make_document(Report(source="t", body=text, format="text"))
    out = find_commodities(doc)
    for m in out:
        assert doc.text[m.start:m.end] == m.text
        assert m.hs is None or m.hs[:2].isdigit()
        assert m.un_sanctions is not None
    return out


@pytest.mark.parametrize("text,surface,cid,hs,export_ban,import_ban,cap", [
    ("They asked for fertilizer.", "fertilizer", "commodity:fertilizer", "31", False, False, False),
    ("They asked for fertilizers.", "fertilizers", "commodity:fertilizer", "31", False, False, False),
    ("They asked for agricultural supplies.", "agricultural supplies", "commodity:agricultural-supplies", None, False, None, False),
    ("They asked for farming supplies.", "farming supplies", "commodity:agricultural-supplies", None, False, None, False),
    ("They asked for steel products.", "steel products", "commodity:steel", "72;73", None, True, False),
    ("They asked for car parts.", "car parts", "commodity:car-parts", "87", False, True, False),
    ("They asked for powdered milk.", "powdered milk", "commodity:powdered-milk", "04", False, False, False),
    ("They asked for soybean oil.", "soybean oil", "commodity:soybean-oil", "15", False, False, False),
    ("They asked for seasonings.", "seasonings", "commodity:seasonings", "29;21", False, False, False),
    ("They asked for seasoning.", "seasoning", "commodity:seasonings", "29;21", False, False, False),
    ("Coal exports stopped.", "Coal", "commodity:coal", "27", True, False, False),
    ("They smuggled coal.", "coal", "commodity:coal", "27", True, False, False),
    ("Seafood is banned.", "Seafood", "commodity:seafood", "03", True, False, False),
    ("Diesel deliveries rose.", "Diesel", "commodity:diesel", "27", False, False, True),
    ("Refined petroleum is capped.", "Refined petroleum", "commodity:refined-petroleum", "27", False, False, True),
    ("Textiles were shipped out.", "Textiles", "commodity:textiles", "50-63", True, False, False),
    ("They sold methamphetamine.", "methamphetamine", "commodity:methamphetamine", "29", False, False, False),
    ("They sold MSG by the bag.", "MSG", "commodity:seasonings", "29;21", False, False, False),
    ("They sold Koryo ginseng.", "Koryo ginseng", "commodity:ginseng", "12", True, False, False),
    ("Imports of iron rose.", "iron", "commodity:iron", "72", True, True, False),
    ("Fuel imports soared.", "Fuel", "commodity:refined-petroleum", "27", False, False, True),
    ("Meat prices doubled.", "Meat", "commodity:meat", "02", False, False, False),
    ("Chinese-made trucks were imported.", "trucks", "commodity:vehicles", "87", False, True, False),
    ("Aluminium sheets were smuggled in.", "Aluminium", "commodity:aluminum", "76", False, True, False),
    ("A cargo of propellant was stopped.", "propellant", "commodity:propellant", "36", True, True, False),
    ("Salmon exports stopped.", "Salmon", "commodity:salmon", "03", True, False, False),
    ("Oil imports were capped.", "Oil", "commodity:oil", "27", False, False, True),
    ("Fabric imports rose.", "Fabric", "commodity:fabrics", "50-60", True, False, False),
    ("Wheat prices fell.", "Wheat", "commodity:wheat", "10", False, False, False),
    ("They sold an excavator.", "excavator", "commodity:excavators", "84", True, True, False),
    ("They sold two excavators.", "excavators", "commodity:excavators", "84", True, True, False),
    ("Firewood prices rose.", "Firewood", "commodity:firewood", "44", True, False, False),
])
def test_commodities_forms_and_flags(text, surface, cid, hs, export_ban, import_ban, cap) -> None:
    hits = goods(text)
    assert [m.text for m in hits] == [surface]
    m = hits[0]
    assert (m.id, m.hs) == (cid, hs)
    assert m.un_sanctions is not None
    assert (m.un_sanctions.export_ban, m.un_sanctions.import_ban, m.un_sanctions.import_cap) == \
        (export_ban, import_ban, cap)


@pytest.mark.parametrize("text", [
    "The ice on the river melted.",  # 'ice' is not taken as meth
    "They bought new equipment.",  # too general
    "The state rules with an iron fist, and imports fell.",
    "Rain will fuel the fire.",
    "Trucks crossed the bridge at dawn.",  # transport, not goods
    "Vehicles used for smuggling were seized.",
    "Many ships departed from Dalian.",
    "This could lead to arrests.",
    "Nuclear weapons were paraded.",
    "He walked the Silk Road.",
    "Condoleezza Rice visited.",
    "The cloth merchant left.",
    "Stone walls line the road.",
])
def test_commodities_ambiguous_words_dropped(text: str) -> None:
    assert goods(text) == []


def test_commodities_longest_alias_wins() -> None:
    assert [m.id for m in goods("Soybean oil and soybeans were sold.")] == \
        ["commodity:soybean-oil", "commodity:soybeans"]


ROW = {"id": "commodity:a", "name": "a", "aliases": "apples", "weak_aliases": "", "hs": "08",
       "export_ban": "true", "import_ban": "false", "import_cap": "false", "resolution": "2397"}
CUES = {"cues": ["import"], "window": 30, "heads": ["exports"], "flow_heads": ["exports"],
        "before": ["exports of"], "flow_before": ["exports of"]}


@pytest.mark.parametrize("rows,cues", [
    ([ROW, dict(ROW, id="commodity:b")], CUES),  # alias 'apples' twice
    ([dict(ROW, export_ban="maybe")], CUES),
    ([dict(ROW, hs="fruit")], CUES),
    ([dict(ROW, aliases="", weak_aliases="")], CUES),
    ([ROW, ROW], CUES),  # duplicate id
    ([ROW], {"cues": []}),  # empty cue group
    ([ROW], dict(CUES, heads=[])),  # empty head list
    ([ROW], dict(CUES, conveyance={"ids": ["commodity:nope"]})),  # unknown conveyance id
    ([dict(ROW, aliases="", context_aliases="apples"), dict(ROW, id="commodity:b", aliases="apples")], CUES),
])
def test_commodities_bad_data_raises(rows, cues) -> None:
    with pytest.raises(DataError):
        build_commodities(rows, cues)


def test_commodities_package_data_loads() -> None:
    data = commodity_data()
    assert data.commodities["commodity:coal"].sanctions.resolution == "2270,2321,2371"
    assert len(data.commodities) >= 150


def test_commodities_minimal_data_builds() -> None:
    data = build_commodities([ROW], CUES)
    assert data.table.get("apples") == ("strong|commodity:a",)
    assert data.table.get("apple") == ()
