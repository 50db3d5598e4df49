"""Open the data after the window's first paint, on a worker thread (see ``ui.app``'s start-up).

:class:`DataOpener` runs one blocking callable — the imports, the database, the keyring — on a
plain Python thread once the window has painted, and hands its result (plain Python objects,
never Qt objects) or its exception to the GUI thread through a queued signal. ``wait()`` joins the
thread and returns the result even if the event loop ended before it was delivered, so a quit
during start-up still closes what was opened.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

# If the window is never painted (started minimised, no compositor), open the data anyway.
PAINT_FALLBACK_MS = 500


class DataOpener(QObject):
    """Runs ``open_op`` once, off the GUI thread; ``opened(result)`` or ``failed(exception)``."""

    painted = Signal()  # the window has painted (or the fallback fired): the opening starts
    opened = Signal(object)
    failed = Signal(object)

    def __init__(self, open_op: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._op: Callable[[], object] | None = open_op
        self._thread: threading.Thread | None = None
        self._result: object = None
        self._window: QWidget | None = None

    def start_after_first_paint(self, window: QWidget) -> None:
        """Start once ``window`` has painted (the paint itself finishes first)."""
        self._window = window
        window.installEventFilter(self)
        QTimer.singleShot(PAINT_FALLBACK_MS, self.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.start)  # after this paint has been drawn and flushed
        return False

    def start(self) -> None:
        """Start now (idempotent)."""
        if self._thread is not None:
            return
        if self._window is not None:
            self._window.removeEventFilter(self)
        self._thread = threading.Thread(target=self._run, name="open-data", daemon=True)
        self._thread.start()
        self.painted.emit()

    @property
    def started(self) -> bool:
        return self._thread is not None

    def _run(self) -> None:
        op, self._op = self._op, None
        assert op is not None
        try:
            result = op()
        except BaseException as exc:  # reported to the GUI thread, never raised on this one
            self._result = exc
            self.failed.emit(exc)
            return
        self._result = result
        self.opened.emit(result)  # queued: this object lives on the GUI thread

    def wait(self) -> object:
        """Join the worker (if it ever started) and return its result or exception (or None)."""
        if self._thread is not None:
            self._thread.join()
        return self._result
