"""What the app knows about each exchange: credentials, API hosts, endpoints and their limits.

The catalogue is plain data: the GUI builds the add-key dialog from it, the engine plans its
time windows from it, and the connectors look up their request details by stream id. User-facing
names go through :func:`cryptact_desktop.i18n.translate` when displayed (see ``display_name``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cryptact_desktop.i18n import translate

DAY_MS = 86_400_000


class Paging(enum.Enum):
    TIME_WINDOW = "time_window"  # start/end time filter (max window), then cursor pages inside it
    NEWEST_FIRST = "newest_first"  # no time filter: pages from the newest record back


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Requests allowed per rolling window, per user id (the exchange's documented default)."""

    requests: int
    per_seconds: float

    def __str__(self) -> str:
        unit = "s" if self.per_seconds == 1 else f"{self.per_seconds:g}s"
        return f"{self.requests}/{unit}"


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """One API query that feeds an endpoint; coverage is tracked per stream.

    ``window_ms``: the largest ``end - start`` the API accepts (None: no time filter).
    ``depth_days``: how far back from now the API can reach (None: not limited as far as documented,
    then ``earliest_ms`` bounds the walk).
    ``granularity_ms``: 1000 where the exchange applies its time filter per second.
    ``limiter``: streams sharing a rate limit share this name (Bybit limits per path).
    """

    id: str
    window_ms: int | None
    depth_days: int | None
    earliest_ms: int
    granularity_ms: int
    limiter: str
    rate_limit: RateLimit
    page_limit: int
    paging: Paging = Paging.TIME_WINDOW


@dataclass(frozen=True, slots=True)
class EndpointInfo:
    """A user-facing history type: a tick box in the add-key dialog and a child row per key."""

    id: str
    name: str  # English source text; show through display_name()
    lookback: str  # English source text describing the API's look-back limit
    streams: tuple[StreamInfo, ...]
    default_enabled: bool = True

    def display_name(self) -> str:
        return translate("catalogue", self.name)

    def display_lookback(self) -> str:
        return translate("catalogue", self.lookback)

    @property
    def depth_days(self) -> int | None:
        """The shortest look-back of its streams (what the user is warned about)."""
        depths = [s.depth_days for s in self.streams if s.depth_days is not None]
        return min(depths) if depths else None


@dataclass(frozen=True, slots=True)
class ApiHost:
    id: str
    label: str  # English source text
    base_url: str
    simulated: bool = False


@dataclass(frozen=True, slots=True)
class ExchangeInfo:
    id: str
    name: str
    needs_passphrase: bool
    supports_subaccounts: bool
    supports_api: bool
    supports_files: bool
    hosts: tuple[ApiHost, ...]
    endpoints: tuple[EndpointInfo, ...]
    allows_custom_url: bool = True
    # Requests per IP address over all endpoints (Bybit: 600 per 5 s; a breach bans the IP).
    ip_rate_limit: RateLimit | None = None
    kind: str = "exchange"  # "exchange" or "blockchain"
    monogram: str = ""
    colour: str = "#888888"

    def endpoint(self, endpoint_id: str) -> EndpointInfo:
        for endpoint in self.endpoints:
            if endpoint.id == endpoint_id:
                return endpoint
        raise KeyError(f"{self.id} has no endpoint {endpoint_id!r}")

    def host(self, host_id: str) -> ApiHost:
        for host in self.hosts:
            if host.id == host_id:
                return host
        raise KeyError(f"{self.id} has no API host {host_id!r}")

    @property
    def default_host(self) -> ApiHost:
        return self.hosts[0]


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


BYBIT = ExchangeInfo(
    id="bybit",
    name="Bybit",
    needs_passphrase=False,
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
        ),
        EndpointInfo("inverse", "Inverse contracts", "Last 2 years", (_exec_stream("inverse"),)),
        EndpointInfo(
            "option",
            "Options",
            "Last 2 years (BTC, ETH, SOL and XRP options)",
            tuple(_exec_stream("option", coin) for coin in OPTION_BASE_COINS),
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

EXCHANGES: tuple[ExchangeInfo, ...] = (BYBIT,)


def exchange(exchange_id: str) -> ExchangeInfo:
    for info in EXCHANGES:
        if info.id == exchange_id:
            return info
    raise KeyError(f"unknown exchange {exchange_id!r}")
