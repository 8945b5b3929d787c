"""The pipeline picks the Korean finders by the report's language; every Korean fact points at
its characters. The sample is invented."""

from __future__ import annotations

from borderwatch.extract.pipeline import extract
from borderwatch.model import TOPICS
from tests.extract.factsbuild import doc, ko_doc

# Invented for this test.
TEXT = ("양강도 혜산시에서 지난 3일 밀수꾼 두 사람이 체포됐다고 데일리NK 소식통이 전했다. "
        "이 소식통은 \"장마당 쌀 가격이 1kg당 5천원까지 올랐다\"고 말했다. "
        "보위부는 벌금 2천 위안을 물렸다.")


def test_ko_report_gets_korean_facts() -> None:
    sheet = extract(ko_doc(TEXT, published="2024-03-05"))
    assert [m.name for m in sheet.mentions if m.kind == "place"] == ["Ryanggang", "Hyesan"]
    assert [(a.min, a.currency) for a in sheet.amounts if a.kind == "money"] == [(5000, "KPW"), (2000, "CNY")]
    assert [(a.min, a.unit) for a in sheet.amounts if a.kind == "quantity"] == [(2, "smugglers")]
    assert [d.value for d in sheet.dates] == ["2024-03-03"]
    assert {a.holder for a in sheet.attributions} == {"데일리NK 소식통"}
    assert {"enforcement", "price"} <= {e.type for e in sheet.events}
    assert sheet.topics and set(sheet.topics) <= set(TOPICS)


def test_ko_every_fact_points_at_its_characters() -> None:
    sheet = extract(ko_doc(TEXT, published="2024-03-05"))
    text = sheet.document.text
    for fact in (*sheet.mentions, *sheet.amounts, *sheet.dates, *sheet.attributions):
        assert text[fact.start:fact.end] == fact.text
    for e in sheet.events:
        assert text[e.start:e.end] == e.trigger


def test_language_decides_the_finders() -> None:
    english = extract(doc(TEXT, published="2024-03-05"))  # no language given: English finders
    assert not [a for a in english.amounts if a.currency == "CNY"]
    assert not english.attributions


def test_one_choice_of_finders_for_the_pipeline_and_the_sections():
    """extract() and the section extractor ask the same function which finders read a report."""
    from dataclasses import replace

    from borderwatch.extract.languages import finder_language
    from tests.extract.factsbuild import doc as en_doc
    from tests.extract.factsbuild import ko_doc

    assert finder_language(ko_doc("국경이 열렸다.")) == "ko"
    assert finder_language(en_doc("The border opened.")) == "en"
    assert finder_language(replace(en_doc("The border opened."), language="zh")) == "en"  # no finders of its own
    assert finder_language(replace(en_doc("The border opened."), language=None)) == "en"
