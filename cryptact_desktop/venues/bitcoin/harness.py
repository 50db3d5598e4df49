"""Bitcoin for the connector contract suite: an Esplora simulator over one seeded account key.

A wallet has no secret and signs nothing, so there are no signature vectors; its refusals are a
wallet the API cannot read (an invalid address), a server that is not an Esplora API, and a server
whose rate limit is spent.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry
from cryptact_desktop.venues.bitcoin import normalize
from cryptact_desktop.venues.bitcoin.accounts import SimulatedWallet, simulated_wallet
from cryptact_desktop.venues.bitcoin.catalogue import BITCOIN
from cryptact_desktop.venues.harness import HarnessBase, KeyErrorCase, SimulatorAccount, Start

SPEED = 50.0
# A damaged checksum: the last character of BIP 84's first receive address changed.
INVALID_ADDRESS = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyv"

_ERRORS = (
    KeyErrorCase("invalid address", FailureKind.INVALID_ADDRESS, ""),
    KeyErrorCase("unknown server", FailureKind.WRONG_SERVER, "HTTP 404"),
    KeyErrorCase("rate limit spent", FailureKind.RATE_LIMIT, "HTTP 429"),
)


class _Wallet(SimulatorAccount):
    def __init__(self, running: SimulatedWallet, credentials: dict[str, str]) -> None:
        self._wallet = running
        super().__init__(running.simulator, credentials, running)

    @property
    def chain(self) -> object:
        return self._wallet.chain

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        if "transactions" not in endpoints:
            return set()
        chain = self._wallet.chain
        parse = normalize.transaction(chain.wallet.all, now_ms)
        wanted: set[tuple[str, str]] = set()
        for tx in chain.wallet_transactions():
            record = parse(tx).record
            if record is not None and record.timestamp_ms >= since_ms:
                wanted.add(("transactions", record.exchange_id))
        return wanted

    def stream_of(self, entry: RequestLogEntry) -> str:
        """Requests of each address's transaction list (the discovery's address lookups are not a
        stream's: the Bitcoin tests count them separately)."""
        parts = [p for p in entry.path.split("/") if p]
        if len(parts) >= 3 and parts[0] == "address" and parts[2] == "txs":
            return f"txs:{self._wallet.subjects.get(parts[1], parts[1])}"
        return ""


class BitcoinHarness(HarnessBase):
    venue_id = BITCOIN.id
    rate_limit_scale = SPEED
    errors = _ERRORS

    def launch(self, start: Start) -> _Wallet:
        name = start.case
        mode = {"unknown server": "website", "rate limit spent": "rate_limited"}.get(name, "esplora")
        running = simulated_wallet(
            start.seed, size=start.size, mode=mode, rate_limit_scale=SPEED, latency_ms=start.latency_ms
        )
        if start.transient_faults:
            running.simulator.faults = _transient_faults(running, start.seed)
        fields = {"address": running.wallet_text, **start.credentials}
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
