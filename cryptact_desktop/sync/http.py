"""The one HTTP layer every connector uses: timeouts, retries with backoff, safe errors.

Retried: connection errors, timeouts, dropped connections, HTTP 5xx and (unless the caller handles
it itself) 429. Not retried: HTTP 403 (an exchange IP ban or a regional block — retrying makes a
ban longer) and other 4xx. Errors
become :class:`SyncFailure` built from status codes only: ``str()`` of a ``requests`` exception
contains the URL with its query string, so it never reaches a message or a log.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter

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


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """A session auth that adds nothing: it keeps requests from reading ~/.netrc."""
    return request


class HttpClient:
    """A pooled ``requests.Session`` shared by the streams of one key (thread-safe)."""

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
        self.timeout = (connect_timeout, read_timeout)
        self.retry = retry or RetryPolicy()
        self._session = requests.Session()
        self._session.trust_env = True  # honour the user's proxy settings
        # ...but never ~/.netrc: requests would look the file up before every request (two
        # stat calls each, a tenth of a sync's client time at 10x an exchange's limits) and send a
        # Basic-auth header it found there to an exchange that signs requests itself.
        self._session.auth = _no_auth
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.headers["User-Agent"] = f"cryptact-desktop/{__version__}"
        self._random = random.Random()  # noqa: S311 - backoff jitter, not cryptography
        self._lock = threading.Lock()
        self.retries = 0

    def close(self) -> None:
        self._session.close()

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
            try:
                response = self._session.request(
                    request.method,
                    request.url,
                    headers=dict(request.headers),
                    data=request.body or None,
                    timeout=self.timeout,
                )
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                last_kind, last_code = FailureKind.NETWORK, type(exc).__name__
                log.info("%s: %s on attempt %d", self.exchange, type(exc).__name__, attempt + 1)
            except requests.RequestException as exc:
                last_kind, last_code = FailureKind.NETWORK, type(exc).__name__
                log.warning("%s: request error %s", self.exchange, type(exc).__name__)
                break
            else:
                status = response.status_code
                if status in retry_statuses or (status >= 500 and 500 in retry_statuses):
                    last_kind, last_code = FailureKind.EXCHANGE_UNAVAILABLE, f"HTTP {status}"
                    log.info("%s: HTTP %d on attempt %d", self.exchange, status, attempt + 1)
                else:
                    return HttpResponse(status, dict(response.headers), response.content)
            if attempt + 1 < tries:
                self.retries += 1
                if on_retry is not None:
                    on_retry()
                interruptible_sleep(self._backoff(attempt), should_stop, exchange=self.exchange)
        raise SyncFailure(describe(last_kind, exchange=self.exchange, code=last_code))
