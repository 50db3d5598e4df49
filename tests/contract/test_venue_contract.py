"""The connector contract: one suite, run for every venue in the registry that has a harness.

A venue that passes it syncs completely and exactly once, resyncs cheaply, survives being killed,
turns every documented refusal into a human message on the right endpoints, never leaks a secret
and merges its own download files with what the API gave. See ``cryptact_desktop/venues/harness.py``.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cryptact_desktop import redaction
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind
from cryptact_desktop.export_csv import write_transactions_csv
from cryptact_desktop.imports import import_file
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, NewKey, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.venues.harness import KeyErrorCase, SimulatedAccount, VenueHarness
from cryptact_desktop.venues.registry import VENUES, make_connector, venue, venue_info

STORED = TransactionFilter(with_sources=True)  # every stored row, the copies of events included

TESTED = [item for item in VENUES if item.harness is not None]
VENUE_IDS = [item.id for item in TESTED]


def harness_of(venue_id: str) -> VenueHarness:
    factory = venue(venue_id).harness
    assert factory is not None
    harness: VenueHarness = factory()
    return harness


ERROR_CASES = [
    pytest.param(item.id, case, id=f"{item.id}-{case.name}")
    for item in TESTED
    for case in harness_of(item.id).key_errors()
]


def all_endpoints(venue_id: str) -> tuple[str, ...]:
    return tuple(e.id for e in venue_info(venue_id).endpoints)


def make_service(tmp_path: Path, harness: VenueHarness, name: str = "db", **keyring: object) -> AppService:
    factory = partial(make_connector, rate_limit_scale=harness.rate_limit_scale)
    return AppService(
        Store(tmp_path / f"{name}.sqlite"), SecretStore(MemoryKeyring()), connector_factory=factory
    )


def add_key(service: AppService, venue_id: str, sim: SimulatedAccount, **overrides: object) -> int:
    credentials = Credentials.from_fields(sim.credentials)
    key = service.add_key(
        NewKey(
            exchange=venue_id,
            label="Contract",
            host_id="custom",
            base_url=sim.base_url,
            endpoints=all_endpoints(venue_id),
            key_hint=credentials.key_hint,
        ),
        credentials,
    )
    return key.id


@pytest.fixture(params=VENUE_IDS)
def harness(request: pytest.FixtureRequest) -> VenueHarness:
    return harness_of(str(request.param))


@pytest.fixture
def sim(harness: VenueHarness) -> Iterator[SimulatedAccount]:
    running = harness.start(seed=31, size="small")
    yield running
    running.stop()


def now_ms() -> int:
    return int(time.time() * 1000)


# --------------------------------------------------------------------------------------- signing


@pytest.mark.parametrize("venue_id", VENUE_IDS)
def test_signature_vectors_pass_in_client_and_simulator(venue_id: str) -> None:
    vectors = harness_of(venue_id).signature_vectors()
    if not venue_info(venue_id).is_blockchain:
        assert vectors, "every exchange documents at least one signature example"
    # A blockchain's API signs nothing (public data, at most a provider key sent as is).
    for vector in vectors:
        assert vector.client() == vector.expected, vector.name
        assert vector.simulator() == vector.expected, vector.name


# --------------------------------------------------------------------------------------- sync


def test_full_sync_equals_the_ground_truth_and_a_resync_is_cheap(
    tmp_path: Path, harness: VenueHarness, sim: SimulatedAccount
) -> None:
    service = make_service(tmp_path, harness)
    key_id = add_key(service, harness.venue_id, sim)
    result = service.sync_key(key_id)
    assert {o.endpoint: o.failure for o in result.outcomes if o.failure} == {}
    expected = sim.expected(all_endpoints(harness.venue_id), 0, now_ms())
    assert len(expected) > 100
    held = service.store.transaction_identities(key_id)
    assert held == expected, (sorted(expected - held)[:5], sorted(held - expected)[:5])
    assert service.store.count_transactions(STORED) == len(expected)  # nothing twice

    before = sim.requests_by_stream()
    again = service.sync_key(key_id)
    assert again.ok and again.new_records == 0
    after = sim.requests_by_stream()
    costs = {stream: after.get(stream, 0) - before.get(stream, 0) for stream in after}
    assert all(cost <= 1 for cost in costs.values()), {s: c for s, c in costs.items() if c > 1}
    assert service.store.count_transactions(STORED) == len(expected)


def test_transient_faults_are_ridden_out(tmp_path: Path, harness: VenueHarness) -> None:
    running = harness.start(seed=32, size="small", transient_faults=True)
    try:
        service = make_service(tmp_path, harness)
        key_id = add_key(service, harness.venue_id, running)
        result = service.sync_key(key_id)
        assert {o.endpoint: o.failure for o in result.outcomes if o.failure} == {}
        expected = running.expected(all_endpoints(harness.venue_id), 0, now_ms())
        assert service.store.transaction_identities(key_id) == expected
        runs = service.store.runs(key_id)
        assert sum(s.retries + s.rate_limit_waits for s in runs[0].streams) >= 3
    finally:
        running.stop()


@pytest.mark.parametrize(("venue_id", "case"), ERROR_CASES)
def test_each_documented_refusal_is_a_human_message_on_the_right_endpoints(
    tmp_path: Path, venue_id: str, case: KeyErrorCase
) -> None:
    harness = harness_of(venue_id)
    running = harness.start(seed=33, size="tiny", error=case)
    try:
        service = make_service(tmp_path, harness)
        key_id = add_key(service, venue_id, running)
        service.sync_key(key_id)
    finally:
        running.stop()
    key = service.store.get_key(key_id)
    failing = set(case.endpoints) if case.endpoints else set(all_endpoints(venue_id))
    for state in key.endpoints:
        if state.endpoint in failing:
            assert state.status is EndpointStatus.FAILED, state.endpoint
            failure = state.failure
            assert failure is not None and failure.kind is case.kind, (state.endpoint, failure)
            assert failure.code == case.code
            assert failure.message and failure.hint
            for leak in running.credentials.values():
                assert leak not in failure.message + failure.hint
        else:
            assert state.status is EndpointStatus.OK, (state.endpoint, state.failure)
    if not case.endpoints:
        # The key stops at the first fatal answer instead of hammering the venue.
        assert running.request_count() < 60


@pytest.mark.slow
def test_killing_the_sync_at_random_points_equals_a_clean_sync(tmp_path: Path, harness: VenueHarness) -> None:
    running = harness.start(seed=34, size="small", latency_ms=15)
    try:
        clean = make_service(tmp_path, harness, "clean")
        assert clean.sync_key(add_key(clean, harness.venue_id, running)).ok
        victim = make_service(tmp_path, harness, "victim")
        key_id = add_key(victim, harness.venue_id, running)
        env = {**os.environ, "CONTRACT_FIELDS": repr(running.credentials)}
        rng = random.Random(20261203)
        kills = 0
        for _attempt in range(5):
            with subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    KILL_SCRIPT,
                    str(tmp_path / "victim.sqlite"),
                    str(key_id),
                    running.base_url,
                    harness.venue_id,
                    str(harness.rate_limit_scale),
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
                proc.wait(timeout=120)
        assert kills >= 2
        victim.store.reset_stale_syncing()
        assert victim.sync_key(key_id).ok
    finally:
        running.stop()
    assert victim.store.dump_json() == clean.store.dump_json()


KILL_SCRIPT = r"""
import ast, os, sys
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import SyncEngine
from cryptact_desktop.venues.registry import make_connector
store = Store(sys.argv[1])
key = store.get_key(int(sys.argv[2]))
fields = ast.literal_eval(os.environ["CONTRACT_FIELDS"])
connector = make_connector(
    sys.argv[4], "custom", sys.argv[3], Credentials.from_fields(fields), rate_limit_scale=float(sys.argv[5])
)
print("started", flush=True)
SyncEngine(store).run(key, connector)
print("finished", flush=True)
"""


# --------------------------------------------------------------------------------------- secrets


def canary_fields(venue_id: str) -> tuple[dict[str, str], str]:
    """The canary credentials planted as the key, and the secret field a wrong key differs in.

    An exchange: its API key and secret. A blockchain: its secret fields (a data provider's key);
    its wallet address is public and stored in the records by nature."""
    info = venue_info(venue_id)
    if not info.is_blockchain:
        return {
            "api_key": "CANARYKEY9d8c7b6a5f4e3d2c",
            "secret": "CANARY-SECRET-7f3a9c2e1b5d4c3b2a1f0e9d",
        }, "secret"
    secrets = [spec.name for spec in info.credentials if spec.secret]
    return {name: f"CANARY-{name.upper()}-7f3a9c2e1b5d4c3b2a1f0e9d" for name in secrets}, (secrets or [""])[0]


def test_a_canary_secret_appears_nowhere(
    tmp_path: Path,
    harness: VenueHarness,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    canary, secret_field = canary_fields(harness.venue_id)
    if not canary:
        pytest.skip(f"{harness.venue_id} keeps no secret (its wallet address is public)")
    log_file = tmp_path / "logs" / "app.log"
    log_file.parent.mkdir()
    redaction.setup_logging(log_file, level=logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    keyring = MemoryKeyring()
    store = Store(tmp_path / "canary.sqlite")
    service = AppService(
        store,
        SecretStore(keyring),
        connector_factory=partial(make_connector, rate_limit_scale=harness.rate_limit_scale),
    )
    results = []
    events: list[object] = []
    try:
        running = harness.start(seed=35, size="tiny", credentials=canary)
        fields = dict(running.credentials)
        try:
            good = add_key(service, harness.venue_id, running)
            wrong = dict(fields, **{secret_field: "CANARY-WRONG-0a1b2c3d4e5f6a7b8c9d0e1f"})
            bad = service.add_key(
                NewKey(
                    exchange=harness.venue_id,
                    label="bad",
                    host_id="custom",
                    base_url=running.base_url,
                    endpoints=all_endpoints(harness.venue_id),
                ),
                Credentials.from_fields(wrong),
            ).id
            results.append(service.sync_key(good, on_progress=events.append))
            results.append(service.sync_key(bad, on_progress=events.append))
        finally:
            running.stop()
        results.append(service.sync_key(good, on_progress=events.append))  # network down
    finally:
        redaction.reset_logging()
    assert results[0].ok and not results[1].ok and not results[2].ok
    export = tmp_path / "export.csv"
    write_transactions_csv(store, export)
    store.close()
    haystacks: dict[str, bytes] = {
        "log file": log_file.read_bytes(),
        "captured log": caplog.text.encode(),
        "stdout/stderr": "".join(capsys.readouterr()).encode(),
        "progress": repr(events).encode(),
        "results": repr(results).encode(),
        "export": export.read_bytes(),
    }
    for path in tmp_path.glob("canary.sqlite*"):
        haystacks[path.name] = path.read_bytes()
    secrets = [*canary.values(), "CANARY-WRONG-0a1b2c3d4e5f6a7b8c9d0e1f"]
    for secret in secrets:
        for where, data in haystacks.items():
            assert secret.encode() not in data, f"{secret[:10]}… leaked into {where}"
    assert canary[secret_field] in (keyring.get_password("cryptact-desktop", f"key-{good}") or "")


# --------------------------------------------------------------------------------------- files


def skip_without_files(venue_id: str) -> None:
    if not venue_info(venue_id).supports_files:
        pytest.skip(f"{venue_id} has no download files")


def test_the_venues_own_download_merges_with_api_rows(
    tmp_path: Path, harness: VenueHarness, sim: SimulatedAccount
) -> None:
    skip_without_files(harness.venue_id)
    service = make_service(tmp_path, harness)
    key_id = add_key(service, harness.venue_id, sim)
    assert service.sync_key(key_id).ok
    expected = sim.expected(all_endpoints(harness.venue_id), 0, now_ms())
    files = sim.export_files(tmp_path)
    assert files
    for path in files:
        result = import_file(
            service.store, path, account_id=key_id, exchange=harness.venue_id, tz=ZoneInfo("UTC")
        )
        assert result.ok, result.message
        assert result.new_records == 0, (
            f"{path.name}: {result.new_records} rows the API already had were stored again"
        )
    assert service.store.transaction_identities(key_id) == expected
    assert service.store.count_transactions(STORED) == len(expected)


def test_a_file_first_then_the_api_stores_each_record_once(
    tmp_path: Path, harness: VenueHarness, sim: SimulatedAccount
) -> None:
    skip_without_files(harness.venue_id)
    service = make_service(tmp_path, harness)
    key_id = add_key(service, harness.venue_id, sim)
    for path in sim.export_files(tmp_path):
        result = import_file(
            service.store, path, account_id=key_id, exchange=harness.venue_id, tz=ZoneInfo("UTC")
        )
        assert result.ok and result.new_records > 0, result.message
    assert service.sync_key(key_id).ok
    expected = sim.expected(all_endpoints(harness.venue_id), 0, now_ms())
    assert service.store.transaction_identities(key_id) == expected
    assert service.store.count_transactions(STORED) == len(expected)


def test_a_failed_endpoint_is_named_with_a_remedy_while_the_others_complete() -> None:
    # Guard: every venue declares at least one documented per-endpoint refusal, so the partial
    # case (one endpoint failing, the rest completing) is exercised above for each of them.
    # A blockchain signs nothing: its key-wide refusals are an invalid address, a wrong server and
    # a spent rate limit instead.
    for item in TESTED:
        cases = harness_of(item.id).key_errors()
        if len(item.info.endpoints) > 1:
            assert any(case.endpoints for case in cases), item.id
        assert any(not case.endpoints for case in cases), item.id
        if item.info.is_blockchain:
            kinds = {case.kind for case in cases}
            assert {FailureKind.INVALID_ADDRESS, FailureKind.WRONG_SERVER, FailureKind.RATE_LIMIT} <= kinds
        else:
            assert any(case.kind is FailureKind.SIGNATURE for case in cases), item.id
