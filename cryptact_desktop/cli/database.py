"""``restore-backup``: put a backup in place of a damaged database (the damaged file is kept)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from cryptact_desktop.cli.context import EXIT_OK, CliError, Context
from cryptact_desktop.i18n import translate
from cryptact_desktop.store import StorageError, Store, list_backups, restore_backup
from cryptact_desktop.store.backups import BackupInfo


def _t(text: str) -> str:
    return translate("cli", text)


def _when(backup: BackupInfo) -> str:
    return datetime.fromtimestamp(backup.made_at_ms / 1000).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def cmd_restore_backup(ctx: Context) -> int:
    a = ctx.args
    database = ctx.paths.database
    backups = list_backups(database)
    if a.list:
        if ctx.json:
            ctx.emit_json(
                [
                    {"path": str(b.path), "made_at_ms": b.made_at_ms, "reason": b.reason, "size": b.size}
                    for b in backups
                ]
            )
        elif not backups:
            ctx.say(_t("No backups of {path} yet.").format(path=database))
        for backup in backups if not ctx.json else ():
            ctx.say(f"{_when(backup)}  {backup.reason:<28}  {backup.path}")
        return EXIT_OK
    chosen: BackupInfo | Path
    if a.file:
        chosen = Path(a.file).expanduser().absolute()
    elif backups:
        chosen = backups[0]
    else:
        raise CliError(
            _t("There is no backup of {path}").format(path=database),
            _t("Move the damaged file away (keep it for support) to start with a new database."),
        )
    if database.exists() and not a.force:
        try:
            Store(database, run_migrations=False).close()
        except StorageError:
            pass  # damaged (or unreadable): replace it
        else:
            raise CliError(
                _t("The database {path} is not damaged").format(path=database),
                _t("Restoring would drop what changed since the backup; add --force to restore anyway."),
            )
    try:
        aside = restore_backup(database, chosen)
    except (OSError, sqlite3.Error) as exc:
        raise CliError(
            _t("The backup could not be restored: {reason}").format(reason=type(exc).__name__),
            _t("Nothing was changed. Choose another backup with --file (see --list)."),
        ) from None
    when = _when(chosen) if isinstance(chosen, BackupInfo) else str(chosen)
    ctx.say(_t("Restored the backup of {when}.").format(when=when))
    if aside.exists():
        ctx.say(_t("The previous database file is kept as {path}.").format(path=aside))
    ctx.say(_t("Run sync to fetch what happened since the backup (and import files added since again)."))
    return EXIT_OK
