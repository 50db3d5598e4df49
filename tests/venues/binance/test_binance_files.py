"""Binance's download files: the spot trade history (both layouts) and the deposit and withdrawal
histories are detected, read like the API's records and merged with them; the trade history is the
remedy for a delisted pair; the transaction statement is refused with advice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from binance_support import add_key, running

from cryptact_desktop.imports import DetectedFile, detect, import_file, preview
from cryptact_desktop.imports.results import ImportRefused
from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.service import AppService
from cryptact_desktop.venues.binance.simulator import SimAccount
from cryptact_desktop.venues.binance.simulator.exports import (
    deposit_history,
    trade_history,
    withdrawal_history,
)

ServiceFactory = Callable[..., AppService]
DAY = 86_400_000
UTC = ZoneInfo("UTC")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_exports_are_detected(small_account: SimAccount, tmp_path: Path) -> None:
    end = small_account.activity.plan.end_ms
    files = {
        "binance_spot_trades": trade_history(small_account, end - 100 * DAY, end).write(tmp_path),
        "binance_deposits": deposit_history(small_account, end - 400 * DAY, end).write(tmp_path),
        "binance_withdrawals": withdrawal_history(small_account, end - 400 * DAY, end).write(tmp_path),
    }
    (tmp_path / "old").mkdir()
    files["binance_spot_trades_old"] = trade_history(small_account, end - 100 * DAY, end, layout="old").write(
        tmp_path / "old"
    )
    for expected, path in files.items():
        found = detect(path)
        assert isinstance(found, DetectedFile), (expected, found)
        assert found.format.id == expected.removesuffix("_old")


def test_rows_read_like_the_api_and_merge_with_it(
    small_account: SimAccount, service_factory: ServiceFactory, tmp_path: Path
) -> None:
    end = small_account.activity.plan.end_ms
    start = end - 200 * DAY  # after the delisted pair's trades
    with running(small_account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, endpoints=("spot_trades", "deposits", "withdrawals"))
        assert service.sync_key(key_id).ok
        before = service.store.count_transactions()
        paths = [
            trade_history(small_account, start, end, layout="old").write(tmp_path),
            deposit_history(small_account, end - 400 * DAY, end).write(tmp_path),
            withdrawal_history(small_account, end - 400 * DAY, end).write(tmp_path),
        ]
        for path in paths:
            result = import_file(service.store, path, account_id=key_id, exchange="binance", tz=UTC)
            assert result.ok and result.new_records == 0, (path.name, result.message)
    assert service.store.count_transactions() == before


def test_the_trade_history_is_the_remedy_for_a_delisted_pair(
    small_account: SimAccount, service_factory: ServiceFactory, tmp_path: Path
) -> None:
    plan = small_account.activity.plan
    lunabusd = small_account.trades["LUNABUSD"]
    with running(small_account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, endpoints=("spot_trades", "deposits"))
        result = service.sync_key(key_id)
        (spot,) = [o for o in result.outcomes if o.endpoint == "spot_trades"]
        assert "LUNA" in spot.gaps
        path = trade_history(small_account, plan.start_ms, plan.end_ms).write(tmp_path)
        imported = import_file(service.store, path, account_id=key_id, exchange="binance", tz=UTC)
    assert imported.ok and imported.new_records == len(lunabusd), imported.message
    luna = [v for v in service.store.transactions() if v.base == "LUNA" and v.endpoint == "spot_trades"]
    assert len(luna) == len(lunabusd) and {v.quote for v in luna} == {"BUSD"}
    assert all(v.kind == TransactionKind.TRADE.value for v in luna)


def test_a_coin_whose_name_starts_with_a_digit_and_short_years(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "Binance-Spot-Trade-History-202603230406(UTC+0).csv",
        "Time,Pair,Side,Price,Executed,Amount,Fee\n"
        "23-09-20 18:20:55,1INCHUSDT,BUY,0.5,100.51INCH,50.25USDT,0.11INCH\n"
        "23-09-20 18:20:56,ALGOUSDT,SELL,0.0997,103ALGO,10.2691USDT,0.00003593BNB\n",
    )
    shown = preview(path, UTC)
    assert shown.can_import, shown
    first, second = sorted(shown.sample, key=lambda r: r.timestamp_ms)
    assert (first.base, first.quote, first.side, first.amount, first.fee, first.fee_currency) == (
        "1INCH",
        "USDT",
        Side.BUY,
        "100.5",
        "0.1",
        "1INCH",
    )
    assert first.timestamp_ms == 1695234055000  # 2023-09-20 18:20:55 UTC
    assert (second.base, second.side, second.amount, second.fee, second.fee_currency) == (
        "ALGO",
        Side.SELL,
        "103",
        "0.00003593",
        "BNB",
    )


def test_deposit_rows_not_completed_are_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "Binance-Deposit-History-202603230411(UTC+0).csv",
        "Time,Coin,Network,Amount,Address,TXID,Status\n"
        "23-05-06 23:05:55,USDT,MATIC,125.564991,addr,tx-dep,Completed\n"
        "23-05-07 23:05:55,USDT,MATIC,5,addr,tx-dep-2,Pending\n",
    )
    shown = preview(path, UTC)
    assert shown.records == 1 and shown.skipped == 1
    (deposit,) = shown.sample
    assert (deposit.kind, deposit.base, deposit.amount, deposit.tx_hash) == (
        TransactionKind.DEPOSIT,
        "USDT",
        "125.564991",
        "tx-dep",
    )


def test_the_transaction_statement_is_refused_with_advice(tmp_path: Path) -> None:
    for header in (
        "User_ID,UTC_Time,Account,Operation,Coin,Change,Remark",
        "User ID,Time,Account,Operation,Coin,Change,Remark",
    ):
        path = _write(tmp_path / "statement.csv", header + "\n1,2024-01-01 00:00:00,Spot,Deposit,BTC,0.1,\n")
        refusal = detect(path)
        assert isinstance(refusal, ImportRefused) and refusal.code == "unsupported_type"
        assert "spot trade history" in refusal.message and "API key" in refusal.message
