"""Detect, preview and import an exchange's download file: all of it, once, or nothing.

* :func:`detect` reads the file and names its type (or refuses it, saying why and what was expected).
* :func:`preview` converts every row without writing anything: the type, row counts per endpoint,
  the period covered, and problems grouped by message with their row numbers (rotki's
  ``csv_import_result`` pattern), plus notes (skipped rows, warnings).
* :func:`import_file` writes in ONE database transaction: if any row has a problem nothing is written
  and the result carries the grouped report; the same file imported again adds nothing, found by
  its bytes or by its rows (the same rows saved again with other line breaks or blank lines);
  rows are stored with ``source = "file"`` under the exchange's own id where the file has one, so an
  API sync of the same account stores each record once (see :mod:`cryptact_desktop.imports.reconcile`).
  Without an ``account_id`` a file-only account is created (``host_id = "file"``, paused, no secret);
  an API key can be attached to it later.

Row numbers are the file's line numbers as a spreadsheet shows them (the header's own row included).
"""

from __future__ import annotations

import json
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.detect import expected_types, refusal_of, scan
from cryptact_desktop.imports.load import Conversion, LoadedRow
from cryptact_desktop.imports.matching import decide_for
from cryptact_desktop.imports.reader import (
    MAX_FILE_BYTES,
    FileRefused,
)
from cryptact_desktop.imports.results import DetectedFile, ImportRefused, ImportResult, ImportStatus
from cryptact_desktop.store import Range, Store, transaction_values
from cryptact_desktop.store.faults import from_os_error
from cryptact_desktop.store.file_rows import ImportAccount, NewFileRow, NewImport, file_transaction_raw
from cryptact_desktop.venues.registry import file_formats, venue_info, venue_name


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------------ writing


def _file_account_label(exchange: str) -> str:
    name = venue_name(exchange)
    return _t("{exchange} (files)").format(exchange=name)


def _new_row(row: LoadedRow, detected: DetectedFile) -> NewFileRow:
    """What the store writes for one row: its transaction (if it turns out not to be present) and
    its file_records row with the file's own values."""
    fmt = detected.format
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
    return NewFileRow(row.draft.endpoint, row.record_key, bool(r.exchange_id), transaction, record)


class _Spool:
    """The converted rows, kept in a temporary file between reading the file and writing them in
    one short transaction (memory stays flat; the database is locked only while writing)."""

    def __init__(self, directory: Path | None) -> None:
        self._file = tempfile.TemporaryFile(prefix="import-", dir=directory)  # noqa: SIM115 - closed in close()
        self.count = 0

    def add(self, row: NewFileRow) -> None:
        pickle.dump(row, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def rows(self) -> Iterator[NewFileRow]:
        self._file.seek(0)
        for _ in range(self.count):
            row = pickle.load(self._file)  # noqa: S301 - written by this process just before
            assert isinstance(row, NewFileRow)
            yield row

    def close(self) -> None:
        self._file.close()


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


def _refused(account_id: int | None, refusal: ImportRefused) -> ImportResult:
    return ImportResult(ImportStatus.REFUSED, account_id=account_id, refusal=refusal, message=refusal.message)


def _spool_dir(store: Store) -> Path | None:
    database = str(store.database)
    return None if database == ":memory:" else Path(database).resolve().parent


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
    expected_sha256: str = "",
) -> ImportResult:
    """Import ``path`` into ``account_id`` (None: a new file-only account) atomically.

    ``tz``: the zone of times whose header does not name one. ``day_first``: how to read dates
    like 05/03/2024 when the file does not tell (see :class:`ImportRefused` code
    ``ambiguous_dates``). ``period``: the period the user exported, when the file name does not
    say (used for coverage and "only in API"). ``expected_sha256``: the ``file.sha256`` of the
    preview the user saw; a file that changed since is refused (code ``changed``), so what is
    imported is what was previewed. A file whose bytes change while it is read is refused too.
    The file is read as a stream (memory does not grow with its size).
    """
    try:
        sc = scan(path, max_bytes=max_bytes)
    except FileRefused as error:
        return _refused(account_id, refusal_of(error, exchange))
    detected = sc.detected
    fmt = detected.format
    if expected_sha256 and detected.sha256 != expected_sha256:
        return _refused(
            account_id,
            ImportRefused(
                "changed",
                _t(
                    "The file changed after its preview (it may have been downloaded again or still be "
                    "downloading). Nothing was imported: preview it again."
                ),
            ),
        )
    if fmt.exchange != exchange:
        return _refused(
            account_id,
            ImportRefused(
                "wrong_exchange",
                _t("This is a {found} file, but a {expected} file was expected ({types}).").format(
                    found=venue_name(fmt.exchange),
                    expected=venue_name(exchange),
                    types=expected_types(exchange),
                ),
                expected=expected_types(exchange),
                found=fmt.display_name(),
            ),
        )
    for key_id, label in store.import_owners(detected.sha256, detected.content_sha256):
        if account_id is None or key_id == account_id:
            return ImportResult(
                ImportStatus.ALREADY_IMPORTED,
                account_id=key_id,
                format_id=fmt.id,
                rows=detected.data_rows,
                records=detected.data_rows,
                already_present=detected.data_rows,
                message=_t("This file (or one with the same rows) was imported before: nothing was added."),
            )
        return _refused(
            account_id,
            ImportRefused(
                "imported_elsewhere",
                _t("This file was already imported into the account \u201c{label}\u201d.").format(
                    label=label
                ),
            ),
        )
    if account_id is not None:
        problem = _check_account(store.import_account(account_id), exchange, detected)
        if problem is not None:
            return _refused(account_id, problem)
    try:
        conversion = Conversion(sc, tz, day_first, period)
    except FileRefused as error:
        return _refused(account_id, refusal_of(error, exchange))
    folder = _spool_dir(store)
    try:
        spool = _Spool(folder)
    except OSError as error:  # the data folder cannot take the converted rows
        raise from_os_error(error, Path(str(store.database))) from None
    try:
        try:
            for row in conversion.rows():
                spool.add(_new_row(row, detected))
        except FileRefused as error:
            return _refused(account_id, refusal_of(error, exchange))
        except OSError as error:
            raise from_os_error(error, Path(str(store.database))) from None
        file_period = conversion.period()
        if conversion.problems:
            groups = conversion.problems.groups()
            return ImportResult(
                ImportStatus.REJECTED,
                format_id=fmt.id,
                rows=detected.data_rows,
                records=conversion.records,
                skipped=conversion.skipped,
                period=file_period,
                problems=tuple(groups),
                notes=tuple(conversion.notes.groups()),
                message=_t("Nothing was imported: {rows} rows have problems (listed by problem).").format(
                    rows=sum(g.total for g in groups)
                ),
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
                content_sha256=detected.content_sha256,
                file_name=detected.file_name,
                format_id=fmt.id,
                size_bytes=detected.size,
                row_count=detected.data_rows,
                record_count=spool.count,
                period=file_period,
                time_zone=conversion.zone_name,
                covered_endpoints=tuple(fmt.covered_endpoints),
                endpoint_order=order,
                rows=spool.rows(),
            ),
            decide_for(exchange),
        )
    finally:
        spool.close()
    inserted, linked, held = written.new_records, written.linked, written.held
    records = spool.count
    already = records - inserted - linked - held
    message = _t(
        "Imported {new} new records from {file} ({already} already present, {linked} matched to API "
        "records, {held} held for review, {skipped} rows skipped)."
    ).format(
        new=inserted,
        file=detected.file_name,
        already=max(already, 0),
        linked=linked,
        held=held,
        skipped=conversion.skipped,
    )
    return ImportResult(
        ImportStatus.IMPORTED,
        account_id=written.account_id,
        file_id=written.file_id,
        format_id=fmt.id,
        rows=detected.data_rows,
        records=records,
        new_records=inserted,
        already_present=max(already, 0),
        linked=linked,
        held_for_review=held,
        skipped=conversion.skipped,
        period=file_period,
        notes=tuple(conversion.notes.groups()),
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
