"""bitFlyer's normaliser on the documentation's own response samples, and the balance-history
rule that decides which row is its own event (mirror_of)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.venues.bitflyer import normalize
from cryptact_desktop.venues.bitflyer.streams import parser

FIXTURES = Path(__file__).parent / "fixtures"


def sample(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((FIXTURES / name).read_text(), parse_float=Decimal)
    return data


def ledger(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": 1000,
        "trade_date": "2024-03-01T19:00:00.5",
        "event_date": "2024-03-01T10:00:00.5",
        "product_code": "",
        "currency_code": "JPY",
        "trade_type": "DEPOSIT",
        "price": 0,
        "amount": 0,
        "quantity": 0,
        "commission": 0,
        "balance": 0,
        "order_id": "",
    }
    row.update(fields)
    return row


def test_times_are_utc_with_any_fraction() -> None:
    assert normalize.parse_time("2015-07-07T09:57:40.397") == 1436263060397
    assert normalize.parse_time("2016-10-19T05:44:55.28") == 1476855895280
    assert normalize.parse_time("2015-07-07T08:45:53") == 1436258753000
    assert normalize.parse_time("2019-04-11T05:14:12.3739915Z") == 1554959652373
    assert normalize.parse_time("2015-07-07T18:57:40.397+09:00") == 1436263060397
    with pytest.raises(ValueError):
        normalize.parse_time("07/07/2015 09:57")


def test_product_codes() -> None:
    assert normalize.split_product("BTC_JPY") == ("BTC", "JPY", False)
    assert normalize.split_product("ETH_BTC") == ("ETH", "BTC", False)
    assert normalize.split_product("FX_BTC_JPY") == ("BTC", "JPY", True)
    assert normalize.split_product("BTCJPY28MAR2025") == ("BTC", "JPY", True)
    assert normalize.split_product("BTCJPY_MAT3M") == ("BTC", "JPY", True)
    assert normalize.split_product("WEIRD") == ("WEIRD", "", False)


def test_documented_executions() -> None:
    parse = parser("executions:BTC_JPY")
    first = parse(sample("getexecutions.json")[0]).record
    assert first is not None
    assert first.exchange_id == "BTC_JPY:37233"
    assert first.timestamp_ms == 1436263060397
    assert (first.kind, first.base, first.quote, first.side) == (
        TransactionKind.TRADE,
        "BTC",
        "JPY",
        Side.BUY,
    )
    assert (first.amount, first.price, first.fee, first.fee_currency) == ("0.01", "33470", "", "")
    assert first.mirror_of == "" and first.note == "BTC_JPY"
    # raw keeps the record, numbers as their exact text, and names the product the request asked for
    assert first.raw["size"] == "0.01" and first.raw["product_code"] == "BTC_JPY"
    json.dumps(first.raw)  # storable


def test_execution_commission_and_crypto_cfd() -> None:
    raw = {**sample("getexecutions.json")[0], "side": "SELL", "commission": Decimal("0.0000135")}
    spot = parser("executions:BTC_JPY")(raw).record
    assert spot is not None and (spot.fee, spot.fee_currency, spot.side) == ("0.0000135", "BTC", Side.SELL)
    cfd = parser("executions:FX_BTC_JPY")(raw).record
    assert cfd is not None
    assert (cfd.kind, cfd.base, cfd.quote, cfd.exchange_id) == (
        TransactionKind.DERIVATIVE_TRADE,
        "BTC",
        "JPY",
        "FX_BTC_JPY:37233",
    )


def test_documented_balance_history_rows_mirror_their_executions() -> None:
    rows = [parser("balance_history:USD")(r).record for r in sample("getbalancehistory.json")]
    assert all(r is not None for r in rows)
    first = rows[0]
    assert first is not None
    assert first.exchange_id == "USD:1000108"
    # event_date (UTC) is read, not trade_date (JST)
    assert first.timestamp_ms == normalize.parse_time("2016-10-19T05:44:55.28")
    assert (first.kind, first.base, first.quote, first.side) == (
        TransactionKind.TRADE,
        "BTC",
        "USD",
        Side.SELL,
    )
    assert first.mirror_of == "executions"  # JOR… = a Lightning child order


def test_retail_desk_trade_is_counted_once_on_its_base_currency_row() -> None:
    base = parser("balance_history:BTC")(
        ledger(
            currency_code="BTC",
            product_code="BTC_JPY",
            trade_type="BUY",
            price=6_000_000,
            amount=Decimal("0.001"),
            quantity=Decimal("0.001"),
            order_id="BFF20240301-100000-123456",
        )
    ).record
    quote = parser("balance_history:JPY")(
        ledger(
            id=1001,
            currency_code="JPY",
            product_code="BTC_JPY",
            trade_type="BUY",
            price=6_000_000,
            amount=-6000,
            quantity=Decimal("0.001"),
            order_id="BFF20240301-100000-123456",
        )
    ).record
    assert base is not None and quote is not None
    assert (base.kind, base.mirror_of, base.base, base.quote, base.side) == (
        TransactionKind.TRADE,
        "",
        "BTC",
        "JPY",
        Side.BUY,
    )
    assert (base.amount, base.price) == ("0.001", "6000000")
    assert (quote.kind, quote.mirror_of, quote.amount) == (TransactionKind.TRADE, "balance_history", "0.001")


def test_a_retail_row_without_quantity_derives_it() -> None:
    quote = parser("balance_history:JPY")(
        ledger(
            currency_code="JPY",
            product_code="BTC_JPY",
            trade_type="SELL",
            price=5_000_000,
            amount=2500,
            quantity=0,
        )
    ).record
    assert quote is not None and quote.amount == "0.0005"
    base = parser("balance_history:BTC")(
        ledger(
            currency_code="BTC",
            product_code="BTC_JPY",
            trade_type="SELL",
            price=5_000_000,
            amount=Decimal("-0.0005"),
        )
    ).record
    assert base is not None and base.amount == "0.0005"


@pytest.mark.parametrize(
    ("trade_type", "order_id", "amount", "kind", "side", "value", "mirror"),
    [
        ("DEPOSIT", "CDP20151227-024141-055555", "0.5", TransactionKind.DEPOSIT, Side.IN, "0.5", "coin_ins"),
        (
            "DEPOSIT",
            "MDP20151014-101010-033333",
            "10000",
            TransactionKind.DEPOSIT,
            Side.IN,
            "10000",
            "deposits",
        ),
        ("DEPOSIT", "", "3", TransactionKind.DEPOSIT, Side.IN, "3", ""),
        (
            "WITHDRAW",
            "CWD20151224-014040-077777",
            "-0.1",
            TransactionKind.WITHDRAWAL,
            Side.OUT,
            "0.1",
            "coin_outs",
        ),
        (
            "WITHDRAW",
            "MWD20151020-090909-011111",
            "-12000",
            TransactionKind.WITHDRAWAL,
            Side.OUT,
            "12000",
            "withdrawals",
        ),
        ("FEE", "MWD20151020-090909-011111", "-550", TransactionKind.FEE, Side.OUT, "550", ""),
        ("FEE", "CWD20151224-014040-077777", "-0.0006", TransactionKind.FEE, Side.OUT, "0.0006", "coin_outs"),
        (
            "FEE",
            "JOR20150707-060559-021935",
            "-0.00001",
            TransactionKind.FEE,
            Side.OUT,
            "0.00001",
            "executions",
        ),
        ("FEE", "", "20", TransactionKind.FEE, Side.OUT, "-20", ""),
        ("POST_COLL", "", "-100000", TransactionKind.INTERNAL_TRANSFER, Side.OUT, "100000", ""),
        ("CANCEL_COLL", "", "50000", TransactionKind.INTERNAL_TRANSFER, Side.IN, "50000", ""),
        ("TRANSFER", "", "0.01", TransactionKind.LEDGER, Side.IN, "0.01", ""),
        ("PAYMENT", "", "-0.002", TransactionKind.LEDGER, Side.OUT, "-0.002", ""),
        ("SOMETHING_NEW", "CWD20151224-014040-077777", "-1", TransactionKind.LEDGER, Side.OUT, "-1", ""),
    ],
)
def test_other_balance_history_rows(
    trade_type: str, order_id: str, amount: str, kind: TransactionKind, side: Side, value: str, mirror: str
) -> None:
    record = parser("balance_history:BTC")(
        ledger(currency_code="BTC", trade_type=trade_type, order_id=order_id, amount=Decimal(amount))
    ).record
    assert record is not None
    assert (record.kind, record.side, record.amount, record.mirror_of, record.base) == (
        kind,
        side,
        value,
        mirror,
        "BTC",
    )
    assert record.note == trade_type


def test_balance_history_ids_are_per_currency() -> None:
    btc = parser("balance_history:BTC")(ledger(currency_code="BTC")).record
    jpy = parser("balance_history:JPY")(ledger(currency_code="JPY")).record
    assert btc is not None and jpy is not None and btc.exchange_id != jpy.exchange_id


def test_documented_coin_moves() -> None:
    coin_in = parser("coin_ins")(sample("getcoinins.json")[0]).record
    assert coin_in is not None
    assert (coin_in.exchange_id, coin_in.kind, coin_in.base, coin_in.amount, coin_in.side) == (
        "CDP20151227-024141-055555",
        TransactionKind.DEPOSIT,
        "BTC",
        "0.00002",
        Side.IN,
    )
    assert coin_in.tx_hash.startswith("9f92ee65")
    coin_out = parser("coin_outs")(sample("getcoinouts.json")[0]).record
    assert coin_out is not None
    assert (coin_out.kind, coin_out.amount, coin_out.fee, coin_out.fee_currency) == (
        TransactionKind.WITHDRAWAL,
        "0.1234",
        "0.0006",  # fee + additional_fee
        "BTC",
    )
    assert coin_out.tx_hash.startswith("724c07df")


def test_documented_bank_moves() -> None:
    deposit = parser("deposits")(sample("getdeposits.json")[0]).record
    withdrawal = parser("withdrawals")(sample("getwithdrawals.json")[0]).record
    assert deposit is not None and withdrawal is not None
    assert (deposit.exchange_id, deposit.kind, deposit.amount, deposit.base) == (
        "MDP20151014-101010-033333",
        TransactionKind.DEPOSIT,
        "10000",
        "JPY",
    )
    assert (withdrawal.kind, withdrawal.side, withdrawal.fee) == (TransactionKind.WITHDRAWAL, Side.OUT, "")


def test_pending_and_failed_moves() -> None:
    raw = sample("getcoinins.json")[0]
    pending = parser("coin_ins")({**raw, "status": "PENDING"})
    assert pending.record is None and not pending.settled
    cancelled = parser("coin_outs")({**sample("getcoinouts.json")[0], "status": "CANCELED"})
    assert cancelled.record is None and cancelled.settled
    no_order = parser("coin_ins")({**raw, "order_id": None})
    assert no_order.record is not None and no_order.record.exchange_id == "id:100"


def test_documented_collateral_history() -> None:
    rows = [parser("collateral_history")(r).record for r in sample("getcollateralhistory.json")]
    pnl, exchange_jpy, exchange_btc = rows
    assert pnl is not None and exchange_jpy is not None and exchange_btc is not None
    assert (pnl.kind, pnl.base, pnl.amount, pnl.pnl, pnl.exchange_id) == (
        TransactionKind.REALISED_PNL,
        "JPY",
        "-6",
        "-6",
        "4995",
    )
    assert (exchange_btc.kind, exchange_btc.amount, exchange_btc.side) == (
        TransactionKind.LEDGER,
        "-14.69001618",
        Side.OUT,
    )
    funding = parser("collateral_history")(
        {**sample("getcollateralhistory.json")[0], "reason_code": "FUNDING_RATE"}
    )
    assert funding.record is not None
    assert (funding.record.kind, funding.record.side, funding.record.amount) == (
        TransactionKind.FUNDING,
        Side.OUT,
        "6",
    )
    move = parser("collateral_history")(
        {**sample("getcollateralhistory.json")[1], "reason_code": "POST_COLL"}
    )
    assert move.record is not None
    assert (move.record.kind, move.record.mirror_of) == (TransactionKind.INTERNAL_TRANSFER, "balance_history")


def test_exponent_numbers_are_read_exactly() -> None:
    raw = json.loads(
        '{"id": 1, "side": "BUY", "price": 1E+7, "size": 1E-8, "exec_date": "2024-01-01T00:00:00"}',
        parse_float=Decimal,
    )
    record = parser("executions:BTC_JPY")(raw).record
    assert record is not None and (record.amount, record.price) == ("0.00000001", "10000000")


@pytest.mark.parametrize(
    "bad",
    [
        {"side": "BUY", "price": 1, "size": 1, "exec_date": "2024-01-01T00:00:00"},  # no id
        {"id": "x1", "side": "BUY", "price": 1, "size": 1, "exec_date": "2024-01-01T00:00:00"},
        {"id": 1, "side": "HOLD", "price": 1, "size": 1, "exec_date": "2024-01-01T00:00:00"},
        {"id": 1, "side": "BUY", "price": "abc", "size": 1, "exec_date": "2024-01-01T00:00:00"},
        {"id": 1, "side": "BUY", "price": 1, "size": 1, "exec_date": "yesterday"},
        {"id": 1, "side": "BUY", "price": True, "size": 1, "exec_date": "2024-01-01T00:00:00"},
    ],
)
def test_malformed_records_raise_a_safe_value_error(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError) as excinfo:
        parser("executions:BTC_JPY")(bad)
    assert len(str(excinfo.value)) < 80


def test_a_discovered_stream_needs_its_subject() -> None:
    with pytest.raises(KeyError):
        parser("executions")
