"""Which file type a file is (its header, searched in the first rows), or why it is refused."""

from __future__ import annotations

from pathlib import Path

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.reader import (
    MAX_FILE_BYTES,
    FileRefused,
    RawRow,
    RawTable,
    read_table,
)
from cryptact_desktop.imports.results import DetectedFile, ImportRefused
from cryptact_desktop.imports.spec import (
    FileFormat,
    column_map,
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


def refusal_of(error: FileRefused, exchange: str | None = None) -> ImportRefused:
    return ImportRefused(error.code, error.message, expected_types(exchange), error.found)


def detect_table(table: RawTable) -> tuple[DetectedFile, int, dict[str, tuple[int, str]]]:
    fmt, index, columns, uid = _find_header(table)
    header = table.rows[index]
    data = table.rows[index + 1 :]
    width = header_width(header)
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


def header_width(header: RawRow) -> int:
    width = len(header.cells)
    while width > 0 and not header.cells[width - 1].strip():
        width -= 1
    return width


def detect(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> DetectedFile | ImportRefused:
    """What ``path`` is, or why it cannot be imported."""
    try:
        return detect_table(read_table(path, max_bytes=max_bytes))[0]
    except FileRefused as error:
        return refusal_of(error)
