"""HTTP against a local test server: status codes, retries, timeouts, conditional requests,
and a feed whose items are teasers with their pages on the same server."""

import socket
import time

import pytest
from werkzeug import Request, Response

from borderwatch.ingest import ReadOptions, iter_inputs, read_input
from borderwatch.ingest.http import USER_AGENT, Fetcher, FetchError, MemoryFetchCache
from borderwatch.ingest.meta import Unchanged
from borderwatch.model import Failure, RawInput, Report

PARA = ("Customs officers in Hunchun turned back trucks loaded with frozen fish on Thursday, a "
        "trader in the city said, after inspectors found the cargo had come from Rason without "
        "the new health certificates that Chinese authorities began demanding this month.")


def fetcher(**kw):
    """A fetcher with short waits for tests."""
    kw.setdefault("timeout", 2.0)
    kw.setdefault("backoff", 0.01)
    kw.setdefault("allow_private", True)  # the test server is on loopback
    return Fetcher(MemoryFetchCache(), **kw)


def article(title: str) -> str:
    """An invented article page."""
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{PARA}</p><p>The trader said the trucks waited for two days.</p>"
            "</article></body></html>")


def test_get_200_sends_user_agent(httpserver):
    httpserver.expect_request("/a", headers={"User-Agent": USER_AGENT}).respond_with_data(
        "hello", content_type="text/plain")
    answer = fetcher().get(httpserver.url_for("/a"))
    assert (answer.status, answer.data, answer.not_modified) == (200, b"hello", False)
    assert answer.content_type.startswith("text/plain")


@pytest.mark.parametrize(("status", "reason"), [(404, "HTTP 404 NOT FOUND"), (403, "HTTP 403 FORBIDDEN")])
def test_get_error_status(httpserver, status, reason):
    httpserver.expect_request("/missing").respond_with_data("no", status=status)
    with pytest.raises(FetchError) as err:
        fetcher().get(httpserver.url_for("/missing"))
    assert str(err.value).upper() == reason


def test_get_retries_500_then_200(httpserver):
    httpserver.expect_ordered_request("/flaky").respond_with_data("down", status=500)
    httpserver.expect_ordered_request("/flaky").respond_with_data("up")
    assert fetcher(retries=2).get(httpserver.url_for("/flaky")).data == b"up"


def test_get_honours_retry_after(httpserver):
    httpserver.expect_ordered_request("/busy").respond_with_data(
        "wait", status=429, headers={"Retry-After": "1"})
    httpserver.expect_ordered_request("/busy").respond_with_data("ok")
    start = time.monotonic()
    assert fetcher(retries=1).get(httpserver.url_for("/busy")).data == b"ok"
    assert time.monotonic() - start >= 0.9


def test_get_gives_up_after_retries(httpserver):
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    with pytest.raises(FetchError, match="HTTP 503"):
        fetcher(retries=1).get(httpserver.url_for("/down"))


def test_get_timeout_on_slow_handler(httpserver):
    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchError, match=r"^timeout: no answer within 0.3s$"):
        fetcher(timeout=0.3, retries=0).get(httpserver.url_for("/slow"))


def test_get_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=r"^connection refused$"):
        fetcher(retries=0).get(f"http://127.0.0.1:{port}/")


def test_get_too_large(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(FetchError, match=r"too large \(5000 bytes > cap 1000\)"):
        fetcher(max_bytes=1000).get(httpserver.url_for("/big"))


def test_get_conditional_refetch_not_modified(httpserver):
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"' and request.headers.get(
                "If-Modified-Since") == "Tue, 05 Jul 2022 08:00:00 GMT":
            return Response(status=304)
        return Response("<p>body</p>", headers={"ETag": '"v1"',
                                                "Last-Modified": "Tue, 05 Jul 2022 08:00:00 GMT"})

    httpserver.expect_request("/page").respond_with_handler(handler)
    f = fetcher()
    url = httpserver.url_for("/page")
    assert f.get(url).data == b"<p>body</p>"
    second = f.get(url)
    assert (second.status, second.not_modified, second.data) == (304, True, None)
    assert f.get(url, conditional=False).data == b"<p>body</p>"


def test_iter_inputs_url_unchanged_and_failures(httpserver):
    httpserver.expect_request("/page").respond_with_handler(
        lambda r: Response(status=304) if r.headers.get("If-None-Match") else
        Response(article("Trucks turned back"), headers={"ETag": '"e"'}, content_type="text/html"))
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    f = fetcher(retries=0)
    urls = [httpserver.url_for("/page"), httpserver.url_for("/gone")]
    first, gone = iter_inputs(urls, ReadOptions(), f)
    assert isinstance(first, RawInput) and first.content_type.startswith("text/html")
    [report] = read_input(first, ReadOptions(), f)
    assert isinstance(report, Report) and report.body.startswith("Customs officers in Hunchun")
    assert gone == Failure(urls[1], "HTTP 404 NOT FOUND", "fetch")
    again, _ = iter_inputs(urls, ReadOptions(), f)
    assert again == Unchanged(urls[0], urls[0])


def test_feed_url_with_teaser_items_fetches_pages(httpserver):
    base = httpserver.url_for("")
    feed = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Border Monitor Test</title><link>{base}</link>
<item><title>Fish trucks turned back</title><link>{base}/news/1</link>
<pubDate>Thu, 14 Jul 2022 09:00:00 GMT</pubDate><category>trade</category>
<description>Customs officers turned back trucks…</description></item>
<item><title>Missing page</title><link>{base}/news/2</link>
<description>A teaser whose page is gone. Read more</description></item>
<item><title>Empty page</title><link>{base}/news/3</link><description>Teaser.</description></item>
</channel></rss>"""
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml")
    httpserver.expect_request("/news/1").respond_with_data(article("Page title"), content_type="text/html")
    httpserver.expect_request("/news/2").respond_with_data("gone", status=404)
    httpserver.expect_request("/news/3").respond_with_data("<html><body></body></html>",
                                                           content_type="text/html")
    f = fetcher(retries=0)
    [raw] = iter_inputs([httpserver.url_for("/feed.xml")], ReadOptions(), f)
    page, missing, empty = read_input(raw, ReadOptions(), f)
    assert page.body.startswith("Customs officers in Hunchun") and page.format == "rss"
    assert (page.title, page.published, page.tags) == ("Fish trucks turned back", "2022-07-14", ("trade",))
    assert page.url == f"{base}/news/1"
    # a page that cannot be had leaves the item's own text as the report (issue 9: whole feeds
    # were lost this way)
    assert isinstance(missing, Report) and missing.body == "A teaser whose page is gone. Read more"
    assert (missing.source, missing.title) == (f"{base}/news/2", "Missing page")
    assert isinstance(empty, Report) and empty.body == "Teaser."
    no_fetch = list(read_input(raw, ReadOptions(fetch_pages=False), f))
    assert no_fetch[0].body == "Customs officers turned back trucks…"


# --- issue 9: SSRF guard and the download deadline --------------------------------------------

@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8080/x", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/", "http://224.0.0.1/",
])
def test_private_and_local_addresses_are_refused_by_default(url):
    f = Fetcher(MemoryFetchCache(), timeout=1.0, retries=0)
    with pytest.raises(FetchError, match=r"refused: .* private or local address.*--allow-private-urls"):
        f.get(url)


def test_a_redirect_to_a_private_address_is_refused(httpserver, monkeypatch):
    from borderwatch.ingest import http as http_mod

    real = http_mod.refusal
    # the test server itself is on loopback: let it pass, and check the redirect's target
    monkeypatch.setattr(http_mod, "refusal", lambda u: None if u.startswith(httpserver.url_for("")) else real(u))
    httpserver.expect_request("/hop").respond_with_data("", status=302,
                                                       headers={"Location": "http://169.254.169.254/meta"})
    httpserver.expect_request("/ok").respond_with_data("", status=301, headers={"Location": "/final"})
    httpserver.expect_request("/final").respond_with_data("landed", content_type="text/plain")
    f = Fetcher(MemoryFetchCache(), timeout=1.0, retries=0)
    with pytest.raises(FetchError, match=r"refused: 169\.254\.169\.254"):
        f.get(httpserver.url_for("/hop"))
    answer = f.get(httpserver.url_for("/ok"))  # a public-to-public redirect is followed
    assert answer.data == b"landed" and answer.url.endswith("/final")


def test_a_dripping_body_is_cut_at_the_download_deadline(httpserver):
    def drip(request: Request) -> Response:  # one byte every 0.2 s, for 20 s
        def body():
            for _ in range(100):
                time.sleep(0.2)
                yield b"x"
        return Response(body(), content_type="text/html")

    httpserver.expect_request("/drip").respond_with_handler(drip)
    f = fetcher(timeout=1.0, retries=0)
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"timeout: body not received within 3s"):
        f.get(httpserver.url_for("/drip"))
    assert time.monotonic() - start < 10  # the 3 s deadline, not the 20 s the server wants


def test_ingest_refuses_a_loopback_url_unless_allowed(httpserver, tmp_path):
    from borderwatch.jobs import ingest
    from borderwatch.store import open_db

    httpserver.expect_request("/a").respond_with_data(article("Fish trucks"), content_type="text/html")
    conn = open_db(tmp_path / "s.db")
    failures = []
    s = ingest(conn, [httpserver.url_for("/a")], ReadOptions(), on_failure=failures.append)
    assert s.stored == 0 and "refused" in failures[0].reason
    s = ingest(conn, [httpserver.url_for("/a")], ReadOptions(allow_private_urls=True))
    assert s.stored == 1
