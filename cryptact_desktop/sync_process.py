"""A sync run in a child process, so the window's process never waits for the sync's work.

Why a process and not a thread: a sync parses, normalises and writes thousands of records a
second, and every one of those steps holds Python's interpreter lock. On a thread of the GUI's
process the GUI thread waits for that lock between steps, and on a busy machine the operating
system may pause the very thread that holds it: the window froze for 100–160 ms at a time during
a medium sync. A child process has its own interpreter; the GUI's process only waits on a pipe.

How it runs:

* The parent (a GUI worker thread) holds the key's sync lock and reads the key's secret from the
  keyring, as an in-process sync would. It starts the child with the ``spawn`` method (a fork of
  a Qt process is unsafe) and sends the secret over the pipe that links the two processes —
  never on a command line or in the environment. The child never opens the keyring.
* The child opens the same database (WAL: the window keeps reading while it writes), runs the
  sync engine and :func:`cryptact_desktop.imports.matching.link_file_rows` exactly as
  :meth:`AppService.sync_key` does, and sends progress (coalesced) and the result back.
* Cancelling sends ``stop`` down the pipe; the engine winds down as it does for a thread. A
  parent that disappears closes the pipe, which stops the child too.
* A child that dies without a result is reported as :class:`SyncProcessDied`; the endpoints it
  left "syncing" are reset (their coverage is intact, so the next sync resumes).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptact_desktop import i18n, redaction
from cryptact_desktop.child_signals import child_takes_over, spawning
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.sync.engine import SyncProgress, SyncResult

if TYPE_CHECKING:
    from cryptact_desktop.service import ConnectorFactory
    from cryptact_desktop.store import Store

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.05  # the child sends at most ~20 progress messages a second
POLL_S = 0.05  # how often the parent looks at the cancel flag while it waits
JOIN_TIMEOUT_S = 10.0
SYNC_NICENESS = 5  # the child's CPU priority below the window's (see _yield_cpu_to_the_window)


class SyncProcessDied(RuntimeError):
    """The sync's process ended without a result (killed, out of memory, a crash)."""


@dataclass(frozen=True)
class SyncJob:
    """What the child needs besides the secret (which it receives over the pipe)."""

    database: str
    key_id: int
    endpoints: tuple[str, ...] | None
    connector_factory: ConnectorFactory
    log_to: redaction.ChildLogging  # where the child logs
    translation: Callable[[], None] | None = None  # see i18n.child_setup


def sync_in_process(
    store: Store,
    connector_factory: ConnectorFactory,
    key_id: int,
    credentials: Credentials,
    endpoints: Sequence[str] | None,
    should_stop: Callable[[], bool],
    on_progress: Callable[[SyncProgress], None] | None,
) -> SyncResult:
    """Run one key's sync in a child process; returns its result. The caller holds the key's lock.

    Raises :class:`SyncProcessDied` when the child ends without a result.
    """
    job = SyncJob(
        database=str(Path(str(store.database)).resolve()),
        key_id=key_id,
        endpoints=tuple(endpoints) if endpoints is not None else None,
        connector_factory=connector_factory,
        log_to=redaction.child_logging(),
        translation=i18n.child_setup(),
    )
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe(duplex=True)
    process = context.Process(target=child_main, args=(theirs, job), name=f"sync-key-{key_id}", daemon=True)
    with spawning():
        process.start()
    theirs.close()
    try:
        ours.send(credentials.fields())
        result = _follow(ours, process, should_stop, on_progress)
    finally:
        ours.close()
        process.join(JOIN_TIMEOUT_S)
        if process.is_alive():  # it got the stop and the result is in; it must not linger
            process.kill()
            process.join()
    if result is None:
        store.reset_stale_syncing([key_id])
        raise SyncProcessDied(f"the sync process of key {key_id} ended with code {process.exitcode}")
    return result


def _follow(
    conn: Connection,
    process: Any,
    should_stop: Callable[[], bool],
    on_progress: Callable[[SyncProgress], None] | None,
) -> SyncResult | None:
    asked_to_stop = False
    while True:
        if not asked_to_stop and should_stop():
            asked_to_stop = True
            with contextlib.suppress(OSError):  # already gone: the next poll sees it
                conn.send("stop")
        try:
            ready = conn.poll(POLL_S)
            if not ready:
                if not process.is_alive() and not conn.poll(0):
                    return None
                continue
            kind, payload = conn.recv()
        except (EOFError, OSError):
            return None
        if kind == "progress":
            if on_progress is not None:
                for item in payload:
                    on_progress(item)
        elif kind == "result":
            return payload  # type: ignore[no-any-return]
        elif kind == "error":
            log.error("the sync process of a key failed: %s", payload)
            return None


# ---------------------------------------------------------------------------- the child


def child_main(conn: Connection, job: SyncJob) -> None:
    """The child's entry point: sync one key and report over ``conn``."""
    _yield_cpu_to_the_window()
    job.log_to.apply()
    try:
        if job.translation is not None:  # failures are worded in the user's language
            job.translation()
        fields = conn.recv()
        credentials = Credentials.from_fields(fields)  # registers the values for redaction again
        del fields
        stop = threading.Event()
        # Ctrl-C reaches this process too: the window cancels the sync through the pipe. A
        # SIGTERM for this process alone winds the sync down as a cancel does.
        child_takes_over(stop.set)
        threading.Thread(target=_watch_parent, args=(conn, stop), daemon=True).start()
        result = _run(conn, job, credentials, stop)
    except BaseException as exc:  # report, whatever happened
        log.exception("sync of key %s failed in its process", job.key_id)
        _send(conn, ("error", type(exc).__name__))
        return
    _send(conn, ("result", result))


def _yield_cpu_to_the_window() -> None:
    """Run this process at a lower CPU priority than the window's (POSIX ``nice``).

    When the CPUs are all busy, the window's GUI thread then gets one before the sync does: on two
    cores, this child parsing flat out and a machine otherwise loaded kept the GUI thread waiting
    for a CPU. Nothing waits for this process while holding something the window needs (the
    window reads the WAL database without waiting for its writer), so a lower priority cannot stall
    the window the way a low-priority sync *thread* holding the interpreter lock did. When a CPU is
    free the sync runs at full speed as before.
    """
    nice = getattr(os, "nice", None)
    if nice is not None:
        with contextlib.suppress(OSError):
            nice(SYNC_NICENESS)


def _run(conn: Connection, job: SyncJob, credentials: Credentials, stop: threading.Event) -> SyncResult:
    from cryptact_desktop.service import run_sync, share_rate_limits
    from cryptact_desktop.store import Store

    # The parent opened, checked and migrated it.
    store = Store(job.database, run_migrations=False, check=False)
    share_rate_limits(store)  # the per-IP budget of every process of the app, this one's too
    try:
        progress = _Coalescer(lambda batch: _send(conn, ("progress", batch)))
        result = run_sync(
            store,
            job.connector_factory,
            store.get_key(job.key_id),
            credentials,
            job.endpoints,
            stop.is_set,
            progress.add,
        )
        progress.flush()
        return result
    finally:
        store.close()


def _watch_parent(conn: Connection, stop: threading.Event) -> None:
    """``stop`` from the parent, or the parent gone (the pipe closed): wind the sync down."""
    while True:
        try:
            if conn.recv() == "stop":
                break
        except (EOFError, OSError):
            break
    stop.set()


_send_lock = threading.Lock()


def _send(conn: Connection, message: tuple[str, object]) -> None:
    with _send_lock, contextlib.suppress(OSError):  # the parent is gone; the watcher stops the sync
        conn.send(message)


class _Coalescer:
    """The latest report of each stream, sent at most every ``PROGRESS_INTERVAL_S`` (a stream's
    end at once)."""

    def __init__(self, send: Callable[[tuple[SyncProgress, ...]], None]) -> None:
        self._send = send
        self._pending: dict[tuple[str, str], SyncProgress] = {}
        self._last = 0.0

    def add(self, progress: SyncProgress) -> None:
        self._pending[(progress.endpoint, progress.stream)] = progress
        now = time.monotonic()
        if progress.finished or now - self._last >= PROGRESS_INTERVAL_S:
            self.flush(now)

    def flush(self, now: float | None = None) -> None:
        if self._pending:
            batch = tuple(self._pending.values())
            self._pending.clear()
            self._last = time.monotonic() if now is None else now
            self._send(batch)
