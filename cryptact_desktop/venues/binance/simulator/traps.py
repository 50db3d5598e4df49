"""The events that make a Binance history hard to sync completely, added to the neutral activity.

* **Funding.** The investor deposits every coin the order book trades at the start (a real account
  is funded before it trades).
* **A coin seen only in old history.** DOT arrives by an early deposit and is sold on ``DOTUSDT``
  about half-way through, down to zero: nothing but that deposit names DOT, so a client that lists
  pairs only from recent history (after the key's sync start) or from balances misses the sale.
* **A delisted pair.** LUNA arrives by an early deposit; the activity trades it on ``LUNABUSD``,
  which Binance no longer lists: no pair of LUNA can be asked for.
* **A deposit still pending** twenty minutes before the history ends (not final: not stored yet).
* **A busy day.** More than 1000 fills of ``BTCUSDT`` within one day, four at a time in the same
  millisecond (a paging by time of 1000 a page, or by the last fill's time, loses some).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from cryptact_desktop.simulator.activity import Activity, CryptoDeposit, Fill, Market, round_price

from .account import SPOT_ONLY_ORDERS

HOUR_MS = 3_600_000
DAY_MS = 86_400_000
OLD_COIN = "DOT"
OLD_COIN_MARKET = Market("DOT", "USDT")
DELISTED_COIN = "LUNA"
_OPENING = {
    "BTC": Decimal("40"),
    "ETH": Decimal("600"),
    "BNB": Decimal("4000"),
    "SOL": Decimal("20000"),
    "XRP": Decimal("2000000"),
    "USDT": Decimal("5000000"),
}


def _tx(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def trap_events(activity: Activity, *, busy_day_fills: int, pending_deposit: bool = True) -> list[object]:
    """The trap events of ``activity``'s account (sequence numbers after every other event's)."""
    plan = activity.plan
    start, end = plan.start_ms, plan.end_ms
    span = end - start
    seq = 10_000_000
    events: list[object] = []

    def next_seq() -> int:
        nonlocal seq
        seq += 1
        return seq

    traded = sorted(
        {c for m in plan.markets if m.kind == "spot" and m.listed for c in (m.base, m.quote)} - {plan.fiat}
    )
    for n, coin in enumerate(traded):
        amount = _OPENING.get(coin, Decimal("1000"))
        events.append(
            CryptoDeposit(
                start + 30 * 60_000 + n, next_seq(), coin, amount, coin.lower(), _tx("open", coin), "1Open"
            )
        )
    events.append(
        CryptoDeposit(
            start + span // 10, next_seq(), OLD_COIN, Decimal("500"), "dot", _tx("old", OLD_COIN), "1Old"
        )
    )
    sold = Decimal(0)
    t = start + span * 55 // 100
    for n, qty in enumerate((Decimal("200"), Decimal("175.5"), Decimal("124.5"))):
        price = round_price(activity.prices.rate(OLD_COIN, "USDT", t))
        fee = (qty * price * Decimal("0.001")).quantize(Decimal("0.00000001"))
        events.append(
            Fill(
                t + n * 1_500,
                next_seq(),
                OLD_COIN_MARKET,
                "sell",
                qty,
                price,
                fee,
                "USDT",
                SPOT_ONLY_ORDERS + n,
            )
        )
        sold += qty
    assert sold == Decimal("500")
    events.append(
        CryptoDeposit(
            start + span // 20, next_seq(), DELISTED_COIN, Decimal("2500"), "luna", _tx("luna"), "1Luna"
        )
    )
    if pending_deposit:
        events.append(
            CryptoDeposit(
                end - 20 * 60_000,
                next_seq(),
                "ETH",
                Decimal("1.25"),
                "eth",
                _tx("pending"),
                "1Pend",
                pending=True,
            )
        )
    if busy_day_fills:
        market = Market("BTC", "USDT")
        day = start + span * 65 // 100
        day -= day % DAY_MS
        step = (DAY_MS - HOUR_MS) // (busy_day_fills // 4 + 1)
        for n in range(busy_day_fills):
            at = day + HOUR_MS + (n // 4) * step  # four fills share each millisecond
            price = round_price(activity.prices.rate("BTC", "USDT", at) * (1 + (n % 7) / 10_000))
            qty = Decimal("0.0001") * (1 + n % 9)
            side = "buy" if n % 2 == 0 else "sell"
            fee = (qty * price * Decimal("0.001")).quantize(Decimal("0.00000001"))
            events.append(
                Fill(at, next_seq(), market, side, qty, price, fee, "USDT", SPOT_ONLY_ORDERS + 100 + n)
            )
    return events
