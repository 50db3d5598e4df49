"""bitFlyer (Lightning HTTP API): catalogue, signing, errors, connector, normaliser, report files,
simulator."""

from __future__ import annotations

from cryptact_desktop.venues.bitflyer.catalogue import BITFLYER
from cryptact_desktop.venues.venue import Lazy, LazyConnector, LazyValue, Venue, keyed_demo

VENUE = Venue(
    info=BITFLYER,
    connect=LazyConnector(f"{__name__}.connector", "BitflyerConnector"),
    file_formats=LazyValue(f"{__name__}.files", "FORMATS"),
    known_files=LazyValue(f"{__name__}.files", "KNOWN_FILES"),
    demo=keyed_demo(f"{__name__}.simulator"),
    serve=Lazy(f"{__name__}.simulator.__main__", "main"),
    harness=Lazy(f"{__name__}.harness", "BitflyerHarness"),
)
