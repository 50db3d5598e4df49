"""Bybit for the connector contract suite: the simulator with one seeded account and a key."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.signing import sign as client_sign
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
from cryptact_desktop.venues.bybit.simulator import sign as simulator_sign
from cryptact_desktop.venues.bybit.simulator.exports import write_export
from cryptact_desktop.venues.bybit.simulator.truth import reachable, sim_stream
from cryptact_desktop.venues.bybit.streams import STREAM_REQUESTS
from cryptact_desktop.venues.harness import (
    HarnessBase,
    KeyErrorCase,
    SignatureVector,
    SimulatorAccount,
    Start,
)

UID = 710001
API_KEY = "CONTRACTKEY000001"
SECRET = "CONTRACT-SECRET-0123456789abcdefABCD"  # noqa: S105 (simulated credential)
SPEED = 50.0
DAY_MS = 86_400_000

# Locally computed with Python's hmac over Bybit's documented string to sign (the docs' own
# example does not publish its secret): ../shared/reference/bybit-v5.md §1.3.
_VECTOR_SECRET = "SIMULATOR_TEST_SECRET_0123456789abcdef"  # noqa: S105
_VECTOR_KEY = "SIMKEY0001"
_VECTOR_QUERY = "category=spot&limit=100&startTime=1699395200000&endTime=1700000000000"

_WALLET_ONLY_MISSING = {
    "ContractTrade": ["Order", "Position"],
    "Spot": ["SpotTrade"],
    "Options": ["OptionsTrade"],
    "Wallet": [],
    "Exchange": ["ExchangeHistory"],
    "Earn": ["Earn"],
}

_ERRORS = (
    KeyErrorCase("wrong secret", FailureKind.SIGNATURE, "10004"),
    KeyErrorCase("unknown key", FailureKind.AUTHENTICATION, "10003"),
    KeyErrorCase("expired key", FailureKind.KEY_EXPIRED, "33004"),
    KeyErrorCase("IP not allowed", FailureKind.IP_WHITELIST, "10010"),
    KeyErrorCase("region blocked", FailureKind.REGION, "10009"),
    KeyErrorCase(
        "no Wallet permission", FailureKind.PERMISSION, "10005", ("deposits", "withdrawals", "transfers")
    ),
)


class _Account(SimulatorAccount):
    def __init__(self, simulator: BybitSimulator, account: object, credentials: dict[str, str]) -> None:
        self._simulator = simulator
        self._account = account
        super().__init__(simulator, credentials)

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        account = self._account
        wanted: set[tuple[str, str]] = set()
        for endpoint in endpoints:
            for stream in BYBIT.endpoint(endpoint).streams:
                parse = STREAM_REQUESTS[stream.id].parse
                for raw in reachable(account, stream.id, now_ms):  # type: ignore[arg-type]
                    if account.record_time_ms(sim_stream(stream.id), raw) < since_ms:  # type: ignore[attr-defined]
                        continue
                    record = parse(raw).record
                    if record is not None:
                        wanted.add((endpoint, record.exchange_id))
        return wanted

    def stream_of(self, entry: RequestLogEntry) -> str:
        for stream_id, spec in STREAM_REQUESTS.items():
            if entry.path == spec.path and all(entry.query.get(k) == v for k, v in spec.params):
                return stream_id
        return ""

    def export_files(self, directory: Path) -> tuple[Path, ...]:
        now = self._simulator.server_time_ms()
        # Inside the API's two-year reach, so every file row is one the API also gives.
        path, _made = write_export(
            self._account,  # type: ignore[arg-type]
            "spot_trades",
            directory,
            start_ms=now - 600 * DAY_MS,
            end_ms=now - 30 * DAY_MS,
        )
        return (path,)


class BybitHarness(HarnessBase):
    venue_id = "bybit"
    rate_limit_scale = SPEED
    errors = _ERRORS

    def signature_vectors(self) -> tuple[SignatureVector, ...]:
        ts, recv = "1700000000000", "5000"
        return (
            SignatureVector(
                "GET with a query string",
                "13c21b3cad6a04a3078a40fbb3ef4cd45c91ce52ec73020036e1b4212e75e5ad",
                lambda: client_sign(_VECTOR_SECRET, ts, _VECTOR_KEY, recv, _VECTOR_QUERY),
                lambda: simulator_sign(_VECTOR_SECRET, ts, _VECTOR_KEY, recv, _VECTOR_QUERY),
            ),
            SignatureVector(
                "GET without a query string",
                "73c0903d2571115adf2196840f58e74c5e9651ac8cc6a48a765ab0e99025be64",
                lambda: client_sign(_VECTOR_SECRET, ts, _VECTOR_KEY, recv, ""),
                lambda: simulator_sign(_VECTOR_SECRET, ts, _VECTOR_KEY, recv, ""),
            ),
        )

    def launch(self, start: Start) -> _Account:
        account = generate_account(seed=start.seed, size=start.size, uid=UID)
        api_key = start.credential("api_key", API_KEY)
        secret = start.credential("secret", SECRET)
        client = {"api_key": api_key, "secret": secret}
        key = SimulatedKey(api_key, secret, UID)
        name = start.case
        if name == "wrong secret":
            key = SimulatedKey(api_key, "SERVER-SIDE-SECRET-THAT-DIFFERS-000", UID)
        elif name == "unknown key":
            key = SimulatedKey("ANOTHERKEY0000001", secret, UID)
        elif name == "expired key":
            key = SimulatedKey(api_key, secret, UID, expired=True)
        elif name == "IP not allowed":
            key = SimulatedKey(api_key, secret, UID, ips=["203.0.113.7"])
        elif name == "region blocked":
            key = SimulatedKey(api_key, secret, UID, region_blocked=True)
        elif name == "no Wallet permission":
            key = SimulatedKey(api_key, secret, UID, permissions=_WALLET_ONLY_MISSING)
        faults = None
        if start.transient_faults:
            faults = FaultPlan(
                [
                    Fault(path="/v5/execution/list", kind="http_502", every=7, count=6),
                    Fault(path="/v5/account/transaction-log", kind="drop", at=(2, 5)),
                    Fault(path="/v5/asset/deposit/query-record", kind="malformed_json", at=(3,)),
                    Fault(path="/v5/asset/withdraw/query-record", kind="ret_code", ret_code=10016, at=(1,)),
                    Fault(path="/v5/earn/", kind="rate_limit_storm", at=(2, 3, 4)),
                    Fault(path="/v5/asset/exchange/", kind="http_429", at=(1,)),
                ],
                seed=start.seed,
            )
        simulator = BybitSimulator(
            accounts=[account],
            keys=[key],
            rate_limit_scale=SPEED,
            ip_limit=(int(600 * SPEED), 5.0),
            faults=faults,
            latency_ms=start.latency_ms,
        )
        return _Account(simulator, account, client)
