"""All reads and writes of the local database. Returns plain frozen data (see ``state``).

The one rule that makes syncs crash-safe: :meth:`Store.commit_page` writes a page's rows, the
coverage they complete and the resume cursor in ONE transaction. Whatever moment a sync dies
at, the database says exactly what has been fetched, and the next sync continues from there.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from cryptact_desktop.db import migrate, open_engine
from cryptact_desktop.errors import Failure, FailureKind
from cryptact_desktop.models import (
    ApiKeyRow,
    CoveredRangeRow,
    FileCoverageRow,
    KeyEndpointRow,
    SettingRow,
    StreamProgressRow,
    SyncRunRow,
    SyncRunStreamRow,
    TransactionRow,
)
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.state import (
    EndpointState,
    EndpointStatus,
    KeyConfig,
    KeyVerificationInfo,
    NewKey,
    StreamProgress,
    StreamRunStats,
    SyncRunInfo,
    TransactionFilter,
    TransactionView,
)

Range = tuple[int, int]
_INSERT_IGNORE = sqlite_insert(TransactionRow).on_conflict_do_nothing(
    index_elements=["key_id", "endpoint", "exchange_id"]
)


class _Unset:
    """Marks an argument that was not given (where None is a meaningful value)."""


UNSET = _Unset()


def now_ms() -> int:
    return int(time.time() * 1000)


def transaction_values(
    key_id: int,
    endpoint: str,
    stream: str,
    exchange_id: str,
    record: NormalizedRecord,
    source: str,
    raw_json: str,
    stamp: int,
) -> dict[str, Any]:
    """The column values of one ``transactions`` row (for the bulk inserts of API and file rows)."""
    return {
        "key_id": key_id,
        "endpoint": endpoint,
        "stream": stream,
        "exchange_id": exchange_id,
        "timestamp_ms": record.timestamp_ms,
        "kind": record.kind.value,
        "base": record.base,
        "quote": record.quote,
        "side": record.side.value,
        "amount": record.amount,
        "price": record.price,
        "fee": record.fee,
        "fee_currency": record.fee_currency,
        "network": record.network,
        "tx_hash": record.tx_hash,
        "counter_amount": record.counter_amount,
        "pnl": record.pnl,
        "funding": record.funding,
        "note": record.note,
        "mirror_of": record.mirror_of,
        "source": source,
        "raw_json": raw_json,
        "inserted_at_ms": stamp,
    }


def merge_ranges(ranges: Iterable[Range]) -> list[Range]:
    """Merge overlapping or touching inclusive ranges: [(1,5),(6,9)] -> [(1,9)]."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def intersect_ranges(a: Sequence[Range], b: Sequence[Range]) -> list[Range]:
    """The parts of inclusive, merged ``a`` that are also in merged ``b``."""
    out: list[Range] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start <= end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def missing_ranges(wanted: Range, covered: Sequence[Range]) -> list[Range]:
    """The parts of inclusive ``wanted`` not inside any of ``covered`` (which must be merged)."""
    start, end = wanted
    gaps: list[Range] = []
    cursor = start
    for c_start, c_end in covered:
        if c_end < cursor:
            continue
        if c_start > end:
            break
        if c_start > cursor:
            gaps.append((cursor, min(end, c_start - 1)))
        cursor = max(cursor, c_end + 1)
        if cursor > end:
            break
    if cursor <= end:
        gaps.append((cursor, end))
    return gaps


def _failure_from_row(row: KeyEndpointRow) -> Failure | None:
    if not row.error_kind:
        return None
    try:
        kind = FailureKind(row.error_kind)
    except ValueError:
        kind = FailureKind.UNEXPECTED_RESPONSE
    return Failure(kind=kind, message=row.error_message, hint=row.error_hint, code=row.error_code)


def _key_config(row: ApiKeyRow) -> KeyConfig:
    endpoints = tuple(
        EndpointState(
            endpoint=e.endpoint,
            enabled=e.enabled,
            status=EndpointStatus(e.status),
            last_success_ms=e.last_success_ms,
            last_attempt_ms=e.last_attempt_ms,
            failure=_failure_from_row(e),
            record_count=e.record_count,
            unreachable_from_ms=e.unreachable_from_ms,
            unreachable_to_ms=e.unreachable_to_ms,
        )
        for e in row.endpoints
    )
    return KeyConfig(
        id=row.id,
        exchange=row.exchange,
        label=row.label,
        subaccount=row.subaccount,
        host_id=row.host_id,
        base_url=row.base_url,
        sync_from_ms=row.sync_from_ms,
        paused=row.paused,
        key_hint=row.key_hint,
        verification=KeyVerificationInfo(
            read_only=row.read_only,
            permissions=tuple(p for p in row.permissions.split(",") if p),
            exchange_user_id=row.exchange_user_id,
            is_master=row.is_master,
            expires_at_ms=row.expires_at_ms,
            verified_at_ms=row.verified_at_ms,
        ),
        endpoints=endpoints,
        created_at_ms=row.created_at_ms,
        updated_at_ms=row.updated_at_ms,
    )


def transaction_view(row: Any) -> TransactionView:
    """A TransactionView from a ``TransactionRow`` or any Core row with the same columns."""
    return TransactionView(
        id=row.id,
        key_id=row.key_id,
        endpoint=row.endpoint,
        stream=row.stream,
        exchange_id=row.exchange_id,
        timestamp_ms=row.timestamp_ms,
        kind=row.kind,
        base=row.base,
        quote=row.quote,
        side=row.side,
        amount=row.amount,
        price=row.price,
        fee=row.fee,
        fee_currency=row.fee_currency,
        network=row.network,
        tx_hash=row.tx_hash,
        source=row.source,
        counter_amount=row.counter_amount,
        pnl=row.pnl,
        funding=row.funding,
        note=row.note,
        mirror_of=row.mirror_of,
    )


class Store:
    """The database of one data directory. Thread-safe: each call uses its own session."""

    def __init__(self, database: Path | str, *, run_migrations: bool = True) -> None:
        self.database = database
        self.engine = open_engine(database)
        if run_migrations:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.Lock()  # one writer at a time: no SQLITE_BUSY between our threads

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        return self._sessions()

    # ------------------------------------------------------------------ keys

    def add_key(self, new: NewKey) -> int:
        stamp = now_ms()
        with self._write_lock, self._session() as session, session.begin():
            row = ApiKeyRow(
                exchange=new.exchange,
                label=new.label,
                subaccount=new.subaccount,
                host_id=new.host_id,
                base_url=new.base_url,
                sync_from_ms=new.sync_from_ms,
                paused=False,
                key_hint=new.key_hint,
                permissions="",
                exchange_user_id="",
                created_at_ms=stamp,
                updated_at_ms=stamp,
            )
            row.endpoints = [
                KeyEndpointRow(endpoint=endpoint, position=i, enabled=True, status=EndpointStatus.NEVER.value)
                for i, endpoint in enumerate(new.endpoints)
            ]
            session.add(row)
            session.flush()
            return row.id

    def get_key(self, key_id: int) -> KeyConfig:
        with self._session() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise KeyError(f"no key with id {key_id}")
            return _key_config(row)

    def list_keys(self) -> list[KeyConfig]:
        with self._session() as session:
            rows = session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id)).all()
            return [_key_config(row) for row in rows]

    def update_key(
        self,
        key_id: int,
        *,
        label: str | None = None,
        subaccount: str | None = None,
        host_id: str | None = None,
        base_url: str | None = None,
        sync_from_ms: int | None | _Unset = UNSET,
        paused: bool | None = None,
        key_hint: str | None = None,
        endpoints: Sequence[str] | None = None,
    ) -> KeyConfig:
        """Change a key's settings. ``endpoints`` is the new set of enabled endpoints: disabled
        ones keep their state and transactions (re-enabling resumes them)."""
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise KeyError(f"no key with id {key_id}")
            if label is not None:
                row.label = label
            if subaccount is not None:
                row.subaccount = subaccount
            if host_id is not None:
                row.host_id = host_id
            if base_url is not None:
                row.base_url = base_url
            if not isinstance(sync_from_ms, _Unset):
                row.sync_from_ms = sync_from_ms
            if paused is not None:
                row.paused = paused
            if key_hint is not None:
                row.key_hint = key_hint
            if endpoints is not None:
                existing = {e.endpoint: e for e in row.endpoints}
                for e in row.endpoints:
                    e.enabled = e.endpoint in endpoints
                for i, endpoint in enumerate(endpoints):
                    if endpoint in existing:
                        existing[endpoint].position = i
                    else:
                        row.endpoints.append(
                            KeyEndpointRow(endpoint=endpoint, position=i, enabled=True, status="never")
                        )
            row.updated_at_ms = now_ms()
            session.flush()
            return _key_config(row)

    def record_verification(
        self,
        key_id: int,
        *,
        read_only: bool | None,
        permissions: Sequence[str],
        exchange_user_id: str,
        is_master: bool | None,
        expires_at_ms: int | None,
    ) -> None:
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise KeyError(f"no key with id {key_id}")
            row.read_only = read_only
            row.permissions = ",".join(permissions)
            row.exchange_user_id = exchange_user_id
            row.is_master = is_master
            row.expires_at_ms = expires_at_ms
            row.verified_at_ms = now_ms()

    def remove_key(self, key_id: int, *, delete_transactions: bool) -> None:
        """Delete a key. Its transactions go with it unless ``delete_transactions`` is False,
        in which case they are kept under a paused, endpoint-less key labelled as removed."""
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                return
            if delete_transactions:
                session.delete(row)
                return
            # Keep the rows (they reference the key): retire the key instead of deleting it.
            row.paused = True
            row.label = f"{row.label} (removed)" if not row.label.endswith("(removed)") else row.label
            for endpoint in row.endpoints:
                endpoint.enabled = False
            session.execute(delete(StreamProgressRow).where(StreamProgressRow.key_id == key_id))
            row.updated_at_ms = now_ms()

    # ------------------------------------------------------------------ coverage & pages

    def coverage(self, key_id: int, endpoint: str, stream: str) -> list[Range]:
        with self._session() as session:
            rows = session.execute(
                select(CoveredRangeRow.start_ms, CoveredRangeRow.end_ms)
                .where(
                    CoveredRangeRow.key_id == key_id,
                    CoveredRangeRow.endpoint == endpoint,
                    CoveredRangeRow.stream == stream,
                )
                .order_by(CoveredRangeRow.start_ms)
            ).all()
            return merge_ranges((r[0], r[1]) for r in rows)

    def stream_ids(self, key_id: int, endpoint: str) -> list[str]:
        """The streams of an endpoint that hold coverage or a resume point (synced before)."""
        with self._session() as session:
            covered = select(CoveredRangeRow.stream).where(
                CoveredRangeRow.key_id == key_id, CoveredRangeRow.endpoint == endpoint
            )
            pending = select(StreamProgressRow.stream).where(
                StreamProgressRow.key_id == key_id, StreamProgressRow.endpoint == endpoint
            )
            return sorted(set(session.scalars(covered.distinct())) | set(session.scalars(pending.distinct())))

    def file_coverage(self, key_id: int, endpoint: str) -> list[Range]:
        """The periods imported files cover for an endpoint of a key (merged)."""
        with self._session() as session:
            rows = session.execute(
                select(FileCoverageRow.start_ms, FileCoverageRow.end_ms).where(
                    FileCoverageRow.key_id == key_id, FileCoverageRow.endpoint == endpoint
                )
            ).all()
            return merge_ranges((r[0], r[1]) for r in rows)

    def endpoint_coverage(self, key_id: int, endpoint: str, streams: Sequence[str]) -> list[Range]:
        """When an endpoint of a key is complete: where every one of ``streams`` is covered by the
        API, or an imported file covers the endpoint (merged ranges)."""
        api: list[Range] | None = None
        for stream in streams:
            ranges = self.coverage(key_id, endpoint, stream)
            api = ranges if api is None else intersect_ranges(api, ranges)
        return merge_ranges([*(api or []), *self.file_coverage(key_id, endpoint)])

    def progress(self, key_id: int, endpoint: str, stream: str) -> list[StreamProgress]:
        """The unfinished windows of a stream, oldest first."""
        with self._session() as session:
            rows = session.scalars(
                select(StreamProgressRow)
                .where(
                    StreamProgressRow.key_id == key_id,
                    StreamProgressRow.endpoint == endpoint,
                    StreamProgressRow.stream == stream,
                )
                .order_by(StreamProgressRow.window_start_ms)
            ).all()
            return [StreamProgress(r.window_start_ms, r.window_end_ms, r.cursor) for r in rows]

    def commit_page(
        self,
        key_id: int,
        endpoint: str,
        stream: str,
        records: Sequence[NormalizedRecord],
        *,
        covered: Range | None,
        progress: StreamProgress | None = None,
        window_done: int | None = None,
        source: str = "api",
    ) -> tuple[int, int]:
        """Store a page's records, the range they complete and the resume point, atomically.

        ``covered``: an inclusive time range now fully fetched (merged into the stream's coverage).
        ``progress``: where to resume an unfinished window (upserted by its window start).
        ``window_done``: the start of a window that is now finished (its resume point is dropped).
        Returns (new rows, rows already present).
        """
        stamp = now_ms()
        with self._write_lock, self._session() as session, session.begin():
            inserted = self._insert_records(session, key_id, endpoint, stream, records, source, stamp)
            if covered is not None:
                self._add_coverage(session, key_id, endpoint, stream, covered)
            if window_done is not None:
                done = session.get(StreamProgressRow, (key_id, endpoint, stream, window_done))
                if done is not None:
                    session.delete(done)
            if progress is not None:
                existing = session.get(
                    StreamProgressRow, (key_id, endpoint, stream, progress.window_start_ms)
                )
                if existing is None:
                    session.add(
                        StreamProgressRow(
                            key_id=key_id,
                            endpoint=endpoint,
                            stream=stream,
                            window_start_ms=progress.window_start_ms,
                            window_end_ms=progress.window_end_ms,
                            cursor=progress.cursor,
                            updated_at_ms=stamp,
                        )
                    )
                else:
                    existing.window_end_ms = progress.window_end_ms
                    existing.cursor = progress.cursor
                    existing.updated_at_ms = stamp
            if inserted:
                endpoint_row = session.get(KeyEndpointRow, (key_id, endpoint))
                if endpoint_row is not None:
                    endpoint_row.record_count += inserted
            return inserted, len(records) - inserted

    @staticmethod
    def _insert_records(
        session: Session,
        key_id: int,
        endpoint: str,
        stream: str,
        records: Sequence[NormalizedRecord],
        source: str,
        stamp: int,
    ) -> int:
        """INSERT … ON CONFLICT DO NOTHING as one executemany of a cached statement; the number
        of rows actually inserted comes from SQLite's change counter."""
        if not records:
            return 0
        values = [
            transaction_values(key_id, endpoint, stream, r.exchange_id, r, source, r.raw_json(), stamp)
            for r in records
        ]
        connection = session.connection()
        before = int(connection.exec_driver_sql("SELECT total_changes()").scalar_one())
        connection.execute(_INSERT_IGNORE, values)
        return int(connection.exec_driver_sql("SELECT total_changes()").scalar_one()) - before

    @staticmethod
    def _add_coverage(session: Session, key_id: int, endpoint: str, stream: str, covered: Range) -> None:
        where = (
            CoveredRangeRow.key_id == key_id,
            CoveredRangeRow.endpoint == endpoint,
            CoveredRangeRow.stream == stream,
        )
        rows = session.execute(select(CoveredRangeRow.start_ms, CoveredRangeRow.end_ms).where(*where)).all()
        merged = merge_ranges([*((r[0], r[1]) for r in rows), covered])
        session.execute(delete(CoveredRangeRow).where(*where))
        session.add_all(
            CoveredRangeRow(key_id=key_id, endpoint=endpoint, stream=stream, start_ms=s, end_ms=e)
            for s, e in merged
        )

    # ------------------------------------------------------------------ endpoint status

    def mark_syncing(self, key_id: int, endpoints: Sequence[str]) -> None:
        stamp = now_ms()
        with self._write_lock, self._session() as session, session.begin():
            for endpoint in endpoints:
                row = session.get(KeyEndpointRow, (key_id, endpoint))
                if row is not None:
                    row.status = EndpointStatus.SYNCING.value
                    row.last_attempt_ms = stamp

    def finish_endpoint(
        self,
        key_id: int,
        endpoint: str,
        *,
        status: EndpointStatus,
        failure: Failure | None,
        success_ms: int | None,
        unreachable: Range | None,
    ) -> None:
        """Record how an endpoint's sync ended. A cancelled endpoint passes its previous status."""
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(KeyEndpointRow, (key_id, endpoint))
            if row is None:
                return
            row.status = status.value
            if success_ms is not None:
                row.last_success_ms = success_ms
            if failure is None:
                row.error_kind = row.error_code = row.error_message = row.error_hint = ""
            else:
                row.error_kind = failure.kind.value
                row.error_code = failure.code
                row.error_message = failure.message
                row.error_hint = failure.hint
            if unreachable is None:
                row.unreachable_from_ms = row.unreachable_to_ms = None
            else:
                row.unreachable_from_ms, row.unreachable_to_ms = unreachable

    def reset_stale_syncing(self, key_ids: Iterable[int] | None = None) -> int:
        """Endpoints left 'syncing' by a crashed process go back to 'never'/'ok'/'failed'.

        Their coverage is intact; only the status flag is stale. ``key_ids`` limits the reset to
        keys no live process is syncing (see ``AppService.recover_interrupted_syncs``).
        Returns how many were reset.
        """
        with self._write_lock, self._session() as session, session.begin():
            query = select(KeyEndpointRow).where(KeyEndpointRow.status == "syncing")
            runs = select(SyncRunRow).where(SyncRunRow.outcome == "running")
            if key_ids is not None:
                ids = list(key_ids)
                query = query.where(KeyEndpointRow.key_id.in_(ids))
                runs = runs.where(SyncRunRow.key_id.in_(ids))
            rows = session.scalars(query).all()
            for row in rows:
                row.status = (
                    EndpointStatus.FAILED.value
                    if row.error_kind
                    else (EndpointStatus.OK.value if row.last_success_ms else EndpointStatus.NEVER.value)
                )
            for run in session.scalars(runs).all():
                run.outcome = "interrupted"
            return len(rows)

    # ------------------------------------------------------------------ run log

    def start_run(self, key_id: int) -> int:
        with self._write_lock, self._session() as session, session.begin():
            run = SyncRunRow(key_id=key_id, started_ms=now_ms(), outcome="running")
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, outcome: str, streams: Sequence[StreamRunStats]) -> None:
        with self._write_lock, self._session() as session, session.begin():
            run = session.get(SyncRunRow, run_id)
            if run is None:
                return
            run.finished_ms = now_ms()
            run.outcome = outcome
            for s in streams:
                run.streams.append(
                    SyncRunStreamRow(
                        endpoint=s.endpoint,
                        stream=s.stream,
                        status=s.status,
                        pages=s.pages,
                        requests=s.requests,
                        retries=s.retries,
                        new_rows=s.new_rows,
                        duplicate_rows=s.duplicate_rows,
                        rate_limit_waits=s.rate_limit_waits,
                        waited_ms=s.waited_ms,
                        error_kind=s.failure.kind.value if s.failure else "",
                        error_message=s.failure.message if s.failure else "",
                    )
                )

    def runs(self, key_id: int, limit: int = 20) -> list[SyncRunInfo]:
        with self._session() as session:
            rows = session.scalars(
                select(SyncRunRow)
                .where(SyncRunRow.key_id == key_id)
                .order_by(SyncRunRow.id.desc())
                .limit(limit)
            ).all()
            return [
                SyncRunInfo(
                    id=r.id,
                    key_id=r.key_id,
                    started_ms=r.started_ms,
                    finished_ms=r.finished_ms,
                    outcome=r.outcome,
                    streams=tuple(
                        StreamRunStats(
                            endpoint=s.endpoint,
                            stream=s.stream,
                            status=s.status,
                            pages=s.pages,
                            requests=s.requests,
                            retries=s.retries,
                            new_rows=s.new_rows,
                            duplicate_rows=s.duplicate_rows,
                            rate_limit_waits=s.rate_limit_waits,
                            waited_ms=s.waited_ms,
                            failure=(
                                Failure(FailureKind(s.error_kind), s.error_message, "")
                                if s.error_kind
                                else None
                            ),
                        )
                        for s in r.streams
                    ),
                )
                for r in rows
            ]

    # ------------------------------------------------------------------ transactions

    @staticmethod
    def _filtered(statement: Select[Any], flt: TransactionFilter) -> Select[Any]:
        if flt.key_ids:
            statement = statement.where(TransactionRow.key_id.in_(flt.key_ids))
        if flt.endpoints:
            statement = statement.where(TransactionRow.endpoint.in_(flt.endpoints))
        if flt.kinds:
            statement = statement.where(TransactionRow.kind.in_(flt.kinds))
        if flt.asset:
            asset = flt.asset.upper()
            statement = statement.where(
                or_(
                    TransactionRow.base == asset,
                    TransactionRow.quote == asset,
                    TransactionRow.fee_currency == asset,
                )
            )
        if flt.from_ms is not None:
            statement = statement.where(TransactionRow.timestamp_ms >= flt.from_ms)
        if flt.to_ms is not None:
            statement = statement.where(TransactionRow.timestamp_ms <= flt.to_ms)
        return statement

    def count_transactions(self, flt: TransactionFilter | None = None) -> int:
        flt = flt or TransactionFilter()
        with self._session() as session:
            inner = self._filtered(select(TransactionRow), flt).subquery()
            return int(session.scalar(select(func.count()).select_from(inner)) or 0)

    def transactions(
        self, flt: TransactionFilter | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[TransactionView]:
        flt = flt or TransactionFilter()
        order = (
            (TransactionRow.timestamp_ms.desc(), TransactionRow.id.desc())
            if flt.newest_first
            else (TransactionRow.timestamp_ms.asc(), TransactionRow.id.asc())
        )
        with self._session() as session:
            statement = self._filtered(select(TransactionRow), flt).order_by(*order).offset(offset)
            if limit is not None:
                statement = statement.limit(limit)
            return [transaction_view(row) for row in session.scalars(statement)]

    def iter_transactions(
        self, flt: TransactionFilter | None = None, *, batch: int = 2000
    ) -> Iterator[tuple[TransactionView, str]]:
        """Every matching transaction with its raw JSON, streamed in batches (keyset pagination)."""
        flt = flt or TransactionFilter(newest_first=False)
        last: tuple[int, int] | None = None
        while True:
            with self._session() as session:
                statement = self._filtered(select(TransactionRow), flt)
                if last is not None:
                    statement = statement.where(
                        or_(
                            TransactionRow.timestamp_ms > last[0],
                            (TransactionRow.timestamp_ms == last[0]) & (TransactionRow.id > last[1]),
                        )
                    )
                rows = session.scalars(
                    statement.order_by(TransactionRow.timestamp_ms, TransactionRow.id).limit(batch)
                ).all()
                if not rows:
                    return
                for row in rows:
                    yield transaction_view(row), row.raw_json
                last = (rows[-1].timestamp_ms, rows[-1].id)

    def iter_inserted_after(
        self,
        *,
        inserted_after_ms: int,
        dated_before_ms: int,
        key_ids: Sequence[int] = (),
        batch: int = 5000,
    ) -> Iterator[TransactionView]:
        """Transactions stored after ``inserted_after_ms`` but dated before ``dated_before_ms``
        (what a sync added behind an export's watermark), oldest first, in keyset batches."""
        t = TransactionRow
        last: tuple[int, int] | None = None
        while True:
            statement = select(t).where(
                t.inserted_at_ms > inserted_after_ms, t.timestamp_ms < dated_before_ms
            )
            if key_ids:
                statement = statement.where(t.key_id.in_(tuple(key_ids)))
            if last is not None:
                statement = statement.where(
                    (t.timestamp_ms > last[0]) | ((t.timestamp_ms == last[0]) & (t.id > last[1]))
                )
            with self._session() as session:
                rows = session.scalars(statement.order_by(t.timestamp_ms, t.id).limit(batch)).all()
                if not rows:
                    return
                views = [transaction_view(row) for row in rows]
            yield from views
            last = (views[-1].timestamp_ms, views[-1].id)

    def transaction_identities(self, key_id: int) -> set[tuple[str, str]]:
        """{(endpoint, exchange_id)} of a key — for tests and reconciliation."""
        with self._session() as session:
            rows = session.execute(
                select(TransactionRow.endpoint, TransactionRow.exchange_id).where(
                    TransactionRow.key_id == key_id
                )
            ).all()
            return {(r[0], r[1]) for r in rows}

    # ------------------------------------------------------------------ settings

    def setting(self, name: str, default: str = "") -> str:
        with self._session() as session:
            row = session.get(SettingRow, name)
            return default if row is None else row.value

    def set_setting(self, name: str, value: str) -> None:
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(SettingRow, name)
            if row is None:
                session.add(SettingRow(name=name, value=value))
            else:
                row.value = value

    # The entry fields a new normaliser version may write differently (identity, time and the
    # file's own base/quote/price stay as stored).
    _ENTRY_FIELDS = ("kind", "counter_amount", "pnl", "funding", "note", "mirror_of")

    def refresh_entries(
        self,
        exchange: str,
        version: int,
        renormalize: Callable[[str, str, Mapping[str, Any]], NormalizedRecord | None] | None,
        *,
        batch: int = 2000,
    ) -> int:
        """Re-derive the entries of ``exchange``'s keys from their raw records when its normaliser
        version is newer than the one that stored them. Returns how many rows changed."""
        setting = f"normalizer_version.{exchange}"
        if self.setting(setting) == str(version):
            return 0
        changed = 0
        with self._session() as session:
            key_ids = list(session.scalars(select(ApiKeyRow.id).where(ApiKeyRow.exchange == exchange)))
        last_id = 0
        while renormalize is not None and key_ids:
            with self._session() as session:
                rows = session.execute(
                    select(
                        TransactionRow.id,
                        TransactionRow.endpoint,
                        TransactionRow.stream,
                        TransactionRow.raw_json,
                        *(getattr(TransactionRow, name) for name in self._ENTRY_FIELDS),
                    )
                    .where(TransactionRow.key_id.in_(key_ids), TransactionRow.id > last_id)
                    .order_by(TransactionRow.id)
                    .limit(batch)
                ).all()
            if not rows:
                break
            last_id = rows[-1][0]
            updates: list[dict[str, Any]] = []
            for row in rows:
                try:
                    raw = json.loads(row[3] or "{}")
                except ValueError:
                    continue
                if not isinstance(raw, dict):
                    continue
                raw.pop("_file", None)
                record = renormalize(row[1], row[2], raw)
                if record is None:
                    continue
                values = {
                    "kind": record.kind.value,
                    **{name: getattr(record, name) for name in self._ENTRY_FIELDS[1:]},
                }
                if tuple(values[name] for name in self._ENTRY_FIELDS) != tuple(row[4:]):
                    updates.append({"row_id": row[0], **values})
            if updates:
                statement = (
                    update(TransactionRow)
                    .where(TransactionRow.id == bindparam("row_id"))
                    .values({name: bindparam(name) for name in self._ENTRY_FIELDS})
                )
                with self._write_lock, self._session() as session, session.begin():
                    session.connection().execute(statement, updates)
                changed += len(updates)
        self.set_setting(setting, str(version))
        return changed

    def dump_json(self) -> str:
        """A canonical dump of every transaction and coverage (test helper for crash-equivalence)."""
        with self._session() as session:
            txs = session.execute(
                select(
                    TransactionRow.key_id,
                    TransactionRow.endpoint,
                    TransactionRow.exchange_id,
                    TransactionRow.timestamp_ms,
                    TransactionRow.kind,
                    TransactionRow.amount,
                    TransactionRow.raw_json,
                ).order_by(TransactionRow.key_id, TransactionRow.endpoint, TransactionRow.exchange_id)
            ).all()
            return json.dumps([list(t) for t in txs])
