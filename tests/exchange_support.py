"""Helpers the keyed exchanges' tests share: a simulator over one account behind a local server,
a service on a fresh database, a key added to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.venues.registry import make_connector


class _Server(Protocol):
    def start(self) -> str: ...

    def stop(self) -> None: ...


S = TypeVar("S", bound=_Server)
A = TypeVar("A")
ACCOUNT = "a"  # the simulated account's name on the simulator


@dataclass
class Running(Generic[S, A]):
    simulator: S
    account: A
    base_url: str


@contextmanager
def serving(
    simulator_class: Callable[..., S], account: A, key: object, scale: float, **options: Any
) -> Iterator[Running[S, A]]:
    """``simulator_class({ACCOUNT: account}, [key], **options)`` started, stopped on leaving
    (``rate_limit_scale`` is ``scale`` unless ``options`` say)."""
    options.setdefault("rate_limit_scale", scale)
    simulator = simulator_class({ACCOUNT: account}, [key], **options)
    url = simulator.start()
    try:
        yield Running(simulator, account, url)
    finally:
        simulator.stop()


def make_service(tmp_path: Path, name: str, scale: float) -> AppService:
    factory = partial(make_connector, rate_limit_scale=scale)
    return AppService(
        Store(tmp_path / f"{name}.sqlite"), SecretStore(MemoryKeyring()), connector_factory=factory
    )


@contextmanager
def services(tmp_path: Path, scale: float) -> Iterator[Callable[..., AppService]]:
    """``make(name="db", scale=scale)``: a service on its own database; all closed on leaving."""
    made: list[AppService] = []

    def make(name: str = "db", scale: float = scale) -> AppService:
        service = make_service(tmp_path, name, scale)
        made.append(service)
        return service

    try:
        yield make
    finally:
        for service in made:
            service.store.close()


def add_key(
    service: AppService,
    exchange: str,
    base_url: str,
    credentials: Credentials,
    endpoints: tuple[str, ...],
    sync_from_ms: int | None = None,
) -> int:
    """A key labelled "Test" on the simulator at ``base_url``; its id."""
    key = service.add_key(
        NewKey(
            exchange=exchange,
            label="Test",
            host_id="custom",
            base_url=base_url,
            endpoints=endpoints,
            key_hint=credentials.key_hint,
            sync_from_ms=sync_from_ms,
        ),
        credentials,
    )
    return key.id
