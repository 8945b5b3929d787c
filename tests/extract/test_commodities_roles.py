"""Commodities need a trade role: head words, trade phrases before, lists, cue words; carriers,
proper names and everyday use are no goods. Every sentence here is invented."""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.extract.commodities import _plural, commodity_data, find_commodities
from borderwatch.model import Report


def names(text: str) -> list[str]:
    """Canonical names of the commodities of an invented text, offsets checked."""
    doc = make_document(Report(source="t", body=text, format="text"))
    out = find_commodities(doc)
    for m in out:
        assert doc.text[m.start:m.end] == m.text
    return [m.name for m in out]


@pytest.mark.parametrize("text,expected", [
    # head word right after the goods
    ("Coal shipments resumed after the holiday.", ["coal"]),
    ("Corn prices eased in the spring.", ["corn"]),
    ("Zinc output at the mine doubled.", ["zinc"]),
    ("Oil imports reached a new high.", ["oil"]),
    ("The province's energy trade stalled.", ["energy"]),
    ("Wheat production rose on the collective farms.", ["wheat"]),
    ("Police cracked down on drug trafficking near the river.", ["drugs"]),
    ("Lead exports were halted.", ["lead"]),
    # trade phrase just before the goods
    ("They halted imports of Russian oil.", ["oil"]),
    ("A kilogram of barley rice went for 4,000 won.", ["barley rice"]),
    ("A 25kg sack of flour was bought at the station.", ["flour"]),
    ("The boats were loaded with frozen pollock.", ["pollock"]),
    ("Brokers were smuggling ginseng at night.", ["ginseng"]),
    ("The crew hid 40 cartons of cigarettes.", ["cigarettes"]),
    ("The firm tried to invest in minerals up north.", ["minerals"]),
    ("A shipment of rocket propellant was stopped in the strait.", ["propellant"]),
    # cue words in the sentence
    ("Vendors sold refrigerators and freezers from the back of a shed.", ["refrigerators", "freezers"]),
    ("A rice cooker now costs 300 yuan at the market.", ["rice cookers"]),
    ("Traders smuggled second-hand clothes across the ice.", ["second-hand clothes"]),
    ("Customs seized USB sticks loaded with foreign films.", ["storage media", "media content"]),
    ("Students were caught smuggling South Korean dramas.", ["media content"]),
    ("The factory makes wood flooring for buyers abroad.", ["wood products"]),
    ("Smugglers offered excavators and bulldozers for cash.", ["excavators", "bulldozers"]),
    ("Aluminium and scrap metal are banned for sale to the North.", ["aluminum", "scrap metal"]),
    ("The aid included health kits and medical supplies.", ["health kits", "medical supplies"]),
    ("Dealers bought salmon and octopus at the pier.", ["salmon", "octopus"]),
    ("Sodium cyanide was shipped to the mines.", ["sodium cyanide"]),
    ("The gold mine doubled its output.", ["gold"]),
    ("The town imported bracken and pine mushrooms.", ["wild vegetables", "mushrooms"]),
    ("Prices of eggs and beef climbed.", ["eggs", "beef"]),
    ("Dozens of trucks, each carrying timber, queued at customs.", ["timber"]),  # the load, not the trucks
    # lists share a role
    ("The bans cover exports of nickel, lead and silver ore.", ["nickel", "lead", "silver"]),
    ("She sells mobile phones, watches and fans.", ["mobile phones", "watch movements", "electric fans"]),
    ("Traders export minerals such as tungsten and gold.", ["minerals", "tungsten ore", "gold"]),
    ("Exports of textiles, and even the scraps from the mill, rose.", ["textiles", "scrap metal"]),
    # a shared head: "copper and zinc ores" are copper ore and zinc ore
    ("Buyers stopped importing iron and lead ores last month.", ["iron ore", "lead"]),
    ("Rice and barley rice were sold by the kilogram.", ["rice", "barley rice"]),
    # plurals made from singular aliases
    ("Two forklifts and three excavators were imported.", ["forklifts", "excavators"]),
    ("Sellers now import tractors and solar panels.", ["tractors", "solar panels"]),
])
def test_commodities_trade_roles(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "He burned coal to heat his home.",
    "Children ride bicycles to school.",
    "Trucks crossed the bridge before dawn.",
    "Cargo trucks waited at the gate.",
    "She cooked dinner in a rice cooker.",
    "Women collect firewood near the village.",
    "He fed the chickens and cleaned the yard.",
    "This may lead to more arrests.",
    "The guard watches the river at night.",
    "Football fans gathered in the square.",
    "Machines moved the crates at the dock.",
    "Oil paintings hung in the hall.",
    "The diners ate fresh seafood and sang.",
    "Staff at a clothing company were sent home.",
    "He was caught using a mobile phone near the river.",
    "The detainees lacked clothes and food.",
    "The country's growing energy demand worries planners.",
    "They sold the boat to a fisherman from Dandong.",  # 'boat' is no alias
    "The state will beef up patrols on the river.",
    "The nuclear weapons programme worries the region.",
    "Truck drivers waited for the border to open.",
    "New truck trade routes were opened last week.",
])
def test_commodities_no_trade_role_dropped(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize("singular,plural", [
    ("refrigerator", "refrigerators"),
    ("battery", "batteries"),
    ("potato", "potatoes"),
    ("lead ore", "lead ores"),
    ("sea urchin", "sea urchins"),
    ("glass", "glasses"),
    ("clothes", None),
    ("석탄", None),
])
def test_commodities_plural_forms(singular: str, plural: str | None) -> None:
    assert _plural(singular) == plural


def test_commodities_conveyance_ids_exist() -> None:
    data = commodity_data()
    assert data.conveyance and all(c in data.commodities for c in data.conveyance)


@pytest.mark.parametrize("text,expected", [
    ("Border Traders Smuggle Coal Into China Again", ["coal"]),
    ("Why Rice Prices Keep Climbing In Hyesan", ["rice"]),
    ("The envoy met Condoleezza Rice before the trade talks.", []),
    ("State TV said exports of coal had stopped.", ["coal"]),
    ("Diplomatic cables described the sanctions talks.", []),
    ("He spent a decade working in a coal mine.", []),
    ("Ship-to-ship transfers of oil continued off the coast.", ["oil"]),
    ("Hospitals reported shortages of drugs and bandages.", []),
])
def test_commodities_titles_and_traps(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Couriers use motorbikes to carry parcels at night.", []),
    ("Electricity shortages closed the mill for a week.", []),
    ("The province sells electricity to a Chinese grid company.", ["electricity"]),
    ("Hydropower exports to China resumed.", ["electricity"]),
    ("Guards took bribes of cigarettes and liquor.", ["cigarettes", "alcohol"]),
    ("Inspectors demanded cigarettes from the stall holders.", ["cigarettes"]),
])
def test_commodities_carriers_power_bribes(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The tanker offloaded diesel to a smaller boat.", ["diesel"]),
    ("Dockers spent the night unloading fuel from the freighter.", ["refined petroleum"]),
    ("Cranes began loading anthracite onto the bulk carrier.", ["anthracite"]),
])
def test_commodities_loading_and_unloading(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_commodities_port_cranes_are_no_goods() -> None:
    assert names("The new loading cranes at the pier stood idle all week.") == []


@pytest.mark.parametrize("text,expected", [
    ("Brokers sell Chinese SIM cards to callers near the river.", ["SIM cards"]),
    ("Exports of walnuts and apricot kernels fell.", ["walnuts", "apricot kernels"]),
    ("The aid shipment held vaccines and face masks.", ["vaccines", "face masks"]),
    ("Smugglers were caught with Bibles and radios.", ["religious materials", "radios"]),
    ("Russia bought artillery shells from the North.", ["arms"]),
    ("The paper said exports would recover.", []),
    ("They watched South Korean soap operas at home.", []),
    ("The ruling sowed seeds of doubt about the trade deal.", []),
])
def test_commodities_more_goods(text: str, expected: list[str]) -> None:
    assert names(text) == expected
