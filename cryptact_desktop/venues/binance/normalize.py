"""Binance records -> :class:`NormalizedRecord`, one parser per history list.

Fields are those of the docs' response examples (developers.binance.com; see :mod:`.catalogue`).
Bodies are read with ``parse_float=Decimal``; integers stay Python ints, so an ``orderId`` above
2**53 (Convert) is kept exactly. Times are epoch milliseconds except a withdrawal's ``applyTime``,
a UTC text (``"2019-10-12 11:12:02"``, "UTC time" in the docs).

**Exchange ids.** A trade id is unique only within its symbol, so a trade's id is
``<SYMBOL>:<id>`` (``BNBBTC:28457``); an isolated-margin fill adds ``ISOLATED:``. Deposits,
withdrawals, fiat orders and payments have their own ids (``id``, ``orderNo``); a convert its
``orderId``; a transfer its ``tranId``. Futures income: "tranId is unique in the same incomeType
for a user" (a fill's realised P&L and its commission share one), so ``<incomeType>:<tranId>``. A
dust conversion lists one detail per coin swept under one ``transId``: ``<transId>:<fromAsset>``.
Simple Earn rewards carry no id at all: ``<type>:<product>:<asset>:<time>``, stable since the
API never changes a paid reward.

**Kinds.** Spot, margin and card trades are TRADE; Convert and dust are CONVERT into the coin
received (a dust conversion's ``transferedAmount`` is what was credited, its
``serviceChargeAmount`` the part of the value Binance kept, recorded as the fee); flexible Earn
rewards are INTEREST (the coins are lent out), locked rewards STAKING; deposits and withdrawals
(crypto and fiat) as such; wallet transfers INTERNAL_TRANSFER; futures income: REALIZED_PNL and the
settlements -> REALISED_PNL, FUNDING_FEE -> FUNDING, COMMISSION -> FEE, rebates and bonuses ->
BONUS, TRANSFER -> INTERNAL_TRANSFER (it copies the universal transfer), anything else LEDGER.

**Unfinished records** are not stored yet and keep their time uncovered (``Parsed(settled=False)``):
a pending deposit (status 0, 8), a withdrawal not yet completed (0, 2, 4), a convert in progress,
a fiat order processing or refunding, a transfer pending. Final failures (rejected, cancelled,
failed, refunded, expired) are not events.
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

_UTC_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$")


# ------------------------------------------------------------------------------ field helpers


def _text(raw: Raw, name: str, *, required: bool = True) -> str:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"missing field {name!r}")
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
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


def _ms(raw: Raw, name: str) -> int:
    value = raw.get(name)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"missing field {name!r}")
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(f"field {name!r} is not a time")
    ms = int(text)
    if ms <= 0:
        raise ValueError(f"field {name!r} is not a time")
    return ms


def _id(raw: Raw, name: str) -> str:
    """An id exactly as Binance sent it (a JSON integer above 2**53 stays exact)."""
    value = raw.get(name)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"missing field {name!r}")
    if isinstance(value, float | Decimal):
        raise ValueError(f"field {name!r} is not an integer id")  # would have lost digits
    text = str(value).strip()
    if not text:
        raise ValueError(f"missing field {name!r}")
    return text


def utc_text_ms(text: str) -> int:
    """Epoch ms of ``2019-10-12 11:12:02`` (UTC)."""
    match = _UTC_TEXT.match(text.strip())
    if match is None:
        raise ValueError(f"not a Binance time: {text[:40]!r}")
    year, month, day, hour, minute, second, fraction = match.groups()
    seconds = calendar.timegm((int(year), int(month), int(day), int(hour), int(minute), int(second)))
    return seconds * 1000 + int((fraction or "0").ljust(3, "0"))


def plain_raw(raw: Raw, **extra: Any) -> dict[str, Any]:
    """The record as kept in ``raw``: exact decimals as their text, plus what the request named."""
    kept: dict[str, Any] = {}
    for name, value in raw.items():
        kept[name] = decimal_text(value) if isinstance(value, Decimal) else value
    kept.update(extra)
    return kept


def split_subject(subject: str) -> tuple[str, str]:
    """(base, quote) of a trade stream's subject ``BNB/BTC``; ("LUNA", "") for a coin Binance lists
    no pair of any more."""
    base, _, quote = subject.partition("/")
    return base, quote


def symbol_of(subject: str) -> str:
    """The API's symbol of a subject (``BNB/BTC`` -> ``BNBBTC``)."""
    return subject.replace("/", "")


def _dec(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


# ------------------------------------------------------------------------------ trades


def trade(subject: str, *, isolated: bool = False) -> Parser:
    """``myTrades`` (spot or margin) of one pair: the records name the symbol, the stream its split."""
    base, quote = split_subject(subject)
    symbol = symbol_of(subject)
    prefix = "ISOLATED:" if isolated else ""

    def parse(raw: Raw) -> Parsed:
        when = _ms(raw, "time")
        trade_id = _id(raw, "id")
        buyer = raw.get("isBuyer")
        if not isinstance(buyer, bool):
            raise ValueError("field 'isBuyer' is not true or false")
        fee = _num(raw, "commission", required=False)
        fee_asset = _text(raw, "commissionAsset", required=False).upper() if fee not in ("", "0") else ""
        record = NormalizedRecord(
            exchange_id=f"{prefix}{symbol}:{trade_id}",
            timestamp_ms=when,
            kind=TransactionKind.TRADE,
            base=base,
            quote=quote,
            side=Side.BUY if buyer else Side.SELL,
            amount=_num(raw, "qty"),
            price=_num(raw, "price"),
            fee=fee if fee_asset else "",
            fee_currency=fee_asset,
            note=f"{'isolated margin ' if isolated else ''}{symbol}",
            raw=plain_raw(raw, symbol=symbol),
        )
        return Parsed(record, when)

    return parse


# ------------------------------------------------------------------------------ deposits, withdrawals

_DEPOSIT_DONE = frozenset({1, 6})  # 6: "credited but cannot withdraw"
_DEPOSIT_FINAL = frozenset({2, 7})  # rejected, wrong deposit
_WITHDRAWAL_DONE = frozenset({6})
_WITHDRAWAL_FINAL = frozenset({1, 3, 5})  # cancelled, rejected, failure


def _status(raw: Raw) -> int:
    value = raw.get("status")
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    if not text.lstrip("-").isdigit():
        raise ValueError("field 'status' is not a number")
    return int(text)


def deposit(raw: Raw) -> Parsed:
    when = _ms(raw, "insertTime")
    status = _status(raw)
    if status not in _DEPOSIT_DONE:
        return Parsed(None, when, settled=status in _DEPOSIT_FINAL)
    internal = str(raw.get("transferType", "0")) == "1"
    record = NormalizedRecord(
        exchange_id=_id(raw, "id"),
        timestamp_ms=when,
        kind=TransactionKind.DEPOSIT,
        base=_text(raw, "coin").upper(),
        side=Side.IN,
        amount=_num(raw, "amount"),
        network=_text(raw, "network", required=False),
        tx_hash=_text(raw, "txId", required=False),
        note="internal transfer" if internal else "",
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


def withdrawal(raw: Raw) -> Parsed:
    when = utc_text_ms(_text(raw, "applyTime"))
    status = _status(raw)
    if status not in _WITHDRAWAL_DONE:
        return Parsed(None, when, settled=status in _WITHDRAWAL_FINAL)
    coin = _text(raw, "coin").upper()
    fee = _num(raw, "transactionFee", required=False)
    internal = str(raw.get("transferType", "0")) == "1"
    record = NormalizedRecord(
        exchange_id=_id(raw, "id"),
        timestamp_ms=when,
        kind=TransactionKind.WITHDRAWAL,
        base=coin,
        side=Side.OUT,
        amount=_num(raw, "amount"),
        fee=fee if fee not in ("", "0") else "",
        fee_currency=coin if fee not in ("", "0") else "",
        network=_text(raw, "network", required=False),
        tx_hash=_text(raw, "txId", required=False),
        note="internal transfer" if internal else "",
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


# ------------------------------------------------------------------------------ convert, dust


def convert(raw: Raw) -> Parsed:
    """``convert/tradeFlow``: only ``orderStatus`` SUCCESS is a trade (PROCESS, ACCEPT_SUCCESS: not
    final yet; FAIL: none)."""
    when = _ms(raw, "createTime")
    status = _text(raw, "orderStatus").upper()
    if status != "SUCCESS":
        return Parsed(None, when, settled=status == "FAIL")
    given = _num(raw, "fromAmount")
    received = _num(raw, "toAmount")
    if _dec(received) <= 0:
        raise ValueError("field 'toAmount' is not positive")
    record = NormalizedRecord(
        exchange_id=_id(raw, "orderId"),
        timestamp_ms=when,
        kind=TransactionKind.CONVERT,
        base=_text(raw, "toAsset").upper(),
        quote=_text(raw, "fromAsset").upper(),
        amount=received,
        counter_amount=given,
        price=decimal_text(_dec(given) / _dec(received)),
        note="Convert",
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


def flatten_dust(body: Any) -> list[dict[str, Any]]:
    """``asset/dribblet``'s conversions as one record per coin swept, each carrying its
    conversion's ``transId`` and time (the connector pages over these)."""
    if not isinstance(body, Mapping):
        raise ValueError("not a dust log")
    rows: list[dict[str, Any]] = []
    for dribblet in body.get("userAssetDribblets") or []:
        if not isinstance(dribblet, Mapping):
            raise ValueError("not a dust conversion")
        for detail in dribblet.get("userAssetDribbletDetails") or []:
            if not isinstance(detail, Mapping):
                raise ValueError("not a dust conversion detail")
            rows.append(
                {
                    **detail,
                    "detailTransId": detail.get("transId"),
                    "transId": dribblet.get("transId"),
                    "operateTime": dribblet.get("operateTime", detail.get("operateTime")),
                }
            )
    return rows


def dust(raw: Raw) -> Parsed:
    """One coin of a dust conversion into BNB (the docs: "Total transfered BNB amount")."""
    when = _ms(raw, "operateTime")
    asset = _text(raw, "fromAsset").upper()
    received = _num(raw, "transferedAmount")
    given = _num(raw, "amount")
    fee = _num(raw, "serviceChargeAmount", required=False)
    if _dec(received) <= 0:
        raise ValueError("field 'transferedAmount' is not positive")
    record = NormalizedRecord(
        exchange_id=f"{_id(raw, 'transId')}:{asset}",
        timestamp_ms=when,
        kind=TransactionKind.CONVERT,
        base="BNB",
        quote=asset,
        amount=received,
        counter_amount=given,
        price=decimal_text(_dec(given) / _dec(received)),
        fee=fee if fee not in ("", "0") else "",
        fee_currency="BNB" if fee not in ("", "0") else "",
        note="Small assets exchange BNB",
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


# ------------------------------------------------------------------------------ Simple Earn


def earn_flexible(raw: Raw) -> Parsed:
    when = _ms(raw, "time")
    asset = _text(raw, "asset").upper()
    kind = _text(raw, "type").upper()
    product = _text(raw, "projectId", required=False) or _text(raw, "productId", required=False)
    record = NormalizedRecord(
        exchange_id=f"{kind}:{product}:{asset}:{when}",
        timestamp_ms=when,
        kind=TransactionKind.INTEREST,
        base=asset,
        side=Side.IN,
        amount=_num(raw, "rewards"),
        note=f"Simple Earn flexible {kind}",
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


def earn_locked(raw: Raw) -> Parsed:
    when = _ms(raw, "time")
    asset = _text(raw, "asset").upper()
    kind = _text(raw, "type", required=False) or "Locked Rewards"
    position = _text(raw, "positionId", required=False)
    record = NormalizedRecord(
        exchange_id=f"{kind}:{position}:{asset}:{when}",
        timestamp_ms=when,
        kind=TransactionKind.STAKING,
        base=asset,
        side=Side.IN,
        amount=_num(raw, "amount"),
        note=f"Simple Earn locked {kind}",
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


# ------------------------------------------------------------------------------ fiat

_FIAT_DONE = frozenset({"SUCCESSFUL", "FINISHED", "COMPLETED"})
_FIAT_PENDING = frozenset({"PROCESSING", "REFUNDING"})


def _fiat_state(raw: Raw, when: int) -> Parsed | None:
    status = _text(raw, "status").upper()
    if status in _FIAT_DONE:
        return None
    return Parsed(None, when, settled=status not in _FIAT_PENDING)


def fiat_order(kind: TransactionKind) -> Parser:
    """``fiat/orders`` (``transactionType`` 0 deposits, 1 withdrawals): ``amount`` and
    ``totalFee`` in ``fiatCurrency``."""
    side = Side.IN if kind is TransactionKind.DEPOSIT else Side.OUT

    def parse(raw: Raw) -> Parsed:
        when = _ms(raw, "createTime")
        state = _fiat_state(raw, when)
        if state is not None:
            return state
        currency = _text(raw, "fiatCurrency").upper()
        fee = _num(raw, "totalFee", required=False)
        record = NormalizedRecord(
            exchange_id=_id(raw, "orderNo"),
            timestamp_ms=when,
            kind=kind,
            base=currency,
            side=side,
            amount=_num(raw, "amount"),
            fee=fee if fee not in ("", "0") else "",
            fee_currency=currency if fee not in ("", "0") else "",
            note=_text(raw, "method", required=False),
            raw=plain_raw(raw),
        )
        return Parsed(record, when)

    return parse


def card_payment(side: Side) -> Parser:
    """``fiat/payments`` (``transactionType`` 0 buys, 1 sells): ``obtainAmount`` of
    ``cryptoCurrency`` at ``price`` ``fiatCurrency``; ``sourceAmount`` includes ``totalFee``."""

    def parse(raw: Raw) -> Parsed:
        when = _ms(raw, "createTime")
        state = _fiat_state(raw, when)
        if state is not None:
            return state
        fiat = _text(raw, "fiatCurrency").upper()
        fee = _num(raw, "totalFee", required=False)
        method = _text(raw, "paymentMethod", required=False)
        record = NormalizedRecord(
            exchange_id=_id(raw, "orderNo"),
            timestamp_ms=when,
            kind=TransactionKind.TRADE,
            base=_text(raw, "cryptoCurrency").upper(),
            quote=fiat,
            side=side,
            amount=_num(raw, "obtainAmount"),
            price=_num(raw, "price"),
            fee=fee if fee not in ("", "0") else "",
            fee_currency=fiat if fee not in ("", "0") else "",
            note=" ".join(p for p in ("card purchase" if side is Side.BUY else "card sale", method) if p),
            raw=plain_raw(raw),
        )
        return Parsed(record, when)

    return parse


# ------------------------------------------------------------------------------ transfers


def transfer(raw: Raw) -> Parsed:
    """``asset/transfer`` (status CONFIRMED, PENDING or FAILED). The side is seen from the spot
    wallet ("MAIN"): out of it, into it, or neither."""
    when = _ms(raw, "timestamp")
    status = _text(raw, "status", required=False).upper() or "CONFIRMED"
    if status != "CONFIRMED":
        return Parsed(None, when, settled=status == "FAILED")
    kind = _text(raw, "type").upper()
    source, _, target = kind.partition("_")
    side = Side.OUT if source == "MAIN" else (Side.IN if target == "MAIN" else Side.NONE)
    record = NormalizedRecord(
        exchange_id=_id(raw, "tranId"),
        timestamp_ms=when,
        kind=TransactionKind.INTERNAL_TRANSFER,
        base=_text(raw, "asset").upper(),
        side=side,
        amount=_num(raw, "amount"),
        note=kind,
        raw=plain_raw(raw),
    )
    return Parsed(record, when)


# ------------------------------------------------------------------------------ futures income

_PNL_TYPES = frozenset({"REALIZED_PNL", "INSURANCE_CLEAR", "DELIVERED_SETTELMENT", "DELIVERED_SETTLEMENT"})
_BONUS_TYPES = frozenset(
    {
        "WELCOME_BONUS",
        "REFERRAL_KICKBACK",
        "COMMISSION_REBATE",
        "API_REBATE",
        "CONTEST_REWARD",
        "FEE_RETURN",
        "BFUSD_REWARD",
    }
)


def income(raw: Raw) -> Parsed:
    """``fapi/v1/income`` or ``dapi/v1/income``: ``income`` is the signed change of the asset."""
    when = _ms(raw, "time")
    kind = _text(raw, "incomeType").upper()
    asset = _text(raw, "asset").upper()
    change = _num(raw, "income")
    symbol = _text(raw, "symbol", required=False)
    negative = change.startswith("-")
    common: dict[str, Any] = {
        "exchange_id": f"{kind}:{_id(raw, 'tranId')}",
        "timestamp_ms": when,
        "base": asset,
        "note": " ".join(p for p in (kind, symbol) if p),
        "raw": plain_raw(raw),
    }
    if kind in _PNL_TYPES:
        record = NormalizedRecord(kind=TransactionKind.REALISED_PNL, amount=change, pnl=change, **common)
    elif kind == "FUNDING_FEE":
        side = Side.OUT if negative else Side.IN
        record = NormalizedRecord(
            kind=TransactionKind.FUNDING, side=side, amount=change.lstrip("-"), **common
        )
    elif kind == "COMMISSION":
        # FEE: "amount paid (negative: refunded)", the opposite sign of the balance change.
        record = NormalizedRecord(
            kind=TransactionKind.FEE, side=Side.OUT, amount=decimal_text(-_dec(change)), **common
        )
    elif kind in _BONUS_TYPES:
        record = NormalizedRecord(kind=TransactionKind.BONUS, amount=change, **common)
    elif kind == "TRANSFER":
        side = Side.OUT if negative else Side.IN
        record = NormalizedRecord(
            kind=TransactionKind.INTERNAL_TRANSFER,
            side=side,
            amount=change.lstrip("-"),
            mirror_of="transfers",
            **common,
        )
    else:
        side = Side.OUT if negative else Side.IN
        record = NormalizedRecord(kind=TransactionKind.LEDGER, side=side, amount=change, **common)
    return Parsed(record, when)
