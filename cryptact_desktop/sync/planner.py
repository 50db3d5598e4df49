"""What a stream still needs: the windows the engine asks for, per paging mode.

The wanted period of a stream runs from the key's "sync from" time (or as far back as the API
reaches) to now; what is already covered is subtracted, and interrupted walks resume first.

* ``TIME_WINDOW``: each gap is cut into the largest windows the API accepts, oldest first.
* ``NEWEST_FIRST``: one walk from the newest record down to the oldest gap (the API cannot skip
  what is covered in between), plus any walk a crash interrupted, continued from its cursor.
* ``OLDEST_FIRST``: one walk per gap from its start up to its end (the newest gap up to now),
  continuing from the saved cursor where one is kept (the ``fromId`` after the last trade seen).

A saved resume point with an empty cursor is a walk that has not fetched its first page yet (a
stream found by discovery is remembered that way): it starts at its window's start.

Every planned window claims, when complete, ``[window start, claim_end_ms]`` as covered; the newest
window claims only up to ``now - settle lag``, since younger records may still be settling.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptact_desktop.state import KeyConfig, StreamProgress
from cryptact_desktop.store import Range, missing_ranges
from cryptact_desktop.sync.connector import TimeWindow
from cryptact_desktop.venues.base import DAY_MS, Paging, StreamInfo


@dataclass(frozen=True, slots=True)
class PlannedWindow:
    window: TimeWindow
    claim_end_ms: int  # the newest time the window's completion may mark covered
    cursor: str | None = None  # where an interrupted run stopped inside this window (None: its start)


@dataclass(frozen=True, slots=True)
class Plan:
    windows: tuple[PlannedWindow, ...]  # oldest first; interrupted windows come first
    unreachable: Range | None  # wanted history older than the API reaches (not yet covered)
    requested_start: int  # the key's start for this stream
    target_start: int  # what the API can still give


def _align_down(value: int, granularity: int) -> int:
    return value - value % granularity


def plan_stream(
    key: KeyConfig,
    stream: StreamInfo,
    *,
    now: int,
    covered: list[Range],
    progress: list[StreamProgress],
    settle_lag_ms: int,
    depth_margin_ms: int,
) -> Plan:
    """The windows of ``stream`` still to fetch (``covered``: merged ranges; ``progress``: the
    saved cursors of unfinished windows, oldest first)."""
    requested_start = max(key.sync_from_ms or stream.earliest_ms, stream.earliest_ms)
    if stream.depth_days is not None:
        reach_start = now - stream.depth_days * DAY_MS + depth_margin_ms
    else:
        reach_start = stream.earliest_ms
    target_start = max(requested_start, reach_start)
    unreachable: Range | None = None
    if requested_start < reach_start:
        lost = missing_ranges((requested_start, reach_start - 1), covered)
        if lost:
            unreachable = (lost[0][0], lost[-1][1])
    claim_end = now - settle_lag_ms
    gaps = missing_ranges((target_start, claim_end), covered) if target_start <= claim_end else []
    if stream.paging is Paging.NEWEST_FIRST or (
        stream.paging is Paging.TIME_WINDOW and stream.window_ms is None
    ):
        windows = _newest_first(gaps, progress, now, claim_end)
    elif stream.paging is Paging.OLDEST_FIRST:
        windows = _oldest_first(gaps, progress, now, claim_end)
    else:
        windows = _time_windows(stream, gaps, progress, now, claim_end)
    return Plan(tuple(windows), unreachable, requested_start, target_start)


def _time_windows(
    stream: StreamInfo, gaps: list[Range], progress: list[StreamProgress], now: int, claim_end: int
) -> list[PlannedWindow]:
    assert stream.window_ms is not None
    windows: list[PlannedWindow] = []
    for pending in progress:
        span = (pending.window_start_ms, pending.window_end_ms)
        if not any(s <= span[1] and span[0] <= e for s, e in gaps):
            continue  # stale: that time got covered since
        windows.append(PlannedWindow(TimeWindow(*span), min(span[1], claim_end), pending.cursor or None))
        gaps = [part for gap in gaps for part in missing_ranges(gap, [span])]
    for gap_start, gap_end in gaps:
        start = _align_down(gap_start, stream.granularity_ms)
        while start <= gap_end:
            end = start + stream.window_ms
            claim = min(end, gap_end)
            if end >= gap_end and gap_end == claim_end:
                end = min(end, now)  # fetch up to now, claim only what has settled
            windows.append(PlannedWindow(TimeWindow(start, end), claim))
            start = end + 1
    return windows


def _newest_first(
    gaps: list[Range], progress: list[StreamProgress], now: int, claim_end: int
) -> list[PlannedWindow]:
    """An interrupted walk continues from its cursor down to its floor (claiming what it claimed
    when it started); a new walk goes from the newest record down to the oldest remaining gap."""
    windows: list[PlannedWindow] = []
    for pending in progress:
        span = (pending.window_start_ms, pending.window_end_ms)
        if not any(s <= span[1] and span[0] <= e for s, e in gaps):
            continue
        windows.append(PlannedWindow(TimeWindow(span[0], now), span[1], pending.cursor or None))
        gaps = [part for gap in gaps for part in missing_ranges(gap, [span])]
    if gaps:
        windows.append(PlannedWindow(TimeWindow(gaps[0][0], now), claim_end))
    return windows


def _oldest_first(
    gaps: list[Range], progress: list[StreamProgress], now: int, claim_end: int
) -> list[PlannedWindow]:
    """One ascending walk per gap; a saved cursor inside a gap splits it (the part before it is
    walked from its start, the part from it on continues from the cursor)."""
    windows: list[PlannedWindow] = []
    for gap_start, gap_end in gaps:
        parts: list[tuple[int, int, str | None]] = []
        start = gap_start
        for pending in progress:
            if start <= pending.window_start_ms <= gap_end:
                if pending.window_start_ms > start:
                    parts.append((start, pending.window_start_ms - 1, None))
                start = pending.window_start_ms
                parts.append((start, gap_end, pending.cursor or None))
                break
        else:
            parts.append((start, gap_end, None))
        for part_start, part_end, cursor in parts:
            end = now if part_end == claim_end else part_end
            windows.append(PlannedWindow(TimeWindow(part_start, end), part_end, cursor))
    return windows
