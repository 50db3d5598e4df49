"""Ethereum and the EVM chains (Polygon, Arbitrum One, OP Mainnet, Base, BNB Smart Chain): a wallet
address read from an Etherscan-compatible API (Etherscan's API v2 with the user's free key, or
Blockscout without one). One venue per chain (see :mod:`.chains`), one package for all of them."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from cryptact_desktop.venues.evm import chains
from cryptact_desktop.venues.evm.catalogue import venue_info
from cryptact_desktop.venues.evm.chains import Chain
from cryptact_desktop.venues.venue import DemoExchange, Venue

if TYPE_CHECKING:
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.sync.connector import Connector


def _venue(item: Chain, *, with_demo: bool = False) -> Venue:
    """``with_demo``: the GUI's demo mode adds a demo wallet of this chain (Ethereum only: every
    demo venue starts its simulator in a process of its own, and one EVM wallet shows it all; every
    chain's simulator still runs with ``demo-server --exchange <id>``)."""

    def connect(credentials: Credentials, base_url: str, rate_limit_scale: float) -> Connector:
        from cryptact_desktop.venues.evm.connector import EvmConnector

        return EvmConnector(credentials, base_url, chain=item, rate_limit_scale=rate_limit_scale)

    def demo(speed: float) -> DemoExchange:
        from cryptact_desktop.venues.evm.demo import EvmDemo

        return EvmDemo(item, speed)

    def serve(argv: list[str], stop: threading.Event | None = None) -> int:
        from cryptact_desktop.venues.evm.demo import serve as run

        return run(item, argv, stop)

    def harness() -> object:
        from cryptact_desktop.venues.evm.harness import EvmHarness

        return EvmHarness(item)

    return Venue(
        info=venue_info(item), connect=connect, demo=demo if with_demo else None, serve=serve, harness=harness
    )


ETHEREUM = _venue(chains.ETHEREUM, with_demo=True)
POLYGON = _venue(chains.POLYGON)
ARBITRUM = _venue(chains.ARBITRUM)
OPTIMISM = _venue(chains.OPTIMISM)
BASE = _venue(chains.BASE)
BNB = _venue(chains.BNB)
