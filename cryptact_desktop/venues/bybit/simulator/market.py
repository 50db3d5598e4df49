"""Seeded price paths and the instruments a simulated account trades."""

from __future__ import annotations

import random

from .builders import Instrument
from .streams import DAY_MS

# Start prices (about three years before "now") and daily volatility.
_ASSETS: dict[str, tuple[float, float]] = {
    "BTC": (37_000.0, 0.028),
    "ETH": (2_000.0, 0.035),
    "SOL": (55.0, 0.05),
    "XRP": (0.6, 0.045),
}

SPOT: tuple[Instrument, ...] = (
    Instrument("BTCUSDT", "spot", "BTC", "USDT", 2, 6, 1, 1, "BTC"),
    Instrument("ETHUSDT", "spot", "ETH", "USDT", 2, 5, 1, 1, "ETH"),
    Instrument("SOLUSDT", "spot", "SOL", "USDT", 2, 3, 1, 1, "SOL"),
    Instrument("XRPUSDT", "spot", "XRP", "USDT", 4, 2, 1, 1, "XRP"),
    Instrument("BTCUSDC", "spot", "BTC", "USDC", 2, 6, 1, 1, "BTC"),
)
SPOT_WEIGHTS = (40, 30, 15, 10, 5)

LINEAR: tuple[Instrument, ...] = (
    Instrument("BTCUSDT", "linear", "BTC", "USDT", 1, 3, 1, 1, "BTC"),
    Instrument("ETHUSDT", "linear", "ETH", "USDT", 2, 2, 1, 1, "ETH"),
    Instrument("SOLUSDT", "linear", "SOL", "USDT", 2, 1, 1, 1, "SOL"),
    Instrument("XRPUSDT", "linear", "XRP", "USDT", 4, 0, 1, 1, "XRP"),
    Instrument("BTCPERP", "linear", "BTC", "USDC", 1, 3, 5, 1, "BTC"),  # USDC perpetual: daily Settle
)
LINEAR_WEIGHTS = (40, 25, 15, 10, 10)

INVERSE: tuple[Instrument, ...] = (
    Instrument("BTCUSD", "inverse", "BTC", "BTC", 1, 0, 5, 1, "BTC"),
    Instrument("ETHUSD", "inverse", "ETH", "ETH", 2, 0, 5, 1, "ETH"),
)
INVERSE_WEIGHTS = (70, 30)


class PricePaths:
    """Daily random-walk prices per asset, linearly interpolated inside a day."""

    def __init__(self, rng: random.Random, begin_ms: int, days: int) -> None:
        self.begin_ms = begin_ms
        self.days: dict[str, list[float]] = {}
        for asset, (start, vol) in _ASSETS.items():
            path = [start]
            p = start
            for _ in range(days + 2):
                step = vol * 1.7 * (2.0 * rng.random() - 1.0)
                # Pull back towards the start level when the walk wanders far away.
                if p > start * 2.2:
                    step -= vol * 0.7
                elif p < start * 0.6:
                    step += vol * 0.7
                p *= 1.0 + step
                path.append(p)
            self.days[asset] = path

    def price(self, asset: str, t_ms: int) -> float:
        path = self.days[asset]
        offset = max(0, t_ms - self.begin_ms)
        day, rest = divmod(offset, DAY_MS)
        day = min(day, len(path) - 2)
        frac = rest / DAY_MS
        return path[day] + (path[day + 1] - path[day]) * frac

    def units(self, ins: Instrument, t_ms: int, jitter: float = 0.0) -> int:
        """The price of ``ins`` at ``t_ms`` in price units, on the tick grid."""
        p = self.price(ins.asset, t_ms) * (1.0 + jitter)
        ticks = int(round(p * 10**ins.price_scale / ins.tick))
        return max(1, ticks) * ins.tick
