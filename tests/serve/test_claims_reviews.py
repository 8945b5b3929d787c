"""Claims follow reviews at once (issue 8, issue 9 item 9): they are stored when facts are
written, and a review derives its report's claims again in its own transaction. A rejected event
or attribution is gone from /claims, /api/claims, the brief's colliding claims and the claims
exports with the review's answer; undo brings every one of them back exactly.

Works on its own copy of the web store (tests/serve/webstore.py, invented reports).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from borderwatch.serve.app import create_app

from .webstore import build_store, sign_in

ALL = {"period": "all"}
EVERY = {"view": "claims", "per_page": 200}


@pytest.fixture
def client(tmp_path_factory, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(build_store(tmp_path_factory.mktemp("claims")), db)
    with TestClient(create_app(str(db), secret="test")) as c:
        c.db = db
        c.h = {"X-CSRF-Token": sign_in(c)}
        yield c


def _sql(client, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(client.db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _seen(client) -> dict:
    """Everything that shows claims: page, API (groups and flat list), brief, both exports."""
    return {
        "page": client.get("/claims", params=EVERY).text,
        "groups": client.get("/api/claims", params={"per_page": 50}).json(),
        "claims": client.get("/api/claims", params=EVERY).json()["claims"],
        "brief": client.get("/api/brief", params=ALL).json()["collisions"],
        "csv": list(csv.DictReader(io.StringIO(client.get("/claims.csv").text))),
        "jsonl": [json.loads(line) for line in client.get("/claims.jsonl").text.splitlines() if line],
    }


def _texts(seen: dict) -> dict[str, set[str]]:
    """The claim texts each surface shows."""
    return {
        "api": {c["text"] for c in seen["claims"]},
        "brief": {c["text"] for g in seen["brief"] for c in g["authorities"] + g["sources"]},
        "jsonl": {c["text"] for c in seen["jsonl"]},
        "csv": {c["text"] for c in seen["csv"]},
    }


def test_claims_rejected_sources_are_gone_everywhere_and_undo_brings_them_back(client):
    before = _seen(client)
    [group] = list(before["brief"])  # the samples hold one colliding subject-month
    assert group["collision"] and before["groups"]["collisions"] == 1
    # the authorities' side of the collision: every claim of it that takes a stance, and the
    # facts it stands on: its events and the attribution(s) in its words (an attributed
    # sentence is a claim of its own, so the event alone would leave the claim standing)
    claims = _sql(client, "SELECT id, text FROM claims WHERE subject = ? AND period = ?"
                          " AND side = 'authorities' AND stance IS NOT NULL",
                  (group["subject"], group["period"]))
    facts = _sql(client, "SELECT 'events', e.id FROM claims c JOIN events e ON e.report_id ="
                         " c.report_id AND (',' || c.event_ids || ',') LIKE ('%,' || e.id || ',%')"
                         f" WHERE c.id IN ({','.join(str(c[0]) for c in claims)})"
                         " UNION SELECT 'attributions', a.id FROM claims c JOIN attributions a"
                         " ON a.report_id = c.report_id AND a.start >= c.lo AND a.start < c.hi"
                         f" WHERE c.id IN ({','.join(str(c[0]) for c in claims)})")
    assert claims and {t for t, _ in facts} == {"events", "attributions"}
    gone = {text for _, text in claims}
    assert all(t in _texts(before)[surface] for t in gone for surface in ("api", "csv", "jsonl"))
    assert gone & _texts(before)["brief"]
    assert all(str(escape(t)) in before["page"] for t in gone)
    for table, fact in facts:
        r = client.post(f"/api/facts/{table}/{fact}/review", json={"action": "reject"}, headers=client.h)
        assert r.status_code == 200 and r.json()["review"] == "rejected"

    after = _seen(client)
    assert after["brief"] == [] and after["groups"]["collisions"] == 0
    assert after["groups"]["claims_total"] == before["groups"]["claims_total"] - len(claims)
    for surface, texts in _texts(after).items():
        assert not gone & texts, surface
    assert not any(str(escape(t)) in after["page"] for t in gone)
    assert len(after["claims"]) == len(after["csv"]) == len(before["claims"]) - len(claims)
    assert not any(c["colliding"] for c in after["claims"])

    reviews = [r[0] for r in _sql(client, "SELECT id FROM reviews WHERE action = 'reject' ORDER BY id DESC")]
    assert len(reviews) == len(facts)
    for rid in reviews:
        assert client.post(f"/api/reviews/{rid}/undo", headers=client.h).status_code == 200
    back = _seen(client)
    assert back == before
