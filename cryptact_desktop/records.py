"""The normalised transaction every connector and file importer produces.

Amounts are decimal strings (never floats): what the exchange said, exactly. ``raw`` is the
exchange's own record, kept so that nothing is lost by normalisation and the export can be
re-derived later.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


class TransactionKind(enum.StrEnum):
    TRADE = "trade"
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    INTERNAL_TRANSFER = "internal_transfer"  # between the user's own accounts / sub-accounts
    CONVERT = "convert"
    FUNDING = "funding"  # perpetual funding fee paid or received
    FEE = "fee"
    INTEREST = "interest"  # earn / savings / staking yield, borrow interest
    EARN = "earn"  # subscribe / redeem into an earn product (no P&L by itself)
    SETTLEMENT = "settlement"  # session settlement / delivery of a derivative
    LIQUIDATION = "liquidation"
    BONUS = "bonus"  # airdrop, campaign, referral
    LEDGER = "ledger"  # any other balance change from an account ledger


class Side(enum.StrEnum):
    BUY = "buy"
    SELL = "sell"
    IN = "in"
    OUT = "out"
    NONE = ""


def decimal_text(value: Any) -> str:
    """Normalise an exchange number (string, int, float) to a canonical decimal string.

    Empty and missing values become ``""``. Raises ``ValueError`` on text that is not a number,
    so malformed exchange data is reported rather than stored.
    """
    if value is None:
        return ""
    text = str(value).strip()
    if text == "":
        return ""
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
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def raw_json(self) -> str:
        return json.dumps(self.raw, sort_keys=True, separators=(",", ":"))
