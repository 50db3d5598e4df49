"""Detect, preview and import an exchange's download file: all of it, once, or nothing.

* :func:`detect` reads the file and names its type (or refuses it, saying why and what was expected).
* :func:`preview` converts every row without writing anything: the type, row counts per endpoint,
  the period covered, and problems grouped by message with their row numbers (rotki's
  ``csv_import_result`` pattern), plus notes (skipped rows, warnings).
* :func:`import_file` writes in ONE database transaction: if any row has a problem nothing is written
  and the result carries the grouped report; the same file (same SHA-256) imported again adds nothing;
  rows are stored with ``source = "file"`` under the exchange's own id where the file has one, so an
  API sync of the same account stores each record once (see :mod:`cryptact_desktop.imports.reconcile`).
  Without an ``account_id`` a file-only account is created (``host_id = "file"``, paused, no secret);
  an API key can be attached to it later.

Row numbers are the file's line numbers as a spreadsheet shows them (the header's own row included).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.detect import expected_types, refusal_of
from cryptact_desktop.imports.load import LoadedFile, load_file
from cryptact_desktop.imports.matching import decide_for
from cryptact_desktop.imports.reader import (
    MAX_FILE_BYTES,
    FileRefused,
)
from cryptact_desktop.imports.results import DetectedFile, ImportRefused, ImportResult, ImportStatus
from cryptact_desktop.store import Range, Store, transaction_values
from cryptact_desktop.store.file_rows import ImportAccount, NewFileRow, NewImport, file_transaction_raw
from cryptact_desktop.venues.registry import file_formats, venue_info, venue_name


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------------ writing


def _file_account_label(exchange: str) -> str:
    name = venue_name(exchange)
    return _t("{exchange} (files)").format(exchange=name)


def _new_rows(loaded: LoadedFile) -> tuple[NewFileRow, ...]:
    """What the store writes for each row: its transaction (if it turns out not to be present) and
    its file_records row with the file's own values."""
    detected, fmt = loaded.detected, loaded.detected.format
    rows: list[NewFileRow] = []
    for row in loaded.rows:
        r = row.draft.record
        raw = file_transaction_raw(row.draft.match_raw, fmt.id, detected.file_name, row.line)
        transaction = transaction_values(
            0, row.draft.endpoint, row.draft.stream, row.record_key, r, "file", raw, 0
        )
        record = {
            "row_number": row.line,
            "endpoint": row.draft.endpoint,
            "stream": row.draft.stream,
            "exchange_id": r.exchange_id,
            "record_key": row.record_key,
            "timestamp_ms": r.timestamp_ms,
            "time_precision_ms": row.draft.time_precision_ms,
            "kind": r.kind.value,
            "base": r.base,
            "quote": r.quote,
            "side": r.side.value,
            "amount": r.amount,
            "price": r.price,
            "price_places": row.draft.price_places,
            "fee": r.fee,
            "fee_currency": r.fee_currency,
            "network": r.network,
            "tx_hash": r.tx_hash,
            "counter_amount": r.counter_amount,
            "pnl": r.pnl,
            "funding": r.funding,
            "note": r.note,
            "mirror_of": r.mirror_of,
            "compared": ",".join(row.draft.compared),
            "match_json": json.dumps(row.draft.match_raw, sort_keys=True, separators=(",", ":")),
            "raw_json": json.dumps(
                {
                    "source": "file",
                    "format": fmt.id,
                    "file": detected.file_name,
                    "row": row.line,
                    "columns": row.original,
                },
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
            ),
        }
        rows.append(NewFileRow(row.draft.endpoint, row.record_key, bool(r.exchange_id), transaction, record))
    return tuple(rows)


def _check_account(
    account: ImportAccount | None, exchange: str, detected: DetectedFile
) -> ImportRefused | None:
    if account is None:
        return ImportRefused("no_account", _t("The account no longer exists."))
    if account.exchange != exchange:
        return ImportRefused(
            "wrong_exchange",
            _t("This account is on {account}, not {exchange}.").format(
                account=venue_name(account.exchange),
                exchange=venue_name(exchange),
            ),
        )
    if account.exchange_user_id and detected.uid and account.exchange_user_id != detected.uid:
        return ImportRefused(
            "other_account",
            _t(
                "This file belongs to exchange account (UID) {file_uid}, but this account is UID "
                "{account_uid}. Import it into the right account."
            ).format(file_uid=detected.uid, account_uid=account.exchange_user_id),
            found=detected.uid,
            expected=account.exchange_user_id,
        )
    return None


def _rejected(loaded: LoadedFile) -> ImportResult:
    rows = sum(len(p.rows) for p in loaded.problems)
    return ImportResult(
        ImportStatus.REJECTED,
        format_id=loaded.detected.format.id,
        rows=loaded.detected.data_rows,
        records=len(loaded.rows),
        skipped=loaded.skipped,
        period=loaded.period,
        problems=tuple(loaded.problems),
        notes=tuple(loaded.notes),
        message=_t("Nothing was imported: {rows} rows have problems (listed by problem).").format(rows=rows),
    )


def import_file(
    store: Store,
    path: Path | str,
    *,
    account_id: int | None,
    exchange: str,
    tz: ZoneInfo,
    day_first: bool | None = None,
    period: Range | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> ImportResult:
    """Import ``path`` into ``account_id`` (None: a new file-only account) atomically.

    ``tz``: the zone of times whose header does not name one. ``day_first``: how to read dates
    like 05/03/2024 when the file does not tell (see :class:`ImportRefused` code
    ``ambiguous_dates``). ``period``: the period the user exported, when the file name does not
    say (used for coverage and "only in API").
    """
    try:
        loaded = load_file(path, tz, day_first=day_first, max_bytes=max_bytes, period=period)
    except FileRefused as error:
        refusal = refusal_of(error, exchange)
        return ImportResult(
            ImportStatus.REFUSED, account_id=account_id, refusal=refusal, message=refusal.message
        )
    detected = loaded.detected
    fmt = detected.format
    if fmt.exchange != exchange:
        refusal = ImportRefused(
            "wrong_exchange",
            _t("This is a {found} file, but a {expected} file was expected ({types}).").format(
                found=venue_name(fmt.exchange),
                expected=venue_name(exchange),
                types=expected_types(exchange),
            ),
            expected=expected_types(exchange),
            found=fmt.display_name(),
        )
        return ImportResult(
            ImportStatus.REFUSED, account_id=account_id, refusal=refusal, message=refusal.message
        )
    if loaded.problems:
        return _rejected(loaded)
    for key_id, label in store.import_owners(detected.sha256):
        if account_id is None or key_id == account_id:
            return ImportResult(
                ImportStatus.ALREADY_IMPORTED,
                account_id=key_id,
                format_id=fmt.id,
                rows=detected.data_rows,
                records=len(loaded.rows),
                already_present=len(loaded.rows),
                period=loaded.period,
                message=_t("This file was imported before: nothing was added."),
            )
        refusal = ImportRefused(
            "imported_elsewhere",
            _t("This file was already imported into the account \u201c{label}\u201d.").format(label=label),
        )
        return ImportResult(
            ImportStatus.REFUSED, account_id=account_id, refusal=refusal, message=refusal.message
        )
    if account_id is not None:
        problem = _check_account(store.import_account(account_id), exchange, detected)
        if problem is not None:
            return ImportResult(
                ImportStatus.REFUSED, account_id=account_id, refusal=problem, message=problem.message
            )
    try:
        order = tuple(e.id for e in venue_info(exchange).endpoints)
    except KeyError:
        order = ()
    written = store.write_import(
        NewImport(
            account_id=account_id,
            exchange=exchange,
            new_account_label=_file_account_label(exchange),
            file_uid=detected.uid,
            sha256=detected.sha256,
            file_name=detected.file_name,
            format_id=fmt.id,
            size_bytes=detected.size,
            row_count=detected.data_rows,
            period=loaded.period,
            time_zone=loaded.zone_name,
            covered_endpoints=tuple(fmt.covered_endpoints),
            endpoint_order=order,
            rows=_new_rows(loaded),
        ),
        decide_for(exchange),
    )
    inserted, linked, held = written.new_records, written.linked, written.held
    already = len(loaded.rows) - inserted - linked - held
    message = _t(
        "Imported {new} new records from {file} ({already} already present, {linked} matched to API "
        "records, {held} held for review, {skipped} rows skipped)."
    ).format(
        new=inserted,
        file=detected.file_name,
        already=max(already, 0),
        linked=linked,
        held=held,
        skipped=loaded.skipped,
    )
    return ImportResult(
        ImportStatus.IMPORTED,
        account_id=written.account_id,
        file_id=written.file_id,
        format_id=fmt.id,
        rows=detected.data_rows,
        records=len(loaded.rows),
        new_records=inserted,
        already_present=max(already, 0),
        linked=linked,
        held_for_review=held,
        skipped=loaded.skipped,
        period=loaded.period,
        notes=tuple(loaded.notes),
        message=message,
    )


# ------------------------------------------------------------------------------------ imported files


@dataclass(frozen=True, slots=True)
class ImportedFileInfo:
    id: int
    account_id: int
    file_name: str
    format_id: str
    format_name: str
    sha256: str
    rows: int
    records: int
    new_records: int
    period: Range | None
    time_zone: str
    imported_at_ms: int


def list_imported_files(store: Store, account_id: int) -> list[ImportedFileInfo]:
    names = {f.id: f.display_name() for f in file_formats()}
    return [
        ImportedFileInfo(
            id=f.id,
            account_id=f.account_id,
            file_name=f.file_name,
            format_id=f.format_id,
            format_name=names.get(f.format_id, f.format_id),
            sha256=f.sha256,
            rows=f.rows,
            records=f.records,
            new_records=f.new_records,
            period=f.period,
            time_zone=f.time_zone,
            imported_at_ms=f.imported_at_ms,
        )
        for f in store.imported_files(account_id)
    ]


def remove_imported_file(store: Store, file_id: int) -> int:
    """Undo an import: forget the file and remove the records only it provided (records the API
    also delivered, or that another imported file also holds, stay). Returns records removed."""
    return store.remove_imported_file(file_id)
