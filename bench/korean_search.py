"""Recall of Korean searches: does a Korean word find the reports that write it?

Korean writes particles and endings onto the word (혜산시에서, 혜산의, 단속했다), and the search
index splits words at spaces only, so a word searched as a whole token misses most of its uses.
The search box searches a Korean word as a prefix (store/searchquery.py). This ingests the
invented Korean samples (and the Korean dev set's texts when they are in .devset-ko/, read at
run time, never stored here), then for a few words compares, against the reports whose text
has a word starting with it, what the whole-token search and the prefix search find.

Usage: python bench/korean_search.py [--devset-ko .devset-ko]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import tempfile
from pathlib import Path

import fts5  # bench/ (this script's folder)
from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest
from borderwatch.store import open_db, queries
from borderwatch.store.searchquery import fts_query

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["혜산", "신의주", "양강도", "밀수", "단속", "쌀", "환율", "탈북", "송금", "국경", "중국", "장마당"]


def _found(conn: sqlite3.Connection, query: str) -> set[str]:
    """What SQLite FTS5 finds (the store's own table until migration 0022; bench/fts5.py's now:
    the same tokenizer, which splits words as the search index does)."""
    return fts5.ids(conn, query, "ko_fts")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset-ko", default=str(ROOT / ".devset-ko"))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bw-ko-search-"))
    conn = open_db(work / "s.db")
    sources = sorted(str(p) for p in (ROOT / "examples" / "reports").glob("ko_*"))
    sources += sorted(str(p) for p in Path(args.devset_ko).glob("*.txt"))
    ingest(conn, sources, ReadOptions(language="ko"))
    texts = {r[0]: r[1] for r in conn.execute("SELECT id, text FROM reports WHERE language = 'ko'")}
    fts5.build(conn, "ko_fts", temp=True)
    print(f"{len(texts)} Korean reports ({len(sources)} inputs)")
    print(f"{'word':8} {'reports':>7} {'whole-token':>12} {'prefix':>8} {'search':>7}")
    tot = [0, 0, 0, 0]
    for w in WORDS:
        truth = {rid for rid, t in texts.items() if re.search(rf"(?<![\uac00-\ud7a3]){w}", t)}
        whole = _found(conn, f'"{w}"') & set(texts)
        prefix = _found(conn, fts_query(w)) & set(texts)
        # what the search box finds (the search index, place spellings included)
        box = {r["id"] for r in queries.search(conn, w, limit=100_000).items} & set(texts)
        tot[0] += len(truth)
        tot[1] += len(whole & truth)
        tot[2] += len(prefix & truth)
        tot[3] += len(box & truth)
        print(f"{w:8} {len(truth):>7} {len(whole & truth):>12} {len(prefix & truth):>8} {len(box & truth):>7}"
              + ("" if prefix <= truth else f"  (+{len(prefix - truth)} not in truth)"))
    print(f"recall: whole-token {tot[1] / tot[0]:.2f}, prefix {tot[2] / tot[0]:.2f},"
          f" search box {tot[3] / tot[0]:.2f} ({tot[0]} report-word pairs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
