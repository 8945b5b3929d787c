"""Security: report text is escaped, writes need login and CSRF, no file escapes the store,
errors are plain pages, --require-login closes reading, redirects stay on the site."""

import re

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve.app import create_app

from .test_api import login
from .webstore import PASSWORD, build_store


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
    login(client)
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
    assert r.status_code == 404 and "Traceback" not in r.text and "<h1>404</h1>" in r.text
    r = client.get("/api/reports/0000000000000000")
    assert r.status_code == 404 and r.json()["detail"]


def test_security_require_login_closes_reading(db):
    with TestClient(create_app(str(db), require_login=True, secret="t")) as c:
        assert c.get("/", follow_redirects=False).status_code == 303
        assert c.get("/api/brief").status_code == 401
        assert c.get("/openapi.json").status_code == 401
        assert c.get("/login").status_code == 200
        login(c)
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
