"""A strict, local bitFlyer Lightning HTTP API over simulated accounts (127.0.0.1 only).

What it enforces, from the docs (lightning.bitflyer.com/docs) and, where they are silent, from what
API users report (marked *reported*) or our own choice (marked *ours*):

* Authentication: ``ACCESS-KEY``, ``ACCESS-TIMESTAMP`` and ``ACCESS-SIGN`` = hex HMAC-SHA256 of
  timestamp + method + request path *with its query string, exactly as sent* + body. The timestamp is
  Unix seconds (a decimal fraction is accepted, milliseconds are not: *reported*) within
  ``timestamp_window_s`` of the server clock (*ours*: the docs give no window). Failures answer
  HTTP 401 with ``{"status": -500, "error_message": …}`` (*reported*: "Invalid signature",
  "ACCESS-KEY header is required"; *ours*: "Key not found", the timestamp message).
* Permissions: a key may call only the paths ``getpermissions`` lists (docs); another path answers
  HTTP 403 "Permission denied" (*ours*).
* Paging: ``count`` (default 100; *reported*: larger than 500 gives 500), ``before``/``after`` ids,
  newest first (docs). ``product_code`` defaults to ``BTC_JPY``, ``currency_code`` to ``JPY`` (docs).
* Limits (docs): 500 private requests per 5 minutes per key and 500 per 5 minutes per IP address.
  Exceeding one blocks further requests for a while and then lowers the limit for a while (docs;
  *ours*: ``lockout_seconds``, then half the limit for ``penalty_seconds``, both divided by
  ``rate_limit_scale``); blocked requests answer HTTP 429. Every authenticated answer carries
  ``X-RateLimit-Period``/``-Remaining``/``-Reset`` (*reported* names; *ours*: Reset is the Unix time
  in seconds when the used budget starts to free up).
* Errors: ``{"status": <negative>, "error_message": …, "data": null}``; ``-2`` is maintenance (docs'
  community notes). Faults from the kit's :class:`FaultPlan` (drops, 5xx pages, broken JSON, rate-limit
  storms, error codes) are injected per request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

from cryptact_desktop.simulator.kit import Fault, FaultPlan, Reply, RollingCounter, SimulatorServer
from cryptact_desktop.simulator.kit.server import read_body

from .account import DEFAULT_COUNT, MAX_COUNT, RecordList, SimAccount, number

WINDOW_S = 300.0  # "500 queries per 5 minutes" (docs)
PRIVATE_LIMIT = 500
IP_LIMIT = 500

READ_PATHS: tuple[str, ...] = (
    "/v1/me/getpermissions",
    "/v1/me/getbalance",
    "/v1/me/getcollateral",
    "/v1/me/getcollateralaccounts",
    "/v1/me/getaddresses",
    "/v1/me/getcoinins",
    "/v1/me/getcoinouts",
    "/v1/me/getbankaccounts",
    "/v1/me/getdeposits",
    "/v1/me/getwithdrawals",
    "/v1/me/getchildorders",
    "/v1/me/getparentorders",
    "/v1/me/getparentorder",
    "/v1/me/getexecutions",
    "/v1/me/getbalancehistory",
    "/v1/me/getpositions",
    "/v1/me/getcollateralhistory",
    "/v1/me/gettradingcommission",
)
TRADE_PATHS: tuple[str, ...] = (
    "/v1/me/sendchildorder",
    "/v1/me/cancelchildorder",
    "/v1/me/sendparentorder",
    "/v1/me/cancelparentorder",
    "/v1/me/cancelallchildorders",
)
FUND_PATHS: tuple[str, ...] = ("/v1/me/withdraw",)

_MARKETS_USA = (("BTC_USD", "Spot"), ("BTC_JPY", "Spot"), ("ETH_BTC", "Spot"))
_MARKETS_EU = (("BTC_EUR", "Spot"), ("BTC_JPY", "Spot"), ("ETH_BTC", "Spot"))
_PUBLIC = {
    "/v1/getmarkets": "jp",
    "/v1/markets": "jp",
    "/v1/getmarkets/usa": "usa",
    "/v1/markets/usa": "usa",
    "/v1/getmarkets/eu": "eu",
    "/v1/markets/eu": "eu",
    "/v1/gethealth": "health",
}
_LISTS = {
    "/v1/me/getexecutions": "executions",
    "/v1/me/getbalancehistory": "balance",
    "/v1/me/getcoinins": "coinins",
    "/v1/me/getcoinouts": "coinouts",
    "/v1/me/getdeposits": "deposits",
    "/v1/me/getwithdrawals": "withdrawals",
    "/v1/me/getcollateralhistory": "collateral",
}
_LIST_PARAMS = {
    "executions": {"product_code", "count", "before", "after", "child_order_id", "child_order_acceptance_id"},
    "balance": {"currency_code", "count", "before", "after"},
    "coinouts": {"count", "before", "after", "message_id"},
    "withdrawals": {"count", "before", "after", "message_id"},
}

MESSAGES = {
    -2: "Under maintenance.",
    -1: "Invalid parameter.",
    -500: "Invalid signature",
}


def sign(secret: str, timestamp: str, method: str, path: str, body: str = "") -> str:
    """bitFlyer's ACCESS-SIGN: hex HMAC-SHA256 of timestamp + method + path (with query) + body."""
    return hmac.new(secret.encode(), f"{timestamp}{method}{path}{body}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SimulatedKey:
    """A key the simulator accepts for account ``account`` (a name in the simulator's accounts).
    ``permissions``: the paths it may call (a read-only key by default)."""

    api_key: str
    secret: str = field(repr=False)
    account: str
    permissions: tuple[str, ...] = READ_PATHS
    note: str = ""


class _ApiError(Exception):
    def __init__(self, http: int, status: int, message: str) -> None:
        super().__init__(message)
        self.http = http
        self.status = status
        self.message = message


class BitflyerSimulator(SimulatorServer):
    """A local bitFlyer Lightning API. ``start()`` returns ``http://127.0.0.1:<port>``."""

    name = "bitflyer-simulator"
    api_key_header = "ACCESS-KEY"

    def __init__(
        self,
        accounts: dict[str, SimAccount],
        keys: list[SimulatedKey],
        *,
        rate_limit_scale: float = 1.0,
        latency_ms: int = 0,
        faults: FaultPlan | None = None,
        clock_offset_ms: int = 0,
        timestamp_window_s: float = 60.0,
        lockout_seconds: float = 60.0,
        penalty_seconds: float = 600.0,
        ip_rate_limit_scale: float | None = None,
        window_seconds: float = WINDOW_S,
        port: int = 0,
    ) -> None:
        scale = max(rate_limit_scale, 1e-9)
        ip_scale = rate_limit_scale if ip_rate_limit_scale is None else ip_rate_limit_scale
        super().__init__(
            latency_ms=latency_ms,
            faults=faults,
            clock_offset_ms=clock_offset_ms,
            ip_limit=(max(1, round(IP_LIMIT * ip_scale)), window_seconds),
            ip_ban_seconds=lockout_seconds / scale,
            port=port,
        )
        self.accounts = accounts
        self.keys = {k.api_key: k for k in keys}
        self.rate_limit_scale = rate_limit_scale
        self.timestamp_window_s = timestamp_window_s
        self.window_seconds = window_seconds
        self.lockout_seconds = lockout_seconds / scale
        self.penalty_seconds = penalty_seconds / scale
        self._key_counts = RollingCounter()
        self._blocked_until: dict[str, float] = {}
        self._penalty_until: dict[str, float] = {}
        self._last_counted: dict[str, float] = {}
        self._limit_lock = threading.Lock()
        self.lockouts = 0  # how often a key went over its limit (a client must keep this at 0)

    def private_limit(self, api_key: str, now: float) -> int:
        full = max(1, round(PRIVATE_LIMIT * self.rate_limit_scale))
        return max(1, full // 2) if self._penalty_until.get(api_key, 0.0) > now else full

    # -- request handling ---------------------------------------------------------------------
    def ip_refusal(self) -> Reply:
        reply = self._error(429, -1, "Over API limit per period per IP address")
        reply.close = True
        return reply

    def dispatch(self, req: BaseHTTPRequestHandler, method: str, path: str, raw_query: str) -> Reply:
        public = _PUBLIC.get(path)
        private = path in _LISTS or path in ("/v1/me/getpermissions", "/v1/me/getbalance")
        if public is None and not private:
            return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html", -1)
        fault = self.pick_fault(path, private)
        if fault is not None:
            return self._fault_reply(fault)
        if public is not None:
            if method != "GET":
                return self._error(405, -1, "Method not allowed")
            return self._public(public)
        return self._private(req, method, path, raw_query)

    def _public(self, which: str) -> Reply:
        if which == "health":
            return self._json(200, '{"status":"NORMAL"}')
        if which == "jp":
            markets: Any = {m for a in self.accounts.values() for m in a.markets}
        else:
            markets = _MARKETS_USA if which == "usa" else _MARKETS_EU
        body = [{"product_code": code, "market_type": kind} for code, kind in sorted(markets)]
        return self._json(200, json.dumps(body))

    def _private(self, req: BaseHTTPRequestHandler, method: str, path: str, raw_query: str) -> Reply:
        try:
            key = self._authenticate(req, method)
        except _ApiError as exc:
            return self._error(exc.http, exc.status, exc.message)
        now = self.gateway_time()
        with self._limit_lock:
            blocked = self._blocked_until.get(key.api_key, 0.0)
            limit = self.private_limit(key.api_key, now)
            if blocked > now:
                return self._blocked(key.api_key, blocked, now)
            window = self.window_seconds
            allowed, remaining, reset = self._key_counts.check(key.api_key, limit, window, now, True)
            if not allowed:
                self.lockouts += 1
                until = now + self.lockout_seconds
                self._blocked_until[key.api_key] = until
                self._penalty_until[key.api_key] = until + self.penalty_seconds
                return self._blocked(key.api_key, until, now)
            self._last_counted[key.api_key] = now
        if method != "GET":
            reply = self._error(405, -1, "Method not allowed")
        elif path not in key.permissions and path != "/v1/me/getpermissions":
            reply = self._error(403, -500, "Permission denied")
        else:
            try:
                reply = self._serve(key, path, raw_query)
            except _ApiError as exc:
                reply = self._error(exc.http, exc.status, exc.message)
        reply.headers.update(self._limit_headers(remaining, reset, now))
        return reply

    def _blocked(self, api_key: str, until: float, now: float) -> Reply:
        """A blocked key's answer; its Reset is when it may send again (ours: after the block and
        after every request counted in the window has left it, so the lowered limit holds too)."""
        reply = self._error(429, -1, "Over API limit per period per user")
        free = self._last_counted.get(api_key, now) + self.window_seconds
        reply.headers.update(self._limit_headers(0, max(until, free), now))
        return reply

    def _authenticate(self, req: BaseHTTPRequestHandler, method: str) -> SimulatedKey:
        api_key = req.headers.get("ACCESS-KEY") or ""
        stamp = req.headers.get("ACCESS-TIMESTAMP") or ""
        signature = req.headers.get("ACCESS-SIGN") or ""
        for name, value in (("ACCESS-KEY", api_key), ("ACCESS-TIMESTAMP", stamp), ("ACCESS-SIGN", signature)):
            if not value:
                raise _ApiError(401, -500, f"{name} header is required")
        key = self.keys.get(api_key)
        if key is None:
            raise _ApiError(401, -500, "Key not found")
        try:
            seconds = float(stamp)
        except ValueError:
            raise _ApiError(401, -500, "ACCESS-TIMESTAMP is invalid") from None
        now_s = self.server_time_ms() / 1000
        if not math.isfinite(seconds) or abs(seconds - now_s) > self.timestamp_window_s:
            raise _ApiError(401, -500, "ACCESS-TIMESTAMP is out of the accepted range")
        body = read_body(req).decode("utf-8", errors="replace")
        expected = sign(key.secret, stamp, method, req.path, body)
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            raise _ApiError(401, -500, "Invalid signature")
        return key

    def _serve(self, key: SimulatedKey, path: str, raw_query: str) -> Reply:
        account = self.accounts[key.account]
        params = _params(raw_query)
        if path == "/v1/me/getpermissions":
            return self._json(200, json.dumps(list(key.permissions)))
        if path == "/v1/me/getbalance":
            rows = [
                "{" + f'"currency_code":{json.dumps(r["currency_code"])},"amount":{number(r["amount"])},'
                f'"available":{number(r["available"])}' + "}"
                for r in account.balance_list()
            ]
            return self._json(200, "[" + ",".join(rows) + "]")
        kind = _LISTS[path]
        allowed = _LIST_PARAMS.get(kind, {"count", "before", "after"})
        unknown = set(params) - allowed
        if unknown:
            raise _ApiError(400, -1, f"Invalid parameter: {sorted(unknown)[0]}")
        count = _int_param(params, "count", DEFAULT_COUNT, minimum=1) or DEFAULT_COUNT
        before = _int_param(params, "before", None, minimum=0)
        after = _int_param(params, "after", None, minimum=0)
        records = self._list(account, kind, params)
        _, body = records.page(min(count, MAX_COUNT), before, after)
        return self._json(200, body)

    @staticmethod
    def _list(account: SimAccount, kind: str, params: dict[str, str]) -> RecordList:
        if kind == "executions":
            code = params.get("product_code") or "BTC_JPY"
            if not code.replace("_", "").isalnum() or code.upper() != code:
                raise _ApiError(400, -1, "Invalid product_code")
            return account.executions.get(code) or RecordList()
        if kind == "balance":
            currency = params.get("currency_code") or "JPY"
            if not currency.isalnum() or currency.upper() != currency:
                raise _ApiError(400, -1, "Invalid currency_code")
            return account.balance_history.get(currency) or RecordList()
        lists: dict[str, RecordList] = {
            "coinins": account.coin_ins,
            "coinouts": account.coin_outs,
            "deposits": account.deposits,
            "withdrawals": account.withdrawals,
            "collateral": account.collateral,
        }
        return lists[kind]

    # -- replies --------------------------------------------------------------------------------
    @staticmethod
    def _json(status: int, body: str, ret_code: int = 0) -> Reply:
        return Reply(status, body.encode(), "application/json; charset=utf-8", ret_code)

    def _error(self, http_status: int, status: int, message: str) -> Reply:
        body = json.dumps({"status": status, "error_message": message, "data": None})
        return self._json(http_status, body, status)

    def _limit_headers(self, remaining: int, reset_mono: float, now_mono: float) -> dict[str, str]:
        reset_s = (self.server_time_ms() / 1000) + max(0.0, reset_mono - now_mono)
        return {
            "X-RateLimit-Period": str(round(self.window_seconds)),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": str(math.ceil(reset_s)),
        }

    def _fault_reply(self, fault: Fault) -> Reply:
        if fault.kind == "rate_limit_storm":
            reply = self._error(429, -1, "Over API limit per period per user")
            now = time.monotonic()
            reply.headers.update(self._limit_headers(0, now + 1.0, now))
            return reply
        if fault.kind == "malformed_json":
            return Reply(200, b'[{"id":1,"price":12', "application/json; charset=utf-8", -1)
        transport = self.transport_fault(fault)
        if transport is not None:
            return transport
        code = fault.ret_code
        return self._error(400, code, MESSAGES.get(code, "An error occurred."))


def _params(raw_query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        if name in params:
            raise _ApiError(400, -1, f"Invalid parameter: duplicate {name}")
        params[name] = value
    return params


def _int_param(params: dict[str, str], name: str, default: int | None, *, minimum: int) -> int | None:
    text = params.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < minimum:
        raise _ApiError(400, -1, f"Invalid parameter: {name}")
    return int(text)
