"""Price and exchange-rate charts (issue 8): a good's prices over time and the won's market rate,
each dot a row of the table beside it and of the JSON twin; a price is its own good's, dated when
seen, in local currency and US$ with cents; an exchange rate is never a price."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from borderwatch.serve.app import create_app
from borderwatch.serve.charts import Series, SeriesPoint, day_position, series_svg
from borderwatch.values.usd import currency_codes

from .briefstore import build_brief_store

GOODS = ["commodity:rice", "commodity:corn", "commodity:flour", "commodity:gasoline"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = build_brief_store(tmp_path_factory.mktemp("prices"))
    with TestClient(create_app(str(db), secret="test")) as c:
        yield c


def dots(html: str) -> int:
    return len(re.findall(r'<circle class="pt"', html))


@pytest.mark.parametrize("good", GOODS)
def test_price_chart_dots_are_the_table_rows_and_the_api_rows(client, good):
    api = client.get(f"/api/goods/{good}").json()["prices"]
    html = client.get(f"/goods/{good}").text
    assert len(api) > 0
    assert dots(html) == html.count('class="price-row"') == len(api)
    for p in api:
        assert good in p["good_ids"] and p["per"] not in currency_codes()
        assert re.fullmatch(r"/reports/[0-9a-f]+#event-\d+", p["href"]) and f'href="{p["href"]}"' in html
        assert p["currency"] and p["value"] is not None
    assert [p["day"] for p in api] == sorted((p["day"] for p in api), key=day_position)


def test_price_rows_show_local_currency_and_dollars_with_cents(client):
    api = client.get("/api/goods/commodity:rice").json()["prices"]
    html = client.get("/goods/commodity:rice").text
    small = [p for p in api if p["usd"] is not None and p["usd"] < 100]
    assert small, "won prices of rice are a few cents"
    for p in small:
        assert f"US$ {p['usd']:,.2f}" in html
    kpw = next(p for p in api if p["currency"] == "KPW")
    assert f"KPW {kpw['min']:,.0f}" in html


def test_each_price_is_its_own_goods(client):
    """'rice sold for KPW 5,600 … and corn sold for KPW 3,100': not both prices for both."""
    invented = "Invented test report: market prices"
    rice = [p for p in client.get("/api/goods/commodity:rice").json()["prices"] if p["title"] == invented]
    corn = [p for p in client.get("/api/goods/commodity:corn").json()["prices"] if p["title"] == invented]
    assert [p["text"] for p in rice] == ["KPW 5,600"]
    assert [p["text"] for p in corn] == ["KPW 3,100"]
    assert rice[0]["per"] == "kilogram" and rice[0]["day"] <= "2024-06-05"


def test_exchange_rates_are_never_prices(client):
    b = client.get("/api/brief?since=2024-05&until=2024-06").json()
    assert b["rates"] and all(m["rate"] and m["per"] in currency_codes() for m in b["rates"])
    assert all(not m["rate"] for m in b["prices"])
    texts = {m["text"] for m in b["rates"]}
    assert {"1,370 won", "1,350 won"} <= texts  # the second tells no "per CNY" but is a rate
    assert not texts & {m["text"] for m in b["prices"]}


def test_rate_chart_dots_are_the_table_rows_and_the_api_rows(client):
    api = client.get("/api/rates").json()
    html = client.get("/rates").text
    n = len(api["reported"]) + len(api["reference"])
    assert len(api["reported"]) >= 5 and len(api["reference"]) >= 40
    assert dots(html) == html.count('class="rate-row') == n
    for r in api["reported"]:
        assert r["currency"] == "KPW" and r["per"] in ("USD", "CNY") and r["href"] in html
        assert r["value"] > 100  # won per dollar or yuan, never a few cents
    assert {(r["value"], r["per"]) for r in api["reported"]} >= {(1370.0, "CNY"), (1350.0, "CNY")}
    usd = [r for r in api["reference"] if r["per"] == "USD"]
    assert usd and all(3000 < r["value"] < 50000 for r in usd)
    assert 'id="rates-chart-usd"' in html and 'id="rates-chart-cny"' in html


def test_rates_follow_the_period_and_refuse_bad_bounds(client):
    api = client.get("/api/rates", params={"since": "2024", "until": "2024-06"}).json()
    days = [r["day"] for r in api["reported"] + api["reference"]]
    assert days and all(d >= "2024" and d[:7] <= "2024-06" for d in days)
    html = client.get("/rates?since=2024&until=2024-06").text
    assert dots(html) == len(days)
    assert client.get("/api/rates?since=2024-13").status_code == 400
    assert client.get("/rates?until=June").status_code == 400


def test_brief_links_its_rates_to_the_rate_chart(client):
    b = client.get("/api/brief?since=2024-05&until=2024-06").json()
    assert b["rates_href"] == "/rates?since=2024-05&until=2024-06"
    html = client.get("/?since=2024-05&until=2024-06").text
    assert 'href="/rates?since=2024-05&amp;until=2024-06" id="brief-rates-chart"' in html


def test_series_svg_draws_a_titled_dot_per_point_with_its_link():
    pts = (SeriesPoint("2024-02-21", 5600, "rice 5,600", "/reports/ab#event-1"),
           SeriesPoint("2020-09", 5200, "rice 5,200", "/reports/cd#event-2", 5000, 5400),
           SeriesPoint("2021", 4100, "<b>odd</b>"))
    svg = series_svg([Series("KPW per kilogram", pts)], "Prices of rice", "KPW")
    assert svg.count('<circle class="pt"') == 3 and "<b>" not in svg
    assert '<a href="/reports/ab#event-1">' in svg and "<title>Prices of rice</title>" in svg
    assert "KPW per kilogram" in svg and "<desc>" in svg
    assert "no values in this period" in series_svg([], "Prices", "KPW")


@pytest.mark.parametrize("day,pos", [("2024-02-21", date(2024, 2, 21)), ("2020-09", date(2020, 9, 15)),
                                     ("2021", date(2021, 7, 1))])
def test_day_position_puts_coarse_dates_in_their_middle(day, pos):
    assert day_position(day) == pos


def test_a_capped_price_chart_keeps_the_newest_prices_oldest_first(client, monkeypatch):
    from borderwatch.store import prices

    every = client.get("/api/goods/commodity:rice").json()["prices"]
    events = list(dict.fromkeys(p["event_id"] for p in every))
    assert len(events) >= 3
    monkeypatch.setattr(prices, "EVENT_CAP", 2)
    capped = client.get("/api/goods/commodity:rice").json()["prices"]
    kept = {p["event_id"] for p in capped}
    newest = sorted(every, key=lambda p: (day_position(p["day"]), p["event_id"]))[-1]["event_id"]
    assert kept <= set(events) and len(kept) <= 2 and newest in kept
    assert [day_position(p["day"]) for p in capped] == sorted(day_position(p["day"]) for p in capped)


def test_rates_are_never_capped(client, monkeypatch):
    from borderwatch.store import prices

    every = client.get("/api/rates").json()["reported"]
    monkeypatch.setattr(prices, "EVENT_CAP", 1)
    assert client.get("/api/rates").json()["reported"] == every


def test_a_long_period_of_rates_goes_month_by_month_each_count_opening_that_many(client, monkeypatch):
    from borderwatch.serve import prices as views

    listed = client.get("/api/rates").json()
    assert not listed["by_month"] and listed["total_reported"] == len(listed["reported"])
    monkeypatch.setattr(views, "RATE_LIST_MAX", 2)
    api = client.get("/api/rates").json()
    html = client.get("/rates").text
    assert api["by_month"] and len({m["month"] for m in api["months"]}) > 1
    assert api["by"] is None and '<option value="month" selected>' not in html  # not asked
    assert api["total_reported"] == sum(m["n"] for m in api["months"]) + len(api["reported"])
    assert api["total_reported"] == len(listed["reported"])
    assert all(len(r["day"]) == 4 for r in api["reported"])  # only year-dated rates stay rows
    assert dots(html) == html.count('class="rate-row') == (
        len(api["months"]) + len(api["reported"]) + len(api["reference"]))
    assert 'id="rates-by-month"' in html
    for m in api["months"]:
        assert m["min"] <= m["median"] <= m["max"]
        assert f'href="{m["href"].replace("&", "&amp;")}" class="month-count">{m["n"]:,} rate' in html
        month = client.get("/api" + m["href"]).json()
        assert not month["by_month"] and len(month["reported"]) == m["n"]
        assert all(r["day"][:7] == m["month"] and r["per"] == m["per"] for r in month["reported"])
        values = sorted(r["value"] for r in month["reported"])
        assert (values[0], values[-1]) == (m["min"], m["max"])
        page = client.get(m["href"]).text
        assert page.count('class="rate-row reported"') == m["n"]


def test_rates_of_one_pair(client):
    both = client.get("/api/rates").json()
    for pair in ("USD", "CNY"):
        one = client.get("/api/rates", params={"pair": pair}).json()
        assert one["pairs"] == [pair]
        assert one["reported"] == [r for r in both["reported"] if r["per"] == pair]
        assert one["reference"] and all(r["per"] == pair for r in one["reference"])
        html = client.get(f"/rates?pair={pair}").text
        assert f'<option value="{pair}" selected>' in html
        assert f'id="rates-chart-{pair.lower()}"' in html
    assert client.get("/api/rates?pair=EUR").status_code == 400
    assert client.get("/rates?pair=KPW").status_code == 400


def test_month_by_month_on_request(client):
    each = client.get("/api/rates").json()
    months = client.get("/api/rates?by=month").json()
    assert not each["by_month"] and months["by_month"] and months["by"] == "month"
    assert sum(m["n"] for m in months["months"]) + len(months["reported"]) == len(each["reported"])
    html = client.get("/rates?by=month&pair=CNY").text
    assert '<option value="month" selected>' in html and 'id="rates-by-month"' in html
    one = client.get("/api/rates?by=month&since=2024-05&until=2024-05").json()
    assert not one["by_month"]  # a single month is listed rate by rate
    assert client.get("/api/rates?by=week").status_code == 400
