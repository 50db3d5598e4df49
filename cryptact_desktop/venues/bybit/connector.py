"""The Bybit V5 connector: read-only history for one API key.

Every request is signed over the exact query string sent, paced by the per-endpoint rolling
window limiter (which learns from ``X-Bapi-Limit*`` headers), and checked for Bybit's error
codes: 10006 waits for the reset time, 10002 re-measures the clock offset against
``/v5/market/time``, 10000/10016 and malformed bodies are retried, everything else becomes a
human :class:`Failure`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import KEY_FATAL_KINDS, FailureKind, SyncFailure, describe
from cryptact_desktop.sync.connector import KeyVerification, Page, RequestStats, ShouldStop, TimeWindow
from cryptact_desktop.sync.http import HttpClient, HttpResponse
from cryptact_desktop.sync.ratelimit import (
    LimiterRegistry,
    RollingWindowLimiter,
    interruptible_sleep,
    shared_limiter,
)
from cryptact_desktop.venues.base import RateLimit, StreamInfo, VenueInfo
from cryptact_desktop.venues.bybit import normalize
from cryptact_desktop.venues.bybit.catalogue import BYBIT, OPTION_BASE_COINS
from cryptact_desktop.venues.bybit.errors import (
    CLOCK_SKEW_CODE,
    EXCHANGE,
    RATE_LIMIT_CODE,
    RETRYABLE_CODES,
    failure_for,
)
from cryptact_desktop.venues.bybit.signing import query_string, sign

log = logging.getLogger(__name__)

RECV_WINDOW_MS = 5000
IP_LIMIT_SHARE = 0.9  # stay this far under the per-IP limit ("do not run near the edge")
_MAX_RATE_LIMIT_WAITS = 30
_MAX_CLOCK_RESYNCS = 2
_MAX_BAD_BODIES = 3
_MAX_SERVER_ERRORS = 4


@dataclass(frozen=True, slots=True)
class _Request:
    path: str
    params: tuple[tuple[str, str], ...]
    list_key: str
    parse: Callable[[normalize.Raw], normalize.Parsed]
    category: str = ""
    index_paging: bool = False  # page number instead of time window + cursor


_REQUESTS: dict[str, _Request] = {
    **{
        f"execution_{c}": _Request(
            "/v5/execution/list", (("category", c),), "list", normalize.execution(c), c
        )
        for c in ("spot", "linear", "inverse")
    },
    **{
        f"execution_option_{coin.lower()}": _Request(
            "/v5/execution/list",
            (("category", "option"), ("baseCoin", coin)),
            "list",
            normalize.execution("option"),
            "option",
        )
        for coin in OPTION_BASE_COINS
    },
    "transaction_log": _Request(
        "/v5/account/transaction-log", (("accountType", "UNIFIED"),), "list", normalize.transaction_log
    ),
    "deposit_onchain": _Request("/v5/asset/deposit/query-record", (), "rows", normalize.deposit_onchain),
    "deposit_internal": _Request(
        "/v5/asset/deposit/query-internal-record", (), "rows", normalize.deposit_internal
    ),
    # withdrawType defaults to 0 (on-chain only); 2 includes internal (off-chain) withdrawals.
    "withdrawal": _Request(
        "/v5/asset/withdraw/query-record", (("withdrawType", "2"),), "rows", normalize.withdrawal
    ),
    "transfer_internal": _Request(
        "/v5/asset/transfer/query-inter-transfer-list", (), "list", normalize.transfer
    ),
    "transfer_universal": _Request(
        "/v5/asset/transfer/query-universal-transfer-list", (), "list", normalize.transfer
    ),
    "convert": _Request(
        "/v5/asset/exchange/query-convert-history", (), "list", normalize.convert, index_paging=True
    ),
    "earn_yield_flexible": _Request(
        "/v5/earn/yield", (("category", "FlexibleSaving"),), "list", normalize.earn_yield
    ),
    "earn_order_flexible": _Request(
        "/v5/earn/order", (("category", "FlexibleSaving"),), "list", normalize.earn_order
    ),
}

_QUERY_API = "/v5/user/query-api"
_QUERY_API_LIMIT = RateLimit(10, 1)


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    for key, value in headers.items():
        if key.lower() == name:
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BybitConnector:
    info: VenueInfo = BYBIT

    def __init__(
        self,
        credentials: Credentials,
        base_url: str,
        *,
        http: HttpClient | None = None,
        wall_clock: Callable[[], float] = time.time,
        ip_limit: RateLimit | None = None,
    ) -> None:
        self._credentials = credentials
        self.base_url = base_url.rstrip("/")
        self._http = http or HttpClient(exchange=EXCHANGE)
        self._wall_clock = wall_clock
        self._limiters = LimiterRegistry()
        # Bybit bans an IP for 10 minutes past 600 requests per 5 s, whatever the endpoint and key:
        # every key syncing against the same host shares one limiter at 90 % of it.
        ip = ip_limit or BYBIT.ip_rate_limit or RateLimit(600, 5)
        self._ip_limiter = shared_limiter(
            f"ip:{self.base_url}", max(1, int(ip.requests * IP_LIMIT_SHARE)), ip.per_seconds
        )
        self._offset_ms = 0  # server time - local time, measured on 10002
        self._offset_lock = threading.Lock()
        self._stats: dict[str, RequestStats] = {}
        self._stats_lock = threading.Lock()
        # Set by the first answer that rules out every further request with this key (bad key,
        # IP ban...): later requests fail at once instead of repeating it to Bybit.
        self._fatal: SyncFailure | None = None

    def __repr__(self) -> str:
        return f"BybitConnector(base_url={self.base_url!r})"

    # ------------------------------------------------------------------ public API

    def verify_key(self, should_stop: ShouldStop = lambda: False) -> KeyVerification:
        result = self._call(_QUERY_API, [], _QUERY_API, _QUERY_API_LIMIT, should_stop, stream_id="verify")
        return _verification(result)

    def fetch_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, should_stop: ShouldStop
    ) -> Page:
        request = _REQUESTS[stream.id]
        params = list(request.params)
        if request.index_paging:
            index = int(cursor or "1")
            params += [("index", str(index)), ("limit", str(stream.page_limit))]
        else:
            if window is None:
                raise ValueError(f"{stream.id} needs a time window")
            params += [
                ("startTime", str(window.start_ms)),
                ("endTime", str(window.end_ms)),
                ("limit", str(stream.page_limit)),
            ]
            if cursor:
                params.append(("cursor", cursor))
        result = self._call(
            request.path,
            params,
            stream.limiter,
            stream.rate_limit,
            should_stop,
            stream_id=stream.id,
            category=request.category,
        )
        items = result.get(request.list_key)
        if items is None and request.list_key == "list":
            items = result.get("yield")  # the earn/yield docs example names the array "yield"
        if items is None:
            items = []
        if not isinstance(items, list):
            raise SyncFailure(describe(FailureKind.UNEXPECTED_RESPONSE, exchange=EXCHANGE, detail="list"))
        records = []
        unsettled: int | None = None
        oldest: int | None = None
        for position, item in enumerate(items):
            if not isinstance(item, dict):
                raise SyncFailure(
                    describe(
                        FailureKind.UNEXPECTED_RESPONSE, exchange=EXCHANGE, detail=f"record {position + 1}"
                    )
                )
            try:
                parsed = request.parse(item)
            except (ValueError, TypeError) as exc:
                detail = f"{stream.id} record {position + 1}: {exc}"
                raise SyncFailure(
                    describe(FailureKind.UNEXPECTED_RESPONSE, exchange=EXCHANGE, detail=detail)
                ) from None
            if parsed.time_ms:
                oldest = parsed.time_ms if oldest is None else min(oldest, parsed.time_ms)
            if parsed.record is not None:
                records.append(parsed.record)
            elif not parsed.settled:
                moment = parsed.time_ms or (window.start_ms if window else 0)
                unsettled = moment if unsettled is None else min(unsettled, moment)
        return Page(
            records=tuple(records),
            next_cursor=self._next_cursor(request, stream, result, items, cursor),
            oldest_ms=oldest,
            unsettled_ms=unsettled,
        )

    def stats(self, stream: StreamInfo) -> RequestStats:
        with self._stats_lock:
            return self._stats.get(stream.id, RequestStats())

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ paging

    @staticmethod
    def _next_cursor(
        request: _Request, stream: StreamInfo, result: Mapping[str, Any], items: list[Any], sent: str | None
    ) -> str | None:
        if request.index_paging:
            return str(int(sent or "1") + 1) if len(items) >= stream.page_limit else None
        cursor = result.get("nextPageCursor") or ""
        if not isinstance(cursor, str):
            cursor = str(cursor)
        # Bybit's asset endpoints return a cursor even on a short last page: a page shorter
        # than the limit is the last one. An unchanged cursor would loop forever.
        if not cursor or not items or len(items) < stream.page_limit or cursor == sent:
            return None
        return cursor

    # ------------------------------------------------------------------ requests

    def _count(self, stream_id: str, **increments: int) -> None:
        with self._stats_lock:
            current = self._stats.get(stream_id, RequestStats())
            self._stats[stream_id] = replace(
                current, **{name: getattr(current, name) + value for name, value in increments.items()}
            )

    def _local_ms(self) -> int:
        return int(self._wall_clock() * 1000)

    def _server_ms(self) -> int:
        with self._offset_lock:
            return self._local_ms() + self._offset_ms

    def _monotonic_at(self, server_ms: int) -> float:
        return time.monotonic() + max(0, server_ms - self._server_ms()) / 1000

    def _call(
        self,
        path: str,
        params: list[tuple[str, str]],
        limiter_name: str,
        default_limit: RateLimit,
        should_stop: ShouldStop,
        *,
        stream_id: str,
        category: str = "",
    ) -> dict[str, Any]:
        qs = query_string(params)
        url = f"{self.base_url}{path}" + (f"?{qs}" if qs else "")
        limiter = self._limiters.get(limiter_name, default_limit.requests, default_limit.per_seconds)
        creds = self._credentials

        def prepare() -> dict[str, str]:
            if self._fatal is not None:
                raise self._fatal
            waited = limiter.acquire(should_stop, exchange=EXCHANGE)
            waited += self._ip_limiter.acquire(should_stop, exchange=EXCHANGE)
            self._count(stream_id, requests=1, waited_ms=int(waited * 1000))
            timestamp = str(self._server_ms())
            return {
                "X-BAPI-API-KEY": creds.api_key,
                "X-BAPI-TIMESTAMP": timestamp,
                "X-BAPI-RECV-WINDOW": str(RECV_WINDOW_MS),
                "X-BAPI-SIGN": sign(creds.secret, timestamp, creds.api_key, RECV_WINDOW_MS, qs),
                "X-BAPI-SIGN-TYPE": "2",
            }

        try:
            return self._exchange(
                url, path, limiter, prepare, should_stop, stream_id=stream_id, category=category
            )
        except SyncFailure as exc:
            if exc.kind in KEY_FATAL_KINDS and self._fatal is None:
                self._fatal = exc
            raise

    def _exchange(
        self,
        url: str,
        path: str,
        limiter: RollingWindowLimiter,
        prepare: Callable[[], dict[str, str]],
        should_stop: ShouldStop,
        *,
        stream_id: str,
        category: str,
    ) -> dict[str, Any]:
        """Send one request until it gets a usable answer (retrying what is worth retrying)."""
        rate_waits = resyncs = bad_bodies = server_errors = 0
        while True:
            response = self._http.get(
                url, {}, should_stop, prepare=prepare, on_retry=lambda: self._count(stream_id, retries=1)
            )
            self._observe_limits(limiter, response.headers)
            self._check_http_status(response, path)
            try:
                body = json.loads(response.body)
                if not isinstance(body, dict) or "retCode" not in body:
                    raise ValueError("no envelope")
                ret_code = int(body["retCode"])
            except (ValueError, TypeError):
                bad_bodies += 1
                log.info("Bybit %s: unreadable response body (%d)", path, bad_bodies)
                if bad_bodies >= _MAX_BAD_BODIES:
                    raise SyncFailure(
                        describe(FailureKind.UNEXPECTED_RESPONSE, exchange=EXCHANGE, code="invalid JSON")
                    ) from None
                self._count(stream_id, retries=1)
                interruptible_sleep(0.2 * bad_bodies, should_stop, exchange=EXCHANGE)
                continue
            if ret_code == 0:
                result = body.get("result")
                if not isinstance(result, dict):
                    raise SyncFailure(
                        describe(FailureKind.UNEXPECTED_RESPONSE, exchange=EXCHANGE, detail="result")
                    )
                return result
            ret_msg = str(body.get("retMsg", ""))
            if ret_code == RATE_LIMIT_CODE:
                rate_waits += 1
                self._count(stream_id, rate_limit_waits=1)
                if rate_waits > _MAX_RATE_LIMIT_WAITS:
                    raise SyncFailure(failure_for(ret_code, ret_msg, path=path))
                reset = _header_int(response.headers, "x-bapi-limit-reset-timestamp")
                until = self._monotonic_at(reset) if reset else time.monotonic() + 1.0
                limiter.block_until(max(until, time.monotonic() + 0.05))
                continue
            if ret_code == CLOCK_SKEW_CODE and resyncs < _MAX_CLOCK_RESYNCS:
                resyncs += 1
                self._measure_clock_offset(should_stop)
                continue
            if ret_code in RETRYABLE_CODES and server_errors < _MAX_SERVER_ERRORS:
                server_errors += 1
                self._count(stream_id, retries=1)
                interruptible_sleep(0.5 * 2**server_errors, should_stop, exchange=EXCHANGE)
                continue
            raise SyncFailure(failure_for(ret_code, ret_msg, path=path, category=category))

    def _observe_limits(self, limiter: RollingWindowLimiter, headers: Mapping[str, str]) -> None:
        limit = _header_int(headers, "x-bapi-limit")
        remaining = _header_int(headers, "x-bapi-limit-status")
        reset = _header_int(headers, "x-bapi-limit-reset-timestamp")
        limiter.observe(limit, remaining, self._monotonic_at(reset) if reset else None)

    @staticmethod
    def _check_http_status(response: HttpResponse, path: str) -> None:
        status = response.status
        if status == 200:
            return
        if status == 403:
            # Bybit: IP rate limit breached (ban ≥ 10 min), a GET with a body, or a US/China IP.
            raise SyncFailure(describe(FailureKind.IP_BANNED, exchange=EXCHANGE, code="HTTP 403"))
        if status == 401:
            raise SyncFailure(describe(FailureKind.AUTHENTICATION, exchange=EXCHANGE, code="HTTP 401"))
        if status == 404:
            raise SyncFailure(
                describe(FailureKind.REQUEST_REJECTED, exchange=EXCHANGE, code="HTTP 404", detail=path)
            )
        raise SyncFailure(describe(FailureKind.UNEXPECTED_RESPONSE, exchange=EXCHANGE, code=f"HTTP {status}"))

    def _measure_clock_offset(self, should_stop: ShouldStop) -> None:
        before = self._local_ms()
        response = self._http.get(f"{self.base_url}/v5/market/time", {}, should_stop)
        after = self._local_ms()
        try:
            body = json.loads(response.body)
            server_ms = int(body["result"]["timeNano"]) // 1_000_000
        except (ValueError, TypeError, KeyError):
            raise SyncFailure(describe(FailureKind.CLOCK_SKEW, exchange=EXCHANGE, code="10002")) from None
        with self._offset_lock:
            self._offset_ms = server_ms - (before + after) // 2
        log.info("Bybit clock offset measured: %+d ms", self._offset_ms)


def _iso_ms(text: str) -> int | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    ms = int(moment.timestamp() * 1000)
    return ms if ms > 0 else None


def _verification(result: Mapping[str, Any]) -> KeyVerification:
    from cryptact_desktop.i18n import translate

    permissions_raw = result.get("permissions") or {}
    permissions: list[str] = []
    if isinstance(permissions_raw, dict):
        for group, values in sorted(permissions_raw.items()):
            if isinstance(values, list):
                permissions += [f"{group}:{value}" for value in values]
    read_only = int(result.get("readOnly", 0) or 0) == 1
    warnings: list[str] = []
    if not read_only:
        granted = {p.split(":", 1)[1] for p in permissions}
        abilities = []
        if granted & {"Order", "Position", "SpotTrade", "OptionsTrade", "DerivativesTrade", "CopyTrading"}:
            abilities.append(translate("keys", "trade"))
        if "Withdraw" in granted:
            abilities.append(translate("keys", "withdraw funds"))
        if granted & {"AccountTransfer", "SubMemberTransfer"}:
            abilities.append(translate("keys", "transfer funds"))
        if len(abilities) > 1:
            what = translate("keys", "{items} and {last}").format(
                items=", ".join(abilities[:-1]), last=abilities[-1]
            )
        else:
            what = abilities[0] if abilities else translate("keys", "change your account")
        warnings.append(
            translate(
                "keys",
                "This key is not read-only: it can {what}. This app only reads; create a read-only key "
                "on Bybit for safety.",
            ).format(what=what)
        )
    ips = result.get("ips") or []
    ip_restricted = bool(ips) and ips != ["*"]
    expires = _iso_ms(str(result.get("expiredAt", "") or ""))
    notes: list[str] = []
    if not ip_restricted:
        notes.append(translate("keys", "The key has no IP restriction, so Bybit expires it after 90 days."))
    user_id = str(result.get("userID", "") or "")
    is_master = result.get("isMaster")
    return KeyVerification(
        valid=True,
        read_only=read_only,
        permissions=tuple(permissions),
        user_id=user_id,
        is_master=bool(is_master) if is_master is not None else None,
        expires_at_ms=expires,
        ip_restricted=ip_restricted,
        warnings=tuple(warnings),
        notes=tuple(notes),
    )
