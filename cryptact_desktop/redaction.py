"""Keep secrets out of log files.

Two layers, applied by :func:`redact`:

1. A process-wide registry of known secret values (every :class:`~cryptact_desktop.secrets.
   Credentials` registers its fields on creation); each occurrence becomes ``***``.
2. Pattern masking of anything that *looks* like a credential or a signature, whether registered
   or not: the value after header/parameter names such as ``X-BAPI-SIGN``, ``X-BAPI-API-KEY``,
   ``api_key``, ``apiKey``, ``secret``, ``sign``, ``signature``, ``passphrase`` in the forms
   ``name: value``, ``name=value``, ``"name": "value"`` and ``'name': 'value'``.

:class:`RedactingFilter` applies this to every log record (message, arguments, traceback, stack)
and :func:`setup_logging` puts it on every handler it installs.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

MASK = "***"
MIN_SECRET_LENGTH = 6

_lock = threading.Lock()
_registered: set[str] = set()
_ordered: tuple[str, ...] = ()  # every registered value and its URL-encoded form, longest first


def _variants(value: str) -> set[str]:
    # A secret containing "+", "/" or "=" shows up percent-encoded in a logged query string.
    return {value, quote(value, safe="")}


def _rebuild() -> None:
    global _ordered
    variants: set[str] = set()
    for value in _registered:
        variants |= _variants(value)
    _ordered = tuple(sorted(variants, key=len, reverse=True))


def register_secret(value: str) -> None:
    """Mask ``value`` in every later :func:`redact` call. Values under 6 characters are ignored."""
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        if value not in _registered:
            _registered.add(value)
            _rebuild()


def forget_secret(value: str) -> None:
    """Stop masking ``value`` (e.g. after its key was deleted). Unknown values are ignored."""
    with _lock:
        if value in _registered:
            _registered.discard(value)
            _rebuild()


# Header / parameter names whose values are credentials or signatures. A name may carry
# dash/underscore-separated prefixes (X-BAPI-, OK-ACCESS-, client_, ...) but must stand alone:
# "design=1" and "X-BAPI-SIGN-TYPE: 2" are left alone.
_NAME = (
    r"(?:[A-Za-z0-9]+[-_])*"
    r"(?:api[-_]?key|api[-_]?secret|secret(?:[-_]?key)?|sign|signature|passphrase)"
)
_SENSITIVE = re.compile(
    r"(?P<prefix>(?<![A-Za-z0-9_-])(?P<nq>[\"']?)" + _NAME + r"(?![A-Za-z0-9_-])(?P=nq)\s*[:=]\s*)"
    r"(?:(?P<vq>[\"'])(?:\\.|(?!(?P=vq))[^\\\n])*(?P=vq)?"  # quoted value (unclosed: to end of line)
    r"|[^\s&,;'\"}\])<>]+)",  # bare value: up to a separator
    re.IGNORECASE,
)


def _mask_match(match: re.Match[str]) -> str:
    quote_char = match.group("vq") or ""
    return f"{match.group('prefix')}{quote_char}{MASK}{quote_char}"


def redact(text: str) -> str:
    """Return ``text`` with every registered secret and every credential-looking value masked."""
    secrets = _ordered  # an immutable snapshot: no lock needed while replacing
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return _SENSITIVE.sub(_mask_match, text)


class RedactingFilter(logging.Filter):
    """Rewrites a record so that no handler can render a secret from it.

    The message is formatted with its arguments first (a secret may sit in either), then
    redacted, and ``args`` is cleared. A traceback is rendered into ``exc_text`` and redacted;
    ``exc_info`` is dropped so that no formatter renders the raw exception again. The stack
    is redacted too. Never drops a record.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record (or leak its args)
            message = f"{record.msg!s} [unformattable log arguments]"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_base_record_factory: Callable[..., logging.LogRecord] | None = None


def install_record_redaction() -> None:
    """Redact every log record when it is created, so that even a handler added by someone else
    (a library, a test harness) only ever sees masked text. Idempotent."""
    global _base_record_factory
    if _base_record_factory is not None:
        return
    base = logging.getLogRecordFactory()
    _base_record_factory = base
    scrub = RedactingFilter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        scrub.filter(record)
        return record

    logging.setLogRecordFactory(factory)


LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 5
_LOG_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"


class _QuietRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A log file that never prints Python's "--- Logging error ---" traceback on stderr when
    the disk is full or the file became unwritable: the line is dropped, the app carries on (and
    the problem itself reaches the user through the store's messages)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's API
        self.dropped = getattr(self, "dropped", 0) + 1


_installed: list[logging.Handler] = []
_installed_config: tuple[Path | None, int, int | None] | None = None
_setup_lock = threading.Lock()


def setup_logging(
    log_file: Path | None, level: int = logging.INFO, *, stderr_level: int | None = logging.WARNING
) -> None:
    """Configure the root logger: rotating file (if ``log_file``) + stderr at ``stderr_level``
    (None: nothing on stderr — the command line prints its own messages there, and a log line
    above them would only confuse).

    Every handler carries a :class:`RedactingFilter`. Calling again with the same arguments does
    nothing; with different ones, the handlers installed earlier are replaced.
    """
    global _installed_config
    with _setup_lock:
        if _installed_config == (log_file, level, stderr_level):
            return
        _remove_installed()
        formatter = logging.Formatter(_LOG_FORMAT)
        handlers: list[logging.Handler] = []
        if log_file is not None:
            log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            file_handler = _QuietRotatingFileHandler(
                log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8"
            )
            file_handler.setLevel(level)
            handlers.append(file_handler)
        if stderr_level is not None:
            stderr_handler = logging.StreamHandler(sys.stderr)
            stderr_handler.setLevel(stderr_level)
            handlers.append(stderr_handler)

        install_record_redaction()
        root = logging.getLogger()
        root.setLevel(level)
        for handler in handlers:
            handler.setFormatter(formatter)
            handler.addFilter(RedactingFilter())
            root.addHandler(handler)
        _installed.extend(handlers)
        # Their DEBUG lines carry full URLs including signed query strings.
        for noisy in ("urllib3", "requests"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        _installed_config = (log_file, level, stderr_level)


@dataclass(frozen=True)
class ChildLogging:
    """Where this process logs, for a child process to log there too (plain data: it crosses to
    the child; see :mod:`cryptact_desktop.sync_process`, :mod:`cryptact_desktop.export.cryptact.parts`)."""

    file: str | None = None
    level: int = logging.INFO

    def apply(self) -> None:
        """In the child: log to the same file at the same level (nothing if there was no file)."""
        if self.file is not None:
            setup_logging(Path(self.file), self.level)


def child_logging() -> ChildLogging:
    """The log file and level :func:`setup_logging` installed (none before it ran)."""
    with _setup_lock:
        if _installed_config is None:
            return ChildLogging()
        log_file, level = _installed_config[:2]
    return ChildLogging(str(log_file) if log_file is not None else None, level)


def reset_logging() -> None:
    """Remove and close the handlers installed by :func:`setup_logging` (tests, shutdown)."""
    global _installed_config
    with _setup_lock:
        _remove_installed()
        _installed_config = None


def _remove_installed() -> None:
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
