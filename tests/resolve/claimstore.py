"""A synthetic store rich in claims, for the claims-table tests: invented reports that mix the
benchmark corpus's sentences (bench/corpus.py) with invented statements of both sides on every
subject, in the shapes the claim rules treat differently: one holder, two holders in one
sentence, the outlet's own voice, unattributed reported speech, a date in the text (a day, a
month, a year only), no publication date. Seeded: the same store every run. All text invented.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest
from borderwatch.store import open_db

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

PLACES = ["Sinuiju", "Hyesan", "Hoeryong", "Musan", "Manpo", "Dandong", "Chongjin"]
MONTHS = ["January", "February", "March", "April", "May", "June"]
OUTLETS = ["Daily NK", "Radio Free Asia", "NK News", "Yonhap", None]
# Invented holders: (the words before a statement, the words after one).
HOLDERS = {
    "authorities": [("KCNA reported that", "KCNA reported"), ("Rodong Sinmun said", "Rodong Sinmun said"),
                    ("The health ministry said", "the health ministry said"),
                    ("Xinhua said", "Xinhua said"), ("An official in {p} said", "an official in {p} said"),
                    ("State media reported that", "state media reported")],
    "sources": [("A source in {p} told Daily NK that", "a source in {p} told Daily NK"),
                ("A resident of {p} said", "a resident of {p} said"),
                ("A trader in {p} said that", "a trader in {p} said"),
                ("A smuggler based in {p} said", "a smuggler based in {p} said"),
                ("Radio Free Asia reported that", "Radio Free Asia reported")],
}
# Invented statements, per subject: (one stance, the opposite one).
STATEMENTS = {
    "epidemic": (["the epidemic situation in {p} was under control",
                  "there were no new fever cases in {p}",
                  "the number of fever cases in {p} had fallen"],
                 ["fever cases were spreading quickly in {p}",
                  "{n} fever cases were found every day in {p}",
                  "several patients died in {p} hospitals"]),
    "border": (["trade across the border at {p} was proceeding normally",
                "the crossings at {p} had reopened"],
               ["the bridge at {p} had been closed since early {m}",
                "the border near {p} remained sealed"]),
    "trade": (["freight shipments through {p} had resumed",
               "trade in {p} was booming"],
              ["imports through {p} were halted",
               "cargo trade at {p} was at a standstill"]),
    "prices": (["rice prices in {p} markets had stabilized",
                "the price of corn in {p} fell to KPW {n},000 per kilogram"],
               ["the price of rice in {p} had risen sharply",
                "corn prices in {p} soared to KPW {n},000 per kilogram"]),
}
NEUTRAL = ["new quarantine rules were being reviewed in {p}",
           "customs officers inspected trucks at {p}"]


def _fill(text: str, rng: random.Random) -> str:
    return text.format(p=rng.choice(PLACES), m=rng.choice(MONTHS), n=rng.randint(3, 90))


def _statement(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return _fill(rng.choice(NEUTRAL), rng)
    subject = rng.choice(list(STATEMENTS))
    return _fill(rng.choice(STATEMENTS[subject][rng.random() < 0.5]), rng)


def _when(rng: random.Random) -> str:
    """A date phrase, or none: a month, a year only, a day."""
    r = rng.random()
    if r < 0.15:
        return f" in {rng.choice(MONTHS)} 2023"
    if r < 0.22:
        return " in 2022"
    if r < 0.3:
        return f" on {rng.choice(MONTHS)} {rng.randint(1, 28)}"
    return ""


def _claim_sentence(rng: random.Random) -> str:
    """One invented sentence in one of the shapes claims treat differently."""
    side = rng.choice(list(HOLDERS))
    before, after = (_fill(h, rng) for h in rng.choice(HOLDERS[side]))
    shape = rng.random()
    if shape < 0.35:
        return f"{before} {_statement(rng)}{_when(rng)}."
    if shape < 0.55:
        s = _statement(rng)
        return f"{s[0].upper()}{s[1:]}{_when(rng)}, {after}."
    if shape < 0.75:
        other = "sources" if side == "authorities" else "authorities"
        before2 = _fill(rng.choice(HOLDERS[other])[0], rng)
        if before2.startswith(("A ", "An ", "The ", "State ")):  # not a name: lower case
            before2 = before2[0].lower() + before2[1:]
        return f"{before} {_statement(rng)}, while {before2} {_statement(rng)}."
    if shape < 0.9:
        s = _statement(rng)
        return f"{s[0].upper()}{s[1:]}{_when(rng)}."  # the outlet's own voice
    return f"Rumours claimed that {_statement(rng)}."  # someone speaks, no one named


def records(n: int, seed: int = 11) -> list[dict]:
    """n invented reports as JSON records (text, title, published, outlet)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        title, _, body = corpus.report(5000 + i, words=rng.choice([40, 120]))
        sentences = [_claim_sentence(rng) for _ in range(rng.randint(2, 7))]
        paras = body.split("\n\n") + [" ".join(sentences[k:k + 3]) for k in range(0, len(sentences), 3)]
        rng.shuffle(paras)
        published = None if rng.random() < 0.08 else f"2023-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
        out.append({"title": f"Invented claims report {i}: {title}", "text": "\n\n".join(paras),
                    "published": published, "outlet": rng.choice(OUTLETS)})
    return out


def build(folder: Path, n: int = 80) -> Path:
    """A store of n invented reports at folder/claims.db."""
    src = folder / "claims.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records(n)) + "\n", encoding="utf-8")
    db = folder / "claims.db"
    conn = open_db(db)
    summary = ingest(conn, [str(src)], ReadOptions(language="en"))
    assert summary.failed == 0
    conn.close()
    return db
