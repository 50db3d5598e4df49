"""A small text file that the processes of this computer read and rewrite in turn.

The file and its lock file stay open for the life of the object, so a turn costs a few system
calls: take the lock, read the file from its start, write it anew, release. (Opening the lock and
the file for every turn, as ``filelock`` and ``Path.read_text`` do, cost ~0.5 ms a turn: the per-IP
budget of a large sync at ten times an exchange's limits took 4.1 s of the client's CPU; 1.7 s
with the files kept open.)

The lock is the operating system's advisory lock on ``<file>.lock`` (``flock`` on POSIX, the same
lock ``filelock`` takes, so a process using either excludes the other); where there is no
``fcntl`` (Windows) ``filelock`` takes it. The operating system releases it when its process ends.
A file replaced or deleted meanwhile, or a process forked since the files were opened (a forked
child would share the open lock), opens them again.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from types import TracebackType

from filelock import FileLock

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

_CHUNK = 1 << 16


class SharedFile:
    """``with shared:`` holds this computer's lock of the file; ``read``/``write`` only inside.

    Raises ``OSError`` when the file or its lock cannot be opened (a read-only folder). One thread
    of a process at a time: the caller keeps its own threads apart.
    """

    def __init__(self, path: Path, *, poll_seconds: float = 0.002) -> None:
        self.path = path
        self._lock_path = Path(str(path) + ".lock")
        self._poll_seconds = poll_seconds
        self._fd: int | None = None
        self._lock_fd: int | None = None
        self._opened_by = 0  # the process id that opened them
        self._fallback = FileLock(str(self._lock_path), is_singleton=False) if fcntl is None else None
        self._owner = threading.Lock()  # held while the lock is

    def __enter__(self) -> None:
        self._owner.acquire()
        try:
            self._lock()
        except BaseException:
            self._owner.release()
            raise

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            self._unlock()
        finally:
            self._owner.release()

    def _lock(self) -> None:
        if self._opened_by != os.getpid():
            self.close()
        if self._fallback is not None:
            self._fallback.acquire(poll_interval=self._poll_seconds)
        else:
            if self._lock_fd is None:
                self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                self._opened_by = os.getpid()
            while True:
                try:
                    fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    time.sleep(self._poll_seconds)
        try:
            self._open_file()
        except BaseException:
            self._unlock()
            raise

    def _unlock(self) -> None:
        if self._fallback is not None:
            self._fallback.release()
        elif self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _open_file(self) -> None:
        """The file, opened again if it was deleted or replaced since (lock held)."""
        if self._fd is not None:
            try:
                same = os.path.samestat(os.fstat(self._fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                return
            os.close(self._fd)
            self._fd = None
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        self._opened_by = os.getpid()

    def read(self) -> bytes:
        """The whole file (lock held)."""
        assert self._fd is not None, "read only while the lock is held"
        os.lseek(self._fd, 0, os.SEEK_SET)
        parts = []
        while chunk := os.read(self._fd, _CHUNK):
            parts.append(chunk)
        return b"".join(parts)

    def write(self, data: bytes) -> None:
        """Replace the file's contents with ``data`` (lock held). Written over the old contents,
        then cut to length: a process ended in between leaves old lines after the new ones, which
        readers treat like any other line, never a file that lost its lines."""
        assert self._fd is not None, "write only while the lock is held"
        os.lseek(self._fd, 0, os.SEEK_SET)
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        os.ftruncate(self._fd, len(data))

    def close(self) -> None:
        for fd in (self._fd, self._lock_fd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._fd = self._lock_fd = None
        self._opened_by = 0
