"""Bybit's catalogue entry: API hosts, the endpoints a user can tick, and the streams behind them.

Limits and windows are Bybit's documented ones (V5 docs, "Rate Limit" and each endpoint's page);
``../shared`` notes and the simulator read the same pages independently.
"""

from __future__ import annotations

from cryptact_desktop.venues.base import (
    API_KEY,
    API_SECRET,
    DAY_MS,
    ApiHost,
    EndpointInfo,
    Paging,
    RateLimit,
    StreamInfo,
    VenueInfo,
)

# Bybit opened in March 2018; endpoints without a documented depth are walked from here.
BYBIT_LAUNCH_MS = 1_519_862_400_000  # 2018-03-01T00:00:00Z
_TWO_YEARS = 730


# Bybit's execution list returns only BTC options unless ``baseCoin`` is given, so options are
# fetched per base coin (the coins Bybit lists options on).
OPTION_BASE_COINS = ("BTC", "ETH", "SOL", "XRP")


def _exec_stream(category: str, base_coin: str = "") -> StreamInfo:
    return StreamInfo(
        id=f"execution_{category}" + (f"_{base_coin.lower()}" if base_coin else ""),
        window_ms=7 * DAY_MS,
        depth_days=_TWO_YEARS,
        earliest_ms=BYBIT_LAUNCH_MS,
        granularity_ms=1,
        limiter="/v5/execution/list",
        rate_limit=RateLimit(50, 1),
        page_limit=100,
    )


def _asset_stream(
    stream_id: str, path: str, window_days: int, depth_days: int | None, rate_limit: RateLimit
) -> StreamInfo:
    """Bybit's asset endpoints: a window shorter than ``window_days``, filtered per second
    ("the query logic is actually effective based on second level"), 50 records a page."""
    return StreamInfo(
        id=stream_id,
        window_ms=window_days * DAY_MS - 1,
        depth_days=depth_days,
        earliest_ms=BYBIT_LAUNCH_MS,
        granularity_ms=1000,
        limiter=path,
        rate_limit=rate_limit,
        page_limit=50,
    )


BYBIT = VenueInfo(
    id="bybit",
    name="Bybit",
    name_ja="Bybit",
    credentials=(API_KEY, API_SECRET),
    supports_subaccounts=True,
    supports_api=True,
    supports_files=True,
    monogram="By",
    colour="#F7A600",
    ip_rate_limit=RateLimit(600, 5),
    hosts=(
        ApiHost("global", "Global (api.bybit.com)", "https://api.bybit.com"),
        ApiHost("bytick", "Global, alternative (api.bytick.com)", "https://api.bytick.com"),
        ApiHost("nl", "Netherlands (bybit.nl)", "https://api.bybit.nl"),
        ApiHost("tr", "Türkiye (bybit-tr.com)", "https://api.bybit-tr.com"),
        ApiHost("kz", "Kazakhstan (bybit.kz)", "https://api.bybit.kz"),
        ApiHost("ge", "Georgia (bybitgeorgia.ge)", "https://api.bybitgeorgia.ge"),
        ApiHost("ae", "UAE (bybit.ae)", "https://api.bybit.ae"),
        ApiHost("eu", "EEA (bybit.eu)", "https://api.bybit.eu"),
        ApiHost("id", "Indonesia (bybit.id)", "https://api.bybit.id"),
        ApiHost("jp", "Japan (manepa.jp)", "https://api.manepa.jp"),
        ApiHost("testnet", "Testnet (api-testnet.bybit.com)", "https://api-testnet.bybit.com"),
        ApiHost("demo", "Demo trading (api-demo.bybit.com)", "https://api-demo.bybit.com"),
    ),
    endpoints=(
        EndpointInfo(
            "spot",
            "Spot trades",
            "Last 2 years (older trades: import Bybit's export file)",
            (_exec_stream("spot"),),
        ),
        EndpointInfo(
            "linear",
            "USDT/USDC perpetuals & futures",
            "Last 2 years, including funding and settlement",
            (_exec_stream("linear"),),
            superseded_by="transaction_log",
        ),
        EndpointInfo(
            "inverse",
            "Inverse contracts",
            "Last 2 years",
            (_exec_stream("inverse"),),
            superseded_by="transaction_log",
        ),
        EndpointInfo(
            "option",
            "Options",
            "Last 2 years (BTC, ETH, SOL and XRP options)",
            tuple(_exec_stream("option", coin) for coin in OPTION_BASE_COINS),
            superseded_by="transaction_log",
        ),
        EndpointInfo(
            "transaction_log",
            "Unified account transaction log",
            "Last 2 years",
            (
                StreamInfo(
                    id="transaction_log",
                    window_ms=7 * DAY_MS,
                    depth_days=_TWO_YEARS,
                    earliest_ms=BYBIT_LAUNCH_MS,
                    granularity_ms=1,
                    limiter="/v5/account/transaction-log",
                    rate_limit=RateLimit(25, 1),
                    page_limit=50,
                    dense=True,
                ),
            ),
        ),
        EndpointInfo(
            "deposits",
            "Deposits",
            "Full history since 2018 (on-chain and internal)",
            (
                _asset_stream(
                    "deposit_onchain", "/v5/asset/deposit/query-record", 30, None, RateLimit(100, 60)
                ),
                _asset_stream(
                    "deposit_internal", "/v5/asset/deposit/query-internal-record", 30, None, RateLimit(300, 1)
                ),
            ),
        ),
        EndpointInfo(
            "withdrawals",
            "Withdrawals",
            "Full history since 2018 (on-chain and internal; main account keys only)",
            (_asset_stream("withdrawal", "/v5/asset/withdraw/query-record", 30, None, RateLimit(300, 60)),),
            main_account_only=True,  # "Can query by the master UID's api key only"
        ),
        EndpointInfo(
            "transfers",
            "Transfers",
            "Last 2 years (between your accounts and sub-accounts)",
            (
                _asset_stream(
                    "transfer_internal",
                    "/v5/asset/transfer/query-inter-transfer-list",
                    7,
                    _TWO_YEARS,
                    RateLimit(60, 60),
                ),
                _asset_stream(
                    "transfer_universal",
                    "/v5/asset/transfer/query-universal-transfer-list",
                    7,
                    _TWO_YEARS,
                    RateLimit(5, 1),
                ),
            ),
        ),
        EndpointInfo(
            "convert",
            "Convert",
            "What Bybit returns (web converts only since 2025-09-10)",
            (
                StreamInfo(
                    id="convert",
                    window_ms=None,
                    depth_days=None,
                    earliest_ms=BYBIT_LAUNCH_MS,
                    granularity_ms=1,
                    limiter="/v5/asset/exchange/query-convert-history",
                    rate_limit=RateLimit(50, 1),
                    page_limit=100,
                    paging=Paging.NEWEST_FIRST,
                ),
            ),
        ),
        EndpointInfo(
            "earn",
            "Earn",
            "Yield: last 3 months only — sync at least every 3 months",
            (
                StreamInfo(
                    id="earn_yield_flexible",
                    window_ms=7 * DAY_MS,
                    depth_days=90,
                    earliest_ms=BYBIT_LAUNCH_MS,
                    granularity_ms=1,
                    limiter="/v5/earn/yield",
                    rate_limit=RateLimit(10, 1),
                    page_limit=100,
                ),
                StreamInfo(
                    id="earn_order_flexible",
                    window_ms=7 * DAY_MS,
                    depth_days=_TWO_YEARS,
                    earliest_ms=BYBIT_LAUNCH_MS,
                    granularity_ms=1,
                    limiter="/v5/earn/order",
                    rate_limit=RateLimit(10, 1),
                    page_limit=100,
                ),
            ),
        ),
    ),
)
