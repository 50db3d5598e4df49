"""One simulated Binance account: the neutral activity (and the exchange services around it) rendered
into the records Binance's history lists hold, in the shapes of the docs' response examples.

Every list keeps its records in time (or id) order with the JSON of each record rendered once, so
the server answers a page by slicing. What the account holds besides the events:

* ``symbols``: what ``exchangeInfo`` lists (the pairs traded, more pairs of the same coins, and
  not the delisted pair);
* per-symbol trade ids that start at the same number for every symbol (they are unique only per
  symbol), a Convert ``orderId`` above 2**53, futures income where a fill's realised P&L and its
  commission share one ``tranId``;
* the traps of :mod:`.traps` (a coin seen only in an old deposit, a delisted pair, a day with more
  than 1000 fills, fills sharing a millisecond).

Decimals are written as Binance writes them: strings with eight decimals (``"0.00100000"``).
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cryptact_desktop.simulator.activity import (
    Activity,
    CardPurchase,
    Convert,
    CryptoDeposit,
    CryptoWithdrawal,
    DustSweep,
    EarnReward,
    FiatDeposit,
    FiatWithdrawal,
    Fill,
    Funding,
    Market,
    PerpetualFee,
    RealisedPnl,
    Services,
    Transfer,
)

Record = dict[str, Any]
DAY_MS = 86_400_000
EIGHT = Decimal("0.00000001")
TRADE_ID_START = 1_000_000  # every symbol's ids start here: unique only per symbol
SPOT_ONLY_ORDERS = 10_000_000  # orders numbered from here are never margin orders
CONVERT_ID_START = 940_708_407_462_087_195  # the docs' example orderId, above 2**53
DUST_START_MS = 1_606_780_800_000  # "Only return records after 2020/12/01"
INCOME_REACH_DAYS = 90  # "Income history only contains data for the last three months"
TRANSFER_REACH_DAYS = 180  # "Support query within the last 6 months only" (ours: 180 days)

_WALLET_TYPES = {
    ("spot", "usdm"): "MAIN_UMFUTURE",
    ("usdm", "spot"): "UMFUTURE_MAIN",
    ("spot", "coinm"): "MAIN_CMFUTURE",
    ("coinm", "spot"): "CMFUTURE_MAIN",
    ("spot", "funding"): "MAIN_FUNDING",
    ("funding", "spot"): "FUNDING_MAIN",
    ("spot", "margin"): "MAIN_MARGIN",
    ("margin", "spot"): "MARGIN_MAIN",
}


def dec8(value: Decimal) -> str:
    """``"0.00100000"``: Binance's eight-decimal strings."""
    return format(value.quantize(EIGHT), "f")


def utc_text(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def symbol_of(market: Market) -> str:
    """``BTCUSDT`` for spot; ``BTCUSDT`` (USDⓈ-M, settled in USDT) or ``BTCUSD_PERP`` (COIN-M,
    settled in the coin) for perpetuals."""
    if market.kind == "perpetual" and market.quote == "USD":
        return f"{market.base}USD_PERP"
    return f"{market.base}{market.quote}"


def _hex(*parts: object, length: int = 32) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class SymbolInfo:
    symbol: str
    base: str
    quote: str
    margin: bool = True


@dataclass
class TimedList:
    """Records in time order (``times``) with their JSON rendered once."""

    records: list[Record] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    json: list[str] = field(default_factory=list)

    def add(self, record: Record, time_ms: int) -> None:
        if self.times and time_ms < self.times[-1]:
            raise ValueError("records must be added in time order")
        self.records.append(record)
        self.times.append(time_ms)
        self.json.append(json.dumps(record, separators=(",", ":")))

    def __len__(self) -> int:
        return len(self.records)

    def span(self, start_ms: int, end_ms: int) -> tuple[int, int]:
        """Index range of the records with start <= time <= end."""
        return bisect.bisect_left(self.times, start_ms), bisect.bisect_right(self.times, end_ms)


@dataclass
class TradeList(TimedList):
    """One symbol's fills, in id (and time) order."""

    ids: list[int] = field(default_factory=list)

    def add_trade(self, record: Record) -> None:
        if self.ids and record["id"] <= self.ids[-1]:
            raise ValueError("trades must be added in id order")
        self.add(record, record["time"])
        self.ids.append(record["id"])

    def from_id(self, from_id: int, limit: int) -> list[str]:
        i = bisect.bisect_left(self.ids, from_id)
        return self.json[i : i + limit]


class _Ids:
    def __init__(self, start: int, step: int = 3) -> None:
        self.value = start
        self.step = step
        self.n = 0

    def next(self) -> int:
        self.n += 1
        self.value += 1 + (self.n * 7919) % self.step
        return self.value


class SimAccount:
    """Every record the simulated API holds for one account (the simulator's ground truth)."""

    def __init__(
        self,
        activity: Activity,
        services: Services,
        *,
        traps: Iterable[object] = (),
        extra_symbols: Iterable[SymbolInfo] = (),
        margin_every: int = 9,
        isolated_every: int = 13,
        isolated_symbols: tuple[str, ...] = ("BTCUSDT",),
        quiet_edges_ms: int | None = None,
    ) -> None:
        self.activity = activity
        self.services = services
        self.fiat = activity.plan.fiat
        self.now_ms = activity.plan.end_ms
        self.trades: dict[str, TradeList] = defaultdict(TradeList)
        self.margin_cross: dict[str, TradeList] = defaultdict(TradeList)
        self.margin_isolated: dict[str, TradeList] = defaultdict(TradeList)
        self.deposits = TimedList()
        self.withdrawals = TimedList()
        self.converts = TimedList()
        self.dust = TimedList()  # one record per conversion (with its details)
        self.earn_flexible: dict[str, TimedList] = defaultdict(TimedList)  # by type
        self.earn_locked = TimedList()
        self.fiat_orders: dict[str, TimedList] = defaultdict(TimedList)  # "0" deposits, "1" withdrawals
        self.payments: dict[str, TimedList] = defaultdict(TimedList)  # "0" buys, "1" sells
        self.transfers: dict[str, TimedList] = defaultdict(TimedList)  # by type
        self.income_usdm = TimedList()
        self.income_coinm = TimedList()
        self.balances: dict[str, Decimal] = defaultdict(Decimal)
        self.isolated_symbols = isolated_symbols
        self.margin_account = True
        self._margin_every = margin_every
        self._isolated_every = isolated_every
        self._trade_ids: dict[str, _Ids] = {}
        self._dep_ids = _Ids(769_800_519_366_885_376, 9)
        self._wd_n = 0
        self._convert_ids = _Ids(CONVERT_ID_START, 7919)
        self._dust_ids = _Ids(45_178_372_831, 50)
        self._tran_ids = _Ids(9_689_322_392, 40)
        self._position_ids = _Ids(123_123, 3)
        self._fill_tran: dict[int, int] = {}  # perpetual fill seq -> its tranId
        self._last_perp_fill: Fill | None = None
        # Records this close to the reach of a list with a look-back are not made, so that a
        # test's clock and a client's safety margin cannot disagree about them.
        self._quiet = quiet_edges_ms if quiet_edges_ms is not None else 2 * DAY_MS
        self.symbols: dict[str, SymbolInfo] = {}
        for market in activity.plan.markets:
            if market.kind == "spot" and market.listed and market.order_book:
                info = SymbolInfo(symbol_of(market), market.base, market.quote)
                self.symbols[info.symbol] = info
        for info in extra_symbols:
            self.symbols.setdefault(info.symbol, info)
        self.delisted = tuple(
            sorted(symbol_of(m) for m in activity.plan.markets if m.kind == "spot" and not m.listed)
        )
        merged: list[Any] = [*activity.events, *services.events, *traps]
        merged.sort(key=lambda e: (e.time_ms, e.seq))
        for event in merged:
            self._render(event)

    # -- what the API answers ----------------------------------------------------------------------
    def held(self) -> list[tuple[str, Decimal]]:
        """The balances ``/api/v3/account`` lists (coins with a positive balance)."""
        return sorted((coin, amount) for coin, amount in self.balances.items() if amount > 0)

    def symbol_parts(self, symbol: str) -> tuple[str, str] | None:
        """(base, quote) of a symbol the account knows (listed, or traded once and delisted)."""
        info = self.symbols.get(symbol)
        if info is not None:
            return info.base, info.quote
        for market in self.activity.plan.markets:
            if market.kind == "spot" and symbol_of(market) == symbol:
                return market.base, market.quote
        return None

    def lists(self) -> dict[str, TimedList]:
        """Every list by the simulator's name (``trades:BTCUSDT``, ``earn_flexible:BONUS``...)."""
        named: dict[str, TimedList] = {}
        for prefix, group in (
            ("trades", self.trades),
            ("margin_cross", self.margin_cross),
            ("margin_isolated", self.margin_isolated),
            ("earn_flexible", self.earn_flexible),
            ("fiat_orders", self.fiat_orders),
            ("payments", self.payments),
            ("transfers", self.transfers),
        ):
            for name, records in group.items():
                named[f"{prefix}:{name}"] = records
        named.update(
            {
                "deposits": self.deposits,
                "withdrawals": self.withdrawals,
                "converts": self.converts,
                "dust": self.dust,
                "earn_locked": self.earn_locked,
                "income_usdm": self.income_usdm,
                "income_coinm": self.income_coinm,
            }
        )
        return named

    def record_count(self) -> int:
        return sum(len(v) for v in self.lists().values())

    def __repr__(self) -> str:
        return f"SimAccount({self.activity!r}, records={self.record_count()})"

    # -- rendering ----------------------------------------------------------------------------------
    def _render(self, event: object) -> None:
        handlers: dict[type, Callable[[Any], None]] = {
            Fill: self._fill,
            CryptoDeposit: self._deposit,
            CryptoWithdrawal: self._withdrawal,
            FiatDeposit: self._fiat_deposit,
            FiatWithdrawal: self._fiat_withdrawal,
            Convert: self._convert,
            DustSweep: self._dust,
            EarnReward: self._earn,
            CardPurchase: self._card,
            Transfer: self._transfer,
            RealisedPnl: self._pnl,
            Funding: self._funding,
            PerpetualFee: self._perp_fee,
        }
        handler = handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _near_edge(self, time_ms: int, reach_days: int) -> bool:
        edge = self.now_ms - reach_days * DAY_MS
        return edge - self._quiet <= time_ms <= edge + self._quiet

    def _fill(self, fill: Fill) -> None:
        market = fill.market
        if market.kind == "perpetual":
            self._last_perp_fill = fill
            self._fill_tran[fill.seq] = self._tran_ids.next()
            return
        symbol = symbol_of(market)
        ids = self._trade_ids.setdefault(symbol, _Ids(TRADE_ID_START, 3))
        buyer = fill.side == "buy"
        quote_qty = (fill.qty * fill.price).quantize(EIGHT)
        fee_asset = fill.fee_asset if fill.fee else (market.base if buyer else market.quote)
        plain = fill.order >= SPOT_ONLY_ORDERS  # the traps' orders stay in the spot wallet
        isolated = not plain and symbol in self.isolated_symbols and fill.order % self._isolated_every == 6
        cross = not plain and not isolated and fill.order % self._margin_every == 4 and market.listed
        record: Record = {
            "symbol": symbol,
            "id": ids.next(),
            "orderId": 100_000 + fill.order * 7,
            "orderListId": -1,
            "price": dec8(fill.price),
            "qty": dec8(fill.qty),
            "quoteQty": dec8(quote_qty),
            "commission": dec8(fill.fee),
            "commissionAsset": fee_asset,
            "time": fill.time_ms,
            "isBuyer": buyer,
            "isMaker": fill.order % 2 == 0,
            "isBestMatch": True,
        }
        if isolated or cross:
            record.pop("orderListId")
            record["isIsolated"] = isolated
            (self.margin_isolated if isolated else self.margin_cross)[symbol].add_trade(record)
            return  # the margin wallet's balances are not the spot wallet's
        self.trades[symbol].add_trade(record)
        sign = Decimal(1) if buyer else Decimal(-1)
        self.balances[market.base] += sign * fill.qty
        self.balances[market.quote] -= sign * quote_qty
        self.balances[fee_asset] -= fill.fee

    def _deposit(self, event: CryptoDeposit) -> None:
        record: Record = {
            "id": str(self._dep_ids.next()),
            "amount": dec8(event.amount),
            "coin": event.asset,
            "network": event.network.upper()[:5],
            "status": 0 if event.pending else 1,
            "address": event.address,
            "addressTag": "",
            "txId": event.tx_hash,
            "insertTime": event.time_ms,
            "transferType": 0,
            "confirmTimes": "1/1",
            "unlockConfirm": 0,
            "walletType": 0,
        }
        self.deposits.add(record, event.time_ms)
        if not event.pending:
            self.balances[event.asset] += event.amount

    def _withdrawal(self, event: CryptoWithdrawal) -> None:
        self._wd_n += 1
        applied = event.time_ms - event.time_ms % 1000  # applyTime is written to the second
        fee = event.fee + event.extra_fee
        record: Record = {
            "id": _hex("withdraw", event.seq),
            "amount": dec8(event.amount),
            "transactionFee": dec8(fee),
            "coin": event.asset,
            "status": 4 if event.pending else 6,
            "address": event.address,
            "txId": event.tx_hash,
            "applyTime": utc_text(applied),
            "network": event.network.upper()[:5],
            "transferType": 0,
            "info": "",
            "confirmNo": 12,
            "walletType": 0,
            "txKey": "",
            "completeTime": utc_text(applied + 95_000),
        }
        self.withdrawals.add(record, applied)
        self.balances[event.asset] -= event.amount + fee

    def _fiat_deposit(self, event: FiatDeposit) -> None:
        record: Record = {
            "orderNo": _hex("fiat-in", event.seq, length=24),
            "fiatCurrency": event.asset,
            "indicatedAmount": f"{event.amount:.2f}",
            "amount": f"{event.amount:.2f}",
            "totalFee": "0.00",
            "method": "BankAccount",
            "status": "Successful",
            "createTime": event.time_ms,
            "updateTime": event.time_ms + 60_000,
        }
        self.fiat_orders["0"].add(record, event.time_ms)
        self.balances[event.asset] += event.amount

    def _fiat_withdrawal(self, event: FiatWithdrawal) -> None:
        record: Record = {
            "orderNo": _hex("fiat-out", event.seq, length=24),
            "fiatCurrency": event.asset,
            "indicatedAmount": f"{event.amount + event.fee:.2f}",
            "amount": f"{event.amount:.2f}",
            "totalFee": f"{event.fee:.2f}",
            "method": "BankAccount",
            "status": "Finished",
            "createTime": event.time_ms,
            "updateTime": event.time_ms + 3_600_000,
        }
        self.fiat_orders["1"].add(record, event.time_ms)
        self.balances[event.asset] -= event.amount + event.fee

    def _convert(self, event: Convert) -> None:
        ratio = event.to_amount / event.from_amount
        record: Record = {
            "quoteId": _hex("quote", event.seq),
            "orderId": self._convert_ids.next(),
            "orderStatus": "SUCCESS",
            "fromAsset": event.from_asset,
            "fromAmount": format(event.from_amount.normalize(), "f"),
            "toAsset": event.to_asset,
            "toAmount": format(event.to_amount.normalize(), "f"),
            "ratio": dec8(ratio),
            "inverseRatio": dec8(1 / ratio),
            "createTime": event.time_ms,
        }
        self.converts.add(record, event.time_ms)
        self.balances[event.from_asset] -= event.from_amount
        self.balances[event.to_asset] += event.to_amount
        if event.seq % 5 == 0:  # a convert that failed after the quote: listed, not a trade
            failed = dict(
                record, orderId=self._convert_ids.next(), orderStatus="FAIL", quoteId=_hex("f", event.seq)
            )
            self.converts.add(failed, event.time_ms)

    def _dust(self, event: DustSweep) -> None:
        if event.time_ms < DUST_START_MS:
            return
        trans_id = self._dust_ids.next()
        details = []
        for part in event.parts:
            details.append(
                {
                    "transId": trans_id,
                    "serviceChargeAmount": dec8(part.fee),
                    "amount": dec8(part.amount),
                    "operateTime": event.time_ms,
                    "transferedAmount": dec8(part.received),
                    "fromAsset": part.asset,
                }
            )
            self.balances[part.asset] -= part.amount
            self.balances[event.target] += part.received
        record: Record = {
            "operateTime": event.time_ms,
            "totalTransferedAmount": dec8(sum((p.received for p in event.parts), Decimal(0))),
            "totalServiceChargeAmount": dec8(sum((p.fee for p in event.parts), Decimal(0))),
            "transId": trans_id,
            "userAssetDribbletDetails": details,
        }
        self.dust.add(record, event.time_ms)

    def _earn(self, event: EarnReward) -> None:
        if event.product == "locked":
            record: Record = {
                "positionId": self._position_ids.next(),
                "time": event.time_ms,
                "asset": event.asset,
                "lockPeriod": "30",
                "amount": dec8(event.amount),
                "type": "Locked Rewards",
            }
            self.earn_locked.add(record, event.time_ms)
        else:
            kind = event.kind.upper()
            record = {
                "asset": event.asset,
                "rewards": dec8(event.amount),
                "projectId": f"{event.asset}001",
                "type": kind,
                "time": event.time_ms,
            }
            self.earn_flexible[kind].add(record, event.time_ms)
        self.balances[event.asset] += event.amount

    def _card(self, event: CardPurchase) -> None:
        record: Record = {
            "orderNo": _hex("card", event.seq),
            "sourceAmount": f"{event.fiat_amount:.2f}",
            "fiatCurrency": event.fiat,
            "obtainAmount": dec8(event.amount),
            "cryptoCurrency": event.asset,
            "totalFee": f"{event.fee:.2f}",
            "price": format(event.price, "f"),
            "status": "Completed",
            "paymentMethod": "Credit Card",
            "createTime": event.time_ms,
            "updateTime": event.time_ms + 30_000,
        }
        buy = event.side == "buy"
        self.payments["0" if buy else "1"].add(record, event.time_ms)
        self.balances[event.asset] += event.amount if buy else -event.amount

    def _transfer(self, event: Transfer) -> None:
        kind = _WALLET_TYPES.get((event.source, event.target))
        if kind is None or self._near_edge(event.time_ms, TRANSFER_REACH_DAYS):
            return
        tran_id = self._tran_ids.next()
        record: Record = {
            "asset": event.asset,
            "amount": format(event.amount.normalize(), "f"),
            "type": kind,
            "status": "CONFIRMED",
            "tranId": tran_id,
            "timestamp": event.time_ms,
        }
        self.transfers[kind].add(record, event.time_ms)
        out_of_spot = event.source == "spot"
        self.balances[event.asset] += -event.amount if out_of_spot else event.amount
        if "usdm" in (event.source, event.target) and not self._near_edge(event.time_ms, INCOME_REACH_DAYS):
            # The futures wallet lists the same move in its income history.
            change = event.amount if out_of_spot else -event.amount
            self._income(self.income_usdm, "", "TRANSFER", change, event.asset, event.time_ms, tran_id)

    def _settlement(self, market: Market, amount_in_quote: Decimal, time_ms: int) -> tuple[str, Decimal]:
        """(asset, amount) of a perpetual's money flow: USDⓈ-M settles in the quote, COIN-M in the
        coin (the generator's quote amounts divided by the price)."""
        if market.quote != "USD":
            return market.quote, amount_in_quote
        price = Decimal(str(self.activity.prices.rate(market.base, market.quote, time_ms)))
        return market.base, (amount_in_quote / price).quantize(EIGHT)

    def _income(
        self,
        target: TimedList,
        symbol: str,
        kind: str,
        change: Decimal,
        asset: str,
        time_ms: int,
        tran_id: int,
        trade_id: str = "",
    ) -> None:
        record: Record = {
            "symbol": symbol,
            "incomeType": kind,
            "income": dec8(change),
            "asset": asset,
            "info": kind,
            "time": time_ms,
            "tranId": tran_id,
            "tradeId": trade_id,
        }
        target.add(record, time_ms)

    def _quiet_income(self, market: Market, time_ms: int) -> bool:
        """USDⓈ-M income near its three-month reach is not made (COIN-M income has no reach)."""
        return market.quote != "USD" and self._near_edge(time_ms, INCOME_REACH_DAYS)

    def _perp_target(self, market: Market) -> TimedList:
        return self.income_coinm if market.quote == "USD" else self.income_usdm

    def _pnl(self, event: RealisedPnl) -> None:
        fill = self._last_perp_fill
        if fill is not None and (fill.market != event.market or fill.time_ms != event.time_ms):
            fill = None
        if self._quiet_income(event.market, event.time_ms):
            return
        asset, amount = self._settlement(event.market, event.amount, event.time_ms)
        tran_id = self._fill_tran.get(fill.seq) if fill is not None else None
        trade_id = str(fill.seq) if fill is not None else ""
        self._income(
            self._perp_target(event.market),
            symbol_of(event.market),
            "REALIZED_PNL",
            amount,
            asset,
            event.time_ms,
            tran_id if tran_id is not None else self._tran_ids.next(),
            trade_id,
        )

    def _funding(self, event: Funding) -> None:
        if self._quiet_income(event.market, event.time_ms):
            return
        asset, amount = self._settlement(event.market, event.amount, event.time_ms)
        self._income(
            self._perp_target(event.market),
            symbol_of(event.market),
            "FUNDING_FEE",
            amount,
            asset,
            event.time_ms,
            self._tran_ids.next(),
        )

    def _perp_fee(self, event: PerpetualFee) -> None:
        if self._quiet_income(event.market, event.time_ms):
            return
        asset, amount = self._settlement(event.market, event.amount, event.time_ms)
        tran_id = self._fill_tran.get(event.fill_seq)
        self._income(
            self._perp_target(event.market),
            symbol_of(event.market),
            "COMMISSION",
            -amount,
            asset,
            event.time_ms,
            tran_id if tran_id is not None else self._tran_ids.next(),
            str(event.fill_seq),
        )
