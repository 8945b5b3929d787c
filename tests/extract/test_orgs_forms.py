"""Organisations by form and by registry, credits, and country look-alikes (issue 7).

Every sentence here is invented for the test.
"""

from __future__ import annotations

import pytest

from borderwatch.datafiles import DataError
from borderwatch.extract.entities import entity_data
from borderwatch.extract.outlets import build_outlets, outlet_registry

from .test_entities import found


def org_names(text: str) -> list[str]:
    return [m.name for m in found(text, "organization")]


# (text, surface, name, org_kind, country)
FORMS = [
    # a known place, then a body's capitalised words: the place stays a place
    ("Dandong Customs released its monthly figures on Tuesday.", "Customs", "Dandong Customs", "government", None),
    ("A letter from the Hyesan Trade Bureau reached the factory.", "Trade Bureau", "Hyesan Trade Bureau", "government", None),
    ("The Hunchun Municipal Government approved the new wharf.", "Municipal Government", "Hunchun Municipal Government", "government", None),
    ("Staff of the Manpo City People's Committee were replaced.", "People's Committee", "Manpo City People's Committee", "government", None),
    ("Inspectors of the Namyang Customs Office sealed the wagons.", "Customs Office", "Namyang Customs Office", "government", None),
    ("Staff of the Liaoning Provincial Department of Commerce declined to comment.", "Provincial Department of Commerce", "Liaoning Provincial Department of Commerce", "government", None),
    # a lower-case body after a place
    ("Last week the Tumen municipal government issued a notice.", "municipal government", "Tumen municipal government", "government", None),
    # a country's possessive or adjective, then a capitalised body
    ("Russia's Far East Development Ministry signed the deal.", "Far East Development Ministry", "Russia's Far East Development Ministry", "government", "RU"),
    ("Mongolia's Customs General Administration said trade fell.", "Customs General Administration", "Mongolia's Customs General Administration", "government", "MN"),
    ("Funds were frozen by the Japanese Financial Services Agency.", "Financial Services Agency", "Japanese Financial Services Agency", "government", "JP"),
    # a capitalised name and a head noun
    ("Ships of the Rakwon Ocean Shipping Company left port.", "Rakwon Ocean Shipping Company", "Rakwon Ocean Shipping Company", "company", None),
    ("The Haebit Medical Association sent test kits.", "Haebit Medical Association", "Haebit Medical Association", "ngo", None),
    ("She had an account at the Unbong Commercial Bank before she fled.", "Unbong Commercial Bank", "Unbong Commercial Bank", "company", None),
    ("Dalian Xinghai Industry & Trade shipped the crabs.", "Xinghai Industry & Trade", "Dalian Xinghai Industry & Trade", "company", None),
    ("Coal came from the Sobaeksu Management Bureau Trading Company last year.", "Sobaeksu Management Bureau Trading Company", "Sobaeksu Management Bureau Trading Company", "company", None),
    ("Shipments left via Tonghae Marine Co., Ltd. last year.", "Tonghae Marine Co., Ltd.", "Tonghae Marine Co., Ltd.", "company", None),
    ("Crates left the Hong Kong-based Silver Tide Trading Limited warehouse.", "Silver Tide Trading Limited", "Silver Tide Trading Limited", "company", None),
    ("A lecturer at Pukhan Mountain University disagreed.", "Pukhan Mountain University", "Pukhan Mountain University", "ngo", None),
    ("The Chongryu Liberation Front released a video.", "Chongryu Liberation Front", "Chongryu Liberation Front", "ngo", None),
    ("Officials of the Bureau of Coastal Fisheries Protection came.", "Bureau of Coastal Fisheries Protection", "Bureau of Coastal Fisheries Protection", "government", None),
    ("An analyst at the Korea Institute for Harbour Studies disagreed.", "Korea Institute for Harbour Studies", "Korea Institute for Harbour Studies", "ngo", None),
    ("Mr. Choi, the head of North Korea Seedling Coalition, spoke.", "Seedling Coalition", "North Korea Seedling Coalition", "ngo", None),
    # names written with a number
    ("Officers of Unit 586 guarded the pier.", "Unit 586", "Unit 586", "military", None),
    ("An order came from the 9th General Bureau last spring.", "9th General Bureau", "9th General Bureau", "government", None),
    # a kind noun introducing the name
    ("Fees went to a unit called “Morning Star Team” in the port.", "Morning Star Team", "Morning Star Team", "military", None),
    ("Smugglers paid a unit called the “10.27 Brigade” for passage.", "10.27 Brigade", "10.27 Brigade", "military", None),
    ("Pictures from the imaging firm Skyward Optics showed the ships.", "Skyward Optics", "Skyward Optics", "company", None),
    ("Smugglers paid the trading firm Kumbit, which held a licence.", "Kumbit", "Kumbit", "company", None),
    ("Trading firms such as Kumbit, Sonam and Ryongak hire brokers.", "Sonam", "Sonam", "company", None),
    ("Trading firms such as Kumbit, Sonam and Ryongak hire brokers.", "Ryongak", "Ryongak", "company", None),
    ("Tidewater Analytics, a British shipping consultancy firm, tracked the tanker.", "Tidewater Analytics", "Tidewater Analytics", "company", None),
    # a misspelt or plural known name is the known organisation
    ("A report by Human Right Watch described the camps.", "Human Right Watch", "Human Rights Watch", "ngo", "US"),
]


@pytest.mark.parametrize("text,surface,name,kind,country", FORMS)
def test_orgs_by_form(text: str, surface: str, name: str, kind: str, country: str | None) -> None:
    hits = [m for m in found(text, "organization") if m.text == surface]
    assert len(hits) == 1, [(m.text, m.name) for m in found(text, "organization")]
    assert (hits[0].name, hits[0].org_kind, hits[0].country) == (name, kind, country)


@pytest.mark.parametrize("text,place", [
    ("Dandong Customs released its monthly figures on Tuesday.", "Dandong"),
    ("A letter from the Hyesan Trade Bureau reached the factory.", "Hyesan"),
])
def test_orgs_place_prefix_stays_a_place(text: str, place: str) -> None:
    assert place in [m.text for m in found(text, "place")]


# (text, surface, id): registry names of the field, outlets in capitals
KNOWN = [
    ("The Reconnaissance General Bureau ran the front company.", "Reconnaissance General Bureau", "org:kp-rgb"),
    ("Money flowed to Office 39 through the bank.", "Office 39", "org:kp-office-39"),
    ("The Munitions Industry Department asked for copper.", "Munitions Industry Department", "org:kp-mid"),
    ("Delegates to the National People's Congress met in March.", "National People's Congress", "org:cn-npc"),
    ("The North Korea Sanctions Committee received the letter.", "North Korea Sanctions Committee", "org:1718-committee"),
    ("The Bank of Korea estimated that the economy shrank.", "Bank of Korea", "org:kr-bok"),
    ("Japan's Self-Defense Forces photographed the transfer at sea.", "Self-Defense Forces", "org:jp-sdf"),
    ("A Marine Corps general visited the base.", "Marine Corps", "org:us-marines"),
    ("Imagery from Planet Labs showed an empty dock.", "Planet Labs", "org:planet-labs"),
    ("SEOUL, March 3 (YONHAP) -- The border stayed shut.", "YONHAP", "org:yonhap"),
    ("REUTERS could not verify the claim.", "REUTERS", "org:reuters"),
    ("Jiji Press carried the figures first.", "Jiji Press", "org:jiji"),
    # a name hard-wrapped over two lines
    ("The report went to the North Korea\nSanctions Committee in May.", "North Korea\nSanctions Committee", "org:1718-committee"),
    # long names in any case: all-capitals headlines, lower-case captions
    ("MINISTRY OF STATE SECURITY DETAINS TWO BROKERS", "MINISTRY OF STATE SECURITY", "org:kp-mss"),
    ("Customers queue outside the industrial and commercial bank of china branch", "industrial and commercial bank of china", "org:cn-icbc"),
    ("An editorial in The Korea Times urged calm.", "The Korea Times", "org:korea-times"),
]


@pytest.mark.parametrize("text,surface,oid", KNOWN)
def test_orgs_registry(text: str, surface: str, oid: str) -> None:
    hits = [m for m in found(text, "organization") if m.text == surface]
    assert len(hits) == 1 and hits[0].id == oid, [(m.text, m.id) for m in found(text, "organization")]


def test_orgs_weak_alias_does_not_swallow_a_longer_name() -> None:
    text = "Defectors from North Korea in the South read the South China Morning Post every day."
    assert "South China Morning Post" in org_names(text)
    assert "CN" not in [m.country for m in found(text, "country")]
    assert "KR" in [m.country for m in found(text, "country")]


@pytest.mark.parametrize("text,name", [
    ("Lorries wait at the checkpoint in Dandong.\nPhoto: AFP", "AFP"),
    ("Lorries wait at the checkpoint in Dandong\n(Reuters)", "Reuters"),
    ("Kim inspects a fish farm in Sinpo (Kcna/Xinhua)\nThe farm opened in May.", "KCNA"),
    ("The new customs hall in Hunchun [Image source=Xinhua]\nIt opened in May.", "Xinhua"),
    ("Trucks at the bridge. [YONHAP]\nTrade resumed in May.", "Yonhap"),
    ("A market in Hyesan. Image courtesy of Planet Labs.\nPrices rose.", "Planet Labs"),
])
def test_orgs_credits_are_not_organizations(text: str, name: str) -> None:
    assert name not in org_names(text)


@pytest.mark.parametrize("text,name", [
    ("Prices rose after the floods left hundreds homeless. (Yonhap)\nRice was short.", "Yonhap"),
    ("SHENYANG, China (AFP) -- Two trucks crossed the bridge.", "AFP"),
    ("Reuters found that the tanker had switched off its transponder.", "Reuters"),
])
def test_orgs_story_credits_and_text_count(text: str, name: str) -> None:
    assert name in org_names(text)


@pytest.mark.parametrize("text", [
    "Chinese police detained them at the station.",
    "A panel of experts from three universities met in May.",
    "Investors hoped to open North Korea to foreign trade.",
    "The company said prices would rise. Officials denied it.",
    "Hyesan, a city of many small firms, lies on the river.",
    "Smugglers paid the company Kim visited last year.",
    "Trading firms such as Dandong's exporters hire brokers.",
    "Traders said the firm, Chinese officials claimed, had closed.",
    "Customs officers at Sinuiju customs office checked the wagons.",
    "Pyongyang Punishes Smuggling Company Bosses After Raid",
    "Chinese Customs has not reported any imports since May.",
    "The 2019 Committee report was never published.",
    "The company Kim Chol works for lost money.",
    "Orders reached the unit Commander Ri had left.",
    "North Korean Institute staff came; a North Korean Trading Company was fined.",
    "Wages at the Pyongyang Department Store rose.",
])
def test_orgs_generic_and_lookalikes_are_not_organizations(text: str) -> None:
    assert org_names(text) == []


@pytest.mark.parametrize("text,absent", [
    ("Workers are paid 300 US dollars a month.", "US"),
    ("Workers are paid US$300 a month.", "US"),
    ("Workers earn 200 yuan (U.S. $30) a day.", "US"),
    ("The Chinese yuan rose against the won.", "CN"),
    ("The price is quoted in Japanese yen in Osaka.", "JP"),
])
def test_countries_currency_names_are_not_countries(text: str, absent: str) -> None:
    assert absent not in [m.country for m in found(text, "country")]


@pytest.mark.parametrize("text,code", [
    ("Trade on the Sino-Russian border doubled.", "CN"),
    ("Trade on the Sino-Russian border doubled.", "RU"),
    ("The Soviet Union once bought most of its exports.", "SU"),
    ("US troops stayed in the South, officials in North Korea said.", "US"),
    ("Officials in North Korea met the South Korean envoy.", "KR"),
])
def test_countries_forms(text: str, code: str) -> None:
    assert code in [m.country for m in found(text, "country")]


def test_outlets_one_registry_for_entities_and_ingest() -> None:
    from borderwatch.ingest.meta import canonical_outlet, outlets
    data = entity_data()
    for o in outlet_registry():
        assert data.entities[o.id].name == o.name and data.entities[o.id].org_kind == o.kind
        assert canonical_outlet(o.name) == o.name
    assert set(outlets().by_alias.values()) == {o.name for o in outlet_registry()}


@pytest.mark.parametrize("entries", [
    [{"id": "org:a", "name": "Alpha News", "kind": "media", "aliases": ["AN"]},
     {"id": "org:b", "name": "Beta News", "kind": "media", "aliases": ["AN"]}],  # one alias, two outlets
    [{"id": "org:a", "name": "Alpha News", "kind": "blog"}],  # unknown kind
    [{"id": "org:a", "name": "Alpha News", "kind": "media"},
     {"id": "org:a", "name": "Beta News", "kind": "media"}],  # duplicate id
    [{"name": "Alpha News", "kind": "media"}],  # no id
    [],
])
def test_outlets_bad_registry_raises(entries: list[dict]) -> None:
    with pytest.raises(DataError):
        build_outlets(entries)


def test_outlet_alias_shared_with_an_organisation_raises() -> None:
    from borderwatch.extract.entities import build_entities
    from borderwatch.extract.outlets import Outlet
    c = [{"id": "country:KP", "code": "KP", "name": "North Korea", "aliases": "North Korea", "weak_aliases": ""}]
    o = [{"id": "org:x", "name": "X Bureau", "aliases": "XN", "org_kind": "government", "country": "KP"}]
    with pytest.raises(DataError):
        build_entities(c, o, {}, [Outlet("org:y", "Y News", "media", "KP", ("Y News", "XN"))])
