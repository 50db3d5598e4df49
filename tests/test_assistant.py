"""The Assistant's decision logic, without Qt: venues, search, pages, venue states, summary."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cryptact_desktop import assistant as a
from cryptact_desktop.errors import FailureKind, describe
from cryptact_desktop.imports import import_file
from cryptact_desktop.state import EndpointStatus, NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.simulator import SimAccount, generate_account
from cryptact_desktop.venues.bybit.simulator.exports import write_export

UID = 6101


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=5, size="tiny", uid=UID)


def _chain(venue_id: str, name: str, *, api: bool, files: bool) -> VenueInfo:
    return VenueInfo(
        id=venue_id,
        name=name,
        supports_subaccounts=False,
        supports_api=api,
        supports_files=files,
        hosts=(),
        endpoints=(),
        kind="blockchain",
    )


def test_venues_list_every_catalogue_entry_with_capabilities() -> None:
    catalogue = (
        _chain("eth", "Ethereum", api=True, files=False),
        BYBIT,
        _chain("x", "Xchain", api=False, files=False),
    )
    items = a.venues(catalogue)
    assert [v.id for v in items] == ["bybit", "eth", "x"]  # exchanges first, then blockchains
    assert items[0].capability is a.Capability.API_AND_FILES
    assert items[1].capability is a.Capability.API
    assert not items[2].selectable
    assert a.capability_label(a.Capability.FILES) == "File upload only"
    from cryptact_desktop.venues.registry import VENUES

    registry = a.venues()
    assert {v.id for v in registry} == {item.id for item in VENUES} and "bybit" in {v.id for v in registry}
    # Exchanges first, then blockchains, each by name.
    order = [(v.kind != "exchange", v.name.casefold()) for v in registry]
    assert order == sorted(order)


def test_search_is_case_and_space_insensitive() -> None:
    items = a.venues((BYBIT, _chain("eth", "Ethereum", api=True, files=True)))
    assert [v.id for v in a.search(items, "  BY bit ")] == ["bybit"]
    assert [v.id for v in a.search(items, "eth")] == ["eth"]
    assert a.search(items, "") == items
    assert a.search(items, "kraken") == ()


def test_selection_validation_and_page_flow() -> None:
    items = a.venues((BYBIT, _chain("x", "Xchain", api=False, files=False)))
    assert not a.check_selection([], items).ok
    assert a.check_selection([], items).message
    assert not a.check_selection(["x"], items).ok
    assert not a.check_selection(["nope"], items).ok
    assert a.check_selection(["bybit"], items).ok
    assert a.normalize_selection(["bybit", "nope", "bybit"], items) == ("bybit",)
    assert a.next_page(a.Page.SELECT, [], items) is a.Page.SELECT
    assert not a.can_advance(a.Page.CONFIRM, [], items)
    assert a.next_page(a.Page.SELECT, ["bybit"], items) is a.Page.CONFIRM
    assert a.next_page(a.Page.CONFIRM, ["bybit"], items) is a.Page.TRANSACTIONS
    assert a.can_advance(a.Page.TRANSACTIONS, ["bybit"], items)
    assert a.next_page(a.Page.TRANSACTIONS, ["bybit"], items) is a.Page.SUMMARY
    assert a.next_page(a.Page.SUMMARY, ["bybit"], items) is None


def test_first_start_and_dismiss_for_good(store: Store) -> None:
    assert a.should_auto_open(store)
    a.dismiss_for_good(store)
    assert not a.should_auto_open(store)
    a.dismiss_for_good(store, False)
    assert a.should_auto_open(store)
    store.add_key(NewKey("bybit", "Main", "global", ("spot",)))
    assert not a.should_auto_open(store)


def test_states_targets_key_plan_and_summary(store: Store, tmp_path: Path, account: SimAccount) -> None:
    items = [v for v in a.venues() if v.id == "bybit"]
    (status,) = a.venue_statuses(store, ["bybit"], items)
    assert status.state is a.VenueState.NOTHING
    assert a.upload_target(status) is None
    assert a.key_plan(store, status) == a.KeyPlan(a.KeyAction.NEW)
    assert [t.account_id for t in a.import_targets(store, "bybit")] == [None]
    nothing = a.summary(store, [status])
    assert not nothing.can_sync_now and nothing.lines[0].account_id is None

    path, made = write_export(account, "spot_trades", tmp_path)
    result = import_file(store, path, account_id=None, exchange="bybit", tz=ZoneInfo("UTC"))
    assert result.ok and result.account_id is not None
    file_account = result.account_id
    status = a.venue_status(store, items[0])
    assert status.state is a.VenueState.FILE_IMPORTED
    assert a.upload_target(status) == file_account
    plan = a.key_plan(store, status)
    assert plan.action is a.KeyAction.ATTACH and plan.account_id == file_account
    assert plan.suggested_sync_from_ms is not None
    assert plan.suggested_sync_from_ms >= max(made.times_ms) // 1000 * 1000
    assert a.suggested_sync_from(store, file_account) == plan.suggested_sync_from_ms
    targets = a.import_targets(store, "bybit")
    assert [t.account_id for t in targets] == [file_account, None] and targets[0].file_only
    assert not a.summary(store, [status]).can_sync_now

    key_id = store.add_key(NewKey("bybit", "Bybit", "global", ("spot", "linear")))
    status = a.venue_status(store, items[0])
    assert status.state is a.VenueState.KEY_AND_FILE
    assert a.upload_target(status) == key_id  # the API account gets further files
    assert a.key_plan(store, status).action is a.KeyAction.NEW
    assert [t.account_id for t in a.import_targets(store, "bybit")] == [key_id, file_account, None]
    result_summary = a.summary(store, [status])
    assert result_summary.sync_key_ids == (key_id,)
    assert "2 endpoint(s)" in next(line.text for line in result_summary.lines if line.will_sync)
    assert "records" in status.describe()

    store.update_key(key_id, paused=True)
    assert not a.summary(store, [a.venue_status(store, items[0])]).can_sync_now


def test_default_time_zone() -> None:
    assert a.default_time_zone("bybit", None) == "UTC"
    assert a.default_time_zone("bybit", "Asia/Tokyo") == "Asia/Tokyo"


def test_a_blockchain_card_and_summary_speak_of_wallets(tmp_path: Path) -> None:
    chain = a.VenueChoice("chain", "Chain", "blockchain", True, False)
    wallet = a.AccountInfo(7, "Cold wallet", False, 0, 12, ("transactions",), False)
    assert a.VenueStatus(chain, (wallet,)).describe() == "Wallet added — 1 wallet(s), 12 records"
    store = Store(tmp_path / "s.sqlite")
    (line,) = a.summary(store, [a.VenueStatus(chain, ())]).lines
    store.close()
    assert line.text == "Nothing added yet: add a wallet address later with “+”."


def test_a_key_whose_sync_failed_is_never_shown_as_added(store: Store) -> None:
    items = [v for v in a.venues() if v.id == "bybit"]
    key_id = store.add_key(
        NewKey(exchange="bybit", label="Main", host_id="global", endpoints=("spot", "deposits"))
    )
    assert a.venue_status(store, items[0]).state is a.VenueState.KEY_ADDED
    failure = describe(FailureKind.SIGNATURE, exchange="Bybit")
    store.finish_endpoint(
        key_id, "spot", status=EndpointStatus.FAILED, failure=failure, success_ms=None, unreachable=None
    )
    status = a.venue_status(store, items[0])
    assert status.state is a.VenueState.KEY_FAILED
    assert status.describe().startswith("API key added, but its sync failed")
    store.finish_endpoint(
        key_id, "spot", status=EndpointStatus.OK, failure=None, success_ms=1, unreachable=None
    )
    assert a.venue_status(store, items[0]).state is a.VenueState.KEY_ADDED
