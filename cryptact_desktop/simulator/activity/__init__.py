"""A venue-neutral activity generator: seeded prices, fills, deposits, withdrawals, transfers and
rewards of one investor, as plain events (the ground truth). A venue simulator renders them into its
own API records; tests compare what the app stored with the events.

Standard library only, and independent of the app's sync code (like the simulator kit).
"""

from __future__ import annotations

from .events import (
    CryptoDeposit,
    CryptoWithdrawal,
    Event,
    FiatDeposit,
    FiatWithdrawal,
    Fill,
    Funding,
    Market,
    RealisedPnl,
    Reward,
    Transfer,
)
from .generate import Activity, ActivityPlan, generate
from .prices import PriceBook, round_amount, round_price

__all__ = [
    "Activity",
    "ActivityPlan",
    "CryptoDeposit",
    "CryptoWithdrawal",
    "Event",
    "FiatDeposit",
    "FiatWithdrawal",
    "Fill",
    "Funding",
    "Market",
    "PriceBook",
    "RealisedPnl",
    "Reward",
    "Transfer",
    "generate",
    "round_amount",
    "round_price",
]
