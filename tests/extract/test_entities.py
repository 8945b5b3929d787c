"""Countries, organisations, persons and vessels: forms that count and look-alikes that must not."""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.datafiles import DataError
from borderwatch.extract.entities import build_entities, entity_data
from borderwatch.extract.mentions import find_mentions
from borderwatch.model import Mention, Report


def found(text: str, kind: str) -> list[Mention]:
    """Mentions of one kind in an invented text, offsets checked."""
    doc = make_document(Report(source="t", body=text, format="text"))
    out = find_mentions(doc)
    for m in out:
        assert doc.text[m.start:m.end] == m.text
    return [m for m in out if m.kind == kind]


@pytest.mark.parametrize("text,surface,cid", [
    ("North Korea closed the border.", "North Korea", "country:KP"),
    ("The DPRK closed the border.", "DPRK", "country:KP"),
    ("China closed the border.", "China", "country:CN"),
    ("South Korea sent aid.", "South Korea", "country:KR"),
    ("Russia sent oil.", "Russia", "country:RU"),
    ("Chinese traders waited.", "Chinese", "country:CN"),
    ("North Korean authorities denied it.", "North Korean", "country:KP"),
    ("Russian ships docked.", "Russian", "country:RU"),
    ("Officials from North Korea said the North would not yield.", "the North", "country:KP"),
    ("Defectors from North Korea settle in the South.", "the South", "country:KR"),
    ("Trade on the China-North Korea border fell.", "North Korea", "country:KP"),
])
def test_entities_countries(text: str, surface: str, cid: str) -> None:
    hits = [m for m in found(text, "country") if m.text == surface]
    assert len(hits) == 1 and hits[0].id == cid and hits[0].country == cid.split(":")[1]


@pytest.mark.parametrize("text,surface", [
    ("The North Sea is cold. North Korea is not.", "the North"),
    ("Prices in the North of China rose.", "the North"),
    ("Wages in the North are low.", "the North"),  # no Korea named in the report
    ("He read it in Korean.", "Korean"),
])
def test_entities_country_lookalikes(text: str, surface: str) -> None:
    assert all(m.text.lower() != surface.lower() for m in found(text, "country"))


@pytest.mark.parametrize("text,surface,oid,kind,country", [
    ("Daily NK reported the arrests.", "Daily NK", "org:daily-nk", "media", "KR"),
    ("A resident told RFA's Korean Service.", "RFA's Korean Service", "org:rfa", "media", "US"),
    ("RFA reported it first.", "RFA", "org:rfa", "media", "US"),
    ("NK News and NK Pro obtained images.", "NK Pro", "org:nk-pro", "media", "KR"),
    ("Yonhap reported the launch.", "Yonhap", "org:yonhap", "media", "KR"),
    ("38 North analysed imagery.", "38 North", "org:38-north", "media", "US"),
    ("KCNA reported the meeting.", "KCNA", "org:kcna", "state_media", "KP"),
    ("Rodong Sinmun ran an article.", "Rodong Sinmun", "org:rodong-sinmun", "state_media", "KP"),
    ("Xinhua said the talks went well.", "Xinhua", "org:xinhua", "state_media", "CN"),
    ("Agents of the Ministry of State Security arrested him.", "Ministry of State Security", "org:kp-mss", "government", "KP"),
    ("The Ministry of Social Security issued fines.", "Ministry of Social Security", "org:kp-mss-social", "government", "KP"),
    ("China's Ministry of Commerce banned imports.", "China's Ministry of Commerce", "org:cn-mofcom", "government", "CN"),
    ("China's General Administration of Customs published data.", "China's General Administration of Customs", "org:cn-customs", "government", "CN"),
    ("South Korea's Ministry of Unification said so.", "South Korea's Ministry of Unification", "org:kr-mou", "government", "KR"),
    ("The Workers' Party of Korea met.", "Workers' Party of Korea", "org:wpk", "party", "KP"),
    ("The Workers’ Party of Korea met.", "Workers’ Party of Korea", "org:wpk", "party", "KP"),
    ("The Organization and Guidance Department purged him.", "Organization and Guidance Department", "org:wpk-ogd", "party", "KP"),
    ("The Korean People's Army drilled.", "Korean People's Army", "org:kpa", "military", "KP"),
    ("The UN Security Council met.", "UN Security Council", "org:unsc", "international", None),
    ("The 1718 Committee received a report.", "1718 Committee", "org:1718-committee", "international", None),
    ("The Panel of Experts found violations.", "Panel of Experts", "org:un-panel-of-experts", "international", None),
    ("The MSMT released a report.", "MSMT", "org:msmt", "international", None),
    ("The WFP delivered food.", "WFP", "org:wfp", "international", None),
    ("OFAC designated two firms.", "OFAC", "org:us-ofac", "government", "US"),
    ("The Joint Chiefs of Staff said two shells landed.", "Joint Chiefs of Staff", "org:kr-jcs", "military", "KR"),
    ("The JCS said so.", "JCS", "org:kr-jcs", "military", "KR"),
    ("The Cabinet issued an order.", "Cabinet", "org:kp-cabinet", "government", "KP"),
    # found by form: a capitalised name and a head noun, a named group, a local body
    ("A researcher at the Taebaek Policy Institute said so.", "Taebaek Policy Institute",
     "org:taebaek-policy-institute", "ngo", None),
    ("The Tokyo-based group Rescue The Refugees Network helps escapees.", "Rescue The Refugees Network",
     "org:rescue-the-refugees-network", "ngo", None),
    ("Agents of the Hunchun public security bureau came.", "public security bureau",
     "org:hunchun-public-security-bureau", "government", None),
    ("Officials of the Ministry of Land and Environment Protection came.",
     "Ministry of Land and Environment Protection", "org:ministry-of-land-and-environment-protection",
     "government", None),
])
def test_entities_organizations(text: str, surface: str, oid: str, kind: str, country: str | None) -> None:
    hits = [m for m in found(text, "organization") if m.text == surface]
    assert len(hits) == 1
    assert (hits[0].id, hits[0].org_kind, hits[0].country) == (oid, kind, country)


@pytest.mark.parametrize("text", [
    "Border guards were told to shoot.",
    "The ministry of commerce said nothing.",
    "Customs officers checked the trucks.",
    "The foreign ministry declined to comment.",
    "The Foreign Ministry declined to comment.",
    "A public security bureau was built in the town.",
    "North Korean Institute staff were absent.",
    "The group crossed the river at night.",
])
def test_entities_generic_phrases_are_not_organizations(text: str) -> None:
    assert found(text, "organization") == []


@pytest.mark.parametrize("text,surface,pid", [
    ("Kim Jong Un visited the farm.", "Kim Jong Un", "person:kim-jong-un"),
    ("Kim Jong-un visited the farm.", "Kim Jong-un", "person:kim-jong-un"),
    ("Kim Yo Jong issued a statement.", "Kim Yo Jong", "person:kim-yo-jong"),
    ("Minister Choe Son Hui arrived.", "Choe Son Hui", "person:choe-son-hui"),
    ("The story was written by Kim Ji-hoon.", "Kim Ji-hoon", "person:kim-ji-hoon"),
    ("Reporter Lee Sang-yong filed it.", "Lee Sang-yong", "person:lee-sang-yong"),
    ("Pak Chol Min was dismissed.", "Pak Chol Min", "person:pak-chol-min"),
    ('"It is over," said John Smith, an analyst.', "John Smith", "person:john-smith"),
    ("Jane Doe said the data were clear.", "Jane Doe", "person:jane-doe"),
    ("Dr. Maria Garcia told reporters.", "Maria Garcia", "person:maria-garcia"),
    ("Foreign Ministry spokesperson Wang Wenbin said so.", "Wang Wenbin", "person:wang-wenbin"),
    ("General Secretary Kim Jong Un spoke.", "Kim Jong Un", "person:kim-jong-un"),
    ("Mr. Park declined to comment.", "Park", "person:park"),
    ("President Xi Jinping hosted him.", "Xi Jinping", "person:xi-jinping"),
])
def test_entities_persons(text: str, surface: str, pid: str) -> None:
    hits = [m for m in found(text, "person") if m.text == surface]
    assert len(hits) == 1 and hits[0].id == pid


def test_entities_surname_after_full_name() -> None:
    persons = found('"Prices rose," said John Smith. Smith said more. Smith is tall.', "person")
    assert [(m.text, m.id) for m in persons] == [("John Smith", "person:john-smith"),
                                                 ("Smith", "person:john-smith")]


@pytest.mark.parametrize("text", [
    "Smith said prices rose.",  # a lone surname with no full name before it
    "Daily NK said prices rose.",
    "Chinese Traders said prices rose.",
    "North Korean authorities said nothing.",
    "Kim Il Sung Square was full.",
    "Students of Kim Il Sung University marched.",
    "Han River Park was closed.",
    "Officials said the Hoeryong Market closed.",
    "Trucks lined up, said Dandong traders.",
    "General Administration of Customs data show a fall.",
    "Ho Chi Minh City is far away.",
    "The source said Jilin Province would reopen.",
])
def test_entities_non_persons(text: str) -> None:
    assert found(text, "person") == []


@pytest.mark.parametrize("text,surface,country,rule", [
    ("The Togo-flagged tanker Yu Jong 2 took on oil.", "Yu Jong 2", "TG", "vessel.ship_word"),
    ("The Sierra Leone-flagged tanker Rich Glory sailed.", "Rich Glory", "SL", "vessel.ship_word"),
    ("US officials seized the vessel Wise Honest.", "Wise Honest", None, "vessel.ship_word"),
    ("MV Lighthouse Winmore transferred oil.", "Lighthouse Winmore", None, "vessel.prefix"),
    ("M/V Kingdom 8 docked.", "Kingdom 8", None, "vessel.prefix"),
    ('A ship named "Sea Star" left Nampo.', "Sea Star", None, "vessel.ship_word"),
    ("The cargo ship Chon Ma San was seen.", "Chon Ma San", None, "vessel.ship_word"),
    ("A bulk carrier named the Haedoji 7 sailed for Longkou.", "Haedoji 7", None, "vessel.ship_word"),
    ("The coaster called the Pyong Hwa left Nampo.", "Pyong Hwa", None, "vessel.ship_word"),
])
def test_entities_vessels(text: str, surface: str, country: str | None, rule: str) -> None:
    hits = found(text, "vessel")
    assert [(m.text, m.country, m.rule) for m in hits] == [(surface, country, rule)]
    assert hits[0].id.startswith("vessel:")


@pytest.mark.parametrize("text", [
    "The vessel was seized. The crew fled.",
    "The ship North Korea used was old.",
    "A North Korean vessel sank.",
    "The tanker In the harbour sat idle.",
])
def test_entities_non_vessels(text: str) -> None:
    assert found(text, "vessel") == []


C = [{"id": "country:KP", "code": "KP", "name": "North Korea", "aliases": "North Korea", "weak_aliases": ""}]
ORGS = [{"id": "org:x", "name": "X News", "aliases": "XN", "org_kind": "media", "country": "KP"}]


@pytest.mark.parametrize("countries,orgs,demonyms", [
    (C, [dict(ORGS[0], org_kind="blog")], {}),  # unknown org_kind
    (C, ORGS + [dict(ORGS[0], id="org:y")], {}),  # alias XN names two organisations
    (C, ORGS + ORGS, {}),  # duplicate id
    (C, ORGS, {"Martian": "MA"}),  # demonym of an unknown country
    ([dict(C[0], code="Korea")], ORGS, {}),  # not an ISO code
])
def test_entities_bad_data_raises(countries, orgs, demonyms) -> None:
    with pytest.raises(DataError):
        build_entities(countries, orgs, demonyms)


def test_entities_package_data_loads() -> None:
    data = entity_data()
    assert data.entities["country:KP"].name == "North Korea"
    assert data.entities["org:kcna"].org_kind == "state_media"
