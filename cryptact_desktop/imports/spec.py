"""How an exchange download file is described: one small declarative spec per file type.

Each :class:`FileFormat` says which venue wrote it, which header cells identify it, which column
holds which field (with the alternative spellings seen in the wild), which endpoint it feeds and how
the venue's own record id is found. A venue's converter turns a row into the same *pseudo API
record* the sync would have fetched and normalises it with the very function the API sync uses, so
a record stored from a file and the same record fetched by the API land on the same
``(endpoint, exchange_id)`` and the database's unique constraint keeps one copy. Time zones: a
header that names its zone (``Timestamp (UTC)``, ``Time(UTC)``, ``Transaction Time(UTC+0)``) is
trusted; a header without one (``Date``, ``Time``) is read in the zone the user picked at import.

The formats themselves live in each venue's package (``venues/<id>/files.py``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.reader import (
    decimal_places,
    is_empty,
    looks_mangled_id,
    parse_datetime,
    parse_number,
    to_ms,
)
from cryptact_desktop.records import NormalizedRecord

Raw = dict[str, Any]
Range = tuple[int, int]


def _t(text: str) -> str:
    return translate("imports", text)


class RowProblem(ValueError):
    """A row cannot be imported. ``message`` is shared by all rows with the same problem (the report
    groups by it); ``detail`` is the offending value, shown as an example."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Column:
    """A logical field and the header spellings it appears under (compared case-insensitively)."""

    field: str
    headers: tuple[str, ...]
    required: bool = True
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Skip:
    """A row that is understood but is not a transaction (a failed withdrawal)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Draft:
    """What one file row becomes. ``record.exchange_id`` is "" when the file has no exchange id."""

    endpoint: str
    stream: str
    record: NormalizedRecord
    match_raw: Raw  # the row as the API would have returned it (the fields the file has)
    compared: tuple[str, ...]  # record fields the file states (others were inferred)
    time_precision_ms: int
    price_places: int | None = None


@dataclass(frozen=True, slots=True)
class MatchProfile:
    """How a row WITHOUT an exchange id is recognised among API records.

    ``keys``: API record fields that must be equal (numbers compared as decimals, text ignoring
    case); a key the file leaves empty is not compared. ``price_key``: compared after rounding the
    API's value to the decimals the file wrote. Times must be closer than the file's precision
    (one second for ``hh:mm:ss``), or than ``wide_tolerance_ms`` when ``wide_if`` is filled in
    (a transaction hash identifies a deposit even if the file's time is the request time).
    """

    keys: tuple[str, ...]
    price_key: str | None = None
    wide_if: str | None = None
    wide_tolerance_ms: int = 0

    def tolerance_ms(self, match_raw: Mapping[str, Any], precision_ms: int) -> int:
        if self.wide_if and str(match_raw.get(self.wide_if) or "").strip():
            return max(self.wide_tolerance_ms, precision_ms)
        return precision_ms


@dataclass(frozen=True, slots=True)
class RowContext:
    """One data row with the helpers a converter needs; every helper raises :class:`RowProblem`."""

    cells: Mapping[str, str]  # field -> cell text, for the columns the file has
    headers: Mapping[str, str]  # field -> the header text it was found under
    zone: tzinfo
    decimal_comma: bool
    day_first: bool | None

    def has(self, name: str) -> bool:
        return name in self.cells

    def text(self, name: str) -> str:
        value = self.cells.get(name, "").strip().lstrip("'").strip()
        return "" if value in ("--", "—") else value

    def required_text(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise RowProblem(_t("{column} is empty").format(column=self.headers.get(name, name)))
        return value

    def number(self, name: str, *, required: bool = False, positive: bool = False) -> str:
        column = self.headers.get(name, name)
        raw = self.cells.get(name, "")
        try:
            value = parse_number(raw, decimal_comma=self.decimal_comma)
        except ValueError:
            raise RowProblem(_t("{column} is not a number").format(column=column), raw.strip()) from None
        if value == "" and required:
            raise RowProblem(_t("{column} is empty").format(column=column))
        if positive and value != "" and Decimal(value) <= 0:
            raise RowProblem(_t("{column} must be greater than zero").format(column=column), raw.strip())
        return value

    def amount_with_unit(self, name: str, *, positive: bool = False) -> tuple[str, str]:
        """``"99.68 USDT"`` -> ("99.68", "USDT")."""
        raw = self.cells.get(name, "").strip()
        number, _, unit = raw.partition(" ")
        context = dataclasses.replace(self, cells={name: number})
        return context.number(name, required=True, positive=positive), unit.strip().upper()

    def places(self, name: str) -> int | None:
        return decimal_places(self.cells.get(name, ""), decimal_comma=self.decimal_comma)

    def exchange_id(self, name: str) -> str:
        value = self.required_text(name)
        if looks_mangled_id(value):
            raise RowProblem(
                _t(
                    "{column} was turned into a number by a spreadsheet program; "
                    "download the file again and import it without opening it in Excel"
                ).format(column=self.headers.get(name, name)),
                value,
            )
        return value

    def time(self, name: str) -> tuple[int, int]:
        """(epoch ms, precision ms)."""
        raw = self.cells.get(name, "")
        column = self.headers.get(name, name)
        if is_empty(raw):
            raise RowProblem(_t("{column} is empty").format(column=column))
        try:
            parsed = parse_datetime(raw, day_first=self.day_first)
        except ValueError:
            raise RowProblem(
                _t("{column} is not a date and time we can read").format(column=column), raw
            ) from None
        return to_ms(parsed, self.zone), parsed.precision_ms


Converter = Callable[[RowContext], "Draft | Skip"]


@dataclass(frozen=True, slots=True)
class FileFormat:
    """One importable file type (see the module docstring for where each one comes from)."""

    id: str
    exchange: str
    name: str  # English source text; show through display_name()
    columns: tuple[Column, ...]
    endpoints: tuple[str, ...]
    exchange_id_rule: str  # English, for the import dialog's "details"
    convert: Converter = field(repr=False, compare=False)
    time_field: str = "time"
    match: MatchProfile | None = None  # None: every row carries the exchange's own id
    excludes: tuple[str, ...] = ()  # a header that rules this format out (a more specific one)
    evidence: str = ""
    # Endpoints a file of this type lists completely for its period (default: ``endpoints``). Used for
    # file coverage and so for "only in API"; an endpoint that has rows in a file is covered as well.
    covers: tuple[str, ...] = ()
    # The period the venue writes into the file name, as inclusive epoch ms (None: none stated).
    period_in_name: Callable[[str], Range | None] | None = field(default=None, repr=False, compare=False)
    # The venue's account id on a line above the header ("UID: 1234567"), "" if the line is not one.
    account_in_preamble: Callable[[Sequence[str]], str] | None = field(
        default=None, repr=False, compare=False
    )
    # The most rows the venue puts in one download, and the English note shown when a file has that many.
    row_limit: int | None = None
    row_limit_note: str = ""

    @property
    def covered_endpoints(self) -> tuple[str, ...]:
        return self.covers or self.endpoints

    def display_name(self) -> str:
        return translate("imports", self.name)

    @property
    def signature(self) -> tuple[str, ...]:
        """The header cells that identify the file (first spelling of each required column)."""
        return tuple(c.headers[0] for c in self.columns if c.required)

    @property
    def numeric_fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.numeric)


@dataclass(frozen=True, slots=True)
class KnownFile:
    """A file we recognise but do not import: an exchange's we do not support (yet), or a venue's
    file with no use here. ``exchange_name`` is shown to the user."""

    id: str
    exchange: str
    exchange_name: str
    name: str  # English
    signature: tuple[str, ...]
    advice: str = ""  # English: what to import instead


def match_known(known: Sequence[KnownFile], header: Sequence[str]) -> KnownFile | None:
    """The first of ``known`` whose signature cells are all in ``header``."""
    keys = {header_key(cell) for cell in header}
    for item in known:
        if all(header_key(h) in keys for h in item.signature):
            return item
    return None


# ------------------------------------------------------------------------------ periods in file names

_EPOCH_RANGE = re.compile(r"-(\d{10})-(\d{10})(?: \(\d+\))?\.csv$", re.IGNORECASE)
_DATE_RANGE = re.compile(r"_(\d{8})_(\d{8})(?:_\d+)?(?: \(\d+\))?\.csv$", re.IGNORECASE)


def epoch_seconds_range_in_name(name: str) -> Range | None:
    """``...-1756674000-1772312399.csv`` (two epoch seconds) -> inclusive epoch ms."""
    match = _EPOCH_RANGE.search(name)
    if not match:
        return None
    start, end = int(match.group(1)) * 1000, int(match.group(2)) * 1000 + 999
    return (start, end) if start <= end else None


def date_range_in_name(name: str) -> Range | None:
    """``..._20260101_20260922_0.csv`` (UTC dates, whole days) -> inclusive epoch ms."""
    match = _DATE_RANGE.search(name)
    if not match:
        return None
    try:
        first = datetime.strptime(match.group(1), "%Y%m%d").replace(tzinfo=UTC)
        last = datetime.strptime(match.group(2), "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        return None
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    start = (first - epoch) // timedelta(milliseconds=1)
    end = (last + timedelta(days=1) - epoch) // timedelta(milliseconds=1) - 1
    return (start, end) if start <= end else None


# ------------------------------------------------------------------------------ header helpers


def header_key(text: str) -> str:
    """Header cells compared without case, BOM, quotes, or spacing differences."""
    cleaned = text.replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"\s+", " ", cleaned).lower()


_UTC_IN_HEADER = re.compile(r"utc\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?", re.IGNORECASE)


def zone_of_header(header: str) -> tzinfo | None:
    """The zone a header names (``Time(UTC)`` -> UTC, ``Time(UTC+8)`` -> +08:00), else None."""
    match = _UTC_IN_HEADER.search(header)
    if match is None:
        return None
    if not match.group(1):
        return UTC
    offset = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
    return timezone(-offset if match.group(1) == "-" else offset) if offset else UTC


def column_map(fmt: FileFormat, header: Sequence[str]) -> dict[str, tuple[int, str]] | None:
    """field -> (cell index, header text) if ``header`` is this format, else None."""
    keys = {header_key(cell): i for i, cell in enumerate(header) if cell.strip()}
    if any(header_key(excluded) in keys for excluded in fmt.excludes):
        return None
    found: dict[str, tuple[int, str]] = {}
    for column in fmt.columns:
        for spelling in column.headers:
            index = keys.get(header_key(spelling))
            if index is not None:
                found[column.field] = (index, header[index].strip())
                break
        else:
            if column.required:
                return None
    return found
