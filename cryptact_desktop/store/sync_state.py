"""What each stream has fetched: coverage, resume points, endpoint status and the run log.

The one rule that makes syncs crash-safe: :meth:`SyncStateStore.commit_page` writes a page's rows,
the coverage they complete and the resume cursor in ONE transaction. Whatever moment a sync dies
at, the database says exactly what has been fetched, and the next sync continues from there.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from cryptact_desktop.errors import Failure, FailureKind
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.state import EndpointStatus, StreamProgress, StreamRunStats, SyncRunInfo
from cryptact_desktop.store.faults import StorageError, classify
from cryptact_desktop.store.gateway import Gateway, now_ms
from cryptact_desktop.store.models import (
    CoveredRangeRow,
    FileCoverageRow,
    KeyEndpointRow,
    StreamProgressRow,
    SyncRunRow,
    SyncRunStreamRow,
)
from cryptact_desktop.store.ranges import Range, intersect_ranges, merge_ranges


@dataclass(frozen=True, slots=True)
class PageCommit:
    """One fetched page to store: its records, the time it completes, where to resume."""

    endpoint: str
    stream: str
    records: Sequence[NormalizedRecord]
    covered: Range | None = None
    progress: StreamProgress | None = None
    window_done: int | None = None


_COVERAGE_SELECT_SQL = (
    "SELECT start_ms, end_ms FROM covered_ranges WHERE key_id = ? AND endpoint = ? AND stream = ?"
)
_COVERAGE_DELETE_SQL = "DELETE FROM covered_ranges WHERE key_id = ? AND endpoint = ? AND stream = ?"
_COVERAGE_INSERT_SQL = (
    "INSERT INTO covered_ranges (key_id, endpoint, stream, start_ms, end_ms) VALUES (?, ?, ?, ?, ?)"
)
_PROGRESS_WIDTH = 7  # the values of one resume point in _progress_upsert_sql
_PROGRESS_MOST_ROWS = 100  # resume points per statement (well inside SQLite's oldest 999 parameters)
_COUNT_SQL = "UPDATE key_endpoints SET record_count = record_count + ? WHERE key_id = ? AND endpoint = ?"
# The row tuple order of _insert_records.
_INSERT_COLUMNS = (
    "key_id, endpoint, stream, exchange_id, timestamp_ms, kind, base, quote, side, amount, price,"
    " fee, fee_currency, network, tx_hash, counter_amount, pnl, funding, note, mirror_of, source,"
    " raw_json, inserted_at_ms"
)
_INSERT_WIDTH = _INSERT_COLUMNS.count(",") + 1
# Rows per INSERT statement (fewer where SQLite allows fewer parameters): as many as possible, then
# smaller statements for the rest, so a few statement shapes serve every page size.
_INSERT_SIZES = (256, 64)


@functools.cache
def _progress_upsert_sql(rows: int) -> str:
    """Upsert of ``rows`` resume points at once (each by its window start)."""
    row = "(" + ", ".join("?" * _PROGRESS_WIDTH) + ")"
    values = ", ".join([row] * rows)
    return (
        "INSERT INTO stream_progress (key_id, endpoint, stream, window_start_ms, window_end_ms,"  # noqa: S608 - placeholders only
        f" cursor, updated_at_ms) VALUES {values}"
        " ON CONFLICT (key_id, endpoint, stream, window_start_ms) DO UPDATE SET"
        " window_end_ms = excluded.window_end_ms, cursor = excluded.cursor,"
        " updated_at_ms = excluded.updated_at_ms"
    )


@functools.cache
def _progress_delete_sql(rows: int) -> str:
    """Delete of ``rows`` resume points of one key at once."""
    return (
        "DELETE FROM stream_progress WHERE key_id = ? AND (endpoint, stream, window_start_ms)"  # noqa: S608 - placeholders only
        f" IN (VALUES {', '.join(['(?, ?, ?)'] * rows)})"
    )


@functools.cache
def _insert_ignore_sql(rows: int) -> str:
    """INSERT of ``rows`` rows at once; a row already stored (same key, endpoint, id) is skipped."""
    row = "(" + ", ".join("?" * _INSERT_WIDTH) + ")"
    return (
        f"INSERT INTO transactions ({_INSERT_COLUMNS}) VALUES {', '.join([row] * rows)}"  # noqa: S608 - placeholders only
        " ON CONFLICT (key_id, endpoint, exchange_id) DO NOTHING"
    )


class SyncStateStore(Gateway):
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
        page = PageCommit(endpoint, stream, records, covered, progress, window_done)
        return self.commit_pages(key_id, (page,), source=source)[0]

    def commit_pages(
        self, key_id: int, pages: Sequence[PageCommit], *, source: str = "api"
    ) -> list[tuple[int, int]]:
        """:meth:`commit_page` for several pages (in order) in one transaction: a busy sync's
        writer commits what its streams delivered meanwhile at once instead of page by page.

        Each stream's rows, ranges and resume points go in together (a busy sync's writer waited
        for the interpreter lock after every statement, as long as SQLite worked on it): the new
        rows of a stream are exact; within one call they are told page by page in order.
        """
        stamp = now_ms()
        results: list[tuple[int, int]] = []
        counts: dict[str, int] = {}
        with self._write_lock, self._session() as session, session.begin():
            # The hot path of every sync, in plain SQL on the driver's own cursor inside the
            # session's transaction: per statement, SQLAlchemy's result set-up cost as much as
            # SQLite's work on a page of a few rows. Storage faults are translated as the engine's
            # error hook translates them.
            driver = session.connection().connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            cursor = driver.cursor()
            try:
                new_rows = self._commit_all(cursor, key_id, pages, source, stamp)
                for page, inserted in zip(pages, new_rows, strict=True):
                    results.append((inserted, len(page.records) - inserted))
                    if inserted:
                        counts[page.endpoint] = counts.get(page.endpoint, 0) + inserted
                for endpoint, inserted in counts.items():
                    cursor.execute(_COUNT_SQL, (inserted, key_id, endpoint))
            except sqlite3.Error as exc:
                problem = classify(exc)
                if problem is None:
                    raise
                database = None if str(self.database) == ":memory:" else Path(self.database)
                raise StorageError(
                    problem, database, detail=str(getattr(exc, "sqlite_errorname", ""))
                ) from None
            finally:
                cursor.close()
        return results

    def _commit_all(
        self, cursor: sqlite3.Cursor, key_id: int, pages: Sequence[PageCommit], source: str, stamp: int
    ) -> list[int]:
        """Store ``pages``; returns each page's new rows."""
        streams: dict[tuple[str, str], list[int]] = {}
        for index, page in enumerate(pages):
            streams.setdefault((page.endpoint, page.stream), []).append(index)
        new_rows = [0] * len(pages)
        for (endpoint, stream), indices in streams.items():
            group = [pages[index] for index in indices]
            records = [record for page in group for record in page.records]
            inserted = self._insert_records(cursor, key_id, endpoint, stream, records, source, stamp)
            for index, page in zip(indices, group, strict=True):
                new_rows[index] = min(inserted, len(page.records))
                inserted -= new_rows[index]
            covered = [page.covered for page in group if page.covered is not None]
            if covered:
                self._add_coverage(cursor, key_id, endpoint, stream, covered)
        # Each resume point as the last page that touched it left it (a finished window: none).
        resume: dict[tuple[str, str, int], StreamProgress | None] = {}
        for page in pages:
            if page.window_done is not None:
                resume[(page.endpoint, page.stream, page.window_done)] = None
            if page.progress is not None:
                resume[(page.endpoint, page.stream, page.progress.window_start_ms)] = page.progress
        done = [where for where, progress in resume.items() if progress is None]
        for start in range(0, len(done), _PROGRESS_MOST_ROWS):
            gone = done[start : start + _PROGRESS_MOST_ROWS]
            cursor.execute(_progress_delete_sql(len(gone)), [key_id, *itertools.chain.from_iterable(gone)])
        upserts = [
            (key_id, endpoint, stream, window_start, p.window_end_ms, p.cursor, stamp)
            for (endpoint, stream, window_start), p in resume.items()
            if p is not None
        ]
        for start in range(0, len(upserts), _PROGRESS_MOST_ROWS):
            chunk = upserts[start : start + _PROGRESS_MOST_ROWS]
            cursor.execute(_progress_upsert_sql(len(chunk)), list(itertools.chain.from_iterable(chunk)))
        return new_rows

    @staticmethod
    def _insert_records(
        cursor: sqlite3.Cursor,
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
        rows = [
            (
                key_id,
                endpoint,
                stream,
                r.exchange_id,
                r.timestamp_ms,
                r.kind.value,
                r.base,
                r.quote,
                r.side.value,
                r.amount,
                r.price,
                r.fee,
                r.fee_currency,
                r.network,
                r.tx_hash,
                r.counter_amount,
                r.pnl,
                r.funding,
                r.note,
                r.mirror_of,
                source,
                r.raw_json(),
                stamp,
            )
            for r in records
        ]
        # Many rows per statement: SQLite runs one statement in one step, and Python's sqlite3
        # lets other threads run during each step, then takes the interpreter lock back. Row by
        # row that was a wait for the lock per row while the fetching threads held it: the writer
        # of a sync at ten times an exchange's limits spent half its time waiting.
        connection = cursor.connection
        most = max(1, connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // _INSERT_WIDTH)
        before = connection.total_changes
        start = 0
        for size in sorted({min(size, most) for size in _INSERT_SIZES}, reverse=True):
            whole = start + (len(rows) - start) // size * size
            if whole > start:
                cursor.executemany(
                    _insert_ignore_sql(size),
                    [
                        list(itertools.chain.from_iterable(rows[at : at + size]))
                        for at in range(start, whole, size)
                    ],
                )
            start = whole
        if start < len(rows):  # fewer than the smallest size: one statement
            cursor.execute(
                _insert_ignore_sql(len(rows) - start), list(itertools.chain.from_iterable(rows[start:]))
            )
        return int(connection.total_changes - before)

    @staticmethod
    def _add_coverage(
        cursor: sqlite3.Cursor, key_id: int, endpoint: str, stream: str, covered: Sequence[Range]
    ) -> None:
        """Merge the ranges ``covered`` into the stream's covered ranges."""
        where = (key_id, endpoint, stream)
        rows = cursor.execute(_COVERAGE_SELECT_SQL, where).fetchall()
        existing = [(int(r[0]), int(r[1])) for r in rows]
        merged = merge_ranges([*existing, *covered])
        if merged == sorted(existing):
            return  # already covered
        cursor.execute(_COVERAGE_DELETE_SQL, where)
        cursor.executemany(_COVERAGE_INSERT_SQL, [(*where, start, end) for start, end in merged])

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
