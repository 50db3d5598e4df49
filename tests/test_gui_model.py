"""KeyTreeModel on its own: structure, roles, diffs, progress — and qtmodeltester throughout."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cryptact_desktop.errors import FailureKind, describe
from cryptact_desktop.state import EndpointState, EndpointStatus, KeyConfig, KeyVerificationInfo
from cryptact_desktop.sync.engine import SyncProgress
from cryptact_desktop.ui.keys import presenter
from cryptact_desktop.ui.keys.tree_model import Column, KeyTreeModel, Roles

pytestmark = [pytest.mark.usefixtures("qapp"), pytest.mark.qt_log_level_fail("WARNING")]

DAY = 86_400_000
NOW = 1_741_000_000_000  # 2025-03-03


def endpoint(
    name: str,
    status: EndpointStatus = EndpointStatus.NEVER,
    *,
    enabled: bool = True,
    records: int = 0,
    failure_kind: FailureKind | None = None,
    last_success_ms: int | None = None,
    unreachable: tuple[int, int] | None = None,
) -> EndpointState:
    return EndpointState(
        endpoint=name,
        enabled=enabled,
        status=status,
        last_success_ms=last_success_ms,
        last_attempt_ms=None,
        failure=describe(failure_kind, exchange="Bybit") if failure_kind else None,
        record_count=records,
        unreachable_from_ms=unreachable[0] if unreachable else None,
        unreachable_to_ms=unreachable[1] if unreachable else None,
    )


def make_key(key_id: int, *endpoints: EndpointState, label: str = "Main", paused: bool = False) -> KeyConfig:
    return KeyConfig(
        id=key_id,
        exchange="bybit",
        label=label,
        subaccount="",
        host_id="global",
        base_url="",
        sync_from_ms=None,
        paused=paused,
        key_hint="abcd…",
        verification=KeyVerificationInfo(None, (), "", None, None, None),
        endpoints=endpoints or (endpoint("spot"), endpoint("deposits")),
        created_at_ms=NOW,
        updated_at_ms=NOW,
    )


def test_structure_and_roles(qtmodeltester: ModelTester) -> None:
    model = KeyTreeModel()
    failed = make_key(
        1,
        endpoint("spot", EndpointStatus.FAILED, failure_kind=FailureKind.AUTHENTICATION),
        endpoint("linear", EndpointStatus.OK, records=7, last_success_ms=NOW),
        endpoint("option", enabled=False),
    )
    ok = make_key(
        2,
        endpoint("spot", EndpointStatus.OK, records=3, last_success_ms=NOW),
        endpoint(
            "earn",
            EndpointStatus.OK,
            last_success_ms=NOW,
            unreachable=(NOW - 400 * DAY, int(datetime(2024, 11, 24, 12, tzinfo=UTC).timestamp() * 1000)),
        ),
        label="Trading",
    )
    model.set_keys([failed, ok])
    qtmodeltester.check(model)

    assert model.rowCount() == 2
    key_index = model.key_index(1)
    assert model.rowCount(key_index) == 2  # the disabled endpoint has no row
    assert model.columnCount() == len(Column)
    assert key_index.data(Roles.KeyIdRole) == 1
    assert key_index.data(Roles.IsKeyRole) is True
    assert key_index.data(Roles.StatusRole) == EndpointStatus.FAILED
    assert key_index.data() == "Bybit · Main"
    assert isinstance(key_index.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert model.key_index(1, Column.RECORDS).data() == "7"

    spot = model.endpoint_index(1, "spot", Column.DETAILS)
    assert spot.parent() == key_index
    assert spot.data(Roles.EndpointIdRole) == "spot"
    assert spot.data(Roles.StatusRole) == EndpointStatus.FAILED
    # A key-wide cause (a bad key) is on the key row, once, with its fix; not on the endpoint row.
    assert (
        key_index.siblingAtColumn(Column.DETAILS)
        .data()
        .startswith("Invalid API key — check that the key was copied whole and belongs to Bybit")
    )
    assert spot.data() == ""
    assert "Invalid API key" in spot.data(Qt.ItemDataRole.ToolTipRole)
    assert model.endpoint_index(1, "spot").data() == "Spot trades"
    assert model.endpoint_index(1, "linear", Column.STATUS).data(Roles.StatusRole) == EndpointStatus.OK

    earn = model.endpoint_index(2, "earn", Column.DETAILS)
    assert earn.data() == (
        "History before 2024-11-25 cannot be fetched via the API — import Bybit's export file"
    ) or earn.data().startswith("History before 2024-11-2")  # local time zone shifts the day
    last_sync = model.key_index(2, Column.LAST_SYNC)
    assert last_sync.data()
    assert "UTC" in last_sync.data(Qt.ItemDataRole.ToolTipRole)


def test_set_keys_diffs_with_row_signals(qtmodeltester: ModelTester, qtbot: QtBot) -> None:
    model = KeyTreeModel()
    qtmodeltester.check(model)  # empty
    model.set_keys([make_key(1), make_key(2)])
    qtmodeltester.check(model)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    with qtbot.waitSignal(model.rowsInserted):
        model.set_keys([make_key(1), make_key(2), make_key(3)])
    with qtbot.waitSignal(model.rowsRemoved):
        model.set_keys([make_key(1), make_key(3)])
    assert [k.id for k in model.all_keys()] == [1, 3]
    qtmodeltester.check(model)

    # Endpoints switched on and off: child rows inserted and removed.
    changed = make_key(1, endpoint("spot"), endpoint("linear"), endpoint("deposits"))
    with qtbot.waitSignal(model.rowsInserted):
        model.set_keys([changed, make_key(3)])
    assert model.rowCount(model.key_index(1)) == 3
    fewer = make_key(1, endpoint("linear"), endpoint("spot", enabled=False))
    model.set_keys([fewer, make_key(3)])
    assert model.rowCount(model.key_index(1)) == 1
    qtmodeltester.check(model)
    model.set_keys([])
    assert model.rowCount() == 0
    assert not resets


def test_progress_updates_in_place(qtmodeltester: ModelTester, qtbot: QtBot) -> None:
    model = KeyTreeModel()
    model.set_keys([make_key(1, endpoint("spot", records=5), endpoint("deposits"))])
    qtmodeltester.check(model)
    model.set_running(1, True)
    assert model.key_index(1).data(Roles.StatusRole) == EndpointStatus.SYNCING
    changes: list[tuple[QModelIndex, QModelIndex]] = []
    model.dataChanged.connect(lambda a, b, *_: changes.append((a, b)))
    reached = int(datetime(2025, 3, 4, 12, tzinfo=UTC).timestamp() * 1000)
    model.apply_progress(SyncProgress(1, "spot", "execution_spot", 12, 340, reached, 3, 10))
    model.flush()  # the refresh tick does this 8 times a second
    assert changes
    details = model.endpoint_index(1, "spot", Column.DETAILS).data()
    assert details.startswith("page 12 · 340 new · reached 2025-03-0")
    assert model.key_index(1, Column.RECORDS).data() == "345"
    assert "340 new" in model.key_index(1, Column.DETAILS).data()
    model.apply_progress(SyncProgress(1, "spot", "execution_spot", 13, 341, None, 10, 10, finished=True))
    model.flush()
    assert "finishing" in model.endpoint_index(1, "spot", Column.DETAILS).data()
    qtmodeltester.check(model)
    model.set_running(1, False)
    assert model.key_index(1).data(Roles.StatusRole) == EndpointStatus.NEVER
    assert model.endpoint_index(1, "spot", Column.DETAILS).data(Roles.ProgressTextRole) == ""


def test_a_long_wait_for_the_rate_limit_is_shown_in_the_progress() -> None:
    model = KeyTreeModel()
    model.set_keys([make_key(1, endpoint("fiat"), endpoint("spot"))])
    model.set_running(1, True)
    model.apply_progress(SyncProgress(1, "spot", "spot", 1, 5, None, 1, 2, seconds_left=59.0))
    model.apply_progress(SyncProgress(1, "fiat", "fiat_in", 2, 1, None, 2, 33, seconds_left=1_790.0))
    model.flush()
    wait = "at least 30 min more (rate limit)"
    assert model.endpoint_index(1, "fiat", Column.DETAILS).data().endswith(" · " + wait)
    assert "min more" not in model.endpoint_index(1, "spot", Column.DETAILS).data()  # under a minute
    assert model.key_index(1, Column.DETAILS).data().endswith(" · " + wait)  # the longest, on the key
    model.apply_progress(SyncProgress(1, "fiat", "fiat_in", 40, 9, None, 2, 33, seconds_left=9_000.0))
    model.flush()
    assert "at least 2 h more" in model.endpoint_index(1, "fiat", Column.DETAILS).data()
    model.apply_progress(SyncProgress(1, "fiat", "fiat_in", 41, 9, None, 33, 33, finished=True))
    model.flush()
    assert "more" not in model.key_index(1, Column.DETAILS).data()


def test_a_finished_sync_is_drawn_once_with_what_it_stored() -> None:
    model = KeyTreeModel()
    model.set_keys([make_key(1, endpoint("spot"))])
    model.set_running(1, True)
    writes: list[object] = []
    model.dataChanged.connect(lambda *_: writes.append(1))
    model.set_running(1, False, render=False)  # the caller draws it next
    assert not writes and model.key_index(1).data(Roles.StatusRole) == EndpointStatus.SYNCING
    model.update_key(make_key(1, endpoint("spot", EndpointStatus.OK, records=7, last_success_ms=NOW)))
    assert model.key_index(1).data(Roles.StatusRole) == EndpointStatus.OK
    assert model.key_index(1, Column.RECORDS).data() == "7"


def test_stale_syncing_flag_is_not_shown_as_syncing() -> None:
    model = KeyTreeModel()
    stale = make_key(1, endpoint("spot", EndpointStatus.SYNCING, last_success_ms=NOW))
    model.set_keys([stale])
    assert model.key_index(1).data(Roles.StatusRole) == EndpointStatus.OK
    paused = dataclasses.replace(stale, paused=True)
    model.set_keys([paused])
    assert model.key_index(1, Column.STATUS).data() == "Paused"
    assert model.key_index(1).data(Roles.PausedRole) is True


def test_syncing_icon_animates(qtbot: QtBot) -> None:
    model = KeyTreeModel()
    model.set_keys([make_key(1)])
    model.set_running(1, True)
    first = model.key_index(1, Column.STATUS).data(Qt.ItemDataRole.DecorationRole).cacheKey()
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        pass
    later = model.key_index(1, Column.STATUS).data(Qt.ItemDataRole.DecorationRole).cacheKey()
    assert first != later
    model.set_running(1, False)


def test_a_tick_computes_only_the_progress_that_was_reported(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tick runs on the GUI thread while the sync threads compete for the GIL: the text of an
    endpoint is worked out once per report, not once per cell and tick."""
    model = KeyTreeModel()
    model.set_keys([make_key(1, endpoint("spot"), endpoint("deposits"), endpoint("linear"))])
    model.set_running(1, True)
    computed: list[str] = []
    original = presenter._progress_text

    def counting(node: presenter.KeyNode, endpoint_id: str) -> str:
        computed.append(endpoint_id)
        return original(node, endpoint_id)

    monkeypatch.setattr(presenter, "_progress_text", counting)
    model.apply_progress(SyncProgress(1, "spot", "execution_spot", 2, 40, None, 3, 10))
    with qtbot.waitSignal(model.dataChanged, timeout=1000):  # the refresh tick
        pass
    qtbot.wait(KeyTreeModel.REFRESH_MS // 2)
    assert computed == ["spot"]
    assert model.endpoint_index(1, "spot", Column.DETAILS).data().startswith("page 2 · 40 new")
    assert model.endpoint_index(1, "deposits", Column.DETAILS).data() == "Waiting…"
    computed.clear()
    qtbot.wait(KeyTreeModel.REFRESH_MS * 2)  # ticks with no report: only the arrows turn
    assert computed == []
    model.set_running(1, False)
