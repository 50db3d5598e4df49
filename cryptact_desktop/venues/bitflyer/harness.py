"""bitFlyer for the connector contract suite: the simulator with one seeded account and a key."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry
from cryptact_desktop.venues.bitflyer.catalogue import BITFLYER
from cryptact_desktop.venues.bitflyer.signing import sign as client_sign
from cryptact_desktop.venues.bitflyer.simulator import (
    READ_PATHS,
    BitflyerSimulator,
    SimAccount,
    SimulatedKey,
    generate_account,
)
from cryptact_desktop.venues.bitflyer.simulator import sign as simulator_sign
from cryptact_desktop.venues.bitflyer.simulator.exports import trade_history
from cryptact_desktop.venues.bitflyer.streams import STREAM_REQUESTS, parser
from cryptact_desktop.venues.harness import (
    HarnessBase,
    KeyErrorCase,
    SignatureVector,
    SimulatorAccount,
    Start,
)

ACCOUNT = "contract"
API_KEY = "CONTRACTBITFLYER01"
SECRET = "CONTRACT-BITFLYER-SECRET-0123456789abcdefAB="  # noqa: S105 (simulated credential)
SPEED = 50.0
DAY_MS = 86_400_000

# The string-to-sign of the docs ("ACCESS-TIMESTAMP, HTTP method, request path, and request body
# concatenated"); the docs publish no expected signature, so the values were computed locally with
# Python's hmac (shared notes, exchanges.md §0.1, bitFlyer row).
_VECTOR_SECRET = "SECRET"  # noqa: S105
_VECTOR_TS = "1700000000"
_VECTOR_PATH = "/v1/me/getexecutions?product_code=BTC_JPY&count=100"

_COIN_PATHS = ("/v1/me/getcoinins", "/v1/me/getcoinouts")

_ERRORS = (
    KeyErrorCase("wrong secret", FailureKind.SIGNATURE, "-500"),
    KeyErrorCase("unknown key", FailureKind.AUTHENTICATION, "-500"),
    KeyErrorCase(
        "no coin deposit and withdrawal permission", FailureKind.PERMISSION, "-500", ("coin_ins", "coin_outs")
    ),
    KeyErrorCase("no bank deposit history permission", FailureKind.PERMISSION, "-500", ("deposits",)),
)


def _stream_of(path: str, query: dict[str, str]) -> str:
    """The client stream id a request served (by path and subject parameter)."""
    for template, spec in STREAM_REQUESTS.items():
        if spec.path != path:
            continue
        if spec.subject_param:
            default = "BTC_JPY" if spec.subject_param == "product_code" else "JPY"
            return f"{template}:{query.get(spec.subject_param) or default}"
        return template
    return ""


class _Account(SimulatorAccount):
    def __init__(
        self, simulator: BitflyerSimulator, account: SimAccount, credentials: dict[str, str]
    ) -> None:
        self._simulator = simulator
        self.account = account
        super().__init__(simulator, credentials)

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        wanted: set[tuple[str, str]] = set()
        lists = self.account.lists()
        for endpoint in endpoints:
            template = BITFLYER.endpoint(endpoint).streams[0].id
            for name, records in lists.items():
                stream = _client_stream(name)
                if stream.partition(":")[0] != template:
                    continue
                parse = parser(stream)
                for record, time_ms in zip(records.records, records.times_ms, strict=True):
                    if time_ms < since_ms or time_ms > now_ms:
                        continue
                    parsed = parse(record).record
                    if parsed is not None:
                        wanted.add((endpoint, parsed.exchange_id))
        return wanted

    def stream_of(self, entry: RequestLogEntry) -> str:
        return _stream_of(entry.path, entry.query)

    def export_files(self, directory: Path) -> tuple[Path, ...]:
        now = self._simulator.server_time_ms()
        japanese = trade_history(self.account, now - 300 * DAY_MS, now - 150 * DAY_MS, language="ja")
        english = trade_history(self.account, now - 150 * DAY_MS + 1, now - 30 * DAY_MS, language="en")
        first = japanese.write(directory)
        (directory / "en").mkdir(exist_ok=True)
        return first, english.write(directory / "en")


def _client_stream(simulator_list: str) -> str:
    """The client stream of one of the simulator's lists (``balance:JPY`` -> ``balance_history:JPY``)."""
    name, _, subject = simulator_list.partition(":")
    template = {
        "executions": "executions",
        "balance": "balance_history",
        "coinins": "coin_ins",
        "coinouts": "coin_outs",
        "deposits": "deposits",
        "withdrawals": "withdrawals",
        "collateral": "collateral_history",
    }[name]
    return f"{template}:{subject}" if subject else template


class BitflyerHarness(HarnessBase):
    venue_id = "bitflyer"
    rate_limit_scale = SPEED
    errors = _ERRORS

    def signature_vectors(self) -> tuple[SignatureVector, ...]:
        return (
            SignatureVector(
                "GET with a query string",
                "8b9345a8d84e93906f42d9431a1655eb4fed197b5ca75421f03db82d6616c6e1",
                lambda: client_sign(_VECTOR_SECRET, _VECTOR_TS, "GET", _VECTOR_PATH),
                lambda: simulator_sign(_VECTOR_SECRET, _VECTOR_TS, "GET", _VECTOR_PATH),
            ),
            SignatureVector(
                "GET without a query string",
                "a0f2a1375b7ed7e71a3fb5f8d67268ca4e4c4d7ebcdd19ad50c71bd6bc17da82",
                lambda: client_sign(_VECTOR_SECRET, _VECTOR_TS, "GET", "/v1/me/getpermissions"),
                lambda: simulator_sign(_VECTOR_SECRET, _VECTOR_TS, "GET", "/v1/me/getpermissions"),
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
            key = SimulatedKey(api_key, "SERVER-SIDE-BITFLYER-SECRET-DIFFERS-00=", ACCOUNT)
        elif name == "unknown key":
            key = SimulatedKey("ANOTHERBITFLYERKEY", secret, ACCOUNT)
        elif name == "no coin deposit and withdrawal permission":
            key = SimulatedKey(api_key, secret, ACCOUNT, tuple(p for p in READ_PATHS if p not in _COIN_PATHS))
        elif name == "no bank deposit history permission":
            key = SimulatedKey(
                api_key, secret, ACCOUNT, tuple(p for p in READ_PATHS if p != "/v1/me/getdeposits")
            )
        faults = None
        if start.transient_faults:
            faults = FaultPlan(
                [
                    Fault(path="/v1/me/getexecutions", kind="http_502", every=5, count=4),
                    Fault(path="/v1/me/getbalancehistory", kind="drop", at=(2, 6)),
                    Fault(path="/v1/me/getcoinins", kind="malformed_json", at=(1,)),
                    Fault(path="/v1/me/getcoinouts", kind="ret_code", ret_code=-2, at=(1,)),
                    Fault(path="/v1/me/getcollateralhistory", kind="rate_limit_storm", at=(1, 2)),
                    Fault(path="/v1/me/getdeposits", kind="http_429", at=(1,)),
                    Fault(path="/v1/getmarkets", kind="http_503", at=(1,)),
                ],
                seed=start.seed,
            )
        simulator = BitflyerSimulator(
            {ACCOUNT: account}, [key], rate_limit_scale=SPEED, faults=faults, latency_ms=start.latency_ms
        )
        return _Account(simulator, account, client)
