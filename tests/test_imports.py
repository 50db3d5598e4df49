"""File import: detection, refusals, decoding, numbers and dates, atomicity, idempotency."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from cryptact_desktop.imports import (
    FILE_HOST_ID,
    ImportRefused,
    ImportStatus,
    detect,
    import_file,
    list_imported_files,
    preview,
    remove_imported_file,
)
from cryptact_desktop.imports.reader import (
    AmbiguousDates,
    FileRefused,
    MixedDateOrder,
    decode,
    infer_decimal_comma,
    parse_datetime,
    parse_number,
    resolve_day_first,
    to_ms,
)
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.store.models import ApiKeyRow, FileRecordRow, ImportedFileRow
from cryptact_desktop.venues.bybit.simulator import SimAccount, generate_account
from cryptact_desktop.venues.bybit.simulator.exports import KINDS, export, write_export

UTC = ZoneInfo("UTC")
UID = 7001


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=5, size="small", uid=UID)


def _nothing_imported(store: Store) -> None:
    assert store.count_transactions() == 0
    assert store.list_keys() == []
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ImportedFileRow)).scalar() == 0
        assert connection.execute(select(func.count()).select_from(FileRecordRow)).scalar() == 0


def _write(path: Path, content: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(content.encode(encoding))
    return path


SPOT_HEADER = (
    "Spot Pairs,Order Type,Direction,Filled Value,Filled Price,Filled Quantity,Fees,Transaction ID,"
    "Order No.,Timestamp (UTC)"
)


def _spot_rows(*rows: tuple[str, str, str, str, str, str]) -> str:
    """(pair, side, price, qty, id, time) -> a minimal spot trade history file."""
    lines = [SPOT_HEADER]
    for pair, side, price, qty, trade_id, when in rows:
        value = str(Decimal(price) * Decimal(qty))
        lines.append(f"{pair},MARKET,{side},{value},{price},{qty},0.001,{trade_id}, 123,{when}")
    return "\r\n".join(lines) + "\r\n"


# ------------------------------------------------------------------------------ detection


@pytest.mark.parametrize(
    ("kind", "format_id"),
    [
        ("spot_trades", "bybit_spot_trades"),
        ("spot_trades_minutes", "bybit_spot_trades"),
        ("spot_trades_eu", "bybit_spot_trades"),
        ("derivatives_trades", "bybit_derivatives_trades"),
        ("transaction_log", "bybit_uta_transaction_log"),
        ("deposits_withdrawals", "bybit_deposit_withdrawal_history"),
    ],
)
def test_each_export_is_detected_and_previews_cleanly(
    tmp_path: Path, account: SimAccount, kind: str, format_id: str
) -> None:
    assert kind in KINDS
    path, made = write_export(account, kind, tmp_path)
    detected = detect(path)
    assert not isinstance(detected, ImportRefused), detected
    assert detected.format.id == format_id
    assert detected.exchange == "bybit"
    assert detected.data_rows == made.rows
    assert detected.uid in ("", str(UID))
    result = preview(path, UTC)
    assert result.can_import, result.problems
    assert result.problems == ()
    assert result.records + result.skipped == made.rows
    assert result.period is not None and result.period[0] <= min(made.times_ms)


def test_pre_uta_spot_history_with_units_in_cells(tmp_path: Path, store: Store) -> None:
    content = (
        "Filled Time (Local Time),Spot Pairs,Order Type,Direction,Filled Value,Filled Price,"
        "Filled Quantity,Fees,Transaction ID,Order No.,Timestamp (UTC)\n"
        "2024-09-27 23:52:04,NEIRO/USDT,Market,Sell,99.687126000000000000 USDT,0.088900000000000000 USDT,"
        "1121.340000000000000000 NEIRO,0.199374252000000000 USDT,67006208,50228992,2024-09-27 21:52:04\n"
        "2024-09-27 23:02:35,NEIRO/USDT,Market,Buy,99.999510000000000000 USDT,0.089000000000000000 USDT,"
        "1123.590000000000000000 NEIRO,2.247180000000000000 NEIRO,98282240,89893632,2024-09-27 21:02:35\n"
    )
    path = _write(tmp_path / "Bybit-Spot-TradeHistory-2024-06-30-2024-10-31.csv", content)
    shown = preview(path, UTC)
    assert shown.file is not None and shown.file.format.id == "bybit_spot_trades_pre_uta"
    sell, buy = shown.sample
    assert (sell.base, sell.quote, sell.side, sell.amount, sell.price) == (
        "NEIRO",
        "USDT",
        Side.SELL,
        "1121.34",
        "0.0889",
    )
    assert (sell.fee, sell.fee_currency) == ("0.199374252", "USDT")
    assert (buy.fee, buy.fee_currency, buy.exchange_id) == ("2.24718", "NEIRO", "98282240")
    result = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert result.status is ImportStatus.IMPORTED and result.new_records == 2


def _refused(result: object, code: str) -> ImportRefused:
    assert isinstance(result, ImportRefused), result
    assert result.code == code, result
    assert result.message
    return result


def test_wrong_exchange_file_is_refused_naming_both(tmp_path: Path, store: Store) -> None:
    path = _write(
        tmp_path / "cryptact.csv",
        "Timestamp,Action,Source,Base,Volume,Price,Counter,Fee,FeeCcy,Comment\n"
        "2024/01/01 00:00:00,BUY,Bybit,BTC,0.1,6000000,JPY,0,JPY,\n",
    )
    refusal = _refused(detect(path), "wrong_exchange")
    assert "Cryptact" in refusal.message
    result = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert result.status is ImportStatus.REFUSED
    assert result.refusal is not None
    assert "Cryptact" in result.refusal.found
    assert "Bybit spot trade history" in result.refusal.expected
    _nothing_imported(store)


def test_unknown_file_is_refused_showing_what_it_looks_like(tmp_path: Path, store: Store) -> None:
    path = _write(tmp_path / "mine.csv", "when,what,how much\n2024-01-01,coffee,3\n")
    refusal = _refused(detect(path), "unknown_format")
    assert "when, what, how much" in refusal.message
    assert "Bybit" in refusal.expected
    assert not import_file(store, path, account_id=None, exchange="bybit", tz=UTC).ok
    _nothing_imported(store)


def test_known_but_unsupported_bybit_file_says_what_to_import_instead(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "pnl.csv",
        "Contracts,Closing Direction,Qty,Entry Price,Exit Price,Closed P&L,Exit Type,Trade Time(UTC+0)\n"
        "BTCUSDT,Sell,0.01,60000,60500,4.3,Trade,2025-12-01 15:00:00\n",
    )
    refusal = _refused(detect(path), "unsupported_type")
    assert "trade history" in refusal.message


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"\r\n\r\n  \r\n", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, "excel_workbook"),
        (b"%PDF-1.7\n" + b"\x00\x01" * 50, "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary"),
        (b"Spot Pairs,Direction\x00\x00\x00\x01garbage", "binary"),
    ],
)
def test_empty_and_binary_files_are_refused(tmp_path: Path, store: Store, content: bytes, code: str) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    _refused(detect(path), code)
    result = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert (
        result.status is ImportStatus.REFUSED and result.refusal is not None and result.refusal.code == code
    )
    _nothing_imported(store)


def test_a_file_over_50_mb_is_refused_with_a_clear_message(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: no 50 MB actually written
        handle.write(SPOT_HEADER.encode())
        handle.truncate(50 * 1024 * 1024 + 1)
    refusal = _refused(detect(path), "too_large")
    assert "50 MB" in refusal.message
    assert import_file(store, path, account_id=None, exchange="bybit", tz=UTC).status is ImportStatus.REFUSED
    _nothing_imported(store)


def test_truncated_files_are_refused(tmp_path: Path, store: Store, account: SimAccount) -> None:
    made = export(account, "spot_trades")
    lines = made.text.splitlines()
    cut_in_row = "\r\n".join(lines[:-1]) + "\r\n" + lines[-1][: len(lines[-1]) // 3]
    path = _write(tmp_path / "cut.csv", cut_in_row)
    refusal = _refused(detect(path), "truncated")
    assert f"row {len(lines)}" in refusal.message
    cut_in_quotes = _write(tmp_path / "cutq.csv", "\r\n".join(lines[:-1]) + '\r\n5001,"BTCUSDT,MAR')
    _refused(detect(cut_in_quotes), "truncated")
    utf16_cut = tmp_path / "cut16.csv"
    utf16_cut.write_bytes(made.text.encode("utf-16")[:-1])
    _refused(detect(utf16_cut), "truncated")
    for cut in (path, cut_in_quotes, utf16_cut):
        assert (
            import_file(store, cut, account_id=None, exchange="bybit", tz=UTC).status is ImportStatus.REFUSED
        )
    _nothing_imported(store)


def test_a_file_mixing_exchange_accounts_is_refused(tmp_path: Path, account: SimAccount) -> None:
    made = export(account, "spot_trades")
    lines = made.text.splitlines()
    lines[3] = lines[3].replace(str(UID), "999", 1)
    path = _write(tmp_path / "two.csv", "\r\n".join(lines))
    _refused(detect(path), "several_accounts")


# ------------------------------------------------------------------------------ encodings, numbers, dates


def _records(path: Path, tz: ZoneInfo = UTC, **options: bool) -> list[tuple[object, ...]]:
    shown = preview(path, tz, **options)
    assert shown.can_import, (shown.refusal, shown.problems)
    return [
        (r.exchange_id, r.timestamp_ms, r.base, r.quote, r.side, r.amount, r.price, r.fee)
        for r in shown.sample
    ]


def test_bom_utf16_and_excel_semicolon_files_read_the_same(tmp_path: Path, account: SimAccount) -> None:
    made = export(account, "spot_trades")
    plain = _records(made.write(tmp_path, name="plain.csv"))
    assert len(plain) == 20
    assert _records(made.write(tmp_path, name="bom.csv", bom=True)) == plain
    assert _records(made.write(tmp_path, name="utf16.csv", encoding="utf-16")) == plain
    tabbed = _write(tmp_path / "unicode.txt", made.text.replace(",", "\t"), "utf-16-le")  # no BOM
    assert _records(tabbed) == plain
    german = made.text.replace(",", ";").replace(".", ",")  # Excel in a decimal-comma locale
    assert _records(_write(tmp_path / "de.csv", german, "cp1252")) == plain


def test_excel_mangled_numbers_and_dates(tmp_path: Path, store: Store) -> None:
    content = (
        SPOT_HEADER + "\n"
        'BTCUSDT,LIMIT,BUY,"1,234.5",61000,"0.02",0.00002,2200000000000000001, 1,2024/3/5 9:07\n'
        "ETHUSDT,LIMIT,SELL,55,3000,5.5E-2,1.0E-4,2200000000000000002, 2,2024-03-05 09:07:01.250\n"
        "XRPUSDT,MARKET,BUY,10,0.5,20,0,2200000000000000003, 3,'2024-03-05 09:08:00\n"
        "\n\n"
    )
    path = _write(tmp_path / "excel.csv", content)
    shown = preview(path, UTC)
    assert shown.can_import, shown.problems
    first, second, third = shown.sample
    assert first.timestamp_ms == to_ms(parse_datetime("2024-03-05 09:07"), UTC)
    assert (first.amount, first.price) == ("0.02", "61000")
    assert (second.amount, second.fee) == ("0.055", "0.0001")
    assert second.timestamp_ms % 1000 == 250
    assert third.side is Side.BUY and third.kind is TransactionKind.TRADE
    mangled = _write(
        tmp_path / "mangled.csv", SPOT_HEADER + "\nBTCUSDT,LIMIT,BUY,1,1,1,0,2.2E+18, 1,2024-03-05 09:07\n"
    )
    bad = preview(mangled, UTC)
    assert not bad.can_import
    assert "spreadsheet" in bad.problems[0].message and bad.problems[0].rows == (2,)


def test_day_month_order_rule(tmp_path: Path) -> None:
    def spot(*times: str) -> Path:
        rows = [
            ("BTCUSDT", "BUY", "60000", "0.01", f"22000000000000000{i:02d}", t) for i, t in enumerate(times)
        ]
        return _write(tmp_path / f"d{len(times)}{times[0][:2]}.csv", _spot_rows(*rows))

    march_5 = to_ms(parse_datetime("2024-03-05 09:07:01"), UTC)
    # 13/03 can only be day-first, so the whole column is day-first and 05/03 is 5 March.
    day_first = _records(spot("05/03/2024 09:07:01", "13/03/2024 10:00:00"))
    assert day_first[0][1] == march_5
    # 03/13 can only be month-first: 03/05 is 5 March.
    month_first = _records(spot("03/05/2024 09:07:01", "03/13/2024 10:00:00"))
    assert month_first[0][1] == march_5
    # Every date fits both readings: refuse unless the user says which.
    ambiguous = spot("05/03/2024 09:07:01", "06/03/2024 10:00:00")
    shown = preview(ambiguous, UTC)
    assert shown.refusal is not None and shown.refusal.code == "ambiguous_dates"
    assert _records(ambiguous, day_first=True)[0][1] == march_5
    assert _records(ambiguous, day_first=False)[0][1] == to_ms(parse_datetime("2024-05-03 09:07:01"), UTC)
    mixed = preview(spot("13/03/2024 09:07:01", "03/14/2024 10:00:00"), UTC)
    assert mixed.refusal is not None and mixed.refusal.code == "mixed_dates"


def test_reader_units() -> None:
    assert parse_number("1,234.5") == "1234.5"
    assert parse_number("1.234,5", decimal_comma=True) == "1234.5"
    assert parse_number("0,5", decimal_comma=True) == "0.5"
    assert parse_number("5.5E-7") == "0.00000055"
    assert parse_number(" '12 ") == "12"
    assert parse_number("(1.5)") == "-1.5"
    assert parse_number("--") == ""
    with pytest.raises(ValueError, match="comma"):
        parse_number("1,5")
    with pytest.raises(ValueError):
        parse_number("abc")
    assert infer_decimal_comma(["1,5", "2"], ",")
    assert not infer_decimal_comma(["1,234", "2.5"], ",")
    assert infer_decimal_comma(["1.234,56"], ",")
    assert parse_datetime("14:35 2024-11-16").precision_ms == 60_000
    assert parse_datetime("2024-11-16 14:35:07").precision_ms == 1000
    assert parse_datetime("2024-11-16T14:35:07.123Z").precision_ms == 1
    assert parse_datetime("3/5/24 9:07 PM", day_first=False).naive.hour == 21
    assert parse_datetime("05.03.2024 09:07").naive.month == 3  # dots: always day first
    assert to_ms(parse_datetime("1700000000"), UTC) == 1_700_000_000_000
    assert to_ms(parse_datetime("2024-01-01 09:00:00+09:00"), UTC) == to_ms(
        parse_datetime("2024-01-01 00:00"), UTC
    )
    with pytest.raises(AmbiguousDates):
        resolve_day_first(["01/02/2024 00:00"])
    with pytest.raises(MixedDateOrder):
        resolve_day_first(["13/02/2024 00:00", "02/13/2024 00:00"])
    assert resolve_day_first(["2024-02-13 00:00"]) is None
    with pytest.raises(FileRefused):
        decode(b"\x00\x00\x00garbage\x00")


def test_a_header_without_a_zone_uses_the_chosen_zone(tmp_path: Path, account: SimAccount) -> None:
    path, _made = write_export(account, "deposits_withdrawals", tmp_path)
    in_utc = preview(path, UTC)
    in_tokyo = preview(path, ZoneInfo("Asia/Tokyo"))
    assert not in_utc.time_zone_from_file and in_tokyo.time_zone == "Asia/Tokyo"
    assert in_utc.sample[0].timestamp_ms - in_tokyo.sample[0].timestamp_ms == 9 * 3_600_000
    spot_path, _ = write_export(account, "spot_trades", tmp_path)
    named = preview(spot_path, ZoneInfo("Asia/Tokyo"))  # "Timestamp (UTC+0)": the choice is not used
    assert named.time_zone_from_file and named.time_zone == "UTC"
    assert named.sample == preview(spot_path, UTC).sample


# ------------------------------------------------------------------------------ atomicity, idempotency


def test_one_bad_row_imports_nothing_and_reports_rows_grouped_by_message(
    tmp_path: Path, store: Store, account: SimAccount
) -> None:
    made = export(account, "spot_trades")
    lines = made.text.splitlines()  # line 1: UID, line 2: header, data from line 3
    broken = list(lines)
    for number in (5, 9):
        cells = broken[number - 1].split(",")
        cells[6] = "lots"  # Filled Quantity
        broken[number - 1] = ",".join(cells)
    cells = broken[7 - 1].split(",")
    cells[10] = "yesterday"  # Timestamp
    broken[7 - 1] = ",".join(cells)
    broken[11 - 1] = broken[11 - 1].rsplit(",", 3)[0]  # three cells short (not the last row)
    path = _write(tmp_path / made.name, "\r\n".join(broken) + "\r\n")
    shown = preview(path, UTC)
    assert not shown.can_import
    groups = {g.message: g.rows for g in shown.problems}
    assert groups == {
        "Filled Quantity is not a number": (5, 9),
        "Timestamp (UTC+0) is not a date and time we can read": (7,),
        "The row has fewer columns than the header": (11,),
    }
    assert [g.examples for g in shown.problems if g.rows == (5, 9)] == [("lots",)]
    result = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert result.status is ImportStatus.REJECTED
    assert {g.message: g.rows for g in result.problems} == groups
    assert "4 rows" in result.message
    _nothing_imported(store)


def test_same_file_twice_adds_nothing_and_file_only_account_is_made(
    tmp_path: Path, store: Store, account: SimAccount
) -> None:
    secrets = SecretStore(MemoryKeyring())
    path, made = write_export(account, "spot_trades", tmp_path)
    first = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert first.status is ImportStatus.IMPORTED, first.problems
    assert first.new_records == made.rows and first.account_id is not None
    key = store.get_key(first.account_id)
    assert (key.host_id, key.paused, key.label, key.verification.exchange_user_id) == (
        FILE_HOST_ID,
        True,
        "Bybit (files)",
        str(UID),
    )
    assert key.endpoint("spot").record_count == made.rows
    assert not secrets.has(key.id)  # no secret: nothing in the keyring
    count = store.count_transactions()
    assert {t.source for t in store.transactions()} == {"file"}
    assert {t.exchange_id for t in store.transactions()} == set(made.record_ids)
    again = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert again.status is ImportStatus.ALREADY_IMPORTED and again.account_id == key.id
    copy = _write(tmp_path / "renamed copy.csv", made.text)
    assert import_file(store, copy, account_id=key.id, exchange="bybit", tz=UTC).status is (
        ImportStatus.ALREADY_IMPORTED
    )
    assert store.count_transactions() == count
    assert len(store.list_keys()) == 1
    other = store.add_key(NewKey(exchange="bybit", label="Other", host_id="global", endpoints=("spot",)))
    elsewhere = import_file(store, path, account_id=other, exchange="bybit", tz=UTC)
    assert elsewhere.refusal is not None and elsewhere.refusal.code == "imported_elsewhere"
    assert store.count_transactions() == count


def test_overlapping_exports_of_a_ledger_without_ids_add_each_row_once(
    tmp_path: Path, store: Store, account: SimAccount
) -> None:
    times = sorted(account.record_time_ms("transaction_log", r) for r in account.records("transaction_log"))
    middle = times[len(times) // 2]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    early, _ = write_export(account, "transaction_log", tmp_path / "a", end_ms=middle + 60_000_000)
    late, _ = write_export(account, "transaction_log", tmp_path / "b", start_ms=middle - 60_000_000)
    first = import_file(store, early, account_id=None, exchange="bybit", tz=UTC)
    second = import_file(store, late, account_id=first.account_id, exchange="bybit", tz=UTC)
    assert first.ok and second.ok
    assert second.already_present > 0
    assert store.count_transactions() == len(times)
    assert all(t.exchange_id.startswith("file:") for t in store.transactions())


def test_file_of_another_exchange_account_is_refused(
    tmp_path: Path, store: Store, account: SimAccount
) -> None:
    key_id = store.add_key(NewKey(exchange="bybit", label="Mine", host_id="global", endpoints=("spot",)))
    store.record_verification(
        key_id, read_only=True, permissions=(), exchange_user_id="123", is_master=True, expires_at_ms=None
    )
    path, _ = write_export(account, "spot_trades", tmp_path)
    result = import_file(store, path, account_id=key_id, exchange="bybit", tz=UTC)
    assert result.refusal is not None and result.refusal.code == "other_account"
    assert str(UID) in result.refusal.message and "123" in result.refusal.message
    assert store.count_transactions() == 0


def test_import_into_an_api_account_adds_missing_endpoints_disabled(
    tmp_path: Path, store: Store, account: SimAccount
) -> None:
    key_id = store.add_key(NewKey(exchange="bybit", label="API", host_id="global", endpoints=("spot",)))
    path, made = write_export(account, "derivatives_trades", tmp_path)
    result = import_file(store, path, account_id=key_id, exchange="bybit", tz=UTC)
    assert result.ok and result.new_records == made.rows
    key = store.get_key(key_id)
    assert key.enabled_endpoints == ("spot",)
    assert {e.endpoint for e in key.endpoints} == {"spot", "linear", "inverse"}


def test_remove_an_import(tmp_path: Path, store: Store, account: SimAccount) -> None:
    spot, made = write_export(account, "spot_trades", tmp_path)
    first = import_file(store, spot, account_id=None, exchange="bybit", tz=UTC)
    assert first.account_id is not None and first.file_id is not None
    ledger, _ = write_export(account, "transaction_log", tmp_path)
    assert import_file(store, ledger, account_id=first.account_id, exchange="bybit", tz=UTC).ok
    files = list_imported_files(store, first.account_id)
    assert [f.format_id for f in files] == ["bybit_spot_trades", "bybit_uta_transaction_log"]
    assert files[0].rows == made.rows and files[0].period is not None
    assert remove_imported_file(store, first.file_id) == made.rows
    assert {t.endpoint for t in store.transactions()} == {"transaction_log"}
    assert store.get_key(first.account_id).endpoint("spot").record_count == 0
    again = import_file(store, spot, account_id=first.account_id, exchange="bybit", tz=UTC)
    assert again.status is ImportStatus.IMPORTED and again.new_records == made.rows


def test_migration_installs_the_api_replaces_file_trigger(store: Store) -> None:
    with store.engine.connect() as connection:
        names = (
            connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
        )
    assert "trg_transactions_api_replaces_file" in names


def test_file_rows_keep_their_own_values(tmp_path: Path, store: Store, account: SimAccount) -> None:
    path, made = write_export(account, "spot_trades_minutes", tmp_path)
    result = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert result.ok
    with store.engine.connect() as connection:
        row = connection.execute(select(FileRecordRow).where(FileRecordRow.row_number == 2)).one()
    assert row.time_precision_ms == 60_000 and row.exchange_id == made.record_ids[0]
    columns = json.loads(row.raw_json)["columns"]
    assert columns["Transaction ID"] == made.record_ids[0]
    assert columns["Order No."].startswith(" ")
    assert "fee_currency" not in row.compared.split(",")  # this variant has no fee-coin column
    with store.engine.connect() as connection:
        assert connection.execute(select(ApiKeyRow.host_id)).scalar() == FILE_HOST_ID
