"""Bitcoin's catalogue entry: a wallet (one address or an account's extended public key), read from
an Esplora API.

Esplora (Blockstream's block explorer API, also served by mempool.space and by a user's own
server; its ``API.md``): ``GET /address/:address/txs`` answers up to 50 unconfirmed transactions plus
the newest 25 confirmed ones, ``GET /address/:address/txs/chain/:last_seen_txid`` the next 25
confirmed ones, newest first; ``GET /address/:address`` the address's transaction counts. Amounts
are in satoshis. Neither public server documents its rate limit: both answer HTTP 429 when a client
asks too fast (blockstream.info sends no ``Retry-After``; its issue tracker reports limits per hour
and per IP address), so requests are paced at about three a second per server and a refusal backs
off exponentially.

One endpoint, "On-chain transactions", whose streams are found at sync time: one per address of
the wallet that has ever been used (an account key's receive and change addresses, derived locally
up to the gap limit). A transaction touching several addresses of the wallet is one record.
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

GENESIS_MS = 1_231_006_505_000  # block 0, 2009-01-03T18:15:05Z
ESPLORA_LIMITER = "esplora"
ESPLORA_LIMIT = RateLimit(30, 10)  # our pace per server: ~3 requests a second
PAGE_SIZE = 25  # confirmed transactions per page ("Returns 25 transactions per page")
MEMPOOL_PAGE_MAX = 50  # unconfirmed transactions in the first answer ("up to 50")
GAP_LIMIT = 20  # BIP 44: unused addresses in a row after which a chain is taken to end


WALLET_FIELD = CredentialField(
    "address",
    "Address or extended public key",
    secret=False,
    min_length=14,
    max_length=120,
    check=Lazy("cryptact_desktop.venues.bitcoin.wallet", "check_wallet_input"),
    placeholder="bc1q…, 1…, 3…, or the account's xpub, ypub or zpub",
)

TXS = chain_stream(
    "txs",
    earliest_ms=GENESIS_MS,
    limiter=ESPLORA_LIMITER,
    rate_limit=ESPLORA_LIMIT,
    page_limit=PAGE_SIZE,
    paging=Paging.NEWEST_FIRST,
)

BITCOIN = blockchain_info(
    venue_id="bitcoin",
    name="Bitcoin",
    name_ja="ビットコイン",
    credentials=(WALLET_FIELD,),
    monogram="₿",
    colour="#F7931A",
    rate_limit=ESPLORA_LIMIT,
    hosts=(
        ApiHost("blockstream", "Blockstream Esplora (blockstream.info)", "https://blockstream.info/api"),
        ApiHost("mempool", "mempool.space", "https://mempool.space/api"),
    ),
    endpoints=(
        EndpointInfo(
            "transactions",
            "On-chain transactions",
            "The whole history of every address of the wallet (unconfirmed transactions come once "
            "they are in a block)",
            (TXS,),
            discover=True,
        ),
    ),
    max_parallel_streams=8,
)
