"""The sync engine: fetch every enabled endpoint of a key, concurrently, into the store.

For each stream of each enabled endpoint the engine computes what is missing — the wanted
period (from the key's "sync from" time, or as far back as the API reaches, up to now) minus
the stream's covered ranges — cuts it into the largest windows the API accepts, oldest first,
and pages through each window. Stream threads only fetch; the calling thread is the single
writer that commits each page together with the coverage it completes and the cursor to resume
from (``Store.commit_page``), so a crash at any moment loses nothing and duplicates nothing.

The engine knows no exchange and no Qt: it takes a connector, a store, ``should_stop`` and
``on_progress``. The GUI's worker and the CLI only adapt it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from cryptact_desktop.errors import KEY_FATAL_KINDS, Failure, FailureKind, SyncFailure, describe
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.state import EndpointStatus, KeyConfig, StreamProgress, StreamRunStats
from cryptact_desktop.store import Range, Store, missing_ranges
from cryptact_desktop.sync.connector import Connector, Page, TimeWindow
from cryptact_desktop.venues.base import DAY_MS, EndpointInfo, Paging, StreamInfo

log = logging.getLogger(__name__)

# Records younger than this may still be settling at the exchange (conversions show up with a
# delay, deposits get credited): fetched, but their period is only marked covered next time.
SETTLE_LAG_MS = 2 * 60_000
# Start this far inside the exchange's look-back limit so a long sync does not drift past it.
DEPTH_MARGIN_MS = 6 * 3_600_000
# Upper bound on windows of one stream fetched at the same time.
MAX_WINDOWS_IN_FLIGHT = 8


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Sent after every committed page (and once per stream at its start and end)."""

    key_id: int
    endpoint: str
    stream: str
    pages: int
    new_records: int
    reached_ms: int | None  # the newest time fully fetched so far in this run
    windows_done: int
    windows_total: int
    finished: bool = False


@dataclass(frozen=True, slots=True)
class EndpointOutcome:
    endpoint: str
    status: EndpointStatus
    new_records: int
    duplicates: int
    failure: Failure | None
    unreachable: Range | None
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class SyncResult:
    key_id: int
    run_id: int
    outcomes: tuple[EndpointOutcome, ...]
    cancelled: bool

    @property
    def ok(self) -> bool:
        return not self.cancelled and all(o.status is EndpointStatus.OK for o in self.outcomes)

    @property
    def new_records(self) -> int:
        return sum(o.new_records for o in self.outcomes)


@dataclass(frozen=True, slots=True)
class _PageItem:
    endpoint: str
    stream: StreamInfo
    records: tuple[NormalizedRecord, ...]
    covered: Range | None
    progress: StreamProgress | None
    window_done: int | None
    reached_ms: int | None
    windows_done: int
    windows_total: int


@dataclass(frozen=True, slots=True)
class _StreamDone:
    endpoint: str
    stream: StreamInfo
    failure: Failure | None
    unreachable: Range | None


@dataclass(slots=True)
class _StreamTally:
    pages: int = 0
    new_rows: int = 0
    duplicates: int = 0
    done: _StreamDone | None = None
    windows_total: int = 0


@dataclass(frozen=True, slots=True)
class PlannedWindow:
    window: TimeWindow
    claim_end_ms: int  # the newest time the window's completion may mark covered
    cursor: str | None = None  # where an interrupted run stopped inside this window


@dataclass(frozen=True, slots=True)
class _Plan:
    windows: tuple[PlannedWindow, ...]  # oldest first; interrupted windows come first
    unreachable: Range | None
    requested_start: int
    target_start: int


def _align_down(value: int, granularity: int) -> int:
    return value - value % granularity


@dataclass
class SyncEngine:
    store: Store
    clock_ms: Callable[[], int] = field(default=lambda: int(time.time() * 1000))
    settle_lag_ms: int = SETTLE_LAG_MS
    depth_margin_ms: int = DEPTH_MARGIN_MS
    queue_size: int = 32

    # ------------------------------------------------------------------ planning

    def plan(self, key: KeyConfig, endpoint: str, stream: StreamInfo, now: int) -> _Plan:
        requested_start = max(key.sync_from_ms or stream.earliest_ms, stream.earliest_ms)
        if stream.depth_days is not None:
            reach_start = now - stream.depth_days * DAY_MS + self.depth_margin_ms
        else:
            reach_start = stream.earliest_ms
        target_start = max(requested_start, reach_start)
        covered = self.store.coverage(key.id, endpoint, stream.id)
        unreachable: Range | None = None
        if requested_start < reach_start:
            lost = missing_ranges((requested_start, reach_start - 1), covered)
            if lost:
                unreachable = (lost[0][0], lost[-1][1])
        if stream.paging is Paging.NEWEST_FIRST or stream.window_ms is None:
            return _Plan((), unreachable, requested_start, target_start)
        claim_end = now - self.settle_lag_ms
        gaps = missing_ranges((target_start, claim_end), covered) if target_start <= claim_end else []
        windows: list[PlannedWindow] = []
        for pending in self.store.progress(key.id, endpoint, stream.id):
            span = (pending.window_start_ms, pending.window_end_ms)
            if not any(s <= span[1] and span[0] <= e for s, e in gaps):
                continue  # stale: that time got covered since
            windows.append(PlannedWindow(TimeWindow(*span), min(span[1], claim_end), pending.cursor))
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
        return _Plan(tuple(windows), unreachable, requested_start, target_start)

    # ------------------------------------------------------------------ running

    def run(
        self,
        key: KeyConfig,
        connector: Connector,
        *,
        endpoints: Sequence[str] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        on_progress: Callable[[SyncProgress], None] | None = None,
    ) -> SyncResult:
        wanted = [e for e in key.enabled_endpoints if endpoints is None or e in endpoints]
        infos = [connector.info.endpoint(e) for e in wanted]
        run_id = self.store.start_run(key.id)
        self.store.mark_syncing(key.id, wanted)
        now = self.clock_ms()
        key_stop = threading.Event()

        def stopping() -> bool:
            return key_stop.is_set() or should_stop()

        items: queue.Queue[_PageItem | _StreamDone] = queue.Queue(maxsize=self.queue_size)
        tallies: dict[tuple[str, str], _StreamTally] = {}
        tasks = [(info, stream) for info in infos for stream in info.streams]
        for info, stream in tasks:
            tallies[(info.id, stream.id)] = _StreamTally()

        writer_failure: Failure | None = None
        with ThreadPoolExecutor(max_workers=max(1, len(tasks)), thread_name_prefix=f"sync-{key.id}") as pool:
            for info, stream in tasks:
                pool.submit(self._stream_task, key, info, stream, connector, now, stopping, items)
            remaining = len(tasks)
            while remaining:
                item = items.get()
                tally = tallies[(item.endpoint, item.stream.id)]
                if isinstance(item, _StreamDone):
                    remaining -= 1
                    tally.done = item
                    if item.failure is not None and item.failure.kind in KEY_FATAL_KINDS:
                        key_stop.set()
                    self._emit(on_progress, key.id, item.endpoint, item.stream.id, tally, None, True)
                    continue
                if writer_failure is not None:
                    continue  # drain: the stream threads stop at their next page
                try:
                    new, duplicates = self.store.commit_page(
                        key.id,
                        item.endpoint,
                        item.stream.id,
                        item.records,
                        covered=item.covered,
                        progress=item.progress,
                        window_done=item.window_done,
                    )
                except Exception:  # a database that cannot be written stops the whole key
                    log.exception("could not store a page of %s", item.stream.id)
                    writer_failure = describe(
                        FailureKind.UNEXPECTED_RESPONSE,
                        detail="the local database could not be written (disk full or file locked?)",
                    )
                    key_stop.set()
                    continue
                tally.pages += 1
                tally.new_rows += new
                tally.duplicates += duplicates
                tally.windows_total = item.windows_total
                self._emit(on_progress, key.id, item.endpoint, item.stream.id, tally, item, False)
        return self._finish(key, infos, connector, run_id, tallies, should_stop(), writer_failure)

    @staticmethod
    def _emit(
        on_progress: Callable[[SyncProgress], None] | None,
        key_id: int,
        endpoint: str,
        stream: str,
        tally: _StreamTally,
        item: _PageItem | None,
        finished: bool,
    ) -> None:
        if on_progress is None:
            return
        on_progress(
            SyncProgress(
                key_id=key_id,
                endpoint=endpoint,
                stream=stream,
                pages=tally.pages,
                new_records=tally.new_rows,
                reached_ms=item.reached_ms if item else None,
                windows_done=item.windows_done if item else tally.windows_total,
                windows_total=item.windows_total if item else tally.windows_total,
                finished=finished,
            )
        )

    def _finish(
        self,
        key: KeyConfig,
        infos: Sequence[EndpointInfo],
        connector: Connector,
        run_id: int,
        tallies: dict[tuple[str, str], _StreamTally],
        cancelled: bool,
        writer_failure: Failure | None,
    ) -> SyncResult:
        finished_at = self.clock_ms()
        outcomes: list[EndpointOutcome] = []
        run_stats: list[StreamRunStats] = []
        # A key-wide failure (bad key, IP ban...) stopped the other streams: they show it too,
        # since it is the reason they did not finish, unless the user cancelled.
        key_failure = writer_failure or next(
            (
                t.done.failure
                for t in tallies.values()
                if t.done and t.done.failure and t.done.failure.kind in KEY_FATAL_KINDS
            ),
            None,
        )
        for info in infos:
            failures: list[Failure] = []
            was_cancelled = False
            unreachable: Range | None = None
            new = duplicates = 0
            for stream in info.streams:
                tally = tallies[(info.id, stream.id)]
                done = tally.done
                failure = writer_failure or (done.failure if done else None)
                if (
                    failure is not None
                    and failure.kind is FailureKind.CANCELLED
                    and key_failure
                    and not cancelled
                ):
                    failure = key_failure
                if failure is not None and failure.kind is FailureKind.CANCELLED:
                    was_cancelled = True
                elif failure is not None:
                    failures.append(failure)
                if done is not None and done.unreachable is not None:
                    lo, hi = done.unreachable
                    unreachable = (
                        (lo, hi)
                        if unreachable is None
                        else (min(lo, unreachable[0]), max(hi, unreachable[1]))
                    )
                new += tally.new_rows
                duplicates += tally.duplicates
                stats = connector.stats(stream)
                run_stats.append(
                    StreamRunStats(
                        endpoint=info.id,
                        stream=stream.id,
                        status="failed"
                        if failure and not was_cancelled
                        else ("cancelled" if was_cancelled else "ok"),
                        pages=tally.pages,
                        requests=stats.requests,
                        retries=stats.retries,
                        new_rows=tally.new_rows,
                        duplicate_rows=tally.duplicates,
                        rate_limit_waits=stats.rate_limit_waits,
                        waited_ms=stats.waited_ms,
                        failure=failure,
                    )
                )
            previous = key.endpoint(info.id)
            failure_shown: Failure | None
            success: int | None
            if failures:
                status, failure_shown, success = EndpointStatus.FAILED, failures[0], None
            elif was_cancelled:
                # Keep what the endpoint showed before; the partial progress is in the store.
                status = (
                    previous.status if previous.status is not EndpointStatus.SYNCING else EndpointStatus.NEVER
                )
                failure_shown, success = previous.failure, None
            else:
                status, failure_shown, success = EndpointStatus.OK, None, finished_at
            self.store.finish_endpoint(
                key.id,
                info.id,
                status=status,
                failure=failure_shown,
                success_ms=success,
                unreachable=unreachable,
            )
            outcomes.append(
                EndpointOutcome(
                    info.id,
                    status,
                    new,
                    duplicates,
                    failures[0] if failures else None,
                    unreachable,
                    cancelled=was_cancelled,
                )
            )
        if cancelled or any(o.cancelled for o in outcomes):
            outcome = "cancelled"
        elif all(o.status is EndpointStatus.OK for o in outcomes):
            outcome = "ok"
        elif any(o.status is EndpointStatus.OK for o in outcomes):
            outcome = "partial"
        else:
            outcome = "failed"
        self.store.finish_run(run_id, outcome, run_stats)
        return SyncResult(key.id, run_id, tuple(outcomes), cancelled=outcome == "cancelled")

    # ------------------------------------------------------------------ one stream (worker thread)

    def _stream_task(
        self,
        key: KeyConfig,
        info: EndpointInfo,
        stream: StreamInfo,
        connector: Connector,
        now: int,
        should_stop: Callable[[], bool],
        items: queue.Queue[_PageItem | _StreamDone],
    ) -> None:
        failure: Failure | None = None
        unreachable: Range | None = None
        try:
            plan = self.plan(key, info.id, stream, now)
            unreachable = plan.unreachable
            if stream.paging is Paging.NEWEST_FIRST or stream.window_ms is None:
                for item in self._newest_first(key, info, stream, connector, plan, now, should_stop):
                    items.put(item)
            else:
                self._windows(info, stream, connector, plan, should_stop, items)
        except SyncFailure as exc:
            failure = exc.failure
        except Exception:
            log.exception("unexpected error while syncing %s", stream.id)
            failure = describe(
                FailureKind.UNEXPECTED_RESPONSE, exchange=connector.info.name, detail="internal error"
            )
        items.put(_StreamDone(info.id, stream, failure, unreachable))

    def _windows(
        self,
        info: EndpointInfo,
        stream: StreamInfo,
        connector: Connector,
        plan: _Plan,
        should_stop: Callable[[], bool],
        items: queue.Queue[_PageItem | _StreamDone],
    ) -> None:
        """Fetch the planned windows, several at a time; each window pages sequentially."""
        total = len(plan.windows)
        if total == 0:
            return
        failed = threading.Event()
        first_failure: list[SyncFailure] = []
        done_count = [0]
        lock = threading.Lock()

        def stopping() -> bool:
            return failed.is_set() or should_stop()

        def run_window(planned: PlannedWindow) -> None:
            if stopping():
                return
            try:
                for item in self._window_pages(
                    info, stream, connector, planned, stopping, total, done_count, lock
                ):
                    items.put(item)
            except SyncFailure as exc:
                with lock:
                    if not first_failure or first_failure[0].kind is FailureKind.CANCELLED:
                        first_failure[:] = [exc]
                failed.set()

        # The rate limiter paces the requests; parallel windows only hide round-trip latency,
        # which matters even for slow limits (Bybit allows a burst of 60 transfer queries, then
        # nothing for a minute).
        workers = min(MAX_WINDOWS_IN_FLIGHT, total)
        if workers == 1:
            for planned in plan.windows:
                run_window(planned)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{stream.id}-w") as pool:
                list(pool.map(run_window, plan.windows))
        if first_failure:
            raise first_failure[0]
        if should_stop():
            raise SyncFailure(describe(FailureKind.CANCELLED, exchange=connector.info.name))

    def _window_pages(
        self,
        info: EndpointInfo,
        stream: StreamInfo,
        connector: Connector,
        planned: PlannedWindow,
        should_stop: Callable[[], bool],
        total: int,
        done_count: list[int],
        lock: threading.Lock,
    ) -> Iterator[_PageItem]:
        window = planned.window
        cursor = planned.cursor
        unsettled: int | None = None
        while True:
            if should_stop():
                raise SyncFailure(describe(FailureKind.CANCELLED, exchange=connector.info.name))
            try:
                page = connector.fetch_page(stream, window, cursor, should_stop)
            except SyncFailure as exc:
                if (
                    cursor is not None
                    and cursor == planned.cursor
                    and exc.kind is FailureKind.REQUEST_REJECTED
                ):
                    # A saved cursor from an interrupted run was refused: redo the window.
                    log.info("%s: saved cursor refused, restarting its window", stream.id)
                    cursor = None
                    continue
                raise
            if page.unsettled_ms is not None:
                unsettled = page.unsettled_ms if unsettled is None else min(unsettled, page.unsettled_ms)
            last = page.next_cursor is None
            covered: Range | None = None
            if last:
                end = planned.claim_end_ms if unsettled is None else min(planned.claim_end_ms, unsettled - 1)
                covered = (window.start_ms, end) if end >= window.start_ms else None
                with lock:
                    done_count[0] += 1
            with lock:
                finished = done_count[0]
            yield _PageItem(
                endpoint=info.id,
                stream=stream,
                records=page.records,
                covered=covered,
                progress=None
                if last
                else StreamProgress(window.start_ms, window.end_ms, page.next_cursor or ""),
                window_done=window.start_ms if last else None,
                reached_ms=covered[1] if covered else None,
                windows_done=finished,
                windows_total=total,
            )
            if last:
                return
            cursor = page.next_cursor

    def _newest_first(
        self,
        key: KeyConfig,
        info: EndpointInfo,
        stream: StreamInfo,
        connector: Connector,
        plan: _Plan,
        now: int,
        should_stop: Callable[[], bool],
    ) -> Iterator[_PageItem]:
        """Streams without a time filter: page from the newest record back to what a previous
        complete pass already saw (its coverage end), or to the key's start time."""
        covered = self.store.coverage(key.id, info.id, stream.id)
        watermark = covered[-1][1] if covered else None
        floor = max(plan.requested_start, watermark) if watermark is not None else plan.requested_start
        claim_end = now - self.settle_lag_ms
        cursor: str | None = None
        unsettled: int | None = None
        pages = 0
        while True:
            if should_stop():
                raise SyncFailure(describe(FailureKind.CANCELLED, exchange=connector.info.name))
            page: Page = connector.fetch_page(stream, None, cursor, should_stop)
            pages += 1
            if page.unsettled_ms is not None:
                unsettled = page.unsettled_ms if unsettled is None else min(unsettled, page.unsettled_ms)
            records = tuple(r for r in page.records if r.timestamp_ms >= plan.requested_start)
            last = page.next_cursor is None or (page.oldest_ms is not None and page.oldest_ms < floor)
            covered_range: Range | None = None
            if last:
                end = claim_end if unsettled is None else min(claim_end, unsettled - 1)
                covered_range = (plan.target_start, end) if end >= plan.target_start else None
            yield _PageItem(
                endpoint=info.id,
                stream=stream,
                records=records,
                covered=covered_range,
                progress=None,
                window_done=None,
                reached_ms=covered_range[1] if covered_range else None,
                windows_done=1 if last else 0,
                windows_total=1,
            )
            if last:
                return
            cursor = page.next_cursor
