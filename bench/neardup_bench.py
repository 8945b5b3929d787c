"""How well near-duplicates are found: copies linked, and different reports kept apart.

The README says a syndicated or lightly edited copy is linked to the report it copies
(MinHash over word 3-shingles, LSH bands, estimated Jaccard >= 0.5). This measures that
claim through the store's own writer (store/writer.py: the band lookup and the threshold)
instead of restating the LSH arithmetic:

1. N invented originals (bench/corpus.py, ~300 words each, all written from the same sentence
   templates, places and goods, so they are "different reports on the same subject") are
   stored; any of them linked to another is a **false link**.
2. For each kind of edit, a copy of every original is made and stored: the copy is **found**
   when the writer links it to its own original. Edits: words replaced at random (5-40 % of
   words), the copy cut to its first paragraphs (a wire's short version), and a new headline
   plus a partner line (syndication).
3. For every copy, the exact Jaccard similarity of its word 3-shingles with the original is
   computed too, so the table shows what the edit did to the text, not only how it was made.

Usage: python bench/neardup_bench.py [--reports 300]. All texts are invented.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from borderwatch.clean import make_document
from borderwatch.clean.fingerprint import SHINGLE, fingerprint
from borderwatch.model import Report
from borderwatch.store import open_db
from borderwatch.store.writer import NEAR_THRESHOLD, Writer

_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    """The word 3-shingles of a text, as the fingerprint reads them (lower case, \\w+ words)."""
    words = _WORD.findall(text.lower())
    return {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def replace_words(rate: float) -> Callable[[str, random.Random], str]:
    """Each word replaced, with probability `rate`, by a word of the corpus's vocabulary."""
    vocab = corpus.FILLER + corpus.GOODS

    def edit(body: str, rng: random.Random) -> str:
        return re.sub(r"\w+", lambda m: rng.choice(vocab) if rng.random() < rate else m.group(), body)
    return edit


def first_paragraphs(share: float) -> Callable[[str, random.Random], str]:
    """The copy keeps only its first paragraphs, `share` of them (at least one)."""
    def edit(body: str, rng: random.Random) -> str:
        paras = body.split("\n\n")
        return "\n\n".join(paras[:max(1, round(len(paras) * share))])
    return edit


def syndicated(body: str, rng: random.Random) -> str:
    """A partner outlet's copy: its own lead sentence and closing line around the same body."""
    return (f"Reporting by a partner outlet, number {rng.randint(1, 999)}.\n\n{body}\n\n"
            "This article first appeared on a partner site and is republished with permission.")


EDITS: list[tuple[str, Callable[[str, random.Random], str]]] = [
    ("syndicated (new lead and closing line)", syndicated),
    *[(f"{int(r * 100)} % of words replaced", replace_words(r)) for r in (0.05, 0.10, 0.15, 0.20, 0.30, 0.40)],
    *[(f"cut to the first {int(s * 100)} % of paragraphs", first_paragraphs(s)) for s in (0.75, 0.5, 0.25)],
]


def _doc(title: str, published: str, body: str, source: str):
    return make_document(Report(source=source, body=f"{title}\n\n{body}", format="text",
                                published=published, outlet="Invented Outlet"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    results: dict[str, dict[str, float | int]] = {}
    pairs: list[tuple[float, bool]] = []  # (exact Jaccard, found) of every copy
    originals = [corpus.report(i, words=args.words) for i in range(args.reports)]
    print(f"{args.reports} invented originals of ~{args.words} words; writer threshold {NEAR_THRESHOLD}")
    print(f"{'edit':42} {'Jaccard median':>14} {'min':>5} {'found':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, edit in [("(originals among themselves)", None), *EDITS]:
            conn = open_db(Path(tmp) / f"nd-{abs(hash(name))}.db")
            run = conn.execute("INSERT INTO runs(started_at, command) VALUES ('now', 'bench')").lastrowid
            w = Writer(conn, run)
            ids = []
            false_links = 0
            for i, (title, published, body) in enumerate(originals):
                d = _doc(title, published, body, f"orig-{i}.txt")
                res = w.store(d, fingerprint(d.text))
                false_links += res.status == "near_duplicate"
                ids.append(res.id)
            if edit is None:
                w.commit()
                print(f"{name:42} {'':>14} {'':>5}   false links {false_links} of {args.reports}")
                results[name] = {"false_links": false_links, "reports": args.reports}
                continue
            rng = random.Random(7)
            sims, found = [], 0
            for i, (title, published, body) in enumerate(originals):
                copy = edit(body, rng)
                d = _doc(f"{title} (copy)", published, copy, f"copy-{i}.txt")
                sims.append(jaccard(f"{title}\n\n{body}", d.text))
                res = w.store(d, fingerprint(d.text))
                hit = res.status == "near_duplicate" and res.near_of == ids[i]
                found += hit
                pairs.append((sims[-1], hit))
            w.commit()
            conn.close()
            print(f"{name:42} {statistics.median(sims):>14.2f} {min(sims):>5.2f} {found:>4} / {len(sims)}",
                  flush=True)
            results[name] = {"jaccard_median": statistics.median(sims), "found": found, "copies": len(sims)}
    print("\nfound by the copy's exact Jaccard similarity with its original (all edits together):")
    buckets = [(0.7, 1.01), (0.6, 0.7), (0.5, 0.6), (0.4, 0.5), (0.0, 0.4)]
    for lo, hi in buckets:
        inside = [hit for sim, hit in pairs if lo <= sim < hi]
        label = f"{lo:.1f}-{min(hi, 1.0):.1f}"
        print(f"  Jaccard {label}: {sum(inside):>4} of {len(inside):>4}"
              + (f" ({sum(inside) / len(inside):.0%})" if inside else ""))
        results[f"jaccard {label}"] = {"found": sum(inside), "copies": len(inside)}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
