"""Bybit-style download files ("Export" in the web UI) made from a simulated account, for tests.

Standard library only, and independent of ``cryptact_desktop.imports`` on purpose: the column layouts
are written out here again from the same public evidence (see ``cryptact_desktop/venues/bybit/files.py``
for the sources), so an importer bug is not hidden by sharing code with the generator.

``export(acct, kind, ...)`` builds one file from the account's raw API records. Options let a test
make realistic disagreements between a file and the API: ``start_ms``/``end_ms`` keep only a period,
``period`` is what the file name claims (a file "cut short" claims more than it holds, like Bybit's
10,000-row export limit), ``drop`` leaves chosen records out. ``ExportFile.record_ids`` names the API
record behind each data row (``execId``, ledger ``id``, deposit ``id``, ``withdrawId``).

Kinds:

* ``spot_trades``: UTA spot trade history with the ``UID:`` line, a ``Uid`` column and
  ``Timestamp (UTC+0)`` as ``2024-12-09 19:48:23``;
* ``spot_trades_minutes``: the same without ``UID``, ``Timestamp (UTC)`` as ``14:35 2024-11-16``
  (minute precision) and Bybit's leading space before the order number;
* ``spot_trades_eu``: with ``feeCoin,ExecFeeV2`` and ``Fees`` = ``--``;
* ``derivatives_trades``: linear and inverse executions (header with Bybit's "Trasaction ID");
* ``transaction_log``: UTA "Asset Change Details" (no record ids, ``Fee Paid`` negative);
* ``deposits_withdrawals``: on-chain deposits and withdrawals (``Tx ID``, ``Status``).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .history import SimAccount

Record = dict[str, Any]
Drop = Callable[[Record], bool] | Collection[str] | None

KINDS: tuple[str, ...] = (
    "spot_trades",
    "spot_trades_minutes",
    "spot_trades_eu",
    "derivatives_trades",
    "transaction_log",
    "deposits_withdrawals",
)

_STREAMS: dict[str, tuple[str, ...]] = {
    "spot_trades": ("execution_spot",),
    "spot_trades_minutes": ("execution_spot",),
    "spot_trades_eu": ("execution_spot",),
    "derivatives_trades": ("execution_linear", "execution_inverse"),
    "transaction_log": ("transaction_log",),
    "deposits_withdrawals": ("deposit_onchain", "withdrawal"),
}

_PREAMBLE = "UID: {uid},Company Name: ,Country: "


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One generated file: its Bybit-style name, content, and the API record behind each row."""

    kind: str
    name: str
    text: str
    record_ids: tuple[str, ...]
    times_ms: tuple[int, ...]
    period: tuple[int, int]

    @property
    def rows(self) -> int:
        return len(self.record_ids)

    def write(
        self, directory: Path | str, *, encoding: str = "utf-8", bom: bool = False, name: str | None = None
    ) -> Path:
        """Write the file into ``directory`` (``encoding`` e.g. "utf-16" like Excel's Unicode text)."""
        path = Path(directory) / (name or self.name)
        data = self.text.encode(encoding)
        if bom and encoding.replace("-", "").lower() == "utf8":
            data = codecs.BOM_UTF8 + data
        path.write_bytes(data)
        return path


def record_id(stream: str, raw: Record) -> str:
    """The id the API gives the record (what our normaliser keys it by, before any suffix)."""
    if stream.startswith("execution_"):
        return str(raw["execId"])
    if stream == "withdrawal":
        return str(raw["withdrawId"])
    return str(raw["id"])


def _dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms // 1000, tz=UTC)


def _seconds(ms: int) -> str:
    return _dt(ms).strftime("%Y-%m-%d %H:%M:%S")


def _minutes_first(ms: int) -> str:
    return _dt(ms).strftime("%H:%M %Y-%m-%d")


def _long(value: Any) -> str:
    """Bybit's export style: a plain decimal padded to 20 places (``9.32340000000000000000``)."""
    text = str(value).strip()
    if text in ("", "--"):
        return "--"
    return f"{Decimal(text):.20f}"


def _plain(value: Any) -> str:
    text = str(value).strip()
    return text if text else "--"


def _negated(value: Any) -> str:
    text = str(value).strip()
    if not text:
        return "--"
    return f"{-Decimal(text):.20f}"


def _side_upper(raw: Record) -> str:
    side = str(raw.get("side") or "")
    return side.upper() if side in ("Buy", "Sell") else "--"


_FILLED_TYPE = {
    "Trade": "Trade",
    "Funding": "Funding",
    "BustTrade": "Liquidation",
    "AdlTrade": "AdlTrade",
    "Delivery": "Delivery",
    "Settle": "Settle",
}


def _spot_rows(
    kind: str, uid: int, items: list[tuple[str, Record, int]]
) -> tuple[list[str], list[list[str]]]:
    if kind == "spot_trades":
        header = [
            "Uid",
            "Spot Pairs",
            "Order Type",
            "Direction",
            "Filled Value",
            "Filled Price",
            "Filled Quantity",
            "Fees",
            "Transaction ID",
            "Order No.",
            "Timestamp (UTC+0)",
        ]
        rows = [
            [
                str(uid),
                r["symbol"],
                str(r["orderType"]).upper(),
                str(r["side"]).upper(),
                _long(r["execValue"]),
                _long(r["execPrice"]),
                _long(r["execQty"]),
                _long(r["execFee"]),
                r["execId"],
                r["orderId"],
                _seconds(t),
            ]
            for _s, r, t in items
        ]
    elif kind == "spot_trades_minutes":
        header = [
            "Spot Pairs",
            "Order Type",
            "Direction",
            "Filled Value",
            "Filled Price",
            "Filled Quantity",
            "Fees",
            "Transaction ID",
            "Order No.",
            "Timestamp (UTC)",
        ]
        rows = [
            [
                r["symbol"],
                str(r["orderType"]).upper(),
                str(r["side"]).upper(),
                _long(r["execValue"]),
                _long(r["execPrice"]),
                _long(r["execQty"]),
                _long(r["execFee"]),
                r["execId"],
                f" {r['orderId']}",
                _minutes_first(t),
            ]
            for _s, r, t in items
        ]
    else:
        header = [
            "Spot Pairs",
            "Order Type",
            "Direction",
            "feeCoin",
            "ExecFeeV2",
            "Filled Value",
            "Filled Price",
            "Filled Quantity",
            "Fees",
            "Transaction ID",
            "Order No.",
            "Timestamp (UTC)",
        ]
        rows = [
            [
                r["symbol"],
                str(r["orderType"]).upper(),
                str(r["side"]).upper(),
                _plain(r.get("feeCurrency")),
                _plain(r["execFee"]),
                _long(r["execValue"]),
                _long(r["execPrice"]),
                _long(r["execQty"]),
                "--",
                r["execId"],
                f" {r['orderId']}",
                _minutes_first(t),
            ]
            for _s, r, t in items
        ]
    return header, rows


def _derivative_rows(items: list[tuple[str, Record, int]]) -> tuple[list[str], list[list[str]]]:
    header = [
        "Market",
        "Filled Type",
        "Filled Quantity",
        "Filled Price",
        "Order Price",
        "Fee Rate",
        "Trading Fee",
        "feeCoin",
        "ExecFeeV2",
        "Direction",
        "Order Type",
        "Trasaction ID",
        "Order No.",
        "Transaction Time(UTC+0)",
    ]
    rows = [
        [
            r["symbol"],
            _FILLED_TYPE.get(str(r["execType"]), str(r["execType"])),
            _plain(r["execQty"]),
            _plain(r["execPrice"]),
            _plain(r.get("orderPrice")),
            _plain(r.get("feeRate")),
            _plain(r["execFee"]),
            str(r.get("feeCurrency") or ""),
            _plain(r["execFee"]),
            str(r["side"]),
            str(r.get("orderType") or "--"),
            f" {r['execId']}",
            f" {r['orderId']}",
            _dt(t).strftime("%H:%M:%S %Y-%m-%d"),
        ]
        for _s, r, t in items
    ]
    return header, rows


def _ledger_rows(uid: int, items: list[tuple[str, Record, int]]) -> tuple[list[str], list[list[str]]]:
    header = [
        "Uid",
        "Currency",
        "Contract",
        "Type",
        "Direction",
        "Quantity",
        "Position",
        "Filled Price",
        "Funding",
        "Fee Paid",
        "Cash Flow",
        "Change",
        "Wallet Balance",
        "Action",
        "Time(UTC)",
    ]
    rows = [
        [
            str(uid),
            r["currency"],
            r.get("symbol") or "",
            r.get("type") or "--",
            _side_upper(r),
            _long(r.get("qty")),
            _long(r.get("size")),
            _long(r.get("tradePrice")),
            _long(r.get("funding")),
            _negated(r.get("fee")),
            _long(r.get("cashFlow")),
            _long(r.get("change")),
            _long(r.get("cashBalance")),
            "--",
            _seconds(t),
        ]
        for _s, r, t in items
    ]
    return header, rows


_DEPOSIT_STATUS = {3: "Completed", 70012: "Completed", 10012: "Completed", 4: "Failed", 70011: "Failed"}
_WITHDRAW_STATUS = {"success": "Transferred successfully", "Fail": "Failed", "Reject": "Failed"}


def _deposit_rows(uid: int, items: list[tuple[str, Record, int]]) -> tuple[list[str], list[list[str]]]:
    header = ["Uid", "Date", "Type", "Asset", "Chain", "Amount", "Tx ID", "Status", "Received Address"]
    rows = []
    for stream, r, t in items:
        if stream == "deposit_onchain":
            status = _DEPOSIT_STATUS.get(int(r.get("status") or 0), "Pending")
            kind = "Deposit"
        else:
            status = _WITHDRAW_STATUS.get(str(r.get("status")), "Pending")
            kind = "Withdraw"
        rows.append(
            [
                str(uid),
                _seconds(t),
                kind,
                r["coin"],
                r.get("chain") or "--",
                _long(r["amount"]),
                r.get("txID") or "--",
                status,
                r.get("toAddress") or "--",
            ]
        )
    return header, rows


def _render(header: list[str], rows: Iterable[list[str]], preamble: str | None) -> str:
    buffer = io.StringIO()
    if preamble:
        buffer.write(preamble + "\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _file_name(kind: str, uid: int, period: tuple[int, int]) -> str:
    start_s, end_s = period[0] // 1000, period[1] // 1000
    first, last = _dt(period[0]).strftime("%Y%m%d"), _dt(period[1]).strftime("%Y%m%d")
    if kind.startswith("spot_trades"):
        return f"Bybit-Spot-TradeHistory-{start_s}-{end_s}.csv"
    if kind == "derivatives_trades":
        return f"Bybit-Derivatives-TradeHistory-{start_s}-{end_s}.csv"
    if kind == "transaction_log":
        return f"AssetChangeDetails_uta_{uid}_{first}_{last}_0.csv"
    return f"assetHistory_withdrawDepositHistory_{uid}_{first}_{last}.csv"


def _dropped(drop: Drop, stream: str, raw: Record) -> bool:
    if drop is None:
        return False
    if callable(drop):
        return bool(drop(raw))
    return record_id(stream, raw) in drop


def export(
    acct: SimAccount,
    kind: str,
    *,
    start_ms: int | None = None,
    end_ms: int | None = None,
    period: tuple[int, int] | None = None,
    drop: Drop = None,
    newest_first: bool = True,
) -> ExportFile:
    """Build a ``kind`` file from ``acct`` (see the module docstring for the options)."""
    if kind not in _STREAMS:
        raise ValueError(f"unknown export kind {kind!r}; one of {', '.join(KINDS)}")
    items: list[tuple[str, Record, int]] = []
    all_times: list[int] = []
    for stream in _STREAMS[kind]:
        for raw in acct.records(stream):
            try:
                when = acct.record_time_ms(stream, raw)
            except (KeyError, ValueError):
                continue
            if when <= 0:
                continue
            all_times.append(when)
            if start_ms is not None and when < start_ms:
                continue
            if end_ms is not None and when > end_ms:
                continue
            if period is not None and not period[0] <= when <= period[1]:
                continue
            if _dropped(drop, stream, raw):
                continue
            items.append((stream, raw, when))
    items.sort(key=lambda item: item[2], reverse=newest_first)
    if period is None:
        lo = start_ms if start_ms is not None else (min(all_times) if all_times else 0)
        hi = end_ms if end_ms is not None else (max(all_times) if all_times else 0)
        period = ((lo // 1000) * 1000, (hi // 1000) * 1000 + 999)
    if kind.startswith("spot_trades"):
        header, rows = _spot_rows(kind, acct.uid, items)
    elif kind == "derivatives_trades":
        header, rows = _derivative_rows(items)
    elif kind == "transaction_log":
        header, rows = _ledger_rows(acct.uid, items)
    else:
        header, rows = _deposit_rows(acct.uid, items)
    preamble = (
        _PREAMBLE.format(uid=acct.uid)
        if kind in ("spot_trades", "transaction_log", "deposits_withdrawals")
        else None
    )
    return ExportFile(
        kind=kind,
        name=_file_name(kind, acct.uid, period),
        text=_render(header, rows, preamble),
        record_ids=tuple(record_id(s, r) for s, r, _t in items),
        times_ms=tuple(t for _s, _r, t in items),
        period=period,
    )


def write_export(
    acct: SimAccount, kind: str, directory: Path | str, **options: Any
) -> tuple[Path, ExportFile]:
    """``export`` and write it under its Bybit-style name in ``directory``."""
    encoding = options.pop("encoding", "utf-8")
    bom = options.pop("bom", False)
    made = export(acct, kind, **options)
    return made.write(directory, encoding=encoding, bom=bom), made
