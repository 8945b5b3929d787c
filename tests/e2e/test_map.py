"""The map in a real browser (Debian's chromium through Playwright) against `borderwatch serve`:
Leaflet draws the shipped geography, zooms, gathers nearby places into clusters, labels every
mark, and a mark's number opens a list of exactly that many incidents. No request leaves
127.0.0.1. Screenshots at 1440 and 390 px go to test-artifacts/screenshots/ (the README's
come from `make screenshots`).
"""

from __future__ import annotations

import pytest

from .conftest import shot


@pytest.fixture
def requests_seen() -> list[str]:
    return []


@pytest.fixture
def page(browser, server, requests_seen):
    """A 1440 px page that records every request and fails the test on a JavaScript error or
    on any request to a host other than the test server."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: requests_seen.append(r.url))
    pg.base = server["url"]
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"
    outside = [u for u in requests_seen
               if not (u.startswith(server["url"] + "/") or u.startswith("data:"))]
    assert requests_seen and outside == [], f"requests leaving 127.0.0.1: {outside}"


def open_map(page, query: str = "") -> None:
    page.goto(page.base + "/map" + query)
    page.wait_for_selector("#map-canvas.map-ready")
    page.wait_for_timeout(400)  # let the clusters settle


def zoom(page) -> float:
    return float(page.locator("#map-canvas").get_attribute("data-zoom"))


def mark_of(page, place_id: str):
    """The marker of a place, or the cluster that holds it."""
    return page.locator(f'#map-canvas .place-marker[data-place="{place_id}"], '
                        f'#map-canvas .cluster-box[data-places~="{place_id}"]')


def test_map_draws_leaflet_panes_with_the_geography(page):
    open_map(page)
    paths = page.locator("#map-canvas .leaflet-overlay-pane svg path")
    assert paths.count() > 30  # countries, provinces, borders, rivers
    assert page.locator("#map-canvas path.river").count() == 2  # Yalu and Tumen as lines
    assert page.locator("#map-canvas path.province.marked").count() >= 1  # provinces as areas
    assert page.locator("#map-canvas .leaflet-tile").count() == 0  # no tile layer
    assert page.locator("#map-canvas .geo-label.country").count() >= 4
    shot(page, "map-1440")


def test_map_zoom_in_button_zooms(page):
    open_map(page)
    before = zoom(page)
    page.click("#map-canvas .leaflet-control-zoom-in")
    for _ in range(50):  # polled from here: the page's CSP forbids the eval wait_for_function needs
        if zoom(page) > before:
            break
        page.wait_for_timeout(100)
    assert zoom(page) == pytest.approx(before + 1)


@pytest.mark.parametrize("place_id", ["place:sinuiju", "place:hyesan"])
def test_map_marks_border_towns_with_a_label(page, place_id):
    open_map(page)
    mark = mark_of(page, place_id)
    assert mark.count() == 1
    assert mark.locator(".place-name").inner_text().strip()
    assert mark.locator(".place-name").is_visible()


def test_map_clusters_open_to_a_marker_whose_number_opens_that_many_incidents(page):
    """Click the cluster holding Sinuiju until Sinuiju's own marker shows (clusters zoom in, or
    fan out at the last level), then follow its link: the list holds its number of rows."""
    open_map(page)
    marker = page.locator('#map-canvas .place-marker[data-place="place:sinuiju"]')
    for _ in range(8):
        if marker.count():
            break
        page.locator('#map-canvas .cluster-box[data-places~="place:sinuiju"] .cluster-dot').click()
        page.wait_for_timeout(700)
    assert marker.count() == 1
    shown = int(marker.locator(".count").inner_text())
    assert shown == int(marker.get_attribute("data-count")) > 0
    marker.click()
    page.wait_for_url("**/incidents?place=place%3Asinuiju**")
    assert int(page.locator("#incidents-total").inner_text().split()[0]) == shown


def test_map_area_label_of_a_province_opens_its_incidents(page):
    open_map(page)
    label = page.locator("#map-canvas a.area-label").first
    shown = int(label.locator(".count").inner_text())
    label.click()
    page.wait_for_url("**/incidents?place=**")
    assert int(page.locator("#incidents-total").inner_text().split()[0]) == shown


def test_map_period_reaches_the_api_and_the_links(page, requests_seen):
    open_map(page, "?since=2019&until=2024-12-31")
    assert any("/api/places?since=2019&until=2024-12-31" in u for u in requests_seen)
    href = page.locator("#map-canvas [data-place]").first.get_attribute("href")
    assert "since=2019" in href and "until=2024-12-31" in href


def test_map_at_390_px(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    pg.base = server["url"]
    open_map(pg)
    box = pg.locator("#map-canvas").bounding_box()
    assert box["width"] <= 390 and box["height"] >= 250
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
    assert pg.locator("#map-canvas .leaflet-control-zoom-in").is_visible()
    shot(pg, "map-390")
    ctx.close()


def test_map_without_javascript_keeps_the_table(browser, server):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(server["url"] + "/map")
    rows = pg.locator("#map-places tbody tr")
    assert rows.count() > 5
    first = rows.first.locator("a.count")
    shown = int(first.inner_text())
    first.click()
    pg.wait_for_url("**/incidents?place=**")
    assert int(pg.locator("#incidents-total").inner_text().split()[0]) == shown
    ctx.close()

