"""Rows of the database to plain frozen values (``state``) and records to row values."""

from __future__ import annotations

from typing import Any

from cryptact_desktop.errors import Failure, FailureKind
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.state import (
    EndpointState,
    EndpointStatus,
    KeyConfig,
    KeyVerificationInfo,
    TransactionView,
)
from cryptact_desktop.store.models import ApiKeyRow, KeyEndpointRow


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


def failure_from_row(row: KeyEndpointRow) -> Failure | None:
    if not row.error_kind:
        return None
    try:
        kind = FailureKind(row.error_kind)
    except ValueError:
        kind = FailureKind.UNEXPECTED_RESPONSE
    return Failure(kind=kind, message=row.error_message, hint=row.error_hint, code=row.error_code)


def key_config(row: ApiKeyRow) -> KeyConfig:
    endpoints = tuple(
        EndpointState(
            endpoint=e.endpoint,
            enabled=e.enabled,
            status=EndpointStatus(e.status),
            last_success_ms=e.last_success_ms,
            last_attempt_ms=e.last_attempt_ms,
            failure=failure_from_row(e),
            record_count=max(0, e.record_count - e.hidden_count),  # what the view shows
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


VIEW_FIELDS: tuple[str, ...] = TransactionView._fields


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
