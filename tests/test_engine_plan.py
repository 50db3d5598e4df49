"""Window planning: what the engine asks for, before any request is sent."""

from __future__ import annotations

import threading
from dataclasses import replace

from cryptact_desktop.state import NewKey, StreamProgress
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import (
    MAX_DENSE_WINDOWS_IN_FLIGHT,
    MAX_WINDOWS_IN_FLIGHT,
    DenseFirst,
    SyncEngine,
    rate_limit_floor_seconds,
    windows_in_flight,
)
from cryptact_desktop.sync.planner import Plan, plan_stream
from cryptact_desktop.venues.base import DAY_MS, Paging, RateLimit, StreamInfo
from cryptact_desktop.venues.bybit.catalogue import BYBIT

NOW = 1_790_000_000_123
SPOT = BYBIT.endpoint("spot").streams[0]
DEPOSITS = BYBIT.endpoint("deposits").streams[0]
LEDGER = BYBIT.endpoint("transaction_log").streams[0]


def _key(store: Store, sync_from_ms: int | None = None) -> int:
    return store.add_key(
        NewKey(
            exchange="bybit",
            label="k",
            host_id="global",
            endpoints=("spot", "deposits"),
            sync_from_ms=sync_from_ms,
        )
    )


def test_first_sync_walks_two_years_in_seven_day_windows(store: Store) -> None:
    engine = SyncEngine(store)
    key = store.get_key(_key(store))
    plan = engine.plan(key, "spot", SPOT, NOW)
    assert plan.windows[0].window.start_ms == NOW - 730 * DAY_MS + engine.depth_margin_ms
    windows = [p.window for p in plan.windows]
    assert windows[-1].end_ms == NOW
    for window, following in zip(windows, windows[1:], strict=False):
        assert window.end_ms - window.start_ms <= 7 * DAY_MS
        assert following.start_ms == window.end_ms + 1
    assert len(windows) == 105
    assert plan.windows[-1].claim_end_ms == NOW - engine.settle_lag_ms
    # What lies beyond Bybit's two years is reported, not silently skipped.
    assert plan.unreachable == (SPOT.earliest_ms, windows[0].start_ms - 1)


def test_second_granular_windows_are_aligned_and_under_thirty_days(store: Store) -> None:
    engine = SyncEngine(store)
    key = store.get_key(_key(store, sync_from_ms=NOW - 100 * DAY_MS + 777))
    plan = engine.plan(key, "deposits", DEPOSITS, NOW)
    assert plan.unreachable is None
    assert plan.windows[0].window.start_ms % 1000 == 0
    for window in [p.window for p in plan.windows[:-1]]:
        assert window.end_ms - window.start_ms < 30 * DAY_MS
        assert window.end_ms % 1000 == 999
    assert len(plan.windows) == 4


def test_only_missing_time_is_planned_and_an_interrupted_window_resumes_first(store: Store) -> None:
    engine = SyncEngine(store)
    key_id = _key(store, sync_from_ms=NOW - 30 * DAY_MS)
    key = store.get_key(key_id)
    start = NOW - 30 * DAY_MS
    store.commit_page(key_id, "spot", SPOT.id, [], covered=(start, start + 20 * DAY_MS), progress=None)
    plan = engine.plan(key, "spot", SPOT, NOW)
    assert plan.windows[0].window.start_ms == start + 20 * DAY_MS + 1
    assert len(plan.windows) == 2 and plan.windows[0].cursor is None
    pending = StreamProgress(start + 20 * DAY_MS + 1, start + 27 * DAY_MS + 1, "cursor-7")
    store.commit_page(key_id, "spot", SPOT.id, [], covered=None, progress=pending)
    plan = engine.plan(key, "spot", SPOT, NOW)
    assert plan.windows[0].cursor == "cursor-7"
    assert (plan.windows[0].window.start_ms, plan.windows[0].window.end_ms) == (
        pending.window_start_ms,
        pending.window_end_ms,
    )
    assert plan.windows[1].window.start_ms == pending.window_end_ms + 1
    # A fully covered stream plans nothing.
    store.commit_page(key_id, "spot", SPOT.id, [], covered=(start, NOW), progress=None)
    assert engine.plan(key, "spot", SPOT, NOW).windows == ()


# --------------------------------------------------------------------------- other paging modes

LAG = 120_000
NEWEST = replace(SPOT, id="walk", window_ms=None, depth_days=None, paging=Paging.NEWEST_FIRST)
OLDEST = replace(SPOT, id="ids", window_ms=None, depth_days=None, paging=Paging.OLDEST_FIRST)


def _plan(
    store: Store, stream: StreamInfo, covered: list[tuple[int, int]], progress: list[StreamProgress]
) -> Plan:
    key = store.get_key(_key(store, sync_from_ms=NOW - 30 * DAY_MS))
    return plan_stream(
        key, stream, now=NOW, covered=covered, progress=progress, settle_lag_ms=LAG, depth_margin_ms=0
    )


def test_a_newest_first_walk_goes_down_to_the_oldest_gap_and_resumes_a_killed_walk(store: Store) -> None:
    start = NOW - 30 * DAY_MS
    first = _plan(store, NEWEST, [], [])
    assert [(w.window.start_ms, w.window.end_ms, w.claim_end_ms, w.cursor) for w in first.windows] == [
        (start, NOW, NOW - LAG, None)
    ]
    # A walk killed on its way down resumes from its cursor; the time above what it claimed gets a
    # new walk from the newest record down to it.
    killed = StreamProgress(start, NOW - DAY_MS, "before=12345")
    again = _plan(store, NEWEST, [], [killed])
    assert [(w.window.start_ms, w.claim_end_ms, w.cursor) for w in again.windows] == [
        (start, NOW - DAY_MS, "before=12345"),
        (NOW - DAY_MS + 1, NOW - LAG, None),
    ]
    # A hole below covered time (the start moved earlier) is reached by walking down to it.
    holed = _plan(store, NEWEST, [(start + 10 * DAY_MS, NOW - DAY_MS)], [])
    assert [(w.window.start_ms, w.claim_end_ms) for w in holed.windows] == [(start, NOW - LAG)]
    assert _plan(store, NEWEST, [(start, NOW - LAG)], []).windows == ()


def test_an_oldest_first_walk_continues_from_its_saved_cursor(store: Store) -> None:
    start = NOW - 30 * DAY_MS
    fresh = _plan(store, OLDEST, [], [])
    assert [(w.window.start_ms, w.window.end_ms, w.claim_end_ms, w.cursor) for w in fresh.windows] == [
        (start, NOW, NOW - LAG, None)
    ]
    # After a complete walk the cursor for the next sync is kept at the first uncovered time.
    done_until = NOW - 3 * DAY_MS
    tail = StreamProgress(done_until + 1, done_until + 1, "fromId=981")
    resumed = _plan(store, OLDEST, [(start, done_until)], [tail])
    assert [(w.window.start_ms, w.claim_end_ms, w.cursor) for w in resumed.windows] == [
        (done_until + 1, NOW - LAG, "fromId=981")
    ]
    # A start moved earlier: the older part is walked from its start, the rest from the cursor.
    earlier = _plan(store, OLDEST, [(start + 5 * DAY_MS, done_until)], [tail])
    assert [(w.window.start_ms, w.window.end_ms, w.cursor) for w in earlier.windows] == [
        (start, start + 5 * DAY_MS - 1, None),
        (done_until + 1, NOW, "fromId=981"),
    ]


def test_a_ledger_fetches_all_its_windows_at_once_and_other_streams_what_keeps_their_limit_busy(
    store: Store,
) -> None:
    engine = SyncEngine(store)
    key = store.get_key(_key(store))
    windows = len(engine.plan(key, "transaction_log", LEDGER, NOW).windows)
    assert LEDGER.dense and windows == 105  # two years in seven-day windows
    # The ledger: every window at once (its limiter hands out the requests), at the real limit
    # and at ten times it, and never more threads than the cap.
    assert windows_in_flight(LEDGER, windows) == windows
    assert windows_in_flight(LEDGER, windows, rate_limit_scale=10) == windows
    assert windows_in_flight(LEDGER, 1000) == MAX_DENSE_WINDOWS_IN_FLIGHT
    assert windows_in_flight(LEDGER, 3) == 3
    # Spot executions (50 a second at Bybit's limit): the rate times a round trip of up to
    # 0.3 s, split among the streams that share the limit, within bounds.
    spot_windows = len(engine.plan(key, "spot", SPOT, NOW).windows)
    assert windows_in_flight(SPOT, spot_windows) == 15
    assert windows_in_flight(SPOT, spot_windows, sharing=4) == 4
    assert windows_in_flight(SPOT, spot_windows, rate_limit_scale=10) == MAX_WINDOWS_IN_FLIGHT
    assert windows_in_flight(SPOT, 1) == 1
    # A stream that names its own bound keeps it.
    assert windows_in_flight(replace(LEDGER, max_in_flight=8), windows) == 8


def test_other_streams_wait_for_the_dense_streams_to_start_but_not_for_long() -> None:
    ledger, second = ("transaction_log", "transaction_log"), ("other_ledger", "other_ledger")
    assert DenseFirst([]).wait(lambda: False, timeout=0.0)  # no dense stream: nobody waits

    dense_first = DenseFirst([ledger, second])
    waited: list[bool] = []
    waiter = threading.Thread(target=lambda: waited.append(dense_first.wait(lambda: False, timeout=30)))
    waiter.start()
    dense_first.started(*ledger)
    dense_first.started(*ledger)  # saying it twice changes nothing
    waiter.join(0.3)
    assert waiter.is_alive() and not waited  # one dense stream has not started yet
    dense_first.started(*second)
    waiter.join(30)
    assert waited == [True]

    # A dense stream that never says it started holds the others up only so long, and not at
    # all once the sync is stopping.
    assert not DenseFirst([ledger]).wait(lambda: False, timeout=0.05)
    stopping = threading.Event()
    threading.Timer(0.05, stopping.set).start()
    assert not DenseFirst([ledger]).wait(stopping.is_set, timeout=30)


def test_the_rate_limit_floor_counts_the_windows_left_of_the_streams_sharing_a_limit() -> None:
    fiat = StreamInfo("fiat_in", DAY_MS, None, 0, 1, "uid:fiat", RateLimit(180_000, 60), 500, cost=90_000)
    unfinished = [
        (fiat, 30),
        (replace(fiat, id="fiat_out"), 32),
        (replace(fiat, id="other", limiter="ip"), 50),  # another limit: not waited for here
    ]
    # 62 requests of 90,000 weight at 180,000 a minute, the first minute's two at once: 30 minutes.
    assert rate_limit_floor_seconds(unfinished, fiat, 1.0) == 30 * 60
    assert rate_limit_floor_seconds(unfinished, fiat, 10.0) == (62 - 20) / 20 * 60  # a faster simulator
    assert rate_limit_floor_seconds(unfinished[:1], fiat, 20.0) == 0.0  # within one minute's budget
