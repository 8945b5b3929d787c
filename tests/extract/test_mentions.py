"""find_mentions: overlaps settled, offsets valid, the seed report's named things, speed."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderwatch.clean import make_document
from borderwatch.clean.sentences import split_sentences
from borderwatch.extract.mentions import KIND_PRIORITY, find_mentions, select
from borderwatch.model import MENTION_KINDS, Document, Mention, Report
from tests.examples import examples

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_82c2ab5bc94310e0.txt"

TEXT = (
    "SHENYANG -- A Daily NK source in Dandong, Liaoning Province said on Monday that "
    "North Korean traders asked for fertilizer and car parts. Kim Jong Un inspected the port of "
    "Nampo, KCNA reported, while the Togo-flagged tanker Yu Jong 2 unloaded diesel. "
    "Chinese authorities in Hunchun Quanhe Port cracked down, and the Tumen (Tuman) River froze."
)


def make(text: str) -> Document:
    """A Document from invented text."""
    return make_document(Report(source="t", body=text, format="text"))


def test_mentions_offsets_sorted_and_disjoint() -> None:
    doc = make(TEXT)
    found = find_mentions(doc)
    assert found
    last_end = -1
    for m in found:
        assert doc.text[m.start:m.end] == m.text
        assert m.kind in MENTION_KINDS and m.rule and m.id and m.name
        assert m.start >= last_end  # sorted, no overlap
        last_end = m.end
    assert {m.kind for m in found} == MENTION_KINDS


@pytest.mark.parametrize("surface,kind,mid", [
    ("Daily NK", "organization", "org:daily-nk"),
    ("Dandong", "place", "place:dandong"),
    ("Liaoning Province", "place", "place:liaoning"),
    ("North Korean", "country", "country:KP"),
    ("fertilizer", "commodity", "commodity:fertilizer"),
    ("Kim Jong Un", "person", "person:kim-jong-un"),
    ("Nampo", "place", "place:nampo-port"),
    ("KCNA", "organization", "org:kcna"),
    ("Yu Jong 2", "vessel", "vessel:yu-jong-2"),
    ("diesel", "commodity", "commodity:diesel"),
    ("Quanhe Port", "place", "place:quanhe-wonjong-bridge"),
    ("Tuman", "place", "place:tumen-river"),
])
def test_mentions_kinds(surface: str, kind: str, mid: str) -> None:
    hits = [m for m in find_mentions(make(TEXT)) if m.text == surface]
    assert [(m.kind, m.id) for m in hits] == [(kind, mid)]


def _m(kind: str, start: int, end: int, rule: str = "r") -> Mention:
    return Mention(kind=kind, text="x" * (end - start), start=start, end=end, id=f"{kind}:x",
                   name="x", rule=rule)


@pytest.mark.parametrize("cands,expected", [
    ([_m("place", 0, 5), _m("place", 0, 20)], [(0, 20)]),  # longest wins
    ([_m("commodity", 0, 5), _m("organization", 0, 5)], [("organization", 0)]),  # kind priority
    ([_m("person", 3, 8), _m("place", 0, 5)], [("place", 0)]),  # overlap, equal length
    ([_m("place", 0, 4), _m("place", 5, 9)], [(0, 4), (5, 9)]),  # disjoint: both kept
])
def test_mentions_select(cands: list[Mention], expected: list[tuple]) -> None:
    got = select(cands, 30)
    if isinstance(expected[0][0], str):
        assert [(m.kind, m.start) for m in got] == expected
    else:
        assert [(m.start, m.end) for m in got] == expected


def test_mentions_kind_priority_covers_every_kind() -> None:
    assert set(KIND_PRIORITY) == MENTION_KINDS


def seed_doc() -> Document:
    """The seed report as ingest would pass it on: tag line and caption removed."""
    if not SEED.exists():
        pytest.skip("seed report not available")
    body = "\n".join(SEED.read_text(encoding="utf-8").split("\n")[2:])
    return make(body)


def test_mentions_seed_report() -> None:
    doc = seed_doc()
    found = find_mentions(doc)
    for m in found:
        assert doc.text[m.start:m.end] == m.text
    places = {(m.name, m.country, m.place_kind) for m in found if m.kind == "place"}
    assert places == {
        ("Liaoning", "CN", "province"), ("Jilin", "CN", "province"), ("Nampo", "KP", "port"),
        ("Shanghai", "CN", "port"), ("Dalian", "CN", "port"), ("Sinuiju", "KP", "city"),
        ("Beijing", "CN", "city"),
    }
    assert {m.name for m in found if m.kind == "organization"} >= {"Daily NK", "Rodong Sinmun"}
    assert {m.country for m in found if m.kind == "country"} == {"CN", "KP"}
    assert {m.name for m in found if m.kind == "commodity"} == {
        "fertilizer", "agricultural supplies", "steel products", "car parts", "powdered milk",
        "soybean oil", "seasonings"}
    assert all(m.hs is not None and m.un_sanctions is not None
               for m in found if m.kind == "commodity" and m.name != "agricultural supplies")
    assert not [m for m in found if m.kind in ("person", "vessel")]


PIECES = list("abc XYZ -,.'’()\n") + [
    "Sinuiju", "Jilin", "Tumen", " provinces", "the port of ", "Kim Jong Un", "Hwajeon-ri",
    " County", "MV ", "the vessel ", "iron", "imports", "said ", "Smith", "the North", "Kim ",
    "Jong", "-ri", "Province", "(Tuman) River", ", ", " in ", "'s "]


def test_mentions_never_break_on_noise() -> None:
    """Arbitrary strings of report-like pieces: no exception, offsets valid, no overlaps."""
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=examples(300), deadline=None, derandomize=True, database=None)
    @hypothesis.given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
    def check(text: str) -> None:
        doc = Document(id="t", source="t", text=text, sentences=split_sentences(text), format="text")
        last = -1
        for m in find_mentions(doc):
            assert doc.text[m.start:m.end] == m.text and m.start >= last
            last = m.end

    check()
