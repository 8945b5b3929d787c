"""Security: report text is escaped, writes need login and CSRF, no file escapes the store,
errors are plain pages, --require-login closes reading, redirects stay on the site."""

import re

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve.app import create_app

from .webstore import PASSWORD, build_store, sign_in


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("sec"))


@pytest.fixture
def client(db):
    with TestClient(create_app(str(db), secret="test"), raise_server_exceptions=False) as c:
        yield c


def _hostile_id(client) -> str:
    return client.get("/api/reports", params={"q": "pwned"}).json()["results"][0]["id"]


@pytest.mark.parametrize("path", ["/reports/{id}", "/reports?q=pwned", "/events", "/"])
def test_security_report_markup_renders_as_text(client, path):
    html = client.get(path.format(id=_hostile_id(client))).text
    assert "<script>window.__pwned" not in html
    assert 'onerror="window.__pwned' not in html
    if path.startswith("/reports/"):
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=" in html


def test_security_csp_forbids_inline_script(client):
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_security_write_without_login_is_401(client):
    ev = client.get("/api/events").json()["events"][0]
    r = client.post(f"/api/facts/events/{ev['id']}/review", json={"action": "accept"})
    assert r.status_code == 401


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_security_write_without_the_csrf_token_is_403(client, token):
    sign_in(client)
    ev = client.get("/api/events").json()["events"][0]
    headers = {"X-CSRF-Token": token} if token else {}
    r = client.post(f"/api/facts/events/{ev['id']}/review", json={"action": "accept"}, headers=headers)
    assert r.status_code == 403
    after = client.get(f"/api/reports/{ev['report_id']}").json()["facts"]["events"]
    assert next(e for e in after if e["id"] == ev["id"])["review"] == ev["review"]


def test_security_login_form_needs_its_csrf_token(client):
    r = client.post("/login", data={"name": "analyst", "password": PASSWORD, "csrf": "x"})
    assert r.status_code == 403


def test_security_wrong_password_is_refused(client):
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"name": "analyst", "password": "not it", "csrf": token})
    assert r.status_code == 401 and "wrong name or password" in r.text
    assert "signed-in" not in client.get("/").text


def test_security_login_redirect_stays_on_the_site(client):
    page = client.get("/login?next=//evil.example/x").text
    assert 'value="/"' in page and "evil.example" not in page


@pytest.mark.parametrize("path", [
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2fpyproject.toml", "/reports/..%2f..%2fetc%2fpasswd",
    "/goods/..%2f..%2fetc%2fpasswd",
])
def test_security_no_file_outside_the_store_is_served(client, path):
    r = client.get(path)
    assert "root:" not in r.text and "[project]" not in r.text
    assert r.status_code in (200, 404) and "Traceback" not in r.text


def test_security_errors_are_plain_pages(client):
    r = client.get("/reports/0000000000000000")
    assert r.status_code == 404 and "Traceback" not in r.text and 'id="error-title"' in r.text
    r = client.get("/api/reports/0000000000000000")
    assert r.status_code == 404 and r.json()["detail"]


def test_security_require_login_closes_reading(db):
    with TestClient(create_app(str(db), require_login=True, secret="t")) as c:
        assert c.get("/", follow_redirects=False).status_code == 303
        assert c.get("/api/brief").status_code == 401
        assert c.get("/openapi.json").status_code == 401
        assert c.get("/login").status_code == 200
        sign_in(c)
        assert c.get("/api/brief").status_code == 200


def test_pages_have_skip_link_current_page_and_favicon(client):
    """Issue 8 basics: a skip link, the current page marked in the navigation, a favicon."""
    html = client.get("/events").text
    assert 'class="skip" href="#main"' in html and 'id="main"' in html
    assert '<a href="/events" aria-current="page">Events</a>' in html
    assert 'aria-current="page">Brief' not in html
    r = client.get("/static/favicon.svg")
    assert r.status_code == 200 and r.text.startswith("<svg")


def test_filters_show_human_labels_and_keep_codes_as_values(client):
    """Issue 8: drop-downs read 'Border tightening' and 'Named person', never raw codes."""
    html = client.get("/events?type=border_tightening&source_kind=named_person").text
    assert '<option value="border_tightening" selected>Border tightening</option>' in html
    assert '<option value="named_person" selected>Named person</option>' in html
    assert ">border_tightening<" not in html and ">named_person<" not in html
    assert "<label>Type <select" in html


# --- issue 9: sessions, sign-in limits, headers on errors, links ------------------------------

def _try_login(c, name, password):
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    return c.post("/login", data={"name": name, "password": password, "csrf": token},
                  follow_redirects=False)


def test_logout_ends_the_session_for_a_copied_cookie_too(db):
    app = create_app(str(db), secret="test")
    with TestClient(app) as c, TestClient(app) as thief:
        csrf = sign_in(c)
        thief.cookies.set("borderwatch_session", c.cookies.get("borderwatch_session"))
        assert 'name="csrf-token"' in thief.get("/").text and "Sign out" in thief.get("/").text
        page_csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/").text).group(1)
        assert c.post("/logout", data={"csrf": page_csrf}, follow_redirects=False).status_code == 303
        ev = thief.get("/api/events").json()["events"][0]
        r = thief.post(f"/api/facts/events/{ev['id']}/review", json={"action": "accept"},
                       headers={"X-CSRF-Token": csrf})
        assert r.status_code == 401  # the copied cookie no longer signs anyone in


def test_failed_sign_ins_are_limited_per_account_then_per_address(db):
    from borderwatch.serve import throttle

    with TestClient(create_app(str(db), secret="test")) as c:
        for _ in range(throttle.PER_ACCOUNT):
            assert _try_login(c, "analyst", "wrong password!").status_code == 401
        r = _try_login(c, "analyst", PASSWORD)  # the right one too, until the window passes
        assert r.status_code == 429 and "too many failed sign-ins" in r.text
        others = [_try_login(c, f"nobody{i}", "wrong password!").status_code
                  for i in range(throttle.PER_ADDRESS)]
        assert others.count(429) >= 1  # this address has now failed too often for any account


def test_password_hashing_runs_at_most_two_at_once(db, monkeypatch):
    import threading
    import time

    from borderwatch.serve import session, throttle

    running, peak, lock = [0], [0], threading.Lock()
    real = session.check_password

    def slow_check(conn, name, password):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.3)
        try:
            return real(conn, name, password)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(session, "check_password", slow_check)
    app = create_app(str(db), secret="test")
    app.state.login_throttle = throttle.LoginThrottle(per_account=100, per_address=100)
    with TestClient(app):  # the app started (lifespan) while the threads sign in
        codes = []
        threads = [threading.Thread(target=lambda i=i: codes.append(
            _try_login(TestClient(app), f"guess{i}", "wrong password!").status_code)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert peak[0] == throttle.HASHING and sorted(set(codes)) == [401]


def test_server_errors_carry_the_security_headers(db):
    app = create_app(str(db), secret="test")

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("invented failure")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/boom")
    assert r.status_code == 500 and "invented failure" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_a_stored_javascript_address_is_never_a_link(db, tmp_path):
    import shutil
    import sqlite3

    copy = tmp_path / "js.db"
    shutil.copy(db, copy)
    conn = sqlite3.connect(copy)
    rid = conn.execute("SELECT id FROM reports LIMIT 1").fetchone()[0]
    conn.execute("UPDATE reports SET url = 'javascript:alert(1)' WHERE id = ?", (rid,))
    conn.commit()
    conn.close()
    with TestClient(create_app(str(copy), secret="test")) as c:
        html = c.get(f"/reports/{rid}").text
    assert "javascript:alert" not in html and ">original<" not in html


def test_feed_links_use_the_public_address_not_the_host_header(db):
    app = create_app(str(db), secret="test", public_url="https://bw.invented.example")
    with TestClient(app, base_url="https://evil.invented.example") as c:  # a forged Host
        token = sign_in(c)
        lists = c.get("/api/watchlists").json()
        if not lists.get("watchlists"):
            r = c.post("/api/watchlists", json={"name": "Invented", "filters": {"type": ["smuggling"]}},
                       headers={"X-CSRF-Token": token})
            assert r.status_code == 200, r.text
            lists = c.get("/api/watchlists").json()
        wid = lists["watchlists"][0]["id"]
        atom = c.get(f"/watchlists/{wid}.atom").text
    assert "evil.invented.example" not in atom and "https://bw.invented.example" in atom


def test_an_https_public_address_marks_the_session_cookie_secure(db):
    app = create_app(str(db), secret="test", public_url="https://bw.invented.example")
    with TestClient(app, base_url="https://bw.invented.example") as c:
        r = c.get("/login")
    assert "secure" in r.headers["set-cookie"].lower()
    with TestClient(create_app(str(db), secret="test")) as c:
        assert "secure" not in c.get("/login").headers["set-cookie"].lower()
