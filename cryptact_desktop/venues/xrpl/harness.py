"""The XRP Ledger for the connector contract suite: a rippled simulator over one seeded wallet.

A wallet has no secret and signs nothing, so there are no signature vectors; its refusals are an
address the app cannot read, a server that is not a rippled API (a website, another chain's
JSON-RPC server), a server whose rate limit is spent, and a server without the wallet's full
history.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.simulator.kit import Fault, FaultPlan
from cryptact_desktop.venues.harness import HarnessBase, KeyErrorCase, SimulatorAccount, Start
from cryptact_desktop.venues.xrpl import normalize
from cryptact_desktop.venues.xrpl.accounts import SimulatedLedger, simulated_ledger
from cryptact_desktop.venues.xrpl.catalogue import XRPL
from cryptact_desktop.venues.xrpl.simulator.server import ERRORS

SPEED = 50.0
SERVER_LATENCY_MS = 400
# xrpl.org's example address with its last character changed: the checksum no longer matches.
INVALID_ADDRESS = "r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk58"

_ERRORS = (
    KeyErrorCase("invalid address", FailureKind.INVALID_ADDRESS, ""),
    KeyErrorCase("unknown server", FailureKind.WRONG_SERVER, "HTTP 404"),
    KeyErrorCase("another chain's server", FailureKind.WRONG_SERVER, "-32601"),
    KeyErrorCase("rate limit spent", FailureKind.RATE_LIMIT, "slowDown"),
    KeyErrorCase("partial-history server", FailureKind.WRONG_SERVER, "incomplete history"),
)
_MODES = {
    "unknown server": "website",
    "another chain's server": "jsonrpc2",
    "rate limit spent": "rate_limited",
    "partial-history server": "partial_history",
}


def entry_v1(entry: dict[str, object]) -> dict[str, object]:
    """A history entry as ``account_tx`` API v1 answers it (what the connector asks for)."""
    tx = dict(entry["tx"])  # type: ignore[call-overload]
    tx.update(hash=entry["hash"], date=entry["date"], ledger_index=entry["ledger_index"])
    return {"tx": tx, "meta": entry["meta"], "validated": True}


class _Wallet(SimulatorAccount):
    def __init__(self, running: SimulatedLedger, credentials: dict[str, str]) -> None:
        self._wallet = running
        super().__init__(running.simulator, credentials, running)

    @property
    def history(self) -> object:
        return self._wallet.history

    @property
    def simulator(self) -> object:
        return self._wallet.simulator

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        if "transactions" not in endpoints:
            return set()
        history = self._wallet.history
        parse = normalize.transaction(history.wallet)
        wanted: set[tuple[str, str]] = set()
        for entry in history.entries_of(history.wallet):
            record = parse(entry_v1(entry)).record
            if record is not None and record.timestamp_ms >= since_ms:
                wanted.add(("transactions", record.exchange_id))
        return wanted

    def requests_by_stream(self) -> dict[str, int]:
        """``account_tx`` calls (the stream); the key check's ``account_info`` is not a stream's."""
        counts: dict[str, int] = {}
        for method in list(self._wallet.simulator.methods):
            if method == "account_tx":
                counts["account_tx"] = counts.get("account_tx", 0) + 1
        return counts


class XrplHarness(HarnessBase):
    venue_id = XRPL.id
    rate_limit_scale = SPEED
    errors = _ERRORS

    def launch(self, start: Start) -> _Wallet:
        name = start.case
        # A full-history server takes a few hundred milliseconds for a page of account_tx; a seeded
        # wallet's history is a few pages.
        running = simulated_ledger(
            start.seed,
            size=start.size,
            mode=_MODES.get(name, "rippled"),
            rate_limit_scale=SPEED,
            latency_ms=start.latency_at_least(SERVER_LATENCY_MS),
        )
        if start.transient_faults:
            running.simulator.faults = _transient_faults(start.seed)
        fields = {"address": running.address, **start.credentials}
        if name == "invalid address":
            fields["address"] = INVALID_ADDRESS
        return _Wallet(running, fields)


def _transient_faults(seed: int) -> FaultPlan:
    """Dropped connections, a gateway error, a truncated body, a busy server, two rate-limit
    refusals and one expired paging marker, spread over the walk."""
    return FaultPlan(
        [
            Fault(path="/account_tx/marker", kind="ret_code", ret_code=ERRORS["invalidParams"][0], at=(4,)),
            Fault(path="/account_tx", kind="http_502", at=(2,)),
            Fault(path="/account_tx", kind="drop", at=(4,)),
            Fault(path="/account_tx", kind="malformed_json", at=(7,)),
            Fault(path="/account_tx", kind="rate_limit_storm", at=(9, 10)),
            Fault(path="/account_tx", kind="ret_code", ret_code=ERRORS["tooBusy"][0], at=(13,)),
        ],
        seed=seed,
    )
