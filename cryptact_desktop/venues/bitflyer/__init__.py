"""bitFlyer (Lightning HTTP API): catalogue, signing, errors, connector, normaliser, report files,
simulator."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from cryptact_desktop.venues.bitflyer.catalogue import BITFLYER
from cryptact_desktop.venues.venue import DemoAccount, DemoExchange, Venue

if TYPE_CHECKING:
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.imports.spec import FileFormat, KnownFile
    from cryptact_desktop.sync.connector import Connector


def _connect(credentials: Credentials, base_url: str, rate_limit_scale: float) -> Connector:
    from cryptact_desktop.venues.bitflyer.connector import BitflyerConnector

    return BitflyerConnector(credentials, base_url, rate_limit_scale=rate_limit_scale)


def _file_formats() -> tuple[FileFormat, ...]:
    from cryptact_desktop.venues.bitflyer.files import FORMATS

    return FORMATS


def _known_files() -> tuple[KnownFile, ...]:
    from cryptact_desktop.venues.bitflyer.files import KNOWN_FILES

    return KNOWN_FILES


class _Demo(DemoExchange):
    def __init__(self, speed: float) -> None:
        from cryptact_desktop.venues.bitflyer.simulator import demo_setup

        self._simulator, entries = demo_setup(speed=speed)
        self.base_url = self._simulator.start()
        self.accounts = tuple(
            DemoAccount(label, {"api_key": api_key, "secret": secret}) for label, api_key, secret in entries
        )

    def stop(self) -> None:
        self._simulator.stop()


def _serve(argv: list[str], stop: threading.Event | None = None) -> int:
    from cryptact_desktop.venues.bitflyer.simulator.__main__ import main

    return main(argv, stop)


def _harness() -> object:
    from cryptact_desktop.venues.bitflyer.harness import BitflyerHarness

    return BitflyerHarness()


VENUE = Venue(
    info=BITFLYER,
    connect=_connect,
    file_formats=_file_formats,
    known_files=_known_files,
    demo=_Demo,
    serve=_serve,
    harness=_harness,
)
