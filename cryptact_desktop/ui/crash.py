"""The crash handler: an unexpected exception is logged and shown, with every secret masked.

:func:`install_crash_handler` replaces ``sys.excepthook`` (exceptions in slots and event handlers
on the GUI thread end there) and ``threading.excepthook`` (plain Python threads), and routes
Qt's critical/fatal messages to the log. For each unexpected exception it

1. builds a report (app, Python, Qt and OS versions, then the traceback) and runs it through
   :func:`cryptact_desktop.redaction.redact`, so registered secrets and anything that looks like
   a key, a signature or a passphrase are masked;
2. writes it to the rotating log (:func:`cryptact_desktop.redaction.setup_logging`);
3. shows it in a :class:`CrashDialog` on the GUI thread — one dialog at a time; reports that come
   in meanwhile wait their turn, and a problem that was already shown (same exception type and
   place) is only logged again, so a failing paint handler cannot flood the screen.

``KeyboardInterrupt`` keeps Python's default behaviour.

A crash inside Qt or another C library raises no exception to catch: :func:`record_native_crashes`
has Python write every thread's stack to ``native-crash.log`` beside the log when that happens
(file, line and function names only: no values, so no secret).
"""

from __future__ import annotations

import faulthandler
import logging
import platform
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop import __version__, redaction

log = logging.getLogger(__name__)

ParentGetter = Callable[[], QWidget | None]
MAX_PENDING = 10

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("crash", text)


def format_report(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None, thread_name: str = ""
) -> str:
    """The redacted crash report: versions, the thread, then the traceback."""
    lines = [
        f"Cryptact Desktop {__version__}",
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}",
        f"{platform.platform()}",
        f"frozen: {bool(getattr(sys, 'frozen', False))}",
    ]
    if thread_name:
        lines.append(f"thread: {thread_name}")
    lines.append("")
    lines += "".join(traceback.format_exception(kind, value, tb)).rstrip("\n").splitlines()
    return redaction.redact("\n".join(lines))


def _signature(kind: type[BaseException], tb: TracebackType | None) -> tuple[object, ...]:
    """The exception type and where it was raised (not its message, which may vary)."""
    frames = tuple((frame.filename, frame.lineno) for frame in traceback.extract_tb(tb))
    return (kind.__qualname__, frames)


class CrashDialog(QDialog):
    """Shows one redacted report, read-only, with Copy and Close."""

    def __init__(self, report: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(_tr("Unexpected error"))
        self.report = report
        intro = QLabel(
            _tr(
                "Cryptact Desktop ran into an unexpected problem. Your data is safe. "
                "The report below (with secrets masked) was saved to the log file. If the "
                "problem keeps happening, copy the report and send it to support."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("crashReport")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(report)
        where = QLabel(_tr("Log file: {path}").format(path=log_file) if log_file else "", self)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        where.setVisible(log_file is not None)

        buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton(_tr("Copy report"), self)
        self.copy_button.setObjectName("copyButton")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("closeButton")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(where)
        layout.addWidget(buttons)
        self.resize(720, 420)

    @Slot()
    def copy_report(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.report)
        self.copy_button.setText(_tr("Copied"))


class _CrashHandler(QObject):
    """Lives on the GUI thread; hooks call :meth:`handle` from any thread."""

    reportReady = Signal(str)

    def __init__(self, log_file: Path | None, parent_getter: ParentGetter) -> None:
        super().__init__()
        self.log_file = log_file
        self.parent_getter = parent_getter
        self.dialog: CrashDialog | None = None
        self.pending: deque[str] = deque(maxlen=MAX_PENDING)
        self._seen: set[tuple[object, ...]] = set()
        self._seen_lock = threading.Lock()
        self.previous_excepthook = sys.excepthook
        self.previous_thread_hook = threading.excepthook
        self.previous_qt_handler: Any = None
        # Queued even on the GUI thread: the dialog opens from the event loop, not inside the hook.
        self.reportReady.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def handle(self, exc_info: ExcInfo, thread_name: str = "") -> None:
        kind, value, tb = exc_info
        try:
            report = format_report(kind, value, tb, thread_name)
        except Exception:  # never let the handler itself crash; the type alone is safe
            report = f"{kind.__qualname__} (the report could not be built)"
        log.critical("Unexpected error\n%s", report)
        signature = _signature(kind, tb)
        with self._seen_lock:
            if signature in self._seen:
                return
            self._seen.add(signature)
        if QApplication.instance() is None:
            stream = sys.stderr
            if stream is not None:
                stream.write(report + "\n")
            return
        self.reportReady.emit(report)

    def excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self.previous_excepthook(kind, value, tb)
            return
        self.handle((kind, value, tb))

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        value = args.exc_value if args.exc_value is not None else args.exc_type()
        self.handle((args.exc_type, value, args.exc_traceback), args.thread.name if args.thread else "?")

    def qt_message(self, mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if mode == QtMsgType.QtFatalMsg:
            log.critical("Qt fatal error: %s", redaction.redact(message))
        elif mode == QtMsgType.QtCriticalMsg:
            log.error("Qt: %s", redaction.redact(message))
        previous = self.previous_qt_handler
        if callable(previous):
            previous(mode, context, message)
        elif mode != QtMsgType.QtDebugMsg and sys.stderr is not None:
            sys.stderr.write(redaction.redact(message) + "\n")

    @Slot(str)
    def _show(self, report: str) -> None:
        if self.dialog is not None:
            self.pending.append(report)
            return
        try:
            parent = self.parent_getter()
        except Exception:  # the window may already be gone
            parent = None
        dialog = CrashDialog(report, self.log_file, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_finished)
        self.dialog = dialog
        dialog.open()

    @Slot()
    def _on_finished(self) -> None:
        self.dialog = None
        if self.pending:
            self._show(self.pending.popleft())


_handler: _CrashHandler | None = None
_native_log: IO[str] | None = None
NATIVE_CRASH_LOG = "native-crash.log"


def record_native_crashes(log_file: Path) -> Path | None:
    """From now on, a fatal signal (a crash in Qt or another C library) appends every thread's
    Python stack to ``native-crash.log`` beside ``log_file``; returns that file (None when it
    cannot be opened: then nothing changes). Once per process: the file stays open until exit."""
    global _native_log
    path = log_file.with_name(NATIVE_CRASH_LOG)
    if _native_log is not None:
        return path
    try:
        _native_log = path.open("a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
    except OSError as exc:
        log.warning("cannot record native crashes in %s: %s", path, exc)
        return None
    faulthandler.enable(file=_native_log, all_threads=True)
    return path


def install_crash_handler(log_file: Path | None, parent_getter: ParentGetter) -> None:
    """Install the hooks (call on the GUI thread, after the QApplication exists).

    ``log_file``: the rotating log of the data directory (``DataPaths.log_file``); the redacting
    log setup is (re)applied to it. ``parent_getter``: returns the window the dialog belongs to
    (or ``None``), asked at the time of the crash. Calling it again replaces the earlier install.
    """
    global _handler
    uninstall_crash_handler()
    if log_file is not None:
        redaction.setup_logging(log_file)
    handler = _CrashHandler(log_file, parent_getter)
    sys.excepthook = handler.excepthook
    threading.excepthook = handler.thread_hook
    handler.previous_qt_handler = qInstallMessageHandler(handler.qt_message)
    _handler = handler


def uninstall_crash_handler() -> None:
    """Restore the hooks that were in place before :func:`install_crash_handler`."""
    global _handler
    handler, _handler = _handler, None
    if handler is None:
        return
    sys.excepthook = handler.previous_excepthook
    threading.excepthook = handler.previous_thread_hook
    qInstallMessageHandler(handler.previous_qt_handler)
    if handler.dialog is not None:
        handler.dialog.close()
    handler.deleteLater()


def current_dialog() -> CrashDialog | None:
    """The crash dialog on screen, if any (for tests)."""
    return _handler.dialog if _handler is not None else None
