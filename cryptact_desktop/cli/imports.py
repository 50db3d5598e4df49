"""``import``: an exchange's download file (CSV) into an account, all of it or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptact_desktop.cli.arguments import exchange_info, resolve_key
from cryptact_desktop.cli.context import EXIT_FAILED, EXIT_OK, CliError, Context
from cryptact_desktop.i18n import translate
from cryptact_desktop.imports import ImportResult, ImportStatus, import_file
from cryptact_desktop.imports.results import ProblemGroup

_SHOWN_ROWS = 10


def _t(text: str) -> str:
    return translate("cli", text)


def _group_line(group: ProblemGroup) -> str:
    rows = ", ".join(str(r) for r in group.rows[:_SHOWN_ROWS])
    if group.total > _SHOWN_ROWS:
        rows += _t(" and {more} more").format(more=group.total - _SHOWN_ROWS)
    line = f"  {group.message}"
    if rows:
        line += _t(" (rows {rows})").format(rows=rows)
    if group.examples:
        line += ": " + ", ".join(group.examples)
    return line


def _json(result: ImportResult) -> dict[str, Any]:
    return {
        "status": result.status.value,
        "account_id": result.account_id,
        "file_id": result.file_id,
        "format": result.format_id,
        "rows": result.rows,
        "records": result.records,
        "new_records": result.new_records,
        "already_present": result.already_present,
        "linked": result.linked,
        "held_for_review": result.held_for_review,
        "skipped": result.skipped,
        "message": result.message,
        "refusal": result.refusal.code if result.refusal else None,
        "problems": [{"message": g.message, "rows": list(g.rows), "count": g.total} for g in result.problems],
        "notes": [{"message": g.message, "rows": list(g.rows), "count": g.total} for g in result.notes],
    }


def cmd_import(ctx: Context) -> int:
    a = ctx.args
    path = Path(a.file).expanduser().absolute()
    account = resolve_key(ctx.store, a.key) if a.key else None
    exchange = account.exchange if account is not None else exchange_info(a.exchange).id if a.exchange else ""
    if not exchange:
        raise CliError(_t("Say which exchange the file is from: --exchange ID (or --key KEY)"))
    try:
        zone = ZoneInfo(a.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(
            _t("Unknown time zone {tz}: use a name like UTC or Asia/Tokyo").format(tz=a.tz)
        ) from None
    day_first = True if a.day_first else (False if a.month_first else None)
    result = import_file(
        ctx.store,
        path,
        account_id=account.id if account is not None else None,
        exchange=exchange,
        tz=zone,
        day_first=day_first,
    )
    ok = result.status in (ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED)
    if ctx.json:
        ctx.emit_json(_json(result))
        return EXIT_OK if ok else EXIT_FAILED
    if ok:
        ctx.say(result.message)
    else:
        ctx.note(_t("Error: {message}").format(message=result.message))
    for group in result.problems:
        ctx.note(_group_line(group))
    for group in result.notes:
        ctx.say(_t("Note:") + _group_line(group))
    return EXIT_OK if ok else EXIT_FAILED
