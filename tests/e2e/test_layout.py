"""Every page at a phone's 390 px in a real browser: nothing widens the page past the screen
(wide tables scroll in their own box), the navigation wraps onto the screen, and the skip link
takes a keyboard user to the content. Screenshots of each page at 390 px go to
test-artifacts/screenshots/layout-390-*.png.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from .conftest import shot, sign_in

WIDTH = 390
PAGES = ["/", "/reports", "/reports?q=Nampo", "/reports/{report}", "/events", "/incidents",
         "/incidents/{incident}", "/timeline", "/map", "/goods", "/goods/{good}", "/claims",
         "/watchlists", "/watchlists/{watchlist}", "/login", "/no-such-page",
         "/events?since=2022-13"]
# Pages other areas of issue 8 still have to fit (strict: remove an entry once its page fits).
NOT_YET_FITTING: dict[str, str] = {}


def _get(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=30) as r:  # the test's own local server
        return json.load(r)


@pytest.fixture(scope="module")
def ids(server, browser):
    """Ids for the detail pages, and one watchlist made through the API as an analyst."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    sign_in(pg, server["url"])
    csrf = pg.locator('meta[name="csrf-token"]').get_attribute("content")
    r = pg.request.post(server["url"] + "/api/watchlists", headers={"X-CSRF-Token": csrf},
                        data={"name": "coal moves", "filters": {"commodity": "coal"}})
    assert r.ok, r.text()
    watchlist = r.json()["id"]
    ctx.close()
    base = server["url"]
    return {"report": _get(base, "/api/reports")["results"][0]["id"],
            "incident": _get(base, "/api/incidents")["incidents"][0]["id"],
            "good": "commodity:coal", "watchlist": watchlist}


@pytest.fixture(scope="module", params=["reader", "analyst"])
def phone(request, browser, server):
    """A 390 px wide page, anonymous or signed in (which shows more forms)."""
    ctx = browser.new_context(viewport={"width": WIDTH, "height": 844}, device_scale_factor=1)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    if request.param == "analyst":
        sign_in(pg, server["url"])
    pg.who = request.param
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.mark.parametrize("path", PAGES)
def test_layout_no_page_is_wider_than_a_phone(phone, server, ids, path, request):
    if path in NOT_YET_FITTING:
        request.applymarker(pytest.mark.xfail(reason=NOT_YET_FITTING[path], strict=True))
    phone.goto(server["url"] + path.format(**ids))
    phone.wait_for_load_state("load")
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "brief"
    shot(phone, f"layout-{WIDTH}-{phone.who}-{name}")
    wide = phone.evaluate("document.documentElement.scrollWidth")
    culprits = phone.evaluate("""(w) => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > w + 1 && el.offsetParent !== null
                && !el.closest('.scroll, .table-wrap, table, .leaflet-container'))
        .slice(0, 5).map(el => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className)""",
                              WIDTH)
    assert wide <= WIDTH, f"{path} is {wide} px wide: {culprits}"


def test_layout_navigation_wraps_onto_the_screen(phone, server):
    """Every navigation link is on screen and clickable at 390 px (no script involved)."""
    phone.goto(server["url"] + "/events")
    links = phone.locator('header.top nav a')
    assert links.count() == 9
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, links.nth(i).inner_text()
    current = phone.locator('header.top nav a[aria-current="page"]')
    assert current.count() == 1 and current.inner_text() == "Events"
    links.nth(8).click()  # the last one, on the wrapped line
    phone.wait_for_url("**/watchlists")


def test_layout_skip_link_reaches_the_content_by_keyboard(phone, server):
    phone.goto(server["url"] + "/reports")
    phone.keyboard.press("Tab")
    skip = phone.locator("a.skip")
    assert phone.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # shown on screen when focused
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main"


def test_layout_wide_tables_scroll_inside_the_page(phone, server):
    """The events table is wider than a phone: it scrolls in its own box, the page does not."""
    phone.goto(server["url"] + "/events")
    table = phone.locator("#events-table")
    inner = table.evaluate("t => t.scrollWidth")
    outer = table.evaluate("t => { const box = t.closest('.scroll, .table-wrap') || t;"
                           " return box.clientWidth; }")
    assert inner > outer  # it does hold more than the screen shows…
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH  # …inside the page
