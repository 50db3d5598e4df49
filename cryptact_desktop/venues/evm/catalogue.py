"""An EVM chain's catalogue entry: a wallet (one 0x address) read from an Etherscan-compatible API.

The API (Etherscan's "account" module, which Blockscout serves too): ``txlist`` (normal
transactions: sent by or to the address, with gas), ``txlistinternal`` (value moved by contracts,
"internal transactions") and ``tokentx`` (ERC-20 token transfers), each filtered by
``startblock``/``endblock``, sorted ascending, paged by ``page`` and ``offset`` where ``page ×
offset`` may not exceed 10,000 (and a free Etherscan key gets at most 1,000 records a request). The
answer is an envelope ``{"status", "message", "result"}``; ``status`` "0" is an error, a rate-limit
refusal or, with ``message`` "No transactions found", an empty list.

Hosts: Etherscan's API v2 (one address for every chain, told apart by ``chainid``; every request
needs the user's free API key; 3 requests a second on the free plan) and Blockscout's server for the
chain, which needs no key (about 3 to 5 requests a second per IP address without one). A user's own
Etherscan-compatible server can be given instead.

One endpoint, "On-chain transactions", with one stream walking the chain upward by block number
(the three lists are read for the same block range and merged by transaction hash, so one
transaction is one record). What the three lists do not hold is a named gap: NFT transfers
(ERC-721/1155), validator withdrawals and block rewards, and an L2's separate L1 data fee where the
explorer lists it apart from ``gasUsed × gasPrice``.
"""

from __future__ import annotations

from cryptact_desktop.venues.base import (
    ApiHost,
    CredentialField,
    EndpointInfo,
    Paging,
    RateLimit,
    VenueInfo,
    blockchain_info,
    chain_stream,
)
from cryptact_desktop.venues.evm.chains import ETHERSCAN_V2, Chain
from cryptact_desktop.venues.venue import Lazy

PROVIDER_LIMITER = "explorer"
PROVIDER_LIMIT = RateLimit(3, 1)  # Etherscan's free plan; Blockscout without a key allows as much
PAGE_SIZE = 1000  # records a request (the free plan's most)
RESULT_WINDOW = 10_000  # page × offset at most
ENDPOINT = "transactions"
STREAM = "txs"


ADDRESS_FIELD = CredentialField(
    "address",
    "Wallet address",
    secret=False,
    min_length=42,
    max_length=42,
    check=Lazy("cryptact_desktop.venues.evm.address", "parse_address"),
    placeholder="0x… (the address your wallet app shows)",
)
PROVIDER_KEY_FIELD = CredentialField(
    "provider_key",
    "Etherscan API key (optional; Blockscout needs none)",
    secret=True,
    required=False,
    min_length=8,
    max_length=64,
    placeholder="Your free key from etherscan.io (API dashboard)",
)


def _lookback(item: Chain) -> str:
    if item.l1_fee_apart:
        return (
            "The whole history: coin and ERC-20 token transfers and gas fees, merged per transaction "
            "(NFT transfers are not read, and the gas leaves out the rollup's L1 data fee)"
        )
    return (
        "The whole history: coin and ERC-20 token transfers and gas fees, merged per transaction "
        "(NFT transfers and validator withdrawals are not read)"
    )


def venue_info(item: Chain) -> VenueInfo:
    hosts: list[ApiHost] = [ApiHost("etherscan", "Etherscan API v2 (your free API key)", ETHERSCAN_V2)]
    if item.blockscout_url:
        hosts.append(ApiHost("blockscout", "Blockscout (no key needed)", item.blockscout_url))
    if not item.etherscan_free and item.blockscout_url:
        hosts.reverse()  # Etherscan's free plan does not serve this chain: Blockscout first
    stream = chain_stream(
        STREAM,
        earliest_ms=item.genesis_ms,
        limiter=PROVIDER_LIMITER,
        rate_limit=PROVIDER_LIMIT,
        page_limit=PAGE_SIZE,
        paging=Paging.OLDEST_FIRST,
    )
    return blockchain_info(
        venue_id=item.id,
        name=item.name,
        name_ja=item.name_ja,
        credentials=(ADDRESS_FIELD, PROVIDER_KEY_FIELD),
        monogram=item.monogram,
        colour=item.colour,
        rate_limit=PROVIDER_LIMIT,
        hosts=tuple(hosts),
        endpoints=(EndpointInfo(ENDPOINT, "On-chain transactions", _lookback(item), (stream,)),),
        max_parallel_streams=1,
    )
