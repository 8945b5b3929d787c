"""The JSON API: every endpoint answers with real data from the store, filters narrow it."""

import re

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve.app import create_app

from .webstore import build_store, sign_in


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("web"))
    with TestClient(create_app(str(db), secret="test")) as c:
        c.db = db
        yield c


def test_api_brief_counts_incidents_and_lists_reports(client):
    b = client.get("/api/brief?since=2019-01-01&until=2024-12-31").json()
    assert sum(r["incidents"] for r in b["by_type"]) > 0
    assert b["places"] and b["places"][0]["incidents"] >= b["places"][-1]["incidents"]
    assert len(b["reports"]) == 8
    assert all(g["sanctioned"] for g in b["sanctioned_moving"])


def test_api_reports_search_and_filters(client):
    hits = client.get("/api/reports", params={"q": "Nampo"}).json()
    assert hits["total"] >= 1 and "<<Nampo>>" in hits["results"][0]["snippet"]
    assert client.get("/api/search", params={"q": "Nampo"}).json()["total"] == hits["total"]
    dnk = client.get("/api/reports", params={"outlet": "Daily NK"}).json()
    assert dnk["total"] >= 3 and all(r["outlet"] == "Daily NK" for r in dnk["results"])
    health = client.get("/api/reports", params={"topic": "health"}).json()
    assert 0 < health["total"] < dnk["total"] + 20
    typed = client.get("/api/reports", params={"q": '"Nampo'}).json()  # a stray quote is text
    assert typed["total"] == hits["total"] and not typed.get("error")
    empty = client.get("/api/reports", params={"q": "AND OR"}).json()
    assert empty["total"] == 0 and "nothing to search for" in empty["error"]


def test_api_report_has_facts_with_offsets(client):
    rid = client.get("/api/reports", params={"q": "Nampo"}).json()["results"][0]["id"]
    r = client.get(f"/api/reports/{rid}").json()
    text = r["text"]
    for kind in ("mentions", "amounts", "dates", "attributions", "events"):
        for f in r["facts"][kind]:
            assert text[f["start"]:f["end"]] == (f["trigger"] if kind == "events" else f["text"])
    assert r["facts"]["events"] and r["topics"]
    assert client.get("/api/reports/ffffffffffff").status_code == 404


@pytest.mark.parametrize("params,check", [
    ({"type": "smuggling"}, lambda e: e["type"] == "smuggling"),
    ({"place": "Sinuiju"}, lambda e: "place:sinuiju" in e["facts"]["places"]),
    ({"commodity": "coal"}, lambda e: "commodity:coal" in e["facts"]["commodities"]),
    ({"source_kind": "state_media"}, lambda e: e["attribution_kind"] == "state_media"),
    ({"negated": "only"}, lambda e: e["negated"]),
    ({"hedged": "hide"}, lambda e: not e["hedged"]),
    ({"since": "2023-01-01", "until": "2023-12-31"}, lambda e: "2023" <= (e["date"] or e["published"])[:4] <= "2023"),
])
def test_api_events_filters(client, params, check):
    data = client.get("/api/events", params={"negated": "show", **params}).json()
    assert data["total"] > 0
    assert all(check(e) for e in data["events"])
    assert data["total"] < client.get("/api/events", params={"negated": "show"}).json()["total"]


def test_api_events_hide_negated_unless_asked(client):
    """Issue 8: the events list shows what happened; events the text says did not happen
    are there on request (negated=show or only), and the counts add up."""
    default = client.get("/api/events", params={"per_page": 200}).json()
    shown = client.get("/api/events", params={"negated": "show"}).json()["total"]
    only = client.get("/api/events", params={"negated": "only"}).json()["total"]
    assert default["total"] and only and default["total"] + only == shown
    assert not any(e["negated"] for e in default["events"])
    assert client.get("/api/events", params={"negated": "hide"}).json()["total"] == default["total"]
    assert client.get("/api/events", params={"negated": "maybe"}).status_code == 400


def test_api_events_reject_unknown_vocabulary(client):
    assert client.get("/api/events", params={"type": "picnic"}).status_code == 400
    assert client.get("/api/events", params={"source_kind": "oracle"}).status_code == 400


def test_api_event_downloads_match_the_table(client):
    params = {"type": "smuggling"}
    total = client.get("/api/events", params=params).json()["total"]
    csv_text = client.get("/events.csv", params=params).text
    assert len(csv_text.strip().splitlines()) == total + 1
    jl = client.get("/events.json", params=params).text.strip().splitlines()
    assert len(jl) == total


def test_api_timeline_places_goods_claims_incidents(client):
    t = client.get("/api/timeline", params={"granularity": "month"}).json()
    assert t["rows"] and all(re.match(r"\d{4}-\d{2}-01$", r["period"]) for r in t["rows"])
    assert client.get("/api/timeline", params={"granularity": "decade"}).status_code == 400
    places = client.get("/api/places").json()["places"]
    sinuiju = next(p for p in places if p["place_id"] == "place:sinuiju")
    assert sinuiju["lat"] == pytest.approx(40.1, abs=0.2) and sinuiju["incidents"] >= 1
    goods = client.get("/api/goods", params={"q": "coal"}).json()["goods"]
    coal = next(g for g in goods if g["id"] == "commodity:coal")
    assert coal["sanctioned"] and coal["mentions"] >= 1 and coal["hs"]
    detail = client.get("/api/goods/commodity:coal").json()
    assert detail["events"]
    assert "groups" in client.get("/api/claims").json()
    inc = client.get("/api/incidents").json()
    assert inc["total"] > 0
    one = client.get(f"/api/incidents/{inc['incidents'][0]['id']}").json()
    assert one["events"]
    assert client.get("/api/incidents/999999").status_code == 404


def test_api_openapi_describes_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/brief", "/api/reports", "/api/reports/{report_id}", "/api/events",
              "/api/claims", "/api/places", "/api/goods", "/api/reviews",
              "/api/events/{event_id}/correct", "/api/facts/{table}/{fact_id}/review"):
        assert p in paths


def test_api_review_correct_survives_reextract(client):
    from borderwatch.jobs import reextract
    from borderwatch.store import open_db

    token = sign_in(client)
    ev = client.get("/api/events", params={"type": "smuggling"}).json()["events"][0]
    r = client.post(f"/api/events/{ev['id']}/correct", json={"type": "corruption", "date": "2023-05-02"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    assert r.json()["type"] == "corruption" and r.json()["review"] == "corrected"
    hist = client.get("/api/reviews", params={"report_id": ev["report_id"]}).json()["reviews"]
    assert hist[0]["user"] == "analyst" and hist[0]["before"]["type"] == "smuggling"
    conn = open_db(client.db, create=False)
    reextract(conn)
    row = conn.execute("SELECT type, date, review FROM events WHERE id = ?", (ev["id"],)).fetchone()
    assert tuple(row) == ("corruption", "2023-05-02", "corrected")
    same_span = conn.execute('SELECT count(*) FROM events WHERE report_id = ? AND start = ? AND "end" = ?',
                             (ev["report_id"], ev["start"], ev["end"])).fetchone()[0]
    assert same_span == 1  # the extractor's old reading did not come back beside the correction


def test_api_reject_and_add_event(client):
    token = sign_in(client)
    h = {"X-CSRF-Token": token}
    ev = client.get("/api/events").json()["events"][0]
    assert client.post(f"/api/facts/events/{ev['id']}/review", json={"action": "reject"}, headers=h).status_code == 200
    assert ev["id"] not in [e["id"] for e in client.get("/api/events").json()["events"]]
    rid = ev["report_id"]
    text = client.get(f"/api/reports/{rid}").json()["text"]
    r = client.post(f"/api/reports/{rid}/events", json={"start": 0, "end": 12, "type": "diplomacy"}, headers=h)
    assert r.status_code == 200
    added = [e for e in client.get(f"/api/reports/{rid}").json()["facts"]["events"] if e["id"] == r.json()["id"]]
    assert added[0]["trigger"] == text[:12] and added[0]["origin"] == "analyst"
    bad = client.post(f"/api/reports/{rid}/events", json={"start": 5, "end": 10**7, "type": "trade"}, headers=h)
    assert bad.status_code == 400


def test_api_incident_merge_and_split_are_reviews(client):
    token = sign_in(client)
    h = {"X-CSRF-Token": token}
    rows = client.get("/api/incidents").json()["incidents"]
    by_type = {}
    for r in rows:
        by_type.setdefault(r["type"], []).append(r)
    pair = next(v[:2] for v in by_type.values() if len(v) >= 2)
    before = client.get("/api/incidents").json()["total"]
    r = client.post("/api/incidents/merge", json={"incident_ids": [p["id"] for p in pair]}, headers=h)
    assert r.status_code == 200, r.text
    assert client.get("/api/incidents").json()["total"] == before - 1
    merged = next(i for i in client.get("/api/incidents").json()["incidents"] if i["key"] == r.json()["key"])
    assert merged["pinned"] and merged["events"] == pair[0]["events"] + pair[1]["events"]
    detail = client.get(f"/api/incidents/{merged['id']}").json()
    one = detail["events"][0]["id"]
    s = client.post(f"/api/incidents/{merged['id']}/split", json={"event_ids": [one]}, headers=h)
    assert s.status_code == 200
    actions = [x["action"] for x in client.get("/api/reviews").json()["reviews"]]
    assert "merge" in actions and "split" in actions
    other_type = next(t for t in by_type if t != pair[0]["type"])
    bad = client.post("/api/incidents/merge", json={"incident_ids": [pair[0]["id"], by_type[other_type][0]["id"]]}, headers=h)
    assert bad.status_code == 400


@pytest.mark.parametrize("path", ["/?since=2022", "/?since=2022-01&until=2022",
                                  "/api/brief?since=2019&until=2024-06", "/events?since=2022&until=2024",
                                  "/api/events?until=2024-06", "/timeline?since=2020"])
def test_api_coarse_date_bounds_work_everywhere(client, path):
    """Issue 8: the brief crashed with a server error on since=2022 or 2022-01."""
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/?since=2023-02-30", "/api/events?since=July", "/api/brief?until=2022-13"])
def test_api_bad_date_bounds_are_a_plain_400(client, path):
    r = client.get(path)
    assert r.status_code == 400 and "Traceback" not in r.text
    assert "date" in r.text or "month" in r.text or "day" in r.text


def test_api_brief_year_bound_counts_match_the_events_list(client):
    """The brief's per-type count for a year links to an events list of that year."""
    brief = client.get("/api/brief?since=2019&until=2024").json()
    assert brief["since"] == "2019" and brief["previous"] == {"since": "2013-01-01", "until": "2018-12-31"}


def _incidents_total(client, **params) -> int:
    params = {k: v for k, v in params.items() if v}
    return client.get("/api/incidents", params=params).json()["total"]


def test_api_every_incident_count_opens_a_list_of_that_many(client):
    """Issue 8: a number on a page leads to a list of that many rows. The brief's bars and top
    places, the timeline's bars and the map's places count incidents; each opens the incidents
    list with the same filters."""
    checked = 0
    brief = client.get("/api/brief?since=2019&until=2024").json()
    for row in brief["by_type"]:
        assert row["incidents"] == _incidents_total(client, type=row["type"], since="2019", until="2024")
        checked += 1
    for p in brief["places"]:
        assert p["incidents"] == _incidents_total(client, place=p["place_id"], since="2019", until="2024")
        checked += 1
    from borderwatch.serve.analysis_pages import _period_end
    for gran in ("month", "week"):
        for r in client.get(f"/api/timeline?granularity={gran}").json()["rows"]:
            assert r["count"] == _incidents_total(client, type=r["type"], since=r["period"],
                                                  until=_period_end(r["period"], gran))
            checked += 1
    for p in client.get("/api/places").json()["places"]:
        assert p["incidents"] == _incidents_total(client, place=p["place_id"])
        checked += 1
    assert checked > 20


def test_api_brief_page_links_counts_to_incidents(client):
    html = client.get("/?since=2019&until=2024").text
    assert "/incidents?type=" in html and "/events?type=" not in html
    assert 'id="incidents-total"' in client.get("/incidents?type=smuggling").text


def test_api_small_usd_values_show_cents(client):
    """Issue 8: a KPW price of a few cents is not shown as 'US$ 0'."""
    t = client.app.state.templates.env.from_string('{% from "_macros.html" import usd %}{{ usd(v) }}')
    assert t.render(v=0.034) == "US$ 0.03" and t.render(v=44502.4) == "US$ 44,502"
    assert "no rate" in t.render(v=None)


def test_api_brief_prices_name_their_goods_and_rates_stand_apart(client):
    """Issue 8: every price row names its good; exchange rates (won per USD/CNY) are their own
    series, not prices; one amount told by two events is one row."""
    b = client.get("/api/brief?since=2015&until=2025").json()
    assert b["prices"] and any(m["goods"] for m in b["prices"])
    assert all(not m["rate"] for m in b["prices"]) and all(m["rate"] for m in b["rates"])
    assert all(m["per"] in ("USD", "CNY", "KRW", "JPY", "EUR", "RUB") for m in b["rates"])
    keys = [(m["report_id"], m["idx"]) for m in b["prices"] + b["rates"]]
    assert len(keys) == len(set(keys))


def test_api_sanctioned_goods_name_their_resolutions_in_words(client):
    """Issue 8: a sanctioned good moving shows the resolution that bans it, in words."""
    b = client.get("/api/brief?since=2015&until=2025").json()
    assert b["sanctioned_moving"], "the samples move sanctioned goods"
    for g in b["sanctioned_moving"]:
        assert g["resolutions"] and all(r.startswith("UNSC ") and ":" in r for r in g["resolutions"])
    assert "UNSC 2371 (5 August 2017)" in client.get("/?since=2015&until=2025").text


def test_api_undated_reports_are_counted_listed_and_fixable(client):
    """Issue 8: the brief says how many reports have no date and links to them; a report's
    date, title and outlet can be corrected (logged, facts re-resolved)."""
    html = client.get("/").text
    undated = client.get("/api/reports", params={"undated": "true"}).json()
    if undated["total"] == 0:  # the fixture dates every report: make one undated to fix
        rid = client.get("/api/reports").json()["results"][0]["id"]
        import sqlite3
        c = sqlite3.connect(client.db)
        c.execute("UPDATE reports SET published = NULL WHERE id = ?", (rid,))
        c.commit()
        c.close()
        from borderwatch.store.memo import forget

        forget()  # changed behind the app's back (raw SQL adds no row the cache could see)
        html = client.get("/").text
        undated = client.get("/api/reports", params={"undated": "true"}).json()
    assert undated["total"] >= 1 and all(r["published"] is None for r in undated["results"])
    assert f'{undated["total"]} report' in html and "/reports?undated=true" in html
    rid = undated["results"][0]["id"]
    token = sign_in(client)
    bad = client.post(f"/api/reports/{rid}/details", json={"published": "2023-02-30"},
                      headers={"X-CSRF-Token": token})
    assert bad.status_code == 400
    ok = client.post(f"/api/reports/{rid}/details", json={"published": "2023-03-01", "title": "Fixed"},
                     headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.json()["published"] == "2023-03-01"
    report = client.get(f"/api/reports/{rid}").json()
    assert report["published"] == "2023-03-01" and report["title"] == "Fixed"
    assert client.get("/api/reports", params={"undated": "true"}).json()["total"] == undated["total"] - 1


def test_api_reader_shows_the_audit_trail(client):
    """Issue 8: the reader lists who changed what, when, before -> after."""
    rid = client.get("/api/reports").json()["results"][1]["id"]
    token = sign_in(client)
    r = client.post(f"/api/reports/{rid}/details", json={"title": "Audited title"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    history = client.get(f"/api/reports/{rid}").json()["history"]
    assert history[0]["user"] == "analyst" and history[0]["after"] == {"title": "Audited title"}
    html = client.get(f"/reports/{rid}").text
    assert 'id="review-history"' in html and "→ Audited title" in html


# Pages whose data are served as JSON under another name.
_TWIN_NAMES = {"/": "/api/brief", "/map": "/api/places"}
# Not views: the sign-in form, static files, a stylesheet, and downloads and feeds (a list's
# data in another format, at the list's own filters).
_NOT_VIEWS = re.compile(r"^/(login|logout|favicon\.ico|static|style/)|\.\{fmt\}$|\.(atom|json)$")


def test_every_page_is_one_view_with_a_json_twin(client):
    """Each page is one function registered at its path and at /api/...: the query parameters
    a page and its JSON twin take are declared once, and a twin cannot drift from its page."""
    from fastapi.routing import APIRoute

    def every(routes):  # routers included in the app are nested (FastAPI 0.163)
        for r in routes:
            inner = getattr(r, "original_router", None)
            yield from every(inner.routes) if inner is not None else [r]

    routes = [r for r in every(client.app.routes) if isinstance(r, APIRoute) and "GET" in r.methods]
    api = {r.path: r for r in routes if r.path.startswith("/api/")}
    pages = [r for r in routes if not r.path.startswith("/api/") and not _NOT_VIEWS.search(r.path)]
    assert len(pages) >= 12
    for r in pages:
        twin = api.get(_TWIN_NAMES.get(r.path, "/api" + r.path))
        assert twin is not None, f"{r.path} has no JSON twin"
        assert twin.endpoint is r.endpoint, f"{r.path} and {twin.path} are separate functions"
        assert not r.include_in_schema and twin.include_in_schema
