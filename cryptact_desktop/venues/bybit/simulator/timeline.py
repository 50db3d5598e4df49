"""The shared state of the history generator: seeded RNG, timeline, serials and emitters.

Everything is drawn from one ``random.Random`` seeded with (seed, uid, size) and placed relative
to ``now_ms``, over the last ~3 years. The timeline has months-long gaps without any activity and
keeps every record out of the zones within two days of a depth boundary (now - 730 d,
now - 90 d), so whether a record is reachable is never ambiguous while a test runs.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from typing import Any

from .builders import K_FUNDING, Instrument, Row
from .market import INVERSE, LINEAR, SPOT, PricePaths
from .streams import DAY_MS, DEPTH_DAYS, HOUR_MS

HISTORY_DAYS = 1095
EIGHT_HOURS = 8 * HOUR_MS


@dataclass(frozen=True, slots=True)
class SizeParams:
    n_exec: int
    tie: int
    tie_followers: int
    tie_groups: int
    burst: int
    bursts: int
    deposits: int
    deposits_internal: int
    withdrawals: int
    transfers: int
    transfer_burst: int
    universal: int
    converts: int
    stake_periods: int
    misc_ledger: int


def size_params(size: str | int) -> SizeParams:
    named = {"tiny": 12, "small": 160, "medium": 20_000, "large": 200_000}
    if isinstance(size, bool) or not isinstance(size, int | str):
        raise TypeError(f"size must be a name or an int, not {size!r}")
    if isinstance(size, str):
        if size not in named:
            raise ValueError(f"unknown size {size!r}; use one of {sorted(named)} or an int")
        n = named[size]
    else:
        if size < 1:
            raise ValueError("size must be >= 1")
        n = size
    root = math.sqrt(n)
    if size == "tiny":
        tie, followers, burst = 4, 2, 4
    elif size == "small":
        tie, followers, burst = 85, 20, 40
    else:
        tie, followers, burst = min(150, max(4, n // 4)), min(30, max(2, n // 20)), min(300, max(4, n // 6))
    return SizeParams(
        n_exec=n,
        tie=tie,
        tie_followers=followers,
        tie_groups=max(1, n // 20_000),
        burst=burst,
        bursts=max(1, n // 20_000),
        deposits=max(2, int(0.9 * root)),
        deposits_internal=max(1, int(0.5 * root)),
        withdrawals=max(2, int(0.8 * root)),
        transfers=max(2, int(1.2 * root)),
        transfer_burst=3 if n < 100 else (25 if n < 1000 else 60),
        universal=max(1, int(0.6 * root)),
        converts=max(3, int(1.6 * root)),
        stake_periods=1 if n < 50 else max(2, int(root / 6)),
        misc_ledger=max(2, int(0.5 * root)),
    )


class Base:
    """Timeline, counters and the ledger emitter shared by the trading and wallet parts."""

    def __init__(
        self,
        seed: int,
        size: str | int,
        now_ms: int,
        uid: int,
        edge_anchor_ms: int | None,
        edge_step_ms: int,
    ) -> None:
        self.p = size_params(size)
        self.rng = random.Random(f"bybit-sim/{seed}/{uid}/{size}")
        self.uid = uid
        self.now = now_ms
        self.salt = self.rng.getrandbits(40)
        self.begin = now_ms - HISTORY_DAYS * DAY_MS
        self.last = now_ms - 120_000  # nothing in the last two minutes
        self.edge_anchor = edge_anchor_ms
        self.edge_step = edge_step_ms
        self.prices = PricePaths(self.rng, self.begin, HISTORY_DAYS + 2)
        self.instruments: list[Instrument] = []
        self.ins_index: dict[tuple[str, str], int] = {}
        for ins in (*SPOT, *LINEAR, *INVERSE):
            self._ins(ins)
        self.serial = 0
        self.order_no = 0
        self.execs: dict[str, list[Row]] = {c: [] for c in ("spot", "linear", "inverse", "option")}
        self.ledger: list[list[Any]] = []
        self.plain: dict[str, list[tuple[int, int, dict[str, Any]]]] = {
            s: []
            for s in (
                "deposit_onchain",
                "deposit_internal",
                "withdrawal",
                "transfer_internal",
                "transfer_universal",
                "convert",
                "earn_yield_flexible",
                "earn_order_flexible",
            )
        }
        self._rates: dict[int, int] = {}
        # Periods with no activity at all, and the zones around depth boundaries.
        self.zones = [
            (now_ms - (d + 2) * DAY_MS - HOUR_MS, now_ms - (d - 2) * DAY_MS + HOUR_MS)
            for d in sorted({v for v in DEPTH_DAYS.values() if v is not None})
        ]
        gaps = []
        long_start = now_ms - self.rng.randint(420, 650) * DAY_MS
        gaps.append((long_start, long_start + self.rng.randint(75, 120) * DAY_MS))
        for _ in range(2):
            g = self.rng.randint(40, HISTORY_DAYS - 60) * DAY_MS + self.begin
            gaps.append((g, g + self.rng.randint(25, 55) * DAY_MS))
        self.gaps = gaps
        self._build_allowed()

    # -- time helpers ---------------------------------------------------------------------
    def _build_allowed(self) -> None:
        blocked = sorted(self.zones + self.gaps)
        allowed: list[tuple[int, int]] = []
        cur = self.begin
        for a, b in blocked:
            if a > cur:
                allowed.append((cur, min(a, self.last)))
            cur = max(cur, b)
        if cur < self.last:
            allowed.append((cur, self.last))
        self.allowed = [(a, b) for a, b in allowed if b > a]
        self.allowed_starts = [a for a, _ in self.allowed]

    def ok(self, t: int) -> bool:
        """True when ``t`` is in an active period (not in a gap or a depth-boundary zone)."""
        i = bisect.bisect_right(self.allowed_starts, t) - 1
        return i >= 0 and t <= self.allowed[i][1]

    def in_zone(self, t: int) -> bool:
        return any(a <= t <= b for a, b in self.zones) or t > self.last or t < self.begin

    def sample(self, lo: int | None = None, hi: int | None = None) -> int:
        """A uniform time in the active periods within [lo, hi]."""
        lo = self.begin if lo is None else lo
        hi = self.last if hi is None else hi
        spans = [(max(a, lo), min(b, hi)) for a, b in self.allowed if min(b, hi) > max(a, lo)]
        if not spans:
            return max(self.begin, min(hi, self.last))
        total = sum(b - a for a, b in spans)
        x = self.rng.randrange(total)
        for a, b in spans:
            if x < b - a:
                return a + x
            x -= b - a
        return spans[-1][1]  # pragma: no cover

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    def _ins(self, ins: Instrument) -> int:
        key = (ins.category, ins.symbol)
        if key not in self.ins_index:
            self.ins_index[key] = len(self.instruments)
            self.instruments.append(ins)
        return self.ins_index[key]

    def _rate(self, r: int) -> int:
        return self._rates.setdefault(r, r)

    def spot_maker_rate(self, t: int) -> tuple[int, int]:
        """(maker, taker) spot fee rates of the account at ``t`` (VIP periods, incl. a rebate)."""
        age = self.now - t
        if 330 * DAY_MS < age <= 400 * DAY_MS:
            return -50, 500
        if 200 * DAY_MS < age <= 330 * DAY_MS:
            return 0, 600
        return 1000, 1000

    # -- row emitters ---------------------------------------------------------------------
    def _ledger(
        self,
        t: int,
        kind: int,
        ref: Row | None,
        ccy: str,
        change: int,
        flow: int,
        fee: int,
        size: int = 0,
    ) -> None:
        # cashFlow is not stored: the builder derives it (change + fee, or 0 for funding).
        assert flow == (0 if kind == K_FUNDING else change + fee)
        self.ledger.append([t, self._next(), kind, ref, ccy, change, fee, size, 0])
