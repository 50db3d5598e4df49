"""File rows versus API rows: matching, the reconciliation report, and what covers which period.

How a record ends up stored once:

* **Same exchange id.** A file row that carries the exchange's id (a spot trade's Transaction ID) is
  stored under the same ``(key, endpoint, exchange_id)`` as the API's record, so the unique constraint
  keeps one row whichever came first. If the file came first, the API's version replaces the file's
  (trigger ``trg_transactions_api_replaces_file``, migration 0002); the file's own values stay in
  ``file_records`` so a disagreement can be shown.
* **No exchange id** (the transaction log export, deposits/withdrawals): the row is stored under a
  ``file:…`` key derived from its content, then matched to API rows (:func:`link_pending`) on:

  - time: closer than the file's time precision (a file that writes seconds allows ±999 ms, one that
    writes minutes ±59.999 s; deposits with a transaction hash ±1 day, because the file's ``Date``
    may be when the deposit was requested rather than credited);
  - the format's keys compared exactly (numbers as decimals, so ``5.36000000`` equals ``5.36``; for the
    transaction log: currency, contract, type, direction, change and trade id; for deposits and
    withdrawals: coin, amount and transaction hash); a value the file leaves empty is not compared;
  - the price rounded to the decimals the file wrote (``9.32`` matches an API ``9.3234``).

  One file row and exactly one API row that match each other only → linked: the file's ``file:…``
  transaction is removed and the file row points at the API row. k identical file rows and k identical
  API rows (same values, e.g. two equal fills in one second) → linked pairwise, since every pairing is
  the same. Anything else with more than one candidate → **held for review** (``match_reviews``):
  the file row leaves ``transactions`` (no double) and nothing is merged until the user decides
  (:func:`resolve_review`). Run :func:`link_file_rows` (or :func:`reconcile`) after every sync: it
  also recounts ``record_count`` (the sync counts an API row that replaced a file row as new) and
  stores a linked file row again if its API row has disappeared since (a re-fetch that deleted it).

The report (:func:`reconcile`) lists matched records, records only in files (with whether the API had
fetched that time at all), records only in the API (inside a period a file covers), conflicts (same
record, different values) and held rows; :func:`write_report_csv` writes it for support.
"""

from __future__ import annotations

import csv
import enum
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.spec import MatchProfile
from cryptact_desktop.records import decimal_text
from cryptact_desktop.store import Range, Store, merge_ranges, now_ms
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
from cryptact_desktop.venues.registry import file_formats, venue_info

FILE_HOST_ID = "file"  # ApiKeyRow.host_id of an account that only has imported files

# The trigger exactly as migration 0003 creates it (re-created here if a database lacks it).
API_REPLACES_FILE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS trg_transactions_api_replaces_file
BEFORE INSERT ON transactions
WHEN NEW.source = 'api' AND EXISTS (
    SELECT 1 FROM transactions
    WHERE key_id = NEW.key_id AND endpoint = NEW.endpoint AND exchange_id = NEW.exchange_id
      AND source = 'file'
)
BEGIN
    UPDATE transactions
    SET stream = NEW.stream, timestamp_ms = NEW.timestamp_ms, kind = NEW.kind, base = NEW.base,
        quote = NEW.quote, side = NEW.side, amount = NEW.amount, price = NEW.price, fee = NEW.fee,
        fee_currency = NEW.fee_currency, network = NEW.network, tx_hash = NEW.tx_hash,
        counter_amount = NEW.counter_amount, pnl = NEW.pnl, funding = NEW.funding, note = NEW.note,
        mirror_of = NEW.mirror_of,
        source = 'api', raw_json = NEW.raw_json, inserted_at_ms = NEW.inserted_at_ms
    WHERE key_id = NEW.key_id AND endpoint = NEW.endpoint AND exchange_id = NEW.exchange_id
      AND source = 'file';
END
"""

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


def match_profiles(exchange: str) -> dict[str, MatchProfile]:
    """How rows without an exchange id are matched, per endpoint of ``exchange``'s file types."""
    try:
        formats = file_formats(exchange)
    except KeyError:  # a venue no longer in the app: its rows are only stored, never matched
        return {}
    return {endpoint: f.match for f in formats if f.match is not None for endpoint in f.endpoints}


def _key_profiles(session: Session, key_id: int) -> dict[str, MatchProfile]:
    account = session.get(ApiKeyRow, key_id)
    return match_profiles(account.exchange) if account is not None else {}


def _t(text: str) -> str:
    return translate("imports", text)


def is_file_only(host_id: str) -> bool:
    """Whether an account (``KeyConfig.host_id``) has no API key, only imported files."""
    return host_id == FILE_HOST_ID


# ------------------------------------------------------------------------------------ sessions


@contextmanager
def write_session(store: Store) -> Iterator[Session]:
    """One write transaction on ``store``'s database, serialised with the store's own writers.

    Everything done inside is committed together or not at all.
    """
    with store._write_lock, Session(store.engine, expire_on_commit=False) as session, session.begin():
        session.connection().exec_driver_sql(API_REPLACES_FILE_TRIGGER)
        yield session


@contextmanager
def read_session(store: Store) -> Iterator[Session]:
    with Session(store.engine, expire_on_commit=False) as session:
        yield session


def recount(session: Session, key_id: int) -> None:
    """Set each endpoint's ``record_count`` to what ``transactions`` holds (files included)."""
    counts = dict(
        session.execute(
            select(TransactionRow.endpoint, func.count())
            .where(TransactionRow.key_id == key_id)
            .group_by(TransactionRow.endpoint)
        ).all()
    )
    for row in session.scalars(select(KeyEndpointRow).where(KeyEndpointRow.key_id == key_id)):
        row.record_count = int(counts.get(row.endpoint, 0))


# ------------------------------------------------------------------------------------ comparing values


def _as_decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def comparable(value: Any) -> str:
    """A value as compared between a file and the API: decimals canonical, text upper-case,
    "None"/"--" empty."""
    text = "" if value is None else str(value).strip()
    if text.lower() in ("none", "--", "null"):
        return ""
    if text and (text[0].isdigit() or text[0] in "+-.") and _as_decimal(text) is not None:
        return decimal_text(text)
    return text.upper()


def price_matches(file_value: str, api_value: str, places: int | None) -> bool:
    """The API's price equals the file's once rounded (or cut) to the decimals the file wrote."""
    file_number, api_number = _as_decimal(file_value), _as_decimal(api_value)
    if file_number is None or api_number is None:
        return comparable(file_value) == comparable(api_value)
    if api_number == file_number:
        return True
    if places is None:
        return False
    quantum = Decimal(1).scaleb(-places)
    return file_number in (
        api_number.quantize(quantum, rounding=ROUND_HALF_EVEN),
        api_number.quantize(quantum, rounding=ROUND_DOWN),
    )


def _time_tolerance(row: FileRecordRow, match_raw: Mapping[str, Any], profile: MatchProfile | None) -> int:
    if profile is None:
        return max(row.time_precision_ms, 1)
    return max(profile.tolerance_ms(match_raw, row.time_precision_ms), 1)


def differences(
    row: FileRecordRow, api: TransactionRow, profile: MatchProfile | None = None
) -> tuple[str, ...]:
    """The fields the file states that disagree with the API's stored version (``profile``: how the
    row's endpoint matches rows without an id, which widens the time tolerance of some rows)."""
    match_raw = json.loads(row.match_json or "{}")
    found: list[str] = []
    for name in (f for f in row.compared.split(",") if f):
        if name == "timestamp_ms":
            if abs(api.timestamp_ms - row.timestamp_ms) >= _time_tolerance(row, match_raw, profile):
                found.append(name)
        elif name == "price":
            if not price_matches(row.price, api.price, row.price_places):
                found.append(name)
        elif comparable(getattr(row, name)) != comparable(getattr(api, name)):
            found.append(name)
    return tuple(found)


def _profile_matches(
    profile: MatchProfile, row: FileRecordRow, file_raw: Mapping[str, Any], api_raw: Mapping[str, Any]
) -> bool:
    for key in profile.keys:
        wanted = comparable(file_raw.get(key))
        if wanted and wanted != comparable(api_raw.get(key)):
            return False
    if profile.price_key:
        file_price = comparable(file_raw.get(profile.price_key))
        if file_price not in ("", "0") and not price_matches(
            file_price, str(api_raw.get(profile.price_key) or ""), row.price_places
        ):
            return False
    return True


# ------------------------------------------------------------------------------------ matching


@dataclass
class _Group:
    """All file rows (possibly from overlapping files) that are one logical record."""

    endpoint: str
    record_key: str
    rows: list[FileRecordRow]

    @property
    def first(self) -> FileRecordRow:
        return self.rows[0]

    def values(self) -> tuple[str, ...]:
        r = self.first
        return (r.kind, r.base, r.quote, r.side, r.amount, r.price, r.fee)


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    linked: int  # logical file records newly matched to an API record
    held: int  # logical file records newly held for review


def _groups(rows: Iterable[FileRecordRow]) -> list[_Group]:
    by_key: dict[tuple[str, str], _Group] = {}
    for row in rows:
        group = by_key.get((row.endpoint, row.record_key))
        if group is None:
            by_key[(row.endpoint, row.record_key)] = _Group(row.endpoint, row.record_key, [row])
        else:
            group.rows.append(row)
    return list(by_key.values())


def _apply(
    session: Session,
    key_id: int,
    links: Sequence[tuple[_Group, int]] = (),
    holds: Sequence[tuple[_Group, Sequence[int]]] = (),
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
    for group, _ in (*links, *holds):
        for row in group.rows:
            session.expire(row)


def link_pending(session: Session, key_id: int, *, endpoints: Iterable[str] | None = None) -> LinkOutcome:
    """Match the account's stored file rows that have no exchange id to API rows (see module doc)."""
    statement = select(FileRecordRow).where(
        FileRecordRow.key_id == key_id, FileRecordRow.exchange_id == "", FileRecordRow.status == "stored"
    )
    wanted = set(endpoints) if endpoints is not None else None
    if wanted is not None:
        statement = statement.where(FileRecordRow.endpoint.in_(wanted))
    _revive_orphans(session, key_id)
    with session.no_autoflush:
        links, holds = _decide(session, key_id, statement)
    _apply(session, key_id, links, holds)
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
    for group in _groups(lost):
        _insert_file_transaction(session, key_id, group.first)
        for row in group.rows:
            row.status = "stored"
            row.linked_transaction_id = None
    if lost:
        session.flush()


def _decide(
    session: Session, key_id: int, statement: Select[Any]
) -> tuple[list[tuple[_Group, int]], list[tuple[_Group, list[int]]]]:
    groups = _groups(session.scalars(statement.order_by(FileRecordRow.timestamp_ms, FileRecordRow.id)))
    links: list[tuple[_Group, int]] = []
    holds: list[tuple[_Group, list[int]]] = []
    if not groups:
        return links, holds
    linked_to = {
        int(tx or 0): key
        for tx, key in session.execute(
            select(FileRecordRow.linked_transaction_id, FileRecordRow.record_key).where(
                FileRecordRow.key_id == key_id,
                FileRecordRow.status == "linked",
                FileRecordRow.linked_transaction_id.is_not(None),
            )
        ).all()
    }
    by_endpoint: dict[str, list[_Group]] = defaultdict(list)
    for group in groups:
        by_endpoint[group.endpoint].append(group)
    profiles = _key_profiles(session, key_id)
    for endpoint, members in by_endpoint.items():
        profile = profiles.get(endpoint)
        if profile is None:
            continue
        raws = [json.loads(g.first.match_json or "{}") for g in members]
        tolerances = [_time_tolerance(g.first, raw, profile) for g, raw in zip(members, raws, strict=True)]
        lo = min(g.first.timestamp_ms - tol for g, tol in zip(members, tolerances, strict=True))
        hi = max(g.first.timestamp_ms + tol for g, tol in zip(members, tolerances, strict=True))
        api_rows = session.execute(
            select(TransactionRow.id, TransactionRow.timestamp_ms, TransactionRow.raw_json)
            .where(
                TransactionRow.key_id == key_id,
                TransactionRow.endpoint == endpoint,
                TransactionRow.source == "api",
                TransactionRow.timestamp_ms > lo,
                TransactionRow.timestamp_ms < hi,
            )
            .order_by(TransactionRow.timestamp_ms)
        ).all()
        times = [int(r[1]) for r in api_rows]
        tx_times = {int(r[0]): int(r[1]) for r in api_rows}
        parsed: dict[int, dict[str, Any]] = {}
        candidates: list[list[int]] = []
        for group, raw, tol in zip(members, raws, tolerances, strict=True):
            start = _bisect_left(times, group.first.timestamp_ms - tol + 1)
            found: list[int] = []
            for tx_id, tx_time, tx_raw in api_rows[start:]:
                if tx_time >= group.first.timestamp_ms + tol:
                    break
                owner = linked_to.get(tx_id)
                if owner is not None and owner != group.record_key:
                    continue
                api_raw = parsed.get(tx_id)
                if api_raw is None:
                    api_raw = parsed[tx_id] = json.loads(tx_raw or "{}")
                if _profile_matches(profile, group.first, raw, api_raw):
                    found.append(int(tx_id))
            candidates.append(found)
        api_values = _api_values(session, {c for cs in candidates for c in cs})
        for component in _components(candidates):
            groups_in = [members[i] for i in component]
            cands = sorted({c for i in component for c in candidates[i]}, key=lambda c: (tx_times[c], c))
            if not cands:
                continue
            if len(groups_in) == 1 and len(cands) == 1:
                links.append((groups_in[0], cands[0]))
                linked_to[cands[0]] = groups_in[0].record_key
            elif (
                len(groups_in) == len(cands)
                and len({g.values() for g in groups_in}) == 1
                and len({api_values[c] for c in cands}) == 1
            ):
                ordered = sorted(groups_in, key=lambda g: (g.first.timestamp_ms, g.record_key))
                for group, candidate in zip(ordered, cands, strict=True):
                    links.append((group, candidate))
                    linked_to[candidate] = group.record_key
            else:
                holds.extend((members[i], candidates[i]) for i in component if candidates[i])
    return links, holds


def _bisect_left(values: Sequence[int], target: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _api_values(session: Session, ids: set[int]) -> dict[int, tuple[str, ...]]:
    values: dict[int, tuple[str, ...]] = {}
    id_list = sorted(ids)
    for i in range(0, len(id_list), 500):
        for row in session.execute(
            select(
                TransactionRow.id,
                TransactionRow.kind,
                TransactionRow.base,
                TransactionRow.quote,
                TransactionRow.side,
                TransactionRow.amount,
                TransactionRow.price,
                TransactionRow.fee,
            ).where(TransactionRow.id.in_(id_list[i : i + 500]))
        ).all():
            values[int(row[0])] = tuple(str(v) for v in row[1:])
    return values


def _components(candidates: Sequence[Sequence[int]]) -> list[list[int]]:
    """Connected components of file groups (by index) that share a candidate."""
    parent = list(range(len(candidates)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for i, cands in enumerate(candidates):
        for c in cands:
            if c in owner:
                parent[find(i)] = find(owner[c])
            else:
                owner[c] = i
    components: dict[int, list[int]] = defaultdict(list)
    for i in range(len(candidates)):
        components[find(i)].append(i)
    return list(components.values())


def link_file_rows(store: Store, account_id: int) -> LinkOutcome:
    """Match the account's file rows without exchange ids to API rows. Call after every sync."""
    with write_session(store) as session:
        outcome = link_pending(session, account_id)
        recount(session, account_id)
        return outcome


# ------------------------------------------------------------------------------------ review queue


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
    def of(cls, row: FileRecordRow | TransactionRow) -> RecordValues:
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


def list_reviews(store: Store, account_id: int) -> list[ReviewItem]:
    with read_session(store) as session:
        rows = session.scalars(
            select(FileRecordRow)
            .where(FileRecordRow.key_id == account_id, FileRecordRow.status == "review")
            .order_by(FileRecordRow.timestamp_ms, FileRecordRow.id)
        ).all()
        names = _file_names(session, (r.file_id for r in rows))
        reviews = session.execute(
            select(MatchReviewRow.endpoint, MatchReviewRow.record_key, TransactionRow)
            .join(TransactionRow, TransactionRow.id == MatchReviewRow.transaction_id)
            .where(MatchReviewRow.key_id == account_id)
            .order_by(TransactionRow.timestamp_ms, TransactionRow.id)
        ).all()
        by_group: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        for endpoint, record_key, tx in reviews:
            by_group[(endpoint, record_key)].append(Candidate(tx.id, tx.exchange_id, RecordValues.of(tx)))
        return [
            ReviewItem(
                group.endpoint,
                group.record_key,
                tuple(FileRowRef(r.file_id, names.get(r.file_id, ""), r.row_number) for r in group.rows),
                RecordValues.of(group.first),
                tuple(by_group.get((group.endpoint, group.record_key), ())),
            )
            for group in _groups(rows)
        ]


def file_transaction_raw(match_raw: Mapping[str, Any], format_id: str, file_name: str, row: int) -> str:
    """``raw_json`` of a transaction stored from a file: the row as the API's record (so whatever
    reads API fields from ``raw_json``, like the Cryptact export, reads file rows the same way),
    plus ``_file`` saying where it came from. The file's own cells are in ``file_records``."""
    raw = dict(match_raw)
    raw["_file"] = {"format": format_id, "file": file_name, "row": row}
    return json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _insert_file_transaction(session: Session, key_id: int, row: FileRecordRow) -> None:
    session.execute(
        sqlite_insert(TransactionRow).on_conflict_do_nothing(
            index_elements=["key_id", "endpoint", "exchange_id"]
        ),
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
                "source": "file",
                "raw_json": _file_raw_of(session, row),
                "inserted_at_ms": now_ms(),
            }
        ],
    )


def _file_raw_of(session: Session, row: FileRecordRow) -> str:
    file_row = session.get(ImportedFileRow, row.file_id)
    return file_transaction_raw(
        json.loads(row.match_json or "{}"),
        file_row.format_id if file_row else "",
        file_row.file_name if file_row else "",
        row.row_number,
    )


def resolve_review(
    store: Store, account_id: int, endpoint: str, record_key: str, transaction_id: int | None
) -> None:
    """Decide a held match: ``transaction_id`` = "the file row is this API record" (linked), or
    None = "it is none of them" (the file row is stored as its own record and not matched again)."""
    with write_session(store) as session:
        rows = list(
            session.scalars(
                select(FileRecordRow).where(
                    FileRecordRow.key_id == account_id,
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
                    MatchReviewRow.key_id == account_id,
                    MatchReviewRow.endpoint == endpoint,
                    MatchReviewRow.record_key == record_key,
                )
            )
        )
        group = _Group(endpoint, record_key, rows)
        if transaction_id is not None:
            if transaction_id not in allowed:
                raise ValueError("that record is not one of the candidates")
            _apply(session, account_id, links=[(group, transaction_id)])
        else:
            _insert_file_transaction(session, account_id, group.first)
            for row in rows:
                row.status = "kept"
        session.execute(
            delete(MatchReviewRow).where(
                MatchReviewRow.key_id == account_id,
                MatchReviewRow.endpoint == endpoint,
                MatchReviewRow.record_key == record_key,
            )
        )
        recount(session, account_id)


# ------------------------------------------------------------------------------------ the report


class ReconStatus(enum.StrEnum):
    MATCHED = "matched"
    ONLY_IN_FILE = "only_in_file"
    ONLY_IN_API = "only_in_api"
    CONFLICT = "conflict"
    HELD = "held_for_review"


_STATUS_LABELS = {
    ReconStatus.MATCHED: "In the file and from the API",
    ReconStatus.ONLY_IN_FILE: "Only in the file",
    ReconStatus.ONLY_IN_API: "Only from the API",
    ReconStatus.CONFLICT: "Different values in the file and from the API",
    ReconStatus.HELD: "Held for review (several API records match)",
}


def status_label(status: ReconStatus) -> str:
    return translate("imports", _STATUS_LABELS[status])


@dataclass(frozen=True, slots=True)
class ReconItem:
    status: ReconStatus
    endpoint: str
    exchange_id: str  # the exchange's id where known ("" for a file row without one)
    timestamp_ms: int
    file_rows: tuple[FileRowRef, ...] = ()
    file_values: RecordValues | None = None
    api_transaction_id: int | None = None
    api_values: RecordValues | None = None
    differences: tuple[str, ...] = ()
    api_covered: bool | None = None  # only-in-file: had the API fetched that time at all?
    candidates: tuple[int, ...] = ()  # held: the API records it could be


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    account_id: int
    account_label: str
    exchange: str
    period: Range | None
    generated_at_ms: int
    matched: tuple[ReconItem, ...] = ()
    only_in_file: tuple[ReconItem, ...] = ()
    only_in_api: tuple[ReconItem, ...] = ()
    conflicting: tuple[ReconItem, ...] = ()
    held: tuple[ReconItem, ...] = ()
    endpoints: tuple[str, ...] = field(default=())

    def items(self) -> tuple[ReconItem, ...]:
        every = (*self.conflicting, *self.only_in_file, *self.only_in_api, *self.held, *self.matched)
        return tuple(sorted(every, key=lambda i: (i.timestamp_ms, i.endpoint, i.status.value)))

    @property
    def is_clean(self) -> bool:
        return not (self.only_in_file or self.only_in_api or self.conflicting or self.held)


def _in(period: Range | None, t: int) -> bool:
    return period is None or period[0] <= t <= period[1]


def _covers(ranges: Sequence[Range], t: int) -> bool:
    return any(a <= t <= b for a, b in ranges)


def _api_coverage(session: Session, key_id: int) -> dict[tuple[str, str], list[Range]]:
    ranges: dict[tuple[str, str], list[Range]] = defaultdict(list)
    for endpoint, stream, start, end in session.execute(
        select(
            CoveredRangeRow.endpoint, CoveredRangeRow.stream, CoveredRangeRow.start_ms, CoveredRangeRow.end_ms
        ).where(CoveredRangeRow.key_id == key_id)
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


def reconcile(store: Store, account_id: int, period: Range | None = None) -> ReconciliationReport:
    """Compare the account's imported files with what the API delivered (runs :func:`link_pending`
    first, so the report is current). ``period``: inclusive epoch ms, None for everything."""
    link_file_rows(store, account_id)
    with read_session(store) as session:
        account = session.get(ApiKeyRow, account_id)
        if account is None:
            raise KeyError(f"no account with id {account_id}")
        rows = session.scalars(
            select(FileRecordRow)
            .where(FileRecordRow.key_id == account_id)
            .order_by(FileRecordRow.timestamp_ms, FileRecordRow.id)
        ).all()
        names = _file_names(session, (r.file_id for r in rows))
        api_cover = _api_coverage(session, account_id)
        profiles = match_profiles(account.exchange)
        file_cover = _file_coverage(session, account_id)
        groups = _groups(rows)
        stored_keys: dict[str, set[str]] = defaultdict(set)
        wanted_ids: set[int] = set()
        for group in groups:
            if group.first.status == "linked" and group.first.linked_transaction_id is not None:
                wanted_ids.add(group.first.linked_transaction_id)
            elif group.first.status in ("stored", "kept"):
                stored_keys[group.endpoint].add(group.record_key)
        by_key: dict[tuple[str, str], TransactionRow] = {}
        for endpoint, keys in stored_keys.items():
            key_list = sorted(keys)
            for i in range(0, len(key_list), 500):
                for found in session.scalars(
                    select(TransactionRow).where(
                        TransactionRow.key_id == account_id,
                        TransactionRow.endpoint == endpoint,
                        TransactionRow.exchange_id.in_(key_list[i : i + 500]),
                    )
                ):
                    by_key[(endpoint, found.exchange_id)] = found
        by_id: dict[int, TransactionRow] = {}
        id_list = sorted(wanted_ids)
        for i in range(0, len(id_list), 500):
            for linked_tx in session.scalars(
                select(TransactionRow).where(TransactionRow.id.in_(id_list[i : i + 500]))
            ):
                by_id[linked_tx.id] = linked_tx
        held_candidates: dict[tuple[str, str], list[int]] = defaultdict(list)
        for endpoint, record_key, tx_id in session.execute(
            select(MatchReviewRow.endpoint, MatchReviewRow.record_key, MatchReviewRow.transaction_id).where(
                MatchReviewRow.key_id == account_id
            )
        ).all():
            held_candidates[(endpoint, record_key)].append(int(tx_id))

        buckets: dict[ReconStatus, list[ReconItem]] = defaultdict(list)
        referenced: set[int] = set()
        for group in groups:
            first = group.first
            refs = tuple(FileRowRef(r.file_id, names.get(r.file_id, ""), r.row_number) for r in group.rows)
            tx: TransactionRow | None
            if first.status == "review":
                cands = tuple(sorted(held_candidates.get((group.endpoint, group.record_key), [])))
                referenced.update(cands)
                if _in(period, first.timestamp_ms):
                    buckets[ReconStatus.HELD].append(
                        ReconItem(
                            ReconStatus.HELD,
                            group.endpoint,
                            first.exchange_id,
                            first.timestamp_ms,
                            refs,
                            RecordValues.of(first),
                            candidates=cands,
                        )
                    )
                continue
            if first.status == "linked":
                tx = by_id.get(first.linked_transaction_id or -1)
            else:
                tx = by_key.get((group.endpoint, group.record_key))
            if tx is not None:
                referenced.add(tx.id)
            if not _in(period, first.timestamp_ms):
                continue
            if tx is None or tx.source != "api":
                covered = _covers(api_cover.get((group.endpoint, first.stream), []), first.timestamp_ms)
                buckets[ReconStatus.ONLY_IN_FILE].append(
                    ReconItem(
                        ReconStatus.ONLY_IN_FILE,
                        group.endpoint,
                        first.exchange_id,
                        first.timestamp_ms,
                        refs,
                        RecordValues.of(first),
                        api_covered=covered,
                    )
                )
                continue
            diffs = differences(first, tx, profiles.get(group.endpoint))
            status = ReconStatus.CONFLICT if diffs else ReconStatus.MATCHED
            buckets[status].append(
                ReconItem(
                    status,
                    group.endpoint,
                    first.exchange_id or tx.exchange_id,
                    first.timestamp_ms,
                    refs,
                    RecordValues.of(first),
                    tx.id,
                    RecordValues.of(tx),
                    diffs,
                )
            )
        for endpoint, ranges in file_cover.items():
            for a, b in ranges:
                lo, hi = (max(a, period[0]), min(b, period[1])) if period else (a, b)
                if lo > hi:
                    continue
                for api_tx in session.scalars(
                    select(TransactionRow)
                    .where(
                        TransactionRow.key_id == account_id,
                        TransactionRow.endpoint == endpoint,
                        TransactionRow.source == "api",
                        TransactionRow.timestamp_ms >= lo,
                        TransactionRow.timestamp_ms <= hi,
                    )
                    .order_by(TransactionRow.timestamp_ms, TransactionRow.id)
                ):
                    if api_tx.id in referenced:
                        continue
                    buckets[ReconStatus.ONLY_IN_API].append(
                        ReconItem(
                            ReconStatus.ONLY_IN_API,
                            endpoint,
                            api_tx.exchange_id,
                            api_tx.timestamp_ms,
                            api_transaction_id=api_tx.id,
                            api_values=RecordValues.of(api_tx),
                        )
                    )
        endpoints = sorted({g.endpoint for g in groups} | set(file_cover))
        return ReconciliationReport(
            account_id=account_id,
            account_label=account.label,
            exchange=account.exchange,
            period=period,
            generated_at_ms=now_ms(),
            matched=tuple(buckets[ReconStatus.MATCHED]),
            only_in_file=tuple(buckets[ReconStatus.ONLY_IN_FILE]),
            only_in_api=tuple(buckets[ReconStatus.ONLY_IN_API]),
            conflicting=tuple(buckets[ReconStatus.CONFLICT]),
            held=tuple(buckets[ReconStatus.HELD]),
            endpoints=tuple(endpoints),
        )


def _iso(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


_CSV_VALUE_FIELDS = ("kind", "base", "quote", "side", "amount", "price", "fee", "fee_currency", "tx_hash")


def write_report_csv(report: ReconciliationReport, path: Path | str) -> Path:
    """Write the report as a UTF-8 CSV (with BOM, so Excel opens it correctly) for support."""
    path = Path(path)
    header = [
        _t("Status"),
        _t("Status code"),
        _t("Endpoint"),
        _t("Time (UTC)"),
        _t("Exchange ID"),
        _t("File"),
        _t("Row"),
        _t("Differences"),
        _t("API covered this time"),
        _t("Candidate API records"),
    ]
    for name in _CSV_VALUE_FIELDS:
        header += [f"file_{name}", f"api_{name}"]
    header += ["file_time", "api_time"]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"# {_t('Reconciliation report')}", report.account_label, report.exchange])
        writer.writerow(
            [
                f"# {_t('Period')}",
                _iso(report.period[0]) if report.period else _t("everything"),
                _iso(report.period[1]) if report.period else "",
                f"{_t('Generated')} {_iso(report.generated_at_ms)}",
            ]
        )
        writer.writerow(
            [
                f"# {_t('Counts')}",
                f"matched={len(report.matched)}",
                f"only_in_file={len(report.only_in_file)}",
                f"only_in_api={len(report.only_in_api)}",
                f"conflicting={len(report.conflicting)}",
                f"held_for_review={len(report.held)}",
            ]
        )
        writer.writerow(header)
        for item in report.items():
            row = [
                status_label(item.status),
                item.status.value,
                item.endpoint,
                _iso(item.timestamp_ms),
                item.exchange_id,
                "; ".join(sorted({r.file_name for r in item.file_rows})),
                "; ".join(str(r.row_number) for r in item.file_rows),
                ", ".join(item.differences),
                "" if item.api_covered is None else ("yes" if item.api_covered else "no"),
                " ".join(str(c) for c in item.candidates),
            ]
            for name in _CSV_VALUE_FIELDS:
                row.append(getattr(item.file_values, name) if item.file_values else "")
                row.append(getattr(item.api_values, name) if item.api_values else "")
            row.append(_iso(item.file_values.timestamp_ms) if item.file_values else "")
            row.append(_iso(item.api_values.timestamp_ms) if item.api_values else "")
            writer.writerow(row)
    return path


# ------------------------------------------------------------------------------------ coverage


class CoverageSource(enum.StrEnum):
    FILE = "file"
    API = "api"
    BOTH = "both"
    NONE = "none"  # a gap: neither a file nor the API covers it


@dataclass(frozen=True, slots=True)
class CoverageSegment:
    endpoint: str
    start_ms: int
    end_ms: int  # inclusive
    source: CoverageSource
    api_unreachable: bool = False  # the API said this time is beyond its look-back: import a file


def _endpoint_api_ranges(info_streams: Sequence[str], per_stream: Mapping[str, list[Range]]) -> list[Range]:
    """Times every stream of the endpoint has covered (the endpoint is complete only there)."""
    if not info_streams:
        return merge_ranges(r for ranges in per_stream.values() for r in ranges)
    result: list[Range] | None = None
    for stream in info_streams:
        ranges = per_stream.get(stream, [])
        if result is None:
            result = list(ranges)
            continue
        intersection: list[Range] = []
        for a1, b1 in result:
            for a2, b2 in ranges:
                lo, hi = max(a1, a2), min(b1, b2)
                if lo <= hi:
                    intersection.append((lo, hi))
        result = merge_ranges(intersection)
    return result or []


def coverage_view(store: Store, account_id: int, *, until_ms: int | None = None) -> list[CoverageSegment]:
    """Per endpoint, consecutive segments from the oldest covered time to ``until_ms`` (default now):
    covered by files, by the API, by both, or by neither (a gap)."""
    end_of_view = now_ms() if until_ms is None else until_ms
    with read_session(store) as session:
        account = session.get(ApiKeyRow, account_id)
        if account is None:
            raise KeyError(f"no account with id {account_id}")
        try:
            streams_of = {
                e.id: tuple(s.id for s in e.streams) for e in venue_info(account.exchange).endpoints
            }
        except KeyError:
            streams_of = {}
        api_cover = _api_coverage(session, account_id)
        file_cover = _file_coverage(session, account_id)
        unreachable = {
            row.endpoint: (row.unreachable_from_ms, row.unreachable_to_ms)
            for row in session.scalars(select(KeyEndpointRow).where(KeyEndpointRow.key_id == account_id))
        }
    per_endpoint_streams: dict[str, dict[str, list[Range]]] = defaultdict(dict)
    for (endpoint, stream), ranges in api_cover.items():
        per_endpoint_streams[endpoint][stream] = ranges
    endpoints = [e for e in streams_of if e in per_endpoint_streams or e in file_cover]
    endpoints += sorted((set(per_endpoint_streams) | set(file_cover)) - set(endpoints))
    segments: list[CoverageSegment] = []
    for endpoint in endpoints:
        api = _endpoint_api_ranges(streams_of.get(endpoint, ()), per_endpoint_streams.get(endpoint, {}))
        files = file_cover.get(endpoint, [])
        if not api and not files:
            continue
        start = min(r[0] for r in (*api, *files))
        stop = max(end_of_view, *(r[1] for r in (*api, *files)))
        cuts = {start, stop + 1}
        for a, b in (*api, *files):
            cuts.update((a, b + 1))
        bounds = sorted(c for c in cuts if start <= c <= stop + 1)
        gone = unreachable.get(endpoint, (None, None))
        current: CoverageSegment | None = None
        for lo, next_lo in zip(bounds, bounds[1:], strict=False):
            hi = next_lo - 1
            in_api, in_file = _covers(api, lo), _covers(files, lo)
            source = (
                CoverageSource.BOTH
                if in_api and in_file
                else CoverageSource.API
                if in_api
                else CoverageSource.FILE
                if in_file
                else CoverageSource.NONE
            )
            lost = (
                source is CoverageSource.NONE
                and gone[0] is not None
                and gone[1] is not None
                and lo <= gone[1]
                and hi >= gone[0]
            )
            if current is not None and current.source is source and current.api_unreachable == lost:
                current = CoverageSegment(endpoint, current.start_ms, hi, source, lost)
                segments[-1] = current
            else:
                current = CoverageSegment(endpoint, lo, hi, source, lost)
                segments.append(current)
    return segments


def suggest_sync_from(store: Store, account_id: int, endpoint: str) -> int | None:
    """Where an API sync could start for ``endpoint``: just after the newest file row.

    Exactly "newest row + 1 ms" when the file writes milliseconds; otherwise the start of the
    newest row's second (or minute): the row's true time lies somewhere inside it, so the API
    re-reads that instant and the match/unique key drops the overlap instead of leaving a gap.
    None when no file row exists for the endpoint.
    """
    with read_session(store) as session:
        row = session.execute(
            select(FileRecordRow.timestamp_ms, FileRecordRow.time_precision_ms)
            .where(FileRecordRow.key_id == account_id, FileRecordRow.endpoint == endpoint)
            .order_by(FileRecordRow.timestamp_ms.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    newest, precision = int(row[0]), int(row[1])
    return newest + 1 if precision <= 1 else newest
