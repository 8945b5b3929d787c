"""Who says it: the six kinds of attribution, outlets, holders, credits and multi-paragraph quotes."""

from __future__ import annotations

import json

import pytest

from borderwatch.extract.attributions import find_attributions, speakers_by_sentence
from tests.extract import factsbuild as fb


def _atts(text: str, outlet: str | None = "Daily NK", mentions=None):
    d = fb.doc(text, outlet=outlet)
    return d, find_attributions(d, (mentions or (lambda d: []))(d))


# (invented text, expected attribution text, kind, outlet); one line a case.
FORMS = [
    ("A Daily NK source in China said trucks were waiting at the bridge.",
     "A Daily NK source in China", "anonymous", "Daily NK"),
    ("A source in China close to North Korean affairs told Daily NK on October 11 that rice was scarce.",
     "A source in China close to North Korean affairs", "anonymous", "Daily NK"),
    ("A resident of North Hamgyong Province told RFA's Korean Service, speaking on condition of anonymity, that guards took bribes.",
     "A resident of North Hamgyong Province", "anonymous", "Radio Free Asia"),
    ("According to a Daily NK source in Ryanggang Province, the market closed early.",
     "a Daily NK source in Ryanggang Province", "anonymous", "Daily NK"),
    ("Prices fell again, a separate source said.", "a separate source", "anonymous", "Daily NK"),
    ("Demand is growing, a Dandong-based trader added.", "a Dandong-based trader", "anonymous", "Daily NK"),
    ("“The border is quiet,” said the source.", "the source", "anonymous", "Daily NK"),
    ("Kim Ji-hoon, a researcher at a Seoul institute, said the policy would fail.",
     "Kim Ji-hoon", "named_person", None),
    ("KCNA reported that the harvest was excellent.", "KCNA", "state_media", "KCNA"),
    ("Rodong Sinmun ran an article on Monday claiming the epidemic was over.",
     "Rodong Sinmun", "state_media", "Rodong Sinmun"),
    ("Yonhap reported that two ships had left the port.", "Yonhap reported", "media_outlet", "Yonhap"),
    ("Daily NK reported earlier this month that the market had reopened.",
     "Daily NK reported", "media_outlet", "Daily NK"),
    ("The bridge was closed, according to NK News.", "NK News", "media_outlet", "NK News"),
    ("North Korean authorities are claiming a steady fall in cases.",
     "North Korean authorities", "official", None),
    ("China's foreign ministry said the talks were useful.", "China's foreign ministry", "official", None),
    ("The authorities claim the outbreak is contained.", "The authorities", "official", None),
    ("A UN Panel of Experts report said the ships had switched flags.",
     "A UN Panel of Experts report", "document", None),
    ("Satellite imagery analysed by 38 North shows new fences along the river.",
     "Satellite imagery analysed by 38 North", "document", "38 North"),
    ("The coal was sold abroad, according to the resolution.", "the resolution", "document", None),
    ("South Korea's military said the shells fell into the sea.", "South Korea's military", "official", None),
    ("The Joint Chiefs of Staff said two rockets were fired.", "The Joint Chiefs of Staff", "official", None),
    ("North Korean authorities have described the rumours as lies.", "North Korean authorities", "official", None),
    ("Data from a private vessel-tracking firm shows the barge stopped twice.",
     "Data from a private vessel-tracking firm", "document", None),
    ("A Lowy Institute report published in May said exports grew.",
     "A Lowy Institute report published in May", "document", None),
    ("A farmer near the river, who asked not to be named, said the fence was new.",
     "A farmer near the river", "anonymous", "Daily NK"),
    ("A defector who sends money home each spring confirmed the fee had doubled.",
     "A defector", "anonymous", "Daily NK"),
    ("A second source, a fisherman in Sinpo, said the boats stayed in port.",
     "A second source, a fisherman in Sinpo", "anonymous", "Daily NK"),
]


@pytest.mark.parametrize("text, phrase, kind, outlet", FORMS)
def test_attributions_forms(text: str, phrase: str, kind: str, outlet: str | None) -> None:
    d, atts = _atts(text)
    hits = [a for a in atts if a.text == phrase]
    assert hits, [a.text for a in atts]
    assert (hits[0].kind, hits[0].outlet) == (kind, outlet)
    assert d.text[hits[0].start:hits[0].end] == hits[0].text and hits[0].rule.startswith("attribution.")


def test_attributions_named_person_from_mentions() -> None:
    text = "Park Min-ho told reporters that the trucks were gone."
    _, atts = _atts(text, mentions=lambda d: [fb.person(d, "Park Min-ho")])
    assert [(a.kind, a.holder) for a in atts] == [("named_person", "Park Min-ho")]


def test_attributions_state_media_from_org_mentions() -> None:
    text = "Minju Choson claimed the harvest was the best in years."
    _, atts = _atts(text, mentions=lambda d: [fb.org(d, "Minju Choson", "state_media")])
    assert [(a.kind, a.outlet) for a in atts] == [("state_media", "Minju Choson")]


@pytest.mark.parametrize("text", [
    "A customs post at the bridge in Dandong (Image: Daily NK)",
    "A marker on the river bank (Wikimedia Commons)",
    "Trucks wait at the crossing in a photo provided by AFP.",
    "Soldiers march in Pyongyang. (Yonhap)",
    "A Daily NK correspondent visited the market.",
    "Traders are asking for more fertilizer.",
    "The source of the river lies in the mountains.",
    "Residents of the village have been told to stay indoors.",
    "The authorities declared a curfew in the county.",
    "Local authorities told residents to keep away from the bank.",
    "Pyongyang was quiet, according to the North's official Korean Central News Agency (KCNA).",
])
def test_attributions_credits_and_plain_text_are_not_attributions(text: str) -> None:
    _, atts = _atts(text)
    assert atts == []


@pytest.mark.parametrize("text, holder_word", [
    ("Residents say the new fence is ugly.", "Residents"),
    ("Analysts in Tokyo said the move was symbolic.", "Analysts"),
])
def test_attributions_bare_plurals_are_anonymous_sources(text: str, holder_word: str) -> None:
    # the annotation guideline counts every distinct attribution (bare_plurals_speak: true)
    _, atts = _atts(text)
    assert [a.kind for a in atts] == ["anonymous"] and atts[0].text.startswith(holder_word)


def test_attributions_repeated_source_keeps_its_holder() -> None:
    text = ("According to a Daily NK source in Hyesan, the market shut.\n\n"
            "Prices rose, the source said.\n\nThe source told Daily NK that guards were bribed.")
    _, atts = _atts(text)
    assert len(atts) == 3 and len({a.holder for a in atts}) == 1
    assert all(a.outlet == "Daily NK" for a in atts)


def test_attributions_another_source_is_a_new_holder() -> None:
    text = "A source said the bridge was shut. Another source said it was open."
    _, atts = _atts(text)
    assert len(atts) == 2 and atts[0].holder != atts[1].holder


def test_attributions_speakers_multi_paragraph_quote() -> None:
    text = ("“The guards stopped every truck,” said a trader in Sinuiju.\n\n"
            "“Nobody could cross for a week.\n\n"
            "“It was worse than last year,” he added.\n\n"
            "The ministry did not respond to requests for comment.\n\n"
            "“Prices doubled,” a Hyesan resident said.\n\n"
            "“Rice is scarce.”")
    d, atts = _atts(text)
    speakers = speakers_by_sentence(d, atts)
    assert [a.text for a in atts] == ["a trader in Sinuiju", "a Hyesan resident"]
    assert speakers == [0, 0, 0, None, 1, 1]


def test_attributions_speaker_governs_rest_of_its_paragraph_only() -> None:
    text = ("According to a source in China, trucks are waiting. Drivers are angry.\n\n"
            "The bridge was built in 1943.")
    d, atts = _atts(text)
    assert speakers_by_sentence(d, atts) == [0, 0, None]


@pytest.fixture(scope="module")
def seed():
    d = fb.seed_doc()
    mentions, _, _ = fb.seed_facts(d)
    return d, find_attributions(d, mentions)


def test_attributions_seed_expected_sources(seed) -> None:
    _, atts = seed
    expected = json.loads(fb.SEED_EXPECTED.read_text(encoding="utf-8"))["sources"]
    for exp in expected:
        hits = [a for a in atts if a.text == exp["text"] and a.kind == exp["kind"]]
        assert hits, exp
        assert hits[0].outlet == exp["outlet"]


def test_attributions_seed_no_spurious_holders(seed) -> None:
    _, atts = seed
    assert {a.holder for a in atts} == {"Daily NK source in China", "Rodong Sinmun",
                                        "North Korean authorities", "Daily NK"}


def test_attributions_definite_phrase_with_modifier_refers_back() -> None:
    text = ("A source in Hoeryong told Daily NK that fees rose.\n\n"
            "A separate source in Musan said the bridge was shut.\n\n"
            "Prices doubled, the Hoeryong source said. The source in Musan added that rice was scarce.")
    _, atts = _atts(text)
    holders = [a.holder for a in atts]
    assert len(atts) == 4 and holders[2] == holders[0] and holders[3] == holders[1] != holders[0]


def test_attributions_reported_speech_inside_a_quote_is_not_a_new_source() -> None:
    text = "“The brokers say the risk is higher, so they charge more,” a source in Hyesan said."
    _, atts = _atts(text)
    assert [a.text for a in atts] == ["a source in Hyesan"]


def test_attributions_own_outlet_survey_is_its_own_voice() -> None:
    text = ("Rice rose again, according to Daily NK's monthly survey of prices.\n\n"
            "Corn rose too, according to the survey.")
    _, atts = _atts(text)
    assert atts == []


def test_attributions_outlet_told_gives_the_outlet_of_an_undated_file() -> None:
    text = ("A farmer in Musan told RFA that the fields were flooded.\n\n"
            "A trader in Hyesan said rice was dear.")
    _, atts = _atts(text, outlet=None)
    assert [a.outlet for a in atts] == ["Radio Free Asia", "Radio Free Asia"]
