"""CSV files people open in a spreadsheet: a cell that starts with = + - @ (or a tab or carriage
return) must not become a formula (OWASP's "CSV injection"), and numbers must stay numbers.

The decision: a cell starting with one of those characters gets a leading single quote, unless
the whole cell is a plain number (``-0.5``, ``+3``, ``-1e-7``): a number cannot be a formula, and a
quote would turn it into text that no longer adds up.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cryptact_desktop.csv_safety import spreadsheet_safe
from cryptact_desktop.export.cryptact import HEADER, validate_rows
from cryptact_desktop.export_csv import write_transactions_csv
from cryptact_desktop.imports.report import ReconciliationReport, ReconItem, ReconStatus, write_report_csv
from cryptact_desktop.imports.reviews import FileRowRef, RecordValues
from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "＝1+1"]
NUMBERS = ["-0.5", "+3", "-1e-7", "0", "12.50", "-.5"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_gets_a_leading_quote(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", [*NUMBERS, "BTC", "", "a=b", "2024-01-01T00:00:00.000Z", "{}"])
def test_numbers_and_plain_text_are_untouched(value: str) -> None:
    assert spreadsheet_safe(value) == value


def _rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def test_the_csv_export_neutralises_formulas_but_keeps_negative_amounts(store: Store, tmp_path: Path) -> None:
    key_id = store.add_key(NewKey("bybit", "=HYPERLINK(1)", "mainnet", ("spot",)))
    record = NormalizedRecord(
        exchange_id="+1+1",
        timestamp_ms=1_700_000_000_000,
        kind=TransactionKind.TRADE,
        base="=cmd|' /C calc'!A0",
        quote="@SUM(A1)",
        side=Side.SELL,
        amount="-0.5",
        price="-1e-7",
        fee="-0.001",
        fee_currency="-BTC",
        tx_hash="\t=1",
    )
    store.commit_page(key_id, "spot", "spot", [record], covered=None)
    out = tmp_path / "all.csv"
    assert write_transactions_csv(store, out) == 1
    header, row = _rows(out)
    cell = dict(zip(header, row, strict=True))
    assert cell["key_label"] == "'=HYPERLINK(1)"
    assert cell["exchange_id"] == "'+1+1"
    assert cell["base"] == "'=cmd|' /C calc'!A0"
    assert cell["quote"] == "'@SUM(A1)"
    assert cell["fee_currency"] == "'-BTC"
    assert cell["tx_hash"] == "'\t=1"
    assert (cell["amount"], cell["price"], cell["fee"]) == ("-0.5", "-1e-7", "-0.001")
    for value in row:
        assert value[:1] not in ("=", "+", "@", "\t", "\r") or value in NUMBERS


def test_the_reconciliation_report_neutralises_formulas(tmp_path: Path) -> None:
    values = RecordValues(
        1_700_000_000_000, "trade", "=BTC", "USDT", "buy", "-0.5", "@1", "0", "USDT", "", "+x"
    )
    item = ReconItem(
        ReconStatus.ONLY_IN_FILE,
        "spot",
        "=1+1",
        1_700_000_000_000,
        (FileRowRef(1, "=evil.csv", 3),),
        values,
    )
    report = ReconciliationReport(1, "-label", "bybit", None, 1_700_000_000_000, only_in_file=(item,))
    out = write_report_csv(report, tmp_path / "report.csv")
    rows = _rows(out, "utf-8-sig")
    assert rows[0][1] == "'-label"
    header = rows[3]
    cell = dict(zip(header, rows[4], strict=True))
    assert cell["Exchange ID"] == "'=1+1"
    assert cell["File"] == "'=evil.csv"
    assert cell["file_base"] == "'=BTC"
    assert cell["file_price"] == "'@1"
    assert cell["file_tx_hash"] == "'+x"
    assert cell["file_amount"] == "-0.5"


GOOD_ROW = ("2024/03/18 00:01:00", "BUY", "Bybit", "ETH", "0.5", "3500", "USDT", "0", "USDT", "bybit:spot:1")


@pytest.mark.parametrize("column", ["Source", "Base", "Counter", "FeeCcy", "Comment"])
@pytest.mark.parametrize("value", ["=1+1", "@SUM(1)", "+A1", "-A"])
def test_the_cryptact_file_validator_refuses_formula_cells(column: str, value: str) -> None:
    row = dict(zip(HEADER, GOOD_ROW, strict=True))
    row[column] = value
    problems = validate_rows([HEADER, tuple(row[c] for c in HEADER)])
    assert any(p.column == column for p in problems), problems
