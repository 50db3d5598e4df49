"""A strict, local Binance REST API over simulated accounts (127.0.0.1 only).

What it enforces, from the docs (developers.binance.com; ``rest-api.md`` and ``errors.md`` of
github.com/binance/binance-spot-api-docs) and, where they are silent, our own choice (*ours*):

* **Signing**: ``X-MBX-APIKEY``; ``signature`` last in the query string, the hex HMAC-SHA256 of
  everything before it (plus the body); ``timestamp`` within ``recvWindow`` (default 5000, at most
  60000): accepted iff ``timestamp < serverTime + 1000`` and ``serverTime - timestamp <=
  recvWindow``, else -1021. Bad signature -1022; a key not shaped like a Binance key -2014; an
  unknown key, an address outside the key's trusted IPs, a key that may not read, or a key without
  futures access on ``/fapi``/``/dapi``: -2015 (HTTP 401; *ours*: the status).
* **Weights**: ``/api`` 6,000 per minute per IP; each ``/sapi`` endpoint its own 12,000 per minute
  per IP or 180,000 per minute per account (withdrawal history: per second); ``/fapi`` and
  ``/dapi`` 2,400 per minute per IP; each route's documented weight; every answer carries the used
  weight (``X-MBX-USED-WEIGHT-1M``, ``X-SAPI-USED-IP-WEIGHT-1M``, ``X-SAPI-USED-UID-WEIGHT-1M``,
  ``…-1S``). A request over the budget answers HTTP 429 with ``Retry-After`` and -1003.
* **Bans**: "Repeatedly violating rate limits and/or failing to back off after receiving 429s will
  result in an automated IP ban (HTTP status 418)" (*ours*: the rule: a request on a budget whose
  ``Retry-After`` has not passed, arriving more than ``grace_s`` after that 429 — so not one already
  in flight — is ignoring it; ``ban_after`` of those from one address within a minute ban it for
  ``ban_seconds``, and every request then answers 418 with the ``Retry-After`` until the ban is over).
* **Lists**: the parameters, windows, defaults, page sizes and look-backs each endpoint documents
  (see the handlers); a window too wide answers -1127 (*ours* where the docs name no code); a
  symbol it does not list answers -1121; no margin account -3003, no isolated pair -11001.
* **Faults** from the kit's :class:`FaultPlan`: drops, 5xx pages, broken JSON, error codes, and
  rate-limit storms (a 429 that starts a ``Retry-After`` like a real one).
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

from cryptact_desktop.simulator.kit import Fault, FaultPlan, Reply, RollingCounter, SimulatorServer
from cryptact_desktop.simulator.kit.server import read_body

from .account import DUST_START_MS, INCOME_REACH_DAYS, TRANSFER_REACH_DAYS, SimAccount, TimedList, TradeList

DAY_MS = 86_400_000
_KEY_SHAPE = re.compile(r"^[A-Za-z0-9]{16,128}$")
_ALWAYS = frozenset({"timestamp", "recvWindow", "signature"})
_SERVER_ERRORS = frozenset({-1000, -1001, -1006, -1007, -1008})
_EIGHT = Decimal("0.00000001")


def sign(secret: str, total_params: str) -> str:
    """Binance's ``signature``: hex HMAC-SHA256 of the query string (+ body)."""
    return hmac.new(secret.encode(), total_params.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SimulatedKey:
    """A key the simulator accepts for ``account`` (a name in the simulator's accounts).

    The flags are what ``apiRestrictions`` reports; ``trusted_ips`` (when given) are the only
    addresses it works from; ``futures``: whether the futures APIs accept it (a key made before the
    futures account was opened is refused there)."""

    api_key: str
    secret: str = field(repr=False)
    account: str
    enable_reading: bool = True
    trading: bool = False
    withdrawals: bool = False
    futures: bool = True
    trusted_ips: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Route:
    family: str  # api, sapi, fapi, dapi
    weight: int
    signed: bool = True
    uid: bool = False  # a /sapi budget per account instead of per address
    per_second: bool = False
    params: frozenset[str] = frozenset()


def _route(family: str, weight: int, params: str = "", **kw: Any) -> _Route:
    return _Route(family, weight, params=frozenset(params.split()), **kw)


_WINDOW = "startTime endTime"
ROUTES: dict[str, _Route] = {
    "/api/v3/ping": _route("api", 1, signed=False),
    "/api/v3/time": _route("api", 1, signed=False),
    "/api/v3/exchangeInfo": _route("api", 20, "symbol symbols permissions", signed=False),
    "/api/v3/account": _route("api", 20, "omitZeroBalances"),
    "/api/v3/myTrades": _route("api", 20, f"symbol orderId fromId limit {_WINDOW}"),
    "/sapi/v1/account/apiRestrictions": _route("sapi", 1),
    "/sapi/v1/margin/myTrades": _route("sapi", 10, f"symbol isIsolated orderId fromId limit {_WINDOW}"),
    "/sapi/v1/margin/account": _route("sapi", 10),
    "/sapi/v1/margin/isolated/account": _route("sapi", 10, "symbols"),
    "/sapi/v1/capital/deposit/hisrec": _route(
        "sapi", 1, f"coin status offset limit txId includeSource {_WINDOW}"
    ),
    "/sapi/v1/capital/withdraw/history": _route(
        "sapi", 18_000, f"coin withdrawOrderId status offset limit idList {_WINDOW}", per_second=True
    ),
    "/sapi/v1/convert/tradeFlow": _route("sapi", 3_000, f"limit {_WINDOW}", uid=True),
    "/sapi/v1/asset/dribblet": _route("sapi", 1, f"accountType {_WINDOW}"),
    "/sapi/v1/simple-earn/flexible/history/rewardsRecord": _route(
        "sapi", 150, f"productId asset type current size {_WINDOW}"
    ),
    "/sapi/v1/simple-earn/locked/history/rewardsRecord": _route(
        "sapi", 150, f"positionId asset current size {_WINDOW}"
    ),
    "/sapi/v1/fiat/orders": _route("sapi", 90_000, "transactionType beginTime endTime page rows", uid=True),
    "/sapi/v1/fiat/payments": _route("sapi", 1, "transactionType beginTime endTime page rows"),
    "/sapi/v1/asset/transfer": _route("sapi", 1, f"type current size fromSymbol toSymbol {_WINDOW}"),
    "/fapi/v1/income": _route("fapi", 30, f"symbol incomeType page limit {_WINDOW}"),
    "/dapi/v1/income": _route("dapi", 20, f"symbol incomeType page limit {_WINDOW}"),
}


class _ApiError(Exception):
    def __init__(self, http: int, code: int, message: str) -> None:
        super().__init__(message)
        self.http = http
        self.code = code
        self.message = message


@dataclass(slots=True)
class _Penalty:
    since: float
    until: float


class BinanceSimulator(SimulatorServer):
    """A local Binance API. ``start()`` returns ``http://127.0.0.1:<port>``."""

    name = "binance-simulator"
    api_key_header = "X-MBX-APIKEY"

    def __init__(
        self,
        accounts: dict[str, SimAccount],
        keys: list[SimulatedKey],
        *,
        rate_limit_scale: float = 1.0,
        latency_ms: int = 0,
        faults: FaultPlan | None = None,
        clock_offset_ms: int = 0,
        ban_after: int = 10,
        grace_s: float = 0.5,
        ban_seconds: float = 120.0,
        port: int = 0,
    ) -> None:
        super().__init__(latency_ms=latency_ms, faults=faults, clock_offset_ms=clock_offset_ms, port=port)
        self.accounts = accounts
        self.keys = {k.api_key: k for k in keys}
        self.rate_limit_scale = rate_limit_scale
        self.ban_after = ban_after
        self.grace_s = grace_s
        self.ban_seconds = max(1.0, ban_seconds / max(rate_limit_scale, 1e-9))
        self._counter = RollingCounter()
        self._penalties: dict[tuple[str, str], _Penalty] = {}
        self._ignored = RollingCounter()  # requests that ignored a Retry-After, per address
        self._banned_until_ip: dict[str, float] = {}
        self._limit_lock = threading.Lock()
        self.refusals = 0  # 429 answers for a budget (a careful client keeps this near 0)
        self.bans = 0  # 418 bans started (a client must keep this at 0)
        self.banned_answers = 0  # 418 answers
        self._symbols: dict[str, tuple[str, str, bool]] = {}
        for account in accounts.values():
            for info in account.symbols.values():
                self._symbols.setdefault(info.symbol, (info.base, info.quote, info.margin))

    def ban(self, ip: str, seconds: float) -> None:
        """Ban an address as if it had ignored 429s (a test of what a client does with a 418)."""
        with self._limit_lock:
            self.bans += 1
            self._banned_until_ip[ip] = time.monotonic() + seconds

    # -- budgets ---------------------------------------------------------------------------------
    def budget(self, route: _Route, path: str) -> tuple[int, float, str]:
        """(weight limit, window seconds, used-weight header) of a route's budget."""
        scale = self.rate_limit_scale
        if route.family == "api":
            return max(1, round(6_000 * scale)), 60.0, "X-MBX-USED-WEIGHT-1M"
        if route.family in ("fapi", "dapi"):
            return max(1, round(2_400 * scale)), 60.0, "X-MBX-USED-WEIGHT-1M"
        who = "UID" if route.uid else "IP"
        if route.per_second:
            return max(1, round(180_000 * scale)), 1.0, f"X-SAPI-USED-{who}-WEIGHT-1S"
        limit = 180_000 if route.uid else 12_000
        return max(1, round(limit * scale)), 60.0, f"X-SAPI-USED-{who}-WEIGHT-1M"

    def _budget_key(self, route: _Route, path: str, ip: str, account: str) -> tuple[str, str]:
        if route.family != "sapi":
            return (ip, route.family)
        return (f"uid:{account}", path) if route.uid else (ip, path)

    def _charge(self, route: _Route, path: str, ip: str, account: str, weight: int) -> Reply | dict[str, str]:
        """Take the request's weight, or the refusal that answers it (429, or 418 for a ban)."""
        now = self.gateway_time()
        limit, window, header = self.budget(route, path)
        key = self._budget_key(route, path, ip, account)
        with self._limit_lock:
            banned = self._banned_until_ip.get(ip, 0.0)
            if banned > now:
                self.banned_answers += 1
                return self._banned(banned, now)
            penalty = self._penalties.get(key)
            if penalty is not None and now < penalty.until:
                if now > penalty.since + self.grace_s:
                    self._ignored.check(ip, 10**9, 60.0, now, True)
                    if self._ignored.used(ip, 60.0, now) >= self.ban_after:
                        self.bans += 1
                        until = now + self.ban_seconds
                        self._banned_until_ip[ip] = until
                        self.banned_answers += 1
                        return self._banned(until, now)
                used = self._counter.used(key, window, now)
                return self._too_many(limit, window, penalty.until - now, header, used)
            allowed, remaining, reset = self._counter.check(key, limit, window, now, True, weight)
            if not allowed:
                self.refusals += 1
                wait = max(0.05, reset - now)
                self._penalties[key] = _Penalty(now, now + wait)
                return self._too_many(limit, window, wait, header, limit - remaining)
            return {header: str(limit - remaining)}

    def _too_many(self, limit: int, window: float, wait: float, header: str, used: int) -> Reply:
        unit = "SECOND" if window == 1.0 else "MINUTE"
        reply = self._error(
            429,
            -1003,
            f"Too much request weight used; current limit is {limit} request weight per 1 {unit}. "
            "Please use WebSocket Streams for live updates to avoid polling the API.",
        )
        reply.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        reply.headers[header] = str(used)
        return reply

    def _banned(self, until: float, now: float) -> Reply:
        until_ms = self.server_time_ms() + int((until - now) * 1000)
        reply = self._error(
            418,
            -1003,
            f"Way too much request weight used; IP banned until {until_ms}. "
            "Please use WebSocket Streams for live updates to avoid bans.",
        )
        reply.headers["Retry-After"] = str(max(1, math.ceil(until - now)))
        return reply

    def storm(self, route: _Route, path: str, ip: str, account: str) -> Reply:
        """A rate-limit refusal that is not the client's doing (another program on the address): a
        real 429 with a ``Retry-After`` of one second, which the client must honour."""
        now = time.monotonic()
        limit, window, header = self.budget(route, path)
        key = self._budget_key(route, path, ip, account)
        with self._limit_lock:
            self.refusals += 1
            self._penalties[key] = _Penalty(now, now + 1.0)
            used = self._counter.used(key, window, now)
        return self._too_many(limit, window, 1.0, header, used)

    # -- request handling --------------------------------------------------------------------------
    def dispatch(self, req: BaseHTTPRequestHandler, method: str, path: str, raw_query: str) -> Reply:
        route = ROUTES.get(path)
        if route is None:
            return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html", -1)
        ip = req.client_address[0]
        api_key = req.headers.get("X-MBX-APIKEY") or ""
        key = self.keys.get(api_key)
        account = key.account if key is not None else ""
        fault = self.pick_fault(path, route.signed)
        if fault is not None:
            return self._fault_reply(fault, route, path, ip, account)
        weight = route.weight
        charged = self._charge(route, path, ip, account, weight)
        if isinstance(charged, Reply):
            return charged
        try:
            if method != "GET":
                raise _ApiError(405, -1000, "Method not allowed.")
            params = self._params(req, route, raw_query, ip)
            reply = self._serve(path, params, key)
        except _ApiError as exc:
            reply = self._error(exc.http, exc.code, exc.message)
        reply.headers.update(charged)
        return reply

    def _params(self, req: BaseHTTPRequestHandler, route: _Route, raw_query: str, ip: str) -> dict[str, str]:
        if not route.signed:
            params = dict(parse_qsl(raw_query, keep_blank_values=True))
            self._check_names(params, route)
            return params
        api_key = req.headers.get("X-MBX-APIKEY") or ""
        if not _KEY_SHAPE.match(api_key):
            raise _ApiError(401, -2014, "API-key format invalid.")
        key = self.keys.get(api_key)
        if key is None:
            raise _ApiError(401, -2015, "Invalid API-key, IP, or permissions for action.")
        total, marker, signature = raw_query.rpartition("&signature=")
        if not marker:
            total, signature = "", ""
        if not signature or "&" in signature:
            raise _ApiError(
                400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed."
            )
        params = dict(parse_qsl(total, keep_blank_values=True))
        self._check_names(params, route)
        stamp = params.get("timestamp", "")
        if not stamp.isdigit():
            raise _ApiError(
                400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."
            )
        window = params.get("recvWindow", "5000")
        try:
            recv_window = float(window)
        except ValueError:
            raise _ApiError(400, -1100, "Illegal characters found in parameter 'recvWindow'.") from None
        if not 0 < recv_window <= 60_000:
            raise _ApiError(400, -1130, "Data sent for parameter 'recvWindow' is not valid.")
        server = self.server_time_ms()
        if not (int(stamp) < server + 1000 and server - int(stamp) <= recv_window):
            raise _ApiError(400, -1021, "Timestamp for this request is outside of the recvWindow.")
        expected = sign(key.secret, total + read_body(req).decode("utf-8", errors="replace"))
        if not hmac.compare_digest(signature.lower().encode(), expected.encode()):
            raise _ApiError(400, -1022, "Signature for this request is not valid.")
        refused = (
            (key.trusted_ips and ip not in key.trusted_ips)
            or not key.enable_reading
            or (route.family in ("fapi", "dapi") and not key.futures)
        )
        if refused:
            raise _ApiError(401, -2015, f"Invalid API-key, IP, or permissions for action, request ip: {ip}")
        return params

    @staticmethod
    def _check_names(params: dict[str, str], route: _Route) -> None:
        unknown = set(params) - route.params - _ALWAYS
        if unknown:
            read = len(params) - len(unknown)
            raise _ApiError(
                400,
                -1104,
                f"Not all sent parameters were read; read '{read}' parameter(s) "
                f"but was sent '{len(params)}'.",
            )

    def _serve(self, path: str, params: dict[str, str], key: SimulatedKey | None) -> Reply:
        now = self.server_time_ms()
        if path == "/api/v3/ping":
            return self._json("{}")
        if path == "/api/v3/time":
            return self._json(json.dumps({"serverTime": now}))
        if path == "/api/v3/exchangeInfo":
            return self._exchange_info(now)
        assert key is not None
        account = self.accounts[key.account]
        handler = self._handlers().get(path)
        if handler is None:
            raise _ApiError(404, -1000, "Not found.")
        return handler(account, key, params, now)

    def _handlers(self) -> dict[str, Callable[[SimAccount, SimulatedKey, dict[str, str], int], Reply]]:
        return {
            "/api/v3/account": self._account,
            "/api/v3/myTrades": self._my_trades,
            "/sapi/v1/account/apiRestrictions": self._restrictions,
            "/sapi/v1/margin/myTrades": self._margin_trades,
            "/sapi/v1/margin/account": self._margin_account,
            "/sapi/v1/margin/isolated/account": self._isolated_account,
            "/sapi/v1/capital/deposit/hisrec": self._deposits,
            "/sapi/v1/capital/withdraw/history": self._withdrawals,
            "/sapi/v1/convert/tradeFlow": self._converts,
            "/sapi/v1/asset/dribblet": self._dust,
            "/sapi/v1/simple-earn/flexible/history/rewardsRecord": self._earn_flexible,
            "/sapi/v1/simple-earn/locked/history/rewardsRecord": self._earn_locked,
            "/sapi/v1/fiat/orders": self._fiat_orders,
            "/sapi/v1/fiat/payments": self._payments,
            "/sapi/v1/asset/transfer": self._transfers,
            "/fapi/v1/income": self._income_usdm,
            "/dapi/v1/income": self._income_coinm,
        }

    # -- handlers ---------------------------------------------------------------------------------
    def _exchange_info(self, now: int) -> Reply:
        scale = self.rate_limit_scale
        body = {
            "timezone": "UTC",
            "serverTime": now,
            "rateLimits": [
                {
                    "rateLimitType": "REQUEST_WEIGHT",
                    "interval": "MINUTE",
                    "intervalNum": 1,
                    "limit": round(6000 * scale),
                },
                {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 100},
                {"rateLimitType": "RAW_REQUESTS", "interval": "MINUTE", "intervalNum": 5, "limit": 61000},
            ],
            "exchangeFilters": [],
            "symbols": [
                {
                    "symbol": symbol,
                    "status": "TRADING",
                    "baseAsset": base,
                    "quoteAsset": quote,
                    "isSpotTradingAllowed": True,
                    "isMarginTradingAllowed": margin,
                    "permissions": ["SPOT", "MARGIN"] if margin else ["SPOT"],
                }
                for symbol, (base, quote, margin) in sorted(self._symbols.items())
            ],
        }
        return self._json(json.dumps(body))

    def _account(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        balances = [
            {"asset": coin, "free": format(amount.quantize(_EIGHT), "f"), "locked": "0.00000000"}
            for coin, amount in account.held()
        ]
        body = {
            "makerCommission": 10,
            "takerCommission": 10,
            "canTrade": key.trading,
            "canWithdraw": key.withdrawals,
            "canDeposit": True,
            "updateTime": now,
            "accountType": "SPOT",
            "balances": balances,
            "permissions": ["SPOT"],
            "uid": int(hashlib.sha256(key.account.encode()).hexdigest()[:8], 16),
        }
        return self._json(json.dumps(body))

    def _restrictions(
        self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int
    ) -> Reply:
        body = {
            "ipRestrict": bool(key.trusted_ips),
            "createTime": now - 30 * DAY_MS,
            "enableReading": key.enable_reading,
            "enableWithdrawals": key.withdrawals,
            "enableInternalTransfer": False,
            "enableMargin": False,
            "enableFutures": False,
            "permitsUniversalTransfer": False,
            "enableVanillaOptions": False,
            "enableFixApiTrade": False,
            "enableFixReadOnly": False,
            "enableSpotAndMarginTrading": key.trading,
            "enablePortfolioMarginTrading": False,
        }
        return self._json(json.dumps(body))

    def _trade_page(self, trades: TradeList | None, params: dict[str, str]) -> Reply:
        limit = _int(params, "limit", 500, 1, 1000)
        from_id = params.get("fromId")
        start, end = params.get("startTime"), params.get("endTime")
        if from_id is not None and (start is not None or end is not None):
            raise _ApiError(400, -1128, "Combination of optional parameters invalid.")
        if start is not None and end is not None and int(end) - int(start) > DAY_MS:
            raise _ApiError(400, -1127, "More than 24 hours between startTime and endTime.")
        if trades is None or len(trades) == 0:
            return self._json("[]")
        if from_id is not None:
            if not from_id.isdigit():
                raise _ApiError(400, -1100, "Illegal characters found in parameter 'fromId'.")
            chosen = trades.from_id(int(from_id), limit)
        elif start is not None or end is not None:
            lo = int(start) if start is not None else int(end or 0) - DAY_MS
            hi = int(end) if end is not None else lo + DAY_MS
            i, j = trades.span(lo, hi)
            chosen = trades.json[i : min(j, i + limit)]
        else:
            chosen = trades.json[-limit:]
        return self._json("[" + ",".join(chosen) + "]")

    def _symbol(self, params: dict[str, str]) -> str:
        symbol = params.get("symbol", "")
        if not symbol:
            raise _ApiError(
                400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."
            )
        if symbol not in self._symbols:
            raise _ApiError(400, -1121, "Invalid symbol.")
        return symbol

    def _my_trades(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        symbol = self._symbol(params)
        return self._trade_page(account.trades.get(symbol), params)

    def _margin_trades(
        self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int
    ) -> Reply:
        symbol = self._symbol(params)
        if not account.margin_account:
            raise _ApiError(400, -3003, "Margin account does not exist.")
        if params.get("isIsolated", "FALSE").upper() == "TRUE":
            if symbol not in account.isolated_symbols:
                raise _ApiError(400, -11001, "Isolated margin account does not exist.")
            return self._trade_page(account.margin_isolated.get(symbol), params)
        return self._trade_page(account.margin_cross.get(symbol), params)

    def _margin_account(
        self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int
    ) -> Reply:
        if not account.margin_account:
            raise _ApiError(400, -3003, "Margin account does not exist.")
        body = {
            "borrowEnabled": True,
            "marginLevel": "999.00000000",
            "totalAssetOfBtc": "0.00000000",
            "totalLiabilityOfBtc": "0.00000000",
            "totalNetAssetOfBtc": "0.00000000",
            "tradeEnabled": True,
            "transferEnabled": True,
            "userAssets": [],
        }
        return self._json(json.dumps(body))

    def _isolated_account(
        self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int
    ) -> Reply:
        if not account.margin_account:
            raise _ApiError(400, -3003, "Margin account does not exist.")
        assets = []
        for symbol in account.isolated_symbols:
            base, quote, _ = self._symbols[symbol]
            assets.append(
                {
                    "baseAsset": {"asset": base, "free": "0.00000000"},
                    "quoteAsset": {"asset": quote, "free": "0.00000000"},
                    "symbol": symbol,
                    "isolatedCreated": True,
                    "enabled": True,
                    "marginLevelStatus": "EXCESSIVE",
                }
            )
        return self._json(json.dumps({"assets": assets, "totalAssetOfBtc": "0.00000000"}))

    def _window(
        self,
        params: dict[str, str],
        now: int,
        *,
        default_days: int,
        max_ms: int | None,
        start_name: str = "startTime",
    ) -> tuple[int, int]:
        start, end = params.get(start_name), params.get("endTime")
        for name, value in ((start_name, start), ("endTime", end)):
            if value is not None and not value.isdigit():
                raise _ApiError(400, -1100, f"Illegal characters found in parameter '{name}'.")
        if start is None and end is None:
            lo, hi = now - default_days * DAY_MS, now
        elif start is None:
            hi = int(end or 0)
            lo = hi - default_days * DAY_MS
        elif end is None:
            lo = int(start)
            hi = min(now, lo + default_days * DAY_MS) if max_ms is not None else now
        else:
            lo, hi = int(start), int(end)
        if max_ms is not None and start is not None and end is not None and hi - lo > max_ms:
            # "If both startTime and endTime are sent, time between [them] must be less than …"
            raise _ApiError(400, -1127, "Lookup interval is too big.")
        if hi < lo:
            raise _ApiError(400, -1130, "Data sent for parameter 'endTime' is not valid.")
        return lo, hi

    def _offset_page(self, records: TimedList, params: dict[str, str], now: int) -> Reply:
        lo, hi = self._window(params, now, default_days=90, max_ms=90 * DAY_MS - 1)
        offset = _int(params, "offset", 0, 0, 10**9)
        limit = _int(params, "limit", 1000, 1, 1000)
        i, j = records.span(lo, hi)
        newest_first = records.json[i:j][::-1]
        return self._json("[" + ",".join(newest_first[offset : offset + limit]) + "]")

    def _deposits(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        return self._offset_page(account.deposits, params, now)

    def _withdrawals(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        return self._offset_page(account.withdrawals, params, now)

    def _converts(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        if "startTime" not in params or "endTime" not in params:
            raise _ApiError(
                400, -1102, "Mandatory parameter 'startTime' was not sent, was empty/null, or malformed."
            )
        lo, hi = self._window(params, now, default_days=30, max_ms=30 * DAY_MS)
        limit = _int(params, "limit", 100, 1, 1000)
        i, j = account.converts.span(lo, hi)
        newest_first = account.converts.json[i:j][::-1]
        more = len(newest_first) > limit
        body = (
            '{"list":[' + ",".join(newest_first[:limit]) + f'],"startTime":{lo},"endTime":{hi},'
            f'"limit":{limit},"moreData":{"true" if more else "false"}' + "}"
        )
        return self._json(body)

    def _dust(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        lo = int(params["startTime"]) if params.get("startTime", "").isdigit() else 0
        hi = int(params["endTime"]) if params.get("endTime", "").isdigit() else now
        i, j = account.dust.span(max(lo, DUST_START_MS), hi)
        last = account.dust.json[max(i, j - 100) : j]  # "Only return last 100 records"
        body = '{"total":' + str(len(account.dust)) + ',"userAssetDribblets":[' + ",".join(last) + "]}"
        return self._json(body)

    def _paged(
        self, records: list[str], params: dict[str, str], *, page: str, size: str, most: int
    ) -> tuple[list[str], int]:
        number = _int(params, page, 1, 1, 10**6)
        count = _int(params, size, 10 if size == "size" else 100, 1, most)
        return records[(number - 1) * count : number * count], len(records)

    def _earn(self, lists: list[TimedList], params: dict[str, str], now: int) -> Reply:
        lo, hi = self._window(params, now, default_days=30, max_ms=None)
        if "startTime" in params and "endTime" in params and hi > _add_months(lo, 3):
            raise _ApiError(400, -1127, "Query time range too large.")
        chosen: list[tuple[int, str]] = []
        for records in lists:
            i, j = records.span(lo, hi)
            chosen.extend(zip(records.times[i:j], records.json[i:j], strict=True))
        chosen.sort(key=lambda pair: pair[0], reverse=True)
        page, total = self._paged([text for _, text in chosen], params, page="current", size="size", most=100)
        return self._json('{"rows":[' + ",".join(page) + f'],"total":{total}' + "}")

    def _earn_flexible(
        self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int
    ) -> Reply:
        kind = params.get("type", "").upper()
        if kind not in ("BONUS", "REALTIME", "REWARDS", "ALL"):
            raise _ApiError(
                400, -1102, "Mandatory parameter 'type' was not sent, was empty/null, or malformed."
            )
        kinds = ("BONUS", "REALTIME", "REWARDS") if kind == "ALL" else (kind,)
        return self._earn(
            [account.earn_flexible[k] for k in kinds if k in account.earn_flexible], params, now
        )

    def _earn_locked(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        return self._earn([account.earn_locked], params, now)

    def _fiat(self, lists: dict[str, TimedList], params: dict[str, str], now: int) -> Reply:
        kind = params.get("transactionType", "")
        if kind not in ("0", "1"):
            raise _ApiError(
                400,
                -1102,
                "Mandatory parameter 'transactionType' was not sent, was empty/null, or malformed.",
            )
        lo, hi = self._window(params, now, default_days=30, max_ms=None, start_name="beginTime")
        records = lists.get(kind) or TimedList()
        i, j = records.span(lo, hi)
        page, total = self._paged(records.json[i:j][::-1], params, page="page", size="rows", most=500)
        data = ',"data":[' + ",".join(page) + "]" if total else ""
        return self._json(
            '{"code":"000000","message":"success"' + data + f',"total":{total},"success":true' + "}"
        )

    def _fiat_orders(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        return self._fiat(account.fiat_orders, params, now)

    def _payments(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        return self._fiat(account.payments, params, now)

    def _transfers(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        kind = params.get("type", "")
        if not kind:
            raise _ApiError(
                400, -1102, "Mandatory parameter 'type' was not sent, was empty/null, or malformed."
            )
        lo, hi = self._window(params, now, default_days=7, max_ms=None)
        lo = max(lo, now - TRANSFER_REACH_DAYS * DAY_MS)  # "Support query within the last 6 months only"
        records = account.transfers.get(kind) or TimedList()
        i, j = records.span(lo, hi)
        page, total = self._paged(records.json[i:j][::-1], params, page="current", size="size", most=100)
        return self._json(f'{{"total":{total},"rows":[' + ",".join(page) + "]}")

    def _income(
        self,
        records: TimedList,
        params: dict[str, str],
        now: int,
        *,
        reach_days: int | None,
        max_ms: int | None,
    ) -> Reply:
        lo, hi = self._window(params, now, default_days=7, max_ms=max_ms)
        if reach_days is not None:
            lo = max(lo, now - reach_days * DAY_MS)  # "only contains data for the last three months"
        i, j = records.span(lo, hi)
        page, _ = self._paged(records.json[i:j], params, page="page", size="limit", most=1000)
        return self._json("[" + ",".join(page) + "]")

    def _income_usdm(self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int) -> Reply:
        return self._income(account.income_usdm, params, now, reach_days=INCOME_REACH_DAYS, max_ms=None)

    def _income_coinm(
        self, account: SimAccount, key: SimulatedKey, params: dict[str, str], now: int
    ) -> Reply:
        return self._income(account.income_coinm, params, now, reach_days=None, max_ms=366 * DAY_MS)

    # -- replies --------------------------------------------------------------------------------
    @staticmethod
    def _json(body: str, status: int = 200, code: int = 0) -> Reply:
        return Reply(status, body.encode(), "application/json;charset=UTF-8", code)

    def _error(self, http_status: int, code: int, message: str) -> Reply:
        return self._json(json.dumps({"code": code, "msg": message}), http_status, code)

    def _fault_reply(self, fault: Fault, route: _Route, path: str, ip: str, account: str) -> Reply:
        reply = self.transport_fault(fault)
        if reply is not None:
            return reply
        if fault.kind == "rate_limit_storm":
            return self.storm(route, path, ip, account)
        if fault.kind == "ret_code":
            status = 500 if fault.ret_code in _SERVER_ERRORS else 400
            return self._error(
                status, fault.ret_code, "Internal error; unable to process your request. Please try again."
            )
        return self._error(500, -1000, "An unknown error occurred while processing the request.")


def _int(params: dict[str, str], name: str, default: int, lowest: int, highest: int) -> int:
    text = params.get(name)
    if text is None or text == "":
        return default
    if not text.lstrip("-").isdigit():
        raise _ApiError(400, -1100, f"Illegal characters found in parameter '{name}'.")
    value = int(text)
    if not lowest <= value <= highest:
        raise _ApiError(400, -1130, f"Data sent for parameter '{name}' is not valid.")
    return value


def _add_months(ms: int, months: int) -> int:
    """``ms`` plus calendar months (the day clipped to the month's end)."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    shifted = moment.replace(year=year, month=month, day=day)
    return int(shifted.timestamp() * 1000)
