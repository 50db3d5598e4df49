"""The XRP Ledger: a wallet (a classic ``r…`` address) read from a rippled or Clio JSON-RPC server;
address checks, normaliser, connector, simulator and harness."""

from __future__ import annotations

from cryptact_desktop.venues.venue import Lazy, LazyConnector, Venue
from cryptact_desktop.venues.xrpl.catalogue import XRPL

VENUE = Venue(
    info=XRPL,
    connect=LazyConnector(f"{__name__}.connector", "XrplConnector"),
    demo=Lazy(f"{__name__}.demo", "XrplDemo"),
    serve=Lazy(f"{__name__}.demo", "serve"),
    harness=Lazy(f"{__name__}.harness", "XrplHarness"),
)
