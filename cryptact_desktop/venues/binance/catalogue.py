"""Binance's catalogue entry: hosts, the history types a user ticks, their streams and limits.

Where each number comes from (developers.binance.com; the spot pages are also in the
github.com/binance/binance-spot-api-docs repository, ``rest-api.md`` and ``errors.md``):

* **Weights.** ``/api/*`` requests share 6,000 weight per minute per IP address (``rest-api.md``
  "LIMITS"; ``GET /api/v3/exchangeInfo`` ``rateLimits``). Each ``/sapi/*`` endpoint has its own
  budget: "Each endpoint with IP limits has an independent 12000 per minute limit … Each endpoint
  with UID limits has an independent 180000 per minute limit, or per second limit if specified
  explicitly" (wallet docs, "LIMITS"). USDⓈ-M and COIN-M futures allow 2,400 weight per minute per
  IP (futures "Common Definition", ``rateLimits``). A stream's ``cost`` is its request's weight,
  its limiter names the budget: ``ip:…`` budgets are shared by every key on this computer,
  ``uid:…`` budgets belong to the account of one key.
* **Spot trades** ``GET /api/v3/myTrades``: weight 20 (5 with ``orderId``), ``limit`` up to 1000,
  "If ``fromId`` is set, it will get trades >= that ``fromId``", ``startTime``/``endTime`` at most
  24 hours apart, ``fromId`` not combinable with them ("Account trade list", current docs). Walked
  by ``fromId`` from 0, oldest first, with no time filter: the 24-hour window never applies.
* **Margin trades** ``GET /sapi/v1/margin/myTrades``: weight 10 (IP), ``isIsolated``, same paging
  ("Query Margin Account's Trade List").
* **Deposits** ``GET /sapi/v1/capital/deposit/hisrec``: IP weight 1, ``offset``/``limit`` (max
  1000), "time between startTime and endTime must be less than 90 days".
* **Withdrawals** ``GET /sapi/v1/capital/withdraw/history``: weight 18,000 of a per-second budget
  of 180,000 ("Request limit: 10 requests per second"), same windows and paging as deposits.
* **Convert** ``GET /sapi/v1/convert/tradeFlow``: UID weight 3,000, ``startTime`` and ``endTime``
  required and at most 30 days apart, ``limit`` up to 1000, ``moreData`` when more are left.
* **Dust** ``GET /sapi/v1/asset/dribblet``: IP weight 1, "Only return last 100 records; Only return
  records after 2020/12/01".
* **Simple Earn** ``GET /sapi/v1/simple-earn/flexible/history/rewardsRecord`` (``type`` BONUS,
  REALTIME or REWARDS) and ``…/locked/history/rewardsRecord``: IP weight 150 each, ``current``/
  ``size`` (max 100), "The time between startTime and endTime cannot be longer than 3 months"
  (89 days: three months are never shorter).
* **Fiat** ``GET /sapi/v1/fiat/orders`` (bank deposits and withdrawals: UID weight 90,000, so two
  a minute) and ``GET /sapi/v1/fiat/payments`` (card buys and sells: IP weight 1), ``page``/``rows``
  (max 500). The docs give no window limit; we query 89 days at a time as rotki and ccxt do. Binance
  took no fiat before its card purchases opened in January 2019 (Cointelegraph, March 2019).
* **Transfers** ``GET /sapi/v1/asset/transfer``: IP weight 1, ``type`` required, ``current``/
  ``size`` (max 100), "Support query within the last 6 months only".
* **Futures income** ``GET /fapi/v1/income`` (weight 30; "Income history only contains data for
  the last three months") and ``GET /dapi/v1/income`` (weight 20; "The time between startTime and
  endTime can not be longer than 1 year"), ``page``/``limit`` (max 1000).
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

BINANCE_START_MS = 1_499_990_400_000  # 2017-07-14, Binance's launch
FIAT_START_MS = 1_546_300_800_000  # 2019-01-01
DUST_START_MS = 1_606_780_800_000  # 2020-12-01: "Only return records after 2020/12/01"

API_WEIGHT = RateLimit(6_000, 60)
SAPI_IP_WEIGHT = RateLimit(12_000, 60)
SAPI_UID_WEIGHT = RateLimit(180_000, 60)
SAPI_UID_WEIGHT_PER_SECOND = RateLimit(180_000, 1)
FUTURES_WEIGHT = RateLimit(2_400, 60)

API_LIMITER = "ip:api"
FAPI_LIMITER = "ip:fapi"
DAPI_LIMITER = "ip:dapi"

MY_TRADES = "/api/v3/myTrades"
MARGIN_TRADES = "/sapi/v1/margin/myTrades"
DEPOSITS = "/sapi/v1/capital/deposit/hisrec"
WITHDRAWALS = "/sapi/v1/capital/withdraw/history"
CONVERTS = "/sapi/v1/convert/tradeFlow"
DUST = "/sapi/v1/asset/dribblet"
EARN_FLEXIBLE = "/sapi/v1/simple-earn/flexible/history/rewardsRecord"
EARN_LOCKED = "/sapi/v1/simple-earn/locked/history/rewardsRecord"
FIAT_ORDERS = "/sapi/v1/fiat/orders"
FIAT_PAYMENTS = "/sapi/v1/fiat/payments"
TRANSFERS = "/sapi/v1/asset/transfer"
USDM_INCOME = "/fapi/v1/income"
COINM_INCOME = "/dapi/v1/income"

# The universal-transfer types between the wallets whose history this app reads (the docs list
# more: isolated-margin and options wallets, which need a symbol or hold nothing taxable here).
TRANSFER_TYPES: tuple[str, ...] = (
    "MAIN_FUNDING",
    "FUNDING_MAIN",
    "MAIN_UMFUTURE",
    "UMFUTURE_MAIN",
    "MAIN_CMFUTURE",
    "CMFUTURE_MAIN",
    "MAIN_MARGIN",
    "MARGIN_MAIN",
    "FUNDING_UMFUTURE",
    "UMFUTURE_FUNDING",
    "MARGIN_UMFUTURE",
    "UMFUTURE_MARGIN",
    "FUNDING_MARGIN",
    "MARGIN_FUNDING",
)
EARN_FLEXIBLE_TYPES: tuple[str, ...] = ("REALTIME", "BONUS", "REWARDS")
# The endpoints whose records name the coins whose pairs the trade lists are asked for (bank
# deposits and withdrawals left out: they name only fiat, and allow two requests a minute).
COIN_ENDPOINTS: tuple[str, ...] = ("deposits", "withdrawals", "converts", "dust", "earn", "card", "transfers")


def sapi_limiter(path: str, *, uid: bool = False) -> str:
    """The budget of one ``/sapi`` endpoint (each has its own)."""
    return f"{'uid' if uid else 'ip'}:sapi:{path}"


def _stream(
    stream_id: str,
    *,
    limiter: str,
    rate_limit: RateLimit,
    cost: int,
    page_limit: int,
    window_days: int | None = None,
    depth_days: int | None = None,
    earliest_ms: int = BINANCE_START_MS,
    paging: Paging = Paging.TIME_WINDOW,
    max_in_flight: int = 8,
) -> StreamInfo:
    return StreamInfo(
        id=stream_id,
        # "less than 90 days" and the like: one millisecond under the documented span.
        window_ms=window_days * DAY_MS - 1 if window_days is not None else None,
        depth_days=depth_days,
        earliest_ms=earliest_ms,
        granularity_ms=1,
        limiter=limiter,
        rate_limit=rate_limit,
        page_limit=page_limit,
        paging=paging,
        cost=cost,
        max_in_flight=max_in_flight,
    )


def _trades(stream_id: str, limiter: str, rate_limit: RateLimit, cost: int) -> StreamInfo:
    return _stream(
        stream_id,
        limiter=limiter,
        rate_limit=rate_limit,
        cost=cost,
        page_limit=1000,
        paging=Paging.OLDEST_FIRST,
        max_in_flight=1,
    )


_FILE = "import Binance's export file for what the API no longer gives"
_SYMBOLS = (
    "The API has no list of all your trades: pairs are found from your balances, deposits, "
    "withdrawals, converts, dust, Earn, fiat and transfer history (older than the sync start too) "
    "and the pairs Binance lists for those coins. A pair Binance no longer lists cannot be fetched "
    "(it is named on this row): "
)

_SPOT = _trades("spot_trades", API_LIMITER, API_WEIGHT, 20)
_MARGIN_CROSS = _trades("margin_cross", sapi_limiter(MARGIN_TRADES), SAPI_IP_WEIGHT, 10)
_MARGIN_ISOLATED = _trades("margin_isolated", sapi_limiter(MARGIN_TRADES), SAPI_IP_WEIGHT, 10)


def _earn_flexible(kind: str) -> StreamInfo:
    return _stream(
        f"earn_flexible_{kind.lower()}",
        limiter=sapi_limiter(EARN_FLEXIBLE),
        rate_limit=SAPI_IP_WEIGHT,
        cost=150,
        page_limit=100,
        window_days=89,
    )


def _transfer(kind: str) -> StreamInfo:
    return _stream(
        f"transfer_{kind}",
        limiter=sapi_limiter(TRANSFERS),
        rate_limit=SAPI_IP_WEIGHT,
        cost=1,
        page_limit=100,
        window_days=180,
        depth_days=180,
    )


ENDPOINTS: tuple[EndpointInfo, ...] = (
    EndpointInfo(
        "spot_trades",
        "Spot trades",
        _SYMBOLS + _FILE,
        (_SPOT,),
        discover=True,
        discover_late=True,
        discover_after=COIN_ENDPOINTS,
    ),
    EndpointInfo(
        "margin_trades",
        "Margin trades (cross and isolated)",
        "All that the API lists, per pair (the pairs of your spot history and your isolated margin "
        "pairs); " + _FILE,
        (_MARGIN_CROSS, _MARGIN_ISOLATED),
        discover=True,
        discover_late=True,
        discover_after=COIN_ENDPOINTS,
    ),
    EndpointInfo(
        "deposits",
        "Crypto deposits",
        "All that the API lists, in 90-day windows; " + _FILE,
        (
            _stream(
                "deposits",
                limiter=sapi_limiter(DEPOSITS),
                rate_limit=SAPI_IP_WEIGHT,
                cost=1,
                page_limit=1000,
                window_days=90,
            ),
        ),
    ),
    EndpointInfo(
        "withdrawals",
        "Crypto withdrawals",
        "All that the API lists, in 90-day windows; " + _FILE,
        (
            _stream(
                "withdrawals",
                limiter=sapi_limiter(WITHDRAWALS),
                rate_limit=SAPI_UID_WEIGHT_PER_SECOND,
                cost=18_000,
                page_limit=1000,
                window_days=90,
            ),
        ),
    ),
    EndpointInfo(
        "converts",
        "Convert trades",
        "All that the API lists, in 30-day windows (60 windows a minute at most); " + _FILE,
        (
            _stream(
                "converts",
                limiter=sapi_limiter(CONVERTS, uid=True),
                rate_limit=SAPI_UID_WEIGHT,
                cost=3_000,
                page_limit=1000,
                window_days=30,
            ),
        ),
    ),
    EndpointInfo(
        "dust",
        "Small balances converted to BNB (dust)",
        "Only since 1 December 2020, at most 100 conversions a request (older ones are asked for by "
        "date, before the oldest one listed); " + _FILE,
        (
            _stream(
                "dust",
                limiter=sapi_limiter(DUST),
                rate_limit=SAPI_IP_WEIGHT,
                cost=1,
                page_limit=100,
                earliest_ms=DUST_START_MS,
                paging=Paging.NEWEST_FIRST,
            ),
        ),
    ),
    EndpointInfo(
        "earn",
        "Simple Earn rewards (flexible and locked)",
        "All that the API lists, in 3-month windows; " + _FILE,
        (
            *(_earn_flexible(kind) for kind in EARN_FLEXIBLE_TYPES),
            _stream(
                "earn_locked",
                limiter=sapi_limiter(EARN_LOCKED),
                rate_limit=SAPI_IP_WEIGHT,
                cost=150,
                page_limit=100,
                window_days=89,
            ),
        ),
    ),
    EndpointInfo(
        "fiat",
        "Fiat deposits and withdrawals (bank)",
        "Since January 2019 (when Binance first took fiat), in 89-day windows; Binance allows two "
        "requests a minute here, so a long history takes a while (set the key's sync start to when "
        "the account was opened); " + _FILE,
        tuple(
            _stream(
                stream_id,
                limiter=sapi_limiter(FIAT_ORDERS, uid=True),
                rate_limit=SAPI_UID_WEIGHT,
                cost=90_000,
                page_limit=500,
                window_days=89,
                earliest_ms=FIAT_START_MS,
            )
            for stream_id in ("fiat_deposits", "fiat_withdrawals")
        ),
    ),
    EndpointInfo(
        "card",
        "Card purchases and sales",
        "Since January 2019, in 89-day windows; " + _FILE,
        tuple(
            _stream(
                stream_id,
                limiter=sapi_limiter(FIAT_PAYMENTS),
                rate_limit=SAPI_IP_WEIGHT,
                cost=1,
                page_limit=500,
                window_days=89,
                earliest_ms=FIAT_START_MS,
            )
            for stream_id in ("card_buys", "card_sells")
        ),
    ),
    EndpointInfo(
        "transfers",
        "Transfers between your Binance wallets",
        "Only the last 6 months; older transfers are in Binance's transaction history statement",
        tuple(_transfer(kind) for kind in TRANSFER_TYPES),
    ),
    EndpointInfo(
        "futures_usdm",
        "USDS-M futures income (realised P&L, funding, fees)",
        "Only the last 3 months: sync at least every 3 months, or download the futures transaction "
        "history from Binance for older months",
        (
            _stream(
                "income_usdm",
                limiter=FAPI_LIMITER,
                rate_limit=FUTURES_WEIGHT,
                cost=30,
                page_limit=1000,
                window_days=90,
                depth_days=89,
            ),
        ),
    ),
    EndpointInfo(
        "futures_coinm",
        "COIN-M futures income (realised P&L, funding, fees)",
        "All that the API lists, in 1-year windows; " + _FILE,
        (
            _stream(
                "income_coinm",
                limiter=DAPI_LIMITER,
                rate_limit=FUTURES_WEIGHT,
                cost=20,
                page_limit=1000,
                window_days=365,
            ),
        ),
    ),
)

BINANCE = VenueInfo(
    id="binance",
    name="Binance",
    name_ja="バイナンス",
    credentials=(API_KEY, API_SECRET),
    supports_api=True,
    supports_files=True,
    monogram="B",
    colour="#F0B90B",
    hosts=(
        ApiHost("global", "Binance (api.binance.com)", "https://api.binance.com"),
        ApiHost("gcp", "Binance (api-gcp.binance.com)", "https://api-gcp.binance.com"),
        # Binance Japan (binance.co.jp) runs on Binance's platform: its API keys are made on the
        # same API-management page (binance.com/ja, under Binance Japan's own API key terms,
        # binance.com/ja/legal/terms-binance-api) and sign requests to api.binance.com. Japan offers no margin
        # or futures, so a Japan key syncs the spot and wallet history types; its futures ones
        # fail with the permission message naming the fix (untick them).
        ApiHost("japan", "Binance Japan (api.binance.com)", "https://api.binance.com"),
    ),
    endpoints=ENDPOINTS,
)
