"""Long reports are extracted in sections (issue 9: memory): the cuts, the shift of each
section's facts back into the report's coordinates, and the store rows they make.

Every text here is invented."""

from __future__ import annotations

import os
import sqlite3
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.clean import make_document
from borderwatch.extract.pipeline import extract, extract_report
from borderwatch.extract.sections import SECTION_CHARS, SectionedSheet, extract_in_sections, section_bounds
from borderwatch.model import Report
from borderwatch.store import open_db
from borderwatch.store.facts import write_facts
from tests.examples import examples

HEAD = "Invented test report.\n\n"
# Paragraphs that stand alone: each names its own places, amounts, dates and source.
PARAGRAPHS = [
    "Border guards in Hyesan fined two smugglers 500 yuan on Monday, a source in Ryanggang "
    "Province told Daily NK.",
    "Traders in Sinuiju said rice sold for 6,000 won per kilogram at the market on 3 May, "
    "a resident told the newsroom.",
    "Customs officers at Dandong held twelve trucks of coal for three days in April, "
    "according to a Chinese trader.",
    "A woman from Musan crossed the Tumen River and reached a safe house in Yanji in March, "
    "an activist said.",
]


def _doc(body: str):
    return make_document(Report(source="invented.txt", body=HEAD + body, format="text",
                                published="2024-06-01"))


def _long(n: int) -> str:
    return "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(n))


@settings(max_examples=examples(60), deadline=None)
@given(lengths=st.lists(st.integers(1, 400), min_size=1, max_size=60),
       breaks=st.lists(st.booleans(), min_size=60, max_size=60),
       limit=st.integers(300, 3_000))
def test_sections_cover_every_sentence_once_within_the_limit(lengths, breaks, limit):
    body = "".join(("w" * n + ". ") + ("\n\n" if b else "") for n, b in zip(lengths, breaks))
    doc = _doc(body)
    bounds = section_bounds(doc, limit)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(doc.sentences)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))  # contiguous, no gap, no overlap
    for i, j in bounds:
        assert j > i
        span = doc.sentences[j - 1].end - doc.sentences[i].start
        assert span <= limit or j == i + 1  # a lone sentence longer than the limit is its own section


def test_a_cut_prefers_a_paragraph_break():
    doc = _doc(_long(1400))
    assert len(doc.text) > SECTION_CHARS
    for _, j in section_bounds(doc)[:-1]:
        gap = doc.text[doc.sentences[j - 1].end:doc.sentences[j].start]
        assert "\n\n" in gap


def test_sectioned_facts_are_the_whole_reports_facts_in_its_coordinates():
    """Paragraphs that stand alone give the same names, amounts, dates and sources whether the
    report is read whole or in sections of 2,000 characters; events point at the same spans."""
    doc = _doc(_long(60))
    whole = extract(doc)
    sheet = extract_in_sections(doc, extract, limit=2_000)
    try:
        assert sheet.count >= 3
        parts = list(sheet.sections())
        def spans(items):
            return [(type(x).__name__, x.start, x.end, getattr(x, "id", None),
                     getattr(x, "value", None), getattr(x, "min", None), getattr(x, "holder", None))
                    for x in items]
        for field in ("mentions", "amounts", "dates", "attributions"):
            got = [x for p in parts for x in getattr(p, field)]
            assert spans(got) == spans(getattr(whole, field)), field
            for x in got:  # the report's text at the report's offsets
                assert doc.text[x.start:x.end] == x.text
        amounts = [a for p in parts for a in p.amounts]
        atts = [a for p in parts for a in p.attributions]
        for e in (e for p in parts for e in p.events):
            assert doc.text[e.start:e.end] == e.trigger
            sent = doc.sentences[e.sentence_index]
            assert sent.start <= e.start < sent.end
            for a in e.amounts:  # report-wide indices, in the event's own stretch of text
                assert abs(amounts[a].start - e.start) < 400
            if e.attribution is not None:
                assert abs(atts[e.attribution].start - e.start) < 400
        assert set(sheet.topics) == set(whole.topics)
    finally:
        sheet.discard()
    assert not os.path.exists(sheet.path)


def _rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    out = {}
    for t in ("mentions", "amounts", "dates", "attributions"):
        out[t] = conn.execute(f'SELECT idx, start, "end", sentence, text FROM {t} ORDER BY idx').fetchall()
    out["event_links"] = conn.execute(
        "SELECT a.start, a.\"end\" FROM events e, json_each(e.facts, '$.amounts') j"
        " JOIN amounts a ON a.report_id = e.report_id AND a.idx = j.value ORDER BY a.start").fetchall()
    return out


def test_a_sectioned_sheet_writes_the_rows_the_whole_sheet_writes(tmp_path):
    doc = _doc(_long(60))
    whole_db, parts_db = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    for conn, sheet in ((whole_db, extract(doc)), (parts_db, extract_in_sections(doc, extract, 2_000))):
        conn.execute("INSERT INTO reports(id, source, format, text, words, ingested_at)"
                     " VALUES (?, 'invented.txt', 'text', ?, 1, '2024-06-01')", (doc.id, doc.text))
        conn.executemany('INSERT INTO sentences(report_id, idx, start, "end") VALUES (?, ?, ?, ?)',
                         [(doc.id, i, s.start, s.end) for i, s in enumerate(doc.sentences)])
        write_facts(conn, sheet, "test")
        if isinstance(sheet, SectionedSheet):
            sheet.discard()
    assert _rows(parts_db) == _rows(whole_db)
    assert _rows(whole_db)["event_links"]


@pytest.mark.slow  # a whole ingest into a store
def test_a_long_report_is_ingested_in_sections_and_leaves_no_spool(tmp_path, monkeypatch):
    from borderwatch.ingest import ReadOptions
    from borderwatch.jobs import ingest

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    (tmp_path / "long.txt").write_text(HEAD + _long(1400))
    made = extract_report(_doc(_long(1400)))
    assert isinstance(made, SectionedSheet) and made.count >= 3
    expected = sum(len(p.mentions) for p in made.sections())
    made.discard()
    conn = open_db(tmp_path / "s.db")
    summary = ingest(conn, [str(tmp_path / "long.txt")], ReadOptions(published="2024-06-01"),
                     workers=1)
    assert summary.stored == 1
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == expected
    assert conn.execute("SELECT count(*) FROM report_topics").fetchone()[0] >= 1
    assert list(spool.iterdir()) == []  # every spool file removed once written


def test_a_report_of_ordinary_length_is_one_sheet():
    doc = _doc(_long(4))
    assert extract_report(doc) == extract(doc)


@pytest.mark.parametrize("budget", [0.0])
def test_the_time_budget_covers_all_sections(budget):
    from borderwatch.extract.pipeline import TooLongToExtract

    with pytest.raises(TooLongToExtract, match=r"too long to extract in 0 s"):
        extract_report(_doc(_long(1400)), budget_s=budget)
