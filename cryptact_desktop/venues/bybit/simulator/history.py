"""Seeded simulated Bybit accounts: every record the API holds, plus what it can still serve.

``generate_account`` builds the full history of one UID (the ground truth); the server serves it
window by window. Records are kept sorted newest first (time descending, then by an internal
serial number for equal times) so paging is position based and stable across pages.
"""

from __future__ import annotations

import bisect
import gc
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .builders import Builders, Record, Row
from .generator import Generator
from .streams import DAY_MS, DEPTH_DAYS, STREAM_IDS, TIME_FIELD

__all__ = ["STREAM_IDS", "SharedWithdrawal", "SimAccount", "StreamData", "generate_account"]


@dataclass(frozen=True, slots=True)
class SharedWithdrawal:
    """A successful on-chain withdrawal another simulator also knows (the user's own wallet receives
    it): its tx hash, amount and time are given, so both sides of the transfer agree."""

    coin: str
    chain: str
    amount: str
    fee: str
    tx_id: str
    to_address: str
    time_ms: int
    withdraw_id: str


def _shared_row(item: SharedWithdrawal, serial: int) -> tuple[int, int, dict[str, Any]]:
    t = item.time_ms - item.time_ms % 1000
    return (
        t,
        serial,
        {
            "coin": item.coin,
            "chain": item.chain,
            "amount": item.amount,
            "txID": item.tx_id,
            "status": "success",
            "toAddress": item.to_address,
            "tag": "",
            "withdrawFee": item.fee,
            "createTime": str(t),
            "updateTime": str(t + 60_000),
            "withdrawId": item.withdraw_id,
            "withdrawType": 0,
            "fee": "",
            "tax": "",
            "taxRate": "",
            "taxType": "",
        },
    )


class StreamData:
    """One stream's rows, newest first, with a bisectable index of negated times."""

    __slots__ = ("_build", "_neg_times", "_rows", "stream_id")

    def __init__(self, stream_id: str, rows: list[Row], build: Callable[[Row], Record]) -> None:
        self.stream_id = stream_id
        self._rows = rows
        self._neg_times = array("q", [-r[0] for r in rows])
        self._build = build

    def __len__(self) -> int:
        return len(self._rows)

    def span(self, lo_ms: int, hi_ms: int) -> tuple[int, int]:
        """Positions [i, j) of the records with ``lo_ms <= time <= hi_ms``."""
        return bisect.bisect_left(self._neg_times, -hi_ms), bisect.bisect_right(self._neg_times, -lo_ms)

    def time_at(self, i: int) -> int:
        return int(self._rows[i][0])

    def build(self, i: int) -> Record:
        return self._build(self._rows[i])

    def build_range(self, i: int, j: int) -> list[Record]:
        b = self._build
        return [b(r) for r in self._rows[i:j]]


def _copy_plain(row: Row) -> Record:
    rec: Record = dict(row[2])
    if "extInfo" in rec:
        rec["extInfo"] = dict(rec["extInfo"])
    return rec


class SimAccount:
    """The complete simulated history of one Bybit UID."""

    def __init__(
        self, uid: int, now_ms: int, seed: int, size: str | int, streams: dict[str, StreamData]
    ) -> None:
        self.uid = uid
        self.now_ms = now_ms
        self.seed = seed
        self.size = size
        self._streams = streams

    def __repr__(self) -> str:
        counts = ", ".join(f"{s}={len(d)}" for s, d in self._streams.items())
        return f"SimAccount(uid={self.uid}, seed={self.seed}, size={self.size!r}, {counts})"

    def stream(self, stream_id: str) -> StreamData:
        try:
            return self._streams[stream_id]
        except KeyError:
            raise KeyError(f"unknown stream {stream_id!r}") from None

    def count(self, stream_id: str) -> int:
        return len(self.stream(stream_id))

    def records(self, stream_id: str) -> list[dict[str, Any]]:
        """All raw records of the stream exactly as the API serves them, newest first."""
        data = self.stream(stream_id)
        return data.build_range(0, len(data))

    @staticmethod
    def record_time_ms(stream_id: str, raw: dict[str, Any]) -> int:
        """The time the endpoint filters on, in milliseconds."""
        field, unit = TIME_FIELD[stream_id]
        return int(raw[field]) * unit

    @staticmethod
    def depth_days(stream_id: str) -> int | None:
        if stream_id not in DEPTH_DAYS:
            raise KeyError(f"unknown stream {stream_id!r}")
        return DEPTH_DAYS[stream_id]

    def reachable(self, stream_id: str, now_ms: int) -> list[dict[str, Any]]:
        """The records the API can still serve at ``now_ms`` (inside the stream's depth)."""
        data = self.stream(stream_id)
        depth = DEPTH_DAYS[stream_id]
        if depth is None:
            return data.build_range(0, len(data))
        i, j = data.span(now_ms - depth * DAY_MS, 2**62)
        return data.build_range(i, j)


def generate_account(
    seed: int = 1,
    size: str | int = "small",
    now_ms: int | None = None,
    uid: int = 100001,
    edge_anchor_ms: int | None = None,
    edge_step_ms: int = 7 * DAY_MS,
    shared: Sequence[SharedWithdrawal] = (),
) -> SimAccount:
    """Generate the deterministic history of one UID.

    ``size``: "tiny" (a few dozen records), "small" (several hundred, for fast tests), "medium"
    (~20k executions), "large" (~200k executions) or an int (approximate number of executions).
    ``edge_anchor_ms``: when given, records are placed exactly at ``edge_anchor_ms + k*edge_step_ms``
    and 1 ms (second-granular streams: 1 s) before, for several k, to hit a client's window edges.
    ``shared``: withdrawals another simulator's wallet receives (added to the generated ones).
    """
    now = int(time.time() * 1000) if now_ms is None else int(now_ms)
    was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of cycle-free tuples: the cyclic GC only slows this down
    try:
        gen = Generator(seed, size, now, uid, edge_anchor_ms, edge_step_ms).run()
    finally:
        if was_enabled:
            gc.enable()
    builders = Builders(uid, gen.salt, gen.instruments)
    streams: dict[str, StreamData] = {}
    for cat, rows in gen.executions.items():
        streams[f"execution_{cat}"] = StreamData(f"execution_{cat}", rows, builders.execution)
    streams["transaction_log"] = StreamData("transaction_log", gen.ledger, builders.ledger)
    if shared:
        rows = gen.plain.setdefault("withdrawal", [])
        rows += [_shared_row(item, 3_000_000_000 + i) for i, item in enumerate(shared)]
        rows.sort(key=lambda r: r[1] - (r[0] << 32))  # newest first, as generated
    for stream_id, items in gen.plain.items():
        streams[stream_id] = StreamData(stream_id, list(items), _copy_plain)
    ordered = {s: streams[s] for s in STREAM_IDS}
    return SimAccount(uid, now, seed, size, ordered)
