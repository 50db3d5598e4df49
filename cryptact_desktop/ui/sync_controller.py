"""Background syncs: one :class:`SyncWorker` per running key, each on its own ``QThread``.

The controller lives on the GUI thread and owns every thread and worker until that thread's
``finished`` signal (PySide6 deletes a parentless QObject as soon as its last Python reference
goes, so a reference dropped early would delete a running worker). Cancellation is a
``threading.Event`` handed to the engine as ``should_stop``; threads are never terminated.

The sync's work runs in a child process (:mod:`cryptact_desktop.sync_process`): this thread only
holds the key's lock and waits on a pipe, so the GUI thread never competes with parsing and
writing for the interpreter lock.

Signals carry frozen dataclasses and ints only (``SyncProgress``, ``SyncResult``, key ids) —
never ORM objects, never credentials.

Progress is coalesced in the worker: the engine reports every committed page (hundreds per
second against a fast server); the worker forwards at most one batch per ``PROGRESS_INTERVAL_S``
(plus stream ends at once), so the GUI thread repaints ~20 times a second per key at most.
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QThread, QTimer, Signal, Slot

from cryptact_desktop.errors import FailureKind, describe
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus
from cryptact_desktop.sync.engine import EndpointOutcome, SyncProgress, SyncResult

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress batches per second per key
AUTO_SYNC_SETTING = "sync/autoIntervalHours"  # 0 (default): never sync without the user asking
MAX_AUTO_SYNC_HOURS = 168
# Sync threads run at normal priority, on purpose. A lower one (IdlePriority = SCHED_IDLE on
# Linux) looked better on an idle machine, but with two CPU-bound processes running beside the
# app the GUI thread stalled for 570–630 ms: a starved low-priority sync thread holding the GIL
# blocks the GUI thread (priority inversion). Normal priority: 67–187 ms in the same test.
SYNC_THREAD_PRIORITY = QThread.Priority.InheritPriority


class SyncWorker(QObject):
    """Runs ``AppService.sync_key`` for one key on its thread; always emits ``done`` once."""

    progressBatch = Signal(object)  # tuple[SyncProgress, ...]
    done = Signal(object)  # SyncResult

    def __init__(self, service: AppService, key_id: int, stop: threading.Event) -> None:
        super().__init__()
        self._service = service
        self._key_id = key_id
        self._stop = stop
        self._pending: dict[tuple[str, str], SyncProgress] = {}
        self._last_emit = 0.0

    @property
    def key_id(self) -> int:
        return self._key_id

    @Slot()
    def run(self) -> None:
        try:
            result = self._service.sync_key(
                self._key_id,
                should_stop=self._stop.is_set,
                on_progress=self._on_progress,
                in_child_process=True,  # the window's process never waits for the sync's work
            )
        except BaseException:  # a worker must report, whatever happened
            log.exception("sync of key %s crashed", self._key_id)
            result = self._crashed_result()
        self._flush()
        self.done.emit(result)

    def _on_progress(self, progress: SyncProgress) -> None:
        """Called by the engine on this worker's thread after every page."""
        self._pending[(progress.endpoint, progress.stream)] = progress
        now = time.monotonic()
        if progress.finished or now - self._last_emit >= PROGRESS_INTERVAL_S:
            self._flush(now)

    def _flush(self, now: float | None = None) -> None:
        if not self._pending:
            return
        batch = tuple(self._pending.values())
        self._pending.clear()
        self._last_emit = time.monotonic() if now is None else now
        self.progressBatch.emit(batch)

    def _crashed_result(self) -> SyncResult:
        """A failed result for every enabled endpoint, when the sync itself blew up."""
        failure = describe(FailureKind.UNEXPECTED_RESPONSE, detail="internal error")
        try:
            endpoints = self._service.store.get_key(self._key_id).enabled_endpoints
        except Exception:  # the database itself may be what failed
            endpoints = ()
        outcomes = tuple(EndpointOutcome(e, EndpointStatus.FAILED, 0, 0, failure, None) for e in endpoints)
        return SyncResult(self._key_id, 0, outcomes, cancelled=self._stop.is_set())


class _Job:
    """A running sync: its thread, worker and cancel flag, and who asked for it."""

    __slots__ = ("key_id", "origin", "stop", "thread", "worker")

    def __init__(
        self, key_id: int, origin: str, thread: QThread, worker: SyncWorker, stop: threading.Event
    ) -> None:
        self.key_id = key_id
        self.origin = origin
        self.thread = thread
        self.worker = worker
        self.stop = stop


class SyncController(QObject):
    """Starts, cancels and tracks background syncs; lives on the GUI thread."""

    started = Signal(int)  # key id
    # tuple[SyncProgress, ...]: the reports since the last batch. One signal per batch, never one
    # per report: each emit from Python hands the GIL over and waits to get it back, and during a
    # sync the sync threads hold it.
    progressBatch = Signal(object)
    finished = Signal(object)  # SyncResult
    allFinished = Signal()
    autoSyncChanged = Signal(int)  # hours, 0 = off

    def __init__(
        self, service: AppService, settings: QSettings | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._settings = settings
        self._jobs: dict[int, _Job] = {}  # key id → the running job
        self._threads: list[_Job] = []  # every job whose thread has not finished yet
        self._origins: dict[int, str] = {}
        self._shutting_down = False
        self._auto = QTimer(self)
        self._auto.timeout.connect(self._auto_sync)
        self.set_auto_sync_hours(self.auto_sync_hours(), save=False)

    # ------------------------------------------------------------------ queries

    def is_running(self, key_id: int) -> bool:
        return key_id in self._jobs

    def running_keys(self) -> list[int]:
        return list(self._jobs)

    def any_running(self) -> bool:
        return bool(self._jobs)

    def origin(self, key_id: int) -> str:
        """Who started the current or last sync of ``key_id``: "user", "tray" or "auto"."""
        return self._origins.get(key_id, "user")

    def thread_count(self) -> int:
        """Threads not finished yet (including ones whose result already arrived)."""
        return len(self._threads)

    # ------------------------------------------------------------------ actions

    def sync(self, key_id: int, *, origin: str = "user") -> bool:
        """Start syncing ``key_id`` unless it already syncs (one sync per key at a time)."""
        if self._shutting_down or key_id in self._jobs:
            return False
        stop = threading.Event()
        thread = QThread(self)
        thread.setObjectName(f"sync-key-{key_id}")
        worker = SyncWorker(self._service, key_id, stop)
        job = _Job(key_id, origin, thread, worker, stop)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressBatch.connect(self._on_progress)
        worker.done.connect(self._on_done)
        worker.done.connect(thread.quit)
        thread.finished.connect(worker.deleteLater)
        thread.finished.connect(lambda: self._forget(job))
        self._jobs[key_id] = job
        self._threads.append(job)
        self._origins[key_id] = origin
        thread.start(SYNC_THREAD_PRIORITY)
        self.started.emit(key_id)
        return True

    def sync_all(self, *, origin: str = "user") -> list[int]:
        """Sync every key that is not paused and has endpoints; returns the keys started."""
        started = []
        for key in self._service.store.list_keys():
            if key.paused or not key.enabled_endpoints:
                continue
            if self.sync(key.id, origin=origin):
                started.append(key.id)
        return started

    def cancel(self, key_id: int) -> bool:
        job = self._jobs.get(key_id)
        if job is None:
            return False
        job.stop.set()
        return True

    def cancel_all(self) -> None:
        for job in self._jobs.values():
            job.stop.set()

    def shutdown(self, timeout_ms: int = 15_000) -> bool:
        """Cancel every sync, then quit and wait for every thread. True if all stopped in time.

        Called on ``QCoreApplication.aboutToQuit`` and when closing the window quits the app.
        Safe to call more than once.
        """
        self._shutting_down = True
        self._auto.stop()
        for job in self._threads:
            job.stop.set()
        deadline = time.monotonic() + timeout_ms / 1000
        clean = True
        for job in list(self._threads):
            job.thread.quit()  # takes effect once run() returns: exec() then exits at once
            remaining = max(0, int((deadline - time.monotonic()) * 1000))
            if not job.thread.wait(remaining):
                log.error("sync thread of key %s did not stop within %d ms", job.key_id, timeout_ms)
                clean = False
        if clean:
            # Deliver the queued results and thread ends, so every reference is released now.
            QCoreApplication.sendPostedEvents()
        return clean

    # ------------------------------------------------------------------ auto sync (opt-in)

    def auto_sync_hours(self) -> int:
        if self._settings is None:
            return 0
        try:
            hours = int(str(self._settings.value(AUTO_SYNC_SETTING, 0)))
        except (TypeError, ValueError):
            return 0
        return max(0, min(hours, MAX_AUTO_SYNC_HOURS))

    def auto_sync_interval_ms(self) -> int:
        """The running timer's interval; 0 when automatic syncing is off."""
        return self._auto.interval() if self._auto.isActive() else 0

    def set_auto_sync_hours(self, hours: int, *, save: bool = True) -> None:
        """Sync all keys every ``hours`` hours while the app runs; 0 turns it off."""
        hours = max(0, min(int(hours), MAX_AUTO_SYNC_HOURS))
        if save and self._settings is not None:
            self._settings.setValue(AUTO_SYNC_SETTING, hours)
        if hours and not self._shutting_down:
            self._auto.start(hours * 3_600_000)
        else:
            self._auto.stop()
        self.autoSyncChanged.emit(hours)

    @Slot()
    def _auto_sync(self) -> None:
        self.sync_all(origin="auto")

    # ------------------------------------------------------------------ worker signals

    @Slot(object)
    def _on_progress(self, batch: tuple[SyncProgress, ...]) -> None:
        batch = tuple(item for item in batch if item.key_id in self._jobs)
        if not batch:
            return
        self.progressBatch.emit(batch)

    @Slot(object)
    def _on_done(self, result: SyncResult) -> None:
        self._jobs.pop(result.key_id, None)
        self.finished.emit(result)
        if not self._jobs:
            self.allFinished.emit()

    def _forget(self, job: _Job) -> None:
        """The thread has finished: only now drop the references to it and its worker."""
        if job in self._threads:
            self._threads.remove(job)
        if self._jobs.get(job.key_id) is job:  # finished without a result (cannot happen, but)
            del self._jobs[job.key_id]
            if not self._jobs:
                self.allFinished.emit()
        job.thread.deleteLater()
