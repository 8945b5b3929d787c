"""The timeline in a real browser (issue 8): at 390 and 1440 px the page fits, no text (the
chart's included) is drawn below 12 px, the chart scrolls sideways in its own box on a phone,
and every count (a bar, a number of the table, the total) opens a list of that many incidents;
the presets set the period. Screenshots go to test-artifacts/screenshots/timeline-e2e-*.png."""

from __future__ import annotations

import re

import pytest

from .conftest import shot
from .test_brief import _SMALL_TEXT  # the brief's measure of on-screen text size


def _page(browser, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    return ctx, pg


@pytest.mark.parametrize("width", [1440, 390])
def test_timeline_fits_and_reads_at_12px(browser, server, width):
    ctx, pg = _page(browser, width)
    try:
        for path in ("/timeline", "/timeline?granularity=week", "/timeline?since=2024-05-13&until=2024-06-11"):
            pg.goto(server["url"] + path)
            assert pg.evaluate("document.documentElement.scrollWidth") <= width, path
            assert pg.locator("#timeline-chart svg text").count() > 5
            assert pg.evaluate(_SMALL_TEXT) == [], path
            box = pg.locator("#timeline-chart")
            scrolls = box.evaluate("b => b.scrollWidth > b.clientWidth + 1")
            assert scrolls == (width < 900), "the chart scrolls in its own box on a phone only"
            if scrolls:  # app.js opens it on the newest periods
                assert box.evaluate("b => b.scrollLeft + b.clientWidth >= b.scrollWidth - 2")
        pg.goto(server["url"] + "/timeline")
        shot(pg, f"timeline-e2e-{width}")
    finally:
        ctx.close()
    assert pg.errors == []


def _shown_incidents(pg) -> int:
    return int(pg.locator("#incidents-total").inner_text().split()[0])


def test_timeline_bars_and_numbers_open_lists_of_that_many(browser, server):
    ctx, pg = _page(browser, 1440)
    base = server["url"]
    try:
        pg.goto(base + "/timeline?since=2024-05-13&until=2024-06-11")
        bars = pg.locator("#timeline-chart svg a:has(rect.seg)")
        assert bars.count() > 3
        for i in range(bars.count()):
            pg.goto(base + "/timeline?since=2024-05-13&until=2024-06-11")
            bar = pg.locator("#timeline-chart svg a:has(rect.seg)").nth(i)
            shown = int(bar.locator("title").text_content().rsplit(" ", 1)[1])
            bar.locator("rect").click()
            pg.wait_for_url("**/incidents?**")
            assert _shown_incidents(pg) == shown, pg.url
        pg.goto(base + "/timeline")
        numbers = pg.locator("#timeline-table a.num, #timeline-total")
        count = numbers.count()
        assert count > 20
        for i in range(0, count, 4):  # every fourth: a click each is slow, the API test has all
            pg.goto(base + "/timeline")
            link = pg.locator("#timeline-table a.num, #timeline-total").nth(i)
            n = int(re.match(r"\d+", link.inner_text()).group(0))
            link.click()
            pg.wait_for_url("**/incidents?**")
            assert _shown_incidents(pg) == n, pg.url
    finally:
        ctx.close()
    assert pg.errors == []


def test_timeline_presets_and_form_keep_the_period(browser, server):
    ctx, pg = _page(browser, 390)
    base = server["url"]
    try:
        pg.goto(base + "/timeline")
        assert pg.locator('#timeline-presets a[aria-current="true"]').inner_text() == "all"
        pg.select_option("#t-granularity", "week")
        pg.click("#timeline-filters button[type=submit]")
        pg.wait_for_url("**granularity=week**")
        pg.locator("#timeline-presets a", has_text="90 days").click()
        pg.wait_for_load_state()
        assert "granularity=week" in pg.url and "since=" in pg.url
        assert pg.locator('#timeline-presets a[aria-current="true"]').inner_text() == "90 days"
        assert pg.locator("#t-granularity").input_value() == "week"
        since = pg.locator("#t-since").input_value()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", since)
        assert f"From {since} to" in pg.locator("#timeline-summary").inner_text()
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        ctx.close()
    assert pg.errors == []
