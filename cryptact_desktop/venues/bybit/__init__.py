"""Bybit (V5 API): catalogue, signing, error codes, connector, normaliser, export files, simulator."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptact_desktop.i18n import translatable
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.venue import (
    DemoAccount,
    Lazy,
    LazyConnector,
    LazyValue,
    SimulatorDemo,
    Venue,
    key_accounts,
)

if TYPE_CHECKING:
    from cryptact_desktop.records import NormalizedRecord


class _Demo(SimulatorDemo):
    """The keyed demo plus a spare account the key dialog shows, and its spot trade file."""

    def __init__(self, speed: float) -> None:
        from cryptact_desktop.venues.bybit.simulator import DEMO_SPARE_KEY, DEMO_SPARE_SECRET, demo_setup

        self._bybit, entries = demo_setup(speed=speed)
        super().__init__(self._bybit, key_accounts(entries))
        self.spare = DemoAccount(
            translatable("demo", "Demo account 2"), {"api_key": DEMO_SPARE_KEY, "secret": DEMO_SPARE_SECRET}
        )

    def sample_file(self, folder: Path) -> Path | None:
        from cryptact_desktop.venues.bybit.simulator import DEMO_SPARE_UID
        from cryptact_desktop.venues.bybit.simulator.exports import write_export

        path, _made = write_export(self._bybit.accounts[DEMO_SPARE_UID], "spot_trades", folder)
        return path


def _renormalize(endpoint: str, stream: str, raw: Mapping[str, Any]) -> NormalizedRecord | None:
    from cryptact_desktop.venues.bybit.streams import STREAM_REQUESTS

    spec = STREAM_REQUESTS.get(stream)
    if spec is None:
        return None
    try:
        return spec.parse(raw).record
    except (ValueError, TypeError, ArithmeticError):
        return None


VENUE = Venue(
    info=BYBIT,
    connect=LazyConnector(f"{__name__}.connector", "BybitConnector"),
    file_formats=LazyValue(f"{__name__}.files", "FORMATS"),
    known_files=LazyValue(f"{__name__}.files", "KNOWN_FILES"),
    # 2: derivative fills, realised-P&L ledger entries, mirrors and convert amounts as neutral entries
    normalizer_version=2,
    renormalize=_renormalize,
    demo=_Demo,
    serve=Lazy(f"{__name__}.simulator.__main__", "main"),
    harness=Lazy(f"{__name__}.harness", "BybitHarness"),
)
