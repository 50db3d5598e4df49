"""Simulated Bitcoin wallets for the harness, the demo and the tests: a deterministic account key,
its derived addresses, and the Esplora simulator over its seeded chain.

The simulator never derives keys (it is an independent reading of the API docs); the addresses it
serves are derived here with the app's own derivation, which the BIPs' test vectors check.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from cryptact_desktop.simulator.kit import FaultPlan
from cryptact_desktop.venues.bitcoin.hd import ExtendedKey, N, compress, multiply_generator
from cryptact_desktop.venues.bitcoin.simulator import (
    Chain,
    EsploraSimulator,
    SharedTransfer,
    WalletAddresses,
    generate_chain,
)
from cryptact_desktop.venues.bitcoin.wallet import CHANGE, RECEIVE, Slot, Wallet

ZPUB_VERSION = bytes.fromhex("04b24746")
RECEIVE_COUNT = 160
CHANGE_COUNT = 80


def account_key(seed: int) -> str:
    """A BIP 84 account key (``zpub``) made from ``seed`` (no seed phrase behind it)."""
    secret = int.from_bytes(hashlib.sha256(f"simulated wallet {seed}".encode()).digest(), "big") % N
    chain_code = hashlib.sha256(f"simulated chain code {seed}".encode()).digest()
    key = ExtendedKey(
        version=ZPUB_VERSION,
        depth=3,
        fingerprint=hashlib.sha256(f"parent {seed}".encode()).digest()[:4],
        child_number=0x80000000,
        chain_code=chain_code,
        public_key=compress(multiply_generator(secret)),
    )
    return key.serialize()


@cache
def derived(
    text: str, receive: int = RECEIVE_COUNT, change: int = CHANGE_COUNT
) -> tuple[WalletAddresses, dict[str, str]]:
    """The wallet's addresses (receive and change chains of its first encoding, or the single
    address) and address -> stream subject."""
    wallet = Wallet.parse(text)
    if wallet.is_single:
        return WalletAddresses((wallet.text,)), {wallet.text: "address"}
    script = wallet.scripts[-1]
    subjects: dict[str, str] = {}
    chains: dict[int, list[str]] = {RECEIVE: [], CHANGE: []}
    for chain, count in ((RECEIVE, receive), (CHANGE, change)):
        for index in range(count):
            slot = Slot(script, chain, index)
            address = wallet.address(slot)
            chains[chain].append(address)
            subjects[address] = slot.subject
    return WalletAddresses(tuple(chains[RECEIVE]), tuple(chains[CHANGE])), subjects


@dataclass
class SimulatedWallet:
    """A running Esplora simulator over one seeded wallet."""

    wallet_text: str
    chain: Chain
    simulator: EsploraSimulator
    subjects: dict[str, str]
    base_url: str = ""

    def start(self) -> str:
        self.base_url = self.simulator.start()
        return self.base_url

    def stop(self) -> None:
        self.simulator.stop()


def simulated_wallet(
    seed: int,
    *,
    size: str = "small",
    wallet_text: str = "",
    shared: Sequence[SharedTransfer] = (),
    now_ms: int | None = None,
    mode: str = "esplora",
    rate_limit_scale: float = 1.0,
    faults: FaultPlan | None = None,
    latency_ms: int = 0,
    port: int = 0,
) -> SimulatedWallet:
    """A wallet (``wallet_text``: an address or account key; default: :func:`account_key` of
    ``seed``), its chain and a simulator (not started)."""
    text = wallet_text or account_key(seed)
    addresses, subjects = derived(text)
    chain = generate_chain(
        seed, addresses, size=size, now_ms=now_ms or int(time.time() * 1000), shared=tuple(shared)
    )
    simulator = EsploraSimulator(
        chain, mode=mode, rate_limit_scale=rate_limit_scale, faults=faults, latency_ms=latency_ms, port=port
    )
    return SimulatedWallet(text, chain, simulator, subjects)
