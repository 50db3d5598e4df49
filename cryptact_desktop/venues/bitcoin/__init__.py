"""Bitcoin: a wallet (an address or an account's xpub/ypub/zpub) read from an Esplora API; address
derivation, normaliser, connector, simulator and harness."""

from __future__ import annotations

from cryptact_desktop.venues.bitcoin.catalogue import BITCOIN
from cryptact_desktop.venues.venue import Lazy, LazyConnector, Venue

VENUE = Venue(
    info=BITCOIN,
    connect=LazyConnector(f"{__name__}.connector", "EsploraConnector"),
    demo=Lazy(f"{__name__}.demo", "BitcoinDemo"),
    serve=Lazy(f"{__name__}.demo", "serve"),
    harness=Lazy(f"{__name__}.harness", "BitcoinHarness"),
)
