"""Does work per report grow linearly with its length? Time and peak memory of read, clean
and extract on hostile inputs from 16 KB to 1 MB, doubling each step.

Extraction is the store's (extract_report): a text over 50,000 characters is extracted in
sections spooled to a file, as ingest does. Issue 9 found inputs that made single finders quadratic (one trigger word repeated, a run of
full stops, thousands of won prices in one sentence, one endless sentence, thousands of "-ri"
names). Each form here is invented; each size runs in a fresh child process so one size's
caches do not help the next, and only read/clean/extract inside the child is timed (not the
interpreter's start or the first load of the rules, which a warm-up call pays).

Target: each doubling at most 2x the time of the size before (the table's last column), and
peak memory (ru_maxrss of the child, minus its size after warm-up) under 10x the input.
Machines here are noisy, so this is a benchmark, not a test. Usage:
    python bench/linearity.py [--forms trigger,dots,...] [--max-kb 1024] [--timeout 600]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

FORMS = {
    "trigger": "smuggling ",
    "dots": ".",
    "won": "rice costs 5,000 won. ",
    "sentence": "traders in sinuiju said prices rose and ",
    "ri": "Sambong-ri ",
    "prose": "Border guards in Hyesan fined smugglers 500 yuan on Monday, a source told Daily NK. ",
    "speakers": "A source told Daily NK that Kim Chol said so, ",
}

CHILD = r"""
import json, resource, sys, time
from borderwatch.clean import make_document
from borderwatch.extract.pipeline import extract_report
from borderwatch.extract.sections import SectionedSheet
from borderwatch.ingest import ReadOptions, read_input
from borderwatch.model import RawInput

def run(data):
    opts = ReadOptions(published="2024-06-01")
    reps = [r for r in read_input(RawInput(source="invented.txt", data=data), opts, None)
            if hasattr(r, "body")]
    for r in reps:
        made = extract_report(make_document(r), budget_s=float("inf"), max_chars=float("inf"))
        if isinstance(made, SectionedSheet):  # a long text's sections, spooled to a file
            made.discard()

run(b"Invented warm-up report.\n\nGuards in Hyesan fined a trader 500 yuan, a source said.")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = sys.stdin.buffer.read()
t = time.perf_counter()
run(data)
spent = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": spent, "extra_kib": peak - base}))
"""


def measure(form: str, size: int, timeout: float) -> dict:
    body = (FORMS[form] * (size // len(FORMS[form]) + 1))[:size]
    data = ("Invented test report.\n\n" + body).encode()
    try:
        out = subprocess.run([sys.executable, "-c", CHILD], input=data, capture_output=True,
                             timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "extra_kib": None}
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--forms", default=",".join(FORMS))
    ap.add_argument("--max-kb", type=int, default=1024)
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    sizes = []
    kb = 16
    while kb <= args.max_kb:
        sizes.append(kb * 1024)
        kb *= 2
    worst = 0.0
    print(f"{'form':9} {'size':>8} {'seconds':>8} {'extra MiB':>9} {'x input':>7} {'growth':>7}")
    for form in args.forms.split(","):
        prev = None
        for size in sizes:
            r = measure(form, size, args.timeout)
            if r["seconds"] is None:
                print(f"{form:9} {size // 1024:>6}KB  timeout after {args.timeout:g} s")
                break
            mib = r["extra_kib"] / 1024
            growth = r["seconds"] / prev if prev else None
            if growth and size >= 128 * 1024:  # below that, start-up noise dominates
                worst = max(worst, growth)
            print(f"{form:9} {size // 1024:>6}KB {r['seconds']:8.2f} {mib:9.1f} "
                  f"{mib * 1024 * 1024 / size:7.1f} {(f'{growth:.2f}x' if growth else ''):>7}", flush=True)
            prev = r["seconds"]
    print(f"worst growth per doubling from 128 KB: {worst:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
