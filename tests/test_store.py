from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from cryptact_desktop.errors import FailureKind, describe
from cryptact_desktop.records import NormalizedRecord, TransactionKind
from cryptact_desktop.state import EndpointStatus, NewKey, StreamProgress, TransactionFilter
from cryptact_desktop.store import Store, merge_ranges, missing_ranges
from cryptact_desktop.store.models import Base


def _key(store: Store, endpoints: tuple[str, ...] = ("spot", "deposits")) -> int:
    return store.add_key(NewKey(exchange="bybit", label="Main", host_id="global", endpoints=endpoints))


def _record(i: int, ts: int = 1_700_000_000_000) -> NormalizedRecord:
    return NormalizedRecord(
        exchange_id=f"exec-{i}",
        timestamp_ms=ts + i,
        kind=TransactionKind.TRADE,
        base="BTC",
        quote="USDT",
        amount="0.1",
        price="30000",
        raw={"execId": f"exec-{i}"},
    )


def test_merge_and_missing_ranges() -> None:
    assert merge_ranges([(6, 9), (1, 5), (20, 30), (25, 26)]) == [(1, 9), (20, 30)]
    assert missing_ranges((0, 100), [(10, 20), (30, 40)]) == [(0, 9), (21, 29), (41, 100)]
    assert missing_ranges((15, 35), [(10, 20), (30, 40)]) == [(21, 29)]
    assert missing_ranges((10, 20), [(0, 100)]) == []
    assert missing_ranges((10, 20), []) == [(10, 20)]


def test_migrated_schema_equals_the_model(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert {"api_keys", "transactions", "covered_ranges", "stream_progress", "sync_runs"} <= set(
        inspect(store.engine).get_table_names()
    )
    store.close()
    # Opening again runs the migrations as a no-op.
    Store(tmp_path / "m.db").close()


def test_newest_revision_is_alembics_head_and_an_old_database_is_upgraded(tmp_path: Path) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from cryptact_desktop.store.database import (
        alembic_config,
        current_revision,
        newest_revision,
        open_engine,
    )

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert newest_revision() == head
    # A database left at the first revision is not mistaken for current: opening upgrades it.
    engine = open_engine(tmp_path / "old.db")
    assert current_revision(engine) is None
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert current_revision(engine) == "0001"
    engine.dispose()
    store = Store(tmp_path / "old.db")
    assert current_revision(store.engine) == head
    store.close()


def test_commit_page_is_idempotent_and_tracks_coverage(store: Store) -> None:
    key_id = _key(store)
    page = [_record(i) for i in range(5)]
    assert store.commit_page(
        key_id, "spot", "execution_spot", page, covered=None, progress=StreamProgress(0, 99, "c1")
    ) == (5, 0)
    assert store.progress(key_id, "spot", "execution_spot") == [StreamProgress(0, 99, "c1")]
    assert store.commit_page(
        key_id, "spot", "execution_spot", page[2:] + [_record(9)], covered=(0, 99), window_done=0
    ) == (1, 3)
    assert store.progress(key_id, "spot", "execution_spot") == []
    store.commit_page(key_id, "spot", "execution_spot", [], covered=(100, 200), progress=None)
    store.commit_page(key_id, "spot", "execution_spot", [], covered=(300, 400), progress=None)
    assert store.coverage(key_id, "spot", "execution_spot") == [(0, 200), (300, 400)]
    assert store.count_transactions() == 6
    assert store.get_key(key_id).endpoint("spot").record_count == 6


def test_pages_committed_together_end_as_if_committed_one_by_one(store: Store) -> None:
    # A busy writer commits many pages at once, each stream's rows, ranges and resume points
    # together: what is stored, and the new rows counted per stream, are what page-by-page
    # commits give.
    from cryptact_desktop.store.sync_state import PageCommit

    key_id = _key(store)
    store.commit_page(
        key_id, "spot", "execution_spot", [_record(0)], covered=None, progress=StreamProgress(500, 599, "old")
    )
    many = [_record(i) for i in range(1, 301)]  # more than one INSERT statement holds
    pages = [
        # window 0-99: a page with a resume point, then its last page (one record seen twice)
        PageCommit("spot", "execution_spot", many[:150], None, StreamProgress(0, 99, "c1"), None),
        PageCommit("deposits", "deposit_onchain", [_record(1000)], (0, 50), None, 0),
        PageCommit("spot", "execution_spot", [*many[149:], _record(0)], (0, 99), None, 0),
        # another window of the same stream: unfinished, then the saved one is finished too
        PageCommit("spot", "execution_spot", [], None, StreamProgress(200, 299, "c2"), None),
        PageCommit("spot", "execution_spot", [], (500, 599), None, 500),
        PageCommit("spot", "execution_spot", [], (100, 199), None, None),
    ]
    results = store.commit_pages(key_id, pages)
    assert [new for new, _ in results] == [150, 1, 150, 0, 0, 0]
    assert sum(duplicates for _, duplicates in results) == 2  # exec-150 twice, exec-0 stored before
    assert store.progress(key_id, "spot", "execution_spot") == [StreamProgress(200, 299, "c2")]
    assert store.coverage(key_id, "spot", "execution_spot") == [(0, 199), (500, 599)]
    assert store.coverage(key_id, "deposits", "deposit_onchain") == [(0, 50)]
    assert store.count_transactions() == 302
    key = store.get_key(key_id)
    assert (key.endpoint("spot").record_count, key.endpoint("deposits").record_count) == (301, 1)


def test_a_failing_page_commits_nothing(store: Store) -> None:
    key_id = _key(store)
    bad = [_record(1), NormalizedRecord(exchange_id=None, timestamp_ms=1, kind=TransactionKind.TRADE)]  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - any integrity error
        store.commit_page(key_id, "spot", "execution_spot", bad, covered=(0, 10), progress=None)
    assert store.count_transactions() == 0
    assert store.coverage(key_id, "spot", "execution_spot") == []


def test_endpoint_status_and_failure_roundtrip(store: Store) -> None:
    key_id = _key(store)
    store.mark_syncing(key_id, ["spot"])
    assert store.get_key(key_id).endpoint("spot").status is EndpointStatus.SYNCING
    failure = describe(FailureKind.SIGNATURE, exchange="Bybit", code="10004")
    store.finish_endpoint(
        key_id, "spot", status=EndpointStatus.FAILED, failure=failure, success_ms=None, unreachable=(1, 2)
    )
    key = store.get_key(key_id)
    assert key.endpoint("spot").failure == failure
    assert key.endpoint("spot").unreachable_from_ms == 1
    assert key.status is EndpointStatus.FAILED
    store.mark_syncing(key_id, ["deposits"])
    assert store.reset_stale_syncing() == 1
    assert store.get_key(key_id).endpoint("deposits").status is EndpointStatus.NEVER


def test_update_and_remove_key(store: Store) -> None:
    key_id = _key(store)
    store.commit_page(key_id, "spot", "execution_spot", [_record(1)], covered=None, progress=None)
    key = store.update_key(key_id, label="Renamed", endpoints=["deposits", "convert"], sync_from_ms=5)
    assert key.label == "Renamed" and key.sync_from_ms == 5
    assert key.enabled_endpoints == ("deposits", "convert")
    assert key.endpoint("spot").record_count == 1  # disabled, state kept
    store.remove_key(key_id, delete_transactions=False)
    assert store.count_transactions() == 1
    assert store.get_key(key_id).paused
    store.remove_key(key_id, delete_transactions=True)
    assert store.count_transactions() == 0
    assert store.list_keys() == []


def test_transactions_filters_and_streaming(store: Store) -> None:
    key_id = _key(store)
    store.commit_page(
        key_id, "spot", "execution_spot", [_record(i) for i in range(30)], covered=None, progress=None
    )
    assert store.count_transactions(TransactionFilter(asset="btc")) == 30
    assert store.count_transactions(TransactionFilter(asset="ETH")) == 0
    newest = store.transactions(TransactionFilter(), limit=3)
    assert [t.exchange_id for t in newest] == ["exec-29", "exec-28", "exec-27"]
    streamed = [view.exchange_id for view, _raw in store.iter_transactions(batch=7)]
    assert streamed == [f"exec-{i}" for i in range(30)]


@pytest.mark.parametrize("newest_first", [True, False])
def test_transaction_pages_follow_each_other_by_time_and_id(store: Store, newest_first: bool) -> None:
    key_id = _key(store)
    # Three rows share each time: a page may end between two of them.
    records = [_record(i, ts=1_700_000_000_000 + (i // 3) * 1000 - i) for i in range(20)]
    store.commit_page(key_id, "spot", "execution_spot", records, covered=None, progress=None)
    flt = TransactionFilter(newest_first=newest_first)
    whole = store.transactions(flt)
    pages: list[str] = []
    after: tuple[int, int] | None = None
    while True:
        page = store.transactions(flt, limit=4, after=after)
        if not page:
            break
        pages += [t.exchange_id for t in page]
        after = (page[-1].timestamp_ms, page[-1].id)
    assert pages == [t.exchange_id for t in whole] and len(set(pages)) == 20


def test_a_busy_writer_keeps_one_connection_with_a_warm_page_cache(tmp_path: Path) -> None:
    # The pool gives back the connection used last: a sync's writer commits on the same connection
    # each time, whose page cache (sized for a large account's indexes) is still valid, instead of
    # the one idle longest, whose cache another connection's commits made stale.
    from cryptact_desktop.store.database import CACHE_KIB, open_engine

    engine = open_engine(tmp_path / "pool.sqlite")
    try:
        older, newer = engine.raw_connection(), engine.raw_connection()
        older_driver, newer_driver = older.driver_connection, newer.driver_connection
        assert older_driver is not newer_driver
        older.close()
        newer.close()  # returned last
        again = engine.raw_connection()
        assert again.driver_connection is newer_driver
        assert again.driver_connection.execute("PRAGMA cache_size").fetchone() == (-CACHE_KIB,)
        again.close()
    finally:
        engine.dispose()
