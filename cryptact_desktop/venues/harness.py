"""What a venue gives the connector contract suite (``tests/contract``): its simulator, driven
the same way for every venue.

A venue's ``harness.py`` implements :class:`VenueHarness`; ``Venue.harness()`` returns it. The
contract suite then proves, for every venue in the registry, that signing matches the venue's
documented test vectors in client and simulator, that a full sync equals the simulator's ground
truth, that a resync is cheap, that a killed sync resumes to the same result, that every
documented key error ends as a human message on the right endpoints, that a canary secret leaks
nowhere, and that the venue's own download file merges with the API rows.

Harnesses are test support shipped inside the app (like the simulators, which the demo mode uses
too); nothing in the app's normal path imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptact_desktop.errors import FailureKind


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
