"""Ethereum and the EVM chains (Polygon, Arbitrum One, OP Mainnet, Base, BNB Smart Chain): a wallet
address read from an Etherscan-compatible API (Etherscan's API v2 with the user's free key, or
Blockscout without one). One venue per chain (see :mod:`.chains`), one package for all of them."""

from __future__ import annotations

from cryptact_desktop.venues.evm import chains
from cryptact_desktop.venues.evm.catalogue import venue_info
from cryptact_desktop.venues.evm.chains import Chain
from cryptact_desktop.venues.venue import Lazy, LazyConnector, Venue


def _venue(item: Chain, *, with_demo: bool = False) -> Venue:
    """``with_demo``: the GUI's demo mode adds a demo wallet of this chain (Ethereum only: every
    demo venue starts its simulator in a process of its own, and one EVM wallet shows it all; every
    chain's simulator still runs with ``demo-server --exchange <id>``)."""
    return Venue(
        info=venue_info(item),
        connect=LazyConnector(f"{__name__}.connector", "EvmConnector", chain=item),
        demo=Lazy(f"{__name__}.demo", "EvmDemo", item) if with_demo else None,
        serve=Lazy(f"{__name__}.demo", "serve", item),
        harness=Lazy(f"{__name__}.harness", "EvmHarness", item),
    )


ETHEREUM = _venue(chains.ETHEREUM, with_demo=True)
POLYGON = _venue(chains.POLYGON)
ARBITRUM = _venue(chains.ARBITRUM)
OPTIMISM = _venue(chains.OPTIMISM)
BASE = _venue(chains.BASE)
BNB = _venue(chains.BNB)
