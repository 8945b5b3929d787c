"""Hostile inputs stay linear: forms that once made a finder quadratic (issue 9) now finish,
and a report past the time budget fails with a reason instead of hanging.

Timing thresholds stay out of tests (machines here are noisy): these check the forms finish
under pytest-timeout's generous cap and give the same facts as before; bench/linearity.py
measures the growth per doubling.
"""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.clean.sentences import MAX_SENTENCE, split_sentences
from borderwatch.extract import pipeline
from borderwatch.extract.pipeline import TooLongToExtract, extract
from borderwatch.model import Report

HEAD = "Invented test report.\n\n"


def _sheet(body: str):
    return extract(make_document(Report(source="invented.txt", body=HEAD + body, format="text")))


def test_sentences_are_cut_at_the_cap_on_a_space():
    text = "traders said prices rose and " * 400  # one 11,600-character "sentence"
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(s.end - s.start <= MAX_SENTENCE for s in spans)
    assert all(text[s.start - 1] == " " for s in spans[1:])  # cut between words
    assert "".join(text[s.start:s.end] + " " for s in spans).split() == text.split()


def test_a_run_of_full_stops_is_one_boundary():
    text = "Smugglers were caught" + "." * 1_500 + " Guards fined them."
    spans = split_sentences(text)
    assert [text[s.start:s.end][-1] for s in spans] == [".", "."]
    assert text[spans[1].start:spans[1].end] == "Guards fined them."


@pytest.mark.timeout(120)
@pytest.mark.parametrize("body", [
    "smuggling " * 20_000,                                  # one trigger word repeated
    "rice costs 5,000 won. " * 9_000,                       # won amounts in one long sentence
    "Sambong-ri " * 18_000,                                 # place-like names
    "A source told Daily NK that Kim Chol said so, " * 4_000,  # speakers and outlets
])
def test_repeated_forms_finish_with_facts(body):
    sheet = _sheet(body)
    assert sheet.mentions or sheet.events or sheet.amounts or sheet.attributions


def test_many_mentions_of_one_kind_merge_into_few_events():
    sheet = _sheet("Smuggling was reported. " * 3_000)
    smuggling = [e for e in sheet.events if e.type == "smuggling"]
    assert smuggling and len(smuggling) < 3_000  # repeats within the window join one happening


def test_past_the_budget_is_a_clear_failure():
    doc = make_document(Report(source="invented.txt", body=HEAD + "Guards in Hyesan fined traders.",
                               format="text"))
    with pytest.raises(TooLongToExtract, match=r"too long to extract in 0 s"):
        extract(doc, budget_s=0)
    assert extract(doc).events  # the default budget is generous


def test_ingest_records_a_report_past_the_budget_and_goes_on(tmp_path, monkeypatch):
    from borderwatch.ingest import ReadOptions
    from borderwatch.jobs import ingest
    from borderwatch.store import open_db

    monkeypatch.setattr(pipeline, "BUDGET_S", 0.0)
    (tmp_path / "a.txt").write_text(HEAD + "Guards in Hyesan fined traders 500 yuan.")
    conn = open_db(tmp_path / "s.db")
    failures = []
    ingest(conn, [str(tmp_path / "a.txt")], ReadOptions(published="2024-06-01"),
           on_failure=failures.append)
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert any("too long to extract" in f.reason for f in failures)


def test_longer_than_max_chars_is_not_extracted(monkeypatch):
    body = "Guards in Hyesan fined traders 500 yuan. " * 10
    doc = make_document(Report(source="invented.txt", body=HEAD + body, format="text"))
    monkeypatch.setattr(pipeline, "MAX_CHARS", len(doc.text))
    assert extract(doc).events  # at the limit: extracted
    monkeypatch.setattr(pipeline, "MAX_CHARS", len(doc.text) - 1)
    with pytest.raises(TooLongToExtract, match=rf"{len(doc.text):,} characters, more than"):
        extract(doc)
    assert extract(doc, max_chars=float("inf")).events  # lifted, as bench/linearity.py does
