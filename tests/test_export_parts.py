"""A large Cryptact export mapped by several processes: the same file and report as one process
writes, and a process that fails or dies fails the export without touching the user's file."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cryptact_desktop.export.cryptact import (
    LAST_EXPORT_SETTING,
    WATERMARK_SETTING,
    ExportReport,
    export_cryptact,
    parts,
)
from cryptact_desktop.export.cryptact.parts import ExportPartFailed
from cryptact_desktop.state import NewKey, TransactionFilter
from cryptact_desktop.store import StorageError, Store
from cryptact_desktop.store.faults import StorageProblem
from tests.test_export_cryptact import _spot_records, at, bad_trade, build_every_kind_store


def _export(store: Store, path: Path, processes: int, **options: object) -> ExportReport:
    """An export as if it were the first (the watermark of an earlier one changes warnings)."""
    store.set_setting(WATERMARK_SETTING, "")
    store.set_setting(LAST_EXPORT_SETTING, "")
    return export_cryptact(store, path, processes=processes, **options)  # type: ignore[arg-type]


def _same_report(one: ExportReport, other: ExportReport) -> None:
    assert one.records_read == other.records_read
    assert one.rows_written == other.rows_written
    assert one.skipped == other.skipped and list(one.skipped) == list(other.skipped)
    assert one.rules == other.rules
    assert one.warnings == other.warnings
    assert one.problems == other.problems and one.problem_count == other.problem_count
    assert (one.first_ms, one.last_ms, one.watermark_ms) == (
        other.first_ms,
        other.last_ms,
        other.watermark_ms,
    )
    assert one.unclassified == other.unclassified


@pytest.fixture
def many_kinds(store: Store) -> Store:
    """Every kind of entry, plus spot trades of which 40 share one moment (a run must never split
    them) spread over the period."""
    main, _ = build_every_kind_store(store)
    times = [at(minute, 250) for minute in range(-30, 60, 3)] + [at(7, 777)] * 40
    records = _spot_records(*times)
    records = [replace(r, exchange_id=f"{r.exchange_id}-{i}") for i, r in enumerate(records)]
    store.commit_page(main, "spot", "execution_spot", records, covered=None)
    return store


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("processes", [2, 3, 4])
def test_parts_make_the_file_and_report_one_process_makes(
    many_kinds: Store, tmp_path: Path, processes: int
) -> None:
    flt = TransactionFilter(newest_first=False, with_sources=True)
    cuts = parts.split_times(many_kinds, flt, processes, many_kinds.count_transactions(flt))
    # Four runs would cut twice inside the 40 trades of one moment: they stay in one run.
    assert len(cuts) == {2: 1, 3: 2, 4: 2}[processes]
    if processes == 4:
        assert at(7, 777) in cuts
    tokyo = ZoneInfo("Asia/Tokyo")  # crosses to the processes with everything else they need
    one = _export(many_kinds, tmp_path / "one.csv", 1, tz=tokyo)
    many = _export(many_kinds, tmp_path / "many.csv", processes, tz=tokyo)
    assert one.ok and one.rows_written > 60 and one.skipped and one.warnings
    assert (tmp_path / "many.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    _same_report(one, many)
    assert _leftovers(tmp_path) == [], "no part or temporary file left behind"


def test_problems_found_by_parts_name_the_lines_one_process_names(many_kinds: Store, tmp_path: Path) -> None:
    key = many_kinds.list_keys()[0].id
    bad = [bad_trade(f"bad-{minute}", at(minute)) for minute in (-29, 10, 58)]  # early, middle, late
    many_kinds.commit_page(key, "spot", "execution_spot", bad, covered=None)
    target = tmp_path / "out.csv"
    target.write_text("previous file\n")
    one = _export(many_kinds, target, 1)
    many = _export(many_kinds, target, 3)
    assert one.problem_count == 6 and len({p.line for p in one.problems}) == 3
    _same_report(one, many)
    assert target.read_text() == "previous file\n"
    assert _leftovers(tmp_path) == []


def test_new_mode_with_parts_matches_one_process(many_kinds: Store, tmp_path: Path) -> None:
    """An export of only what is new: the watermark, the rows after it and the back-fill warning."""
    key = many_kinds.list_keys()[0].id
    results = []
    for processes in (1, 3):
        many_kinds.set_setting(WATERMARK_SETTING, str(at(5)))
        many_kinds.set_setting(LAST_EXPORT_SETTING, str(int(time.time() * 1000) - 60_000))
        out = tmp_path / f"new-{processes}.csv"
        results.append((export_cryptact(many_kinds, out, mode="new", processes=processes), out))
    (one, one_file), (many, many_file) = results
    assert one.backfilled > 0 and one.rows_written > 20
    assert many_file.read_bytes() == one_file.read_bytes()
    _same_report(one, many)
    assert key


@pytest.mark.parametrize("ending", [signal.SIGKILL, signal.SIGTERM])
def test_a_part_process_that_dies_fails_the_export_and_keeps_the_users_file(
    store: Store, tmp_path: Path, ending: signal.Signals
) -> None:
    key = store.add_key(NewKey(exchange="bybit", label="Main", host_id="global", endpoints=("spot",)))
    store.commit_page(
        key, "spot", "execution_spot", _spot_records(*(at(i) for i in range(2000))), covered=None
    )
    folder = tmp_path / "export"
    folder.mkdir()
    target = folder / "out.csv"
    target.write_text("previous file\n")
    outcome: list[BaseException | ExportReport] = []

    def run() -> None:
        try:
            outcome.append(export_cryptact(store, target, processes=2))
        except BaseException as exc:  # noqa: BLE001 - the test looks at what it was
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    killed: set[int] = set()
    while worker.is_alive() and not killed:  # kill the first part process seen
        for pid in _children():
            os.kill(pid, ending)
            killed.add(pid)
            break
        time.sleep(0.005)
    worker.join(60)
    assert killed, "a part process was seen and killed"
    assert len(outcome) == 1 and isinstance(outcome[0], ExportPartFailed), outcome
    assert "ended unexpectedly" in str(outcome[0]) and "Nothing was written" in str(outcome[0])
    assert target.read_text() == "previous file\n"
    assert sorted(p.name for p in folder.iterdir()) == ["out.csv"], "no part or temporary file left"
    assert store.setting(WATERMARK_SETTING) == ""
    assert not _children(), "the other part process was stopped too"


def _children() -> list[int]:
    """The part processes this one started (Linux: each thread's children, but not the helper
    that the ``spawn`` method starts to track shared resources)."""
    found = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids = (task / "children").read_text().split()
        except OSError:  # the thread ended meanwhile
            continue
        for pid in pids:
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:  # gone already
                continue
            if b"spawn_main" in command:
                found.append(int(pid))
    return found


def test_part_failures_reach_the_parent_as_the_errors_the_window_explains(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")

    def collected(message: object | None) -> BaseException:
        ours, theirs = context.Pipe(duplex=False)
        if message is not None:
            theirs.send(message)
        theirs.close()
        with pytest.raises((StorageError, OSError, ExportPartFailed)) as caught:
            parts._collect([ours])
        ours.close()
        return caught.value

    database = tmp_path / "test.db"
    storage = collected(("storage", (StorageProblem.FULL, database, "SQLITE_FULL")))
    assert isinstance(storage, StorageError) and storage.problem is StorageProblem.FULL
    assert storage.failure.hint, "the window shows the fix"
    disk = collected(("os", (28, "No space left on device", str(tmp_path / "x.tmp"))))
    assert isinstance(disk, OSError) and disk.errno == 28 and disk.strerror == "No space left on device"
    other = collected(("error", "MemoryError"))
    assert isinstance(other, ExportPartFailed) and "MemoryError" in str(other)
    died = collected(None)
    assert isinstance(died, ExportPartFailed) and "ended unexpectedly" in str(died)


def test_only_large_exports_of_a_database_file_use_processes(store: Store) -> None:
    assert parts.part_count(store, parts.PARALLEL_FROM - 1) == 1
    wanted = max(1, min(parts.usable_cpus(), parts.MAX_PARTS))
    assert parts.part_count(store, parts.PARALLEL_FROM) == wanted
    memory = Store(":memory:")
    try:
        assert parts.part_count(memory, 10 * parts.PARALLEL_FROM) == 1, "no other process can open it"
    finally:
        memory.close()
