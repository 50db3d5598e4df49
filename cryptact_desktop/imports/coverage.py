"""What covers which period of an account: imported files, the API, both, or neither (a gap)."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cryptact_desktop.imports.report import covers
from cryptact_desktop.store import Range, Store, merge_ranges, now_ms
from cryptact_desktop.store.file_rows import FILE_HOST_ID
from cryptact_desktop.venues.registry import venue_info


def is_file_only(host_id: str) -> bool:
    """Whether an account (``KeyConfig.host_id``) has no API key, only imported files."""
    return host_id == FILE_HOST_ID


class CoverageSource(enum.StrEnum):
    FILE = "file"
    API = "api"
    BOTH = "both"
    NONE = "none"  # a gap: neither a file nor the API covers it


@dataclass(frozen=True, slots=True)
class CoverageSegment:
    endpoint: str
    start_ms: int
    end_ms: int  # inclusive
    source: CoverageSource
    api_unreachable: bool = False  # the API said this time is beyond its look-back: import a file


def _endpoint_api_ranges(info_streams: Sequence[str], per_stream: Mapping[str, list[Range]]) -> list[Range]:
    """Times every stream of the endpoint has covered (the endpoint is complete only there)."""
    if not info_streams:
        return merge_ranges(r for ranges in per_stream.values() for r in ranges)
    result: list[Range] | None = None
    for stream in info_streams:
        ranges = per_stream.get(stream, [])
        if result is None:
            result = list(ranges)
            continue
        intersection: list[Range] = []
        for a1, b1 in result:
            for a2, b2 in ranges:
                lo, hi = max(a1, a2), min(b1, b2)
                if lo <= hi:
                    intersection.append((lo, hi))
        result = merge_ranges(intersection)
    return result or []


def coverage_view(store: Store, account_id: int, *, until_ms: int | None = None) -> list[CoverageSegment]:
    """Per endpoint, consecutive segments from the oldest covered time to ``until_ms`` (default now):
    covered by files, by the API, by both, or by neither (a gap)."""
    end_of_view = now_ms() if until_ms is None else until_ms
    account = store.get_key(account_id)
    try:
        streams_of = {e.id: tuple(s.id for s in e.streams) for e in venue_info(account.exchange).endpoints}
    except KeyError:
        streams_of = {}
    api_cover = store.api_coverage_by_stream(account_id)
    file_cover = store.file_coverage_by_endpoint(account_id)
    unreachable = {e.endpoint: (e.unreachable_from_ms, e.unreachable_to_ms) for e in account.endpoints}
    per_endpoint_streams: dict[str, dict[str, list[Range]]] = defaultdict(dict)
    for (endpoint, stream), ranges in api_cover.items():
        per_endpoint_streams[endpoint][stream] = ranges
    endpoints = [e for e in streams_of if e in per_endpoint_streams or e in file_cover]
    endpoints += sorted((set(per_endpoint_streams) | set(file_cover)) - set(endpoints))
    segments: list[CoverageSegment] = []
    for endpoint in endpoints:
        api = _endpoint_api_ranges(streams_of.get(endpoint, ()), per_endpoint_streams.get(endpoint, {}))
        files = file_cover.get(endpoint, [])
        if not api and not files:
            continue
        start = min(r[0] for r in (*api, *files))
        stop = max(end_of_view, *(r[1] for r in (*api, *files)))
        cuts = {start, stop + 1}
        for a, b in (*api, *files):
            cuts.update((a, b + 1))
        bounds = sorted(c for c in cuts if start <= c <= stop + 1)
        gone = unreachable.get(endpoint, (None, None))
        current: CoverageSegment | None = None
        for lo, next_lo in zip(bounds, bounds[1:], strict=False):
            hi = next_lo - 1
            in_api, in_file = covers(api, lo), covers(files, lo)
            source = (
                CoverageSource.BOTH
                if in_api and in_file
                else CoverageSource.API
                if in_api
                else CoverageSource.FILE
                if in_file
                else CoverageSource.NONE
            )
            lost = (
                source is CoverageSource.NONE
                and gone[0] is not None
                and gone[1] is not None
                and lo <= gone[1]
                and hi >= gone[0]
            )
            if current is not None and current.source is source and current.api_unreachable == lost:
                current = CoverageSegment(endpoint, current.start_ms, hi, source, lost)
                segments[-1] = current
            else:
                current = CoverageSegment(endpoint, lo, hi, source, lost)
                segments.append(current)
    return segments


def suggest_sync_from(store: Store, account_id: int, endpoint: str) -> int | None:
    """Where an API sync could start for ``endpoint``: just after the newest file row.

    Exactly "newest row + 1 ms" when the file writes milliseconds; otherwise the start of the
    newest row's second (or minute): the row's true time lies somewhere inside it, so the API
    re-reads that instant and the match/unique key drops the overlap instead of leaving a gap.
    None when no file row exists for the endpoint.
    """
    row = store.newest_file_row(account_id, endpoint)
    if row is None:
        return None
    newest, precision = row
    return newest + 1 if precision <= 1 else newest
