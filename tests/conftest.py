"""Shared fixtures: the CLI as a real process, the seed report, a synthetic corpus writer."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from tests.examples import examples

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_82c2ab5bc94310e0.txt"
SEED_EXPECTED = ROOT.parent / "shared" / "seeds" / "000_82c2ab5bc94310e0.expected.json"
EXAMPLES = ROOT / "examples" / "reports"
BW = str(Path(sys.executable).with_name("borderwatch"))

# Property tests without their own count draw Hypothesis's default 100, scaled like the rest.
settings.register_profile("borderwatch", max_examples=examples(100))
settings.load_profile("borderwatch")


def run_bw(*args: str, db: Path | None = None, input: bytes | None = None, env=None,  # noqa: A002 - subprocess.run's name
           timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed `borderwatch` command; stdout/stderr decoded."""
    cmd = [BW, *args]
    if db is not None:
        cmd += ["--db", str(db)]
    e = dict(os.environ)
    e.pop("BORDERWATCH_DB", None)
    e.update(env or {})
    p = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout, env=e)
    return subprocess.CompletedProcess(p.args, p.returncode, p.stdout.decode(), p.stderr.decode())


def bw_json(*args: str, db: Path | None = None):
    """Run a read command with --json and parse its output (asserting success)."""
    p = run_bw(*args, "--json", db=db)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("shared seed report not present")
    return SEED


def _load_corpus():
    spec = importlib.util.spec_from_file_location("bw_bench_corpus", ROOT / "bench" / "corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def corpus():
    """The benchmark's synthetic-report generator (invented texts)."""
    return _load_corpus()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/sheets/*.json from the current extractor")
    parser.addoption("--update-baseline", action="store_true",
                     help="raise the quality floors in tests/golden/baseline.json to today's scores")
    parser.addoption("--update-expected-digest", action="store_true",
                     help="re-pin the digest of the expected-facts files (a commit of its own)")
    parser.addoption("--allow-lower", action="store_true",
                     help="with --update-baseline: also lower floors (say why in the commit)")
