"""Shared browser-test fixtures: `borderwatch serve` as its own process over a store built from
the invented sample reports (`server`), more such servers with other options (`serving`), and
Debian's chromium driven by Playwright (`browser`).

test_browser.py keeps its own copies of `server` and `browser` (a module's fixture wins over
this file's); new browser tests use these.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ..serve.webstore import PASSWORD, build_store

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BW = str(Path(sys.executable).with_name("borderwatch"))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    """Every test in this folder runs a real browser: marked `e2e`, so `make test-fast` leaves it."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: Path, *options: str) -> Iterator[str]:
    """`borderwatch serve --db DB OPTIONS…` on a free port until the block ends; yields its URL."""
    port = free_port()
    proc = subprocess.Popen([BW, "serve", "--db", str(db), "--port", str(port), *options],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(proc.stdout.read().decode())
    if proc.poll() is not None:
        raise RuntimeError(proc.stdout.read().decode())
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The workbench over a fresh store of the samples, with the account 'analyst'."""
    db = build_store(tmp_path_factory.mktemp("e2e"))
    with serving(db) as url:
        yield {"url": url, "db": db}


@pytest.fixture(scope="module")
def browser():
    """Headless chromium (Debian's); skipped where there is none, except on CI."""
    pw = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("CI must install Debian's chromium for the browser tests (.ci/run)")
        pytest.skip("no chromium on this machine")
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def shot(page, name: str) -> None:
    """A full-page screenshot in test-artifacts/screenshots/ to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@contextmanager
def open_page(browser, base: str, width: int = 1400, height: int = 1000, **options) -> Iterator:
    """A fresh browser page on `base` (as `page.base`) that fails the test on any JavaScript
    error; options go to the browser context (downloads, scale, touch)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, **options)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.base = base
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"



def sign_in(pg, base: str) -> None:
    """Sign in as the test analyst through the login page, as a person would."""
    pg.goto(base + "/login")
    pg.fill("input[name=name]", "analyst")
    pg.fill("input[name=password]", PASSWORD)
    pg.click("#login-form button[type=submit]")
    pg.wait_for_selector("#signed-in")
