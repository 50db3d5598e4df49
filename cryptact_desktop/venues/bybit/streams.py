"""Which Bybit V5 request serves each stream, and which normaliser reads its records.

The stream ids, windows and limits are in :mod:`.catalogue`; this table adds the path, the fixed
query parameters, the name of the list in ``result`` and the parser. Tests derive the expected
records of a simulated account from the same parsers (:func:`parser`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cryptact_desktop.records import Parsed
from cryptact_desktop.venues.bybit import normalize
from cryptact_desktop.venues.bybit.catalogue import OPTION_BASE_COINS


@dataclass(frozen=True, slots=True)
class StreamRequest:
    path: str
    params: tuple[tuple[str, str], ...]
    list_key: str
    parse: Callable[[normalize.Raw], Parsed]
    category: str = ""
    index_paging: bool = False  # page number instead of time window + cursor


STREAM_REQUESTS: dict[str, StreamRequest] = {
    **{
        f"execution_{c}": StreamRequest(
            "/v5/execution/list", (("category", c),), "list", normalize.execution(c), c
        )
        for c in ("spot", "linear", "inverse")
    },
    **{
        f"execution_option_{coin.lower()}": StreamRequest(
            "/v5/execution/list",
            (("category", "option"), ("baseCoin", coin)),
            "list",
            normalize.execution("option"),
            "option",
        )
        for coin in OPTION_BASE_COINS
    },
    "transaction_log": StreamRequest(
        "/v5/account/transaction-log", (("accountType", "UNIFIED"),), "list", normalize.transaction_log
    ),
    "deposit_onchain": StreamRequest("/v5/asset/deposit/query-record", (), "rows", normalize.deposit_onchain),
    "deposit_internal": StreamRequest(
        "/v5/asset/deposit/query-internal-record", (), "rows", normalize.deposit_internal
    ),
    # withdrawType defaults to 0 (on-chain only); 2 includes internal (off-chain) withdrawals.
    "withdrawal": StreamRequest(
        "/v5/asset/withdraw/query-record", (("withdrawType", "2"),), "rows", normalize.withdrawal
    ),
    "transfer_internal": StreamRequest(
        "/v5/asset/transfer/query-inter-transfer-list", (), "list", normalize.transfer
    ),
    "transfer_universal": StreamRequest(
        "/v5/asset/transfer/query-universal-transfer-list", (), "list", normalize.transfer
    ),
    "convert": StreamRequest(
        "/v5/asset/exchange/query-convert-history", (), "list", normalize.convert, index_paging=True
    ),
    "earn_yield_flexible": StreamRequest(
        "/v5/earn/yield", (("category", "FlexibleSaving"),), "list", normalize.earn_yield
    ),
    "earn_order_flexible": StreamRequest(
        "/v5/earn/order", (("category", "FlexibleSaving"),), "list", normalize.earn_order
    ),
}


def parser(stream_id: str) -> Callable[[normalize.Raw], Parsed]:
    """The normaliser of one stream's raw records."""
    return STREAM_REQUESTS[stream_id].parse
