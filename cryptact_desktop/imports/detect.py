"""Which file type a file is (its header, searched in the first rows), or why it is refused — read
as a stream, once (:func:`scan`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.reader import (
    MAX_FILE_BYTES,
    DayOrder,
    FileRefused,
    RawRow,
    Source,
    decimal_comma_vote,
    iter_rows,
    open_source,
)
from cryptact_desktop.imports.results import DetectedFile, ImportRefused
from cryptact_desktop.imports.spec import (
    FileFormat,
    column_map,
    header_key,
    match_known,
)
from cryptact_desktop.venues.registry import file_formats, known_files, venue_infos

_HEADER_SEARCH_ROWS = 10


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------------ detection


def expected_types(exchange: str | None = None) -> str:
    formats = file_formats(exchange) if exchange else file_formats()
    return "; ".join(f.display_name() for f in formats)


def _first_cells(row: RawRow) -> str:
    cells = [c.strip() for c in row.cells if c.strip()][:6]
    text = ", ".join(cells)
    return text[:120] + ("…" if len(text) > 120 or len(row.cells) > 6 else "")


def _find_header(rows: Sequence[RawRow]) -> tuple[FileFormat, int, dict[str, tuple[int, str]], str]:
    """(format, index of the header row in ``rows``, column map, UID from a preamble line)."""
    uid = ""
    formats = file_formats()
    readers = {fmt.account_in_preamble for fmt in formats if fmt.account_in_preamble is not None}
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
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
    found = _first_cells(rows[0])
    raise FileRefused(
        "unknown_format",
        _t("This file is not an export we know. Its first row reads: {found}").format(found=found),
        found=found,
    )


def _refuse_duplicate_columns(fmt: FileFormat, header: RawRow) -> None:
    """A column the format reads must appear once: with two, which one holds the value is a guess
    (a file edited in a spreadsheet program stored every trade at the wrong price that way)."""
    for column in fmt.columns:
        spellings = {header_key(spelling) for spelling in column.headers}
        found = [
            (i, cell.strip())
            for i, cell in enumerate(header.cells)
            if cell.strip() and header_key(cell) in spellings
        ]
        if len(found) > 1:
            names = " / ".join(dict.fromkeys(name for _, name in found))
            raise FileRefused(
                "duplicate_column",
                _t(
                    "The column \u201c{name}\u201d appears {count} times in the header (columns {columns}), "
                    "so which one holds the value is unknown: the file was probably edited. Download it "
                    "again from the exchange."
                ).format(name=names, count=len(found), columns=", ".join(str(i + 1) for i, _ in found)),
                found=names,
            )


def refusal_of(error: FileRefused, exchange: str | None = None) -> ImportRefused:
    return ImportRefused(error.code, error.message, expected_types(exchange), error.found)


@dataclass(frozen=True, slots=True)
class Scan:
    """What one streaming read of a file found: its type, header, columns, the signals that decide
    how its dates and numbers are read, and a hash of its rows (not of its bytes: the same rows
    saved again with other line breaks or blank lines have the same ``content_sha256``)."""

    source: Source
    detected: DetectedFile
    header: RawRow
    columns: dict[str, tuple[int, str]]
    width: int
    day_order: DayOrder
    decimal_comma: bool


def row_digest_update(digest: Any, row: RawRow) -> None:
    digest.update("\x1f".join(cell.strip() for cell in row.cells).encode("utf-8", "surrogatepass"))
    digest.update(b"\x1e")


def scan(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> Scan:
    """Read ``path`` once as a stream and say what it is. Raises :class:`FileRefused`."""
    source = open_source(path, max_bytes=max_bytes)
    rows = iter_rows(source)
    head = list(islice(rows, _HEADER_SEARCH_ROWS))
    if not head:
        raise FileRefused("empty", _t("The file contains no rows (only blank lines)."))
    fmt, index, columns, uid = _find_header(head)
    header = head[index]
    _refuse_duplicate_columns(fmt, header)
    width = header_width(header)
    content = hashlib.sha256()
    time_index = columns[fmt.time_field][0]
    numeric = [columns[f][0] for f in fmt.numeric_fields if f in columns]
    uid_index = columns["uid"][0] if "uid" in columns else None
    uids: set[str] = set()
    order = DayOrder()
    decimal_comma: bool | None = None
    data_rows = 0
    last: RawRow | None = None
    for position, row in enumerate(chain(head, rows)):
        row_digest_update(content, row)
        if position <= index:
            continue
        data_rows += 1
        last = row
        cells = row.cells
        if time_index < len(cells):
            order.add(cells[time_index])
        if decimal_comma is None:
            for i in numeric:
                if i < len(cells):
                    vote = decimal_comma_vote(cells[i], source.delimiter)
                    if vote is not None:
                        decimal_comma = vote
                        break
        if uid_index is not None and uid_index < len(cells) and cells[uid_index].strip():
            uids.add(cells[uid_index].strip())
            if len(uids) > 1:
                raise FileRefused(
                    "several_accounts",
                    _t(
                        "This file holds several exchange accounts (UIDs {uids}). Export each account "
                        "separately and import each file into its own account."
                    ).format(uids=", ".join(sorted(uids))),
                )
    if last is not None and len(last.cells) < width:
        raise FileRefused(
            "truncated",
            _t(
                "The file is cut off: its last row (row {row}) has {cells} of {width} columns. "
                "Download it again."
            ).format(row=last.line, cells=len(last.cells), width=width),
        )
    if uids:
        column_uid = next(iter(uids))
        if uid and column_uid != uid:
            raise FileRefused("several_accounts", _t("The file names two different exchange accounts."))
        uid = column_uid
    detected = DetectedFile(
        path=source.path,
        file_name=source.path.name,
        size=source.size,
        sha256=source.sha256,
        encoding=source.encoding,
        delimiter=source.delimiter,
        format=fmt,
        header_row=header.line,
        data_rows=data_rows,
        uid=uid,
        name_period=fmt.period_in_name(source.path.name) if fmt.period_in_name else None,
        content_sha256=content.hexdigest(),
    )
    return Scan(source, detected, header, columns, width, order, bool(decimal_comma))


def header_width(header: RawRow) -> int:
    width = len(header.cells)
    while width > 0 and not header.cells[width - 1].strip():
        width -= 1
    return width


def detect(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> DetectedFile | ImportRefused:
    """What ``path`` is, or why it cannot be imported."""
    try:
        return scan(path, max_bytes=max_bytes).detected
    except FileRefused as error:
        return refusal_of(error)
