"""The lists in a real browser (issue 8): page through, sort by a column, filter by a drop-down
and find it still chosen, download exactly the filtered rows, and at 390 px a table scrolls in
its box while the page does not. Uses the shared `server` and `browser` of conftest.py; each
step saves a screenshot to test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import open_page, shot


@pytest.fixture
def page(browser, server):
    with open_page(browser, server["url"], 1280, 900, accept_downloads=True) as pg:
        yield pg


def _showing(page) -> tuple[int, int, int]:
    """(first row, last row, total) from the pager's "Showing 6–10 of 31"."""
    m = re.search(r"Showing (\d+)–(\d+) of (\d+)", page.locator(".pager-count").first.inner_text())
    assert m, page.locator(".pager-count").first.inner_text()
    return int(m[1]), int(m[2]), int(m[3])


def test_lists_click_through_the_pages(page):
    page.goto(page.base + "/events?type=trade&per_page=5")
    first, last, total = _showing(page)
    assert (first, last) == (1, 5) and total > 10
    ids = page.locator("#events-table tbody tr").evaluate_all("rs => rs.map(r => r.dataset.event)")
    page.locator(".pg-next").first.click()
    page.wait_for_url("**page=2**")
    assert _showing(page) == (6, 10, total)
    assert "type=trade" in page.url and "per_page=5" in page.url
    more = page.locator("#events-table tbody tr").evaluate_all("rs => rs.map(r => r.dataset.event)")
    assert not set(ids) & set(more)
    page.locator(".pg-last").first.click()
    page.wait_for_url(f"**page={-(-total // 5)}**")
    assert _showing(page)[1:] == (total, total)
    shot(page, "lists-events-last-page")
    page.locator(".pg-first").first.click()
    page.wait_for_load_state()
    assert _showing(page) == (1, 5, total)
    assert page.locator("#events-table tbody tr").evaluate_all("rs => rs.map(r => r.dataset.event)") == ids


def _column(page, table: str, n: int) -> list[str]:
    return page.locator(f"{table} tbody tr td:nth-child({n})").all_inner_texts()


def test_lists_sort_a_column_both_ways(page):
    page.goto(page.base + "/incidents?per_page=50")
    header = page.locator("#incidents-table th:has(a[data-sort=events])")
    assert header.get_attribute("aria-sort") is None
    header.locator("a").click()
    page.wait_for_url("**sort=events**")
    header = page.locator("#incidents-table th:has(a[data-sort=events])")
    assert header.get_attribute("aria-sort") == "descending"
    counts = [int(x) for x in _column(page, "#incidents-table", 6)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    header.locator("a").click()
    page.wait_for_url("**order=asc**")
    assert page.locator("#incidents-table th:has(a[data-sort=events])").get_attribute("aria-sort") == "ascending"
    counts = [int(x) for x in _column(page, "#incidents-table", 6)]
    assert counts == sorted(counts)
    shot(page, "lists-incidents-sorted")


def test_lists_filter_by_a_drop_down_and_it_stays_chosen(page):
    page.goto(page.base + "/events")
    page.select_option("#f-type", "trade")
    page.select_option("#f-negated", "show")
    page.click("#event-filters button[type=submit]")
    page.wait_for_url("**type=trade**")
    assert page.locator("#f-type").input_value() == "trade"
    assert page.locator("#f-negated").input_value() == "show"
    chosen = page.locator("#f-type option:checked").inner_text()
    assert chosen == "Trade"  # the label, not the code
    assert set(page.locator("#events-table tbody td:nth-child(2) .evtag").all_inner_texts()) == {"Trade"}
    # sorting keeps the filter, and the filter form keeps the sort
    page.locator("#events-table th a[data-sort=report]").click()
    page.wait_for_url("**sort=report**")
    assert "type=trade" in page.url and page.locator("#f-type").input_value() == "trade"
    page.select_option("#f-source", "anonymous")
    page.click("#event-filters button[type=submit]")
    page.wait_for_url("**source_kind=anonymous**")
    assert "sort=report" in page.url and "type=trade" in page.url
    shot(page, "lists-events-filtered")


def test_lists_downloads_hold_the_filtered_rows(page):
    page.goto(page.base + "/incidents")
    page.select_option("#f-type", "trade")
    page.click("#incident-filters button[type=submit]")
    page.wait_for_url("**type=trade**")
    total = int(page.locator("#incidents-total").inner_text().split()[0])
    assert total > 0
    with page.expect_download() as dl:
        page.click("#dl-csv")
    rows = Path(dl.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) == total + 1 and rows[0].startswith("id,type,")
    with page.expect_download() as dl:
        page.click("#dl-json")
    lines = Path(dl.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(lines) == total and all(json.loads(x)["type"] == "trade" for x in lines)
    for path in ("/reports", "/goods", "/claims"):
        page.goto(page.base + path)
        with page.expect_download() as dl:
            page.click("#dl-csv")
        shown = int(re.search(r"Download (\d+)", page.locator(".downloads").inner_text())[1])
        assert len(Path(dl.value.path()).read_text(encoding="utf-8").strip().splitlines()) == shown + 1, path


def test_lists_search_newest_first_toggle(page):
    page.goto(page.base + "/reports")
    page.fill("#q", "Sinuiju")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector(".result mark")
    assert page.locator(".sort-choices strong").inner_text() == "Best match"
    page.locator(".sort-choices a", has_text="Newest first").click()
    page.wait_for_url("**sort=published**")
    days = [d for d in _column(page, "#reports-table", 3) if re.match(r"\d{4}", d)]
    assert len(days) > 1 and days == sorted(days, reverse=True)
    assert page.locator("#q").input_value() == "Sinuiju"


def test_lists_claim_counts_open_that_many_claims(page):
    page.goto(page.base + "/claims")
    count = page.locator(".claim-group .side-count").first
    shown = int(count.inner_text())
    count.click()
    page.wait_for_url("**view=claims**")
    assert int(page.locator("#claims-total .num").inner_text()) == shown
    assert page.locator("#claims-table tbody tr").count() == min(shown, 25)
    shot(page, "lists-claims-flat")


@pytest.mark.parametrize("path,table", [("/events", "#events-table"), ("/reports?q=border", "#reports-table"),
                                        ("/incidents", "#incidents-table"), ("/claims?view=claims", "#claims-table")])
def test_lists_fit_a_phone(browser, server, path, table):
    """At 390 px the page itself does not scroll sideways; a wide table scrolls in its box."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = ctx.new_page()
    page.goto(server["url"] + path)
    page.wait_for_selector(table)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(f".table-wrap:has({table})")
    assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    assert box.evaluate("b => b.getBoundingClientRect().right") <= 390
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the table is wider than the phone"
    shot(page, "lists-390" + path.replace("/", "-").replace("?", "-").replace("=", "-"))
    ctx.close()
