"""Plain-text layout: tags, captions, title, byline taken only when they have the exact shape."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.ingest.textfile import is_caption, parse_byline, parse_layout, parse_tags
from tests.examples import examples

# Invented page in the seed's layout.
PAGE = (
    "smuggling, china, north korea, customs. fines\n"
    "Trucks queue at a customs post near the river (Image: Daily NK)\n"
    "\n"
    "Customs checks tightened on the Yalu\n"
    "Park Soo-min | 2021-04-12 09:30\n"
    "\n"
    "DANDONG, China -- Chinese customs officers have begun opening every container from "
    "Sinuiju, a trader told reporters on Sunday.\n"
    "\n"
    "The trader said fines of RMB 50,000 were imposed last week.\n"
)


def test_parse_layout_full_page():
    layout = parse_layout(PAGE)
    assert layout.tags == ["smuggling", "china", "north korea", "customs", "fines"]
    assert layout.captions == ["Trucks queue at a customs post near the river (Image: Daily NK)"]
    assert layout.title == "Customs checks tightened on the Yalu"
    assert (layout.author, layout.published) == ("Park Soo-min", "2021-04-12")
    assert layout.body.startswith("DANDONG, China -- Chinese customs")  # dateline stays in body
    assert PAGE.endswith(layout.body)


@pytest.mark.parametrize(
    "text",
    [
        "The border remained closed on Monday, a source said.\nMore text.",
        "china, north korea and russia held talks on trade at the border, officials said\nMore.",
        "Rice prices rose sharply in Hyesan (a city in Ryanggang Province) last month.\nMore.",
        "By the time the trucks arrived, customs had closed.\nMore.",
        "SHENYANG, China -- Traders say the bridge reopened.\nMore.",
        "rice, corn. Prices rose.\nMore.",
        "According to a source in Dandong, the bridge reopened on Tuesday.\nMore.",
        "\u201cWe cannot sell anything,\u201d said a trader in Hunchun\nMore.",
        "Updated rules took effect on June 1, 2020 in border towns\nwhich angered traders.",
    ],
    ids=["sentence", "lower-list-sentence", "brackets", "by-the-time", "dateline", "short-list",
         "according", "quote", "updated-sentence"],
)
def test_parse_layout_first_sentence_never_eaten(text):
    layout = parse_layout(text)
    assert layout.body == text
    assert not layout.tags and not layout.captions and layout.title is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("border, china, north korea, dprk, defectors, defections. remittance",
         ["border", "china", "north korea", "dprk", "defectors", "defections", "remittance"]),
        ("trade, sanctions, ports.", ["trade", "sanctions", "ports"]),
        ("Border, China, North Korea", None),
        ("border, china", None),
        ("border, the trade between the two countries was closed, china", None),
    ],
)
def test_parse_tags(line, expected):
    assert parse_tags(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("A marker on the riverbank near the border (Wikimedia Commons)", True),
        ("Trucks at the bridge in Dandong (Image: Daily NK)", True),
        ("Soldiers patrol the fence. (Photo: Yonhap)", True),
        ("A market in Hyesan (photo provided by a source)", True),
        ("The ministry confirmed the figures on Tuesday. (Yonhap)", False),
        ("Trucks crossed the bridge on Tuesday, a source said.", False),
    ],
)
def test_is_caption(line, expected):
    assert is_caption(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Kim Ji-hoon | 2019-06-29 14:46", ("Kim Ji-hoon", "2019-06-29")),
        ("By Lee Min-su", ("Lee Min-su", None)),
        ("By Lee Min-su - March 3, 2020", ("Lee Min-su", "2020-03-03")),
        ("Published: 2020-03-03", (None, "2020-03-03")),
        ("Sept. 5, 2017", (None, "2017-09-05")),
        ("5 September 2017", (None, "2017-09-05")),
        ("2017-02-30", None),
        ("By the river", None),
    ],
)
def test_parse_byline(line, expected):
    assert parse_byline(line) == expected


def test_parse_layout_only_furniture_keeps_text_as_body():
    text = "trade, border, china\nA bridge (Image: Daily NK)\n"
    assert parse_layout(text).body == text


def test_parse_layout_seed_report_tags_and_caption(seed_path):
    layout = parse_layout(seed_path.read_text(encoding="utf-8"))
    assert layout.tags[:3] == ["border", "china", "north korea"]
    assert "remittance" in layout.tags and "defections" in layout.tags
    assert len(layout.captions) == 1 and layout.captions[0].endswith("(Wikimedia Commons)")
    assert not layout.body.startswith(("border,", layout.captions[0]))


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc XYZ,.|:-()\n\t1209")) | st.characters(),
               max_size=300))
def test_parse_layout_never_raises_and_body_is_suffix(text):
    layout = parse_layout(text)
    assert text.endswith(layout.body)
    assert bool(layout.body.strip()) == bool(text.strip())
