"""Screenshots of every workbench page at 1440 and 390 px wide, for docs/screenshots/ (issue 8).

`make screenshots` runs this: it builds the store of the invented sample reports
(tests/serve/webstore.py), starts `borderwatch serve` on it as its own process, signs in as the
test analyst, makes one watchlist, and has Debian's chromium (through Playwright) take a
full-page PNG of each page in `PAGES` at each width: docs/screenshots/<name>-<width>.png.
tests/e2e/test_screenshots.py opens the same `PAGES` in the browser tests, so a page added here
is checked there (loads, no console errors, fits a phone).

    .venv/bin/python tools/screenshots.py [--out DIR] [--width 390] [--only reader,map]
    .venv/bin/python tools/screenshots.py --base http://127.0.0.1:8000   # a server already running
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
WIDTHS = (1440, 390)
HEIGHT = {1440: 900, 390: 844}


@dataclass(frozen=True, slots=True)
class Shot:
    """One page to photograph: its file name, its address (ids filled in by `page_ids`), the
    HTTP status it answers with, whether it is taken signed in, and a selector to wait for
    (a page drawn by script, the map, is photographed once drawn)."""

    name: str
    path: str
    status: int = 200
    signed_in: bool = True
    ready: str | None = None


PAGES: tuple[Shot, ...] = (
    Shot("brief", "/?since=2023-07&until=2024-06"),  # a year with the year before: every section filled
    Shot("reports", "/reports"),
    Shot("search", "/reports?q=Sinuiju"),
    Shot("reader", "/reports/{report}"),
    Shot("events", "/events"),
    Shot("incidents", "/incidents"),
    Shot("incident", "/incidents/{incident}"),
    Shot("goods", "/goods"),
    Shot("good", "/goods/{good}"),
    Shot("rates", "/rates"),
    Shot("claims", "/claims"),
    Shot("map", "/map", ready="#map-canvas.map-ready"),
    Shot("timeline", "/timeline"),
    Shot("watchlists", "/watchlists"),
    Shot("watchlist", "/watchlists/{watchlist}"),
    Shot("login", "/login", signed_in=False),
    Shot("error", "/no-such-page", status=404),
)
# the watchlist every run makes (as the analyst would, through the API) for the watchlist pages
WATCHLIST = {"name": "Coal on the move", "filters": {"commodity": "coal", "type": ["trade", "smuggling"]}}


def _json(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=60) as r:  # our own local server
        return json.load(r)


def sign_in(page, base: str, name: str, password: str) -> None:
    """Sign in through the login form, as an analyst does."""
    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#signed-in")


def page_ids(base: str, page) -> dict[str, str]:
    """Ids for the detail pages: the report that tells of the Nampo coal vessel (many kinds of
    fact), the incident with most events, the good with most events (it has prices), and a
    watchlist made now through the API by the signed-in `page` (or the first one there is)."""
    report = _json(base, "/api/reports?q=Nampo%20coal")["results"] or _json(base, "/api/reports")["results"]
    incident = _json(base, "/api/incidents?sort=events&order=desc&per_page=1")["incidents"][0]
    good = _json(base, "/api/goods?seen=yes&sort=events&order=desc&per_page=1")["goods"][0]
    lists = _json(base, "/api/watchlists")["watchlists"]
    found = next((w for w in lists if w["name"] == WATCHLIST["name"]), None)
    if found is None:
        page.goto(base + "/watchlists")
        csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
        r = page.request.post(base + "/api/watchlists", headers={"X-CSRF-Token": csrf},
                              data=WATCHLIST)
        if not r.ok:
            raise RuntimeError(f"could not make the watchlist: {r.status} {r.text()}")
        found = r.json()
    return {"report": report[0]["id"], "incident": str(incident["id"]), "good": good["id"],
            "watchlist": str(found["id"])}


def address(shot: Shot, ids: dict[str, str]) -> str:
    return shot.path.format(**ids)


def open_page(page, base: str, shot: Shot, ids: dict[str, str]):
    """Go to the shot's page and wait until it is drawn; return the response."""
    response = page.goto(base + address(shot, ids))
    page.wait_for_load_state("load")
    if shot.ready:
        page.wait_for_selector(shot.ready)
        page.wait_for_timeout(500)  # let marker clusters settle
    return response


def take(base: str, out: Path, widths: tuple[int, ...], only: set[str] | None,
         user: tuple[str, str]) -> list[Path]:
    """Photograph the pages at each width; return the files written."""
    from playwright.sync_api import sync_playwright
    from tests.e2e.conftest import CHROMIUM, FLAGS

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    shots = [s for s in PAGES if not only or s.name in only]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            for width in widths:
                contexts = {}
                for signed in (True, False):
                    ctx = browser.new_context(viewport={"width": width, "height": HEIGHT.get(width, 900)},
                                              device_scale_factor=1)
                    contexts[signed] = ctx
                    if signed:
                        sign_in(ctx.new_page(), base, *user)
                ids = page_ids(base, contexts[True].pages[0])
                for shot in shots:
                    page = contexts[shot.signed_in].new_page()
                    response = open_page(page, base, shot, ids)
                    if response is None or response.status != shot.status:
                        got = response.status if response else "no response"
                        raise RuntimeError(f"{shot.name}: {address(shot, ids)} answered {got}")
                    path = out / f"{shot.name}-{width}.png"
                    page.screenshot(path=str(path), full_page=True)
                    written.append(path)
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                          f"  {path.stat().st_size // 1024} KB")
                    page.close()
                for ctx in contexts.values():
                    ctx.close()
        finally:
            browser.close()
    return written


@contextmanager
def sample_server() -> Iterator[str]:
    """`borderwatch serve` over a fresh store of the invented samples, on a free port."""
    sys.path.insert(0, str(ROOT))
    from tests.e2e.conftest import serving
    from tests.serve.webstore import build_store

    with tempfile.TemporaryDirectory(prefix="bw-shots-") as tmp:
        db = build_store(Path(tmp))
        with serving(db) as url:
            yield url


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs (docs/screenshots)")
    ap.add_argument("--width", type=int, action="append", help="page widths (1440 and 390)")
    ap.add_argument("--only", help="comma-separated page names, e.g. reader,map")
    ap.add_argument("--base", help="photograph a server already running (its store needs the "
                                   "test analyst account)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.serve.webstore import PASSWORD

    only = set(args.only.split(",")) if args.only else None
    unknown = (only or set()) - {s.name for s in PAGES}
    if unknown:
        ap.error(f"no such page: {', '.join(sorted(unknown))}")
    widths = tuple(args.width or WIDTHS)
    user = ("analyst", PASSWORD)
    if args.base:
        take(args.base.rstrip("/"), args.out, widths, only, user)
    else:
        with sample_server() as base:
            take(base, args.out, widths, only, user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
