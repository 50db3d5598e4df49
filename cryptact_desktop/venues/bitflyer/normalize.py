"""bitFlyer Lightning records -> :class:`NormalizedRecord`, one parser per list.

Fields are those of the docs' response samples (lightning.bitflyer.com/docs, "HTTP Private API").
Numbers arrive as JSON numbers and are read as exact decimals (the connector parses with
``parse_float=Decimal``); in ``raw`` they are kept as their exact decimal text. Times are UTC without
a zone suffix (``2015-07-07T09:57:40.397``); the balance history's ``trade_date`` is Japan time
(docs: "event_date: The transaction date in UTC. trade_date: The transaction date in JST"), so
``event_date`` is the one read.

**Which balance-history row is its own event.** Every balance change is in the balance history,
including changes that another list also shows. The docs do not say how to tell them apart, so the
rule is the order id, whose prefixes the docs' samples use consistently: ``JOR…`` is a Lightning
child order (``getexecutions``' ``child_order_id``; the balance-history sample's BUY/SELL rows carry
``JOR…`` too), ``CDP…``/``CWD…`` a coin deposit/withdrawal (``getcoinins``/``getcoinouts``),
``MDP…``/``MWD…`` a bank deposit/withdrawal (``getdeposits``/``getwithdrawals``). A row with one of
those prefixes mirrors the event that list holds (``mirror_of``); a BUY or SELL with any other order
id is a retail-desk (販売所) trade, which only the balance history shows. A trade writes a row in each
of its two currencies: the row in the base currency carries the trade, the quote currency's row
mirrors it (``mirror_of="balance_history"``), so it is counted once. A bank withdrawal's fee is only
in the balance history (``getwithdrawals`` has no fee), so an ``MWD…`` FEE row is its own event, while
a coin send's fee is already on the ``getcoinouts`` record. Unknown trade types are kept as LEDGER.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from cryptact_desktop.records import NormalizedRecord, Parsed, Side, TransactionKind, decimal_text

Raw = Mapping[str, Any]
Parser = Callable[[Raw], Parsed]

LIGHTNING_ORDER = "JOR"
MIRRORED_PREFIXES: dict[str, str] = {
    "JOR": "executions",
    "CDP": "coin_ins",
    "CWD": "coin_outs",
    "MDP": "deposits",
    "MWD": "withdrawals",
}

_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$")
_FUTURE = re.compile(r"^([A-Z]{3,4})([A-Z]{3})(?:\d{2}[A-Z]{3}\d{4}|_MAT\w+)$")


# ------------------------------------------------------------------------------ field helpers


def _text(raw: Raw, name: str, *, required: bool = True) -> str:
    value = raw.get(name)
    if value is None:
        if required:
            raise ValueError(f"missing field {name!r}")
        return ""
    return str(value).strip()


def _num(raw: Raw, name: str, *, required: bool = True) -> str:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            raise ValueError(f"missing field {name!r}")
        return ""
    if isinstance(value, bool):
        raise ValueError(f"field {name!r} is not a number")
    try:
        return decimal_text(value)
    except ValueError:
        raise ValueError(f"field {name!r} is not a number") from None


def _dec(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def parse_time(text: str) -> int:
    """Epoch ms of bitFlyer's ``2015-07-07T09:57:40.397`` (UTC unless the text names a zone)."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(f"not a bitFlyer time: {text[:40]!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    seconds = calendar.timegm((int(year), int(month), int(day), int(hour), int(minute), int(second)))
    ms = seconds * 1000 + int((fraction or "0")[:3].ljust(3, "0"))
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        ms -= sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60_000
    return ms


def _time(raw: Raw, name: str) -> int:
    ms = parse_time(_text(raw, name))
    if ms <= 0:
        raise ValueError(f"field {name!r} is not a time")
    return ms


def _id(raw: Raw) -> str:
    value = raw.get("id")
    if isinstance(value, bool) or value is None:
        raise ValueError("missing field 'id'")
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError("field 'id' is not a number")
    return text


def plain_raw(raw: Raw, **extra: str) -> dict[str, Any]:
    """The record as kept in ``raw``: exact decimals as their text, plus what the request named."""
    kept: dict[str, Any] = {}
    for name, value in raw.items():
        kept[name] = decimal_text(value) if isinstance(value, Decimal) else value
    kept.update(extra)
    return kept


def split_product(code: str) -> tuple[str, str, bool]:
    """(base, quote, is a derivative) of a product code.

    ``BTC_JPY`` spot; ``FX_BTC_JPY`` Crypto CFD (formerly Lightning FX); ``BTCJPY28MAR2025`` and its
    alias ``BTCJPY_MAT3M`` Lightning Futures.
    """
    parts = code.split("_")
    if len(parts) == 3 and parts[0] == "FX":
        return parts[1], parts[2], True
    future = _FUTURE.match(code)
    if future is not None:
        return future.group(1), future.group(2), True
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1], False
    return code, "", False


# ------------------------------------------------------------------------------ executions


def execution(product: str) -> Parser:
    """``getexecutions`` of one product code (the records do not name it; the request does)."""
    base, quote, derivative = split_product(product)

    def parse(raw: Raw) -> Parsed:
        exec_id = _id(raw)
        when = _time(raw, "exec_date")
        side_text = _text(raw, "side").upper()
        if side_text not in ("BUY", "SELL"):
            raise ValueError("field 'side' is neither BUY nor SELL")
        fee = _num(raw, "commission", required=False)
        if fee == "0":
            fee = ""
        record = NormalizedRecord(
            exchange_id=f"{product}:{exec_id}",
            timestamp_ms=when,
            kind=TransactionKind.DERIVATIVE_TRADE if derivative else TransactionKind.TRADE,
            base=base,
            quote=quote,
            side=Side.BUY if side_text == "BUY" else Side.SELL,
            amount=_num(raw, "size"),
            price=_num(raw, "price"),
            fee=fee,
            # The docs do not say which coin the commission is in; bitFlyer's own trade history
            # report shows spot commissions in the traded coin (通貨1), so: the base currency.
            fee_currency=base if fee else "",
            note=product,
            raw=plain_raw(raw, product_code=product),
        )
        return Parsed(record, when)

    return parse


# ------------------------------------------------------------------------------ balance history


def mirrored_endpoint(order_id: str, trade_type: str) -> str:
    """The endpoint that lists the event of a balance-history row, by its order id ("" = none)."""
    prefix = order_id[:3].upper()
    target = MIRRORED_PREFIXES.get(prefix, "")
    if trade_type == "FEE" and prefix == "MWD":
        return ""  # a bank withdrawal's fee: ``getwithdrawals`` does not show it
    return target


def balance(currency: str) -> Parser:
    """``getbalancehistory`` of one currency (see the module doc for the mirror rule)."""

    def parse(raw: Raw) -> Parsed:
        row_id = _id(raw)
        when = _time(raw, "event_date")
        code = _text(raw, "currency_code", required=False).upper() or currency
        trade_type = _text(raw, "trade_type").upper()
        product = _text(raw, "product_code", required=False).upper()
        order_id = _text(raw, "order_id", required=False)
        change = _num(raw, "amount", required=False) or "0"
        commission = _num(raw, "commission", required=False)
        common: dict[str, Any] = {
            "exchange_id": f"{code}:{row_id}",
            "timestamp_ms": when,
            "note": " ".join(p for p in (trade_type, product) if p),
            "raw": plain_raw(raw),
        }
        if trade_type in ("BUY", "SELL"):
            return Parsed(_ledger_trade(raw, common, code, trade_type, product, order_id, change), when)
        mirror = mirrored_endpoint(order_id, trade_type)
        negative = change.startswith("-")
        unsigned = change.lstrip("-")
        if trade_type == "DEPOSIT":
            kind, side, amount = TransactionKind.DEPOSIT, Side.IN, unsigned
        elif trade_type == "WITHDRAW":
            kind, side, amount = TransactionKind.WITHDRAWAL, Side.OUT, unsigned
        elif trade_type == "FEE":
            # FEE: "amount paid (negative: refunded)", the opposite sign of the balance change.
            kind, side, amount = TransactionKind.FEE, Side.OUT, decimal_text(-_dec(change))
        elif trade_type in ("POST_COLL", "CANCEL_COLL"):
            kind, amount = TransactionKind.INTERNAL_TRANSFER, unsigned
            side = Side.OUT if negative else Side.IN
            mirror = ""
        else:  # PAYMENT, TRANSFER and anything new: a balance change the export must show as is
            kind, amount = TransactionKind.LEDGER, change
            side = Side.OUT if negative else Side.IN
            mirror = ""
        record = NormalizedRecord(
            kind=kind,
            base=code,
            side=side,
            amount=amount,
            fee=commission if commission not in ("", "0") else "",
            fee_currency=code if commission not in ("", "0") else "",
            mirror_of=mirror,
            **common,
        )
        return Parsed(record, when)

    return parse


def _ledger_trade(
    raw: Raw, common: dict[str, Any], code: str, trade_type: str, product: str, order_id: str, change: str
) -> NormalizedRecord:
    """A BUY/SELL row: a Lightning fill's leg (mirrors ``executions``), or a retail-desk trade whose
    base-currency row is the trade and whose quote-currency row mirrors it."""
    base, quote, _ = split_product(product)
    if code not in (base, quote) or not quote:
        change_sign = Side.OUT if change.startswith("-") else Side.IN
        return NormalizedRecord(
            kind=TransactionKind.LEDGER, base=code, side=change_sign, amount=change, **common
        )
    price = _num(raw, "price", required=False)
    quantity = _num(raw, "quantity", required=False).lstrip("-")
    if quantity in ("", "0"):
        if code == base:
            quantity = change.lstrip("-")
        elif price not in ("", "0"):
            quantity = decimal_text(abs(_dec(change)) / _dec(price))
    commission = _num(raw, "commission", required=False)
    if order_id[:3].upper() == LIGHTNING_ORDER:
        mirror = "executions"
    elif code == quote:
        mirror = "balance_history"  # the base currency's row carries this retail-desk trade
    else:
        mirror = ""
    return NormalizedRecord(
        kind=TransactionKind.TRADE,
        base=base,
        quote=quote,
        side=Side.BUY if trade_type == "BUY" else Side.SELL,
        amount=quantity,
        price=price,
        fee=commission if commission not in ("", "0") else "",
        fee_currency=code if commission not in ("", "0") else "",
        mirror_of=mirror,
        **common,
    )


# ------------------------------------------------------------------------------ deposits, withdrawals

_FINAL_FAILURES = ("CANCEL", "FAIL", "REJECT")


def _state(raw: Raw, when: int) -> Parsed | None:
    """None for a completed record; else what to do with it (documented statuses: PENDING and
    COMPLETED; a cancelled or failed one is final and not an event; anything else is treated as
    not final yet, so a later sync reads it again)."""
    status = _text(raw, "status", required=False).upper()
    if status == "COMPLETED":
        return None
    final = any(word in status for word in _FINAL_FAILURES)
    return Parsed(None, when, settled=final)


def _exchange_id(raw: Raw) -> str:
    """The record's order id (``CDP…``, ``MWD…``: what the trade history report shows too), or its
    paging id when it has none."""
    order_id = _text(raw, "order_id", required=False)
    return order_id or f"id:{_id(raw)}"


def coin_in(raw: Raw) -> Parsed:
    when = _time(raw, "event_date")
    state = _state(raw, when)
    if state is not None:
        return state
    currency = _text(raw, "currency_code").upper()
    record = NormalizedRecord(
        exchange_id=_exchange_id(raw),
        timestamp_ms=when,
        kind=TransactionKind.DEPOSIT,
        base=currency,
        side=Side.IN,
        amount=_num(raw, "amount"),
        tx_hash=_text(raw, "tx_hash", required=False),
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


def coin_out(raw: Raw) -> Parsed:
    when = _time(raw, "event_date")
    state = _state(raw, when)
    if state is not None:
        return state
    currency = _text(raw, "currency_code").upper()
    fee = _dec(_num(raw, "fee", required=False)) + _dec(_num(raw, "additional_fee", required=False))
    fee_text = decimal_text(fee) if fee else ""
    record = NormalizedRecord(
        exchange_id=_exchange_id(raw),
        timestamp_ms=when,
        kind=TransactionKind.WITHDRAWAL,
        base=currency,
        side=Side.OUT,
        amount=_num(raw, "amount"),
        fee=fee_text,
        fee_currency=currency if fee_text else "",
        tx_hash=_text(raw, "tx_hash", required=False),
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


def _bank(kind: TransactionKind, side: Side) -> Parser:
    def parse(raw: Raw) -> Parsed:
        when = _time(raw, "event_date")
        state = _state(raw, when)
        if state is not None:
            return state
        record = NormalizedRecord(
            exchange_id=_exchange_id(raw),
            timestamp_ms=when,
            kind=kind,
            base=_text(raw, "currency_code").upper(),
            side=side,
            amount=_num(raw, "amount"),
            raw=plain_raw(raw),
        )
        return Parsed(record, when)

    return parse


deposit = _bank(TransactionKind.DEPOSIT, Side.IN)
withdrawal = _bank(TransactionKind.WITHDRAWAL, Side.OUT)


# ------------------------------------------------------------------------------ collateral history


def collateral(raw: Raw) -> Parsed:
    """``getcollateralhistory`` (docs fields: ``change`` the change of the margin deposit, ``amount``
    the deposit after it, ``reason_code``). The docs name two reason codes: ``CLEARING_COLL`` (a
    settlement: realised profit or loss) and ``EXCHANGE_COLL`` (collateral converted between
    currencies, one row per currency: kept as LEDGER, since one row holds only one side of it).
    Codes naming funding or swap points are funding; margin moves (``POST_COLL``/``CANCEL_COLL``,
    the balance history's names) mirror the balance history's row of the same move; anything else
    is kept as LEDGER."""
    row_id = _id(raw)
    when = _time(raw, "date")
    currency = _text(raw, "currency_code").upper()
    reason = _text(raw, "reason_code", required=False).upper()
    change = _num(raw, "change")
    negative = change.startswith("-")
    common: dict[str, Any] = {
        "exchange_id": row_id,
        "timestamp_ms": when,
        "base": currency,
        "note": reason,
        "raw": plain_raw(raw),
    }
    if reason == "CLEARING_COLL":
        record = NormalizedRecord(kind=TransactionKind.REALISED_PNL, amount=change, pnl=change, **common)
    elif "FUNDING" in reason or "SWAP" in reason:
        side = Side.OUT if negative else Side.IN
        record = NormalizedRecord(
            kind=TransactionKind.FUNDING, side=side, amount=change.lstrip("-"), **common
        )
    elif reason in ("POST_COLL", "CANCEL_COLL"):
        side = Side.OUT if negative else Side.IN
        record = NormalizedRecord(
            kind=TransactionKind.INTERNAL_TRANSFER,
            side=side,
            amount=change.lstrip("-"),
            mirror_of="balance_history",
            **common,
        )
    else:
        side = Side.OUT if negative else Side.IN
        record = NormalizedRecord(kind=TransactionKind.LEDGER, side=side, amount=change, **common)
    return Parsed(record, when)
