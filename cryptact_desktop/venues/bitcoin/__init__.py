"""Bitcoin: a wallet (an address or an account's xpub/ypub/zpub) read from an Esplora API; address
derivation, normaliser, connector, simulator and harness."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from cryptact_desktop.venues.bitcoin.catalogue import BITCOIN
from cryptact_desktop.venues.venue import DemoExchange, Venue

if TYPE_CHECKING:
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.sync.connector import Connector


def _connect(credentials: Credentials, base_url: str, rate_limit_scale: float) -> Connector:
    from cryptact_desktop.venues.bitcoin.connector import EsploraConnector

    return EsploraConnector(credentials, base_url, rate_limit_scale=rate_limit_scale)


def _demo(speed: float) -> DemoExchange:
    from cryptact_desktop.venues.bitcoin.demo import BitcoinDemo

    return BitcoinDemo(speed)


def _serve(argv: list[str], stop: threading.Event | None = None) -> int:
    from cryptact_desktop.venues.bitcoin.demo import serve

    return serve(argv, stop)


def _harness() -> object:
    from cryptact_desktop.venues.bitcoin.harness import BitcoinHarness

    return BitcoinHarness()


VENUE = Venue(info=BITCOIN, connect=_connect, demo=_demo, serve=_serve, harness=_harness)
