"""Everything Cryptact's upload rejects, checked before a row is written (and on any file)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from cryptact_desktop.csv_safety import is_formula_like
from cryptact_desktop.export.cryptact.format import (
    ACTIONS,
    CRYPTACT_SYMBOLS,
    FIAT_CURRENCIES,
    HEADER,
    LEGACY_ACTIONS,
    ZERO_PRICE_ACTIONS,
    ExportRow,
    Problem,
)
from cryptact_desktop.i18n import translate

_NUMBER = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
_TIMESTAMP = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
_CUSTOM_COIN = re.compile(r"USER-[A-Z0-9#]{1,120}")
_UNSAFE_CELL = re.compile(r"[,\"\r\n]")


@lru_cache(maxsize=8192)
def _symbol_ok(column: str, value: str) -> bool:
    if not value or any(char.isspace() for char in value) or value in CRYPTACT_SYMBOLS:
        return False
    if value.startswith("USER-"):
        return column == "Base" and _CUSTOM_COIN.fullmatch(value) is not None
    return True


@lru_cache(maxsize=8192)
def _date_ok(date: str) -> bool:
    """``YYYY/MM/DD`` naming a real day (cached: a file has few days and many rows)."""
    match = _DATE.fullmatch(date)
    if match is None:
        return False
    try:
        year, month, day = (int(part) for part in match.groups())
        datetime(year, month, day)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def _shape_ok(action: str, source: str, base: str, counter: str, fee_ccy: str, priced: bool) -> bool:
    """The cells that repeat from row to row (cached): action, source, symbols, price rule."""
    if action not in ACTIONS or not source or base == counter:
        return False
    if not (_symbol_ok("Base", base) and _symbol_ok("Counter", counter) and _symbol_ok("FeeCcy", fee_ccy)):
        return False
    return priced or counter in FIAT_CURRENCIES


_DATE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})")
_TIME = re.compile(r" ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]")
_AMOUNTS = re.compile(
    r"(0|[1-9][0-9]*)(\.[0-9]+)?\|((0|[1-9][0-9]*)(\.[0-9]+)?)?\|(0|[1-9][0-9]*)(\.[0-9]+)?"
)
_QUOTES = re.compile(r"['\\]")


def row_is_valid(cells: Sequence[str]) -> bool:
    """Exactly whether :func:`row_problems` finds nothing, computed fast (every exported row goes
    through here; the slow path that names each problem runs only for a row that fails)."""
    if len(cells) != len(HEADER):
        return False
    stamp, action, source, base, volume, price, counter, fee, fee_ccy, comment = cells
    if len(stamp) != 19 or not _date_ok(stamp[:10]) or _TIME.fullmatch(stamp, 10) is None:
        return False
    if not _shape_ok(action, source, base, counter, fee_ccy, price != ""):
        return False
    if action in ZERO_PRICE_ACTIONS and price != "0":
        return False
    if _AMOUNTS.fullmatch(f"{volume}|{price}|{fee}") is None or volume.strip("0.") == "":
        return False
    if _QUOTES.search(comment):
        return False
    return _UNSAFE_CELL.search("\x1f".join(cells)) is None


def row_problems(cells: Sequence[str], line: int) -> list[Problem]:
    """Everything Cryptact would reject in one data row (``cells`` in :data:`HEADER` order)."""

    def problem(column: str, text: str, value: str = "") -> Problem:
        return Problem(line, column, text, value)

    if len(cells) != len(HEADER):
        return [
            problem(
                "",
                translate("export_cryptact", "expected {expected} columns, found {found}").format(
                    expected=len(HEADER), found=len(cells)
                ),
            )
        ]
    row = dict(zip(HEADER, cells, strict=True))
    found: list[Problem] = []
    stamp = row["Timestamp"]
    match = _TIMESTAMP.fullmatch(stamp)
    valid_stamp = match is not None
    if match is not None:
        try:
            year, month, day, hour, minute, second = (int(part) for part in match.groups())
            datetime(year, month, day, hour, minute, second)  # no zone: it is chosen at upload
        except ValueError:
            valid_stamp = False
    if not valid_stamp:
        found.append(
            problem("Timestamp", translate("export_cryptact", "timestamp must be YYYY/MM/DD HH:mm:ss"), stamp)
        )
    if row["Action"] in LEGACY_ACTIONS:
        found.append(
            problem(
                "Action",
                translate("export_cryptact", "TIP is a legacy action: write PAY or REDUCE instead"),
                row["Action"],
            )
        )
    elif row["Action"] not in ACTIONS:
        found.append(
            problem("Action", translate("export_cryptact", "unsupported trade type (Action)"), row["Action"])
        )
    if not row["Source"]:
        found.append(problem("Source", translate("export_cryptact", "Source is required")))
    for column in ("Base", "Counter", "FeeCcy"):
        value = row[column]
        if not value:
            found.append(
                problem(column, translate("export_cryptact", "{column} is required").format(column=column))
            )
        elif any(char.isspace() for char in value):
            found.append(
                problem(column, translate("export_cryptact", "a currency symbol has no spaces"), value)
            )
        elif value in CRYPTACT_SYMBOLS:
            found.append(
                problem(
                    column,
                    translate("export_cryptact", "not Cryptact's symbol: use {symbol}").format(
                        symbol=CRYPTACT_SYMBOLS[value]
                    ),
                    value,
                )
            )
        elif value.startswith("USER-"):
            if column != "Base":
                found.append(
                    problem(
                        column,
                        translate("export_cryptact", "custom coins (USER-) are allowed only in Base"),
                        value,
                    )
                )
            elif not _CUSTOM_COIN.fullmatch(value):
                found.append(
                    problem(
                        column,
                        translate(
                            "export_cryptact", "a custom coin is USER- and up to 120 of A-Z, 0-9 and #"
                        ),
                        value,
                    )
                )
    if row["Base"] and row["Base"] == row["Counter"]:
        found.append(
            problem(
                "Counter", translate("export_cryptact", "Base and Counter must be different"), row["Counter"]
            )
        )
    volume = row["Volume"]
    if not _NUMBER.fullmatch(volume) or Decimal(volume) <= 0:
        found.append(
            problem("Volume", translate("export_cryptact", "Volume must be a positive number"), volume)
        )
    price = row["Price"]
    if row["Action"] in ZERO_PRICE_ACTIONS and price != "0":
        found.append(problem("Price", translate("export_cryptact", "a LOSS row carries Price 0"), price))
    elif price and not _NUMBER.fullmatch(price):
        found.append(problem("Price", translate("export_cryptact", "Price must be empty or a number"), price))
    elif not price and row["Counter"] not in FIAT_CURRENCIES:
        found.append(
            problem(
                "Price",
                translate("export_cryptact", "Price may be empty only when Counter is a fiat currency"),
                row["Counter"],
            )
        )
    fee = row["Fee"]
    if not fee:
        found.append(
            problem("Fee", translate("export_cryptact", "Fee is required: write 0 when there is none"))
        )
    elif not _NUMBER.fullmatch(fee):
        found.append(
            problem("Fee", translate("export_cryptact", "Fee must be a number (0 when there is none)"), fee)
        )
    comment = row["Comment"]
    if any(char in comment for char in "'\"\\"):
        found.append(
            problem("Comment", translate("export_cryptact", "Comment must not contain ' \" or \\"), comment)
        )
    for column, value in row.items():
        if is_formula_like(value):
            found.append(
                problem(
                    column,
                    translate(
                        "export_cryptact", "a cell must not start with = + - or @ (a spreadsheet formula)"
                    ),
                    value,
                )
            )
            continue
        unsafe = _UNSAFE_CELL.search(value.replace('"', "") if column == "Comment" else value)
        if unsafe:
            found.append(
                problem(
                    column,
                    translate("export_cryptact", "no commas, double quotes or line breaks in a cell"),
                    value,
                )
            )
    return found


def validate_rows(rows: Iterable[Sequence[str] | ExportRow]) -> list[Problem]:
    """Check a whole table, header first, the way Cryptact's upload does (see the module doc).

    Items are cell sequences (a parsed CSV) or :class:`ExportRow` values. Returns every problem
    found, in file order; an empty list means the table is acceptable.
    """
    problems: list[Problem] = []
    seen = False
    for index, item in enumerate(rows):
        seen = True
        cells = item.cells() if isinstance(item, ExportRow) else tuple(item)
        if index == 0:
            if cells != HEADER:
                problems.append(
                    Problem(
                        1,
                        "",
                        translate("export_cryptact", "the first line must be exactly {header}").format(
                            header=",".join(HEADER)
                        ),
                        ",".join(cells),
                    )
                )
            continue
        problems.extend(row_problems(cells, index + 1))
    if not seen:
        problems.append(Problem(1, "", translate("export_cryptact", "the file is empty")))
    return problems


def validate_file(path: Path | str) -> list[Problem]:
    """:func:`validate_rows` on a written file (UTF-8; a byte-order mark fails the header)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return validate_rows(csv.reader(handle))
