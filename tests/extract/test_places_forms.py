"""Places in the forms real reports write them: capitalised datelines, lower-case place words,
'the county of X', lists before a plural place word, compound crossings, cities far from the
border, and the site's own weather widget. Every sentence is invented."""

from __future__ import annotations

import pytest

from borderwatch.clean import make_document
from borderwatch.extract.mentions import find_mentions
from borderwatch.model import Mention, Report


def places(text: str) -> list[Mention]:
    doc = make_document(Report(source="t", body=text, format="text"))
    found = [m for m in find_mentions(doc) if m.kind == "place"]
    for m in found:
        assert doc.text[m.start:m.end] == m.text
    return found


def named(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(m.text, m.name, m.place_kind) for m in places(text)]


@pytest.mark.parametrize("text,expected", [
    ("HUNCHUN, China (Invented Wire) — Bus services resumed.", ("HUNCHUN", "Hunchun", "city")),
    ("SEOUL (Invented Wire) – Officials declined to comment.", ("SEOUL", "Seoul", "city")),
    ("DANDONG, June 3 (Invented Wire) -- Trucks queued.", ("DANDONG", "Dandong", "city")),
    ("WASHINGTON — Lawmakers debated a new bill.", ("WASHINGTON", "Washington", "city")),
    ("NEW YORK, May 2 -- Diplomats met.", ("NEW YORK", "New York", "city")),
    ("Some text.\nVLADIVOSTOK, Russia — Port workers struck.", ("VLADIVOSTOK", "Vladivostok", "city")),
])
def test_places_capitalised_dateline(text, expected):
    assert expected in named(text)


def test_places_dateline_with_two_cities():
    got = named("SEOUL/BEIJING: Officials on both sides declined to comment.")
    assert ("SEOUL", "Seoul", "city") in got and ("BEIJING", "Beijing", "city") in got


@pytest.mark.parametrize("text", [
    "UNITED NATIONS, June 2 (Invented Wire) - Diplomats met.",  # not a gazetteer place
    "BREAKING: Trade resumed.",
    "NOTE, this is not a place.",
])
def test_places_capitalised_line_start_that_is_no_place(text):
    assert places(text) == []


@pytest.mark.parametrize("text,expected", [
    ("Boats left Sokchon village before dawn.", ("Sokchon village", "Sokchon village", "village")),
    ("Fishing boats crowded the Chilbo harbour.", ("Chilbo harbour", "Chilbo harbour", "port")),
    ("Cement was unloaded at Sohung Wharf overnight.", ("Sohung Wharf", "Sohung Wharf", "port")),
    ("Police searched homes in Ponghwa county.", ("Ponghwa county", "Ponghwa county", "county")),
    ("Troops camped on Chodo Island.", ("Chodo Island", "Chodo Island", "island")),
])
def test_places_place_word_after_name(text, expected):
    assert expected in named(text)


@pytest.mark.parametrize("text", [
    "Residents of a Chinese village complained.",
    "Every county reported cases.",
    "The North Korean harbour was empty.",
])
def test_places_place_word_after_a_stop_word(text):
    assert places(text) == []


@pytest.mark.parametrize("text,expected", [
    ("Guards were sent to the county of Ponghwa last year.", ("Ponghwa", "Ponghwa", "county")),
    ("Traders from the village of Sokchon sold squid.", ("Sokchon", "Sokchon", "village")),
    ("A ferry runs to the island of Chodo.", ("Chodo", "Chodo", "island")),
])
def test_places_kind_word_before_name(text, expected):
    assert expected in named(text)


def test_places_list_before_plural_place_word():
    got = named("Patrols circled Rodo and Pidan Islands at night.")
    assert ("Rodo", "Rodo Island", "island") in got and ("Pidan", "Pidan Island", "island") in got
    got = named("Markets in Ponghwa, Taeyang and Sokchon counties closed.")
    assert [g[1] for g in got] == ["Ponghwa County", "Taeyang County", "Sokchon County"]


@pytest.mark.parametrize("text,name,kind", [
    ("Trucks used the Quanhe-Wonjong bridge again.", "Quanhe–Wonjong Bridge", "bridge"),
    ("Traders waited at the Sanhe-Hoeryong crossing.", "Sanhe–Hoeryong Crossing", "crossing"),
    ("Freight moved through the Hunchun-Rajin checkpoint.", "Hunchun–Rajin Crossing", "crossing"),
])
def test_places_compound_crossing_kept_whole(text, name, kind):
    got = places(text)
    assert [(m.name, m.place_kind) for m in got] == [(name, kind)]


def test_places_countries_joined_by_a_dash_are_no_crossing():
    assert places("Traffic at the China-Russia border crossing slowed.") == []


@pytest.mark.parametrize("text,name,country", [
    ("A bulk carrier sailed from Rizhao to an invented port.", "Rizhao", "CN"),
    ("A tanker refuelled near Guam on its way south.", "Guam", "US"),
    ("Ships unloaded at Zarubino in Russia.", "Zarubino", "RU"),
    ("A delegation stopped in Taipei.", "Taipei", "TW"),
    ("Defectors met reporters in Sokcho.", "Sokcho", "KR"),
    ("Sanctions were debated in London and Paris.", "London", "GB"),
])
def test_places_cities_outside_the_border_region(text, name, country):
    hits = [m for m in places(text) if m.name == name]
    assert hits and hits[0].country == country


def test_places_region_spelling_variant():
    got = named("Floods hit North Hamgyung and South Hamgyung provinces.")
    assert [g[1] for g in got] == ["North Hamgyong", "South Hamgyong"]


def test_places_weather_widget_city_is_not_a_place_of_the_report():
    text = "17.2 C\nBusan\nMonday, March 4, 2024\n\nTraders in Dandong left early."
    assert [m.name for m in places(text)] == ["Dandong"]
    assert [m.name for m in places("Officials in Busan met traders from Dandong.")] == ["Busan", "Dandong"]


@pytest.mark.parametrize("text,expected", [
    ("Markets in Pyongchon district were raided.", ("Pyongchon district", "Pyongchon district", "district")),
    ("Ships called at the port city of Invented Bay.", ("Invented Bay", "Invented Bay", "city")),
])
def test_places_more_place_words(text, expected):
    assert expected in named(text)
