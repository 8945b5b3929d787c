"""The near-duplicate benchmark (bench/neardup_bench.py) measures through the real writer.

Not a timing test: on a small run, a syndicated copy must be linked to its own original, a
copy with 40 % of its words replaced must not be, and different reports written from the same
templates must never be linked to one another; the buckets must account for every copy. All
texts are invented (bench/corpus.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_neardup_bench_links_copies_and_keeps_different_reports_apart(tmp_path):
    out = tmp_path / "nd.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "neardup_bench.py"), "--reports", "20",
                    "--json", str(out)], check=True, capture_output=True, timeout=600)
    r = json.loads(out.read_text())
    assert r["(originals among themselves)"] == {"false_links": 0, "reports": 20}
    assert r["syndicated (new lead and closing line)"]["found"] == 20
    assert r["40 % of words replaced"]["found"] == 0
    copies = sum(v["copies"] for k, v in r.items() if k.startswith("jaccard "))
    assert copies == sum(v["copies"] for k, v in r.items() if "copies" in v and not k.startswith("jaccard "))
    assert r["jaccard 0.7-1.0"]["found"] >= 0.95 * r["jaccard 0.7-1.0"]["copies"]
