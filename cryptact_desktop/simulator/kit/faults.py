"""Fault injection for a simulated venue.

A :class:`FaultPlan` is a list of :class:`Fault` rules checked in order for every request; the
first rule that fires decides what goes wrong with that request. Rules count the requests they
match, so ``at=(3,)`` hits the third matching request and ``every=5`` every fifth. Given the same
sequence of requests the same requests fail (probabilities use the plan's seeded RNG).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

FAULT_KINDS: frozenset[str] = frozenset(
    {
        "http_500",
        "http_502",
        "http_503",
        "http_429",
        "drop",  # close the TCP connection without any response
        "malformed_json",  # HTTP 200 with a truncated body
        "rate_limit_storm",  # the venue's rate-limit refusal with valid limit headers, reset ~1 s ahead
        "ret_code",  # the venue's error answer with the given code (Bybit retCode 10016, ...)
        "latency",  # sleep latency_ms, then answer normally
    }
)


@dataclass(frozen=True, slots=True)
class Fault:
    """One rule. ``path``: prefix of the request path ("" = every private endpoint).

    Which matching requests it hits: the 1-based indices in ``at``, every ``every``-th one,
    and/or each with ``probability``; with none of these set, every matching request. ``count``
    caps the total number of hits. ``latency_ms`` is slept before the fault (any kind).
    """

    path: str = ""
    kind: str = "http_500"
    every: int = 0
    at: tuple[int, ...] = ()
    count: int | None = None
    probability: float = 0.0
    latency_ms: int = 0
    ret_code: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {sorted(FAULT_KINDS)}")
        if self.kind == "ret_code" and self.ret_code == 0:
            raise ValueError("a 'ret_code' fault needs a non-zero ret_code")
        if self.every < 0 or (self.count is not None and self.count < 0):
            raise ValueError("every and count must not be negative")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")

    def matches(self, path: str, private: bool) -> bool:
        if self.path == "":
            return private
        return path.startswith(self.path)


@dataclass(slots=True)
class _RuleState:
    seen: int = 0
    hits: int = 0


@dataclass
class FaultPlan:
    """Rules plus their counters; replace a simulator's ``faults`` to start afresh."""

    rules: list[Fault] = field(default_factory=list)
    seed: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._state = [_RuleState() for _ in self.rules]
        self._lock = threading.Lock()

    def pick(self, path: str, private: bool) -> Fault | None:
        """Count this request against every matching rule; return the first rule that fires."""
        fired: Fault | None = None
        with self._lock:
            for rule, state in zip(self.rules, self._state, strict=True):
                if not rule.matches(path, private):
                    continue
                state.seen += 1
                if fired is not None:
                    continue
                if rule.count is not None and state.hits >= rule.count:
                    continue
                if self._hits(rule, state.seen):
                    state.hits += 1
                    fired = rule
        return fired

    def _hits(self, rule: Fault, n: int) -> bool:
        selective = bool(rule.at) or rule.every > 0 or rule.probability > 0.0
        if not selective:
            return True
        if n in rule.at:
            return True
        if rule.every > 0 and n % rule.every == 0:
            return True
        return rule.probability > 0.0 and self._rng.random() < rule.probability

    def hits(self) -> list[int]:
        """How many times each rule fired so far (same order as ``rules``)."""
        with self._lock:
            return [s.hits for s in self._state]
