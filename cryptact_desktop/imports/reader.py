"""Read an exchange's CSV download into rows of text cells, defensively.

What users actually upload is not always what the exchange wrote: Excel re-saves files as UTF-16
("Unicode Text", tab-separated) or in the ANSI code page, with ``;`` where the locale's decimal mark
is a comma, rewrites dates in the local style (``2024/3/5 9:07``, ``05/03/2024 09:07:01``), turns long
ids into scientific notation and small amounts into ``5.5E-7``. This module turns all of that back
into plain text cells and canonical decimal strings, or refuses the file with a reason a user can act
on. It knows nothing about any exchange (see :mod:`cryptact_desktop.imports.spec`).

Refusals (:class:`FileRefused`): missing, a folder, a pipe or a device, empty, larger than
:data:`MAX_FILE_BYTES`, binary (an Excel workbook, a PDF, anything with NUL bytes that is not
UTF-16), undecodable text, a file cut off in the middle of a quoted field or whose last row has
fewer cells than the header, a cell over 128 KiB, a file whose bytes change while it is read.

Files are read as streams (:func:`open_source`, :func:`iter_rows`): memory does not grow with
the file's size.

Numbers (:func:`parse_number`): ``--``/``-``/blank mean "no value"; a leading ``'`` or space (Excel's
and some exchanges' "keep as text" marks) is dropped; ``1,234.5`` has a thousands separator only if the groups
are exactly three digits; in a decimal-comma file (:func:`infer_decimal_comma`) ``1.234,5`` and
``0,5`` are read the other way round; scientific notation is expanded; ``(1.5)`` is -1.5.

Dates (:func:`parse_datetime`): ISO-like year-first forms (``2024-03-05 09:07:01``, ``2024/3/5 9:07``,
fractions of a second, ``T``/``Z``/offsets), time-first ``09:07 2024-03-05``, day-or-month
first forms from Excel (``05/03/2024 09:07:01``, ``3/5/24 9:07 PM``, ``05.03.2024 09:07``) and Unix
seconds/milliseconds. The ambiguity rule for ``a/b/yyyy``: a dot separator means day first (no locale
writes month.day.year); otherwise, if some date in the column has a first number above 12 the column is
day-first, if some has a second number above 12 it is month-first, if both happen the file is refused,
and if every date fits both readings the caller must say which (:class:`AmbiguousDates`), because
guessing would silently move trades by months. A time without seconds has a precision of one minute,
with seconds one second, with a fraction one millisecond; the precision is kept so matching can allow
for it.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, BinaryIO

from cryptact_desktop.i18n import translate
from cryptact_desktop.records import decimal_text

MAX_FILE_BYTES = 50 * 1024 * 1024
_SNIFF_LINES = 12
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EMPTY_MARKS = frozenset({"", "--", "-", "—", "N/A", "n/a"})


def _t(text: str) -> str:
    return translate("imports", text)


class FileRefused(Exception):
    """The file as a whole cannot be imported. ``code`` is stable, ``message`` is for the user."""

    def __init__(self, code: str, message: str, *, found: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.found = found


@dataclass(frozen=True, slots=True)
class RawRow:
    """One CSV record: the spreadsheet row number of its first line and its cells."""

    line: int
    cells: tuple[str, ...]

    def is_blank(self) -> bool:
        return all(not c.strip() for c in self.cells)


@dataclass(frozen=True, slots=True)
class Source:
    """A file checked for reading: its size, SHA-256, text encoding and delimiter. The rows are
    read from it on demand (:func:`iter_rows`), never all at once."""

    path: Path
    size: int
    sha256: str
    encoding: str
    delimiter: str


# ---------------------------------------------------------------------------------- bytes -> text

_MAGIC = (
    (b"PK\x03\x04", "excel_workbook"),
    (b"\xd0\xcf\x11\xe0", "excel_workbook"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"\x1f\x8b", "binary"),
)
_CHUNK = 1 << 20
_HEAD_BYTES = 64 * 1024
CELL_LIMIT = csv.field_size_limit()  # 128 KiB: no exchange writes a cell anywhere near this


def _refuse_binary(head: bytes) -> None:
    for magic, code in _MAGIC:
        if head.startswith(magic):
            if code == "excel_workbook":
                raise FileRefused(
                    code,
                    _t(
                        "This is an Excel workbook, not a CSV file. Import the CSV file you downloaded "
                        "from the exchange (or save the sheet as CSV UTF-8)."
                    ),
                    found="Excel workbook",
                )
            if code == "pdf":
                raise FileRefused(
                    code,
                    _t("This is a PDF document, not a CSV file. Download the history as CSV instead."),
                    found="PDF",
                )
            break
    raise FileRefused(
        "binary", _t("This is not a text (CSV) file. Choose the CSV file downloaded from the exchange.")
    )


def _utf16_without_bom(head: bytes) -> str | None:
    if len(head) < 4:
        return None
    even = head[0::2]
    odd = head[1::2]
    if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    return None


def _candidate_encodings(head: bytes) -> Sequence[str]:
    """The encodings to try, from the start of the file: UTF-8 with or without BOM, UTF-16
    (Excel "Unicode Text"), then the Windows code pages Excel saves "CSV" in (Japanese cp932,
    Western cp1252)."""
    if head.startswith(codecs.BOM_UTF8):
        return ("utf-8-sig",)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ("utf-16",)
    utf16 = _utf16_without_bom(head[:4096])
    if utf16 is not None:
        return (utf16,)
    if b"\x00" in head[:8192]:
        _refuse_binary(head[:8])
    return ("utf-8", "cp932", "cp1252")


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a whole file held in memory (see :func:`_candidate_encodings`)."""
    encodings = _candidate_encodings(data)
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            _refuse_binary(data[:8])
        return text, encoding
    if encodings[0].startswith("utf-16"):
        raise FileRefused("truncated", _t("The file ends in the middle of a character: it is cut off."))
    raise FileRefused(
        "encoding", _t("The file's text encoding is not readable. Save it as CSV UTF-8 and try again.")
    )


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def sniff_delimiter(text: str) -> str:
    """``,`` unless ``;`` or a tab separates more cells in the first lines (Excel in a decimal-comma
    locale writes ``;``; "Unicode Text" writes tabs)."""
    lines = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    best, best_count = ",", 0
    for candidate in (",", ";", "\t"):
        count = sum(_count_outside_quotes(line, candidate) for line in lines)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes in ``encoding`` without a NUL character (read in chunks)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                if "\x00" in decoder.decode(chunk):
                    _refuse_binary(b"")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_source(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> Source:
    """Check that ``path`` is a readable text file and learn its encoding and delimiter, reading
    it in chunks (memory does not grow with the file). Raises :class:`FileRefused`."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError:
        raise FileRefused("not_found", _t("The file cannot be opened (it may have been moved).")) from None
    if stat.S_ISDIR(mode):
        raise FileRefused("folder", _t("This is a folder, not a file."))
    if not stat.S_ISREG(mode):
        # Opening a named pipe would wait for a writer forever; a device is endless.
        raise FileRefused(
            "not_a_file",
            _t(
                "This is not a regular file (it is a pipe, a device or a socket). Choose the CSV file "
                "downloaded from the exchange."
            ),
        )
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("empty", _t("The file is empty (0 bytes). Download it again from the exchange."))
    if size > max_bytes:
        limit = max_bytes // (1024 * 1024)
        raise FileRefused(
            "too_large",
            _t("The file is larger than {limit} MB. Export a shorter period and import the parts.").format(
                limit=limit
            ),
        )
    digest = hashlib.sha256()
    head = b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                if len(head) < _HEAD_BYTES:
                    head += chunk[: _HEAD_BYTES - len(head)]
    except OSError:
        raise FileRefused("not_found", _t("The file cannot be read (permission denied?).")) from None
    _refuse_magic_without_text(head)
    encodings = _candidate_encodings(head)
    chosen = next((encoding for encoding in encodings if _decodes(path, encoding)), None)
    if chosen is None:
        if encodings[0].startswith("utf-16"):
            raise FileRefused("truncated", _t("The file ends in the middle of a character: it is cut off."))
        raise FileRefused(
            "encoding", _t("The file's text encoding is not readable. Save it as CSV UTF-8 and try again.")
        )
    head_text = codecs.getincrementaldecoder(chosen)(errors="ignore").decode(head)
    return Source(path, size, digest.hexdigest(), chosen, sniff_delimiter(head_text))


def _refuse_magic_without_text(data: bytes) -> None:
    head = data[:8]
    for magic, _code in _MAGIC:
        if head.startswith(magic):
            _refuse_binary(head)


class _HashingReader(io.RawIOBase):
    """Reads a binary file and hashes what it read (to notice a file that changes while read)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._handle.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _changed() -> FileRefused:
    return FileRefused(
        "changed",
        _t(
            "The file changed while it was being read (or since its preview): it may still be "
            "downloading. Wait until it is complete, then preview it again."
        ),
    )


def iter_rows(source: Source) -> Iterator[RawRow]:
    """Every non-blank CSV record of ``source`` with the (1-based) line it starts on, read as a
    stream. Raises :class:`FileRefused` when the text ends inside a quoted field (a download cut
    short), when a cell is larger than :data:`CELL_LIMIT`, or when the file is not the one
    :func:`open_source` checked any more (its bytes changed)."""
    try:
        handle = source.path.open("rb")
    except OSError:
        raise FileRefused("not_found", _t("The file cannot be opened (it may have been moved).")) from None
    with handle:
        hashing = _HashingReader(handle)
        text = io.TextIOWrapper(io.BufferedReader(hashing, _CHUNK), encoding=source.encoding, newline="")
        reader = csv.reader(text, delimiter=source.delimiter, strict=True)
        start = 1
        try:
            for cells in reader:
                row = RawRow(start, tuple(cells))
                start = reader.line_num + 1
                if cells and not row.is_blank():
                    yield row
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRefused(
                    "cell_too_large",
                    _t(
                        "Row {row} has a cell larger than 128 KiB, which no exchange history has: this is "
                        "not an exchange's CSV download (or it was damaged). Download it again."
                    ).format(row=start),
                ) from None
            raise FileRefused(
                "truncated",
                _t(
                    "The file ends in the middle of a quoted value (row {row}): it is cut off or damaged. "
                    "Download it again."
                ).format(row=start),
            ) from None
        except UnicodeDecodeError:
            raise _changed() from None
        if hashing.digest.hexdigest() != source.sha256:
            raise _changed()


def parse_rows(text: str, delimiter: str) -> list[RawRow]:
    """Every non-blank CSV record of a text held in memory (tests and small helpers)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[RawRow] = []
    start = 1
    try:
        for cells in reader:
            row = RawRow(start, tuple(cells))
            start = reader.line_num + 1
            if cells and not row.is_blank():
                rows.append(row)
    except csv.Error:
        raise FileRefused(
            "truncated",
            _t(
                "The file ends in the middle of a quoted value (row {row}): it is cut off or damaged. "
                "Download it again."
            ).format(row=start),
        ) from None
    return rows


# ---------------------------------------------------------------------------------- numbers

_GROUPED_POINT = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_DECIMAL_COMMA_HINT = re.compile(r"^-?\d+,(\d{1,2}|\d{4,})$")
_BOTH_MARKS = re.compile(r"[.,]")


def infer_decimal_comma(values: Iterable[str], delimiter: str) -> bool:
    """Whether a file writes decimals with a comma (Excel in e.g. a German locale).

    True if any value has both marks with the comma last, or a comma followed by other than exactly
    three digits; a ``;``-separated file with a comma inside a number also counts.
    """
    for raw in values:
        vote = decimal_comma_vote(raw, delimiter)
        if vote is not None:
            return vote
    return False


def decimal_comma_vote(raw: str, delimiter: str) -> bool | None:
    """What one value says about the decimal mark: True (comma), False (point), None (nothing)."""
    value = raw.strip().translate(_SPACES).lstrip("+-(")
    if not value or not any(ch.isdigit() for ch in value):
        return None
    marks = _BOTH_MARKS.findall(value)
    if "," in marks and "." in marks:
        return value.rfind(",") > value.rfind(".")
    if "," in marks and (_DECIMAL_COMMA_HINT.match(value) or delimiter == ";"):
        return True
    return None


def is_empty(text: str) -> bool:
    return text.strip().strip("'").strip() in EMPTY_MARKS


def parse_number(text: str, *, decimal_comma: bool = False) -> str:
    """A cell as a canonical decimal string ("" when empty). Raises ``ValueError`` with a short
    reason when the cell is not a number or its separators are ambiguous."""
    value = text.strip().lstrip("'").strip()
    if value in EMPTY_MARKS:
        return ""
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    value = value.translate(_SPACES)
    sign = ""
    if value[:1] in "+-":
        sign, value = value[0], value[1:]
    if "e" in value.lower():
        mantissa, _, exponent = value.lower().partition("e")
        if decimal_comma:
            mantissa = mantissa.replace(",", ".")
        value = f"{mantissa}e{exponent}"
    elif decimal_comma:
        if "," in value and "." in value:
            if not _GROUPED_COMMA.match(value):
                raise ValueError("ambiguous separators")
            value = value.replace(".", "").replace(",", ".")
        elif "," in value:
            value = value.replace(",", ".")
        elif "." in value and _GROUPED_COMMA.match(value) and value.count(".") > 1:
            value = value.replace(".", "")
    elif "," in value:
        if not _GROUPED_POINT.match(value):
            raise ValueError("unexpected comma")
        value = value.replace(",", "")
    text_value = decimal_text(sign + value)
    if negative and text_value != "0":
        text_value = text_value[1:] if text_value.startswith("-") else f"-{text_value}"
    return text_value


def decimal_places(text: str, *, decimal_comma: bool = False) -> int | None:
    """How many decimals a cell was written with (``9.32`` -> 2), None if not plainly written."""
    value = text.strip().lstrip("'").strip().translate(_SPACES)
    if not value or "e" in value.lower():
        return None
    mark = "," if decimal_comma else "."
    if mark not in value:
        return 0
    return len(value.rsplit(mark, 1)[1])


def looks_mangled_id(text: str) -> bool:
    """True for an id that Excel turned into a number (``2.2E+18``) or a float (``12345.0``)."""
    value = text.strip()
    return bool(re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", value) or re.fullmatch(r"\d{6,}\.0+", value))


# ---------------------------------------------------------------------------------- dates and times


class AmbiguousDates(ValueError):
    """Every date of the column reads both as day/month and month/day."""


class MixedDateOrder(ValueError):
    """Some dates are clearly day/month and others clearly month/day."""


@dataclass(frozen=True, slots=True)
class ParsedTime:
    naive: datetime  # wall-clock time as written (no zone)
    precision_ms: int  # 60000 without seconds, 1000 with, 1 with a fraction
    offset: tzinfo | None = None  # an explicit zone written in the cell (Z, +09:00)


_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?"
_OFFSET = r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_YEAR_FIRST = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+" + _TIME + r"\s*([AaPp][Mm])?)?" + _OFFSET + r"$"
)
_TIME_FIRST = re.compile(r"^" + _TIME + r"\s+(\d{4})-(\d{1,2})-(\d{1,2})" + _OFFSET + r"$")
_DAY_OR_MONTH_FIRST = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]+" + _TIME + r"\s*([AaPp][Mm])?)?" + _OFFSET + r"$"
)
_EPOCH_NUMBER = re.compile(r"^\d{10}(\d{3})?$")


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _clock(match: re.Match[str], first: int, ampm: bool = True) -> tuple[int, int, int, int, int]:
    """(hour, minute, second, microsecond, precision_ms) from the groups starting at ``first``
    (hour, minute, second, fraction[, am/pm])."""
    hour, minute, second, fraction = match.group(first, first + 1, first + 2, first + 3)
    am_pm = match.group(first + 4) if ampm else None
    if hour is None or minute is None:
        return 0, 0, 0, 0, 86_400_000
    h = int(hour)
    if am_pm:
        if not 1 <= h <= 12:
            raise ValueError("hour out of range")
        h = h % 12 + (12 if am_pm.lower() == "pm" else 0)
    if fraction:
        return h, int(minute), int(second or 0), int(fraction.ljust(6, "0")[:6]), 1
    if second is not None:
        return h, int(minute), int(second), 0, 1000
    return h, int(minute), 0, 0, 60_000


def date_order_votes(text: str) -> str:
    """For one cell: "day" (only day-first fits), "month", "both", or "" (not an a/b/y date)."""
    match = _DAY_OR_MONTH_FIRST.match(text.strip())
    if match is None:
        return ""
    first, separator, second = int(match.group(1)), match.group(2), int(match.group(3))
    if separator == ".":
        return "day"
    if first > 12 and second <= 12:
        return "day"
    if second > 12 and first <= 12:
        return "month"
    if first <= 12 and second <= 12:
        return "both"
    return ""


def resolve_day_first(values: Iterable[str]) -> bool | None:
    """The column's day order: True day-first, False month-first, None when no a/b/y dates occur.

    Raises :class:`AmbiguousDates` when every such date fits both readings, :class:`MixedDateOrder`
    when the column contradicts itself.
    """
    order = DayOrder()
    for value in values:
        order.add(value)
    return order.resolve()


class DayOrder:
    """:func:`resolve_day_first`, one value at a time (for a column read as a stream)."""

    def __init__(self) -> None:
        self.day = self.month = self.both = False

    def add(self, value: str) -> None:
        vote = date_order_votes(value)
        self.day |= vote == "day"
        self.month |= vote == "month"
        self.both |= vote == "both"

    def resolve(self) -> bool | None:
        if self.day and self.month:
            raise MixedDateOrder("mixed day order")
        if self.day:
            return True
        if self.month:
            return False
        if self.both:
            raise AmbiguousDates("ambiguous day order")
        return None


def parse_datetime(text: str, *, day_first: bool | None = None) -> ParsedTime:
    """Parse one date-time cell. Raises ``ValueError`` (``AmbiguousDates`` if the day order matters
    and ``day_first`` is None)."""
    value = text.strip().lstrip("'").strip()
    if _EPOCH_NUMBER.match(value):
        ms = int(value) if len(value) == 13 else int(value) * 1000
        return ParsedTime(
            (_EPOCH + timedelta(milliseconds=ms)).replace(tzinfo=None), 1 if len(value) == 13 else 1000, UTC
        )
    match = _YEAR_FIRST.match(value)
    if match:
        y, mo, d = int(match.group(1)), int(match.group(2)), int(match.group(3))
        clock = _clock(match, 4)
        zone = _offset(match.group(9))
    else:
        match = _TIME_FIRST.match(value)
        if match:
            clock = _clock(match, 1, ampm=False)
            y, mo, d = int(match.group(5)), int(match.group(6)), int(match.group(7))
            zone = _offset(match.group(8))
        else:
            match = _DAY_OR_MONTH_FIRST.match(value)
            if match is None:
                raise ValueError("not a date")
            a, separator, b, year = int(match.group(1)), match.group(2), int(match.group(3)), match.group(4)
            vote = date_order_votes(value)
            if vote == "both":
                if day_first is None:
                    raise AmbiguousDates("ambiguous day order")
                first_is_day = day_first
            else:
                first_is_day = vote == "day" or separator == "."
            d, mo = (a, b) if first_is_day else (b, a)
            y = int(year) + (2000 if len(year) == 2 else 0)
            clock = _clock(match, 5)
            zone = _offset(match.group(10))
    hour, minute, second, micro, precision = clock
    naive = datetime(y, mo, d, hour, minute, second, micro)
    return ParsedTime(naive, precision, zone)


def to_ms(parsed: ParsedTime, zone: tzinfo) -> int:
    """Epoch milliseconds of a parsed time, in ``zone`` unless the cell carried its own offset."""
    aware = parsed.naive.replace(tzinfo=parsed.offset or zone)
    return (aware - _EPOCH) // timedelta(milliseconds=1)
