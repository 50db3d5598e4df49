"""bitFlyer's trade history report, in both languages: detected, converted to the API's records,
and merged with what the API gave (each record once)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bitflyer_support import add_key, running

from cryptact_desktop.imports import DetectedFile, detect, import_file
from cryptact_desktop.records import TransactionKind
from cryptact_desktop.service import AppService
from cryptact_desktop.simulator.activity import Fill
from cryptact_desktop.state import TransactionFilter
from cryptact_desktop.venues.bitflyer.simulator import SimAccount
from cryptact_desktop.venues.bitflyer.simulator.exports import trade_history

ServiceFactory = Callable[..., AppService]
DAY = 86_400_000
UTC = ZoneInfo("UTC")
TOKYO = ZoneInfo("Asia/Tokyo")


def window(account: SimAccount) -> tuple[int, int]:
    end = account.activity.plan.end_ms
    return end - 300 * DAY, end - 20 * DAY


def test_both_languages_are_detected(small_account: SimAccount, tmp_path: Path) -> None:
    start, end = window(small_account)
    ja = trade_history(small_account, start, end, language="ja").write(tmp_path)
    (tmp_path / "en").mkdir()
    en = trade_history(small_account, start, end, language="en").write(tmp_path / "en")
    found_ja, found_en = detect(ja), detect(en)
    assert isinstance(found_ja, DetectedFile) and found_ja.format.id == "bitflyer_trade_history_ja"
    assert isinstance(found_en, DetectedFile) and found_en.format.id == "bitflyer_trade_history_en"
    assert found_ja.encoding == "utf-8-sig" and found_ja.data_rows > 50


def test_a_file_only_account_gets_every_row_as_the_api_would_have(
    small_account: SimAccount, tmp_path: Path
) -> None:
    from cryptact_desktop.store import Store

    start, end = window(small_account)
    report = trade_history(small_account, start, end, language="ja")
    path = report.write(tmp_path)
    store = Store(tmp_path / "file.sqlite")
    result = import_file(store, path, account_id=None, exchange="bitflyer", tz=UTC)
    assert result.ok and result.problems == () and result.skipped == 0, result.message
    assert result.new_records == len(report.rows)
    by_endpoint = Counter(v.endpoint for v in store.transactions())
    kinds = Counter(r.kind for r in report.rows)
    book = [r for r in report.rows if r.kind in ("buy", "sell") and r.order_id.startswith("JOR")]
    assert by_endpoint["executions"] == len(book)
    assert by_endpoint["deposits"] == kinds["bank_in"] and by_endpoint["withdrawals"] == kinds["bank_out"]
    assert by_endpoint["coin_ins"] == kinds["coin_in"] and by_endpoint["coin_outs"] == kinds["coin_out"]
    desk = [r for r in report.rows if r.kind in ("buy", "sell") and not r.order_id.startswith("JOR")]
    assert (
        desk
        and by_endpoint["balance_history"]
        == len(desk) + kinds["fee"] + kinds["margin_in"] + kinds["margin_out"] + kinds["reward"]
    )
    # Moves carry the order id the API's records carry; times are Japan time, to the second.
    stored = {v.exchange_id: v for v in store.transactions(TransactionFilter(endpoints=("coin_outs",)))}
    (out,) = [r for r in report.rows if r.kind == "coin_out" and r.fee][:1]
    assert stored[out.order_id].timestamp_ms == out.time_ms - out.time_ms % 1000
    assert stored[out.order_id].fee == format(-out.fee.normalize(), "f")
    trades = store.transactions(TransactionFilter(endpoints=("balance_history",), kinds=("trade",)))
    assert all(t.mirror_of == "" for t in trades) and len(trades) == len(desk)
    store.close()


def test_the_zone_picked_at_import_does_not_move_japan_time(
    small_account: SimAccount, tmp_path: Path
) -> None:
    from cryptact_desktop.store import Store

    start, end = window(small_account)
    path = trade_history(small_account, start, end).write(tmp_path)
    times = []
    for name, zone in (("utc", UTC), ("tokyo", TOKYO)):
        store = Store(tmp_path / f"{name}.sqlite")
        assert import_file(store, path, account_id=None, exchange="bitflyer", tz=zone).ok
        times.append(sorted(v.timestamp_ms for v in store.transactions()))
        store.close()
    assert times[0] == times[1]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_report_merges_with_api_rows_exactly(
    small_account: SimAccount, service_factory: ServiceFactory, tmp_path: Path, language: str
) -> None:
    start, end = window(small_account)
    report = trade_history(small_account, start, end, language=language)
    with running(small_account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url)
        assert service.sync_key(key_id).ok
    count = service.store.count_transactions()
    result = import_file(
        service.store, report.write(tmp_path), account_id=key_id, exchange="bitflyer", tz=UTC
    )
    assert result.ok, result.message
    with_ids = sum(1 for r in report.rows if r.kind in ("bank_in", "bank_out", "coin_in", "coin_out"))
    assert (result.new_records, result.held_for_review) == (0, 0)
    assert result.already_present == with_ids
    assert result.linked == len(report.rows) - with_ids
    assert service.store.count_transactions() == count


def test_a_report_imported_first_is_replaced_by_the_api_rows(
    small_account: SimAccount, service_factory: ServiceFactory, tmp_path: Path
) -> None:
    start, end = window(small_account)
    with running(small_account) as sim:
        clean = service_factory("clean")
        clean_id = add_key(clean, sim.base_url)
        assert clean.sync_key(clean_id).ok
        service = service_factory("first")
        key_id = add_key(service, sim.base_url)
        path = trade_history(small_account, start, end, language="en").write(tmp_path)
        imported = import_file(service.store, path, account_id=key_id, exchange="bitflyer", tz=UTC)
        assert imported.ok and imported.new_records > 0
        assert service.sync_key(key_id).ok
    assert service.store.transaction_identities(key_id) == clean.store.transaction_identities(clean_id)
    assert service.store.count_transactions() == clean.store.count_transactions()
    assert all(v.source == "api" for v in service.store.transactions())


def test_excel_resaved_cp932_and_the_older_english_layout(small_account: SimAccount, tmp_path: Path) -> None:
    from cryptact_desktop.store import Store

    start, end = window(small_account)
    report = trade_history(small_account, start, end, language="ja")
    cp932 = report.write(tmp_path, encoding="cp932")
    store = Store(tmp_path / "cp932.sqlite")
    result = import_file(store, cp932, account_id=None, exchange="bitflyer", tz=UTC)
    assert result.ok and result.new_records == len(report.rows), result.message
    store.close()
    # The 13-column English header (without "Fees (JPY)" and "Tax category"), dates as 2024/03/01.
    older = tmp_path / "older.csv"
    older.write_text(
        "Trade Date,Product,Trade Type,Traded Price,Currency 1,Amount (Currency 1),Fee,JPY Rate (Currency 1),"
        "Currency 2,Amount (Currency 2),Counter Party,Order ID,Details\n"
        '2024/03/01 19:00:00,BTC/JPY,Buy,"9,000,000",BTC,0.01,-0.000015,"9,000,000",JPY,"-90,000",,'
        "JOR20240301-100000-000001,\n"
        '2024/03/02 09:00:00,JPY,Wire Deposit,0,JPY,"100,000",0,0,,0,,MDP20240302-000000-000002,\n'
        "2024/03/03 09:00:00,BTC,Something New,0,BTC,0.1,0,0,,0,,,\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "older.sqlite")
    result = import_file(store, older, account_id=None, exchange="bitflyer", tz=UTC)
    assert result.ok and result.new_records == 2 and result.skipped == 1, result.message
    (trade,) = store.transactions(TransactionFilter(endpoints=("executions",)))
    assert (trade.kind, trade.base, trade.quote, trade.side, trade.amount, trade.price, trade.fee) == (
        TransactionKind.TRADE.value,
        "BTC",
        "JPY",
        "buy",
        "0.01",
        "9000000",
        "0.000015",
    )
    assert trade.timestamp_ms == 1709287200000  # 2024-03-01 19:00 JST = 10:00 UTC
    store.close()


def test_the_margin_report_is_named_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "CollateralHistory.csv"
    path.write_text(
        "日時,通貨等,操作,ペア,取引損益,ファンディングレート,手数料\n"
        "2024/03/01 10:00:00,JPY,決済,FX_BTC_JPY,100,0,0\n"
    )
    from cryptact_desktop.imports import ImportRefused

    refused = detect(path)
    assert isinstance(refused, ImportRefused) and "margin" in refused.found.lower()


def test_the_report_rows_follow_the_api_rule_for_retail_desk_trades(small_account: SimAccount) -> None:
    desk = {
        small_account.order_ids[e.seq]
        for e in small_account.activity.events
        if isinstance(e, Fill) and e.channel == "desk"
    }
    start, end = small_account.activity.plan.start_ms, small_account.activity.plan.end_ms
    rows = trade_history(small_account, start, end).rows
    assert {r.order_id for r in rows if r.channel == "desk"} == desk
