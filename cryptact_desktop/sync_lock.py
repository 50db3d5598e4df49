"""One sync per key across processes: the GUI, a second window and a cron ``sync`` share a
data directory, and only one of them may fetch a key at a time.

Each key has a lock file in ``<data dir>/locks``; the operating system releases the lock when
its process ends, so a crashed sync never leaves a key locked. Uses ``filelock`` (fcntl on
POSIX, msvcrt on Windows) rather than hand-written platform code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class KeyBusy(Exception):
    """Another process is syncing this key right now."""


class SyncLocks:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def beside(cls, database: Path | str) -> SyncLocks:
        """The locks of the data directory that holds ``database``."""
        return cls(Path(str(database)).resolve().parent / "locks")

    def _lock(self, key_id: int) -> FileLock:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        return FileLock(str(self.directory / f"sync-key-{key_id}.lock"), is_singleton=False)

    @contextmanager
    def hold(self, key_id: int) -> Iterator[None]:
        """Hold the key's lock for the duration of the block; raise KeyBusy if another has it."""
        lock = self._lock(key_id)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise KeyBusy(key_id) from None
        try:
            yield
        finally:
            lock.release()

    def is_free(self, key_id: int) -> bool:
        try:
            with self.hold(key_id):
                return True
        except KeyBusy:
            return False
