"""Rolling backups of the database, and putting one back when the database is damaged.

Backups are copies made with SQLite's online backup API (consistent even while the app runs):
before every schema migration, and at start-up when the newest one is older than
:data:`BACKUP_INTERVAL_MS`. The newest :data:`KEEP_BACKUPS` are kept in ``<data dir>/backups``.
A damaged database is never overwritten or deleted: :func:`restore_backup` moves it aside first.
Restoring an older backup loses nothing for good: its sync coverage matches its rows, so the next
sync fetches everything after it again (files imported since then must be imported again).
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

KEEP_BACKUPS = 3
BACKUP_INTERVAL_MS = 24 * 3_600_000
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<reason>[a-z0-9_-]+))?\.db$")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    made_at_ms: int
    reason: str  # "daily", "before-migration-0005_trust", ...
    size: int


def backup_dir(database: Path) -> Path:
    return database.parent / "backups"


def list_backups(database: Path | str) -> list[BackupInfo]:
    """The backups of ``database``, newest first."""
    database = Path(database)
    folder = backup_dir(database)
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match is None or match.group("stem") != database.stem:
            continue
        try:
            moment = datetime.strptime(match.group("stamp"), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        if size == 0:
            continue
        found.append(BackupInfo(entry, int(moment.timestamp() * 1000), match.group("reason") or "", size))
    return sorted(found, key=lambda b: (b.made_at_ms, b.path.name), reverse=True)


def make_backup(connection: sqlite3.Connection, database: Path, reason: str) -> BackupInfo:
    """Copy the open database ``connection`` (of the file ``database``) into the backups folder
    and keep only the newest :data:`KEEP_BACKUPS`. Raises ``OSError``/``sqlite3.Error``."""
    folder = backup_dir(database)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{database.stem}-{stamp}-{reason}.db"
    partial = target.with_suffix(".partial")
    copy = sqlite3.connect(partial)
    try:
        connection.backup(copy)
    finally:
        copy.close()
    os.replace(partial, target)
    for old in list_backups(database)[KEEP_BACKUPS:]:
        try:
            old.path.unlink()
        except OSError:
            log.warning("could not remove the old backup %s", old.path)
    log.info("database backed up to %s (%s)", target, reason)
    return BackupInfo(target, int(time.time() * 1000), reason, target.stat().st_size)


def restore_backup(database: Path | str, backup: BackupInfo | Path) -> Path:
    """Put ``backup`` in place of ``database``. The current file (and its -wal/-shm) is moved aside
    to ``<name>.damaged-<time>`` first, never overwritten or deleted; returns where it went.
    The backup is checked (``PRAGMA quick_check``) before anything is moved."""
    database = Path(database)
    source = backup.path if isinstance(backup, BackupInfo) else Path(backup)
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        result = check.execute("PRAGMA quick_check").fetchone()
    finally:
        check.close()
    if result is None or result[0] != "ok":
        raise sqlite3.DatabaseError("the backup itself is damaged")
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = database.with_name(f"{database.name}.damaged-{stamp}")
    if database.exists():
        os.replace(database, aside)
        for suffix in ("-wal", "-shm"):
            extra = database.with_name(database.name + suffix)
            if extra.exists():
                os.replace(extra, aside.with_name(aside.name + suffix))
    partial = database.with_name(database.name + ".restoring")
    source_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target_db = sqlite3.connect(partial)
    try:
        source_db.backup(target_db)
    finally:
        target_db.close()
        source_db.close()
    os.replace(partial, database)
    log.warning("restored the database from %s; the previous file is kept as %s", source, aside)
    return aside
