"""The V5 endpoints the simulator serves: parameters, time windows, filters and paging.

Each handler gets the parsed query (already authenticated) and returns ``(retMsg, result)`` or
raises :class:`ApiError`. Records come from a :class:`~.history.SimAccount` via bisect over its
newest-first lists; pages are positions in that order, so equal timestamps keep one stable order
across pages. Cursors carry the position plus a hash of the other query parameters: a cursor
replayed with different parameters, or a forged one, is rejected with 10001.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from .history import SimAccount, StreamData
from .streams import DAY_MS, HOUR_MS

Params = dict[str, str]
Record = dict[str, Any]

# The exact wording Bybit uses for these parameter errors is not documented or observed
# (notes "Unconfirmed"); the codes are 10001 and the texts are our own, written to be clear.
MSG_CATEGORY = "params error: category is required"
EXEC_TYPES = frozenset(
    {
        "Trade",
        "AdlTrade",
        "Funding",
        "BustTrade",
        "Delivery",
        "Settle",
        "BlockTrade",
        "MovePosition",
        "FutureSpread",
        "CorporateAction",
        "UNKNOWN",
    }
)
CONVERT_ACCOUNT_TYPES = frozenset(
    {
        "eb_convert_funding",
        "eb_convert_uta",
        "funding",
        "funding_fiat",
        "funding_fbtc_convert",
        "funding_block_trade",
    }
)


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class TimeRule:
    max_span_ms: int
    strict: bool  # True: end - start must be < max_span_ms ("less than 30 days")
    default_span_ms: int  # no time params: [now - default, now]
    single_span_ms: int  # only one of startTime/endTime given
    depth_days: int | None
    seconds: bool  # filter applied per whole second


EXEC_RULE = TimeRule(7 * DAY_MS, False, 7 * DAY_MS, 7 * DAY_MS, 730, False)
LEDGER_RULE = TimeRule(7 * DAY_MS, False, 24 * HOUR_MS, 24 * HOUR_MS, 730, False)
# The 30-day endpoints' behaviour with only one bound is undocumented; we use [t, t + 30 d - 1 ms].
ASSET_RULE = TimeRule(30 * DAY_MS, True, 30 * DAY_MS, 30 * DAY_MS - 1, None, True)
TRANSFER_RULE = TimeRule(7 * DAY_MS, False, 7 * DAY_MS, 7 * DAY_MS, 730, True)
EARN_YIELD_RULE = TimeRule(7 * DAY_MS, False, 7 * DAY_MS, 7 * DAY_MS, 90, False)
EARN_ORDER_RULE = TimeRule(7 * DAY_MS, False, 7 * DAY_MS, 7 * DAY_MS, 730, False)


# --- parameter helpers ---------------------------------------------------------------------------
_INT = re.compile(r"-?\d{1,19}")


def get(params: Params, name: str) -> str | None:
    """A parameter's value; an empty value counts as absent."""
    value = params.get(name)
    return value if value else None


def get_int(params: Params, name: str) -> int | None:
    value = get(params, name)
    if value is None:
        return None
    if not _INT.fullmatch(value):
        raise ApiError(10001, f"params error: {name} must be an integer")
    return int(value)


def get_limit(params: Params, lo: int, hi: int, default: int) -> int:
    limit = get_int(params, "limit")
    if limit is None:
        return default
    if not lo <= limit <= hi:
        raise ApiError(10001, f"params error: limit must be within [{lo}, {hi}]")
    return limit


def resolve_window(rule: TimeRule, params: Params, now_ms: int) -> tuple[int, int]:
    """The inclusive [lo, hi] ms range of records a time-filtered request covers."""
    start, end = get_int(params, "startTime"), get_int(params, "endTime")
    both = start is not None and end is not None
    if start is None and end is None:
        start, end = now_ms - rule.default_span_ms, now_ms
    elif end is None:
        assert start is not None
        end = start + rule.single_span_ms
    elif start is None:
        start = end - rule.single_span_ms
    if start < 0 or end < 0:
        raise ApiError(10001, "params error: startTime and endTime must not be negative")
    if end < start:
        raise ApiError(10001, "params error: endTime must not be earlier than startTime")
    span = end - start
    days = rule.max_span_ms // DAY_MS
    too_wide = span >= rule.max_span_ms if rule.strict else span > rule.max_span_ms
    if both and too_wide:
        limit = f"less than {days} days" if rule.strict else f"at most {days} days"
        raise ApiError(10001, f"params error: the time range between startTime and endTime must be {limit}")
    if rule.depth_days is not None and start < now_ms - rule.depth_days * DAY_MS:
        # The real text for a too-old startTime is unconfirmed (rotki's tests only mock "an error");
        # the code 10001 and this wording are our choice.
        raise ApiError(
            10001,
            f"params error: startTime is out of range, only the last {rule.depth_days} days can be queried",
        )
    if rule.seconds:
        return start - start % 1000, end - end % 1000 + 999
    return start, end


# --- cursors -------------------------------------------------------------------------------------
def query_hash(path: str, params: Params) -> int:
    canon = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in ("cursor", "limit") and v)
    return zlib.crc32(f"{path}?{canon}".encode())


def _b64_json(payload: dict[str, int]) -> str:
    # Real cursors are standard base64 (with "=" padding); avoid "+" and "/" so that a client
    # that forgets to percent-encode still round-trips ("=" in a value survives query parsing).
    for pad in range(64):
        body = dict(payload, v=pad) if pad else payload
        text = base64.b64encode(json.dumps(body, separators=(",", ":")).encode()).decode()
        if "+" not in text and "/" not in text:
            return text
    raise AssertionError("unreachable")  # pragma: no cover


def encode_cursor(style: str, offset: int, qhash: int) -> str:
    if style == "pct":  # execution/translog: "132766%3A2%2C132766%3A2"
        return quote(f"{qhash}:{offset},{qhash}:{offset}", safe="")
    if style == "b64":  # deposits/withdrawals/transfers: base64 of {"minID":..,"maxID":..}
        return _b64_json({"minID": offset, "maxID": qhash})
    return _b64_json({"o": offset, "q": qhash})  # earn: any opaque string


def decode_cursor(style: str, raw: str, qhash: int) -> int:
    bad = ApiError(10001, "params error: cursor is invalid")
    value = raw
    if "%" in value:  # the client percent-encoded the (already encoded) cursor once more
        value = unquote(value)
    if style == "pct":
        m = re.fullmatch(r"(\d{1,12}):(\d{1,9}),(\d{1,12}):(\d{1,9})", value)
        if not m or m.group(1) != m.group(3) or m.group(2) != m.group(4):
            raise bad
        h, offset = int(m.group(1)), int(m.group(2))
    else:
        try:
            data = json.loads(base64.b64decode(value.replace(" ", "+"), validate=True))
        except (binascii.Error, ValueError):
            raise bad from None
        keys = ("minID", "maxID") if style == "b64" else ("o", "q")
        if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in keys):
            raise bad
        offset, h = data[keys[0]], data[keys[1]]
    if h != qhash or offset < 0:
        raise bad
    return int(offset)


# --- paging --------------------------------------------------------------------------------------
def page(
    data: StreamData,
    lo: int,
    hi: int,
    params: Params,
    path: str,
    style: str,
    limit: int,
    keep: Callable[[Record], bool] | None = None,
) -> tuple[list[Record], str]:
    """One page of the records in [lo, hi] (newest first) and the next cursor."""
    qhash = query_hash(path, params)
    raw = get(params, "cursor")
    offset = decode_cursor(style, raw, qhash) if raw is not None else 0
    i, j = data.span(lo, hi)
    if keep is None:
        start = min(i + offset, j)
        stop = min(start + limit, j)
        records = data.build_range(start, stop)
        more = stop < j
    else:
        matching = [r for r in data.build_range(i, j) if keep(r)]
        records = matching[offset : offset + limit]
        more = offset + limit < len(matching)
    nxt = offset + len(records)
    if style == "b64":
        # Deposit/withdraw/transfer endpoints return a cursor on every non-empty page, even a
        # short last one (rotki fixture, notes §2.5); an empty page ends the walk.
        cursor = encode_cursor(style, nxt, qhash) if records else ""
    else:
        cursor = encode_cursor(style, nxt, qhash) if more else ""
    return records, cursor


def field_filter(params: Params, fields: dict[str, str]) -> Callable[[Record], bool] | None:
    """A record predicate for the given {param: record field} equality filters, or None."""
    wanted = [(f, v) for p, f in fields.items() if (v := get(params, p)) is not None]
    if not wanted:
        return None
    return lambda r: all(str(r.get(f)) == v for f, v in wanted)


def _and(*preds: Callable[[Record], bool] | None) -> Callable[[Record], bool] | None:
    active = [p for p in preds if p is not None]
    if not active:
        return None
    return lambda r: all(p(r) for p in active)


# --- handlers ------------------------------------------------------------------------------------
def execution_list(acct: SimAccount, params: Params, path: str, now_ms: int) -> tuple[str, Any]:
    category = get(params, "category")
    if category is None:
        raise ApiError(10001, MSG_CATEGORY)
    if category not in ("spot", "linear", "inverse", "option"):
        raise ApiError(10001, "Illegal category")
    limit = get_limit(params, 1, 100, 50)
    exec_type = get(params, "execType")
    if exec_type is not None and exec_type not in EXEC_TYPES:
        raise ApiError(10001, "params error: execType is invalid")
    lo, hi = resolve_window(EXEC_RULE, params, now_ms)
    base = get(params, "baseCoin")
    symbol = get(params, "symbol")
    if category == "option" and base is None and symbol is None:
        base = "BTC"  # docs: option queries return BTC by default when baseCoin is not passed
    settle = get(params, "settleCoin")
    keep = _and(
        field_filter(
            params,
            {"symbol": "symbol", "orderId": "orderId", "orderLinkId": "orderLinkId", "execType": "execType"},
        ),
        (lambda r: _base_of(r["symbol"], category) == base) if base is not None else None,
        (lambda r: _settle_of(r, category) == settle) if settle is not None else None,
    )
    records, cursor = page(acct.stream(f"execution_{category}"), lo, hi, params, path, "pct", limit, keep)
    return "OK", {"nextPageCursor": cursor, "category": category, "list": records}


_QUOTES = ("USDT", "USDC", "USD", "BTC", "ETH", "PERP")


def _base_of(symbol: str, category: str) -> str:
    if category == "option" or "-" in symbol:
        return symbol.split("-")[0].removesuffix("USDT").removesuffix("USDC")
    for q in _QUOTES:
        if symbol.endswith(q) and len(symbol) > len(q):
            return symbol[: -len(q)]
    return symbol


def _settle_of(rec: Record, category: str) -> str:
    symbol = str(rec["symbol"])
    if category == "inverse":
        return _base_of(symbol, category)
    if category == "option" or symbol.endswith(("PERP", "USDC")) or "-" in symbol and "USDT" not in symbol:
        return "USDC"
    return "USDT"


def transaction_log(acct: SimAccount, params: Params, path: str, now_ms: int) -> tuple[str, Any]:
    account_type = get(params, "accountType")
    if account_type is not None and account_type != "UNIFIED":
        raise ApiError(10001, "params error: accountType only supports UNIFIED")
    category = get(params, "category")
    if category is not None and category not in ("spot", "linear", "inverse", "option"):
        raise ApiError(10001, "Illegal category")
    limit = get_limit(params, 1, 50, 20)
    lo, hi = resolve_window(LEDGER_RULE, params, now_ms)
    base = get(params, "baseCoin")
    keep = _and(
        field_filter(
            params,
            {"category": "category", "currency": "currency", "type": "type", "transSubType": "transSubType"},
        ),
        (lambda r: bool(r["symbol"]) and _base_of(r["symbol"], r["category"]) == base) if base else None,
    )
    records, cursor = page(acct.stream("transaction_log"), lo, hi, params, path, "pct", limit, keep)
    return "OK", {"nextPageCursor": cursor, "list": records}


def deposit_onchain(acct: SimAccount, params: Params, path: str, now_ms: int) -> tuple[str, Any]:
    limit = get_limit(params, 1, 50, 50)
    lo, hi = resolve_window(ASSET_RULE, params, now_ms)
    keep = field_filter(params, {"id": "id", "txID": "txID", "coin": "coin"})
    records, cursor = page(acct.stream("deposit_onchain"), lo, hi, params, path, "b64", limit, keep)
    return "success", {"rows": records, "nextPageCursor": cursor}


def deposit_internal(acct: SimAccount, params: Params, path: str, now_ms: int) -> tuple[str, Any]:
    limit = get_limit(params, 1, 50, 50)
    lo, hi = resolve_window(ASSET_RULE, params, now_ms)
    keep = field_filter(params, {"txID": "txID", "coin": "coin"})
    records, cursor = page(acct.stream("deposit_internal"), lo, hi, params, path, "b64", limit, keep)
    return "success", {"rows": records, "nextPageCursor": cursor}


def withdrawals(acct: SimAccount, params: Params, path: str, now_ms: int) -> tuple[str, Any]:
    wtype = get_int(params, "withdrawType")
    wtype = 0 if wtype is None else wtype  # docs: 0 (on-chain only) is the default
    if wtype not in (0, 1, 2):
        raise ApiError(10001, "params error: withdrawType must be 0, 1 or 2")
    limit = get_limit(params, 1, 50, 50)
    lo, hi = resolve_window(ASSET_RULE, params, now_ms)
    keep = _and(
        field_filter(params, {"withdrawID": "withdrawId", "txID": "txID", "coin": "coin"}),
        (lambda r: r["withdrawType"] == wtype) if wtype != 2 else None,
    )
    records, cursor = page(acct.stream("withdrawal"), lo, hi, params, path, "b64", limit, keep)
    return "success", {"rows": records, "nextPageCursor": cursor}


def _transfers(stream: str) -> Callable[[SimAccount, Params, str, int], tuple[str, Any]]:
    def handler(acct: SimAccount, params: Params, path: str, now_ms: int) -> tuple[str, Any]:
        status = get(params, "status")
        if status is not None and status not in ("SUCCESS", "PENDING", "FAILED"):
            raise ApiError(10001, "params error: status is invalid")
        limit = get_limit(params, 1, 50, 20)
        lo, hi = resolve_window(TRANSFER_RULE, params, now_ms)
        keep = field_filter(params, {"transferId": "transferId", "coin": "coin", "status": "status"})
        records, cursor = page(acct.stream(stream), lo, hi, params, path, "b64", limit, keep)
        return "success", {"list": records, "nextPageCursor": cursor}

    return handler


def convert_history(acct: SimAccount, params: Params, path: str, now_ms: int) -> tuple[str, Any]:
    del path, now_ms
    types = get(params, "accountType")
    wanted: set[str] | None = None
    if types is not None:
        wanted = set(types.split(","))
        if not wanted <= CONVERT_ACCOUNT_TYPES:
            raise ApiError(10001, "params error: accountType is invalid")
    index = get_int(params, "index")
    index = 1 if index is None else index
    if index < 1:
        raise ApiError(10001, "params error: index must be >= 1")
    limit = get_limit(params, 1, 100, 20)
    data = acct.stream("convert")
    if wanted is None:
        start = min((index - 1) * limit, len(data))
        records = data.build_range(start, min(start + limit, len(data)))
    else:
        records = [r for r in data.build_range(0, len(data)) if r["accountType"] in wanted]
        records = records[(index - 1) * limit : index * limit]
    return "ok", {"list": records}


def _earn(stream: str, rule: TimeRule) -> Callable[[SimAccount, Params, str, int], tuple[str, Any]]:
    def handler(acct: SimAccount, params: Params, path: str, now_ms: int) -> tuple[str, Any]:
        category = get(params, "category")
        if category is None:
            raise ApiError(10001, MSG_CATEGORY)
        if category not in ("FlexibleSaving", "OnChain"):
            raise ApiError(10001, "params error: category is invalid")
        if (
            stream == "earn_order_flexible"
            and category == "OnChain"
            and get(params, "orderId") is None
            and get(params, "orderLinkId") is None
        ):
            raise ApiError(10001, "params error: orderId or orderLinkId is required for OnChain")
        limit = get_limit(params, 1, 100, 50)
        lo, hi = resolve_window(rule, params, now_ms)
        if category == "OnChain":  # the simulated account has no on-chain earn products
            return "", {"list": [], "nextPageCursor": ""}
        keep = field_filter(params, {"productId": "productId", "orderId": "orderId", "coin": "coin"})
        records, cursor = page(acct.stream(stream), lo, hi, params, path, "opaque", limit, keep)
        return "", {"list": records, "nextPageCursor": cursor}

    return handler


Handler = Callable[[SimAccount, Params, str, int], tuple[str, Any]]


@dataclass(frozen=True, slots=True)
class Route:
    path: str
    handler: Handler | None  # None: handled by the server itself (time, query-api)
    rate_limit: tuple[int, float]  # documented per-UID limit: requests per seconds
    permission: Callable[[Params], str | None]
    private: bool = True
    master_only: bool = False


def _perm(group: str | None) -> Callable[[Params], str | None]:
    return lambda params: group


_EXEC_PERMS = {"spot": "Spot", "linear": "ContractTrade", "inverse": "ContractTrade", "option": "Options"}

ROUTES: dict[str, Route] = {
    r.path: r
    for r in (
        Route("/v5/market/time", None, (0, 1.0), _perm(None), private=False),
        Route("/v5/user/query-api", None, (10, 1.0), _perm(None)),
        Route(
            "/v5/execution/list", execution_list, (50, 1.0), lambda p: _EXEC_PERMS.get(p.get("category", ""))
        ),
        Route("/v5/account/transaction-log", transaction_log, (25, 1.0), _perm("ContractTrade")),
        Route("/v5/asset/deposit/query-record", deposit_onchain, (100, 60.0), _perm("Wallet")),
        Route("/v5/asset/deposit/query-internal-record", deposit_internal, (300, 1.0), _perm("Wallet")),
        # Docs: "Can query by the master UID's api key only". The code a sub key gets is not
        # documented; we answer 10005 (permission denied).
        Route("/v5/asset/withdraw/query-record", withdrawals, (300, 60.0), _perm("Wallet"), master_only=True),
        Route(
            "/v5/asset/transfer/query-inter-transfer-list",
            _transfers("transfer_internal"),
            (60, 60.0),
            _perm("Wallet"),
        ),
        Route(
            "/v5/asset/transfer/query-universal-transfer-list",
            _transfers("transfer_universal"),
            (5, 1.0),
            _perm("Wallet"),
        ),
        Route("/v5/asset/exchange/query-convert-history", convert_history, (50, 1.0), _perm("Exchange")),
        # The earn endpoints' limits are not documented; 10/s as /v5/earn/fixed-term/order.
        Route("/v5/earn/yield", _earn("earn_yield_flexible", EARN_YIELD_RULE), (10, 1.0), _perm("Earn")),
        Route("/v5/earn/order", _earn("earn_order_flexible", EARN_ORDER_RULE), (10, 1.0), _perm("Earn")),
    )
}
