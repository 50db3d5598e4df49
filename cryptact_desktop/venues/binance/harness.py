"""Binance for the connector contract suite: the simulator with one seeded account and a key."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry
from cryptact_desktop.venues.binance.catalogue import BINANCE
from cryptact_desktop.venues.binance.signing import sign as client_sign
from cryptact_desktop.venues.binance.simulator import (
    BinanceSimulator,
    SimAccount,
    SimulatedKey,
    generate_account,
)
from cryptact_desktop.venues.binance.simulator import sign as simulator_sign
from cryptact_desktop.venues.binance.simulator.exports import (
    deposit_history,
    trade_history,
    withdrawal_history,
)
from cryptact_desktop.venues.binance.streams import parser
from cryptact_desktop.venues.binance.truth import client_lists, reachable, stream_of_request
from cryptact_desktop.venues.harness import (
    HarnessBase,
    KeyErrorCase,
    SignatureVector,
    SimulatorAccount,
    Start,
)

ACCOUNT = "contract"
API_KEY = "ContractBinanceKey000000000000000000000000000000000000000000001"
SECRET = "ContractBinanceSecret00000000000000000000000000000000000000001"  # noqa: S105 (simulated)
SPEED = 50.0
DAY_MS = 86_400_000

# rest-api.md, "SIGNED Endpoint Examples for POST /api/v3/order": secret, totalParams and signature
# as the docs print them (Example 1/2), and Example 3 (query string + body, no "&" between them).
_DOC_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"  # noqa: S105 (the docs')
_DOC_PARAMS = (
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
    "&timestamp=1499827319559"
)
_DOC_MIXED = (
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000"
    "&timestamp=1499827319559"
)

_FUTURES = ("futures_usdm", "futures_coinm")
_ERRORS = (
    KeyErrorCase("wrong secret", FailureKind.SIGNATURE, "-1022"),
    KeyErrorCase("unknown key", FailureKind.AUTHENTICATION, "-2015"),
    KeyErrorCase("malformed key", FailureKind.AUTHENTICATION, "-2014"),
    KeyErrorCase("IP not trusted by the key", FailureKind.AUTHENTICATION, "-2015"),
    KeyErrorCase("key older than the futures account", FailureKind.PERMISSION, "-2015", _FUTURES),
)


class _Account(SimulatorAccount):
    def __init__(self, simulator: BinanceSimulator, account: SimAccount, credentials: dict[str, str]) -> None:
        self._simulator = simulator
        self.account = account
        super().__init__(simulator, credentials)

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        wanted: set[tuple[str, str]] = set()
        for endpoint in endpoints:
            for stream_id, records in client_lists(self.account, endpoint).items():
                parse = parser(stream_id)
                for raw, time_ms in reachable(self.account, stream_id, records, now_ms):
                    if time_ms < since_ms:
                        continue
                    parsed = parse(raw).record
                    if parsed is not None:
                        wanted.add((endpoint, parsed.exchange_id))
        return wanted

    def stream_of(self, entry: RequestLogEntry) -> str:
        return stream_of_request(self.account, entry.path, entry.query)

    def export_files(self, directory: Path) -> tuple[Path, ...]:
        """The spot trade history (newer layout) and the deposit and withdrawal histories of part of
        the account's history (after the delisted pair's trades, which the API cannot give)."""
        now = self._simulator.server_time_ms()
        start, end = now - 150 * DAY_MS, now - 30 * DAY_MS
        return (
            trade_history(self.account, start, end).write(directory),
            deposit_history(self.account, start, end).write(directory),
            withdrawal_history(self.account, start - 100 * DAY_MS, end).write(directory),
        )


class BinanceHarness(HarnessBase):
    venue_id = BINANCE.id
    rate_limit_scale = SPEED
    errors = _ERRORS

    def signature_vectors(self) -> tuple[SignatureVector, ...]:
        return (
            SignatureVector(
                "HMAC SHA256 of the query string (docs, Example 2)",
                "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
                lambda: client_sign(_DOC_SECRET, _DOC_PARAMS),
                lambda: simulator_sign(_DOC_SECRET, _DOC_PARAMS),
            ),
            SignatureVector(
                "query string and body concatenated (docs, Example 3)",
                "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77",
                lambda: client_sign(_DOC_SECRET, _DOC_MIXED),
                lambda: simulator_sign(_DOC_SECRET, _DOC_MIXED),
            ),
        )

    def launch(self, start: Start) -> _Account:
        account = generate_account(seed=start.seed, size=start.size)
        api_key = start.credential("api_key", API_KEY)
        secret = start.credential("secret", SECRET)
        client = {"api_key": api_key, "secret": secret}
        key = SimulatedKey(api_key, secret, ACCOUNT)
        name = start.case
        if name == "wrong secret":
            key = SimulatedKey(
                api_key, "ServerSideBinanceSecretDiffers000000000000000000000000000001", ACCOUNT
            )
        elif name == "unknown key":
            key = SimulatedKey(
                "AnotherBinanceKey00000000000000000000000000000000000000000000001", secret, ACCOUNT
            )
        elif name == "malformed key":
            client = {"api_key": "not-a-binance-key!", "secret": secret}
        elif name == "IP not trusted by the key":
            key = SimulatedKey(api_key, secret, ACCOUNT, trusted_ips=("203.0.113.7",))
        elif name == "key older than the futures account":
            key = SimulatedKey(api_key, secret, ACCOUNT, futures=False)
        faults = None
        if start.transient_faults:
            faults = FaultPlan(
                [
                    Fault(path="/api/v3/myTrades", kind="http_502", every=7, count=4),
                    Fault(path="/sapi/v1/capital/deposit/hisrec", kind="drop", at=(2, 4)),
                    Fault(path="/sapi/v1/convert/tradeFlow", kind="malformed_json", at=(1,)),
                    Fault(path="/sapi/v1/capital/withdraw/history", kind="ret_code", ret_code=-1001, at=(1,)),
                    Fault(path="/api/v3/myTrades", kind="rate_limit_storm", at=(3, 4)),
                    Fault(path="/sapi/v1/asset/transfer", kind="http_429", at=(1,)),
                    Fault(path="/fapi/v1/income", kind="http_503", at=(1,)),
                    Fault(path="/api/v3/exchangeInfo", kind="http_500", at=(1,)),
                ],
                seed=start.seed,
            )
        simulator = BinanceSimulator(
            {ACCOUNT: account}, [key], rate_limit_scale=SPEED, faults=faults, latency_ms=start.latency_ms
        )
        return _Account(simulator, account, client)
