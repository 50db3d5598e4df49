"""A seeded, venue-neutral account history: what an investor did, as :mod:`.events`.

:func:`generate` turns an :class:`ActivityPlan` (how many orders, deposits, transfers... over which
period and markets) into an :class:`Activity`: events sorted by time, the same for the same plan.
What makes histories hard to sync on purpose:

* fills of one order can share their millisecond, and orders come in bursts seconds apart;
* a delisted market trades only in the first 40 % of the period, in round trips that end flat;
* retail-desk ("desk") fills happen next to order-book fills of the same pair, and on pairs only
  the desk sells;
* perpetual fills open and close positions: closing fills realise P&L, open positions pay or
  receive funding at every funding interval;
* the newest deposits may still be pending; nothing happens in the last ``quiet_tail_ms``.

A venue's simulator chooses the plan (its markets, its sizes) and renders the events its own way.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

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
from .prices import PriceBook, round_amount, round_price

MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000

# Network names as people write them (never a venue id: generic code does not name venues).
_NETWORKS = {
    "BTC": "Bitcoin",
    "ETH": "Ethereum",
    "XRP": "XRP Ledger",
    "BCH": "Bitcoin Cash",
    "LTC": "Litecoin",
}
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_SEND_FEES = {"BTC": "0.0004", "ETH": "0.005", "XRP": "0", "BCH": "0.0002", "LTC": "0.001"}


@dataclass(frozen=True)
class ActivityPlan:
    """How much of what happens when. Counts are totals over the whole period."""

    seed: int
    start_ms: int
    end_ms: int
    markets: tuple[Market, ...]
    fiat: str = "JPY"
    orders: int = 0  # order-book orders over all markets (each with one or more fills)
    desk_trades: int = 0  # retail-desk fills (listed spot markets quoted in the fiat)
    crypto_deposits: int = 0
    crypto_withdrawals: int = 0
    fiat_deposits: int = 0
    fiat_withdrawals: int = 0
    transfers: int = 0  # fiat moved between the "spot" and "margin" wallets (alternating)
    rewards: int = 0
    pending_deposits: int = 0  # of ``crypto_deposits``, the newest ones still pending
    fee_rate: Decimal = Decimal("0.0015")  # order-book spot fills; perpetuals and the desk: none
    fee_in: str = "base"  # the asset spot fees are charged in: "base" or "quote"
    fiat_withdrawal_fee: Decimal = Decimal("550")
    funding_interval_ms: int = 8 * HOUR_MS
    burst_share: float = 0.2  # share of orders that start a burst of further orders
    quiet_tail_ms: int = 15 * MINUTE_MS

    def __post_init__(self) -> None:
        if self.end_ms - self.quiet_tail_ms <= self.start_ms + HOUR_MS:
            raise ValueError("the period is too short")
        if self.fee_in not in ("base", "quote"):
            raise ValueError("fee_in is 'base' or 'quote'")


@dataclass(frozen=True)
class Activity:
    """The generated history: ``events`` sorted by (time, seq)."""

    plan: ActivityPlan
    events: tuple[Event, ...]
    prices: PriceBook = field(repr=False, compare=False)

    def of(self, kind: type[Event]) -> list[Event]:
        """The events of one type, in time order."""
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def assets(self) -> tuple[str, ...]:
        found = {self.plan.fiat}
        for market in self.plan.markets:
            found.update((market.base, market.quote))
        return tuple(sorted(found))

    def __repr__(self) -> str:
        return f"Activity(seed={self.plan.seed}, events={len(self.events)})"


class _Builder:
    """Collects events (time, creation order); seq numbers are given once everything is sorted."""

    def __init__(self, plan: ActivityPlan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.prices = PriceBook(plan.seed, plan.start_ms, plan.end_ms, plan.fiat)
        self.events: list[Event] = []
        self.order = 0
        self.last_ms = plan.end_ms - plan.quiet_tail_ms

    def add(self, event: Event) -> None:
        self.events.append(event)

    def time(self, lo: int | None = None, hi: int | None = None) -> int:
        lo = self.plan.start_ms + MINUTE_MS if lo is None else lo
        hi = self.last_ms if hi is None else min(hi, self.last_ms)
        return self.rng.randint(lo, max(lo, hi))

    def next_order(self) -> int:
        self.order += 1
        return self.order

    def notional_qty(self, asset: str, at_ms: int, typical: float = 60_000.0) -> Decimal:
        """A quantity of ``asset`` worth around ``typical`` units of the fiat currency."""
        worth = typical * self.rng.lognormvariate(0.0, 0.9)
        decimals = 8 if self.prices.price(asset, at_ms) > 1_000 else 4
        return round_amount(worth / self.prices.price(asset, at_ms), decimals)

    def tx_hash(self, *parts: object) -> str:
        return hashlib.sha256("|".join(map(str, (self.plan.seed, *parts))).encode()).hexdigest()


def generate(plan: ActivityPlan) -> Activity:
    """The history ``plan`` describes (deterministic)."""
    b = _Builder(plan)
    _funding_money(b)
    _order_book(b)
    _desk(b)
    _crypto_moves(b)
    _fiat_moves(b)
    _transfers(b)
    _rewards(b)
    ordered = sorted(enumerate(b.events), key=lambda pair: (pair[1].time_ms, pair[0]))
    events = tuple(replace(event, seq=i + 1) for i, (_, event) in enumerate(ordered))
    return Activity(plan, events, b.prices)


# ------------------------------------------------------------------------------------ events


def _funding_money(b: _Builder) -> None:
    """The first fiat deposit comes right at the start and is large: trades have money to use."""
    if b.plan.fiat_deposits > 0:
        b.add(FiatDeposit(b.plan.start_ms + MINUTE_MS, 0, b.plan.fiat, Decimal(50_000_000)))


def _order_times(b: _Builder, count: int, lo: int, hi: int) -> Iterator[int]:
    """``count`` order times in [lo, hi]; about ``burst_share`` of them start a burst of 2-5
    further orders a few seconds apart."""
    made = 0
    while made < count:
        start = b.time(lo, hi)
        yield start
        made += 1
        if b.rng.random() < b.plan.burst_share:
            t = start
            for _ in range(b.rng.randint(2, 5)):
                if made >= count:
                    break
                t = min(hi, t + b.rng.randint(200, 4_000))
                yield t
                made += 1


def _order_book(b: _Builder) -> None:
    plan = b.plan
    markets = tuple(m for m in plan.markets if m.order_book)
    if not markets or plan.orders <= 0:
        return
    weights = [0.5 if m.kind == "perpetual" else (1.0 if m.listed else 0.3) for m in markets]
    total = sum(weights)
    split_at = plan.start_ms + (plan.end_ms - plan.start_ms) * 2 // 5
    for market, weight in zip(markets, weights, strict=True):
        count = max(2, round(plan.orders * weight / total))
        if not market.listed:
            times = sorted(_order_times(b, count, plan.start_ms + HOUR_MS, split_at))
            _round_trips(b, market, times)
        elif market.kind == "perpetual":
            _perpetual(b, market, sorted(_order_times(b, count, plan.start_ms + HOUR_MS, b.last_ms)))
        else:
            for t in _order_times(b, count, plan.start_ms + HOUR_MS, b.last_ms):
                side = "buy" if b.rng.random() < 0.5 else "sell"
                qty = b.notional_qty(market.base, t)
                _fills(b, market, t, side, qty)


def _fills(b: _Builder, market: Market, at_ms: int, side: str, qty: Decimal, *, fee: bool = True) -> Decimal:
    """One order of ``qty`` split into 1-4 fills (some in the same millisecond); the fee is charged
    per fill. Returns the fee charged in the base asset (0 when it is charged in the quote)."""
    plan = b.plan
    parts = 1 if b.rng.random() < 0.55 else b.rng.randint(2, 4)
    order = b.next_order()
    rate = b.prices.rate(market.base, market.quote, at_ms)
    remaining = qty
    base_fee = Decimal(0)
    t = at_ms
    for i in range(parts):
        last = i == parts - 1
        part = remaining if last else (qty / parts).quantize(qty) or remaining
        part = min(part, remaining)
        if part <= 0:
            break
        remaining -= part
        price = round_price(rate * (1 + b.rng.uniform(-0.002, 0.002)))
        fee_amount = Decimal(0)
        fee_asset = market.quote if plan.fee_in == "quote" else market.base
        if fee and market.kind == "spot":
            if plan.fee_in == "base":
                fee_amount = (part * plan.fee_rate).quantize(Decimal("0.00000001"))
                base_fee += fee_amount
            else:
                fee_amount = (part * price * plan.fee_rate).quantize(Decimal("0.00000001"))
        b.add(Fill(t, 0, market, side, part, price, fee_amount, fee_asset, order))
        if b.rng.random() >= 0.3:  # 30 %: the next fill shares this millisecond
            t = min(b.last_ms, t + b.rng.randint(1, 1_500))
    return base_fee


def _round_trips(b: _Builder, market: Market, times: list[int]) -> None:
    """Buy, later sell what was received: the base asset's balance ends where it started."""
    for i in range(0, len(times) - 1, 2):
        qty = b.notional_qty(market.base, times[i])
        fee = _fills(b, market, times[i], "buy", qty)
        _fills(b, market, times[i + 1], "sell", qty - fee)


def _perpetual(b: _Builder, market: Market, times: list[int]) -> None:
    """Fills that move a position; reductions realise P&L, open positions pay funding."""
    position = Decimal(0)  # signed base quantity
    entry = Decimal(0)  # average entry price
    interval = b.plan.funding_interval_ms
    next_funding = (times[0] // interval + 1) * interval if times else b.last_ms
    for t in [*times, b.last_ms]:
        while next_funding <= t and next_funding < b.last_ms:
            if position != 0:
                rate = Decimal(str(round(b.rng.uniform(-0.0003, 0.0003), 6)))
                mark = Decimal(str(b.prices.rate(market.base, market.quote, next_funding)))
                amount = (-position * mark * rate).quantize(Decimal(1))
                if amount != 0:
                    b.add(Funding(next_funding, 0, market, amount))
            next_funding += interval
        if t == b.last_ms:
            break
        if position != 0 and b.rng.random() < 0.6:  # reduce (or flip) the open position
            side = "sell" if position > 0 else "buy"
        else:
            side = "buy" if b.rng.random() < 0.5 else "sell"
        qty = b.notional_qty(market.base, t, typical=150_000.0)
        signed = qty if side == "buy" else -qty
        price = round_price(b.prices.rate(market.base, market.quote, t))
        b.add(Fill(t, 0, market, side, qty, price, Decimal(0), market.quote, b.next_order()))
        if position == 0 or (position > 0) == (signed > 0):
            entry = (entry * abs(position) + price * qty) / (abs(position) + qty)
            position += signed
            continue
        closed = min(abs(position), qty)
        direction = 1 if position > 0 else -1
        pnl = ((price - entry) * closed * direction).quantize(Decimal(1))
        if pnl != 0:
            b.add(RealisedPnl(t, 0, market, pnl))
        position += signed
        if position != 0 and (position > 0) != (direction > 0):
            entry = price  # flipped: the rest opens at this price
        elif position == 0:
            entry = Decimal(0)


def _desk(b: _Builder) -> None:
    plan = b.plan
    markets = [m for m in plan.markets if m.kind == "spot" and m.listed and m.quote == plan.fiat]
    for _ in range(plan.desk_trades if markets else 0):
        market = b.rng.choice(markets)
        t = b.time()
        side = "buy" if b.rng.random() < 0.6 else "sell"
        spread = 1.02 if side == "buy" else 0.98
        price = round_price(b.prices.rate(market.base, market.quote, t) * spread)
        qty = b.notional_qty(market.base, t, typical=20_000.0)
        b.add(Fill(t, 0, market, side, qty, price, Decimal(0), market.quote, b.next_order(), "desk"))


def _crypto_assets(plan: ActivityPlan) -> list[str]:
    return sorted({m.base for m in plan.markets if m.kind == "spot" and m.listed and m.order_book})


def _crypto_moves(b: _Builder) -> None:
    plan = b.plan
    assets = _crypto_assets(plan)
    if not assets:
        return
    deposits = []
    for i in range(plan.crypto_deposits):
        asset = b.rng.choice(assets)
        t = b.time()
        deposits.append((t, i, asset))
    deposits.sort()
    pending_from = len(deposits) - plan.pending_deposits
    for n, (t, i, asset) in enumerate(deposits):
        b.add(
            CryptoDeposit(
                t,
                0,
                asset,
                b.notional_qty(asset, t, typical=100_000.0),
                _NETWORKS.get(asset, asset.lower()),
                b.tx_hash("in", i),
                _address(b, asset),
                pending=n >= pending_from,
            )
        )
    for i in range(plan.crypto_withdrawals):
        asset = b.rng.choice(assets)
        t = b.time()
        extra = Decimal("0.0001") if asset == "BTC" and b.rng.random() < 0.2 else Decimal(0)
        b.add(
            CryptoWithdrawal(
                t,
                0,
                asset,
                b.notional_qty(asset, t, typical=80_000.0),
                Decimal(_SEND_FEES.get(asset, "0.01")),
                extra,
                _NETWORKS.get(asset, asset.lower()),
                b.tx_hash("out", i),
                _address(b, asset),
            )
        )


def _address(b: _Builder, asset: str) -> str:
    body = "".join(
        b.rng.choice("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz") for _ in range(33)
    )
    return ("0x" + hashlib.sha256(body.encode()).hexdigest()[:40]) if asset == "ETH" else "1" + body


def _fiat_moves(b: _Builder) -> None:
    plan = b.plan
    for _ in range(max(0, plan.fiat_deposits - 1)):  # the first one is the opening deposit
        amount = Decimal(b.rng.randrange(10_000, 2_000_000, 1_000))
        b.add(FiatDeposit(b.time(), 0, plan.fiat, amount))
    for _ in range(plan.fiat_withdrawals):
        amount = Decimal(b.rng.randrange(10_000, 1_000_000, 1_000))
        b.add(FiatWithdrawal(b.time(), 0, plan.fiat, amount, plan.fiat_withdrawal_fee))


def _transfers(b: _Builder) -> None:
    plan = b.plan
    times = sorted(b.time() for _ in range(plan.transfers))
    for n, t in enumerate(times):
        amount = Decimal(b.rng.randrange(10_000, 500_000, 1_000))
        source, target = ("spot", "margin") if n % 2 == 0 else ("margin", "spot")
        b.add(Transfer(t, 0, plan.fiat, amount, source, target))


def _rewards(b: _Builder) -> None:
    plan = b.plan
    assets = _crypto_assets(plan)
    for _ in range(plan.rewards if assets else 0):
        asset = b.rng.choice(assets)
        t = b.time()
        kind = b.rng.choice(("staking", "airdrop", "campaign"))
        b.add(Reward(t, 0, asset, b.notional_qty(asset, t, typical=500.0), kind))
