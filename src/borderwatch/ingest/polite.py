"""Politeness toward the sites borderwatch fetches from: robots.txt and a pause per host.

A feed of fifty items means fifty page requests to one newsroom's server in a few seconds;
news sites publish in robots.txt what crawlers may fetch and how fast. Before each request the
fetcher asks `Politeness.check(url)`: the host's robots.txt is read once per run (with the
stdlib's parser), a path it disallows for our user agent is refused with a one-line reason, and
a request to a host asked less than `host_delay` seconds ago (or the site's own Crawl-delay, up
to MAX_CRAWL_DELAY) waits for the rest.

robots.txt that cannot be had says nothing: missing (4xx) allows everything, 401/403 forbids
everything (the stdlib's rule), a server error or no answer allows (the page request that
follows reports its own failure).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

MAX_CRAWL_DELAY = 30.0  # seconds; a site asking for more is fetched this slowly, not slower
ROBOTS_MAX_BYTES = 500_000

# (status, body) of GET url, or None when there was no answer: given by the fetcher, so robots.txt
# is read with the same session, timeouts and address checks as every page
Getter = Callable[[str], "tuple[int, bytes] | None"]


class Politeness:
    """Robots rules and the time of the last request, per host, for one fetcher."""

    def __init__(self, user_agent: str, robots: bool = True, host_delay: float = 1.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if host_delay < 0:
            raise ValueError("host_delay must not be negative")
        self.user_agent = user_agent
        self.robots = robots
        self.host_delay = host_delay
        self._clock, self._sleep = clock, sleep
        self._rules: dict[str, RobotFileParser] = {}
        self._last: dict[str, float] = {}

    def check(self, url: str, get: Getter) -> str | None:
        """Wait as long as the host asks, then None; or the reason robots.txt refuses `url`."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}".lower()
        delay = self.host_delay
        if self.robots:
            rules = self._rules.get(host)
            if rules is None:
                rules = self._rules[host] = self._read(host, get)
            if not rules.can_fetch(self.user_agent, url):
                return f"refused by {host}/robots.txt (use --ignore-robots to fetch it)"
            asked = rules.crawl_delay(self.user_agent)
            if asked is not None:
                delay = max(delay, min(float(asked), MAX_CRAWL_DELAY))
        last = self._last.get(host)
        if last is not None:
            wait = last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[host] = self._clock()
        return None

    def _read(self, host: str, get: Getter) -> RobotFileParser:
        rules = RobotFileParser(f"{host}/robots.txt")
        answer = get(f"{host}/robots.txt")
        self._last[host] = self._clock()  # reading robots.txt was a request to the host too
        if answer is None or answer[0] >= 500 or (answer[0] >= 400 and answer[0] not in (401, 403)):
            rules.parse([])  # no rules: everything allowed
        elif answer[0] in (401, 403):
            rules.parse(["User-agent: *", "Disallow: /"])
        else:
            text = answer[1][:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
            rules.parse(text.splitlines())
        return rules
