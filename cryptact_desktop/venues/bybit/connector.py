"""The Bybit V5 connector: read-only history for one API key, on the shared REST base.

Every request is signed over the exact query string sent, paced by the per-endpoint rolling
window limiter (which learns from ``X-Bapi-Limit*`` headers) and the per-IP limit, and checked
for Bybit's error codes: 10006 waits for the reset time, 10002 re-measures the clock offset
against ``/v5/market/time``, 10000/10016 and malformed bodies are retried, everything else
becomes a human :class:`Failure` (see :mod:`.errors`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptact_desktop.errors import FailureKind, SyncFailure, describe
from cryptact_desktop.sync.connector import KeyVerification, Page, ShouldStop, TimeWindow
from cryptact_desktop.sync.http import HttpResponse, PreparedRequest
from cryptact_desktop.sync.ratelimit import Limiter, RollingWindowLimiter
from cryptact_desktop.sync.rest import (
    BadBody,
    ClockSkew,
    RateLimited,
    Request,
    RestConnector,
    Transient,
    header_int,
)
from cryptact_desktop.venues.base import RateLimit, StreamInfo, VenueInfo
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.errors import (
    CLOCK_SKEW_CODE,
    EXCHANGE,
    RATE_LIMIT_CODE,
    RETRYABLE_CODES,
    failure_for,
)
from cryptact_desktop.venues.bybit.signing import sign
from cryptact_desktop.venues.bybit.streams import STREAM_REQUESTS, StreamRequest

RECV_WINDOW_MS = 5000

_QUERY_API = "/v5/user/query-api"
_QUERY_API_LIMIT = RateLimit(10, 1)


class BybitConnector(RestConnector):
    info: VenueInfo = BYBIT

    # ------------------------------------------------------------------ requests and pages

    def request_for(self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None) -> Request:
        spec = STREAM_REQUESTS[stream.id]
        params = list(spec.params)
        if spec.index_paging:
            params += [("index", cursor or "1"), ("limit", str(stream.page_limit))]
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
        return Request(
            "GET",
            spec.path,
            tuple(params),
            limiter=stream.limiter,
            rate_limit=stream.rate_limit,
            stream_id=stream.id,
            context=spec.category,
        )

    def parse_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, result: Any
    ) -> Page:
        spec = STREAM_REQUESTS[stream.id]
        items = result.get(spec.list_key)
        if items is None and spec.list_key == "list":
            items = result.get("yield")  # the earn/yield docs example names the array "yield"
        if items is None:
            items = []
        if not isinstance(items, list):
            raise SyncFailure(self.unexpected("list"))
        return self.page_of(
            items, spec.parse, stream, window, _next_cursor(spec, stream, result, items, cursor)
        )

    def verify_key(self, should_stop: ShouldStop = lambda: False) -> KeyVerification:
        request = Request(
            "GET", _QUERY_API, limiter=_QUERY_API, rate_limit=_QUERY_API_LIMIT, stream_id="verify"
        )
        return _verification(self.send(request, should_stop))

    # ------------------------------------------------------------------ protocol

    def sign(self, request: Request, url: str, timestamp_ms: int) -> PreparedRequest:
        creds = self.credentials
        timestamp = str(timestamp_ms)
        payload = self.query_string(request.params) if request.method == "GET" else request.body
        headers = {
            "X-BAPI-API-KEY": creds.api_key,
            "X-BAPI-TIMESTAMP": timestamp,
            "X-BAPI-RECV-WINDOW": str(RECV_WINDOW_MS),
            "X-BAPI-SIGN": sign(creds.secret, timestamp, creds.api_key, RECV_WINDOW_MS, payload),
            "X-BAPI-SIGN-TYPE": "2",
        }
        return PreparedRequest(request.method, url, headers, request.body)

    def observe(self, request: Request, limiter: Limiter, response: HttpResponse) -> None:
        if not isinstance(limiter, RollingWindowLimiter):  # a budget shared with other processes
            return
        limit = header_int(response.headers, "x-bapi-limit")
        remaining = header_int(response.headers, "x-bapi-limit-status")
        reset = header_int(response.headers, "x-bapi-limit-reset-timestamp")
        # The reset is when the oldest request counted leaves Bybit's window, on arrival there: a
        # request sent half a round trip before it arrives then (waiting until the reset itself
        # lost that half round trip once a second, 5 % of a stream limited per second).
        reset_at = self.monotonic_at(reset) - response.round_trip_s / 2 if reset else None
        limiter.observe(limit, remaining, reset_at)

    def unwrap(self, request: Request, response: HttpResponse) -> Any:
        _check_http_status(response, request.path)
        try:
            body = json.loads(response.body)
            if not isinstance(body, dict) or "retCode" not in body:
                raise ValueError("no envelope")
            ret_code = int(body["retCode"])
        except (ValueError, TypeError):
            raise BadBody() from None
        if ret_code == 0:
            result = body.get("result")
            if not isinstance(result, dict):
                raise SyncFailure(self.unexpected("result"))
            return result
        ret_msg = str(body.get("retMsg", ""))
        if ret_code == RATE_LIMIT_CODE:
            reset = header_int(response.headers, "x-bapi-limit-reset-timestamp")
            seconds = (self.monotonic_at(reset) - time.monotonic()) if reset else 1.0
            raise RateLimited(seconds, code=str(ret_code))
        if ret_code == CLOCK_SKEW_CODE:
            raise ClockSkew(str(ret_code))
        if ret_code in RETRYABLE_CODES:
            raise Transient(str(ret_code))
        raise SyncFailure(failure_for(ret_code, ret_msg, path=request.path, category=request.context))

    def server_time_ms(self, should_stop: ShouldStop) -> int | None:
        response = self.http.get(f"{self.base_url}/v5/market/time", {}, should_stop)
        try:
            body = json.loads(response.body)
            return int(body["result"]["timeNano"]) // 1_000_000
        except (ValueError, TypeError, KeyError):
            return None


def _next_cursor(
    spec: StreamRequest, stream: StreamInfo, result: Mapping[str, Any], items: list[Any], sent: str | None
) -> str | None:
    if spec.index_paging:
        return str(int(sent or "1") + 1) if len(items) >= stream.page_limit else None
    cursor = result.get("nextPageCursor") or ""
    if not isinstance(cursor, str):
        cursor = str(cursor)
    # Bybit's asset endpoints return a cursor even on a short last page: a page shorter
    # than the limit is the last one. An unchanged cursor would loop forever.
    if not cursor or not items or len(items) < stream.page_limit or cursor == sent:
        return None
    return cursor


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
