"""`borderwatch reviews` and `borderwatch undo` (issue 8): the review history on the command
line, and undoing a review exactly, logged as a review of its own."""

from __future__ import annotations

import sqlite3

from ..conftest import bw_json, run_bw

# Invented report.
TEXT = b"Invented: customs fined coal smugglers at Sinuiju last month, a source said.\n"


def test_cli_undo_restores_a_report_edit_and_its_dates(tmp_path):
    db = tmp_path / "x.db"
    assert run_bw("ingest", "-q", "-", "--published", "2023-05-10", db=db, input=TEXT).returncode == 0
    rid, title = sqlite3.connect(db).execute("SELECT id, title FROM reports").fetchone()
    assert run_bw("edit", rid[:6], "--published", "2021-01-15", "--title", "Fixed", db=db).returncode == 0
    history = bw_json("reviews", rid[:6], db=db)["reviews"]
    assert [(h["action"], h["can_undo"]) for h in history] == [("edit", True)]
    shown = run_bw("reviews", db=db)
    assert shown.returncode == 0 and "published: 2023-05-10 -> 2021-01-15" in shown.stdout
    p = run_bw("undo", str(history[0]["id"]), "--user", "ana", db=db)
    assert p.returncode == 0, p.stderr
    assert f"undid review {history[0]['id']} (edit)" in p.stdout
    c = sqlite3.connect(db)
    assert c.execute("SELECT published, title FROM reports").fetchone() == ("2023-05-10", title)
    # the dates that hang on the publication date are worked out from the old one again
    assert c.execute("SELECT value FROM dates WHERE text = 'last month'").fetchone()[0] == "2023-04"
    after = bw_json("reviews", db=db)["reviews"]
    assert (after[0]["action"], after[0]["user"], after[0]["undoes"]) == ("undo", "ana", history[0]["id"])
    assert after[1]["undone_by"] == after[0]["id"]
    again = run_bw("undo", str(history[0]["id"]), db=db)
    assert again.returncode == 1 and "undone already" in again.stderr and "Traceback" not in again.stderr
    assert run_bw("undo", "9999", db=db).returncode == 1
