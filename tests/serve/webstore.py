"""A store built from the invented sample reports, with one analyst account, for web tests."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from borderwatch.ingest import ReadOptions
from borderwatch.jobs import ingest
from borderwatch.store import open_db
from borderwatch.store.users import add_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"

# Invented hostile report: its text must render as text, never as markup.
HOSTILE = (
    "Invented test report.\n\n"
    "Traders in Sinuiju said <script>window.__pwned = 1</script> prices rose. "
    "A note read <img src=x onerror=\"window.__pwned = 2\"> and nothing else."
)


def build_store(folder: Path) -> Path:
    """Ingest the samples plus one hostile report; add user 'analyst'."""
    src = folder / "reports"
    shutil.copytree(ROOT / "examples" / "reports", src)
    (src / "zz_hostile.txt").write_text(HOSTILE)
    db = folder / "web.db"
    conn = open_db(db)
    ingest(conn, [str(src)], ReadOptions(published="2024-06-01"))
    add_user(conn, "analyst", PASSWORD)
    conn.close()
    return db


def csrf_token(client) -> str:
    """The session's CSRF token, as a page carries it for scripts (a TestClient or an
    httpx.Client on a running server)."""
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


def sign_in(client, name: str = "analyst", password: str = PASSWORD) -> str:
    """Sign in through the login form (with its own CSRF token); the session's CSRF token."""
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={"name": name, "password": password, "csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303
    return csrf_token(client)


def list_total(client, href: str) -> int:
    """The total of the list a page's link opens (its JSON twin under /api)."""
    u = urlsplit(unescape(href))
    r = client.get("/api" + u.path, params=parse_qsl(u.query))
    assert r.status_code == 200, (href, r.text)
    return r.json()["total"]
