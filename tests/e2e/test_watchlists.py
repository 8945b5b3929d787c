"""Watchlists in a real browser (issue 8): an analyst makes, edits and deletes one with the
page's forms, by keyboard and without any dialog; its hit count opens a list of that many rows;
with --require-login a feed reader gets the feed with the list's key and nothing without it.
Screenshots at 1440 and 390 px go to test-artifacts/screenshots/watchlists-*.png.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from ..serve.webstore import build_store
from .conftest import serving, shot, sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def page(browser, server):
    """A signed-in analyst's page at desktop width; any dialog or script error fails the test."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = ctx.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.base = server["url"]
    sign_in(pg, pg.base)
    yield pg
    ctx.close()
    assert problems == []


def _card(pg, name: str):
    return pg.locator("li.watch", has=pg.locator("h2", has_text=name))


def _hits_in_list(pg, card) -> int:
    """Follow the card's hit count and count the rows of every page of the list it opens."""
    shown = int(card.locator("a.hits").inner_text().split()[0])
    card.locator("a.hits").click()
    pg.wait_for_selector("#hits-list")
    total = int(pg.locator("#hit-count").inner_text())
    rows = 0
    while True:
        rows += pg.locator("#hits-list li.hit").count()
        nxt = pg.locator("nav.pager a[rel=next]")
        if not nxt.count():
            break
        nxt.click()
        pg.wait_for_load_state("load")
    assert shown == total == rows
    return total


def test_watchlist_make_edit_delete_with_the_forms(page):
    pg = page
    pg.goto(pg.base + "/watchlists")
    form = pg.locator("#watch-form")
    pg.get_by_label("Name", exact=True).first.fill("Hyesan watch")
    form.get_by_role("checkbox", name="Trade", exact=True).check()
    form.get_by_role("checkbox", name="Health", exact=True).check()
    form.get_by_label("Place").fill("hyesan")
    shot(pg, "watchlists-new-form-1440")
    form.get_by_role("button", name="Save watchlist").click()
    pg.wait_for_selector("#watch-flash")
    assert "Saved “Hyesan watch”" in pg.locator("#watch-flash").inner_text()
    card = _card(pg, "Hyesan watch")
    assert card.locator(".words").inner_text() == "Trade or Health at Hyesan, Ryanggang"
    shot(pg, "watchlists-1440")
    before = _hits_in_list(pg, card)
    assert before > 0
    shot(pg, "watchlists-hits-1440")

    # edit by keyboard: open the details, change the place, save with Enter
    pg.goto(pg.base + "/watchlists")
    card = _card(pg, "Hyesan watch")
    summary = card.locator("details.edit summary")
    summary.focus()
    pg.keyboard.press("Enter")
    place = card.get_by_label("Place")
    assert place.input_value() == "Hyesan"  # shown by name, not by id
    place.fill("Sinuiju")
    card.get_by_label("Name", exact=True).fill("Sinuiju watch")
    place.press("Enter")
    pg.wait_for_selector("#watch-flash")
    card = _card(pg, "Sinuiju watch")
    assert card.locator(".words").inner_text() == "Trade or Health at Sinuiju, North Pyongan"
    after = _hits_in_list(pg, card)
    assert after > 0

    # delete: the first click only opens the question, the second deletes
    pg.goto(pg.base + "/watchlists")
    card = _card(pg, "Sinuiju watch")
    card.locator("details.delete summary").click()
    assert _card(pg, "Sinuiju watch").count() == 1
    question = card.locator("details.delete p").inner_text()
    assert f"and its {after} hit" in question
    card.get_by_role("button", name="Delete “Sinuiju watch”").click()
    pg.wait_for_selector("#watch-flash")
    assert "Deleted “Sinuiju watch”" in pg.locator("#watch-flash").inner_text()
    assert _card(pg, "Sinuiju watch").count() == 0


def test_watchlist_refused_form_keeps_what_was_typed(page):
    pg = page
    pg.goto(pg.base + "/watchlists")
    form = pg.locator("#watch-form")
    pg.locator("#new-name").fill("later")
    form.get_by_role("checkbox", name="Trade", exact=True).check()
    pg.locator("#new-since").fill("2024-02-30")
    pg.evaluate("document.getElementById('new-since').removeAttribute('pattern')")
    form.get_by_role("button", name="Save watchlist").click()
    err = pg.locator("#watch-error")
    err.wait_for()
    assert "no such day" in err.inner_text()
    assert pg.locator("#new-name").input_value() == "later"
    assert pg.locator("#watch-form").get_by_role("checkbox", name="Trade", exact=True).is_checked()


def test_watchlists_at_390_px(browser, server):
    """The list, an open edit form and the hits page fit a phone."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    sign_in(pg, server["url"])
    pg.goto(server["url"] + "/watchlists")
    if not pg.locator("li.watch").count():
        pg.locator("#new-name").fill("coal")
        pg.locator("#new-commodity").fill("coal")
        pg.locator("#watch-form").get_by_role("button", name="Save watchlist").click()
        pg.wait_for_selector("#watch-flash")
    pg.locator("li.watch details.edit summary").first.click()
    shot(pg, "watchlists-390")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.locator("li.watch a.hits").first.click()
    pg.wait_for_selector("#hits-list")
    shot(pg, "watchlists-hits-390")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    ctx.close()


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    """A workbench started with --require-login."""
    db = build_store(tmp_path_factory.mktemp("closed"))
    with serving(db, "--require-login") as url:
        yield url


def test_watchlist_feed_key_with_require_login(browser, closed):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = ctx.new_page()
    sign_in(pg, closed)
    pg.goto(closed + "/watchlists")
    pg.locator("#new-name").fill("smuggling")
    pg.locator("#watch-form").get_by_role("checkbox", name="Smuggling", exact=True).check()
    pg.locator("#watch-form").get_by_role("button", name="Save watchlist").click()
    pg.wait_for_selector("#watch-flash")
    card = _card(pg, "smuggling")
    url = card.get_by_label("Atom feed address").input_value()
    m = re.fullmatch(rf"{re.escape(closed)}/watchlists/(\d+)\.atom\?token=([0-9a-f]{{48}})", url)
    assert m, url
    shot(pg, "watchlists-key-1440")

    reader = browser.new_context()  # a feed reader: no session
    feed = reader.request.get(url)
    assert feed.status == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert ET.fromstring(feed.text()).find(f"{ATOM}entry") is not None
    plain = f"{closed}/watchlists/{m.group(1)}.atom"
    answers = [reader.request.get(plain), reader.request.get(plain + "?token=" + "f" * 48),
               reader.request.get(f"{closed}/watchlists/99999.atom?token={m.group(2)}")]
    assert [a.status for a in answers] == [404, 404, 404]
    assert len({a.text() for a in answers}) == 1

    card.get_by_role("button", name="Make a new key").click()
    pg.wait_for_selector("#watch-flash")
    new_url = _card(pg, "smuggling").get_by_label("Atom feed address").input_value()
    assert new_url != url
    assert reader.request.get(url).status == 404
    assert reader.request.get(new_url).status == 200
    reader.close()
    ctx.close()
