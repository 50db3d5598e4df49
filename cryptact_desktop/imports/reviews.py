"""The review queue: file records that several API records could be, and the user's decision."""

from __future__ import annotations

from dataclasses import dataclass

from cryptact_desktop.state import TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.store.file_rows import FileRow, group_rows

VALUE_FIELDS = (
    "timestamp_ms",
    "kind",
    "base",
    "quote",
    "side",
    "amount",
    "price",
    "fee",
    "fee_currency",
    "network",
    "tx_hash",
)


@dataclass(frozen=True, slots=True)
class RecordValues:
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

    @classmethod
    def of(cls, row: FileRow | TransactionView) -> RecordValues:
        return cls(**{name: getattr(row, name) for name in VALUE_FIELDS})


@dataclass(frozen=True, slots=True)
class FileRowRef:
    file_id: int
    file_name: str
    row_number: int


@dataclass(frozen=True, slots=True)
class Candidate:
    transaction_id: int
    exchange_id: str
    values: RecordValues


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A file record that several API records could be: the user picks one, or "none of these"."""

    endpoint: str
    record_key: str
    file_rows: tuple[FileRowRef, ...]
    file_values: RecordValues
    candidates: tuple[Candidate, ...]


def list_reviews(store: Store, account_id: int) -> list[ReviewItem]:
    rows = store.file_rows(account_id, status="review")
    names = store.file_names(r.file_id for r in rows)
    candidates = store.review_candidates(account_id)
    return [
        ReviewItem(
            group.endpoint,
            group.record_key,
            tuple(FileRowRef(r.file_id, names.get(r.file_id, ""), r.row_number) for r in group.rows),
            RecordValues.of(group.first),
            tuple(
                Candidate(tx.id, tx.exchange_id, RecordValues.of(tx))
                for tx in candidates.get((group.endpoint, group.record_key), ())
            ),
        )
        for group in group_rows(rows)
    ]


def resolve_review(
    store: Store, account_id: int, endpoint: str, record_key: str, transaction_id: int | None
) -> None:
    """Decide a held match: ``transaction_id`` = "the file row is this API record" (linked), or
    None = "it is none of them" (the file row is stored as its own record and not matched again)."""
    store.resolve_review(account_id, endpoint, record_key, transaction_id)
