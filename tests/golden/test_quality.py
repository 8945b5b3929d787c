"""Quality gate: precision and recall per fact category over the samples and the seed,
against the analysts' expected facts, must not fall below the floors in baseline.json.

Floors only rise (`--update-baseline`); lowering one needs `--allow-lower` and a reason in the
commit message. A category's failure message lists what was missed and what was extra.

The floors are only worth something if the expected facts they were measured against stay put,
so baseline.json also pins a digest of every expected file (as trafilatura's evaluation gate
does). Changing an expected file fails the gate until the digest is re-pinned with
`--update-expected-digest`, which writes the digest and nothing else and refuses to run with
`--update-baseline`; and a commit that moves a floor must not also touch an expected file.
"""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import SEED, SEED_EXPECTED
from .facts_match import SCORERS, Score
from .samples import EXPECTED, sample_sheets

BASELINE = Path(__file__).resolve().parent / "baseline.json"
DIGEST_KEY = "expected_digest"


def expected_digest() -> str:
    """SHA-256 over the names and bytes of every expected-facts file, in name order."""
    h = hashlib.sha256()
    for f in sorted(EXPECTED.glob("*.expected.json")):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def _floors(baseline: dict) -> dict:
    return {k: v for k, v in baseline.items() if k != DIGEST_KEY}


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


def test_quality_expected_files_are_pinned(request):
    baseline = json.loads(BASELINE.read_text())
    now = expected_digest()
    if request.config.getoption("--update-expected-digest"):
        assert not request.config.getoption("--update-baseline"), \
            "re-pin the expected files and the floors in separate commits"
        baseline[DIGEST_KEY] = now
        BASELINE.write_text(json.dumps(baseline, indent=1, sort_keys=True) + "\n")
        return
    assert baseline.get(DIGEST_KEY) == now, (
        "an expected-facts file changed: review it, re-pin with --update-expected-digest in a"
        " commit of its own, and only then move floors")


def test_quality_floor_commits_leave_expected_files_alone():
    """The last commit that moved a floor (since the digest was pinned) did not also edit an
    expected-facts file."""
    root = BASELINE.parents[2]
    if shutil.which("git") is None or not (root / ".git").exists():
        import pytest
        pytest.skip("not a git checkout")
    rel = BASELINE.relative_to(root).as_posix()
    log = subprocess.run(["git", "log", "--format=%H", "-n", "20", "--", rel], cwd=root,
                         capture_output=True, text=True)
    for sha in log.stdout.split():
        before = subprocess.run(["git", "show", f"{sha}~1:{rel}"], cwd=root, capture_output=True, text=True)
        after = subprocess.run(["git", "show", f"{sha}:{rel}"], cwd=root, capture_output=True, text=True)
        if before.returncode or after.returncode or DIGEST_KEY not in json.loads(before.stdout):
            continue  # the rule holds from the commit that first pinned the digest on
        if _floors(json.loads(before.stdout)) == _floors(json.loads(after.stdout)):
            continue
        files = subprocess.run(["git", "show", "--name-only", "--format=", sha], cwd=root,
                               capture_output=True, text=True).stdout.split()
        touched = [f for f in files if f.startswith(EXPECTED.relative_to(root).as_posix())]
        assert touched == [], f"commit {sha[:10]} moved floors and edited expected files {touched}"
        break


def test_quality_floors(scores, request):
    if not SEED.exists():
        import pytest
        pytest.skip("the floors are measured with the shared seed report, which is not present")
    now = {k: {"precision": round(s.precision, 3), "recall": round(s.recall, 3)}
           for k, s in scores.items()}
    if request.config.getoption("--update-baseline"):
        old = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        assert old.get(DIGEST_KEY) == expected_digest(), \
            "expected files changed since the floors were pinned: re-pin the digest first"
        allow = request.config.getoption("--allow-lower")
        merged = {k: {m: (v if allow else max(v, old.get(k, {}).get(m, 0.0)))
                      for m, v in ms.items()} for k, ms in now.items()}
        merged[DIGEST_KEY] = old[DIGEST_KEY]
        BASELINE.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
        return
    floors = _floors(json.loads(BASELINE.read_text()))
    missing = sorted(set(now) - set(floors))
    assert missing == [], f"categories without floors: {missing} (run --update-baseline)"
    low = []
    for k, ms in floors.items():
        for metric, floor in ms.items():
            if now[k][metric] + 1e-9 < floor:
                s = scores[k]
                low.append(f"{k} {metric} {now[k][metric]} < {floor}; missed {s.fn[:6]}; extra {s.fp[:6]}")
    assert low == [], "\n".join(low)
