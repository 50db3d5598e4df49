"""The Cryptact custom-file export: golden file, time zones, validator, watermark, streaming."""

from __future__ import annotations

import csv
import sqlite3
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cryptact_desktop.export.cryptact import (
    HEADER,
    LAST_EXPORT_SETTING,
    WATERMARK_SETTING,
    ExportRow,
    KeySources,
    Problem,
    Skipped,
    export_cryptact,
    map_transaction,
    parse_trace,
    suggest_filename,
    validate_file,
    validate_rows,
)
from cryptact_desktop.records import NormalizedRecord, Parsed, Side, TransactionKind
from cryptact_desktop.state import NewKey, TransactionFilter, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.venues.bybit import normalize

GOLDEN = Path(__file__).parent / "golden" / "cryptact_every_kind.csv"
BASE_MS = 1_710_720_000_000  # 2024-03-18 00:00:00 UTC

Raw = dict[str, Any]


def at(minute: int, ms: int = 0) -> int:
    return BASE_MS + minute * 60_000 + ms


def _commit(
    store: Store,
    key_id: int,
    endpoint: str,
    stream: str,
    parse: Callable[[Mapping[str, Any]], Parsed],
    raws: Sequence[Raw],
    *,
    covered: tuple[int, int] | None = None,
) -> None:
    records = []
    for raw in raws:
        parsed = parse(raw)
        assert parsed.record is not None, raw
        records.append(parsed.record)
    store.commit_page(key_id, endpoint, stream, records, covered=covered)


def _spot(minute: int, ms: int, **fields: Any) -> Raw:
    raw: Raw = {
        "symbol": "BTCUSDT",
        "orderType": "Market",
        "orderLinkId": "",
        "orderId": f"order-{minute}",
        "execTime": str(at(minute, ms)),
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
        "execId": f"21000000000{minute:02d}",
        "execQty": "0.000336",
    }
    raw.update(fields)
    return raw


def _execution(minute: int, exec_id: str, **fields: Any) -> Raw:
    raw: Raw = {
        "symbol": "LTCUSDT",
        "orderType": "Market",
        "orderLinkId": "",
        "orderId": f"c18b72e4-{minute:04d}",
        "stopOrderType": "UNKNOWN",
        "execTime": str(at(minute)),
        "feeCurrency": "",
        "createType": "CreateByUser",
        "feeRate": "0.00055",
        "markPrice": "85.07",
        "execPrice": "85.11",
        "orderQty": "0.1",
        "orderPrice": "89.32",
        "execValue": "8.511",
        "closedSize": "0",
        "execType": "Trade",
        "side": "Buy",
        "leavesQty": "0",
        "isMaker": False,
        "execFee": "0.00468105",
        "execId": exec_id,
        "execQty": "0.1",
    }
    raw.update(fields)
    return raw


def _ledger(minute: int, ledger_id: str, type_: str, currency: str, change: str, **fields: Any) -> Raw:
    raw: Raw = {
        "id": ledger_id,
        "symbol": "",
        "category": "",
        "side": "None",
        "transactionTime": str(at(minute)),
        "type": type_,
        "transSubType": "",
        "qty": "",
        "size": "",
        "currency": currency,
        "tradePrice": "",
        "funding": "",
        "fee": "",
        "cashFlow": "",
        "change": change,
        "cashBalance": "1000",
        "feeRate": "",
        "bonusChange": "",
        "tradeId": "",
        "orderId": "",
        "orderLinkId": "",
        "extraFees": "",
    }
    raw.update(fields)
    return raw


def _derivative_ledger(
    minute: int,
    ledger_id: str,
    type_: str,
    category: str,
    symbol: str,
    currency: str,
    *,
    cash_flow: str,
    funding: str,
    fee: str,
    change: str,
    **fields: Any,
) -> Raw:
    return _ledger(
        minute,
        ledger_id,
        type_,
        currency,
        change,
        category=category,
        symbol=symbol,
        side="Sell",
        qty="0.1",
        size="0",
        tradePrice="91.61",
        funding=funding,
        fee=fee,
        cashFlow=cash_flow,
        **fields,
    )


def build_every_kind_store(store: Store) -> tuple[int, int]:
    """Key 1 syncs everything including the ledger; key 2 only linear and inverse executions."""
    main = store.add_key(
        NewKey(
            exchange="bybit",
            label="Main",
            host_id="global",
            endpoints=(
                "spot",
                "linear",
                "inverse",
                "option",
                "transaction_log",
                "deposits",
                "withdrawals",
                "transfers",
                "convert",
                "earn",
            ),
        )
    )
    sub = store.add_key(
        NewKey(exchange="bybit", label="Sub", host_id="global", endpoints=("linear", "inverse"))
    )

    # --- spot executions (docs and ccxt recordings)
    _commit(
        store,
        main,
        "spot",
        "execution_spot",
        normalize.execution("spot"),
        [
            _spot(
                1,
                659,
                symbol="ETHUSDT",
                feeCurrency="ETH",
                execPrice="2453.65",
                execValue="2.45365",
                execFee="0.000001",
                execQty="0.001",
                marketUnit="baseCoin",
            ),
            _spot(2, 878, side="Sell", feeCurrency="USDT", execFee="0.0099821232"),
            _spot(
                3,
                15,
                symbol="SOLUSDT",
                isMaker=True,
                feeRate="-0.0001",
                feeCurrency="USDT",
                execPrice="145",
                execValue="14.5",
                execFee="-0.00145",
                execQty="0.1",
                orderType="Limit",
            ),
        ],
    )
    # --- derivative executions of the main key: all inside the ledger's coverage
    _commit(
        store,
        main,
        "linear",
        "execution_linear",
        normalize.execution("linear"),
        [
            _execution(4, "751c8dba-bdeb-5d0c-9dd3-dda6bf98cdaf", execTime=str(at(4, 390))),
            _execution(
                11,
                "c88057b1-d3b3-4a19-861a-ae79a8762796",
                orderType="UNKNOWN",
                execType="Funding",
                execFee="0.0006935",
                feeRate="0.0001",
            ),
        ],
    )
    _commit(
        store,
        main,
        "inverse",
        "execution_inverse",
        normalize.execution("inverse"),
        [
            _execution(
                5,
                "inv-6b1c",
                symbol="BTCUSD",
                execPrice="63974.5",
                execQty="1000",
                execValue="0.01563123",
                execFee="0.0000093787",
            )
        ],
    )
    _commit(
        store,
        main,
        "option",
        "execution_option_btc",
        normalize.execution("option"),
        [
            _execution(
                6,
                "opt-44aa",
                symbol="BTC-29MAR24-70000-C",
                execPrice="2500",
                execQty="0.01",
                execValue="25",
                execFee="0.3",
                feeCurrency="USDC",
            )
        ],
    )
    # --- the unified-account ledger of the main key, covering the whole period
    _commit(
        store,
        main,
        "transaction_log",
        "transaction_log",
        normalize.transaction_log,
        [
            _derivative_ledger(
                10,
                "452265_LTCUSDT_157751525051",
                "TRADE",
                "linear",
                "LTCUSDT",
                "USDT",
                cash_flow="0.65",
                funding="0",
                fee="0.00468105",
                change="0.64531895",
            ),
            _derivative_ledger(
                11,
                "452265_LTCUSDT_157751525050",
                "SETTLEMENT",
                "linear",
                "LTCUSDT",
                "USDT",
                cash_flow="0",
                funding="-0.0006935",
                fee="0",
                change="-0.0006935",
            ),
            _derivative_ledger(
                12,
                "592324_XRPUSDT_161440249321",
                "SETTLEMENT",
                "linear",
                "XRPUSDT",
                "USDT",
                cash_flow="0",
                funding="0.003676",
                fee="0.00000000",
                change="0.003676",
            ),
            _derivative_ledger(
                13,
                "452265_BTCUSDT_157751525052",
                "TRADE",
                "linear",
                "BTCUSDT",
                "USDT",
                cash_flow="-1.2",
                funding="0",
                fee="0.0468",
                change="-1.2468",
            ),
            _derivative_ledger(
                14,
                "452265_BTC-29MAR24-70000-C_1",
                "TRADE",
                "option",
                "BTC-29MAR24-70000-C",
                "USDC",
                cash_flow="-25",
                funding="0",
                fee="0.3",
                change="-25.3",
            ),
            _derivative_ledger(
                15,
                "452265_BTC-29MAR24-70000-C_2",
                "DELIVERY",
                "option",
                "BTC-29MAR24-70000-C",
                "USDC",
                cash_flow="12.5",
                funding="0",
                fee="0.15",
                change="12.35",
            ),
            _derivative_ledger(
                16,
                "452265_ETHUSDT_157751525053",
                "LIQUIDATION",
                "linear",
                "ETHUSDT",
                "USDT",
                cash_flow="-35.2",
                funding="0",
                fee="0.8",
                change="-36",
            ),
            _derivative_ledger(
                17,
                "452265_LTCUSDT_157751525054",
                "TRADE",
                "linear",
                "LTCUSDT",
                "USDT",
                cash_flow="0",
                funding="0",
                fee="-0.0011",
                change="0.0011",
            ),
            _derivative_ledger(
                18,
                "467153_BTCUSD_1",
                "TRADE",
                "inverse",
                "BTCUSD",
                "BTC",
                cash_flow="0.00012",
                funding="0",
                fee="0.0000012",
                change="0.0001188",
            ),
            _derivative_ledger(
                19,
                "452265_BTCUSDT_157751525055",
                "TRADE",
                "linear",
                "BTCUSDT",
                "USDT",
                cash_flow="1",
                funding="0",
                fee="0.1",
                change="0.95",
                bonusChange="-0.05",
            ),
            _ledger(
                20, "452265_BTCUSDT_spot_1", "TRADE", "BTC", "0.000336", category="spot", symbol="BTCUSDT"
            ),
            _ledger(21, "452265_transfer_1", "TRANSFER_IN", "USDT", "100"),
            _ledger(22, "452265_interest_1", "INTEREST", "USDT", "-0.0123"),
            _ledger(23, "452265_airdrop_1", "AIRDROP", "ARB", "12.5"),
            _ledger(24, "452265_bonus_1", "BONUS_RECOLLECT", "USDT", "-5"),
            _ledger(25, "452265_convert_1", "CONVERT", "USDT", "-100"),
            _ledger(26, "452265_borrow_1", "BORROW", "USDT", "50"),
            _ledger(27, "452265_refund_1", "FEE_REFUND", "USDT", "0.5"),
        ],
        covered=(at(0), at(60)),
    )
    # --- deposits, withdrawals, transfers (docs and rotki rows)
    _commit(
        store,
        main,
        "deposits",
        "deposit_onchain",
        normalize.deposit_onchain,
        [
            {
                "coin": "USDC",
                "chain": "OP.E",
                "amount": "79.993947",
                "txID": "0xe9bce05f14cb35eeb762ed5ce109ab4676ed1459480f6196c82060c4e0c63b27",
                "status": 3,
                "toAddress": "0x6f8a9d0210ea4ac4808d8fa15368fc330f12dd0c",
                "tag": "",
                "depositFee": "",
                "successAt": str(at(30)),
                "confirmations": "34",
                "txIndex": "4",
                "depositType": "0",
            }
        ],
    )
    _commit(
        store,
        main,
        "deposits",
        "deposit_internal",
        normalize.deposit_internal,
        [
            {
                "id": "1",
                "type": 1,
                "coin": "USDT",
                "amount": "5",
                "status": 2,
                "address": "us***@gmail.com",
                "txID": "1",
                "createdTime": str(at(31) // 1000),
            }
        ],
    )
    _commit(
        store,
        main,
        "withdrawals",
        "withdrawal",
        normalize.withdrawal,
        [
            {
                "coin": "USDC",
                "chain": "ETH",
                "amount": "41.43008",
                "txID": "0x3d6c",
                "status": "success",
                "toAddress": "0x2a6c",
                "tag": "",
                "withdrawFee": "5",
                "createTime": str(at(32)),
                "updateTime": str(at(32) + 35_000),
                "withdrawId": "131629076",
                "withdrawType": 0,
            },
            {
                "coin": "USDT",
                "chain": "",
                "amount": "20",
                "txID": "",
                "status": "success",
                "toAddress": "592324",
                "tag": "",
                "withdrawFee": "0",
                "createTime": str(at(33)),
                "updateTime": str(at(33)),
                "withdrawId": "131629077",
                "withdrawType": 1,
            },
        ],
    )
    _commit(
        store,
        main,
        "transfers",
        "transfer_internal",
        normalize.transfer,
        [
            {
                "transferId": "f26122f3-da92-4bef-b7cf-74f876568db9",
                "coin": "USDT",
                "amount": "10",
                "fromAccountType": "UNIFIED",
                "toAccountType": "FUND",
                "timestamp": str(at(34)),
                "status": "SUCCESS",
            }
        ],
    )
    # --- converts (docs row) and a convert into fiat
    _commit(
        store,
        main,
        "convert",
        "convert",
        normalize.convert,
        [
            {
                "accountType": "eb_convert_uta",
                "exchangeTxId": "23070eb_convert_uta408933875189391360",
                "userId": "XXXXX",
                "fromCoin": "BTC",
                "fromCoinType": "crypto",
                "fromAmount": "0.1",
                "toCoin": "ETH",
                "toCoinType": "crypto",
                "toAmount": "1.773938248611074",
                "exchangeStatus": "success",
                "convertRate": "17.73938248611074",
                "createdAt": str(at(35)),
            },
            {
                "accountType": "eb_convert_funding",
                "exchangeTxId": "23070eb_convert_funding408933875189391361",
                "userId": "XXXXX",
                "fromCoin": "USDT",
                "fromCoinType": "crypto",
                "fromAmount": "100",
                "toCoin": "EUR",
                "toCoinType": "fiat",
                "toAmount": "92.5",
                "exchangeStatus": "success",
                "convertRate": "0.925",
                "createdAt": str(at(36)),
            },
        ],
    )
    # --- earn: yield (normal and bonus) and orders
    yield_row = {
        "productId": "428",
        "coin": "USDT",
        "id": "137",
        "amount": "0.0523",
        "yieldType": "Normal",
        "distributionMode": "Auto",
        "effectiveStakingAmount": "1000",
        "orderId": "",
        "status": "Success",
        "createdAt": str(at(40)),
    }
    _commit(
        store,
        main,
        "earn",
        "earn_yield_flexible",
        normalize.earn_yield,
        [
            yield_row,
            {**yield_row, "id": "138", "amount": "0.01", "yieldType": "Bonus", "createdAt": str(at(41))},
        ],
    )
    order_row = {
        "coin": "USDT",
        "orderValue": "1000",
        "orderType": "Stake",
        "orderId": "9640dc23-df1a-448a-ad24-e1a48028a51e",
        "orderLinkId": "",
        "status": "Success",
        "createdAt": str(at(42)),
        "productId": "428",
        "updatedAt": str(at(42)),
    }
    _commit(
        store,
        main,
        "earn",
        "earn_order_flexible",
        normalize.earn_order,
        [order_row, {**order_row, "orderId": "b7a3", "orderType": "Redeem", "createdAt": str(at(43))}],
    )
    # --- kinds no Bybit stream produces (a stand-alone fee, a staking reward), to pin their rules
    store.commit_page(
        main,
        "misc",
        "misc",
        [
            NormalizedRecord(
                exchange_id="fee-1",
                timestamp_ms=at(44),
                kind=TransactionKind.FEE,
                base="USDT",
                side=Side.OUT,
                amount="1",
                raw={"note": "synthetic"},
            ),
            NormalizedRecord(
                exchange_id="staking-1",
                timestamp_ms=at(45),
                kind=TransactionKind.STAKING,
                base="ETH",
                side=Side.IN,
                amount="0.0012",
                note="eth2-reward",
                raw={"note": "synthetic"},
            ),
        ],
        covered=None,
    )
    # --- the sub key: no ledger, so funding comes from the executions
    _commit(
        store,
        sub,
        "linear",
        "execution_linear",
        normalize.execution("linear"),
        [
            _execution(
                50,
                "89102b18-96c4-42d2-bc26-131699036635",
                orderType="UNKNOWN",
                execType="Funding",
                execPrice="80.33",
                execFee="-0.00708126",
                feeRate="-0.000881",
            ),
            _execution(
                51,
                "c88057b1-d3b3-4a19-861a-ae79a8762797",
                orderType="UNKNOWN",
                execType="Funding",
                execPrice="77.97",
                execFee="0.0007797",
                feeRate="0.0001",
            ),
            _execution(52, "751c8dba-bdeb-5d0c-9dd3-dda6bf98cdb0"),
            _execution(52, "settle-1", execType="Settle", execFee="0"),
            _execution(54, "bust-1", execType="BustTrade", side="Sell", execFee="0.0468"),
        ],
    )
    _commit(
        store,
        sub,
        "inverse",
        "execution_inverse",
        normalize.execution("inverse"),
        [
            _execution(
                53,
                "inv-funding-1",
                symbol="BTCUSD",
                orderType="UNKNOWN",
                execType="Funding",
                execPrice="63974.88",
                execQty="1000",
                execFee="0.00000156",
                feeRate="0.0001",
            )
        ],
    )
    return main, sub


def _read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# --------------------------------------------------------------------------- golden file


def test_every_kind_matches_the_golden_file(store: Store, tmp_path: Path) -> None:
    build_every_kind_store(store)
    out = tmp_path / "out.csv"
    report = export_cryptact(store, out)
    assert report.ok and report.path == out
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    assert data.isascii()
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n"), "CRLF line ends"
    assert data.replace(b"\r\n", b"\n") == GOLDEN.read_bytes().replace(b"\r\n", b"\n")
    assert validate_file(out) == []
    assert report.rows_written == len(_read(out)) - 1


def test_every_kind_report_counts_rules_and_skips(store: Store, tmp_path: Path) -> None:
    build_every_kind_store(store)
    report = export_cryptact(store, tmp_path / "out.csv")
    assert report.records_read == store.count_transactions(TransactionFilter(with_sources=True))
    assert report.rules == {
        "spot buy → BUY": 2,
        "spot sell → SELL": 1,
        "trading fee rebate → BONUS": 2,
        "derivative profit → BONUS": 3,
        "derivative loss → LOSS": 3,
        "derivative trading fee → LOSS": 6,
        "funding received → BONUS": 2,
        "funding paid → LOSS": 3,
        "ledger net gain → BONUS": 1,
        "borrowing interest paid → LOSS": 1,
        "airdrop or bonus → BONUS": 3,
        "bonus taken back → LOSS": 1,
        "withdrawal fee → SENDFEE": 1,
        "convert → BUY": 1,
        "convert into fiat → SELL": 1,
        "interest received → LENDING": 1,
        "fee paid → LOSS": 1,
        "staking reward → STAKING": 1,
    }
    ledger = "Unified account transaction log"
    assert report.skipped == {
        f"derivative execution: its P&L, fee and funding are exported from {ledger}": 4,
        f"derivative trade outside the synced {ledger}: its realised P&L is only there": 3,
        "a copy of an entry of Spot trades: exported from there": 1,
        "transfer between your own accounts: not a taxable event": 2,
        "a copy of an entry of Convert: exported from there": 1,
        "ledger entry (borrow): no export rule": 1,
        "deposit: a transfer, not a taxable event": 2,
        "withdrawal without a fee: a transfer, not a taxable event": 1,
        "earn subscription or redemption: your own coins move, no P&L": 2,
    }
    assert sum(report.skipped.values()) + 27 == report.records_read == 44  # 27 records gave rows
    assert any("3 derivative executions have no realised P&L" in w for w in report.warnings)
    kinds = {view.kind for view in store.transactions(TransactionFilter(with_sources=True))}
    assert kinds == {kind.value for kind in TransactionKind}, "the fixture covers every kind"


def test_every_row_traces_back_to_its_stored_record(store: Store, tmp_path: Path) -> None:
    main, sub = build_every_kind_store(store)
    out = tmp_path / "out.csv"
    export_cryptact(store, out)
    identities = store.transaction_identities(main) | store.transaction_identities(sub)
    rows = _read(out)[1:]
    assert rows
    for row in rows:
        exchange, endpoint, exchange_id = parse_trace(row[HEADER.index("Comment")])
        assert exchange == "bybit"
        assert (endpoint, exchange_id) in identities, row


# --------------------------------------------------------------------------- time zones


def test_time_zone_conversion_to_tokyo(store: Store, tmp_path: Path) -> None:
    build_every_kind_store(store)
    export_cryptact(store, tmp_path / "utc.csv")
    report = export_cryptact(store, tmp_path / "tokyo.csv", tz=ZoneInfo("Asia/Tokyo"))
    assert report.time_zone == "Asia/Tokyo"
    utc, tokyo = _read(tmp_path / "utc.csv")[1:], _read(tmp_path / "tokyo.csv")[1:]
    assert len(utc) == len(tokyo)
    assert utc[0][0] == "2024/03/18 00:01:00" and tokyo[0][0] == "2024/03/18 09:01:00"
    for a, b in zip(utc, tokyo, strict=True):
        moved = datetime.strptime(a[0], "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)
        assert moved.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y/%m/%d %H:%M:%S") == b[0]
        assert a[1:] == b[1:]


def test_time_zone_crosses_the_date_line_and_is_in_the_file_name() -> None:
    now = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    assert suggest_filename(UTC, now) == "cryptact_custom_2026-11-24_UTC.csv"
    assert suggest_filename(ZoneInfo("UTC"), now) == "cryptact_custom_2026-11-24_UTC.csv"
    assert suggest_filename(ZoneInfo("Asia/Tokyo"), now) == "cryptact_custom_2026-11-25_Asia-Tokyo.csv"
    assert suggest_filename(ZoneInfo("America/New_York"), now) == (
        "cryptact_custom_2026-11-24_America-New_York.csv"
    )


# --------------------------------------------------------------------------- validator

GOOD_ROW = (
    "2024/03/18 00:01:00",
    "BUY",
    "Bybit",
    "ETH",
    "0.001",
    "2453.65",
    "USDT",
    "0.000001",
    "ETH",
    "bybit:spot:2100000000001",
)


def _problems_for(**changes: str) -> list[Problem]:
    row = dict(zip(HEADER, GOOD_ROW, strict=True))
    row.update(changes)
    return validate_rows([HEADER, tuple(row[c] for c in HEADER)])


def test_validator_accepts_a_good_table() -> None:
    assert validate_rows([HEADER, GOOD_ROW]) == []
    income = ("2024/03/18 00:11:00", "BONUS", "Bybit", "USDT", "0.0006935", "", "JPY", "0", "JPY", "")
    assert validate_rows([HEADER, income]) == []
    loss = ("2024/03/18 00:11:00", "LOSS", "Bybit", "USDT", "0.0006935", "0", "JPY", "0", "JPY", "")
    assert validate_rows([HEADER, loss]) == []
    assert validate_rows([HEADER, (*income[:3], "USER-MYCOIN#1", *income[4:])]) == []


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"Fee": ""}, "Fee", "Fee is required: write 0 when there is none"),
        ({"Fee": "ETH"}, "Fee", "Fee must be a number (0 when there is none)"),
        ({"Counter": "ETH"}, "Counter", "Base and Counter must be different"),
        ({"Comment": "it's"}, "Comment", "Comment must not contain ' \" or \\"),
        ({"Comment": 'say "hi"'}, "Comment", "Comment must not contain ' \" or \\"),
        ({"Comment": "a\\b"}, "Comment", "Comment must not contain ' \" or \\"),
        ({"Timestamp": "2024-03-18 00:01:00"}, "Timestamp", "timestamp must be YYYY/MM/DD HH:mm:ss"),
        ({"Timestamp": "2024/02/30 00:01:00"}, "Timestamp", "timestamp must be YYYY/MM/DD HH:mm:ss"),
        ({"Timestamp": "2024/03/18 00:01"}, "Timestamp", "timestamp must be YYYY/MM/DD HH:mm:ss"),
        ({"Action": "SEND"}, "Action", "unsupported trade type (Action)"),
        ({"Action": ""}, "Action", "unsupported trade type (Action)"),
        ({"Action": "TIP"}, "Action", "TIP is a legacy action: write PAY or REDUCE instead"),
        ({"Action": "LOSS", "Price": ""}, "Price", "a LOSS row carries Price 0"),
        ({"Action": "LOSS", "Price": "5"}, "Price", "a LOSS row carries Price 0"),
        ({"Volume": "-0.001"}, "Volume", "Volume must be a positive number"),
        ({"Volume": "0"}, "Volume", "Volume must be a positive number"),
        ({"Volume": "1e-3"}, "Volume", "Volume must be a positive number"),
        ({"Price": "abc"}, "Price", "Price must be empty or a number"),
        ({"Price": ""}, "Price", "Price may be empty only when Counter is a fiat currency"),
        ({"FeeCcy": "USER-MYCOIN"}, "FeeCcy", "custom coins (USER-) are allowed only in Base"),
        ({"Counter": "USER-MYCOIN"}, "Counter", "custom coins (USER-) are allowed only in Base"),
        ({"Base": "USER-mycoin"}, "Base", "a custom coin is USER- and up to 120 of A-Z, 0-9 and #"),
        ({"Base": "XBT"}, "Base", "not Cryptact's symbol: use BTC"),
        ({"Base": ""}, "Base", "Base is required"),
        ({"Source": ""}, "Source", "Source is required"),
        ({"Comment": "a,b"}, "Comment", "no commas, double quotes or line breaks in a cell"),
    ],
)
def test_validator_rejects_what_cryptact_rejects(changes: dict[str, str], column: str, message: str) -> None:
    problems = _problems_for(**changes)
    assert [(p.line, p.column, p.message) for p in problems] == [(2, column, message)]
    assert str(problems[0]).startswith(f"2, {column}: {message}")


def test_validator_checks_the_exact_header_and_column_count(tmp_path: Path) -> None:
    wrong = ("timestamp", *HEADER[1:])
    assert [p.line for p in validate_rows([wrong, GOOD_ROW])] == [1]
    assert validate_rows([]) and validate_rows([])[0].message == "the file is empty"
    problems = validate_rows([HEADER, GOOD_ROW[:-1]])
    assert problems[0].message == "expected 10 columns, found 9"
    with_bom = tmp_path / "bom.csv"
    with_bom.write_text(",".join(HEADER) + "\r\n" + ",".join(GOOD_ROW) + "\r\n", encoding="utf-8-sig")
    assert [p.line for p in validate_file(with_bom)] == [1], "a BOM breaks the exact header"
    row = ExportRow(*GOOD_ROW)
    assert validate_rows([HEADER, row]) == []
    assert validate_rows([row])[0].line == 1


# --------------------------------------------------------------------------- mapping details


def _view_of(store: Store, exchange_id: str) -> tuple[Any, Raw]:
    import json

    for view, raw_json in store.iter_transactions(TransactionFilter(newest_first=False, with_sources=True)):
        if view.exchange_id == exchange_id:
            return view, json.loads(raw_json)
    raise KeyError(exchange_id)


def test_ledger_coverage_decides_the_source_of_derivative_funding(store: Store) -> None:
    build_every_kind_store(store)
    view, _raw = _view_of(store, "c88057b1-d3b3-4a19-861a-ae79a8762796")  # main key funding execution

    def sources(*ranges: tuple[int, int]) -> KeySources:
        return KeySources(
            exchange="bybit",
            covered={"transaction_log": ranges},
            superseded_by={"linear": "transaction_log"},
        )

    covered = sources((at(0), at(60)))
    assert isinstance(map_transaction(view, exchange_name="Bybit", sources=covered), Skipped)
    outside = sources((at(20), at(60)))
    rows = map_transaction(view, exchange_name="Bybit", sources=outside)
    assert isinstance(rows, list) and [(r.Action, r.Base, r.Volume) for r in rows] == [
        ("LOSS", "USDT", "0.0006935")
    ]
    assert sources((5, 10), (20, 30)).covers("transaction_log", 10)
    assert not sources((5, 10), (20, 30)).covers("transaction_log", 15)
    assert not sources((5, 10)).covers("transaction_log", 4)


def test_an_imported_ledger_file_period_counts_as_ledger_coverage(store: Store, tmp_path: Path) -> None:
    key = store.add_key(NewKey(exchange="bybit", label="Main", host_id="global", endpoints=("linear",)))
    funding = _execution(
        11, "c88057b1-d3b3", orderType="UNKNOWN", execType="Funding", execFee="0.0006935", feeRate="0.0001"
    )
    _commit(store, key, "linear", "execution_linear", normalize.execution("linear"), [funding])
    assert export_cryptact(store, tmp_path / "before.csv").rows_written == 1

    # The file import records the period an imported ledger file covers; written here with a plain
    # connection (no foreign keys) so the test does not depend on importing a file.
    connection = sqlite3.connect(store.database)
    try:
        connection.execute(
            "INSERT INTO file_coverage (file_id, key_id, endpoint, start_ms, end_ms) VALUES (?, ?, ?, ?, ?)",
            (1, key, "transaction_log", at(0), at(30)),
        )
        connection.commit()
    finally:
        connection.close()
    after = export_cryptact(store, tmp_path / "after.csv")
    assert after.rows_written == 0
    assert after.skipped == {
        "derivative execution: its P&L, fee and funding are exported from Unified account transaction log": 1
    }


def test_ledger_spot_rows_say_which_endpoint_is_missing(store: Store) -> None:
    build_every_kind_store(store)
    view, _raw = _view_of(store, f"452265_BTCUSDT_spot_1|TRADE|{at(20)}|BTC")
    assert view.mirror_of == "spot"
    names = {"spot": "Spot trades"}
    skipped = map_transaction(view, exchange_name="Bybit", sources=KeySources(names=names))
    assert skipped == Skipped(
        "listed only as a copy of Spot trades: enable the Spot trades endpoint to export it"
    )
    assert isinstance(skipped, Skipped) and skipped.warning.startswith(
        "{count} entries appear only as copies"
    )
    synced = KeySources(names=names, synced=frozenset({"spot"}))
    assert map_transaction(view, exchange_name="Bybit", sources=synced) == Skipped(
        "a copy of an entry of Spot trades: exported from there"
    )


def _view(**fields: Any) -> TransactionView:
    values: dict[str, Any] = {
        "id": 1,
        "key_id": 1,
        "endpoint": "spot",
        "stream": "execution_spot",
        "exchange_id": "x",
        "timestamp_ms": at(1),
        "kind": "trade",
        "base": "BTC",
        "quote": "USDT",
        "side": "buy",
        "amount": "0.1",
        "price": "65000",
        "fee": "",
        "fee_currency": "",
        "network": "",
        "tx_hash": "",
        "source": "api",
    }
    values.update(fields)
    return TransactionView(**values)


def test_trace_is_sanitised_and_odd_records_are_skipped_not_fatal() -> None:
    rows = map_transaction(
        _view(exchange_id="a,b\"c\\d'e f"), exchange_name="By,bit", sources=KeySources(exchange="bybit")
    )
    assert isinstance(rows, list)
    assert rows[0].Comment == "bybit:spot:a_b_c_d_e_f" and rows[0].Source == "By_bit"
    assert rows[0].Fee == "0" and rows[0].FeeCcy == "USDT"
    assert validate_rows([HEADER, *rows]) == []
    assert map_transaction(_view(quote="BTC"), exchange_name="Bybit") == Skipped(
        "trade without two different currencies"
    )
    assert map_transaction(_view(price=""), exchange_name="Bybit") == Skipped(
        "trade without a positive amount and price"
    )
    ledger = _view(endpoint="transaction_log", kind="bonus", base="", amount="1")
    assert map_transaction(ledger, exchange_name="Bybit") == Skipped("record without a currency")


@pytest.mark.parametrize(
    ("raw", "currency", "category"),
    [
        ({"type": "TRADE", "symbol": "BTCUSDT", "cashFlow": "0.000336", "qty": "0.000336"}, "BTC", "spot"),
        (
            {
                "type": "TRADE",
                "symbol": "BTCUSDT",
                "cashFlow": "-9.9821232",
                "qty": "0.000336",
                "tradePrice": "29708.7",
            },
            "USDT",
            "spot",
        ),
        (
            {"type": "TRADE", "symbol": "BTCUSDT", "cashFlow": "-9.9821232", "qty": "-9.9821232"},
            "USDT",
            "spot",
        ),
        (
            {"type": "TRADE", "symbol": "LTCUSDT", "cashFlow": "0.65", "qty": "0.1", "tradePrice": "91.61"},
            "USDT",
            "linear",
        ),
        (
            {"type": "TRADE", "symbol": "LTCUSDT", "cashFlow": "0", "qty": "0.1", "tradePrice": "91.61"},
            "USDT",
            "linear",
        ),
        ({"type": "TRADE", "symbol": "BTCPERP", "cashFlow": "3"}, "USDC", "linear"),
        # A USDC perpetual's P&L equal to its quantity by chance is still not a spot trade.
        ({"type": "TRADE", "symbol": "BTCPERP", "cashFlow": "-0.001", "qty": "0.001"}, "USDC", "linear"),
        ({"type": "TRADE", "symbol": "ETH-27DEC24", "cashFlow": "0.5", "qty": "0.5"}, "USDC", "linear"),
        ({"type": "TRADE", "symbol": "BTC-29MAR24-70000-C", "cashFlow": "-25"}, "USDC", "option"),
        ({"type": "TRADE", "symbol": "BTCUSD", "cashFlow": "0.00012"}, "BTC", "inverse"),
        ({"type": "TRADE", "symbol": "BTCUSDH24", "cashFlow": "0.00012"}, "BTC", "inverse"),
        ({"type": "SETTLEMENT", "symbol": "XRPUSDT", "funding": "-0.003676"}, "USDT", "derivative"),
        ({"type": "TRADE", "symbol": ""}, "USDT", ""),
    ],
)
def test_category_of_ledger_rows_read_from_files(raw: Raw, currency: str, category: str) -> None:
    assert normalize.ledger_category(raw, currency) == category


def test_convert_without_raw_amounts_uses_the_stored_price() -> None:
    view = _view(endpoint="convert", kind="convert", base="ETH", quote="BTC", amount="2", price="0.05")
    rows = map_transaction(view, exchange_name="Bybit")
    assert isinstance(rows, list)
    assert [(r.Action, r.Base, r.Volume, r.Price, r.Counter) for r in rows] == [
        ("BUY", "ETH", "2", "0.05", "BTC")
    ]


def test_fiat_counter_is_configurable(store: Store, tmp_path: Path) -> None:
    build_every_kind_store(store)
    export_cryptact(store, tmp_path / "usd.csv", fiat="USD")
    rows = _read(tmp_path / "usd.csv")[1:]
    income = [r for r in rows if r[1] in ("BONUS", "LOSS", "LENDING", "SENDFEE")]
    assert income and all(r[6] == "USD" and r[8] == "USD" for r in income)
    assert all(r[5] == ("0" if r[1] == "LOSS" else "") for r in income)  # LOSS: book price, Price 0
    with pytest.raises(ValueError):
        export_cryptact(store, tmp_path / "x.csv", fiat="USDT")


# --------------------------------------------------------------------------- watermark


def _spot_records(*times: int) -> list[NormalizedRecord]:
    return [
        NormalizedRecord(
            exchange_id=f"exec-{t}",
            timestamp_ms=t,
            kind=TransactionKind.TRADE,
            base="BTC",
            quote="USDT",
            side=Side.BUY,
            amount="0.01",
            price="65000",
            fee="0.00001",
            fee_currency="BTC",
            raw={"execId": f"exec-{t}"},
        )
        for t in times
    ]


def test_new_mode_watermark_and_backfill_warning(store: Store, tmp_path: Path) -> None:
    key = store.add_key(NewKey(exchange="bybit", label="Main", host_id="global", endpoints=("spot",)))
    store.commit_page(key, "spot", "execution_spot", _spot_records(at(1), at(2, 500)), covered=None)

    first = export_cryptact(store, tmp_path / "1.csv", mode="new")
    assert first.rows_written == 2 and first.backfilled == 0 and first.warnings == ()
    assert store.setting(WATERMARK_SETTING) == str(at(2, 500))
    last_export = int(store.setting(LAST_EXPORT_SETTING))
    assert abs(last_export - time.time() * 1000) < 60_000

    time.sleep(0.01)  # the next rows are stored strictly after the export
    # a newer row, a back-filled older row, and one in the watermark's own second (Cryptact
    # compares whole seconds, so it can no longer be taken either)
    store.commit_page(key, "spot", "execution_spot", _spot_records(at(3), at(0), at(2, 900)), covered=None)
    second = export_cryptact(store, tmp_path / "2.csv", mode="new")
    assert [row[0] for row in _read(tmp_path / "2.csv")[1:]] == ["2024/03/18 00:03:00"]
    assert second.backfilled == 2
    assert len(second.warnings) == 1 and second.warnings[0].startswith("2 records dated on or before")
    assert "2024/03/18 00:02:00" in second.warnings[0]
    assert "Cryptact only takes rows newer" in second.warnings[0]
    assert store.setting(WATERMARK_SETTING) == str(at(3))

    third = export_cryptact(store, tmp_path / "3.csv", mode="new")
    assert third.path is None and third.rows_written == 0 and not (tmp_path / "3.csv").exists()
    assert third.backfilled == 0, "each back-fill is reported once, at the next export"
    assert store.setting(WATERMARK_SETTING) == str(at(3))

    full = export_cryptact(store, tmp_path / "all.csv", mode="all")
    assert full.rows_written == 5
    assert any("Delete the earlier custom upload" in w for w in full.warnings)
    assert store.setting(WATERMARK_SETTING) == str(at(3))


def bad_trade(exchange_id: str, when: int) -> NormalizedRecord:
    """A trade whose row Cryptact would reject (a custom coin as the counter: two problems)."""
    return NormalizedRecord(
        exchange_id=exchange_id,
        timestamp_ms=when,
        kind=TransactionKind.TRADE,
        base="BTC",
        quote="USER-MYCOIN",
        side=Side.BUY,
        amount="1",
        price="1",
        raw={},
    )


def test_failed_validation_writes_nothing_and_keeps_the_watermark(store: Store, tmp_path: Path) -> None:
    key = store.add_key(NewKey(exchange="bybit", label="Main", host_id="global", endpoints=("spot",)))
    store.commit_page(key, "spot", "execution_spot", [bad_trade("custom-counter", at(1))], covered=None)
    (tmp_path / "export").mkdir()
    target = tmp_path / "export" / "out.csv"
    target.write_text("previous file\n")
    report = export_cryptact(store, target)
    assert not report.ok and report.path is None
    assert [p.message for p in report.problems] == ["custom coins (USER-) are allowed only in Base"] * 2
    assert report.problems[0].record == "bybit:spot:custom-counter"
    assert str(report.problems[0]).endswith("[bybit:spot:custom-counter]")
    assert target.read_text() == "previous file\n", "the previous file is untouched"
    assert store.setting(WATERMARK_SETTING) == ""
    assert [p.name for p in target.parent.iterdir()] == ["out.csv"], "no temporary file left behind"


def test_key_filter(store: Store, tmp_path: Path) -> None:
    main, sub = build_every_kind_store(store)
    report = export_cryptact(store, tmp_path / "sub.csv", key_ids=(sub,))
    rows = _read(tmp_path / "sub.csv")[1:]
    assert report.rows_written == len(rows) == 3
    assert {parse_trace(r[9])[1] for r in rows} == {"linear", "inverse"}
    nothing = export_cryptact(store, tmp_path / "none.csv", key_ids=(999,))
    assert nothing.records_read == 0 and nothing.path is None


# --------------------------------------------------------------------------- streaming


@pytest.mark.slow
def test_fifty_thousand_rows_stream_in_bounded_memory(store: Store, tmp_path: Path) -> None:
    key = store.add_key(NewKey(exchange="bybit", label="Main", host_id="global", endpoints=("spot",)))
    total, page = 50_000, 5_000
    for start in range(0, total, page):
        times = [at(0, 1000 * i) for i in range(start, start + page)]
        store.commit_page(key, "spot", "execution_spot", _spot_records(*times), covered=None)
    out = tmp_path / "big.csv"
    tracemalloc.start()
    try:
        report = export_cryptact(store, out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok and report.rows_written == total
    assert peak < 30 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert out.stat().st_size > 50 * total
    assert validate_file(out) == []


def test_the_fast_row_check_agrees_with_the_full_validator() -> None:
    """Every exported row goes through ``row_is_valid``; it must say exactly what ``row_problems``
    says, for good rows and for each way a cell can be wrong."""
    from cryptact_desktop.export.cryptact.validate import row_is_valid, row_problems

    good = [
        "2024/03/18 00:01:00", "BUY", "Bybit", "ETH", "0.001", "2453.65", "USDT", "0.000001", "ETH",
        "bybit:spot:1",
    ]  # fmt: skip
    variants = {
        0: ["2024/02/30 00:00:00", "2024/13/01 00:00:00", "2024/03/18 24:00:00", "2024/03/18 23:60:00",
            "2024-03-18 00:01:00", "2024/03/18 00:01", "2024/03/18 00:01:00.5", "", "2023/02/29 12:00:00",
            "2024/02/29 23:59:59"],
        1: ["SEND", "", "buy", "LENDING", "TIP"],
        2: ["", "By bit"],
        3: ["", "E TH", "XBT", "USER-ABC", "USER-abc", "USDT", "JPY"],
        4: ["0", "0.000", "-1", "1e5", "01", "1.", ".5", "10", "0.5"],
        5: ["", "1,5", "-2", "3"],
        6: ["JPY", "USER-X", "", "ETH", "BTC"],
        7: ["", "0", "-0.1", "abc", "0.01"],
        8: ["", "USER-A", "XXBT", "JPY"],
        9: ["it's", 'a "quote"', "back\\slash", "comma,here", "line\nbreak", "ok note"],
    }  # fmt: skip
    rows = [good]
    for column, values in variants.items():
        for value in values:
            row = list(good)
            row[column] = value
            rows.append(row)
    rows.append(good[:9])
    for row in rows:
        assert row_is_valid(row) == (row_problems(row, 2) == []), row


def test_timestamps_in_a_zone_with_daylight_saving_match_the_exact_conversion() -> None:
    """The fast formatter (offset per quarter hour, text per minute) writes what a full
    conversion writes — also in the hours around a daylight-saving change (it once read the
    offset at the UTC wall time, one hour off for a few hours twice a year)."""
    from zoneinfo import ZoneInfo

    from cryptact_desktop.export.cryptact.format import TimestampFormatter, format_timestamp

    fall_back_2023 = 1699160400000  # 2023-11-05 05:00 UTC, 01:00 local in New York
    for zone in ("America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Lord_Howe"):
        tz = ZoneInfo(zone)
        stamp = TimestampFormatter(tz)
        for offset_s in range(-6 * 3600, 6 * 3600, 37):
            moment = fall_back_2023 + offset_s * 1000
            assert stamp(moment) == format_timestamp(moment, tz), (zone, moment)
