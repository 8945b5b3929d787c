"""Politeness when fetching (issue 10): each site's robots.txt is read once and obeyed, requests
to one host are spaced by the host delay or the site's Crawl-delay, and robots.txt that cannot be
had says nothing (401/403 forbid, as the stdlib reads them)."""

from __future__ import annotations

import pytest

from borderwatch.ingest.http import USER_AGENT, Fetcher, FetchError, MemoryFetchCache, fetcher_for
from borderwatch.ingest.meta import ReadOptions
from borderwatch.ingest.polite import MAX_CRAWL_DELAY, Politeness

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
# a group for our user agent replaces the general one (the standard's rule)
OURS = b"User-agent: borderwatch\nDisallow: /members/\n\nUser-agent: *\nDisallow: /\n"


class Clock:
    """A clock that only moves when the code under test sleeps (or the test says)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.slept.append(round(s, 6))
        self.now += s


def polite(robots=True, delay=1.0, clock=None):
    clock = clock or Clock()
    return Politeness(USER_AGENT, robots=robots, host_delay=delay, clock=clock, sleep=clock.sleep), clock


def getter(answers: dict[str, tuple[int, bytes] | None]):
    asked: list[str] = []

    def get(url: str):
        asked.append(url)
        return answers.get(url, (404, b""))
    get.asked = asked
    return get


def test_robots_rules_are_read_once_per_host_and_obeyed():
    p, _ = polite(delay=0)
    get = getter({"https://a.example/robots.txt": (200, ROBOTS)})
    assert p.check("https://a.example/news/1", get) is None
    assert "robots.txt" in p.check("https://a.example/private/x", get)
    assert p.check("https://a.example/news/2", get) is None
    assert get.asked == ["https://a.example/robots.txt"]
    assert p.check("https://b.example/private/x", get) is None  # another site, no rules
    assert get.asked[-1] == "https://b.example/robots.txt"


def test_a_group_for_our_user_agent_is_the_one_obeyed():
    p, _ = polite(delay=0)
    get = getter({"https://a.example/robots.txt": (200, OURS)})
    assert p.check("https://a.example/news/1", get) is None
    assert "robots.txt" in p.check("https://a.example/members/list", get)


@pytest.mark.parametrize("answer, allowed", [((404, b""), True), ((410, b""), True), (None, True),
                                             ((503, b""), True), ((401, b""), False),
                                             ((403, b""), False)])
def test_robots_that_cannot_be_had(answer, allowed):
    p, _ = polite(delay=0)
    get = getter({"https://a.example/robots.txt": answer})
    assert (p.check("https://a.example/news/1", get) is None) is allowed


def test_requests_to_one_host_are_spaced_and_other_hosts_are_not_held_up():
    p, clock = polite(delay=2.0)
    get = getter({})
    p.check("https://a.example/1", get)  # robots.txt was the first request: wait after it
    assert clock.slept == [2.0]
    clock.now += 0.5
    p.check("https://a.example/2", get)
    assert clock.slept == [2.0, 1.5]
    p.check("https://b.example/1", get)  # its own robots.txt, then its own wait
    assert clock.slept == [2.0, 1.5, 2.0]
    clock.now += 10
    p.check("https://a.example/3", get)  # long enough ago: no wait
    assert len(clock.slept) == 3


def test_a_crawl_delay_is_honoured_up_to_its_cap():
    p, clock = polite(delay=1.0)
    get = getter({"https://a.example/robots.txt": (200, b"User-agent: *\nCrawl-delay: 5\n"),
                  "https://b.example/robots.txt": (200, b"User-agent: *\nCrawl-delay: 3600\n")})
    p.check("https://a.example/1", get)
    p.check("https://b.example/1", get)
    assert clock.slept == [5.0, MAX_CRAWL_DELAY]


def test_no_robots_and_no_delay_when_turned_off():
    p, clock = polite(robots=False, delay=0)
    get = getter({"https://a.example/robots.txt": (200, b"User-agent: *\nDisallow: /\n")})
    assert p.check("https://a.example/x", get) is None and p.check("https://a.example/y", get) is None
    assert get.asked == [] and clock.slept == []
    with pytest.raises(ValueError):
        Politeness(USER_AGENT, host_delay=-1)


def test_the_fetcher_obeys_a_real_servers_robots_txt(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS.decode(), content_type="text/plain")
    httpserver.expect_request("/news/1").respond_with_data("one", content_type="text/plain")
    f = Fetcher(MemoryFetchCache(), timeout=2.0, backoff=0.01, allow_private=True,
                polite=Politeness(USER_AGENT, host_delay=0))
    assert f.get(httpserver.url_for("/news/1")).data == b"one"
    with pytest.raises(FetchError, match=r"refused by http://.*/robots\.txt"):
        f.get(httpserver.url_for("/private/page"))
    paths = [req.path for req, _ in httpserver.log]
    assert paths.count("/robots.txt") == 1 and "/private/page" not in paths


def test_the_options_turn_politeness_on_by_default():
    assert fetcher_for(MemoryFetchCache(), ReadOptions()).polite.robots
    assert fetcher_for(MemoryFetchCache(), ReadOptions()).polite.host_delay == 1.0
    assert fetcher_for(MemoryFetchCache(), ReadOptions(robots=False, host_delay=0)).polite is None
    with pytest.raises(ValueError):
        ReadOptions(host_delay=-0.5)
