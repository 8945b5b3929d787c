"""End to end in a real headless Chromium (Debian's, driven by Playwright) against
`borderwatch serve` running as its own process: search, read, filter, timeline, log in,
correct an event that survives `reextract`, export (the map: test_map.py). Each step saves a
screenshot.

Screenshots go to test-artifacts/screenshots/ (the README's come from `make screenshots`).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import BW, open_page, shot, sign_in


@pytest.fixture
def page(browser, server):
    with open_page(browser, server["url"], 1400, 1000, accept_downloads=True) as pg:
        yield pg


def test_browser_brief(page):
    page.goto(page.base + "/?since=2019-01-01&until=2024-12-31")
    assert page.locator("#brief-types svg").count() == 1
    assert page.locator("#brief-places tr").count() > 1
    assert page.locator("#brief-reports li").count() == 8
    shot(page, "brief")


def test_browser_search_and_open_a_report_with_highlights(page):
    page.goto(page.base + "/reports")
    page.fill("#q", "Nampo")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector(".result mark")
    assert "Nampo" in page.locator(".result mark").first.inner_text()
    shot(page, "search")
    page.locator(".result a.title").first.click()
    page.wait_for_selector("#report-text")
    for kind in ("place", "commodity", "amount", "event"):
        assert page.locator(f"#report-text .hl-{kind}").count() > 0, kind
    place = page.locator("#report-text .hl-place").first
    place.hover()
    detail = page.locator("#fact-detail")
    assert place.inner_text().strip() in detail.inner_text()
    shot(page, "reader")


def test_browser_hostile_text_does_not_run(page):
    page.goto(page.base + "/reports?q=pwned")
    page.locator(".result a.title").first.click()
    page.wait_for_selector("#report-text")
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>window.__pwned = 1</script>" in page.locator("#report-text").inner_text()


def test_browser_filter_events_and_download_exactly_them(page):
    page.goto(page.base + "/events")
    page.select_option("#f-type", "smuggling")
    page.click("#event-filters button[type=submit]")
    page.wait_for_url("**type=smuggling**")
    types = page.locator("#events-table tbody td:nth-child(2) .evtag").all_inner_texts()
    assert types and all(t == "Smuggling" for t in types)  # the human label of the code
    total = int(page.locator("#event-count").inner_text())
    with page.expect_download() as dl:
        page.click("#dl-csv")
    rows = Path(dl.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(rows) == total + 1
    shot(page, "events")


def test_browser_timeline_click_through(page):
    """(The map's click-through is in test_map.py.)"""
    page.goto(page.base + "/timeline?granularity=month")
    bars = page.locator("#timeline-chart svg a rect")
    assert bars.count() > 0
    shot(page, "timeline")
    bar = page.locator("#timeline-chart svg a:has(rect.seg)").first
    shown = int(bar.locator("title").first.text_content().rsplit(" ", 1)[1])
    bar.locator("rect").first.click()
    page.wait_for_url("**/incidents?**since=**")
    assert int(page.locator("#incidents-total").inner_text().split()[0]) == shown


def test_browser_goods_claims_incidents_pages(page):
    for path, sel in (("/goods", "#goods-table tr"), ("/claims", "#collision-count"),
                      ("/incidents", "#incidents-table tr"), ("/watchlists", "#watchlists")):
        page.goto(page.base + path)
        assert page.locator(sel).count() > 0, path
        shot(page, path.strip("/"))


def test_browser_login_correct_event_survives_reextract(page, server):
    sign_in(page, page.base)
    page.goto(page.base + "/events?type=trade")
    page.locator("#events-table tbody tr a").first.click()
    page.wait_for_selector("#report-text")
    event = page.locator("#facts-panel > .fact.event").first
    event_id = event.get_attribute("data-id")
    event.locator(".act-open").click()  # opens the correction form
    event.locator(".fix-type").select_option("sanctions")
    event.locator(".fix-date").fill("2021-09-01")
    event.locator(".act-correct").click()
    page.wait_for_selector(f"#fact-event-{event_id}.review-corrected")
    shot(page, "corrected")
    done = subprocess.run([BW, "reextract", "--db", str(server["db"]), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    page.reload()
    fixed = page.locator(f"#fact-event-{event_id}")
    assert "Sanctions" in fixed.locator(".evtag").inner_text()
    assert "2021-09-01" in fixed.inner_text() and "corrected" in fixed.inner_text()


def test_browser_korean_report_is_found_read_and_drawn_in_a_hangul_font(page):
    """Issue 12: the invented Korean samples are listed by language, found by a Korean word
    however its particles run on (혜산 -> 혜산시에서), read with their facts marked, and drawn in
    a font that has Hangul (.ci/run installs Noto CJK): a missing glyph is drawn as a box as wide
    as any other missing glyph, so Hangul drawn wider or narrower than such boxes has a font."""
    page.goto(page.base + "/reports?language=ko")
    assert page.locator(".result").count() >= 5
    page.fill("#q", "혜산")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector(".result mark")
    assert page.locator(".result mark").first.inner_text().startswith("혜산")
    page.locator(".result a.title").first.click()
    page.wait_for_selector("#report-text")
    assert page.locator("#report-text .hl-place").count() > 0
    assert page.locator("#report-text .hl-event").count() > 0
    hangul, missing = page.evaluate("""() => {
        const width = text => {
            const s = document.createElement('span');
            s.textContent = text; s.style.fontSize = '40px'; s.style.whiteSpace = 'pre';
            document.body.appendChild(s);
            const w = s.getBoundingClientRect().width; s.remove(); return w;
        };
        return [width('혜산시장마당'), width('\\u0378\\u0379\\u0380\\u0381\\u0382\\u0383')];
    }""")
    assert abs(hangul - missing) > 1, (hangul, missing)
    shot(page, "reader-korean")
