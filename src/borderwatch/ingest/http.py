"""HTTP fetching: timeouts, retries with back-off, conditional requests, a size cap.

A re-run asks each URL "changed since?" with the ETag and Last-Modified it stored last time;
a 304 answer is `not_modified`, which the caller counts as unchanged, not as a failure. Every
failure is a FetchError whose message is the one-line reason an analyst reads.

Links come from feeds and pages nobody here controls, so by default nothing is fetched from a
loopback, private, link-local (cloud metadata at 169.254.169.254), multicast or reserved
address: each host is resolved and checked before every request, redirects included (they are
followed one at a time for that). `allow_private=True` (`--allow-private-urls`) opts in. A
download has one deadline for the whole answer, body included: bytes are read as they arrive,
so a server dripping a byte a second cannot hold a run past it. With `polite` (ingest and
extract from the command line), each site's robots.txt is obeyed and requests to one host are
spaced (ingest/polite.py).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions as u3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from borderwatch.ingest.polite import Politeness

if TYPE_CHECKING:
    from borderwatch.ingest.meta import ReadOptions

USER_AGENT = "borderwatch/0.1 (+research; open-source border monitor)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0  # seconds; a server asking for longer is treated as down for this run
MAX_REDIRECTS = 10
_CHUNK = 65536


def refusal(url: str) -> str | None:
    """Why `url` must not be fetched without --allow-private-urls (None when it may): its host
    resolves to an address that is not on the public internet."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if parts.scheme not in ("http", "https") or not host:
        return f"invalid URL: {url}"
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return None  # the request itself reports "host not found"
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            return (f"refused: {host} is a private or local address ({ip}); "
                    "use --allow-private-urls to fetch it")
    return None


class FetchError(Exception):
    """A URL could not be fetched; str(error) is the reason."""


class FetchCache(Protocol):
    """Where validators (ETag, Last-Modified) of fetched URLs are kept between runs."""

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None: ...

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None: ...


class MemoryFetchCache:
    """Validators kept in memory: for tests and for runs without a store."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[str | None, str | None]] = {}

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The (etag, last_modified) stored for `url`, if any."""
        return self._data.get(url)

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators a 200 answer carried."""
        self._data[url] = (etag, last_modified)


@dataclass(frozen=True)
class FetchResult:
    """One answer: the body (None when not modified) and its content type."""

    url: str
    status: int
    data: bytes | None
    content_type: str | None
    not_modified: bool


class _Retry(Retry):
    """urllib3 Retry that honours Retry-After but never waits longer than MAX_RETRY_AFTER."""

    def get_retry_after(self, response):
        """The server's Retry-After, capped."""
        value = super().get_retry_after(response)
        return None if value is None else min(value, MAX_RETRY_AFTER)


class Fetcher:
    """GETs URLs with one pooled session, retrying transient failures with back-off."""

    def __init__(self, cache: FetchCache, timeout: float = 20.0, retries: int = 3,
                 backoff: float = 0.5, user_agent: str = USER_AGENT,
                 max_bytes: int = 20_000_000, allow_private: bool = False,
                 polite: Politeness | None = None) -> None:
        self.cache = cache
        self.polite = polite  # robots.txt and a pause per host (ingest/polite.py); None: neither
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        retry = _Retry(total=retries, connect=retries, read=retries, status=retries,
                       backoff_factor=backoff, status_forcelist=RETRY_STATUSES,
                       allowed_methods=frozenset({"GET", "HEAD"}),
                       respect_retry_after_header=True, raise_on_status=False)
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = user_agent

    def get(self, url: str, conditional: bool = True) -> FetchResult:
        """Fetch `url`; raise FetchError with a clear reason on any failure."""
        headers = {}
        validators = self.cache.get_validators(url) if conditional else None
        if validators:
            etag, modified = validators
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        deadline = time.monotonic() + 3 * self.timeout
        target = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                why = None if self.allow_private else refusal(target)
                if why is None and self.polite is not None:
                    why = self.polite.check(target, self._robots_txt)
                if why:
                    raise FetchError(why)
                with self.session.get(target, headers=headers, stream=True, allow_redirects=False,
                                      timeout=(self.timeout, self.timeout)) as resp:
                    if resp.is_redirect and resp.headers.get("Location"):
                        target = urljoin(target, resp.headers["Location"])
                        continue
                    return self._answer(url, resp, deadline)
            raise FetchError("too many redirects")
        except requests.RequestException as exc:
            raise FetchError(self._reason(exc)) from None

    def _robots_txt(self, url: str) -> tuple[int, bytes] | None:
        """(status, body) of a site's robots.txt, one attempt, redirects followed only to
        addresses that may be fetched; None when there is no answer."""
        try:
            for _ in range(MAX_REDIRECTS + 1):
                if not self.allow_private and refusal(url):
                    return None
                with self.session.get(url, stream=True, allow_redirects=False,
                                      timeout=(self.timeout, self.timeout)) as resp:
                    if resp.is_redirect and resp.headers.get("Location"):
                        url = urljoin(url, resp.headers["Location"])
                        continue
                    if resp.status_code != 200:
                        return resp.status_code, b""
                    return 200, self._body(resp, time.monotonic() + 3 * self.timeout)
        except (requests.RequestException, FetchError):
            return None
        return None

    def _answer(self, url: str, resp: requests.Response, deadline: float) -> FetchResult:
        """Turn a response into a FetchResult, reading at most max_bytes of body."""
        ctype = resp.headers.get("Content-Type")
        if resp.status_code == 304:
            return FetchResult(resp.url or url, 304, None, ctype, True)
        if resp.status_code >= 400:
            raise FetchError(f"HTTP {resp.status_code} {resp.reason or ''}".strip())
        length = resp.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"too large ({int(length)} bytes > cap {self.max_bytes})")
        data = self._body(resp, deadline)
        if resp.status_code == 200:
            self.cache.put_validators(url, resp.headers.get("ETag"),
                                      resp.headers.get("Last-Modified"))
        return FetchResult(resp.url or url, resp.status_code, data, ctype, False)

    def _body(self, resp: requests.Response, deadline: float) -> bytes:
        """The body, streamed; stops past max_bytes and past the download's deadline. read1
        returns what has arrived (up to a chunk), so the deadline is checked as bytes trickle
        in; iter_content would block until a whole chunk or the end."""
        chunks: list[bytes] = []
        size = 0
        raw = resp.raw
        while True:
            try:
                chunk = raw.read1(_CHUNK, decode_content=True)
            except (u3.ProtocolError, u3.DecodeError, u3.ReadTimeoutError, OSError) as exc:
                raise requests.ConnectionError(exc) from exc
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"too large (more than {self.max_bytes} bytes)")
            if time.monotonic() > deadline:
                raise FetchError(f"timeout: body not received within {3 * self.timeout:g}s")
            chunks.append(chunk)
        return b"".join(chunks)

    def _reason(self, exc: BaseException) -> str:
        """A short reason for a requests/urllib3 failure, read from the exception chain."""
        seen: list[BaseException] = []
        node: BaseException | None = exc
        while node is not None and node not in seen:
            seen.append(node)
            node = getattr(node, "reason", None) if isinstance(node, u3.MaxRetryError) else (
                node.args[0] if node.args and isinstance(node.args[0], BaseException)
                else node.__cause__ or node.__context__)
        text = " ".join(str(e) for e in seen).lower()
        kinds = {type(e) for e in seen}
        if "refused" in text:
            return "connection refused"
        # NewConnectionError subclasses ConnectTimeoutError: look for these causes first
        if any(issubclass(k, u3.NameResolutionError) for k in kinds) or "name or service" in text:
            return "host not found"
        if any(issubclass(k, (u3.ConnectTimeoutError, requests.ConnectTimeout)) for k in kinds):
            return f"timeout: no connection within {self.timeout:g}s"
        if any(issubclass(k, (u3.ReadTimeoutError, requests.ReadTimeout, TimeoutError))
               for k in kinds) or "timed out" in text:
            return f"timeout: no answer within {self.timeout:g}s"
        if any(issubclass(k, (u3.SSLError, requests.exceptions.SSLError)) for k in kinds):
            return "TLS error"
        if isinstance(exc, requests.TooManyRedirects):
            return "too many redirects"
        if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                            requests.exceptions.InvalidSchema)):
            return f"invalid URL: {exc}"
        return f"connection failed: {type(seen[-1]).__name__}"


def fetcher_for(cache: FetchCache, options: ReadOptions) -> Fetcher:
    """The fetcher a run's options ask for: size cap, address checks, robots.txt, host delay."""
    polite = Politeness(USER_AGENT, options.robots, options.host_delay) \
        if options.robots or options.host_delay else None
    return Fetcher(cache, max_bytes=options.max_bytes, allow_private=options.allow_private_urls,
                   polite=polite)
