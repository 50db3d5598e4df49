"""A sync in a child process (the GUI's way): same records as in-process, progress, cancel, a
killed child, and the secret never on the child's command line or in its environment."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, NewKey, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import SyncProgress
from cryptact_desktop.sync_process import SYNC_NICENESS, SyncProcessDied
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimAccount, SimulatedKey, generate_account
from cryptact_desktop.venues.registry import make_connector

UID = 6006
API_KEY = "CHILDPROCKEY0001"
SECRET = "CHILD-PROCESS-CANARY-SECRET-7f3a9c"
ENDPOINTS = tuple(e.id for e in BYBIT.endpoints)
FAST = 50


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=21, size="small", uid=UID)


@pytest.fixture
def simulator(account: SimAccount) -> Iterator[BybitSimulator]:
    sim = BybitSimulator(
        accounts=[account], keys=[SimulatedKey(API_KEY, SECRET, UID)], rate_limit_scale=FAST, ip_limit=None
    )
    sim.start()
    yield sim
    sim.stop()


def service_with_key(tmp_path: Path, name: str, url: str, scale: float = FAST) -> tuple[AppService, int]:
    service = AppService(
        Store(tmp_path / f"{name}.sqlite"),
        SecretStore(MemoryKeyring()),
        connector_factory=partial(make_connector, rate_limit_scale=scale),
    )
    key = service.add_key(
        NewKey(exchange="bybit", label="Child", host_id="custom", base_url=url, endpoints=ENDPOINTS),
        Credentials(API_KEY, SECRET),
    )
    return service, key.id


def identities(service: AppService, key_id: int) -> list[tuple[str, str]]:
    # Every stored record, ledger copies included (the view shows one row per economic event).
    every = TransactionFilter(key_ids=(key_id,), newest_first=False, with_sources=True)
    views = service.store.iter_views(every)
    return [(t.endpoint, t.exchange_id) for t in views]


def stored(service: AppService, key_id: int) -> set[tuple[str, str]]:
    return set(identities(service, key_id))


def test_a_sync_in_a_child_process_stores_what_an_in_process_sync_stores(
    tmp_path: Path, simulator: BybitSimulator
) -> None:
    in_process, key_a = service_with_key(tmp_path, "a", simulator.base_url)
    in_child, key_b = service_with_key(tmp_path, "b", simulator.base_url)
    reports: list[SyncProgress] = []

    expected = in_process.sync_key(key_a)
    result = in_child.sync_key(key_b, on_progress=reports.append, in_child_process=True)

    assert expected.ok and result.ok
    assert result.new_records == expected.new_records > 0
    assert stored(in_child, key_b) == stored(in_process, key_a)
    assert reports and any(r.finished for r in reports)
    assert all(r.key_id == key_b for r in reports)
    # a resync resumes from what the child stored: nothing new, nothing twice
    again = in_child.sync_key(key_b, in_child_process=True)
    assert again.ok and again.new_records == 0
    assert not multiprocessing.active_children()


def test_cancel_reaches_the_child_and_what_it_fetched_stays(
    tmp_path: Path, simulator: BybitSimulator
) -> None:
    service, key_id = service_with_key(tmp_path, "c", simulator.base_url)
    seen: list[SyncProgress] = []
    result = service.sync_key(
        key_id, on_progress=seen.append, should_stop=lambda: len(seen) >= 3, in_child_process=True
    )
    assert result.cancelled
    key = service.store.get_key(key_id)
    assert all(e.status is not EndpointStatus.SYNCING for e in key.endpoints)
    kept = len(stored(service, key_id))
    finished = service.sync_key(key_id, in_child_process=True)
    assert finished.ok
    assert len(stored(service, key_id)) == kept + finished.new_records


def _nice_of(pid: int) -> int:
    """A process's CPU niceness (field 19 of /proc/PID/stat)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_child_is_reported_and_the_next_sync_resumes(
    tmp_path: Path, simulator: BybitSimulator
) -> None:
    service, key_id = service_with_key(tmp_path, "k", simulator.base_url)
    looked: list[bool] = []

    def kill_the_child(progress: SyncProgress) -> None:
        if looked:
            return
        (child,) = multiprocessing.active_children()
        assert child.pid is not None
        # The secret went over the pipe: not on its command line, not in its environment.
        for part in ("cmdline", "environ"):
            assert SECRET.encode() not in Path(f"/proc/{child.pid}/{part}").read_bytes()
        # It runs at a lower CPU priority than this (the window's) process.
        assert _nice_of(child.pid) == min(19, _nice_of(os.getpid()) + SYNC_NICENESS)
        looked.append(True)
        os.kill(child.pid, signal.SIGKILL)

    with pytest.raises(SyncProcessDied):
        service.sync_key(key_id, on_progress=kill_the_child, in_child_process=True)
    assert looked
    key = service.store.get_key(key_id)
    assert all(e.status is not EndpointStatus.SYNCING for e in key.endpoints)  # not stuck "syncing"
    result = service.sync_key(key_id, in_child_process=True)
    assert result.ok
    kept = identities(service, key_id)
    assert len(kept) == len(set(kept))  # nothing twice
    fresh, other = service_with_key(tmp_path, "fresh", simulator.base_url)
    assert fresh.sync_key(other).ok
    assert set(kept) == stored(fresh, other)  # nothing lost


def _marked(context: str, text: str) -> str:
    return f"[{context}] {text}"


def install_marked_translation() -> None:
    """Runs in the child: a stand-in for the window's Japanese translation."""
    from cryptact_desktop import i18n

    i18n.install_translator(_marked)


def test_the_child_words_failures_in_the_windows_language(tmp_path: Path, simulator: BybitSimulator) -> None:
    from cryptact_desktop import i18n

    service, key_id = service_with_key(tmp_path, "lang", simulator.base_url)
    service.secrets.save(key_id, Credentials(API_KEY, "WRONG-SECRET-0000000000000000000000"))
    i18n.install_translator(_marked, child_setup=install_marked_translation)
    try:
        result = service.sync_key(key_id, in_child_process=True)
    finally:
        i18n.install_translator(None)
    failures = [o.failure for o in result.outcomes if o.failure is not None]
    assert failures and all(f.message.startswith("[errors] ") for f in failures)
    shown = [e.failure for e in service.store.get_key(key_id).endpoints if e.failure is not None]
    assert shown and all(f.message.startswith("[errors] ") for f in shown)  # as the window shows it
