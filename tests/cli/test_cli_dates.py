"""Date bounds on the command line are checked where they are typed (issue 8)."""

from __future__ import annotations

import pytest

from ..conftest import run_bw


@pytest.mark.parametrize("args", [["facts", "--since", "2023-02-30"], ["list", "--until", "2022-13"],
                                  ["search", "coal", "--since", "July"]])
def test_cli_bad_date_bound_is_a_usage_error(tmp_path, args):
    db = tmp_path / "x.db"
    assert run_bw("ingest", "-q", "-", db=db, input=b"Invented: coal moved at Sinuiju.\n").returncode == 0
    p = run_bw(*args, db=db)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "YYYY" in p.stderr or "no such" in p.stderr


@pytest.mark.parametrize("args", [["facts", "--since", "2022"], ["list", "--since", "2022-01", "--until", "2030"]])
def test_cli_coarse_date_bounds_run(tmp_path, args):
    db = tmp_path / "x.db"
    assert run_bw("ingest", "-q", "-", "--published", "2023-05-01", db=db,
                  input=b"Invented: customs fined coal smugglers at Sinuiju.\n").returncode == 0
    p = run_bw(*args, db=db)
    assert p.returncode == 0, p.stderr


def test_cli_edit_sets_a_date_and_logs_it(tmp_path):
    """Issue 8: `borderwatch edit` corrects a report's details; its dates resolve again."""
    import sqlite3
    db = tmp_path / "x.db"
    assert run_bw("ingest", "-q", "-", db=db,
                  input=b"Invented: customs fined coal smugglers at Sinuiju last month.\n").returncode == 0
    rid = sqlite3.connect(db).execute("SELECT id FROM reports").fetchone()[0]
    p = run_bw("edit", rid[:6], "--published", "2023-05-10", "--user", "ana", db=db)
    assert p.returncode == 0, p.stderr
    c = sqlite3.connect(db)
    assert c.execute("SELECT published FROM reports").fetchone()[0] == "2023-05-10"
    assert c.execute("SELECT value FROM dates WHERE text = 'last month'").fetchone()[0] == "2023-04"
    assert c.execute("SELECT user, action FROM reviews WHERE fact_table = 'reports'").fetchone() == ("ana", "edit")
    assert run_bw("edit", rid[:6], "--published", "2023-02-30", db=db).returncode == 2
    assert run_bw("edit", rid[:6], db=db).returncode == 2
