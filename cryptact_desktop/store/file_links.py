"""Matching file rows without the venue's id to API rows, inside one write transaction.

The decision is a pure function handed in (``Decide``, see ``imports.matching``); here the store
reads what it needs (:class:`MatchContext`) and writes its outcome: linked rows leave
``transactions``, held rows wait in ``match_reviews``, rows whose API record vanished are stored
again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from cryptact_desktop.store.events import recount_hidden, same_account
from cryptact_desktop.store.file_rows import (
    ApiCandidate,
    FileGroup,
    FileRow,
    LinkOutcome,
    file_transaction_raw,
    group_rows,
)
from cryptact_desktop.store.gateway import now_ms
from cryptact_desktop.store.models import (
    FileRecordRow,
    ImportedFileRow,
    KeyEndpointRow,
    MatchReviewRow,
    TransactionRow,
)


class MatchContext:
    """What a matching decision may look at, read inside the transaction that applies it."""

    def __init__(self, session: Session, key_id: int) -> None:
        self._session = session
        self.key_id = key_id
        self.linked_to: dict[int, str] = {
            int(tx or 0): key
            for tx, key in session.execute(
                select(FileRecordRow.linked_transaction_id, FileRecordRow.record_key).where(
                    FileRecordRow.key_id == key_id,
                    FileRecordRow.status == "linked",
                    FileRecordRow.linked_transaction_id.is_not(None),
                )
            ).all()
        }

    def api_rows(self, endpoint: str, after_ms: int, before_ms: int) -> list[ApiCandidate]:
        """The API rows of ``endpoint`` strictly between the two times, oldest first."""
        return [
            ApiCandidate(int(r[0]), int(r[1]), str(r[2] or "{}"))
            for r in self._session.execute(
                select(TransactionRow.id, TransactionRow.timestamp_ms, TransactionRow.raw_json)
                .where(
                    TransactionRow.key_id == self.key_id,
                    TransactionRow.endpoint == endpoint,
                    TransactionRow.source == "api",
                    TransactionRow.timestamp_ms > after_ms,
                    TransactionRow.timestamp_ms < before_ms,
                )
                .order_by(TransactionRow.timestamp_ms)
            ).all()
        ]

    def api_values(self, ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        """(kind, base, quote, side, amount, price, fee) of API rows by id."""
        values: dict[int, tuple[str, ...]] = {}
        id_list = sorted(set(ids))
        t = TransactionRow
        for i in range(0, len(id_list), 500):
            for row in self._session.execute(
                select(t.id, t.kind, t.base, t.quote, t.side, t.amount, t.price, t.fee).where(
                    t.id.in_(id_list[i : i + 500])
                )
            ).all():
                values[int(row[0])] = tuple(str(v) for v in row[1:])
        return values


Link = tuple[FileGroup, int]
Hold = tuple[FileGroup, list[int]]
Decide = Callable[[list[FileGroup], MatchContext], tuple[list[Link], list[Hold]]]


def insert_ignore() -> Any:
    return sqlite_insert(TransactionRow).on_conflict_do_nothing(
        index_elements=["key_id", "endpoint", "exchange_id"]
    )


def recount(session: Session, key_id: int) -> None:
    """Set each endpoint's ``record_count`` to what ``transactions`` holds (files included), and
    the hidden counts of its account's keys (``store.events``)."""
    counts = dict(
        session.execute(
            select(TransactionRow.endpoint, func.count())
            .where(TransactionRow.key_id == key_id)
            .group_by(TransactionRow.endpoint)
        ).all()
    )
    for row in session.scalars(select(KeyEndpointRow).where(KeyEndpointRow.key_id == key_id)):
        row.record_count = int(counts.get(row.endpoint, 0))
    session.flush()
    recount_hidden(session, same_account(session, key_id))


def link_pending(
    session: Session, key_id: int, decide: Decide, *, endpoints: Iterable[str] | None = None
) -> LinkOutcome:
    statement = select(FileRecordRow).where(
        FileRecordRow.key_id == key_id, FileRecordRow.exchange_id == "", FileRecordRow.status == "stored"
    )
    if endpoints is not None:
        statement = statement.where(FileRecordRow.endpoint.in_(set(endpoints)))
    _revive_orphans(session, key_id)
    with session.no_autoflush:
        groups = group_rows(
            FileRow.of(r)
            for r in session.scalars(statement.order_by(FileRecordRow.timestamp_ms, FileRecordRow.id))
        )
        links, holds = decide(groups, MatchContext(session, key_id)) if groups else ([], [])
    apply_matches(session, key_id, links, holds)
    return LinkOutcome(len(links), len(holds))


def _revive_orphans(session: Session, key_id: int) -> None:
    """File rows we took out of ``transactions`` in favour of API rows that are gone since (a
    re-fetch deleted them, every review candidate vanished): store the file's row again so the
    record is not lost; matching then runs on it as on a new row."""
    lost = list(
        session.scalars(
            select(FileRecordRow).where(
                FileRecordRow.key_id == key_id,
                FileRecordRow.status == "linked",
                FileRecordRow.linked_transaction_id.is_(None),
            )
        )
    )
    reviewed = select(MatchReviewRow.id).where(
        MatchReviewRow.key_id == key_id,
        MatchReviewRow.endpoint == FileRecordRow.endpoint,
        MatchReviewRow.record_key == FileRecordRow.record_key,
    )
    lost += session.scalars(
        select(FileRecordRow).where(
            FileRecordRow.key_id == key_id, FileRecordRow.status == "review", ~reviewed.exists()
        )
    )
    for group in group_rows(FileRow.of(r) for r in lost):
        insert_file_transaction(session, key_id, group.first)
    for row in lost:
        row.status = "stored"
        row.linked_transaction_id = None
    if lost:
        session.flush()


def apply_matches(
    session: Session, key_id: int, links: Sequence[Link] = (), holds: Sequence[Hold] = ()
) -> None:
    """Link groups to API rows and hold others for review, in bulk: the groups' ``file:…``
    transactions go, their file rows get the new status."""
    by_endpoint: dict[str, list[str]] = defaultdict(list)
    for group, _ in (*links, *holds):
        by_endpoint[group.endpoint].append(group.record_key)
    for endpoint, keys in by_endpoint.items():
        for i in range(0, len(keys), 500):
            session.execute(
                delete(TransactionRow).where(
                    TransactionRow.key_id == key_id,
                    TransactionRow.endpoint == endpoint,
                    TransactionRow.exchange_id.in_(keys[i : i + 500]),
                    TransactionRow.source == "file",
                )
            )
    table = cast(Table, FileRecordRow.__table__)
    params = [
        {"row_id": row.id, "new_status": "linked", "tx": tx_id}
        for group, tx_id in links
        for row in group.rows
    ]
    params += [
        {"row_id": row.id, "new_status": "review", "tx": None} for group, _ in holds for row in group.rows
    ]
    if params:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(status=bindparam("new_status"), linked_transaction_id=bindparam("tx")),
            params,
        )
    stamp = now_ms()
    reviews = [
        {
            "key_id": key_id,
            "endpoint": group.endpoint,
            "record_key": group.record_key,
            "transaction_id": candidate,
            "created_at_ms": stamp,
        }
        for group, candidates in holds
        for candidate in candidates
    ]
    if reviews:
        session.execute(sqlite_insert(MatchReviewRow).on_conflict_do_nothing(), reviews)
    session.expire_all()


def insert_file_transaction(session: Session, key_id: int, row: FileRow) -> None:
    file_row = session.get(ImportedFileRow, row.file_id)
    raw = file_transaction_raw(
        json.loads(row.match_json or "{}"),
        file_row.format_id if file_row else "",
        file_row.file_name if file_row else "",
        row.row_number,
    )
    session.execute(
        insert_ignore(),
        [
            {
                "key_id": key_id,
                "endpoint": row.endpoint,
                "stream": row.stream,
                "exchange_id": row.record_key,
                "timestamp_ms": row.timestamp_ms,
                "kind": row.kind,
                "base": row.base,
                "quote": row.quote,
                "side": row.side,
                "amount": row.amount,
                "price": row.price,
                "fee": row.fee,
                "fee_currency": row.fee_currency,
                "network": row.network,
                "tx_hash": row.tx_hash,
                "counter_amount": row.counter_amount,
                "pnl": row.pnl,
                "funding": row.funding,
                "note": row.note,
                "mirror_of": row.mirror_of,
                "source": "file",
                "raw_json": raw,
                "inserted_at_ms": now_ms(),
            }
        ],
    )
