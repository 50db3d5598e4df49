"""Helpers of the bitFlyer tests: a simulated account behind a local server, a key, a service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.venues.bitflyer.catalogue import BITFLYER
from cryptact_desktop.venues.bitflyer.simulator import (
    BitflyerSimulator,
    SimAccount,
    SimulatedKey,
)
from cryptact_desktop.venues.registry import make_connector

KEY = "TESTBITFLYERKEY01"
SECRET = "TEST-BITFLYER-SECRET-0123456789abcdef="
SCALE = 50.0
ENDPOINTS = tuple(e.id for e in BITFLYER.endpoints)


@dataclass
class Running:
    simulator: BitflyerSimulator
    account: SimAccount
    base_url: str


@contextmanager
def running(account: SimAccount, key: SimulatedKey | None = None, **options: Any) -> Iterator[Running]:
    options.setdefault("rate_limit_scale", SCALE)
    simulator = BitflyerSimulator({"a": account}, [key or SimulatedKey(KEY, SECRET, "a")], **options)
    url = simulator.start()
    try:
        yield Running(simulator, account, url)
    finally:
        simulator.stop()


def make_service(tmp_path: Path, name: str = "db", scale: float = SCALE) -> AppService:
    factory = partial(make_connector, rate_limit_scale=scale)
    return AppService(
        Store(tmp_path / f"{name}.sqlite"), SecretStore(MemoryKeyring()), connector_factory=factory
    )


def add_key(
    service: AppService, base_url: str, *, secret: str = SECRET, endpoints: tuple[str, ...] = ENDPOINTS
) -> int:
    credentials = Credentials(KEY, secret)
    key = service.add_key(
        NewKey(
            exchange="bitflyer",
            label="Test",
            host_id="custom",
            base_url=base_url,
            endpoints=endpoints,
            key_hint=credentials.key_hint,
        ),
        credentials,
    )
    return key.id
