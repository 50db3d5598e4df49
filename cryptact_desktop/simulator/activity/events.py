"""What an investor did, in words no venue owns: the ground truth a venue simulator renders.

A venue simulator turns these events into its own records (an execution list, a ledger, deposit
histories...); a test compares what the app stored with this list. Amounts are ``Decimal``, times
are epoch milliseconds (UTC), sides are ``"buy"``/``"sell"``. ``seq`` orders events that share a
millisecond and is unique within one :class:`~.generate.Activity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Market:
    """A pair the investor trades. ``kind``: ``"spot"`` or ``"perpetual"`` (settled in ``quote``).

    ``listed``: whether the venue still lists it when the history ends (a delisted pair trades only
    in the first part of the history and is closed out before it goes). ``order_book``: traded on
    the venue's order book; False for a pair only its retail desk sells.
    """

    base: str
    quote: str
    kind: str = "spot"
    listed: bool = True
    order_book: bool = True

    @property
    def symbol(self) -> str:
        return f"{self.base}/{self.quote}" + (":PERP" if self.kind == "perpetual" else "")


@dataclass(frozen=True, slots=True)
class Fill:
    """One execution of an order. ``order`` is shared by the fills of one order; ``channel`` is
    ``"book"`` (matched on the order book) or ``"desk"`` (the venue itself is the counterparty: a
    retail desk, a broker, an instant buy). ``fee`` is in ``fee_asset`` (0: none)."""

    time_ms: int
    seq: int
    market: Market
    side: str
    qty: Decimal
    price: Decimal
    fee: Decimal
    fee_asset: str
    order: int
    channel: str = "book"


@dataclass(frozen=True, slots=True)
class CryptoDeposit:
    """Coins received from outside; ``pending``: not credited yet when the history ends."""

    time_ms: int
    seq: int
    asset: str
    amount: Decimal
    network: str
    tx_hash: str
    address: str
    pending: bool = False


@dataclass(frozen=True, slots=True)
class CryptoWithdrawal:
    """Coins sent out: ``amount`` arrives, ``fee`` (the network fee) is paid on top, ``extra_fee``
    is any further fee the venue charges for the send."""

    time_ms: int
    seq: int
    asset: str
    amount: Decimal
    fee: Decimal
    extra_fee: Decimal
    network: str
    tx_hash: str
    address: str
    pending: bool = False


@dataclass(frozen=True, slots=True)
class FiatDeposit:
    time_ms: int
    seq: int
    asset: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class FiatWithdrawal:
    """A bank withdrawal: ``amount`` reaches the bank, ``fee`` is charged on top."""

    time_ms: int
    seq: int
    asset: str
    amount: Decimal
    fee: Decimal


@dataclass(frozen=True, slots=True)
class Transfer:
    """Own funds moved between the investor's wallets at the venue (``"spot"`` -> ``"margin"``)."""

    time_ms: int
    seq: int
    asset: str
    amount: Decimal
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Reward:
    """Coins received for nothing given: ``kind`` is ``"staking"``, ``"airdrop"`` or ``"campaign"``."""

    time_ms: int
    seq: int
    asset: str
    amount: Decimal
    kind: str


@dataclass(frozen=True, slots=True)
class Funding:
    """A perpetual's funding payment in the settlement asset: ``amount`` > 0 received, < 0 paid."""

    time_ms: int
    seq: int
    market: Market
    amount: Decimal


@dataclass(frozen=True, slots=True)
class RealisedPnl:
    """Profit (> 0) or loss (< 0) realised when a perpetual position is reduced."""

    time_ms: int
    seq: int
    market: Market
    amount: Decimal


Event = (
    Fill
    | CryptoDeposit
    | CryptoWithdrawal
    | FiatDeposit
    | FiatWithdrawal
    | Transfer
    | Reward
    | Funding
    | RealisedPnl
)
