"""What every command gets and how it ends: the command context, expected errors, exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cryptact_desktop.errors import SyncFailure
from cryptact_desktop.i18n import translate
from cryptact_desktop.paths import DataPaths, chosen_data_dir, resolve_data_dir
from cryptact_desktop.redaction import redact, setup_logging
from cryptact_desktop.secrets import SecretStore, SecretStoreError
from cryptact_desktop.service import AppService, KeyInputError, SameAccountKeyError
from cryptact_desktop.store import StorageError, Store
from cryptact_desktop.store.faults import from_os_error

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_CANCELLED = 4
EXIT_SYNCING = 5  # ``status``: a sync is running right now (nothing else is wrong)


def _t(text: str) -> str:
    return translate("cli", text)


class CliError(Exception):
    """An expected problem: shown as one line (plus a hint), never with a traceback."""

    def __init__(self, message: str, hint: str = "", code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


@dataclass
class Context:
    """One command's arguments, streams and lazily opened data directory, store and keyring."""

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
            chosen = DataPaths(chosen_data_dir(getattr(self.args, "data_dir", None)))
            try:
                self._paths = DataPaths(resolve_data_dir(chosen.root)).ensure()
            except OSError as exc:
                raise from_os_error(exc, chosen.database) from None
            try:
                setup_logging(self._paths.log_file, stderr_level=None)  # messages, not log lines
            except OSError:  # the folder's problem is reported when the database is opened
                setup_logging(None, stderr_level=None)
        return self._paths

    @property
    def log_file(self) -> Path | None:
        """The log file, once the data directory is open (None before)."""
        return self._paths.log_file if self._paths is not None else None

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


def field_title(field_name: str) -> str:
    """How messages name a field of a key."""
    names = {
        "api_key": _t("API key"),
        "secret": _t("API secret"),
        "passphrase": _t("Passphrase"),
        "label": _t("Label"),
        "endpoints": _t("Endpoints"),
    }
    return names.get(field_name, field_name)


def error_line(ctx: Context, message: str, hint: str = "") -> None:
    ctx.note(_t("Error: {message}").format(message=message) + (f" — {hint}" if hint else ""))


def run_handler(ctx: Context, handler: Callable[[Context], int]) -> int:
    """Run one command handler; every exception becomes a message and an exit code."""
    try:
        log.info("cli: %s %s", ctx.args.command, getattr(ctx.args, "keys_command", "") or "")
        return handler(ctx)
    except CliError as exc:
        error_line(ctx, exc.message, exc.hint)
        return exc.code
    except SameAccountKeyError as exc:
        error_line(
            ctx,
            exc.message,
            _t("Edit key {id} instead, or remove one of the two keys.").format(id=exc.existing.id),
        )
        return EXIT_USAGE
    except KeyInputError as exc:  # a label or the endpoints (credential fields become CliError)
        error_line(ctx, f"{field_title(exc.field_name)}: {exc.message}")
        return EXIT_USAGE
    except SyncFailure as exc:
        code = f" [{exc.failure.code}]" if exc.failure.code else ""
        error_line(ctx, exc.failure.message + code, exc.failure.hint)
        return EXIT_FAILED
    except SecretStoreError as exc:
        log.warning("keyring problem: %s (%s)", exc.problem.value, exc.detail)
        error_line(ctx, exc.failure.message, exc.failure.hint)
        return EXIT_FAILED
    except StorageError as exc:
        log.warning("storage problem: %s (%s)", exc.problem.value, exc.detail)
        error_line(ctx, exc.failure.message, exc.failure.hint)
        return EXIT_FAILED
    except KeyboardInterrupt:
        ctx.note(_t("Cancelled."))
        return EXIT_CANCELLED
    except Exception as exc:
        log.exception("unexpected error in the command line")
        where = ctx.log_file
        error_line(
            ctx,
            _t("Unexpected error ({kind}): {detail}").format(
                kind=type(exc).__name__, detail=redact(str(exc))[:300]
            ),
            _t("Details are in the log file {path}").format(path=where) if where else "",
        )
        return EXIT_UNEXPECTED
