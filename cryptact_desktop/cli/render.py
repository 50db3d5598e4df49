"""Text and JSON for people and scripts: times, tables, status words, and the JSON of keys,
endpoints, verifications and sync runs."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptact_desktop.errors import Failure
from cryptact_desktop.i18n import translate
from cryptact_desktop.state import EndpointState, EndpointStatus, KeyConfig, StreamRunStats, SyncRunInfo
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.venues.registry import CUSTOM_HOST

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _t(text: str) -> str:
    return translate("cli", text)


# -- times --------------------------------------------------------------------------------------


def utc(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


def iso(ms: int | None) -> str | None:
    """UTC ISO 8601 with milliseconds and ``Z``."""
    if ms is None:
        return None
    moment = utc(ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def local_iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return utc(ms).astimezone().isoformat(timespec="milliseconds")


def local(ms: int | None, empty: str = "-") -> str:
    """Local wall-clock time for people: ``2024-05-01 21:00:00 JST``."""
    if ms is None:
        return empty
    moment = utc(ms).astimezone()
    zone = moment.tzname() or moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M:%S} {zone}".strip()


def day(ms: int) -> str:
    return f"{utc(ms):%Y-%m-%d}"


def sync_from_text(ms: int | None) -> str:
    if ms is None:
        return "-"
    moment = utc(ms)
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return day(ms)
    return iso(ms) or "-"


# -- tables and words ---------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    """Columns padded to the widest cell (CJK characters count twice)."""
    widths = [_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], _width(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(cells)]
        return (indent + "  ".join(padded)).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)]) + "\n"


def yes_no(value: bool | None) -> str:
    if value is None:
        return _t("unknown")
    return _t("yes") if value else _t("no")


def status_text(status: EndpointStatus | str) -> str:
    texts = {
        EndpointStatus.NEVER.value: _t("never synced"),
        EndpointStatus.SYNCING.value: _t("syncing"),
        EndpointStatus.OK.value: _t("ok"),
        EndpointStatus.FAILED.value: _t("FAILED"),
        "cancelled": _t("cancelled"),
        "partial": _t("partly failed"),
        "running": _t("running"),
        "interrupted": _t("interrupted (resumable)"),
    }
    value = str(status)
    return texts.get(value, value)


def host_text(key: KeyConfig) -> str:
    return f"{CUSTOM_HOST} ({key.base_url})" if key.host_id == CUSTOM_HOST else key.host_id


def unreachable_text(before_ms: int) -> str:
    return _t(
        "history before {date} cannot be fetched through the API — import the exchange's export file"
    ).format(date=day(before_ms))


# -- JSON ---------------------------------------------------------------------------------------


def failure_json(failure: Failure | None) -> dict[str, str] | None:
    if failure is None:
        return None
    return {
        "kind": failure.kind.value,
        "code": failure.code,
        "message": failure.message,
        "hint": failure.hint,
    }


def unreachable_json(start: int | None, end: int | None) -> dict[str, Any] | None:
    if start is None or end is None:
        return None
    return {
        "from_ms": start,
        "to_ms": end,
        "from_utc": iso(start),
        "to_utc": iso(end),
        "before": day(end + 1),
        "message": unreachable_text(end + 1),
    }


def verification_json(v: KeyVerification) -> dict[str, Any]:
    return {
        "valid": v.valid,
        "read_only": v.read_only,
        "permissions": list(v.permissions),
        "user_id": v.user_id,
        "is_master": v.is_master,
        "expires_at_ms": v.expires_at_ms,
        "expires_at_utc": iso(v.expires_at_ms),
        "ip_restricted": v.ip_restricted,
        "warnings": list(v.warnings),
        "notes": list(v.notes),
    }


def endpoint_json(state: EndpointState) -> dict[str, Any]:
    return {
        "endpoint": state.endpoint,
        "enabled": state.enabled,
        "status": state.status.value,
        "last_success_ms": state.last_success_ms,
        "last_success_utc": iso(state.last_success_ms),
        "last_success_local": local_iso(state.last_success_ms),
        "last_attempt_ms": state.last_attempt_ms,
        "last_attempt_utc": iso(state.last_attempt_ms),
        "records": state.record_count,
        "failure": failure_json(state.failure),
        "unreachable": unreachable_json(state.unreachable_from_ms, state.unreachable_to_ms),
    }


def key_json(key: KeyConfig, *, with_endpoints: bool = False) -> dict[str, Any]:
    info = key.verification
    data: dict[str, Any] = {
        "id": key.id,
        "exchange": key.exchange,
        "label": key.label,
        "subaccount": key.subaccount,
        "host": key.host_id,
        "base_url": key.base_url,
        "sync_from_ms": key.sync_from_ms,
        "sync_from_utc": iso(key.sync_from_ms),
        "paused": key.paused,
        "key_hint": key.key_hint,
        "endpoints": list(key.enabled_endpoints),
        "status": key.status.value,
        "last_sync_ms": key.last_success_ms,
        "last_sync_utc": iso(key.last_success_ms),
        "last_sync_local": local_iso(key.last_success_ms),
        "records": key.record_count,
        "verification": {
            "read_only": info.read_only,
            "permissions": list(info.permissions),
            "user_id": info.exchange_user_id,
            "is_master": info.is_master,
            "expires_at_utc": iso(info.expires_at_ms),
            "verified_at_utc": iso(info.verified_at_ms),
        },
    }
    if with_endpoints:
        data["endpoint_states"] = [endpoint_json(e) for e in key.endpoints if e.enabled]
    return data


def stream_json(s: StreamRunStats) -> dict[str, Any]:
    return {
        "endpoint": s.endpoint,
        "stream": s.stream,
        "status": s.status,
        "pages": s.pages,
        "requests": s.requests,
        "retries": s.retries,
        "new_rows": s.new_rows,
        "duplicate_rows": s.duplicate_rows,
        "rate_limit_waits": s.rate_limit_waits,
        "waited_ms": s.waited_ms,
        "error": failure_json(s.failure),
    }


def run_json(run: SyncRunInfo) -> dict[str, Any]:
    return {
        "id": run.id,
        "key_id": run.key_id,
        "started_ms": run.started_ms,
        "started_utc": iso(run.started_ms),
        "finished_ms": run.finished_ms,
        "finished_utc": iso(run.finished_ms),
        "outcome": run.outcome,
        "streams": [stream_json(s) for s in run.streams],
    }
