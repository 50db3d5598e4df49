"""CSV cells that are safe to open in a spreadsheet (OWASP: "CSV injection").

A spreadsheet treats a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
leading tab or carriage return can hide one. A label, an imported symbol or an exchange's note
written to a CSV could therefore run as a formula on the machine that opens the file.
:func:`spreadsheet_safe` prefixes such a cell with a single quote (shown as text, not evaluated),
as OWASP recommends — except when the whole cell is a plain number: ``-0.5`` cannot be a formula,
and quoting it would turn an amount into text that no longer adds up. Full-width ``＝＋－＠``
are treated like their ASCII forms (spreadsheets in Japanese locales may convert them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (a plain number never is)."""
    return bool(text) and text[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text)


def spreadsheet_safe(value: object) -> str:
    """``value`` as cell text, with a leading ``'`` when it could be read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text


def safe_row(values: Iterable[object]) -> list[str]:
    return [spreadsheet_safe(value) for value in values]
