"""Bitcoin for the connector contract suite: an Esplora simulator over one seeded account key.

A wallet has no secret and signs nothing, so there are no signature vectors; its refusals are a
wallet the API cannot read (an invalid address), a server that is not an Esplora API, and a server
whose rate limit is spent.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.simulator.kit import Fault, FaultPlan
from cryptact_desktop.venues.bitcoin import normalize
from cryptact_desktop.venues.bitcoin.accounts import SimulatedWallet, simulated_wallet
from cryptact_desktop.venues.bitcoin.catalogue import BITCOIN
from cryptact_desktop.venues.harness import KeyErrorCase, SignatureVector

SPEED = 50.0
# A damaged checksum: the last character of BIP 84's first receive address changed.
INVALID_ADDRESS = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyv"

_ERRORS = (
    KeyErrorCase("invalid address", FailureKind.INVALID_ADDRESS, ""),
    KeyErrorCase("unknown server", FailureKind.WRONG_SERVER, "HTTP 404"),
    KeyErrorCase("rate limit spent", FailureKind.RATE_LIMIT, "HTTP 429"),
)


class _Wallet:
    def __init__(self, running: SimulatedWallet, credentials: dict[str, str]) -> None:
        self._running = running
        self.base_url = running.start()
        self.credentials = credentials

    @property
    def chain(self) -> object:
        return self._running.chain

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        if "transactions" not in endpoints:
            return set()
        chain = self._running.chain
        parse = normalize.transaction(chain.wallet.all, now_ms)
        wanted: set[tuple[str, str]] = set()
        for tx in chain.wallet_transactions():
            record = parse(tx).record
            if record is not None and record.timestamp_ms >= since_ms:
                wanted.add(("transactions", record.exchange_id))
        return wanted

    def request_count(self) -> int:
        return len(self._running.simulator.request_log)

    def requests_by_stream(self) -> dict[str, int]:
        """Requests of each address's transaction list (the discovery's address lookups are not a
        stream's: the Bitcoin tests count them separately)."""
        counts: dict[str, int] = {}
        for entry in self._running.simulator.request_log:
            parts = [p for p in entry.path.split("/") if p]
            if len(parts) >= 3 and parts[0] == "address" and parts[2] == "txs":
                stream = f"txs:{self._running.subjects.get(parts[1], parts[1])}"
                counts[stream] = counts.get(stream, 0) + 1
        return counts

    def export_files(self, directory: Path) -> tuple[Path, ...]:
        return ()  # a blockchain has no download files

    def stop(self) -> None:
        self._running.stop()


class BitcoinHarness:
    venue_id = BITCOIN.id
    rate_limit_scale = SPEED

    def signature_vectors(self) -> tuple[SignatureVector, ...]:
        return ()

    def key_errors(self) -> tuple[KeyErrorCase, ...]:
        return _ERRORS

    def start(
        self,
        *,
        seed: int,
        size: str = "small",
        credentials: dict[str, str] | None = None,
        error: KeyErrorCase | None = None,
        transient_faults: bool = False,
        latency_ms: int = 0,
    ) -> _Wallet:
        name = error.name if error is not None else ""
        mode = {"unknown server": "website", "rate limit spent": "rate_limited"}.get(name, "esplora")
        if name and name not in {case.name for case in _ERRORS}:
            raise KeyError(f"no such Bitcoin error case {name!r}")
        running = simulated_wallet(seed, size=size, mode=mode, rate_limit_scale=SPEED, latency_ms=latency_ms)
        if transient_faults:
            running.simulator.faults = _transient_faults(running, seed)
        fields = {"address": running.wallet_text, **(credentials or {})}
        if name == "invalid address":
            fields["address"] = INVALID_ADDRESS
        return _Wallet(running, fields)


def _transient_faults(running: SimulatedWallet, seed: int) -> FaultPlan:
    """Faults on the discovery's address lookups and on the transaction lists of the three busiest
    addresses (the busiest has several pages)."""
    chain = running.chain
    mine = chain.wallet.all
    busiest = sorted((a for a in chain.by_address if a in mine), key=lambda a: -len(chain.by_address[a]))[:3]
    lists = [f"/address/{address}/txs" for address in busiest]
    return FaultPlan(
        [
            Fault(path=lists[0], kind="http_502", at=(1,)),
            Fault(path=lists[0], kind="drop", at=(3,)),
            Fault(path=lists[1], kind="malformed_json", at=(1,)),
            Fault(path=lists[2], kind="rate_limit_storm", at=(1, 2)),
            Fault(path="/address/", kind="http_503", at=(4,)),
            Fault(path="/address/", kind="drop", at=(9,)),
            Fault(path="/address/", kind="rate_limit_storm", at=(15,)),
        ],
        seed=seed,
    )
