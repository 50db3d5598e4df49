"""Bybit record normalisation, on the real responses recorded in the reference notes (§2, §6)."""

from __future__ import annotations

import time

import pytest

from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.venues.bybit import normalize
from cryptact_desktop.venues.bybit.signing import query_string, sign


def test_signature_vectors() -> None:
    secret, key = "SIMULATOR_TEST_SECRET_0123456789abcdef", "SIMKEY0001"
    qs = "category=spot&limit=100&startTime=1699395200000&endTime=1700000000000"
    assert sign(secret, "1700000000000", key, "5000", qs) == (
        "13c21b3cad6a04a3078a40fbb3ef4cd45c91ce52ec73020036e1b4212e75e5ad"
    )
    assert sign(secret, 1700000000000, key, 5000, "") == (
        "73c0903d2571115adf2196840f58e74c5e9651ac8cc6a48a765ab0e99025be64"
    )


def test_query_string_keeps_issued_cursors() -> None:
    params = [("category", "spot"), ("cursor", "132766%3A2%2C132766%3A2")]
    assert query_string(params) == "category=spot&cursor=132766%3A2%2C132766%3A2"
    assert query_string([("cursor", "eyJh+b/c=")]) == "cursor=eyJh%2Bb/c="


SPOT_2023 = {
    "symbol": "BTCUSDT",
    "orderType": "Market",
    "orderLinkId": "1550857400247129600",
    "orderId": "1550857400238740992",
    "execTime": "1699612608878",
    "feeRate": "0.001",
    "execPrice": "29708.7",
    "orderQty": "0",
    "orderPrice": "999999",
    "execValue": "9.9821232",
    "execType": "Trade",
    "seq": "1251953666",
    "side": "Buy",
    "leavesQty": "0",
    "isMaker": False,
    "execFee": "0.000000336",
    "execId": "2100000000047087120",
    "execQty": "0.000336",
}


def test_spot_trade_without_fee_currency_uses_the_documented_rule() -> None:
    parsed = normalize.execution("spot")(SPOT_2023)
    record = parsed.record
    assert record is not None
    assert (record.exchange_id, record.timestamp_ms, record.kind) == (
        "2100000000047087120",
        1699612608878,
        TransactionKind.TRADE,
    )
    assert (record.base, record.quote, record.side) == ("BTC", "USDT", Side.BUY)
    assert (record.amount, record.price, record.fee, record.fee_currency) == (
        "0.000336",
        "29708.7",
        "0.000000336",
        "BTC",
    )
    sell = normalize.execution("spot")({**SPOT_2023, "side": "Sell"}).record
    assert sell is not None and sell.fee_currency == "USDT"
    maker_rebate_buy = normalize.execution("spot")(
        {**SPOT_2023, "isMaker": True, "feeRate": "-0.0001"}
    ).record
    assert maker_rebate_buy is not None and maker_rebate_buy.fee_currency == "USDT"


def test_linear_funding_execution_sign() -> None:
    received = {
        "symbol": "LTCUSDT",
        "orderType": "UNKNOWN",
        "orderId": "5930c0f9",
        "execTime": "1710921600000",
        "feeCurrency": "",
        "feeRate": "-0.000881",
        "execPrice": "80.33",
        "execType": "Funding",
        "side": "Buy",
        "isMaker": False,
        "execFee": "-0.00708126",
        "execId": "89102b18-96c4-42d2-bc26-131699036635",
        "execQty": "0.1",
    }
    record = normalize.execution("linear")(received).record
    assert record is not None
    assert (record.kind, record.side, record.amount, record.base) == (
        TransactionKind.FUNDING,
        Side.IN,
        "0.00708126",
        "USDT",
    )
    paid = normalize.execution("linear")({**received, "execFee": "0.0007797"}).record
    assert paid is not None and paid.side is Side.OUT


def test_deposit_without_id_and_pending_states() -> None:
    rotki_row = {
        "coin": "USDC",
        "chain": "OP.E",
        "amount": "79.993947",
        "txID": "0xe9bce05f",
        "status": 3,
        "toAddress": "0x6f8a",
        "tag": "",
        "depositFee": "",
        "successAt": "1701200911000",
        "txIndex": "4",
    }
    parsed = normalize.deposit_onchain(rotki_row)
    assert parsed.record is not None and parsed.record.exchange_id == "0xe9bce05f:4:USDC"
    assert parsed.record.network == "OP.E" and parsed.record.fee == ""
    pending = normalize.deposit_onchain({**rotki_row, "status": 2})
    assert pending.record is None and not pending.settled
    failed = normalize.deposit_onchain({**rotki_row, "status": 4})
    assert failed.record is None and failed.settled


def test_internal_deposit_seconds_and_withdrawal_statuses() -> None:
    internal = normalize.deposit_internal(
        {"id": "1", "type": 1, "coin": "USDT", "amount": "5", "status": 2, "createdTime": "1705393280"}
    )
    assert internal.record is not None and internal.record.timestamp_ms == 1705393280000
    row = {
        "coin": "USDC",
        "chain": "ETH",
        "amount": "41.43008",
        "txID": "0x3d",
        "status": "success",
        "withdrawFee": "5",
        "createTime": "1742738305000",
        "withdrawId": "131629076",
        "withdrawType": 0,
    }
    record = normalize.withdrawal(row).record
    assert record is not None and (record.fee, record.fee_currency, record.side) == ("5", "USDC", Side.OUT)
    assert normalize.withdrawal({**row, "status": "Pending"}).settled is False
    assert normalize.withdrawal({**row, "status": "Reject"}).settled is True


def test_ledger_id_is_composite_and_convert_price() -> None:
    ledger = {
        "id": "592324_XRPUSDT_161440249321",
        "symbol": "XRPUSDT",
        "side": "Buy",
        "funding": "-0.003676",
        "fee": "0.00000000",
        "change": "-0.003676",
        "cashFlow": "0",
        "transactionTime": "1672128000000",
        "type": "SETTLEMENT",
        "currency": "USDT",
        "tradePrice": "0.3676",
    }
    record = normalize.transaction_log(ledger).record
    assert record is not None
    assert record.exchange_id == "592324_XRPUSDT_161440249321|SETTLEMENT|1672128000000|USDT"
    # A settlement row of the ledger is a realised-P&L entry with Bybit's parts: here funding only.
    assert (record.kind, record.side, record.amount) == (TransactionKind.REALISED_PNL, Side.OUT, "-0.003676")
    assert (record.pnl, record.funding, record.fee, record.note) == (
        "0",
        "-0.003676",
        "0",
        "settlement XRPUSDT",
    )
    convert = {
        "accountType": "eb_convert_uta",
        "exchangeTxId": "23070eb",
        "fromCoin": "BTC",
        "fromAmount": "0.1",
        "toCoin": "ETH",
        "toAmount": "1.773938248611074",
        "exchangeStatus": "success",
        "createdAt": "1719974243256",
    }
    record = normalize.convert(convert).record
    assert record is not None and (record.base, record.quote, record.amount) == (
        "ETH",
        "BTC",
        "1.773938248611074",
    )
    assert record.price.startswith("0.05637")
    assert record.counter_amount == "0.1"  # what the convert gave, for the export


@pytest.mark.parametrize(
    "bad", [{"execId": "x"}, {**SPOT_2023, "execQty": "abc"}, {**SPOT_2023, "execTime": ""}]
)
def test_malformed_records_raise_a_safe_value_error(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError) as info:
        normalize.execution("spot")(bad)
    assert "field" in str(info.value) or "missing" in str(info.value)


def test_a_rate_limit_reset_is_met_on_arrival_half_a_round_trip_early() -> None:
    """Bybit's reset time is when its window frees on arrival there: a request sent half a round
    trip earlier arrives then (waiting until the reset itself lost that each second)."""
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.sync.http import HttpResponse
    from cryptact_desktop.sync.ratelimit import RollingWindowLimiter
    from cryptact_desktop.sync.rest import Request
    from cryptact_desktop.venues.bybit.connector import BybitConnector

    now_s = 1_800_000_000.0
    connector = BybitConnector(
        Credentials("K" * 18, "S" * 36), "http://127.0.0.1:9", wall_clock=lambda: now_s
    )
    limiter = RollingWindowLimiter(25, 1.0)
    reset_ms = int(now_s * 1000) + 400  # the window frees 0.4 s from now
    headers = {
        "X-Bapi-Limit": "25",
        "X-Bapi-Limit-Status": "0",
        "X-Bapi-Limit-Reset-Timestamp": str(reset_ms),
    }
    connector.observe(
        Request("GET", "/v5/account/transaction-log"), limiter, HttpResponse(200, headers, b"", 0.2)
    )
    with limiter._lock:
        delay = limiter._delay_locked(time.monotonic())
    assert 0.25 < delay <= 0.3  # 0.4 s less half of the 0.2 s round trip
