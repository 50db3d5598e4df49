"""Bybit V5 records → exchange-neutral entries (:class:`NormalizedRecord`), one function per stream.

Each function returns a :class:`Parsed`: an entry to store, a final record to skip (a failed
withdrawal), or a record that is not final yet (a pending deposit) whose time the engine must
not mark as covered. Malformed records raise ``ValueError`` with a safe description.

What each Bybit record becomes (the export maps the kinds only; see ``records.TransactionKind``):

* spot executions: TRADE; derivative executions: DERIVATIVE_TRADE, FUNDING (``execFee`` > 0 is
  paid), SETTLEMENT (Settle, Delivery) or LIQUIDATION (BustTrade, AdlTrade) — their realised P&L is
  only in the unified account's transaction log;
* transaction log: derivative TRADE / SETTLEMENT / DELIVERY / LIQUIDATION / ADL rows are
  REALISED_PNL with Bybit's parts (``change = cashFlow + funding - fee``); a spot trade leg is a
  TRADE and a convert leg a CONVERT that mirror the Spot trades and Convert endpoints; INTEREST
  (signed), bonuses (BONUS, AIRDROP, FEE_REFUND, BONUS_RECOLLECT, signed) and own transfers;
* convert: CONVERT with the amount given (``fromAmount``) as ``counter_amount``;
* earn yield: INTEREST (Flexible Savings lends the coins), or BONUS for ``yieldType`` Bonus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from typing import Any

from cryptact_desktop.records import NormalizedRecord, Parsed, Side, TransactionKind, decimal_text

Raw = Mapping[str, Any]
_PRICE_DIGITS = 16  # significant digits of a price we compute (convert: from / to)


_SPOT_QUOTES = (
    "FDUSD", "USDT", "USDC", "USDE", "USD1", "PYUSD", "RLUSD", "DAI", "BTC", "ETH", "EUR", "BRL", "TRY",
    "PLN", "JPY", "MNT", "BRZ", "BNB", "SOL", "USD",
)  # fmt: skip


def _text(raw: Raw, name: str, *, required: bool = True) -> str:
    value = raw.get(name)
    if value is None:
        if required:
            raise ValueError(f"missing field {name!r}")
        return ""
    return str(value).strip()


def _ms(raw: Raw, name: str, *, seconds: bool = False) -> int:
    text = _text(raw, name)
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"field {name!r} is not a timestamp") from None
    if value <= 0:
        raise ValueError(f"field {name!r} is not a timestamp")
    return value * 1000 if seconds else value


def _num(raw: Raw, name: str, *, required: bool = True) -> str:
    value = _text(raw, name, required=required)
    try:
        return decimal_text(value)
    except ValueError:
        raise ValueError(f"field {name!r} is not a number") from None


def split_spot_symbol(symbol: str) -> tuple[str, str]:
    for quote in _SPOT_QUOTES:
        if symbol.endswith(quote) and len(symbol) > len(quote):
            return symbol[: -len(quote)], quote
    return symbol, ""


def _contract_currencies(category: str, symbol: str, fee_currency: str) -> tuple[str, str, str]:
    """(base, quote/settle, fee currency) of a derivative symbol."""
    if category == "option":
        settle = "USDT" if symbol.endswith("-USDT") else "USDC"
        return symbol, settle, fee_currency or settle
    if category == "inverse":
        base = symbol.split("USD", 1)[0] or symbol
        return base, "USD", fee_currency or base
    if "USDT" in symbol:
        settle = "USDT"
    elif symbol.endswith("PERP") or "USDC" in symbol or "-" in symbol:
        settle = "USDC"
    else:
        settle = "USDT"
    base = symbol.split(settle, 1)[0].split("PERP", 1)[0].split("-", 1)[0] or symbol
    return base, settle, fee_currency or settle


def _spot_fee_currency(raw: Raw, base: str, quote: str) -> str:
    """docs v5/enum#spot-fee-currency-instruction, for records without ``feeCurrency``."""
    buy = _text(raw, "side") == "Buy"
    try:
        rate = Decimal(_text(raw, "feeRate", required=False) or "0")
    except InvalidOperation:
        rate = Decimal(0)
    maker = bool(raw.get("isMaker"))
    if rate > 0 or not maker:
        return base if buy else quote
    return quote if buy else base


_EXEC_KINDS = {
    "Trade": TransactionKind.DERIVATIVE_TRADE,
    "Funding": TransactionKind.FUNDING,
    "Settle": TransactionKind.SETTLEMENT,
    "Delivery": TransactionKind.SETTLEMENT,
    "BustTrade": TransactionKind.LIQUIDATION,
    "AdlTrade": TransactionKind.LIQUIDATION,
}


def execution(category: str) -> Callable[[Raw], Parsed]:
    def parse(raw: Raw) -> Parsed:
        exec_id = _text(raw, "execId")
        if not exec_id:
            raise ValueError("empty execId")
        when = _ms(raw, "execTime")
        symbol = _text(raw, "symbol")
        exec_type = _text(raw, "execType", required=False)
        kind = (
            TransactionKind.TRADE
            if category == "spot"
            else _EXEC_KINDS.get(exec_type, TransactionKind.DERIVATIVE_TRADE)
        )
        fee_ccy = _text(raw, "feeCurrency", required=False)
        if category == "spot":
            base, quote = split_spot_symbol(symbol)
            fee_ccy = fee_ccy or _spot_fee_currency(raw, base, quote)
        else:
            base, quote, fee_ccy = _contract_currencies(category, symbol, fee_ccy)
        side = Side.BUY if _text(raw, "side") == "Buy" else Side.SELL
        fee = _num(raw, "execFee", required=False)
        amount = _num(raw, "execQty")
        if kind is TransactionKind.FUNDING:
            # execFee > 0: funding paid; < 0: received (the ledger uses the opposite sign).
            paid = not fee.startswith("-")
            side = Side.OUT if paid else Side.IN
            # Funding is paid in the settlement coin: USDT/USDC for linear, the coin for inverse.
            amount, fee, base = fee.lstrip("-"), "", fee_ccy
        record = NormalizedRecord(
            exchange_id=exec_id,
            timestamp_ms=when,
            kind=kind,
            base=base,
            quote=quote,
            side=side,
            amount=amount,
            price=_num(raw, "execPrice", required=False),
            fee=fee,
            fee_currency=fee_ccy if fee else "",
            note=symbol if category != "spot" else "",
            raw=dict(raw),
        )
        return Parsed(record, when)

    return parse


_LEDGER_PNL_TYPES = frozenset({"TRADE", "SETTLEMENT", "DELIVERY", "LIQUIDATION", "ADL"})
_LEDGER_CONVERT_TYPES = frozenset({"CONVERT", "CURRENCY_BUY", "CURRENCY_SELL"})
_LEDGER_BONUS_TYPES = frozenset({"BONUS", "AIRDROP", "FEE_REFUND", "BONUS_RECOLLECT"})
_LEDGER_TRANSFER_TYPES = frozenset({"TRANSFER_IN", "TRANSFER_OUT"})

_OPTION_SYMBOL = re.compile(r".+-[0-9]+-[CP](-[A-Z]+)?")
_INVERSE_SYMBOL = re.compile(r"[A-Z0-9]+USD([FGHJKMNQUVXZ][0-9]{2})?")


def _dec(value: Any) -> Decimal | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def ledger_category(raw: Raw, currency: str) -> str:
    """The category of a ledger row: Bybit's own ``category``, else a guess for rows read from
    Bybit's export file, which has none.

    Judgement, from the documented semantics: option symbols carry ``-<strike>-C|P``; inverse
    symbols end in ``USD`` (or a USD futures month code); a spot trade changes the base coin of
    its symbol, or the quote coin by exactly ``qty`` or ``qty × tradePrice`` in ``cashFlow``, whereas
    a linear trade's ``cashFlow`` is its realised P&L. Returns "" when nothing fits.
    """
    category = str(raw.get("category") or "").strip().lower()
    if category:
        return category
    type_ = str(raw.get("type") or "").upper()
    symbol = str(raw.get("symbol") or "").upper()
    if type_ in ("SETTLEMENT", "DELIVERY", "ADL"):
        return "derivative"
    if not symbol:
        return ""
    if _OPTION_SYMBOL.fullmatch(symbol):
        return "option"
    if _INVERSE_SYMBOL.fullmatch(symbol):
        return "inverse"
    if currency and (symbol.endswith("PERP") or "-" in symbol):
        # USDC perpetuals and futures (no spot pair has either): a P&L that equals the quantity
        # by chance (0.001 USDC on 0.001 BTC) is not a spot trade.
        return "linear"
    base, quote = split_spot_symbol(symbol)
    if currency and currency == base and quote:
        return "spot"
    cash_flow, qty, price = _dec(raw.get("cashFlow")), _dec(raw.get("qty")), _dec(raw.get("tradePrice"))
    if cash_flow and qty and (abs(cash_flow) == abs(qty) or (price and abs(cash_flow) == abs(qty) * price)):
        return "spot"
    if currency and currency == quote:
        return "linear"
    return ""


def transaction_log(raw: Raw) -> Parsed:
    when = _ms(raw, "transactionTime")
    type_ = _text(raw, "type")
    currency = _text(raw, "currency")
    symbol = _text(raw, "symbol", required=False)
    # The docs' own example repeats an ``id`` for two rows: identify by id+type+time+currency.
    exchange_id = f"{_text(raw, 'id')}|{type_}|{when}|{currency}"
    change = _num(raw, "change", required=False) or "0"
    upper = type_.upper()
    kind = TransactionKind.LEDGER
    mirror_of = ""
    pnl = funding = ""
    note = type_.lower()
    if upper in _LEDGER_PNL_TYPES:
        category = ledger_category(raw, currency)
        if category == "spot":
            kind, mirror_of, note = TransactionKind.TRADE, "spot", ""
        elif category:
            kind = TransactionKind.REALISED_PNL
            pnl = _num(raw, "cashFlow", required=False)
            funding = _num(raw, "funding", required=False)
            note = f"{type_.lower()} {symbol}".strip()
        else:
            note = f"{type_.lower()} {symbol} (spot or derivative unknown)".strip()
    elif upper in _LEDGER_CONVERT_TYPES:
        kind, mirror_of, note = TransactionKind.CONVERT, "convert", ""
    elif upper in _LEDGER_TRANSFER_TYPES:
        kind, note = TransactionKind.INTERNAL_TRANSFER, ""
    elif upper == "INTEREST":
        kind = TransactionKind.INTEREST
    elif upper in _LEDGER_BONUS_TYPES:
        kind = TransactionKind.BONUS
    record = NormalizedRecord(
        exchange_id=exchange_id,
        timestamp_ms=when,
        kind=kind,
        base=currency,
        quote=symbol,
        side=Side.OUT if change.startswith("-") else Side.IN,
        amount=change,
        price=_num(raw, "tradePrice", required=False),
        fee=_num(raw, "fee", required=False),
        fee_currency=currency,
        pnl=pnl,
        funding=funding,
        note=note,
        mirror_of=mirror_of,
        raw=dict(raw),
    )
    return Parsed(record, when)


_DEPOSIT_OK = {3, 70012, 10012}
_DEPOSIT_FAILED = {4, 70011}


def deposit_onchain(raw: Raw) -> Parsed:
    status = int(_text(raw, "status") or "0")
    coin = _text(raw, "coin")
    when_text = _text(raw, "successAt", required=False)
    when = int(when_text) if when_text.isdigit() and int(when_text) > 0 else 0
    if status not in _DEPOSIT_OK:
        return Parsed(None, when, settled=status in _DEPOSIT_FAILED)
    if when == 0:
        raise ValueError("successful deposit without successAt")
    record_id = _text(raw, "id", required=False)
    tx_id = _text(raw, "txID", required=False)
    exchange_id = record_id or f"{tx_id}:{_text(raw, 'txIndex', required=False)}:{coin}"
    record = NormalizedRecord(
        exchange_id=exchange_id,
        timestamp_ms=when,
        kind=TransactionKind.DEPOSIT,
        base=coin,
        side=Side.IN,
        amount=_num(raw, "amount"),
        fee=_num(raw, "depositFee", required=False),
        fee_currency=coin if _text(raw, "depositFee", required=False) else "",
        network=_text(raw, "chain", required=False),
        tx_hash=tx_id,
        raw=dict(raw),
    )
    return Parsed(record, when)


def deposit_internal(raw: Raw) -> Parsed:
    when = _ms(raw, "createdTime", seconds=True)
    status = int(_text(raw, "status") or "0")
    if status != 2:
        return Parsed(None, when, settled=status == 3)
    coin = _text(raw, "coin")
    record = NormalizedRecord(
        exchange_id=f"internal:{_text(raw, 'id')}",
        timestamp_ms=when,
        kind=TransactionKind.DEPOSIT,
        base=coin,
        side=Side.IN,
        amount=_num(raw, "amount"),
        tx_hash=_text(raw, "txID", required=False),
        raw=dict(raw),
    )
    return Parsed(record, when)


_WITHDRAW_FAILED = {"CancelByUser", "Reject", "Fail"}


def withdrawal(raw: Raw) -> Parsed:
    when = _ms(raw, "createTime")
    status = _text(raw, "status")
    if status != "success":
        return Parsed(None, when, settled=status in _WITHDRAW_FAILED)
    coin = _text(raw, "coin")
    fee = _num(raw, "withdrawFee", required=False)
    record = NormalizedRecord(
        exchange_id=_text(raw, "withdrawId"),
        timestamp_ms=when,
        kind=TransactionKind.WITHDRAWAL,
        base=coin,
        side=Side.OUT,
        amount=_num(raw, "amount"),
        fee=fee,
        fee_currency=coin if fee else "",
        network=_text(raw, "chain", required=False),
        tx_hash=_text(raw, "txID", required=False),
        raw=dict(raw),
    )
    return Parsed(record, when)


def transfer(raw: Raw) -> Parsed:
    when = _ms(raw, "timestamp")
    status = _text(raw, "status")
    if status != "SUCCESS":
        return Parsed(None, when, settled=status == "FAILED")
    record = NormalizedRecord(
        exchange_id=_text(raw, "transferId"),
        timestamp_ms=when,
        kind=TransactionKind.INTERNAL_TRANSFER,
        base=_text(raw, "coin"),
        amount=_num(raw, "amount"),
        raw=dict(raw),
    )
    return Parsed(record, when)


def convert(raw: Raw) -> Parsed:
    when = _ms(raw, "createdAt")
    status = _text(raw, "exchangeStatus")
    if status != "success":
        return Parsed(None, when, settled=status == "failure")
    from_amount = _num(raw, "fromAmount")
    to_amount = _num(raw, "toAmount")
    try:
        with localcontext() as ctx:
            ctx.prec = _PRICE_DIGITS  # a derived price: more digits would be noise
            price = decimal_text(Decimal(from_amount) / Decimal(to_amount))
    except (InvalidOperation, DivisionByZero):
        raise ValueError("convert with a zero amount") from None
    record = NormalizedRecord(
        exchange_id=_text(raw, "exchangeTxId"),
        timestamp_ms=when,
        kind=TransactionKind.CONVERT,
        base=_text(raw, "toCoin"),
        quote=_text(raw, "fromCoin"),
        side=Side.BUY,
        amount=to_amount,
        price=price,
        counter_amount=from_amount,
        raw=dict(raw),
    )
    return Parsed(record, when)


def earn_yield(raw: Raw) -> Parsed:
    when = _ms(raw, "createdAt")
    status = _text(raw, "status", required=False)
    if status not in ("", "Success"):
        return Parsed(None, when, settled=status == "Fail")
    bonus = _text(raw, "yieldType", required=False) == "Bonus"
    record = NormalizedRecord(
        exchange_id=_text(raw, "id"),
        timestamp_ms=when,
        kind=TransactionKind.BONUS if bonus else TransactionKind.INTEREST,
        base=_text(raw, "coin"),
        side=Side.IN,
        amount=_num(raw, "amount"),
        # Flexible Savings lends the coins out (LENDING); a promotional bonus yield is a bonus.
        note="earn-bonus judgement" if bonus else "earn-interest",
        raw=dict(raw),
    )
    return Parsed(record, when)


def earn_order(raw: Raw) -> Parsed:
    when = _ms(raw, "createdAt")
    status = _text(raw, "status")
    if status != "Success":
        return Parsed(None, when, settled=status == "Fail")
    record = NormalizedRecord(
        exchange_id=_text(raw, "orderId"),
        timestamp_ms=when,
        kind=TransactionKind.EARN,
        base=_text(raw, "coin"),
        side=Side.OUT if _text(raw, "orderType") == "Stake" else Side.IN,
        amount=_num(raw, "orderValue"),
        raw=dict(raw),
    )
    return Parsed(record, when)
