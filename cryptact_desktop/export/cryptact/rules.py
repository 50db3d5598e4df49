"""Which custom-file rows one stored entry becomes: a rule per entry kind (``records.TransactionKind``).

Nothing here reads a venue's raw fields or names a venue or an endpoint: the entry says what it is
(its kind and amounts), whether it copies an event another endpoint lists (``mirror_of``), and the
catalogue says which endpoint supersedes which (``EndpointInfo.superseded_by``). See
``docs/cryptact-mapping.md`` for the evidence behind each rule.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptact_desktop.export.cryptact.format import (
    FIAT_CURRENCIES,
    ZERO_PRICE_ACTIONS,
    ExportRow,
    Skipped,
    cryptact_symbol,
    format_timestamp,
    sanitize_text,
    trace_of,
)
from cryptact_desktop.i18n import translate
from cryptact_desktop.records import Side, TransactionKind, decimal_text
from cryptact_desktop.state import TransactionView
from cryptact_desktop.transfers.book import Role
from cryptact_desktop.transfers.classes import TransferClass

Range = tuple[int, int]
Rule = tuple[str, str, str]  # (rule name shown in the report, Cryptact action, Comment tag)


def _t(text: str) -> str:
    return translate("export_cryptact", text)


@dataclass(frozen=True, slots=True)
class KeySources:
    """What one key has synced, which decides the one source of truth per event.

    ``synced``: endpoints enabled on the key or holding records. ``covered``: per endpoint that
    supersedes another, its merged covered time ranges (API sync and imported files).
    ``superseded_by``: endpoint -> the endpoint that lists its events with more detail.
    ``names``: endpoint -> display name (for the reasons and warnings).
    """

    exchange: str = ""
    synced: frozenset[str] = frozenset()
    covered: Mapping[str, tuple[Range, ...]] = field(default_factory=dict)
    superseded_by: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)

    def covers(self, endpoint: str, timestamp_ms: int) -> bool:
        ranges = self.covered.get(endpoint, ())
        index = bisect_right(ranges, (timestamp_ms, 2**63)) - 1
        return index >= 0 and ranges[index][1] >= timestamp_ms

    def name(self, endpoint: str) -> str:
        return self.names.get(endpoint, endpoint)


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _fmt(number: Decimal) -> str:
    return decimal_text(number)


_BUY, _SELL = Side.BUY.value, Side.SELL.value
_BUY_OR_SELL = frozenset({_BUY, _SELL})
_CANONICAL_POSITIVE = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")


def _positive(text: str) -> str | None:
    """Decimal text of a number above zero, canonical (no exponent, sign or trailing zeros), or None.
    Stored amounts are canonical already, so the common case is a regex match, not a Decimal."""
    if text != "0" and _CANONICAL_POSITIVE.fullmatch(text) is not None:
        return text
    number = _dec(text)
    return _fmt(number) if number is not None and number > 0 else None


def _tag(*parts: str) -> str:
    return " ".join(part for part in parts if part)


class _Rows:
    """Builds the rows of one entry (same timestamp, source and trace)."""

    def __init__(
        self,
        view: TransactionView,
        exchange_name: str,
        tz: tzinfo,
        fiat: str,
        exchange: str,
        stamp: Callable[[int], str] | None = None,
    ):
        self.view = view
        self.source = sanitize_text(exchange_name) or "Exchange"
        self.timestamp = (
            stamp(view.timestamp_ms) if stamp is not None else format_timestamp(view.timestamp_ms, tz)
        )
        self.fiat = fiat
        self.trace = trace_of(exchange, view.endpoint, view.exchange_id)

    def row(
        self,
        rule: str,
        action: str,
        base: str,
        volume: Decimal | str,
        *,
        price: str = "",
        counter: str = "",
        fee: Decimal | str | None = None,
        fee_ccy: str = "",
        note: str = "",
    ) -> ExportRow:
        """One row; ``volume`` and ``fee`` are numbers, or canonical decimal text as stored."""
        comment = self.trace if not note else f"{self.trace} {sanitize_text(note)}"
        return ExportRow(
            Timestamp=self.timestamp,
            Action=action,
            Source=self.source,
            Base=cryptact_symbol(base),
            Volume=volume if isinstance(volume, str) else _fmt(volume),
            Price=price,
            Counter=cryptact_symbol(counter or self.fiat),
            Fee=(fee if isinstance(fee, str) else _fmt(fee)) if fee else "0",
            FeeCcy=cryptact_symbol(fee_ccy or counter or self.fiat),
            Comment=comment,
            timestamp_ms=self.view.timestamp_ms,
            rule=rule,
        )

    def income(self, rule: str, action: str, coin: str, amount: Decimal, note: str) -> ExportRow | Skipped:
        """A row priced by Cryptact: Price blank, Counter the user's fiat, Fee 0."""
        if not coin.strip():
            return Skipped(_t("record without a currency"))
        if cryptact_symbol(coin) == self.fiat:
            return Skipped(_t("amount in your fiat currency: enter it by hand as CASH if it counts"))
        price = "0" if action in ZERO_PRICE_ACTIONS else ""  # LOSS: at book price, Price 0
        return self.row(rule, action, coin, abs(amount), price=price, note=note)


def _collect(items: Iterable[ExportRow | Skipped], empty: Skipped) -> list[ExportRow] | Skipped:
    rows: list[ExportRow] = []
    first_skip: Skipped | None = None
    for item in items:
        if isinstance(item, Skipped):
            first_skip = first_skip or item
        else:
            rows.append(item)
    if rows:
        return rows
    return first_skip or empty


def _no_change() -> Skipped:
    return Skipped(_t("no balance change"))


def _signed_income(b: _Rows, coin: str, amount: Decimal, gain: Rule, loss: Rule) -> ExportRow | Skipped:
    """A BONUS-like row for a positive amount, a LOSS-like row for a negative one."""
    if amount == 0:
        return _no_change()
    rule, action, note = gain if amount > 0 else loss
    return b.income(rule, action, coin, amount, note)


def _funding_rules(tag: str = "") -> tuple[Rule, Rule]:
    return (
        (_t("funding received → BONUS"), "BONUS", _tag(tag, "funding-received judgement")),
        (_t("funding paid → LOSS"), "LOSS", _tag(tag, "funding-paid judgement")),
    )


# --------------------------------------------------------------------------- rules per kind


def _trade(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    if view.side not in _BUY_OR_SELL:
        return Skipped(_t("trade without a buy or sell side"))
    if not view.quote:
        return Skipped(_t("trade whose quote currency is unknown"))
    if not view.base or cryptact_symbol(view.base) == cryptact_symbol(view.quote):
        return Skipped(_t("trade without two different currencies"))
    volume, price = _positive(view.amount), _positive(view.price)
    if volume is None or price is None:
        return Skipped(_t("trade without a positive amount and price"))
    fee_ccy = view.fee_currency or view.quote
    if view.side == _BUY:
        rule, action = _t("spot buy → BUY"), "BUY"
    else:
        rule, action = _t("spot sell → SELL"), "SELL"
    paid = _positive(view.fee)
    rows = [
        b.row(
            rule,
            action,
            view.base,
            volume,
            price=price,
            counter=view.quote,
            fee=paid,
            fee_ccy=fee_ccy if paid else view.quote,
            note=view.note,
        )
    ]
    fee = Decimal(0) if paid or not view.fee else (_dec(view.fee) or Decimal(0))
    if fee < 0:
        rebate = b.income(_t("trading fee rebate → BONUS"), "BONUS", fee_ccy, fee, "fee-rebate")
        if isinstance(rebate, ExportRow):
            rows.append(rebate)
    return rows


def _convert(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    to_coin, from_coin = view.base, view.quote
    to_amount = _dec(view.amount)
    from_amount = _dec(view.counter_amount)
    price = _dec(view.price)
    if from_amount is None and to_amount is not None and price is not None:
        from_amount = to_amount * price  # the stored price is counter_amount / amount
    if not to_coin or not from_coin or cryptact_symbol(to_coin) == cryptact_symbol(from_coin):
        return Skipped(_t("convert without two different coins"))
    if to_amount is None or to_amount <= 0 or from_amount is None or from_amount <= 0:
        return Skipped(_t("convert without positive amounts"))
    to_fiat = cryptact_symbol(to_coin) in FIAT_CURRENCIES
    from_fiat = cryptact_symbol(from_coin) in FIAT_CURRENCIES
    if to_fiat and not from_fiat:
        return [
            b.row(
                _t("convert into fiat → SELL"),
                "SELL",
                from_coin,
                from_amount,
                price=_fmt(to_amount / from_amount),
                counter=to_coin,
                note="convert",
            )
        ]
    return [
        b.row(
            _t("convert → BUY"),
            "BUY",
            to_coin,
            to_amount,
            price=_fmt(from_amount / to_amount),
            counter=from_coin,
            note="convert",
        )
    ]


def _net(b: _Rows, coin: str, change: Decimal, tag: str) -> list[ExportRow] | Skipped:
    gain = (_t("ledger net gain → BONUS"), "BONUS", _tag(tag, "net judgement"))
    loss = (_t("ledger net loss → LOSS"), "LOSS", _tag(tag, "net judgement"))
    return _collect([_signed_income(b, coin, change, gain, loss)], _no_change())


def _realised_pnl(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    """A margin balance change: realised P&L, funding and fee, each as BONUS or LOSS.

    ``amount = pnl + funding - fee``; when the parts are missing or do not add up, the net amount
    is exported instead, so the total always equals the balance change.
    """
    coin, tag = view.base, view.note
    change = _dec(view.amount) or Decimal(0)
    parts = [_dec(view.pnl), _dec(view.funding), _dec(view.fee)]
    if all(part is None for part in parts):
        return _net(b, coin, change, tag)
    pnl, funding, fee = (part or Decimal(0) for part in parts)
    if pnl + funding - fee != change:
        return _net(b, coin, change, tag)
    items: list[ExportRow | Skipped] = []
    if pnl:
        profit = (_t("derivative profit → BONUS"), "BONUS", _tag(tag, "pnl"))
        loss = (_t("derivative loss → LOSS"), "LOSS", _tag(tag, "pnl"))
        items.append(_signed_income(b, coin, pnl, profit, loss))
    if funding:
        received, paid = _funding_rules(tag)
        items.append(_signed_income(b, coin, funding, received, paid))
    if fee:
        # A positive fee is an expense (LOSS), a negative one a rebate (BONUS).
        rebate = (_t("trading fee rebate → BONUS"), "BONUS", _tag(tag, "fee-rebate"))
        expense = (_t("derivative trading fee → LOSS"), "LOSS", _tag(tag, "fee judgement"))
        items.append(_signed_income(b, coin, -fee, rebate, expense))
    return _collect(items, _no_change())


def _funding(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    amount = abs(_dec(view.amount) or Decimal(0))
    signed = -amount if view.side == Side.OUT.value else amount
    received, paid = _funding_rules(view.note)
    return _collect([_signed_income(b, view.base, signed, received, paid)], _no_change())


def _interest(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    amount = _dec(view.amount) or Decimal(0)
    gain = (_t("interest received → LENDING"), "LENDING", view.note or "interest")
    loss = (_t("borrowing interest paid → LOSS"), "LOSS", "borrow-interest judgement")
    return _collect([_signed_income(b, view.base, amount, gain, loss)], _no_change())


def _staking(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    amount = _dec(view.amount) or Decimal(0)
    gain = (_t("staking reward → STAKING"), "STAKING", view.note or "staking")
    loss = (_t("staking penalty → LOSS"), "LOSS", _tag(view.note or "staking", "judgement"))
    return _collect([_signed_income(b, view.base, amount, gain, loss)], _no_change())


def _bonus(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    amount = _dec(view.amount) or Decimal(0)
    note = view.note or "bonus"
    gain = (_t("airdrop or bonus → BONUS"), "BONUS", note)
    loss = (_t("bonus taken back → LOSS"), "LOSS", _tag(note, "judgement"))
    return _collect([_signed_income(b, view.base, amount, gain, loss)], _no_change())


def _fee(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    """A fee not part of another entry: coins paid away without a trade (LOSS), or refunded."""
    amount = _dec(view.amount) or Decimal(0)
    coin = view.fee_currency or view.base
    paid = (_t("fee paid → LOSS"), "LOSS", _tag(view.note, "fee judgement"))
    refund = (_t("fee refund → BONUS"), "BONUS", _tag(view.note, "fee-refund"))
    return _collect([_signed_income(b, coin, -amount, refund, paid)], _no_change())


def _withdrawal(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    fee = _dec(view.fee) or Decimal(0)
    if fee <= 0:
        return Skipped(_t("withdrawal without a fee: a transfer, not a taxable event"))
    coin = view.fee_currency or view.base
    rule = _t("withdrawal fee → SENDFEE")
    return _collect([b.income(rule, "SENDFEE", coin, fee, "withdrawal-fee")], _no_change())


def _sent_fee(b: _Rows, view: TransactionView, tag: str) -> ExportRow | None:
    """The SENDFEE row of a withdrawal's fee (None: no fee)."""
    fee = _dec(view.fee) or Decimal(0)
    if fee <= 0:
        return None
    row = b.income(_t("withdrawal fee → SENDFEE"), "SENDFEE", view.fee_currency or view.base, fee, tag)
    return row if isinstance(row, ExportRow) else None


# An outgoing transfer the user classified: (rule, Cryptact action, Comment tag) of its amount.
_CLASS_RULES: dict[str, Callable[[], Rule]] = {
    TransferClass.SOLD.value: lambda: (_t("sold or paid with → PAY"), "PAY", "transfer-sold judgement"),
    TransferClass.GIFT.value: lambda: (_t("given away → REDUCE"), "REDUCE", "transfer-gift judgement"),
    TransferClass.LOST.value: lambda: (_t("lost or stolen → LOSS"), "LOSS", "transfer-lost judgement"),
}


def _transfer(b: _Rows, view: TransactionView, role: str) -> list[ExportRow] | Skipped | None:
    """A withdrawal or a deposit by its part in a transfer (None: the kind's own rule applies).

    An own transfer (matched, or classified "to my other wallet") is only its network fee; a
    transfer the user says was a sale, a gift or a loss is that, plus the fee."""
    if role == Role.OWN_RECEIVED:
        return Skipped(_t("own transfer received from another of your keys or wallets: not a taxable event"))
    if role in (Role.OWN_SENT, TransferClass.OWN.value):
        fee = _sent_fee(b, view, "own-transfer fee")
        return [fee] if fee is not None else Skipped(_t("own transfer without a fee: not a taxable event"))
    rule = _CLASS_RULES.get(role)
    if rule is None or view.kind != TransactionKind.WITHDRAWAL.value:
        return None
    name, action, tag = rule()
    amount = _dec(view.amount) or Decimal(0)
    if amount == 0:
        return Skipped(_t("transfer of nothing: only its fee"))
    rows = [b.income(name, action, view.base, amount, tag)]
    fee = _sent_fee(b, view, "withdrawal-fee")
    return _collect([*rows, *([fee] if fee is not None else [])], _no_change())


def _without_pnl(view: TransactionView, sources: KeySources) -> Skipped:
    """A derivative fill, settlement or liquidation: its realised P&L comes from elsewhere."""
    source = sources.superseded_by.get(view.endpoint, "")
    if source:
        name = sources.name(source)
        return Skipped(
            _t("derivative trade outside the synced {endpoint}: its realised P&L is only there").format(
                endpoint=name
            ),
            warning=_t(
                "{count} derivative executions have no realised P&L in this file: enable and sync the"
                " {endpoint} endpoint for those keys."
            ).replace("{endpoint}", name),
        )
    return Skipped(_t("derivative trade without its realised P&L: the venue does not report it"))


def map_transaction(
    view: TransactionView,
    *,
    exchange_name: str,
    tz: tzinfo = UTC,
    fiat: str = "JPY",
    sources: KeySources | None = None,
    stamp: Callable[[int], str] | None = None,
    transfer: str = "",
) -> list[ExportRow] | Skipped:
    """The custom-file rows of one stored entry, or why it has none (see docs/cryptact-mapping.md).

    ``exchange_name`` goes in the Source column; ``sources`` says what the entry's key has synced
    (which endpoint is the one source of truth for which events); ``transfer`` is the entry's part
    in a transfer (:meth:`cryptact_desktop.transfers.book.TransferBook.role`).
    """
    sources = sources or KeySources()
    b = _Rows(view, exchange_name, tz, fiat, sources.exchange or "exchange", stamp)
    kind = view.kind
    if view.mirror_of:
        target = sources.name(view.mirror_of)
        if view.mirror_of in sources.synced:
            return Skipped(
                _t("a copy of an entry of {endpoint}: exported from there").format(endpoint=target)
            )
        return Skipped(
            _t("listed only as a copy of {endpoint}: enable the {endpoint} endpoint to export it").format(
                endpoint=target
            ),
            warning=_t(
                "{count} entries appear only as copies of {endpoint} and are not in this file: enable and"
                " sync the {endpoint} endpoint."
            ).replace("{endpoint}", target),
        )
    source = sources.superseded_by.get(view.endpoint, "")
    if source and sources.covers(source, view.timestamp_ms):
        return Skipped(
            _t("derivative execution: its P&L, fee and funding are exported from {endpoint}").format(
                endpoint=sources.name(source)
            )
        )
    if transfer:
        moved = _transfer(b, view, transfer)
        if moved is not None:
            return moved
    rule = _RULES.get(kind)
    if rule is not None:
        return rule(b, view)
    if kind in _WITHOUT_PNL:
        return _without_pnl(view, sources)
    if kind == _LEDGER:
        return Skipped(_t("ledger entry ({note}): no export rule").format(note=view.note or "?"))
    if kind in _NOT_TAXABLE:
        return Skipped(_NOT_TAXABLE[kind]())
    return Skipped(_t("record of kind {kind}: no export rule").format(kind=kind or "?"))


_RULES: dict[str, Callable[[_Rows, TransactionView], list[ExportRow] | Skipped]] = {
    TransactionKind.TRADE.value: _trade,
    TransactionKind.CONVERT.value: _convert,
    TransactionKind.REALISED_PNL.value: _realised_pnl,
    TransactionKind.FUNDING.value: _funding,
    TransactionKind.INTEREST.value: _interest,
    TransactionKind.STAKING.value: _staking,
    TransactionKind.BONUS.value: _bonus,
    TransactionKind.FEE.value: _fee,
    TransactionKind.WITHDRAWAL.value: _withdrawal,
}
_WITHOUT_PNL = frozenset(
    {
        TransactionKind.DERIVATIVE_TRADE.value,
        TransactionKind.SETTLEMENT.value,
        TransactionKind.LIQUIDATION.value,
    }
)
_LEDGER = TransactionKind.LEDGER.value
# Kinds that are not taxable events, and why (translated when shown).
_NOT_TAXABLE: dict[str, Callable[[], str]] = {
    TransactionKind.DEPOSIT.value: lambda: _t("deposit: a transfer, not a taxable event"),
    TransactionKind.INTERNAL_TRANSFER.value: lambda: _t(
        "transfer between your own accounts: not a taxable event"
    ),
    TransactionKind.EARN.value: lambda: _t("earn subscription or redemption: your own coins move, no P&L"),
}
