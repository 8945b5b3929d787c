"""Watchlists in the app (issue 8): made, edited and deleted from the page's forms and the API,
filters shown in words, hits that follow the filters, and feeds that open with a per-list secret
key when reading needs a sign-in."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve.app import create_app

from .webstore import build_store, csrf_token, sign_in


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("watch"))


@pytest.fixture
def client(db):
    with TestClient(create_app(str(db), secret="test"), raise_server_exceptions=False) as c:
        c.db = db
        yield c
    from borderwatch.store import open_db

    conn = open_db(db)  # each test starts without watchlists
    conn.execute("DELETE FROM watchlists")
    conn.close()


def _make(c: TestClient, name: str, filters: dict) -> dict:
    r = c.post("/api/watchlists", json={"name": name, "filters": filters},
               headers={"X-CSRF-Token": csrf_token(c)})
    assert r.status_code == 200, r.text
    return r.json()["watchlist"]


def _hit_rows(c: TestClient, href: str) -> int:
    """Rows of a watchlist's hits list, over every page."""
    n, page = 0, 1
    while True:
        data = c.get(f"/api{href}", params={"page": page}).json()
        n += len(data["hits"])
        if page * data["per_page"] >= data["total"]:
            return n
        page += 1


def _visible_events(c: TestClient, **params) -> int:
    """Events the events list shows for these filters, without the ones that did not happen."""
    return c.get("/api/events", params=params | {"negated": "hide"}).json()["total"]


def test_watch_app_api_create_runs_at_once_and_hits_are_the_events_list(client):
    """A new list holds what the store already matches: as many hits as the events list shows
    for the same filter, and its hit count opens a list with that many rows."""
    token = sign_in(client)
    assert token
    w = _make(client, "smuggling", {"type": "smuggling"})
    assert w["hits"] == _visible_events(client, type="smuggling") > 0
    assert w["words"] == "Smuggling"
    listed = client.get("/api/watchlists").json()["watchlists"]
    [same] = [x for x in listed if x["id"] == w["id"]]
    assert same["hits"] == w["hits"] and same["hits_href"] == f"/watchlists/{w['id']}"
    assert _hit_rows(client, same["hits_href"]) == w["hits"]
    page = client.get(same["hits_href"]).text
    assert f'<span id="hit-count">{w["hits"]}</span>' in page
    assert page.count('<li class="hit">') == min(w["hits"], 50)


def test_watch_app_page_count_links_to_a_list_of_that_many_rows(client):
    sign_in(client)
    w = _make(client, "coal", {"commodity": "coal"})
    html = client.get("/watchlists").text
    m = re.search(rf'<a href="/watchlists/{w["id"]}" class="hits">(\d+) hits?</a>', html)
    assert m and int(m.group(1)) == w["hits"] == _hit_rows(client, f"/watchlists/{w['id']}") > 0


def test_watch_app_filters_shown_in_words_not_codes(client):
    """Types by their labels, places with their province and goods by name; never ids."""
    sign_in(client)
    w = _make(client, "hy", {"type": ["smuggling", "border_tightening"], "place": "hyesan",
                             "commodity": "Rice", "since": "2024-01-01",
                             "source_kind": "named_person"})
    words = ("Smuggling or Border tightening at Hyesan, Ryanggang, since 2024-01-01, "
             "goods: rice, source: Named person")
    assert w["words"] == words
    html = client.get("/watchlists").text
    assert f'<p class="words">{words}</p>' in html
    text = re.sub(r"<[^>]+>", " ", html)  # what a reader sees, not attribute values
    for code in ("place:hyesan", "commodity:rice", "border_tightening", "named_person"):
        assert code not in text
    assert w["filters"]["place"] == "place:hyesan"  # stored by id


def test_watch_app_form_create_edit_delete(client):
    """The page's plain forms: create, edit (the list runs again), delete after a second
    button; each answers with a redirect and a message on the list."""
    sign_in(client)
    csrf = csrf_token(client)
    r = client.post("/watchlists", data={"csrf": csrf, "name": "arrests", "type": "enforcement"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/watchlists#w-")
    wid = int(r.headers["location"].rsplit("-", 1)[1])
    html = client.get("/watchlists").text
    hits = _visible_events(client, type="enforcement")
    assert f"Saved “arrests”: {hits} hits in the store now." in html
    assert "Saved “arrests”" not in client.get("/watchlists").text  # the message shows once

    r = client.post(f"/watchlists/{wid}/edit", follow_redirects=False,
                    data={"csrf": csrf, "name": "arrests in sinuiju", "type": ["enforcement"],
                          "place": "Sinuiju"})
    assert r.status_code == 303
    w = client.get(f"/api/watchlists/{wid}").json()
    assert w["watchlist"]["name"] == "arrests in sinuiju"
    assert w["watchlist"]["words"] == "Enforcement at Sinuiju, North Pyongan"
    assert w["total"] == _visible_events(client, type="enforcement", place="place:sinuiju")
    assert 0 < w["total"] < hits
    edit_form = client.get("/watchlists").text
    assert f'id="e{wid}-place" value="Sinuiju"' in edit_form  # the name, not the id

    r = client.post(f"/watchlists/{wid}/delete", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    html = client.get("/watchlists").text
    n = w["total"]
    assert f"Deleted “arrests in sinuiju” and its {n} hit{'' if n == 1 else 's'}." in html
    assert client.get(f"/api/watchlists/{wid}").status_code == 404


def test_watch_app_delete_asks_first_without_a_dialog(client):
    """Delete is a second button inside a closed <details>, with the list's name and hits."""
    sign_in(client)
    w = _make(client, "rice", {"commodity": "rice"})
    html = client.get("/watchlists").text
    block = html[html.index(f'id="w-{w["id"]}"'):]
    block = block[:block.index("</li>")]
    assert '<details class="delete">' in block and "<summary>Delete…</summary>" in block
    assert f'action="/watchlists/{w["id"]}/delete"' in block
    assert f"Delete “rice” and its {w['hits']} hit" in block
    assert "confirm(" not in html and "onclick" not in html


def test_watch_app_form_errors_keep_what_was_typed(client):
    """A refused form comes back (400, HTML) with the reason and the analyst's values."""
    sign_in(client)
    csrf = csrf_token(client)
    r = client.post("/watchlists", data={"csrf": csrf, "name": "late", "type": "trade",
                                         "place": "Hyesan", "since": "2024-13"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in r.text and "no such month" in r.text
    assert 'id="new-name" value="late"' in r.text and 'id="new-place" value="Hyesan"' in r.text
    assert 'value="trade" checked' in r.text
    r = client.post("/watchlists", data={"csrf": csrf, "name": "nothing"})
    assert r.status_code == 400 and "at least one filter" in r.text
    assert client.get("/api/watchlists").json()["watchlists"] == []


def test_watch_app_writes_need_sign_in_andcsrf_token(client):
    r = client.post("/watchlists", data={"name": "x", "type": "trade"})
    assert r.status_code == 401 and "<html" in r.text
    r = client.post("/api/watchlists", json={"name": "x", "filters": {"type": "trade"}})
    assert r.status_code == 401
    sign_in(client)
    r = client.post("/watchlists", data={"csrf": "wrong", "name": "x", "type": "trade"})
    assert r.status_code == 403
    r = client.post("/api/watchlists", json={"name": "x", "filters": {"type": "trade"}},
                    headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403
    assert client.get("/api/watchlists").json()["watchlists"] == []


@pytest.mark.parametrize("method", ["put", "post"])
def test_watch_app_api_edit_replaces_filters_and_runs_again(client, method):
    sign_in(client)
    w = _make(client, "trade", {"type": "trade"})
    headers = {"X-CSRF-Token": csrf_token(client)}
    r = getattr(client, method)(f"/api/watchlists/{w['id']}", headers=headers,
                                json={"filters": {"type": "smuggling", "place": "Sinuiju"}})
    assert r.status_code == 200, r.text
    new = r.json()["watchlist"]
    assert new["name"] == "trade" and new["filters"] == {"type": ["smuggling"],
                                                           "place": "place:sinuiju"}
    assert new["hits"] == _visible_events(client, type="smuggling", place="place:sinuiju")
    assert _hit_rows(client, new["hits_href"]) == new["hits"]
    bad = getattr(client, method)(f"/api/watchlists/{w['id']}", headers=headers,
                                  json={"filters": {"type": "weather"}})
    assert bad.status_code == 400 and "unknown event type" in bad.json()["detail"]
    odd = getattr(client, method)(f"/api/watchlists/{w['id']}", headers=headers,
                                  json={"filters": {"colour": "red"}})
    assert odd.status_code == 400 and "unknown filter" in odd.json()["detail"]
    missing = getattr(client, method)("/api/watchlists/999999", headers=headers, json={"name": "z"})
    assert missing.status_code == 404


def test_watch_app_api_delete(client):
    sign_in(client)
    w = _make(client, "gone", {"type": "trade"})
    headers = {"X-CSRF-Token": csrf_token(client)}
    assert client.delete(f"/api/watchlists/{w['id']}", headers=headers).json() == {"deleted": w["id"]}
    assert client.delete(f"/api/watchlists/{w['id']}", headers=headers).status_code == 404


def test_watch_app_feeds_open_when_reading_is_open(client):
    """Without --require-login the feeds need no key and the page shows none."""
    sign_in(client)
    w = _make(client, "open", {"type": "smuggling"})
    client.cookies.clear()
    r = client.get(f"/watchlists/{w['id']}.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.text)
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == min(w["hits"], 50)
    assert "Smuggling" in root.find("{http://www.w3.org/2005/Atom}subtitle").text
    assert client.get("/watchlists/999999.json").status_code == 404
    sign_in(client)
    assert "token=" not in client.get("/watchlists").text
    assert "feed_token" not in client.get("/api/watchlists").json()["watchlists"][0]


# --- --require-login: feeds open with the list's key ------------------------------------------

@pytest.fixture
def closed(db):
    with TestClient(create_app(str(db), require_login=True, secret="t"),
                    raise_server_exceptions=False) as c:
        yield c
    from borderwatch.store import open_db

    conn = open_db(db)
    conn.execute("DELETE FROM watchlists")
    conn.close()


def _keyed(c: TestClient) -> tuple[dict, dict]:
    """Two lists made by a signed-in analyst, as the API shows them (with their keys)."""
    sign_in(c)
    a = _make(c, "quiet-smuggling-list", {"type": "smuggling"})
    b = _make(c, "quiet-trade-list", {"type": "trade"})
    return a, b


def test_watch_app_key_opens_the_feed_without_a_session(closed):
    a, b = _keyed(closed)
    assert re.fullmatch(r"[0-9a-f]{48}", a["feed_token"]) and a["feed_token"] != b["feed_token"]
    page = closed.get("/watchlists").text
    assert f'value="{a["keyed_feeds"]["atom"]}"' in page
    assert a["keyed_feeds"]["atom"].endswith(f"/watchlists/{a['id']}.atom?token={a['feed_token']}")
    closed.cookies.clear()
    assert closed.get("/watchlists", follow_redirects=False).status_code == 303  # still closed
    for fmt in ("atom", "json"):
        r = closed.get(f"/watchlists/{a['id']}.{fmt}", params={"token": a["feed_token"]})
        assert r.status_code == 200, fmt
    assert "urn:borderwatch:watch:" in r.text


def test_watch_app_wrong_or_missing_key_tells_nothing(closed):
    """No key, an empty key, another list's key, a wrong key and a list that does not exist
    all get the same 404, so the answer does not say whether a list exists."""
    a, b = _keyed(closed)
    closed.cookies.clear()
    answers = [
        closed.get(f"/watchlists/{a['id']}.atom"),
        closed.get(f"/watchlists/{a['id']}.atom", params={"token": ""}),
        closed.get(f"/watchlists/{a['id']}.atom", params={"token": b["feed_token"]}),
        closed.get(f"/watchlists/{a['id']}.json", params={"token": "0" * 48}),
        closed.get("/watchlists/999999.atom", params={"token": a["feed_token"]}),
        closed.get("/watchlists/999999.atom"),
    ]
    assert {r.status_code for r in answers} == {404}
    assert len({r.text for r in answers}) == 1
    assert a["name"] not in answers[0].text and "Smuggling" not in answers[0].text


def test_watch_app_new_key_retires_the_old(closed):
    a, _ = _keyed(closed)
    r = closed.post(f"/watchlists/{a['id']}/token", data={"csrf": csrf_token(closed)},
                    follow_redirects=False)
    assert r.status_code == 303
    html = closed.get("/watchlists").text
    assert "New feed key for “quiet-smuggling-list”" in html and a["feed_token"] not in html
    new = re.search(rf'/watchlists/{a["id"]}\.atom\?token=([0-9a-f]+)', html).group(1)
    api = closed.post(f"/api/watchlists/{a['id']}/token", headers={"X-CSRF-Token": csrf_token(closed)})
    newest = api.json()["feed_token"]
    assert newest not in (new, a["feed_token"])
    closed.cookies.clear()
    for old in (a["feed_token"], new):
        assert closed.get(f"/watchlists/{a['id']}.atom", params={"token": old}).status_code == 404
    assert closed.get(f"/watchlists/{a['id']}.atom", params={"token": newest}).status_code == 200


def test_watch_app_keys_are_only_for_signed_in_analysts(closed):
    """The API and page give keys only to a signed-in analyst; the other routes stay closed."""
    a, _ = _keyed(closed)
    closed.cookies.clear()
    assert closed.get("/api/watchlists").status_code == 401
    assert closed.get(f"/api/watchlists/{a['id']}").status_code == 401
    assert closed.get(f"/watchlists/{a['id']}", follow_redirects=False).status_code == 303
    r = closed.post(f"/watchlists/{a['id']}/token", data={"token": a["feed_token"]},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_watch_app_a_rejected_event_leaves_the_hits_and_the_feed(client):
    """Review changes what the analyst sees: an event rejected after it was found is no longer
    counted, listed or sent to feed readers, and the count still equals the rows."""
    sign_in(client)
    w = _make(client, "sanctions", {"type": "sanctions"})
    first = client.get(f"/api/watchlists/{w['id']}").json()["hits"][0]
    headers = {"X-CSRF-Token": csrf_token(client)}
    try:
        r = client.post(f"/api/facts/events/{first['event_id']}/review", json={"action": "reject"},
                        headers=headers)
        assert r.status_code == 200, r.text
        after = client.get(f"/api/watchlists/{w['id']}").json()
        assert after["total"] == w["hits"] - 1 == after["watchlist"]["hits"]
        assert first["event_id"] not in {h["event_id"] for h in after["hits"]}
        assert _hit_rows(client, f"/watchlists/{w['id']}") == after["total"]
        feed = client.get(f"/watchlists/{w['id']}.json").json()
        assert first["event_id"] not in {i["_borderwatch"]["event_id"] for i in feed["items"]}
    finally:
        client.post(f"/api/facts/events/{first['event_id']}/review", json={"action": "accept"},
                    headers=headers)
