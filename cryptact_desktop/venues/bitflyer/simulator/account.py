"""A simulated bitFlyer account: a neutral activity rendered into the records bitFlyer's API lists.

This is the simulator's own reading of the Lightning API documentation (lightning.bitflyer.com/docs,
"HTTP Private API"), independent of the app's client code. Every list is kept in id order and served
newest first with the documented ``count``/``before``/``after`` paging.

Rendering (documented shapes; where the docs are silent, the choice is marked *ours*):

* ``getexecutions`` per product code: one record per order-book fill (``id``, ``child_order_id``
  ``JOR…``, ``side``, ``price``, ``size``, ``commission``, ``exec_date``,
  ``child_order_acceptance_id`` ``JRF…``). Execution ids are shared by every product and grow with
  gaps (as public execution ids do). Crypto CFD fills use the product code ``FX_BTC_JPY``.
* ``getbalancehistory`` per currency (``id``, ``trade_date`` in JST, ``event_date`` in UTC,
  ``product_code``, ``currency_code``, ``trade_type``, ``price``, ``amount``, ``quantity``,
  ``commission``, ``balance``, ``order_id``): a spot fill writes one row in the base currency and
  one in the quote currency (*ours*: ``amount`` is the signed change of that currency before the
  commission, ``quantity`` the base size, ``commission`` the fee where it is charged). Order-book
  fills carry the child order id (``JOR…``, as the docs' own sample); retail-desk (販売所) trades
  appear only here, with an order id of their own (*ours*: ``BFO…``). Deposits, withdrawals and
  their fees carry the ``CDP``/``CWD``/``MDP``/``MWD`` order ids the other lists show; a coin send
  and a bank withdrawal write their fee as a separate ``FEE`` row (*ours*). Moves to and from the
  Crypto CFD margin are ``POST_COLL``/``CANCEL_COLL``; rewards are ``TRANSFER`` rows without an
  order id (*ours*). Crypto CFD fills do not touch balances.
* ``getcoinins``/``getcoinouts``/``getdeposits``/``getwithdrawals``: the documented samples'
  fields; a deposit still pending is ``PENDING`` and has no balance row yet.
* ``getcollateralhistory``: ``CLEARING_COLL`` for realised P&L (documented), and (*ours*, the
  docs list no other codes) ``FUNDING_RATE`` for funding, ``POST_COLL``/``CANCEL_COLL`` for margin
  moves.

Numbers are written as JSON numbers with exact decimal digits (never exponents); times as bitFlyer
writes them: UTC without a zone, milliseconds with trailing zeros dropped.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from cryptact_desktop.simulator.activity import (
    Activity,
    CryptoDeposit,
    CryptoWithdrawal,
    FiatDeposit,
    FiatWithdrawal,
    Fill,
    Funding,
    Market,
    RealisedPnl,
    Reward,
    Transfer,
)

Record = dict[str, Any]

DESK_ORDER_PREFIX = "BFO"  # ours: the docs do not show a retail-desk order id
MAX_COUNT = 500  # a larger count answers 500 records (observed by API users; the docs are silent)
DEFAULT_COUNT = 100  # docs, "Pagination"
JST = timedelta(hours=9)


def product_code(market: Market) -> str:
    if market.kind == "perpetual":
        return f"FX_{market.base}_{market.quote}"
    return f"{market.base}_{market.quote}"


def bf_time(ms: int, offset: timedelta = timedelta(0)) -> str:
    """``2015-07-07T09:57:40.397`` (UTC, or shifted by ``offset``), trailing zeros dropped."""
    moment = datetime.fromtimestamp(ms / 1000, UTC) + offset
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{ms % 1000:03d}".rstrip("0")
    return f"{text}.{fraction}" if fraction else text


def number(value: Decimal | int) -> str:
    """A JSON number with the exact decimal digits (``0.00002``, never ``2E-5``)."""
    if isinstance(value, int):
        return str(value)
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


def to_json(record: Record) -> str:
    """One record as bitFlyer writes it (Decimals as plain JSON numbers)."""
    parts = []
    for name, value in record.items():
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            rendered = number(value)
        else:
            rendered = json.dumps(value, ensure_ascii=False)
        parts.append(f"{json.dumps(name)}:{rendered}")
    return "{" + ",".join(parts) + "}"


@dataclass
class RecordList:
    """One list of the API (a product's executions, a currency's ledger...), in id order."""

    records: list[Record] = field(default_factory=list)
    times_ms: list[int] = field(default_factory=list)
    _ids: list[int] = field(default_factory=list)
    _json: list[str] = field(default_factory=list)

    def add(self, record: Record, time_ms: int) -> None:
        if self._ids and record["id"] <= self._ids[-1]:
            raise ValueError("records must be added in id order")
        self.records.append(record)
        self.times_ms.append(time_ms)
        self._ids.append(int(record["id"]))
        self._json.append(to_json(record))

    def __len__(self) -> int:
        return len(self.records)

    def page(self, count: int, before: int | None, after: int | None) -> tuple[list[Record], str]:
        """The newest ``count`` records with after < id < before, newest first, and their JSON."""
        hi = len(self._ids) if before is None else bisect.bisect_left(self._ids, before)
        lo = 0 if after is None else bisect.bisect_right(self._ids, after)
        start = max(lo, hi - count)
        if start >= hi:
            return [], "[]"
        chosen = range(hi - 1, start - 1, -1)
        return [self.records[i] for i in chosen], "[" + ",".join(self._json[i] for i in chosen) + "]"


def _order_id(prefix: str, ms: int, n: int) -> str:
    stamp = datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y%m%d-%H%M%S")
    return f"{prefix}{stamp}-{n % 1_000_000:06d}"


class _Ids:
    """An id counter that grows with random-looking gaps (deterministic)."""

    def __init__(self, start: int, gap: int) -> None:
        self.value = start
        self.gap = gap
        self.n = 0

    def next(self) -> int:
        self.n += 1
        self.value += 1 + (self.n * 7919) % self.gap
        return self.value


class SimAccount:
    """Every record the simulated API holds for one account (the simulator's ground truth)."""

    def __init__(
        self, activity: Activity, *, extra_listed: tuple[str, ...] = ("XLM_JPY", "MONA_JPY")
    ) -> None:
        self.activity = activity
        self.fiat = activity.plan.fiat
        self.executions: dict[str, RecordList] = defaultdict(RecordList)
        self.balance_history: dict[str, RecordList] = defaultdict(RecordList)
        self.coin_ins = RecordList()
        self.coin_outs = RecordList()
        self.deposits = RecordList()
        self.withdrawals = RecordList()
        self.collateral = RecordList()
        self.balances: dict[str, Decimal] = defaultdict(Decimal)
        self.collateral_balance: dict[str, Decimal] = defaultdict(Decimal)
        markets = activity.plan.markets
        self.markets: tuple[tuple[str, str], ...] = tuple(
            sorted(
                {
                    (product_code(m), "FX" if m.kind == "perpetual" else "Spot")
                    for m in markets
                    if m.listed and m.order_book
                }
                | {(code, "Spot") for code in extra_listed}
            )
        )
        self.delisted: tuple[str, ...] = tuple(sorted(product_code(m) for m in markets if not m.listed))
        # getbalance lists the currencies bitFlyer handles (ours: of every listed pair, the retail
        # desk's included); a delisted coin is gone from it, whatever dust the account kept.
        listed = {c for m in markets if m.listed for c in (m.base, m.quote)}
        listed |= {c for code, _ in self.markets for c in code.split("_")[-2:]}
        self.currencies: tuple[str, ...] = tuple(sorted({self.fiat} | listed))
        self._exec_ids = _Ids(2_500_000_000, 40)
        self._ledger_ids = _Ids(1_000_000, 3)
        self._in_ids = _Ids(100, 2)
        self._out_ids = _Ids(500, 2)
        self._dep_ids = _Ids(300, 2)
        self._wd_ids = _Ids(700, 2)
        self._coll_ids = _Ids(4_000, 2)
        self._orders: dict[int, tuple[str, str]] = {}  # order -> (child order id, acceptance id)
        self.order_ids: dict[int, str] = {}  # event seq -> the order id the API shows for it
        for event in activity.events:
            self._render(event)

    # -- what the lists hold -----------------------------------------------------------------------
    def balance_list(self) -> list[Record]:
        """``getbalance``: every currency bitFlyer handles, held or not."""
        return [
            {"currency_code": c, "amount": self.balances[c], "available": self.balances[c]}
            for c in self.currencies
        ]

    def lists(self) -> dict[str, RecordList]:
        """Every list, by the simulator's own name (``executions:BTC_JPY``, ``balance:JPY``...)."""
        named: dict[str, RecordList] = {}
        for code, records in self.executions.items():
            named[f"executions:{code}"] = records
        for currency, records in self.balance_history.items():
            named[f"balance:{currency}"] = records
        named.update(
            {
                "coinins": self.coin_ins,
                "coinouts": self.coin_outs,
                "deposits": self.deposits,
                "withdrawals": self.withdrawals,
                "collateral": self.collateral,
            }
        )
        return named

    def record_count(self) -> int:
        return sum(len(v) for v in self.lists().values())

    def __repr__(self) -> str:
        return f"SimAccount({self.activity!r}, records={self.record_count()})"

    # -- rendering --------------------------------------------------------------------------------
    def _ledger(
        self,
        currency: str,
        ms: int,
        trade_type: str,
        amount: Decimal,
        *,
        product: str = "",
        price: Decimal = Decimal(0),
        quantity: Decimal = Decimal(0),
        commission: Decimal = Decimal(0),
        order_id: str = "",
    ) -> None:
        self.balances[currency] += amount - commission
        record: Record = {
            "id": self._ledger_ids.next(),
            "trade_date": bf_time(ms, JST),
            "event_date": bf_time(ms),
            "product_code": product,
            "currency_code": currency,
            "trade_type": trade_type,
            "price": price,
            "amount": amount,
            "quantity": quantity,
            "commission": commission,
            "balance": self.balances[currency],
            "order_id": order_id,
        }
        self.balance_history[currency].add(record, ms)

    def _collateral(self, currency: str, ms: int, change: Decimal, reason: str) -> None:
        self.collateral_balance[currency] += change
        record: Record = {
            "id": self._coll_ids.next(),
            "currency_code": currency,
            "change": change,
            "amount": self.collateral_balance[currency],
            "reason_code": reason,
            "date": bf_time(ms),
        }
        self.collateral.add(record, ms)

    def _render(self, event: object) -> None:
        if isinstance(event, Fill):
            self._fill(event)
        elif isinstance(event, CryptoDeposit):
            self._coin_in(event)
        elif isinstance(event, CryptoWithdrawal):
            self._coin_out(event)
        elif isinstance(event, FiatDeposit):
            order = self.order_ids[event.seq] = _order_id("MDP", event.time_ms, event.seq)
            self.deposits.add(
                {
                    "id": self._dep_ids.next(),
                    "order_id": order,
                    "currency_code": event.asset,
                    "amount": event.amount,
                    "status": "COMPLETED",
                    "event_date": bf_time(event.time_ms),
                },
                event.time_ms,
            )
            self._ledger(event.asset, event.time_ms, "DEPOSIT", event.amount, order_id=order)
        elif isinstance(event, FiatWithdrawal):
            order = self.order_ids[event.seq] = _order_id("MWD", event.time_ms, event.seq)
            self.withdrawals.add(
                {
                    "id": self._wd_ids.next(),
                    "order_id": order,
                    "currency_code": event.asset,
                    "amount": event.amount,
                    "status": "COMPLETED",
                    "event_date": bf_time(event.time_ms),
                },
                event.time_ms,
            )
            self._ledger(event.asset, event.time_ms, "WITHDRAW", -event.amount, order_id=order)
            self._ledger(event.asset, event.time_ms, "FEE", -event.fee, order_id=order)
        elif isinstance(event, Transfer):
            to_margin = event.target == "margin"
            signed = event.amount if to_margin else -event.amount
            self._ledger(event.asset, event.time_ms, "POST_COLL" if to_margin else "CANCEL_COLL", -signed)
            self._collateral(event.asset, event.time_ms, signed, "POST_COLL" if to_margin else "CANCEL_COLL")
        elif isinstance(event, Reward):
            self._ledger(event.asset, event.time_ms, "TRANSFER", event.amount)
        elif isinstance(event, RealisedPnl):
            self._collateral(event.market.quote, event.time_ms, event.amount, "CLEARING_COLL")
        elif isinstance(event, Funding):
            self._collateral(event.market.quote, event.time_ms, event.amount, "FUNDING_RATE")

    def _fill(self, fill: Fill) -> None:
        market = fill.market
        code = product_code(market)
        side = fill.side.upper()
        if fill.channel == "book":
            if fill.order not in self._orders:  # the ids are the order's, stamped at its first fill
                self._orders[fill.order] = (
                    _order_id("JOR", fill.time_ms, fill.order),
                    _order_id("JRF", fill.time_ms - 37, fill.order),
                )
            child, acceptance = self._orders[fill.order]
            commission = fill.fee if fill.fee_asset == market.base else Decimal(0)
            self.executions[code].add(
                {
                    "id": self._exec_ids.next(),
                    "child_order_id": child,
                    "side": side,
                    "price": fill.price,
                    "size": fill.qty,
                    "commission": commission,
                    "exec_date": bf_time(fill.time_ms),
                    "child_order_acceptance_id": acceptance,
                },
                fill.time_ms,
            )
            self.order_ids[fill.seq] = child
            if market.kind == "perpetual":
                return
            order = child
        else:
            order = _order_id(DESK_ORDER_PREFIX, fill.time_ms, fill.order)
        self.order_ids[fill.seq] = order
        sign = Decimal(1) if fill.side == "buy" else Decimal(-1)
        value = (fill.qty * fill.price).quantize(Decimal("0.00000001"))
        base_fee = fill.fee if fill.fee_asset == market.base else Decimal(0)
        quote_fee = fill.fee if fill.fee_asset == market.quote else Decimal(0)
        self._ledger(
            market.base,
            fill.time_ms,
            side,
            sign * fill.qty,
            product=code,
            price=fill.price,
            quantity=fill.qty,
            commission=base_fee,
            order_id=order,
        )
        self._ledger(
            market.quote,
            fill.time_ms,
            side,
            -sign * value,
            product=code,
            price=fill.price,
            quantity=fill.qty,
            commission=quote_fee,
            order_id=order,
        )

    def _coin_in(self, event: CryptoDeposit) -> None:
        order = self.order_ids[event.seq] = _order_id("CDP", event.time_ms, event.seq)
        self.coin_ins.add(
            {
                "id": self._in_ids.next(),
                "order_id": order,
                "currency_code": event.asset,
                "amount": event.amount,
                "address": event.address,
                "tx_hash": event.tx_hash,
                "status": "PENDING" if event.pending else "COMPLETED",
                "event_date": bf_time(event.time_ms),
            },
            event.time_ms,
        )
        if not event.pending:
            self._ledger(event.asset, event.time_ms, "DEPOSIT", event.amount, order_id=order)

    def _coin_out(self, event: CryptoWithdrawal) -> None:
        order = self.order_ids[event.seq] = _order_id("CWD", event.time_ms, event.seq)
        self.coin_outs.add(
            {
                "id": self._out_ids.next(),
                "order_id": order,
                "currency_code": event.asset,
                "amount": event.amount,
                "address": event.address,
                "tx_hash": event.tx_hash,
                "fee": event.fee,
                "additional_fee": event.extra_fee,
                "status": "PENDING" if event.pending else "COMPLETED",
                "event_date": bf_time(event.time_ms),
            },
            event.time_ms,
        )
        if not event.pending:
            self._ledger(event.asset, event.time_ms, "WITHDRAW", -event.amount, order_id=order)
            fee = event.fee + event.extra_fee
            if fee:
                self._ledger(event.asset, event.time_ms, "FEE", -fee, order_id=order)
