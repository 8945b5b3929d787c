"""Clean stage: normalisation, boilerplate from data, sentence spans, stable ids."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.clean import make_document
from borderwatch.clean.boilerplate import strip_boilerplate
from borderwatch.clean.document import report_id
from borderwatch.clean.normalize import normalize_text
from borderwatch.clean.sentences import split_sentences
from borderwatch.model import Report
from tests.examples import examples


@pytest.mark.parametrize("line", [
    "Read in Korean",
    "Please direct any comments or questions about this article to",
    "Please direct any comments or questions about this article to the editors.",
    "Email story",
    "Comment on this story",
    "Print story",
    "Share on Facebook | Twitter",
    "(Yonhap)",
])
def test_boilerplate_line_is_removed(line):
    body, removed = strip_boilerplate(f"Trucks crossed the bridge.\n\n{line}\n\nPrices fell.")
    assert line.strip() not in body
    assert "Trucks crossed the bridge." in body and "Prices fell." in body
    assert removed == (line,)


def test_boilerplate_related_headlines_list_is_cut_with_all_that_follows():
    text = "Prices fell in the market.\n\nRelated articles\nSmugglers fined in invented town\nRice up again"
    body, removed = strip_boilerplate(text)
    assert body == "Prices fell in the market."
    assert "Rice up again" in removed


def test_boilerplate_wire_credit_after_last_sentence_is_cut():
    body, removed = strip_boilerplate("The ministry said talks would resume. (Yonhap)")
    assert body == "The ministry said talks would resume."
    assert removed == ("(Yonhap)",)


def test_boilerplate_keeps_sentences_that_only_mention_the_words():
    text = "Residents said they read in Korean newspapers that email story links were blocked."
    assert strip_boilerplate(text)[0] == text


def test_normalize_line_ends_invisible_characters_and_spaces():
    assert normalize_text("\ufeffA\u00a0 b\r\n\r\n\r\n\r\nc\u200b d \r") == "A b\n\nc d"


@pytest.mark.parametrize("text,expected", [
    ("Prices rose. Traders left.", ["Prices rose.", "Traders left."]),
    ("Gen. Kim visited on Sept. 5. He left.", ["Gen. Kim visited on Sept. 5.", "He left."]),
    ("The U.S. said so. China did not.", ["The U.S. said so.", "China did not."]),
    ("“It is bad,” he said. “Very bad.”", ["“It is bad,” he said.", "“Very bad.”"]),
    ("Kim J. Park arrived.\nNew paragraph here", ["Kim J. Park arrived.", "New paragraph here"]),
    ("Is it open? No. It is closed!", ["Is it open?", "No.", "It is closed!"]),
    ("It cost 3.5 million won. Then 4.", ["It cost 3.5 million won.", "Then 4."]),
])
def test_sentences_split(text, expected):
    assert [text[s.start:s.end] for s in split_sentences(text)] == expected


@settings(max_examples=examples(300))
@given(st.text(alphabet=st.sampled_from(list("ab .?!\n\"”'AZ1é가")), max_size=300))
def test_sentences_spans_are_ordered_trimmed_and_inside_the_text(text):
    spans = split_sentences(text)
    last = 0
    for s in spans:
        assert last <= s.start < s.end <= len(text)
        piece = text[s.start:s.end]
        assert piece == piece.strip() and piece
        last = s.end


def test_document_id_is_stable_across_line_ends_and_bom():
    a = make_document(Report(source="a", body="Trucks crossed.\nPrices fell.", format="text"))
    b = make_document(Report(source="b", body="\ufeffTrucks crossed.\r\nPrices fell.\r\n", format="text"))
    assert a.id == b.id == report_id("Trucks crossed.\nPrices fell.")


def test_document_with_only_boilerplate_is_refused():
    with pytest.raises(ValueError):
        make_document(Report(source="a", body="Read in Korean\nEmail story", format="text"))


# --- the title is text (invented headlines) -------------------------------------------------

def _report(body: str, title: str | None):
    from borderwatch.model import Report
    return Report(source="t", body=body, format="html", title=title)


def test_clean_title_opens_the_text_as_its_own_sentence():
    from borderwatch.clean import make_document
    d = make_document(_report("Officials gave no figures.", "Customs seizes copper at Hunchun"))
    assert d.text.startswith("Customs seizes copper at Hunchun\n\n")
    first = d.sentences[0]
    assert d.text[first.start:first.end].strip() == "Customs seizes copper at Hunchun"


def test_clean_title_not_repeated_when_the_body_opens_with_it():
    from borderwatch.clean import make_document
    body = "Guards double night patrols\n\nPatrols now start at dusk."
    assert make_document(_report(body, "Guards double night patrols")).text == body


def test_clean_id_is_the_body_hash_with_or_without_title():
    from borderwatch.clean import make_document
    a = make_document(_report("Rice prices rose in Hyesan.", "Rice up"))
    b = make_document(_report("Rice prices rose in Hyesan.", None))
    assert a.id == b.id and a.text != b.text


def test_clean_facts_only_in_the_headline_are_found():
    from borderwatch.clean import make_document
    from borderwatch.extract.pipeline import extract
    d = make_document(_report("Officials gave no figures.", "Smugglers move copper across the Yalu near Sinuiju"))
    names = {m.name for m in extract(d).mentions}
    assert "Sinuiju" in names


def test_clean_untitled_report_takes_its_first_sentence_as_title():
    """Issue 8: a report without a title gets one from its first sentence, never its path."""
    from borderwatch.clean import make_document
    body = ("Traders in an invented border town said customs officers now search every cart, "
            "every bag and every pocket at the bridge before dawn. Prices rose.")
    d = make_document(_report(body, None))
    assert d.title.startswith("Traders in an invented border town") and d.title.endswith("…")
    assert d.text == body  # the derived title is not put into the text
    short = make_document(_report("Rice rose. Corn fell.", None))
    assert short.title == "Rice rose."
