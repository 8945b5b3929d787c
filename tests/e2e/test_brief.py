"""The brief in a real browser (issue 8): each number of the summary and of the sanctioned goods
opens a list showing that many rows; the presets set the period and mark it; at 390 px nothing
overflows and no text, SVG chart text included, is drawn below 12 px. Screenshots at 1440 and
390 px go to test-artifacts/screenshots/brief-*.png."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import urlsplit

import pytest

from ..serve.briefstore import build_brief_store
from .conftest import serving, shot

NEWEST = "2024-06-12"


@pytest.fixture(scope="module")
def brief_server(tmp_path_factory):
    """The workbench over the sample store plus the invented reports of tests/serve/briefstore."""
    db = build_brief_store(tmp_path_factory.mktemp("e2e-brief"))
    with serving(db) as url:
        yield url


def _page(browser, base: str, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 1000})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.base = base
    return ctx, pg


@pytest.fixture
def page(browser, brief_server):
    ctx, pg = _page(browser, brief_server, 1440)
    yield pg
    ctx.close()
    assert pg.errors == [], f"JavaScript errors: {pg.errors}"


def api_total(base: str, url: str) -> int:
    """The total of the list at `url`, from its JSON twin."""
    u = urlsplit(url)
    with urllib.request.urlopen(f"{base}/api{u.path}?{u.query}", timeout=30) as r:  # our own server
        return json.load(r)["total"]


def shown_total(pg) -> int:
    """The total a list page shows (reports, events or incidents)."""
    for sel in ("#result-count", "#event-count", "#incidents-total", ".pager-count"):
        loc = pg.locator(sel)
        if loc.count():
            text = loc.first.inner_text()
            m = re.search(r"of ([\d,]+)", text) if sel == ".pager-count" else re.search(r"[\d,]+", text)
            if m:
                return int((m.group(1) if m.re.groups else m.group(0)).replace(",", ""))
    raise AssertionError(f"no total on {pg.url}")


def number_of(text: str) -> int:
    return int(re.match(r"\s*([\d,]+)", text).group(1).replace(",", ""))


@pytest.mark.parametrize("key", ["sum-reports", "sum-events", "sum-incidents",
                                 "prev-reports", "prev-events", "prev-incidents"])
def test_browser_brief_summary_numbers_open_lists_of_that_many(page, key):
    page.goto(page.base + "/?since=2023-06-14&until=2024-06-12")
    link = page.locator(f"#{key}")
    n = number_of(link.inner_text())
    link.click()
    page.wait_for_load_state()
    assert "since=" in page.url
    assert shown_total(page) == n == api_total(page.base, page.url)
    if key.startswith("sum-"):
        assert n > 0


def test_browser_brief_sanctioned_numbers_open_their_events(page):
    page.goto(page.base + "/?since=2024-05&until=2024-06")
    links = page.locator("#brief-sanctioned a.num")
    count = links.count()
    assert count >= 4
    for i in range(count):
        page.goto(page.base + "/?since=2024-05&until=2024-06")
        link = page.locator("#brief-sanctioned a.num").nth(i)
        n = number_of(link.inner_text())
        link.click()
        page.wait_for_load_state()
        assert "moves=" in page.url
        assert shown_total(page) == n == api_total(page.base, page.url)


def test_browser_brief_presets_set_and_mark_the_period(page):
    page.goto(page.base + "/")
    assert page.locator('#brief-presets a[aria-current="true"]').inner_text() == "30 days"
    page.locator("#brief-presets a", has_text="7 days").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/?since=2024-06-06&until={NEWEST}")
    assert page.locator('#brief-presets a[aria-current="true"]').inner_text() == "7 days"
    assert f"From 2024-06-06 to {NEWEST}" in page.locator("#brief-summary").inner_text()
    assert page.locator('input[name="since"]').input_value() == "2024-06-06"
    n = number_of(page.locator("#sum-reports").inner_text())
    page.locator("#brief-presets a", has_text="all").click()
    page.wait_for_load_state()
    assert page.url.endswith("/?period=all")
    assert page.locator('#brief-presets a[aria-current="true"]').inner_text() == "all"
    assert page.locator("#brief-summary").inner_text().startswith("All dates")
    assert number_of(page.locator("#sum-reports").inner_text()) > n
    assert page.locator("#prev-reports").count() == 0  # no period before "all"
    shot(page, "brief-1440-all")


_SMALL_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('details:not([open]) > :not(summary)')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    let px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) px *= el.getScreenCTM().a;  // user units to screen pixels
    if (px < 11.95) small.push(`${el.tagName} "${node.textContent.trim().slice(0, 30)}" ${px.toFixed(1)}px`);
  }
  return small;
}"""


@pytest.mark.parametrize("width", [1440, 390])
def test_browser_brief_fits_and_reads_at_12px(browser, brief_server, width):
    ctx, pg = _page(browser, brief_server, width)
    try:
        for path in ("/?since=2015&until=2025", "/", "/?period=all"):
            pg.goto(brief_server + path)
            assert pg.evaluate("document.documentElement.scrollWidth") <= width, path
            assert pg.evaluate(_SMALL_TEXT) == [], path
            svg_text = pg.locator("#brief-types svg text")
            assert svg_text.count() > 0
        pg.goto(brief_server + "/?since=2015&until=2025")
        shot(pg, f"brief-{width}")
        pg.goto(brief_server + "/goods/commodity:rice")
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
        shot(pg, f"good-rice-{width}")
        pg.goto(brief_server + "/rates")
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
        assert pg.evaluate(_SMALL_TEXT) == []
        shot(pg, f"rates-{width}")
    finally:
        ctx.close()
    assert pg.errors == []


def test_browser_price_and_rate_dots_open_their_reports(page):
    page.goto(page.base + "/goods/commodity:rice")
    dots = page.locator("#good-prices svg a")
    rows = page.locator("#good-prices-table tr.price-row")
    assert dots.count() == rows.count() > 0
    href = dots.first.get_attribute("href")
    assert re.fullmatch(r"/reports/[0-9a-f]+#event-\d+", href)
    page.goto(page.base + "/?since=2024-05&until=2024-06")
    page.locator("#brief-rates-chart").click()
    page.wait_for_load_state()
    assert "/rates?since=2024-05&until=2024-06" in page.url
    assert page.locator("circle.pt").count() == page.locator("#rates-table tr.rate-row").count() > 0


def test_browser_rates_month_by_month_each_count_opens_that_many_rates(page):
    page.goto(page.base + "/rates?by=month")
    months = page.locator("#rates-table tr.rate-row.month")
    assert months.count() > 1
    assert page.locator("circle.pt").count() == page.locator("#rates-table tr.rate-row").count()
    link = months.first.locator("a.month-count")
    n = int(re.match(r"[\d,]+", link.inner_text()).group().replace(",", ""))
    link.click()
    page.wait_for_load_state()
    assert "pair=" in page.url and "by=" not in page.url
    assert page.locator("#rates-table tr.rate-row.reported").count() == n
