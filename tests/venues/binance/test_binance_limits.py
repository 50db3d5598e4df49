"""Binance's weights, 429s and 418 bans: budgets per address and per account, what the used-weight
headers teach, Retry-After honoured, and the simulator's ban rule that the client stays clear of."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
from binance_support import KEY, SECRET, add_key, running

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus
from cryptact_desktop.sync.rest import Request
from cryptact_desktop.venues.binance.catalogue import BINANCE
from cryptact_desktop.venues.binance.connector import BinanceConnector
from cryptact_desktop.venues.binance.simulator import Fault, FaultPlan, SimAccount, SimulatedKey
from cryptact_desktop.venues.binance.simulator import sign as simulator_sign

ServiceFactory = Callable[..., AppService]


def _signed_get(base_url: str, path: str, query: str = "") -> requests.Response:
    """A correctly signed request, as another program using the same key would send it."""
    total = (query + "&" if query else "") + f"timestamp={int(time.time() * 1000)}&recvWindow=10000"
    url = f"{base_url}{path}?{total}&signature={simulator_sign(SECRET, total)}"
    return requests.get(url, headers={"X-MBX-APIKEY": KEY}, timeout=10)


def test_budgets_per_address_are_shared_and_per_account_are_the_keys() -> None:
    first = BinanceConnector(Credentials(KEY, SECRET), "http://127.0.0.1:8999")
    second = BinanceConnector(Credentials("OtherKey0000000000000001", SECRET), "http://127.0.0.1:8999")
    spot = BINANCE.endpoint("spot_trades").streams[0].for_subject("BTC/USDT")
    deposits = BINANCE.endpoint("deposits").streams[0]
    withdrawals = BINANCE.endpoint("withdrawals").streams[0]
    fiat = BINANCE.endpoint("fiat").stream("fiat_deposits")
    window = None

    def limiter(connector: BinanceConnector, stream: object) -> object:
        request = (
            connector.request_for(stream, window, None) if stream is spot else _windowed(connector, stream)
        )  # type: ignore[arg-type]
        return connector.limiter_for(request)

    # /api weight: one budget for every key syncing from this computer, 90 % of 6,000 a minute.
    shared = limiter(first, spot)
    assert shared is limiter(second, spot)
    assert (shared.limit, shared.per_seconds) == (5_400, 60)  # type: ignore[attr-defined]
    # Each /sapi endpoint has its own budget; the withdrawal history's is per second.
    assert limiter(first, deposits) is not shared
    per_second = limiter(first, withdrawals)
    assert (per_second.limit, per_second.per_seconds) == (162_000, 1)  # type: ignore[attr-defined]
    # A per-account budget belongs to the key: two requests a minute for fiat orders.
    own = limiter(first, fiat)
    assert own is not limiter(second, fiat)
    assert (own.limit, own.per_seconds) == (180_000, 60)  # type: ignore[attr-defined]


def _windowed(connector: BinanceConnector, stream: object) -> Request:
    from cryptact_desktop.sync.connector import TimeWindow

    return connector.request_for(stream, TimeWindow(0, 1), None)  # type: ignore[arg-type]


def test_weight_another_program_used_is_learned_from_the_headers(
    tiny_account: SimAccount, service_factory: ServiceFactory
) -> None:
    """Another program used 9 of the 10 withdrawal-history requests a second allows; the first answer's
    used-weight header shows it, so the client waits for the next second instead of being refused."""
    with running(tiny_account, rate_limit_scale=1.0) as sim:
        for _ in range(9):
            assert _signed_get(sim.base_url, "/sapi/v1/capital/withdraw/history").status_code == 200
        service = service_factory(scale=1.0)
        key_id = add_key(service, sim.base_url, endpoints=("withdrawals",))
        result = service.sync_key(key_id)
        bans = sim.simulator.bans
        log = sim.simulator.request_log
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
    answered = [e for e in log if e.path == "/sapi/v1/capital/withdraw/history"]
    assert len(answered) > 20
    # The client's first answer shows the other program's weight, so its next request waits for that
    # second to pass (a client that ignored the header sent it at once and was refused).
    first, second = answered[9], answered[10]
    assert second.t_ms - first.t_ms >= 950
    # On a loaded machine the jitter between send and arrival times may still cost one refusal later,
    # waited out: never a ban.
    statuses = [e.http_status for e in answered]
    assert statuses.count(429) <= 1 and bans == 0


def test_rate_limit_storms_are_waited_out_and_never_end_in_a_ban(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    faults = FaultPlan(
        [
            Fault(path="/api/v3/myTrades", kind="rate_limit_storm", every=2, count=8),
            Fault(path="/sapi/v1/capital/deposit/hisrec", kind="rate_limit_storm", every=3, count=4),
        ]
    )
    # The strictest ban rule: a single request that ignores a Retry-After bans the address.
    with running(small_account, faults=faults, ban_after=1) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, endpoints=("spot_trades", "deposits"))
        result = service.sync_key(key_id)
        simulator = sim.simulator
        refusals, bans, banned = simulator.refusals, simulator.bans, simulator.banned_answers
        statuses = [e.http_status for e in simulator.request_log]
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
    assert refusals >= 12 and statuses.count(429) >= 12
    assert (bans, banned) == (0, 0) and 418 not in statuses
    waits = sum(s.rate_limit_waits for s in service.store.runs(key_id)[0].streams)
    assert waits >= 12


def test_a_client_that_ignores_retry_after_is_banned_with_418(tiny_account: SimAccount) -> None:
    """The rule the client stays clear of: requests inside a Retry-After (past the moment the 429 was
    sent) are counted; ten in a minute ban the address, and 418 answers last until the ban is over."""
    faults = FaultPlan([Fault(path="/api/v3/time", kind="rate_limit_storm", at=(1,))])
    with running(tiny_account, faults=faults, ban_seconds=2.0, rate_limit_scale=1.0) as sim:
        url = f"{sim.base_url}/api/v3/time"
        first = requests.get(url, timeout=10)
        assert first.status_code == 429 and first.headers["Retry-After"] == "1"
        assert first.json()["code"] == -1003
        time.sleep(0.6)  # past the grace for requests already on their way
        answers = [requests.get(url, timeout=10) for _ in range(12)]
        codes = [a.status_code for a in answers]
        assert 418 in codes and codes.index(418) == 9  # the tenth ignored Retry-After bans
        banned = answers[-1]
        assert banned.status_code == 418 and int(banned.headers["Retry-After"]) >= 1
        assert "IP banned until" in banned.json()["msg"]
        assert sim.simulator.bans == 1
        time.sleep(2.2)
        assert requests.get(url, timeout=10).status_code == 200  # the ban is over


def test_a_418_stops_the_key_at_once_and_says_to_wait(
    tiny_account: SimAccount, service_factory: ServiceFactory
) -> None:
    with running(tiny_account) as sim:
        sim.simulator.ban("127.0.0.1", 30.0)
        service = service_factory()
        key_id = add_key(service, sim.base_url)
        result = service.sync_key(key_id)
        sent = len(sim.simulator.request_log)
    assert not result.ok and sent < 40
    for state in service.store.get_key(key_id).endpoints:
        assert state.status is EndpointStatus.FAILED
        failure = state.failure
        assert failure is not None and failure.kind is FailureKind.IP_BANNED and failure.code == "HTTP 418"
        assert "2 minutes to 3 days" in failure.hint


def test_a_fresh_sync_does_not_burst_into_another_syncs_retry_after(
    tiny_account: SimAccount, service_factory: ServiceFactory
) -> None:
    """The first request on each budget goes alone: if the budget is inside a Retry-After (another
    program's 429), only that request is refused, the rest wait."""
    with running(tiny_account, rate_limit_scale=1.0) as sim:
        # Another program is refused on the deposit history and is now inside a 1-second Retry-After.
        sim.simulator.faults = FaultPlan(
            [Fault(path="/sapi/v1/capital/deposit/hisrec", kind="rate_limit_storm", at=(1,))]
        )
        assert _signed_get(sim.base_url, "/sapi/v1/capital/deposit/hisrec").status_code == 429
        sim.simulator.faults = None
        time.sleep(0.6)
        service = service_factory(scale=1.0)
        key_id = add_key(service, sim.base_url, endpoints=("deposits",))
        result = service.sync_key(key_id)
        statuses = [e.http_status for e in sim.simulator.request_log if e.path.endswith("hisrec")]
    assert result.ok
    assert statuses.count(429) == 2  # the other program's, and our first request's: nothing more
    assert sim.simulator.bans == 0


def test_keys_with_trading_rights_still_sync(
    tiny_account: SimAccount, service_factory: ServiceFactory
) -> None:
    key = SimulatedKey(KEY, SECRET, "a", trading=True, withdrawals=True)
    with running(tiny_account, key) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, endpoints=("deposits",))
        assert service.sync_key(key_id).ok
