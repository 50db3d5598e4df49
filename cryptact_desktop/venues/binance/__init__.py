"""Binance (binance.com REST API): catalogue, signing, errors, connector, normaliser, download files,
simulator."""

from __future__ import annotations

from cryptact_desktop.venues.binance.catalogue import BINANCE
from cryptact_desktop.venues.venue import Lazy, LazyConnector, LazyValue, Venue, keyed_demo

VENUE = Venue(
    info=BINANCE,
    connect=LazyConnector(f"{__name__}.connector", "BinanceConnector"),
    file_formats=LazyValue(f"{__name__}.files", "FORMATS"),
    known_files=LazyValue(f"{__name__}.files", "KNOWN_FILES"),
    demo=keyed_demo(f"{__name__}.simulator"),
    serve=Lazy(f"{__name__}.simulator.__main__", "main"),
    harness=Lazy(f"{__name__}.harness", "BinanceHarness"),
)
