"""Rolling-window counters for a simulator's rate limits (per key, per path, per IP)."""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Hashable


class RollingCounter:
    """Counts weights per key over a rolling window; refused requests are not counted.

    Not thread-safe by itself: the simulator calls it under its own lock.
    """

    def __init__(self) -> None:
        self._hits: dict[Hashable, deque[tuple[float, int]]] = {}
        self._used: dict[Hashable, int] = {}

    def used(self, key: Hashable, window: float, now: float) -> int:
        """The weight counted for ``key`` in the window ending ``now``."""
        self._expire(key, window, now)
        return self._used.get(key, 0)

    def _expire(self, key: Hashable, window: float, now: float) -> deque[tuple[float, int]]:
        q = self._hits.setdefault(key, deque())
        while q and q[0][0] <= now - window:
            self._used[key] = self._used.get(key, 0) - q.popleft()[1]
        return q

    def check(
        self, key: Hashable, limit: int, window: float, now: float, take: bool, cost: int = 1
    ) -> tuple[bool, int, float]:
        """(allowed, remaining after this request, monotonic reset time). ``take`` counts it."""
        q = self._expire(key, window, now)
        used = self._used.get(key, 0)
        if used + cost > limit:
            return False, max(0, limit - used), (q[0][0] + window if q else now)
        if not take:
            return True, limit - used, now
        if q and q[-1][0] > now:  # counted by another thread a moment ago, but arrived later
            bisect.insort(q, (now, cost))
        else:
            q.append((now, cost))
        used += cost
        self._used[key] = used
        remaining = limit - used
        return True, remaining, (q[0][0] + window if remaining == 0 else now)
