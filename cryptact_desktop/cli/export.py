"""``export``: the transactions as a CSV backup or as the Cryptact custom file."""

from __future__ import annotations

from pathlib import Path

from cryptact_desktop.cli.arguments import resolve_keys
from cryptact_desktop.cli.context import EXIT_FAILED, EXIT_OK, EXIT_UNEXPECTED, CliError, Context
from cryptact_desktop.export_csv import write_transactions_csv
from cryptact_desktop.i18n import translate
from cryptact_desktop.state import TransactionFilter

EXPORT_FORMATS: tuple[str, ...] = ("csv", "cryptact")


def _t(text: str) -> str:
    return translate("cli", text)


def cmd_export(ctx: Context) -> int:
    a = ctx.args
    fmt = a.format.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise CliError(
            _t("Unknown export format {format}. Available now: {valid}").format(
                format=a.format, valid=", ".join(EXPORT_FORMATS)
            ),
        )
    store = ctx.store
    keys = resolve_keys(store, a.key) if a.key else []
    output = Path(a.output).expanduser().absolute()
    if output.is_dir():
        raise CliError(_t("{path} is a directory: give a file name").format(path=output))
    flt = TransactionFilter(
        key_ids=tuple(k.id for k in keys), newest_first=False, with_sources=bool(a.with_sources)
    )
    try:
        if fmt == "cryptact":
            return _export_cryptact(ctx, output, tuple(k.id for k in keys))
        count = write_transactions_csv(store, output, flt)
    except OSError as exc:
        raise CliError(
            _t("Cannot write {path}: {reason}").format(
                path=output, reason=exc.strerror or type(exc).__name__
            ),
            _t("Check that the folder exists and is writable."),
            code=EXIT_UNEXPECTED,
        ) from None
    if ctx.json:
        ctx.emit_json({"format": fmt, "path": str(output), "rows": count})
    else:
        ctx.say(_t("Exported {count} transactions to {path}").format(count=count, path=output))
    return EXIT_OK


def _export_cryptact(ctx: Context, output: Path, key_ids: tuple[int, ...]) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from cryptact_desktop.export.cryptact import export_cryptact
    from cryptact_desktop.export.cryptact.parts import ExportPartFailed

    a = ctx.args
    try:
        tz = ZoneInfo(a.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(
            _t("Unknown time zone {tz}: use a name like UTC or Asia/Tokyo").format(tz=a.tz)
        ) from None
    try:
        report = export_cryptact(ctx.store, output, tz=tz, mode=a.mode, key_ids=key_ids, fiat=a.fiat)
    except ExportPartFailed as exc:  # its message is for the user
        raise CliError(str(exc), code=EXIT_UNEXPECTED) from None
    if ctx.json:
        ctx.emit_json(
            {
                "format": "cryptact",
                "path": str(output),
                "rows": report.rows_written,
                "ok": report.ok,
                "warnings": list(report.warnings),
                "summary": report.summary_lines(),
            }
        )
    else:
        for line in report.summary_lines():
            ctx.say(line)
    return EXIT_OK if report.ok else EXIT_FAILED
