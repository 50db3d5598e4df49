"""The sync engine: fetch every enabled endpoint of a key, concurrently, into the store.

For each stream of each enabled endpoint (streams an endpoint discovers at sync time included)
the :mod:`planner <cryptact_desktop.sync.planner>` computes what is missing — the wanted period
(from the key's "sync from" time, or as far back as the API reaches, up to now) minus the
stream's covered ranges — as windows, and the engine pages through each window. A stream that
discovery finds for the first time is stored at once as a walk not started yet, so it stays
known. Endpoints discovered late (``EndpointInfo.discover_late``) are listed and fetched once the
endpoints they discover from have been fetched in this run, so the connector can find their
subjects in what those returned.
A stream the venue refuses as a named gap (``FailureKind.HISTORY_GAP``: a delisted pair) does not
fail its endpoint: the endpoint row names it with the file remedy. Stream threads only fetch; the
calling thread is the single writer that commits each page
together with the coverage it completes and the cursor to resume from (``Store.commit_page``), so
a crash at any moment loses nothing and duplicates nothing.

The engine knows no venue and no Qt: it takes a connector, a store, ``should_stop`` and
``on_progress``. The GUI's worker and the CLI only adapt it.
"""

from __future__ import annotations

import functools
import gc
import logging
import math
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from cryptact_desktop.errors import (
    KEY_FATAL_KINDS,
    Failure,
    FailureKind,
    SyncFailure,
    describe,
    main_account_only,
)
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.state import EndpointStatus, KeyConfig, StreamProgress, StreamRunStats
from cryptact_desktop.store import Range, StorageError, Store
from cryptact_desktop.store.sync_state import PageCommit
from cryptact_desktop.sync.connector import Connector, Page
from cryptact_desktop.sync.planner import Plan, PlannedWindow, plan_stream
from cryptact_desktop.venues.base import EndpointInfo, Paging, StreamInfo

log = logging.getLogger(__name__)

# Records younger than this may still be settling at the exchange (conversions show up with a
# delay, deposits get credited): fetched, but their period is only marked covered next time.
SETTLE_LAG_MS = 2 * 60_000
# Start this far inside the exchange's look-back limit so a long sync does not drift past it.
DEPTH_MARGIN_MS = 6 * 3_600_000
# The most pages the writer commits in one transaction.
WRITE_BATCH = 64
WRITE_GATHER_SECONDS = 0.1  # a busy writer commits at most this often (see _fetch)
# Windows of one stream fetched at the same time, unless the stream says: enough to keep its rate
# limit busy while each request takes up to REQUEST_SECONDS (a slow network), within these bounds.
REQUEST_SECONDS = 0.3
MIN_WINDOWS_IN_FLIGHT = 2
MAX_WINDOWS_IN_FLIGHT = 64
# A dense stream (a ledger) fetches all its windows at once, up to this many (see windows_in_flight).
MAX_DENSE_WINDOWS_IN_FLIGHT = 128
# The other streams of a sync wait at most this long for the dense ones to start (see DenseFirst).
DENSE_HEAD_START_SECONDS = 2.0


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
    # At least this long until the streams sharing this one's rate limit can finish: each of
    # their unfinished windows takes one more request at the least (0: none to wait for).
    seconds_left: float = 0.0


@dataclass(frozen=True, slots=True)
class EndpointOutcome:
    endpoint: str
    status: EndpointStatus
    new_records: int
    duplicates: int
    failure: Failure | None
    unreachable: Range | None
    cancelled: bool = False
    # Subjects (symbols, currencies...) whose history the venue refuses to give (a delisted pair):
    # named on the endpoint row with the file remedy; the endpoint is still OK.
    gaps: tuple[str, ...] = ()


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


@dataclass(frozen=True, slots=True)
class _Listed:
    """The streams a late endpoint's discovery found (or why it found none)."""

    info: EndpointInfo
    streams: tuple[StreamInfo, ...]
    failure: Failure | None


@dataclass(frozen=True)
class _Run:
    """What every part of one run shares."""

    key: KeyConfig
    connector: Connector
    now: int
    stopping: Callable[[], bool]
    key_stop: threading.Event
    on_progress: Callable[[SyncProgress], None] | None


@dataclass(slots=True)
class _StreamTally:
    stream: StreamInfo
    pages: int = 0
    new_rows: int = 0
    duplicates: int = 0
    done: _StreamDone | None = None
    # Its windows, once planned (shared with its window threads): how many there are and how
    # many are left, live. None: not planned yet, or nothing to fetch.
    counter: _WindowCounter | None = None


def rate_limit_floor_seconds(
    unfinished: Iterable[tuple[StreamInfo, int]], stream: StreamInfo, rate_limit_scale: float
) -> float:
    """At least how long the ``unfinished`` streams (each with its windows left) that share
    ``stream``'s rate limit still take: each window left needs one more request, and one period's
    budget may go at once. (At two requests a minute, a history of years in 89-day windows takes
    half an hour.)"""
    budget = stream.rate_limit.requests * max(rate_limit_scale, 1e-9)
    cost = sum(windows * other.cost for other, windows in unfinished if other.limiter == stream.limiter)
    return max(0.0, cost - budget) / budget * stream.rate_limit.per_seconds


@dataclass(slots=True)
class _WindowCounter:
    """How many windows of one stream are finished (shared by its window threads)."""

    total: int
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finish(self) -> int:
        with self.lock:
            self.done += 1
            return self.done

    def current(self) -> int:
        with self.lock:
            return self.done


class DenseFirst:
    """The dense streams of a sync (ledgers) start their windows before the other streams begin.

    Starting a thread waits until the new thread runs, and on a busy interpreter each start is a
    wait for the interpreter lock. With the other streams already sending, a ledger's 105 windows
    took about 0.8 s to start, and its first second used half the requests its limit allowed
    (119–141 of 250, a large account at ten times an exchange's limits). Started first, all of
    them run within 0.1 s, the first second sends about 240, and the whole sync ends about 0.4 s
    sooner (17.15 s against 17.58 s on average, six runs each). The dense stream is the longest
    of the sync from its first second to its last; the others end long before it, so their short
    wait costs nothing.

    The dense streams are handed to the sync's threads first (with fewer threads than streams,
    a stream waiting here holds one). Each says :meth:`started` once all its windows run (or once
    it stops: it failed, had nothing to fetch...); the others :meth:`wait`, at most
    DENSE_HEAD_START_SECONDS, and not at all once the sync is stopping.
    """

    def __init__(self, dense: Iterable[tuple[str, str]]) -> None:
        self._waiting_for = set(dense)  # (endpoint, stream) of the dense streams not started yet
        self._lock = threading.Lock()
        self._all_started = threading.Event()
        if not self._waiting_for:
            self._all_started.set()

    def started(self, endpoint: str, stream: str) -> None:
        with self._lock:
            self._waiting_for.discard((endpoint, stream))
            if not self._waiting_for:
                self._all_started.set()

    def wait(self, should_stop: Callable[[], bool], timeout: float = DENSE_HEAD_START_SECONDS) -> bool:
        """Wait until every dense stream has started, the sync stops, or ``timeout`` passed;
        True if they all started."""
        deadline = time.monotonic() + timeout
        while not self._all_started.wait(min(0.1, max(0.0, deadline - time.monotonic()))):
            if should_stop() or time.monotonic() >= deadline:
                return False
        return True


@dataclass
class SyncEngine:
    store: Store
    clock_ms: Callable[[], int] = field(default=lambda: int(time.time() * 1000))
    settle_lag_ms: int = SETTLE_LAG_MS
    depth_margin_ms: int = DEPTH_MARGIN_MS
    queue_size: int = 128

    # ------------------------------------------------------------------ planning

    def plan(self, key: KeyConfig, endpoint: str, stream: StreamInfo, now: int) -> Plan:
        return plan_stream(
            key,
            stream,
            now=now,
            covered=self.store.coverage(key.id, endpoint, stream.id),
            progress=self.store.progress(key.id, endpoint, stream.id),
            settle_lag_ms=self.settle_lag_ms,
            depth_margin_ms=self.depth_margin_ms,
        )

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
        """Fetch the key's enabled endpoints (or ``endpoints`` of them) into the store.

        An endpoint whose streams are discovered late (``EndpointInfo.discover_late``: the venue
        finds their subjects in what other endpoints return) is listed and fetched once the
        endpoints it discovers from (``discover_after``; all the others if it names none) have been
        fetched in this run; the rest run meanwhile.
        """
        wanted = [e for e in key.enabled_endpoints if endpoints is None or e in endpoints]
        infos = [connector.info.endpoint(e) for e in wanted]
        run_id = self.store.start_run(key.id)
        self.store.mark_syncing(key.id, wanted)
        now = self.clock_ms()
        key_stop = threading.Event()

        def stopping() -> bool:
            return key_stop.is_set() or should_stop()

        early = [info for info in infos if not info.discover_late]
        late = [info for info in infos if info.discover_late]
        streams, discovery_failures = self._streams(key, early, connector, stopping)
        self._remember_discovered(key, early, streams, now)
        tallies: dict[tuple[str, str], _StreamTally] = {}
        with _collector_skips_older_objects():
            writer_failure = self._fetch(
                _Run(key, connector, now, stopping, key_stop, on_progress),
                early,
                late,
                streams,
                discovery_failures,
                tallies,
            )
        return self._finish(
            key, infos, streams, discovery_failures, connector, run_id, tallies, should_stop(), writer_failure
        )

    def _fetch(
        self,
        run: _Run,
        early: Sequence[EndpointInfo],
        late: Sequence[EndpointInfo],
        streams: dict[str, tuple[StreamInfo, ...]],
        discovery_failures: dict[str, Failure],
        tallies: dict[tuple[str, str], _StreamTally],
    ) -> Failure | None:
        """Run the streams; list each late endpoint once what it discovers from has finished and run
        its streams too. This thread commits every page. Returns the failure of the local database,
        if it could not be written."""
        key = run.key
        items: queue.Queue[_PageItem | _StreamDone | _Listed] = queue.Queue(maxsize=self.queue_size)
        early_ids = {info.id for info in early}
        unfinished = {info.id: len(streams.get(info.id, ())) for info in early}
        waiting = {info.id: (set(info.discover_after) or early_ids) & early_ids for info in late}
        by_id = {info.id: info for info in late}
        writer_failure: Failure | None = None
        remaining = 0
        workers = max(1, run.connector.info.max_parallel_streams)
        # How many streams of this run count against each rate limit (late ones once listed).
        limiters: Counter[str] = Counter(
            stream.limiter for info in early for stream in streams.get(info.id, ())
        )
        dense_first = DenseFirst(
            [(info.id, stream.id) for info in early for stream in streams.get(info.id, ()) if stream.dense]
        )
        with (
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"sync-{key.id}") as pool,
            ThreadPoolExecutor(max_workers=max(1, len(late)), thread_name_prefix="discover-late") as lister,
        ):

            def start(info: EndpointInfo, found: Sequence[StreamInfo]) -> None:
                nonlocal remaining
                for stream in sorted(found, key=lambda stream: not stream.dense):  # see DenseFirst
                    tally = tallies[(info.id, stream.id)] = _StreamTally(stream=stream)
                    pool.submit(
                        self._stream_task,
                        key,
                        info,
                        stream,
                        run.connector,
                        run.now,
                        run.stopping,
                        items,
                        max(1, limiters[stream.limiter]),
                        dense_first,
                        tally,
                    )
                    remaining += 1

            def listed(info: EndpointInfo) -> None:
                found, failed = self._streams(key, [info], run.connector, run.stopping)
                items.put(_Listed(info, found.get(info.id, ()), failed.get(info.id)))

            def release(finished: str) -> None:
                nonlocal remaining
                for late_id in sorted(waiting):
                    waiting[late_id].discard(finished)
                    if waiting[late_id]:
                        continue
                    del waiting[late_id]
                    if run.stopping():
                        # The key failed or the user cancelled before it could be listed: it shows why.
                        discovery_failures[late_id] = describe(
                            FailureKind.CANCELLED, exchange=run.connector.info.name
                        )
                        continue
                    lister.submit(listed, by_id[late_id])
                    remaining += 1

            # Dense streams first: with fewer workers than streams, the others wait for them.
            for info in sorted(early, key=lambda info: not any(s.dense for s in streams.get(info.id, ()))):
                start(info, streams.get(info.id, ()))
            for endpoint, count in list(unfinished.items()):
                if count == 0:
                    release(endpoint)
            release("")  # late endpoints that wait for nothing this run fetches
            last_commit = 0.0
            while remaining:
                # The single writer takes every page the streams delivered meanwhile and commits
                # them in one transaction (each page still with its own coverage and cursor), at
                # most every WRITE_GATHER_SECONDS: each commit rewrites every index page its rows
                # touch (their ids and times are scattered), so a busy writer gathers pages for the
                # rest of that time first (a large sync: about 330 commits instead of 565).
                batch = [items.get()]
                gather = last_commit + WRITE_GATHER_SECONDS - time.monotonic()
                if gather > 0 and isinstance(batch[0], _PageItem) and items.qsize() < WRITE_BATCH:
                    time.sleep(gather)
                while len(batch) < WRITE_BATCH:
                    try:
                        batch.append(items.get_nowait())
                    except queue.Empty:
                        break
                last_commit = time.monotonic()
                pages: list[_PageItem] = []
                for item in batch:
                    if isinstance(item, _PageItem):
                        pages.append(item)
                        continue
                    writer_failure = self._write(key.id, pages, tallies, run, writer_failure)
                    pages = []
                    remaining -= 1
                    if isinstance(item, _Listed):
                        streams[item.info.id] = item.streams
                        if item.failure is not None:
                            discovery_failures[item.info.id] = item.failure
                        if writer_failure is None:
                            self._remember_discovered(key, [item.info], streams, run.now)
                            limiters.update(stream.limiter for stream in item.streams)
                            start(item.info, item.streams)
                        continue
                    tally = tallies[(item.endpoint, item.stream.id)]
                    tally.done = item
                    if item.failure is not None and item.failure.kind in KEY_FATAL_KINDS:
                        run.key_stop.set()
                    self._emit(run.on_progress, key.id, item.endpoint, item.stream.id, tally, None, True)
                    if item.endpoint in unfinished:
                        unfinished[item.endpoint] -= 1
                        if unfinished[item.endpoint] == 0:
                            release(item.endpoint)
                writer_failure = self._write(key.id, pages, tallies, run, writer_failure)
                if writer_failure is not None:
                    run.key_stop.set()
        return writer_failure

    def _write(
        self,
        key_id: int,
        pages: Sequence[_PageItem],
        tallies: dict[tuple[str, str], _StreamTally],
        run: _Run,
        failure: Failure | None,
    ) -> Failure | None:
        """Commit ``pages`` in one transaction and count them; after a failed write nothing more is
        written (the stream threads stop at their next page)."""
        if not pages or failure is not None:
            return failure
        commits = [
            PageCommit(p.endpoint, p.stream.id, p.records, p.covered, p.progress, p.window_done)
            for p in pages
        ]
        try:
            results = self.store.commit_pages(key_id, commits)
        except StorageError as exc:  # a database that cannot be written stops the whole key
            log.warning("could not store %d pages: %s", len(pages), exc.detail or exc.problem)
            return exc.failure
        except Exception:
            log.exception("could not store %d pages", len(pages))
            return describe(FailureKind.STORAGE)
        for item, (new, duplicates) in zip(pages, results, strict=True):
            tally = tallies[(item.endpoint, item.stream.id)]
            tally.pages += 1
            tally.new_rows += new
            tally.duplicates += duplicates
        scale = run.connector.rate_limit_scale or 1.0
        unfinished = [
            (t.stream, t.counter.total - t.counter.done)
            for t in tallies.values()
            if t.counter is not None and t.done is None
        ]
        for item in pages:
            tally = tallies[(item.endpoint, item.stream.id)]
            left = rate_limit_floor_seconds(unfinished, item.stream, scale)
            self._emit(run.on_progress, key_id, item.endpoint, item.stream.id, tally, item, False, left)
        return None

    def _streams(
        self,
        key: KeyConfig,
        infos: Sequence[EndpointInfo],
        connector: Connector,
        should_stop: Callable[[], bool],
    ) -> tuple[dict[str, tuple[StreamInfo, ...]], dict[str, Failure]]:
        """Each endpoint's streams: the catalogue's, or those the venue lists at sync time (with
        every stream synced before, so one the venue stopped listing is still kept up to date)."""
        streams: dict[str, tuple[StreamInfo, ...]] = {}
        failures: dict[str, Failure] = {}
        discovering = [info for info in infos if info.discover]
        for info in infos:
            if not info.discover:
                streams[info.id] = info.streams

        def discover(info: EndpointInfo) -> None:
            known = self.store.stream_ids(key.id, info.id)
            try:
                found = connector.discover_streams(info, known, should_stop)
            except SyncFailure as exc:
                failures[info.id] = exc.failure
                return
            except Exception:
                log.exception("could not list the streams of %s", info.id)
                failures[info.id] = describe(
                    FailureKind.UNEXPECTED_RESPONSE, exchange=connector.info.name, detail="internal error"
                )
                return
            by_id = {s.id: s for s in found}
            for stream_id in known:
                if stream_id not in by_id:
                    try:
                        by_id[stream_id] = info.stream(stream_id)
                    except KeyError:
                        continue  # a stream of an older catalogue: its rows stay, nothing to fetch
            streams[info.id] = tuple(by_id[k] for k in sorted(by_id))

        if discovering:
            with ThreadPoolExecutor(max_workers=len(discovering), thread_name_prefix="discover") as pool:
                list(pool.map(discover, discovering))
        return streams, failures

    def _remember_discovered(
        self,
        key: KeyConfig,
        infos: Sequence[EndpointInfo],
        streams: dict[str, tuple[StreamInfo, ...]],
        now: int,
    ) -> None:
        """Store every stream discovery found for the first time as a walk not started yet (an empty
        resume point), so it is known from now on: a sync that dies before such a stream fetched
        its first page resumes it next time, even if the venue no longer lists it (a delisted pair
        found only in an old ledger page that the next sync does not read again)."""
        for info in infos:
            if not info.discover:
                continue
            known = set(self.store.stream_ids(key.id, info.id))
            for stream in streams.get(info.id, ()):
                if stream.id in known:
                    continue
                plan = self.plan(key, info.id, stream, now)
                if not plan.windows:
                    continue
                first = plan.windows[0]
                windowed = stream.paging is Paging.TIME_WINDOW and stream.window_ms is not None
                end = first.window.end_ms if windowed else first.claim_end_ms
                self.store.commit_page(
                    key.id,
                    info.id,
                    stream.id,
                    (),
                    covered=None,
                    progress=StreamProgress(first.window.start_ms, end, ""),
                )

    @staticmethod
    def _emit(
        on_progress: Callable[[SyncProgress], None] | None,
        key_id: int,
        endpoint: str,
        stream: str,
        tally: _StreamTally,
        item: _PageItem | None,
        finished: bool,
        seconds_left: float = 0.0,
    ) -> None:
        if on_progress is None:
            return
        windows = tally.counter.total if tally.counter is not None else 0
        on_progress(
            SyncProgress(
                key_id=key_id,
                endpoint=endpoint,
                stream=stream,
                pages=tally.pages,
                new_records=tally.new_rows,
                reached_ms=item.reached_ms if item else None,
                windows_done=item.windows_done if item else windows,
                windows_total=item.windows_total if item else windows,
                finished=finished,
                seconds_left=seconds_left,
            )
        )

    def _finish(
        self,
        key: KeyConfig,
        infos: Sequence[EndpointInfo],
        streams: dict[str, tuple[StreamInfo, ...]],
        discovery_failures: dict[str, Failure],
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
        key_failure = (
            writer_failure
            or next(
                (
                    t.done.failure
                    for t in tallies.values()
                    if t.done and t.done.failure and t.done.failure.kind in KEY_FATAL_KINDS
                ),
                None,
            )
            or next((f for f in discovery_failures.values() if f.kind in KEY_FATAL_KINDS), None)
        )
        for info in infos:
            failures: list[Failure] = []
            gaps: list[tuple[str, Failure]] = []  # (stream subject, the venue's words for it)
            was_cancelled = False
            unreachable: Range | None = None
            new = duplicates = 0
            discovery_failure = discovery_failures.get(info.id)
            if discovery_failure is not None:
                if discovery_failure.kind is FailureKind.CANCELLED:
                    was_cancelled = not (key_failure and not cancelled)
                    if not was_cancelled and key_failure is not None:
                        failures.append(key_failure)
                else:
                    failures.append(discovery_failure)
                run_stats.append(
                    StreamRunStats(
                        endpoint=info.id,
                        stream="",
                        status="cancelled" if was_cancelled else "failed",
                        failure=None if was_cancelled else failures[-1],
                    )
                )
            for stream in streams.get(info.id, ()):
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
                elif failure is not None and failure.kind is FailureKind.HISTORY_GAP:
                    gaps.append((stream.subject or stream.id, failure))
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
                        status=_stream_status(failure, was_cancelled),
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
                failures[0] = _explained(failures[0], key, info, connector)
                status, failure_shown, success = EndpointStatus.FAILED, failures[0], None
            elif was_cancelled:
                # Keep what the endpoint showed before; the partial progress is in the store.
                status = (
                    previous.status if previous.status is not EndpointStatus.SYNCING else EndpointStatus.NEVER
                )
                failure_shown, success = previous.failure, None
            else:
                # A named gap (history the venue refuses to give, with the file remedy) is shown on
                # the endpoint row; the endpoint still completed everything the venue gives.
                status, failure_shown, success = EndpointStatus.OK, _gap_notice(gaps, connector), finished_at
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
                    gaps=tuple(sorted({subject for subject, _ in gaps})),
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
        items: queue.Queue[_PageItem | _StreamDone | _Listed],
        sharing: int = 1,
        dense_first: DenseFirst | None = None,
        tally: _StreamTally | None = None,
    ) -> None:
        """``sharing``: how many streams of this sync share the stream's rate limit; ``tally``
        (the writer's) learns the stream's window counter once the windows are planned."""
        failure: Failure | None = None
        unreachable: Range | None = None
        started: Callable[[], None] | None = None
        if dense_first is not None and stream.dense:
            started = functools.partial(dense_first.started, info.id, stream.id)
        elif dense_first is not None:
            dense_first.wait(should_stop)
        try:
            plan = self.plan(key, info.id, stream, now)
            unreachable = plan.unreachable
            self._windows(info, stream, connector, plan, should_stop, items, sharing, started, tally)
        except SyncFailure as exc:
            failure = exc.failure
        except Exception:
            log.exception("unexpected error while syncing %s", stream.id)
            failure = describe(
                FailureKind.UNEXPECTED_RESPONSE, exchange=connector.info.name, detail="internal error"
            )
        finally:
            if started is not None:  # also when it failed or had nothing to fetch
                started()
        items.put(_StreamDone(info.id, stream, failure, unreachable))

    def _windows(
        self,
        info: EndpointInfo,
        stream: StreamInfo,
        connector: Connector,
        plan: Plan,
        should_stop: Callable[[], bool],
        items: queue.Queue[_PageItem | _StreamDone | _Listed],
        sharing: int = 1,
        started: Callable[[], None] | None = None,
        tally: _StreamTally | None = None,
    ) -> None:
        """Fetch the planned windows, as many at a time as :func:`windows_in_flight` says; each
        window pages sequentially. ``started`` is called once they all run (or as the first
        begins, one at a time)."""
        total = len(plan.windows)
        if total == 0:
            return
        failed = threading.Event()
        first_failure: list[SyncFailure] = []
        counter = _WindowCounter(total)
        if tally is not None:
            tally.counter = counter  # one attribute set: the writer reads how many are left
        lock = threading.Lock()

        def stopping() -> bool:
            return failed.is_set() or should_stop()

        def run_window(planned: PlannedWindow) -> None:
            if stopping():
                return
            try:
                for item in self._window_pages(info, stream, connector, planned, plan, stopping, counter):
                    items.put(item)
            except SyncFailure as exc:
                with lock:
                    if not first_failure or first_failure[0].kind is FailureKind.CANCELLED:
                        first_failure[:] = [exc]
                failed.set()

        # The rate limiter paces the requests; parallel windows only hide round-trip latency,
        # which matters even for slow limits (a venue may allow a burst of 60 queries, then
        # nothing for a minute).
        workers = windows_in_flight(stream, total, connector.rate_limit_scale or 1.0, sharing)
        if workers == 1:
            if started is not None:
                started()
            for planned in plan.windows:
                run_window(planned)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{stream.id}-w") as pool:
                running = [pool.submit(run_window, planned) for planned in plan.windows]
                if started is not None:
                    started()
                for future in running:
                    future.result()
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
        plan: Plan,
        should_stop: Callable[[], bool],
        counter: _WindowCounter,
    ) -> Iterator[_PageItem]:
        """The pages of one window, each committed with where to resume; the last one with the
        coverage the window completes.

        A TIME_WINDOW window ends when the venue has no next page; a NEWEST_FIRST walk also ends
        when it reaches records older than its floor (the window start); an OLDEST_FIRST walk
        when it passes the window end.
        """
        window = planned.window
        cursor = planned.cursor
        unsettled: int | None = None
        paging = stream.paging
        if paging is Paging.TIME_WINDOW and stream.window_ms is None:
            paging = Paging.NEWEST_FIRST
        while True:
            if should_stop():
                raise SyncFailure(describe(FailureKind.CANCELLED, exchange=connector.info.name))
            try:
                page: Page = connector.fetch_page(
                    stream, None if paging is Paging.NEWEST_FIRST else window, cursor, should_stop
                )
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
            records = page.records
            if paging is Paging.NEWEST_FIRST:
                records = tuple(r for r in records if r.timestamp_ms >= plan.requested_start)
                last = page.next_cursor is None or (
                    page.oldest_ms is not None and page.oldest_ms < window.start_ms
                )
            elif paging is Paging.OLDEST_FIRST:
                last = page.next_cursor is None or (
                    page.newest_ms is not None and page.newest_ms > window.end_ms
                )
            else:
                last = page.next_cursor is None
            covered: Range | None = None
            progress: StreamProgress | None = None
            done = counter.current()
            if last:
                end = planned.claim_end_ms if unsettled is None else min(planned.claim_end_ms, unsettled - 1)
                covered = (window.start_ms, end) if end >= window.start_ms else None
                done = counter.finish()
                if paging is Paging.OLDEST_FIRST and covered is not None and page.resume_cursor:
                    # The next sync continues after the newest record seen, not from scratch.
                    progress = StreamProgress(covered[1] + 1, covered[1] + 1, page.resume_cursor)
            else:
                progress = StreamProgress(window.start_ms, planned.claim_end_ms, page.next_cursor or "")
                if paging is Paging.TIME_WINDOW:
                    progress = StreamProgress(window.start_ms, window.end_ms, page.next_cursor or "")
            yield _PageItem(
                endpoint=info.id,
                stream=stream,
                records=records,
                covered=covered,
                progress=progress,
                window_done=window.start_ms if last else None,
                reached_ms=covered[1] if covered else None,
                windows_done=done,
                windows_total=counter.total,
            )
            if last:
                return
            cursor = page.next_cursor


def windows_in_flight(
    stream: StreamInfo, windows: int, rate_limit_scale: float = 1.0, sharing: int = 1
) -> int:
    """How many of a stream's ``windows`` to fetch at the same time (``sharing``: how many streams
    of the sync share its rate limit).

    The stream's own ``max_in_flight`` if it names one. A dense stream (a ledger: the longest of
    an active account, paced by its own limit from the first second to the last) fetches all its
    windows at once, up to MAX_DENSE_WINDOWS_IN_FLIGHT: the pages of one window come one after
    another, so with fewer in flight the windows that started last ran on alone at the end, each
    at one request per round trip, while the limit had room (a large account's ledger at ten
    times an exchange's limits, 64 of its 105 windows at a time: its last 4 s under 80 % of its
    limit). Its limiter hands out the requests, so all in flight progress together and end
    together.

    Any other stream: enough windows to keep its rate limit busy, and no more — its steady rate
    times the time one request takes (assumed generously), or, for a long window (a minute),
    what it lets through at once (a burst) — within bounds, split among the streams that share
    the limit. More threads only wait, and on a busy sync each wait for the interpreter lock
    between leaving the limiter and reaching the venue moves a request into a later window of
    the venue's count, where it may be refused.
    """
    if stream.max_in_flight:
        return max(1, min(stream.max_in_flight, windows))
    if stream.dense:
        return max(1, min(windows, MAX_DENSE_WINDOWS_IN_FLIGHT))
    burst = stream.rate_limit.requests * rate_limit_scale
    per_second = burst / max(stream.rate_limit.per_seconds, 1e-3)
    steady = per_second * REQUEST_SECONDS
    wanted = min(MAX_WINDOWS_IN_FLIGHT, steady if stream.rate_limit.per_seconds <= 2 else max(burst, steady))
    return max(1, min(windows, max(MIN_WINDOWS_IN_FLIGHT, math.ceil(wanted / max(1, sharing)))))


_syncs_running = 0
_sync_froze = False
_thresholds_before: tuple[int, int, int] | None = None
_syncs_running_lock = threading.Lock()
# While a sync runs, the collector's young generation is collected after this many new objects
# (Python's default: 700). See _collector_skips_older_objects.
SYNC_YOUNG_COLLECTION_OBJECTS = 10_000


@contextmanager
def _collector_skips_older_objects() -> Iterator[None]:
    """While any sync fetches, the objects alive when the first one began are left out of the
    garbage collector's passes (``gc.freeze``; given back when the last sync ends), and the young
    objects are collected less often.

    A full pass over the older objects (the modules, the account's earlier data) held every
    thread for up to 110 ms during a large sync: a request that a rate limit had just let go
    reached the venue that much later, bunched with the next ones. Freezing and thawing cost
    nothing; what is created during the sync is collected as usual. A process that froze its own
    objects before (the window freezes what exists after start-up) keeps them as they are:
    nothing is frozen or thawed here then.

    A sync's pages live from their answer to their commit, so at Python's default threshold a
    large sync at ten times an exchange's limits ran over a thousand young passes and a hundred
    middle ones (about 6 ms each, every thread held) over records still waiting for the writer:
    1.2 s of the interpreter's time. Every SYNC_YOUNG_COLLECTION_OBJECTS new objects instead: 0.3 s.
    (Objects freed by their last reference, most of a sync's, are freed at once either way; only
    reference cycles wait for a pass.) The thresholds before are restored when the last sync ends.
    """
    global _syncs_running, _sync_froze, _thresholds_before
    with _syncs_running_lock:
        if _syncs_running == 0:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                _sync_froze = True
            young, middle, old = gc.get_threshold()
            if 0 < young < SYNC_YOUNG_COLLECTION_OBJECTS:
                _thresholds_before = (young, middle, old)
                gc.set_threshold(SYNC_YOUNG_COLLECTION_OBJECTS, middle, old)
        _syncs_running += 1
    try:
        yield
    finally:
        with _syncs_running_lock:
            _syncs_running -= 1
            if _syncs_running == 0:
                if _sync_froze:
                    gc.unfreeze()
                    _sync_froze = False
                if _thresholds_before is not None:
                    gc.set_threshold(*_thresholds_before)
                    _thresholds_before = None


def _stream_status(failure: Failure | None, cancelled: bool) -> str:
    if cancelled:
        return "cancelled"
    if failure is None:
        return "ok"
    return "gap" if failure.kind is FailureKind.HISTORY_GAP else "failed"


def _gap_notice(gaps: Sequence[tuple[str, Failure]], connector: Connector) -> Failure | None:
    """One notice for the endpoint row naming every subject the venue refused (None: no gap)."""
    if not gaps:
        return None
    subjects = sorted({subject for subject, _ in gaps})
    first = min(gaps, key=lambda gap: gap[0])[1]
    return describe(
        FailureKind.HISTORY_GAP,
        exchange=connector.info.name,
        code=first.code,
        detail=", ".join(subjects),
        hint=first.hint,
    )


def _explained(failure: Failure, key: KeyConfig, info: EndpointInfo, connector: Connector) -> Failure:
    """The venue's words made true for this key: a "missing permission" on an endpoint only a
    main-account key can read, for a key verified as a sub-account key, is that."""
    if (
        failure.kind is FailureKind.PERMISSION
        and info.main_account_only
        and key.verification.is_master is False
    ):
        explained = main_account_only(connector.info.name, info.display_name())
        return Failure(explained.kind, explained.message, explained.hint, failure.code)
    return failure
