"""Files and API sync together: each record once, the reconciliation report, review queue, coverage."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.imports import (
    CoverageSource,
    ImportStatus,
    ReconStatus,
    coverage_view,
    import_file,
    link_file_rows,
    list_reviews,
    reconcile,
    resolve_review,
    suggest_sync_from,
    write_report_csv,
)
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.venues.bybit import normalize
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimAccount, SimulatedKey, generate_account
from cryptact_desktop.venues.bybit.simulator.exports import ExportFile, export, record_id, write_export
from cryptact_desktop.venues.bybit.simulator.truth import reachable
from cryptact_desktop.venues.bybit.streams import STREAM_REQUESTS
from cryptact_desktop.venues.registry import make_connector

UTC = ZoneInfo("UTC")
UID = 5001
API_KEY = "TESTKEY0000000001"
SECRET = "TESTSECRET00000000000000000000001"
ENDPOINTS = ("spot", "linear", "inverse", "transaction_log", "deposits", "withdrawals")
FILE_KINDS = ("spot_trades", "derivatives_trades", "transaction_log", "deposits_withdrawals")
KIND_ENDPOINTS = {
    "spot_trades": ("spot",),
    "derivatives_trades": ("linear", "inverse"),
    "transaction_log": ("transaction_log",),
    "deposits_withdrawals": ("deposits", "withdrawals"),
}
WITH_IDS = {"spot", "linear", "inverse"}


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=11, size="small", uid=UID)


@pytest.fixture
def simulator(account: SimAccount) -> Iterator[BybitSimulator]:
    sim = BybitSimulator(
        accounts=[account],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=50,
        ip_limit=(30000, 5.0),
    )
    sim.start()
    yield sim
    sim.stop()


def _service(store: Store) -> AppService:
    return AppService(
        store,
        SecretStore(MemoryKeyring()),
        connector_factory=partial(make_connector, rate_limit_scale=50),
    )


def _streams(endpoint: str) -> tuple[str, ...]:
    return tuple(s.id for s in BYBIT.endpoint(endpoint).streams)


def _api_truth(account: SimAccount, endpoint: str, now: int, since: int = 0) -> dict[str, str]:
    """normalised exchange id -> the API record's own id, for every record a sync must get."""
    found: dict[str, str] = {}
    for stream in _streams(endpoint):
        for raw in reachable(account, stream, now):
            if (
                account.record_time_ms(
                    stream if not stream.startswith("execution_option") else "execution_option", raw
                )
                < since
            ):
                continue
            record = STREAM_REQUESTS[stream].parse(raw).record
            if record is not None:
                found[record.exchange_id] = record_id(stream, raw)
    return found


def _all_ids(account: SimAccount, endpoint: str) -> set[str]:
    return {
        record_id(stream, raw)
        for stream in _streams(endpoint)
        for raw in account.records("execution_option" if stream.startswith("execution_option") else stream)
    }


def _sync(service: AppService, key_id: int) -> None:
    result = service.sync_key(key_id)
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]


def _import(store: Store, path: Path, account_id: int | None) -> int:
    result = import_file(store, path, account_id=account_id, exchange="bybit", tz=UTC)
    assert result.status is ImportStatus.IMPORTED, (result.refusal, result.problems)
    assert result.account_id is not None
    return result.account_id


# ------------------------------------------------------------------------------ each record once


@pytest.mark.parametrize("order", ["files_first_then_attach_a_key", "sync_first_then_files"])
def test_files_and_a_real_sync_hold_each_record_exactly_once(
    tmp_path: Path, account: SimAccount, simulator: BybitSimulator, order: str
) -> None:
    store = Store(tmp_path / "db.sqlite")
    service = _service(store)
    files: dict[str, tuple[Path, ExportFile]] = {k: write_export(account, k, tmp_path) for k in FILE_KINDS}
    if order == "files_first_then_attach_a_key":
        key_id: int | None = None
        for path, _made in files.values():
            key_id = _import(store, path, key_id)
        assert key_id is not None
        assert store.get_key(key_id).host_id == "file"
        # What the GUI's "attach an API key" does: secret into the keyring, then the key's settings.
        service.replace_credentials(key_id, Credentials(API_KEY, SECRET))
        store.update_key(
            key_id, host_id="custom", base_url=simulator.base_url, paused=False, endpoints=ENDPOINTS
        )
        _sync(service, key_id)
        link_file_rows(store, key_id)
    else:
        key = service.add_key(
            NewKey(
                exchange="bybit",
                label="T",
                host_id="custom",
                base_url=simulator.base_url,
                endpoints=ENDPOINTS,
            ),
            Credentials(API_KEY, SECRET),
        )
        key_id = key.id
        _sync(service, key_id)
        for path, _made in files.values():
            _import(store, path, key_id)
    now = int(time.time() * 1000)
    transactions = store.transactions(TransactionFilter(with_sources=True))
    for kind, (_path, made) in files.items():
        file_ids = set(made.record_ids)
        for endpoint in KIND_ENDPOINTS[kind]:
            truth = _api_truth(account, endpoint, now)
            stored = [t for t in transactions if t.endpoint == endpoint]
            real = {t.exchange_id for t in stored if not t.exchange_id.startswith("file:")}
            synthetic = [t for t in stored if t.exchange_id.startswith("file:")]
            assert len({t.exchange_id for t in stored}) == len(stored)
            reachable_ids = {
                record_id(stream, raw)
                for stream in _streams(endpoint)
                for raw in reachable(account, stream, now)
            }
            in_file = file_ids & _all_ids(account, endpoint)
            if endpoint in WITH_IDS:
                assert real == set(truth) | in_file
                assert synthetic == []
                assert {t.exchange_id for t in stored if t.source == "file"} == in_file - reachable_ids
            else:
                assert real == set(truth), endpoint
                assert len(synthetic) == len(in_file - reachable_ids)
                if kind == "transaction_log":
                    assert synthetic  # rows older than the API's two years stay from the file
    assert list_reviews(store, key_id) == []
    report = reconcile(store, key_id)
    assert report.conflicting == ()
    assert report.held == ()
    assert {i.endpoint for i in report.only_in_api} <= {"deposits"}  # internal deposits: not in that file
    assert all(i.api_covered is False for i in report.only_in_file)
    assert len(report.matched) > 400
    store.close()


# ------------------------------------------------------------------------------ the report


def _gap(times: list[int], fraction: float, others: list[int]) -> int:
    """A time near ``fraction`` of the distinct times with no record of either list within 5 s."""
    times = sorted(set(times))
    start = int(len(times) * fraction)
    for i in range(start, len(times) - 1):
        middle = (times[i] + times[i + 1]) // 2
        if times[i + 1] - times[i] > 20_000 and all(abs(o - middle) > 5_000 for o in others):
            return middle
    raise AssertionError("no gap found")


@pytest.fixture(scope="module")
def busier_account() -> SimAccount:
    """Spot trades on ~25 different days (a "small" account trades on three)."""
    return generate_account(seed=11, size=600, uid=UID)


@pytest.mark.parametrize("order", ["file_first", "sync_first"])
def test_report_names_exactly_what_the_file_and_the_api_each_lack(
    tmp_path: Path, busier_account: SimAccount, order: str
) -> None:
    account = busier_account
    simulator = BybitSimulator(
        accounts=[account],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=50,
        ip_limit=(30000, 5.0),
    )
    simulator.start()
    try:
        _report_test(tmp_path, account, simulator, order)
    finally:
        simulator.stop()


def _report_test(tmp_path: Path, account: SimAccount, simulator: BybitSimulator, order: str) -> None:
    store = Store(tmp_path / "db.sqlite")
    service = _service(store)
    now = int(time.time() * 1000)
    spot_times = sorted(
        account.record_time_ms("execution_spot", r) for r in account.records("execution_spot")
    )
    log_times = sorted(
        account.record_time_ms("transaction_log", r) for r in account.records("transaction_log")
    )
    sync_from = _gap(spot_times, 0.3, log_times)
    cut = _gap(spot_times, 0.75, log_times)
    claimed = (spot_times[0] // 1000 * 1000, now // 1000 * 1000 + 999)
    middle = [r["execId"] for r in account.records("execution_spot") if sync_from < int(r["execTime"]) < cut]
    dropped = {middle[3], middle[7]}
    spot_path, spot_file = write_export(
        account, "spot_trades", tmp_path, end_ms=cut, period=claimed, drop=dropped
    )
    log_path, log_file = write_export(account, "transaction_log", tmp_path, end_ms=cut, period=claimed)
    key = service.add_key(
        NewKey(
            exchange="bybit",
            label="T",
            host_id="custom",
            base_url=simulator.base_url,
            endpoints=("spot", "transaction_log"),
            sync_from_ms=sync_from,
        ),
        Credentials(API_KEY, SECRET),
    )
    if order == "file_first":
        _import(store, spot_path, key.id)
        _import(store, log_path, key.id)
        _sync(service, key.id)
    else:
        _sync(service, key.id)
        _import(store, spot_path, key.id)
        _import(store, log_path, key.id)
    report = reconcile(store, key.id)
    assert report.conflicting == () and report.held == ()

    # Spot: the file names the exchange's ids.
    api_spot = set(_api_truth(account, "spot", now, since=sync_from))
    file_spot = set(spot_file.record_ids)
    assert dropped <= api_spot and not dropped & file_spot
    by_status = {
        status: {i.exchange_id for i in items if i.endpoint == "spot"}
        for status, items in (
            (ReconStatus.MATCHED, report.matched),
            (ReconStatus.ONLY_IN_FILE, report.only_in_file),
            (ReconStatus.ONLY_IN_API, report.only_in_api),
        )
    }
    assert by_status[ReconStatus.ONLY_IN_FILE] == file_spot - api_spot
    assert by_status[ReconStatus.ONLY_IN_API] == api_spot - file_spot
    assert by_status[ReconStatus.MATCHED] == file_spot & api_spot
    assert {
        int(r["execTime"]) < sync_from
        for r in account.records("execution_spot")
        if r["execId"] in by_status[ReconStatus.ONLY_IN_FILE]
    } == {True}
    later = {r["execId"] for r in account.records("execution_spot") if int(r["execTime"]) > cut}
    assert by_status[ReconStatus.ONLY_IN_API] == later | dropped
    assert by_status[ReconStatus.ONLY_IN_FILE] and later and len(by_status[ReconStatus.MATCHED]) > 10

    # Transaction log: no ids in the file, matched on time and amounts.
    api_log = _api_truth(account, "transaction_log", now, since=sync_from)  # normalised id -> ledger id
    row_to_id = {3 + i: ledger_id for i, ledger_id in enumerate(log_file.record_ids)}  # UID line, header
    file_log = set(log_file.record_ids)
    only_file = {
        row_to_id[i.file_rows[0].row_number] for i in report.only_in_file if i.endpoint == "transaction_log"
    }
    only_api = {api_log[i.exchange_id] for i in report.only_in_api if i.endpoint == "transaction_log"}
    matched = [i for i in report.matched if i.endpoint == "transaction_log"]
    assert only_file == file_log - set(api_log.values())
    assert only_api == set(api_log.values()) - file_log
    assert {row_to_id[i.file_rows[0].row_number] for i in matched} == file_log & set(api_log.values())
    assert all(api_log[i.exchange_id] == row_to_id[i.file_rows[0].row_number] for i in matched)
    assert all(i.api_covered is False for i in report.only_in_file)
    assert only_file and only_api and len(matched) > 10
    assert {t.source for t in store.transactions() if t.exchange_id in file_spot & api_spot} == {"api"}

    # The "send us the file" CSV carries every discrepancy.
    out = write_report_csv(report, tmp_path / "report.csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.reader(handle) if r and not r[0].startswith("#")]
    header, body = rows[0], rows[1:]
    assert len(body) == len(report.items())
    codes = [r[header.index("Status code")] for r in body]
    assert codes.count("only_in_api") == len(report.only_in_api)
    assert codes.count("only_in_file") == len(report.only_in_file)
    listed = {r[header.index("Exchange ID")] for r in body}
    assert later | dropped <= listed
    assert suggest_sync_from(store, key.id, "spot") == max(spot_file.times_ms) // 1000 * 1000
    store.close()


# ------------------------------------------------------------------------------ fuzzy matching, review queue


LOG_HEADER = (
    "Uid,Currency,Contract,Type,Direction,Quantity,Position,Filled Price,Funding,Fee Paid,Cash Flow,Change,"
    "Wallet Balance,Action,Time(UTC)"
)
BASE_MS = 1_760_000_000_000  # 2025-10-09T08:53:20Z


def _ledger(ident: str, offset_ms: int, change: str = "-25.5") -> dict[str, Any]:
    return {
        "id": ident,
        "symbol": "BTCUSDT",
        "category": "spot",
        "side": "Buy",
        "transactionTime": str(BASE_MS + offset_ms),
        "type": "TRADE",
        "transSubType": "",
        "qty": change,
        "size": "0",
        "currency": "USDT",
        "tradePrice": "51000",
        "funding": "0",
        "fee": "0",
        "cashFlow": change,
        "change": change,
        "cashBalance": "100",
        "feeRate": "0",
        "bonusChange": "0",
        "tradeId": "",
        "orderId": "",
        "orderLinkId": "",
        "extraFees": "",
    }


def _log_file(path: Path, *rows: tuple[int, str]) -> Path:
    """(offset ms, change) rows of a transaction-log export (times written to the second)."""
    lines = [f"UID: {UID},Company Name: ,Country: ", LOG_HEADER]
    for offset, change in rows:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime((BASE_MS + offset) // 1000))
        lines.append(f"{UID},USDT,BTCUSDT,TRADE,BUY,{change},0,51000.00,0,0,{change},{change},100,--,{when}")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _api_ledger(store: Store, key_id: int, *raws: dict[str, Any]) -> list[NormalizedRecord]:
    records = [r for r in (normalize.transaction_log(raw).record for raw in raws) if r is not None]
    store.commit_page(
        key_id, "transaction_log", "transaction_log", records, covered=(BASE_MS - 10**7, BASE_MS + 10**7)
    )
    return records


def _key(store: Store) -> int:
    return store.add_key(
        NewKey(exchange="bybit", label="K", host_id="global", endpoints=("transaction_log",))
    )


def test_an_ambiguous_match_is_held_for_review_never_merged_or_doubled(tmp_path: Path, store: Store) -> None:
    key_id = _key(store)
    first, second = _api_ledger(
        store, key_id, _ledger("A", 100), _ledger("B", 600)
    )  # same second, same values
    result = import_file(
        store, _log_file(tmp_path / "log.csv", (0, "-25.5")), account_id=key_id, exchange="bybit", tz=UTC
    )
    assert result.status is ImportStatus.IMPORTED
    assert (result.held_for_review, result.linked, result.new_records) == (1, 0, 0)
    assert {t.exchange_id for t in store.transactions()} == {first.exchange_id, second.exchange_id}
    (review,) = list_reviews(store, key_id)
    assert [c.exchange_id for c in review.candidates] == [first.exchange_id, second.exchange_id]
    assert review.file_rows[0].row_number == 3 and review.file_values.amount == "-25.5"
    report = reconcile(store, key_id)
    assert len(report.held) == 1 and len(report.held[0].candidates) == 2
    assert report.only_in_api == () and report.matched == ()
    # A later sync does not merge it either.
    assert link_file_rows(store, key_id).linked == 0
    resolve_review(store, key_id, review.endpoint, review.record_key, review.candidates[1].transaction_id)
    assert list_reviews(store, key_id) == []
    report = reconcile(store, key_id)
    assert [i.exchange_id for i in report.matched] == [second.exchange_id]
    assert [i.exchange_id for i in report.only_in_api] == [first.exchange_id]
    assert store.count_transactions() == 2


def test_held_row_judged_distinct_is_stored_once_and_not_held_again(tmp_path: Path, store: Store) -> None:
    key_id = _key(store)
    _api_ledger(store, key_id, _ledger("A", 100), _ledger("B", 600))
    import_file(
        store, _log_file(tmp_path / "log.csv", (0, "-25.5")), account_id=key_id, exchange="bybit", tz=UTC
    )
    (review,) = list_reviews(store, key_id)
    resolve_review(store, key_id, review.endpoint, review.record_key, None)
    assert store.count_transactions() == 3
    assert link_file_rows(store, key_id).held == 0
    report = reconcile(store, key_id)
    assert len(report.only_in_file) == 1 and len(report.only_in_api) == 2 and report.held == ()
    assert store.get_key(key_id).endpoint("transaction_log").record_count == 3


def test_unambiguous_and_interchangeable_rows_are_linked(tmp_path: Path, store: Store) -> None:
    key_id = _key(store)
    # One clear match; two identical rows against two identical API records; one row the API lacks.
    _api_ledger(store, key_id, _ledger("A", 100), _ledger("C", 5_100, "-7"), _ledger("D", 5_400, "-7"))
    path = _log_file(tmp_path / "log.csv", (0, "-25.5"), (5_000, "-7"), (5_000, "-7"), (9_000, "-1"))
    result = import_file(store, path, account_id=key_id, exchange="bybit", tz=UTC)
    assert (result.linked, result.held_for_review, result.new_records) == (3, 0, 1)
    assert store.count_transactions() == 4
    report = reconcile(store, key_id)
    assert len(report.matched) == 3 and len(report.only_in_file) == 1 and report.is_clean is False
    assert report.only_in_api == () and report.conflicting == ()


# ------------------------------------------------------------------------------ conflicts and the trigger


def _spot_records(account: SimAccount) -> list[NormalizedRecord]:
    parse = normalize.execution("spot")
    return [r for r in (parse(raw).record for raw in account.records("execution_spot")) if r is not None]


@pytest.mark.parametrize("file_first", [True, False])
def test_same_id_different_amount_is_a_conflict_and_the_api_version_is_kept(
    tmp_path: Path, store: Store, account: SimAccount, file_first: bool
) -> None:
    key_id = store.add_key(NewKey(exchange="bybit", label="K", host_id="global", endpoints=("spot",)))
    made = export(account, "spot_trades")
    lines = made.text.splitlines()
    cells = lines[2].split(",")
    original_qty = cells[6]
    cells[6] = "99.5"  # the first data row's Filled Quantity
    lines[2] = ",".join(cells)
    path = tmp_path / made.name
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    records = _spot_records(account)
    if file_first:
        _import(store, path, key_id)
        store.commit_page(key_id, "spot", "execution_spot", records, covered=None)
        link_file_rows(store, key_id)
    else:
        store.commit_page(key_id, "spot", "execution_spot", records, covered=None)
        _import(store, path, key_id)
    transactions = store.transactions(TransactionFilter(with_sources=True))
    assert len(transactions) == len(records)
    assert {t.source for t in transactions} == {"api"}
    changed = next(t for t in transactions if t.exchange_id == made.record_ids[0])
    assert changed.amount != "99.5" and float(changed.amount) == float(original_qty)
    report = reconcile(store, key_id)
    assert [(i.exchange_id, i.differences) for i in report.conflicting] == [(made.record_ids[0], ("amount",))]
    assert (
        report.conflicting[0].file_values is not None and report.conflicting[0].file_values.amount == "99.5"
    )
    assert len(report.matched) == len(records) - 1
    assert store.get_key(key_id).endpoint("spot").record_count == len(records)


def test_minute_precision_file_matches_api_times(tmp_path: Path, store: Store, account: SimAccount) -> None:
    key_id = store.add_key(NewKey(exchange="bybit", label="K", host_id="global", endpoints=("spot",)))
    path, made = write_export(account, "spot_trades_minutes", tmp_path)
    _import(store, path, key_id)
    store.commit_page(key_id, "spot", "execution_spot", _spot_records(account), covered=None)
    report = reconcile(store, key_id)
    assert report.conflicting == () and len(report.matched) == made.rows


# ------------------------------------------------------------------------------ coverage


def test_coverage_view_and_sync_from_suggestion(tmp_path: Path, store: Store, account: SimAccount) -> None:
    times = sorted(account.record_time_ms("execution_spot", r) for r in account.records("execution_spot"))
    file_end = times[len(times) // 2]
    path, made = write_export(account, "spot_trades", tmp_path, end_ms=file_end)
    account_id = _import(store, path, None)
    assert suggest_sync_from(store, account_id, "spot") == max(made.times_ms) // 1000 * 1000
    assert suggest_sync_from(store, account_id, "linear") is None
    file_start, file_stop = made.period
    api_start = file_stop + 86_400_000  # a one-day gap between the file and the API
    store.commit_page(
        account_id, "spot", "execution_spot", [], covered=(api_start, api_start + 10 * 86_400_000)
    )
    until = api_start + 20 * 86_400_000
    segments = [
        (s.source, s.start_ms, s.end_ms)
        for s in coverage_view(store, account_id, until_ms=until)
        if s.endpoint == "spot"
    ]
    assert segments == [
        (CoverageSource.FILE, file_start, file_stop),
        (CoverageSource.NONE, file_stop + 1, api_start - 1),
        (CoverageSource.API, api_start, api_start + 10 * 86_400_000),
        (CoverageSource.NONE, api_start + 10 * 86_400_000 + 1, until),
    ]
    store.commit_page(account_id, "spot", "execution_spot", [], covered=(file_stop - 1000, api_start))
    merged = [
        (s.source, s.start_ms, s.end_ms)
        for s in coverage_view(store, account_id, until_ms=until)
        if s.endpoint == "spot"
    ]
    assert merged[:3] == [
        (CoverageSource.FILE, file_start, file_stop - 1001),
        (CoverageSource.BOTH, file_stop - 1000, file_stop),
        (CoverageSource.API, file_stop + 1, api_start + 10 * 86_400_000),
    ]


def test_a_linked_file_row_comes_back_if_its_api_row_is_deleted(tmp_path: Path, store: Store) -> None:
    key_id = _key(store)
    (api_record,) = _api_ledger(store, key_id, _ledger("A", 100))
    result = import_file(
        store, _log_file(tmp_path / "log.csv", (0, "-25.5")), account_id=key_id, exchange="bybit", tz=UTC
    )
    assert result.linked == 1 and store.count_transactions() == 1
    with store.engine.begin() as connection:  # e.g. a "re-fetch this period" that deletes API rows first
        connection.execute(text("DELETE FROM transactions WHERE source = 'api'"))
    link_file_rows(store, key_id)
    (revived,) = store.transactions()
    assert revived.source == "file" and revived.amount == "-25.5"
    _api_ledger(store, key_id, _ledger("A", 100))
    assert link_file_rows(store, key_id).linked == 1
    assert [t.exchange_id for t in store.transactions()] == [api_record.exchange_id]
