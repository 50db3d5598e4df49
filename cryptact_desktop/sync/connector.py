"""The contract between the sync engine and an exchange connector.

A connector knows one exchange's protocol: how to sign, which request serves which stream, how
to page, and how to turn the exchange's records into :class:`NormalizedRecord`. It knows nothing
about storage or coverage: the engine decides which windows to ask for and commits what comes
back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.venues.base import EndpointInfo, StreamInfo, VenueInfo


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Inclusive millisecond bounds of one time-filtered request series."""

    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class Page:
    """One response page. ``next_cursor`` is None when the window (or pass) is exhausted."""

    records: tuple[NormalizedRecord, ...]
    next_cursor: str | None
    oldest_ms: int | None = None  # oldest record time on the page (NEWEST_FIRST paging stops on it)
    newest_ms: int | None = None  # newest record time on the page (OLDEST_FIRST paging stops on it)
    # OLDEST_FIRST: where the next sync continues once this pass has reached the newest record
    # (the id after the last one seen, the next block...). None: start again from the window.
    resume_cursor: str | None = None
    # Earliest time of a record that is not final yet (pending deposit, processing convert...).
    # It is not stored; the engine must not mark its time as covered, so a later sync gets it.
    unsettled_ms: int | None = None


@dataclass(frozen=True, slots=True)
class RequestStats:
    """Counters a connector's HTTP layer keeps per stream (read by the engine for the run log)."""

    requests: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    waited_ms: int = 0


@dataclass(frozen=True, slots=True)
class KeyVerification:
    """What the exchange says about a key. ``warnings`` are shown prominently but allow saving."""

    valid: bool
    read_only: bool
    permissions: tuple[str, ...] = ()
    user_id: str = ""
    is_master: bool | None = None
    expires_at_ms: int | None = None
    ip_restricted: bool | None = None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


ShouldStop = Callable[[], bool]


class Connector(Protocol):
    """One exchange, one key. Methods are called from several threads at once (one per stream)."""

    info: VenueInfo
    rate_limit_scale: float  # > 1 only against a simulator run faster than the real venue

    def verify_key(self, should_stop: ShouldStop = ...) -> KeyVerification:
        """Ask the exchange about the key; raises ``SyncFailure`` when it is unusable (or,
        with a CANCELLED failure, when ``should_stop()`` turns true while retrying)."""
        ...

    def fetch_page(
        self,
        stream: StreamInfo,
        window: TimeWindow | None,
        cursor: str | None,
        should_stop: ShouldStop,
    ) -> Page:
        """Fetch one page of ``stream`` inside ``window`` (the period the engine wants; None for a
        NEWEST_FIRST stream), continuing from ``cursor`` (None: the first page).

        Retries transient faults and rate limits itself (checking ``should_stop`` while waiting);
        raises ``SyncFailure`` for anything it cannot recover from.
        """
        ...

    def discover_streams(
        self, endpoint: EndpointInfo, known: Sequence[str], should_stop: ShouldStop
    ) -> tuple[StreamInfo, ...]:
        """The streams of an endpoint whose streams are found at sync time (``endpoint.discover``):
        one per symbol or product code, say. ``known`` holds the stream ids synced before, so a
        stream the venue no longer lists is still kept up to date."""
        ...

    def stats(self, stream: StreamInfo) -> RequestStats: ...

    def close(self) -> None: ...
