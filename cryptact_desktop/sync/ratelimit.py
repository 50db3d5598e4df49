"""Client-side rate limiting: never send what the exchange would refuse.

A :class:`RollingWindowLimiter` allows at most ``limit`` requests (or weight units, where a venue
charges a cost per request) in any ``per_seconds`` window (Bybit's per-UID, per-endpoint rolling
window; Binance's weight per minute), measured on send times with a small safety margin for network
jitter. The exchange's own limit headers tighten it at run time: the advertised limit
replaces the catalogue default, and an exhausted or exceeded limit blocks every stream that
shares it until the exchange's reset time.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from cryptact_desktop.errors import FailureKind, SyncFailure, describe

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
        # Jitter margin: the exchange counts arrival times, we count send times.
        self.margin = self.base_margin = 0.025 + 0.02 * per_seconds
        self._since_refusal = 0
        self._clock = clock
        self._sent: deque[tuple[float, int]] = deque()  # (send time, cost)
        self._used = 0  # the sum of the costs in ``_sent``
        self._blocked_until = 0.0
        self._lock = threading.Lock()

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
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                delay = self._delay_locked(now, cost)
                if delay <= 0:
                    self._sent.append((now, max(1, cost)))
                    self._used += max(1, cost)
                    self._since_refusal += 1
                    if self._since_refusal >= self.limit and self.margin > self.base_margin:
                        # A full window's worth went through unrefused: give back a little of
                        # the margin a refusal added (a network's jitter comes and goes).
                        self.margin = max(self.base_margin, self.margin * 0.9)
                        self._since_refusal = 0
                    return waited
            interruptible_sleep(min(delay, 1.0), should_stop, exchange=exchange)
            waited += min(delay, 1.0)

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
        """
        with self._lock:
            self._blocked_until = max(self._blocked_until, when)
            self.margin = min(self.margin * 1.25 + 0.01, MAX_MARGIN_SHARE * self.per_seconds)
            self._since_refusal = 0


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


_shared: dict[tuple[str, int, float], RollingWindowLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(scope: str, limit: int, per_seconds: float) -> RollingWindowLimiter:
    """A process-wide limiter (e.g. an exchange's per-IP limit, shared by every key's sync)."""
    with _shared_lock:
        key = (scope, limit, per_seconds)
        limiter = _shared.get(key)
        if limiter is None:
            limiter = RollingWindowLimiter(limit, per_seconds)
            _shared[key] = limiter
        return limiter
