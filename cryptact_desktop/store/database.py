"""Open the SQLite database (WAL, foreign keys, busy timeout), check it, back it up, and migrate it
to the current schema.

Opening a database file (:func:`open_database`) refuses, with a :class:`~.faults.StorageError`, a
file that exists but is empty (it never silently becomes a new empty database), a disk with
almost no free space, a damaged file (``PRAGMA quick_check``; nothing is written to it), and a
file or folder that cannot be written. A new database is built under a temporary name and only
then put in place, so a crash during the first start cannot leave an empty file behind. Before a
migration changes the schema the database is backed up (:mod:`.backups`). Every storage error
SQLite raises later becomes a ``StorageError`` too (the engine's ``handle_error`` hook).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext

from cryptact_desktop.store.backups import BACKUP_INTERVAL_MS, list_backups, make_backup
from cryptact_desktop.store.faults import StorageError, StorageProblem, classify, from_os_error

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
CACHE_KIB = 32 * 1024  # each connection's page cache, at most
MIN_FREE_BYTES = 1024 * 1024  # below this the app refuses to start: every write would fail
_REVISION_LINE = re.compile(r'^revision(?::\s*str)?\s*=\s*"([^"]+)"', re.MULTILINE)
_DOWN_REVISION_LINE = re.compile(r'^down_revision(?:[^=]*)=\s*(?:"([^"]+)"|None)', re.MULTILINE)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A page cache that holds a large account's indexes (SQLite's default is 2 MB): a page's rows
    # land on scattered pages of the unique index, and with the default every commit read them
    # back from the file and wrote pages spilled mid-transaction twice. A large sync at ten times
    # an exchange's limits took 32 s instead of 20 s (4.2 GB written instead of 2.6 GB). (64 MB
    # was no faster and took 35 MB more.) SQLite takes the memory only as pages are read, up to
    # this cap per connection.
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


def open_engine(database: Path | str) -> Engine:
    """An engine on ``database`` (a file path, or ":memory:" for throwaway use) whose storage
    errors are raised as :class:`StorageError`."""
    memory = str(database) == ":memory:"
    url = "sqlite://" if memory else f"sqlite:///{Path(database)}"
    # The pool hands out the connection used last (not the one idle longest): a sync's writer keeps
    # one connection whose cache is warm, instead of a different one per commit whose cache another
    # connection's commit has made stale.
    # (":memory:" has a pool of its own with one connection per thread.)
    pooling: dict[str, Any] = {} if memory else {"pool_use_lifo": True}
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15}, **pooling)
    event.listen(engine, "connect", _on_connect)
    path = None if memory else Path(database)

    def translate(context: ExceptionContext) -> None:
        problem = classify(context.original_exception)
        if problem is not None:
            name = str(getattr(context.original_exception, "sqlite_errorname", ""))
            raise StorageError(problem, path, detail=name) from None

    event.listen(engine, "handle_error", translate)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def newest_revision() -> str:
    """The head revision, read from the migration files' ``revision`` lines (no Alembic import).

    Alembic itself costs a tenth of a second to import; a start-up on a current database
    only needs to know that nothing is left to run.
    """
    revisions: dict[str, str | None] = {}
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = _REVISION_LINE.search(source)
        down = _DOWN_REVISION_LINE.search(source)
        if revision is None or down is None:
            raise RuntimeError(f"migration {script.name} has no revision/down_revision line")
        revisions[revision.group(1)] = down.group(1)
    parents = {down for down in revisions.values() if down is not None}
    heads = [revision for revision in revisions if revision not in parents]
    if len(heads) != 1:
        raise RuntimeError(f"migrations must form one line, found heads {sorted(heads)}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a new database."""
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if exists is None:
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (run at every start-up; cheap when current)."""
    if current_revision(engine) == newest_revision():
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextlib.contextmanager
def _raw(engine: Engine) -> Iterator[sqlite3.Connection]:
    """The sqlite3 connection of a pooled connection (given back to the pool afterwards)."""
    proxy = engine.raw_connection()
    try:
        connection = proxy.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        yield connection
    finally:
        proxy.close()


def _storage_error(error: BaseException, path: Path) -> StorageError:
    if isinstance(error, StorageError):
        return error
    if isinstance(error, OSError):
        return from_os_error(error, path)
    problem = classify(error) or StorageProblem.IO
    return StorageError(problem, path, detail=str(getattr(error, "sqlite_errorname", "")))


def _preflight(path: Path) -> None:
    """Refuse what must not be opened: an emptied file, a nearly full disk."""
    try:
        size = path.stat().st_size if path.exists() else None
        wal = path.with_name(path.name + "-wal")
        if size == 0 and not (wal.exists() and wal.stat().st_size > 0):
            raise StorageError(StorageProblem.EMPTY, path)
        free = shutil.disk_usage(path.parent).free
    except OSError as error:
        raise from_os_error(error, path) from None
    if free < MIN_FREE_BYTES:
        raise StorageError(StorageProblem.FULL, path, detail=f"{free} bytes free")


def _create(path: Path) -> None:
    """Build a new database beside ``path`` and move it in place once it is complete (if another
    process did so meanwhile, its database is kept and ours dropped)."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
        os.close(descriptor)
        os.unlink(name)  # SQLite creates it (an empty file would be refused as emptied)
    except OSError as error:
        raise from_os_error(error, path) from None
    temp = Path(name)
    engine = open_engine(temp)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    try:
        try:
            os.link(temp, path)  # fails if the database appeared meanwhile: never replace one
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temp, path)
    except OSError as error:
        raise from_os_error(error, path) from None
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-wal"), temp.with_name(temp.name + "-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _check(engine: Engine, path: Path) -> None:
    """The file is a whole database (quick_check) and can be written (nothing is written)."""
    try:
        with _raw(engine) as connection:
            rows = connection.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:
                log.error("quick_check of %s: %s", path, "; ".join(str(r[0]) for r in rows[:5]))
                raise StorageError(StorageProblem.DAMAGED, path, detail="quick_check")
            # A write that is rolled back: BEGIN alone succeeds on a read-only file.
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(f"PRAGMA user_version = {int(version)}")
            finally:
                connection.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise _storage_error(error, path) from None


def _backup(engine: Engine, path: Path, reason: str) -> None:
    with _raw(engine) as connection:
        make_backup(connection, path, reason)


def _has_keys(engine: Engine) -> bool:
    try:
        with _raw(engine) as connection:
            return connection.execute("SELECT 1 FROM api_keys LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False


def open_database(database: Path | str, *, run_migrations: bool = True, check: bool = True) -> Engine:
    """An engine on ``database``, checked and migrated (see the module doc). Raises
    :class:`StorageError` for every storage fault."""
    if str(database) == ":memory:":
        engine = open_engine(database)
        if run_migrations:
            migrate(engine)
        return engine
    path = Path(database)
    if check:
        _preflight(path)
    if run_migrations and not path.exists():
        _create(path)
    engine = open_engine(path)
    try:
        if check:
            _check(engine, path)
        if run_migrations:
            current, newest = current_revision(engine), newest_revision()
            if current is not None and current != newest:
                try:
                    _backup(engine, path, f"before-{newest}")
                except (OSError, sqlite3.Error) as error:  # no migration without a backup
                    raise _storage_error(error, path) from None
            migrate(engine)
            backups = list_backups(path)
            if (not backups or time.time() * 1000 - backups[0].made_at_ms > BACKUP_INTERVAL_MS) and _has_keys(
                engine
            ):
                try:
                    _backup(engine, path, "daily")
                except (OSError, sqlite3.Error) as error:
                    log.warning("could not back up the database: %s", type(error).__name__)
    except BaseException as error:
        engine.dispose()
        if isinstance(error, (OSError, sqlite3.Error)):
            raise _storage_error(error, path) from None
        raise
    return engine
