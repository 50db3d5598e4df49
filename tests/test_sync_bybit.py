"""End to end: the real Bybit connector and sync engine against the Bybit simulator over real sockets."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind, SyncFailure
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, KeyConfig, NewKey, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.sync.connector import Page
from cryptact_desktop.sync.engine import SyncEngine, SyncProgress
from cryptact_desktop.sync.planner import Plan
from cryptact_desktop.venues.base import StreamInfo
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.connector import BybitConnector
from cryptact_desktop.venues.bybit.simulator import (
    BybitSimulator,
    Fault,
    FaultPlan,
    SimAccount,
    SimulatedKey,
    generate_account,
)
from cryptact_desktop.venues.bybit.simulator.truth import reachable, sim_stream
from cryptact_desktop.venues.bybit.streams import STREAM_REQUESTS
from cryptact_desktop.venues.registry import make_connector

UID = 5001
API_KEY = "TESTKEY0000000001"
SECRET = "TESTSECRET00000000000000000000001"
ALL_ENDPOINTS = tuple(e.id for e in BYBIT.endpoints)


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=11, size="small", uid=UID)


def expected_identities(
    account: SimAccount, endpoints: tuple[str, ...] = ALL_ENDPOINTS, since_ms: int = 0
) -> set[tuple[str, str]]:
    """What a complete client must hold: every reachable record, normalised by our own rules."""
    now = int(time.time() * 1000)
    wanted = set()
    for endpoint in endpoints:
        for stream in BYBIT.endpoint(endpoint).streams:
            parse = STREAM_REQUESTS[stream.id].parse
            for raw in reachable(account, stream.id, now):
                if account.record_time_ms(sim_stream(stream.id), raw) < since_ms:
                    continue
                record = parse(raw).record
                if record is not None:
                    wanted.add((endpoint, record.exchange_id))
    return wanted


# The simulators run with 50x Bybit's per-endpoint limits so tests are quick; the client is told
# the simulator's per-IP limit the same way (Bybit's real one is the product default).
FAST = 50
SIM_IP_LIMIT = (600 * FAST, 5.0)


def make_service(tmp_path: Path, name: str = "db", *, real_ip_limit: bool = False) -> AppService:
    factory = make_connector if real_ip_limit else partial(make_connector, rate_limit_scale=FAST)
    return AppService(
        Store(tmp_path / f"{name}.sqlite"), SecretStore(MemoryKeyring()), connector_factory=factory
    )


def simulate(account: SimAccount, sim_key: SimulatedKey | None = None, **options: Any) -> BybitSimulator:
    options.setdefault("rate_limit_scale", FAST)
    options.setdefault("ip_limit", SIM_IP_LIMIT)
    return BybitSimulator(accounts=[account], keys=[sim_key or SimulatedKey(API_KEY, SECRET, UID)], **options)


def add_key(
    service: AppService,
    base_url: str,
    *,
    secret: str = SECRET,
    api_key: str = API_KEY,
    endpoints: tuple[str, ...] = ALL_ENDPOINTS,
) -> int:
    key = service.add_key(
        NewKey(exchange="bybit", label="Test", host_id="custom", base_url=base_url, endpoints=endpoints),
        Credentials(api_key, secret),
    )
    return key.id


@pytest.fixture
def simulator(account: SimAccount) -> Iterator[BybitSimulator]:
    sim = simulate(account)
    sim.start()
    yield sim
    sim.stop()


def test_full_sync_gets_exactly_the_ground_truth_and_a_resync_is_cheap(
    tmp_path: Path, account: SimAccount, simulator: BybitSimulator
) -> None:
    service = make_service(tmp_path)
    key_id = add_key(service, simulator.base_url)
    progress: list[SyncProgress] = []
    result = service.sync_key(key_id, on_progress=progress.append)
    failures = {o.endpoint: o.failure for o in result.outcomes if o.failure}
    assert failures == {}
    assert result.ok
    expected = expected_identities(account)
    assert len(expected) > 200
    assert service.store.transaction_identities(key_id) == expected
    assert service.store.count_transactions(TransactionFilter(with_sources=True)) == len(
        expected
    )  # nothing twice
    key = service.store.get_key(key_id)
    assert key.status is EndpointStatus.OK
    assert key.endpoint("spot").unreachable_from_ms is not None  # Bybit's 2-year limit is reported
    assert key.endpoint("deposits").unreachable_from_ms is None
    assert progress and all(p.key_id == key_id for p in progress)

    simulator.reset_log()
    again = service.sync_key(key_id)
    assert again.ok and again.new_records == 0
    per_path: dict[str, int] = {}
    for entry in simulator.request_log:
        per_path[entry.path] = per_path.get(entry.path, 0) + 1
    streams_per_path: dict[str, int] = {}
    for stream in (s for e in BYBIT.endpoints for s in e.streams):
        streams_per_path[stream.limiter] = streams_per_path.get(stream.limiter, 0) + 1
    for path, count in per_path.items():
        assert count <= 2 * streams_per_path[path], (path, count)
    runs = service.store.runs(key_id)
    assert runs[0].outcome == "ok" and runs[1].outcome == "ok"
    assert sum(s.new_rows for s in runs[1].streams) == len(expected)


def test_sync_from_timestamp_and_endpoint_selection(
    tmp_path: Path, account: SimAccount, simulator: BybitSimulator
) -> None:
    service = make_service(tmp_path)
    since = int(time.time() * 1000) - 200 * 86_400_000
    key = service.add_key(
        NewKey(
            exchange="bybit",
            label="T",
            host_id="custom",
            base_url=simulator.base_url,
            endpoints=("spot", "deposits"),
            sync_from_ms=since,
        ),
        Credentials(API_KEY, SECRET),
    )
    assert service.sync_key(key.id).ok
    held = service.store.transactions(TransactionFilter(with_sources=True))
    assert held and all(t.timestamp_ms >= since for t in held)
    assert {t.endpoint for t in held} <= {"spot", "deposits"}
    assert service.store.transaction_identities(key.id) == expected_identities(
        account, ("spot", "deposits"), since
    )
    assert service.store.get_key(key.id).endpoint("spot").unreachable_from_ms is None


@pytest.mark.parametrize(
    ("sim_key", "kind", "code"),
    [
        (SimulatedKey(API_KEY, "WRONG-SECRET-WRONG-SECRET", UID), FailureKind.SIGNATURE, "10004"),
        (SimulatedKey(API_KEY, SECRET, UID, expired=True), FailureKind.KEY_EXPIRED, "33004"),
        (SimulatedKey(API_KEY, SECRET, UID, ips=["203.0.113.7"]), FailureKind.IP_WHITELIST, "10010"),
        (SimulatedKey(API_KEY, SECRET, UID, region_blocked=True), FailureKind.REGION, "10009"),
        (SimulatedKey("OTHERKEY00000001", SECRET, UID), FailureKind.AUTHENTICATION, "10003"),
    ],
)
def test_key_errors_fail_every_endpoint_with_a_clear_message(
    tmp_path: Path, account: SimAccount, sim_key: SimulatedKey, kind: FailureKind, code: str
) -> None:
    with simulate(account, sim_key) as sim:
        service = make_service(tmp_path)
        key_id = add_key(service, sim.base_url)
        result = service.sync_key(key_id)
    assert not result.ok
    key = service.store.get_key(key_id)
    assert key.status is EndpointStatus.FAILED
    for state in key.endpoints:
        assert state.status is EndpointStatus.FAILED
        assert state.failure is not None and state.failure.kind is kind and state.failure.code == code
        assert state.failure.hint
    # The key stops at the first fatal answer instead of hammering the exchange.
    assert len(sim.request_log) < 60


def test_missing_permission_fails_only_those_endpoints(tmp_path: Path, account: SimAccount) -> None:
    permissions = {
        "ContractTrade": ["Order", "Position"],
        "Spot": ["SpotTrade"],
        "Options": ["OptionsTrade"],
        "Wallet": [],
        "Exchange": ["ExchangeHistory"],
        "Earn": ["Earn"],
    }
    sim_key = SimulatedKey(API_KEY, SECRET, UID, permissions=permissions)
    with simulate(account, sim_key) as sim:
        service = make_service(tmp_path)
        key_id = add_key(service, sim.base_url)
        service.sync_key(key_id)
    key = service.store.get_key(key_id)
    for endpoint in ("deposits", "withdrawals", "transfers"):
        failure = key.endpoint(endpoint).failure
        assert failure is not None and failure.kind is FailureKind.PERMISSION and "Wallet" in failure.message
    for endpoint in ("spot", "linear", "convert", "earn", "transaction_log"):
        assert key.endpoint(endpoint).status is EndpointStatus.OK
    ok_endpoints = ("spot", "linear", "inverse", "option", "transaction_log", "convert", "earn")
    assert service.store.transaction_identities(key_id) == expected_identities(account, ok_endpoints)


def test_transient_faults_are_retried_and_the_sync_completes(tmp_path: Path, account: SimAccount) -> None:
    plan = FaultPlan(
        [
            Fault(path="/v5/execution/list", kind="http_502", every=7, count=6),
            Fault(path="/v5/account/transaction-log", kind="drop", at=(2, 5)),
            Fault(path="/v5/asset/deposit/query-record", kind="malformed_json", at=(3,)),
            Fault(path="/v5/asset/withdraw/query-record", kind="ret_code", ret_code=10016, at=(1,)),
            Fault(path="/v5/earn/", kind="rate_limit_storm", at=(2, 3, 4)),
            Fault(path="/v5/asset/exchange/", kind="http_503", at=(1,)),
        ],
        seed=3,
    )
    with simulate(account, faults=plan) as sim:
        service = make_service(tmp_path)
        key_id = add_key(service, sim.base_url)
        result = service.sync_key(key_id)
    assert {o.endpoint: o.failure for o in result.outcomes if o.failure} == {}
    assert service.store.transaction_identities(key_id) == expected_identities(account)
    runs = service.store.runs(key_id)
    assert sum(s.retries for s in runs[0].streams) >= 6
    assert sum(s.rate_limit_waits for s in runs[0].streams) >= 3


def test_a_dead_endpoint_fails_alone_and_keeps_what_it_fetched(tmp_path: Path, account: SimAccount) -> None:
    plan = FaultPlan([Fault(path="/v5/asset/deposit/query-record", kind="http_500", at=tuple(range(5, 400)))])
    with simulate(account, faults=plan) as sim:
        service = make_service(tmp_path)
        key_id = add_key(service, sim.base_url)
        result = service.sync_key(key_id)
        key = service.store.get_key(key_id)
        deposits = key.endpoint("deposits")
        assert deposits.status is EndpointStatus.FAILED
        assert deposits.failure is not None and deposits.failure.kind is FailureKind.EXCHANGE_UNAVAILABLE
        assert all(s.status is EndpointStatus.OK for s in key.endpoints if s.endpoint != "deposits")
        kept = service.store.coverage(key_id, "deposits", "deposit_onchain")
        assert kept, "windows fetched before the failure stay covered"
        assert not result.ok
        # The exchange recovers: the next sync resumes and completes.
        sim.faults = None
        assert service.sync_key(key_id).ok
    assert service.store.transaction_identities(key_id) == expected_identities(account)


def test_clock_skew_is_measured_and_corrected(tmp_path: Path, account: SimAccount) -> None:
    with simulate(
        account,
        clock_offset_ms=-45_000,
    ) as sim:
        service = make_service(tmp_path)
        key_id = add_key(service, sim.base_url, endpoints=("spot", "deposits"))
        assert service.sync_key(key_id).ok
        assert any(e.ret_code == 10002 for e in sim.request_log)


def test_the_ledger_starts_all_its_windows_before_the_other_streams_begin(
    tmp_path: Path, account: SimAccount, simulator: BybitSimulator
) -> None:
    """Starting a thread waits for the interpreter: started while the other streams already sent
    and parsed, a ledger's windows took most of a second to start (see DenseFirst)."""
    ledger = BYBIT.endpoint("transaction_log").streams[0]
    # No ledger window ends (and frees its thread for another) before the other streams plan.
    ledger_may_fetch = threading.Event()
    running_when_others_planned: list[int] = []

    class Connector(BybitConnector):
        def fetch_page(self, stream: StreamInfo, *args: Any, **kwargs: Any) -> Page:
            if stream.dense:
                ledger_may_fetch.wait(30)
            return super().fetch_page(stream, *args, **kwargs)

    class Engine(SyncEngine):
        def plan(self, key: KeyConfig, endpoint: str, stream: StreamInfo, now: int) -> Plan:
            if not stream.dense:
                threads = [t for t in threading.enumerate() if t.name.startswith(f"{ledger.id}-w")]
                running_when_others_planned.append(len(threads))
                ledger_may_fetch.set()
            return super().plan(key, endpoint, stream, now)

    service = make_service(tmp_path)
    key = service.store.get_key(add_key(service, simulator.base_url))
    windows = len(
        SyncEngine(service.store).plan(key, "transaction_log", ledger, int(time.time() * 1000)).windows
    )
    connector = Connector(Credentials(API_KEY, SECRET), simulator.base_url, rate_limit_scale=FAST)
    assert Engine(service.store).run(key, connector).ok
    others = sum(len(e.streams) for e in BYBIT.endpoints) - 1
    assert windows == 105 and len(running_when_others_planned) == others
    assert running_when_others_planned[0] == windows  # every window of the ledger was running
    assert service.store.transaction_identities(key.id) == expected_identities(account)


def test_rate_limits_are_learned_from_headers(tmp_path: Path, account: SimAccount) -> None:
    # The simulator allows a fifth of Bybit's documented limits: the client adopts X-Bapi-Limit
    # after the first answers and then stays under it.
    with simulate(account, rate_limit_scale=0.2) as sim:
        service = make_service(tmp_path)
        since = int(time.time() * 1000) - 200 * 86_400_000
        key = service.add_key(
            NewKey(
                exchange="bybit",
                label="T",
                host_id="custom",
                base_url=sim.base_url,
                endpoints=("spot", "linear"),
                sync_from_ms=since,
            ),
            Credentials(API_KEY, SECRET),
        )
        key_id = key.id
        assert service.sync_key(key_id).ok
        rejected = [e for e in sim.request_log if e.ret_code == 10006]
        assert len(rejected) <= 12, len(rejected)
    held = service.store.transaction_identities(key_id)
    assert held and held == expected_identities(account, ("spot", "linear"), since)


def test_an_ip_ban_stops_the_whole_key(tmp_path: Path, account: SimAccount) -> None:
    with simulate(account, ip_limit=(40, 5.0), ip_ban_seconds=60) as sim:
        service = make_service(tmp_path, real_ip_limit=True)
        key_id = add_key(service, sim.base_url)
        service.sync_key(key_id)
        log = sim.request_log
    key = service.store.get_key(key_id)
    banned = [s for s in key.endpoints if s.failure and s.failure.kind is FailureKind.IP_BANNED]
    assert len(banned) >= 5
    # Every endpoint either finished before the ban or shows it as the reason it did not.
    assert all(s.status is EndpointStatus.OK or s in banned for s in key.endpoints)
    first_ban = min(e.t_ms for e in log if e.http_status == 403)
    # No retry storm against a ban: only requests already on the wire arrive after the first 403.
    assert [e for e in log if e.t_ms > first_ban + 250] == []


def test_cancel_keeps_progress_and_the_next_sync_resumes(tmp_path: Path, account: SimAccount) -> None:
    with simulate(account, latency_ms=30) as sim:
        service = make_service(tmp_path)
        key_id = add_key(service, sim.base_url)
        pages: list[SyncProgress] = []

        def should_stop() -> bool:
            return len(pages) >= 25

        result = service.sync_key(key_id, should_stop=should_stop, on_progress=pages.append)
        assert result.cancelled
        key = service.store.get_key(key_id)
        assert all(s.status is not EndpointStatus.SYNCING for s in key.endpoints)
        partial = service.store.count_transactions(TransactionFilter(with_sources=True))
        assert service.sync_key(key_id).ok
    assert service.store.count_transactions(TransactionFilter(with_sources=True)) >= partial
    assert service.store.transaction_identities(key_id) == expected_identities(account)


KILL_SCRIPT = r"""
import os, sys
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.store import Store
from cryptact_desktop.venues.bybit.connector import BybitConnector
from cryptact_desktop.sync.engine import SyncEngine
store = Store(sys.argv[1])
key = store.get_key(int(sys.argv[2]))
connector = BybitConnector(Credentials(os.environ["SIM_KEY"], os.environ["SIM_SECRET"]), sys.argv[3])
print("started", flush=True)
SyncEngine(store).run(key, connector)
print("finished", flush=True)
"""


@pytest.mark.slow
def test_killing_the_sync_at_random_points_loses_and_duplicates_nothing(
    tmp_path: Path, account: SimAccount
) -> None:
    with simulate(account, latency_ms=15) as sim:
        clean = make_service(tmp_path, "clean")
        clean_key = add_key(clean, sim.base_url)
        assert clean.sync_key(clean_key).ok

        victim = make_service(tmp_path, "victim")
        key_id = add_key(victim, sim.base_url)
        env = {**os.environ, "SIM_KEY": API_KEY, "SIM_SECRET": SECRET}
        rng = random.Random(20261124)
        kills = 0
        for _attempt in range(5):
            with subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    KILL_SCRIPT,
                    str(tmp_path / "victim.sqlite"),
                    str(key_id),
                    sim.base_url,
                ],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            ) as proc:
                assert proc.stdout is not None
                assert proc.stdout.readline().strip() == "started"
                time.sleep(rng.uniform(0.05, 1.2))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    kills += 1
                proc.wait(timeout=60)
        assert kills >= 3
        victim.store.reset_stale_syncing()
        assert victim.sync_key(key_id).ok
    assert victim.store.dump_json() == clean.store.dump_json()
    assert victim.store.count_transactions(TransactionFilter(with_sources=True)) == len(
        expected_identities(account)
    )


def test_verify_reports_read_only_keys_and_warns_about_dangerous_ones(
    tmp_path: Path, account: SimAccount
) -> None:
    trading = {
        "ContractTrade": ["Order", "Position"],
        "Spot": ["SpotTrade"],
        "Wallet": ["AccountTransfer", "Withdraw"],
        "Exchange": ["ExchangeHistory"],
        "Earn": ["Earn"],
    }
    keys = [
        SimulatedKey(API_KEY, SECRET, UID),
        SimulatedKey(
            "RWKEY00000000001", SECRET, UID, read_only=False, permissions=trading, ips=["127.0.0.1"]
        ),
    ]
    with BybitSimulator(accounts=[account], keys=keys, rate_limit_scale=FAST, ip_limit=SIM_IP_LIMIT) as sim:
        service = make_service(tmp_path)
        safe = service.verify("bybit", "custom", sim.base_url, Credentials(API_KEY, SECRET))
        risky = service.verify("bybit", "custom", sim.base_url, Credentials("RWKEY00000000001", SECRET))
        with pytest.raises(SyncFailure) as wrong:
            service.verify("bybit", "custom", sim.base_url, Credentials(API_KEY, "NOT-THE-SECRET-00000"))
    assert safe.read_only and safe.warnings == () and safe.user_id == str(UID)
    assert safe.ip_restricted is False and any("90 days" in note for note in safe.notes)
    assert safe.expires_at_ms is not None
    assert not risky.read_only and risky.ip_restricted
    assert len(risky.warnings) == 1
    for ability in ("trade", "withdraw", "transfer"):
        assert ability in risky.warnings[0]
    assert wrong.value.kind is FailureKind.SIGNATURE
    assert "secret" in wrong.value.failure.message.lower()


def test_the_collector_skips_older_objects_during_a_sync_only(
    tmp_path: Path, simulator: BybitSimulator
) -> None:
    """A full collector pass over the process's older objects paused every thread (a send a rate
    limit let go reached the venue late): during a sync they are frozen, afterwards given back;
    what a process froze itself before (the window's start-up) is left as it was. Young objects
    are collected less often during a sync, and as before afterwards."""
    import gc

    from cryptact_desktop.sync.engine import SYNC_YOUNG_COLLECTION_OBJECTS

    service = make_service(tmp_path)
    key_id = add_key(service, simulator.base_url, endpoints=("spot", "transaction_log"))
    gc.unfreeze()  # a process that froze nothing (the command line's sync)
    thresholds = gc.get_threshold()
    assert thresholds[0] < SYNC_YOUNG_COLLECTION_OBJECTS
    frozen_during: list[int] = []
    young_during: list[int] = []

    def seen(_progress: object) -> None:
        frozen_during.append(gc.get_freeze_count())
        young_during.append(gc.get_threshold()[0])

    result = service.sync_key(key_id, on_progress=seen)
    assert result.ok
    assert frozen_during and min(frozen_during) > 0
    assert set(young_during) == {SYNC_YOUNG_COLLECTION_OBJECTS}
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds

    gc.freeze()  # a process that froze its start-up objects (the window)
    try:
        before = gc.get_freeze_count()
        frozen_during.clear()
        assert service.sync_key(key_id, on_progress=lambda _p: frozen_during.append(gc.get_freeze_count())).ok
        # (frozen objects may be freed meanwhile; none are added, none are thawed)
        assert frozen_during and min(frozen_during) > 0 and max(frozen_during) <= before
        assert 0 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()
