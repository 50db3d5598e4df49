"""What an investor does at an exchange besides its order book: converts, dust sweeps, earn rewards,
card purchases, wallet transfers and the commissions of perpetual fills, as venue-neutral events.

:func:`generate_services` adds these to an :class:`~.generate.Activity` (the same prices, period and
seed): a venue simulator that offers such services renders them next to the order-book events.
Amounts are ``Decimal``, times epoch milliseconds, ``seq`` numbers continue after the activity's own
(so the two lists merge into one ordered history).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .events import Fill, Market, Transfer
from .generate import Activity
from .prices import round_amount

MINUTE_MS = 60_000
DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class Convert:
    """A swap at the venue's quoted price (no order book): ``from_amount`` of ``from_asset`` given,
    ``to_amount`` of ``to_asset`` received."""

    time_ms: int
    seq: int
    from_asset: str
    from_amount: Decimal
    to_asset: str
    to_amount: Decimal


@dataclass(frozen=True, slots=True)
class DustPart:
    """One coin of a dust sweep: ``amount`` given, ``received`` of the target coin credited,
    ``fee`` (in the target coin) kept by the venue on top of ``received``."""

    asset: str
    amount: Decimal
    received: Decimal
    fee: Decimal


@dataclass(frozen=True, slots=True)
class DustSweep:
    """Small balances of several coins swept into ``target`` at once."""

    time_ms: int
    seq: int
    target: str
    parts: tuple[DustPart, ...]


@dataclass(frozen=True, slots=True)
class EarnReward:
    """Interest of a savings (``"flexible"``) or staking (``"locked"``) product; ``kind`` is the
    venue-neutral reason (``"realtime"``, ``"bonus"``, ``"rewards"``, ``"locked"``)."""

    time_ms: int
    seq: int
    asset: str
    amount: Decimal
    product: str
    kind: str


@dataclass(frozen=True, slots=True)
class CardPurchase:
    """Crypto bought (``side`` "buy") or sold ("sell") for fiat through a card or bank payment:
    ``fiat_amount`` includes ``fee``; ``amount`` of ``asset`` at ``price`` fiat per coin."""

    time_ms: int
    seq: int
    side: str
    fiat: str
    fiat_amount: Decimal
    fee: Decimal
    asset: str
    amount: Decimal
    price: Decimal


@dataclass(frozen=True, slots=True)
class PerpetualFee:
    """The trading fee of one perpetual fill (``fill_seq``), paid in the settlement currency."""

    time_ms: int
    seq: int
    market: Market
    amount: Decimal
    fill_seq: int


ServiceEvent = Convert | DustSweep | EarnReward | CardPurchase | PerpetualFee | Transfer


@dataclass(frozen=True)
class ServicesPlan:
    """How many of each service event over the activity's period. ``coins``: what converts, dust,
    earn and card purchases use (default: the spot bases of the activity's listed markets);
    ``wallets``: the wallets transfers move funds between, each with the coin it holds."""

    converts: int = 0
    dust_sweeps: int = 0
    earn_rewards: int = 0
    card_purchases: int = 0
    transfers: int = 0
    coins: tuple[str, ...] = ()
    stable: str = "USDT"  # what converts mostly go through
    dust_target: str = "BNB"
    wallets: tuple[tuple[str, str], ...] = (("usdm", "USDT"), ("funding", "USDT"))
    perpetual_fee_rate: Decimal = Decimal("0.0004")
    salt: int = 7  # varies the draws from the activity's own seed


@dataclass(frozen=True)
class Services:
    """The service events, sorted by (time, seq)."""

    activity: Activity
    events: tuple[ServiceEvent, ...] = field(repr=False)

    def of(self, kind: type[ServiceEvent]) -> list[ServiceEvent]:
        return [e for e in self.events if isinstance(e, kind)]


def generate_services(activity: Activity, plan: ServicesPlan) -> Services:
    """The service events of ``activity``'s investor (deterministic for the same inputs)."""
    base = activity.plan
    rng = random.Random(base.seed * 1_000 + plan.salt)
    prices = activity.prices
    first = base.start_ms + DAY_MS
    last = base.end_ms - base.quiet_tail_ms
    coins = list(plan.coins) or sorted(
        {m.base for m in base.markets if m.kind == "spot" and m.listed and m.order_book}
    )
    made: list[ServiceEvent] = []

    def when() -> int:
        return rng.randint(first, max(first, last))

    def worth(asset: str, at_ms: int, typical: float) -> Decimal:
        value = typical * rng.lognormvariate(0.0, 0.7)
        decimals = 8 if prices.price(asset, at_ms) > 1_000 else 4
        return round_amount(value / prices.price(asset, at_ms), decimals)

    for _ in range(plan.converts if coins else 0):
        t = when()
        coin = rng.choice(coins)
        pair = (plan.stable, coin) if rng.random() < 0.6 else (coin, plan.stable)
        given = worth(pair[0], t, 30_000.0)
        got = round_amount(float(given) * prices.rate(pair[0], pair[1], t) * 0.998, 8)
        made.append(Convert(t, 0, pair[0], given, pair[1], got))
    small = [c for c in coins if c != plan.dust_target]
    for _ in range(plan.dust_sweeps if small else 0):
        t = when()
        picked = rng.sample(small, k=min(len(small), rng.randint(1, 3)))
        parts = []
        for coin in sorted(picked):
            amount = worth(coin, t, 40.0)
            value = float(amount) * prices.rate(coin, plan.dust_target, t)
            fee = round_amount(value * 0.02, 8)
            parts.append(DustPart(coin, amount, round_amount(value - float(fee), 8), fee))
        made.append(DustSweep(t, 0, plan.dust_target, tuple(parts)))
    for _ in range(plan.earn_rewards if coins else 0):
        t = when()
        product = "flexible" if rng.random() < 0.75 else "locked"
        kind = rng.choice(("realtime", "realtime", "bonus", "rewards")) if product == "flexible" else "locked"
        coin = rng.choice([*coins, plan.stable])
        made.append(EarnReward(t, 0, coin, worth(coin, t, 150.0), product, kind))
    for _ in range(plan.card_purchases if coins else 0):
        t = when()
        coin = rng.choice(coins)
        side = "buy" if rng.random() < 0.8 else "sell"
        unit = Decimal(150) if base.fiat == "JPY" else Decimal(1)  # card limits are in dollars or euros
        fiat_amount = Decimal(rng.randrange(20, 2_000)) * unit
        fee = (fiat_amount * Decimal("0.018")).quantize(Decimal("0.01"))
        price = Decimal(str(round(prices.rate(coin, base.fiat, t) * 1.01, 2)))
        amount = ((fiat_amount - fee) / price).quantize(Decimal("0.00000001"))
        made.append(CardPurchase(t, 0, side, base.fiat, fiat_amount, fee, coin, amount, price))
    wallets = list(plan.wallets)
    for n in range(plan.transfers if wallets else 0):
        t = when()
        wallet, coin = wallets[n % len(wallets)]
        amount = Decimal(rng.randrange(50, 5_000))
        source, target = ("spot", wallet) if rng.random() < 0.55 else (wallet, "spot")
        made.append(Transfer(t, 0, coin, amount, source, target))
    for event in activity.events:
        if isinstance(event, Fill) and event.market.kind == "perpetual":
            fee = (event.qty * event.price * plan.perpetual_fee_rate).quantize(Decimal("0.00000001"))
            if fee > 0:
                made.append(PerpetualFee(event.time_ms, 0, event.market, fee, event.seq))
    start_seq = len(activity.events)
    ordered = sorted(enumerate(made), key=lambda pair: (pair[1].time_ms, pair[0]))
    events = tuple(_with_seq(event, start_seq + i + 1) for i, (_, event) in enumerate(ordered))
    return Services(activity, events)


def _with_seq(event: ServiceEvent, seq: int) -> ServiceEvent:
    return replace(event, seq=seq)
