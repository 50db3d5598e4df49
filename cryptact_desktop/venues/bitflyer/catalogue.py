"""bitFlyer's catalogue entry: the API host, the endpoints a user can tick and their streams.

From the Lightning API docs (lightning.bitflyer.com/docs, "HTTP API", "API Limits", "Pagination",
"HTTP Private API"): one endpoint URL for Japan, the U.S. and Europe (https://api.bitflyer.com/v1/);
500 private queries per 5 minutes and 500 queries per 5 minutes per IP address; every history list
is paged by ``count``/``before``/``after`` ids, newest first, with **no time filter** and no
documented limit on how far back it reaches. ``count`` defaults to 100; its maximum is not
documented: API users report that a larger value answers 500 records, so pages ask for 500.
"""

from __future__ import annotations

from cryptact_desktop.venues.base import (
    API_KEY,
    API_SECRET,
    ApiHost,
    EndpointInfo,
    Paging,
    RateLimit,
    StreamInfo,
    VenueInfo,
)

# bitFlyer opened in 2014 (Lightning in 2015); the walks stop at the oldest record anyway.
BITFLYER_START_MS = 1_388_534_400_000  # 2014-01-01T00:00:00Z
PRIVATE_LIMITER = "private"
PRIVATE_LIMIT = RateLimit(500, 300)  # "Private APIs: 500 queries per 5 minutes" (per key)
IP_LIMIT = RateLimit(500, 300)  # "Same IP Address: 500 queries per 5 minutes"
PUBLIC_LIMITER = "public"
PAGE_LIMIT = 500
DOCUMENTED_DEFAULT_COUNT = 100  # "If this is omitted, the value will be 100."

_REPORT = "older history: import bitFlyer's trade history report"


def _stream(stream_id: str) -> StreamInfo:
    return StreamInfo(
        id=stream_id,
        window_ms=None,
        depth_days=None,
        earliest_ms=BITFLYER_START_MS,
        granularity_ms=1,
        limiter=PRIVATE_LIMITER,
        rate_limit=PRIVATE_LIMIT,
        page_limit=PAGE_LIMIT,
        paging=Paging.NEWEST_FIRST,
    )


BITFLYER = VenueInfo(
    id="bitflyer",
    name="bitFlyer",
    name_ja="bitFlyer",
    credentials=(API_KEY, API_SECRET),
    supports_api=True,
    supports_files=True,
    monogram="bF",
    colour="#1A9BD7",
    ip_rate_limit=IP_LIMIT,
    hosts=(ApiHost("global", "bitFlyer (api.bitflyer.com)", "https://api.bitflyer.com"),),
    endpoints=(
        EndpointInfo(
            "executions",
            "Lightning trades (spot and Crypto CFD)",
            "All that the API lists, no documented limit; pairs no longer listed are found through "
            "the balance history; " + _REPORT,
            (_stream("executions"),),
            discover=True,
        ),
        EndpointInfo(
            "balance_history",
            "Balance history (retail desk trades, fees, other changes)",
            "All that the API lists, per currency, no documented limit; " + _REPORT,
            (_stream("balance_history"),),
            discover=True,
        ),
        EndpointInfo(
            "coin_ins",
            "Crypto deposits",
            "All that the API lists, no documented limit; " + _REPORT,
            (_stream("coin_ins"),),
        ),
        EndpointInfo(
            "coin_outs",
            "Crypto withdrawals",
            "All that the API lists, no documented limit; " + _REPORT,
            (_stream("coin_outs"),),
        ),
        EndpointInfo(
            "deposits",
            "JPY deposits",
            "All that the API lists, no documented limit; " + _REPORT,
            (_stream("deposits"),),
        ),
        EndpointInfo(
            "withdrawals",
            "JPY withdrawals",
            "All that the API lists, no documented limit (fees are in the balance history); " + _REPORT,
            (_stream("withdrawals"),),
        ),
        EndpointInfo(
            "collateral_history",
            "Crypto CFD margin history (realised P&L, funding)",
            "All that the API lists, no documented limit; " + _REPORT,
            (_stream("collateral_history"),),
        ),
    ),
)
