"""The timeline page and its JSON twin (issue 8): a labelled form with human labels, the brief's
period presets, a legend for every mark, every count (bars, periods, the total) a link to an
incidents list of exactly that many rows, also when the period cuts a month in two; and the
events list's "goods moving" filter shown in words, kept by the form and removable."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve.app import create_app

from .webstore import build_store, list_total

NEWEST = "2024-06-12"  # the newest publication date of the sample store
# a period that cuts June 2024 short (15 incidents in all of June, fewer up to the 11th)
CUT = {"since": "2024-05-13", "until": "2024-06-11"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("timeline"))
    with TestClient(create_app(str(db), secret="test")) as c:
        yield c


@pytest.mark.parametrize("params", [{}, {"granularity": "week"}, CUT, CUT | {"granularity": "week"},
                                    {"since": "2021", "until": "2023-08"}])
def test_timeline_every_count_opens_a_list_of_that_many(client, params):
    data = client.get("/api/timeline", params=params).json()
    assert data["rows"] and data["periods"]
    for r in data["rows"]:
        assert list_total(client, r["href"]) == r["count"], r
        assert parse_qs(urlsplit(r["href"]).query)["type"] == [r["type"]]
    for p in data["periods"]:
        assert list_total(client, p["href"]) == p["count"] == sum(t["count"] for t in p["types"]), p
    assert list_total(client, data["total"]["href"]) == data["total"]["count"] == sum(
        r["count"] for r in data["rows"])
    periods = [p["period"] for p in data["periods"]]
    assert periods == sorted(periods, reverse=True), "newest first"


def test_timeline_links_are_cut_to_the_period_asked_for(client):
    """June 2024 up to the 11th: the bar counts fewer than the whole month, and its link says so."""
    whole = {p["period"]: p["count"] for p in client.get("/api/timeline").json()["periods"]}
    cut = client.get("/api/timeline", params=CUT).json()
    june = next(p for p in cut["periods"] if p["period"] == "2024-06-01")
    assert june["count"] < whole["2024-06-01"]
    assert "since=2024-06-01" in june["href"] and "until=2024-06-11" in june["href"]
    may = next(p for p in cut["periods"] if p["period"] == "2024-05-01")
    assert "since=2024-05-13" in may["href"] and "until=2024-05-31" in may["href"]


def test_timeline_form_is_labelled_in_words(client):
    html = client.get("/timeline", params={"granularity": "week", "since": "2022"}).text
    assert re.search(r'<label>Bars per <select name="granularity"[^>]*>', html)
    assert '<option value="week" selected>Week</option>' in html
    assert '<option value="month">Month</option>' in html
    assert re.search(r'<label>From <input type="text" name="since"[^>]*value="2022"', html)
    assert re.search(r'<label>To <input type="text" name="until"', html)
    assert "From 2022 on" in html


def test_timeline_presets_are_the_briefs_and_keep_the_granularity(client):
    brief = client.get("/api/brief").json()["presets"]
    data = client.get("/api/timeline", params={"granularity": "week", "period": "all"}).json()
    assert [p["label"] for p in data["presets"]] == [p["label"] for p in brief]
    assert [(p["since"], p["until"]) for p in data["presets"]] == [(p["since"], p["until"]) for p in brief]
    assert data["presets"][0]["href"] == f"/timeline?granularity=week&since=2024-06-06&until={NEWEST}"
    assert data["presets"][-1]["href"] == "/timeline?granularity=week&period=all"
    assert data["presets"][-1]["current"] and not any(p["current"] for p in data["presets"][:-1])
    html = client.get(data["presets"][1]["href"]).text  # 30 days
    assert re.search(r'<a href="[^"]+" aria-current="true">30 days</a>', html)
    assert f"From 2024-05-14 to {NEWEST}" in html
    # the brief's own links are as before
    assert brief[0]["href"] == f"/?since=2024-06-06&until={NEWEST}" and brief[-1]["href"] == "/?period=all"
    assert client.get("/api/timeline", params={"period": "all", "since": "2022"}).json()["since"] is None


def test_timeline_legend_names_every_type_drawn(client):
    data = client.get("/api/timeline").json()
    html = client.get("/timeline").text
    legend = html[html.index('id="timeline-legend"'):html.index('id="timeline-chart"')]
    drawn = set(re.findall(r'<rect class="seg"[^>]*fill="(#[0-9A-F]{6})"', html))
    swatches = re.findall(r'<span class="swatch ev-([a-z_]+)"', legend)
    assert sorted(swatches) == sorted(data["types"]) and len(swatches) > 5
    assert len(drawn) == len(swatches), "one colour per type drawn, each in the legend"
    for mark in ("a bar:", "a gap:", "a date under the axis", "a number opens"):
        assert mark in legend
    assert "border_tightening" not in re.sub(r"<[^>]+>", " ", legend)  # labels, not codes


def test_timeline_chart_text_is_large_enough_when_kept_at_its_min_width(client):
    """At 390 px the chart keeps its min-width (style.css) and scrolls: its text, drawn at
    TIMELINE_FONT units in a 960-unit view box, is at least 12 px there."""
    from pathlib import Path

    from borderwatch.serve.charts import TIMELINE_FONT

    svg = client.get("/timeline").text
    box = int(re.search(r'<svg[^>]*viewBox="0 0 (\d+) \d+"', svg).group(1))
    css = (Path(__file__).resolve().parents[2] / "src/borderwatch/serve/static/style.css").read_text()
    min_width = int(re.search(r"\.timeline-chart svg \{[^}]*min-width: (\d+)px", css).group(1))
    assert TIMELINE_FONT * min_width / box >= 12
    assert f'font-size="{TIMELINE_FONT}"' in svg


@pytest.mark.parametrize("params", [{"granularity": "decade"}, {"since": "2022-13"},
                                    {"until": "July"}, {"period": "always"}])
def test_timeline_bad_values_are_a_400(client, params):
    assert client.get("/api/timeline", params=params).status_code == 400
    r = client.get("/timeline", params=params)
    assert r.status_code == 400 and "<html" in r.text


def test_timeline_empty_period_says_so(client):
    data = client.get("/api/timeline", params={"since": "2010", "until": "2011"}).json()
    assert data["rows"] == [] and data["total"]["count"] == 0
    assert list_total(client, data["total"]["href"]) == 0
    assert "no incidents in this period" in client.get("/timeline?since=2010&until=2011").text


# --- the events list's "goods moving" filter ----------------------------------------------

def test_events_moves_filter_is_a_chip_the_form_keeps(client):
    params = {"moves": "commodity:coal", "since": "2019", "sort": "date", "order": "asc"}
    html = client.get("/events", params=params).text
    chip = re.search(r'<p class="filter-chip" id="f-moves">(.*?)</p>', html, re.S).group(1)
    assert '<input type="hidden" name="moves" value="commodity:coal">' in chip  # inside the form
    form = html[html.index('<form class="filters"'):html.index("</form>")]
    assert 'id="f-moves"' in form
    assert re.sub(r"<[^>]+>", "", chip).split()[:3] == ["Goods", "moving:", "coal"]
    remove = re.search(r'href="([^"]+)" class="chip-remove"', chip).group(1).replace("&amp;", "&")
    assert "moves" not in remove
    assert parse_qs(urlsplit(remove).query) == {"since": ["2019"], "sort": ["date"], "order": ["asc"]}
    moving = client.get("/api/events", params=params).json()["total"]
    without = client.get("/api" + remove).json()["total"]
    assert 0 < moving < without
    assert 'id="f-moves"' not in client.get(remove).text


def test_events_moves_chip_shows_an_unknown_id_as_given(client):
    html = client.get("/events", params={"moves": "commodity:nothing-such"}).text
    assert "<strong>commodity:nothing-such</strong>" in html


def test_weeks_with_no_period_are_the_last_two_years_and_every_week_is_one_click_away(client):
    from datetime import date, timedelta

    recent = client.get("/api/timeline", params={"granularity": "week"}).json()
    every = client.get("/api/timeline", params={"granularity": "week", "period": "all"}).json()
    first = (date.fromisoformat(NEWEST) - timedelta(weeks=103)).isoformat()
    assert recent["recent_weeks"] == 104 and recent["since"] == first and every["recent_weeks"] is None
    assert every["all"] and not recent["all"]
    assert {p["period"] for p in recent["periods"]} == {p["period"] for p in every["periods"]
                                                        if p["until"] >= first}
    assert len(every["periods"]) > len(recent["periods"])
    assert list_total(client, recent["total"]["href"]) == recent["total"]["count"]
    html = client.get("/timeline", params={"granularity": "week"}).text
    assert 'id="timeline-recent"' in html and 'href="/timeline?granularity=week&amp;period=all"' in html
    assert 'id="timeline-recent"' not in client.get("/timeline").text  # months: every date
