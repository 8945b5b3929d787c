"""Score borderwatch on the shared dev sets of real reports (`make devset`).

The dev-set texts are third-party articles and never enter the repository: each is retrieved
by hand (search tool, corpus `pages`, the row's `query`; take the result whose address is the
row's `url`; save its excerpt exactly as returned to `.devset/<id>.txt`, or `.devset-ko/`).
This script lists what is missing, with the query and address to fetch it, then runs the
shared scorer twice: with `--meta` (url, outlet and date known, the headline figure) and on
plain files (the harder case). It is kept out of CI because the texts are not in the repo.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SETS = {"en": ("devset", ".devset"), "ko": ("devset-ko", ".devset-ko")}
EXTRACTOR = f"{ROOT / '.venv/bin/borderwatch'} extract --format jsonl"
YARDSTICK = f"{ROOT / '.venv/bin/python'} {ROOT / 'bench/spacy_factsheet.py'}"


def missing_rows(set_dir: Path, cache: Path) -> list[dict[str, str]]:
    """Rows of dev.tsv whose text is not in the cache folder."""
    with (set_dir / "dev.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r for r in rows if not (cache / f"{r['id']}.txt").exists()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=sorted(SETS), default="en")
    ap.add_argument("--show", action="store_true", help="print every miss and false find")
    ap.add_argument("--only", default="", help="comma-separated ids")
    ap.add_argument("--plain-only", action="store_true", help="skip the --meta run")
    ap.add_argument("--meta-only", action="store_true", help="skip the plain-text run")
    ap.add_argument("--yardstick", action="store_true",
                    help="score spaCy's small English NER mapped onto the fields instead"
                         " (needs the 'bench' extra: pip install -e '.[bench]')")
    a = ap.parse_args()
    set_name, cache_name = SETS[a.lang]
    set_dir, cache = SHARED / set_name, ROOT / cache_name
    scorer = SHARED / "devset" / "score.py"
    if not scorer.exists():
        print(f"no scorer at {scorer}: the shared folder is not beside this checkout", file=sys.stderr)
        return 2
    missing = missing_rows(set_dir, cache)
    if missing:
        print(f"# {len(missing)} texts missing from {cache_name}/. Retrieve each with the search tool"
              f" (corpus 'pages') by its query, take the result at its url, and save the excerpt"
              f" exactly as returned to {cache_name}/<id>.txt:")
        for r in missing:
            print(f"#   {r['id']}  query: {r['query']}\n#        url: {r['url']}")
    runs = [("--meta", ["--meta"]), ("plain", [])]
    if a.plain_only:
        runs = runs[1:]
    if a.meta_only:
        runs = runs[:1]
    code = 0
    for label, flags in runs:
        cmd = [sys.executable, str(scorer), *flags, "--gold", str(set_dir / "gold"),
               "--list", str(set_dir / "dev.tsv"), "--cache", str(cache), "--cmd", YARDSTICK if a.yardstick else EXTRACTOR]
        if a.show:
            cmd.append("--show")
        if a.only:
            cmd += ["--only", a.only]
        print(f"## {set_name} {label}", flush=True)
        code = max(code, subprocess.call(cmd, cwd=ROOT))
    return code


if __name__ == "__main__":
    sys.exit(main())
