"""The one HTTP layer every connector uses: timeouts, retries with backoff, safe errors.

Retried: connection errors, timeouts, dropped connections, HTTP 5xx and (unless the caller handles
it itself) 429. Not retried: HTTP 403 (an exchange IP ban or a regional block — retrying makes a
ban longer) and other 4xx. Errors become :class:`SyncFailure` built from exception types and
status codes only: the text of a transport exception contains the URL with its query string, so
it never reaches a message or a log.

Requests go through urllib3's connection pools directly (the library ``requests`` is built on):
a sync at ten times an exchange's limits spent more of its time in ``requests``' per-request
bookkeeping (environment, proxies, cookies, hooks) than in the connection itself. A direct
request goes to its origin's pool, found by the URL's prefix, not through urllib3's pool manager,
which parses every URL again to find the pool. What
``requests`` gave us is kept: certificates checked against certifi's bundle, the user's proxy
settings (read once per client; never for this computer's own addresses), gzip, keep-alive. A
redirect is not followed: an API does not redirect, and following one would send the signed
headers to another address.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import certifi
import urllib3
from urllib3.exceptions import (
    DecodeError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    SSLError,
)
from urllib3.exceptions import HTTPError as TransportError
from urllib3.exceptions import TimeoutError as TransportTimeout

from cryptact_desktop import __version__
from cryptact_desktop.errors import FailureKind, SyncFailure, describe
from cryptact_desktop.sync.ratelimit import interruptible_sleep

log = logging.getLogger(__name__)

ShouldStop = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    round_trip_s: float = 0.0  # from sending the request to the whole answer read


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """One attempt of a request: method, the exact URL (with its signed query string), headers
    and body (bytes or text, sent as is)."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | str = b""


# 500 stands for every 5xx status.
RETRY_STATUSES = frozenset({429, 500})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5  # total tries per request
    backoff_seconds: float = 0.5  # first wait; doubles each retry, with jitter
    max_backoff_seconds: float = 8.0


def _is_this_computer(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# What the connection may fail with before an answer: retried (a dropped or refused connection,
# a timeout, a proxy or TLS handshake that failed, an answer cut short).
_RETRIED_ERRORS = (NewConnectionError, ProtocolError, ProxyError, SSLError, TransportTimeout)


class HttpClient:
    """Pooled connections shared by the streams of one key (thread-safe)."""

    def __init__(
        self,
        *,
        exchange: str,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        pool_size: int = 64,
    ) -> None:
        self.exchange = exchange
        self.timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self.retry = retry or RetryPolicy()
        self._pool_size = pool_size
        self._headers = {
            "User-Agent": f"cryptact-desktop/{__version__}",
            "Accept": "*/*",
            "Accept-Encoding": "gzip, deflate",
        }
        # The direct route's pool per origin ("https://host:port"), asked for by the URL's prefix:
        # a pool manager parses and normalises every URL to find its pool (a fifth of the CPU of
        # a request for a 24 kB answer).
        self._origins: dict[str, urllib3.HTTPConnectionPool] = {}
        # The user's proxy settings (environment, or the system's on macOS and Windows), as
        # requests honoured them; read once, the pools for a proxy made when first needed.
        self._proxies = {scheme: url for scheme, url in urllib.request.getproxies().items() if url}
        self._routes: dict[tuple[str, str], urllib3.ProxyManager | None] = {}  # None: direct
        self._routes_lock = threading.Lock()
        self._random = random.Random()  # noqa: S311 - backoff jitter, not cryptography
        self._lock = threading.Lock()
        self.retries = 0

    def _pool_options(self, *, tls: bool) -> dict[str, Any]:
        """Every pool's options: no retries inside urllib3 (``send`` retries), and for https
        certificates checked against certifi's roots."""
        options: dict[str, Any] = {"maxsize": self._pool_size, "block": False, "retries": False}
        if tls:
            options.update(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
        return options

    def _proxy_pools(self, proxy: str) -> urllib3.ProxyManager:
        # A user name and password in the proxy's address go as the proxy's Basic auth (as
        # requests sent them), never to the exchange.
        auth = urllib3.util.parse_url(proxy).auth
        headers = urllib3.make_headers(proxy_basic_auth=unquote(auth)) if auth else None
        return urllib3.ProxyManager(
            proxy, proxy_headers=headers, num_pools=16, **self._pool_options(tls=True)
        )

    def _route(self, url: str) -> urllib3.ProxyManager | None:
        """The pools of the user's proxy for ``url``'s scheme and host, or None: direct."""
        if not self._proxies:
            return None
        parsed = urllib3.util.parse_url(url)
        scheme, host = parsed.scheme or "http", parsed.host or ""
        with self._routes_lock:
            if (scheme, host) in self._routes:
                return self._routes[(scheme, host)]
            route: urllib3.ProxyManager | None = None
            proxy = self._proxies.get(scheme) or self._proxies.get("all")
            if proxy is not None and "://" not in proxy:
                proxy = f"http://{proxy}"  # "host:port", as requests read it
            if proxy is not None and not proxy.startswith(("http://", "https://")):
                log.warning(
                    "%s: a %s proxy is not supported; connecting directly",
                    self.exchange,
                    proxy.split(":")[0],
                )
                proxy = None
            if proxy is not None and not _is_this_computer(host) and not urllib.request.proxy_bypass(host):
                route = self._proxy_pools(proxy)
            self._routes[(scheme, host)] = route
            return route

    def _direct_pool(self, url: str) -> tuple[urllib3.HTTPConnectionPool, str]:
        """The pool of ``url``'s origin (direct route) and the request target: path and query."""
        path_at = url.find("/", url.find("//") + 2)
        origin, target = (url, "/") if path_at < 0 else (url[:path_at], url[path_at:])
        pool = self._origins.get(origin)
        if pool is None:
            with self._routes_lock:
                pool = self._origins.get(origin)
                if pool is None:
                    pool = self._origins[origin] = urllib3.connection_from_url(
                        origin, **self._pool_options(tls=origin.lower().startswith("https:"))
                    )
        return pool, target

    def close(self) -> None:
        with self._routes_lock:
            for pool in self._origins.values():
                pool.close()
            self._origins.clear()
            for route in self._routes.values():
                if route is not None:
                    route.clear()

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt + 1`` (doubling, with jitter)."""
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        base = min(self.retry.max_backoff_seconds, self.retry.backoff_seconds * (2**attempt))
        with self._lock:
            return float(base * (0.5 + self._random.random() / 2))

    def get(
        self,
        url: str,
        headers: Mapping[str, str],
        should_stop: ShouldStop,
        *,
        on_retry: Callable[[], None] | None = None,
        prepare: Callable[[], Mapping[str, str]] | None = None,
    ) -> HttpResponse:
        """GET ``url`` (already containing the exact, signed query string).

        ``prepare`` (when given) is called before every attempt to produce fresh headers, so a
        signed timestamp is never stale on a retry.
        """

        def prepared() -> PreparedRequest:
            return PreparedRequest("GET", url, prepare() if prepare is not None else headers)

        return self.send(prepared, should_stop, on_retry=on_retry)

    def send(
        self,
        prepare: Callable[[], PreparedRequest],
        should_stop: ShouldStop,
        *,
        on_retry: Callable[[], None] | None = None,
        retry_statuses: frozenset[int] = RETRY_STATUSES,
        attempts: int | None = None,
    ) -> HttpResponse:
        """Send the request ``prepare()`` builds, calling it again before every attempt (so a
        signature, timestamp or nonce is fresh on each retry).

        Connection errors, timeouts and the statuses in ``retry_statuses`` (5xx and 429 by
        default) are retried with backoff; every other answer is returned as it came. ``attempts``
        1 sends once (a caller with its own retry loop).
        """
        last_kind = FailureKind.NETWORK
        last_code = ""
        tries = self.retry.attempts if attempts is None else max(1, attempts)
        for attempt in range(tries):
            if should_stop():
                raise SyncFailure(describe(FailureKind.CANCELLED, exchange=self.exchange))
            request = prepare()
            body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
            sent_at = time.monotonic()
            try:
                sent_headers = {**self._headers, **request.headers}
                route = self._route(request.url)
                if route is None:
                    pool, target = self._direct_pool(request.url)
                    response = pool.urlopen(
                        request.method,
                        target,
                        body=body or None,
                        headers=sent_headers,
                        timeout=self.timeout,
                        retries=False,
                        redirect=False,
                        assert_same_host=False,
                    )
                else:
                    response = route.request(
                        request.method,
                        request.url,
                        body=body or None,
                        headers=sent_headers,
                        timeout=self.timeout,
                        retries=False,
                        redirect=False,
                    )
            except _RETRIED_ERRORS as exc:
                last_kind, last_code = FailureKind.NETWORK, type(exc).__name__
                log.info("%s: %s on attempt %d", self.exchange, type(exc).__name__, attempt + 1)
            except (TransportError, DecodeError, ValueError) as exc:  # ValueError: a URL it cannot parse
                last_kind, last_code = FailureKind.NETWORK, type(exc).__name__
                log.warning("%s: request error %s", self.exchange, type(exc).__name__)
                break
            else:
                status = response.status
                if status in retry_statuses or (status >= 500 and 500 in retry_statuses):
                    last_kind, last_code = FailureKind.EXCHANGE_UNAVAILABLE, f"HTTP {status}"
                    log.info("%s: HTTP %d on attempt %d", self.exchange, status, attempt + 1)
                else:
                    headers = dict(response.headers.items())
                    return HttpResponse(status, headers, response.data, time.monotonic() - sent_at)
            if attempt + 1 < tries:
                self.retries += 1
                if on_retry is not None:
                    on_retry()
                interruptible_sleep(self._backoff(attempt), should_stop, exchange=self.exchange)
        raise SyncFailure(describe(last_kind, exchange=self.exchange, code=last_code))
