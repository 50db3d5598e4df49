"""bitFlyer's trade history report (取引履歴, "TradeHistory" CSV from the web's report page), the
file users download for history the API no longer gives, imported next to the API sync.

Each row becomes the pseudo API record the sync would have fetched and is normalised by
:mod:`cryptact_desktop.venues.bitflyer.normalize`, so a file row and the same API record land on
the same ``(endpoint, exchange_id)`` or are matched to it (see :mod:`cryptact_desktop.imports.spec`).

Evidence (public sources; bitFlyer does not document the file):

* Japanese header ``取引日時,通貨,取引種別,取引価格,通貨1,通貨1数量,手数料,通貨1の対円レート,通貨2,
  通貨2数量,自己・媒介,注文 ID,備考``, every cell quoted, ``2017/08/16 23:46:37``, grouped numbers
  (``"454,359"``), a Lightning buy as ``"BTC/JPY","買い",…,"BTC","0.009","-0.0000135",…,"JPY",
  "-4,089","媒介","JOR20170816-000006-000001"`` and a bank deposit as ``"JPY","入金",…,
  "MDP20170724-000002-000001"``: the test fixture of github.com/eupholio/eupholio
  (``bitflyer`` extractor); the same header in several other public parsers (some write ``注文ID``).
  Trade types seen: 買い, 売り, 受取, 入金, 外部送付, 手数料 (eupholio), 預入, 出金, 送付手数料,
  出金手数料, 証拠金預入, 証拠金引出 (a public Python tax tool's adapter, which also reads the file as
  UTF-8 with a BOM). 自己 (bitFlyer is the counterparty: the retail desk, 販売所) / 媒介 (bitFlyer
  brokers the trade: Lightning) is bitFlyer's own wording in the uniform trade history proposal it
  commented on (github.com/bitbankinc/uniform_cryptoasset_trade_history_csv_ja, issue 24).
* English header ``Trade Date,Product,Trade Type,Traded Price,Currency 1,Amount (Currency 1),Fee,
  JPY Rate (Currency 1),Currency 2,Amount (Currency 2),Counter Party,Order ID,Details`` (eupholio;
  two Kotlin importers, which read ``Trade Date`` as ``MMM d, yyyy HH:mm:ss`` and know the types Buy,
  Sell, Wire Deposit, Withdrawal, Receive), and a newer one with ``Fees (JPY),Tax category`` before
  ``Counter Party`` and a BOM (a Python tax script asserting the whole header).

The header names no time zone. bitFlyer is a Japanese exchange and its web pages show Japan time
(the API's own ``trade_date`` is documented as JST; eupholio reads the report as +09:00), so the times
are read as Japan time whatever zone is picked at import. The report has no execution or ledger id:
coin and bank deposits and withdrawals carry the order id (``CDP…``/``CWD…``/``MDP…``/``MWD…``) that
the API records carry too, and is their id; trades and other balance changes are matched to API rows
by time (to the second), product, type, quantity, price and order id. Lightning trades (order id
``JOR…``) belong to ``executions``, everything else to the balance history, by the same rule the API
normaliser applies. Crypto CFD is not in this report (bitFlyer has a separate margin report).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta, timezone
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
from cryptact_desktop.venues.bitflyer import normalize

JST = timezone(timedelta(hours=9), "JST")

# Trade types, Japanese and English (the report's language), -> what the row is.
_TYPES: dict[str, str] = {
    "買い": "BUY",
    "buy": "BUY",
    "売り": "SELL",
    "sell": "SELL",
    "入金": "BANK_IN",
    "wire deposit": "BANK_IN",
    "出金": "BANK_OUT",
    "withdrawal": "BANK_OUT",
    "預入": "COIN_IN",
    "deposit": "COIN_IN",
    "外部送付": "COIN_OUT",
    "send": "COIN_OUT",
    "external send": "COIN_OUT",
    "手数料": "FEE",
    "送付手数料": "FEE",
    "出金手数料": "FEE",
    "fee": "FEE",
    "証拠金預入": "POST_COLL",
    "margin deposit": "POST_COLL",
    "証拠金引出": "CANCEL_COLL",
    "margin withdrawal": "CANCEL_COLL",
    "受取": "RECEIVE",
    "receive": "RECEIVE",
}
_MONTH_FIRST = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------ conversions


def _normalized(parse: normalize.Parser, raw: Raw) -> NormalizedRecord:
    try:
        parsed: Parsed = parse(raw)
    except ValueError as exc:
        raise RowProblem(_t("The row is not a valid record"), str(exc)[:80]) from None
    if parsed.record is None:
        raise RowProblem(_t("The row is not a valid record"))
    return parsed.record


def _bf_time(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}"


def _when(ctx: RowContext) -> tuple[int, int]:
    """(epoch ms, precision) of ``Trade Date``/``取引日時``, read as Japan time."""
    text = ctx.text("time")
    month_first = _MONTH_FIRST.match(text)
    japan = dataclasses.replace(ctx, zone=JST)
    if month_first is None:
        return japan.time("time")
    month = _MONTHS.get(month_first.group(1).lower())
    if month is None:
        raise RowProblem(
            _t("{column} is not a date and time we can read").format(column=ctx.headers["time"]), text
        )
    day, year, hour, minute, second = month_first.group(2, 3, 4, 5, 6)
    iso = f"{year}-{month:02d}-{int(day):02d} {int(hour):02d}:{minute}" + (f":{second}" if second else "")
    return dataclasses.replace(japan, cells={**ctx.cells, "time": iso}).time("time")


def _kind(ctx: RowContext) -> str:
    word = ctx.required_text("type")
    kind = _TYPES.get(word) or _TYPES.get(word.lower())
    if kind is None:
        raise _UnknownType(word)
    return kind


class _UnknownType(Exception):
    pass


def _abs(text: str) -> str:
    return text.lstrip("-")


def _trade_compared(record: NormalizedRecord) -> tuple[str, ...]:
    fields = ["timestamp_ms", "base", "quote", "side", "amount", "price"]
    if record.fee:
        fields += ["fee", "fee_currency"]
    return tuple(fields)


def convert(ctx: RowContext) -> Draft | Skip:
    try:
        kind = _kind(ctx)
    except _UnknownType as unknown:
        return Skip(
            _t("Trade type not known to this app: row skipped ({type})").format(type=str(unknown)[:40])
        )
    when, precision = _when(ctx)
    currency = ctx.required_text("currency1").upper()
    amount = ctx.number("amount1", required=True)
    order_id = ctx.text("order_id")
    if kind in ("BUY", "SELL"):
        return _trade(ctx, kind, when, precision, currency, amount, order_id)
    if kind in ("BANK_IN", "BANK_OUT", "COIN_IN", "COIN_OUT") and order_id:
        return _move(ctx, kind, when, precision, currency, amount, order_id)
    trade_type = {
        "BANK_IN": "DEPOSIT",
        "COIN_IN": "DEPOSIT",
        "BANK_OUT": "WITHDRAW",
        "COIN_OUT": "WITHDRAW",
        "RECEIVE": "",  # the API's word for a receipt is not known: not compared
    }.get(kind, kind)
    return _ledger(ctx, trade_type, when, precision, currency, amount, order_id, kind)


def _trade(
    ctx: RowContext, side: str, when: int, precision: int, base: str, amount: str, order_id: str
) -> Draft:
    product = ctx.required_text("product").upper().replace("/", "_")
    quote = ctx.text("currency2").upper()
    if "_" not in product and quote:
        product = f"{base}_{quote}"
    price = ctx.number("price", required=True, positive=True)
    fee = _abs(ctx.number("fee"))
    quantity = _abs(amount)
    if order_id.upper().startswith(normalize.LIGHTNING_ORDER):
        raw: Raw = {
            "id": "0",
            "child_order_id": order_id,
            "side": side,
            "price": price,
            "size": quantity,
            "commission": fee,
            "exec_date": _bf_time(when),
            "product_code": product,
        }
        record = _normalized(normalize.execution(product), raw)
        record = dataclasses.replace(record, exchange_id="")
        return Draft(
            "executions",
            f"executions:{product}",
            record,
            raw,
            _trade_compared(record),
            precision,
            ctx.places("price"),
        )
    signed = quantity if side == "BUY" else f"-{quantity}"
    raw = {
        "id": "0",
        "event_date": _bf_time(when),
        "product_code": product,
        "currency_code": base,
        "trade_type": side,
        "price": price,
        "amount": decimal_text(signed),
        "quantity": quantity,
        "commission": fee,
        "order_id": order_id,
    }
    record = dataclasses.replace(_normalized(normalize.balance(base), raw), exchange_id="")
    return Draft(
        "balance_history",
        f"balance_history:{base}",
        record,
        raw,
        _trade_compared(record),
        precision,
        ctx.places("price"),
    )


_MOVES: dict[str, tuple[str, str, normalize.Parser]] = {
    "BANK_IN": ("deposits", "deposits", normalize.deposit),
    "BANK_OUT": ("withdrawals", "withdrawals", normalize.withdrawal),
    "COIN_IN": ("coin_ins", "coin_ins", normalize.coin_in),
    "COIN_OUT": ("coin_outs", "coin_outs", normalize.coin_out),
}


def _move(
    ctx: RowContext, kind: str, when: int, precision: int, currency: str, amount: str, order_id: str
) -> Draft:
    endpoint, stream, parse = _MOVES[kind]
    raw: dict[str, Any] = {
        "id": "0",
        "order_id": order_id,
        "currency_code": currency,
        "amount": _abs(amount),
        "status": "COMPLETED",
        "event_date": _bf_time(when),
    }
    if kind == "COIN_OUT":
        raw["fee"] = _abs(ctx.number("fee"))
        raw["additional_fee"] = ""
    record = _normalized(parse, raw)
    compared = tuple(f for f in ("timestamp_ms", "base", "amount", "fee") if getattr(record, f) != "")
    return Draft(endpoint, stream, record, raw, compared, precision)


def _ledger(
    ctx: RowContext,
    trade_type: str,
    when: int,
    precision: int,
    currency: str,
    amount: str,
    order_id: str,
    kind: str,
) -> Draft:
    raw: dict[str, Any] = {
        "id": "0",
        "event_date": _bf_time(when),
        "product_code": "",
        "currency_code": currency,
        "trade_type": trade_type or "TRANSFER",
        "price": "",
        "amount": amount,
        "quantity": "",
        "commission": "",
        "order_id": order_id,
    }
    record = dataclasses.replace(_normalized(normalize.balance(currency), raw), exchange_id="")
    match_raw = dict(raw)
    if kind == "RECEIVE":
        match_raw["trade_type"] = ""
    compared = tuple(f for f in ("timestamp_ms", "base", "amount") if getattr(record, f) != "")
    return Draft("balance_history", f"balance_history:{currency}", record, match_raw, compared, precision)


# ------------------------------------------------------------------------------ the catalogue

_MATCH = MatchProfile(
    keys=(
        "product_code",
        "currency_code",
        "trade_type",
        "side",
        "size",
        "quantity",
        "amount",
        "order_id",
        "child_order_id",
    ),
    price_key="price",
)
_ENDPOINTS = ("executions", "balance_history", "coin_ins", "coin_outs", "deposits", "withdrawals")
_EXCHANGE_ID_RULE = (
    "order id for deposits and withdrawals (CDP/CWD/MDP/MWD); trades and other balance changes are "
    "matched to API rows by time, product, type, quantity, price and order id"
)
_EVIDENCE = "eupholio bitflyer extractor and fixtures; public parsers and tax tools (see the module notes)"

BITFLYER_TRADE_HISTORY_JA = FileFormat(
    id="bitflyer_trade_history_ja",
    exchange="bitflyer",
    name="bitFlyer trade history report (取引履歴, Japanese)",
    columns=(
        Column("time", ("取引日時",)),
        Column("product", ("通貨",)),
        Column("type", ("取引種別",)),
        Column("price", ("取引価格",), numeric=True),
        Column("currency1", ("通貨1",)),
        Column("amount1", ("通貨1数量",), numeric=True),
        Column("fee", ("手数料",), numeric=True),
        Column("order_id", ("注文 ID", "注文ID")),
        Column("rate1", ("通貨1の対円レート",), required=False, numeric=True),
        Column("currency2", ("通貨2",), required=False),
        Column("amount2", ("通貨2数量",), required=False, numeric=True),
        Column("counterparty", ("自己・媒介",), required=False),
        Column("details", ("備考",), required=False),
    ),
    endpoints=_ENDPOINTS,
    exchange_id_rule=_EXCHANGE_ID_RULE,
    convert=convert,
    match=_MATCH,
    covers=("coin_ins", "coin_outs", "deposits", "withdrawals"),
    evidence=_EVIDENCE,
)

BITFLYER_TRADE_HISTORY_EN = FileFormat(
    id="bitflyer_trade_history_en",
    exchange="bitflyer",
    name="bitFlyer trade history report (English)",
    columns=(
        Column("time", ("Trade Date",)),
        Column("product", ("Product",)),
        Column("type", ("Trade Type",)),
        Column("price", ("Traded Price",), numeric=True),
        Column("currency1", ("Currency 1",)),
        Column("amount1", ("Amount (Currency 1)", "Amount(Currency 1)"), numeric=True),
        Column("fee", ("Fee",), numeric=True),
        Column("order_id", ("Order ID",)),
        Column("rate1", ("JPY Rate (Currency 1)", "JPY Rate"), required=False, numeric=True),
        Column("currency2", ("Currency 2",), required=False),
        Column("amount2", ("Amount (Currency 2)", "Amount(Currency 2)"), required=False, numeric=True),
        Column("fee_jpy", ("Fees (JPY)",), required=False, numeric=True),
        Column("tax_category", ("Tax category",), required=False),
        Column("counterparty", ("Counter Party",), required=False),
        Column("details", ("Details",), required=False),
    ),
    endpoints=_ENDPOINTS,
    exchange_id_rule=_EXCHANGE_ID_RULE,
    convert=convert,
    match=_MATCH,
    covers=("coin_ins", "coin_outs", "deposits", "withdrawals"),
    evidence=_EVIDENCE,
)

FORMATS: tuple[FileFormat, ...] = (BITFLYER_TRADE_HISTORY_JA, BITFLYER_TRADE_HISTORY_EN)

KNOWN_FILES: tuple[KnownFile, ...] = (
    KnownFile(
        "bitflyer_collateral_history",
        "bitflyer",
        "bitFlyer",
        "bitFlyer margin (Crypto CFD) history report",
        ("日時", "操作", "取引損益"),
        "This file type is not supported yet. Sync the Crypto CFD margin history with an API key instead.",
    ),
    KnownFile(
        "bitflyer_conversion_history",
        "bitflyer",
        "bitFlyer",
        "bitFlyer conversion history report",
        ("日時", "通貨等", "変動量"),
        "This file type is not supported yet. Import the trade history report (取引履歴) instead.",
    ),
)
