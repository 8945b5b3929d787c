"""Golden fact sheets: every sample report's whole fact sheet, as reviewed, must not drift.

`pytest tests/golden --update-golden` rewrites the sheets; the diff then shows every change the
extractor made, for review before committing.
"""

import json

import pytest

from .samples import SHEETS, sample_sheets

IDS = sorted(sample_sheets())


def _path(sid: str):
    return SHEETS / f"{sid.replace('#', '__')}.json"


@pytest.mark.parametrize("sid", IDS)
def test_golden_sheet_matches(sid, request):
    sheet = sample_sheets()[sid]
    path = _path(sid)
    if request.config.getoption("--update-golden"):
        SHEETS.mkdir(exist_ok=True)
        path.write_text(json.dumps(sheet, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        return
    assert path.exists(), f"no golden sheet for {sid}: run pytest --update-golden and review it"
    golden = json.loads(path.read_text())
    for key in ("document", "mentions", "amounts", "dates", "attributions", "events", "topics"):
        assert sheet[key] == golden[key], f"{sid}: {key} differ from the golden sheet"


def test_golden_every_sheet_has_a_sample():
    stored = {p.name for p in SHEETS.glob("*.json")}
    assert stored == {_path(s).name for s in IDS}


@pytest.mark.parametrize("sid", IDS)
def test_golden_offsets_are_valid(sid):
    sheet = sample_sheets()[sid]
    text = sheet["document"]["text"]
    for key in ("mentions", "amounts", "dates", "attributions"):
        for item in sheet[key]:
            assert text[item["start"]:item["end"]] == item["text"]
    for ev in sheet["events"]:
        assert text[ev["start"]:ev["end"]] == ev["trigger"]
        assert all(0 <= i < len(sheet["amounts"]) for i in ev["amounts"])
        assert ev["attribution"] is None or 0 <= ev["attribution"] < len(sheet["attributions"])
