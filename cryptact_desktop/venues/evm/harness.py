"""An EVM chain for the connector contract suite: an Etherscan-compatible simulator over one seeded
address.

A wallet signs nothing, so there are no signature vectors; its refusals are an address the app
cannot read, a server that is not an Etherscan-compatible API, a spent rate limit, and an invalid
provider key.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry
from cryptact_desktop.venues.evm import normalize
from cryptact_desktop.venues.evm.accounts import DEMO_KEY, SimulatedWallet, simulated_wallet
from cryptact_desktop.venues.evm.catalogue import ENDPOINT
from cryptact_desktop.venues.evm.chains import Chain
from cryptact_desktop.venues.harness import HarnessBase, KeyErrorCase, SimulatorAccount, Start

SPEED = 50.0
EXPLORER_LATENCY_MS = 450
# EIP-55's first mixed-case example with one letter's case changed: the checksum fails.
INVALID_ADDRESS = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"

_ERRORS = (
    KeyErrorCase("invalid address", FailureKind.INVALID_ADDRESS, ""),
    KeyErrorCase("unknown server", FailureKind.WRONG_SERVER, "HTTP 404"),
    KeyErrorCase("rate limit spent", FailureKind.RATE_LIMIT, "NOTOK"),
    KeyErrorCase("invalid provider key", FailureKind.AUTHENTICATION, "NOTOK"),
)


class _Wallet(SimulatorAccount):
    def __init__(self, running: SimulatedWallet, credentials: dict[str, str]) -> None:
        self.running = running
        super().__init__(running.simulator, credentials, running)

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        """Every record of the simulator's rows, through the app's normaliser (the truth test in
        ``tests/venues/evm`` checks that normaliser against the generator's own truth)."""
        if ENDPOINT not in endpoints:
            return set()
        history = self.running.history
        rows = {action: history.rows(action) for action in normalize.ACTIONS}
        settled = now_ms - self.running.chain.settle_ms
        wanted: set[tuple[str, str]] = set()
        for item in normalize.bundle(rows):
            if item.time_ms >= since_ms and item.time_ms <= settled:
                for record in normalize.records(item, self.running.address, self.running.chain):
                    wanted.add((ENDPOINT, record.exchange_id))
        return wanted

    def stream_of(self, entry: RequestLogEntry) -> str:
        """Requests of each list (the stream reads the three lists for every block range, so its
        cost per list is what a resync must keep at one) and of the block lookup."""
        return f"txs/{entry.query.get('action', '?')}"


class EvmHarness(HarnessBase):
    rate_limit_scale = SPEED
    errors = _ERRORS

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.venue_id = chain.id
        # The chain's default host: Etherscan API v2 where its free plan serves the chain, else
        # Blockscout (no key), so the suite runs both dialects.
        self.server = "etherscan" if chain.etherscan_free or not chain.blockscout_url else "blockscout"

    def launch(self, start: Start) -> _Wallet:
        name = start.case
        mode = {"unknown server": "website", "rate limit spent": "rate_limited"}.get(name, self.server)
        keys = frozenset({DEMO_KEY, *(v for k, v in start.credentials.items() if k == "provider_key")})
        # A real explorer takes about half a second for a page of up to 1,000 rows; a seeded
        # wallet's history fits one page (three requests).
        running = simulated_wallet(
            self.chain,
            start.seed,
            size=start.size,
            mode=mode,
            keys=keys,
            rate_limit_scale=SPEED,
            latency_ms=start.latency_at_least(EXPLORER_LATENCY_MS),
        )
        if start.transient_faults:
            running.simulator.faults = _transient_faults(start.seed)
        fields = {**running.credentials(), **start.credentials}
        if name == "invalid address":
            fields["address"] = INVALID_ADDRESS
        elif name == "invalid provider key":
            fields["provider_key"] = "WRONGKEY0000000000000000000000"
        return _Wallet(running, fields)


def _transient_faults(seed: int) -> FaultPlan:
    """Faults on each of the three lists: a server error, a dropped connection, a truncated body,
    a rate-limit refusal and the server's own query timeout."""
    return FaultPlan(
        [
            Fault(path="/account/txlist", kind="http_502", at=(1,)),
            Fault(path="/account/txlist", kind="drop", at=(3,)),
            Fault(path="/account/txlistinternal", kind="malformed_json", at=(1,)),
            Fault(path="/account/tokentx", kind="rate_limit_storm", at=(1, 2)),
            Fault(path="/account/tokentx", kind="ret_code", ret_code=1, at=(4,)),
        ],
        seed=seed,
    )
