"""Commodities: goods named in a report, each with its HS chapter and UN sanctions status.

The aliases of data/commodities.csv are matched case-insensitively in one pass. Words that are
often not goods ("iron", "fuel", "meat", "vehicles", "weapons"; the weak_aliases column) count
only with a trade cue nearby in the same sentence (data/lang/en/commodities.yaml). A lower-case
alias met capitalised in mid-sentence ("Rice" the surname, "the Silk Road") is a proper name, not
goods, and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from borderwatch.datafiles import DataError, read_csv, read_yaml
from borderwatch.extract.gazetteer import AliasTable, compile_table, norm_key, split_aliases
from borderwatch.model import Document, Mention, Sanctions

_FILE = "commodities.csv"
_CUE_FILE = "lang/en/commodities.yaml"
_TRI = {"true": True, "false": False, "": None}
_HS = re.compile(r"^\d{2}(?:[;-]\d{2})*$")
_OPENERS = frozenset("\"'“‘([ ")


@dataclass(frozen=True, slots=True)
class Commodity:
    """One commodities.csv row."""

    id: str
    name: str
    hs: str | None
    sanctions: Sanctions


@dataclass(frozen=True, slots=True)
class CommodityData:
    """Compiled commodity aliases; table keys are 'strong|id' or 'weak|id'."""

    commodities: Mapping[str, Commodity]
    table: AliasTable
    cues: re.Pattern[str]
    window: int
    proper: frozenset[str]  # folded aliases written with capitals in the data ("Koryo ginseng")


def _flag(value: str | None, field: str, cid: str) -> bool | None:
    """true/false/empty -> True/False/None; anything else is a DataError."""
    v = (value or "").strip().lower()
    if v not in _TRI:
        raise DataError(f"commodities: {cid}: {field} must be true, false or empty, not {value!r}")
    return _TRI[v]


def build_commodities(rows: Iterable[Mapping[str, str]], cue_data: Mapping[str, object]) -> CommodityData:
    """Validate commodity rows and cue words and compile them; problems raise DataError."""
    items: dict[str, Commodity] = {}
    pairs: list[tuple[str, str]] = []
    for row in rows:
        cid = (row.get("id") or "").strip()
        if not cid.startswith("commodity:") or cid in items:
            raise DataError(f"commodities: missing, malformed or duplicate id {cid!r}")
        hs = (row.get("hs") or "").strip() or None
        if hs and not _HS.match(hs):
            raise DataError(f"commodities: {cid}: bad hs {hs!r}")
        cap = _flag(row.get("import_cap"), "import_cap", cid)
        sanctions = Sanctions(
            export_ban=_flag(row.get("export_ban"), "export_ban", cid),
            import_ban=_flag(row.get("import_ban"), "import_ban", cid),
            import_cap=bool(cap), resolution=(row.get("resolution") or "").strip() or None,
        )
        items[cid] = Commodity(cid, row["name"].strip(), hs, sanctions)
        strong, weak = split_aliases(row.get("aliases")), split_aliases(row.get("weak_aliases"))
        if not strong and not weak:
            raise DataError(f"commodities: {cid}: no aliases")
        pairs += [(a, f"strong|{cid}") for a in strong] + [(a, f"weak|{cid}") for a in weak]
    pairs += [(b, "block|") for b in cue_data.get("blockers", []) or []]  # type: ignore[union-attr]
    table = compile_table(pairs, fold=True, name="commodities")
    for alias, keys in table.lookup.items():
        if len(keys) > 1:
            raise DataError(f"commodities: alias {alias!r} is given twice: {keys}")
    cues = cue_data.get("cues")
    if not isinstance(cues, list) or not cues:
        raise DataError(f"{_CUE_FILE}: cues must be a non-empty list")
    alt = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True))
    window = int(cue_data.get("window", 50))  # type: ignore[call-overload]
    proper = frozenset(norm_key(a, fold=True) for a, _k in pairs if a != a.lower())
    return CommodityData(items, table, re.compile(rf"(?<!\w)(?:{alt})(?!\w)", re.IGNORECASE),
                         window, proper)


@cache
def commodity_data() -> CommodityData:
    """The package's commodities, loaded and compiled once."""
    return build_commodities(read_csv(_FILE), read_yaml(_CUE_FILE))


def _sentence_start(doc: Document, pos: int) -> tuple[int, int]:
    """Span of the sentence holding `pos` (the whole text when there are no sentences)."""
    if not doc.sentences:
        return 0, len(doc.text)
    sent = doc.sentences[doc.sentence_at(pos)]
    return sent.start, sent.end


def find_commodities(doc: Document) -> list[Mention]:
    """Every commodity mention, with HS chapter and sanctions status."""
    data = commodity_data()
    text = doc.text
    out: list[Mention] = []
    for s, e, keys in data.table.scan(text):
        strength, cid = keys[0].split("|", 1)
        if strength == "block":
            continue
        ss, se = _sentence_start(doc, s)
        if text[s].isupper() and norm_key(text[s:e], fold=True) not in data.proper and \
                any(ch not in _OPENERS for ch in text[ss:s]):
            continue  # a capitalised word in mid-sentence is a proper name
        if strength == "weak" and not data.cues.search(
                text, max(ss, s - data.window), min(se, e + data.window)):
            continue
        c = data.commodities[cid]
        out.append(Mention(kind="commodity", text=text[s:e], start=s, end=e, id=c.id, name=c.name,
                           hs=c.hs, un_sanctions=c.sanctions, rule=f"commodity.{strength}"))
    return out
