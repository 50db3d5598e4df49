"""A venue-neutral activity generator: seeded prices, fills, deposits, withdrawals, transfers and
rewards of one investor, as plain events (the ground truth), and the exchange services around them
(converts, dust sweeps, earn rewards, card purchases, perpetual fees: :mod:`.services`). A venue
simulator renders them into its own API records; tests compare what the app stored with the events.

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
from .services import (
    CardPurchase,
    Convert,
    DustPart,
    DustSweep,
    EarnReward,
    PerpetualFee,
    ServiceEvent,
    Services,
    ServicesPlan,
    generate_services,
)

__all__ = [
    "Activity",
    "ActivityPlan",
    "CardPurchase",
    "Convert",
    "CryptoDeposit",
    "CryptoWithdrawal",
    "DustPart",
    "DustSweep",
    "EarnReward",
    "Event",
    "FiatDeposit",
    "FiatWithdrawal",
    "Fill",
    "Funding",
    "Market",
    "PerpetualFee",
    "PriceBook",
    "RealisedPnl",
    "Reward",
    "ServiceEvent",
    "Services",
    "ServicesPlan",
    "Transfer",
    "generate",
    "generate_services",
    "round_amount",
    "round_price",
]
