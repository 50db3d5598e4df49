"""Export stored transactions as a Cryptact custom file (the "Custom" upload box).

The format (help center article 360002571312, upload errors 24531220135065) is a CSV with the
exact header ``Timestamp,Action,Source,Base,Volume,Price,Counter,Fee,FeeCcy,Comment``. Every
row is checked by :func:`validate_rows` before it is written; one invalid row aborts the export
and nothing is replaced.

Which Cryptact action each stored record becomes
------------------------------------------------

"Evidence" cites Cryptact's help center (support.cryptact.com/hc/…/articles/<id>).
"Judgement" marks a rule that no source states for this case: it is our reading, and the row's
Comment carries a tag so the user can find these rows. *Income rows* (BONUS, LENDING, STAKING,
LOSS, SENDFEE) are written with Price blank, Counter = the user's fiat (``JPY`` by default),
Fee ``0`` and FeeCcy = that fiat: a blank price with a fiat counter makes Cryptact look up the
market price (360002571312, column F).

============================  =====================================  =================================
Stored record                 Cryptact row(s)                        Evidence
============================  =====================================  =================================
spot trade (executions)       BUY / SELL Base, Volume = qty, Price   360002571312 (BUY/SELL; Fee and
                              in Counter = quote; Fee in its own     FeeCcy are separate columns, so
                              currency (base or quote, as Bybit      the fee stays in the coin Bybit
                              charged it)                            charged).
spot maker rebate (fee < 0)   the trade with Fee 0, plus BONUS of    Judgement (a rebate is received
                              the rebate                             coins; Fee is never negative).
convert                       BUY toCoin, Counter = fromCoin,        360002571312 §16 "SWAP" (crypto
                              Price = fromAmount / toAmount, Fee 0   for crypto is a trade).
convert into fiat             SELL fromCoin, Counter = the fiat      Judgement (Base must not be fiat).
derivative realised P&L       BONUS (profit) / LOSS (loss) of the    40609271901721 (BONUS: "Profits
(ledger ``cashFlow`` of       settlement coin                        from cryptocurrency-denominated
TRADE, SETTLEMENT, DELIVERY,                                         margin trading", LOSS: "Losses
LIQUIDATION, ADL rows)                                               from … margin trading"); JP
                                                                     360002571312 §11 "証拠金の増減に
                                                                     着目したデリバティブ取引の損益".
funding received / paid       BONUS / LOSS of the settlement coin    Same as above (funding changes the
                                                                     margin balance); JP 360002571312
                                                                     §8 lists "Funding" under BONUS.
                                                                     Judgement for "paid → LOSS".
derivative trading fee        LOSS of the fee (a rebate: BONUS)      Judgement (margin-decrease rule).
ledger row whose parts do     one BONUS / LOSS of the net change     Judgement (the exported total then
not add up to ``change``                                             equals the balance change).
earn yield (Flexible Savings) LENDING                                12814753146777 (LENDING: "lending
                                                                     interest"); Flexible Savings lends
                                                                     the coins to borrowers.
earn yield, on-chain/staking  STAKING                                12814753146777 (staking reward).
earn bonus yield              BONUS                                  Judgement (promotional yield).
ledger INTEREST > 0 / < 0     LENDING / LOSS (borrowing interest)    Judgement for the LOSS side.
airdrop, bonus, fee refund    BONUS                                  12814753146777 (airdrop, campaign).
bonus taken back (< 0)        LOSS                                   Judgement.
withdrawal with a fee         SENDFEE of the fee (the withdrawal     12814753146777 (transfers are not
                              itself is not exported)                needed; fees as SENDFEE).
deposit, withdrawal w/o fee,  not exported                           12814753146777, 360002571312
internal transfer                                                    ("transfers between your own
                                                                     accounts do not need to be
                                                                     included").
earn subscribe / redeem       not exported                           Judgement (own coins move; LEND /
                                                                     RECOVER would need the complete
                                                                     subscription history).
============================  =====================================  =================================

One source of truth per event (no double counting)
--------------------------------------------------

* Spot trades come from the spot executions only. The unified-account ledger
  (``transaction_log``) also lists every spot trade, one row per currency leg: those rows are
  skipped (and counted separately when the key has no Spot endpoint, so the gap is visible).
* Ledger rows read from Bybit's export file have no ``category``; it is inferred from the
  symbol and amounts (:func:`_ledger_category`, judgement) and the file's period counts as ledger
  coverage (table ``file_coverage``).
* Converts come from the Convert history only; the ledger's CONVERT / CURRENCY_BUY /
  CURRENCY_SELL legs are skipped the same way.
* Derivatives (linear, inverse, option): **the ledger wins wherever it has been synced** (its
  covered time ranges, per key). An execution inside that coverage is skipped because the
  ledger row of the same event carries the realised P&L, the fee and the funding. Outside it,
  funding executions are exported (BONUS / LOSS) but trade, settlement and liquidation
  executions are skipped: Bybit's executions carry no realised P&L, so without the ledger it
  cannot be computed (the report warns and names the endpoint to enable).

Timestamps, watermark and file encoding
---------------------------------------

* ``Timestamp`` is ``YYYY/MM/DD HH:mm:ss`` in the time zone the user picks (and must pick again
  on Cryptact's upload screen); milliseconds are dropped.
* Cryptact takes from a re-upload **only rows after the newest timestamp already uploaded**, at
  second precision. Mode ``"new"`` therefore exports the rows whose *second* is after the
  remembered watermark (setting ``export.cryptact.watermark_ms``, the newest exported row), so a
  row in the same second as the watermark is never split across files. After a successful
  export the watermark moves to the newest exported row and ``export.cryptact.last_export_ms``
  to now. Rows synced later but dated at or before the watermark (back-filled) cannot reach
  Cryptact through a delta file: the report warns with their count. Mode ``"all"`` writes
  everything (to replace the custom upload in Cryptact).
* The file is UTF-8 **without** a byte-order mark, CRLF line ends (RFC 4180), and every cell is
  plain ASCII (comments and the source are reduced to ASCII). Cryptact does not document the
  encoding; an ASCII file reads the same as UTF-8, Shift_JIS or cp1252, whereas a BOM would put
  three bytes before ``Timestamp`` that a strict header check could reject. No cell ever needs
  CSV quoting (no commas, quotes or line breaks are written).
* Each row's Comment starts with a trace ``<exchange>:<endpoint>:<exchange record id>``
  (:func:`parse_trace`), so every row leads back to its stored record. Comment tags after the
  trace are fixed ASCII words, not translated, because they end up in the user's Cryptact data.

Known gaps
----------

* Derivative history only in Bybit's legacy ``contract-transaction-log`` (classic accounts,
  UTA 1.0 inverse) is not synced, so neither source covers it.
* Cryptact never links custom rows to its own API or file imports: a user who also connects
  Bybit inside Cryptact gets everything twice.
* The symbol table is short (see :data:`CRYPTACT_SYMBOLS`); an unsupported coin becomes an
  "invalid transaction" in Cryptact, not an upload error.

Only :class:`TransactionView` values and their raw exchange records are read; no secret is ever
available here.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import inspect, select, text

from cryptact_desktop.i18n import translate
from cryptact_desktop.models import TransactionRow
from cryptact_desktop.records import Side, TransactionKind, decimal_text
from cryptact_desktop.state import KeyConfig, TransactionFilter, TransactionView
from cryptact_desktop.store import Store, merge_ranges, transaction_view
from cryptact_desktop.venues.bybit.normalize import split_spot_symbol
from cryptact_desktop.venues.registry import venue_info

HEADER: tuple[str, ...] = (
    "Timestamp",
    "Action",
    "Source",
    "Base",
    "Volume",
    "Price",
    "Counter",
    "Fee",
    "FeeCcy",
    "Comment",
)

# The "Action column in the custom file" table (360002571312, 12814753146777). DEFIFEE is listed
# by the custom-file article's case 17 ("Fees resulting from DeFi").
ACTIONS: frozenset[str] = frozenset(
    {
        "BUY", "SELL", "PAY", "MINING", "SENDFEE", "TIP", "REDUCE", "BONUS", "LENDING", "STAKING",
        "LEND", "RECOVER", "BORROW", "RETURN", "LOSS", "LEVELUP", "CASH", "DEFIFEE",
    }
)  # fmt: skip

# Fiat counters for which Cryptact looks a blank price up (Japan, Canada and India editions).
FIAT_CURRENCIES: frozenset[str] = frozenset({"JPY", "USD", "EUR", "GBP", "CAD", "AUD", "INR"})

# Exchange symbol -> Cryptact symbol, where they differ. Only verified entries: ``XBT`` is the
# Kraken/BitMEX name of Bitcoin (Cryptact/crypto-db maps it to BTC). Bybit's V5 coin names
# matched Cryptact's for every coin we checked; extend this table against
# grid.cryptact.com/coins when a difference is found.
CRYPTACT_SYMBOLS: Mapping[str, str] = {"XBT": "BTC", "XXBT": "BTC"}

WATERMARK_SETTING = "export.cryptact.watermark_ms"
LAST_EXPORT_SETTING = "export.cryptact.last_export_ms"

Mode = Literal["all", "new"]
Range = tuple[int, int]

_DERIVATIVE_ENDPOINTS = frozenset({"linear", "inverse", "option"})
_LEDGER_ENDPOINT = "transaction_log"
_LEDGER_PNL_TYPES = frozenset({"TRADE", "SETTLEMENT", "DELIVERY", "LIQUIDATION", "ADL"})
_LEDGER_CONVERT_TYPES = frozenset({"CONVERT", "CURRENCY_BUY", "CURRENCY_SELL"})
_NUMBER = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
_TIMESTAMP = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
_UNSAFE_TEXT = re.compile(r"[^ -~]|['\"\\,]")
_CUSTOM_COIN = re.compile(r"USER-[A-Z0-9#]{1,120}")
_UNSAFE_CELL = re.compile(r"[,\"\r\n]")
_MAX_PROBLEMS = 200


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One line of the custom file (the capitalised fields are its columns, in order).

    ``timestamp_ms`` and ``rule`` are not written: they order the rows and count the rules.
    """

    Timestamp: str
    Action: str
    Source: str
    Base: str
    Volume: str
    Price: str
    Counter: str
    Fee: str
    FeeCcy: str
    Comment: str
    timestamp_ms: int = field(default=0, compare=False)
    rule: str = field(default="", compare=False)

    def cells(self) -> tuple[str, ...]:
        return (
            self.Timestamp,
            self.Action,
            self.Source,
            self.Base,
            self.Volume,
            self.Price,
            self.Counter,
            self.Fee,
            self.FeeCcy,
            self.Comment,
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    """A stored record that produces no row, and why (shown to the user, counted per reason)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Problem:
    """A cell Cryptact would reject. ``line`` is the file line (the header is line 1)."""

    line: int
    column: str
    message: str
    value: str = ""
    record: str = ""  # the trace of the stored record the row came from (exports only)

    def __str__(self) -> str:
        where = f"{self.line}" + (f", {self.column}" if self.column else "")
        shown = f" ({self.value[:60]!r})" if self.value else ""
        source = f" [{self.record}]" if self.record else ""
        return f"{where}: {self.message}{shown}{source}"


@dataclass(frozen=True, slots=True)
class KeySources:
    """What a key has synced, which decides the one source of truth per event type.

    ``ledger_covered``: merged inclusive time ranges of the unified-account ledger stream.
    """

    exchange: str = "bybit"
    ledger_covered: tuple[Range, ...] = ()
    has_spot: bool = True
    has_convert: bool = True

    def ledger_covers(self, timestamp_ms: int) -> bool:
        index = bisect_right(self.ledger_covered, (timestamp_ms, 2**63)) - 1
        return index >= 0 and self.ledger_covered[index][1] >= timestamp_ms


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export did. ``path`` is None when no file was written (problems, or no rows)."""

    path: Path | None
    mode: Mode
    time_zone: str
    records_read: int
    rows_written: int
    skipped: Mapping[str, int]
    rules: Mapping[str, int]
    warnings: tuple[str, ...]
    problems: tuple[Problem, ...] = ()
    problem_count: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    watermark_ms: int | None = None
    backfilled: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def summary_lines(self) -> list[str]:
        """Plain lines for the CLI and the GUI's result dialog."""
        lines = [
            translate("export_cryptact", "Rows written: {rows} (from {records} stored records)").format(
                rows=self.rows_written, records=self.records_read
            )
        ]
        lines += [f"  {rule}: {count}" for rule, count in sorted(self.rules.items())]
        if self.skipped:
            lines.append(translate("export_cryptact", "Not exported:"))
            lines += [f"  {reason}: {count}" for reason, count in sorted(self.skipped.items())]
        lines += [translate("export_cryptact", "WARNING: {text}").format(text=w) for w in self.warnings]
        lines += [str(p) for p in self.problems]
        return lines


# --------------------------------------------------------------------------- helpers


def cryptact_symbol(symbol: str) -> str:
    """The exchange's coin name as Cryptact spells it."""
    clean = symbol.strip()
    return CRYPTACT_SYMBOLS.get(clean, clean)


def sanitize_text(text: str) -> str:
    """Reduce free text to characters safe in every cell: printable ASCII without ``'"\\,``."""
    return _UNSAFE_TEXT.sub("_", text).strip()


def trace_of(exchange: str, endpoint: str, exchange_id: str) -> str:
    """The Comment prefix that leads back to a stored record: ``bybit:spot:<id>``."""
    return sanitize_text(f"{exchange}:{endpoint}:{exchange_id}").replace(" ", "_")


def parse_trace(comment: str) -> tuple[str, str, str]:
    """(exchange, endpoint, exchange record id) from a Comment written by this module."""
    trace = comment.split(" ", 1)[0]
    parts = trace.split(":", 2)
    if len(parts) != 3:
        raise ValueError(f"not a trace: {trace[:60]!r}")
    return parts[0], parts[1], parts[2]


def format_timestamp(timestamp_ms: int, tz: tzinfo) -> str:
    moment = datetime.fromtimestamp(timestamp_ms // 1000, tz)
    return f"{moment:%Y/%m/%d %H:%M:%S}"


def time_zone_label(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    if isinstance(key, str) and key:
        return key
    name = tz.tzname(datetime.now(UTC))
    return name or "UTC"


def suggest_filename(tz: tzinfo, now: datetime) -> str:
    """``cryptact_custom_2026-11-24_UTC.csv``: the date in ``tz`` and the zone to upload with."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    label = re.sub(r"[^A-Za-z0-9+_-]", "-", time_zone_label(tz))
    return f"cryptact_custom_{now.astimezone(tz):%Y-%m-%d}_{label}.csv"


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


# --------------------------------------------------------------------------- mapping


class _Rows:
    """Builds the rows of one record (same timestamp, source and trace)."""

    def __init__(self, view: TransactionView, exchange_name: str, tz: tzinfo, fiat: str, exchange: str):
        self.view = view
        self.source = sanitize_text(exchange_name) or "Exchange"
        self.timestamp = format_timestamp(view.timestamp_ms, tz)
        self.fiat = fiat
        self.trace = trace_of(exchange, view.endpoint, view.exchange_id)

    def row(
        self,
        rule: str,
        action: str,
        base: str,
        volume: Decimal,
        *,
        price: str = "",
        counter: str = "",
        fee: Decimal | None = None,
        fee_ccy: str = "",
        note: str = "",
    ) -> ExportRow:
        comment = self.trace if not note else f"{self.trace} {sanitize_text(note)}"
        return ExportRow(
            Timestamp=self.timestamp,
            Action=action,
            Source=self.source,
            Base=cryptact_symbol(base),
            Volume=_fmt(volume),
            Price=price,
            Counter=cryptact_symbol(counter or self.fiat),
            Fee=_fmt(fee) if fee else "0",
            FeeCcy=cryptact_symbol(fee_ccy or counter or self.fiat),
            Comment=comment,
            timestamp_ms=self.view.timestamp_ms,
            rule=rule,
        )

    def income(self, rule: str, action: str, coin: str, amount: Decimal, note: str) -> ExportRow | Skipped:
        """A row priced by Cryptact: Price blank, Counter the user's fiat, Fee 0."""
        if not coin.strip():
            return Skipped(translate("export_cryptact", "record without a currency"))
        if cryptact_symbol(coin) == self.fiat:
            return Skipped(
                translate(
                    "export_cryptact", "amount in your fiat currency: enter it by hand as CASH if it counts"
                )
            )
        return self.row(rule, action, coin, abs(amount), note=note)


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
    return Skipped(translate("export_cryptact", "no balance change"))


def _map_spot_trade(b: _Rows, view: TransactionView) -> list[ExportRow] | Skipped:
    if view.side not in (Side.BUY.value, Side.SELL.value):
        return Skipped(translate("export_cryptact", "trade without a buy or sell side"))
    if not view.quote:
        return Skipped(translate("export_cryptact", "trade whose quote currency is unknown"))
    if not view.base or cryptact_symbol(view.base) == cryptact_symbol(view.quote):
        return Skipped(translate("export_cryptact", "trade without two different currencies"))
    volume, price = _dec(view.amount), _dec(view.price)
    if volume is None or volume <= 0 or price is None or price <= 0:
        return Skipped(translate("export_cryptact", "trade without a positive amount and price"))
    fee = _dec(view.fee) or Decimal(0)
    fee_ccy = view.fee_currency or view.quote
    buy = view.side == Side.BUY.value
    if buy:
        rule, action = translate("export_cryptact", "spot buy → BUY"), "BUY"
    else:
        rule, action = translate("export_cryptact", "spot sell → SELL"), "SELL"
    rows = [
        b.row(
            rule,
            action,
            view.base,
            volume,
            price=_fmt(price),
            counter=view.quote,
            fee=fee if fee > 0 else None,
            fee_ccy=fee_ccy if fee > 0 else view.quote,
        )
    ]
    if fee < 0:
        rebate = b.income(
            translate("export_cryptact", "trading fee rebate → BONUS"), "BONUS", fee_ccy, fee, "fee-rebate"
        )
        if isinstance(rebate, ExportRow):
            rows.append(rebate)
    return rows


def _map_convert(b: _Rows, view: TransactionView, raw: Mapping[str, Any]) -> list[ExportRow] | Skipped:
    to_coin, from_coin = view.base, view.quote
    to_amount = _dec(view.amount)
    from_amount = _dec(raw.get("fromAmount"))
    price = _dec(view.price)
    if from_amount is None and to_amount is not None and price is not None:
        from_amount = to_amount * price  # the stored price is fromAmount / toAmount
    if not to_coin or not from_coin or cryptact_symbol(to_coin) == cryptact_symbol(from_coin):
        return Skipped(translate("export_cryptact", "convert without two different coins"))
    if to_amount is None or to_amount <= 0 or from_amount is None or from_amount <= 0:
        return Skipped(translate("export_cryptact", "convert without positive amounts"))
    to_fiat = cryptact_symbol(to_coin) in FIAT_CURRENCIES
    from_fiat = cryptact_symbol(from_coin) in FIAT_CURRENCIES
    if to_fiat and not from_fiat:
        return [
            b.row(
                translate("export_cryptact", "convert into fiat → SELL"),
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
            translate("export_cryptact", "convert → BUY"),
            "BUY",
            to_coin,
            to_amount,
            price=_fmt(from_amount / to_amount),
            counter=from_coin,
            note="convert",
        )
    ]


def _signed_income(
    b: _Rows, coin: str, amount: Decimal, gain: tuple[str, str, str], loss: tuple[str, str, str]
) -> ExportRow | Skipped:
    """A BONUS-like row for a positive amount, a LOSS-like row for a negative one."""
    if amount == 0:
        return _no_change()
    rule, action, note = gain if amount > 0 else loss
    return b.income(rule, action, coin, amount, note)


def _funding_rules(tag: str = "") -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    return (
        (
            translate("export_cryptact", "funding received → BONUS"),
            "BONUS",
            _tag(tag, "funding-received judgement"),
        ),
        (translate("export_cryptact", "funding paid → LOSS"), "LOSS", _tag(tag, "funding-paid judgement")),
    )


def _tag(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _ledger_net(b: _Rows, coin: str, change: Decimal, tag: str) -> list[ExportRow] | Skipped:
    gain = (translate("export_cryptact", "ledger net gain → BONUS"), "BONUS", _tag(tag, "net judgement"))
    loss = (translate("export_cryptact", "ledger net loss → LOSS"), "LOSS", _tag(tag, "net judgement"))
    return _collect([_signed_income(b, coin, change, gain, loss)], _no_change())


def _map_ledger_pnl(b: _Rows, view: TransactionView, raw: Mapping[str, Any]) -> list[ExportRow] | Skipped:
    """A derivative ledger row: realised P&L, funding and fee, each as BONUS or LOSS.

    Bybit documents ``change = cashFlow + funding - fee``; when the parts are missing or do not
    add up, the net ``change`` is exported instead, so the total always equals the balance change.
    """
    coin = view.base
    tag = _tag(str(raw.get("type") or "").lower(), sanitize_text(str(raw.get("symbol") or "")))
    change = _dec(view.amount) or Decimal(0)
    parts = [_dec(raw.get(name)) for name in ("cashFlow", "funding", "fee")]
    if all(part is None for part in parts):
        return _ledger_net(b, coin, change, tag)
    cash_flow, funding, fee = (part or Decimal(0) for part in parts)
    if cash_flow + funding - fee != change:
        return _ledger_net(b, coin, change, tag)
    items: list[ExportRow | Skipped] = []
    if cash_flow:
        profit = (translate("export_cryptact", "derivative profit → BONUS"), "BONUS", _tag(tag, "pnl"))
        loss = (translate("export_cryptact", "derivative loss → LOSS"), "LOSS", _tag(tag, "pnl"))
        items.append(_signed_income(b, coin, cash_flow, profit, loss))
    if funding:
        received, paid = _funding_rules(tag)
        items.append(_signed_income(b, coin, funding, received, paid))
    if fee:
        # A positive fee is an expense (LOSS), a negative one a rebate (BONUS).
        rebate = (
            translate("export_cryptact", "trading fee rebate → BONUS"),
            "BONUS",
            _tag(tag, "fee-rebate"),
        )
        expense = (
            translate("export_cryptact", "derivative trading fee → LOSS"),
            "LOSS",
            _tag(tag, "fee judgement"),
        )
        items.append(_signed_income(b, coin, -fee, rebate, expense))
    return _collect(items, _no_change())


_OPTION_SYMBOL = re.compile(r".+-[0-9]+-[CP](-[A-Z]+)?")
_INVERSE_SYMBOL = re.compile(r"[A-Z0-9]+USD([FGHJKMNQUVXZ][0-9]{2})?")


def _ledger_category(raw: Mapping[str, Any], currency: str) -> str:
    """Guess the category of a ledger row that has none (rows read from Bybit's export file).

    Judgement, from the documented semantics: option symbols carry ``-<strike>-C|P``; inverse
    symbols end in ``USD`` (or a USD futures month code); a spot trade changes the base coin of
    its symbol, or the quote coin by exactly ``qty`` or ``qty × tradePrice`` in ``cashFlow``, whereas a
    linear trade's ``cashFlow`` is its realised P&L. Returns "" when nothing fits.
    """
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
    base, quote = split_spot_symbol(symbol)
    if currency and currency == base and quote:
        return "spot"
    cash_flow, qty, price = _dec(raw.get("cashFlow")), _dec(raw.get("qty")), _dec(raw.get("tradePrice"))
    if cash_flow and qty and (abs(cash_flow) == abs(qty) or (price and abs(cash_flow) == abs(qty) * price)):
        return "spot"
    if currency and (currency == quote or symbol.endswith("PERP") or "-" in symbol):
        return "linear"
    return ""


def _map_ledger(
    b: _Rows, view: TransactionView, raw: Mapping[str, Any], sources: KeySources
) -> list[ExportRow] | Skipped:
    type_ = str(raw.get("type") or "").upper()
    category = str(raw.get("category") or "").lower()
    if view.kind == TransactionKind.INTERNAL_TRANSFER.value:
        return Skipped(
            translate("export_cryptact", "transfer between your own accounts: not a taxable event")
        )
    if type_ in _LEDGER_CONVERT_TYPES or view.kind == TransactionKind.CONVERT.value:
        if sources.has_convert:
            return Skipped(
                translate("export_cryptact", "convert leg in the ledger: exported from the Convert history")
            )
        return Skipped(
            translate(
                "export_cryptact", "convert leg only in the ledger: enable the Convert endpoint to export it"
            )
        )
    if type_ in _LEDGER_PNL_TYPES:
        category = category or _ledger_category(raw, view.base)
        if category == "spot":
            if sources.has_spot:
                return Skipped(
                    translate("export_cryptact", "spot trade in the ledger: exported from Spot trades")
                )
            return Skipped(
                translate(
                    "export_cryptact",
                    "spot trade only in the ledger: enable the Spot trades endpoint to export it",
                )
            )
        if not category:
            return Skipped(
                translate(
                    "export_cryptact", "ledger trade without a category: cannot tell spot from derivatives"
                )
            )
        return _map_ledger_pnl(b, view, raw)
    amount = _dec(view.amount) or Decimal(0)
    if type_ == "INTEREST" or view.kind == TransactionKind.INTEREST.value:
        return _collect(
            [
                _signed_income(
                    b,
                    view.base,
                    amount,
                    (translate("export_cryptact", "interest received → LENDING"), "LENDING", "interest"),
                    (
                        translate("export_cryptact", "borrowing interest paid → LOSS"),
                        "LOSS",
                        "borrow-interest judgement",
                    ),
                )
            ],
            _no_change(),
        )
    if view.kind == TransactionKind.BONUS.value:
        return _collect(
            [
                _signed_income(
                    b,
                    view.base,
                    amount,
                    (translate("export_cryptact", "airdrop or bonus → BONUS"), "BONUS", type_.lower()),
                    (
                        translate("export_cryptact", "bonus taken back → LOSS"),
                        "LOSS",
                        f"{type_.lower()} judgement",
                    ),
                )
            ],
            _no_change(),
        )
    return Skipped(
        translate("export_cryptact", "ledger entry of type {type}: no export rule").format(type=type_ or "?")
    )


def _funding_coin(view: TransactionView, raw: Mapping[str, Any]) -> str:
    """The coin a funding execution was paid in (inverse contracts settle in the coin)."""
    fee_currency = str(raw.get("feeCurrency") or "")
    if fee_currency:
        return fee_currency
    if view.endpoint == "inverse":
        symbol = str(raw.get("symbol") or "")
        return symbol.split("USD", 1)[0] or view.base
    return view.base


def _map_derivative_execution(
    b: _Rows, view: TransactionView, raw: Mapping[str, Any], sources: KeySources
) -> list[ExportRow] | Skipped:
    if sources.ledger_covers(view.timestamp_ms):
        return Skipped(
            translate(
                "export_cryptact",
                "derivative execution: its P&L, fee and funding are exported from the ledger",
            )
        )
    if view.kind == TransactionKind.FUNDING.value:
        amount = _dec(view.amount) or Decimal(0)
        signed = -amount if view.side == Side.OUT.value else amount
        received, paid = _funding_rules(sanitize_text(str(raw.get("symbol") or "")))
        return _collect([_signed_income(b, _funding_coin(view, raw), signed, received, paid)], _no_change())
    return Skipped(
        translate(
            "export_cryptact",
            "derivative trade outside the synced ledger: its realised P&L is only in the"
            " Unified account transaction log",
        )
    )


def _map_generic(
    b: _Rows, view: TransactionView, raw: Mapping[str, Any], sources: KeySources
) -> list[ExportRow] | Skipped:
    kind = view.kind
    amount = _dec(view.amount) or Decimal(0)
    if kind in (TransactionKind.TRADE.value, TransactionKind.LIQUIDATION.value):
        return _map_spot_trade(b, view)
    if kind == TransactionKind.CONVERT.value:
        return _map_convert(b, view, raw)
    if kind == TransactionKind.INTERNAL_TRANSFER.value:
        return Skipped(
            translate("export_cryptact", "transfer between your own accounts: not a taxable event")
        )
    if kind == TransactionKind.DEPOSIT.value:
        return Skipped(translate("export_cryptact", "deposit: a transfer, not a taxable event"))
    if kind == TransactionKind.WITHDRAWAL.value:
        fee = _dec(view.fee) or Decimal(0)
        if fee <= 0:
            return Skipped(
                translate("export_cryptact", "withdrawal without a fee: a transfer, not a taxable event")
            )
        coin = view.fee_currency or view.base
        return _collect(
            [
                b.income(
                    translate("export_cryptact", "withdrawal fee → SENDFEE"),
                    "SENDFEE",
                    coin,
                    fee,
                    "withdrawal-fee",
                )
            ],
            _no_change(),
        )
    if kind == TransactionKind.EARN.value:
        return Skipped(
            translate("export_cryptact", "earn subscription or redemption: your own coins move, no P&L")
        )
    if kind == TransactionKind.INTEREST.value:
        if str(raw.get("yieldType") or "") == "Bonus":
            gain = (translate("export_cryptact", "earn bonus yield → BONUS"), "BONUS", "earn-bonus judgement")
        elif "onchain" in view.stream or "staking" in view.stream:
            gain = (translate("export_cryptact", "staking reward → STAKING"), "STAKING", "earn-staking")
        else:
            gain = (translate("export_cryptact", "earn interest → LENDING"), "LENDING", "earn-interest")
        loss = (
            translate("export_cryptact", "borrowing interest paid → LOSS"),
            "LOSS",
            "borrow-interest judgement",
        )
        return _collect([_signed_income(b, view.base, amount, gain, loss)], _no_change())
    if kind == TransactionKind.BONUS.value:
        gain = (translate("export_cryptact", "airdrop or bonus → BONUS"), "BONUS", "bonus")
        loss = (translate("export_cryptact", "bonus taken back → LOSS"), "LOSS", "bonus judgement")
        return _collect([_signed_income(b, view.base, amount, gain, loss)], _no_change())
    if kind == TransactionKind.FUNDING.value:
        signed = -abs(amount) if view.side == Side.OUT.value else abs(amount)
        gain, loss = _funding_rules()
        return _collect([_signed_income(b, view.base, signed, gain, loss)], _no_change())
    return Skipped(
        translate("export_cryptact", "record of kind {kind}: no export rule").format(kind=kind or "?")
    )


def map_transaction(
    view: TransactionView,
    raw: Mapping[str, Any],
    *,
    exchange_name: str,
    tz: tzinfo = UTC,
    fiat: str = "JPY",
    sources: KeySources | None = None,
) -> list[ExportRow] | Skipped:
    """The custom-file rows of one stored record, or why it has none (see the module docstring).

    ``exchange_name`` goes in the Source column; ``sources`` says what the record's key has
    synced (default: a Bybit key with spot and convert, no ledger).
    """
    sources = sources or KeySources()
    b = _Rows(view, exchange_name, tz, fiat, sources.exchange)
    if view.endpoint == _LEDGER_ENDPOINT:
        return _map_ledger(b, view, raw, sources)
    if view.endpoint in _DERIVATIVE_ENDPOINTS:
        return _map_derivative_execution(b, view, raw, sources)
    return _map_generic(b, view, raw, sources)


# --------------------------------------------------------------------------- validation


def _row_problems(cells: Sequence[str], line: int) -> list[Problem]:
    """Everything Cryptact would reject in one data row (``cells`` in :data:`HEADER` order)."""

    def problem(column: str, text: str, value: str = "") -> Problem:
        return Problem(line, column, text, value)

    if len(cells) != len(HEADER):
        return [
            problem(
                "",
                translate("export_cryptact", "expected {expected} columns, found {found}").format(
                    expected=len(HEADER), found=len(cells)
                ),
            )
        ]
    row = dict(zip(HEADER, cells, strict=True))
    found: list[Problem] = []
    stamp = row["Timestamp"]
    match = _TIMESTAMP.fullmatch(stamp)
    valid_stamp = match is not None
    if match is not None:
        try:
            year, month, day, hour, minute, second = (int(part) for part in match.groups())
            datetime(year, month, day, hour, minute, second)  # no zone: it is chosen at upload
        except ValueError:
            valid_stamp = False
    if not valid_stamp:
        found.append(
            problem("Timestamp", translate("export_cryptact", "timestamp must be YYYY/MM/DD HH:mm:ss"), stamp)
        )
    if row["Action"] not in ACTIONS:
        found.append(
            problem("Action", translate("export_cryptact", "unsupported trade type (Action)"), row["Action"])
        )
    if not row["Source"]:
        found.append(problem("Source", translate("export_cryptact", "Source is required")))
    for column in ("Base", "Counter", "FeeCcy"):
        value = row[column]
        if not value:
            found.append(
                problem(column, translate("export_cryptact", "{column} is required").format(column=column))
            )
        elif any(char.isspace() for char in value):
            found.append(
                problem(column, translate("export_cryptact", "a currency symbol has no spaces"), value)
            )
        elif value in CRYPTACT_SYMBOLS:
            found.append(
                problem(
                    column,
                    translate("export_cryptact", "not Cryptact's symbol: use {symbol}").format(
                        symbol=CRYPTACT_SYMBOLS[value]
                    ),
                    value,
                )
            )
        elif value.startswith("USER-"):
            if column != "Base":
                found.append(
                    problem(
                        column,
                        translate("export_cryptact", "custom coins (USER-) are allowed only in Base"),
                        value,
                    )
                )
            elif not _CUSTOM_COIN.fullmatch(value):
                found.append(
                    problem(
                        column,
                        translate(
                            "export_cryptact", "a custom coin is USER- and up to 120 of A-Z, 0-9 and #"
                        ),
                        value,
                    )
                )
    if row["Base"] and row["Base"] == row["Counter"]:
        found.append(
            problem(
                "Counter", translate("export_cryptact", "Base and Counter must be different"), row["Counter"]
            )
        )
    volume = row["Volume"]
    if not _NUMBER.fullmatch(volume) or Decimal(volume) <= 0:
        found.append(
            problem("Volume", translate("export_cryptact", "Volume must be a positive number"), volume)
        )
    price = row["Price"]
    if price and not _NUMBER.fullmatch(price):
        found.append(problem("Price", translate("export_cryptact", "Price must be empty or a number"), price))
    if not price and row["Counter"] not in FIAT_CURRENCIES:
        found.append(
            problem(
                "Price",
                translate("export_cryptact", "Price may be empty only when Counter is a fiat currency"),
                row["Counter"],
            )
        )
    fee = row["Fee"]
    if not fee:
        found.append(
            problem("Fee", translate("export_cryptact", "Fee is required: write 0 when there is none"))
        )
    elif not _NUMBER.fullmatch(fee):
        found.append(
            problem("Fee", translate("export_cryptact", "Fee must be a number (0 when there is none)"), fee)
        )
    comment = row["Comment"]
    if any(char in comment for char in "'\"\\"):
        found.append(
            problem("Comment", translate("export_cryptact", "Comment must not contain ' \" or \\"), comment)
        )
    for column, value in row.items():
        unsafe = _UNSAFE_CELL.search(value.replace('"', "") if column == "Comment" else value)
        if unsafe:
            found.append(
                problem(
                    column,
                    translate("export_cryptact", "no commas, double quotes or line breaks in a cell"),
                    value,
                )
            )
    return found


def validate_rows(rows: Iterable[Sequence[str] | ExportRow]) -> list[Problem]:
    """Check a whole table, header first, the way Cryptact's upload does (see the module doc).

    Items are cell sequences (a parsed CSV) or :class:`ExportRow` values. Returns every problem
    found, in file order; an empty list means the table is acceptable.
    """
    problems: list[Problem] = []
    seen = False
    for index, item in enumerate(rows):
        seen = True
        cells = item.cells() if isinstance(item, ExportRow) else tuple(item)
        if index == 0:
            if cells != HEADER:
                problems.append(
                    Problem(
                        1,
                        "",
                        translate("export_cryptact", "the first line must be exactly {header}").format(
                            header=",".join(HEADER)
                        ),
                        ",".join(cells),
                    )
                )
            continue
        problems.extend(_row_problems(cells, index + 1))
    if not seen:
        problems.append(Problem(1, "", translate("export_cryptact", "the file is empty")))
    return problems


def validate_file(path: Path | str) -> list[Problem]:
    """:func:`validate_rows` on a written file (UTF-8; a byte-order mark fails the header)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return validate_rows(csv.reader(handle))


# --------------------------------------------------------------------------- export


def _key_sources(store: Store, key: KeyConfig) -> KeySources:
    def has(endpoint_id: str) -> bool:
        return any(e.endpoint == endpoint_id and (e.enabled or e.record_count) for e in key.endpoints)

    covered = tuple(
        merge_ranges(
            [*store.coverage(key.id, _LEDGER_ENDPOINT, _LEDGER_ENDPOINT), *_file_coverage(store, key.id)]
        )
    )
    return KeySources(
        exchange=key.exchange,
        ledger_covered=covered,
        has_spot=has("spot"),
        has_convert=has("convert"),
    )


def _file_coverage(store: Store, key_id: int) -> list[Range]:
    """Periods imported ledger files cover for a key (table ``file_coverage``, when present).

    Read with a plain query so this module does not depend on the file-import models.
    """
    if not inspect(store.engine).has_table("file_coverage"):
        return []
    query = text("SELECT start_ms, end_ms FROM file_coverage WHERE key_id = :key_id AND endpoint = :endpoint")
    with store.engine.connect() as connection:
        rows = connection.execute(query, {"key_id": key_id, "endpoint": _LEDGER_ENDPOINT}).all()
    return [(int(start), int(end)) for start, end in rows]


def _exchange_name(exchange_id: str) -> str:
    try:
        return venue_info(exchange_id).name
    except KeyError:
        return exchange_id.title() or "Exchange"


def iter_backfilled(
    store: Store,
    *,
    inserted_after_ms: int,
    dated_before_ms: int,
    key_ids: Sequence[int] = (),
    batch: int = 5000,
) -> Iterator[tuple[TransactionView, str]]:
    """Transactions stored after ``inserted_after_ms`` but dated before ``dated_before_ms``.

    A read-only query on ``transactions.inserted_at_ms`` (which :class:`TransactionView` does not
    carry), streamed in keyset batches like :meth:`Store.iter_transactions`.
    """
    t = TransactionRow
    columns = (
        t.id, t.key_id, t.endpoint, t.stream, t.exchange_id, t.timestamp_ms, t.kind, t.base, t.quote,
        t.side, t.amount, t.price, t.fee, t.fee_currency, t.network, t.tx_hash, t.source, t.raw_json,
        t.counter_amount, t.pnl, t.funding, t.note, t.mirror_of,
    )  # fmt: skip
    last: tuple[int, int] | None = None
    while True:
        statement = select(*columns).where(
            t.inserted_at_ms > inserted_after_ms, t.timestamp_ms < dated_before_ms
        )
        if key_ids:
            statement = statement.where(t.key_id.in_(tuple(key_ids)))
        if last is not None:
            statement = statement.where(
                (t.timestamp_ms > last[0]) | ((t.timestamp_ms == last[0]) & (t.id > last[1]))
            )
        with store.engine.connect() as connection:
            rows = connection.execute(statement.order_by(t.timestamp_ms, t.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            view = transaction_view(row)
            yield view, row.raw_json
        last = (rows[-1].timestamp_ms, rows[-1].id)


def _int_setting(store: Store, name: str) -> int | None:
    text = store.setting(name, "")
    try:
        return int(text) if text else None
    except ValueError:
        return None


def export_cryptact(
    store: Store,
    path: Path | str,
    *,
    tz: tzinfo = UTC,
    mode: Mode = "all",
    key_ids: Sequence[int] = (),
    fiat: str = "JPY",
    now_ms: int | None = None,
) -> ExportReport:
    """Write the custom file for the stored transactions, oldest first, and report what it did.

    ``mode="new"``: only rows after the remembered watermark's second. ``key_ids``: only these
    keys (all by default). ``fiat``: the counter for rows Cryptact prices itself. The file is
    written to a temporary file next to ``path`` and moved over it only when complete and valid;
    the watermark and the last-export time move only then. Raises ``OSError`` if the file
    cannot be written, ``ValueError`` for an unknown mode or fiat currency.
    """
    if mode not in ("all", "new"):
        raise ValueError(f"unknown export mode {mode!r}")
    if fiat not in FIAT_CURRENCIES:
        raise ValueError(f"not a supported fiat currency: {fiat!r}")
    path = Path(path)
    keys = {key.id: key for key in store.list_keys() if not key_ids or key.id in key_ids}
    sources = {key_id: _key_sources(store, key) for key_id, key in keys.items()}
    names = {key_id: _exchange_name(key.exchange) for key_id, key in keys.items()}
    old_watermark = _int_setting(store, WATERMARK_SETTING)
    last_export = _int_setting(store, LAST_EXPORT_SETTING)
    from_ms = (old_watermark // 1000 + 1) * 1000 if mode == "new" and old_watermark is not None else None

    def mapped(view: TransactionView, raw_json: str) -> list[ExportRow] | Skipped:
        key = keys.get(view.key_id)
        key_sources = sources.get(view.key_id) or KeySources(exchange=key.exchange if key else "unknown")
        try:
            raw = json.loads(raw_json)
        except ValueError:
            raw = {}
        return map_transaction(
            view,
            raw if isinstance(raw, dict) else {},
            exchange_name=names.get(view.key_id, "Exchange"),
            tz=tz,
            fiat=fiat,
            sources=key_sources,
        )

    warnings: list[str] = []
    backfilled = 0
    if mode == "new" and old_watermark is not None and last_export is not None:
        cutoff = (old_watermark // 1000 + 1) * 1000
        for view, raw_json in iter_backfilled(
            store, inserted_after_ms=last_export, dated_before_ms=cutoff, key_ids=tuple(key_ids)
        ):
            if isinstance(mapped(view, raw_json), list):
                backfilled += 1
    watermark_text = format_timestamp(old_watermark, tz) if old_watermark is not None else ""
    if backfilled and mode == "new":
        warnings.append(
            translate(
                "export_cryptact",
                "{count} records dated on or before the last exported row ({when}) were synced after the"
                " last export. Cryptact only takes rows newer than the newest row already uploaded, so"
                " they are not in this file and a delta file cannot add them: delete the custom upload"
                " in Cryptact and upload a full export to include them.",
            ).format(count=backfilled, when=watermark_text)
        )
    if mode == "all" and old_watermark is not None:
        warnings.append(
            translate(
                "export_cryptact",
                "This is a full file. Delete the earlier custom upload in Cryptact before uploading it:"
                " otherwise Cryptact takes only its rows after {when}.",
            ).format(when=watermark_text)
        )

    flt = TransactionFilter(key_ids=tuple(key_ids), from_ms=from_ms, newest_first=False)
    skipped: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    problems: list[Problem] = []
    problem_count = 0
    records = rows_written = 0
    first_ms: int | None = None
    last_ms: int | None = None
    line = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(HEADER)
            for view, raw_json in store.iter_transactions(flt):
                records += 1
                result = mapped(view, raw_json)
                if isinstance(result, Skipped):
                    skipped[result.reason] += 1
                    continue
                for row in result:
                    line += 1
                    cells = row.cells()
                    found = [
                        replace(p, record=row.Comment.split(" ", 1)[0]) for p in _row_problems(cells, line)
                    ]
                    if found:
                        problem_count += len(found)
                        problems.extend(found[: max(0, _MAX_PROBLEMS - len(problems))])
                        continue
                    writer.writerow(cells)
                    rows_written += 1
                    rules[row.rule] += 1
                    first_ms = row.timestamp_ms if first_ms is None else first_ms
                    last_ms = row.timestamp_ms
            handle.flush()
            os.fsync(handle.fileno())
        _add_source_warnings(warnings, skipped)
        if problem_count or rows_written == 0:
            temp.unlink(missing_ok=True)
            if not problem_count:
                warnings.append(translate("export_cryptact", "Nothing to export: no file was written."))
            return ExportReport(
                path=None,
                mode=mode,
                time_zone=time_zone_label(tz),
                records_read=records,
                rows_written=0,
                skipped=dict(skipped),
                rules={},
                warnings=tuple(warnings),
                problems=tuple(problems),
                problem_count=problem_count,
                watermark_ms=old_watermark,
                backfilled=backfilled,
            )
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    assert last_ms is not None
    new_watermark = last_ms
    store.set_setting(WATERMARK_SETTING, str(new_watermark))
    store.set_setting(LAST_EXPORT_SETTING, str(now_ms if now_ms is not None else int(time.time() * 1000)))
    return ExportReport(
        path=path,
        mode=mode,
        time_zone=time_zone_label(tz),
        records_read=records,
        rows_written=rows_written,
        skipped=dict(skipped),
        rules=dict(rules),
        warnings=tuple(warnings),
        first_ms=first_ms,
        last_ms=last_ms,
        watermark_ms=new_watermark,
        backfilled=backfilled,
    )


def _add_source_warnings(warnings: list[str], skipped: Mapping[str, int]) -> None:
    """Turn skip reasons that mean "data is missing from the file" into warnings."""
    missing = {
        translate(
            "export_cryptact",
            "derivative trade outside the synced ledger: its realised P&L is only in the"
            " Unified account transaction log",
        ): translate(
            "export_cryptact",
            "{count} derivative executions have no realised P&L in this file: enable and sync the"
            " Unified account transaction log endpoint for those keys.",
        ),
        translate(
            "export_cryptact", "spot trade only in the ledger: enable the Spot trades endpoint to export it"
        ): translate(
            "export_cryptact",
            "{count} spot trades appear only in the ledger and are not in this file: enable and sync"
            " the Spot trades endpoint.",
        ),
        translate(
            "export_cryptact", "convert leg only in the ledger: enable the Convert endpoint to export it"
        ): translate(
            "export_cryptact",
            "{count} converts appear only in the ledger and are not in this file: enable and sync the"
            " Convert endpoint.",
        ),
    }
    for reason, message in missing.items():
        if skipped.get(reason):
            warnings.append(message.format(count=skipped[reason]))
