"""Seeded price paths per asset: one number per hour, the same for the same seed.

Prices are in the plan's fiat currency (a geometric random walk from a plausible level); a pair's
price is the ratio of its two assets. Only the generator reads them (to price fills, size orders and
value funding), so they need to be plausible, not realistic.
"""

from __future__ import annotations

import hashlib
import math
import random
from decimal import Decimal

HOUR_MS = 3_600_000

# Rough levels in JPY; other fiat currencies are converted with the JPY price of one unit.
_LEVELS_JPY: dict[str, float] = {
    "JPY": 1.0,
    "USD": 150.0,
    "EUR": 160.0,
    "BTC": 6_000_000.0,
    "ETH": 350_000.0,
    "XRP": 80.0,
    "LTC": 12_000.0,
    "BCH": 60_000.0,
    "ETC": 3_500.0,
    "MONA": 90.0,
    "XLM": 15.0,
    "LSK": 150.0,
    "BAT": 30.0,
    "SOL": 20_000.0,
    "USDT": 150.0,
    "USDC": 150.0,
}
_FIAT = frozenset({"JPY", "USD", "EUR"})


def _stable_seed(*parts: object) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


class PriceBook:
    """Hourly prices of any asset in ``fiat`` between ``start_ms`` and ``end_ms``."""

    def __init__(
        self, seed: int, start_ms: int, end_ms: int, fiat: str, *, volatility: float = 0.012
    ) -> None:
        self.seed = seed
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.fiat = fiat
        self.volatility = volatility
        self._paths: dict[str, list[float]] = {}

    def _level_jpy(self, asset: str) -> float:
        if asset in _LEVELS_JPY:
            return _LEVELS_JPY[asset]
        return float(10 ** (1 + _stable_seed("level", asset) % 4))  # 10 .. 10,000 JPY

    def _path(self, asset: str) -> list[float]:
        path = self._paths.get(asset)
        if path is None:
            steps = max(1, (self.end_ms - self.start_ms) // HOUR_MS + 2)
            rng = random.Random(_stable_seed(self.seed, "price", asset))
            level = self._level_jpy(asset) / self._level_jpy(self.fiat)
            path = [level]
            stable = asset in _FIAT or asset.startswith("USD")
            sigma = 0.0005 if stable else self.volatility
            for _ in range(steps):
                level *= math.exp(rng.gauss(0.0, sigma))
                path.append(level)
            self._paths[asset] = path
        return path

    def price(self, asset: str, at_ms: int) -> float:
        """The price of one unit of ``asset`` in the fiat currency at ``at_ms``."""
        if asset == self.fiat:
            return 1.0
        path = self._path(asset)
        index = min(len(path) - 1, max(0, (at_ms - self.start_ms) // HOUR_MS))
        return path[index]

    def rate(self, base: str, quote: str, at_ms: int) -> float:
        """How much ``quote`` one ``base`` costs at ``at_ms``."""
        return self.price(base, at_ms) / self.price(quote, at_ms)


def round_price(value: float, significant: int = 5) -> Decimal:
    """A price with ``significant`` digits (at most 8 decimals), as a venue's tick would give."""
    if value <= 0:
        raise ValueError("a price must be positive")
    digits = math.floor(math.log10(value)) + 1
    decimals = min(8, max(0, significant - digits))
    return Decimal(str(round(value, decimals))).quantize(Decimal(1).scaleb(-decimals))


def round_amount(value: float, decimals: int = 8) -> Decimal:
    """An amount with ``decimals`` places, never zero (at least one smallest unit)."""
    unit = Decimal(1).scaleb(-decimals)
    amount = Decimal(str(round(value, decimals))).quantize(unit)
    return amount if amount > 0 else unit
