"""Plain data of imported files: their rows, one logical record's rows, and what an import writes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptact_desktop.state import TransactionView
from cryptact_desktop.store.models import FileRecordRow
from cryptact_desktop.store.ranges import Range

FILE_HOST_ID = "file"  # ApiKeyRow.host_id of an account that only has imported files
_FILE_ROW_FIELDS = (
    "id",
    "file_id",
    "row_number",
    "endpoint",
    "stream",
    "exchange_id",
    "record_key",
    "status",
    "linked_transaction_id",
    "timestamp_ms",
    "time_precision_ms",
    "kind",
    "base",
    "quote",
    "side",
    "amount",
    "price",
    "price_places",
    "fee",
    "fee_currency",
    "network",
    "tx_hash",
    "counter_amount",
    "pnl",
    "funding",
    "note",
    "mirror_of",
    "compared",
    "match_json",
)


@dataclass(frozen=True, slots=True)
class FileRow:
    """One data row of an imported file with its own values (see ``models.FileRecordRow``)."""

    id: int
    file_id: int
    row_number: int
    endpoint: str
    stream: str
    exchange_id: str
    record_key: str
    status: str
    linked_transaction_id: int | None
    timestamp_ms: int
    time_precision_ms: int
    kind: str
    base: str
    quote: str
    side: str
    amount: str
    price: str
    price_places: int | None
    fee: str
    fee_currency: str
    network: str
    tx_hash: str
    counter_amount: str
    pnl: str
    funding: str
    note: str
    mirror_of: str
    compared: str
    match_json: str

    @classmethod
    def of(cls, row: FileRecordRow) -> FileRow:
        return cls(**{name: getattr(row, name) for name in _FILE_ROW_FIELDS})


@dataclass(frozen=True, slots=True)
class FileGroup:
    """All rows (possibly from overlapping files) that are one logical record."""

    endpoint: str
    record_key: str
    rows: tuple[FileRow, ...]

    @property
    def first(self) -> FileRow:
        return self.rows[0]

    def values(self) -> tuple[str, ...]:
        r = self.first
        return (r.kind, r.base, r.quote, r.side, r.amount, r.price, r.fee)


def group_rows(rows: Iterable[FileRow]) -> list[FileGroup]:
    by_key: dict[tuple[str, str], list[FileRow]] = {}
    for row in rows:
        by_key.setdefault((row.endpoint, row.record_key), []).append(row)
    return [FileGroup(endpoint, key, tuple(members)) for (endpoint, key), members in by_key.items()]


@dataclass(frozen=True, slots=True)
class ApiCandidate:
    id: int
    timestamp_ms: int
    raw_json: str


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    linked: int  # logical file records newly matched to an API record
    held: int  # logical file records newly held for review


@dataclass(frozen=True, slots=True)
class ImportedFileRecord:
    id: int
    account_id: int
    file_name: str
    format_id: str
    sha256: str
    rows: int
    records: int
    new_records: int
    period: Range | None
    time_zone: str
    imported_at_ms: int


@dataclass(frozen=True, slots=True)
class ImportAccount:
    """The account a file goes into: an existing one, as the store knows it."""

    id: int
    exchange: str
    label: str
    host_id: str
    exchange_user_id: str


@dataclass(frozen=True, slots=True)
class NewFileRow:
    """A file row to store. ``transaction`` holds its ``transactions`` values (None: do not store
    one, the record is present already or held); ``record`` is its ``file_records`` values."""

    endpoint: str
    record_key: str
    has_exchange_id: bool
    transaction: Mapping[str, Any]
    record: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class NewImport:
    """Everything one import writes (``account_id`` None: a new file-only account). ``rows`` is
    read once, in chunks (a stream: the file's rows are never all in memory)."""

    account_id: int | None
    exchange: str
    new_account_label: str
    file_uid: str
    sha256: str
    file_name: str
    format_id: str
    size_bytes: int
    row_count: int
    period: Range | None
    time_zone: str
    covered_endpoints: tuple[str, ...]
    endpoint_order: tuple[str, ...]
    rows: Iterable[NewFileRow]
    content_sha256: str = ""
    record_count: int | None = None  # how many ``rows`` there are (counted while writing if None)


@dataclass(frozen=True, slots=True)
class ImportWritten:
    account_id: int
    file_id: int
    new_records: int
    linked: int
    held: int


@dataclass(frozen=True, slots=True)
class ReconcileData:
    """Everything the reconciliation report compares, read at one moment."""

    account_label: str
    exchange: str
    rows: tuple[FileRow, ...]
    file_names: Mapping[int, str]
    api_coverage: Mapping[tuple[str, str], list[Range]]
    file_coverage: Mapping[str, list[Range]]
    by_key: Mapping[tuple[str, str], TransactionView]
    by_id: Mapping[int, TransactionView]
    held_candidates: Mapping[tuple[str, str], list[int]]


def file_transaction_raw(match_raw: Mapping[str, Any], format_id: str, file_name: str, row: int) -> str:
    """``raw_json`` of a transaction stored from a file: the row as the API's record (so a
    normaliser can re-derive it like an API row), plus ``_file`` saying where it came from. The
    file's own cells are in ``file_records``."""
    raw = dict(match_raw)
    raw["_file"] = {"format": format_id, "file": file_name, "row": row}
    return json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
