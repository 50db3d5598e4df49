"""Imported files that are not what they seem: a duplicated column, a file that changes after
its preview, the same rows saved again, a very large file, dates in the future, an oversized
cell, and paths that are not regular files."""

from __future__ import annotations

import gc
import os
import time
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cryptact_desktop.imports import ImportStatus, import_file, list_imported_files, preview
from cryptact_desktop.state import TransactionFilter
from cryptact_desktop.store import Store

UTC = ZoneInfo("UTC")
UID = 8100
HEADER = (
    "Uid,Spot Pairs,Order Type,Direction,Filled Value,Filled Price,Filled Quantity,Fees,"
    "Transaction ID,Order No.,Timestamp (UTC+0)"
)
BASE_S = 1_700_000_000


def spot_line(i: int, *, when_s: int | None = None) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(when_s if when_s is not None else BASE_S + i * 7))
    side = "BUY" if i % 2 else "SELL"
    return f"{UID},BTCUSDT,MARKET,{side},30.5,30500.25,0.001,0.0000012,21000{i:012d},1700{i:012d},{stamp}"


def write_spot(path: Path, rows: int, *, newline: str = "\n", extra: str = "", header: str = HEADER) -> Path:
    """A Bybit spot trade history download with ``rows`` trades, written without holding it in memory."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"UID: {UID},Company Name: ,Country: {newline}")
        handle.write(header + newline)
        for i in range(rows):
            handle.write(spot_line(i) + newline)
        handle.write(extra)
    return path


def stored(store: Store) -> int:
    return store.count_transactions(TransactionFilter(with_sources=True))


# -- the header ---------------------------------------------------------------------------------


def test_a_duplicated_header_column_is_refused_naming_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "Bybit-Spot-TradeHistory.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"UID: {UID},Company Name: ,Country: \n{HEADER},Filled Price\n")
        for i in range(5):
            handle.write(spot_line(i) + ",1\n")  # the last "Filled Price" would win: price 1
    result = preview(path, UTC)
    assert result.refusal is not None and result.refusal.code == "duplicate_column"
    assert "Filled Price" in result.refusal.message
    imported = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert imported.status is ImportStatus.REFUSED and "Filled Price" in imported.message
    assert stored(store) == 0 and store.list_keys() == []


# -- the file changes ---------------------------------------------------------------------------


def test_a_file_that_changes_after_its_preview_is_refused(store: Store, tmp_path: Path) -> None:
    path = write_spot(tmp_path / "Bybit-Spot-TradeHistory.csv", 10)
    seen = preview(path, UTC)
    assert seen.file is not None and seen.records == 10
    with path.open("a", encoding="utf-8") as handle:
        handle.write(spot_line(99) + "\n")
    result = import_file(
        store, path, account_id=None, exchange="bybit", tz=UTC, expected_sha256=seen.file.sha256
    )
    assert result.status is ImportStatus.REFUSED
    assert result.refusal is not None and result.refusal.code == "changed"
    assert "preview" in result.message
    assert stored(store) == 0
    again = preview(path, UTC)
    assert again.file is not None
    done = import_file(
        store, path, account_id=None, exchange="bybit", tz=UTC, expected_sha256=again.file.sha256
    )
    assert done.status is ImportStatus.IMPORTED and done.new_records == 11


# -- the same rows again ------------------------------------------------------------------------


def test_the_same_rows_saved_again_are_found_by_content(store: Store, tmp_path: Path) -> None:
    first = write_spot(tmp_path / "Bybit-Spot-TradeHistory.csv", 20)
    result = import_file(store, first, account_id=None, exchange="bybit", tz=UTC)
    assert result.status is ImportStatus.IMPORTED and result.account_id is not None
    # Re-saved: Windows line breaks and an extra blank line at the end.
    resaved = write_spot(tmp_path / "Bybit-Spot-TradeHistory (1).csv", 20, newline="\r\n", extra="\r\n")
    assert resaved.read_bytes() != first.read_bytes()
    again = import_file(store, resaved, account_id=result.account_id, exchange="bybit", tz=UTC)
    assert again.status is ImportStatus.ALREADY_IMPORTED
    assert len(list_imported_files(store, result.account_id)) == 1
    assert stored(store) == 20


# -- size -----------------------------------------------------------------------------------------


def _peak_import(tmp_path: Path, rows: int) -> tuple[int, int]:
    path = write_spot(tmp_path / f"spot-{rows}.csv", rows)
    store = Store(tmp_path / f"db-{rows}.sqlite")
    try:
        gc.collect()
        tracemalloc.start()
        try:
            seen = preview(path, UTC)
            result = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert seen.records == rows and result.status is ImportStatus.IMPORTED
        assert result.new_records == rows and stored(store) == rows
    finally:
        store.close()
    return path.stat().st_size, peak


def test_a_large_file_streams_memory_flat_in_its_size(tmp_path: Path) -> None:
    small_size, small_peak = _peak_import(tmp_path, 1_500)
    big_size, big_peak = _peak_import(tmp_path, 12_000)
    assert big_size > 7 * small_size
    # Eight times the rows, (nearly) the same memory: nothing holds the whole file or all its rows.
    assert big_peak < small_peak * 1.5, (small_peak, big_peak)
    assert big_peak < 20_000_000, big_peak


# -- dates --------------------------------------------------------------------------------------


def test_dates_far_in_the_future_are_warned_about(store: Store, tmp_path: Path) -> None:
    future = BASE_S + 20 * 365 * 86_400
    path = tmp_path / "Bybit-Spot-TradeHistory.csv"
    write_spot(path, 3, extra=spot_line(50, when_s=future) + "\n")
    seen = preview(path, UTC)
    assert seen.can_import
    (note,) = [n for n in seen.notes if "future" in n.message]
    assert note.rows == (6,)  # preamble, header, three rows: the fourth record is on line 6
    result = import_file(store, path, account_id=None, exchange="bybit", tz=UTC)
    assert result.status is ImportStatus.IMPORTED
    assert any("future" in n.message for n in result.notes)


# -- what the file is ---------------------------------------------------------------------------


def test_a_cell_over_128_kib_is_not_called_cut_off(tmp_path: Path) -> None:
    path = write_spot(tmp_path / "Bybit-Spot-TradeHistory.csv", 3, extra=f'{UID},"{"x" * 140_000}"\n')
    seen = preview(path, UTC)
    assert seen.refusal is not None
    assert seen.refusal.code == "cell_too_large"
    assert "cut off" not in seen.refusal.message and "128 KiB" in seen.refusal.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_or_a_device_is_not_called_a_folder(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null")):
        seen = preview(path, UTC)
        assert seen.refusal is not None and seen.refusal.code == "not_a_file", path
        assert "folder" not in seen.refusal.message
    folder = preview(tmp_path, UTC)
    assert folder.refusal is not None and "folder" in folder.refusal.message
