"""The one way the dialogs run work off the GUI thread (Anki's ``QueryOp`` idea).

A dialog owns a :class:`Background` and hands it an *op* (a plain callable that may block: an
HTTP check, a file preview, a database write) with a *success* callback and, optionally, a
*failure* callback. The op runs on its own ``QThread``; the callbacks run on the GUI thread::

    self._background = Background(self)
    self._background.run(check, success=self._on_verified, failure=self._on_failed)

What it guarantees:

* **One awaited op per Background.** Starting another op, or :meth:`Background.cancel`, turns the
  earlier op's result into a late one: it is dropped when it arrives (a generation counter), so
  a cancelled check can never save a key behind the user's back.
* **Dialogs can go away first.** The worker reports to a long-lived runner, never to the dialog;
  the runner hands the result over through a weak reference and only if the receiving Qt object
  still exists (``shiboken6.isValid``). A cancelled check keeps running until its HTTP request
  returns, so its thread may outlive the dialog; the runner keeps thread and worker referenced
  until the thread has finished *and* the result has been delivered (PySide6 destroys a
  parentless QObject the moment its last Python reference goes).
* **Errors are data.** The op's exception is caught on the worker thread and passed to
  ``failure`` — never raised there, never shown with ``str()`` (it may hold a URL or a reply).
* **Quitting waits** (bounded) for running ops, on ``QCoreApplication.aboutToQuit``.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
Success = Callable[[Any], None]
Failure = Callable[[Exception], None]

QUIT_WAIT_MS = 15_000  # an op is bounded by the HTTP layer's timeouts; never hang quitting forever


class _Worker(QObject):
    """Runs one op on a worker thread and reports ``(this worker, generation, result, error)``."""

    done = Signal(object, int, object, object)

    def __init__(self, generation: int, op: Callable[[], object]) -> None:
        super().__init__()
        self.generation = generation
        self.delivered = False  # set on the GUI thread once the result was handed over
        self._op: Callable[[], object] | None = op
        self.receiver: weakref.WeakMethod[Callable[[int, Any, Any], None]] | None = None

    @Slot()
    def run(self) -> None:
        op, self._op = self._op, None  # drop the closure (and any credentials it holds)
        result: object = None
        error: Exception | None = None
        try:
            if op is not None:
                result = op()
        except Exception as exc:  # reported as data, never raised on the worker thread
            error = exc
        self.done.emit(self, self.generation, result, error)
        thread = self.thread()
        if thread is not None:
            thread.quit()


class _Runner(QObject):
    """Keeps each op's QThread and worker alive until the thread has really finished.

    One per process, on the GUI thread. Workers are connected to this long-lived object, never to
    a dialog: a dialog can be closed and deleted while its op is still running.
    """

    def __init__(self) -> None:
        super().__init__()
        self._running: list[tuple[QThread, _Worker]] = []
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait_all)

    def start(self, worker: _Worker, receiver: Callable[[int, Any, Any], None]) -> None:
        """Run ``worker`` on a new thread; ``receiver`` (a bound method of a QObject) gets its
        result on the GUI thread if its object still exists then."""
        worker.receiver = weakref.WeakMethod(receiver)
        thread = QThread()
        thread.setObjectName("background-op")
        worker.moveToThread(thread)
        worker.done.connect(self._deliver)  # queued: this object lives on the GUI thread
        thread.started.connect(worker.run)
        thread.finished.connect(self._release)
        self._running.append((thread, worker))
        thread.start()

    @Slot(object, int, object, object)
    def _deliver(self, worker: _Worker, generation: int, result: Any, error: Any) -> None:
        # The worker comes with the signal (not from sender()): it stays referenced in _running
        # until this has run, so its result can never be dropped by an early release.
        worker.delivered = True
        method = worker.receiver() if worker.receiver is not None else None
        owner = getattr(method, "__self__", None)
        try:
            if method is not None and owner is not None and shiboken6.isValid(owner):
                method(generation, result, error)
            # else: the owner is gone, nobody waits for this result
        finally:
            self._release()

    def running(self) -> int:
        return len(self._running)

    @Slot()
    def _release(self) -> None:
        still: list[tuple[QThread, _Worker]] = []
        for thread, worker in self._running:
            # Released only when its result is delivered and its thread has ended; a finished
            # thread whose queued result is still on its way stays referenced.
            if worker.delivered and thread.isFinished():
                thread.wait()
            else:
                still.append((thread, worker))
        self._running = still

    @Slot()
    def wait_all(self) -> None:
        for thread, _worker in self._running:
            thread.wait(QDeadlineTimer(QUIT_WAIT_MS))
        self._running = [(t, w) for t, w in self._running if not t.isFinished()]


_runner: _Runner | None = None


def _the_runner() -> _Runner:
    global _runner
    if _runner is None:
        _runner = _Runner()
    return _runner


def running_background_calls() -> int:
    """How many ops are still running (cancelled ones included); for tests."""
    return 0 if _runner is None else _runner.running()


def _log_failure(error: Exception) -> None:
    # The type only: str() of an unknown exception may hold a URL or a server's reply.
    log.error("a background operation failed: %s", type(error).__name__)


class Background(QObject):
    """One lane of background work for the QObject it is a child of (usually a dialog).

    :meth:`run` starts an op; its ``success(result)`` or ``failure(error)`` runs on the GUI thread
    afterwards, unless :meth:`cancel` or a newer :meth:`run` came first, or the owner was deleted.
    Without ``failure`` an error is logged (by type only) and otherwise ignored.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._generation = 0
        self._pending: tuple[int, Success, Failure] | None = None

    def run(self, op: Callable[[], T], success: Callable[[T], None], failure: Failure | None = None) -> None:
        self._generation += 1
        self._pending = (self._generation, success, failure or _log_failure)
        _the_runner().start(_Worker(self._generation, op), self._deliver)

    def cancel(self) -> None:
        """Forget the running op: its result will be dropped when it arrives."""
        self._generation += 1
        self._pending = None

    @property
    def busy(self) -> bool:
        """Whether an op's result is awaited."""
        return self._pending is not None

    def _deliver(self, generation: int, result: Any, error: Any) -> None:
        if self._pending is None or self._pending[0] != generation or generation != self._generation:
            return  # cancelled or superseded: the late result is ignored
        _, success, failure = self._pending
        self._pending = None
        if isinstance(error, Exception):
            failure(error)
        else:
            success(result)
