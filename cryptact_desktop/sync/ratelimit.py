"""Client-side rate limiting: never send what the exchange would refuse.

A :class:`RollingWindowLimiter` allows at most ``limit`` requests (or weight units, where a venue
charges a cost per request) in any ``per_seconds`` window (an exchange's per-user, per-endpoint
rolling window, or a weight budget per minute), measured on send times with a small safety margin
for network jitter. The exchange's own limit headers tighten it at run time: the advertised limit
replaces the catalogue default, and an exhausted or exceeded limit blocks every stream that
shares it until the exchange's reset time.

A venue's per-IP limit is one budget for the whole computer: :class:`SharedFileLimiter` keeps it
in a file of the data directory's locks folder, so the app's window and a cron ``sync`` running
at the same time share it (:func:`share_across_processes`, set up by ``AppService``). Part of it
can be kept for the streams that need it from the first second to the last (:class:`ReservedFirst`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from cryptact_desktop.errors import FailureKind, SyncFailure, describe
from cryptact_desktop.sync.shared_file import SharedFile

log = logging.getLogger(__name__)

Clock = Callable[[], float]
ShouldStop = Callable[[], bool]

MAX_MARGIN_SHARE = 0.1  # the jitter margin never exceeds this share of the window
_POLL_SECONDS = 0.2  # how soon a cancel is noticed while waiting


def interruptible_sleep(seconds: float, should_stop: ShouldStop, *, exchange: str = "") -> None:
    """Sleep up to ``seconds``, raising a CANCELLED ``SyncFailure`` as soon as ``should_stop()``."""
    deadline = time.monotonic() + seconds
    while True:
        if should_stop():
            raise SyncFailure(describe(FailureKind.CANCELLED, exchange=exchange))
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(min(remaining, _POLL_SECONDS))


class RollingWindowLimiter:
    def __init__(self, limit: int, per_seconds: float, *, clock: Clock = time.monotonic) -> None:
        self.limit = max(1, limit)
        self.per_seconds = per_seconds
        # Jitter margin: the exchange counts arrival times, we count send times. 20 ms on a
        # one-second window (it was 45 ms; since the collector keeps out of a sync's way, a large
        # account's first sync at an exchange's real limits saw 2 refusals in 6,222 requests with
        # either); a refusal widens it (see block_until).
        self.margin = self.base_margin = 0.010 + 0.010 * per_seconds
        self._since_refusal = 0
        self._widened_at = -math.inf  # when a refusal last widened the margin
        self._clock = clock
        self._sent: deque[tuple[float, int]] = deque()  # (send time, cost)
        self._used = 0  # the sum of the costs in ``_sent``
        self._blocked_until = 0.0
        self._lock = threading.Lock()
        self._turn = threading.Lock()  # see acquire_then

    def _delay_locked(self, now: float, cost: int = 1) -> float:
        window = self.per_seconds + self.margin
        while self._sent and self._sent[0][0] <= now - window:
            self._used -= self._sent.popleft()[1]
        delay = max(0.0, self._blocked_until - now)
        cost = min(max(1, cost), self.limit)  # a request dearer than the whole budget waits for all of it
        excess = self._used + cost - self.limit
        if excess > 0:
            # Wait until the oldest sends worth ``excess`` have left the window.
            freed = 0
            for sent_at, sent_cost in self._sent:
                freed += sent_cost
                if freed >= excess:
                    delay = max(delay, sent_at + window - now)
                    break
        return delay

    def acquire(self, should_stop: ShouldStop, *, exchange: str = "", cost: int = 1) -> float:
        """Block until a request costing ``cost`` may be sent, record it, and return the seconds
        waited. (Venues that weigh requests give the budget in weight units.)"""
        return self._acquire(should_stop, exchange, cost)[0]

    def acquire_then(
        self, then: Limiter, should_stop: ShouldStop, *, exchange: str = "", cost: int = 1
    ) -> float:
        """Acquire a send on this limit, then on ``then`` (a wider budget such as the venue's
        per-IP limit), and return the seconds waited for both.

        A send recorded here and then held back by ``then`` would be counted earlier than it is
        sent: a stream's requests held back together would reach the venue closer together than
        this limit allows (a first sync refused dozens of times at the start). So one thread at a
        time goes through ``then``, and the send is recorded again when ``then`` lets it go: no
        other send of this limit was recorded meanwhile, so the window still has room. (Also when
        ``then`` did not hold it back: its turn at a shared file may have been a wait for the
        interpreter lock on a busy sync. Counted from before that, a ledger at ten times an
        exchange's limits, all its windows in flight, was refused about twice as often: 19 times a
        sync on average against 10, of 3,700 requests.)
        """
        with self._turn:
            waited, entry = self._acquire(should_stop, exchange, cost)
            later = then.acquire(should_stop, exchange=exchange, cost=cost)
            with self._lock:
                if self._sent and self._sent[-1] is entry:  # as a rule: nothing recorded since
                    self._sent[-1] = (self._clock(), entry[1])
                else:
                    try:
                        self._sent.remove(entry)
                    except ValueError:  # it has left the window meanwhile
                        self._used += entry[1]
                    self._sent.append((self._clock(), entry[1]))
            return waited + later

    def _acquire(self, should_stop: ShouldStop, exchange: str, cost: int) -> tuple[float, tuple[float, int]]:
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                delay = self._delay_locked(now, cost)
                if delay <= 0:
                    entry = (now, max(1, cost))
                    self._sent.append(entry)
                    self._used += entry[1]
                    self._since_refusal += 1
                    if self._since_refusal >= self.limit and self.margin > self.base_margin:
                        # A full window's worth went through unrefused: give back a little of
                        # the margin a refusal added (a network's jitter comes and goes).
                        self.margin = max(self.base_margin, self.margin * 0.9)
                        self._since_refusal = 0
                    return waited, entry
            interruptible_sleep(min(delay, 1.0), should_stop, exchange=exchange)
            waited += min(delay, 1.0)

    def try_acquire(self, cost: int = 1) -> bool:
        """Record a send of ``cost`` if there is room for it now; never waits."""
        with self._lock:
            now = self._clock()
            if self._delay_locked(now, cost) > 0:
                return False
            self._sent.append((now, max(1, cost)))
            self._used += max(1, cost)
            return True

    def observe(self, limit: int | None, remaining: int | None, reset_at: float | None) -> None:
        """Learn from the exchange's headers (``reset_at`` on this limiter's clock)."""
        with self._lock:
            if limit is not None and limit > 0 and limit != self.limit:
                self.limit = limit
            if remaining is not None and remaining <= 0 and reset_at is not None:
                self._blocked_until = max(self._blocked_until, reset_at)

    def observe_used(self, used: int) -> None:
        """The venue's own count of what the current window has used (a weight header). If it is
        more than ours (another program on this computer, or requests we did not count), the
        difference counts as sent now, so we slow down before the venue refuses."""
        with self._lock:
            now = self._clock()
            self._delay_locked(now)  # drop what has left the window
            extra = used - self._used
            if extra > 0:
                self._sent.append((now, extra))
                self._used += extra

    def block_until(self, when: float) -> None:
        """The exchange refused a request: nobody sends on this limit before ``when``.

        A refusal also means our jitter margin was too thin for this network (the exchange
        counts arrival times, we count send times): widen it a little, up to a tenth of the
        window. (A quarter cut the transaction log's throughput by 20 % on a large account; a
        tenth keeps refusals to ~1 % of requests and costs at most 9 %.) Each full window sent
        without a refusal gives a tenth of the added margin back.

        The refusals that come within one window of a widening are one event: requests already on
        their way when the first refusal came back (at ten times an exchange's limits, 30 refusals in
        0.3 s once widened a ledger stream's margin to the cap, which then took 15 s to give
        back: 9 % fewer requests for most of the sync).
        """
        with self._lock:
            self._blocked_until = max(self._blocked_until, when)
            self._since_refusal = 0
            now = self._clock()
            if now < self._widened_at + self.per_seconds:
                return
            self._widened_at = now
            self.margin = min(self.margin * 1.25 + 0.01, MAX_MARGIN_SHARE * self.per_seconds)


class LimiterRegistry:
    """The limiters of one key (rate limits are per user id)."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._limiters: dict[str, RollingWindowLimiter] = {}
        self._lock = threading.Lock()

    def get(self, name: str, limit: int, per_seconds: float) -> RollingWindowLimiter:
        with self._lock:
            limiter = self._limiters.get(name)
            if limiter is None:
                limiter = RollingWindowLimiter(limit, per_seconds, clock=self._clock)
                self._limiters[name] = limiter
            return limiter


class Limiter(Protocol):
    """What the request loop needs of a limiter: wait for room, and learn from refusals."""

    per_seconds: float

    def acquire(self, should_stop: ShouldStop, *, exchange: str = "", cost: int = 1) -> float: ...

    def try_acquire(self, cost: int = 1) -> bool: ...

    def block_until(self, when: float) -> None: ...

    def observe_used(self, used: int) -> None: ...


class SharedFileLimiter:
    """A rolling-window budget shared by every process on this computer that uses ``path``.

    The sends of the window (wall-clock time and cost, one line each) live in ``path``; each
    acquire reads them, drops what has left the window, and appends its own send, all under an
    exclusive lock of this computer (:class:`SharedFile`: the file stays open, a turn at it is a few
    system calls), so the app's window and a cron ``sync`` together never exceed the budget.
    ``block_until`` is shared the same way (on this limiter's clock, the wall clock). Within a
    process a thread lock keeps the threads from polling the file lock.

    Sends are recorded per slice of 1/100 of the window, as sent at the slice's end. A busy process
    therefore takes a few sends of the current slice at once (about as many as it used in the slice
    before, at most 2 % of the budget) and hands them to its threads without touching the file
    until the slice ends: what the file records is still never earlier than the real sends, and
    a sync at ten times an exchange's limits no longer spends a sixth of its time on the file.

    If the file cannot be used (a read-only data folder), the limiter falls back to a budget of
    this process alone and says so in the log, rather than failing the sync.
    """

    POLL_SECONDS = 0.002  # how often a process waiting for another's file lock tries again
    _CLOCK_JUMP_S = 5.0  # sends "in the future" by more than this: the clock was set back

    def __init__(self, path: Path, limit: int, per_seconds: float, *, clock: Clock = time.time) -> None:
        self.path = path
        self.limit = max(1, limit)
        self.per_seconds = per_seconds
        # Arrival vs send times, wider than a stream limit's: a venue may ban an address that
        # goes over its per-IP limit for minutes.
        self.margin = 0.025 + 0.02 * per_seconds
        self._slice = per_seconds / 100
        self._clock = clock
        self._file = SharedFile(path, poll_seconds=self.POLL_SECONDS)
        self._thread_lock = threading.Lock()
        self._fallback: RollingWindowLimiter | None = None
        # Sends taken from the file ahead of use: ``_reserved`` cost units, valid until the end of
        # the slice they were recorded in (``_reserved_until``). How many to take: what this
        # process used in the slice before, less what it used in this one so far.
        self._reserved = 0
        self._reserved_until = 0.0
        self._slice_end = 0.0
        self._used_in_slice = 0
        self._used_in_last_slice = 0
        self._max_ahead = max(1, self.limit // 50)
        # (checked at, room at, cost): the file had no room for a send of this cost (or more) until
        # "room at". Other processes only ever take from the budget, so until then the answer is
        # known without the file (a dense stream whose reserved part is full asked it, and wrote
        # it, for every request). Used only while the clock reads between the two times.
        self._no_room: tuple[float, float, int] | None = None

    def _read(self) -> tuple[list[tuple[float, int]], float]:
        """(sends, blocked until) from the file; lines that cannot be read are dropped."""
        text = self._file.read().decode("ascii", errors="replace")
        sends: list[tuple[float, int]] = []
        blocked = 0.0
        for line in text.splitlines():
            parts = line.split()
            try:
                if len(parts) == 2 and parts[0] == "blocked":
                    blocked = float(parts[1])
                elif len(parts) == 2:
                    sends.append((float(parts[0]), int(parts[1])))
            except ValueError:
                continue
        return sends, blocked

    def _write(self, sends: list[tuple[float, int]], blocked: float) -> None:
        lines = [f"{t:.6f} {c}" for t, c in sends]
        if blocked:
            lines.append(f"blocked {blocked:.6f}")
        self._file.write(("\n".join(lines) + "\n").encode("ascii"))

    def _count_use(self, cost: int, now: float) -> None:
        """Count a send of this process in its slice (the demand that sizes the next take)."""
        if now >= self._slice_end:
            ended = self._slice_end
            self._slice_end = math.floor(now / self._slice) * self._slice + self._slice
            self._used_in_last_slice = self._used_in_slice if now < ended + self._slice else 0
            self._used_in_slice = 0
        self._used_in_slice += cost

    def _known_full(self, cost: int) -> float:
        """Seconds until a send of ``cost`` may fit, known without the file (0: ask the file).
        Thread lock held."""
        if self._no_room is None:
            return 0.0
        checked, room_at, least = self._no_room
        now = self._clock()
        if cost >= least and checked <= now < room_at:
            return room_at - now
        return 0.0

    def _take_reserved(self, cost: int) -> bool:
        """Use ``cost`` of the sends taken ahead, if they are still valid. Thread lock held."""
        now = self._clock()
        if self._reserved >= cost and now < self._reserved_until:
            self._reserved -= cost
            self._count_use(cost, now)
            return True
        self._reserved = 0
        return False

    def _try_take(self, cost: int) -> float:
        """Record a send of ``cost`` if there is room now (returns 0), else the seconds to wait.
        File lock held."""
        now = self._clock()
        window = self.per_seconds + self.margin
        sends, blocked = self._read()
        sends = sorted((t, c) for t, c in sends if now - window < t <= now + self._CLOCK_JUMP_S)
        if blocked > now + self._CLOCK_JUMP_S + self.per_seconds * 60:
            blocked = 0.0  # written before the clock was set back a long way
        delay = max(0.0, blocked - now) if blocked else 0.0
        cost = min(max(1, cost), self.limit)
        excess = sum(c for _, c in sends) + cost - self.limit
        if excess > 0:
            freed = 0
            for sent_at, sent_cost in sends:
                freed += sent_cost
                if freed >= excess:
                    delay = max(delay, sent_at + window - now)
                    break
        if delay > 0:
            self._no_room = (now, now + delay, cost)
            return delay  # nothing to record: the file stays as it is
        self._no_room = None
        # Sends are kept per slice of 1/100 of the window, each counted as sent at the end of
        # its slice (so leaving the window a little later than it did): the file stays at
        # most ~100 lines however fast requests go, at a cost of at most 1 % of the budget.
        stamp = math.ceil(now / self._slice) * self._slice
        self._count_use(cost, now)
        # The sends this process will likely make before the slice ends, at last slice's pace.
        expected = int(self._used_in_last_slice * (stamp - now) / self._slice)
        ahead = max(0, min(-excess, expected, self._max_ahead))  # -excess: room after this send
        self._reserved, self._reserved_until = ahead, stamp
        cost += ahead
        if sends and abs(sends[-1][0] - stamp) < self._slice / 2:  # the same slice
            sends[-1] = (stamp, sends[-1][1] + cost)
        else:
            sends.append((stamp, cost))
        self._write(sends, blocked if blocked > now else 0.0)
        return 0.0

    def _local(self) -> RollingWindowLimiter:
        if self._fallback is None:
            log.warning("rate limit file %s cannot be used: this process keeps its own budget", self.path)
            self._fallback = RollingWindowLimiter(self.limit, self.per_seconds)
        return self._fallback

    def acquire(self, should_stop: ShouldStop, *, exchange: str = "", cost: int = 1) -> float:
        """Block until a request costing ``cost`` may be sent by this computer, record it, and
        return the seconds waited."""
        if self._fallback is not None:
            return self._fallback.acquire(should_stop, exchange=exchange, cost=cost)
        waited = 0.0
        while True:
            if should_stop():
                raise SyncFailure(describe(FailureKind.CANCELLED, exchange=exchange))
            try:
                delay = self._attempt(cost)
            except OSError:
                return waited + self._local().acquire(should_stop, exchange=exchange, cost=cost)
            if delay <= 0:
                return waited
            interruptible_sleep(min(delay, 1.0), should_stop, exchange=exchange)
            waited += min(delay, 1.0)

    def try_acquire(self, cost: int = 1) -> bool:
        """Record a send of ``cost`` by this computer if there is room for it now; never waits."""
        if self._fallback is not None:
            return self._fallback.try_acquire(cost)
        try:
            return self._attempt(cost) <= 0
        except OSError:
            return self._local().try_acquire(cost)

    def _attempt(self, cost: int) -> float:
        """One try at a send of ``cost``: from what was taken ahead, else (unless the budget is known
        full) from the file. Returns 0 if it was recorded, else the seconds to wait."""
        with self._thread_lock:
            if self._take_reserved(cost):
                return 0.0
            delay = self._known_full(cost)
            if delay > 0:
                return delay
            with self._file:
                return self._try_take(cost)

    def observe_used(self, used: int) -> None:
        """The venue's own count of the current window (a weight header); more than the file
        holds (a program that is not this app) counts as sent now, as in RollingWindowLimiter."""
        if self._fallback is not None:
            self._fallback.observe_used(used)
            return
        try:
            with self._thread_lock, self._file:
                now = self._clock()
                window = self.per_seconds + self.margin
                sends, blocked = self._read()
                sends = sorted((t, c) for t, c in sends if now - window < t <= now + self._CLOCK_JUMP_S)
                extra = used - sum(c for _, c in sends)
                if extra > 0:
                    sends.append((now, extra))
                    self._write(sends, blocked if blocked > now else 0.0)
        except OSError:
            self._local().observe_used(used)

    def block_until(self, when: float) -> None:
        """Nobody on this computer sends on this budget before ``when`` (``time.monotonic()``
        seconds, like every limiter's caller uses)."""
        until = self._clock() + max(0.0, when - time.monotonic())
        try:
            with self._thread_lock, self._file:
                self._reserved = 0  # the venue said stop: nothing taken ahead is sent
                sends, blocked = self._read()
                self._write(sends, max(blocked, until))
        except OSError:
            self._local().block_until(when)


class ReservedFirst:
    """A budget split in two: a part reserved for some requests and the rest for every request.
    The reserved requests take from their part while it has room, then from the rest like any
    other; the two parts together never allow more than the whole."""

    def __init__(self, reserved: Limiter, general: Limiter) -> None:
        self.reserved = reserved
        self.general = general
        self.per_seconds = general.per_seconds

    def acquire(self, should_stop: ShouldStop, *, exchange: str = "", cost: int = 1) -> float:
        if self.reserved.try_acquire(cost):
            return 0.0
        return self.general.acquire(should_stop, exchange=exchange, cost=cost)

    def try_acquire(self, cost: int = 1) -> bool:
        return self.reserved.try_acquire(cost) or self.general.try_acquire(cost)

    def block_until(self, when: float) -> None:
        self.reserved.block_until(when)
        self.general.block_until(when)

    def observe_used(self, used: int) -> None:
        self.general.observe_used(used)


_shared: dict[tuple[str, int, float], Limiter] = {}
_shared_lock = threading.Lock()
_shared_directory: Path | None = None


def share_across_processes(directory: Path | None) -> None:
    """Keep the budgets of :func:`shared_limiter` in ``directory`` (the data directory's locks
    folder), so that every process of the app using it shares them; None: this process only."""
    global _shared_directory
    with _shared_lock:
        _shared_directory = directory


def shared_limiter(scope: str, limit: int, per_seconds: float) -> Limiter:
    """A limiter shared by every key's sync (e.g. an exchange's per-IP limit): across the
    processes of the app when :func:`share_across_processes` named a folder, else in this process."""
    with _shared_lock:
        directory = _shared_directory
        # One limiter per budget in this process, whatever data directory is in use; across
        # processes, through the file of the directory in use when it was first needed.
        key = (scope, limit, per_seconds)
        limiter = _shared.get(key)
        if limiter is None:
            if directory is None:
                limiter = RollingWindowLimiter(limit, per_seconds)
            else:
                name = hashlib.sha256(scope.encode("utf-8")).hexdigest()[:20]
                try:
                    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                except OSError:
                    log.warning("cannot create %s: rate limits are kept per process", directory)
                limiter = SharedFileLimiter(directory / f"ratelimit-{name}.log", limit, per_seconds)
            _shared[key] = limiter
        return limiter
