"""The database schema (SQLAlchemy 2 typed ORM). Secrets are never stored here.

Only :mod:`cryptact_desktop.store` touches these classes; everything above it receives the plain
frozen dataclasses of :mod:`cryptact_desktop.state`.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class ApiKeyRow(Base):
    """One exchange API key: its settings and what the exchange said about it on verification."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exchange: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    subaccount: Mapped[str] = mapped_column(String(100), default="")
    host_id: Mapped[str] = mapped_column(String(32))
    base_url: Mapped[str] = mapped_column(String(300), default="")  # only for a custom host
    sync_from_ms: Mapped[int | None] = mapped_column(default=None)
    paused: Mapped[bool] = mapped_column(default=False)
    key_hint: Mapped[str] = mapped_column(String(16), default="")  # first characters of the API key
    read_only: Mapped[bool | None] = mapped_column(default=None)
    permissions: Mapped[str] = mapped_column(Text, default="")  # comma-separated, as reported
    exchange_user_id: Mapped[str] = mapped_column(String(64), default="")
    is_master: Mapped[bool | None] = mapped_column(default=None)
    expires_at_ms: Mapped[int | None] = mapped_column(default=None)
    verified_at_ms: Mapped[int | None] = mapped_column(default=None)
    created_at_ms: Mapped[int]
    updated_at_ms: Mapped[int]

    endpoints: Mapped[list[KeyEndpointRow]] = relationship(
        back_populates="key", cascade="all, delete-orphan", order_by="KeyEndpointRow.position"
    )


class KeyEndpointRow(Base):
    """The state of one endpoint of one key: status, last success, last error, counts."""

    __tablename__ = "key_endpoints"

    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    enabled: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(16), default="never")
    last_success_ms: Mapped[int | None] = mapped_column(default=None)
    last_attempt_ms: Mapped[int | None] = mapped_column(default=None)
    error_kind: Mapped[str] = mapped_column(String(32), default="")
    error_code: Mapped[str] = mapped_column(String(32), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")
    error_hint: Mapped[str] = mapped_column(Text, default="")
    record_count: Mapped[int] = mapped_column(default=0)
    # Of those, rows the Transactions view does not show as their own (store.events): the key list
    # shows record_count - hidden_count.
    hidden_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # History the API could not reach when it was asked for (older than the exchange's look-back).
    unreachable_from_ms: Mapped[int | None] = mapped_column(default=None)
    unreachable_to_ms: Mapped[int | None] = mapped_column(default=None)

    key: Mapped[ApiKeyRow] = relationship(back_populates="endpoints")


class CoveredRangeRow(Base):
    """A time range of one stream that is fully fetched (inclusive ms bounds)."""

    __tablename__ = "covered_ranges"
    __table_args__ = (Index("ix_covered_ranges_stream", "key_id", "endpoint", "stream"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(40))
    stream: Mapped[str] = mapped_column(String(40))
    start_ms: Mapped[int]
    end_ms: Mapped[int]


class StreamProgressRow(Base):
    """Where an interrupted window stopped: the next cursor to ask for. Committed with the rows.

    A stream fetches several windows at once, so it can have one row per unfinished window.
    """

    __tablename__ = "stream_progress"

    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(40), primary_key=True)
    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    window_start_ms: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    window_end_ms: Mapped[int]
    cursor: Mapped[str] = mapped_column(Text)
    updated_at_ms: Mapped[int]


class TransactionRow(Base):
    """One normalised transaction. Unique per (key, endpoint, exchange record id)."""

    __tablename__ = "transactions"
    __table_args__ = (
        UniqueConstraint("key_id", "endpoint", "exchange_id", name="uq_transactions_record"),
        Index("ix_transactions_time", "timestamp_ms"),
        Index("ix_transactions_key_time", "key_id", "endpoint", "timestamp_ms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(40))
    stream: Mapped[str] = mapped_column(String(40))
    exchange_id: Mapped[str] = mapped_column(String(200))
    timestamp_ms: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))
    base: Mapped[str] = mapped_column(String(40), default="")
    quote: Mapped[str] = mapped_column(String(40), default="")
    side: Mapped[str] = mapped_column(String(8), default="")
    amount: Mapped[str] = mapped_column(String(64), default="")
    price: Mapped[str] = mapped_column(String(64), default="")
    fee: Mapped[str] = mapped_column(String(64), default="")
    fee_currency: Mapped[str] = mapped_column(String(40), default="")
    network: Mapped[str] = mapped_column(String(40), default="")
    tx_hash: Mapped[str] = mapped_column(String(200), default="")
    counter_amount: Mapped[str] = mapped_column(String(64), default="", server_default="")
    pnl: Mapped[str] = mapped_column(String(64), default="", server_default="")
    funding: Mapped[str] = mapped_column(String(64), default="", server_default="")
    note: Mapped[str] = mapped_column(String(120), default="", server_default="")
    mirror_of: Mapped[str] = mapped_column(String(40), default="", server_default="")
    source: Mapped[str] = mapped_column(String(16), default="api")
    raw_json: Mapped[str] = mapped_column(Text, default="{}")
    inserted_at_ms: Mapped[int]


class SyncRunRow(Base):
    """One press of Sync for one key."""

    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    started_ms: Mapped[int]
    finished_ms: Mapped[int | None] = mapped_column(default=None)
    outcome: Mapped[str] = mapped_column(String(16), default="running")

    streams: Mapped[list[SyncRunStreamRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="SyncRunStreamRow.id"
    )


class SyncRunStreamRow(Base):
    """What one stream did during one run: pages, requests, rows, waits, error."""

    __tablename__ = "sync_run_streams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(40))
    stream: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    pages: Mapped[int] = mapped_column(default=0)
    requests: Mapped[int] = mapped_column(default=0)
    retries: Mapped[int] = mapped_column(default=0)
    new_rows: Mapped[int] = mapped_column(default=0)
    duplicate_rows: Mapped[int] = mapped_column(default=0)
    rate_limit_waits: Mapped[int] = mapped_column(default=0)
    waited_ms: Mapped[int] = mapped_column(default=0)
    error_kind: Mapped[str] = mapped_column(String(32), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")

    run: Mapped[SyncRunRow] = relationship(back_populates="streams")


class SettingRow(Base):
    """Domain settings (window geometry lives in QSettings, not here)."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ---------------------------------------------------------------------------- file imports
# Written by cryptact_desktop.imports (CSV downloads mixed with API sync; see that package).


class ImportedFileRow(Base):
    """One imported exchange file, remembered by its SHA-256 so importing it again adds nothing."""

    __tablename__ = "imported_files"
    __table_args__ = (UniqueConstraint("key_id", "sha256", name="uq_imported_files_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    # Of its rows, not its bytes: the same rows saved again (other line breaks, blank lines) match.
    content_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    file_name: Mapped[str] = mapped_column(String(300))
    format_id: Mapped[str] = mapped_column(String(48))
    size_bytes: Mapped[int]
    row_count: Mapped[int]  # data rows in the file
    record_count: Mapped[int]  # rows that are records (skipped rows excluded)
    new_count: Mapped[int]  # records this import added to the transactions table
    start_ms: Mapped[int | None] = mapped_column(default=None)  # the period the file covers
    end_ms: Mapped[int | None] = mapped_column(default=None)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    file_uid: Mapped[str] = mapped_column(String(64), default="")  # the exchange account the file names
    imported_at_ms: Mapped[int]


class FileRecordRow(Base):
    """One data row of an imported file with its own values, whatever version ``transactions`` keeps.

    ``record_key`` is the ``transactions.exchange_id`` the row is identified by: the exchange's id
    when the file has one (``exchange_id``), else a content-derived ``file:…`` key. ``status``:
    ``stored`` (that transaction exists, from this or another file, or from the API), ``kept``
    (stored, and a user ruled out a match), ``linked`` (matched to the API row
    ``linked_transaction_id``; the file's own row was not kept) or ``review`` (several API rows
    could be this one: held, not in ``transactions``, see ``match_reviews``).
    """

    __tablename__ = "file_records"
    __table_args__ = (
        UniqueConstraint("file_id", "row_number", name="uq_file_records_row"),
        Index("ix_file_records_record", "key_id", "endpoint", "record_key"),
        Index("ix_file_records_time", "key_id", "endpoint", "timestamp_ms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("imported_files.id", ondelete="CASCADE"), index=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    row_number: Mapped[int]
    endpoint: Mapped[str] = mapped_column(String(40))
    stream: Mapped[str] = mapped_column(String(40))
    exchange_id: Mapped[str] = mapped_column(String(200), default="")
    record_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="stored")
    linked_transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("transactions.id", ondelete="SET NULL"), default=None, index=True
    )
    timestamp_ms: Mapped[int]
    time_precision_ms: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(24))
    base: Mapped[str] = mapped_column(String(40), default="")
    quote: Mapped[str] = mapped_column(String(40), default="")
    side: Mapped[str] = mapped_column(String(8), default="")
    amount: Mapped[str] = mapped_column(String(64), default="")
    price: Mapped[str] = mapped_column(String(64), default="")
    price_places: Mapped[int | None] = mapped_column(default=None)
    fee: Mapped[str] = mapped_column(String(64), default="")
    fee_currency: Mapped[str] = mapped_column(String(40), default="")
    network: Mapped[str] = mapped_column(String(40), default="")
    tx_hash: Mapped[str] = mapped_column(String(200), default="")
    counter_amount: Mapped[str] = mapped_column(String(64), default="", server_default="")
    pnl: Mapped[str] = mapped_column(String(64), default="", server_default="")
    funding: Mapped[str] = mapped_column(String(64), default="", server_default="")
    note: Mapped[str] = mapped_column(String(120), default="", server_default="")
    mirror_of: Mapped[str] = mapped_column(String(40), default="", server_default="")
    compared: Mapped[str] = mapped_column(String(200), default="")  # comma-separated fields the file states
    match_json: Mapped[str] = mapped_column(Text, default="{}")  # the row as an API record
    raw_json: Mapped[str] = mapped_column(Text, default="{}")  # header -> cell, as written


class FileCoverageRow(Base):
    """A period (inclusive ms) an imported file covers for one endpoint."""

    __tablename__ = "file_coverage"
    __table_args__ = (Index("ix_file_coverage_key", "key_id", "endpoint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("imported_files.id", ondelete="CASCADE"), index=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(40))
    start_ms: Mapped[int]
    end_ms: Mapped[int]


class MatchReviewRow(Base):
    """A candidate API row for a file record that matched more than one: held until a user decides."""

    __tablename__ = "match_reviews"
    __table_args__ = (
        UniqueConstraint("key_id", "endpoint", "record_key", "transaction_id", name="uq_match_reviews"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str] = mapped_column(String(200))
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"), index=True)
    created_at_ms: Mapped[int]


class TransferClassRow(Base):
    """What the user said an outgoing transfer was (one that matched no deposit of theirs): kept by
    the entry's identity, so it survives a re-sync of the same record."""

    __tablename__ = "transfer_classes"
    __table_args__ = (UniqueConstraint("key_id", "endpoint", "exchange_id", name="uq_transfer_classes"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(40))
    exchange_id: Mapped[str] = mapped_column(String(200))
    classification: Mapped[str] = mapped_column(String(16))
    decided_at_ms: Mapped[int]
