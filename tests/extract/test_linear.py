"""Hostile inputs stay linear: forms that once made a finder quadratic (issue 9) now finish,
and a report past the time budget fails with a reason instead of hanging.

Timing thresholds stay out of tests (machines here are noisy): these check the forms finish
under pytest-timeout's generous cap and give the same facts as before; bench/linearity.py
measures the growth per doubling.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.clean import make_document
from borderwatch.clean.sentences import MAX_SENTENCE, split_sentences
from borderwatch.extract import pipeline
from borderwatch.extract.pipeline import TooLongToExtract, extract
from borderwatch.model import Report
from tests.examples import examples

# slow tier: inputs of up to a megabyte, hostile forms repeated thousands of times
pytestmark = pytest.mark.slow

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


def _credit_by_whole_lines(before, text: str, s: int, e: int) -> bool:
    """The credit rule read off whole lines (as it was before issue 9 bounded its reach):
    the oracle for the bounded _is_credit."""
    line_start = text.rfind("\n", 0, s) + 1
    if before.search(text[max(line_start, s - 60):s]):
        return True
    line_end = text.find("\n", e)
    line_end = len(text) if line_end == -1 else line_end
    for o, c in ("()", "[]"):
        open_ = text.rfind(o, line_start, s)
        if open_ == -1 or c in text[open_:s]:
            continue
        close = text.find(c, e, line_end)
        if close == -1 or text[close + 1:line_end].strip() or close - open_ > 70:
            continue
        head = text[line_start:open_].rstrip()
        return o == "[" or not head or head[-1] not in ".!?\"”’"
    return False


_PIECES = st.sampled_from(["(", ")", "[", "]", "\n", " ", ".", "Photo: ", "AP", "word ",
                           "A full sentence. ", "x" * 40, "\t"])
_FILL = st.text(alphabet=" x.\t", max_size=90)


@settings(max_examples=examples(500), deadline=None)
@given(prefix=st.lists(_PIECES, max_size=12), opener=st.sampled_from(["", "(", "[", "Photo: "]),
       fill=_FILL, inner=st.text(alphabet=" x/", max_size=40),
       closer=st.sampled_from(["", ")", "]"]), tail=st.sampled_from(["", "\n", "  ", " more", ".\nNext"]))
def test_bounded_credit_check_agrees_with_reading_whole_lines(prefix, opener, fill, inner, closer, tail):
    from borderwatch.extract.entities import _is_credit, org_forms

    name = "Kcna"
    left = "".join(prefix) + opener + fill
    text = left + name + inner + closer + tail
    s, e = len(left), len(left) + len(name)
    before = org_forms().credit
    assert _is_credit(before, text, s, e) == _credit_by_whole_lines(before, text, s, e)


def test_one_happening_told_thousands_of_times_keeps_each_amount_once_in_order():
    sheet = _sheet("Guards in Hyesan fined smugglers 500 yuan, a source said. " * 1_500)
    merged = [e for e in sheet.events if len(e.amounts) > 1]
    assert merged  # the fines within each other's window are one happening
    assert sum(len(e.amounts) for e in merged) <= 1_500
    for ev in merged:
        assert len(ev.amounts) == len(set(ev.amounts))  # each amount once
        assert list(ev.amounts) == sorted(ev.amounts)  # in the order the text tells them
