"""A simulated XRP Ledger wallet for the harness, the demo and the tests: a seeded history and the
rippled simulator serving it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from cryptact_desktop.simulator.kit import FaultPlan
from cryptact_desktop.venues.xrpl.simulator import History, RippledSimulator, SharedTransfer, generate_history
from cryptact_desktop.venues.xrpl.simulator.server import PAGE_MAX


@dataclass
class SimulatedLedger:
    """A running rippled simulator over one seeded wallet."""

    history: History
    simulator: RippledSimulator
    base_url: str = ""

    @property
    def address(self) -> str:
        return self.history.wallet

    def start(self) -> str:
        self.base_url = self.simulator.start()
        return self.base_url

    def stop(self) -> None:
        self.simulator.stop()


def simulated_ledger(
    seed: int,
    *,
    size: str = "small",
    shared: Sequence[SharedTransfer] = (),
    now_ms: int | None = None,
    mode: str = "rippled",
    rate_limit_scale: float = 1.0,
    page_max: int | None = None,
    faults: FaultPlan | None = None,
    latency_ms: int = 0,
    port: int = 0,
) -> SimulatedLedger:
    """A wallet's seeded history and a simulator over it (not started)."""
    history = generate_history(seed, size=size, now_ms=now_ms or int(time.time() * 1000), shared=shared)
    simulator = RippledSimulator(
        history,
        mode=mode,
        rate_limit_scale=rate_limit_scale,
        faults=faults,
        latency_ms=latency_ms,
        port=port,
        page_max=PAGE_MAX if page_max is None else page_max,
    )
    return SimulatedLedger(history, simulator)
