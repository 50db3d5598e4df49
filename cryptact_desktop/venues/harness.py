"""What a venue gives the connector contract suite (``tests/contract``): its simulator, driven
the same way for every venue.

A venue's ``harness.py`` implements :class:`VenueHarness`; ``Venue.harness()`` returns it. The
contract suite then proves, for every venue in the registry, that signing matches the venue's
documented test vectors in client and simulator, that a full sync equals the simulator's ground
truth, that a resync is cheap, that a killed sync resumes to the same result, that every
documented key error ends as a human message on the right endpoints, that a canary secret leaks
nowhere, and that the venue's own download file merges with the API rows.

Harnesses are test support shipped inside the app (like the simulators, which the demo mode uses
too); nothing in the app's normal path imports them. :class:`HarnessBase` and
:class:`SimulatorAccount` are the parts every venue's harness shares: a venue adds its refusals,
its signature vectors, how to start its simulator for a :class:`Start` and its ground truth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.simulator.kit import RequestLogEntry, SimulatorServer
from cryptact_desktop.simulator.kit.command import Runnable


@dataclass(frozen=True)
class SignatureVector:
    """A documented signature: ``client()`` and ``simulator()`` must both give ``expected``."""

    name: str
    expected: str
    client: Callable[[], str]
    simulator: Callable[[], str]


@dataclass(frozen=True, slots=True)
class KeyErrorCase:
    """A documented refusal and what the app must show for it.

    ``endpoints`` empty: the whole key fails (every endpoint shows ``kind``); otherwise only these
    endpoints fail and every other endpoint completes. ``code`` is the venue's own code the
    endpoint row shows ("" when the venue gives none).
    """

    name: str
    kind: FailureKind
    code: str
    endpoints: tuple[str, ...] = ()


class SimulatedAccount(Protocol):
    """A running simulator of the venue holding one seeded account."""

    base_url: str
    credentials: dict[str, str]  # the fields of a working key (or of the case's key)

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        """(endpoint, exchange record id) of every record the API can give: the ground truth,
        normalised by the app's own normaliser."""
        ...

    def request_count(self) -> int:
        """Requests the simulator has answered so far."""
        ...

    def requests_by_stream(self) -> dict[str, int]:
        """Requests answered so far per client stream id (for the resync cost check)."""
        ...

    def export_files(self, directory: Path) -> tuple[Path, ...]:
        """The venue's own download files of this account (the kinds the app imports), written
        into ``directory``, covering part of its history."""
        ...

    def stop(self) -> None: ...


class VenueHarness(Protocol):
    venue_id: str
    rate_limit_scale: float  # how much faster than the real venue the simulator runs

    def signature_vectors(self) -> tuple[SignatureVector, ...]: ...

    def key_errors(self) -> tuple[KeyErrorCase, ...]:
        """Every documented key refusal the simulator can produce (bad key, bad signature, IP not
        allowed, clock, missing permission...)."""
        ...

    def start(
        self,
        *,
        seed: int,
        size: str = "small",
        credentials: dict[str, str] | None = None,
        error: KeyErrorCase | None = None,
        transient_faults: bool = False,
        latency_ms: int = 0,
    ) -> SimulatedAccount:
        """Start the simulator with one seeded account (``size``: "tiny" or "small") and a key.

        ``credentials``: plant these values as the key (the canary test); ``error``: configure the
        key or the simulator so that it refuses as the case says; ``transient_faults``: inject
        recoverable faults (dropped connections, 5xx, malformed bodies, rate-limit refusals) the
        client must ride out.
        """
        ...


@dataclass(frozen=True, slots=True)
class Start:
    """What the suite asked :meth:`VenueHarness.start` for, the error case checked against the
    venue's own (``case``: its name, "" for a working key; ``credentials``: values to plant, {}
    for the harness' own)."""

    seed: int
    size: str
    credentials: dict[str, str]
    case: str
    transient_faults: bool
    latency_ms: int

    def credential(self, name: str, default: str) -> str:
        """The planted value of the key field ``name``, else the harness' ``default``."""
        return self.credentials.get(name, default)

    def latency_at_least(self, floor_ms: int) -> int:
        """Where the suite asks for latency (to kill a sync midway), no less than ``floor_ms``: a
        real server that answers no faster than that (else a small history syncs before the kill)."""
        return max(self.latency_ms, floor_ms) if self.latency_ms else 0


class HarnessBase:
    """The part of :class:`VenueHarness` every venue shares. A venue sets ``venue_id``,
    ``rate_limit_scale`` and ``errors`` (its documented refusals), gives its signature vectors
    (none by default: a wallet signs nothing) and starts its simulator in :meth:`launch`."""

    venue_id: str
    rate_limit_scale: float
    errors: tuple[KeyErrorCase, ...] = ()

    def signature_vectors(self) -> tuple[SignatureVector, ...]:
        return ()

    def key_errors(self) -> tuple[KeyErrorCase, ...]:
        return self.errors

    def start(
        self,
        *,
        seed: int,
        size: str = "small",
        credentials: dict[str, str] | None = None,
        error: KeyErrorCase | None = None,
        transient_faults: bool = False,
        latency_ms: int = 0,
    ) -> SimulatedAccount:
        name = error.name if error is not None else ""
        if name and name not in {case.name for case in self.errors}:
            raise KeyError(f"no such {self.venue_id} error case {name!r}")
        return self.launch(Start(seed, size, dict(credentials or {}), name, transient_faults, latency_ms))

    def launch(self, start: Start) -> SimulatedAccount:  # pragma: no cover - protocol
        """Start the simulator as ``start`` says (see :meth:`VenueHarness.start`)."""
        raise NotImplementedError


class SimulatorAccount:
    """The part of :class:`SimulatedAccount` every venue shares: ``running`` (the simulator, or a
    wallet around it: ``server`` by default) is started here and stopped by :meth:`stop`; requests
    are counted from ``server``'s log. A venue adds :meth:`expected`, the client stream a logged
    request served (:meth:`stream_of`) and its download files, where it has them."""

    def __init__(
        self, server: SimulatorServer, credentials: dict[str, str], running: Runnable | None = None
    ) -> None:
        self.server = server
        self._running: Runnable = running if running is not None else server
        self.base_url = self._running.start()
        self.credentials = credentials

    def expected(self, endpoints: Sequence[str], since_ms: int, now_ms: int) -> set[tuple[str, str]]:
        raise NotImplementedError  # pragma: no cover - every venue has its own truth

    def request_count(self) -> int:
        return len(self.server.request_log)

    def stream_of(self, entry: RequestLogEntry) -> str:
        """The client stream id a logged request served ("" when none)."""
        return ""

    def requests_by_stream(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.server.request_log:
            stream = self.stream_of(entry)
            if stream:
                counts[stream] = counts.get(stream, 0) + 1
        return counts

    def export_files(self, directory: Path) -> tuple[Path, ...]:
        return ()  # a venue without download files (every blockchain)

    def stop(self) -> None:
        self._running.stop()
