"""Issue 13.6: every screen by keyboard alone. Tab walks each screen's focus chain and comes back
to where it started (no widget keeps Tab to itself), Shift+Tab walks it backwards, and Ctrl+Tab
switches the main window's tabs — from inside the transactions table too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from main_window_teardown import close_with_the_test
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.app import build_main_window
from cryptact_desktop.ui.assistant.wizard import AssistantWizard
from cryptact_desktop.ui.export_dialog import ExportDialog
from cryptact_desktop.ui.files.import_dialog import ImportDialog
from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
from cryptact_desktop.ui.main.settings_dialog import SyncSettingsDialog
from cryptact_desktop.ui.main.window import MainWindow

MAX_STEPS = 80


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    store = Store(tmp_path / "keys.db")
    service = AppService(store, SecretStore(MemoryKeyring()))
    key = store.add_key(NewKey("bybit", "Main", "global", ("spot", "deposits")))
    record = NormalizedRecord(
        exchange_id="e-1",
        timestamp_ms=1_700_000_000_000,
        kind=TransactionKind.TRADE,
        base="BTC",
        quote="USDT",
        side=Side.BUY,
        amount="0.01",
        price="35000",
        fee="0",
        fee_currency="BTC",
        raw={},
    )
    store.commit_page(key, "spot", "execution_spot", [record], covered=None, progress=None)
    settings = QSettings(str(tmp_path / "keys.ini"), QSettings.Format.IniFormat)
    win = build_main_window(service, store, settings=settings, quit_app=lambda: None)
    close_with_the_test(qtbot, win)
    win.refresh_keys()
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    store.close()


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "the focus went nowhere"
    return widget


def walk(qtbot: QtBot, start: QWidget, *, backwards: bool = False) -> list[QWidget]:
    """Press Tab (Shift+Tab) from ``start`` until the focus is back on it; the widgets passed."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    key, modifier = (
        (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        if backwards
        else (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
    )
    chain = [start]
    for _ in range(MAX_STEPS):
        before = _focus()
        qtbot.keyClick(before, key, modifier)
        now = _focus()
        assert now is not before, f"Tab is kept by {before.objectName() or type(before).__name__}"
        if now is start:
            return chain
        chain.append(now)
    raise AssertionError(
        f"the focus never came back to {start.objectName()}: {[w.objectName() for w in chain]}"
    )


def _names(chain: list[QWidget]) -> list[str]:
    return [w.objectName() for w in chain]


def test_main_window_keys_tab_by_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    chain = walk(qtbot, window.tree)
    assert window.tree in chain and window.tabs.tabBar() in chain
    assert "addButton" in _names(chain)  # "+" is reachable
    assert any(name.startswith("syncButton_") for name in _names(chain))  # and a key's Sync
    backwards = walk(qtbot, window.tree, backwards=True)
    assert list(reversed(chain[1:])) == backwards[1:]


def test_tab_leaves_the_transactions_table_and_ctrl_tab_switches_tabs(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.show_transactions(None)
    table = window.transactions.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    table.setCurrentIndex(table.model().index(0, 0))
    chain = walk(qtbot, table)
    names = _names(chain)
    for name in (
        "transactionsTable",
        "keyCombo",
        "endpointCombo",
        "kindCombo",
        "assetEdit",
        "resetFiltersButton",
    ):
        assert name in names, (name, names)
    walk(qtbot, table, backwards=True)
    # Ctrl+Tab from inside the table: to the API keys tab (its list focused), and back.
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.keys_page
    assert _focus() is window.tree
    qtbot.keyClick(window.tree, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.transactions_page
    assert _focus() is table
    qtbot.keyClick(
        table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.tabs.currentWidget() is window.keys_page


def _dialogs(window: MainWindow, tmp_path: Path) -> dict[str, QDialog]:
    service = window.service
    return {
        "API key picker": VenuePickerDialog(window),
        "add key": window.open_key_dialog("bybit"),
        "export": ExportDialog(service, window, directory=tmp_path),
        "import": ImportDialog(service, window),
        "settings": SyncSettingsDialog(0, window),
        "assistant": AssistantWizard(service, window),
    }


def test_every_dialog_is_usable_by_keyboard(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    for name, dialog in _dialogs(window, tmp_path).items():
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda d=dialog: QApplication.activeWindow() is d, timeout=2000)
        buttons = [b for b in dialog.findChildren(QPushButton) if b.isVisible() and b.isEnabled()]
        start = next(
            w
            for w in dialog.findChildren(QWidget)
            if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        )
        chain = walk(qtbot, start)
        assert all(w.window() is dialog for w in chain), name
        reachable = [b for b in buttons if b.focusPolicy() & Qt.FocusPolicy.TabFocus]
        assert reachable and all(b in chain for b in reachable), (name, _names(chain))
        backwards = walk(qtbot, start, backwards=True)
        assert set(backwards) == set(chain), name
        dialog.close()
