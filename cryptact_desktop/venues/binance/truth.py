"""What a complete sync of a simulated Binance account must hold: the simulator's lists under the
client's stream ids, the records the API can still give, and which stream a logged request served.

Test support (the contract harness, the tests, the benchmark); nothing in the app's normal path
imports it.
"""

from __future__ import annotations

from typing import Any

from cryptact_desktop.venues.binance.normalize import flatten_dust
from cryptact_desktop.venues.binance.simulator.account import (
    INCOME_REACH_DAYS,
    TRANSFER_REACH_DAYS,
    SimAccount,
    TimedList,
)

DAY_MS = 86_400_000

_FIXED = {
    "deposits": "deposits",
    "withdrawals": "withdrawals",
    "converts": "converts",
    "dust": "dust",
    "earn_locked": "earn_locked",
    "income_usdm": "futures_usdm",
    "income_coinm": "futures_coinm",
}
_PATHS = {
    "/sapi/v1/capital/deposit/hisrec": "deposits",
    "/sapi/v1/capital/withdraw/history": "withdrawals",
    "/sapi/v1/convert/tradeFlow": "converts",
    "/sapi/v1/asset/dribblet": "dust",
    "/sapi/v1/simple-earn/locked/history/rewardsRecord": "earn_locked",
    "/fapi/v1/income": "income_usdm",
    "/dapi/v1/income": "income_coinm",
}


def _subject(account: SimAccount, symbol: str) -> str:
    parts = account.symbol_parts(symbol)
    return f"{parts[0]}/{parts[1]}" if parts else symbol


def client_lists(account: SimAccount, endpoint: str) -> dict[str, TimedList]:
    """The simulator's lists of one client endpoint, by client stream id. Trades of a pair Binance
    no longer lists are left out: the API cannot give them."""
    found: dict[str, TimedList] = {}
    if endpoint == "spot_trades":
        for symbol, trades in account.trades.items():
            if symbol in account.symbols:
                found[f"spot_trades:{_subject(account, symbol)}"] = trades
    elif endpoint == "margin_trades":
        for symbol, trades in account.margin_cross.items():
            found[f"margin_cross:{_subject(account, symbol)}"] = trades
        for symbol, trades in account.margin_isolated.items():
            found[f"margin_isolated:{_subject(account, symbol)}"] = trades
    elif endpoint == "earn":
        for kind, records in account.earn_flexible.items():
            found[f"earn_flexible_{kind.lower()}"] = records
        found["earn_locked"] = account.earn_locked
    elif endpoint in ("fiat", "card"):
        group = account.fiat_orders if endpoint == "fiat" else account.payments
        names = ("fiat_deposits", "fiat_withdrawals") if endpoint == "fiat" else ("card_buys", "card_sells")
        for name, kind in zip(names, ("0", "1"), strict=True):
            if kind in group:
                found[name] = group[kind]
    elif endpoint == "transfers":
        for kind, records in account.transfers.items():
            found[f"transfer_{kind}"] = records
    else:
        lists = account.lists()
        for name, client_endpoint in _FIXED.items():
            if client_endpoint == endpoint and name in lists:
                found[name] = lists[name]
    return found


def reachable(
    account: SimAccount, stream_id: str, records: TimedList, now_ms: int
) -> list[tuple[dict[str, Any], int]]:
    """(raw record as the client parses it, its time) of what the API gives at ``now_ms``."""
    floor = 0
    if stream_id.startswith("transfer_"):
        floor = now_ms - TRANSFER_REACH_DAYS * DAY_MS
    elif stream_id == "income_usdm":
        floor = now_ms - INCOME_REACH_DAYS * DAY_MS
    if stream_id == "dust":
        return [
            (row, int(row["operateTime"])) for row in flatten_dust({"userAssetDribblets": records.records})
        ]
    return [(raw, t) for raw, t in zip(records.records, records.times, strict=True) if t >= floor]


def stream_of_request(account: SimAccount, path: str, query: dict[str, str]) -> str:
    """The client stream a logged request served ("" for requests outside any stream)."""
    if path == "/api/v3/myTrades":
        return f"spot_trades:{_subject(account, query.get('symbol', ''))}"
    if path == "/sapi/v1/margin/myTrades":
        kind = "margin_isolated" if query.get("isIsolated", "").upper() == "TRUE" else "margin_cross"
        return f"{kind}:{_subject(account, query.get('symbol', ''))}"
    if path == "/sapi/v1/simple-earn/flexible/history/rewardsRecord":
        return f"earn_flexible_{query.get('type', '').lower()}"
    if path == "/sapi/v1/fiat/orders":
        return {"0": "fiat_deposits", "1": "fiat_withdrawals"}.get(query.get("transactionType", ""), "")
    if path == "/sapi/v1/fiat/payments":
        return {"0": "card_buys", "1": "card_sells"}.get(query.get("transactionType", ""), "")
    if path == "/sapi/v1/asset/transfer":
        return f"transfer_{query.get('type', '')}"
    return _PATHS.get(path, "")
