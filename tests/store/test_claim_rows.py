"""Claims a worker derives from the rows it built (store/claim_rows.facts_of_rows) are the
claims the store derives from the same facts read back (claim_table.read_facts): the same rows,
pointing at the same events and attributions, with the same places and counts. All report
texts are invented (tests/resolve/claimstore.py)."""

from __future__ import annotations

import sqlite3

import pytest

from borderwatch.store import open_db
from borderwatch.store.claim_table import refresh_claims
from borderwatch.store.db import transaction
from tests.resolve import claimstore

pytestmark = pytest.mark.slow  # builds a store of 80 reports


def _claims(conn: sqlite3.Connection) -> list[tuple]:
    """Every claim without its own id, with its places, in report and position order."""
    places: dict[int, list[str]] = {}
    for cid, place in conn.execute("SELECT claim_id, place FROM claim_places ORDER BY claim_id, place"):
        places.setdefault(cid, []).append(place)
    rows = conn.execute("SELECT * FROM claims ORDER BY report_id, id").fetchall()
    names = [d[0] for d in conn.execute("SELECT * FROM claims LIMIT 0").description]
    at = names.index("id")
    return [(*r[:at], *r[at + 1:], tuple(places.get(r[at], ()))) for r in rows]


def _counts(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT * FROM claim_counts ORDER BY 1, 2, 3, 4")]


def test_claims_from_a_workers_rows_are_those_derived_from_the_store(tmp_path):
    conn = open_db(claimstore.build(tmp_path))
    from_rows, counts = _claims(conn), _counts(conn)
    assert len(from_rows) > 300, "claims of every shape, for the comparison to mean anything"
    assert any(r[2] is not None for r in from_rows), "claims made of an attribution"
    assert any(r[3] and "," in r[3] for r in from_rows), "claims merging several events"
    assert any(r[-1] for r in from_rows), "claims naming places"
    # every claim points at a fact of its own report
    assert conn.execute("SELECT count(*) FROM claims c JOIN events e ON e.id = c.event_id"
                        " WHERE e.report_id <> c.report_id").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM claims c JOIN attributions a"
                        " ON a.id = c.attribution_id WHERE a.report_id <> c.report_id").fetchone()[0] == 0
    with transaction(conn):
        refresh_claims(conn, [r[0] for r in conn.execute("SELECT id FROM reports")])
    assert _claims(conn) == from_rows
    assert _counts(conn) == counts
    conn.close()
