"""The extractor's version digests what extraction reads, and only that (issue 10): editing a
finder's code or a word list marks reports stale; editing a chart colour or a page label does not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from borderwatch.extract.pipeline import NOT_READ_BY_EXTRACTION, extractor_version, version_inputs

ROOT = Path(__file__).resolve().parents[2]

# Extract every invented sample in a fresh interpreter, recording each data file read on the way
# (every loader reads through borderwatch.datafiles).
RECORD = r"""
import json, sys
from pathlib import Path
from borderwatch import datafiles
read = set()
_text, _files = datafiles.read_text, datafiles.data_files
datafiles.read_text = lambda rel: (read.add(rel), _text(rel))[1]
datafiles.data_files = lambda folder: (read.add(folder.rstrip("/") + "/"), _files(folder))[1]
from borderwatch.clean import make_document
from borderwatch.extract.pipeline import extract
from borderwatch.ingest import ReadOptions, read_input
from borderwatch.model import RawInput
for p in sorted(Path(sys.argv[1]).glob("*")):
    for r in read_input(RawInput(source=str(p), data=p.read_bytes()), ReadOptions(), None):
        if hasattr(r, "body"):
            extract(make_document(r))
print(json.dumps(sorted(read)))
"""


def _read_by_extraction() -> list[str]:
    out = subprocess.run([sys.executable, "-c", RECORD, str(ROOT / "examples" / "reports")],
                         capture_output=True, text=True, check=True, timeout=300)
    return json.loads(out.stdout)


@pytest.mark.slow  # a fresh interpreter
def test_every_data_file_extraction_reads_is_in_the_version_and_no_listed_one_is_read():
    read = _read_by_extraction()
    assert any(r.startswith("lang/en/events/") for r in read) and "places.csv" in read
    counted = set(version_inputs())
    for rel in read:
        if rel.endswith("/"):
            assert any(c.startswith(f"data/{rel}") for c in counted), rel
        else:
            assert f"data/{rel}" in counted, f"extraction reads data/{rel} but the version ignores it"
    for name in NOT_READ_BY_EXTRACTION:
        assert not any(r == name or (name.endswith("/") and r.startswith(name)) for r in read), name


def test_the_version_digests_the_finders_code_and_not_the_pages_data():
    counted = set(version_inputs())
    assert {"extract/attributions.py", "values/dates.py", "extract/entities.py",
            "values/usd.py", "data/kpw_rates.csv", "data/lang/en/events/smuggling.yaml",
            "data_models/commodities.py", "data_models/fields.py"} <= counted
    assert not counted & {"data/labels.yaml", "data/brief.yaml",
                          "data/geo/region.geojson", "data/lang/en/claims.yaml",
                          "data_models/geo.py", "data_models/pages.py", "data_models/claims.py"}
    assert not any("__pycache__" in c or c.endswith(".pyc") for c in counted)
    assert "extract/run.py" not in counted  # the command's file driver shapes no fact sheet
    assert extractor_version().split("+")[1].isalnum() and len(extractor_version().split("+")[1]) == 12


def test_a_vocabulary_label_or_colour_leaves_the_version_a_code_changes_it():
    from borderwatch.vocabularies import codes_digest

    base = 'event_types:\n  smuggling: {label: "Smuggling", colour: "#EE7733"}\ntopics:\n  border: "Border"\n'
    assert codes_digest(base) == codes_digest(base.replace("#EE7733", "#000000").replace('"Border"', '"Frontier"'))
    assert codes_digest(base) != codes_digest(base.replace("topics:", "  piracy: {label: Piracy, colour: '#111111'}\ntopics:"))
    assert codes_digest(base) != codes_digest(base.replace("border:", "frontier:"))
