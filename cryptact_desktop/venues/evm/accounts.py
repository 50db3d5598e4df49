"""Simulated EVM wallets for the harness, the demo and the tests: a deterministic address, its
seeded history and the Etherscan-compatible simulator over it."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

from cryptact_desktop.simulator.kit import FaultPlan
from cryptact_desktop.venues.evm.address import checksummed
from cryptact_desktop.venues.evm.chains import Chain
from cryptact_desktop.venues.evm.simulator import (
    EtherscanSimulator,
    History,
    SharedTransfer,
    generate_history,
)

DEMO_KEY = "DEMOKEY7Q2W9E4R1T6Y3U8I5O0P"  # the simulator's one valid provider key (not a secret)


def wallet_address(seed: int) -> str:
    """A checksummed address made from ``seed`` (no private key behind it)."""
    return checksummed("0x" + hashlib.sha256(f"simulated evm wallet {seed}".encode()).hexdigest()[:40])


@dataclass
class SimulatedWallet:
    """A running Etherscan-compatible simulator over one seeded wallet."""

    chain: Chain
    address: str
    history: History
    simulator: EtherscanSimulator
    base_url: str = ""

    def start(self) -> str:
        self.base_url = self.simulator.start() + self.simulator.api_path
        return self.base_url

    def stop(self) -> None:
        self.simulator.stop()

    def credentials(self) -> dict[str, str]:
        fields = {"address": self.address}
        if self.simulator.api_path == "/v2/api":
            fields["provider_key"] = DEMO_KEY
        return fields


def simulated_wallet(
    chain: Chain,
    seed: int,
    *,
    size: str = "small",
    address: str = "",
    shared: Sequence[SharedTransfer] = (),
    now_ms: int | None = None,
    mode: str = "etherscan",
    keys: frozenset[str] = frozenset({DEMO_KEY}),
    rate_limit_scale: float = 1.0,
    max_records: int = 1000,
    result_window: int = 10_000,
    faults: FaultPlan | None = None,
    latency_ms: int = 0,
    port: int = 0,
) -> SimulatedWallet:
    """A wallet (``address``; default :func:`wallet_address` of ``seed``), its history and a
    simulator (not started)."""
    text = address or wallet_address(seed)
    history = generate_history(
        seed,
        text,
        coin=chain.coin,
        genesis_ms=chain.genesis_ms,
        block_seconds=chain.block_seconds,
        now_ms=now_ms or int(time.time() * 1000),
        size=size,
        shared=shared,
    )
    simulator = EtherscanSimulator(
        history,
        chain_id=chain.chain_id,
        mode=mode,
        keys=keys,
        rate_limit_scale=rate_limit_scale,
        max_records=max_records,
        result_window=result_window,
        faults=faults,
        latency_ms=latency_ms,
        port=port,
    )
    return SimulatedWallet(chain, text, history, simulator)
