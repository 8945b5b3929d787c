"""Every page `make screenshots` photographs (tools/screenshots.py's PAGES), in a real browser
against the e2e server, as the script takes it (signed in or not, at 390 and 1440 px): it
answers with its status, its scripts log no error to the console, and at 390 px nothing makes
the page wider than the phone. (Whether the PNGs exist is not tested: they are made by hand.)
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from ..serve.webstore import PASSWORD
from .conftest import ROOT


def _script():
    """tools/screenshots.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bw_screenshots", ROOT / "tools" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()
NAMES = [s.name for s in SCRIPT.PAGES]


def test_screenshots_list_covers_every_page_of_the_issue():
    """Issue 8 asks for every page: the brief, lists, a search, the reader, each detail page,
    the map, the timeline, watchlists, the login and an error page."""
    assert set(NAMES) >= {"brief", "reports", "search", "reader", "events", "incidents", "incident",
                          "goods", "good", "rates", "claims", "map", "timeline", "watchlists",
                          "watchlist", "login", "error"}
    assert len(NAMES) == len(set(NAMES)) and SCRIPT.WIDTHS == (1440, 390)


@pytest.fixture(scope="module")
def contexts(browser, server):
    """Per width, a signed-in and a signed-out browser context, and the detail pages' ids
    (the script's own: it makes its watchlist through the API)."""
    made = {}
    for width in SCRIPT.WIDTHS:
        for signed in (True, False):
            ctx = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=1)
            if signed:
                SCRIPT.sign_in(ctx.new_page(), server["url"], "analyst", PASSWORD)
            made[(width, signed)] = ctx
    ids = SCRIPT.page_ids(server["url"], made[(SCRIPT.WIDTHS[0], True)].pages[0])
    yield made, ids
    for ctx in made.values():
        ctx.close()


@pytest.mark.parametrize("width", SCRIPT.WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_screenshots_page_loads_clean_and_fits(contexts, server, name, width):
    made, ids = contexts
    shot = next(s for s in SCRIPT.PAGES if s.name == name)
    page = made[(width, shot.signed_in)].new_page()
    errors: list[str] = []
    url = server["url"] + SCRIPT.address(shot, ids)

    def console(msg) -> None:
        # an error page's own status is reported on the console as a failed load: expected
        own = msg.text.startswith("Failed to load resource") and msg.location.get("url") == url
        if msg.type == "error" and not (own and shot.status != 200):
            errors.append(f"{msg.text} ({msg.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        response = SCRIPT.open_page(page, server["url"], shot, ids)
        assert response is not None and response.status == shot.status, url
        assert page.locator("main h1").count() == 1, f"{url} has no heading"
        assert errors == [], f"{url}: console errors {errors}"
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{url} is {wide} px wide at {width} px"
        assert (page.locator("#signed-in").count() == 1) == shot.signed_in
    finally:
        page.close()
