from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cryptact_desktop.errors import FailureKind, SyncFailure
from cryptact_desktop.sync.ratelimit import RollingWindowLimiter


class FakeClock:
    """A manual monotonic clock (the limiter's own time source, not a mock of our code)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_never_more_than_limit_in_any_window() -> None:
    clock = FakeClock()
    limiter = RollingWindowLimiter(3, 1.0, clock=clock)
    for _ in range(3):
        assert limiter.acquire(lambda: False) == 0.0
    with limiter._lock:  # the fourth must wait a whole window plus the jitter margin
        delay = limiter._delay_locked(clock.now)
    assert delay == pytest.approx(1.0 + limiter.margin)
    clock.now += delay
    assert limiter.acquire(lambda: False) == 0.0


def test_headers_tighten_the_limit_and_refusals_widen_the_margin() -> None:
    clock = FakeClock()
    limiter = RollingWindowLimiter(50, 1.0, clock=clock)
    limiter.observe(limit=10, remaining=9, reset_at=None)
    assert limiter.limit == 10
    limiter.observe(limit=10, remaining=0, reset_at=clock.now + 0.4)
    with limiter._lock:
        assert limiter._delay_locked(clock.now) == pytest.approx(0.4)
    margin = limiter.margin
    limiter.block_until(clock.now + 1)
    assert limiter.margin > margin
    widened = limiter.margin
    # More refusals within the same window: requests already on their way, one event.
    for _ in range(20):
        clock.now += 0.01
        limiter.block_until(clock.now + 1)
    assert limiter.margin == widened
    for _ in range(20):  # one refusal per window, twenty windows in a row: up to the cap
        clock.now += 1.0
        limiter.block_until(clock.now + 1)
    assert limiter.margin == pytest.approx(0.1)


def test_threads_waiting_at_once_never_exceed_the_limit_nor_go_during_a_block() -> None:
    # Threads waiting on one limit at once: never more than the limit in any window, none let go
    # before its time, none during a refusal's block that came while they waited; a cancelled
    # wait leaves nothing counted.
    booked: list[float] = []
    early: list[float] = []
    lock = threading.Lock()

    class Recording(RollingWindowLimiter):
        def _acquire(
            self, should_stop: Callable[[], bool], exchange: str, cost: int
        ) -> tuple[float, tuple[float, int]]:
            waited, entry = super()._acquire(should_stop, exchange, cost)
            with lock:
                booked.append(entry[0])
                if time.monotonic() < entry[0]:
                    early.append(entry[0])  # let go before its time
            return waited, entry

    limiter = Recording(20, 0.2)
    threads = [
        threading.Thread(target=lambda: [limiter.acquire(lambda: False) for _ in range(10)]) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    limiter.block_until(time.monotonic() + 0.3)  # a refusal while most are booked and waiting
    refused_at = time.monotonic()
    for thread in threads:
        thread.join()
    assert len(booked) == 80
    assert early == []
    times = sorted(booked)
    window = 0.2 + limiter.base_margin
    for i, sent_at in enumerate(times):
        assert sum(1 for t in times[: i + 1] if t > sent_at - window) <= 20
    assert all(not refused_at <= t < refused_at + 0.3 - 0.01 for t in times)
    # A cancelled wait counts nothing.
    while limiter.try_acquire():
        pass
    used = limiter._used
    with pytest.raises(SyncFailure):
        limiter.acquire(lambda: True)
    assert limiter._used == used


def test_waiting_can_be_cancelled() -> None:
    limiter = RollingWindowLimiter(1, 60.0)
    limiter.acquire(lambda: False)
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    with pytest.raises(SyncFailure) as info:
        limiter.acquire(stop.is_set)
    assert info.value.kind is FailureKind.CANCELLED


def test_a_shared_file_budget_is_one_budget_for_every_user_of_the_file(tmp_path: Path) -> None:
    from cryptact_desktop.sync.ratelimit import SharedFileLimiter

    clock = FakeClock()
    path = tmp_path / "locks" / "ratelimit-ip.log"
    path.parent.mkdir()
    window = SharedFileLimiter(path, 3, 1.0, clock=clock)  # e.g. the app's window
    cron = SharedFileLimiter(path, 3, 1.0, clock=clock)  # and a cron sync, another process
    for limiter in (window, cron, window):
        assert limiter.acquire(lambda: False) == 0.0
    with cron._file:
        assert cron._try_take(1) == pytest.approx(1.0 + cron.margin)
    clock.now += 1.0 + cron.margin
    assert cron.acquire(lambda: False) == 0.0
    clock.now -= 3600  # the clock was set back an hour: old sends must not block for an hour
    assert window.acquire(lambda: False) == 0.0


def test_a_full_shared_budget_is_known_full_until_room_comes_without_reading_the_file(
    tmp_path: Path,
) -> None:
    # Other processes only take from the budget: once the file said "no room until T", asking
    # again before T has the same answer, and the file is neither read nor rewritten for it.
    from cryptact_desktop.sync.ratelimit import SharedFileLimiter

    clock = FakeClock()
    path = tmp_path / "budget.log"
    window = SharedFileLimiter(path, 2, 1.0, clock=clock)
    cron = SharedFileLimiter(path, 2, 1.0, clock=clock)
    assert window.try_acquire() and window.try_acquire()
    assert not cron.try_acquire()  # read the file: full
    written = path.read_bytes()
    path.write_text("garbage that reads as an empty budget\n")  # a read now would find room
    clock.now += 0.5
    assert not cron.try_acquire()  # known full: the file was not read
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    with pytest.raises(SyncFailure):  # acquire waits for the same reason, without the file
        cron.acquire(stop.is_set)
    path.write_bytes(written)
    clock.now += 0.5 + cron.margin + 0.01  # the window has passed: room, found in the file
    assert cron.try_acquire() and cron.try_acquire()
    assert not cron.try_acquire()  # full again, known until the window passes
    clock.now -= 3600  # the clock was set back: what was known no longer applies
    assert cron.try_acquire()


def test_an_unusable_budget_file_falls_back_to_this_process(tmp_path: Path) -> None:
    from cryptact_desktop.sync.ratelimit import SharedFileLimiter

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    limiter = SharedFileLimiter(blocker / "ratelimit.log", 2, 60.0)
    assert limiter.acquire(lambda: False) == 0.0
    assert limiter.acquire(lambda: False) == 0.0
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    with pytest.raises(SyncFailure):  # the third waits (for the process's own budget)
        limiter.acquire(stop.is_set)


def test_a_shared_budget_learns_the_venues_own_count(tmp_path: Path) -> None:
    """A weight header saying more was used than the shared file holds (another program on this
    computer) slows every process down, as it does a per-process limiter."""
    from cryptact_desktop.sync.ratelimit import SharedFileLimiter

    now = [1000.0]
    limiter = SharedFileLimiter(tmp_path / "budget.log", 10, 60.0, clock=lambda: now[0])
    assert limiter.acquire(lambda: False, cost=2) == 0
    limiter.observe_used(9)  # the venue counted 9: 7 from someone else
    other = SharedFileLimiter(tmp_path / "budget.log", 10, 60.0, clock=lambda: now[0])
    lines = (tmp_path / "budget.log").read_text().split("\n")
    assert sum(int(line.split()[1]) for line in lines if line) == 9
    waited: list[float] = []

    def stop() -> bool:
        now[0] += 61.5  # time passes while the limiter sleeps (never cancels)
        waited.append(now[0])
        return False

    other.acquire(stop, cost=2)  # 9 + 2 > 10: it had to wait for the window to pass
    assert waited


def test_sends_taken_ahead_from_a_shared_budget_never_exceed_it_in_any_window(tmp_path: Path) -> None:
    """A busy process takes several sends of the file's current slice at once; another process
    uses the same file meanwhile. Whatever the interleaving, no window of the venue's length ever
    holds more real sends than the budget; the busy process touches the file far less often than
    once a send, and when demand exceeds the budget little of it is lost to sends taken ahead."""
    import random

    from cryptact_desktop.sync.ratelimit import SharedFileLimiter

    now = [5000.0]
    path = tmp_path / "budget.log"
    busy = SharedFileLimiter(path, 5000, 1.0, clock=lambda: now[0])
    quiet = SharedFileLimiter(path, 5000, 1.0, clock=lambda: now[0])
    sends: list[float] = []
    file_reads = 0

    def try_send(limiter: SharedFileLimiter) -> float:
        """acquire() without its sleep: the seconds it would wait (0: sent)."""
        nonlocal file_reads
        with limiter._thread_lock:
            if limiter._take_reserved(1):
                sends.append(now[0])
                return 0.0
            file_reads += limiter is busy
            with limiter._file:
                delay = limiter._try_take(1)
            if delay <= 0:
                sends.append(now[0])
            return delay

    rng = random.Random(7)

    def simulate(attempts: int, busy_gap: float) -> None:
        """Each process tries at its own pace (the quiet one a ninth as often) and, when told to
        wait, tries again exactly then."""
        due = {busy: now[0], quiet: now[0]}
        gap = {busy: busy_gap, quiet: busy_gap * 9}
        for _ in range(attempts):
            limiter = min(due, key=lambda lim: due[lim])
            now[0] = due[limiter]
            delay = try_send(limiter)
            due[limiter] = now[0] + (delay if delay > 0 else rng.random() * 2 * gap[limiter])

    simulate(6000, 1 / 1350)  # about 1,500 sends a second: under the budget
    assert len(sends) == 6000
    assert file_reads < len(sends) / 4
    before = len(sends)
    simulate(10_000, 1 / 18_000)  # four times the budget
    last_window = [t for t in sends[before:] if t > now[0] - 1.0 - busy.margin]
    assert len(last_window) >= 0.97 * 5000
    left = 0
    for right, sent_at in enumerate(sends):
        while sends[left] <= sent_at - 1.0:
            left += 1
        assert right - left + 1 <= 5000, f"{right - left + 1} sends within one second at {sent_at}"
    # What was taken ahead is only good until its slice ends (the file counts it as sent then).
    while not busy._reserved:
        now[0] += 0.0001
        try_send(busy)
    now[0] = busy._reserved_until
    assert not busy._take_reserved(1)


def test_a_send_held_back_by_the_per_ip_budget_counts_when_it_goes() -> None:
    """A stream's send that its own limit allowed but the venue's per-IP budget held back is
    counted on the stream's limit when it is really sent, not when it was allowed: otherwise the
    sends held back together reach the venue closer together than the stream's limit allows."""
    endpoint = RollingWindowLimiter(10, 1.0)
    per_ip = RollingWindowLimiter(1, 0.2)
    endpoint.acquire_then(per_ip, lambda: False)
    started = time.monotonic()
    waited = endpoint.acquire_then(per_ip, lambda: False)
    assert waited >= 0.2
    first, second = (sent_at for sent_at, _ in endpoint._sent)
    assert second - first >= 0.2
    assert second >= started + 0.2 - 0.01
    assert endpoint._used == 2


def test_a_send_counts_when_the_per_ip_budget_let_it_go_even_without_a_wait() -> None:
    """The per-IP budget's turn takes time of its own (a shared file; on a busy sync, a wait for
    the interpreter lock) without holding the send back: the send still counts from when it left
    it, so the venue, which counts arrivals, never sees more than the limit in a window."""
    clock = FakeClock()

    class SlowTurn:
        """A per-IP budget with room, whose turn takes 30 ms."""

        per_seconds = 1.0

        def acquire(self, should_stop: Callable[[], bool], *, exchange: str = "", cost: int = 1) -> float:
            clock.now += 0.030
            return 0.0

    endpoint = RollingWindowLimiter(2, 1.0, clock=clock)
    start = clock.now
    endpoint.acquire_then(SlowTurn(), lambda: False)  # allowed at +0 ms, let go at +30 ms
    endpoint.acquire_then(SlowTurn(), lambda: False)  # allowed at +30 ms, let go at +60 ms
    assert [sent_at - start for sent_at, _ in endpoint._sent] == pytest.approx([0.030, 0.060])
    assert endpoint._used == 2
    # The third may go once the first has left the window counted from +30 ms, not from +0.
    window = 1.0 + endpoint.margin
    assert endpoint._delay_locked(clock.now) == pytest.approx(start + 0.030 + window - clock.now)


@pytest.mark.parametrize("shared_file", [False, True])
def test_a_reserved_part_of_a_budget_is_taken_first_and_the_whole_never_exceeded(
    tmp_path: Path, shared_file: bool
) -> None:
    """The per-IP budget keeps room for a dense stream (a ledger): the other streams' first bursts
    cannot take it; the dense stream uses its part first, then the rest like any other."""
    from cryptact_desktop.sync.ratelimit import Limiter, ReservedFirst, SharedFileLimiter

    clock = FakeClock()

    def budget(name: str, limit: int) -> Limiter:
        if shared_file:
            return SharedFileLimiter(tmp_path / f"{name}.log", limit, 5.0, clock=clock)
        return RollingWindowLimiter(limit, 5.0, clock=clock)

    general = budget("general", 30)
    dense = ReservedFirst(budget("reserved", 10), general)
    assert all(general.try_acquire() for _ in range(30))  # the other streams' burst
    assert not general.try_acquire()
    assert all(dense.try_acquire() for _ in range(10))  # the dense stream still has its part
    assert not dense.try_acquire()  # and no more: 40 in the window, the whole budget
    clock.now += 5.0 + 0.2  # a window later everything has room again
    assert dense.acquire(lambda: False) == 0.0
    assert general.acquire(lambda: False) == 0.0


def test_bybits_transaction_log_has_its_rate_kept_in_the_per_ip_budget() -> None:
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.sync.ratelimit import ReservedFirst
    from cryptact_desktop.venues.bybit.connector import BybitConnector

    connector = BybitConnector(Credentials("K" * 18, "S" * 36), "http://127.0.0.1:9")
    dense = connector._dense_ip_limiter
    assert isinstance(dense, ReservedFirst)
    # Bybit: 600 per 5 s per IP, used to 90 %; the transaction log: 25 a second, 125 per 5 s.
    assert (dense.reserved.limit, dense.general.limit) == (125, 540 - 125)  # type: ignore[attr-defined]
    assert connector._ip_limiter is dense.general
    assert "transaction_log" in connector._dense_streams
    assert "execution_spot" not in connector._dense_streams
