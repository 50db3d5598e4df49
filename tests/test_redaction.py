from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cryptact_desktop import redaction
from cryptact_desktop.redaction import (
    RedactingFilter,
    forget_secret,
    redact,
    register_secret,
    reset_logging,
    setup_logging,
)

CANARY = "CANARY-s3cr3t-7c1d9e"
UNREGISTERED_SIGN = "f00dfacecafe1234"


@pytest.fixture(autouse=True)
def _clean_registry() -> Iterator[None]:
    yield
    for value in (CANARY, "abcdef", "abcdefghij", "a+b/c=d-secret"):
        forget_secret(value)


# -- redact -----------------------------------------------------------------------------------


def test_registered_secret_is_masked_everywhere() -> None:
    text = f"start {CANARY} middle {CANARY}end"
    assert redact(text) == text
    register_secret(CANARY)
    assert redact(text) == "start *** middle ***end"
    forget_secret(CANARY)
    assert redact(text) == text


def test_short_values_are_not_registered() -> None:
    register_secret("abcde")
    assert redact("abcde") == "abcde"
    register_secret("")
    assert redact("x") == "x"


def test_longest_secret_wins() -> None:
    register_secret("abcdef")
    register_secret("abcdefghij")
    assert redact("abcdefghij and abcdef") == "*** and ***"


def test_url_encoded_form_is_masked() -> None:
    register_secret("a+b/c=d-secret")
    assert redact("q=a%2Bb%2Fc%3Dd-secret&x=1") == "q=***&x=1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("X-BAPI-SIGN: 9a8b7c6d", "X-BAPI-SIGN: ***"),
        ("x-bapi-api-key:KEY123", "x-bapi-api-key:***"),
        ("GET /v5/a?api_key=K1&sign=S1&recv_window=5000", "GET /v5/a?api_key=***&sign=***&recv_window=5000"),
        ("timestamp=1&signature=abc123", "timestamp=1&signature=***"),
        (
            '{"apiKey": "K\\"2", "secret": "S2", "other": "ok"}',
            '{"apiKey": "***", "secret": "***", "other": "ok"}',
        ),
        ("{'X-BAPI-SIGN': 'zz', 'Passphrase': 'pp'}", "{'X-BAPI-SIGN': '***', 'Passphrase': '***'}"),
        ("SECRET=abc; PASSPHRASE = p p", "SECRET=***; PASSPHRASE = *** p"),
        ('"sign": "cut-off-in-the-mid', '"sign": "***"'),
        # Look-alikes stay untouched.
        ("design=1 X-BAPI-SIGN-TYPE: 2 signed=yes", "design=1 X-BAPI-SIGN-TYPE: 2 signed=yes"),
        ("No secret stored for this key", "No secret stored for this key"),
    ],
)
def test_sensitive_names_are_masked_without_registration(text: str, expected: str) -> None:
    assert redact(text) == expected


# -- RedactingFilter --------------------------------------------------------------------------


def _record(
    msg: str,
    args: tuple[object, ...] | None = None,
    exc_info: logging._SysExcInfoType | None = None,
    sinfo: str | None = None,
) -> logging.LogRecord:
    return logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, exc_info, sinfo=sinfo)


def test_filter_formats_args_then_redacts() -> None:
    register_secret(CANARY)
    record = _record("got %s and %r", (CANARY, {"sign": "abc"}))
    assert RedactingFilter().filter(record) is True
    assert record.args is None
    assert record.getMessage() == "got *** and {'sign': '***'}"


def test_filter_survives_bad_format_args() -> None:
    register_secret(CANARY)
    record = _record("two %s %s", (CANARY,))
    assert RedactingFilter().filter(record) is True
    assert CANARY not in record.getMessage()


def test_filter_redacts_traceback_and_stack() -> None:
    register_secret(CANARY)
    try:
        raise ValueError(f"bad secret {CANARY}")
    except ValueError:
        exc_info = sys.exc_info()
    record = _record("failed", exc_info=exc_info, sinfo=f"Stack (most recent call last):\n  x = '{CANARY}'")
    RedactingFilter().filter(record)
    assert record.exc_text is not None
    assert "ValueError: bad secret ***" in record.exc_text
    assert record.exc_info is None
    assert record.stack_info is not None and CANARY not in record.stack_info
    rendered = logging.Formatter().format(record)
    assert CANARY not in rendered
    assert "Traceback (most recent call last)" in rendered


# -- setup_logging ----------------------------------------------------------------------------


@pytest.fixture
def logging_sandbox(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in ("", "urllib3", "requests")}
    yield
    reset_logging()
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)
    assert not any(h in root.handlers for h in redaction._installed)


def test_log_file_and_stderr_never_contain_secrets(
    tmp_path: Path, logging_sandbox: None, capsys: pytest.CaptureFixture[str]
) -> None:
    register_secret(CANARY)
    log_file = tmp_path / "logs" / "app.log"
    setup_logging(log_file, logging.DEBUG)
    log = logging.getLogger("cryptact_desktop.test")

    log.info("saving key %s with secret %r", "k1", CANARY)
    log.debug("GET https://api.example/v5/x?recv_window=5000&sign=%s", UNREGISTERED_SIGN)
    log.warning("headers: %s", {"X-BAPI-SIGN": UNREGISTERED_SIGN, "X-BAPI-API-KEY": CANARY})
    try:
        raise RuntimeError(f"org.freedesktop.DBus.Error: secret={CANARY}")
    except RuntimeError:
        log.exception("keyring call failed for %s", CANARY)
    log.error("stack for %s", CANARY, stack_info=True)
    for handler in logging.getLogger().handlers:
        handler.flush()

    content = log_file.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    for text in (content, err):
        assert CANARY not in text
        assert UNREGISTERED_SIGN not in text
    assert "saving key k1 with secret '***'" in content
    assert "sign=***" in content
    assert "Traceback (most recent call last)" in content
    assert "RuntimeError: org.freedesktop.DBus.Error: secret=***" in content
    assert "keyring call failed for ***" in content
    assert "Stack (most recent call last)" in content
    # stderr only gets WARNING and above
    assert "keyring call failed for ***" in err
    assert "saving key" not in err


def test_setup_logging_is_idempotent(tmp_path: Path, logging_sandbox: None) -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    log_file = tmp_path / "app.log"
    setup_logging(log_file)
    setup_logging(log_file)
    assert len(root.handlers) == before + 2
    file_handlers = [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(file_handlers) == 1
    fh = file_handlers[0]
    assert (fh.maxBytes, fh.backupCount) == (1_000_000, 5)
    ours = redaction._installed
    assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in ours)
    stderr_handlers = [h for h in ours if not isinstance(h, logging.FileHandler)]
    assert [h.level for h in stderr_handlers] == [logging.WARNING]
    assert root.level == logging.INFO
    assert logging.getLogger("urllib3").level == logging.WARNING
    assert logging.getLogger("requests").level == logging.WARNING

    setup_logging(None)  # reconfiguring replaces, never stacks
    assert len(root.handlers) == before + 1
    assert fh.stream is None  # the old file handler was closed
