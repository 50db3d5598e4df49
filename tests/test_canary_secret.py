"""A planted secret reaches no log line, no signal payload, no DB byte and no exported file."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

import pytest

from cryptact_desktop import redaction
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.export_csv import write_transactions_csv
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import SyncProgress
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
from cryptact_desktop.venues.registry import make_connector

CANARY_KEY = "CANARYKEY9d8c7b6a5f4e"
CANARY_SECRET = "CANARY-SECRET-7f3a9c2e1b5d4c3b2a1f0e9d"
OTHER_SECRET = "CANARY-WRONG-0a1b2c3d4e5f6a7b8c9d0e1f"
ALL = tuple(e.id for e in BYBIT.endpoints)


def test_canary_secret_never_leaks(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "logs" / "app.log"
    log_file.parent.mkdir()
    redaction.setup_logging(log_file, level=logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    account = generate_account(seed=5, size="tiny", uid=42)
    keyring = MemoryKeyring()
    store = Store(tmp_path / "canary.sqlite")
    service = AppService(
        store, SecretStore(keyring), connector_factory=partial(make_connector, rate_limit_scale=50)
    )
    events: list[SyncProgress] = []
    results = []
    try:
        with BybitSimulator(
            accounts=[account],
            keys=[SimulatedKey(CANARY_KEY, CANARY_SECRET, 42)],
            rate_limit_scale=50,
            ip_limit=(30000, 5.0),
        ) as sim:
            good = service.add_key(
                NewKey(
                    exchange="bybit", label="good", host_id="custom", base_url=sim.base_url, endpoints=ALL
                ),
                Credentials(CANARY_KEY, CANARY_SECRET),
            )
            bad = service.add_key(
                NewKey(exchange="bybit", label="bad", host_id="custom", base_url=sim.base_url, endpoints=ALL),
                Credentials(CANARY_KEY, OTHER_SECRET),
            )
            results.append(service.sync_key(good.id, on_progress=events.append))
            results.append(service.sync_key(bad.id, on_progress=events.append))
            logging.getLogger("cryptact_desktop.test").info("headers %s", {"X-BAPI-API-KEY": CANARY_KEY})
        # Network down: the simulator is gone now.
        results.append(service.sync_key(good.id, on_progress=events.append))
    finally:
        redaction.reset_logging()
    assert results[0].ok and not results[1].ok and not results[2].ok
    assert store.count_transactions() > 0
    export = tmp_path / "export.csv"
    write_transactions_csv(store, export)
    store.close()

    haystacks: dict[str, bytes] = {
        "log file": log_file.read_bytes(),
        "captured log": caplog.text.encode(),
        "stdout/stderr": "".join(capsys.readouterr()).encode(),
        "progress signals": repr(events).encode(),
        "sync results": repr(results).encode(),
        "export": export.read_bytes(),
    }
    for path in tmp_path.glob("canary.sqlite*"):
        haystacks[path.name] = path.read_bytes()
    assert len(log_file.read_bytes()) > 0 and events
    for secret in (CANARY_SECRET, OTHER_SECRET, CANARY_KEY):
        for where, data in haystacks.items():
            assert secret.encode() not in data, f"{secret[:10]}… leaked into {where}"
    # The keyring is the one place that holds them.
    assert CANARY_SECRET in (keyring.get_password("cryptact-desktop", f"key-{good.id}") or "")
