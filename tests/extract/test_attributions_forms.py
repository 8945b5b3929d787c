"""Who says it, in the wording of real reports: invented sentences for each form of issue 7."""

from __future__ import annotations

from dataclasses import replace

import pytest

from borderwatch.extract.attributions import find_attributions
from tests.extract import factsbuild as fb


def _atts(text: str, outlet: str | None = "Daily NK", mentions=None):
    d = fb.doc(text, outlet=outlet)
    return d, find_attributions(d, (mentions or (lambda d: []))(d))


# (invented text, expected attribution text, kind, holder or None); one line a case.
FORMS = [
    # speech verbs beyond "said"
    ("A trader in Manpo indicated to Daily NK that diesel was scarce.", "A trader in Manpo", "anonymous", None),
    ("A driver in Namyang suggested the checkpoint would close soon.", "A driver in Namyang", "anonymous", None),
    ("A cadre in Kanggye informed Daily NK that the quota was raised.", "A cadre in Kanggye", "anonymous", None),
    # framing before the source: quoting, citing, "quoted Y as saying"
    ("Quoting a merchant in the northern town of Hyesan near the river, the paper said rice was dear.",
     "a merchant in the northern town of Hyesan near the river", "anonymous", None),
    ("The weekly quoted smugglers with ties to Chinese buyers as saying the fee had doubled.",
     "smugglers with ties to Chinese buyers", "anonymous", None),
    ("The paper cited smugglers near the port as saying fuel had arrived.", "smugglers near the port",
     "anonymous", None),
    # an aside or a relative clause before the verb
    ("A fisherman in Sinpo, citing a notice from the harbour office, wrote that boats were idle.",
     "A fisherman in Sinpo", "anonymous", None),
    ("A vendor at the station — a widow of sixty — said the trains were late.",
     "A vendor at the station", "anonymous", None),
    # chained prepositional tails
    ("A farm official from South Pyongan province in the country's west told RFA that seed was short.",
     "A farm official from South Pyongan province in the country's west", "anonymous", None),
    # counted or qualified groups
    ("According to a dozen people close to the talks, the deal was signed.",
     "a dozen people close to the talks", "anonymous", None),
    ("According to nine people, including two engineers, the dam leaked.", "nine people", "anonymous", None),
    ("Three drivers and two porters told Reuters the road was closed.",
     "Three drivers and two porters", "anonymous", None),
    ("According to some Swedish aid groups that feed orphans, the children were moved.",
     "some Swedish aid groups", "anonymous", None),
    # reporting partners are people, not the outlet reporting
    ("Two ASIAPRESS reporting partners near Onsong said the market was raided.",
     "Two ASIAPRESS reporting partners near Onsong", "anonymous", None),
    # anyone who told an outlet
    ("E.U. negotiators have told Reuters the text is final.", "E.U. negotiators", "anonymous", None),
    ("Several crew members told Reuters the tanker had turned off its transponder.",
     "Several crew members", "anonymous", None),
    # a surname given makes a named person
    ("A worker in Rason, who only gave his surname Ri, said the plant was shut.",
     "A worker in Rason, who only gave his surname Ri", "named_person", "Ri"),
    ("A smuggler identified only by her surname, Pak, said the guards wanted more.",
     "A smuggler identified only by her surname, Pak", "named_person", "Pak"),
    # roles around names
    ("According to Finance secretary Alma Reyes, the fines will rise.", "Alma Reyes", "named_person", "Alma Reyes"),
    ("The head of the union, Tomas Berg, said the crews would strike.", "Tomas Berg", "named_person", "Tomas Berg"),
    ("Nora Lind, who fled in 2011 and now lives in Oslo, rejected the claim.", "Nora Lind", "named_person", None),
    ("Lars Holm, an economist in Stockholm, attributed the fall to the border closure.",
     "Lars Holm", "named_person", None),
    # official bodies: countries, agencies, consulates, NGOs and international bodies
    ("The Russian customs service said it had seized the cargo.", "The Russian customs service", "official", None),
    ("The Chinese embassy in Oslo posted a notice about visas.", "The Chinese embassy", "official", None),
    ("The Korean Freedom Alliance says the men were caught near the river.",
     "The Korean Freedom Alliance", "official", "Korean Freedom Alliance"),
    ("Japan's foreign ministry had not yet confirmed the sinking.", "Japan's foreign ministry", "official", None),
    ("Moscow threatened to respond to the new sanctions.", "Moscow", "official", None),
    # outlets: by form, coordinated, with descriptors, by a report
    ("Hokkai Shimbun reported that the boat sank.", "Hokkai Shimbun reported", "media_outlet", "Hokkai Shimbun"),
    ("Kyodo and Hokkai Shimbun reported that the boat sank.", "Kyodo", "media_outlet", "Kyodo"),
    ("According to the London-based Reuters, the fence is new.", "Reuters", "media_outlet", "Reuters"),
    ("Citing a report by the Tokyo outlet Asia Press, the paper said rice was dear.",
     "a report by the Tokyo outlet Asia Press", "media_outlet", "Asia Press"),
    ("The Seoul-based outlet NK News (NKN) reported that the port was busy.", "NK News (NKN) reported",
     "media_outlet", "NK News"),
    # documents
    ("A new satellite image from a commercial provider of the dock shows two cranes.",
     "A new satellite image from a commercial provider of the dock", "document", None),
    ("According to an AP review of 40 court filings, the firm paid fines.", "an AP review of 40 court filings",
     "document", None),
    ("A study published by two universities, which this paper has obtained, says cases rose.",
     "A study published by two universities", "document", None),
]


@pytest.mark.parametrize("text, phrase, kind, holder", FORMS)
def test_attribution_forms_of_real_reports(text: str, phrase: str, kind: str, holder: str | None) -> None:
    d, atts = _atts(text)
    hits = [a for a in atts if a.text == phrase]
    assert hits, [(a.text, a.kind) for a in atts]
    assert hits[0].kind == kind and (holder is None or hits[0].holder == holder), hits[0]
    assert d.text[hits[0].start:hits[0].end] == phrase


def test_attribution_coordinated_outlets_are_two_sources() -> None:
    _, atts = _atts("Kyodo and Hokkai Shimbun reported that the boat sank.")
    assert {(a.kind, a.holder) for a in atts} == {("media_outlet", "Kyodo"), ("media_outlet", "Hokkai Shimbun")}


@pytest.mark.parametrize("text", [
    "People say the market is quiet.",
    "According to reports, the bridge was closed.",
    "A press report said the bridge was closed.",
    "Pyongyang's state newspaper said the harvest was good.",
    "Laos was reported by the panel for buying rockets.",
    "“The authorities say the road is safe, but nobody believes it,” a driver said.",
    "Trucks crossed the bridge, according to Daily NK.",
    "Residents have been informed that the market will move.",
    "Officials dismissed two guards after the inspection.",
])
def test_attribution_forms_that_are_not_sources(text: str) -> None:
    _, atts = _atts(text)
    bad = [a for a in atts if a.text in ("People", "reports", "A press report", "Pyongyang", "Laos",
                                          "The authorities", "Daily NK", "Residents", "Officials")]
    assert bad == [], [(a.text, a.kind) for a in atts]


def test_attribution_possessive_outlet_source_refers_back() -> None:
    text = ("A source in Musan told RFA the fence was new.\n\n"
            "RFA's source added that guards were fewer. The newspaper's source also said fees rose.")
    _, atts = _atts(text, outlet="Radio Free Asia")
    assert len(atts) == 3 and len({a.holder for a in atts}) == 1


def test_attribution_bare_sources_refer_to_the_fuller_phrase() -> None:
    text = ("Sources close to the trade told RFA that fees rose.\n\n"
            "Sources also told RFA that brokers were arrested.")
    _, atts = _atts(text, outlet="Radio Free Asia")
    assert len(atts) == 2 and atts[1].holder == atts[0].holder


def test_attribution_bare_plural_is_not_the_singular_source() -> None:
    text = "Trade has stopped, sources say.\n\nA source in Sinuiju told RFA the bridge was shut."
    _, atts = _atts(text, outlet="Radio Free Asia")
    assert len(atts) == 2 and atts[0].holder != atts[1].holder


def test_attribution_headline_source_is_the_body_source() -> None:
    text = ("Source says workers will be called home\n"
            "A source close to the matter said the workers would leave in May.")
    _, atts = _atts(text)
    assert len(atts) == 2 and atts[0].holder == atts[1].holder


def test_attribution_definite_document_refers_back() -> None:
    text = ("A report by a panel of experts said the ships met at sea. "
            "The panel's report also says the cargo was coal.")
    _, atts = _atts(text)
    docs = [a for a in atts if a.kind == "document"]
    assert len(docs) == 2 and docs[0].holder == docs[1].holder


def test_attribution_surname_alone_is_the_named_person() -> None:
    text = ("Tomas Berg, the union's head, said the crews would strike. "
            "Berg said the talks had failed.")
    _, atts = _atts(text, mentions=lambda d: [fb.person(d, "Tomas Berg")])
    people = [a for a in atts if a.kind == "named_person"]
    assert [a.text for a in people] == ["Tomas Berg", "Berg"] and {a.holder for a in people} == {"Tomas Berg"}


def test_attribution_source_line_names_the_outlet() -> None:
    text = "The market in Hyesan was closed for a week.\n\nSource: Yonhap"
    _, atts = _atts(text)
    assert [(a.kind, a.holder) for a in atts] == [("media_outlet", "Yonhap")]


def test_attribution_org_mention_of_an_ngo_speaks_as_official() -> None:
    text = "Amnesty International said the men faced torture."
    _, atts = _atts(text, mentions=lambda d: [fb.org(d, "Amnesty International", "ngo")])
    assert [(a.kind, a.holder) for a in atts] == [("official", "Amnesty International")]


@pytest.mark.parametrize("text, name, code", [
    ("The United States insisted the tanker broke the cap.", "United States", "US"),
    ("Canada announced on Tuesday that it would add two ships to its list.", "Canada", "CA"),
])
def test_attribution_country_mention_speaks_as_official(text: str, name: str, code: str) -> None:
    _, atts = _atts(text, mentions=lambda d: [fb.country(d, name, code)])
    assert [(a.kind, a.holder) for a in atts] == [("official", name)]


def test_attribution_country_after_a_verb_is_not_a_speaker() -> None:
    text = "A trader said Chinese buyers rarely pay in cash."
    _, atts = _atts(text, mentions=lambda d: [fb.country(d, "Chinese", "CN")])
    assert [a.kind for a in atts] == ["anonymous"]


# (invented text, expected attribution text, kind); forms found by their shape, one line a case.
SHAPES = [
    ("Two waiters said they had not been paid since spring.", "Two waiters", "anonymous"),
    ("Several deckhands told this reporter the nets were empty.", "Several deckhands", "anonymous"),
    ("In its latest monthly report for the region, the agency said stocks were low.",
     "its latest monthly report for the region", "document"),
    ("Last week the panel published a yearly report on the ship transfers.",
     "a yearly report on the ship transfers", "document"),
    ("A satellite image available on a public map site, which shows two barges, was taken in May.",
     "A satellite image available on a public map site", "document"),
    ("Officials in Norway and the Netherlands have cast doubt on the figures.",
     "Officials in Norway and the Netherlands", "anonymous"),
    ("Two former prisoners and a lawyer have reported beatings in the camp.", "Two former prisoners and a lawyer",
     "anonymous"),
    ("A worker at a shipping firm in Nampho said in a phone interview with RFA that cranes were idle.",
     "A worker at a shipping firm in Nampho", "anonymous"),
    ("The port tracker also recorded a steady flow of barges.", "The port tracker", "document"),
]


@pytest.mark.parametrize("text, phrase, kind", SHAPES)
def test_attribution_shapes(text: str, phrase: str, kind: str) -> None:
    _, atts = _atts(text)
    hits = [a for a in atts if a.text == phrase]
    assert hits and hits[0].kind == kind, [(a.text, a.kind) for a in atts]


def test_attribution_transcript_speaker_lines() -> None:
    text = ("The market was quiet.\n\nFish trader (voice altered)/\n\nNobody buys anything now.\n\n"
            "Ha Min-seo / Researcher, Coastal Policy Institute\n\nThe boats cannot leave.\n\n"
            "A pier in the harbour (Photo Archive/Commons)")
    _, atts = _atts(text)
    assert [(a.kind, a.holder) for a in atts] == [("anonymous", "Fish trader"), ("named_person", "Ha Min-seo")]


@pytest.mark.parametrize("text, wrong", [
    ("A review of customs data for the past decade shows exports fell.", "A review"),
    ("According to ten people, including three drivers and a former customs officer, the fee rose.",
     "a former customs officer"),
    ("Two reports said the ships had met at sea.", "Two reports"),
    ("Brokers near the frontier tell families where to collect the money.", "Brokers"),
])
def test_attribution_shapes_that_are_not_new_sources(text: str, wrong: str) -> None:
    _, atts = _atts(text)
    bad = [a for a in atts if a.text.startswith(wrong) and (a.kind == "anonymous" or wrong == "A review")]
    assert bad == [], [(a.text, a.kind) for a in atts]


@pytest.mark.parametrize("text", [
    "Economy / Trade\n\nPrices rose again in the markets.",
    "Photo / Harbour Archive\n\nThe pier was empty.",
    "Several countries said they would send observers.",
    "The group said the film shows the men at the river. It says the footage shows them crossing.",
])
def test_attribution_lines_and_groups_that_are_not_speakers(text: str) -> None:
    _, atts = _atts(text)
    assert [a for a in atts if a.text in ("Economy", "Photo", "Several countries", "the footage")] == []


def test_attribution_own_outlet_review_without_possessive_is_a_source() -> None:
    text = ("Two guards told AP the camp had grown.\n\n"
            "According to an AP review of 60 budget notices, spending doubled.")
    _, atts = _atts(text, outlet=None)
    assert ("document", "an AP review of 60 budget notices") in [(a.kind, a.text) for a in atts]


# (invented text, expected attribution text, kind)
MORE = [
    ("A U.K. diplomat, speaking on condition of anonymity, said the talks stalled.", "A U.K. diplomat", "anonymous"),
    ("“We sold the boat,” a woman in Sinpo told the newspaper.", "a woman in Sinpo", "anonymous"),
    ("According to figures released by the Harbour Statistics Office, landings fell.",
     "figures released by the Harbour Statistics Office", "document"),
    ("The border police said two smugglers were caught.", "The border police", "official"),
    ("North Korea's state media reported on Friday that the dam was finished.", "North Korea's state media",
     "state_media"),
]


@pytest.mark.parametrize("text, phrase, kind", MORE)
def test_attribution_more_forms(text: str, phrase: str, kind: str) -> None:
    _, atts = _atts(text)
    hits = [a for a in atts if a.text == phrase]
    assert hits and hits[0].kind == kind, [(a.text, a.kind) for a in atts]


def test_attribution_registry_body_after_according_to_the() -> None:
    text = "According to the Coastal Fisheries Board, catches halved."
    _, atts = _atts(text, mentions=lambda d: [fb.org(d, "Coastal Fisheries Board", "government")])
    assert [(a.kind, a.holder) for a in atts] == [("official", "Coastal Fisheries Board")]


@pytest.mark.parametrize("text, holders", [
    ("KCNA said the dam was finished. North Korea's state media also reported that the harvest was good.",
     {"KCNA"}),
    ("KCNA said the dam was finished, and Rodong Sinmun claimed the harvest was good. "
     "North Korea's state media also reported a new law.", {"KCNA", "Rodong Sinmun"}),
])
def test_attribution_described_state_media_is_the_named_one(text: str, holders: set[str]) -> None:
    _, atts = _atts(text)
    assert {a.holder for a in atts if a.kind == "state_media"} == holders


def test_attribution_coordinated_countries_both_speak() -> None:
    text = "Norway and Iceland said they would send observers."
    _, atts = _atts(text, mentions=lambda d: [fb.country(d, "Norway", "NO"), fb.country(d, "Iceland", "IS")])
    assert [(a.kind, a.holder) for a in atts] == [("official", "Norway"), ("official", "Iceland")]


def test_attribution_demonym_is_not_a_country_speaking() -> None:
    text = "The Norwegian, who had long tolerated the trade, said nothing."
    _, atts = _atts(text, mentions=lambda d: [replace(fb.country(d, "Norwegian", "NO"), name="Norway")])
    assert [a for a in atts if a.kind == "official"] == []


def test_attribution_generic_ministry_refers_back() -> None:
    text = ("According to the fisheries ministry in Oslo, the quota was cut. "
            "The ministry added that the cut would last a year.")
    _, atts = _atts(text, mentions=lambda d: [fb.org(d, "fisheries ministry", "government")])
    assert len(atts) == 2 and atts[0].holder == atts[1].holder


@pytest.mark.parametrize("text, phrase, kind", [
    ("Prices rose, said Varga, who runs a stall in the market.", "Varga", "named_person"),
    ("Harbin Evening News reported the story first.", "Harbin Evening News reported", "media_outlet"),
])
def test_attribution_single_names(text: str, phrase: str, kind: str) -> None:
    _, atts = _atts(text)
    assert [(a.text, a.kind) for a in atts] == [(phrase, kind)]


def test_attribution_said_to_be_is_not_speech() -> None:
    _, atts = _atts("Two trucks said to be carrying coal were stopped at the bridge.")
    assert atts == []


@pytest.mark.parametrize("text, full, short", [
    ("Harbour official Roh Min-jae said the pier was shut. Roh said repairs would take a month.",
     "Roh Min-jae", "Roh"),
    ("Spokesperson Zhou Lanfen said the talks were useful. Zhou added that trade would grow.",
     "Zhou Lanfen", "Zhou"),
])
def test_attribution_family_name_first_is_the_person(text: str, full: str, short: str) -> None:
    _, atts = _atts(text, mentions=lambda d: [fb.person(d, full)])
    assert [(a.text, a.holder) for a in atts] == [(full, full), (short, full)]


def test_attribution_shared_surname_stands_for_nobody() -> None:
    text = "Lena Berg said the port was shut. Tom Berg said it was open. Berg added that ships waited."
    _, atts = _atts(text, mentions=lambda d: [fb.person(d, "Lena Berg"), fb.person(d, "Tom Berg")])
    assert "Berg" not in [a.text for a in atts]
