"""Stored transactions: filtered pages, streams for exports, identities, entry refresh."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, literal, or_, select, tuple_, update

from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.state import TransactionFilter, TransactionView
from cryptact_desktop.store.events import earlier_keys, hidden_condition, recount_hidden, same_account
from cryptact_desktop.store.faults import from_sqlite_error
from cryptact_desktop.store.models import ApiKeyRow, FileRecordRow, TransactionRow
from cryptact_desktop.store.rows import VIEW_FIELDS, transaction_view
from cryptact_desktop.store.settings import SettingsStore


class TransactionsStore(SettingsStore):
    @staticmethod
    def _filtered(
        statement: Select[Any], flt: TransactionFilter, earlier: Mapping[int, tuple[int, ...]] | None = None
    ) -> Select[Any]:
        """``statement`` narrowed to ``flt``. Unless the filter asks for every source, rows that
        are not events of their own are left out (:mod:`.events`; ``earlier`` is
        :func:`.events.earlier_keys`, needed for the keys-of-one-account rule)."""
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
        copies = not flt.with_sources
        duplicates = flt.same_account_once and bool(earlier)
        if copies or duplicates:
            statement = statement.where(
                ~hidden_condition(earlier or {}, copies=copies, duplicates=duplicates)
            )
        return statement

    def count_transactions(self, flt: TransactionFilter | None = None) -> int:
        flt = flt or TransactionFilter()
        with self._session() as session:
            inner = self._filtered(select(TransactionRow), flt, earlier_keys(session)).subquery()
            return int(session.scalar(select(func.count()).select_from(inner)) or 0)

    def time_quantiles(self, flt: TransactionFilter, parts: int, total: int) -> list[int]:
        """The times of the entries at 1/parts, 2/parts, … of the ``total`` entries ``flt`` selects
        (:meth:`count_transactions`), in time order (``parts - 1`` of them, fewer when it selects
        fewer entries): where to cut it into runs of about equal size. Walks the time index, so
        each costs a scan of up to the whole selection (a million rows: well under a second)."""
        with self._session() as session:
            times = self._filtered(select(TransactionRow.timestamp_ms), flt, earlier_keys(session)).order_by(
                TransactionRow.timestamp_ms, TransactionRow.id
            )
            found = []
            for part in range(1, parts):
                position = total * part // parts
                if 0 < position < total:
                    value = session.scalar(times.offset(position).limit(1))
                    if value is not None:
                        found.append(int(value))
            return found

    def transactions(
        self,
        flt: TransactionFilter | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
        after: tuple[int, int] | None = None,
    ) -> list[TransactionView]:
        """A page of matching transactions in the filter's time order (ties by id): one row per
        economic event unless ``flt`` asks for every source (``with_sources``).

        ``after`` is the (time, id) of the last row of the previous page: the next page starts
        behind it by walking the time index (keyset paging), so a page deep in a million rows
        costs what the first one does; ``offset`` skips rows one by one.
        """
        flt = flt or TransactionFilter()
        order = (
            (TransactionRow.timestamp_ms.desc(), TransactionRow.id.desc())
            if flt.newest_first
            else (TransactionRow.timestamp_ms.asc(), TransactionRow.id.asc())
        )
        # Plain tuples, not ORM objects (which also load the raw JSON): the transactions view
        # asks for a page as the user scrolls, and the window competes with the page's reading
        # for the interpreter lock (a page of 500 on a million rows: 17-21 ms as ORM rows, 5-10).
        columns = [getattr(TransactionRow, name) for name in VIEW_FIELDS]
        with self._session() as session:
            statement = self._filtered(select(*columns), flt, earlier_keys(session))
        if after is not None:
            position = tuple_(TransactionRow.timestamp_ms, TransactionRow.id)
            mark = tuple_(literal(after[0]), literal(after[1]))
            statement = statement.where(position < mark if flt.newest_first else position > mark)
        statement = statement.order_by(*order).offset(offset)
        if limit is not None:
            statement = statement.limit(limit)
        return list(map(TransactionView._make, self._fetch_tuples(statement)))

    def iter_transactions(
        self, flt: TransactionFilter | None = None, *, batch: int = 2000
    ) -> Iterator[tuple[TransactionView, str]]:
        """Every matching transaction with its raw JSON, oldest first, streamed in batches."""
        for row in self._keyset(flt or TransactionFilter(newest_first=False), batch, with_raw=True):
            yield TransactionView._make(row[:-1]), str(row[-1])

    def iter_views(
        self, flt: TransactionFilter | None = None, *, batch: int = 5000
    ) -> Iterator[TransactionView]:
        """Every matching transaction (without its raw JSON), oldest first, streamed in batches."""
        # _make: the named tuple straight from the row (checked for length), without a call of its
        # keyword-taking constructor per row: 0.44 s instead of 0.67-0.73 s for a million rows.
        yield from map(
            TransactionView._make,
            self._keyset(flt or TransactionFilter(newest_first=False), batch, with_raw=False),
        )

    # Copies are written at the moment of the event they copy (the venue's own times may differ by
    # a few milliseconds between its lists).
    SOURCE_TOLERANCE_MS = 1000

    def sources_of(self, transaction_id: int) -> list[TransactionView]:
        """The other stored rows of the economic event ``transaction_id`` is (oldest first):

        * for an entry: the copies of it its key holds from another endpoint (``mirror_of`` names
          the entry's endpoint; same moment, one of the entry's currencies) — for a copy, the
          entries it copies;
        * the same record (endpoint and exchange record id) held by other keys of its account.

        The Transactions view shows one row per event; this is what "show sources" lists.
        """
        t = TransactionRow
        with self._session() as session:
            row = session.get(TransactionRow, transaction_id)
            if row is None:
                raise KeyError(f"no transaction with id {transaction_id}")
            near = t.timestamp_ms.between(
                row.timestamp_ms - self.SOURCE_TOLERANCE_MS, row.timestamp_ms + self.SOURCE_TOLERANCE_MS
            )
            if row.mirror_of:
                mirrored = and_(
                    t.endpoint == row.mirror_of,
                    or_(t.base == row.base, t.quote == row.base, t.fee_currency == row.base),
                )
            else:
                currencies = [c for c in (row.base, row.quote, row.fee_currency) if c]
                mirrored = and_(t.mirror_of == row.endpoint, t.base.in_(currencies))
            found = list(
                session.scalars(
                    select(t)
                    .where(t.key_id == row.key_id, t.id != row.id, near, mirrored)
                    .order_by(t.timestamp_ms, t.id)
                )
            )
            siblings = [k for k in same_account(session, row.key_id) if k != row.key_id]
            if siblings:
                found += session.scalars(
                    select(t)
                    .where(
                        t.key_id.in_(siblings), t.endpoint == row.endpoint, t.exchange_id == row.exchange_id
                    )
                    .order_by(t.key_id)
                )
            return [transaction_view(r) for r in found]

    def refresh_counts(self, key_ids: Iterable[int] | None = None) -> None:
        """Bring the key list's counts up to date (:mod:`.events`) for ``key_ids`` and every key
        of their accounts (all keys when None). Called after a sync, an import, and whenever a
        key is added, removed or verified."""
        with self.write_session() as session:
            if key_ids is None:
                recount_hidden(session)
                return
            affected: set[int] = set()
            for key_id in key_ids:
                affected.update(same_account(session, key_id))
            recount_hidden(session, affected)

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
        flt = TransactionFilter(key_ids=tuple(key_ids), to_ms=dated_before_ms - 1, newest_first=False)
        extra = TransactionRow.inserted_at_ms > inserted_after_ms
        for row in self._keyset(flt, batch, with_raw=False, where=extra):
            yield TransactionView._make(row)

    def _keyset(
        self, flt: TransactionFilter, batch: int, *, with_raw: bool, where: Any = None
    ) -> Iterator[Any]:
        """Rows ordered by (time, id), one batch per query from where the last batch ended: the
        (time, id) row-value comparison walks the time index, so every batch costs the same however
        far into the table it is."""
        # The view's fields in order (a row becomes a view positionally), then the raw JSON if asked.
        columns = [getattr(TransactionRow, name) for name in VIEW_FIELDS]
        if with_raw:
            columns.append(TransactionRow.raw_json)
        position = tuple_(TransactionRow.timestamp_ms, TransactionRow.id)
        with self._session() as session:
            earlier = earlier_keys(session)
        last: tuple[int, int] | None = None
        while True:
            statement = self._filtered(select(*columns), flt, earlier)
            if where is not None:
                statement = statement.where(where)
            if last is not None:
                statement = statement.where(position > tuple_(literal(last[0]), literal(last[1])))
            statement = statement.order_by(TransactionRow.timestamp_ms, TransactionRow.id).limit(batch)
            rows = self._fetch_tuples(statement)
            if not rows:
                return
            yield from rows
            last = (rows[-1][VIEW_FIELDS.index("timestamp_ms")], rows[-1][0])

    def _fetch_tuples(self, statement: Select[Any]) -> list[tuple[Any, ...]]:
        """The rows of ``statement`` as plain tuples, straight from the driver (the export reads a
        million rows: SQLAlchemy's row objects would cost a third of its time)."""
        compiled = statement.compile(dialect=self.engine.dialect, compile_kwargs={"render_postcompile": True})
        values = compiled.construct_params()
        arguments = [values[name] for name in compiled.positiontup or ()]
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(str(compiled), arguments)
            return list(cursor.fetchall())
        except sqlite3.Error as error:  # outside SQLAlchemy's error hook: translated here
            fault = from_sqlite_error(
                error, None if str(self.database) == ":memory:" else Path(self.database)
            )
            if fault is None:
                raise
            raise fault from None
        finally:
            connection.close()

    def transaction_identities(self, key_id: int) -> set[tuple[str, str]]:
        """{(endpoint, exchange_id)} of a key — for tests and reconciliation."""
        with self._session() as session:
            rows = session.execute(
                select(TransactionRow.endpoint, TransactionRow.exchange_id).where(
                    TransactionRow.key_id == key_id
                )
            ).all()
            return {(r[0], r[1]) for r in rows}

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
        """Re-derive the entries of ``exchange``'s keys from their raw records (and imported file
        rows from their API form) when its normaliser version is newer than the one that stored
        them. Returns how many rows changed."""
        setting = f"normalizer_version.{exchange}"
        if self.setting(setting) == str(version):
            return 0
        changed = 0
        with self._session() as session:
            key_ids = list(session.scalars(select(ApiKeyRow.id).where(ApiKeyRow.exchange == exchange)))
        if renormalize is not None and key_ids:
            changed += self._refresh_table(
                TransactionRow, TransactionRow.raw_json, key_ids, renormalize, batch
            )
            changed += self._refresh_table(
                FileRecordRow, FileRecordRow.match_json, key_ids, renormalize, batch
            )
        self.set_setting(setting, str(version))
        return changed

    def _refresh_table(
        self,
        table: type[TransactionRow] | type[FileRecordRow],
        raw_column: Any,
        key_ids: Sequence[int],
        renormalize: Callable[[str, str, Mapping[str, Any]], NormalizedRecord | None],
        batch: int,
    ) -> int:
        changed = 0
        last_id = 0
        entry_columns = [getattr(table, name) for name in self._ENTRY_FIELDS]
        while True:
            with self._session() as session:
                rows = session.execute(
                    select(table.id, table.endpoint, table.stream, raw_column, *entry_columns)
                    .where(table.key_id.in_(key_ids), table.id > last_id)
                    .order_by(table.id)
                    .limit(batch)
                ).all()
            if not rows:
                return changed
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
                    update(table)
                    .where(table.id == bindparam("row_id"))
                    .values({name: bindparam(name) for name in self._ENTRY_FIELDS})
                )
                with self.write_session() as session:
                    session.connection().execute(statement, updates)
                changed += len(updates)

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
