"""Binance answers -2015 both to a key refused as a whole (its trusted IPs, deleted) and, on the
futures paths only, to a key made before the futures account was opened. A sync of the futures
history alone must still tell them apart (with every endpoint, a spot answer usually came first)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.venues.harness import VenueHarness
from cryptact_desktop.venues.registry import make_connector, venue

FUTURES = ("futures_usdm", "futures_coinm")


@pytest.mark.parametrize(
    ("case", "kind"),
    [
        ("IP not trusted by the key", FailureKind.AUTHENTICATION),
        ("key older than the futures account", FailureKind.PERMISSION),
    ],
)
def test_a_futures_only_sync_names_the_real_refusal(tmp_path: Path, case: str, kind: FailureKind) -> None:
    factory = venue("binance").harness
    assert factory is not None
    harness: VenueHarness = factory()
    error = next(c for c in harness.key_errors() if c.name == case)
    running = harness.start(seed=34, size="tiny", error=error)
    try:
        service = AppService(
            Store(tmp_path / "db.sqlite"),
            SecretStore(MemoryKeyring()),
            connector_factory=partial(make_connector, rate_limit_scale=harness.rate_limit_scale),
        )
        credentials = Credentials.from_fields(running.credentials)
        key = service.add_key(
            NewKey(
                exchange="binance",
                label="Futures",
                host_id="custom",
                base_url=running.base_url,
                endpoints=FUTURES,
                key_hint=credentials.key_hint,
            ),
            credentials,
        )
        service.sync_key(key.id)
    finally:
        running.stop()
    for state in service.store.get_key(key.id).endpoints:
        assert state.failure is not None and state.failure.kind is kind, (state.endpoint, state.failure)
        assert state.failure.code == "-2015"
