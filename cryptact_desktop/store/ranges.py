"""Inclusive millisecond ranges: merging, subtracting and intersecting coverage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Range = tuple[int, int]


def merge_ranges(ranges: Iterable[Range]) -> list[Range]:
    """Merge overlapping or touching inclusive ranges: [(1,5),(6,9)] -> [(1,9)]."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def intersect_ranges(a: Sequence[Range], b: Sequence[Range]) -> list[Range]:
    """The parts of inclusive, merged ``a`` that are also in merged ``b``."""
    out: list[Range] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start <= end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def missing_ranges(wanted: Range, covered: Sequence[Range]) -> list[Range]:
    """The parts of inclusive ``wanted`` not inside any of ``covered`` (which must be merged)."""
    start, end = wanted
    gaps: list[Range] = []
    cursor = start
    for c_start, c_end in covered:
        if c_end < cursor:
            continue
        if c_start > end:
            break
        if c_start > cursor:
            gaps.append((cursor, min(end, c_start - 1)))
        cursor = max(cursor, c_end + 1)
        if cursor > end:
            break
    if cursor <= end:
        gaps.append((cursor, end))
    return gaps
