"""The Binance normaliser on the docs' response examples: kinds, amounts, exact ids, statuses."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.venues.binance import normalize
from cryptact_desktop.venues.binance.streams import STREAM_REQUESTS, parser

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def test_a_spot_trade_is_a_trade_whose_id_names_its_symbol() -> None:
    (raw,) = load("myTrades.json")
    record = parser("spot_trades:BNB/BTC")(raw).record
    assert record is not None
    assert record.exchange_id == "BNBBTC:28457"  # trade ids are unique only within a symbol
    assert (record.kind, record.base, record.quote, record.side) == (
        TransactionKind.TRADE,
        "BNB",
        "BTC",
        Side.BUY,
    )
    assert (record.amount, record.price, record.fee, record.fee_currency) == ("12", "4.000001", "10.1", "BNB")
    assert record.timestamp_ms == 1499865549590
    isolated = parser("margin_isolated:BNB/BTC")(raw).record
    assert isolated is not None and isolated.exchange_id == "ISOLATED:BNBBTC:28457"


def test_trade_streams_need_a_pair_and_coins_without_one_are_gaps() -> None:
    with pytest.raises(KeyError):
        parser("spot_trades:LUNA")
    assert normalize.split_subject("LUNA") == ("LUNA", "")
    assert normalize.symbol_of("BNB/BTC") == "BNBBTC"


def test_deposits_pending_ones_wait_and_credited_ones_count() -> None:
    pending, done = (normalize.deposit(raw) for raw in load("deposits.json"))
    assert pending.record is None and pending.settled is False and pending.time_ms == 1661493146000
    record = done.record
    assert record is not None
    assert (record.exchange_id, record.kind, record.base, record.amount) == (
        "769754833590042625",
        TransactionKind.DEPOSIT,
        "IOTA",
        "0.5",
    )
    assert record.tx_hash.startswith("ESBFVQ") and record.network == "IOTA"


def test_withdrawals_use_the_utc_apply_time_and_cancelled_ones_are_final() -> None:
    done, cancelled = (normalize.withdrawal(raw) for raw in load("withdrawals.json"))
    record = done.record
    assert record is not None
    assert record.timestamp_ms == 1570878722000  # 2019-10-12 11:12:02 UTC
    assert (record.kind, record.base, record.amount, record.fee, record.fee_currency) == (
        TransactionKind.WITHDRAWAL,
        "USDT",
        "8.91",
        "0.004",
        "USDT",
    )
    assert cancelled.record is None and cancelled.settled is True  # status 1: cancelled


def test_a_convert_keeps_its_order_id_above_two_to_the_53_exactly() -> None:
    body = load("tradeFlow.json")
    (raw,) = STREAM_REQUESTS["converts"].items(body)
    assert raw["orderId"] == 940708407462087195 > 2**53
    record = normalize.convert(raw).record
    assert record is not None
    assert record.exchange_id == "940708407462087195"
    assert (record.kind, record.base, record.amount, record.quote, record.counter_amount) == (
        TransactionKind.CONVERT,
        "BNB",
        "0.06154036",
        "USDT",
        "20",
    )
    assert Decimal(record.price) == Decimal(20) / Decimal("0.06154036")
    processing = normalize.convert({**raw, "orderStatus": "PROCESS"})
    assert processing.record is None and processing.settled is False
    with pytest.raises(ValueError, match="integer id"):
        normalize.convert({**raw, "orderId": float(raw["orderId"])})  # digits already lost


def test_dust_becomes_one_convert_into_bnb_per_coin_swept() -> None:
    rows = STREAM_REQUESTS["dust"].items(load("dribblet.json"))
    records = [normalize.dust(row).record for row in rows]
    assert [(r.exchange_id, r.quote, r.counter_amount, r.amount, r.fee) for r in records if r] == [
        ("45178372831:USDT", "USDT", "0.0009", "0.000441", "0.000009"),
        ("45178372831:ETH", "ETH", "0.0009", "0.00088156", "0.00001799"),
        ("4357015:USDT", "USDT", "0.001", "0.00049", "0.00001"),
        ("4357015:ETH", "ETH", "0.0001", "0.00009795", "0.000002"),
    ]
    assert all(r is not None and r.kind is TransactionKind.CONVERT and r.base == "BNB" for r in records)


def test_simple_earn_rewards_are_interest_or_staking() -> None:
    flexible = [normalize.earn_flexible(r).record for r in load("flexibleRewards.json")["rows"]]
    assert [(r.kind, r.base, r.amount, r.exchange_id) for r in flexible if r] == [
        (TransactionKind.INTEREST, "BUSD", "0.00006408", "BONUS:USDT001:BUSD:1577233578000"),
        (TransactionKind.INTEREST, "USDT", "0.00687654", "REALTIME:USDT001:USDT:1577233562000"),
    ]
    locked = [normalize.earn_locked(r).record for r in load("lockedRewards.json")["rows"]]
    assert [(r.kind, r.amount, r.exchange_id) for r in locked if r] == [
        (TransactionKind.STAKING, "21312.23223", "Locked Rewards:123123:BNB:1575018510000"),
        (TransactionKind.STAKING, "1.23223", "Boost Rewards:123123:BNB:1575018510000"),
    ]


def test_fiat_orders_and_card_payments() -> None:
    expired, done = (
        normalize.fiat_order(TransactionKind.DEPOSIT)(r) for r in load("fiatOrders.json")["data"]
    )
    assert expired.record is None and expired.settled is True
    record = done.record
    assert record is not None
    assert (record.exchange_id, record.kind, record.base, record.amount, record.fee) == (
        "CJW706452266115170304",
        TransactionKind.DEPOSIT,
        "GBP",
        "100",
        "1.5",
    )
    processing = normalize.fiat_order(TransactionKind.WITHDRAWAL)(
        {**load("fiatOrders.json")["data"][1], "status": "Processing"}
    )
    assert processing.record is None and processing.settled is False
    (payment,) = load("fiatPayments.json")["data"]
    bought = normalize.card_payment(Side.BUY)(payment).record
    assert bought is not None
    assert (bought.kind, bought.base, bought.quote, bought.side, bought.amount, bought.price, bought.fee) == (
        TransactionKind.TRADE,
        "LUNA",
        "EUR",
        Side.BUY,
        "4.462",
        "4.437472",
        "0.2",
    )
    # What was paid: the coins at the price plus the fee, the payment's sourceAmount.
    assert Decimal(bought.amount) * Decimal(bought.price) + Decimal(bought.fee) == pytest.approx(
        Decimal("20"), abs=Decimal("0.0001")
    )


def test_transfers_are_internal_and_seen_from_the_spot_wallet() -> None:
    first, second = (normalize.transfer(r).record for r in load("transfer.json")["rows"])
    assert first is not None and second is not None
    assert (first.kind, first.side, first.base, first.amount, first.exchange_id) == (
        TransactionKind.INTERNAL_TRANSFER,
        Side.OUT,
        "USDT",
        "1",
        "11415955596",
    )
    assert second.exchange_id == "11366865406"  # same time, own id
    pending = normalize.transfer({**load("transfer.json")["rows"][0], "status": "PENDING"})
    assert pending.record is None and pending.settled is False


def test_income_rows_that_share_a_transaction_id_stay_apart() -> None:
    transfer, commission = (normalize.income(r).record for r in load("income.json"))
    assert transfer is not None and commission is not None
    # "trandId is unique in the same incomeType for a user": the type is part of the id.
    assert (transfer.exchange_id, commission.exchange_id) == ("TRANSFER:9689322392", "COMMISSION:9689322392")
    assert transfer.kind is TransactionKind.INTERNAL_TRANSFER and transfer.mirror_of == "transfers"
    assert (commission.kind, commission.amount, commission.side) == (TransactionKind.FEE, "0.01", Side.OUT)


@pytest.mark.parametrize(
    ("kind", "income", "expected"),
    [
        ("REALIZED_PNL", "-12.5", (TransactionKind.REALISED_PNL, "-12.5", "-12.5")),
        ("FUNDING_FEE", "-0.04618913", (TransactionKind.FUNDING, "0.04618913", "")),
        ("WELCOME_BONUS", "5", (TransactionKind.BONUS, "5", "")),
        ("INSURANCE_CLEAR", "-3", (TransactionKind.REALISED_PNL, "-3", "-3")),
        ("AUTO_EXCHANGE", "1", (TransactionKind.LEDGER, "1", "")),
    ],
)
def test_income_kinds(kind: str, income: str, expected: tuple[TransactionKind, str, str]) -> None:
    raw = {
        "symbol": "BTCUSDT",
        "incomeType": kind,
        "income": income,
        "asset": "USDT",
        "time": 1707465600000,
        "tranId": 8082457372019390060,
    }
    record = normalize.income(raw).record
    assert record is not None
    assert (record.kind, record.amount, record.pnl) == expected
    assert record.exchange_id == f"{kind}:8082457372019390060"
    if kind == "FUNDING_FEE":
        assert record.side is Side.OUT
