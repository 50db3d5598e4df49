"""The seeded generator of one simulated Bybit account history (the ground truth).

On top of random trading and wallet activity it places, on purpose, what makes a sync test
meaningful: a spot market order filled in many executions with the same execTime (a tie group
that straddles page boundaries), a burst of linear executions inside one minute, every linear
execution type (Trade, Funding, Settle, Delivery, BustTrade), records older than the depth
limits, and, when asked, records exactly on a client's window edges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .builders import E_T, FEE_SCALE, L_BAL, L_CCY, L_CHANGE, Instrument, Row, pow10
from .streams import DAY_MS, HOUR_MS, SECOND_GRANULAR, UNWINDOWED
from .trading import Trading
from .wallet import Wallet


@dataclass(slots=True)
class Generated:
    """Raw output: compact rows for executions and the ledger, (time, serial, dict) for the rest."""

    instruments: list[Instrument]
    salt: int
    executions: dict[str, list[Row]]
    ledger: list[Row]
    plain: dict[str, list[tuple[int, int, dict[str, Any]]]]


class Generator(Trading, Wallet):
    # -- the whole history ----------------------------------------------------------------
    def run(self) -> Generated:
        p, rng = self.p, self.rng
        recent_lo, recent_hi = self.now - 600 * DAY_MS, self.now - 100 * DAY_MS
        # Tie groups: one market order with many fills at one execTime, plus newer fills right after.
        for g in range(p.tie_groups):
            t = self.sample(recent_lo, recent_hi) if g == 0 else self.sample()
            self.spot_order(t, fills=p.tie, ins_i=self.ins_index[("spot", "BTCUSDT")], market=True)
            for _ in range(p.tie_followers):
                self.spot_order(t + rng.randint(1000, 50 * 60_000), fills=1)
        for b in range(p.bursts):
            self.burst(self.sample(recent_lo, recent_hi) if b == 0 else self.sample())
        target = {
            "spot": int(p.n_exec * 0.45),
            "linear": int(p.n_exec * 0.40),
            "inverse": max(2, int(p.n_exec * 0.08)),
            "option": max(2, int(p.n_exec * 0.07)),
        }
        self._fill_spot(target["spot"])
        # Linear must show every execution type a tax sync has to handle.
        for kind in ("bust", "dated", "perp"):  # dated: opened early enough to be delivered by now
            self.deriv_episode("linear", self.sample(self.now - 400 * DAY_MS, self.now - 260 * DAY_MS), kind)
        for cat in ("linear", "inverse"):
            count, i = len(self.execs[cat]), 0
            while count < target[cat] or i < 2:
                count += self.deriv_episode(cat, self.pick(i))
                i += 1
        i = 0
        while len(self.execs["option"]) < target["option"] or i < 2:
            self.option_trade(self.pick(i, self.now - 70 * DAY_MS))
            i += 1
        self._fill_plain()
        self._edges()
        return self._finish()

    def pick(self, i: int, recent_hi: int | None = None) -> int:
        """The i-th time of a stream: first a recent one, then one older than two years, then any."""
        if i == 0:
            return self.sample(self.now - 300 * DAY_MS, recent_hi or self.now - 5 * DAY_MS)
        if i == 1:
            return self.sample(self.begin, self.now - 740 * DAY_MS)
        return self.sample()

    def _fill_spot(self, target: int) -> None:
        rng = self.rng
        i = 0
        while len(self.execs["spot"]) < target or i < 2:
            t = self.pick(i)
            i += 1
            # A session: a few orders minutes apart.
            for _ in range(rng.choice((1, 1, 2, 3, 5))):
                if (len(self.execs["spot"]) >= target and i > 2) or not self.ok(t):
                    break
                self.spot_order(t)
                t += int(rng.expovariate(1.0 / 600_000)) + 1

    def _fill_plain(self) -> None:
        p, rng = self.p, self.rng
        for i in range(p.deposits):
            self.deposit(self.pick(i))
        if p.n_exec >= 100:
            self.deposit(self.sample(self.now - 20 * HOUR_MS, self.now - 2 * HOUR_MS), status=2)
        # Several deposits credited in the same second (a second-granular tie).
        t = self.pick(0)
        for _ in range(2 if p.n_exec < 50 else 3):
            self.deposit(t)
        for i in range(p.deposits_internal):
            self.deposit_internal(self.pick(i))
        n_off = max(1, p.withdrawals * 3 // 10)
        for i in range(p.withdrawals - n_off):
            self.withdrawal(self.pick(i), off_chain=False)
        for i in range(n_off):
            self.withdrawal(self.pick(i), off_chain=True)
        for i in range(p.transfers):
            self.transfer(self.pick(i))
        t = self.pick(0)
        for _ in range(p.transfer_burst):  # a bot moving funds: many transfers inside one minute
            self.transfer(t + rng.randrange(60_000), "USDT")
        for i in range(p.universal):
            self.universal(self.pick(i))
        for i in range(p.converts):
            self.convert(self.pick(i))
        for i in range(p.misc_ledger):
            self.misc_ledger(self.pick(i))
        # Flexible savings: the last period is still running now (its yields are reachable).
        short = p.n_exec < 1000
        for i in range(p.stake_periods):
            if i == p.stake_periods - 1:
                days = (
                    rng.randint(5, 10)
                    if p.n_exec < 50
                    else rng.randint(20, 35)
                    if short
                    else rng.randint(40, 80)
                )
                self.stake_period(self.now - days * DAY_MS, None)
            else:
                start = self.pick(1) if i == 0 else self.sample()  # the first one is old (unreachable)
                self.stake_period(
                    start, start + (rng.randint(5, 20) if short else rng.randint(10, 120)) * DAY_MS
                )

    def _edges(self) -> None:
        if self.edge_anchor is None or self.edge_step <= 0:
            return
        anchor, step = self.edge_anchor, self.edge_step
        k_lo = max(0, -((anchor - self.begin) // step))  # first k with anchor + k*step >= begin
        k_hi = (self.last - anchor) // step
        if k_hi < k_lo:
            return
        # The first three edges, the middle one and the last two ("several k").
        wanted = (k_lo, k_lo + 1, k_lo + 2, (k_lo + k_hi) // 2, k_hi - 1, k_hi)
        chosen = sorted({k for k in wanted if k_lo <= k <= k_hi})
        makers: dict[str, Callable[[int], object]] = {
            "execution_spot": lambda t: self.spot_order(t, fills=1),
            "execution_linear": lambda t: self.single_deriv("linear", t),
            "execution_inverse": lambda t: self.single_deriv("inverse", t),
            "execution_option": lambda t: self.option_trade(t, allow_delivery=False),
            "transaction_log": lambda t: self.misc_ledger(t),
            "deposit_onchain": lambda t: self.deposit(t),
            "deposit_internal": lambda t: self.deposit_internal(t),
            "withdrawal": lambda t: self.withdrawal(t, off_chain=False),
            "transfer_internal": lambda t: self.transfer(t),
            "transfer_universal": lambda t: self.universal(t),
            "earn_yield_flexible": lambda t: self.earn_yield(t, "USDT", 1_000_000_000, ""),
            "earn_order_flexible": lambda t: self.earn_order(t, "USDT", 100_000_000, True),
        }
        for stream, make in makers.items():
            assert stream not in UNWINDOWED
            for k in chosen:
                edge = anchor + k * step
                if stream in SECOND_GRANULAR:
                    base = edge - edge % 1000
                    times = (base, base - 1000)
                else:
                    times = (edge, edge - 1)
                for t in times:
                    if not self.in_zone(t):
                        make(t)

    def _finish(self) -> Generated:
        (z1a, z1b), (z2a, z2b) = self.zones
        first, last = self.begin, self.last

        def keep(t: int) -> bool:  # True: drop (in a depth-boundary zone or outside the history)
            return (z1a <= t <= z1b) or (z2a <= t <= z2b) or t > last or t < first

        executions: dict[str, list[Row]] = {}
        for cat, rows in self.execs.items():
            kept = [r for r in rows if not keep(r[E_T])]
            kept.sort(key=_newest_first)
            executions[cat] = kept
        ledger = [r for r in self.ledger if not keep(r[0])]
        ledger.sort(key=lambda r: (r[0] << 32) + r[1])
        # Opening balances (from before the simulated history) are chosen so that no wallet
        # balance ever goes negative: at least the deepest dip of the running sum, plus a cushion.
        running: dict[str, int] = {}
        lowest: dict[str, int] = {}
        for r in ledger:
            ccy = r[L_CCY]
            running[ccy] = running.get(ccy, 0) + r[L_CHANGE]
            lowest[ccy] = min(lowest.get(ccy, 0), running[ccy])
        balances: dict[str, int] = {}
        for ccy, low in lowest.items():
            cushion = pow10(FEE_SCALE) * (1000 if ccy in ("USDT", "USDC") else 1)
            balances[ccy] = -low + cushion
        out: list[Row] = []
        for r in ledger:
            ccy = r[L_CCY]
            balances[ccy] += r[L_CHANGE]
            r[L_BAL] = balances[ccy]
            out.append(tuple(r))
        out.sort(key=_newest_first)
        plain: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
        for stream, items in self.plain.items():
            kept_plain = [x for x in items if not keep(x[0])]
            kept_plain.sort(key=_newest_first)
            plain[stream] = kept_plain
        return Generated(self.instruments, self.salt, executions, out, plain)


def _newest_first(r: Any) -> int:
    """Sort key: time descending, then serial ascending (serials stay far below 2**32)."""
    return int(r[1] - (r[0] << 32))
