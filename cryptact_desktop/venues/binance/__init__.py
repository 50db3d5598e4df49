"""Binance (binance.com REST API): catalogue, signing, errors, connector, normaliser, download files,
simulator."""

from __future__ import annotations

from dataclasses import replace

from cryptact_desktop.venues.binance.catalogue import BINANCE
from cryptact_desktop.venues.venue import (
    Lazy,
    LazyConnector,
    LazyValue,
    SimulatorDemo,
    Venue,
    key_accounts,
)


class _Demo(SimulatorDemo):
    """The demo keys sync from the demo account's opening, as the fiat endpoint's hint advises:
    Binance allows two fiat requests a minute, and from January 2019 on (as far back as the API
    reaches) the demo's first sync waited minutes for them."""

    def __init__(self, speed: float) -> None:
        from cryptact_desktop.venues.binance.simulator import DEMO_ACCOUNT, demo_setup

        simulator, entries = demo_setup(speed=speed)
        opened = simulator.accounts[DEMO_ACCOUNT].activity.plan.start_ms
        accounts = tuple(replace(account, sync_from_ms=opened) for account in key_accounts(entries))
        super().__init__(simulator, accounts)


VENUE = Venue(
    info=BINANCE,
    connect=LazyConnector(f"{__name__}.connector", "BinanceConnector"),
    file_formats=LazyValue(f"{__name__}.files", "FORMATS"),
    known_files=LazyValue(f"{__name__}.files", "KNOWN_FILES"),
    demo=_Demo,
    serve=Lazy(f"{__name__}.simulator.__main__", "main"),
    harness=Lazy(f"{__name__}.harness", "BinanceHarness"),
)
