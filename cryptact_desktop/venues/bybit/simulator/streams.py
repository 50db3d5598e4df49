"""Stream ids of the simulated Bybit account and how each one is filtered by time.

Kept independent of ``cryptact_desktop.sync.catalogue`` on purpose: the simulator is a second,
separate reading of the Bybit documentation, so it cannot share the client's mistakes.
"""

from __future__ import annotations

DAY_MS = 86_400_000
HOUR_MS = 3_600_000

EXECUTION_CATEGORIES: tuple[str, ...] = ("spot", "linear", "inverse", "option")

STREAM_IDS: tuple[str, ...] = (
    "execution_spot",
    "execution_linear",
    "execution_inverse",
    "execution_option",
    "transaction_log",
    "deposit_onchain",
    "deposit_internal",
    "withdrawal",
    "transfer_internal",
    "transfer_universal",
    "convert",
    "earn_yield_flexible",
    "earn_order_flexible",
)

# How far back the API serves each stream (None: no documented limit, everything is served).
DEPTH_DAYS: dict[str, int | None] = {
    "execution_spot": 730,
    "execution_linear": 730,
    "execution_inverse": 730,
    "execution_option": 730,
    "transaction_log": 730,
    "deposit_onchain": None,
    "deposit_internal": None,
    "withdrawal": None,
    "transfer_internal": 730,
    "transfer_universal": 730,
    "convert": None,
    "earn_yield_flexible": 90,
    "earn_order_flexible": 730,
}

# The record field each endpoint filters and sorts on, and its unit (multiplier to milliseconds).
TIME_FIELD: dict[str, tuple[str, int]] = {
    "execution_spot": ("execTime", 1),
    "execution_linear": ("execTime", 1),
    "execution_inverse": ("execTime", 1),
    "execution_option": ("execTime", 1),
    "transaction_log": ("transactionTime", 1),
    "deposit_onchain": ("successAt", 1),
    "deposit_internal": ("createdTime", 1000),
    "withdrawal": ("createTime", 1),
    "transfer_internal": ("timestamp", 1),
    "transfer_universal": ("timestamp", 1),
    "convert": ("createdAt", 1),
    "earn_yield_flexible": ("createdAt", 1),
    "earn_order_flexible": ("createdAt", 1),
}

# Streams whose endpoint applies startTime/endTime per whole second (docs: "effective based on
# second level"); their records carry whole-second times.
SECOND_GRANULAR: frozenset[str] = frozenset(
    {"deposit_onchain", "deposit_internal", "withdrawal", "transfer_internal", "transfer_universal"}
)

# Streams without any time filter (paged newest first by page number).
UNWINDOWED: frozenset[str] = frozenset({"convert"})
