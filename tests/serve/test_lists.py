"""Every list of the workbench pages, sorts, filters and exports the same set (issue 8).

Reports (and search), events, incidents, goods and claims: the pages of a list add up to its
total with no row twice, a sorted column is really in order both ways, an unknown sort is a
400, the pager and sort links keep the filters, a download holds exactly the filtered rows,
and the pages show human labels, not codes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from borderwatch.model import ATTRIBUTION_KINDS, EVENT_TYPES, TOPICS
from borderwatch.serve.app import create_app

from .webstore import build_store, sign_in


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("lists"))
    with TestClient(create_app(str(db), secret="test")) as c:
        c.db = db
        yield c


# (API path, key of the rows, identity of a row, filters that narrow the list)
LISTS = {
    "reports": ("/api/reports", "results", lambda r: r["id"], {"since": "2019"}),
    "search": ("/api/reports", "results", lambda r: r["id"], {"q": "border OR trade OR said"}),
    "events": ("/api/events", "events", lambda r: r["id"], {"type": "trade"}),
    "incidents": ("/api/incidents", "incidents", lambda r: r["id"], {"since": "2019"}),
    "goods": ("/api/goods", "goods", lambda r: r["id"], {"seen": "yes"}),
    "claims": ("/api/claims", "claims", lambda r: (r["report_id"], r["start"], r["subject"], r["holder"]),
               {"view": "claims"}),
    "claim groups": ("/api/claims", "groups", lambda r: (r["subject"], r["period"]), {}),
}


def _api(link: str) -> str:
    """The JSON twin of a page link (/events?x -> /api/events?x)."""
    return "/api" + link


@pytest.mark.parametrize("name", LISTS)
def test_lists_pages_add_up_to_the_total(client, name):
    path, key, ident, filters = LISTS[name]
    first = client.get(path, params={**filters, "per_page": 3}).json()
    lst = first["list"]
    assert lst["total"] > 3, f"{name}: the store must fill more than one page"
    assert lst["pages"] == math.ceil(lst["total"] / 3) and lst["per_page"] == 3
    seen, page, data = [], 1, first
    while True:  # follow the "next" links the page itself offers
        rows = data[key]
        assert data["list"]["page"] == page and len(rows) == min(3, lst["total"] - (page - 1) * 3)
        assert (data["list"]["first_row"], data["list"]["last_row"]) == ((page - 1) * 3 + 1, (page - 1) * 3 + len(rows))
        seen += [ident(r) for r in rows]
        nxt = data["list"]["links"]["next"]
        if nxt is None:
            break
        assert "per_page=3" in nxt
        data = client.get(_api(nxt)).json()
        page += 1
    assert page == lst["pages"] and len(seen) == lst["total"] == len(set(seen))
    last = client.get(_api(first["list"]["links"]["last"])).json()
    assert [ident(r) for r in last[key]] == seen[-len(last[key]):]
    back = client.get(_api(last["list"]["links"]["first"])).json()
    assert [ident(r) for r in back[key]] == seen[:3]


def _date(r):
    return r["date"] or r["published"]


def _place(r):
    return (r["facts"].get("places") or [None])[0]


def _good(r):
    return (r["facts"].get("commodities") or [None])[0]


def _fold(v):
    return v.casefold() if isinstance(v, str) else v


# list -> sort key -> the value of a row that key orders by
SORTS = {
    "reports": ("/api/reports", "results", {}, {
        "published": lambda r: r["published"], "title": lambda r: _fold(r["title"]),
        "outlet": lambda r: _fold(r["outlet"]), "words": lambda r: r["words"]}),
    "search": ("/api/reports", "results", {"q": "border OR trade OR said"}, {
        "relevance": lambda r: -r["score"], "published": lambda r: r["published"],
        "title": lambda r: _fold(r["title"]), "words": lambda r: r["words"]}),
    "events": ("/api/events", "events", {"negated": "show"}, {
        "date": _date, "type": lambda r: r["type"], "place": _place, "good": _good,
        "source": lambda r: r["attribution_kind"], "report": lambda r: _fold(r["title"]),
        "outlet": lambda r: _fold(r["outlet"])}),
    "incidents": ("/api/incidents", "incidents", {}, {
        k: (lambda k: lambda r: _fold(r[k]))(k) for k in  # noqa: B023 - bound by the outer lambda
        ("first_date", "last_date", "type", "events", "reports", "sources")}
        | {"place": lambda r: _fold(r["place_name"])}),
    "goods": ("/api/goods", "goods", {"seen": "yes"}, {
        k: (lambda k: lambda r: _fold(r[k]))(k) for k in  # noqa: B023 - bound by the outer lambda
        ("name", "hs", "sanctioned", "mentions", "reports", "events")}),
    "claims": ("/api/claims", "claims", {"view": "claims"}, {
        "collision": lambda r: r["colliding"], "date": lambda r: r["date"],
        "side": lambda r: r["side"], "holder": lambda r: _fold(r["holder"])}),
}


@pytest.mark.parametrize("name,sort,order", [(n, s, o) for n, (_, _, _, keys) in SORTS.items()
                                              for s in keys for o in ("asc", "desc")])
def test_lists_sorted_columns_are_in_order(client, name, sort, order):
    path, key, filters, keys = SORTS[name]
    data = client.get(path, params={**filters, "sort": sort, "order": order, "per_page": 200}).json()
    assert data["list"]["sort"] == sort and data["list"]["order"] == order
    values = [keys[sort](r) for r in data[key]]
    assert len(values) > 2
    present = [v for v in values if v is not None]
    assert values == present + [None] * (len(values) - len(present)), "empty values sort last"
    assert present == sorted(present, reverse=order == "desc")
    assert len(set(present)) > 1, f"{sort}: a sort that orders nothing proves nothing"


def test_lists_search_is_best_match_first_with_a_newest_first_toggle(client):
    data = client.get("/api/reports", params={"q": "Sinuiju"}).json()
    assert data["list"]["sort"] == "relevance" and data["list"]["order"] == "desc"
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores) and len(scores) > 1
    newest = next(c for c in data["list"]["choices"] if c["label"] == "Newest first")
    assert "sort=published" in newest["href"] and "order=desc" in newest["href"] and "q=Sinuiju" in newest["href"]
    ordered = client.get(_api(newest["href"])).json()["results"]
    days = [r["published"] for r in ordered]
    assert days == sorted(days, reverse=True) and {r["id"] for r in ordered} == {r["id"] for r in data["results"]}
    html = client.get("/reports", params={"q": "Sinuiju"}).text
    assert '<strong aria-current="true">Best match</strong>' in html and ">Newest first</a>" in html


@pytest.mark.parametrize("path", ["/api/reports", "/reports", "/api/events", "/events", "/api/incidents",
                                  "/incidents", "/api/goods", "/goods", "/api/claims", "/claims",
                                  "/api/claims?view=claims", "/reports.csv", "/events.csv",
                                  "/incidents.jsonl", "/goods.csv", "/claims.csv?view=claims"])
def test_lists_unknown_sort_or_order_is_a_400(client, path):
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path}{sep}sort=drop_table")
    assert r.status_code == 400 and "sort by one of" in r.text
    assert client.get(f"{path}{sep}sort=title&order=sideways" if "reports" in path
                      else f"{path}{sep}order=sideways").status_code == 400


def test_lists_relevance_needs_a_search(client):
    """Sorting by match is a search's order: a list without a query falls back to newest."""
    data = client.get("/api/reports", params={"sort": "relevance"}).json()
    assert data["list"]["sort"] == "published"


@pytest.mark.parametrize("path,params", [
    ("/events", {"type": "trade", "source_kind": "anonymous", "negated": "show", "since": "2019"}),
    ("/incidents", {"type": "trade", "since": "2019"}),
    ("/reports", {"outlet": "Daily NK", "since": "2019"}),
    ("/goods", {"seen": "yes", "sanctions": "sanctioned"}),
    ("/claims", {"view": "claims", "side": "sources"}),
])
def test_lists_links_keep_the_filters(client, path, params):
    html = client.get(path, params={**params, "per_page": 1}).text
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]
    pager = [h for h in hrefs if h.startswith(path + "?") and "page=" in h and "per_page" in h]
    sorts = [h for h in hrefs if h.startswith(path + "?") and "sort=" in h]
    downloads = [h for h in hrefs if h.startswith(path + ".csv") or h.startswith(path + ".jsonl")]
    assert pager and sorts and len(downloads) == 2
    for h in pager + sorts + downloads:
        q = {k: v[0] for k, v in parse_qs(urlsplit(h).query).items()}
        assert params.items() <= q.items(), h
    # and the form shows them as chosen
    for k, v in params.items():
        if k in ("since", "q"):
            assert f'name="{k}" value="{v}"' in html
        elif k != "view":
            assert re.search(rf'<option value="{re.escape(v)}" selected>', html), k


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("name,path,params,ident", [
    ("reports", "/reports", {"since": "2019"}, "id"),
    ("search", "/reports", {"q": "border OR trade", "sort": "published", "order": "asc"}, "id"),
    ("events", "/events", {"type": "trade"}, "event_id"),
    ("events shown", "/events", {"negated": "only"}, "event_id"),
    ("incidents", "/incidents", {"since": "2020", "sort": "events"}, "id"),
    ("goods", "/goods", {"seen": "yes", "sort": "name", "order": "asc"}, "id"),
    ("claims", "/claims", {"view": "claims", "side": "sources"}, "holder"),
])
def test_lists_downloads_hold_exactly_the_filtered_rows(client, name, path, params, ident):
    data = client.get("/api" + path, params={**params, "per_page": 5}).json()
    total = data["list"]["total"]
    assert total > 0
    dl = data["list"]["export"]
    got = client.get(dl["csv"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = _csv_rows(got.text)
    assert len(rows) == total, f"{name}: every page, not just one"
    lines = client.get(dl["jsonl"]).text.strip().splitlines()
    assert len(lines) == total
    key = {"reports": "results", "search": "results", "events": "events", "events shown": "events",
           "incidents": "incidents", "goods": "goods", "claims": "claims"}[name]
    first = [str(r["id"] if ident == "event_id" else r[ident]) for r in data[key]]
    assert [r[ident] for r in rows[:5]] == first, "the download keeps the list's order"
    assert [str(json.loads(x)["id" if ident == "event_id" else ident]) for x in lines[:5]] == first


def test_lists_claims_group_download_counts_claims(client):
    data = client.get("/api/claims").json()
    assert len(_csv_rows(client.get(data["list"]["export"]["csv"]).text)) == data["claims_total"]


def test_lists_claims_counts_open_lists_of_that_many(client):
    """Every number of the Claims page opens a list with that many rows."""
    data = client.get("/api/claims", params={"per_page": 50}).json()
    assert data["groups"] and data["collisions"] > 0
    assert client.get(_api(data["claims_href"])).json()["total"] == data["claims_total"]
    only = client.get(_api(data["collisions_href"])).json()
    assert only["list"]["total"] == data["collisions"] == len(only["groups"])
    assert all(g["collision"] for g in only["groups"])
    for g in data["groups"]:
        for side in ("authorities", "sources"):
            flat = client.get(_api(g[f"{side}_href"])).json()
            assert flat["total"] == g[f"{side}_total"] >= len(g[side])
            assert all(c["side"] == side and c["period"] == g["period"] for c in flat["claims"])
            # a collision needs both sides: each side's list opens on its colliding claims
            assert flat["claims"][0]["colliding"] == g["collision"] if flat["claims"] else True
    assert sum(g["authorities_total"] + g["sources_total"] for g in data["groups"]) == data["claims_total"]


@pytest.mark.parametrize("sort,order", [("collision", "desc"), ("collision", "asc"), ("date", "desc"),
                                        ("date", "asc")])
def test_lists_claims_pages_read_by_month_equal_the_whole_list(client, sort, order):
    """The flat list's pages are read month by month from the kept group index; each page is
    exactly that page of the whole list computed at once."""
    from borderwatch.store import open_db
    from borderwatch.store.claims import ClaimFilters, _buckets, claim_page, iter_claims

    conn = open_db(client.db, create=False)
    for f in (ClaimFilters(), ClaimFilters(side="sources")):
        whole = [c.to_dict() for c in iter_claims(conn, f, sort, order)]
        kinds = {len(b or "") for b in _buckets(conn, f)}
        assert {4, 7} <= kinds, "months and year-only dates, for the test to mean anything"
        for offset in range(0, len(whole) + 7, 7):
            total, page = claim_page(conn, f, sort, order, 7, offset)
            assert total == len(whole) and [c.to_dict() for c in page] == whole[offset:offset + 7]
    conn.close()


def test_lists_claims_colliding_groups_come_first(client):
    groups = client.get("/api/claims", params={"per_page": 50}).json()["groups"]
    flags = [g["collision"] for g in groups]
    assert True in flags and False in flags
    assert flags == sorted(flags, reverse=True)
    newest = client.get("/api/claims", params={"per_page": 50, "sort": "period"}).json()["groups"]
    periods = [g["period"] for g in newest if g["period"]]
    assert periods == sorted(periods, reverse=True)


def test_lists_claims_filter_by_topic_place_and_period(client):
    every = client.get("/api/claims", params={"view": "claims", "per_page": 200}).json()
    topic = every["claims"][0]["subject"]
    by_topic = client.get("/api/claims", params={"view": "claims", "topic": topic, "per_page": 200}).json()
    assert 0 < by_topic["total"] < every["total"] or {c["subject"] for c in every["claims"]} == {topic}
    assert all(c["subject"] == topic for c in by_topic["claims"])
    month = next(c["period"] for c in every["claims"] if c["period"])
    by_month = client.get("/api/claims", params={"view": "claims", "since": month, "until": month}).json()
    assert by_month["total"] and all(c["period"] == month for c in by_month["claims"])
    by_place = client.get("/api/claims", params={"view": "claims", "place": "place:sinuiju", "per_page": 200}).json()
    assert 0 < by_place["total"] < every["total"]
    assert all("Sinuiju" in c["text"] or c["event_ids"] for c in by_place["claims"])
    assert client.get("/api/claims", params={"topic": "weather"}).status_code == 400
    assert client.get("/api/claims", params={"since": "2022-13"}).status_code == 400


def test_lists_goods_counts_open_lists_of_that_many(client):
    """A good's events and reports are links to lists of exactly that many rows."""
    goods = client.get("/api/goods", params={"seen": "yes", "per_page": 200}).json()["goods"]
    checked = 0
    for g in goods:
        assert client.get(_api(g["events_href"])).json()["total"] == g["events"], g["id"]
        assert client.get(_api(g["reports_href"])).json()["total"] == g["reports"], g["id"]
        checked += g["events"] > 0
    assert checked >= 3
    html = client.get("/goods").text
    g = next(g for g in goods if g["events"])
    assert f'href="{g["events_href"]}" class="num">{g["events"]}</a>' in html


def test_lists_incidents_filters_and_total(client):
    every = client.get("/api/incidents", params={"per_page": 200}).json()
    kind = every["incidents"][0]["type"]
    typed = client.get("/api/incidents", params={"type": kind, "per_page": 200}).json()
    assert typed["total"] == sum(1 for i in every["incidents"] if i["type"] == kind)
    place = next(i["place_id"] for i in every["incidents"] if i["place_id"])
    at = client.get("/api/incidents", params={"place": place}).json()
    assert at["total"] and all(i["place_id"] == place for i in at["incidents"])
    html = client.get("/incidents", params={"type": kind}).text
    assert f'{typed["total"]} incident' in html and f"of {typed['total']}" in html
    assert client.get("/api/incidents", params={"type": "picnic"}).status_code == 400


class _Text(HTMLParser):
    """The text a reader sees (no tags, no attribute values, no scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


CODES = sorted({t for t in EVENT_TYPES if "_" in t} | {k for k in ATTRIBUTION_KINDS if "_" in k}
               | {t for t in TOPICS if "_" in t})


@pytest.mark.parametrize("path", ["/reports", "/reports?q=Sinuiju", "/events", "/events?negated=show",
                                  "/incidents", "/goods", "/claims", "/claims?view=claims"])
def test_lists_pages_show_labels_not_codes(client, path):
    parser = _Text()
    parser.feed(client.get(path).text)
    text = " ".join(parser.parts)
    for code in CODES + ["True", "False", "None"]:
        assert not re.search(rf"\b{code}\b", text), f"{path} shows the code {code!r}"


def test_lists_filters_are_drop_downs_with_labels(client):
    html = client.get("/events", params={"type": "border_tightening", "source_kind": "named_person"}).text
    assert '<option value="border_tightening" selected>Border tightening</option>' in html
    assert '<option value="named_person" selected>Named person</option>' in html
    assert '<option value="" selected>Hide events that did not happen</option>' in html
    assert ">Also show events that did not happen</option>" in html
    assert '<select name="commodity"' in html and '<select name="place"' in html
    html = client.get("/reports", params={"topic": "human_rights", "language": "en"}).text
    assert '<option value="human_rights" selected>Human rights</option>' in html
    assert '<option value="en" selected>English</option>' in html
    html = client.get("/claims", params={"topic": "epidemic", "side": "sources"}).text
    assert '<option value="epidemic" selected>Epidemic situation</option>' in html
    assert '<option value="sources" selected>Sources and outlets</option>' in html


def test_lists_sortable_headers_say_how_they_sort(client):
    html = client.get("/incidents", params={"type": "trade", "sort": "events", "order": "asc"}).text
    th = re.search(r'<th scope="col"[^>]*aria-sort="ascending"[^>]*><a href="([^"]+)"', html)
    assert th and "sort=events" in th[1] and "order=desc" in th[1] and "type=trade" in th[1]
    assert html.count("aria-sort=") == 1


@pytest.mark.parametrize("path", ["/api/reports?since=2022-13", "/api/incidents?until=July",
                                  "/api/events?since=2023-02-30", "/events.csv?since=20222",
                                  "/reports.jsonl?until=2022-00"])
def test_lists_periods_use_the_one_date_rule(client, path):
    assert client.get(path).status_code == 400


def test_lists_kept_counts_follow_a_review(client):
    """The goods' counts and the claims' groups are kept between requests (store/memo.py);
    a review changes the store, and the next page counts again. (Last: it changes the store.)"""
    good = next(g for g in client.get("/api/goods", params={"sort": "events"}).json()["goods"])
    claims_before = client.get("/api/claims").json()["claims_total"]
    event = client.get(_api(good["events_href"])).json()["events"][0]
    h = {"X-CSRF-Token": sign_in(client)}
    assert client.post(f"/api/facts/events/{event['id']}/review", json={"action": "reject"},
                       headers=h).status_code == 200
    after = next(g for g in client.get("/api/goods", params={"q": good["id"]}).json()["goods"])
    assert after["events"] == good["events"] - 1 == client.get(_api(good["events_href"])).json()["total"]
    claims = client.get("/api/claims").json()
    assert claims["claims_total"] == client.get(_api(claims["claims_href"])).json()["total"]
    assert claims["claims_total"] <= claims_before


# a link to a list whose text opens with a number: <a class="num" href="/events?…">12 events</a>
NUMBER_LINK = re.compile(r'<a\b[^>]*\bhref="(/(?:events|reports|incidents|claims)(?:\?[^"]*)?)"[^>]*>'
                         r'\s*(\d+)\b[^<]*</a>')


@pytest.mark.parametrize("path", ["/?period=all", "/goods?seen=yes&per_page=200", "/claims?per_page=50",
                                  "/map", "/timeline", "/timeline?granularity=week",
                                  "/goods/commodity:rice", "/goods/commodity:coal",
                                  "/timeline?since=2024-05-13&until=2024-06-11"])
def test_lists_every_number_link_opens_that_many_rows(client, path):
    """Issue 8: a number on a page that links to a list opens a list of exactly that many
    rows (read from the pages themselves, so a new count is checked as soon as it links)."""
    html = client.get(path).text
    links = [(h.replace("&amp;", "&"), int(n)) for h, n in NUMBER_LINK.findall(html)]
    assert links, f"{path} links no number to a list"
    for href, n in links:
        data = client.get(_api(href)).json()
        assert data["list"]["total"] == n, f"{path}: {href} says {n}"
