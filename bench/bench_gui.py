"""GUI responsiveness benchmark: the longest stall of the window's event loop.

A 10 ms ``QTimer`` heartbeat on the GUI thread notes every gap between two of its ticks while the
app does the two heavy things a user can ask of it:

1. **A whole medium sync.** The main window as ``run_gui`` builds it (``tune_runtime`` applied)
   syncs every endpoint of a "medium" Bybit account, served by the simulator in another process
   as a real exchange would be (niced, so that it does not take the app's CPU), from the press of
   Sync to the sync's ``finished`` signal, with the keys tree expanded; then the Transactions tab
   is shown with what the sync stored.
2. **A million transactions.** A database of ``--rows`` transactions (spread over kinds, assets
   and two keys; filled with plain ``sqlite3`` in the store's own schema and row format, since
   the store's ingest is another benchmark's subject). The Transactions tab is opened (its first
   rows and its count are timed), then filtered by a rare and a common asset, by kind, by key and
   by a date range, sorted by time both ways and scrolled down a few pages; every step waits
   until the view is no longer busy.

While the heartbeat is late by more than 30 ms a watchdog thread notes where the GUI thread's
Python stack is (``<event loop>`` means it was in Qt, or waiting for the GIL), and every gap is
split (Linux ``/proc/self/task/*/schedstat``) into the longest time one of the process's threads
was ready to run but the machine gave it no CPU — other processes' doing on a loaded machine —
and the rest, which is the app's own (its work on the GUI thread, or the GIL held by its other
threads while they ran). Ends with

    heartbeat max gap G ms

(the longest gap over both parts; target: G < 50).

    python bench/bench_gui.py [--rows 1000000] [--skip-sync] [--skip-table]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code

from PySide6.QtCore import QDateTime, QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cryptact_desktop.credentials import Credentials  # noqa: E402
from cryptact_desktop.memory_keyring import MemoryKeyring  # noqa: E402
from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind  # noqa: E402
from cryptact_desktop.secrets import SecretStore  # noqa: E402
from cryptact_desktop.service import AppService  # noqa: E402
from cryptact_desktop.state import NewKey  # noqa: E402
from cryptact_desktop.store import Store, transaction_values  # noqa: E402
from cryptact_desktop.ui.app import build_main_window, configure_application, tune_runtime  # noqa: E402
from cryptact_desktop.ui.main.window import MainWindow  # noqa: E402
from cryptact_desktop.ui.transactions.model import Column  # noqa: E402
from cryptact_desktop.venues.registry import CUSTOM_HOST, make_connector, venue, venue_info  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
UID = 300001
API_KEY = "BENCHGUIKEY00001"
SECRET = "BenchGuiSecret0123456789abcdefABCDEF"
SIM_SCALE = 1000  # the simulator's rate limits, times this
CLIENT_SCALE = 100  # the client's per-IP budget, times this (as the suite's GUI tests run)
LATE_MS = 30  # a gap longer than this is sampled by the watchdog
BASE_MS = 1_600_000_000_000

SIM_PROCESS = f"""
import os, sys
os.nice(10)
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
account = generate_account(seed=3, size="medium", uid={UID})
sim = BybitSimulator(accounts=[account], keys=[SimulatedKey({API_KEY!r}, {SECRET!r}, {UID})],
                     rate_limit_scale={SIM_SCALE}, ip_limit=None)
print(sim.start(), flush=True)
sys.stdin.read()
sim.stop()
"""


@dataclass(frozen=True)
class Gap:
    ms: float  # between two ticks
    step: str  # what the scene was doing
    where: str  # the GUI thread's Python stack while the tick was late ("" if it was not)
    # The longest time one thread of the process waited for a CPU meanwhile, although ready to
    # run (Linux schedstat; 0 elsewhere): the GUI thread itself, or a thread holding the GIL the
    # GUI thread then waited for.
    queued_ms: float

    @property
    def own_ms(self) -> float:
        """The gap less that wait (the machine's load): what the app itself is responsible for
        (its work on the GUI thread, or the GIL held by its other threads while they ran)."""
        return self.ms - self.queued_ms


def _cpu_waits_ns() -> dict[str, int]:
    """How long each thread of this process has waited, in all, for a CPU while it was ready to
    run (Linux ``schedstat``, by thread id; empty where the system does not say)."""
    waits: dict[str, int] = {}
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return waits
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/schedstat") as handle:
                waits[task] = int(handle.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a thread that just ended
    return waits


class Heartbeat:
    """A 10 ms timer on the GUI thread, its gaps, and a watchdog thread that notes where the GUI
    thread is when a tick is late. Each tick also reads how long each thread of the process has
    waited for a CPU (see :class:`Gap`)."""

    def __init__(self) -> None:
        self.gaps: list[Gap] = []
        self.step = ""
        self._gui = threading.get_ident()
        self._last = 0.0
        self._waits: dict[str, int] = {}
        self._where = ""
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._running = False
        self._watchdog: threading.Thread | None = None

    def start(self) -> None:
        self._last = time.perf_counter()
        self._waits = _cpu_waits_ns()
        self._where = ""
        self._running = True
        self._timer.start()
        self._watchdog = threading.Thread(target=self._watch, name="watchdog", daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        self._timer.stop()
        self._running = False
        if self._watchdog is not None:
            self._watchdog.join()

    def _tick(self) -> None:
        now, waits = time.perf_counter(), _cpu_waits_ns()
        queued = max((wait - self._waits.get(task, 0) for task, wait in waits.items()), default=0)
        self.gaps.append(Gap((now - self._last) * 1000, self.step, self._where, queued / 1e6))
        self._last, self._waits = now, waits
        self._where = ""

    def _watch(self) -> None:
        while self._running:
            time.sleep(0.005)
            if not self._where and (time.perf_counter() - self._last) * 1000 > LATE_MS:
                frame = sys._current_frames().get(self._gui)
                self._where = _where(frame) if frame is not None else "?"

    def longest(self) -> float:
        return max((gap.ms for gap in self.gaps), default=0.0)

    def longest_own(self) -> float:
        return max((gap.own_ms for gap in self.gaps), default=0.0)

    def worst(self, count: int = 5) -> list[Gap]:
        return sorted(self.gaps, key=lambda gap: gap.ms, reverse=True)[:count]


def _where(frame: object) -> str:
    """The innermost frames of ours (or the first others) on the GUI thread's stack."""
    stack = traceback.extract_stack(frame)  # type: ignore[arg-type]
    ours = [f for f in stack if "cryptact_desktop" in f.filename]
    if not ours:
        inner = stack[-1]
        if inner.name in ("wait_until", "main", "_spin") or "bench_gui" in inner.filename:
            return "<event loop>"
        return f"{Path(inner.filename).name}:{inner.lineno} {inner.name}"
    return " < ".join(f"{Path(f.filename).stem}:{f.lineno} {f.name}" for f in reversed(ours[-3:]))


def wait_until(condition: Callable[[], bool], timeout_s: float) -> float:
    """Run the event loop (as ``app.exec()`` does: blocked in Qt until there is work) until
    ``condition`` holds, checked every 20 ms; seconds it took."""
    started = time.perf_counter()
    if condition():
        return 0.0
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        if condition() or time.perf_counter() - started > timeout_s:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not condition():
        raise SystemExit(f"timed out after {timeout_s} s")
    return time.perf_counter() - started


def _spin(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def make_window(store: Store, service: AppService, tmp: Path) -> MainWindow:
    settings = QSettings(str(tmp / "bench.ini"), QSettings.Format.IniFormat)
    window = build_main_window(service, store, settings=settings, quit_app=lambda: None)
    window.resize(1200, 800)
    window.show()
    _spin(0.3)
    return window


# ---------------------------------------------------------------------- 1: a whole medium sync


def sync_scene(heartbeat: Heartbeat, tmp: Path) -> str:
    simulator = subprocess.Popen(
        [sys.executable, "-c", SIM_PROCESS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert simulator.stdout is not None and simulator.stdin is not None
    url = simulator.stdout.readline().strip()
    store = Store(tmp / "sync.db")
    factory = partial(make_connector, rate_limit_scale=CLIENT_SCALE)
    service = AppService(store, SecretStore(MemoryKeyring()), connector_factory=factory)
    credentials = Credentials(api_key=API_KEY, secret=SECRET)
    key = service.add_key(
        NewKey(
            exchange="bybit",
            label="Medium",
            host_id=CUSTOM_HOST,
            endpoints=tuple(e.id for e in venue_info("bybit").endpoints),
            base_url=url,
            key_hint=credentials.key_hint,
        ),
        credentials,
    )
    window = make_window(store, service, tmp)
    window.refresh_keys()
    window.tree.expandAll()
    undo = tune_runtime()
    finished: list[object] = []
    window.controller.finished.connect(finished.append)
    try:
        _spin(0.2)
        heartbeat.step = "sync"
        heartbeat.start()
        _spin(0.1)
        started = time.perf_counter()
        assert window.controller.sync(key.id)
        wait_until(lambda: bool(finished), 300)
        seconds = time.perf_counter() - started
        heartbeat.step = "transactions tab after the sync"
        window.show_transactions(None)
        wait_until(lambda: not window.transactions.is_busy(), 30)
        _spin(0.2)
        heartbeat.stop()
    finally:
        undo()
        window.controller.shutdown()
        window.close()
        count = store.count_transactions()
        store.close()
        simulator.stdin.close()
        simulator.wait(timeout=10)
        simulator.stdout.close()
    return f"medium sync: {count} transactions in {seconds:.1f} s"


# ---------------------------------------------------------------------- 2: a million transactions

ASSETS = ["BTC"] * 40 + ["ETH"] * 25 + ["USDT"] * 15 + ["XRP", "SOL", "DOGE", "ADA", "DOT"] * 3 + ["MNT"]
KINDS = [TransactionKind.TRADE] * 90 + [TransactionKind.DEPOSIT] * 3 + [TransactionKind.WITHDRAWAL] * 2
KINDS += [TransactionKind.FUNDING] * 4 + [TransactionKind.INTEREST]


def _rows(count: int, key_ids: tuple[int, int]) -> Iterator[dict[str, object]]:
    stamp = BASE_MS + count * 1000
    for i in range(count):
        kind = KINDS[(i * 7919) % len(KINDS)]
        base = ASSETS[(i * 104729) % len(ASSETS)]
        exec_id = f"{2100000000000000000 + i * 7919}"
        price = f"{29000 + (i % 5000) * 0.37:.2f}"
        qty = f"0.{(i * 37) % 99999 + 1:05d}"
        when = BASE_MS + i * 1000
        trade = kind is TransactionKind.TRADE
        raw = (
            f'{{"symbol":"{base}USDT","orderType":"Market","orderId":"{1500000000000000000 + i // 3}",'
            f'"execTime":"{when}","feeRate":"0.001","execPrice":"{price}","execType":"Trade",'
            f'"seq":"{125195366 + i}","side":"{"Buy" if i % 2 else "Sell"}","execFee":"0.000000336",'
            f'"feeCurrency":"{base}","execId":"{exec_id}","execQty":"{qty}"}}'
        )
        record = NormalizedRecord(
            exchange_id=exec_id,
            timestamp_ms=when,
            kind=kind,
            base=base,
            quote="USDT" if trade and base != "USDT" else "",
            side=(Side.BUY if i % 2 else Side.SELL) if trade else Side.NONE,
            amount=qty,
            price=price if trade else "",
            fee="0.000000336" if trade else "",
            fee_currency=base if trade else "",
        )
        key_id = key_ids[1] if i % 10 == 0 else key_ids[0]
        yield transaction_values(key_id, "spot", "execution_spot", exec_id, record, "api", raw, stamp)


def fill(path: Path, count: int) -> tuple[int, int]:
    store = Store(path)  # the schema, migrated
    main = store.add_key(NewKey("bybit", "Main", "global", ("spot",)))
    bot = store.add_key(NewKey("bybit", "Bot", "global", ("spot",), subaccount="bot1"))
    # The rows are synthetic: the service must not re-derive them from their raw JSON at start.
    store.set_setting("normalizer_version.bybit", str(venue("bybit").normalizer_version))
    store.close()
    connection = sqlite3.connect(path, isolation_level=None)
    rows = _rows(count, (main, bot))
    first = next(rows)
    columns = list(first)
    statement = (
        f"INSERT INTO transactions ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    )
    connection.execute("BEGIN")
    connection.execute(statement, first)
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 50_000:
            connection.executemany(statement, batch)
            batch.clear()
    connection.executemany(statement, batch)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    return main, bot


def table_scene(heartbeat: Heartbeat, tmp: Path, count: int) -> list[str]:
    path = tmp / "million.db"
    started = time.perf_counter()
    _main, bot = fill(path, count)
    # The filled file (~700 MB) is still being written to disk by the system meanwhile, whose
    # threads then take the CPUs the window needs: the setup's doing, not the app's.
    os.sync()
    lines = [f"filled {count} rows in {time.perf_counter() - started:.0f} s"]
    store = Store(path)
    service = AppService(store, SecretStore(MemoryKeyring()))
    window = make_window(store, service, tmp)
    view = window.transactions
    undo = tune_runtime()
    try:
        heartbeat.step = "open the Transactions tab"
        heartbeat.start()
        _spin(0.1)
        started = time.perf_counter()
        window.show_transactions(None)
        rows_s = wait_until(lambda: not view.model.is_loading() and view.model.rowCount() > 0, 60)
        wait_until(lambda: not view.is_busy(), 60)
        lines.append(
            f"Transactions tab on {count} rows: first rows {rows_s * 1000:.0f} ms, "
            f"count shown {(time.perf_counter() - started) * 1000:.0f} ms ({view.count_label.text()})"
        )
        first_day = QDateTime.fromMSecsSinceEpoch(BASE_MS + count * 500).date()

        def asset(text: str) -> None:
            view.asset_edit.setText(text)
            view.asset_edit.returnPressed.emit()

        def dates(on: bool) -> None:
            view.from_date.setDate(first_day)
            view.to_date.setDate(first_day.addDays(2))
            view.from_check.setChecked(on)
            view.to_check.setChecked(on)

        def scroll() -> None:
            bar = view.table.verticalScrollBar()
            for _ in range(4):
                bar.setValue(bar.maximum())
                wait_until(lambda: not view.model.is_loading(), 60)
                _spin(0.05)

        steps: list[tuple[str, Callable[[], None]]] = [
            ("asset MNT (rare)", lambda: asset("MNT")),
            ("asset BTC (common)", lambda: asset("BTC")),
            ("asset cleared", lambda: asset("")),
            ("kind Interest", lambda: view.kind_combo.setCurrentIndex(view.kind_combo.findData("interest"))),
            ("kind Trade", lambda: view.kind_combo.setCurrentIndex(view.kind_combo.findData("trade"))),
            ("all kinds", lambda: view.kind_combo.setCurrentIndex(0)),
            ("key Bot", lambda: view.set_key_filter(bot)),
            ("all keys", lambda: view.set_key_filter(None)),
            ("dates: 3 days", lambda: dates(True)),
            ("no dates", lambda: dates(False)),
            (
                "oldest first",
                lambda: view.table.horizontalHeader().setSortIndicator(
                    Column.TIME, Qt.SortOrder.AscendingOrder
                ),
            ),
            (
                "newest first",
                lambda: view.table.horizontalHeader().setSortIndicator(
                    Column.TIME, Qt.SortOrder.DescendingOrder
                ),
            ),
            ("scroll 4 pages", scroll),
        ]
        for name, action in steps:
            heartbeat.step = name
            started = time.perf_counter()
            action()
            wait_until(lambda: not view.is_busy(), 120)
            lines.append(
                f"  {name}: {(time.perf_counter() - started) * 1000:.0f} ms ({view.count_label.text()})"
            )
        _spin(0.1)
        heartbeat.stop()
    finally:
        undo()
        window.controller.shutdown()
        window.close()
        store.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-sync", action="store_true")
    parser.add_argument("--skip-table", action="store_true")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    configure_application(app)
    worst = worst_own = 0.0
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        parts: list[tuple[str, Callable[[Heartbeat], list[str]]]] = []
        if not args.skip_sync:
            parts.append(("whole medium sync", lambda hb: [sync_scene(hb, tmp)]))
        if not args.skip_table:
            parts.append((f"{args.rows} transactions", lambda hb: table_scene(hb, tmp, args.rows)))
        for title, run in parts:
            heartbeat = Heartbeat()
            lines = run(heartbeat)
            worst = max(worst, heartbeat.longest())
            worst_own = max(worst_own, heartbeat.longest_own())
            print(
                f"{title}: longest gap {heartbeat.longest():.0f} ms over {len(heartbeat.gaps)} ticks "
                f"({heartbeat.longest_own():.0f} ms less our threads' wait for a CPU)"
            )
            for line in lines:
                print(f"  {line}")
            for gap in heartbeat.worst():
                print(
                    f"  gap {gap.ms:.0f} ms ({gap.queued_ms:.0f} ms queued for a CPU) during "
                    f"{gap.step!r}: {gap.where or '<event loop>'}"
                )
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"heartbeat max gap less our threads' wait for a CPU: {worst_own:.0f} ms")
    print(f"heartbeat max gap {worst:.0f} ms")


if __name__ == "__main__":
    main()
