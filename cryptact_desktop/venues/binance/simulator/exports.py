"""Binance's downloadable files made from a simulated account, for tests and the contract suite.

Standard library only and independent of ``cryptact_desktop.imports`` (the layouts are written out
again from the public evidence listed in ``cryptact_desktop/venues/binance/files.py``):

* spot trade history: ``Time,Pair,Side,Price,Executed,Amount,Fee`` (newer downloads; times
  ``YY-MM-DD HH:MM:SS`` in the zone named in the file name) or ``Date(UTC),Pair,Side,Price,Executed,
  Amount,Fee`` (older, four-digit years), amounts with their coin glued on (``0.01000000BTC``);
* deposit history: ``Time,Coin,Network,Amount,Address,TXID,Status``;
* withdrawal history: ``Time,Coin,Network,Amount,Fee,Address,TXID,Status``.

Only spot trades are in the trade history (margin has its own); a pending deposit shows as
``Pending``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .account import SimAccount


@dataclass(frozen=True)
class ExportFile:
    name: str
    text: str

    def write(self, directory: Path) -> Path:
        path = directory / self.name
        path.write_text(self.text, encoding="utf-8")
        return path


def _time(ms: int, *, short: bool) -> str:
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%y-%m-%d %H:%M:%S" if short else "%Y-%m-%d %H:%M:%S")


def _stamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y%m%d%H%M")


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def trade_history(account: SimAccount, start_ms: int, end_ms: int, *, layout: str = "new") -> ExportFile:
    """The spot trades of ``[start_ms, end_ms]``, newest first, as Binance's export writes them."""
    short = layout == "new"
    rows: list[tuple[int, list[str]]] = []
    for symbol, trades in account.trades.items():
        parts = account.symbol_parts(symbol)
        if parts is None:
            continue
        base, quote = parts
        i, j = trades.span(start_ms, end_ms)
        for record in trades.records[i:j]:
            rows.append(
                (
                    record["time"],
                    [
                        _time(record["time"], short=short),
                        symbol,
                        "BUY" if record["isBuyer"] else "SELL",
                        record["price"].rstrip("0").rstrip("."),
                        record["qty"] + base,
                        record["quoteQty"] + quote,
                        record["commission"] + record["commissionAsset"],
                    ],
                )
            )
    rows.sort(key=lambda row: row[0], reverse=True)
    if short:
        header: tuple[str, ...] = ("Time", "Pair", "Side", "Price", "Executed", "Amount", "Fee")
        name = f"Binance-Spot-Trade-History-{_stamp(end_ms)}(UTC+0).csv"
    else:
        header = ("Date(UTC)", "Pair", "Side", "Price", "Executed", "Amount", "Fee")
        name = f"Binance-Spot-Trade-History-{_stamp(end_ms)}.csv"
    return ExportFile(name, _csv(header, [row for _, row in rows]))


def deposit_history(account: SimAccount, start_ms: int, end_ms: int) -> ExportFile:
    i, j = account.deposits.span(start_ms, end_ms)
    rows = [
        [
            _time(r["insertTime"], short=True),
            r["coin"],
            r["network"],
            r["amount"],
            r["address"],
            r["txId"],
            "Completed" if r["status"] == 1 else "Pending",
        ]
        for r in reversed(account.deposits.records[i:j])
    ]
    header = ("Time", "Coin", "Network", "Amount", "Address", "TXID", "Status")
    return ExportFile(f"Binance-Deposit-History-{_stamp(end_ms)}(UTC+0).csv", _csv(header, rows))


def withdrawal_history(account: SimAccount, start_ms: int, end_ms: int) -> ExportFile:
    i, j = account.withdrawals.span(start_ms, end_ms)
    rows = [
        [
            r["applyTime"][2:],  # YY-MM-DD HH:MM:SS
            r["coin"],
            r["network"],
            r["amount"],
            r["transactionFee"],
            r["address"],
            r["txId"],
            "Completed" if r["status"] == 6 else "Processing",
        ]
        for r in reversed(account.withdrawals.records[i:j])
    ]
    header = ("Time", "Coin", "Network", "Amount", "Fee", "Address", "TXID", "Status")
    return ExportFile(f"Binance-Withdraw-History-{_stamp(end_ms)}(UTC+0).csv", _csv(header, rows))
