"""Bybit (V5 API): catalogue, signing, error codes, connector, normaliser, export files, simulator."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.venue import DemoAccount, DemoExchange, Venue

if TYPE_CHECKING:
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.imports.spec import FileFormat, KnownFile
    from cryptact_desktop.records import NormalizedRecord
    from cryptact_desktop.sync.connector import Connector


def _connect(credentials: Credentials, base_url: str, rate_limit_scale: float) -> Connector:
    from cryptact_desktop.venues.bybit.connector import BybitConnector

    return BybitConnector(credentials, base_url, rate_limit_scale=rate_limit_scale)


def _file_formats() -> tuple[FileFormat, ...]:
    from cryptact_desktop.venues.bybit.files import FORMATS

    return FORMATS


def _known_files() -> tuple[KnownFile, ...]:
    from cryptact_desktop.venues.bybit.files import KNOWN_FILES

    return KNOWN_FILES


class _Demo(DemoExchange):
    def __init__(self, speed: float) -> None:
        from cryptact_desktop.venues.bybit.simulator import demo_setup

        self._simulator, entries = demo_setup(speed=speed)
        self.base_url = self._simulator.start()
        self.accounts = tuple(
            DemoAccount(label, {"api_key": api_key, "secret": secret}) for label, api_key, secret in entries
        )
        from cryptact_desktop.venues.bybit.simulator import DEMO_SPARE_KEY, DEMO_SPARE_SECRET

        self.spare = DemoAccount("Demo account 2", {"api_key": DEMO_SPARE_KEY, "secret": DEMO_SPARE_SECRET})

    def sample_file(self, folder: Path) -> Path | None:
        from cryptact_desktop.venues.bybit.simulator import DEMO_SPARE_UID
        from cryptact_desktop.venues.bybit.simulator.exports import write_export

        path, _made = write_export(self._simulator.accounts[DEMO_SPARE_UID], "spot_trades", folder)
        return path

    def stop(self) -> None:
        self._simulator.stop()


def _serve(argv: list[str], stop: threading.Event | None = None) -> int:
    from cryptact_desktop.venues.bybit.simulator.__main__ import main

    return main(argv, stop)


def _renormalize(endpoint: str, stream: str, raw: Mapping[str, Any]) -> NormalizedRecord | None:
    from cryptact_desktop.venues.bybit.streams import STREAM_REQUESTS

    spec = STREAM_REQUESTS.get(stream)
    if spec is None:
        return None
    try:
        return spec.parse(raw).record
    except (ValueError, TypeError, ArithmeticError):
        return None


def _harness() -> object:
    from cryptact_desktop.venues.bybit.harness import BybitHarness

    return BybitHarness()


VENUE = Venue(
    info=BYBIT,
    connect=_connect,
    file_formats=_file_formats,
    known_files=_known_files,
    # 2: derivative fills, realised-P&L ledger entries, mirrors and convert amounts as neutral entries
    normalizer_version=2,
    renormalize=_renormalize,
    demo=_Demo,
    serve=_serve,
    harness=_harness,
)
