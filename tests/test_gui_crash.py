"""The crash handler: an exception in a slot shows a dialog and a log entry, both with secrets masked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cryptact_desktop import redaction
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.ui import crash

API_KEY = "CRASHKEY00000001"
SECRET = "CrashCanarySecret000000000000000042"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "logs" / "cryptact-desktop.log"
    yield path
    crash.uninstall_crash_handler()
    redaction.reset_logging()
    for value in (API_KEY, SECRET):
        redaction.forget_secret(value)


def _wait_for_dialog(qtbot: QtBot) -> crash.CrashDialog:
    qtbot.waitUntil(lambda: crash.current_dialog() is not None and crash.current_dialog().isVisible())
    dialog = crash.current_dialog()
    assert dialog is not None
    return dialog


@pytest.mark.qt_no_exception_capture
def test_exception_in_slot_shows_redacted_report(qtbot: QtBot, log_file: Path) -> None:
    Credentials(api_key=API_KEY, secret=SECRET)  # registers both with the redaction registry
    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("boom", window)

    def explode() -> None:
        raise RuntimeError(f"request failed with secret={SECRET} for key {API_KEY}")

    button.clicked.connect(explode)
    crash.install_crash_handler(log_file, lambda: window)
    window.show()

    button.click()
    dialog = _wait_for_dialog(qtbot)

    text = dialog.text.toPlainText()
    assert "RuntimeError: request failed" in text
    assert "explode" in text  # the traceback is there
    assert SECRET not in text and API_KEY not in text
    assert redaction.MASK in text
    assert dialog.text.isReadOnly()
    assert dialog.parent() is window

    dialog.copy_button.click()
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == dialog.report
    assert SECRET not in clipboard.text()

    logged = log_file.read_text(encoding="utf-8")
    assert "RuntimeError: request failed" in logged
    assert SECRET not in logged and API_KEY not in logged

    dialog.close_button.click()
    qtbot.waitUntil(lambda: crash.current_dialog() is None)


@pytest.mark.qt_no_exception_capture
def test_thread_exception_is_shown_on_gui_thread_once(qtbot: QtBot, log_file: Path) -> None:
    redaction.register_secret(SECRET)
    crash.install_crash_handler(log_file, lambda: None)

    def worker() -> None:
        raise ValueError(f"bad passphrase {SECRET}")

    for _ in range(2):  # the same problem twice: logged twice, shown once
        thread = threading.Thread(target=worker, name="sync-worker")
        thread.start()
        thread.join()

    dialog = _wait_for_dialog(qtbot)
    assert dialog.thread() is QGuiApplication.instance().thread()
    assert "thread: sync-worker" in dialog.report
    assert SECRET not in dialog.report
    dialog.close_button.click()
    qtbot.waitUntil(lambda: crash.current_dialog() is None)
    qtbot.wait(50)
    assert crash.current_dialog() is None  # the repeat did not open a second dialog
    logged = log_file.read_text(encoding="utf-8")
    assert logged.count("ValueError: bad passphrase") == 2
    assert SECRET not in logged


def test_uninstall_restores_hooks(log_file: Path, qtbot: QtBot) -> None:
    import sys

    before = (sys.excepthook, threading.excepthook)
    crash.install_crash_handler(log_file, lambda: None)
    assert sys.excepthook is not before[0]
    crash.uninstall_crash_handler()
    assert (sys.excepthook, threading.excepthook) == before


NATIVE_CRASH = """
import sys
from pathlib import Path
from cryptact_desktop.ui import crash

def sync_the_key(secret: str) -> None:
    import faulthandler
    faulthandler._sigsegv()  # what a crash inside Qt or another C library does

assert crash.record_native_crashes(Path(sys.argv[1])) is not None
sync_the_key("CANARY-NATIVE-SECRET-0001")
"""


def test_a_native_crash_leaves_every_threads_stack_and_no_secret(tmp_path: Path) -> None:
    import subprocess
    import sys

    log_file = tmp_path / "logs" / "cryptact-desktop.log"
    log_file.parent.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", NATIVE_CRASH, str(log_file)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    report = (log_file.parent / crash.NATIVE_CRASH_LOG).read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in report
    assert "sync_the_key" in report  # where it happened
    assert "CANARY-NATIVE-SECRET" not in report  # names and lines only, never values
