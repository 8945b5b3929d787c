"""One bad date never breaks the install (issue 9, item 2): event dates are checked against
the calendar where they come in (corrections, added events), in the same call as the write,
and a bad value already in the store (from an older version, or edited by hand) is grouped as
undated with a warning instead of stopping every incident rebuild."""

from __future__ import annotations

import logging
import shutil

import pytest

from borderwatch.store import open_db
from borderwatch.store import review as rv
from borderwatch.store.incidents import rebuild_incidents

from ..serve.webstore import build_store


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("bad-dates"))


@pytest.fixture
def conn(master, tmp_path):
    shutil.copy(master, tmp_path / "s.db")
    c = open_db(tmp_path / "s.db")
    yield c
    c.close()


@pytest.mark.parametrize("bad", ["2023-02-30", "2022-13", "2022-00-10", "July", "2022-7-1", "0000"])
def test_corrections_and_added_events_refuse_dates_off_the_calendar(conn, bad):
    event_id, report_id = conn.execute("SELECT id, report_id FROM events LIMIT 1").fetchone()
    before = conn.execute("SELECT date FROM events WHERE id = ?", (event_id,)).fetchone()[0]
    reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    with pytest.raises(rv.ReviewError, match="calendar"):
        rv.correct_event(conn, event_id, {"date": bad}, "analyst")
    with pytest.raises(rv.ReviewError, match="calendar"):
        rv.add_event(conn, report_id, 0, 5, "smuggling", "analyst", date=bad)
    assert conn.execute("SELECT date FROM events WHERE id = ?", (event_id,)).fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == reviews  # nothing logged


@pytest.mark.parametrize(("typed", "stored"), [("2023-02-28", "2023-02-28"), (" 2024 ", "2024"),
                                               ("2024-02", "2024-02"), ("", None)])
def test_good_dates_are_stored_canonically(conn, typed, stored):
    event_id = conn.execute("SELECT id FROM events LIMIT 1").fetchone()[0]
    rv.correct_event(conn, event_id, {"date": typed}, "analyst")
    assert conn.execute("SELECT date FROM events WHERE id = ?", (event_id,)).fetchone()[0] == stored


def test_a_bad_stored_date_is_grouped_as_undated_and_the_rebuild_finishes(conn, caplog):
    ids = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY id LIMIT 3")]
    conn.execute(f"UPDATE events SET date = '2023-02-30' WHERE id IN ({','.join('?' * len(ids))})", ids)
    conn.execute("UPDATE reports SET published = '2023-02-31'")  # the fallback day is bad too
    with caplog.at_level(logging.WARNING, logger="borderwatch.resolve.incidents"):
        rebuild_incidents(conn)
    assert conn.execute("SELECT count(*) FROM incidents").fetchone()[0] > 0
    assert "not on the calendar" in caplog.text
