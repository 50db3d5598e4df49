"""The headless command line: keys, sync, status, the sync log and exports — for scripts, cron
and support.

    cryptact-desktop [--data-dir DIR] [--json] COMMAND ...

Secrets are never taken from the command line (it ends up in shell histories and process
lists): ``keys add`` and ``keys edit --replace-secret`` read them from ``CRYPTACT_API_KEY`` /
``CRYPTACT_API_SECRET`` / ``CRYPTACT_API_PASSPHRASE``, else from standard input (a pipe: first
line the API key, second the secret, third the passphrase where the exchange needs one; a
terminal: hidden prompts).

Exit codes: 0 success; 1 unexpected error; 2 usage or input error (including an unknown key);
3 the exchange, the keyring or a sync failed (or ``status`` found an endpoint failed or never
synced); 4 cancelled (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextvars
import getpass
import json
import logging
import os
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import Failure, SyncFailure
from cryptact_desktop.export_csv import write_transactions_csv
from cryptact_desktop.i18n import translate
from cryptact_desktop.paths import DataPaths, resolve_data_dir
from cryptact_desktop.redaction import redact, setup_logging
from cryptact_desktop.secrets import SecretStore, SecretStoreError
from cryptact_desktop.service import AppService, KeyInputError, clean_credentials
from cryptact_desktop.state import (
    EndpointState,
    EndpointStatus,
    KeyConfig,
    NewKey,
    StreamRunStats,
    SyncRunInfo,
    TransactionFilter,
)
from cryptact_desktop.store import Store
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.sync.engine import EndpointOutcome, SyncProgress, SyncResult
from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.registry import CUSTOM_HOST, base_url_for, venue_info, venue_infos

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_CANCELLED = 4

ENV_API_KEY = "CRYPTACT_API_KEY"
ENV_API_SECRET = "CRYPTACT_API_SECRET"  # noqa: S105 - the variable's name, not a secret
ENV_API_PASSPHRASE = "CRYPTACT_API_PASSPHRASE"  # noqa: S105

COMMANDS: tuple[str, ...] = ("keys", "sync", "status", "runs", "export", "demo-server")
EXPORT_FORMATS: tuple[str, ...] = ("csv", "cryptact")

PROGRESS_INTERVAL_S = 1.0  # at most one progress line per stream per interval (plus its final line)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _t(text: str) -> str:
    return translate("cli", text)


# ---------------------------------------------------------------------------------------------
# Recognising a CLI invocation (shared with ``__main__``)


def command_index(argv: Sequence[str]) -> int | None:
    """Index of the subcommand in ``argv`` once the global flags are skipped, or None."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--json" or arg.startswith("--data-dir="):
            i += 1
        elif arg == "--data-dir":
            i += 2
        else:
            return i if arg in COMMANDS else None
    return None


def is_cli_invocation(argv: Sequence[str]) -> bool:
    """True when ``argv`` names a CLI subcommand (after optional global flags) or asks for help."""
    if command_index(argv) is not None:
        return True
    for arg in argv:
        if arg in ("-h", "--help"):
            return True
        if arg != "--json" and not arg.startswith("--data-dir"):
            break
    return False


# ---------------------------------------------------------------------------------------------
# Errors and argparse plumbing


class CliError(Exception):
    """An expected problem: shown as one line (plus a hint), never with a traceback."""

    def __init__(self, message: str, hint: str = "", code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


class _ParserExit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


_streams: contextvars.ContextVar[tuple[TextIO, TextIO]] = contextvars.ContextVar("cli_streams")


class _Parser(argparse.ArgumentParser):
    """argparse writing to the streams given to :func:`main` and raising instead of exiting.

    Abbreviated options are off: a script must keep working when an option is added later.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    @staticmethod
    def _io() -> tuple[TextIO, TextIO]:
        return _streams.get((sys.stdout, sys.stderr))

    def print_help(self, file: SupportsWrite[str] | None = None) -> None:
        (file or self._io()[0]).write(self.format_help())

    def print_usage(self, file: SupportsWrite[str] | None = None) -> None:
        (file or self._io()[1]).write(self.format_usage())

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._io()[1].write(message)
        raise _ParserExit(status)

    def error(self, message: str) -> NoReturn:
        self.print_usage()
        self.exit(EXIT_USAGE, f"{self.prog}: {_t('error')}: {message}\n")


def _unrecognised(extras: Sequence[str]) -> str:
    """Describe unknown arguments without echoing values (a pasted secret must not be printed)."""
    options = sorted({token.split("=", 1)[0] for token in extras if token.startswith("-")})
    values = sum(1 for token in extras if not token.startswith("-"))
    parts = []
    if options:
        parts.append(_t("unknown options: {options}").format(options=", ".join(options)))
    if values:
        parts.append(_t("{count} unexpected value(s), not shown").format(count=values))
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# Formatting helpers


def _utc(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def _iso(ms: int | None) -> str | None:
    """UTC ISO 8601 with milliseconds and ``Z``."""
    if ms is None:
        return None
    moment = _utc(ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def _local_iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return _utc(ms).astimezone().isoformat(timespec="milliseconds")


def _local(ms: int | None, empty: str = "-") -> str:
    """Local wall-clock time for people: ``2024-05-01 21:00:00 JST``."""
    if ms is None:
        return empty
    moment = _utc(ms).astimezone()
    zone = moment.tzname() or moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M:%S} {zone}".strip()


def _day(ms: int) -> str:
    return f"{_utc(ms):%Y-%m-%d}"


def _sync_from_text(ms: int | None) -> str:
    if ms is None:
        return "-"
    moment = _utc(ms)
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return _day(ms)
    return _iso(ms) or "-"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    widths = [_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], _width(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(cells)]
        return (indent + "  ".join(padded)).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)]) + "\n"


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _t("unknown")
    return _t("yes") if value else _t("no")


def _status_text(status: EndpointStatus | str) -> str:
    texts = {
        EndpointStatus.NEVER.value: _t("never synced"),
        EndpointStatus.SYNCING.value: _t("syncing"),
        EndpointStatus.OK.value: _t("ok"),
        EndpointStatus.FAILED.value: _t("FAILED"),
        "cancelled": _t("cancelled"),
        "partial": _t("partly failed"),
        "running": _t("running"),
        "interrupted": _t("interrupted"),
    }
    value = str(status)
    return texts.get(value, value)


def _host_text(key: KeyConfig) -> str:
    return f"{CUSTOM_HOST} ({key.base_url})" if key.host_id == CUSTOM_HOST else key.host_id


def _unreachable_text(before_ms: int) -> str:
    return _t(
        "history before {date} cannot be fetched through the API — import the exchange's export file"
    ).format(date=_day(before_ms))


def _failure_json(failure: Failure | None) -> dict[str, str] | None:
    if failure is None:
        return None
    return {
        "kind": failure.kind.value,
        "code": failure.code,
        "message": failure.message,
        "hint": failure.hint,
    }


def _unreachable_json(start: int | None, end: int | None) -> dict[str, Any] | None:
    if start is None or end is None:
        return None
    return {
        "from_ms": start,
        "to_ms": end,
        "from_utc": _iso(start),
        "to_utc": _iso(end),
        "before": _day(end + 1),
        "message": _unreachable_text(end + 1),
    }


def _verification_json(v: KeyVerification) -> dict[str, Any]:
    return {
        "valid": v.valid,
        "read_only": v.read_only,
        "permissions": list(v.permissions),
        "user_id": v.user_id,
        "is_master": v.is_master,
        "expires_at_ms": v.expires_at_ms,
        "expires_at_utc": _iso(v.expires_at_ms),
        "ip_restricted": v.ip_restricted,
        "warnings": list(v.warnings),
        "notes": list(v.notes),
    }


def _endpoint_json(state: EndpointState) -> dict[str, Any]:
    return {
        "endpoint": state.endpoint,
        "enabled": state.enabled,
        "status": state.status.value,
        "last_success_ms": state.last_success_ms,
        "last_success_utc": _iso(state.last_success_ms),
        "last_success_local": _local_iso(state.last_success_ms),
        "last_attempt_ms": state.last_attempt_ms,
        "last_attempt_utc": _iso(state.last_attempt_ms),
        "records": state.record_count,
        "failure": _failure_json(state.failure),
        "unreachable": _unreachable_json(state.unreachable_from_ms, state.unreachable_to_ms),
    }


def _key_json(key: KeyConfig, *, with_endpoints: bool = False) -> dict[str, Any]:
    info = key.verification
    data: dict[str, Any] = {
        "id": key.id,
        "exchange": key.exchange,
        "label": key.label,
        "subaccount": key.subaccount,
        "host": key.host_id,
        "base_url": key.base_url,
        "sync_from_ms": key.sync_from_ms,
        "sync_from_utc": _iso(key.sync_from_ms),
        "paused": key.paused,
        "key_hint": key.key_hint,
        "endpoints": list(key.enabled_endpoints),
        "status": key.status.value,
        "last_sync_ms": key.last_success_ms,
        "last_sync_utc": _iso(key.last_success_ms),
        "last_sync_local": _local_iso(key.last_success_ms),
        "records": key.record_count,
        "verification": {
            "read_only": info.read_only,
            "permissions": list(info.permissions),
            "user_id": info.exchange_user_id,
            "is_master": info.is_master,
            "expires_at_utc": _iso(info.expires_at_ms),
            "verified_at_utc": _iso(info.verified_at_ms),
        },
    }
    if with_endpoints:
        data["endpoint_states"] = [_endpoint_json(e) for e in key.endpoints if e.enabled]
    return data


# ---------------------------------------------------------------------------------------------
# Parsing values


def _exchange_info(exchange_id: str) -> VenueInfo:
    try:
        return venue_info(exchange_id)
    except KeyError:
        raise CliError(
            _t("Unknown exchange {name}. Valid exchanges: {valid}").format(
                name=exchange_id, valid=", ".join(e.id for e in venue_infos())
            )
        ) from None


def _parse_endpoints(info: VenueInfo, text: str) -> tuple[str, ...]:
    """``spot,linear`` → catalogue-ordered ids; ``all`` → every endpoint; ``default`` → the defaults."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    valid = [e.id for e in info.endpoints]
    if "all" in names:
        return tuple(valid)
    if "default" in names:
        names = [n for n in names if n != "default"] + [e.id for e in info.endpoints if e.default_enabled]
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise CliError(
            _t("Unknown endpoint(s) for {exchange}: {unknown}. Valid endpoints: {valid}").format(
                exchange=info.name, unknown=", ".join(unknown), valid=", ".join(valid)
            ),
            _t('Separate several with commas, e.g. "spot,deposits"; "all" selects every endpoint.'),
        )
    if not names:
        raise CliError(
            _t("Choose at least one endpoint. Valid endpoints: {valid}").format(valid=", ".join(valid))
        )
    return tuple(e for e in valid if e in names)


def _default_endpoints(info: VenueInfo) -> tuple[str, ...]:
    return tuple(e.id for e in info.endpoints if e.default_enabled)


def _parse_when(text: str) -> int:
    """``2024-01-01`` (midnight UTC) or an ISO time (``2024-01-01T00:00:00Z``; no zone means UTC)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
    except ValueError:
        raise CliError(
            _t("Cannot read the date {value!r}").format(value=value),
            _t("Use a date such as 2024-01-01 or a UTC time such as 2024-01-01T00:00:00Z."),
        ) from None
    ms = (moment - _EPOCH) // timedelta(milliseconds=1)
    if ms > int(time.time() * 1000):
        raise CliError(_t("The sync-from date {value} is in the future").format(value=value))
    return ms


def _resolve_host(info: VenueInfo, host: str | None, base_url: str | None) -> tuple[str, str]:
    """(host id, base URL) from ``--host``/``--base-url``; a base URL alone means ``custom``."""
    if host is None:
        host = CUSTOM_HOST if base_url else info.default_host.id
    host = host.strip().lower()
    valid = [h.id for h in info.hosts] + ([CUSTOM_HOST] if info.allows_custom_url else [])
    if host not in valid:
        raise CliError(
            _t("Unknown API host {host} for {exchange}. Valid hosts: {valid}").format(
                host=host, exchange=info.name, valid=", ".join(valid)
            )
        )
    if host != CUSTOM_HOST:
        if base_url:
            raise CliError(_t("--base-url is only used with --host custom"))
        return host, ""
    if not base_url:
        raise CliError(_t("--host custom needs --base-url URL"))
    try:
        return host, base_url_for(info, CUSTOM_HOST, base_url)
    except ValueError:
        raise CliError(
            _t("The custom API URL must start with https:// (plain http only on this computer)"),
            _t("For example https://api.example.com or http://127.0.0.1:8080 for the demo server."),
        ) from None


def _check_label(store: Store, label: str, except_id: int | None = None) -> str:
    label = label.strip()
    if not label:
        raise KeyInputError("label", _t("This field is required."))
    if label.isdigit():
        raise CliError(_t("A label cannot be only digits: a number on the command line means a key id."))
    for key in store.list_keys():
        if key.label == label and key.id != except_id:
            raise CliError(
                _t("A key labelled {label!r} already exists (id {id})").format(label=label, id=key.id),
                _t("Labels must be unique so that commands can name keys by label."),
            )
    return label


def _resolve_key(store: Store, text: str) -> KeyConfig:
    """KEY arguments: a numeric key id, or a key's exact label."""
    keys = store.list_keys()
    value = text.strip()
    if value.isdigit():
        for key in keys:
            if key.id == int(value):
                return key
    matches = [key for key in keys if key.label == value]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CliError(
            _t("Several keys are labelled {label!r}").format(label=value),
            _t("Name the key by its id: {ids}.").format(ids=", ".join(str(k.id) for k in matches)),
        )
    raise CliError(
        _t("No key with the id or label {key!r}").format(key=value),
        _t("Run `keys list` to see the keys and their ids."),
    )


def _resolve_keys(store: Store, texts: Sequence[str]) -> list[KeyConfig]:
    found: dict[int, KeyConfig] = {}
    for text in texts:
        key = _resolve_key(store, text)
        found.setdefault(key.id, key)
    return list(found.values())


def _field_name(field_name: str) -> str:
    names = {
        "api_key": _t("API key"),
        "secret": _t("API secret"),
        "passphrase": _t("Passphrase"),
        "label": _t("Label"),
        "endpoints": _t("Endpoints"),
    }
    return names.get(field_name, field_name)


# ---------------------------------------------------------------------------------------------
# The command context


@dataclass
class _Context:
    args: argparse.Namespace
    stdin: TextIO
    out: TextIO
    err: TextIO
    secrets_given: SecretStore | None
    _paths: DataPaths | None = None
    _store: Store | None = None
    _secrets: SecretStore | None = None
    _service: AppService | None = None
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def paths(self) -> DataPaths:
        if self._paths is None:
            self._paths = DataPaths(resolve_data_dir(getattr(self.args, "data_dir", None))).ensure()
            setup_logging(self._paths.log_file)
        return self._paths

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.paths.database)
        return self._store

    @property
    def secrets(self) -> SecretStore:
        if self._secrets is None:
            self._secrets = self.secrets_given if self.secrets_given is not None else SecretStore()
        return self._secrets

    @property
    def service(self) -> AppService:
        if self._service is None:
            self._service = AppService(self.store, self.secrets)
            reset = self._service.recover_interrupted_syncs()
            if reset:
                log.info("reset %d endpoint(s) left 'syncing' by an earlier process", reset)
        return self._service

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def say(self, text: str = "") -> None:
        with self.write_lock:
            self.out.write(text + "\n")

    def note(self, text: str) -> None:
        with self.write_lock:
            self.err.write(text + "\n")

    def emit_json(self, data: Any) -> None:
        with self.write_lock:
            self.out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------------
# Secrets


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _read_credentials(ctx: _Context, info: VenueInfo) -> Credentials:
    """From the environment, else standard input (hidden prompts on a terminal)."""
    api_key = os.environ.get(ENV_API_KEY, "")
    secret = os.environ.get(ENV_API_SECRET, "")
    passphrase = os.environ.get(ENV_API_PASSPHRASE, "") if info.needs_passphrase else ""
    if api_key or secret:
        if not (api_key and secret):
            raise CliError(
                _t("Only one of {key_var} and {secret_var} is set").format(
                    key_var=ENV_API_KEY, secret_var=ENV_API_SECRET
                ),
                _t("Set both, or neither to read them from standard input."),
            )
    elif _is_tty(ctx.stdin):
        api_key = getpass.getpass(_t("API key: "), stream=ctx.err)
        secret = getpass.getpass(_t("API secret: "), stream=ctx.err)
        if info.needs_passphrase:
            passphrase = getpass.getpass(_t("Passphrase: "), stream=ctx.err)
    else:
        api_key = ctx.stdin.readline()
        secret = ctx.stdin.readline()
        if info.needs_passphrase and not passphrase:
            passphrase = ctx.stdin.readline()
        if not api_key.strip() or not secret.strip():
            raise CliError(
                _t("No API key and secret given"),
                _t(
                    "Set {key_var} and {secret_var}, or pipe them in: the API key on the first line, "
                    "the secret on the second."
                ).format(key_var=ENV_API_KEY, secret_var=ENV_API_SECRET),
            )
    return clean_credentials(api_key, secret, passphrase, needs_passphrase=info.needs_passphrase)


def _verify(
    ctx: _Context, info: VenueInfo, host_id: str, base_url: str, creds: Credentials
) -> KeyVerification:
    verification = ctx.service.verify(info.id, host_id, base_url, creds)
    warnings = list(verification.warnings)
    if not verification.valid:
        warnings.insert(
            0, _t("{exchange} did not confirm that this key is valid.").format(exchange=info.name)
        )
    if not verification.read_only and not verification.warnings:
        warnings.append(_t("This key is not read-only. This app only reads; a read-only key is safer."))
    for warning in warnings:
        ctx.note(_t("WARNING: {warning}").format(warning=warning))
    if ctx.json:
        return verification
    if verification.is_master is None:
        account = ""
    else:
        account = _t("main account") if verification.is_master else _t("sub-account")
    permissions = ", ".join(verification.permissions) or _t("(none reported)")
    rows = [
        (_t("Read-only"), _yes_no(verification.read_only)),
        (_t("Permissions"), permissions),
        (_t("Account UID"), f"{verification.user_id or '-'} {f'({account})' if account else ''}".strip()),
        (_t("IP restricted"), _yes_no(verification.ip_restricted)),
        (_t("Expires"), _local(verification.expires_at_ms, _t("no expiry reported"))),
    ]
    ctx.say(_t("Key verified with {exchange}:").format(exchange=info.name))
    for name, value in rows:
        ctx.say(f"  {name + ':':<15} {value}")
    for note in verification.notes:
        ctx.say(_t("Note: {note}").format(note=note))
    return verification


# ---------------------------------------------------------------------------------------------
# keys


def _cmd_keys_add(ctx: _Context) -> int:
    a = ctx.args
    info = _exchange_info(a.exchange)
    store = ctx.store
    label = _check_label(store, a.label)
    host_id, base_url = _resolve_host(info, a.host, a.base_url)
    endpoints = _parse_endpoints(info, a.endpoints) if a.endpoints is not None else _default_endpoints(info)
    sync_from = _parse_when(a.sync_from) if a.sync_from else None
    subaccount = (a.subaccount or "").strip()
    if subaccount and not info.supports_subaccounts:
        raise CliError(_t("{exchange} has no sub-accounts").format(exchange=info.name))
    ctx.secrets.check_usable()  # before asking for the secret: it could not be kept anyway
    creds = _read_credentials(ctx, info)
    verification = None if a.no_verify else _verify(ctx, info, host_id, base_url, creds)
    key = ctx.service.add_key(
        NewKey(
            exchange=info.id,
            label=label,
            host_id=host_id,
            endpoints=endpoints,
            subaccount=subaccount,
            base_url=base_url,
            sync_from_ms=sync_from,
            key_hint=creds.key_hint,
        ),
        creds,
        verification,
    )
    if ctx.json:
        ctx.emit_json(
            {
                "id": key.id,
                "key": _key_json(key),
                "verification": _verification_json(verification) if verification else None,
            }
        )
    else:
        ctx.say(_t("Saved key {id}: {label}").format(id=key.id, label=key.label))
        ctx.say(_t("Endpoints: {endpoints}").format(endpoints=", ".join(key.enabled_endpoints)))
    return EXIT_OK


def _cmd_keys_list(ctx: _Context) -> int:
    keys = ctx.store.list_keys()
    if ctx.json:
        ctx.emit_json([_key_json(k) for k in keys])
        return EXIT_OK
    if not keys:
        ctx.say(_t("No keys yet. Add one with `keys add`."))
        return EXIT_OK
    headers = [
        _t("ID"),
        _t("Exchange"),
        _t("Label"),
        _t("Subaccount"),
        _t("Host"),
        _t("Sync from"),
        _t("Paused"),
        _t("Endpoints"),
        _t("Status"),
        _t("Last sync"),
        _t("Records"),
    ]
    rows = [
        [
            str(k.id),
            k.exchange,
            k.label,
            k.subaccount or "-",
            _host_text(k),
            _sync_from_text(k.sync_from_ms),
            _yes_no(k.paused),
            ",".join(k.enabled_endpoints) or "-",
            _status_text(k.status),
            _local(k.last_success_ms),
            str(k.record_count),
        ]
        for k in keys
    ]
    ctx.out.write(_table(headers, rows))
    return EXIT_OK


def _cmd_keys_edit(ctx: _Context) -> int:
    a = ctx.args
    store = ctx.store
    key = _resolve_key(store, a.key)
    info = _exchange_info(key.exchange)
    label = _check_label(store, a.label, except_id=key.id) if a.label is not None else None
    subaccount = a.subaccount.strip() if a.subaccount is not None else None
    if subaccount and not info.supports_subaccounts:
        raise CliError(_t("{exchange} has no sub-accounts").format(exchange=info.name))
    host_id: str | None = None
    base_url: str | None = None
    if a.host is not None or a.base_url is not None:
        host_id, base_url = _resolve_host(info, a.host, a.base_url)
    endpoints = _parse_endpoints(info, a.endpoints) if a.endpoints is not None else None
    sync_from: int | None = _parse_when(a.sync_from) if a.sync_from else None
    change_sync_from = bool(a.sync_from) or a.clear_sync_from
    paused = True if a.pause else (False if a.resume else None)
    changes = [label, subaccount, host_id, endpoints, paused]
    if all(c is None for c in changes) and not change_sync_from and not a.replace_secret:
        raise CliError(_t("Nothing to change"), _t("Give at least one option; see `keys edit --help`."))

    if a.replace_secret:
        ctx.secrets.check_usable()
        creds = _read_credentials(ctx, info)
        verification = None
        if not a.no_verify:
            verification = _verify(
                ctx,
                info,
                host_id if host_id is not None else key.host_id,
                base_url if base_url is not None else key.base_url,
                creds,
            )
            before = key.verification.exchange_user_id
            if before and verification.user_id and verification.user_id != before:
                ctx.note(
                    _t(
                        "WARNING: the new key belongs to another {exchange} account (UID {new}, was {old})."
                    ).format(exchange=info.name, new=verification.user_id, old=before)
                )
        ctx.service.replace_credentials(key.id, creds, verification)

    if change_sync_from:
        store.update_key(key.id, sync_from_ms=sync_from)
    updated = store.update_key(
        key.id,
        label=label,
        subaccount=subaccount,
        host_id=host_id,
        base_url=base_url,
        paused=paused,
        endpoints=endpoints,
    )
    if ctx.json:
        ctx.emit_json({"id": updated.id, "key": _key_json(updated)})
    else:
        ctx.say(_t("Updated key {id}: {label}").format(id=updated.id, label=updated.label))
        if a.replace_secret:
            ctx.say(_t("The API key and secret were replaced."))
    return EXIT_OK


def _cmd_keys_remove(ctx: _Context) -> int:
    a = ctx.args
    store = ctx.store
    key = _resolve_key(store, a.key)
    count = store.count_transactions(TransactionFilter(key_ids=(key.id,)))
    delete = bool(a.delete_transactions)
    ctx.service.remove_key(key.id, delete_transactions=delete)
    if ctx.json:
        ctx.emit_json(
            {"id": key.id, "label": key.label, "transactions": count, "transactions_deleted": delete}
        )
    elif delete:
        ctx.say(
            _t("Removed key {id} ({label}) and its {count} transactions.").format(
                id=key.id, label=key.label, count=count
            )
        )
    else:
        ctx.say(
            _t(
                "Removed key {id} ({label}); its {count} transactions were kept (the key stays listed, "
                "paused, as removed)."
            ).format(id=key.id, label=key.label, count=count)
        )
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# sync


class _ProgressPrinter:
    """Progress lines to stderr: one per stream per second at most, plus each stream's last one."""

    def __init__(self, ctx: _Context, key: KeyConfig) -> None:
        self._ctx = ctx
        self._key = key
        self._last: dict[tuple[str, str], float] = {}
        self._reached: dict[tuple[str, str], int] = {}

    def __call__(self, progress: SyncProgress) -> None:
        stream = (progress.endpoint, progress.stream)
        if progress.reached_ms is not None:
            self._reached[stream] = progress.reached_ms
        now = time.monotonic()
        last = self._last.get(stream)
        if not progress.finished and last is not None and now - last < PROGRESS_INTERVAL_S:
            return
        self._last[stream] = now
        text = _t("{label} {endpoint}/{stream}: {pages} pages, {new} new rows").format(
            label=self._key.label,
            endpoint=progress.endpoint,
            stream=progress.stream,
            pages=progress.pages,
            new=progress.new_records,
        )
        if progress.windows_total:
            text += _t(", window {done}/{total}").format(
                done=progress.windows_done, total=progress.windows_total
            )
        reached = self._reached.get(stream)
        if reached is not None:
            text += _t(", complete up to {date}").format(date=_day(reached))
        if progress.finished:
            text += _t(" — finished")
        self._ctx.note(text)


def _run_interruptibly(ctx: _Context, work: Callable[[], SyncResult], stop: threading.Event) -> SyncResult:
    """Run ``work`` in a thread; Ctrl-C sets ``stop`` and waits for the engine to wind down."""
    box: dict[str, Any] = {}
    finished = threading.Event()

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # handed to the calling thread
            box["error"] = exc
        finally:
            finished.set()

    worker = threading.Thread(target=target, name="cli-sync", daemon=False)
    worker.start()
    # Poll an Event rather than join(): an interrupted Thread.join() can leave is_alive() wrong.
    while True:
        try:
            if finished.wait(0.2):
                break
        except KeyboardInterrupt:
            if not stop.is_set():
                stop.set()
                ctx.note(_t("Stopping… finishing the requests in flight (what was fetched is kept)."))
            else:
                ctx.note(_t("Still stopping…"))
    worker.join()
    if "error" in box:
        raise box["error"]
    result: SyncResult = box["result"]
    return result


def _outcome_word(outcome: EndpointOutcome, stopped: bool) -> str:
    if outcome.cancelled:
        return _t("cancelled") if stopped else _t("stopped")
    return _status_text(outcome.status)


def _print_result(ctx: _Context, key: KeyConfig, result: SyncResult, stopped: bool) -> None:
    ctx.say(
        _t("Key {id} ({label}): {new} new records").format(id=key.id, label=key.label, new=result.new_records)
    )
    if not result.outcomes:
        ctx.say("  " + _t("no endpoints enabled"))
    width = max((len(o.endpoint) for o in result.outcomes), default=0)
    for o in result.outcomes:
        line = f"  {o.endpoint:<{width}}  {_outcome_word(o, stopped)}"
        if o.new_records or o.duplicates or o.status is EndpointStatus.OK:
            line += "  " + _t("+{new} new, {dup} already stored").format(new=o.new_records, dup=o.duplicates)
        ctx.say(line)
        pad = " " * (width + 4)
        if o.failure is not None:
            code = f" [{o.failure.code}]" if o.failure.code else ""
            ctx.say(f"{pad}{o.failure.message}{code}")
            ctx.say(f"{pad}{o.failure.hint}")
        elif o.cancelled and not stopped:
            ctx.say(pad + _t("stopped because another endpoint of this key failed with a key error"))
        if o.unreachable is not None:
            ctx.say(pad + _unreachable_text(o.unreachable[1] + 1))


def _result_json(key: KeyConfig, result: SyncResult, stopped: bool) -> dict[str, Any]:
    return {
        "id": key.id,
        "label": key.label,
        "run_id": result.run_id,
        "new_records": result.new_records,
        "ok": result.ok,
        "endpoints": [
            {
                "endpoint": o.endpoint,
                "status": o.status.value,
                "outcome": ("cancelled" if stopped else "stopped") if o.cancelled else o.status.value,
                "new_records": o.new_records,
                "duplicates": o.duplicates,
                "failure": _failure_json(o.failure),
                "unreachable": _unreachable_json(*o.unreachable) if o.unreachable else None,
            }
            for o in result.outcomes
        ],
    }


def _cmd_sync(ctx: _Context) -> int:
    a = ctx.args
    store = ctx.store
    keys = _resolve_keys(store, a.keys) if a.keys else [k for k in store.list_keys() if not k.paused]
    endpoints: tuple[str, ...] | None = None
    if a.endpoints is not None:
        wanted: list[str] = []
        for info in {venue_info(k.exchange).id: venue_info(k.exchange) for k in keys}.values():
            wanted += [e for e in _parse_endpoints(info, a.endpoints) if e not in wanted]
        endpoints = tuple(wanted)
    if not keys:
        if ctx.json:
            ctx.emit_json({"cancelled": False, "exit_code": EXIT_OK, "keys": [], "not_synced": []})
        else:
            ctx.say(_t("No keys to sync (paused keys are synced only when named)."))
        return EXIT_OK
    service = ctx.service
    stop = threading.Event()
    results: list[dict[str, Any]] = []
    failed = False
    done: list[int] = []
    for key in keys:
        if stop.is_set():
            break
        printer = None if a.quiet else _ProgressPrinter(ctx, key)
        key_id = key.id

        def work(key_id: int = key_id, printer: _ProgressPrinter | None = printer) -> SyncResult:
            return service.sync_key(key_id, endpoints=endpoints, should_stop=stop.is_set, on_progress=printer)

        result = _run_interruptibly(ctx, work, stop)
        done.append(key.id)
        stopped = stop.is_set()
        if any(o.status is not EndpointStatus.OK and not (o.cancelled and stopped) for o in result.outcomes):
            failed = True
        if ctx.json:
            results.append(_result_json(key, result, stopped))
        else:
            _print_result(ctx, key, result, stopped)
    cancelled = stop.is_set()
    code = EXIT_CANCELLED if cancelled else (EXIT_FAILED if failed else EXIT_OK)
    if ctx.json:
        ctx.emit_json(
            {
                "cancelled": cancelled,
                "exit_code": code,
                "keys": results,
                "not_synced": [k.id for k in keys if k.id not in done],
            }
        )
    elif cancelled:
        ctx.say(_t("Sync cancelled: what was fetched so far is kept; run sync again to continue."))
    return code


# ---------------------------------------------------------------------------------------------
# status, runs, export


def _cmd_status(ctx: _Context) -> int:
    a = ctx.args
    store = ctx.store
    named = bool(a.keys)
    keys = _resolve_keys(store, a.keys) if named else store.list_keys()
    bad = any(
        e.status in (EndpointStatus.FAILED, EndpointStatus.NEVER)
        for k in keys
        if named or not k.paused
        for e in k.endpoints
        if e.enabled
    )
    code = EXIT_FAILED if bad else EXIT_OK
    if ctx.json:
        ctx.emit_json({"exit_code": code, "keys": [_key_json(k, with_endpoints=True) for k in keys]})
        return code
    if not keys:
        ctx.say(_t("No keys yet. Add one with `keys add`."))
    for key in keys:
        flags = [key.exchange, _host_text(key)]
        if key.paused:
            flags.append(_t("paused"))
        ctx.say(
            _t("Key {id} ({label}) [{flags}]: {status}").format(
                id=key.id, label=key.label, flags=", ".join(flags), status=_status_text(key.status)
            )
        )
        enabled = [e for e in key.endpoints if e.enabled]
        if not enabled:
            ctx.say("  " + _t("no endpoints enabled"))
            continue
        width = max(len(e.endpoint) for e in enabled)
        pad = " " * (width + 4)
        for e in enabled:
            ctx.say(
                f"  {e.endpoint:<{width}}  "
                + _t("{status}, last success {when}, {records} records").format(
                    status=_status_text(e.status),
                    when=_local(e.last_success_ms, _t("never")),
                    records=e.record_count,
                )
            )
            if e.failure is not None:
                code_text = f" [{e.failure.code}]" if e.failure.code else ""
                ctx.say(f"{pad}{e.failure.message}{code_text}")
                ctx.say(f"{pad}{e.failure.hint}")
            if e.unreachable_to_ms is not None and e.unreachable_from_ms is not None:
                ctx.say(pad + _unreachable_text(e.unreachable_to_ms + 1))
    return code


def _stream_json(s: StreamRunStats) -> dict[str, Any]:
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
        "error": _failure_json(s.failure),
    }


def _run_json(run: SyncRunInfo) -> dict[str, Any]:
    return {
        "id": run.id,
        "key_id": run.key_id,
        "started_ms": run.started_ms,
        "started_utc": _iso(run.started_ms),
        "finished_ms": run.finished_ms,
        "finished_utc": _iso(run.finished_ms),
        "outcome": run.outcome,
        "streams": [_stream_json(s) for s in run.streams],
    }


def _cmd_runs(ctx: _Context) -> int:
    a = ctx.args
    if a.limit < 1:
        raise CliError(_t("--limit must be at least 1"))
    key = _resolve_key(ctx.store, a.key)
    runs = ctx.store.runs(key.id, limit=a.limit)
    if ctx.json:
        ctx.emit_json({"key": {"id": key.id, "label": key.label}, "runs": [_run_json(r) for r in runs]})
        return EXIT_OK
    if not runs:
        ctx.say(_t("Key {id} ({label}) has not been synced yet.").format(id=key.id, label=key.label))
        return EXIT_OK
    headers = [
        _t("Endpoint"),
        _t("Stream"),
        _t("Status"),
        _t("Pages"),
        _t("Requests"),
        _t("Retries"),
        _t("New"),
        _t("Duplicates"),
        _t("Rate-limit waits"),
        _t("Error"),
    ]
    for run in runs:
        if run.finished_ms is None:
            took = ""
        else:
            took = _t(", took {seconds:.1f} s").format(seconds=(run.finished_ms - run.started_ms) / 1000)
        ctx.say(
            _t("Run {id}: started {start}, finished {end}{took} — {outcome}").format(
                id=run.id,
                start=_local(run.started_ms),
                end=_local(run.finished_ms),
                took=took,
                outcome=_status_text(run.outcome),
            )
        )
        rows = [
            [
                s.endpoint,
                s.stream or "-",
                _status_text(s.status),
                str(s.pages),
                str(s.requests),
                str(s.retries),
                str(s.new_rows),
                str(s.duplicate_rows),
                f"{s.rate_limit_waits} ({s.waited_ms / 1000:.1f} s)",
                s.failure.message if s.failure else "",
            ]
            for s in run.streams
        ]
        if rows:
            ctx.out.write(_table(headers, rows, indent="  "))
        ctx.say()
    return EXIT_OK


def _cmd_export(ctx: _Context) -> int:
    a = ctx.args
    fmt = a.format.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise CliError(
            _t("Unknown export format {format}. Available now: {valid}").format(
                format=a.format, valid=", ".join(EXPORT_FORMATS)
            ),
        )
    store = ctx.store
    keys = _resolve_keys(store, a.key) if a.key else []
    output = Path(a.output).expanduser().absolute()
    if output.is_dir():
        raise CliError(_t("{path} is a directory: give a file name").format(path=output))
    flt = TransactionFilter(key_ids=tuple(k.id for k in keys), newest_first=False)
    try:
        if fmt == "cryptact":
            return _export_cryptact(ctx, output, tuple(k.id for k in keys))
        count = write_transactions_csv(store, output, flt)
    except OSError as exc:
        raise CliError(
            _t("Cannot write {path}: {reason}").format(
                path=output, reason=exc.strerror or type(exc).__name__
            ),
            _t("Check that the folder exists and is writable."),
            code=EXIT_UNEXPECTED,
        ) from None
    if ctx.json:
        ctx.emit_json({"format": fmt, "path": str(output), "rows": count})
    else:
        ctx.say(_t("Exported {count} transactions to {path}").format(count=count, path=output))
    return EXIT_OK


def _export_cryptact(ctx: _Context, output: Path, key_ids: tuple[int, ...]) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from cryptact_desktop.export.cryptact import export_cryptact

    a = ctx.args
    try:
        tz = ZoneInfo(a.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(
            _t("Unknown time zone {tz}: use a name like UTC or Asia/Tokyo").format(tz=a.tz)
        ) from None
    report = export_cryptact(ctx.store, output, tz=tz, mode=a.mode, key_ids=key_ids, fiat=a.fiat)
    if ctx.json:
        ctx.emit_json(
            {
                "format": "cryptact",
                "path": str(output),
                "rows": report.rows_written,
                "ok": report.ok,
                "warnings": list(report.warnings),
                "summary": report.summary_lines(),
            }
        )
    else:
        for line in report.summary_lines():
            ctx.say(line)
    return EXIT_OK if report.ok else EXIT_FAILED


def _demo_server(args: list[str]) -> int:
    from cryptact_desktop.venues.bybit.simulator.__main__ import main as simulator_main

    try:
        return int(simulator_main(args) or 0)
    except SystemExit as exc:  # its argparse exits on --help and on bad arguments
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)


# ---------------------------------------------------------------------------------------------
# The parser


def _build_parser() -> _Parser:
    # --json and --data-dir are accepted before the command (defaults here) and after it (on each
    # command, SUPPRESS-ed so an absent flag does not overwrite the global value).
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=_t("print JSON"))
    common.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DIR", help=argparse.SUPPRESS)

    parser = _Parser(
        prog="cryptact-desktop",
        description=_t("Sync crypto exchange history with read-only API keys, without the window."),
        epilog=_t(
            "Secrets are never taken from the command line: set CRYPTACT_API_KEY and CRYPTACT_API_SECRET "
            "(and CRYPTACT_API_PASSPHRASE where needed), or pipe them in on standard input. "
            "Exit codes: 0 ok, 1 unexpected error, 2 usage or input error, 3 failed, 4 cancelled."
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help=_t("data directory (default: $CRYPTACT_DESKTOP_DATA_DIR, else the per-user data folder)"),
    )
    parser.add_argument("--json", action="store_true", default=False, help=_t("print JSON where it applies"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    # keys ------------------------------------------------------------------------------------
    keys = commands.add_parser("keys", parents=[common], help=_t("add, list, edit and remove API keys"))
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", parser_class=_Parser)
    key_commands.required = True

    add = key_commands.add_parser(
        "add",
        parents=[common],
        help=_t("add an API key (the secret is read from the environment or standard input)"),
        description=_t(
            "Add an API key. The API key and secret come from CRYPTACT_API_KEY/CRYPTACT_API_SECRET "
            "(and CRYPTACT_API_PASSPHRASE), else from standard input: a pipe gives the key on the first "
            "line and the secret on the second; a terminal asks for them without echoing."
        ),
    )
    add.add_argument(
        "--exchange", required=True, choices=[e.id for e in venue_infos()], help=_t("the exchange")
    )
    add.add_argument("--label", required=True, help=_t("a unique name for the key"))
    add.add_argument("--subaccount", default=None, help=_t("the sub-account the key belongs to, if any"))
    add.add_argument(
        "--host",
        default=None,
        help=_t("API site: {hosts} or custom (default: the first)").format(
            hosts=", ".join(dict.fromkeys(h.id for e in venue_infos() for h in e.hosts))
        ),
    )
    add.add_argument("--base-url", default=None, metavar="URL", help=_t("API base URL for --host custom"))
    add.add_argument(
        "--sync-from",
        default=None,
        metavar="WHEN",
        help=_t("fetch history from this date (2024-01-01) or UTC time (2024-01-01T00:00:00Z)"),
    )
    add.add_argument(
        "--endpoints",
        default=None,
        metavar="LIST",
        help=_t("comma-separated ids from: {ids}; or all (default: the recommended ones)").format(
            ids=", ".join(dict.fromkeys(p.id for e in venue_infos() for p in e.endpoints))
        ),
    )
    add.add_argument("--no-verify", action="store_true", help=_t("save without asking the exchange"))
    add.set_defaults(handler=_cmd_keys_add)

    listing = key_commands.add_parser("list", parents=[common], help=_t("list the keys"))
    listing.set_defaults(handler=_cmd_keys_list)

    edit = key_commands.add_parser("edit", parents=[common], help=_t("change a key's settings or secret"))
    edit.add_argument("key", metavar="KEY", help=_t("key id or exact label"))
    edit.add_argument("--label", default=None)
    edit.add_argument("--subaccount", default=None)
    edit.add_argument("--host", default=None, help=_t("API site id, or custom (with --base-url)"))
    edit.add_argument("--base-url", default=None, metavar="URL")
    since = edit.add_mutually_exclusive_group()
    since.add_argument("--sync-from", default=None, metavar="WHEN")
    since.add_argument(
        "--clear-sync-from", action="store_true", help=_t("fetch as far back as the API reaches")
    )
    edit.add_argument(
        "--endpoints", default=None, metavar="LIST", help=_t("the new set of enabled endpoints")
    )
    pause = edit.add_mutually_exclusive_group()
    pause.add_argument("--pause", action="store_true", help=_t("skip this key in `sync` without KEY"))
    pause.add_argument("--resume", action="store_true")
    edit.add_argument(
        "--replace-secret",
        action="store_true",
        help=_t("read a new API key and secret like `keys add` does"),
    )
    edit.add_argument(
        "--no-verify", action="store_true", help=_t("with --replace-secret: save without asking the exchange")
    )
    edit.set_defaults(handler=_cmd_keys_edit)

    remove = key_commands.add_parser(
        "remove",
        parents=[common],
        help=_t("remove a key and its secret (say what happens to its transactions)"),
    )
    remove.add_argument("key", metavar="KEY", help=_t("key id or exact label"))
    keep = remove.add_mutually_exclusive_group(required=True)
    keep.add_argument(
        "--keep-transactions", action="store_true", help=_t("keep the fetched transactions for export")
    )
    keep.add_argument("--delete-transactions", action="store_true", help=_t("delete them too"))
    remove.set_defaults(handler=_cmd_keys_remove)

    # sync, status, runs, export ---------------------------------------------------------------
    sync = commands.add_parser(
        "sync", parents=[common], help=_t("fetch new history (all keys that are not paused by default)")
    )
    sync.add_argument("keys", nargs="*", metavar="KEY", help=_t("key ids or labels (paused keys too)"))
    sync.add_argument("--endpoints", default=None, metavar="LIST", help=_t("only these endpoints"))
    sync.add_argument("-q", "--quiet", action="store_true", help=_t("no progress lines"))
    sync.set_defaults(handler=_cmd_sync)

    status = commands.add_parser("status", parents=[common], help=_t("show each key's sync state"))
    status.add_argument("keys", nargs="*", metavar="KEY")
    status.set_defaults(handler=_cmd_status)

    runs = commands.add_parser("runs", parents=[common], help=_t("show a key's sync log"))
    runs.add_argument("key", metavar="KEY")
    runs.add_argument("--limit", type=int, default=20, metavar="N", help=_t("newest N runs (default 20)"))
    runs.set_defaults(handler=_cmd_runs)

    export = commands.add_parser("export", parents=[common], help=_t("write the transactions to a file"))
    export.add_argument(
        "--format",
        required=True,
        metavar="FORMAT",
        help=_t("csv (every transaction, a full backup) or cryptact (the Cryptact custom file)"),
    )
    export.add_argument("--tz", default="UTC", help=_t("cryptact: time zone of the timestamps (default UTC)"))
    export.add_argument(
        "--mode",
        choices=("all", "new"),
        default="all",
        help=_t("cryptact: everything, or only rows newer than the last export"),
    )
    export.add_argument(
        "--fiat", default="JPY", help=_t("cryptact: fiat currency for income rows (default JPY)")
    )
    export.add_argument("--output", "-o", required=True, metavar="FILE")
    export.add_argument(
        "--key", action="append", default=None, metavar="KEY", help=_t("only this key (repeatable)")
    )
    export.set_defaults(handler=_cmd_export)

    commands.add_parser(
        "demo-server",
        add_help=False,
        help=_t("run the local Bybit simulator (arguments are passed on; try demo-server --help)"),
    )
    return parser


# ---------------------------------------------------------------------------------------------
# Entry point


def main(
    argv: list[str] | None = None,
    *,
    secrets: SecretStore | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one CLI command; returns the exit code (see the module docstring)."""
    args = list(sys.argv[1:] if argv is None else argv)
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    index = command_index(args)
    if index is not None and args[index] == "demo-server":
        return _demo_server(args[index + 1 :])

    streams_token = _streams.set((out, err))
    try:
        parser = _build_parser()
        try:
            namespace, extras = parser.parse_known_args(args)
        except _ParserExit as exc:
            return exc.status
        if extras:
            parser.print_usage()
            err.write(f"{parser.prog}: {_t('error')}: {_unrecognised(extras)}\n")
            err.write(
                _t(
                    "Secrets are never taken from the command line: use {key_var}/{secret_var} "
                    "or standard input."
                ).format(key_var=ENV_API_KEY, secret_var=ENV_API_SECRET)
                + "\n"
            )
            return EXIT_USAGE
    finally:
        _streams.reset(streams_token)
    handler: Callable[[_Context], int] | None = getattr(namespace, "handler", None)
    if handler is None:
        parser.print_help(out)
        return EXIT_USAGE

    ctx = _Context(namespace, stdin if stdin is not None else sys.stdin, out, err, secrets)
    try:
        return _run(ctx, handler)
    finally:
        ctx.close()


def _error_line(ctx: _Context, message: str, hint: str = "") -> None:
    ctx.note(_t("Error: {message}").format(message=message) + (f" — {hint}" if hint else ""))


def _run(ctx: _Context, handler: Callable[[_Context], int]) -> int:
    try:
        log.info("cli: %s %s", ctx.args.command, getattr(ctx.args, "keys_command", "") or "")
        return handler(ctx)
    except CliError as exc:
        _error_line(ctx, exc.message, exc.hint)
        return exc.code
    except KeyInputError as exc:
        name = _field_name(exc.field_name)
        hint = ""
        if exc.field_name in ("api_key", "secret", "passphrase"):
            hint = _t("Secrets come from {key_var}/{secret_var} or standard input.").format(
                key_var=ENV_API_KEY, secret_var=ENV_API_SECRET
            )
        _error_line(ctx, f"{name}: {exc.message}", hint)
        return EXIT_USAGE
    except SyncFailure as exc:
        code = f" [{exc.failure.code}]" if exc.failure.code else ""
        _error_line(ctx, exc.failure.message + code, exc.failure.hint)
        return EXIT_FAILED
    except SecretStoreError as exc:
        log.warning("keyring problem: %s (%s)", exc.problem.value, exc.detail)
        _error_line(ctx, exc.failure.message, exc.failure.hint)
        return EXIT_FAILED
    except KeyboardInterrupt:
        ctx.note(_t("Cancelled."))
        return EXIT_CANCELLED
    except Exception as exc:
        log.exception("unexpected error in the command line")
        where = ctx._paths.log_file if ctx._paths is not None else None
        _error_line(
            ctx,
            _t("Unexpected error ({kind}): {detail}").format(
                kind=type(exc).__name__, detail=redact(str(exc))[:300]
            ),
            _t("Details are in the log file {path}").format(path=where) if where else "",
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    raise SystemExit(main())
