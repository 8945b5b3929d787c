"""Quality gate: precision and recall per fact category over the samples and the seed,
against the analysts' expected facts, must not fall below the floors in baseline.json.

Floors only rise (`--update-baseline`); lowering one needs `--allow-lower` and a reason in the
commit message. A category's failure message lists what was missed and what was extra.
"""

import json
from pathlib import Path

import pytest

from ..conftest import SEED, SEED_EXPECTED
from .facts_match import SCORERS, Score
from .samples import EXPECTED, sample_sheets

BASELINE = Path(__file__).resolve().parent / "baseline.json"


def _scores() -> dict[str, Score]:
    from borderwatch.clean import make_document
    from borderwatch.extract.pipeline import extract
    from borderwatch.ingest import ReadOptions, read_input
    from borderwatch.model import RawInput

    pairs = []
    for sid, sheet in sample_sheets().items():
        pairs.append((sheet, json.loads((EXPECTED / f"{sid}.expected.json").read_text())))
    if SEED.exists():
        [rep] = read_input(RawInput(str(SEED), SEED.read_bytes()), ReadOptions(), None)
        pairs.append((extract(make_document(rep)).to_dict(), json.loads(SEED_EXPECTED.read_text())))
    totals = {k: Score() for k in SCORERS}
    for sheet, expected in pairs:
        for k, fn in SCORERS.items():
            totals[k].add(fn(sheet, expected))
    return totals


@pytest.fixture(scope="module")
def scores():
    return _scores()


def test_quality_every_sample_has_expected_facts():
    missing = [sid for sid in sample_sheets() if not (EXPECTED / f"{sid}.expected.json").exists()]
    assert missing == []


def test_quality_floors(scores, request):
    now = {k: {"precision": round(s.precision, 3), "recall": round(s.recall, 3)}
           for k, s in scores.items()}
    if request.config.getoption("--update-baseline"):
        old = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        allow = request.config.getoption("--allow-lower")
        merged = {k: {m: (v if allow else max(v, old.get(k, {}).get(m, 0.0)))
                      for m, v in ms.items()} for k, ms in now.items()}
        BASELINE.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
        return
    floors = json.loads(BASELINE.read_text())
    low = []
    for k, ms in floors.items():
        for metric, floor in ms.items():
            if now[k][metric] + 1e-9 < floor:
                s = scores[k]
                low.append(f"{k} {metric} {now[k][metric]} < {floor}; missed {s.fn[:6]}; extra {s.fp[:6]}")
    assert low == [], "\n".join(low)
