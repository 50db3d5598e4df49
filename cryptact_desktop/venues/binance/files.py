"""Binance's downloadable files: the spot trade history and the deposit and withdrawal histories,
imported next to the API sync; the transaction statement is recognised and refused with advice.

Each row becomes the pseudo API record the sync would have fetched and is normalised by
:mod:`cryptact_desktop.venues.binance.normalize`, so a file row and the same API record are matched
(see :mod:`cryptact_desktop.imports.spec`). None of these files carries Binance's record ids, so
every row is matched to API rows by its values: a trade by its time (to the second), pair, side,
price, quantity and fee; a deposit or withdrawal by its coin, amount, fee and transaction id
(``TXID``, the one value both sides share; the file's time may be when the move was requested).

Evidence (public sources; Binance does not document the files):

* Spot trade history (Orders → Trade History → Export): ``Date(UTC),Pair,Side,Price,Executed,Amount,
  Fee`` (older downloads; rotki's Binance importer, privatefolio's ``binance-spot-history`` parser)
  and ``Time,Pair,Side,Price,Executed,Amount,Fee`` (newer ones, the zone in the file name, e.g.
  ``Binance-Spot-Trade-History-202603230406(UTC+7).csv``), times ``YY-MM-DD HH:MM:SS``, amounts with
  their coin glued on: ``ALGOUSDT,SELL,0.0997,103ALGO,10.2691USDT,0.00003593BNB`` (test fixtures of two
  public tax tools).
* Deposit history: ``Time,Coin,Network,Amount,Address,TXID,Status`` (or ``Date(UTC+0)`` first,
  ``Status`` ``Completed``); withdrawal history: the same with ``Fee`` after ``Amount`` (the schema notes
  and fixtures of the same tools).
* Transaction statement ("Generate all statements"): ``User_ID,UTC_Time,Account,Operation,Coin,
  Change,Remark`` (rotki) or ``User ID,Time,…`` (newer).

A ``Time`` header names no zone: the times are read in the zone picked at import, which must be the
one in the file's name. ``Date(UTC)`` and ``Date(UTC+0)`` are UTC.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
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
)
from cryptact_desktop.records import NormalizedRecord, Parsed, decimal_text
from cryptact_desktop.venues.binance import normalize

_SHORT_YEAR = re.compile(r"^(\d{2})-(\d{2})-(\d{2})([ T].*)$")
_NUMBER = re.compile(r"^[+-]?(?:\d[\d,]*)?(?:\.\d+)?")
_DONE = frozenset({"COMPLETED", "SUCCESS", "SUCCESSFUL", "FINISHED"})


def _t(text: str) -> str:
    return translate("imports", text)


def _normalized(parse: normalize.Parser, raw: Raw) -> NormalizedRecord:
    try:
        parsed: Parsed = parse(raw)
    except ValueError as exc:
        raise RowProblem(_t("The row is not a valid record"), str(exc)[:80]) from None
    if parsed.record is None:
        raise RowProblem(_t("The row is not a valid record"))
    return parsed.record


def _when(ctx: RowContext) -> tuple[int, int]:
    """(epoch ms, precision) of the time cell; ``23-09-20 18:20:55`` is 2023-09-20 (Binance's newer
    files write the year with two digits, first)."""
    text = ctx.text("time")
    short = _SHORT_YEAR.match(text)
    if short is not None:
        year, month, day, rest = short.groups()
        ctx = dataclasses.replace(ctx, cells={**ctx.cells, "time": f"20{year}-{month}-{day}{rest}"})
    return ctx.time("time")


def _utc_text(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def split_amount(ctx: RowContext, name: str, coins: tuple[str, ...] = ()) -> tuple[str, str]:
    """``"103.5ALGO"`` -> ("103.5", "ALGO"). A coin whose name starts with a digit (``1INCH``) is
    only split right when it is one of ``coins`` (the pair's, known from the row)."""
    text = ctx.text(name).replace(" ", "")
    if not text:
        raise RowProblem(_t("{column} is empty").format(column=ctx.headers.get(name, name)))
    for coin in sorted((c for c in coins if c), key=len, reverse=True):
        if text.upper().endswith(coin) and len(text) > len(coin):
            number, unit = text[: -len(coin)], coin
            break
    else:
        match = _NUMBER.match(text)
        number = match.group(0) if match else ""
        unit = text[len(number) :].upper()
    if not number or not unit:
        raise RowProblem(
            _t("{column} is not an amount with its coin").format(column=ctx.headers.get(name, name)), text
        )
    value = dataclasses.replace(ctx, cells={**ctx.cells, name: number}).number(name, required=True)
    return value, unit


# ------------------------------------------------------------------------------ spot trades


def _pair(ctx: RowContext) -> tuple[str, str, str, str, str, str]:
    """(base, quote, executed, quote amount, fee, fee coin) of a trade row."""
    pair = ctx.required_text("pair").upper().replace("/", "").replace("_", "")
    executed_text = ctx.text("executed").upper()
    amount_text = ctx.text("amount").upper()
    # The pair's split: the coin glued to "Executed" is the base, the one glued to "Amount" the quote.
    base = quote = ""
    for cut in range(1, len(pair)):
        first, second = pair[:cut], pair[cut:]
        if executed_text.endswith(first) and amount_text.endswith(second):
            base, quote = first, second
    if not base:
        raise RowProblem(_t("The pair does not match the coins of Executed and Amount"), pair)
    executed, _ = split_amount(ctx, "executed", (base,))
    amount, _ = split_amount(ctx, "amount", (quote,))
    fee, fee_coin = ("", "")
    if ctx.text("fee"):
        fee, fee_coin = split_amount(ctx, "fee", (base, quote, "BNB"))
    return base, quote, executed, amount, fee, fee_coin


def convert_trade(ctx: RowContext) -> Draft | Skip:
    when, precision = _when(ctx)
    base, quote, executed, amount, fee, fee_coin = _pair(ctx)
    side = ctx.required_text("side").upper()
    if side not in ("BUY", "SELL"):
        raise RowProblem(_t("Side is neither BUY nor SELL"), side)
    symbol = base + quote
    raw: dict[str, Any] = {
        "symbol": symbol,
        "id": 0,
        "price": ctx.number("price", required=True, positive=True),
        "qty": decimal_text(executed),
        "quoteQty": decimal_text(amount),
        "commission": decimal_text(fee) if fee else "0",
        "commissionAsset": fee_coin or quote,
        "time": when,
        "isBuyer": side == "BUY",
    }
    subject = f"{base}/{quote}"
    record = dataclasses.replace(_normalized(normalize.trade(subject), raw), exchange_id="")
    compared = ["timestamp_ms", "base", "quote", "side", "amount", "price"]
    if record.fee:
        compared += ["fee", "fee_currency"]
    match_raw = {k: v for k, v in raw.items() if k not in ("id", "time")}
    return Draft(
        "spot_trades",
        f"spot_trades:{subject}",
        record,
        match_raw,
        tuple(compared),
        precision,
        ctx.places("price"),
    )


# ------------------------------------------------------------------------------ deposits, withdrawals


def _status_done(ctx: RowContext) -> bool:
    status = ctx.text("status").upper()
    return not status or status in _DONE


def convert_deposit(ctx: RowContext) -> Draft | Skip:
    if not _status_done(ctx):
        return Skip(_t("Deposit not completed: row skipped"))
    when, precision = _when(ctx)
    raw: dict[str, Any] = {
        "id": "0",
        "amount": ctx.number("amount", required=True, positive=True),
        "coin": ctx.required_text("coin").upper(),
        "network": ctx.text("network"),
        "status": 1,
        "address": ctx.text("address"),
        "txId": ctx.text("txid"),
        "insertTime": when,
    }
    record = dataclasses.replace(_normalized(normalize.deposit, raw), exchange_id="")
    match_raw = {k: raw[k] for k in ("amount", "coin", "txId")}
    compared = tuple(f for f in ("timestamp_ms", "base", "amount", "tx_hash") if getattr(record, f))
    return Draft("deposits", "deposits", record, match_raw, compared, precision)


def convert_withdrawal(ctx: RowContext) -> Draft | Skip:
    if not _status_done(ctx):
        return Skip(_t("Withdrawal not completed: row skipped"))
    when, precision = _when(ctx)
    raw: dict[str, Any] = {
        "id": "0",
        "amount": ctx.number("amount", required=True, positive=True),
        "transactionFee": ctx.number("fee") or "0",
        "coin": ctx.required_text("coin").upper(),
        "status": 6,
        "address": ctx.text("address"),
        "txId": ctx.text("txid"),
        "applyTime": _utc_text(when),
        "network": ctx.text("network"),
    }
    record = _normalized(normalize.withdrawal, raw)
    record = dataclasses.replace(record, exchange_id="", timestamp_ms=when)
    match_raw = {k: raw[k] for k in ("amount", "transactionFee", "coin", "txId")}
    compared = tuple(f for f in ("timestamp_ms", "base", "amount", "fee", "tx_hash") if getattr(record, f))
    return Draft("withdrawals", "withdrawals", record, match_raw, compared, precision)


# ------------------------------------------------------------------------------ the catalogue

_TIME = Column("time", ("Date(UTC)", "Time", "Date(UTC+0)", "Date(UTC+00:00)"))
_EVIDENCE = "rotki and privatefolio Binance importers; fixtures and schema notes of public tax tools"

BINANCE_SPOT_TRADES = FileFormat(
    id="binance_spot_trades",
    exchange="binance",
    name="Binance spot trade history",
    columns=(
        _TIME,
        Column("pair", ("Pair", "Market")),
        Column("side", ("Side", "Type")),
        Column("price", ("Price",), numeric=True),
        Column("executed", ("Executed",)),
        Column("amount", ("Amount",)),
        Column("fee", ("Fee",)),
    ),
    endpoints=("spot_trades",),
    exchange_id_rule=(
        "the file has no trade id: rows are matched to API trades by time (to the second), pair, side, "
        "price, quantity and fee"
    ),
    convert=convert_trade,
    match=MatchProfile(keys=("symbol", "isBuyer", "qty", "commission", "commissionAsset"), price_key="price"),
    evidence=_EVIDENCE,
)

_MOVE_COLUMNS = (
    _TIME,
    Column("coin", ("Coin",)),
    Column("network", ("Network",), required=False),
    Column("amount", ("Amount",), numeric=True),
    Column("address", ("Address",), required=False),
    Column("txid", ("TXID", "TxID")),
    Column("status", ("Status",), required=False),
)
_MOVE_RULE = (
    "the file has no Binance id: rows are matched to API records by coin, amount, fee and transaction "
    "id (TXID), within a day"
)
_MOVE_MATCH = MatchProfile(
    keys=("coin", "amount", "transactionFee", "txId"), wide_if="txId", wide_tolerance_ms=86_400_000
)

BINANCE_DEPOSITS = FileFormat(
    id="binance_deposits",
    exchange="binance",
    name="Binance deposit history",
    columns=_MOVE_COLUMNS,
    endpoints=("deposits",),
    exchange_id_rule=_MOVE_RULE,
    convert=convert_deposit,
    match=_MOVE_MATCH,
    excludes=("Fee", "TransactionFee", "Pair"),
    evidence=_EVIDENCE,
)

BINANCE_WITHDRAWALS = FileFormat(
    id="binance_withdrawals",
    exchange="binance",
    name="Binance withdrawal history",
    columns=(*_MOVE_COLUMNS, Column("fee", ("Fee", "TransactionFee"), numeric=True)),
    endpoints=("withdrawals",),
    exchange_id_rule=_MOVE_RULE,
    convert=convert_withdrawal,
    match=_MOVE_MATCH,
    excludes=("Pair",),
    evidence=_EVIDENCE,
)

FORMATS: tuple[FileFormat, ...] = (BINANCE_SPOT_TRADES, BINANCE_DEPOSITS, BINANCE_WITHDRAWALS)

_STATEMENT_ADVICE = (
    "This app does not import it yet: import Binance's spot trade history and its deposit and "
    "withdrawal history exports, and sync everything else with an API key."
)
KNOWN_FILES: tuple[KnownFile, ...] = (
    KnownFile(
        "binance_statement",
        "binance",
        "Binance",
        "Binance transaction history statement",
        ("User_ID", "UTC_Time", "Account", "Operation", "Coin", "Change"),
        _STATEMENT_ADVICE,
    ),
    KnownFile(
        "binance_statement_new",
        "binance",
        "Binance",
        "Binance transaction history statement",
        ("User ID", "Time", "Account", "Operation", "Coin", "Change"),
        _STATEMENT_ADVICE,
    ),
)
