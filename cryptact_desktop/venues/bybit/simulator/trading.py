"""Trading activity of a simulated account: spot orders, derivative positions and options.

Each execution is appended as a compact row (see ``builders``) together with the ledger rows it
causes in the unified account's transaction log.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from .builders import (
    BUST,
    DELIVERY,
    FEE_SCALE,
    FUNDING,
    K_DELIVERY,
    K_FUNDING,
    K_LIQUIDATION,
    K_SETTLE,
    K_SPOT_BASE,
    K_SPOT_QUOTE,
    K_TRADE,
    SETTLE,
    TRADE,
    Instrument,
    Row,
    exec_value,
    expiry_label,
    rescale,
    spot_fee_currency,
)
from .market import INVERSE, INVERSE_WEIGHTS, LINEAR, LINEAR_WEIGHTS, SPOT, SPOT_WEIGHTS
from .streams import DAY_MS, HOUR_MS
from .timeline import EIGHT_HOURS, Base


class Trading(Base):
    def _spot_fill(
        self,
        t: int,
        ins_i: int,
        buy: bool,
        maker: bool,
        price: int,
        qty: int,
        order: int,
        oqty: int,
        oprice: int,
        leaves: int,
        link: int,
    ) -> None:
        ins = self.instruments[ins_i]
        mrate, trate = self.spot_maker_rate(t)
        rate = mrate if maker else trate
        fee_ccy = spot_fee_currency(buy, maker, mrate, ins)
        value, vscale = exec_value(ins, price, qty)
        if fee_ccy == ins.base:
            fee = rescale(qty * rate, ins.qty_scale + 6, FEE_SCALE)
        else:
            fee = rescale(value * rate, vscale + 6, FEE_SCALE)
        row = (
            t,
            self._next(),
            ins_i,
            TRADE,
            int(buy),
            int(maker),
            price,
            qty,
            order,
            oqty,
            oprice,
            leaves,
            0,
            self._rate(rate),
            fee,
            mrate,
            link,
        )
        self.execs["spot"].append(row)
        q10 = rescale(qty, ins.qty_scale, FEE_SCALE)
        v10 = rescale(value, vscale, FEE_SCALE)
        base_fee = fee if fee_ccy == ins.base else 0
        quote_fee = fee - base_fee
        base_flow = q10 if buy else -q10
        quote_flow = -v10 if buy else v10
        self._ledger(t, K_SPOT_BASE, row, ins.base, base_flow - base_fee, base_flow, base_fee)
        self._ledger(t, K_SPOT_QUOTE, row, ins.quote, quote_flow - quote_fee, quote_flow, quote_fee)

    def _notional_qty(self, ins: Instrument, price: int, lo: float = 20.0, span: float = 400.0) -> int:
        usd = lo * span ** self.rng.random()
        if ins.category == "inverse":
            return max(1, int(usd))
        p = price / 10**ins.price_scale
        return max(ins.lot, int(usd / p * 10**ins.qty_scale) // ins.lot * ins.lot)

    def spot_order(
        self, t: int, fills: int | None = None, ins_i: int | None = None, market: bool | None = None
    ) -> int:
        rng = self.rng
        if ins_i is None:
            ins_i = self.ins_index[("spot", rng.choices(SPOT, SPOT_WEIGHTS)[0].symbol)]
        ins = self.instruments[ins_i]
        buy = rng.random() < 0.5
        if market is None:
            market = rng.random() < 0.6
        maker = not market and rng.random() < 0.7
        n = fills if fills is not None else (rng.choice((1, 1, 1, 2, 3)) if market else rng.choice((1, 1, 2)))
        price = self.prices.units(ins, t, (rng.random() - 0.5) * 0.004)
        qtys = [max(ins.lot, self._notional_qty(ins, price) // n) for _ in range(n)]
        oqty = sum(qtys)
        oprice = price + (price // 50 if buy else -(price // 50)) if market else price
        oprice -= oprice % ins.tick
        self.order_no += 1
        order = self.order_no
        link = order if rng.random() < 0.2 else 0
        leaves = oqty
        ft = t
        step = ins.tick if buy else -ins.tick
        for i, q in enumerate(qtys):
            leaves -= q
            if not market and i:
                ft = ft + rng.randint(50, 5000)
            fill_price = price + (i // 5) * step if market else price
            if fill_price <= 0:
                fill_price = ins.tick
            self._spot_fill(ft, ins_i, buy, maker, fill_price, q, order, oqty, oprice, leaves, link)
        return ft

    # -- derivatives ----------------------------------------------------------------------
    def _deriv_row(
        self,
        t: int,
        ins_i: int,
        etype: int,
        buy: bool,
        maker: bool,
        price: int,
        qty: int,
        order: int,
        oqty: int,
        oprice: int,
        leaves: int,
        closed: int,
        rate: int,
        fee: int,
        link: int = 0,
        extra: int = 0,
    ) -> Row:
        ins = self.instruments[ins_i]
        row = (
            t,
            self._next(),
            ins_i,
            etype,
            int(buy),
            int(maker),
            price,
            qty,
            order,
            oqty,
            oprice,
            leaves,
            closed,
            self._rate(rate),
            fee,
            extra,
            link,
        )
        self.execs[ins.category].append(row)
        return row

    def _fee(self, ins: Instrument, price: int, qty: int, rate: int) -> int:
        value, vscale = exec_value(ins, price, qty)
        return rescale(rescale(value * rate, vscale + 6, 8), 8, FEE_SCALE)

    def _pnl(self, ins: Instrument, entry: int, exit_: int, qty: int, direction: int) -> int:
        """Realised PnL at FEE_SCALE in the settle coin for closing ``qty`` bought at ``entry``."""
        if ins.category == "inverse":
            num = qty * 10 ** (8 + ins.price_scale) * (exit_ - entry) * direction
            return rescale(num // (entry * exit_), 8, FEE_SCALE)
        return rescale((exit_ - entry) * qty * direction, ins.price_scale + ins.qty_scale, FEE_SCALE)

    def _settle_ccy(self, ins: Instrument) -> str:
        return ins.base if ins.category == "inverse" else ins.quote

    def deriv_fill(
        self,
        t: int,
        ins_i: int,
        buy: bool,
        qty: int,
        pos: int,
        entry: int,
        etype: int = TRADE,
        maker: bool | None = None,
        link: int = 0,
    ) -> tuple[int, int]:
        """One order filled in one execution; returns the new signed position and entry price."""
        if qty <= 0:
            return pos, entry
        ins = self.instruments[ins_i]
        rng = self.rng
        if maker is None:
            maker = etype == TRADE and rng.random() < 0.35
        price = self.prices.units(ins, t, (rng.random() - 0.5) * 0.003)
        rate = 200 if maker else (500 if etype == DELIVERY else 550)
        fee = self._fee(ins, price, qty, rate)
        signed = qty if buy else -qty
        closed = min(qty, abs(pos)) if pos and (pos > 0) != buy else 0
        pnl = self._pnl(ins, entry, price, closed, 1 if pos > 0 else -1) if closed else 0
        new_pos = pos + signed
        if closed == 0:
            new_entry = (entry * abs(pos) + price * qty) // (abs(pos) + qty)
        elif abs(signed) > abs(pos):
            new_entry = price
        else:
            new_entry = entry if new_pos else 0
        self.order_no += 1
        oprice = price if maker else price + (price // 20 if buy else -(price // 20))
        oprice -= oprice % ins.tick
        if etype in (DELIVERY, SETTLE):
            oprice, oqty = 0, 0
        else:
            oqty = qty
        row = self._deriv_row(
            t,
            ins_i,
            etype,
            buy,
            maker,
            price,
            qty,
            self.order_no,
            oqty,
            max(0, oprice),
            0,
            closed,
            rate,
            fee,
            link,
        )
        kind = {TRADE: K_TRADE, BUST: K_LIQUIDATION, DELIVERY: K_DELIVERY}[etype]
        self._ledger(t, kind, row, self._settle_ccy(ins), pnl - fee, pnl, fee, new_pos)
        return new_pos, new_entry

    def funding(self, t: int, ins_i: int, pos: int) -> None:
        ins = self.instruments[ins_i]
        rng = self.rng
        price = self.prices.units(ins, t)
        rate = 100 if rng.random() < 0.6 else rng.randint(-300, 500)
        direction = 1 if pos > 0 else -1
        fee = self._fee(ins, price, abs(pos), rate) * direction  # execFee > 0: paid
        row = self._deriv_row(t, ins_i, FUNDING, pos > 0, False, price, abs(pos), 0, 0, 0, 0, 0, rate, fee)
        self._ledger(t, K_FUNDING, row, self._settle_ccy(ins), -fee, 0, 0, pos)

    def settle(self, t: int, ins_i: int, pos: int, entry: int) -> int:
        """USDC perpetual session settlement: realises PnL against the last settle price."""
        ins = self.instruments[ins_i]
        price = self.prices.units(ins, t)
        pnl = self._pnl(ins, entry, price, abs(pos), 1 if pos > 0 else -1)
        row = self._deriv_row(t, ins_i, SETTLE, pos > 0, False, price, abs(pos), 0, 0, 0, 0, 0, 0, 0)
        self._ledger(t, K_SETTLE, row, ins.quote, pnl, pnl, 0, pos)
        return price

    def dated_future(self, t: int) -> int:
        # Quarterly-style expiry: the last Friday 08:00 UTC of a month 1-3 months ahead.
        # The delivery must happen in an active period (not inside a gap or a depth zone).
        day = (t // DAY_MS) + self.rng.randint(20, 80)
        while True:
            # 1970-01-01 was a Thursday: weekday index 0 = Thursday, 1 = Friday.
            if day % 7 == 1 and self._is_last_week(day):
                expiry = day * DAY_MS + 8 * HOUR_MS
                if self.ok(expiry) or expiry > self.last:
                    break
            day += 1
        sym = f"BTCUSDT-{expiry_label(expiry)}"
        return self._ins(Instrument(sym, "linear", "BTC", "USDT", 1, 3, 5, 1, "BTC", expiry_ms=expiry))

    @staticmethod
    def _is_last_week(day: int) -> bool:
        d = datetime.fromtimestamp(day * 86_400, tz=UTC)
        return datetime.fromtimestamp((day + 7) * 86_400, tz=UTC).month != d.month

    def deriv_episode(self, category: str, t_open: int, kind: str = "") -> int:
        """Open a position, hold it (funding, settlement), then close, liquidate or deliver it.

        ``kind`` forces an episode type: "bust" (liquidated), "dated" (delivered at expiry) or
        "perp" (USDC perpetual held over daily settlements). Returns the number of executions."""
        rng = self.rng
        before = len(self.execs[category])
        if kind == "perp":
            ins_i = self.ins_index[("linear", "BTCPERP")]
        elif kind == "dated" or (category == "linear" and not kind and rng.random() < 0.06):
            ins_i = self.dated_future(t_open)
        elif category == "linear":
            ins_i = self.ins_index[("linear", rng.choices(LINEAR, LINEAR_WEIGHTS)[0].symbol)]
        else:
            ins_i = self.ins_index[("inverse", rng.choices(INVERSE, INVERSE_WEIGHTS)[0].symbol)]
        ins = self.instruments[ins_i]
        long = rng.random() < 0.55
        pos, entry = 0, 0
        t = t_open
        price0 = self.prices.units(ins, t)
        link = self.order_no + 1 if rng.random() < 0.15 else 0
        for _ in range(rng.choice((1, 1, 2))):
            qty = self._notional_qty(ins, price0, 50.0, 200.0)
            pos, entry = self.deriv_fill(t, ins_i, long, qty, pos, entry, link=link)
            t += rng.randint(200, 90_000)
        small = self.p.n_exec < 100  # tiny accounts hold positions briefly (few funding rows)
        hold = int(min(rng.expovariate(1.0) * DAY_MS, (DAY_MS // 2) if small else 7 * DAY_MS)) + 10 * 60_000
        if kind == "perp":  # long enough to cross at least one daily 08:00 settlement
            hold = (1 if small else 2) * DAY_MS + 10 * 60_000
        t_close = t + hold
        if ins.expiry_ms:
            t_close = ins.expiry_ms
        mark = (t // EIGHT_HOURS + 1) * EIGHT_HOURS
        while mark < min(t_close, self.last):
            if not ins.expiry_ms and self.ok(mark):
                if ins.symbol == "BTCPERP" and mark % DAY_MS == 8 * HOUR_MS:
                    entry = self.settle(mark, ins_i, pos, entry)
                self.funding(mark, ins_i, pos)
            if mark - t > HOUR_MS and not kind and mark + 3 * HOUR_MS < t_close and rng.random() < 0.08:
                add = rng.random() < 0.5
                qty = max(ins.lot, abs(pos) // 3 // ins.lot * ins.lot)
                pos, entry = self.deriv_fill(
                    mark + rng.randint(1000, 3 * HOUR_MS), ins_i, long == add, qty, pos, entry
                )
                if pos == 0:
                    return len(self.execs[category]) - before
            mark += EIGHT_HOURS
        if t_close > self.last:
            return len(self.execs[category]) - before  # still open now
        if ins.expiry_ms:
            self.deriv_fill(t_close, ins_i, not long, abs(pos), pos, entry, DELIVERY, maker=False)
        elif kind == "bust" or rng.random() < 0.05:
            self.deriv_fill(t_close, ins_i, not long, abs(pos), pos, entry, BUST, maker=False)
        else:
            parts = rng.choice((1, 1, 2))
            for i in range(parts):
                qty = abs(pos) if i == parts - 1 else max(ins.lot, abs(pos) // 2 // ins.lot * ins.lot)
                pos, entry = self.deriv_fill(
                    t_close + i * rng.randint(0, 40_000), ins_i, not long, qty, pos, entry
                )
        return len(self.execs[category]) - before

    def single_deriv(self, category: str, t: int) -> None:
        ins_i = self.ins_index[(category, "BTCUSDT" if category == "linear" else "BTCUSD")]
        ins = self.instruments[ins_i]
        qty = self._notional_qty(ins, self.prices.units(ins, t), 50.0, 20.0)
        self.deriv_fill(t, ins_i, self.rng.random() < 0.5, qty, 0, 0, maker=False)

    def burst(self, t0: int) -> None:
        """A grid bot: many small linear orders inside one minute (spans many pages)."""
        ins_i = self.ins_index[("linear", "SOLUSDT")]
        ins = self.instruments[ins_i]
        times = sorted(t0 + self.rng.randrange(60_000) for _ in range(self.p.burst))
        qty = max(ins.lot, self._notional_qty(ins, self.prices.units(ins, t0), 30.0, 2.0))
        pos, entry = 0, 0
        for i, t in enumerate(times):
            pos, entry = self.deriv_fill(
                t, ins_i, i % 2 == 0, qty, pos, entry, maker=True, link=self.order_no + 1
            )

    # -- options ----------------------------------------------------------------------------
    def option_trade(self, t: int, allow_delivery: bool = True) -> None:
        rng = self.rng
        spot = self.prices.price("BTC", t)
        day = t // DAY_MS + rng.randint(3, 60)
        while day % 7 != 1:  # Friday
            day += 1
        expiry = day * DAY_MS + 8 * HOUR_MS
        strike = int(round(spot / 1000.0)) * 1000 + rng.randint(-4, 4) * 1000
        call = rng.random() < 0.5
        sym = f"BTC-{expiry_label(expiry)}-{strike}-{'C' if call else 'P'}"
        ins_i = self._ins(
            Instrument(sym, "option", "BTC", "USDC", 0, 2, 5, 1, "BTC", expiry, strike, "C" if call else "P")
        )
        buy = rng.random() < 0.6
        qty = rng.randint(1, 50)
        self._option_fill(t, ins_i, buy, qty, spot, expiry, 0)
        if not allow_delivery:
            return
        pos = qty if buy else -qty
        if rng.random() < 0.4:
            if expiry <= self.last and self.ok(expiry):
                s_exp = self.prices.price("BTC", expiry)
                intrinsic = max(0.0, (s_exp - strike) if call else (strike - s_exp))
                price = int(round(s_exp))
                row = self._deriv_row(
                    expiry,
                    ins_i,
                    DELIVERY,
                    not buy,
                    False,
                    price,
                    qty,
                    0,
                    0,
                    0,
                    0,
                    qty,
                    0,
                    0,
                    extra=int(round(s_exp * 100)),
                )
                payoff = rescale(int(round(intrinsic)) * qty * (1 if buy else -1), 2, FEE_SCALE)
                self._ledger(expiry, K_DELIVERY, row, "USDC", payoff, payoff, 0, 0)
        else:
            t2 = t + rng.randint(60_000, max(61_000, expiry - t - HOUR_MS))
            if t2 <= self.last and self.ok(t2):
                self._option_fill(t2, ins_i, not buy, qty, self.prices.price("BTC", t2), expiry, pos)

    def _option_fill(
        self, t: int, ins_i: int, buy: bool, qty: int, spot: float, expiry: int, pos: int
    ) -> None:
        ins = self.instruments[ins_i]
        days = max(0.05, (expiry - t) / DAY_MS)
        intrinsic = max(0.0, (spot - ins.strike) if ins.option_type == "C" else (ins.strike - spot))
        premium = intrinsic + spot * 0.025 * math.sqrt(days / 30.0)
        price = max(5, int(round(premium / 5.0)) * 5)
        index = int(round(spot * 100))
        fee = rescale(index * qty * 300, 2 + 2 + 6, FEE_SCALE)
        maker = self.rng.random() < 0.3
        self.order_no += 1
        row = self._deriv_row(
            t,
            ins_i,
            TRADE,
            buy,
            maker,
            price,
            qty,
            self.order_no,
            qty,
            price,
            0,
            min(qty, abs(pos)) if pos and (pos > 0) != buy else 0,
            300,
            fee,
            extra=index,
        )
        value, vscale = exec_value(ins, price, qty)
        flow = rescale(-value if buy else value, vscale, FEE_SCALE)
        new_pos = pos + (qty if buy else -qty)
        self._ledger(t, K_TRADE, row, "USDC", flow - fee, flow, fee, new_pos)
