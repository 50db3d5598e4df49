"""Plain frozen data handed from the store to the engine, the CLI and the GUI.

Nothing here holds an ORM object or a secret, so these values can cross threads and Qt signals.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from cryptact_desktop.errors import Failure


class EndpointStatus(enum.StrEnum):
    NEVER = "never"
    SYNCING = "syncing"
    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class NewKey:
    """What the add-key dialog or ``keys add`` collects (the secret goes to the keyring instead)."""

    exchange: str
    label: str
    host_id: str
    endpoints: tuple[str, ...]
    subaccount: str = ""
    base_url: str = ""
    sync_from_ms: int | None = None
    key_hint: str = ""


@dataclass(frozen=True, slots=True)
class KeyVerificationInfo:
    read_only: bool | None
    permissions: tuple[str, ...]
    exchange_user_id: str
    is_master: bool | None
    expires_at_ms: int | None
    verified_at_ms: int | None


@dataclass(frozen=True, slots=True)
class EndpointState:
    endpoint: str
    enabled: bool
    status: EndpointStatus
    last_success_ms: int | None
    last_attempt_ms: int | None
    failure: Failure | None
    record_count: int  # the rows the Transactions view shows for it (one per economic event)
    unreachable_from_ms: int | None
    unreachable_to_ms: int | None


@dataclass(frozen=True, slots=True)
class KeyConfig:
    """A key's settings and the state of each of its endpoints."""

    id: int
    exchange: str
    label: str
    subaccount: str
    host_id: str
    base_url: str
    sync_from_ms: int | None
    paused: bool
    key_hint: str
    verification: KeyVerificationInfo
    endpoints: tuple[EndpointState, ...]
    created_at_ms: int
    updated_at_ms: int

    @property
    def enabled_endpoints(self) -> tuple[str, ...]:
        return tuple(e.endpoint for e in self.endpoints if e.enabled)

    @property
    def status(self) -> EndpointStatus:
        """The key's overall status: the worst of its enabled endpoints."""
        states = [e.status for e in self.endpoints if e.enabled]
        if not states:
            return EndpointStatus.NEVER
        for status in (EndpointStatus.SYNCING, EndpointStatus.FAILED, EndpointStatus.NEVER):
            if status in states:
                return status
        return EndpointStatus.OK

    @property
    def last_success_ms(self) -> int | None:
        """When every enabled endpoint last completed (the oldest of their last successes)."""
        values = [e.last_success_ms for e in self.endpoints if e.enabled]
        if not values or any(v is None for v in values):
            return max((v for v in values if v is not None), default=None)
        return min(v for v in values if v is not None)

    @property
    def record_count(self) -> int:
        return sum(e.record_count for e in self.endpoints)

    def endpoint(self, endpoint_id: str) -> EndpointState:
        for state in self.endpoints:
            if state.endpoint == endpoint_id:
                return state
        raise KeyError(endpoint_id)


@dataclass(frozen=True, slots=True)
class StreamProgress:
    """An unfinished window: the next cursor to request (committed with the page's rows)."""

    window_start_ms: int
    window_end_ms: int
    cursor: str


@dataclass(frozen=True, slots=True)
class StreamRunStats:
    endpoint: str
    stream: str
    status: str
    pages: int = 0
    requests: int = 0
    retries: int = 0
    new_rows: int = 0
    duplicate_rows: int = 0
    rate_limit_waits: int = 0
    waited_ms: int = 0
    failure: Failure | None = None


@dataclass(frozen=True, slots=True)
class SyncRunInfo:
    id: int
    key_id: int
    started_ms: int
    finished_ms: int | None
    outcome: str
    streams: tuple[StreamRunStats, ...]


class TransactionView(NamedTuple):
    """One stored entry as the views and the export read it (immutable).

    A named tuple rather than a frozen dataclass: exports and the transactions view build one per
    stored row, and a tuple is built ~10x faster (0.4 µs against 4.2 µs for 22 fields).
    """

    id: int
    key_id: int
    endpoint: str
    stream: str
    exchange_id: str
    timestamp_ms: int
    kind: str
    base: str
    quote: str
    side: str
    amount: str
    price: str
    fee: str
    fee_currency: str
    network: str
    tx_hash: str
    source: str
    counter_amount: str = ""
    pnl: str = ""
    funding: str = ""
    note: str = ""
    mirror_of: str = ""


@dataclass(frozen=True, slots=True)
class TransactionFilter:
    """Which stored transactions a view or an export reads.

    By default one row per economic event: ``with_sources`` also returns the copies a ledger
    holds of trades and converts the key syncs from their own endpoint (``mirror_of``);
    ``same_account_once`` False also returns records another key of the same exchange account
    holds (see ``store.events``).
    """

    key_ids: tuple[int, ...] = ()
    endpoints: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    asset: str = ""
    from_ms: int | None = None
    to_ms: int | None = None
    newest_first: bool = True
    with_sources: bool = False
    same_account_once: bool = True
