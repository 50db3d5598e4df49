"""The store's connection to the database: sessions, the write lock, and ``now_ms``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from cryptact_desktop.store.database import open_database


def now_ms() -> int:
    return int(time.time() * 1000)


class _Unset:
    """Marks an argument that was not given (where None is a meaningful value)."""


UNSET = _Unset()


class Gateway:
    """The database of one data directory. Thread-safe: each call uses its own session, and every
    write holds one lock (one writer at a time: no SQLITE_BUSY between our threads)."""

    def __init__(self, database: Path | str, *, run_migrations: bool = True, check: bool = True) -> None:
        """Open (or create) ``database``, checked and migrated (``store.database.open_database``).
        Raises :class:`~cryptact_desktop.store.faults.StorageError` for a storage fault."""
        self.database = database
        self.engine = open_database(database, run_migrations=run_migrations, check=check)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        return self._sessions()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading (nothing it does is committed)."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """One write transaction, serialised with every other writer of this store: everything done
        inside is committed together or not at all."""
        with self._write_lock, self._sessions() as session, session.begin():
            yield session
