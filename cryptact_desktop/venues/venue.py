"""What a venue package hands the rest of the app: its catalogue entry and how to use it.

A venue package (``cryptact_desktop/venues/<id>/``) defines one :data:`Venue` in its
``__init__``; :mod:`cryptact_desktop.venues.registry` lists them. The heavy parts (connector,
simulator, test harness) are reached through functions, so listing the venues imports little.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptact_desktop.venues.base import VenueInfo

if TYPE_CHECKING:
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.imports.spec import FileFormat, KnownFile
    from cryptact_desktop.records import NormalizedRecord
    from cryptact_desktop.sync.connector import Connector


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A simulated account the demo mode adds as a key (``credentials``: field name -> value)."""

    label: str
    credentials: dict[str, str]


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
