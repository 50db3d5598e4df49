"""The XRP Ledger's catalogue entry: a wallet (one classic ``r…`` address), read from a rippled or
Clio server's JSON-RPC API.

``account_tx`` (POST, ``{"method": "account_tx", "params": [{...}]}``) lists the validated
transactions that touch an account, oldest first with ``forward: true``, a page at a time: the
answer's ``marker`` asks for the next page and is good for about ten minutes (xrpl.org, "Markers
and Pagination"); the server may answer fewer transactions than the ``limit`` asked for.
``ledger_index_min``/``_max`` of -1 mean the oldest and newest validated ledgers the server holds,
and the answer says which ledgers it searched — a server that does not keep the full history
says so there. Amounts of XRP are in drops (a millionth of an XRP).

Public servers publish no request limit; they refuse a client that asks too fast with the error
``slowDown`` (or HTTP 429/503 from their proxy), so requests are paced at about three a second and
a refusal backs off. The default servers keep the full history: XRPL Cluster (a community full
-history cluster) and Ripple's full-history server ``s2.ripple.com``.

One endpoint, "Ledger transactions", with one stream: the account's whole history, walked
oldest first; the next sync continues after the last ledger it read.
"""

from __future__ import annotations

from cryptact_desktop.venues.base import (
    ApiHost,
    CredentialField,
    EndpointInfo,
    Paging,
    RateLimit,
    blockchain_info,
    chain_stream,
)
from cryptact_desktop.venues.venue import Lazy

# The first ledger of the main network's history (2013-01-01T03:21:10Z): ledgers before it were
# lost, so a full-history server starts here.
FIRST_LEDGER = 32_570
FIRST_LEDGER_MS = 1_357_010_470_000
RPC_LIMITER = "xrpl-rpc"
RPC_LIMIT = RateLimit(30, 10)  # our pace per server: ~3 requests a second
PAGE_LIMIT = 400  # transactions asked for per page: rippled's most (10 to 400, 200 by default)


ADDRESS_FIELD = CredentialField(
    "address",
    "XRP Ledger address",
    secret=False,
    min_length=25,
    max_length=60,
    check=Lazy("cryptact_desktop.venues.xrpl.address", "check_address_input"),
    placeholder="r… (the wallet's classic address)",
)

ACCOUNT_TX = chain_stream(
    "account_tx",
    earliest_ms=FIRST_LEDGER_MS,
    limiter=RPC_LIMITER,
    rate_limit=RPC_LIMIT,
    page_limit=PAGE_LIMIT,
    paging=Paging.OLDEST_FIRST,
)

XRPL = blockchain_info(
    venue_id="xrpl",
    name="XRP Ledger",
    name_ja="XRPレジャー",
    credentials=(ADDRESS_FIELD,),
    monogram="✕",
    colour="#23292F",
    rate_limit=RPC_LIMIT,
    hosts=(
        ApiHost("xrplcluster", "XRPL Cluster (xrplcluster.com, full history)", "https://xrplcluster.com"),
        ApiHost("ripple-s2", "Ripple full-history server (s2.ripple.com)", "https://s2.ripple.com:51234"),
    ),
    endpoints=(
        EndpointInfo(
            "transactions",
            "Ledger transactions",
            "Every validated transaction of the address: payments in and out (what was delivered), "
            "fees, failed transactions' fees, trades on the ledger's exchange and issued tokens",
            (ACCOUNT_TX,),
        ),
    ),
    max_parallel_streams=1,
)
