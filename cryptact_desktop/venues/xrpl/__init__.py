"""The XRP Ledger: a wallet (a classic ``r…`` address) read from a rippled or Clio JSON-RPC server;
address checks, normaliser, connector, simulator and harness."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from cryptact_desktop.venues.venue import DemoExchange, Venue
from cryptact_desktop.venues.xrpl.catalogue import XRPL

if TYPE_CHECKING:
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.sync.connector import Connector


def _connect(credentials: Credentials, base_url: str, rate_limit_scale: float) -> Connector:
    from cryptact_desktop.venues.xrpl.connector import XrplConnector

    return XrplConnector(credentials, base_url, rate_limit_scale=rate_limit_scale)


def _demo(speed: float) -> DemoExchange:
    from cryptact_desktop.venues.xrpl.demo import XrplDemo

    return XrplDemo(speed)


def _serve(argv: list[str], stop: threading.Event | None = None) -> int:
    from cryptact_desktop.venues.xrpl.demo import serve

    return serve(argv, stop)


def _harness() -> object:
    from cryptact_desktop.venues.xrpl.harness import XrplHarness

    return XrplHarness()


VENUE = Venue(info=XRPL, connect=_connect, demo=_demo, serve=_serve, harness=_harness)
