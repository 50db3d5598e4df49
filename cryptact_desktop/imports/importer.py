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

import enum
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.matching import decide_for
from cryptact_desktop.imports.reader import (
    MAX_FILE_BYTES,
    AmbiguousDates,
    FileRefused,
    MixedDateOrder,
    RawRow,
    RawTable,
    infer_decimal_comma,
    read_table,
    resolve_day_first,
)
from cryptact_desktop.imports.spec import (
    Draft,
    FileFormat,
    RowContext,
    RowProblem,
    Skip,
    column_map,
    match_known,
    zone_of_header,
)
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.store import Range, Store, transaction_values
from cryptact_desktop.store.file_rows import ImportAccount, NewFileRow, NewImport, file_transaction_raw
from cryptact_desktop.venues.registry import file_formats, known_files, venue_info, venue_infos, venue_name

_HEADER_SEARCH_ROWS = 10
_CHUNK = 400


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class ImportRefused:
    """The whole file cannot be imported. ``code`` is stable; ``message`` is for the user."""

    code: str
    message: str
    expected: str = ""  # what the dialog expected (exchange / file types)
    found: str = ""  # what the file looks like


@dataclass(frozen=True, slots=True)
class DetectedFile:
    path: Path
    file_name: str
    size: int
    sha256: str
    encoding: str
    delimiter: str
    format: FileFormat
    header_row: int  # line number of the header
    data_rows: int
    uid: str  # the exchange account the file names ("" if it does not)
    name_period: Range | None  # the period the file name states

    @property
    def exchange(self) -> str:
        return self.format.exchange


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    """One message and every row it applies to (with a few example values)."""

    message: str
    rows: tuple[int, ...]
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file: DetectedFile | None
    refusal: ImportRefused | None = None
    rows: int = 0
    records: int = 0
    skipped: int = 0
    period: Range | None = None
    by_endpoint: Mapping[str, int] = field(default_factory=dict)
    problems: tuple[ProblemGroup, ...] = ()  # any problem blocks the import
    notes: tuple[ProblemGroup, ...] = ()  # skipped rows and warnings: do not block
    time_zone: str = "UTC"
    time_zone_from_file: bool = False  # the file's header names its zone (the choice is not used)
    sample: tuple[NormalizedRecord, ...] = ()

    @property
    def can_import(self) -> bool:
        return self.refusal is None and not self.problems


class ImportStatus(enum.StrEnum):
    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"  # same file (SHA-256) before: nothing added
    REFUSED = "refused"  # the file as a whole cannot be imported
    REJECTED = "rejected"  # some rows have problems: nothing imported, see ``problems``


@dataclass(frozen=True, slots=True)
class ImportResult:
    status: ImportStatus
    account_id: int | None = None
    file_id: int | None = None
    format_id: str = ""
    rows: int = 0
    records: int = 0
    new_records: int = 0  # added to the transactions
    already_present: int = 0  # the record was already stored (API sync or another file)
    linked: int = 0  # rows without an exchange id matched to an API record
    held_for_review: int = 0  # rows matching several API records: not stored until decided
    skipped: int = 0
    period: Range | None = None
    problems: tuple[ProblemGroup, ...] = ()
    notes: tuple[ProblemGroup, ...] = ()
    refusal: ImportRefused | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED)


# ------------------------------------------------------------------------------------ detection


def _expected_types(exchange: str | None = None) -> str:
    formats = file_formats(exchange) if exchange else file_formats()
    return "; ".join(f.display_name() for f in formats)


def _first_cells(row: RawRow) -> str:
    cells = [c.strip() for c in row.cells if c.strip()][:6]
    text = ", ".join(cells)
    return text[:120] + ("…" if len(text) > 120 or len(row.cells) > 6 else "")


def _find_header(table: RawTable) -> tuple[FileFormat, int, dict[str, tuple[int, str]], str]:
    """(format, index of the header row in table.rows, column map, UID from a preamble line)."""
    uid = ""
    formats = file_formats()
    readers = {fmt.account_in_preamble for fmt in formats if fmt.account_in_preamble is not None}
    for index, row in enumerate(table.rows[:_HEADER_SEARCH_ROWS]):
        uid = uid or next((found for read in readers if (found := read(row.cells))), "")
        best: tuple[FileFormat, dict[str, tuple[int, str]]] | None = None
        for fmt in formats:
            columns = column_map(fmt, row.cells)
            if columns is not None and (best is None or len(columns) > len(best[1])):
                best = (fmt, columns)
        if best is not None:
            return best[0], index, best[1], uid
        known = match_known(known_files(), row.cells)
        if known is not None:
            exchange_name = known.exchange_name
            if known.advice:
                message = _t("This is a {name}. {advice}").format(
                    name=translate("imports", known.name), advice=translate("imports", known.advice)
                )
            else:
                message = _t("This is a {name}; files from {exchange} cannot be imported yet.").format(
                    name=translate("imports", known.name), exchange=exchange_name
                )
            raise FileRefused(
                "unsupported_type" if known.exchange in {v.id for v in venue_infos()} else "wrong_exchange",
                message,
                found=translate("imports", known.name),
            )
    found = _first_cells(table.rows[0])
    raise FileRefused(
        "unknown_format",
        _t("This file is not an export we know. Its first row reads: {found}").format(found=found),
        found=found,
    )


def _refusal(error: FileRefused, exchange: str | None = None) -> ImportRefused:
    return ImportRefused(error.code, error.message, _expected_types(exchange), error.found)


def _detect(table: RawTable) -> tuple[DetectedFile, int, dict[str, tuple[int, str]]]:
    fmt, index, columns, uid = _find_header(table)
    header = table.rows[index]
    data = table.rows[index + 1 :]
    width = _header_width(header)
    if data and len(data[-1].cells) < width:
        raise FileRefused(
            "truncated",
            _t(
                "The file is cut off: its last row (row {row}) has {cells} of {width} columns. "
                "Download it again."
            ).format(row=data[-1].line, cells=len(data[-1].cells), width=width),
        )
    if "uid" in columns:
        uids = {row.cells[columns["uid"][0]].strip() for row in data if columns["uid"][0] < len(row.cells)}
        uids.discard("")
        if len(uids) > 1:
            raise FileRefused(
                "several_accounts",
                _t(
                    "This file holds several exchange accounts (UIDs {uids}). Export each account "
                    "separately and import each file into its own account."
                ).format(uids=", ".join(sorted(uids))),
            )
        if uids:
            column_uid = next(iter(uids))
            if uid and column_uid != uid:
                raise FileRefused("several_accounts", _t("The file names two different exchange accounts."))
            uid = column_uid
    detected = DetectedFile(
        path=table.path,
        file_name=table.path.name,
        size=table.size,
        sha256=table.sha256,
        encoding=table.encoding,
        delimiter=table.delimiter,
        format=fmt,
        header_row=header.line,
        data_rows=len(data),
        uid=uid,
        name_period=fmt.period_in_name(table.path.name) if fmt.period_in_name else None,
    )
    return detected, index, columns


def _header_width(header: RawRow) -> int:
    width = len(header.cells)
    while width > 0 and not header.cells[width - 1].strip():
        width -= 1
    return width


def detect(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> DetectedFile | ImportRefused:
    """What ``path`` is, or why it cannot be imported."""
    try:
        return _detect(read_table(path, max_bytes=max_bytes))[0]
    except FileRefused as error:
        return _refusal(error)


# ------------------------------------------------------------------------------------ conversion


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    draft: Draft
    original: dict[str, str]
    record_key: str


@dataclass
class _Loaded:
    detected: DetectedFile
    rows: list[_Row]
    skipped: int
    problems: list[ProblemGroup]
    notes: list[ProblemGroup]
    period: Range | None
    zone_name: str
    zone_from_file: bool


class _Collector:
    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = defaultdict(list)
        self.examples: dict[str, list[str]] = defaultdict(list)

    def add(self, message: str, line: int, example: str = "") -> None:
        lines = self.rows[message]
        if line > 0:
            lines.append(line)
        if example and len(self.examples[message]) < 3 and example not in self.examples[message]:
            self.examples[message].append(example)

    def groups(self) -> list[ProblemGroup]:
        return [
            ProblemGroup(message, tuple(lines), tuple(self.examples.get(message, ())))
            for message, lines in sorted(self.rows.items(), key=lambda kv: kv[1][0] if kv[1] else 0)
        ]


def _record_values(draft: Draft) -> tuple[Any, ...]:
    r = draft.record
    return (
        draft.endpoint,
        r.timestamp_ms,
        r.kind.value,
        r.base,
        r.quote,
        r.side.value,
        r.amount,
        r.price,
        r.fee,
    )


def _synthetic_key(draft: Draft, occurrence: int) -> str:
    keys = sorted((k, str(v)) for k, v in draft.match_raw.items() if v not in ("", None))
    payload = json.dumps([*_record_values(draft), draft.time_precision_ms, keys], separators=(",", ":"))
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
    return f"file:{digest}#{occurrence}"


def _load(
    path: Path | str,
    tz: ZoneInfo,
    *,
    day_first: bool | None,
    max_bytes: int,
    period: Range | None = None,
) -> _Loaded:
    table = read_table(path, max_bytes=max_bytes)
    detected, index, columns = _detect(table)
    fmt = detected.format
    header = table.rows[index]
    data = table.rows[index + 1 :]
    width = _header_width(header)
    time_index, time_header = columns[fmt.time_field]
    try:
        resolved = resolve_day_first(r.cells[time_index] for r in data if time_index < len(r.cells))
    except AmbiguousDates:
        if day_first is None:
            raise FileRefused(
                "ambiguous_dates",
                _t(
                    "The dates in this file (for example 05/03/2024) can be read day-first or "
                    "month-first. Choose which one the file uses, or download it again without "
                    "opening it in a spreadsheet program."
                ),
            ) from None
        resolved = day_first
    except MixedDateOrder:
        raise FileRefused(
            "mixed_dates",
            _t(
                "The dates in this file are written both day-first and month-first; it cannot be read safely."
            ),
        ) from None
    numeric = [columns[f][0] for f in fmt.numeric_fields if f in columns]
    decimal_comma = infer_decimal_comma(
        (r.cells[i] for r in data for i in numeric if i < len(r.cells)), table.delimiter
    )
    header_zone = zone_of_header(time_header)
    zone = header_zone or tz
    if header_zone is None:
        zone_name = str(tz)
    else:
        zone_name = "UTC" if header_zone.utcoffset(None) == timedelta(0) else str(header_zone)
    headers = {name: text for name, (_, text) in columns.items()}
    problems, notes = _Collector(), _Collector()
    rows: list[_Row] = []
    skipped = 0
    seen_ids: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
    occurrences: dict[str, int] = defaultdict(int)
    header_cells = [c.strip() for c in header.cells[:width]]
    for raw_row in data:
        cells = raw_row.cells
        if len(cells) < width:
            problems.add(
                _t("The row has fewer columns than the header"), raw_row.line, f"{len(cells)}/{width}"
            )
            continue
        if any(c.strip() for c in cells[width:]):
            problems.add(
                _t("The row has more columns than the header"), raw_row.line, f"{len(cells)}/{width}"
            )
            continue
        context = RowContext(
            cells={name: cells[i] for name, (i, _) in columns.items()},
            headers=headers,
            zone=zone,
            decimal_comma=decimal_comma,
            day_first=resolved,
        )
        try:
            outcome = fmt.convert(context)
        except RowProblem as problem:
            problems.add(problem.message, raw_row.line, problem.detail)
            continue
        if isinstance(outcome, Skip):
            notes.add(outcome.reason, raw_row.line)
            skipped += 1
            continue
        draft = outcome
        exchange_id = draft.record.exchange_id
        if exchange_id:
            previous = seen_ids.get((draft.endpoint, exchange_id))
            if previous is not None:
                if previous[1] == _record_values(draft):
                    notes.add(_t("The same record appears twice in the file: stored once"), raw_row.line)
                else:
                    problems.add(
                        _t("The same exchange id is on another row with different values"),
                        raw_row.line,
                        _t("row {row}").format(row=previous[0]),
                    )
                skipped += 1
                continue
            seen_ids[(draft.endpoint, exchange_id)] = (raw_row.line, _record_values(draft))
            record_key = exchange_id
        else:
            base_key = _synthetic_key(draft, 0).rsplit("#", 1)[0]
            occurrences[base_key] += 1
            record_key = f"{base_key}#{occurrences[base_key]}"
        original = {h: cells[i] for i, h in enumerate(header_cells) if h}
        rows.append(_Row(raw_row.line, draft, original, record_key))
    if fmt.row_limit is not None and len(data) >= fmt.row_limit:
        notes.add(translate("imports", fmt.row_limit_note), data[-1].line)
    file_period = _file_period(rows, period or detected.name_period, notes)
    return _Loaded(
        detected,
        rows,
        skipped,
        problems.groups(),
        notes.groups(),
        file_period,
        zone_name,
        header_zone is not None,
    )


def _file_period(rows: Sequence[_Row], stated: Range | None, notes: _Collector) -> Range | None:
    if not rows:
        return stated
    first = min(r.draft.record.timestamp_ms for r in rows)
    last = max(r.draft.record.timestamp_ms + r.draft.time_precision_ms - 1 for r in rows)
    if stated is None:
        return (first, last)
    # A row written to the minute lies somewhere in its minute: it fits if that minute meets the period.
    earliest_end = min(r.draft.record.timestamp_ms + r.draft.time_precision_ms - 1 for r in rows)
    latest_start = max(r.draft.record.timestamp_ms for r in rows)
    if stated[0] <= earliest_end and latest_start <= stated[1]:
        return stated
    notes.add(
        _t("The period in the file name does not contain all its rows: the rows' own period is used"), 0
    )
    return (first, last)


def preview(
    path: Path | str,
    tz: ZoneInfo,
    *,
    day_first: bool | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    sample_size: int = 20,
) -> ImportPreview:
    """Everything :func:`import_file` would do, without writing."""
    try:
        loaded = _load(path, tz, day_first=day_first, max_bytes=max_bytes)
    except FileRefused as error:
        return ImportPreview(file=None, refusal=_refusal(error))
    by_endpoint: dict[str, int] = defaultdict(int)
    for row in loaded.rows:
        by_endpoint[row.draft.endpoint] += 1
    return ImportPreview(
        file=loaded.detected,
        rows=loaded.detected.data_rows,
        records=len(loaded.rows),
        skipped=loaded.skipped,
        period=loaded.period,
        by_endpoint=dict(by_endpoint),
        problems=tuple(loaded.problems),
        notes=tuple(loaded.notes),
        time_zone=loaded.zone_name,
        time_zone_from_file=loaded.zone_from_file,
        sample=tuple(r.draft.record for r in loaded.rows[:sample_size]),
    )


# ------------------------------------------------------------------------------------ writing


def _file_account_label(exchange: str) -> str:
    name = venue_name(exchange)
    return _t("{exchange} (files)").format(exchange=name)


def _new_rows(loaded: _Loaded) -> tuple[NewFileRow, ...]:
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


def _rejected(loaded: _Loaded) -> ImportResult:
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
        loaded = _load(path, tz, day_first=day_first, max_bytes=max_bytes, period=period)
    except FileRefused as error:
        refusal = _refusal(error, exchange)
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
                types=_expected_types(exchange),
            ),
            expected=_expected_types(exchange),
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
