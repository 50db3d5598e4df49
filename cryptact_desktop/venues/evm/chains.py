"""The EVM chains offered, each its own venue: what differs between them is data, not code.

**One venue per chain** (not one "EVM" venue with a chain choice): every chain has its own native
coin (ETH, POL, BNB), its own explorer hosts (Blockscout runs one server per chain; Etherscan's
API v2 serves all of them at one address, told apart by ``chainid``), its own Etherscan plan
coverage (the free plan serves Ethereum, Polygon and Arbitrum but not BNB Smart Chain, Base or OP
Mainnet) and its own network name when an exchange withdraws to it. As separate venues, each shows
under its own name and colour in the Assistant, the "+" menu and the main list, with its own
endpoint rows, sync times and contract-suite run; the same address on two chains is two wallets
(two histories), as the user sees it in a wallet app. The generic code stays unaware of chains.

Times are the chain's first block (a floor for the walk; a little early is harmless). Block
numbers start at 0 on each chain; ``settle_ms`` is how long a block is young enough that a reorg
could still drop it (Ethereum finalises after two epochs, about 13 minutes; the rollups post to
Ethereum and are final there later, but their sequencers do not reorder what the explorers show).
"""

from __future__ import annotations

from dataclasses import dataclass

ETHERSCAN_V2 = "https://api.etherscan.io/v2/api"


@dataclass(frozen=True, slots=True)
class Chain:
    id: str  # the venue id
    name: str
    name_ja: str
    chain_id: int  # EIP-155 chain id (Etherscan API v2's ``chainid``)
    coin: str  # the native coin (gas is paid in it)
    network: str  # the network name on records (what exchanges call the chain on withdrawals)
    monogram: str
    colour: str
    genesis_ms: int
    block_seconds: float  # typical block interval (the simulator's spacing)
    etherscan_free: bool  # Etherscan's free plan serves this chain
    blockscout_url: str = ""  # Blockscout's server for this chain ("" if it runs none)
    settle_ms: int = 15 * 60_000
    # An OP Stack rollup charges an L1 data fee on top of gasUsed × gasPrice, which the account
    # lists do not give: the gas on records is that much short (a named gap on the endpoint).
    l1_fee_apart: bool = False


ETHEREUM = Chain(
    "ethereum", "Ethereum", "イーサリアム", 1, "ETH", "ETH", "Ξ", "#627EEA",
    genesis_ms=1_438_214_400_000,  # 2015-07-30
    block_seconds=12.0, etherscan_free=True, blockscout_url="https://eth.blockscout.com/api",
)  # fmt: skip
POLYGON = Chain(
    "polygon", "Polygon", "ポリゴン", 137, "POL", "POLYGON", "P", "#8247E5",
    genesis_ms=1_590_796_800_000,  # 2020-05-30
    block_seconds=2.0, etherscan_free=True, blockscout_url="https://polygon.blockscout.com/api",
    settle_ms=5 * 60_000,
)  # fmt: skip
ARBITRUM = Chain(
    "arbitrum", "Arbitrum One", "アービトラム", 42161, "ETH", "ARBITRUM", "A", "#28A0F0",
    genesis_ms=1_622_160_000_000,  # 2021-05-28
    block_seconds=0.25, etherscan_free=True, blockscout_url="https://arbitrum.blockscout.com/api",
)  # fmt: skip
OPTIMISM = Chain(
    "optimism", "OP Mainnet", "OPメインネット", 10, "ETH", "OPTIMISM", "OP", "#FF0420",
    genesis_ms=1_610_582_400_000,  # 2021-01-14
    block_seconds=2.0, etherscan_free=False, blockscout_url="https://optimism.blockscout.com/api",
    l1_fee_apart=True,
)  # fmt: skip
BASE = Chain(
    "basechain", "Base", "Base", 8453, "ETH", "BASE", "B", "#0052FF",
    genesis_ms=1_686_700_800_000,  # 2023-06-14
    block_seconds=2.0, etherscan_free=False, blockscout_url="https://base.blockscout.com/api",
    l1_fee_apart=True,
)  # fmt: skip
BNB = Chain(
    "bnb", "BNB Smart Chain", "BNBスマートチェーン", 56, "BNB", "BSC", "BNB", "#F0B90B",
    genesis_ms=1_598_572_800_000,  # 2020-08-28
    block_seconds=3.0, etherscan_free=False, settle_ms=5 * 60_000,
)  # fmt: skip

CHAINS: tuple[Chain, ...] = (ETHEREUM, POLYGON, ARBITRUM, OPTIMISM, BASE, BNB)


def chain(venue_id: str) -> Chain:
    for item in CHAINS:
        if item.id == venue_id:
            return item
    raise KeyError(venue_id)
