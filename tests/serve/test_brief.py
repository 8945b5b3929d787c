"""The brief (issue 8): a summary whose numbers are the totals of the lists they open, period
presets from the newest date in the store, sanctioned goods that are what moves (not their
trucks) with the resolutions that ban them, newest lists inside the period, readable charts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve.app import create_app
from borderwatch.serve.charts import BAR_FONT, BAR_WIDTH, SERIES_FONT, SERIES_WIDTH, bar_svg

from .briefstore import build_brief_store
from .webstore import list_total

NEWEST = "2024-06-12"  # the newest publication date of the sample store
PERIODS = ["", "since=2019&until=2024", "period=all", "since=2024-06-01&until=2024-06-12",
           "since=2021-02&until=2021-02", "since=2024-05&until=2024-06"]
STYLE = Path(__file__).resolve().parents[2] / "src/borderwatch/serve/static/style.css"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = build_brief_store(tmp_path_factory.mktemp("brief"))
    with TestClient(create_app(str(db), secret="test")) as c:
        yield c


def in_period(day: str | None, since: str | None, until: str | None) -> bool:
    """The date rule of store/periods.py: since compares as text, until on its precision."""
    if day is None:
        return since is None and until is None
    return (since is None or day >= since) and (until is None or day[:len(until)] <= until)


@pytest.mark.parametrize("query", PERIODS)
def test_brief_summary_counts_are_the_totals_of_their_lists(client, query):
    b = client.get("/api/brief?" + query).json()
    summaries = [s for s in (b["summary"], b["previous_summary"]) if s]
    for s in summaries:
        for kind in ("reports", "events", "incidents"):
            assert s[kind]["count"] == list_total(client, s[kind]["href"]), (kind, s[kind])
            if s["since"]:
                assert f"since={s['since']}" in s[kind]["href"]
    assert (b["previous_summary"] is None) == (query == "period=all")


def test_brief_summary_is_not_empty_and_all_means_everything(client):
    b = client.get("/api/brief?period=all").json()
    n_reports = client.get("/api/reports").json()["total"]
    assert b["summary"]["reports"]["count"] == n_reports > 10
    assert b["summary"]["events"]["count"] > b["summary"]["incidents"]["count"] > 0
    assert b["since"] is None and b["previous"] is None and b["all"]
    assert all(r["previous"] is None for r in b["by_type"])


def test_brief_every_number_in_the_page_opens_a_list_of_that_many(client):
    """Every count drawn as a link (summary, new types, places, goods) is a list's total."""
    checked = 0
    for query in ("since=2019&until=2025", "", "since=2024-05&until=2024-06"):
        html = client.get("/?" + query).text
        for href, text in re.findall(r'<a class="num"[^>]*href="([^"]+)">(\d+)', html):
            assert int(text) == list_total(client, href), (query, href)
            checked += 1
    assert checked > 30
    html = client.get("/?since=2019&until=2025").text
    for key in ("sum-reports", "sum-events", "sum-incidents", "prev-reports"):
        assert f'id="{key}"' in html


def test_brief_presets_end_on_the_newest_date_in_the_store(client):
    b = client.get("/api/brief").json()
    assert b["newest_day"] == NEWEST
    end = date.fromisoformat(NEWEST)
    presets = {p["label"]: p for p in b["presets"]}
    assert list(presets) == ["7 days", "30 days", "90 days", "365 days", "all"]
    for days in (7, 30, 90, 365):
        p = presets[f"{days} days"]
        assert (p["since"], p["until"]) == ((end - timedelta(days=days - 1)).isoformat(), NEWEST)
        assert p["href"] == f"/?since={p['since']}&until={p['until']}"
    assert presets["7 days"]["since"] == "2024-06-06" and presets["365 days"]["since"] == "2023-06-14"
    assert presets["all"]["href"] == "/?period=all"
    # the default brief is the 30-day preset, and says so
    assert (b["since"], b["until"]) == (presets["30 days"]["since"], NEWEST)
    assert [p["label"] for p in b["presets"] if p["current"]] == ["30 days"]
    # following a preset shows its period and marks it, in the page too
    b90 = client.get("/api/brief?" + presets["90 days"]["href"][2:]).json()
    assert (b90["since"], b90["until"]) == ("2024-03-15", NEWEST)
    assert [p["label"] for p in b90["presets"] if p["current"]] == ["90 days"]
    html = client.get(presets["90 days"]["href"]).text
    assert re.findall(r'<a href="([^"]+)" aria-current="true">', html) == [
        presets["90 days"]["href"].replace("&", "&amp;")]
    assert f"Presets end on {NEWEST}, the newest publication date" in html
    all_html = client.get("/?period=all").text
    assert re.findall(r'<a href="([^"]+)" aria-current="true">', all_html) == ["/?period=all"]


def test_brief_period_all_is_the_only_period_word(client):
    assert client.get("/api/brief?period=week").status_code == 400


def test_brief_sanctioned_goods_moving_are_goods_not_their_carriers(client):
    """Copper on trucks: copper moves, the trucks do not. Cars smuggled alone, and trucks listed
    with squid, are goods. A truck carrying coal and containers are never goods."""
    b = client.get("/api/brief?since=2024-05&until=2024-06").json()
    moving = {g["entity_id"]: g for g in b["moving"]}
    sanctioned = {g["entity_id"]: g for g in b["sanctioned_moving"]}
    assert {"commodity:copper", "commodity:vehicles", "commodity:squid", "commodity:coal"} <= set(sanctioned)
    assert set(sanctioned) <= set(moving) and all(g["sanctioned"] for g in sanctioned.values())
    assert not [g for g in moving.values() if "container" in g["name"]]
    vehicles = sanctioned["commodity:vehicles"]
    rows = client.get("/api/events", params=parse_qsl(urlsplit(vehicles["href"]).query)).json()
    titles = {e["title"] for e in rows["events"]}
    assert "Invented test report: cars" in titles and "Invented test report: goods and trucks" in titles
    assert "Invented test report: copper on trucks" not in titles
    copper = client.get("/api/events", params=parse_qsl(urlsplit(sanctioned["commodity:copper"]["href"]).query)).json()
    assert "Invented test report: copper on trucks" in {e["title"] for e in copper["events"]}
    for g in moving.values():
        assert g["events"] == list_total(client, g["href"])
        assert "moves=" in g["href"] and "since=2024-05" in g["href"]
    for g in sanctioned.values():
        assert g["bans"] and all(re.search(r": UNSC \d{4} \(\d+ \w+ \d{4}\)", x) for x in g["bans"])
        assert g["resolutions"] and all(r.startswith("UNSC ") for r in g["resolutions"])
    assert vehicles["bans"] == ["may not be supplied to North Korea: UNSC 2397 (22 December 2017)"]
    html = client.get("/?since=2024-05&until=2024-06").text
    section = html[html.index('id="brief-sanctioned"'):html.index('id="brief-goods"')]
    assert "May not be supplied to North Korea: UNSC 2397 (22 December 2017)" in section
    assert "May not be exported from North Korea: UNSC 2321 (30 November 2016)" in section  # copper


def test_brief_goods_moving_leaves_out_sanctions_statements(client):
    """A resolution banning textiles is no textiles moving: only trade and smuggling count."""
    b = client.get("/api/brief?since=2015&until=2025").json()
    assert all(set(g["types"].split(",")) <= {"trade", "smuggling"} for g in b["moving"])
    assert "commodity:textiles" not in {g["entity_id"] for g in b["moving"]}


@pytest.mark.parametrize("query", [q for q in PERIODS if q != "period=all"] + ["since=2010&until=2010"])
def test_brief_newest_lists_stay_inside_the_period(client, query):
    b = client.get("/api/brief?" + query).json()
    since, until = b["since"], b["until"]
    assert all(in_period(r["published"], since, until) for r in b["reports"])
    listed = client.get("/api/reports", params={"since": since, "until": until}).json()
    assert [r["id"] for r in b["reports"]] == [r["id"] for r in listed["results"][:8]]
    for c in b["collisions"]:
        for claim in c["authorities"] + c["sources"]:
            assert in_period(claim["date"], since, until)
    for m in b["prices"] + b["rates"] + b["fines"]:
        assert in_period(m["day"], since, until)
    if query == "since=2010&until=2010":
        assert b["reports"] == [] and b["collisions"] == []
        assert "No reports in this period." in client.get("/?" + query).text


def test_brief_collisions_follow_the_period(client):
    every = client.get("/api/brief?period=all").json()["collisions"]
    assert every, "the samples hold colliding claims"
    month = every[0]["period"]
    none = client.get("/api/brief?since=2010&until=2010").json()["collisions"]
    assert none == [] and month


def test_brief_has_a_legend_for_every_mark(client):
    html = client.get("/?since=2019&until=2024").text
    legend = html[html.index('id="brief-legend"'):html.index('id="brief-types"')]
    for words in ("incidents in this period", "the period before", "change against the period before",
                  "under UN sanctions", "hearsay or rumour", "opens the list of exactly"):
        assert words in legend
    assert 'class="mark mark-sanctioned"' in html and 'class="mark mark-hedged"' in html
    # no comparison, no marks for it
    assert "the period before" not in client.get("/?period=all").text.split('id="brief-types"')[0]


def _font_sizes(svg: str) -> list[float]:
    root = ET.fromstring(svg)
    return [float(el.get("font-size")) for el in root.iter() if el.get("font-size")]


def test_brief_chart_text_stays_at_least_12px_on_a_phone():
    """At 390 px the brief's card is about 320 px wide: the bars scale by 320/BAR_WIDTH.
    The time-series charts never shrink below their CSS min-width (500 px)."""
    svg = bar_svg([("smuggling", 4, 2), ("border_tightening", 1, 0)], lambda t: f"/incidents?type={t}")
    sizes = _font_sizes(svg)
    assert sizes and min(sizes) == BAR_FONT
    assert BAR_FONT * 320 / BAR_WIDTH >= 12
    css = STYLE.read_text()
    min_width = int(re.search(r"\.chart-scroll svg \{[^}]*min-width: (\d+)px", css).group(1))
    assert SERIES_FONT * min_width / SERIES_WIDTH >= 12
    # and no rule of the brief's own block sets text below 12 px (0.8rem of 15 px)
    start = css.index("/* --- brief and goods/prices --- */")
    end = css.find("/* ---", start + 10)
    block = css[start:end if end > 0 else None]
    for size in re.findall(r"font-size: ([\d.]+)rem", block):
        assert float(size) * 15 >= 12
