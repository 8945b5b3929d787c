"""Review in a real browser (issue 8): correct an event's goods with the keyboard alone, reject
an event and see it leave the events list, undo that from the reader's History and see it
back, edit a report's title in its form. Screenshots of the reader with the correction form
open at 1440 and 390 px go to test-artifacts/screenshots/review-*.png.

Uses the shared `server` and `browser` fixtures of conftest.py (a store of its own for this
module, so these reviews move no number another module checks).
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from .conftest import shot, sign_in


def _get(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=30) as r:  # the test's own local server
        return json.load(r)


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: errors.append(f"a dialog opened: {d.message}"))  # no alert()
    pg.base = server["url"]
    sign_in(pg, pg.base)
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors or dialogs: {errors}"


def _focused(page) -> dict:
    return page.evaluate("({id: document.activeElement.id, tag: document.activeElement.tagName,"
                         " controls: document.activeElement.getAttribute('aria-controls')})")


def _trade_event(base: str) -> dict:
    return _get(base, "/api/events?type=trade")["events"][0]


def test_keyboard_only_correction_of_an_events_goods(page):
    ev = _trade_event(page.base)
    eid = ev["id"]
    page.goto(f"{page.base}/reports/{ev['report_id']}")
    opener = page.locator(f'[aria-controls="correct-{eid}"]')
    opener.focus()  # where a keyboard user arrives by Tab; from here on only keys
    assert opener.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    form = page.locator(f"#correct-{eid}")
    assert form.is_visible() and opener.get_attribute("aria-expanded") == "true"
    assert _focused(page)["id"] == f"fix-type-{eid}"  # focus moved into the form
    shot(page, "review-form-1440")
    page.keyboard.press("Escape")  # Escape closes, focus returns to the button
    assert not form.is_visible() and _focused(page)["controls"] == f"correct-{eid}"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == f"fix-places-{eid}"
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == f"fix-goods-{eid}"
    page.keyboard.press("Control+A")
    page.keyboard.type("rice; cement")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter saves
    page.wait_for_selector(f"#fact-event-{eid}.review-corrected")
    card = page.locator(f"#fact-event-{eid}")
    assert "rice, cement" in card.locator(".goods").inner_text()
    assert "Saved the correction" in page.locator("#status").inner_text()
    assert _focused(page)["controls"] == f"correct-{eid}"  # focus is back where it was
    history = page.locator("#review-history li").first.inner_text()
    assert "analyst" in history and "goods:" in history and "rice, cement" in history
    goods = _get(page.base, f"/api/events?commodity=cement&type={ev['type']}")
    assert eid in [e["id"] for e in goods["events"]]


def test_correction_form_at_390px_fits_and_labels_every_control(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    pg = ctx.new_page()
    sign_in(pg, server["url"])
    ev = _trade_event(server["url"])
    pg.goto(f"{server['url']}/reports/{ev['report_id']}")
    pg.locator(f'[aria-controls="correct-{ev["id"]}"]').click()
    form = pg.locator(f"#correct-{ev['id']}")
    form.scroll_into_view_if_needed()
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    unlabelled = pg.evaluate("""[...document.querySelectorAll('form input, form select')]
        .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length))
        .map(el => el.id || el.name)""")
    assert unlabelled == []
    pg.screenshot(path=str(_shots() / "review-form-390.png"), full_page=False)
    ctx.close()


def _shots():
    from .conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def test_reject_leaves_events_and_undo_from_history_brings_it_back(page):
    listed = _get(page.base, "/api/events?type=smuggling")
    ev = listed["events"][0]
    total = listed["total"]
    page.goto(f"{page.base}/reports/{ev['report_id']}")
    with page.expect_navigation():
        page.locator(f'.act-reject[data-table="events"][data-id="{ev["id"]}"]').click()
    page.wait_for_selector(f"#fact-event-{ev['id']}.review-rejected")
    assert "Rejected" in page.locator("#status").inner_text()
    page.goto(page.base + "/events?type=smuggling")
    assert int(page.locator("#event-count").inner_text()) == total - 1
    assert page.locator(f'tr[data-event="{ev["id"]}"]').count() == 0
    page.goto(f"{page.base}/reports/{ev['report_id']}")
    row = page.locator("#review-history li").first
    assert "rejected" in row.inner_text() and f"event {ev['id']}" in row.inner_text()
    with page.expect_navigation():
        row.locator(".act-undo").click()
    assert "Undid review" in page.locator("#status").inner_text()
    assert _focused(page)["id"] == "history-heading"
    first = page.locator("#review-history li").first.inner_text()
    assert "undid" in first
    assert page.locator(f"#fact-event-{ev['id']}.review-none").count() == 1
    shot(page, "review-undone")
    page.goto(page.base + "/events?type=smuggling")
    assert int(page.locator("#event-count").inner_text()) == total
    assert page.locator(f'tr[data-event="{ev["id"]}"]').count() == 1


def test_edit_report_title_in_the_form(page):
    rid = _get(page.base, "/api/reports")["results"][3]["id"]
    page.goto(f"{page.base}/reports/{rid}")
    old = page.locator("#report-title").inner_text()
    page.locator("#edit-details").click()
    assert _focused(page)["id"] == "d-title"
    page.fill("#d-title", "An analyst's title (invented)")
    shot(page, "review-details-form")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#report-title").inner_text() == "An analyst's title (invented)"
    assert _focused(page)["id"] == "edit-details"
    entry = page.locator("#review-history li").first.inner_text()
    assert "report details" in entry and f"title: {old} → An analyst's title (invented)" in entry
    assert _get(page.base, f"/api/reports/{rid}")["title"] == "An analyst's title (invented)"
    # a bad date is refused in words in the form's own message line, nothing saved
    page.locator("#edit-details").click()
    page.fill("#d-published", "2023-02-30")
    page.keyboard.press("Enter")
    msg = page.locator("#details-form .form-msg")
    msg.wait_for()
    assert "Not saved" in msg.inner_text()
    assert _get(page.base, f"/api/reports/{rid}")["published"] != "2023-02-30"
