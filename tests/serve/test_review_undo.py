"""Review that changes what the analyst sees (issue 8): corrections of goods and amounts, a
rejected fact gone from every list at once, and undo of every review through the API.

Each test works on its own copy of the web store (tests/serve/webstore.py, invented reports),
so the reviews of one test do not move the numbers another checks.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve.app import create_app

from .webstore import build_store, sign_in

ALL = {"since": "1990", "until": "2030"}  # a brief period holding every sample report


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("undo"))


@pytest.fixture
def client(master, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(master, db)
    with TestClient(create_app(str(db), secret="test")) as c:
        c.db = db
        c.h = {"X-CSRF-Token": sign_in(c)}
        yield c


def _sql(client, sql: str, params=()):
    conn = sqlite3.connect(client.db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def _event_ids(client, **params) -> list[int]:
    out, page = [], 1
    while True:
        data = client.get("/api/events", params={**params, "page": page}).json()
        out += [e["id"] for e in data["events"]]
        if len(out) >= data["total"] or not data["events"]:
            return out
        page += 1


def _undo(client, review_id: int):
    return client.post(f"/api/reviews/{review_id}/undo", headers=client.h)


def _newest_review(client, report_id: str) -> dict:
    return client.get("/api/reviews", params={"report_id": report_id}).json()["reviews"][0]


def _export_ids(client, **params) -> list[int]:
    text = client.get("/events.json", params=params).text.strip()
    return [json.loads(line)["id"] for line in text.splitlines() if line]


# --- a rejected event or mention is gone from every surface, and undo brings it back ----------

def test_undo_rejected_event_is_gone_everywhere_then_back(client):
    before_ids = _event_ids(client, type="smuggling")
    eid = before_ids[0]
    ev = next(e for e in client.get("/api/events", params={"type": "smuggling"}).json()["events"]
              if e["id"] == eid)
    brief_before = client.get("/api/brief", params=ALL).json()
    incidents_before = client.get("/api/incidents", params={"type": "smuggling"}).json()["total"]
    r = client.post(f"/api/facts/events/{eid}/review", json={"action": "reject"}, headers=client.h)
    assert r.status_code == 200 and r.json()["review"] == "rejected"
    # events list, its export, and the incidents (regrouped at once) no longer hold it
    assert eid not in _event_ids(client, type="smuggling")
    assert eid not in _export_ids(client, type="smuggling")
    held = _sql(client, "SELECT count(*) AS n FROM incident_events WHERE event_id = ?", (eid,))
    assert held[0]["n"] == 0
    brief = client.get("/api/brief", params=ALL).json()
    assert all(m["event_id"] != eid for m in brief["fines"] + brief["prices"] + brief["rates"])
    for good in ev["facts"]["commodities"]:  # the goods it moved count one event less
        old = next((g for g in brief_before["moving"] if g["entity_id"] == good), None)
        new = next((g for g in brief["moving"] if g["entity_id"] == good), None)
        if old:
            assert (new["events"] if new else 0) == old["events"] - 1
    review = _newest_review(client, ev["report_id"])
    assert (review["action"], review["can_undo"], review["fact_id"]) == ("reject", True, eid)
    undone = _undo(client, review["id"])
    assert undone.status_code == 200, undone.text
    assert undone.json()["undoes"] == review["id"]
    assert _event_ids(client, type="smuggling") == before_ids
    assert client.get("/api/incidents", params={"type": "smuggling"}).json()["total"] == incidents_before
    assert client.get("/api/brief", params=ALL).json()["moving"] == brief_before["moving"]
    history = client.get("/api/reviews", params={"report_id": ev["report_id"]}).json()["reviews"]
    undo_row, original = history[0], history[1]
    assert (undo_row["action"], undo_row["undoes"], undo_row["user"]) == ("undo", review["id"], "analyst")
    assert original["undone_by"] == undo_row["id"] and not original["can_undo"]
    assert not undo_row["can_undo"]
    assert _undo(client, review["id"]).status_code == 400  # undone already
    assert _undo(client, undo_row["id"]).status_code == 400  # an undo is not undone


def _single_report_good(client) -> tuple[str, str]:
    """A good named in one report only, in an event of that report: (good id, report id)."""
    rows = _sql(client, "SELECT m.entity_id, min(m.report_id) AS report_id FROM mentions m"
                        " WHERE m.kind = 'commodity' GROUP BY m.entity_id"
                        " HAVING count(DISTINCT m.report_id) = 1 AND EXISTS (SELECT 1 FROM"
                        " event_entities ee JOIN events e ON e.id = ee.event_id WHERE"
                        " ee.entity_id = m.entity_id AND e.type IN ('smuggling', 'trade'))"
                        " ORDER BY m.entity_id")
    assert rows, "the samples name a good moved in one report only"
    return rows[0]["entity_id"], rows[0]["report_id"]


def test_rejected_goods_mention_leaves_goods_pages_brief_events_and_exports(client):
    good, rid = _single_report_good(client)
    goods_before = next(g for g in client.get("/api/goods", params={"q": good}).json()["goods"] if g["id"] == good)
    detail_before = client.get(f"/api/goods/{good}").json()
    brief_before = client.get("/api/brief", params=ALL).json()
    events_before = _event_ids(client, commodity=good)
    assert goods_before["mentions"] > 0 and goods_before["events"] > 0 and events_before
    assert any(g["entity_id"] == good for g in brief_before["moving"] + brief_before["demand"])
    mentions = [m for m in client.get(f"/api/reports/{rid}").json()["facts"]["mentions"]
                if m["entity_id"] == good]
    for m in mentions:
        assert client.post(f"/api/facts/mentions/{m['id']}/review", json={"action": "reject"},
                           headers=client.h).status_code == 200
    goods = next(g for g in client.get("/api/goods", params={"q": good}).json()["goods"] if g["id"] == good)
    assert (goods["mentions"], goods["events"]) == (0, 0)
    detail = client.get(f"/api/goods/{good}").json()
    assert detail["months"] == [] and detail["events"] == []
    assert _event_ids(client, commodity=good) == []
    brief = client.get("/api/brief", params=ALL).json()
    assert all(g["entity_id"] != good for g in brief["moving"] + brief["demand"])
    for line in client.get("/events.json").text.strip().splitlines():
        assert good not in [c["id"] for c in json.loads(line)["commodities"]]
    assert good not in client.get("/events.csv").text
    # the reader no longer highlights it, and lists it struck through with its history
    report = client.get(f"/reports/{rid}").text
    assert all(f'data-facts="mention-{m["id"]}' not in report for m in mentions)
    assert f'id="fact-mention-{mentions[0]["id"]}"' in report and "review-rejected" in report
    # accepting it again would leave its events without it: the rejection is to be undone
    last = client.post(f"/api/facts/mentions/{mentions[-1]['id']}/review", json={"action": "accept"},
                       headers=client.h)
    assert last.status_code == 400 and "undo review" in last.json()["detail"]
    # undo every rejection, newest first: everything is as it was
    for h in client.get("/api/reviews", params={"report_id": rid}).json()["reviews"]:
        if h["can_undo"]:
            assert _undo(client, h["id"]).status_code == 200
    assert next(g for g in client.get("/api/goods", params={"q": good}).json()["goods"] if g["id"] == good) == goods_before
    assert client.get(f"/api/goods/{good}").json() == detail_before
    assert _event_ids(client, commodity=good) == events_before
    assert client.get("/api/brief", params=ALL).json()["moving"] == brief_before["moving"]


# --- corrections of goods and amounts ---------------------------------------------------------

def _event_with_money(client) -> tuple[dict, dict]:
    for e in client.get("/api/events", params={"type": "price"}).json()["events"]:
        r = client.get(f"/api/reports/{e['report_id']}").json()
        amounts = [a for a in r["facts"]["amounts"] if a["kind"] == "money"]
        mine = next((a for a in amounts if a["idx"] in e["facts"]["amounts"]), None)
        if mine and r["published"]:
            return {**next(x for x in r["facts"]["events"] if x["id"] == e["id"]),
                    "report_id": e["report_id"]}, mine
    raise AssertionError("the samples have a price event with money")


def test_correct_goods_and_amount_then_reextract_then_undo(client):
    from borderwatch.jobs import reextract
    from borderwatch.store import open_db
    from borderwatch.values.usd import to_usd

    ev, amount = _event_with_money(client)
    published = client.get(f"/api/reports/{ev['report_id']}").json()["published"]
    body = {"commodities": ["rice", "Coal"], "type": "trade",
            "amounts": [{"id": amount["id"], "min": 3000, "max": 3500, "currency": "KPW"}]}
    r = client.post(f"/api/events/{ev['id']}/correct", json=body, headers=client.h)
    assert r.status_code == 200, r.text
    assert json.loads(r.json()["facts"])["commodities"] == ["commodity:rice", "commodity:coal"]
    assert ev["id"] in _event_ids(client, commodity="rice")
    assert ev["id"] in _event_ids(client, commodity="commodity:coal", type="trade")
    fixed = _sql(client, "SELECT min, max, currency, usd, usd_rate_date, review FROM amounts WHERE id = ?",
                 (amount["id"],))[0]
    usd, day = to_usd(3250, "KPW", published)
    assert fixed == {"min": 3000, "max": 3500, "currency": "KPW", "usd": usd,
                     "usd_rate_date": day, "review": "corrected"}
    review = _newest_review(client, ev["report_id"])
    assert review["before"]["commodities"] == ev["facts"]["commodities"]
    assert review["after"][f"amount {amount['id']}"] == "3,000–3,500 KPW"
    conn = open_db(client.db, create=False)
    reextract(conn)  # the corrections are kept, the extractor's reading does not come back
    conn.close()
    assert ev["id"] in _event_ids(client, commodity="rice")
    assert _sql(client, "SELECT min, currency FROM amounts WHERE id = ?", (amount["id"],))[0] == {
        "min": 3000, "currency": "KPW"}
    assert _sql(client, 'SELECT count(*) AS n FROM amounts WHERE report_id = ? AND start = ?',
                (ev["report_id"], amount["start"]))[0]["n"] == 1
    assert _undo(client, review["id"]).status_code == 200
    back = _sql(client, "SELECT min, max, currency, usd, review FROM amounts WHERE id = ?", (amount["id"],))[0]
    assert back == {k: amount[k] for k in ("min", "max", "currency", "usd", "review")}
    event = next(e for e in client.get(f"/api/reports/{ev['report_id']}").json()["facts"]["events"]
                 if e["id"] == ev["id"])
    assert (event["type"], event["facts"]["commodities"], event["review"]) == (
        ev["type"], ev["facts"]["commodities"], ev["review"])


@pytest.mark.parametrize("change, message", [
    ({"currency": "XYZ"}, "unknown currency"),
    ({"min": 10, "max": 5}, "larger than"),
    ({"unit": "kg"}, "not a unit"),
])
def test_amount_correction_refuses_bad_values(client, change, message):
    _, amount = _event_with_money(client)
    r = client.post(f"/api/amounts/{amount['id']}/correct", json=change, headers=client.h)
    assert r.status_code == 400 and message in r.json()["detail"]


def test_goods_correction_refuses_unknown_goods(client):
    eid = _event_ids(client, type="smuggling")[0]
    r = client.post(f"/api/events/{eid}/correct", json={"commodities": ["unobtainium"]}, headers=client.h)
    assert r.status_code == 400 and "unknown good" in r.json()["detail"]


def test_amount_correction_alone_recomputes_dollars_and_undoes(client):
    _, amount = _event_with_money(client)
    r = client.post(f"/api/amounts/{amount['id']}/correct", json={"value": 100, "currency": "USD"},
                    headers=client.h)
    assert r.status_code == 200 and (r.json()["usd"], r.json()["review"]) == (100.0, "corrected")
    rid = r.json()["report_id"]
    assert _undo(client, _newest_review(client, rid)["id"]).status_code == 200
    assert _sql(client, "SELECT usd, currency FROM amounts WHERE id = ?", (amount["id"],))[0] == {
        "usd": amount["usd"], "currency": amount["currency"]}


# --- undo: conflicts, added events, report details, incidents ---------------------------------

def test_undo_refuses_to_overwrite_a_later_change(client):
    eid = _event_ids(client, type="smuggling")[0]
    rid = _sql(client, "SELECT report_id FROM events WHERE id = ?", (eid,))[0]["report_id"]
    client.post(f"/api/facts/events/{eid}/review", json={"action": "accept"}, headers=client.h)
    accepted = _newest_review(client, rid)["id"]
    client.post(f"/api/events/{eid}/correct", json={"date": "2020-02-02"}, headers=client.h)
    corrected = _newest_review(client, rid)["id"]
    r = _undo(client, accepted)
    assert r.status_code == 409 and f"review {corrected}" in r.json()["detail"]
    assert _undo(client, corrected).status_code == 200
    assert _undo(client, accepted).status_code == 200
    assert _sql(client, "SELECT review, date FROM events WHERE id = ?", (eid,))[0]["review"] is None


def test_undo_added_event_removes_it(client):
    rid = client.get("/api/reports").json()["results"][0]["id"]
    r = client.post(f"/api/reports/{rid}/events", json={"start": 0, "end": 10, "type": "trade",
                                                         "commodities": ["rice"]}, headers=client.h)
    eid = r.json()["id"]
    assert eid in _event_ids(client, commodity="rice")
    assert _undo(client, _newest_review(client, rid)["id"]).status_code == 200
    assert eid not in _event_ids(client, commodity="rice")
    assert _sql(client, "SELECT count(*) AS n FROM events WHERE id = ?", (eid,))[0]["n"] == 0


def test_undo_report_details_restores_them_and_their_dates(client):
    rid = client.get("/api/reports").json()["results"][2]["id"]
    old = client.get(f"/api/reports/{rid}").json()
    dates_before = _sql(client, "SELECT start, value FROM dates WHERE report_id = ? ORDER BY start", (rid,))
    r = client.post(f"/api/reports/{rid}/details",
                    json={"title": "A corrected title", "published": "2001-01-01", "outlet": "Elsewhere"},
                    headers=client.h)
    assert r.status_code == 200
    assert _undo(client, _newest_review(client, rid)["id"]).status_code == 200
    now = client.get(f"/api/reports/{rid}").json()
    assert (now["title"], now["published"], now["outlet"]) == (old["title"], old["published"], old["outlet"])
    assert _sql(client, "SELECT start, value FROM dates WHERE report_id = ? ORDER BY start", (rid,)) == dates_before


def _incident_rows(client) -> list[tuple]:
    return sorted((r["key"], r["event_id"]) for r in _sql(
        client, "SELECT i.key, ie.event_id FROM incidents i JOIN incident_events ie ON ie.incident_id = i.id"))


def test_undo_merge_and_split_restore_the_grouping_through_a_rebuild(client):
    from borderwatch.store import open_db
    from borderwatch.store.incidents import rebuild_incidents

    start = _incident_rows(client)
    by_type: dict[str, list[dict]] = {}
    for i in client.get("/api/incidents").json()["incidents"]:
        by_type.setdefault(i["type"], []).append(i)
    pair = next(v[:2] for v in by_type.values() if len(v) >= 2)
    merged = client.post("/api/incidents/merge", json={"incident_ids": [p["id"] for p in pair]},
                         headers=client.h)
    assert merged.status_code == 200 and _incident_rows(client) != start
    merge_review = client.get("/api/reviews").json()["reviews"][0]
    assert merge_review["action"] == "merge" and merge_review["can_undo"]
    key = merged.json()["key"]
    inc = _sql(client, "SELECT id FROM incidents WHERE key = ?", (key,))[0]["id"]
    assert [h["id"] for h in client.get(f"/api/incidents/{inc}").json()["history"]] == [merge_review["id"]]
    assert _undo(client, merge_review["id"]).status_code == 200
    assert _incident_rows(client) == start
    conn = open_db(client.db, create=False)
    rebuild_incidents(conn)  # the earlier grouping is what the rule and the pins give again
    conn.close()
    assert _incident_rows(client) == start
    big = next(i for i in client.get("/api/incidents").json()["incidents"] if i["events"] >= 2)
    one = client.get(f"/api/incidents/{big['id']}").json()["events"][0]["id"]
    assert client.post(f"/api/incidents/{big['id']}/split", json={"event_ids": [one]},
                       headers=client.h).status_code == 200
    split_review = client.get("/api/reviews").json()["reviews"][0]
    assert split_review["action"] == "split"
    assert _undo(client, split_review["id"]).status_code == 200
    assert _incident_rows(client) == start
    html = client.get(f"/incidents/{big['id']}").text
    assert "undid" in html and "undone (review" in html


def test_undo_needs_a_signed_in_analyst_and_the_csrf_token(master, tmp_path):
    db = tmp_path / "anon.db"
    shutil.copy(master, db)
    with TestClient(create_app(str(db), secret="test")) as anon:
        assert anon.post("/api/reviews/1/undo").status_code == 401


def test_undo_of_an_unknown_review_is_a_plain_400(client):
    r = _undo(client, 999999)
    assert r.status_code == 400 and "no review" in r.json()["detail"]


# --- the reader's forms and History -----------------------------------------------------------

def test_reader_forms_label_every_control_and_history_offers_undo(client):
    ev, _ = _event_with_money(client)
    rid = ev["report_id"]
    client.post(f"/api/facts/events/{ev['id']}/review", json={"action": "reject"}, headers=client.h)
    html = client.get(f"/reports/{rid}").text
    assert f'id="correct-{ev["id"]}"' in html and 'id="details-form"' in html
    controls = re.findall(r"<(?:input|select)\b[^>]*>", html)
    assert len(controls) > 10
    for tag in controls:
        if 'type="checkbox"' in tag or 'type="hidden"' in tag:
            continue
        cid = re.search(r'\bid="([^"]+)"', tag)
        assert cid, f"a control without id cannot have a label: {tag}"
        assert f'for="{cid.group(1)}"' in html, f"no label for {cid.group(1)}"
    assert "<script>" not in html.split('id="report-text"')[0] and " style=" not in html
    review = _newest_review(client, rid)
    assert f'class="act-undo" data-review="{review["id"]}"' in html
    row = html.split(f'id="review-{review["id"]}"')[1].split("</li>")[0]
    assert "analyst" in row and "rejected" in row and "verdict: not reviewed → rejected" in row
    # signed out: the same page has no forms and no undo buttons
    with TestClient(create_app(str(client.db), secret="test")) as anon:
        page = anon.get(f"/reports/{rid}").text
        assert 'class="act-undo"' not in page and "correct-form" not in page
