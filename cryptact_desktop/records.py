"""The normalised transaction every connector and file importer produces.

Amounts are decimal strings (never floats): what the exchange said, exactly. ``raw`` is the
exchange's own record, kept so that nothing is lost by normalisation and the export can be
re-derived later.
"""

from __future__ import annotations

import enum
import json
import re
import signal
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import ModuleType
from typing import TYPE_CHECKING, Any


def _import_orjson() -> ModuleType:
    """``import orjson``, with Ctrl-C and SIGTERM held until it is done.

    orjson's module set-up imports a few standard modules and does not check that they came:
    a Ctrl-C landing in it (the command line is often interrupted while it loads) crashed the
    process instead of cancelling it (ijl/orjson#310). A signal that came meanwhile is delivered
    right after, as it would have been. Handlers can only be set from the main thread; another
    thread's import is not interrupted by a signal anyway.
    """
    if threading.current_thread() is not threading.main_thread():
        import orjson

        return orjson
    held: list[int] = []
    wanted = [signal.SIGINT, signal.SIGTERM]
    previous = {number: signal.signal(number, lambda got, _frame: held.append(got)) for number in wanted}
    try:
        import orjson
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    for got in held:
        signal.raise_signal(got)
    return orjson


if TYPE_CHECKING:
    import orjson
else:
    orjson = _import_orjson()


class TransactionKind(enum.StrEnum):
    """What an entry is, in words every venue's normaliser uses (the export maps these only).

    Amount conventions (decimal strings; ``side`` says the direction where ``amount`` is unsigned):

    * ``TRADE``: a spot buy or sell of ``base`` for ``quote``; ``amount`` in base, ``price`` in quote
      per base, ``fee`` in ``fee_currency`` (negative: a rebate).
    * ``CONVERT``: a swap into ``base`` (``amount`` received) from ``quote`` (``counter_amount``
      given); ``price`` = counter_amount / amount.
    * ``DERIVATIVE_TRADE``: a derivative fill; it opens or closes a position and carries no realised
      P&L by itself (that comes as ``REALISED_PNL`` from a ledger).
    * ``REALISED_PNL``: a change of the margin balance in ``base``: ``amount`` is the net change
      (signed) = ``pnl`` (realised profit or loss) + ``funding`` - ``fee`` (each signed; any may be
      empty when the venue does not split it).
    * ``FUNDING``: a perpetual funding payment of ``base``, ``amount`` unsigned, ``side`` IN
      (received) or OUT (paid).
    * ``SETTLEMENT`` / ``LIQUIDATION``: a derivative settlement, delivery or forced close (no P&L
      on the record itself, like ``DERIVATIVE_TRADE``).
    * ``FEE``: a fee of ``base`` not part of another record, ``amount`` paid (negative: refunded).
    * ``INTEREST``: ``amount`` signed: lending or savings interest received (+), borrowing
      interest paid (-). ``STAKING``: a staking reward. ``BONUS``: airdrop, campaign, referral,
      rebate (+) or a bonus taken back (-).
    * ``DEPOSIT`` / ``WITHDRAWAL``: coins in or out (``fee``: the network fee paid);
      ``INTERNAL_TRANSFER``: between the user's own accounts; ``EARN``: into or out of an earn
      product (own coins move, no P&L); ``LEDGER``: any other balance change.
    """

    TRADE = "trade"
    CONVERT = "convert"
    DERIVATIVE_TRADE = "derivative_trade"
    REALISED_PNL = "realised_pnl"
    FUNDING = "funding"
    SETTLEMENT = "settlement"
    LIQUIDATION = "liquidation"
    FEE = "fee"
    INTEREST = "interest"
    STAKING = "staking"
    BONUS = "bonus"
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    INTERNAL_TRANSFER = "internal_transfer"
    EARN = "earn"
    LEDGER = "ledger"


class Side(enum.StrEnum):
    BUY = "buy"
    SELL = "sell"
    IN = "in"
    OUT = "out"
    NONE = ""


# A number as decimal_text writes it: no exponent, no leading zeros, no trailing fractional zeros.
_SHORT = 28  # at most this many characters: never more significant digits than Decimal keeps
_CANONICAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?").fullmatch


def decimal_text(value: Any) -> str:
    """Normalise an exchange number (string, int, float) to a canonical decimal string.

    Empty and missing values become ``""``. Raises ``ValueError`` on text that is not a number,
    so malformed exchange data is reported rather than stored.
    """
    if value is None:
        return ""
    text = value.strip() if isinstance(value, str) else str(value).strip()
    if text == "":
        return ""
    # Most exchange numbers are already written this way: skip Decimal. (Not a longer one:
    # normalize() rounds to the context's 28 significant digits.)
    if len(text) <= _SHORT and _CANONICAL(text) and text != "-0":
        return text
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text[:40]!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite number: {text[:40]!r}")
    if number == 0:
        return "0"
    normal = format(number.normalize(), "f")
    return normal


# The raw record as stored: keys sorted, no spaces, ASCII only. orjson writes it four times as fast
# as the json module (a sixth of a sync's time went to encoding raw records); what orjson does not
# write exactly as the json module would (text beyond ASCII, integers beyond 64 bits, keys that are
# not text, values it does not know) goes through one reused json encoder. (The differences
# left: a float's exponent may lose a leading zero, "1e-7" for "1e-07", the same number; NaN and
# Infinity, which are not JSON and no exchange sends as numbers, come out as null.)
_RAW_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"))
_ORJSON_SORTED = orjson.OPT_SORT_KEYS


def raw_text(raw: Mapping[str, Any]) -> str:
    """``raw`` as stored in ``raw_json`` (compact JSON, keys sorted, ASCII)."""
    try:
        data = orjson.dumps(raw, option=_ORJSON_SORTED)
    except TypeError:  # orjson.JSONEncodeError is one
        return _RAW_ENCODER.encode(raw)
    if not data.isascii() or b"\x7f" in data:  # the json module escapes both, orjson neither
        return _RAW_ENCODER.encode(raw)
    return data.decode("ascii")


@dataclass(frozen=True, slots=True)
class NormalizedRecord:
    """One tax-relevant event, as stored. ``exchange_id`` is unique per (key, endpoint)."""

    exchange_id: str
    timestamp_ms: int
    kind: TransactionKind
    base: str = ""
    quote: str = ""
    side: Side = Side.NONE
    amount: str = ""
    price: str = ""
    fee: str = ""
    fee_currency: str = ""
    network: str = ""
    tx_hash: str = ""
    counter_amount: str = ""  # CONVERT: the amount of ``quote`` given
    pnl: str = ""  # REALISED_PNL: the realised profit (+) or loss (-) part of ``amount``
    funding: str = ""  # REALISED_PNL: the funding part of ``amount`` (+ received, - paid)
    note: str = ""  # the venue's short words for the entry (its type, the symbol), for the export's Comment
    # The endpoint that lists this same event (a ledger's trade leg mirrors the trade list): the
    # export takes the event from there, never from here.
    mirror_of: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def raw_json(self) -> str:
        return raw_text(self.raw)


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a venue's normaliser made of one raw record: a record to store, nothing (a final record
    that is not an event, such as a failed withdrawal), or nothing *yet* (``settled`` False: a pending
    deposit) — then the engine must not mark its time as covered, so a later sync gets it."""

    record: NormalizedRecord | None
    time_ms: int
    settled: bool = True

    @property
    def records(self) -> tuple[NormalizedRecord, ...]:
        return () if self.record is None else (self.record,)
