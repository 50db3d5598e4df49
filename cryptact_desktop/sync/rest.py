"""What every REST venue's connector shares; a venue subclass says only what differs.

:class:`RestConnector` owns the request loop: rate limits (per stream limit and the venue's per-IP
limit shared by every key on this computer, with request costs), signing before *every* attempt
(a retry never reuses a stale timestamp or nonce), the venue's envelope, waits on rate-limit
answers, clock re-measurement, retries of network errors, server errors and malformed bodies (one
retry loop, one set of counters per stream), and a latch that stops every further request with a
key the venue has refused outright (a bad key, an IP ban). A venue implements:

* :meth:`sign` — the headers (and URL or body) of one signed attempt;
* :meth:`unwrap` — the venue's envelope: the result, or raise :class:`RateLimited`,
  :class:`ClockSkew`, :class:`Transient`, :class:`BadBody` or a ``SyncFailure`` (through its error
  table);
* :meth:`request_for` and :meth:`parse_page` — which request serves a stream's page and how its
  records are read;
* optionally :meth:`server_time_ms` (clock offset), :meth:`observe` (rate-limit headers),
  :meth:`discover_streams` and :meth:`verify_key`.

Nothing here knows a venue; messages come from :func:`cryptact_desktop.errors.describe`.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cryptact_desktop.api_urls import is_safe_to_sign
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import KEY_FATAL_KINDS, FailureKind, SyncFailure, describe
from cryptact_desktop.records import NormalizedRecord, Parsed
from cryptact_desktop.sync.connector import KeyVerification, Page, RequestStats, ShouldStop, TimeWindow
from cryptact_desktop.sync.http import HttpClient, HttpResponse, PreparedRequest
from cryptact_desktop.sync.ratelimit import (
    Limiter,
    LimiterRegistry,
    ReservedFirst,
    RollingWindowLimiter,
    interruptible_sleep,
    shared_limiter,
)
from cryptact_desktop.venues.base import EndpointInfo, RateLimit, StreamInfo, VenueInfo

log = logging.getLogger(__name__)

IP_LIMIT_SHARE = 0.9  # stay this far under a per-IP limit ("do not run near the edge")


@dataclass(frozen=True, slots=True)
class Request:
    """One logical API call (sent once or more).

    ``limiter``/``rate_limit``: the bucket it counts against (default: its path, with the venue's
    documented limit); ``cost``: its weight there. ``stream_id`` names the counters it adds to;
    ``context`` is anything the venue's error table wants to know (a category, a symbol).
    """

    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    body: str = ""
    limiter: str = ""
    rate_limit: RateLimit | None = None
    cost: int = 1
    stream_id: str = ""
    signed: bool = True
    context: str = ""


class RateLimited(Exception):  # noqa: N818 - a signal inside the request loop, not an error
    """The venue refused for its rate limit: wait ``seconds`` (or until its reset) and try again."""

    def __init__(self, seconds: float, *, code: str = "") -> None:
        super().__init__(code)
        self.seconds = seconds
        self.code = code


class ClockSkew(Exception):  # noqa: N818
    """The venue refused the timestamp: measure the clock offset again and retry."""

    def __init__(self, code: str = "") -> None:
        super().__init__(code)
        self.code = code


class Transient(Exception):  # noqa: N818
    """A server-side hiccup the venue reports in its envelope: retry with backoff."""

    def __init__(self, code: str = "") -> None:
        super().__init__(code)
        self.code = code


class BadBody(Exception):  # noqa: N818
    """The body cannot be read (truncated JSON, no envelope): retry a few times."""


@dataclass(frozen=True, slots=True)
class RetryLimits:
    """How often one request is tried again, per cause (the one retry loop's counters)."""

    rate_limit_waits: int = 30
    clock_resyncs: int = 2
    bad_bodies: int = 3
    server_errors: int = 4  # HTTP 5xx or the venue's own "try again" codes
    network_errors: int = 4  # no answer: connection refused or dropped, timeout


def header_int(headers: Mapping[str, str], name: str) -> int | None:
    """An integer header, looked up without case (None if missing or not a number)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            try:
                return int(value.strip())
            except ValueError:
                return None
    return None


def header_float(headers: Mapping[str, str], name: str) -> float | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            try:
                return float(value.strip())
            except ValueError:
                return None
    return None


class RestConnector:
    """A connector for one key of one REST venue (thread-safe: streams call it at once)."""

    info: VenueInfo
    retry_limits = RetryLimits()
    # Venues whose signatures carry a per-key nonce that must increase: sign and send one at a time.
    serialize_signed_requests = False

    def __init__(
        self,
        credentials: Credentials,
        base_url: str,
        *,
        http: HttpClient | None = None,
        wall_clock: Callable[[], float] = time.time,
        rate_limit_scale: float = 1.0,
    ) -> None:
        base = base_url.rstrip("/")
        if not is_safe_to_sign(base):
            # The custom-URL rule is checked when a key is saved; this guards every other path.
            raise ValueError("signed requests go only to https:// or to this computer")
        self.credentials = credentials
        self.base_url = base
        self.http = http or HttpClient(exchange=self.info.name)
        self._wall_clock = wall_clock
        self._limiters = LimiterRegistry()
        self._ip_limiter: Limiter | None = None
        self._dense_ip_limiter: Limiter | None = None
        dense = [s for e in self.info.endpoints for s in e.streams if s.dense]
        self._dense_streams = frozenset(s.id for s in dense)
        if self.info.ip_rate_limit is not None:
            ip = self.info.ip_rate_limit
            scaled = max(1, int(ip.requests * rate_limit_scale * IP_LIMIT_SHARE))
            # The dense streams' rates over the per-IP window are kept for them (at most half).
            dense_rate = sum(
                s.rate_limit.requests * rate_limit_scale / s.rate_limit.per_seconds for s in dense
            )
            reserve = min(scaled // 2, math.ceil(dense_rate * ip.per_seconds))
            # Every key syncing against the same host shares one budget (every process of the app
            # on this computer, see ratelimit.share_across_processes).
            general = shared_limiter(f"ip:{self.base_url}", scaled - reserve, ip.per_seconds)
            self._ip_limiter = general
            if reserve:
                reserved = shared_limiter(f"ip:{self.base_url}:dense", reserve, ip.per_seconds)
                self._dense_ip_limiter = ReservedFirst(reserved, general)
        self.rate_limit_scale = rate_limit_scale
        # An address the user typed in (not one of the venue's API sites): an answer that no API
        # of the venue would give means the address is wrong, not that the app is.
        self.custom_url = base not in {host.base_url.rstrip("/") for host in self.info.hosts}
        self._offset_ms = 0  # server time - local time
        self._offset_lock = threading.Lock()
        self._sign_lock = threading.Lock()
        self._stats: dict[str, RequestStats] = {}
        self._stats_lock = threading.Lock()
        # Set by the first answer that rules out every further request with this key (bad key,
        # IP ban...): later requests fail at once instead of repeating it to the venue.
        self._fatal: SyncFailure | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # ------------------------------------------------------------------ what a venue implements

    def sign(self, request: Request, url: str, timestamp_ms: int) -> PreparedRequest:
        """The attempt to send: ``url`` is base URL + path + query string as given."""
        raise NotImplementedError

    def unwrap(self, request: Request, response: HttpResponse) -> Any:
        """The result inside the venue's answer, or raise one of the signals / a SyncFailure."""
        raise NotImplementedError

    def request_for(self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None) -> Request:
        raise NotImplementedError

    def parse_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, result: Any
    ) -> Page:
        raise NotImplementedError

    def verify_key(self, should_stop: ShouldStop = lambda: False) -> KeyVerification:
        raise NotImplementedError

    def server_time_ms(self, should_stop: ShouldStop) -> int | None:
        """The venue's clock (an unsigned request), or None if the venue has no time endpoint."""
        return None

    def observe(self, request: Request, limiter: Limiter, response: HttpResponse) -> None:
        """Learn from the venue's rate-limit headers (default: nothing)."""

    def rate_limit_wait(self, response: HttpResponse, waits: int) -> float:
        """Seconds to wait after an HTTP 429 (``waits``: how many this request waited before).
        Default: the ``Retry-After`` header, else one second; a venue whose servers send no such
        header may back off instead."""
        retry_after = header_float(response.headers, "retry-after")
        return retry_after if retry_after is not None else 1.0

    def discover_streams(
        self, endpoint: EndpointInfo, known: Sequence[str], should_stop: ShouldStop
    ) -> tuple[StreamInfo, ...]:
        """The streams of an endpoint with ``discover`` set (``known``: stream ids synced before)."""
        return endpoint.streams

    def base_url_for(self, request: Request) -> str:
        """The base URL a request goes to (default: the key's; a venue whose API families live on
        several hosts maps them here). Signed requests go only to https:// or to this computer."""
        return self.base_url

    def query_string(self, params: Sequence[tuple[str, str]]) -> str:
        """The query string exactly as sent and signed (default: ``name=value`` joined by ``&``,
        values sent as given: cursors come back from venues already encoded)."""
        return "&".join(f"{name}={_escape(value)}" for name, value in params)

    # ------------------------------------------------------------------ public API

    def fetch_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, should_stop: ShouldStop
    ) -> Page:
        request = self.request_for(stream, window, cursor)
        result = self.send(request, should_stop)
        return self.parse_page(stream, window, cursor, result)

    def stats(self, stream: StreamInfo) -> RequestStats:
        with self._stats_lock:
            return self._stats.get(stream.id, RequestStats())

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ helpers for subclasses

    def page_of(
        self,
        items: Iterable[Any],
        parse: Callable[[Mapping[str, Any]], Parsed],
        stream: StreamInfo,
        window: TimeWindow | None,
        next_cursor: str | None,
    ) -> Page:
        """A :class:`Page` from raw records: each is parsed (a malformed one fails the page with a
        human message naming the stream and position), finished records are kept, unsettled ones
        mark the time the engine must not cover yet."""
        records: list[NormalizedRecord] = []
        unsettled: int | None = None
        oldest: int | None = None
        newest: int | None = None
        for position, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise SyncFailure(self.unexpected(f"{stream.id} record {position + 1}"))
            try:
                parsed = parse(item)
            except (ValueError, TypeError, ArithmeticError) as exc:
                raise SyncFailure(self.unexpected(f"{stream.id} record {position + 1}: {exc}")) from None
            if parsed.time_ms:
                oldest = parsed.time_ms if oldest is None else min(oldest, parsed.time_ms)
                newest = parsed.time_ms if newest is None else max(newest, parsed.time_ms)
            records.extend(parsed.records)
            if not parsed.settled:
                moment = parsed.time_ms or (window.start_ms if window else 0)
                unsettled = moment if unsettled is None else min(unsettled, moment)
        return Page(
            records=tuple(records),
            next_cursor=next_cursor,
            oldest_ms=oldest,
            newest_ms=newest,
            unsettled_ms=unsettled,
        )

    def unexpected(self, detail: str = "", code: str = "") -> Any:
        return describe(FailureKind.UNEXPECTED_RESPONSE, exchange=self.info.name, detail=detail, code=code)

    def count(self, stream_id: str, **increments: int) -> None:
        with self._stats_lock:
            current = self._stats.get(stream_id, RequestStats())
            self._stats[stream_id] = replace(
                current, **{name: getattr(current, name) + value for name, value in increments.items()}
            )

    def local_ms(self) -> int:
        return int(self._wall_clock() * 1000)

    def server_ms(self) -> int:
        with self._offset_lock:
            return self.local_ms() + self._offset_ms

    def monotonic_at(self, server_ms: int) -> float:
        """The ``time.monotonic()`` value at which the venue's clock reads ``server_ms``."""
        return time.monotonic() + max(0, server_ms - self.server_ms()) / 1000

    def limiter_for(self, request: Request) -> Limiter:
        limit = request.rate_limit or RateLimit(10, 1)
        scaled = max(1, int(limit.requests * self.rate_limit_scale))
        return self._limiters.get(request.limiter or request.path, scaled, limit.per_seconds)

    # ------------------------------------------------------------------ the request loop

    def send(self, request: Request, should_stop: ShouldStop) -> Any:
        """Send ``request`` until it gets a usable answer; return :meth:`unwrap`'s result."""
        qs = self.query_string(request.params)
        base = self.base_url_for(request)
        if base != self.base_url and request.signed and not is_safe_to_sign(base):
            raise ValueError("signed requests go only to https:// or to this computer")
        url = f"{base}{request.path}" + (f"?{qs}" if qs else "")
        limiter = self.limiter_for(request)
        stream_id = request.stream_id or request.path

        def prepare() -> PreparedRequest:
            if self._fatal is not None:
                raise self._fatal
            ip = self._ip_limiter
            if self._dense_ip_limiter is not None and stream_id.split(":", 1)[0] in self._dense_streams:
                ip = self._dense_ip_limiter
            if ip is not None and isinstance(limiter, RollingWindowLimiter):
                waited = limiter.acquire_then(ip, should_stop, exchange=self.info.name, cost=request.cost)
            else:
                waited = limiter.acquire(should_stop, exchange=self.info.name, cost=request.cost)
                if ip is not None:
                    waited += ip.acquire(should_stop, exchange=self.info.name, cost=request.cost)
            if self._fatal is not None:  # refused outright while this request waited for its turn
                raise self._fatal
            self.count(stream_id, requests=1, waited_ms=int(waited * 1000))
            if not request.signed:
                return PreparedRequest(request.method, url, {}, request.body)
            return self.sign(request, url, self.server_ms())

        try:
            if self.serialize_signed_requests and request.signed:
                with self._sign_lock:
                    return self._loop(request, limiter, prepare, should_stop, stream_id)
            return self._loop(request, limiter, prepare, should_stop, stream_id)
        except SyncFailure as exc:
            failure = self._explained(exc)
            if failure.kind in KEY_FATAL_KINDS and self._fatal is None:
                self._fatal = failure
            if failure is not exc:
                raise failure from None
            raise

    # Answers that no route of the venue's API gives: at a typed-in address, it is not the API.
    # (A redirect is one: an API does not redirect, and the HTTP layer does not follow.)
    _NOT_AN_API = frozenset(
        {
            (FailureKind.REQUEST_REJECTED, "HTTP 404"),
            (FailureKind.REQUEST_REJECTED, "HTTP 405"),
            (FailureKind.UNEXPECTED_RESPONSE, "HTTP 404"),
            (FailureKind.UNEXPECTED_RESPONSE, "HTTP 405"),
            (FailureKind.UNEXPECTED_RESPONSE, "invalid JSON"),
            *(
                (kind, f"HTTP {status}")
                for kind in (FailureKind.REQUEST_REJECTED, FailureKind.UNEXPECTED_RESPONSE)
                for status in (301, 302, 303, 307, 308)
            ),
        }
    )

    def _explained(self, exc: SyncFailure) -> SyncFailure:
        if self.custom_url and (exc.kind, exc.failure.code) in self._NOT_AN_API:
            return SyncFailure(
                describe(FailureKind.WRONG_URL, exchange=self.info.name, code=exc.failure.code)
            )
        return exc

    def _loop(
        self,
        request: Request,
        limiter: Limiter,
        prepare: Callable[[], PreparedRequest],
        should_stop: ShouldStop,
        stream_id: str,
    ) -> Any:
        limits = self.retry_limits
        rate_waits = resyncs = bad_bodies = server_errors = network_errors = 0
        while True:
            try:
                response = self.http.send(prepare, should_stop, retry_statuses=frozenset(), attempts=1)
            except SyncFailure as exc:
                if exc.kind is not FailureKind.NETWORK or network_errors >= limits.network_errors:
                    raise
                network_errors += 1
                self.count(stream_id, retries=1)
                interruptible_sleep(
                    self.http.backoff(network_errors - 1), should_stop, exchange=self.info.name
                )
                continue
            self.observe(request, limiter, response)
            try:
                if response.status == 429:  # "Too Many Requests": wait as long as the venue says
                    raise RateLimited(self.rate_limit_wait(response, rate_waits), code="HTTP 429")
                if response.status >= 500:
                    raise Transient(f"HTTP {response.status}")
                return self.unwrap(request, response)
            except RateLimited as wait:
                rate_waits += 1
                self.count(stream_id, rate_limit_waits=1)
                if rate_waits > limits.rate_limit_waits:
                    raise SyncFailure(
                        describe(FailureKind.RATE_LIMIT, exchange=self.info.name, code=wait.code)
                    ) from None
                limiter.block_until(time.monotonic() + max(0.05, wait.seconds))
            except ClockSkew as skew:
                resyncs += 1
                if resyncs > limits.clock_resyncs:
                    raise SyncFailure(
                        describe(FailureKind.CLOCK_SKEW, exchange=self.info.name, code=skew.code)
                    ) from None
                self.measure_clock_offset(should_stop, code=skew.code)
            except Transient as transient:
                server_errors += 1
                if server_errors > limits.server_errors:
                    raise SyncFailure(
                        describe(
                            FailureKind.EXCHANGE_UNAVAILABLE, exchange=self.info.name, code=transient.code
                        )
                    ) from None
                self.count(stream_id, retries=1)
                interruptible_sleep(
                    self.http.backoff(server_errors - 1), should_stop, exchange=self.info.name
                )
            except BadBody:
                bad_bodies += 1
                log.info("%s %s: unreadable response body (%d)", self.info.name, request.path, bad_bodies)
                if bad_bodies >= limits.bad_bodies:
                    raise SyncFailure(self.unexpected(code="invalid JSON")) from None
                self.count(stream_id, retries=1)
                interruptible_sleep(0.2 * bad_bodies, should_stop, exchange=self.info.name)

    def measure_clock_offset(self, should_stop: ShouldStop, *, code: str = "") -> None:
        before = self.local_ms()
        server = self.server_time_ms(should_stop)
        after = self.local_ms()
        if server is None:
            raise SyncFailure(describe(FailureKind.CLOCK_SKEW, exchange=self.info.name, code=code))
        with self._offset_lock:
            self._offset_ms = server - (before + after) // 2
        log.info("%s clock offset measured: %+d ms", self.info.name, self._offset_ms)


def _escape(value: str) -> str:
    return value.replace("+", "%2B").replace(" ", "%20").replace("&", "%26").replace("#", "%23")
