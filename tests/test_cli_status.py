"""``status`` a cron health check can trust: a sync killed mid-way reads as interrupted (and
resumable), not as syncing, and the exit code is 0 only when every enabled endpoint is ok."""

from __future__ import annotations

import io
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import run_cli, start_cli

from cryptact_desktop import cli
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.paths import DataPaths
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.sync_lock import SyncLocks
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account

API_KEY = "STATUSKEY0001"
SECRET = "STATUS-SECRET-00000000000001"
UID = 4242


@pytest.fixture
def slow_sim() -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[generate_account(seed=3, size="tiny", uid=UID)],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=100,
        latency_ms=40,
    )
    base = sim.start()
    try:
        yield base
    finally:
        sim.stop()


def status(data_dir: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(
        ["--data-dir", str(data_dir), "status", *args],
        secrets=SecretStore(MemoryKeyring()),
        stdout=out,
        stderr=io.StringIO(),
    )
    return code, out.getvalue()


def test_a_killed_sync_reads_as_interrupted_and_status_fails_until_it_is_finished(
    tmp_path: Path, slow_sim: str
) -> None:
    data = tmp_path / "data"
    added = run_cli(
        tmp_path,
        data,
        *("keys", "add", "--exchange", "bybit", "--label", "Main", "--no-verify"),
        *("--host", "custom", "--base-url", slow_sim, "--endpoints", "spot,transaction_log"),
        stdin=f"{API_KEY}\n{SECRET}\n",
    )
    assert added.returncode == 0, added.stderr
    child = start_cli(tmp_path, data, "sync")
    store = Store(DataPaths(data).database)
    try:
        deadline = time.monotonic() + 60
        while not (store.get_key(1).status.value == "syncing" and store.count_transactions() > 0):
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    finally:
        store.close()

    code, text = status(data)
    assert code == 3, text
    assert "syncing" not in text
    assert "interrupted" in text and "resum" in text
    code, text = status(data, "--json")
    states = json.loads(text)["keys"][0]["endpoint_states"]
    assert {s["status"] for s in states} <= {"interrupted", "ok"} and "interrupted" in {
        s["status"] for s in states
    }
    assert json.loads(text)["keys"][0]["status"] == "interrupted"

    again = run_cli(tmp_path, data, "sync", "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    assert status(data)[0] == 0


def test_a_sync_running_now_is_not_ok_either(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store(DataPaths(data).ensure().database)
    try:
        key_id = store.add_key(NewKey("bybit", "Main", "mainnet", ("spot",)))
        store.mark_syncing(key_id, ["spot"])
    finally:
        store.close()
    with SyncLocks(data / "locks").hold(key_id):  # a live process is syncing it
        code, text = status(data)
    assert code == 5, text
    assert "syncing" in text and "interrupted" not in text
    code, text = status(data)  # and once that process is gone
    assert code == 3 and "interrupted" in text


def test_status_help_documents_the_exit_codes() -> None:
    out = io.StringIO()
    assert cli.main(["status", "--help"], stdout=out, stderr=io.StringIO()) == 0
    text = " ".join(out.getvalue().split())
    for line in ("0 every enabled endpoint is ok", "3 ", "5 "):
        assert line in text, text
