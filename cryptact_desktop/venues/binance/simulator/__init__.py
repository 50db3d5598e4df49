"""A faithful, deterministic Binance REST API simulator over seeded accounts.

Standard library only, and independent of ``cryptact_desktop.sync`` and of the app's Binance client
on purpose: a second reading of Binance's documentation, so it cannot share the client's mistakes.
Accounts are rendered from the shared, venue-neutral activity generator and its exchange services
(:mod:`cryptact_desktop.simulator.activity`) plus the traps of :mod:`.traps`; ``server.py`` is the
HTTP side, ``account.py`` the rendering, ``exports.py`` Binance's downloadable files.
"""

from __future__ import annotations

import time
from decimal import Decimal

from cryptact_desktop.simulator.activity import (
    ActivityPlan,
    Market,
    ServicesPlan,
    generate,
    generate_services,
)
from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry
from cryptact_desktop.simulator.kit.demo import DemoKeys

from .account import SimAccount, SymbolInfo, symbol_of
from .server import BinanceSimulator, SimulatedKey, sign
from .traps import trap_events

__all__ = [
    "EXTRA_SYMBOLS",
    "MARKETS",
    "SIZES",
    "BinanceSimulator",
    "Fault",
    "FaultPlan",
    "RequestLogEntry",
    "SimAccount",
    "SimulatedKey",
    "SymbolInfo",
    "demo_setup",
    "generate_account",
    "sign",
    "symbol_of",
]

DAY_MS = 86_400_000

# The pairs a simulated investor trades: spot pairs (one quoted in the account's fiat), a pair
# Binance delisted (LUNABUSD), a USDⓈ-M and a COIN-M perpetual.
MARKETS: tuple[Market, ...] = (
    Market("BTC", "USDT"),
    Market("ETH", "USDT"),
    Market("BNB", "USDT"),
    Market("ETH", "BTC"),
    Market("SOL", "USDT"),
    Market("XRP", "USDT"),
    Market("BTC", "EUR"),
    Market("LUNA", "BUSD", listed=False),
    Market("BTC", "USDT", "perpetual"),
    Market("BTC", "USD", "perpetual"),
)

# What else exchangeInfo lists for the same coins (so a client that lists pairs per coin asks for
# pairs the account never traded), and DOTUSDT (the pair of the coin only an old deposit names).
EXTRA_SYMBOLS: tuple[SymbolInfo, ...] = (
    SymbolInfo("DOTUSDT", "DOT", "USDT"),
    SymbolInfo("DOTBTC", "DOT", "BTC"),
    SymbolInfo("BNBBTC", "BNB", "BTC"),
    SymbolInfo("BNBETH", "BNB", "ETH"),
    SymbolInfo("SOLBTC", "SOL", "BTC"),
    SymbolInfo("SOLBNB", "SOL", "BNB", margin=False),
    SymbolInfo("XRPBTC", "XRP", "BTC"),
    SymbolInfo("XRPBNB", "XRP", "BNB", margin=False),
    SymbolInfo("ETHEUR", "ETH", "EUR"),
    SymbolInfo("BNBEUR", "BNB", "EUR", margin=False),
    SymbolInfo("EURUSDT", "EUR", "USDT"),
    SymbolInfo("USDCUSDT", "USDC", "USDT"),
    SymbolInfo("BTCUSDC", "BTC", "USDC"),
    SymbolInfo("ETHUSDC", "ETH", "USDC"),
    SymbolInfo("BTCFDUSD", "BTC", "FDUSD"),
    SymbolInfo("FDUSDUSDT", "FDUSD", "USDT"),
    SymbolInfo("ADAUSDT", "ADA", "USDT"),
    SymbolInfo("DOGEUSDT", "DOGE", "USDT"),
)

# size -> (days, orders, coin deposits, coin withdrawals, fiat deposits, fiat withdrawals,
# converts, dust sweeps, earn rewards, card purchases, transfers, busy-day fills)
SIZES: dict[str, tuple[int, ...]] = {
    "tiny": (60, 16, 3, 1, 2, 1, 3, 1, 6, 2, 3, 0),
    "small": (365, 160, 10, 6, 4, 3, 30, 6, 60, 8, 16, 1_200),
    "medium": (3 * 365, 20_000, 400, 250, 60, 40, 900, 60, 3_000, 150, 400, 1_200),
}


def generate_account(seed: int, size: str = "small", now_ms: int | None = None) -> SimAccount:
    """A seeded account whose history ends ``now_ms`` (default: now)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}")
    days, orders, coin_in, coin_out, fiat_in, fiat_out, converts, dust, earn, cards, moves, busy = SIZES[size]
    end = int(time.time() * 1000) if now_ms is None else now_ms
    plan = ActivityPlan(
        seed=seed,
        start_ms=end - days * DAY_MS,
        end_ms=end,
        markets=MARKETS,
        fiat="EUR",
        orders=orders,
        crypto_deposits=coin_in,
        crypto_withdrawals=coin_out,
        fiat_deposits=fiat_in,
        fiat_withdrawals=fiat_out,
        fee_in="quote",
        fee_rate=Decimal("0.001"),
        fiat_withdrawal_fee=Decimal("1.5"),
    )
    activity = generate(plan)
    services = generate_services(
        activity,
        ServicesPlan(
            converts=converts,
            dust_sweeps=dust,
            earn_rewards=earn,
            card_purchases=cards,
            transfers=moves,
            wallets=(("usdm", "USDT"), ("funding", "USDT"), ("coinm", "BTC"), ("margin", "USDT")),
        ),
    )
    traps = trap_events(activity, busy_day_fills=busy, pending_deposit=size != "tiny")
    return SimAccount(activity, services, traps=traps, extra_symbols=EXTRA_SYMBOLS)


DEMO_ACCOUNT = "demo"
DEMO_KEYS = DemoKeys(
    key="SimDemoBinanceKey0000000000000000000000000000000000000000000001",
    secret="SimDemoBinanceSecret000000000000000000000000000000000000000001",  # noqa: S106 (simulated)
    broken_key="SimDemoBinanceKey0000000000000000000000000000000000000000000002",
    broken_server_secret="SimDemoBinanceServerSecret0000000000000000000000000000000002",  # noqa: S106
    broken_client_secret="SimDemoBinanceWrongSecret00000000000000000000000000000000002",  # noqa: S106
)


def demo_setup(
    now_ms: int | None = None, *, speed: float = 1.0
) -> tuple[BinanceSimulator, list[tuple[str, str, str]]]:
    """A simulator (not started) with one "small" account and the two :class:`DemoKeys` for the
    GUI demo mode, and their (kind, api_key, secret) triples. ``speed`` multiplies Binance's limits.
    """
    account = generate_account(seed=1, size="small", now_ms=now_ms)
    keys = DEMO_KEYS.server_keys(lambda key, secret, note: SimulatedKey(key, secret, DEMO_ACCOUNT, note=note))
    return BinanceSimulator({DEMO_ACCOUNT: account}, keys, rate_limit_scale=speed), DEMO_KEYS.entries()
