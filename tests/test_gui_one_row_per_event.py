"""One trade, one row in the Transactions tab (issue: the view listed each spot trade twice —
the execution and its transaction-log entries): the tab, its count and the key list's counts
show one row per economic event, and "Show sources…" lists the records behind a row.

A real sync against the Bybit simulator on loopback into a real database.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.ui.app import build_main_window
from cryptact_desktop.ui.background import running_background_calls
from cryptact_desktop.ui.keys.tree_model import Column as KeyColumn
from cryptact_desktop.ui.main.window import MainWindow
from cryptact_desktop.ui.transactions.model import Column
from cryptact_desktop.ui.transactions.sources import SourcesDialog
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
from cryptact_desktop.venues.registry import make_connector

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

UID = 7300
KEY_A, SECRET_A = "ROWKEYA00000001", "ROW-SECRET-A-0000000000001"
KEY_B, SECRET_B = "ROWKEYB00000002", "ROW-SECRET-B-0000000000002"
ENDPOINTS = ("spot", "convert", "transaction_log")
FAST = 50


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[generate_account(seed=23, size="tiny", uid=UID)],
        keys=[SimulatedKey(KEY_A, SECRET_A, UID), SimulatedKey(KEY_B, SECRET_B, UID)],
        rate_limit_scale=FAST,
        ip_limit=(600 * FAST, 5.0),
    )
    url = sim.start()
    try:
        yield url
    finally:
        sim.stop()


@pytest.fixture(autouse=True)
def _no_thread_left_behind(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=10_000)


def synced_window(qtbot: QtBot, tmp_path: Path, base_url: str, *, second_key: bool) -> MainWindow:
    store = Store(tmp_path / "db.sqlite")
    service = AppService(
        store, SecretStore(MemoryKeyring()), connector_factory=partial(make_connector, rate_limit_scale=FAST)
    )
    credentials = Credentials(KEY_A, SECRET_A)
    verification = service.verify("bybit", "custom", base_url, credentials)
    key = service.add_key(
        NewKey("bybit", "Main", "custom", ENDPOINTS, base_url=base_url), credentials, verification
    )
    assert service.sync_key(key.id).ok
    if second_key:
        # A second key of the same account, as a database from before the app refused them holds.
        second = store.add_key(NewKey("bybit", "Again", "custom", ENDPOINTS, base_url=base_url))
        service.secrets.save(second, Credentials(KEY_B, SECRET_B))
        store.record_verification(
            second,
            read_only=True,
            permissions=(),
            exchange_user_id=str(UID),
            is_master=True,
            expires_at_ms=None,
        )
        assert service.sync_key(second).ok
    window = build_main_window(service, store)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.transactions_page)
    return window


def all_rows(qtbot: QtBot, window: MainWindow) -> list[object]:
    """Every row of the Transactions tab (its pages are read off the GUI thread)."""
    view = window.transactions
    model = view.model
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=10_000)
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=10_000)
    return [model.transaction(row) for row in range(model.rowCount())]


def key_list_count(window: MainWindow, key_id: int) -> int:
    text = window.model.key_index(key_id, KeyColumn.RECORDS).data()
    return QLocale().toInt(str(text))[0]


def test_one_trade_is_one_row_and_its_ledger_entries_are_its_sources(
    qtbot: QtBot, tmp_path: Path, base_url: str
) -> None:
    window = synced_window(qtbot, tmp_path, base_url, second_key=False)
    store = window.store
    (key,) = store.list_keys()
    everything = store.transactions(TransactionFilter(with_sources=True))
    copies = [t for t in everything if t.mirror_of]
    assert copies, "the transaction log lists the trades again"

    rows = all_rows(qtbot, window)
    assert not any(t.mirror_of for t in rows)  # type: ignore[attr-defined]
    assert len(rows) == len(everything) - len(copies)
    count = window.transactions.findChild(QLabel, "countLabel")
    assert count is not None
    assert count.text() == f"{QLocale().toString(len(rows))} transactions"
    # The key list counts what the tab shows, per key and per endpoint.
    assert key_list_count(window, key.id) == len(rows)
    for endpoint in ENDPOINTS:
        shown = sum(1 for t in rows if t.endpoint == endpoint)  # type: ignore[attr-defined]
        text = window.model.endpoint_index(key.id, endpoint, KeyColumn.RECORDS).data()
        assert QLocale().toInt(str(text))[0] == shown, endpoint

    # "Show sources…" on a spot trade: the trade first, then its transaction-log entries.
    view = window.transactions
    row = next(i for i, t in enumerate(rows) if t.endpoint == "spot")  # type: ignore[attr-defined]
    view.table.setCurrentIndex(view.model.index(row, Column.TIME))
    assert view.sources_action in view.table.actions()
    view.sources_action.trigger()
    (dialog,) = view.findChildren(SourcesDialog)
    assert dialog.isVisible()
    trade = rows[row]
    listed = [dialog.model.transaction(i) for i in range(dialog.row_count())]
    assert listed[0] == trade and len(listed) >= 2
    assert all(t.mirror_of == "spot" for t in listed[1:])
    # Written at the moment of the trade (the venue's lists may differ by a few milliseconds).
    assert all(abs(t.timestamp_ms - trade.timestamp_ms) <= 1000 for t in listed[1:])  # type: ignore[attr-defined]
    assert "not counted again" in dialog.explanation.text()
    assert dialog.model.index(1, Column.ENDPOINT).data() != dialog.model.index(0, Column.ENDPOINT).data()


def test_two_keys_of_one_account_show_each_record_once(qtbot: QtBot, tmp_path: Path, base_url: str) -> None:
    window = synced_window(qtbot, tmp_path, base_url, second_key=True)
    store = window.store
    first, second = store.list_keys()
    rows = all_rows(qtbot, window)
    identities = [(t.endpoint, t.exchange_id) for t in rows]  # type: ignore[attr-defined]
    assert len(identities) == len(set(identities)), "a record is shown once"
    assert {t.key_id for t in rows} == {first.id}  # type: ignore[attr-defined]
    assert key_list_count(window, first.id) == len(rows)
    assert key_list_count(window, second.id) == 0  # everything it holds is shown under the first
    # The second key's copy of a record is one of its sources.
    view = window.transactions
    view.table.setCurrentIndex(view.model.index(0, Column.TIME))
    dialog = view.show_sources()
    assert dialog is not None
    listed = [dialog.model.transaction(i) for i in range(dialog.row_count())]
    assert any(
        t.key_id == second.id and t.exchange_id == rows[0].exchange_id  # type: ignore[attr-defined]
        for t in listed[1:]
    )
