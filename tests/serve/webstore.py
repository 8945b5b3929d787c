"""A store built from the invented sample reports, with one analyst account, for web tests."""

from __future__ import annotations

import shutil
from pathlib import Path

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
