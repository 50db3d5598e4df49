"""A faithful, deterministic bitFlyer Lightning HTTP API simulator over seeded accounts.

Standard library only, and independent of ``cryptact_desktop.sync`` and of the app's bitFlyer client
on purpose: a second reading of bitFlyer's documentation, so it cannot share the client's mistakes.
The accounts are rendered from the shared, venue-neutral activity generator
(:mod:`cryptact_desktop.simulator.activity`); ``server.py`` is the HTTP side, ``account.py`` the
rendering, ``exports.py`` bitFlyer's downloadable trade history report.
"""

from __future__ import annotations

import time

from cryptact_desktop.simulator.activity import ActivityPlan, Market, generate
from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry
from cryptact_desktop.simulator.kit.demo import DemoKeys

from .account import DESK_ORDER_PREFIX, SimAccount, product_code
from .server import READ_PATHS, TRADE_PATHS, BitflyerSimulator, SimulatedKey, sign

__all__ = [
    "DESK_ORDER_PREFIX",
    "MARKETS",
    "READ_PATHS",
    "SIZES",
    "TRADE_PATHS",
    "BitflyerSimulator",
    "Fault",
    "FaultPlan",
    "RequestLogEntry",
    "SimAccount",
    "SimulatedKey",
    "demo_setup",
    "generate_account",
    "product_code",
    "sign",
]

DAY_MS = 86_400_000
HOUR_MS = 3_600_000

# The pairs a simulated investor trades: bitFlyer's spot pairs, a coin only the retail desk sells
# (LSK), a delisted pair (LTC_BTC: only its old trades in the balance history name it) and Crypto
# CFD (FX_BTC_JPY).
MARKETS: tuple[Market, ...] = (
    Market("BTC", "JPY"),
    Market("LSK", "JPY", order_book=False),
    Market("ETH", "JPY"),
    Market("XRP", "JPY"),
    Market("ETH", "BTC"),
    Market("BCH", "BTC"),
    Market("LTC", "BTC", listed=False),
    Market("BTC", "JPY", "perpetual"),
)

# size -> (days of history, book orders, desk trades, coin ins, coin outs, bank deposits,
# bank withdrawals, margin transfers, rewards, pending coin ins)
SIZES: dict[str, tuple[int, ...]] = {
    "tiny": (60, 14, 3, 2, 1, 2, 1, 2, 1, 0),
    "small": (365, 130, 25, 10, 6, 4, 3, 4, 5, 1),
    "medium": (3 * 365, 56_000, 1_500, 400, 250, 60, 40, 40, 200, 1),
}


def generate_account(seed: int, size: str = "small", now_ms: int | None = None) -> SimAccount:
    """A seeded account whose history ends ``now_ms`` (default: now)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}")
    days, orders, desk, coin_in, coin_out, fiat_in, fiat_out, transfers, rewards, pending = SIZES[size]
    end = int(time.time() * 1000) if now_ms is None else now_ms
    plan = ActivityPlan(
        seed=seed,
        start_ms=end - days * DAY_MS,
        end_ms=end,
        markets=MARKETS,
        orders=orders,
        desk_trades=desk,
        crypto_deposits=coin_in,
        crypto_withdrawals=coin_out,
        fiat_deposits=fiat_in,
        fiat_withdrawals=fiat_out,
        transfers=transfers,
        rewards=rewards,
        pending_deposits=pending,
        funding_interval_ms=24 * HOUR_MS,
    )
    return SimAccount(generate(plan))


DEMO_ACCOUNT = "demo"
DEMO_KEYS = DemoKeys(
    key="SIMDEMOBITFLYER01",
    secret="SimDemoBitflyerSecret0123456789abcdefXYZ=",  # noqa: S106 (simulated)
    broken_key="SIMDEMOBITFLYER02",
    broken_server_secret="SimDemoBitflyerServerSecret9876543210fedcb=",  # noqa: S106
    broken_client_secret="SimDemoBitflyerWrongSecret000000000000000=",  # noqa: S106
)


def demo_setup(
    now_ms: int | None = None, *, speed: float = 1.0
) -> tuple[BitflyerSimulator, list[tuple[str, str, str]]]:
    """A simulator (not started) with one "small" account and the two :class:`DemoKeys` for the
    GUI demo mode, and their (kind, api_key, secret) triples. ``speed`` multiplies bitFlyer's limits.
    """
    account = generate_account(seed=1, size="small", now_ms=now_ms)
    keys = DEMO_KEYS.server_keys(lambda key, secret, note: SimulatedKey(key, secret, DEMO_ACCOUNT, note=note))
    return BitflyerSimulator({DEMO_ACCOUNT: account}, keys, rate_limit_scale=speed), DEMO_KEYS.entries()
