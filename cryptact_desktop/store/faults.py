"""Storage faults as human messages: a read-only database, a data folder that cannot be
written, a full disk, a damaged or emptied database file.

Every SQLite error of that kind raised anywhere below the store becomes a :class:`StorageError`
(the engine hook in :mod:`.database`), and so does an ``OSError`` of the data folder
(:func:`from_os_error`). Its ``failure`` (kind ``STORAGE``) says what happened and what to do —
for a damaged database, which backup can be put back (``store.backups``).
"""

from __future__ import annotations

import enum
import errno
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from cryptact_desktop.errors import Failure, FailureKind
from cryptact_desktop.i18n import translate
from cryptact_desktop.store.backups import BackupInfo, list_backups


def _t(text: str) -> str:
    return translate("storage", text)


class StorageProblem(enum.StrEnum):
    READ_ONLY = "read_only"  # the database file cannot be written
    FOLDER = "folder"  # the data folder cannot be written (or the file cannot be opened)
    FULL = "full"  # the disk is full
    DAMAGED = "damaged"  # the file is not a (whole) SQLite database any more
    EMPTY = "empty"  # the file exists but holds 0 bytes
    BUSY = "busy"  # another program holds a lock on it for too long
    IO = "io"  # the disk failed to read or write


# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE_CODES = {
    3: StorageProblem.FOLDER,  # SQLITE_PERM
    5: StorageProblem.BUSY,  # SQLITE_BUSY
    6: StorageProblem.BUSY,  # SQLITE_LOCKED
    8: StorageProblem.READ_ONLY,  # SQLITE_READONLY
    10: StorageProblem.IO,  # SQLITE_IOERR
    11: StorageProblem.DAMAGED,  # SQLITE_CORRUPT
    13: StorageProblem.FULL,  # SQLITE_FULL
    14: StorageProblem.FOLDER,  # SQLITE_CANTOPEN
    26: StorageProblem.DAMAGED,  # SQLITE_NOTADB
}


def classify(error: BaseException) -> StorageProblem | None:
    """The storage problem a DB-API (sqlite3) error reports, or None (not a storage fault)."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(error, sqlite3.Error) and isinstance(code, int):
        return _SQLITE_CODES.get(code & 0xFF)
    return None


def _when(backup: BackupInfo) -> str:
    return datetime.fromtimestamp(backup.made_at_ms / 1000).astimezone().strftime("%Y-%m-%d %H:%M")


def _damaged_hint(database: Path) -> str:
    backups = list_backups(database)
    if backups:
        return _t(
            "Nothing was changed in it. Put back the backup of {when} with "
            "`cryptact-desktop restore-backup` (the damaged file is kept beside it, renamed), then sync "
            "again: the sync fetches everything after the backup."
        ).format(when=_when(backups[0]))
    return _t(
        "Nothing was changed in it, and there is no backup. Move the file away (keep it for support) "
        "to start with a new database, then sync and import your files again."
    )


def describe_storage(problem: StorageProblem, database: Path | None) -> Failure:
    """The message and the fix for ``problem`` with the database file ``database``."""
    where = str(database) if database is not None else _t("the database")
    folder = str(database.parent) if database is not None else _t("the data folder")
    texts: dict[StorageProblem, tuple[str, str]] = {
        StorageProblem.READ_ONLY: (
            _t("The database file {path} is read-only"),
            _t(
                "Give your user permission to change it (and its folder), or choose another data "
                "folder with --data-dir; nothing was changed."
            ),
        ),
        StorageProblem.FOLDER: (
            _t("The data folder {folder} cannot be written"),
            _t(
                "Give your user permission to write in it, or choose another data folder with "
                "--data-dir (or CRYPTACT_DESKTOP_DATA_DIR); nothing was changed."
            ),
        ),
        StorageProblem.FULL: (
            _t("The disk that holds {folder} is full"),
            _t("Free some disk space, then try again; what was stored before is kept."),
        ),
        StorageProblem.DAMAGED: (_t("The database file {path} is damaged"), ""),
        StorageProblem.EMPTY: (
            _t("The database file {path} is empty (0 bytes): a crash or a full disk cut it off"),
            "",
        ),
        StorageProblem.BUSY: (
            _t("The database {path} is locked by another program"),
            _t(
                "Close other programs that open it (a backup or sync tool, a database viewer), "
                "then try again."
            ),
        ),
        StorageProblem.IO: (
            _t("The disk could not read or write the database {path}"),
            _t("Check the disk (and that it is still connected), then try again."),
        ),
    }
    message, hint = texts[problem]
    if problem in (StorageProblem.DAMAGED, StorageProblem.EMPTY):
        hint = _damaged_hint(database) if database is not None else ""
    return Failure(FailureKind.STORAGE, message.format(path=where, folder=folder), hint, problem.value)


def _refine(problem: StorageProblem, database: Path | None) -> StorageProblem:
    """SQLite says "read-only" or "cannot open" for both a read-only file and a folder where its
    journal cannot be created: tell the two apart, so the message names what to fix."""
    if database is None or problem not in (StorageProblem.READ_ONLY, StorageProblem.FOLDER):
        return problem
    if not os.access(database.parent, os.W_OK):
        return StorageProblem.FOLDER
    if database.exists() and not os.access(database, os.W_OK):
        return StorageProblem.READ_ONLY
    return problem


class StorageError(Exception):
    """The database or the data folder cannot be used. ``str()`` is the one-line message."""

    def __init__(self, problem: StorageProblem, database: Path | None, *, detail: str = "") -> None:
        problem = _refine(problem, database)
        self.problem = problem
        self.database = database
        self.detail = detail  # for the log: SQLite's error name or the OS error, never data
        self.failure = describe_storage(problem, database)
        super().__init__(self.failure.one_line())


def from_os_error(error: OSError, database: Path | None) -> StorageError:
    """An ``OSError`` met in the data folder, as a :class:`StorageError`."""
    if error.errno == errno.ENOSPC or error.errno == getattr(errno, "EDQUOT", -1):
        problem = StorageProblem.FULL
    elif error.errno == errno.EROFS:
        problem = StorageProblem.READ_ONLY
    elif error.errno in (errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EEXIST, errno.EISDIR, errno.ENOENT):
        problem = StorageProblem.FOLDER
    else:
        problem = StorageProblem.IO
    return StorageError(problem, database, detail=type(error).__name__)


def from_sqlite_error(error: BaseException, database: Path | None) -> StorageError | None:
    """A DB-API error met outside SQLAlchemy (a raw cursor), as a :class:`StorageError`, or None
    when it is not a storage fault."""
    problem = classify(error)
    if problem is None:
        return None
    return StorageError(problem, database, detail=str(getattr(error, "sqlite_errorname", "")))
