"""The end-to-end scale benchmark (bench/scale_bench.py) measures what it says it measures.

Not a timing test: a tiny run must go through every stage on a real store, store every report
it generated, find what the searches look for, and report each stage's own peak memory (a
stage's figure is its own child process, so the small search stage must not inherit the
ingest's larger peak). Both corpora, dense and real-length. All texts are invented
(bench/corpus.py, bench/bigstore.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["text", "typical"])
def test_scale_bench_runs_every_stage_on_a_real_store(tmp_path, corpus):
    keep = tmp_path / "run"
    subprocess.run([sys.executable, str(ROOT / "bench" / "scale_bench.py"), "--reports", "12",
                    "--corpus", corpus, "--workers", "1", "--searches", "8", "--keep", str(keep),
                    "--json", str(tmp_path / "scale.json")],
                   check=True, capture_output=True, text=True, timeout=600)
    result = json.loads((tmp_path / "scale.json").read_text())
    stages = {s["name"]: s for s in result["stages"]}
    assert list(stages) == ["generate", "ingest", "search", "incidents", "brief"]
    assert stages["ingest"]["detail"]["summary"]["stored"] == 12
    assert stages["ingest"]["detail"]["summary"]["failed"] == 0
    assert stages["search"]["detail"]["queries"] == 8
    assert stages["incidents"]["detail"]["incidents"] > 0
    assert stages["brief"]["detail"]["page_cold_ms"] > 0
    # each stage's peak is its own process's: the search reads, it does not extract
    assert stages["search"]["peak_mib"] < stages["ingest"]["peak_mib"]
    assert (keep / "store.db").exists() and sum(1 for p in (keep / "reports").rglob("*") if p.is_file()) == 12
