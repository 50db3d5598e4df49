from __future__ import annotations

import threading
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
    for _ in range(20):
        limiter.block_until(clock.now + 1)
    assert limiter.margin == pytest.approx(0.1)


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
    with cron._file_lock:
        assert cron._try_take(1) == pytest.approx(1.0 + cron.margin)
    clock.now += 1.0 + cron.margin
    assert cron.acquire(lambda: False) == 0.0
    clock.now -= 3600  # the clock was set back an hour: old sends must not block for an hour
    assert window.acquire(lambda: False) == 0.0


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
