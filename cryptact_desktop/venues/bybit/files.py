"""Bybit's download files ("Export" in the web UI) that can be imported next to the API sync.

Each row becomes the pseudo API record the sync would have fetched and is normalised by
:mod:`cryptact_desktop.venues.bybit.normalize`, so a file row and the same API record land on the
same ``(endpoint, exchange_id)`` (see :mod:`cryptact_desktop.imports.spec`).

Evidence (public sources; nothing here comes from Bybit's own documentation, which does not describe
its export files). Where a source gave one spelling we accept the others seen elsewhere.

* Spot trade history, Unified Trading Account (``bybit_spot_trades``). Header
  ``Spot Pairs,Order Type,Direction,Filled Value,Filled Price,Filled Quantity,Fees,Transaction ID,
  Order No.,Timestamp (UTC)`` with times like ``14:35 2024-11-16`` and 20-decimal numbers:
  github.com/Byskov-Soft/fifo-calc ``doc/EXCHANGE_DATA.md`` (file name
  ``Bybit-Spot-OrderHistory-<from s>-<to s>.csv``) and a second sample in
  github.com/Byskov-Soft/fifo-calc-converter ``test-data/BybitSpot.csv``. Variant with a
  ``UID: …,Company Name: ,Country:`` line above the header, a leading ``Uid`` column and
  ``Timestamp (UTC+0)`` as ``2024-12-09 19:48:23``:
  a TypeScript import parser and its test fixture (public code excerpt, repository not named by the
  search tool). Variant with ``feeCoin,ExecFeeV2`` after ``Direction`` and ``Fees`` = ``--``:
  everytrade-io/everytrade-plugins ``BybitEuBeanV1.java`` (ByBit EU) and an independent self-test
  fixture. ``Transaction ID`` is the execution id the API calls ``execId`` (both are 19-digit numbers
  starting 2100…/2200…/2290… in every sample; the ccxt recordings in our Bybit notes show the same shape).
* Spot trade history before the UTA upgrade (``bybit_spot_trades_pre_uta``): header
  ``Filled Time (Local Time),Spot Pairs,Order Type,Direction,Filled Value,Filled Price,Filled Quantity,
  Fees,Transaction ID,Order No.,Timestamp (UTC)`` with units inside the cells (``0.0889 USDT``,
  ``2.24718 NEIRO``): the same fifo-calc notes (exported from an ``.xls``; sample
  ``test-data/BybitSpotPreUnified.csv`` in fifo-calc-converter). The fee's unit is its currency.
* Derivatives (USDT/USDC perpetual, futures, inverse) trade history (``bybit_derivatives_trades``):
  ``Market,Filled Type,Filled Quantity,Filled Price,Order Price,Fee Rate,Trading Fee,feeCoin,ExecFeeV2,
  Direction,Order Type,Trasaction ID,Order No.,Transaction Time(UTC+0)`` (sic "Trasaction"), times like
  ``10:00 2026-01-10``: two independent public code excerpts (a trade-journal parser that calls these
  "exact Bybit headers (note the typo)" and a fee-analysis self-test). Not confirmed by a real file we
  could see; ``Trasaction ID`` = ``execId``, ``Direction`` Long/Open Long/Close Short = Buy and
  Short/Open Short/Close Long = Sell, and ``Filled Type`` Liquidation = ``BustTrade`` are inferred.
* UTA transaction log, "Asset Change Details" (``bybit_uta_transaction_log``):
  ``Uid,Currency,Contract,Type,Direction,Quantity,Position,Filled Price,Funding,Fee Paid,Cash Flow,
  Change,Wallet Balance,Action,Time(UTC)`` after a ``UID:`` line, file name
  ``AssetChangeDetails_uta_<uid>_<yyyymmdd>_<yyyymmdd>_<n>.csv``: everytrade-plugins
  ``BybitEuUtaBeanV1.java`` (+ its test built from "a full real export"), a Python tax tool's test
  fixture and a C# statement parser test (public excerpts). ``Fee Paid`` is negative for a fee paid
  (``Change = Cash Flow + Funding + Fee Paid`` in every sample), i.e. minus the API's ``fee``.
  Variant without ``Uid`` and with ``OrderId,TradeId,Time`` (``2026-01-10 10:00:00.000``): one JS parser
  ("Account → Transaction Log → Export") and one self-test. Neither variant carries the ledger ``id``
  the API returns, so rows are matched to API rows by time and amounts (``reconcile``).
* Deposit & withdrawal history (``bybit_deposit_withdrawal_history``):
  ``Uid,Date,Type,Asset,Chain,Amount,Tx ID,Status,Received Address`` after a ``UID:`` line, status
  ``Completed`` / ``Transferred successfully`` / ``Failed``: one source only, a Python tax tool's test
  fixture "copied from real exports" (file ``assetHistory_withdrawDepositHistory_*``). No Bybit record
  id (the API's deposit ``id`` / ``withdrawId``), so rows are matched on the chain transaction hash.
  Whether ``Date`` is the creation or the credit time is unknown; the match allows one day.

Recognised but refused, with a message saying what to import instead: the Funding account's Asset
Change Details (``Uid,Date & Time(UTC),Coin,QTY,Type,Account Balance,Description``,
everytrade-plugins ``BybitEuFundBeanV1.java``; no API endpoint of ours to reconcile it with) and
Closed P&L (``Contracts,Closing Direction,Qty,Entry Price,Exit Price,Closed P&L,…``: position
summaries, not transactions).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.spec import (
    Column,
    Draft,
    FileFormat,
    KnownFile,
    MatchProfile,
    Raw,
    RowContext,
    RowProblem,
    Skip,
    date_range_in_name,
    epoch_seconds_range_in_name,
)
from cryptact_desktop.records import NormalizedRecord, Parsed, decimal_text
from cryptact_desktop.venues.bybit import normalize
from cryptact_desktop.venues.bybit.catalogue import OPTION_BASE_COINS


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------ shared conversions


def _normalized(parse: Callable[[Raw], Parsed], raw: Raw) -> NormalizedRecord:
    try:
        parsed = parse(raw)
    except (ValueError, InvalidOperation) as exc:
        raise RowProblem(_t("The row is not a valid record"), str(exc)[:80]) from None
    if parsed.record is None:
        raise RowProblem(_t("The row is not a valid record"))
    return parsed.record


def _negated(value: str) -> str:
    return "" if value == "" else decimal_text(-Decimal(value))


_BUY_WORDS = {"buy", "long", "open long", "close short", "b"}
_SELL_WORDS = {"sell", "short", "open short", "close long", "s"}


def _side(ctx: RowContext, name: str) -> str:
    value = ctx.text(name).lower()
    if value in _BUY_WORDS:
        return "Buy"
    if value in _SELL_WORDS:
        return "Sell"
    raise RowProblem(
        _t("{column} is neither Buy nor Sell").format(column=ctx.headers.get(name, name)), ctx.text(name)
    )


def _fee(ctx: RowContext) -> str:
    """``ExecFeeV2`` where it holds a non-zero fee (the EU files leave ``Fees`` as ``--``), else the
    classic fee column (a funding row can have ``ExecFeeV2`` 0 and its amount under ``Trading Fee``)."""
    v2 = ctx.number("fee_v2") if ctx.has("fee_v2") else ""
    classic = ctx.number("fee")
    if v2 not in ("", "0"):
        return v2
    return classic if classic != "" else v2


_TRADE_FIELDS = ("timestamp_ms", "base", "quote", "side", "amount", "price", "fee")


def _trade_compared(record: NormalizedRecord, *, fee_currency_stated: bool) -> tuple[str, ...]:
    fields = [f for f in _TRADE_FIELDS if f == "timestamp_ms" or getattr(record, f) != ""]
    if fee_currency_stated and record.fee_currency:
        fields.append("fee_currency")
    return tuple(fields)


# ------------------------------------------------------------------------------ Bybit: spot trades


def _spot_trade(ctx: RowContext) -> Draft:
    when, precision = ctx.time("time")
    pair = ctx.required_text("pair").upper()
    fee = _fee(ctx)
    fee_coin = ctx.text("fee_coin").upper() if ctx.has("fee_coin") else ""
    raw: Raw = {
        "symbol": pair.replace("/", "").replace("-", ""),
        "side": _side(ctx, "side"),
        "execId": ctx.exchange_id("trade_id"),
        "orderId": ctx.text("order_id"),
        "orderType": ctx.text("order_type"),
        "execTime": str(when),
        "execQty": ctx.number("qty", required=True, positive=True),
        "execPrice": ctx.number("price", required=True, positive=True),
        "execValue": ctx.number("value"),
        "execFee": fee,
        "feeCurrency": fee_coin,
        "execType": "Trade",
    }
    record = _normalized(normalize.execution("spot"), raw)
    if "/" in pair:
        base, quote = pair.split("/", 1)
        record = dataclasses.replace(record, base=base, quote=quote)
    return Draft(
        "spot",
        "execution_spot",
        record,
        raw,
        _trade_compared(record, fee_currency_stated=bool(fee_coin)),
        precision,
        ctx.places("price"),
    )


def _spot_trade_pre_uta(ctx: RowContext) -> Draft:
    when, precision = ctx.time("time")
    pair = ctx.required_text("pair").upper()
    qty, _ = ctx.amount_with_unit("qty", positive=True)
    price, _ = ctx.amount_with_unit("price", positive=True)
    fee, fee_coin = ctx.amount_with_unit("fee") if ctx.text("fee") else ("", "")
    base, _, quote = pair.partition("/")
    raw: Raw = {
        "symbol": base + quote,
        "side": _side(ctx, "side"),
        "execId": ctx.exchange_id("trade_id"),
        "orderId": ctx.text("order_id"),
        "orderType": ctx.text("order_type"),
        "execTime": str(when),
        "execQty": qty,
        "execPrice": price,
        "execFee": fee,
        "feeCurrency": fee_coin,
        "execType": "Trade",
    }
    record = _normalized(normalize.execution("spot"), raw)
    if quote:
        record = dataclasses.replace(record, base=base, quote=quote)
    return Draft(
        "spot",
        "execution_spot",
        record,
        raw,
        _trade_compared(record, fee_currency_stated=bool(fee_coin)),
        precision,
        ctx.places("price"),
    )


# ------------------------------------------------------------------------------ Bybit: derivatives

_OPTION = re.compile(r"^[A-Z0-9]+-\d{1,2}[A-Z]{3}\d{2}-\d+(\.\d+)?-[CP](-USDT|-USDC)?$")
_INVERSE = re.compile(r"^[A-Z0-9]+USD([FGHJKMNQUVXZ]\d{2})?$")


def derivative_category(symbol: str) -> str:
    """The API category (and our endpoint) of a Bybit derivative symbol."""
    if _OPTION.match(symbol):
        return "option"
    if _INVERSE.match(symbol):
        return "inverse"
    return "linear"


_FILLED_TYPES = {
    "trade": "Trade",
    "funding": "Funding",
    "liquidation": "BustTrade",
    "busttrade": "BustTrade",
    "adltrade": "AdlTrade",
    "adl": "AdlTrade",
    "settle": "Settle",
    "settlement": "Settle",
    "delivery": "Delivery",
    "blocktrade": "BlockTrade",
}


def _derivative_trade(ctx: RowContext) -> Draft:
    when, precision = ctx.time("time")
    symbol = ctx.required_text("symbol").upper()
    filled_type = ctx.text("exec_type")
    exec_type = _FILLED_TYPES.get(filled_type.lower().replace(" ", "").replace("_", ""))
    if exec_type is None:
        raise RowProblem(_t("Filled Type is not one we know"), filled_type)
    category = derivative_category(symbol)
    fee = _fee(ctx)
    fee_coin = ctx.text("fee_coin").upper() if ctx.has("fee_coin") else ""
    raw: Raw = {
        "symbol": symbol,
        "side": _side(ctx, "side"),
        "execId": ctx.exchange_id("trade_id"),
        "orderId": ctx.text("order_id"),
        "orderType": ctx.text("order_type"),
        "orderPrice": ctx.number("order_price"),
        "execTime": str(when),
        "execQty": ctx.number("qty", required=True),
        "execPrice": ctx.number("price"),
        "execFee": fee,
        "feeRate": ctx.number("fee_rate"),
        "feeCurrency": fee_coin,
        "execType": exec_type,
    }
    record = _normalized(normalize.execution(category), raw)
    if category == "option":
        base = symbol.split("-", 1)[0]
        stream = f"execution_option_{base.lower()}" if base in OPTION_BASE_COINS else "execution_option_btc"
    else:
        stream = f"execution_{category}"
    compared = _trade_compared(record, fee_currency_stated=bool(fee_coin))
    return Draft(category, stream, record, raw, compared, precision, ctx.places("price"))


# ------------------------------------------------------------------------------ Bybit: UTA ledger

_LEDGER_FIELDS = ("timestamp_ms", "kind", "base", "quote", "amount", "price", "fee")


def _uta_log(ctx: RowContext) -> Draft:
    when, precision = ctx.time("time")
    currency = ctx.required_text("currency").upper()
    direction = ctx.text("direction").upper()
    raw: Raw = {
        "id": "",
        "currency": currency,
        "symbol": ctx.text("contract").upper(),
        "category": "",
        "type": ctx.text("type").upper(),
        "side": {"BUY": "Buy", "SELL": "Sell"}.get(direction, ""),
        "qty": ctx.number("qty"),
        "size": ctx.number("position"),
        "tradePrice": ctx.number("price"),
        "funding": ctx.number("funding"),
        "fee": _negated(ctx.number("fee_paid")),
        "cashFlow": ctx.number("cash_flow"),
        "change": ctx.number("change", required=True),
        "cashBalance": ctx.number("balance"),
        "tradeId": ctx.text("trade_id"),
        "orderId": ctx.text("order_id"),
        "transactionTime": str(when),
    }
    record = dataclasses.replace(_normalized(normalize.transaction_log, raw), exchange_id="")
    if record.price in ("", "0"):
        record = dataclasses.replace(record, price="")
    compared = tuple(f for f in _LEDGER_FIELDS if f == "timestamp_ms" or getattr(record, f) != "")
    return Draft("transaction_log", "transaction_log", record, raw, compared, precision, ctx.places("price"))


# ------------------------------------------------------------------------------ Bybit: deposits, withdrawals

_DONE = {
    "completed",
    "complete",
    "success",
    "successful",
    "succeeded",
    "transferred successfully",
    "credited",
}
_FAILED = {"failed", "fail", "rejected", "reject", "cancelled", "canceled", "cancelbyuser", "cancel by user"}
_PENDING = {"pending", "processing", "confirming", "securitycheck", "security check", "to be confirmed"}


def _deposit_or_withdrawal(ctx: RowContext) -> Draft | Skip:
    kind = ctx.required_text("type").lower()
    status = ctx.text("status").lower()
    if status in _FAILED:
        return Skip(_t("Not completed (failed or cancelled): skipped"))
    if status in _PENDING:
        return Skip(_t("Still pending when the file was exported: skipped (import a later export)"))
    if status not in _DONE:
        return Skip(_t("Status not recognised: row skipped"))
    when, precision = ctx.time("time")
    coin = ctx.required_text("asset").upper()
    amount = ctx.number("amount", required=True, positive=True)
    tx_hash = ctx.text("tx_hash")
    chain = ctx.text("chain").upper()
    if kind.startswith("deposit"):
        raw: Raw = {
            "id": "",
            "coin": coin,
            "chain": chain,
            "amount": amount,
            "txID": tx_hash,
            "txIndex": "",
            "status": 3,
            "successAt": str(when),
            "toAddress": ctx.text("address"),
            "depositFee": "",
        }
        record = _normalized(normalize.deposit_onchain, raw)
        endpoint, stream = "deposits", "deposit_onchain"
    elif kind.startswith("withdraw"):
        raw = {
            "withdrawId": "",
            "coin": coin,
            "chain": chain,
            "amount": amount,
            "txID": tx_hash,
            "status": "success",
            "createTime": str(when),
            "toAddress": ctx.text("address"),
            "withdrawFee": "",
        }
        record = _normalized(normalize.withdrawal, raw)
        endpoint, stream = "withdrawals", "withdrawal"
    else:
        raise RowProblem(_t("Type is neither Deposit nor Withdraw"), ctx.text("type"))
    record = dataclasses.replace(record, exchange_id="")
    compared = tuple(f for f in ("timestamp_ms", "base", "amount", "tx_hash") if getattr(record, f) != "")
    return Draft(endpoint, stream, record, raw, compared, precision)


# ------------------------------------------------------------------------------ file names and preamble


def period_from_name(name: str) -> tuple[int, int] | None:
    """The period Bybit wrote into an export's file name, as inclusive epoch ms.

    ``Bybit-Spot-TradeHistory-1756674000-1772312399.csv`` (seconds) and
    ``AssetChangeDetails_uta_<uid>_20260101_20260922_0.csv`` (UTC dates, whole days).
    """
    return epoch_seconds_range_in_name(name) or date_range_in_name(name)


_UID_PREAMBLE = re.compile(r"^\s*UID\s*[:：]\s*(\d+)", re.IGNORECASE)


def uid_from_preamble(cells: Sequence[str]) -> str:
    """``UID: 1234567,Company Name: ,Country:`` -> "1234567" ("" if the row is not that)."""
    match = _UID_PREAMBLE.match(cells[0]) if cells else None
    return match.group(1) if match else ""


# ------------------------------------------------------------------------------ the catalogue


def _bybit_format(**spec: Any) -> FileFormat:
    """A Bybit file type: Bybit's file-name period, ``UID:`` line and 10,000-row export limit."""
    return FileFormat(
        exchange="bybit",
        period_in_name=period_from_name,
        account_in_preamble=uid_from_preamble,
        row_limit=10_000,  # Cryptact's Bybit page: at most 10,000 rows per export
        row_limit_note="Bybit exports at most 10,000 rows per file: this file may be cut short. "
        "Export shorter periods if it is.",
        **spec,
    )


_SPOT_TIME = Column(
    "time", ("Timestamp (UTC)", "Timestamp (UTC+0)", "Timestamp(UTC)", "Timestamp (UTC+00:00)")
)
_TRADE_ID = ("Transaction ID", "Trasaction ID", "Trade ID", "TradeId")

BYBIT_SPOT_TRADES = _bybit_format(
    id="bybit_spot_trades",
    name="Bybit spot trade history (Unified Trading Account)",
    columns=(
        Column("pair", ("Spot Pairs",)),
        Column("side", ("Direction",)),
        Column("price", ("Filled Price",), numeric=True),
        Column("qty", ("Filled Quantity",), numeric=True),
        Column("trade_id", _TRADE_ID),
        _SPOT_TIME,
        Column("value", ("Filled Value",), required=False, numeric=True),
        Column("fee", ("Fees", "Fee", "Trading Fee"), required=False, numeric=True),
        Column("fee_coin", ("feeCoin", "Fee Coin", "Fee Currency"), required=False),
        Column("fee_v2", ("ExecFeeV2",), required=False, numeric=True),
        Column("order_id", ("Order No.", "Order ID"), required=False),
        Column("order_type", ("Order Type",), required=False),
        Column("uid", ("Uid", "UID"), required=False),
    ),
    endpoints=("spot",),
    exchange_id_rule="Transaction ID (the API's execId)",
    convert=_spot_trade,
    excludes=("Filled Time (Local Time)",),
    evidence="fifo-calc 'Exchange Data Files'; everytrade BybitEuBeanV1; public parser fixtures",
)

BYBIT_SPOT_TRADES_PRE_UTA = _bybit_format(
    id="bybit_spot_trades_pre_uta",
    name="Bybit spot trade history (before the Unified Trading Account)",
    columns=(
        Column("local_time", ("Filled Time (Local Time)",)),
        Column("pair", ("Spot Pairs",)),
        Column("side", ("Direction",)),
        Column("price", ("Filled Price",)),
        Column("qty", ("Filled Quantity",)),
        Column("trade_id", _TRADE_ID),
        _SPOT_TIME,
        Column("value", ("Filled Value",), required=False),
        Column("fee", ("Fees", "Fee"), required=False),
        Column("order_id", ("Order No.", "Order ID"), required=False),
        Column("order_type", ("Order Type",), required=False),
    ),
    endpoints=("spot",),
    exchange_id_rule="Transaction ID (pre-upgrade trade id)",
    convert=_spot_trade_pre_uta,
    evidence="fifo-calc 'Exchange Data Files' (Spot Trade History - Pre-unified account)",
)

BYBIT_DERIVATIVES_TRADES = _bybit_format(
    id="bybit_derivatives_trades",
    name="Bybit derivatives trade history (perpetuals, futures, inverse)",
    columns=(
        Column("symbol", ("Market", "Contracts")),
        Column("exec_type", ("Filled Type", "Exec Type")),
        Column("qty", ("Filled Quantity", "Filled Qty", "Qty"), numeric=True),
        Column("price", ("Filled Price",), numeric=True),
        Column("side", ("Direction", "Side")),
        Column("trade_id", _TRADE_ID),
        Column(
            "time",
            (
                "Transaction Time(UTC+0)",
                "Transaction Time(UTC)",
                "Transaction Time (UTC)",
                "Trade Time(UTC+0)",
            ),
        ),
        Column("order_price", ("Order Price",), required=False, numeric=True),
        Column("fee_rate", ("Fee Rate",), required=False, numeric=True),
        Column("fee", ("Trading Fee", "Fee Paid", "Fees"), required=False, numeric=True),
        Column("fee_coin", ("feeCoin", "Fee Coin"), required=False),
        Column("fee_v2", ("ExecFeeV2",), required=False, numeric=True),
        Column("order_type", ("Order Type",), required=False),
        Column("order_id", ("Order No.", "Order ID"), required=False),
    ),
    endpoints=("linear", "inverse", "option"),
    exchange_id_rule="Trasaction ID (sic; the API's execId)",
    convert=_derivative_trade,
    covers=("linear", "inverse"),  # options have their own export
    evidence="two public parser excerpts quoting Bybit's header (unconfirmed against a real file)",
)

BYBIT_UTA_TRANSACTION_LOG = _bybit_format(
    id="bybit_uta_transaction_log",
    name="Bybit Unified Trading Account transaction log (Asset Change Details)",
    columns=(
        Column("currency", ("Currency",)),
        Column("contract", ("Contract",)),
        Column("type", ("Type",)),
        Column("direction", ("Direction",)),
        Column("qty", ("Quantity",), numeric=True),
        Column("price", ("Filled Price",), numeric=True),
        Column("fee_paid", ("Fee Paid",), numeric=True),
        Column("cash_flow", ("Cash Flow",), numeric=True),
        Column("change", ("Change",), numeric=True),
        Column("balance", ("Wallet Balance",), numeric=True),
        Column("time", ("Time(UTC)", "Time (UTC)", "Time(UTC+0)", "Time")),
        Column("position", ("Position",), required=False, numeric=True),
        Column("funding", ("Funding",), required=False, numeric=True),
        Column("action", ("Action",), required=False),
        Column("order_id", ("OrderId", "Order ID"), required=False),
        Column("trade_id", ("TradeId", "Trade ID"), required=False),
        Column("uid", ("Uid", "UID"), required=False),
    ),
    endpoints=("transaction_log",),
    exchange_id_rule="none: matched to API rows by time, currency, contract, type, direction and amount",
    convert=_uta_log,
    match=MatchProfile(
        keys=("currency", "symbol", "type", "side", "change", "tradeId"), price_key="tradePrice"
    ),
    evidence="everytrade BybitEuUtaBeanV1 (+ test from a real export); public parser fixtures",
)

BYBIT_DEPOSITS_WITHDRAWALS = _bybit_format(
    id="bybit_deposit_withdrawal_history",
    name="Bybit deposit and withdrawal history",
    columns=(
        Column("time", ("Date", "Date(UTC)", "Date (UTC)", "Time(UTC)", "Time")),
        Column("type", ("Type",)),
        Column("asset", ("Asset", "Coin")),
        Column("amount", ("Amount",), numeric=True),
        Column("tx_hash", ("Tx ID", "TxID", "Transaction Hash", "Txid")),
        Column("status", ("Status",)),
        Column("chain", ("Chain",), required=False),
        Column("address", ("Received Address", "Address"), required=False),
        Column("uid", ("Uid", "UID"), required=False),
    ),
    endpoints=("deposits", "withdrawals"),
    exchange_id_rule="none: matched to API rows by transaction hash, coin and amount",
    convert=_deposit_or_withdrawal,
    match=MatchProfile(keys=("coin", "amount", "txID"), wide_if="txID", wide_tolerance_ms=86_400_000),
    excludes=("Contract", "Wallet Balance"),
    evidence="one public test fixture copied from real exports (lower confidence)",
)

FORMATS: tuple[FileFormat, ...] = (
    BYBIT_SPOT_TRADES_PRE_UTA,
    BYBIT_SPOT_TRADES,
    BYBIT_DERIVATIVES_TRADES,
    BYBIT_UTA_TRANSACTION_LOG,
    BYBIT_DEPOSITS_WITHDRAWALS,
)

KNOWN_FILES: tuple[KnownFile, ...] = (
    KnownFile(
        "bybit_funding_account_history",
        "bybit",
        "Bybit",
        "Bybit Funding account history (Asset Change Details, Funding)",
        ("Date & Time(UTC)", "Coin", "QTY", "Type", "Account Balance", "Description"),
        "This file type is not supported yet. Import the deposit and withdrawal history and the "
        "Unified Trading Account transaction log instead.",
    ),
    KnownFile(
        "bybit_closed_pnl",
        "bybit",
        "Bybit",
        "Bybit Closed P&L",
        ("Contracts", "Closing Direction", "Closed P&L"),
        "Closed P&L summarises positions, it is not a list of transactions. Import the derivatives "
        "trade history instead.",
    ),
    KnownFile(
        "bybit_closed_pnl_v2",
        "bybit",
        "Bybit",
        "Bybit Closed P&L",
        ("Entry Price", "Exit Price", "Realized P&L"),
        "Closed P&L summarises positions, it is not a list of transactions. Import the derivatives "
        "trade history instead.",
    ),
)
