"""The timeline and brief-bar SVG charts, and the event types' colours."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from borderwatch.model import EVENT_TYPES
from borderwatch.serve.charts import (
    EventStyle,
    bar_svg,
    delta_text,
    event_style,
    fill_periods,
    nice_step,
    period_start,
    timeline_svg,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def tlink(period: str, etype: str | None) -> str:
    return f"/events?since={period}" + (f"&type={etype}" if etype else "")


def parse(svg: str) -> ET.Element:
    """The SVG as XML (asserting it is well formed)."""
    return ET.fromstring(svg)


def segs(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//s:rect[@class='seg']", NS)


def hrefs(root: ET.Element) -> list[str]:
    return [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]


# --- event style ------------------------------------------------------------------------------

def test_event_style_has_every_type_with_distinct_hex_colours():
    styles = event_style()
    assert list(styles) == list(EVENT_TYPES)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", s.colour) for s in styles.values())
    assert len({s.colour for s in styles.values()}) == len(EVENT_TYPES)
    assert all(s.label for s in styles.values())


@pytest.mark.parametrize("colour, text", [("#FFFFFF", "#000000"), ("#332288", "#ffffff"),
                                          ("#DDCC77", "#000000")])
def test_event_style_text_colour_contrasts(colour, text):
    assert EventStyle("health", colour, "H").text_colour == text


# --- timeline ---------------------------------------------------------------------------------

def test_timeline_month_bars_links_gaps_and_legend():
    rows = [("2022-01-01", "health", 2), ("2022-01-01", "smuggling", 1),
            ("2022-03-01", "health", 3), ("2022-04-01", "trade", 1)]
    root = parse(timeline_svg(rows, "month", tlink))
    assert len(segs(root)) == 4
    links = hrefs(root)
    for want in ("/events?since=2022-01-01&type=health", "/events?since=2022-01-01&type=smuggling",
                 "/events?since=2022-03-01&type=health", "/events?since=2022-04-01&type=trade"):
        assert want in links
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Feb 2022" in texts  # the empty month is still on the axis
    assert "/events?since=2022-02-01" in links
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert "March 2022: Health 3" in titles
    legend = root.findall(".//s:g[@class='legend-item']", NS)
    assert [g.find("s:text", NS).text for g in legend] == ["Smuggling", "Trade", "Health"]


def test_timeline_stack_heights_are_proportional():
    root = parse(timeline_svg([("2022-05-01", "health", 3), ("2022-05-01", "price", 1)],
                              "month", tlink))
    heights = sorted(float(r.get("height")) for r in segs(root))
    assert heights[1] == pytest.approx(3 * heights[0], rel=0.02)


def test_timeline_weeks_normalise_to_monday_and_fill_gaps():
    rows = [("2022-07-06", "health", 1), ("2022-07-07", "health", 2), ("2022-07-27", "price", 1)]
    root = parse(timeline_svg(rows, "week", tlink))
    assert len(segs(root)) == 2  # Wed + Thu of the same week merge into one segment
    assert "/events?since=2022-07-04&type=health" in hrefs(root)
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert "Week of 4 Jul 2022: Health 3" in titles
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"11 Jul 2022", "18 Jul 2022", "25 Jul 2022"} <= set(texts)


def test_timeline_empty_draws_message():
    svg = timeline_svg([], "month", tlink)
    assert "no incidents in this period" in svg
    assert not segs(parse(svg))


def test_timeline_rejects_unknown_granularity():
    with pytest.raises(ValueError):
        timeline_svg([("2022-01-01", "health", 1)], "day", tlink)


def test_timeline_escapes_type_labels_and_links():
    bad = "<script>alert(1)</script>"
    svg = timeline_svg([("2022-01-01", bad, 1)], "month",
                       lambda p, t: f'/e?x="1"&type={t}')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert f'/e?x="1"&type={bad}' in hrefs(root)


@pytest.mark.parametrize("starts, gran, n", [
    (["2021-11-01", "2022-02-01"], "month", 4),
    (["2022-07-04", "2022-07-04"], "week", 1),
    (["2022-07-04", "2022-08-01"], "week", 5),
    (["2020-12-28", "2021-01-04"], "week", 2),
])
def test_fill_periods_counts(starts, gran, n):
    assert len(fill_periods([date.fromisoformat(s) for s in starts], gran)) == n


@pytest.mark.parametrize("day, gran, start", [
    ("2022-07-10", "week", "2022-07-04"), ("2022-07-11", "week", "2022-07-11"),
    ("2022-07-31", "month", "2022-07-01"),
])
def test_period_start(day, gran, start):
    assert period_start(date.fromisoformat(day), gran) == date.fromisoformat(start)


@pytest.mark.parametrize("vmax, step", [(3, 1), (17, 5), (40, 10), (230, 50)])
def test_nice_step(vmax, step):
    assert nice_step(vmax) == step


# --- brief bars -------------------------------------------------------------------------------

@pytest.mark.parametrize("count, prev, text", [(5, 2, "+3"), (3, 3, "±0"), (1, 4, "−3"),
                                               (2, 0, "new"), (2, None, "")])
def test_delta_text(count, prev, text):
    assert delta_text(count, prev) == text


def test_bar_svg_links_labels_and_widths():
    items = [("health", 6, 2), ("smuggling", 3, None), ("<b>odd</b>", 1, 1)]
    svg = bar_svg(items, lambda label: f"/events?type={label}")
    assert "<b>" not in svg
    root = parse(svg)
    assert hrefs(root) == ["/events?type=health", "/events?type=smuggling",
                           "/events?type=<b>odd</b>"]
    rects = root.findall(".//s:g[@class='bar']/s:rect", NS)
    widths = [float(r.get("width")) for r in rects]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.02)
    assert "+4" in svg and "Health" in svg


def test_bar_svg_empty():
    assert "no events in this period" in bar_svg([], lambda label: "/")
