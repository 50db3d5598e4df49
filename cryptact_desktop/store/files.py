"""Imported files in the database: their rows, the periods they cover, matches to API rows and the
review queue. Everything returned is plain frozen data.

Which file row matches which API row is decided outside the store (``imports.matching``, a pure
function handed in as ``decide``); the store reads what the decision needs and writes its outcome
in the same transaction, so an import or a link is all or nothing.

How a record ends up stored once: a file row with the venue's own id is stored under the same
``(key, endpoint, exchange_id)`` as the API's record (the unique constraint keeps one; if the file
came first, the API's version replaces it in place: trigger ``trg_transactions_api_replaces_file``).
A row without an id is stored under a ``file:…`` key and matched later: ``linked`` (its
transaction goes, the row points at the API's), ``review`` (several API rows could be it: held out
of ``transactions`` until the user decides), ``kept`` (the user said "none of these").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from cryptact_desktop.state import TransactionView
from cryptact_desktop.store.file_links import (
    Decide,
    apply_matches,
    insert_file_transaction,
    insert_ignore,
    link_pending,
    recount,
)
from cryptact_desktop.store.file_rows import (
    FILE_HOST_ID,
    FileGroup,
    FileRow,
    ImportAccount,
    ImportedFileRecord,
    ImportWritten,
    LinkOutcome,
    NewFileRow,
    NewImport,
    ReconcileData,
    group_rows,
)
from cryptact_desktop.store.gateway import Gateway, now_ms
from cryptact_desktop.store.models import (
    ApiKeyRow,
    CoveredRangeRow,
    FileCoverageRow,
    FileRecordRow,
    ImportedFileRow,
    KeyEndpointRow,
    MatchReviewRow,
    TransactionRow,
)
from cryptact_desktop.store.ranges import Range, merge_ranges
from cryptact_desktop.store.rows import transaction_view

_CHUNK = 400


class FilesStore(Gateway):
    """The file-import part of the store."""

    # ------------------------------------------------------------------ reading

    def file_rows(self, key_id: int, *, status: str | None = None) -> list[FileRow]:
        with self.read_session() as session:
            statement = select(FileRecordRow).where(FileRecordRow.key_id == key_id)
            if status is not None:
                statement = statement.where(FileRecordRow.status == status)
            return [
                FileRow.of(r)
                for r in session.scalars(statement.order_by(FileRecordRow.timestamp_ms, FileRecordRow.id))
            ]

    def file_names(self, file_ids: Iterable[int]) -> dict[int, str]:
        with self.read_session() as session:
            return _file_names(session, file_ids)

    def import_owners(self, sha256: str, content_sha256: str = "") -> list[tuple[int, str]]:
        """(account id, label) of every account a file with these bytes — or with these rows
        (``content_sha256``) — was imported into."""
        same = ImportedFileRow.sha256 == sha256
        if content_sha256:
            same = or_(same, ImportedFileRow.content_sha256 == content_sha256)
        with self.read_session() as session:
            return [
                (int(key_id), str(label))
                for key_id, label in session.execute(
                    select(ImportedFileRow.key_id, ApiKeyRow.label)
                    .join(ApiKeyRow, ApiKeyRow.id == ImportedFileRow.key_id)
                    .where(same)
                    .distinct()
                ).all()
            ]

    def import_account(self, account_id: int) -> ImportAccount | None:
        with self.read_session() as session:
            row = session.get(ApiKeyRow, account_id)
            if row is None:
                return None
            return ImportAccount(row.id, row.exchange, row.label, row.host_id, row.exchange_user_id)

    def imported_files(self, account_id: int) -> list[ImportedFileRecord]:
        with self.read_session() as session:
            return [
                ImportedFileRecord(
                    id=f.id,
                    account_id=f.key_id,
                    file_name=f.file_name,
                    format_id=f.format_id,
                    sha256=f.sha256,
                    rows=f.row_count,
                    records=f.record_count,
                    new_records=f.new_count,
                    period=(f.start_ms, f.end_ms)
                    if f.start_ms is not None and f.end_ms is not None
                    else None,
                    time_zone=f.time_zone,
                    imported_at_ms=f.imported_at_ms,
                )
                for f in session.scalars(
                    select(ImportedFileRow)
                    .where(ImportedFileRow.key_id == account_id)
                    .order_by(ImportedFileRow.id)
                )
            ]

    def api_coverage_by_stream(self, key_id: int) -> dict[tuple[str, str], list[Range]]:
        with self.read_session() as session:
            return _api_coverage(session, key_id)

    def file_coverage_by_endpoint(self, key_id: int) -> dict[str, list[Range]]:
        with self.read_session() as session:
            return _file_coverage(session, key_id)

    def newest_file_row(self, key_id: int, endpoint: str) -> tuple[int, int] | None:
        """(time, time precision) of the newest file row of an endpoint, None if there is none."""
        with self.read_session() as session:
            row = session.execute(
                select(FileRecordRow.timestamp_ms, FileRecordRow.time_precision_ms)
                .where(FileRecordRow.key_id == key_id, FileRecordRow.endpoint == endpoint)
                .order_by(FileRecordRow.timestamp_ms.desc())
                .limit(1)
            ).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def review_candidates(self, key_id: int) -> dict[tuple[str, str], list[TransactionView]]:
        """The API records each held file record could be, oldest first."""
        with self.read_session() as session:
            found: dict[tuple[str, str], list[TransactionView]] = defaultdict(list)
            for endpoint, record_key, tx in session.execute(
                select(MatchReviewRow.endpoint, MatchReviewRow.record_key, TransactionRow)
                .join(TransactionRow, TransactionRow.id == MatchReviewRow.transaction_id)
                .where(MatchReviewRow.key_id == key_id)
                .order_by(TransactionRow.timestamp_ms, TransactionRow.id)
            ).all():
                found[(endpoint, record_key)].append(transaction_view(tx))
            return dict(found)

    def reconcile_data(self, key_id: int) -> ReconcileData:
        with self.read_session() as session:
            account = session.get(ApiKeyRow, key_id)
            if account is None:
                raise KeyError(f"no account with id {key_id}")
            rows = tuple(
                FileRow.of(r)
                for r in session.scalars(
                    select(FileRecordRow)
                    .where(FileRecordRow.key_id == key_id)
                    .order_by(FileRecordRow.timestamp_ms, FileRecordRow.id)
                )
            )
            stored_keys: dict[str, set[str]] = defaultdict(set)
            wanted_ids: set[int] = set()
            for group in group_rows(rows):
                if group.first.status == "linked" and group.first.linked_transaction_id is not None:
                    wanted_ids.add(group.first.linked_transaction_id)
                elif group.first.status in ("stored", "kept"):
                    stored_keys[group.endpoint].add(group.record_key)
            by_key: dict[tuple[str, str], TransactionView] = {}
            for endpoint, keys in stored_keys.items():
                key_list = sorted(keys)
                for i in range(0, len(key_list), 500):
                    for found in session.scalars(
                        select(TransactionRow).where(
                            TransactionRow.key_id == key_id,
                            TransactionRow.endpoint == endpoint,
                            TransactionRow.exchange_id.in_(key_list[i : i + 500]),
                        )
                    ):
                        by_key[(endpoint, found.exchange_id)] = transaction_view(found)
            by_id: dict[int, TransactionView] = {}
            id_list = sorted(wanted_ids)
            for i in range(0, len(id_list), 500):
                for linked in session.scalars(
                    select(TransactionRow).where(TransactionRow.id.in_(id_list[i : i + 500]))
                ):
                    by_id[linked.id] = transaction_view(linked)
            held: dict[tuple[str, str], list[int]] = defaultdict(list)
            for endpoint, record_key, tx_id in session.execute(
                select(
                    MatchReviewRow.endpoint, MatchReviewRow.record_key, MatchReviewRow.transaction_id
                ).where(MatchReviewRow.key_id == key_id)
            ).all():
                held[(endpoint, record_key)].append(int(tx_id))
            return ReconcileData(
                account_label=account.label,
                exchange=account.exchange,
                rows=rows,
                file_names=_file_names(session, (r.file_id for r in rows)),
                api_coverage=_api_coverage(session, key_id),
                file_coverage=_file_coverage(session, key_id),
                by_key=by_key,
                by_id=by_id,
                held_candidates=dict(held),
            )

    def api_transactions_between(
        self, key_id: int, endpoint: str, first_ms: int, last_ms: int
    ) -> list[TransactionView]:
        """The API rows of an endpoint in an inclusive period, oldest first."""
        with self.read_session() as session:
            return [
                transaction_view(tx)
                for tx in session.scalars(
                    select(TransactionRow)
                    .where(
                        TransactionRow.key_id == key_id,
                        TransactionRow.endpoint == endpoint,
                        TransactionRow.source == "api",
                        TransactionRow.timestamp_ms >= first_ms,
                        TransactionRow.timestamp_ms <= last_ms,
                    )
                    .order_by(TransactionRow.timestamp_ms, TransactionRow.id)
                )
            ]

    # ------------------------------------------------------------------ writing

    def write_import(self, new: NewImport, decide: Decide) -> ImportWritten:
        """Store a file's rows (and the transactions of rows not present yet), its coverage and the
        account's endpoints, then match its rows without ids — one transaction. ``new.rows`` is
        consumed in chunks, so an import of any size needs the same memory."""
        stamp = now_ms()
        with self.write_session() as session:
            account = self._import_target(session, new, stamp)
            key_id = account.id
            file_row = ImportedFileRow(
                key_id=key_id,
                sha256=new.sha256,
                content_sha256=new.content_sha256,
                file_name=new.file_name[:300],
                format_id=new.format_id,
                size_bytes=new.size_bytes,
                row_count=new.row_count,
                record_count=new.record_count or 0,
                new_count=0,
                start_ms=new.period[0] if new.period else None,
                end_ms=new.period[1] if new.period else None,
                time_zone=new.time_zone,
                file_uid=new.file_uid,
                imported_at_ms=stamp,
            )
            session.add(file_row)
            session.flush()
            covered = set(new.covered_endpoints)
            unmatched: set[str] = set()  # endpoints with rows that have no exchange id
            records = 0
            for chunk in _chunks(new.rows, 1000):
                records += len(chunk)
                with_id: dict[str, set[str]] = defaultdict(set)
                without_id: dict[str, set[str]] = defaultdict(set)
                for row in chunk:
                    (with_id if row.has_exchange_id else without_id)[row.endpoint].add(row.record_key)
                    covered.add(row.endpoint)
                unmatched.update(without_id)
                present = _existing_keys(session, key_id, with_id) | _existing_keys(
                    session, key_id, without_id
                )
                known = _known_groups(session, key_id, without_id)
                inserts = [
                    {**row.transaction, "key_id": key_id, "inserted_at_ms": stamp}
                    for row in chunk
                    if (row.endpoint, row.record_key) not in present
                    and known.get((row.endpoint, row.record_key), ("stored", None))[0] in ("stored", "kept")
                ]
                connection = session.connection()  # Core executemany: the ORM's bulk path is slower
                if inserts:
                    connection.execute(insert_ignore(), inserts)
                connection.execute(
                    sqlite_insert(FileRecordRow),
                    [
                        {
                            **row.record,
                            "file_id": file_row.id,
                            "key_id": key_id,
                            "status": known.get((row.endpoint, row.record_key), ("stored", None))[0],
                            "linked_transaction_id": known.get((row.endpoint, row.record_key), ("", None))[1],
                        }
                        for row in chunk
                    ],
                )
            file_row.record_count = records
            if new.period is not None:
                session.add_all(
                    FileCoverageRow(
                        file_id=file_row.id,
                        key_id=key_id,
                        endpoint=e,
                        start_ms=new.period[0],
                        end_ms=new.period[1],
                    )
                    for e in sorted(covered)
                )
            _ensure_endpoints(session, account, covered, new.endpoint_order)
            link_pending(session, key_id, decide, endpoints=unmatched)
            counts = dict(
                session.execute(
                    select(FileRecordRow.status, func.count())
                    .where(FileRecordRow.file_id == file_row.id)
                    .group_by(FileRecordRow.status)
                ).all()
            )
            # A record this import added: its transaction is a file row written now (rows of this
            # file that were linked to an API record or held for review have none any more).
            inserted = int(
                session.scalar(
                    select(func.count())
                    .select_from(FileRecordRow)
                    .where(
                        FileRecordRow.file_id == file_row.id,
                        FileRecordRow.status.in_(("stored", "kept")),
                        exists().where(
                            TransactionRow.key_id == key_id,
                            TransactionRow.endpoint == FileRecordRow.endpoint,
                            TransactionRow.exchange_id == FileRecordRow.record_key,
                            TransactionRow.source == "file",
                            TransactionRow.inserted_at_ms == stamp,
                        ),
                    )
                )
                or 0
            )
            file_row.new_count = inserted
            recount(session, key_id)
            session.flush()
            return ImportWritten(
                key_id, file_row.id, inserted, int(counts.get("linked", 0)), int(counts.get("review", 0))
            )

    @staticmethod
    def _import_target(session: Session, new: NewImport, stamp: int) -> ApiKeyRow:
        if new.account_id is None:
            account = ApiKeyRow(
                exchange=new.exchange,
                label=new.new_account_label,
                subaccount="",
                host_id=FILE_HOST_ID,
                base_url="",
                sync_from_ms=None,
                paused=True,
                key_hint="",
                permissions="",
                exchange_user_id=new.file_uid,
                created_at_ms=stamp,
                updated_at_ms=stamp,
            )
            session.add(account)
            session.flush()
            return account
        existing = session.get(ApiKeyRow, new.account_id)
        if existing is None:
            raise KeyError(f"no account with id {new.account_id}")
        if new.file_uid and not existing.exchange_user_id and existing.host_id == FILE_HOST_ID:
            existing.exchange_user_id = new.file_uid
        return existing

    def link_file_rows(self, key_id: int, decide: Decide) -> LinkOutcome:
        """Match the account's file rows without exchange ids to API rows (after every sync), then
        bring the key list's counts of the account's keys up to date (as ``refresh_counts``)."""
        with self.write_session() as session:
            outcome = link_pending(session, key_id, decide)
            recount(session, key_id)
            return outcome

    def resolve_review(self, key_id: int, endpoint: str, record_key: str, transaction_id: int | None) -> None:
        """Decide a held match: ``transaction_id`` = "the file row is this API record" (linked), or
        None = "it is none of them" (stored as its own record and not matched again)."""
        with self.write_session() as session:
            rows = list(
                session.scalars(
                    select(FileRecordRow).where(
                        FileRecordRow.key_id == key_id,
                        FileRecordRow.endpoint == endpoint,
                        FileRecordRow.record_key == record_key,
                        FileRecordRow.status == "review",
                    )
                )
            )
            if not rows:
                raise KeyError(f"nothing held for review under {endpoint}/{record_key}")
            allowed = set(
                session.scalars(
                    select(MatchReviewRow.transaction_id).where(
                        MatchReviewRow.key_id == key_id,
                        MatchReviewRow.endpoint == endpoint,
                        MatchReviewRow.record_key == record_key,
                    )
                )
            )
            group = FileGroup(endpoint, record_key, tuple(FileRow.of(r) for r in rows))
            if transaction_id is not None:
                if transaction_id not in allowed:
                    raise ValueError("that record is not one of the candidates")
                apply_matches(session, key_id, links=[(group, transaction_id)])
            else:
                insert_file_transaction(session, key_id, group.first)
                for row in rows:
                    row.status = "kept"
            session.execute(
                delete(MatchReviewRow).where(
                    MatchReviewRow.key_id == key_id,
                    MatchReviewRow.endpoint == endpoint,
                    MatchReviewRow.record_key == record_key,
                )
            )
            recount(session, key_id)

    def remove_imported_file(self, file_id: int) -> int:
        """Undo an import: forget the file and remove the records only it provided (records the
        API also delivered, or that another imported file also holds, stay). Returns records removed."""
        with self.write_session() as session:
            file_row = session.get(ImportedFileRow, file_id)
            if file_row is None:
                return 0
            key_id = file_row.key_id
            rows = session.scalars(select(FileRecordRow).where(FileRecordRow.file_id == file_id)).all()
            removed = 0
            for endpoint, record_key in {(r.endpoint, r.record_key) for r in rows}:
                others = session.scalar(
                    select(FileRecordRow.id)
                    .where(
                        FileRecordRow.key_id == key_id,
                        FileRecordRow.endpoint == endpoint,
                        FileRecordRow.record_key == record_key,
                        FileRecordRow.file_id != file_id,
                    )
                    .limit(1)
                )
                if others is not None:
                    continue
                result = session.execute(
                    delete(TransactionRow).where(
                        TransactionRow.key_id == key_id,
                        TransactionRow.endpoint == endpoint,
                        TransactionRow.exchange_id == record_key,
                        TransactionRow.source == "file",
                    )
                )
                removed += int(getattr(result, "rowcount", 0) or 0)
                session.execute(
                    delete(MatchReviewRow).where(
                        MatchReviewRow.key_id == key_id,
                        MatchReviewRow.endpoint == endpoint,
                        MatchReviewRow.record_key == record_key,
                    )
                )
            session.execute(delete(ImportedFileRow).where(ImportedFileRow.id == file_id))
            recount(session, key_id)
            return removed


# ---------------------------------------------------------------------------- inside a transaction


def _chunks(rows: Iterable[NewFileRow], size: int) -> Iterator[list[NewFileRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _file_names(session: Session, file_ids: Iterable[int]) -> dict[int, str]:
    ids = set(file_ids)
    if not ids:
        return {}
    return {
        int(i): str(n)
        for i, n in session.execute(
            select(ImportedFileRow.id, ImportedFileRow.file_name).where(ImportedFileRow.id.in_(ids))
        ).all()
    }


def _api_coverage(session: Session, key_id: int) -> dict[tuple[str, str], list[Range]]:
    ranges: dict[tuple[str, str], list[Range]] = defaultdict(list)
    c = CoveredRangeRow
    for endpoint, stream, start, end in session.execute(
        select(c.endpoint, c.stream, c.start_ms, c.end_ms).where(c.key_id == key_id)
    ).all():
        ranges[(endpoint, stream)].append((int(start), int(end)))
    return {k: merge_ranges(v) for k, v in ranges.items()}


def _file_coverage(session: Session, key_id: int) -> dict[str, list[Range]]:
    ranges: dict[str, list[Range]] = defaultdict(list)
    for endpoint, start, end in session.execute(
        select(FileCoverageRow.endpoint, FileCoverageRow.start_ms, FileCoverageRow.end_ms).where(
            FileCoverageRow.key_id == key_id
        )
    ).all():
        ranges[endpoint].append((int(start), int(end)))
    return {k: merge_ranges(v) for k, v in ranges.items()}


def _existing_keys(session: Session, key_id: int, wanted: Mapping[str, set[str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for endpoint, keys in wanted.items():
        key_list = sorted(keys)
        for i in range(0, len(key_list), _CHUNK):
            found.update(
                (endpoint, str(k))
                for k in session.scalars(
                    select(TransactionRow.exchange_id).where(
                        TransactionRow.key_id == key_id,
                        TransactionRow.endpoint == endpoint,
                        TransactionRow.exchange_id.in_(key_list[i : i + _CHUNK]),
                    )
                )
            )
    return found


def _known_groups(
    session: Session, key_id: int, wanted: Mapping[str, set[str]]
) -> dict[tuple[str, str], tuple[str, int | None]]:
    """Logical file records already known from earlier files: (endpoint, key) -> (status, linked id)."""
    rank = {"linked": 3, "review": 2, "kept": 1, "stored": 0}
    found: dict[tuple[str, str], tuple[str, int | None]] = {}
    for endpoint, keys in wanted.items():
        key_list = sorted(keys)
        for i in range(0, len(key_list), _CHUNK):
            for record_key, status, linked in session.execute(
                select(
                    FileRecordRow.record_key, FileRecordRow.status, FileRecordRow.linked_transaction_id
                ).where(
                    FileRecordRow.key_id == key_id,
                    FileRecordRow.endpoint == endpoint,
                    FileRecordRow.record_key.in_(key_list[i : i + _CHUNK]),
                )
            ).all():
                current = found.get((endpoint, record_key))
                if current is None or rank.get(status, 0) > rank.get(current[0], 0):
                    found[(endpoint, record_key)] = (status, linked)
    return found


def _ensure_endpoints(
    session: Session, account: ApiKeyRow, endpoints: set[str], order: Sequence[str]
) -> None:
    have = {e.endpoint: e for e in account.endpoints}
    position = max((e.position for e in account.endpoints), default=-1)
    file_only = account.host_id == FILE_HOST_ID
    for endpoint in sorted(endpoints, key=lambda e: (order.index(e) if e in order else len(order), e)):
        if endpoint not in have:
            position += 1
            # An API key's endpoint list is the user's choice: an endpoint fed only by files is added
            # disabled there, so the next sync does not start fetching it uninvited.
            account.endpoints.append(
                KeyEndpointRow(endpoint=endpoint, position=position, enabled=file_only, status="never")
            )
    session.flush()
