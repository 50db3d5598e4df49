"""What a venue package hands the rest of the app: its catalogue entry and how to use it.

A venue package (``cryptact_desktop/venues/<id>/``) defines one :data:`Venue` in its
``__init__``; :mod:`cryptact_desktop.venues.registry` lists them. The heavy parts (connector,
simulator, test harness) are reached through functions, so listing the venues imports little:
:class:`Lazy` and its kin name them by module and attribute and import them at the first use, and
:class:`SimulatorDemo` / :func:`keyed_demo` are the demo over one simulator every venue shares.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cryptact_desktop.i18n import translatable
from cryptact_desktop.venues.base import VenueInfo

if TYPE_CHECKING:
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.imports.spec import FileFormat, KnownFile
    from cryptact_desktop.records import NormalizedRecord
    from cryptact_desktop.sync.connector import Connector


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A simulated account the demo mode adds as a key (``credentials``: field name -> value).

    ``label`` is the English text, marked with ``i18n.translatable("demo", …)``: the account is
    made in the demo's child process, and the app translates the label when it adds the key."""

    label: str
    credentials: dict[str, str]
    # The key's "Sync from" (None: as far back as the API reaches), where the endpoint hints advise
    # setting it to the account's opening.
    sync_from_ms: int | None = None


class DemoExchange:
    """A running demo simulator of one venue (see :attr:`Venue.demo`).

    ``accounts`` are added as keys when the demo starts. ``spare`` is an account of the same
    simulator the demo did not add: the key dialog shows its credentials, so a newcomer can walk
    through "+" → Manage your API keys → Add key without a real exchange account.
    :meth:`sample_file` writes one of the venue's download files (of the spare account) for the
    import walk-through.
    """

    base_url: str
    accounts: tuple[DemoAccount, ...]
    spare: DemoAccount | None = None

    def sample_file(self, folder: Path) -> Path | None:
        """Write a download file of the demo exchange into ``folder``; None when it has none."""
        return None

    def stop(self) -> None:  # pragma: no cover - protocol
        raise NotImplementedError


ConnectorFactory = Callable[["Credentials", str, float], "Connector"]


@dataclass(frozen=True)
class Venue:
    """One exchange or blockchain.

    ``connect(credentials, base_url, rate_limit_scale)`` builds the connector for one key
    (``rate_limit_scale`` > 1 only for simulators run faster than the real venue).
    ``file_formats``: the downloadable files of this venue the importer reads; ``known_files``:
    files it recognises but refuses, with advice.
    ``demo(speed)``: starts the venue's simulator with demo accounts (None: no demo).
    ``serve(argv, stop)``: runs the simulator in the foreground (``demo-server --exchange <id>``).
    ``harness()``: the simulator harness the contract suite drives (None: not testable yet).
    """

    info: VenueInfo
    connect: ConnectorFactory
    file_formats: Callable[[], tuple[FileFormat, ...]] = field(default=lambda: ())
    known_files: Callable[[], tuple[KnownFile, ...]] = field(default=lambda: ())
    # Raise ``normalizer_version`` when the normaliser starts writing entries differently; entries
    # stored before are then re-derived from their raw records by ``renormalize(endpoint, stream,
    # raw)`` at the next start (None: the raw record does not say, keep the entry).
    normalizer_version: int = 1
    renormalize: Callable[[str, str, Mapping[str, Any]], NormalizedRecord | None] | None = None
    demo: Callable[[float], DemoExchange] | None = None
    serve: Callable[[list[str], threading.Event | None], int] | None = None
    harness: Callable[[], Any] | None = None

    @property
    def id(self) -> str:
        return self.info.id


class _Named:
    """``module.name``, imported at the first use. Its ``__module__`` is the target's module, as for
    a function defined there (the layering check finds the package a registered venue comes from
    that way). No import statement names the target, so the installer spec collects every venue
    module (``build_installer.spec``)."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self.__module__ = module

    def target(self) -> Any:
        """The object named (imported now)."""
        return getattr(importlib.import_module(self.module), self.name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.module}.{self.name})"


class Lazy(_Named):
    """``module.name`` called with ``args`` (then the call's own arguments) and ``options``: a
    venue's demo, simulator command or harness, imported at the first call."""

    def __init__(self, module: str, name: str, *args: Any, **options: Any) -> None:
        super().__init__(module, name)
        self.args = args
        self.options = options

    def __call__(self, *args: Any, **options: Any) -> Any:
        return self.target()(*self.args, *args, **self.options, **options)


class LazyValue(_Named):
    """``module.name`` itself, imported at the first call (a venue's file formats)."""

    def __call__(self) -> Any:
        return self.target()


class LazyConnector(_Named):
    """A connector class as a :data:`ConnectorFactory`: ``(credentials, base_url,
    rate_limit_scale)`` -> ``cls(credentials, base_url, rate_limit_scale=..., **options)``."""

    def __init__(self, module: str, name: str, **options: Any) -> None:
        super().__init__(module, name)
        self.options = options

    def __call__(self, credentials: Credentials, base_url: str, rate_limit_scale: float) -> Connector:
        connector: Connector = self.target()(
            credentials, base_url, rate_limit_scale=rate_limit_scale, **self.options
        )
        return connector


class Startable(Protocol):
    """A simulator (or a wallet around one) that serves between ``start()`` and ``stop()`` (the
    kit's ``Runnable``, restated so that listing the venues does not import the simulator kit)."""

    def start(self) -> str: ...

    def stop(self) -> None: ...


class SimulatorDemo(DemoExchange):
    """A demo over one simulator (or a wallet around one): started here, stopped by :meth:`stop`."""

    def __init__(self, simulator: Startable, accounts: tuple[DemoAccount, ...]) -> None:
        self._simulator = simulator
        self.base_url = simulator.start()
        self.accounts = accounts

    def stop(self) -> None:
        self._simulator.stop()


# The names of the simulator kit's demo keys by their kind (``DemoKeys.entries``; the kit is not
# imported here, so that listing the venues stays light).
_DEMO_KEY_LABELS = {
    "working": translatable("demo", "Demo account (read-only key)"),
    "wrong secret": translatable("demo", "Demo account (wrong secret)"),
}


def key_accounts(entries: Sequence[tuple[str, str, str]]) -> tuple[DemoAccount, ...]:
    """Demo accounts of ``(kind, api_key, secret)`` triples (see the simulator kit's ``DemoKeys``)."""
    return tuple(
        DemoAccount(_DEMO_KEY_LABELS[kind], {"api_key": key, "secret": secret})
        for kind, key, secret in entries
    )


class KeyedDemo(SimulatorDemo):
    """The demo of an exchange whose simulator package has ``demo_setup(speed=)`` -> (simulator not
    started, ``(kind, api_key, secret)`` triples): each triple is a demo account."""

    def __init__(self, simulator_package: str, speed: float) -> None:
        simulator, entries = Lazy(simulator_package, "demo_setup")(speed=speed)
        super().__init__(simulator, key_accounts(entries))


def keyed_demo(simulator_package: str) -> Callable[[float], DemoExchange]:
    """``Venue.demo`` of an exchange whose simulator package has ``demo_setup`` (see :class:`KeyedDemo`)."""
    return partial(KeyedDemo, simulator_package)
