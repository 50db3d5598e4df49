"""Issue 13.5: reasons in full and said once, numbers never cut in the middle, narrow windows keep
Sync and the filters in view, tall dialogs fit a 1366×768 screen."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from main_window_teardown import close_with_the_test
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cryptact_desktop.errors import FailureKind, describe
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.app import build_main_window
from cryptact_desktop.ui.keys.cells import Column as KeyColumn
from cryptact_desktop.ui.main import keys_page
from cryptact_desktop.ui.main.window import MainWindow
from cryptact_desktop.ui.transactions.model import Column

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    store = Store(tmp_path / "layout.db")
    service = AppService(store, SecretStore(MemoryKeyring()))
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    win = build_main_window(service, store, settings=settings, quit_app=lambda: None)
    close_with_the_test(qtbot, win)
    yield win
    store.close()


def test_a_key_wide_failure_is_shown_once_and_in_full(window: MainWindow, qtbot: QtBot) -> None:
    store = window.store
    endpoints = ("spot", "deposits", "withdrawals")
    key = store.add_key(NewKey("bybit", "Old key", "global", endpoints))
    failure = describe(FailureKind.SIGNATURE, exchange="Bybit", code="10004")
    for endpoint in endpoints:
        store.finish_endpoint(
            key, endpoint, status=EndpointStatus.FAILED, failure=failure, success_ms=None, unreachable=None
        )
    window.refresh_keys()
    model = window.model
    assert failure.message in model.key_index(key, KeyColumn.DETAILS).data()
    assert [model.endpoint_index(key, e, KeyColumn.DETAILS).data() for e in endpoints] == ["", "", ""]
    window.show()
    window.select_key(key)
    panel = window.failure_panel
    qtbot.waitUntil(panel.isVisible)
    assert failure.message in panel.text() and failure.hint in panel.text() and "10004" in panel.text()
    assert panel.wordWrap()


def test_the_failure_panel_follows_a_failure_that_arrives_while_the_key_is_selected(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The panel looks again once the tree's cells have been written (once for all of them)."""
    store = window.store
    endpoints = ("spot", "deposits", "withdrawals")
    key = store.add_key(NewKey("bybit", "Main", "global", endpoints))
    window.refresh_keys()
    window.show()
    window.select_key(key)
    panel = window.failure_panel
    looks: list[int] = []
    panel._later.timeout.connect(lambda: looks.append(1))
    qtbot.wait(50)
    assert not panel.isVisible()
    failure = describe(FailureKind.IP_WHITELIST, exchange="Bybit")
    for endpoint in endpoints:
        store.finish_endpoint(
            key, endpoint, status=EndpointStatus.FAILED, failure=failure, success_ms=None, unreachable=None
        )
    looks.clear()
    window.refresh_key(key)  # every endpoint row's cells change: many dataChanged signals
    qtbot.waitUntil(panel.isVisible)
    assert html.escape(failure.message) in panel.text() and html.escape(failure.hint) in panel.text()
    qtbot.wait(50)
    assert len(looks) == 1, "one look for the whole key, not one per changed cell"
    store.finish_endpoint(key, "spot", status=EndpointStatus.OK, failure=None, success_ms=1, unreachable=None)
    for endpoint in ("deposits", "withdrawals"):
        store.finish_endpoint(
            key, endpoint, status=EndpointStatus.OK, failure=None, success_ms=1, unreachable=None
        )
    window.refresh_key(key)
    qtbot.waitUntil(lambda: not panel.isVisible())


def test_an_endpoint_that_failed_differently_says_what_differs(window: MainWindow) -> None:
    store = window.store
    key = store.add_key(NewKey("bybit", "Main", "global", ("spot", "deposits", "earn")))
    permission = describe(FailureKind.PERMISSION, exchange="Bybit")
    store.finish_endpoint(
        key, "earn", status=EndpointStatus.FAILED, failure=permission, success_ms=None, unreachable=None
    )
    store.finish_endpoint(key, "spot", status=EndpointStatus.OK, failure=None, success_ms=1, unreachable=None)
    window.refresh_keys()
    earn = window.model.endpoint_index(key, "earn", KeyColumn.DETAILS).data()
    assert permission.message in earn
    assert window.model.endpoint_index(key, "spot", KeyColumn.DETAILS).data() == ""


def test_numbers_are_never_cut(window: MainWindow, qtbot: QtBot) -> None:
    store = window.store
    key = store.add_key(NewKey("bybit", "Main", "global", ("spot",)))
    record = NormalizedRecord(
        exchange_id="long-1",
        timestamp_ms=1_700_000_000_000,
        kind=TransactionKind.TRADE,
        base="BTC",
        quote="USDT",
        side=Side.BUY,
        amount="0.0190000000004754",
        price="35123.123456789012",
        fee="0.0000000123456789",
        fee_currency="BTC",
        raw={},
    )
    store.commit_page(key, "spot", "execution_spot", [record], covered=None, progress=None)
    window.show()
    window.resize(QSize(900, 600))
    window.show_transactions(None)
    table = window.transactions.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    metrics = table.fontMetrics()
    for column in (Column.AMOUNT, Column.PRICE, Column.FEE):
        text = str(table.model().index(0, column).data())
        assert "…" not in text
        assert table.horizontalHeader().sectionSize(column) >= metrics.horizontalAdvance(text)


def test_a_narrow_window_keeps_sync_and_the_filters_in_view(window: MainWindow, qtbot: QtBot) -> None:
    store = window.store
    key = store.add_key(NewKey("bybit", "Main account", "global", ("spot",)))
    window.refresh_keys()
    window.show()
    window.resize(QSize(640, 480))
    qtbot.waitExposed(window)
    QApplication.processEvents()
    button = window.sync_button(key)
    viewport = window.tree.viewport()
    right = button.mapTo(viewport, button.rect().topRight()).x()
    assert button.isVisible() and right <= viewport.width()
    window.show_transactions(None)
    QApplication.processEvents()
    page = window.transactions_page
    assert page.horizontalScrollBar().maximum() == 0  # nothing scrolled out of view
    view = window.transactions
    for widget in (view.key_combo, view.endpoint_combo, view.kind_combo, view.asset_edit, view.reset_button):
        assert widget.isVisible()
        assert widget.mapTo(page.viewport(), widget.rect().topRight()).x() <= page.viewport().width()


def test_the_key_column_widens_to_show_whole_names(window: MainWindow, qtbot: QtBot) -> None:
    store, tree = window.store, window.tree
    header = tree.header()
    window.show()
    window.resize(QSize(1100, 600))
    qtbot.waitExposed(window)

    def whole(key_id: int) -> bool:
        index = window.model.key_index(key_id)
        font = index.data(Qt.ItemDataRole.FontRole)
        text = QFontMetrics(font if isinstance(font, QFont) else tree.font()).horizontalAdvance(index.data())
        return tree.visualRect(index).width() >= tree.iconSize().width() + text

    short = store.add_key(NewKey("bybit", "Main", "global", ("spot",)))
    window.refresh_keys()
    QApplication.processEvents()
    assert header.sectionSize(KeyColumn.NAME) == 300 and whole(short)  # never narrower than before

    # A name wider than the column (Japanese names are wide) widens it to show it whole.
    label = "デモアカウント（読み取り専用キー）・長期保有用"
    long = store.add_key(NewKey("bybit", label, "global", ("spot",)))
    window.refresh_keys()
    qtbot.waitUntil(lambda: whole(long))
    assert 300 < header.sectionSize(KeyColumn.NAME) <= keys_page.NAME_MAX_WIDTH
    details = header.sectionSize(KeyColumn.DETAILS)
    assert details >= keys_page.DETAILS_MIN_WIDTH

    # A user who narrows it keeps that while the names stay the same (a sync refreshes the key).
    header.resizeSection(KeyColumn.NAME, 200)
    window.refresh_key(long)
    QApplication.processEvents()
    assert header.sectionSize(KeyColumn.NAME) == 200

    # A very long name stops at the cap: the Sync buttons and the details stay in view.
    store.add_key(NewKey("bybit", "とても長い名前" * 8, "global", ("spot",)))
    window.refresh_keys()
    qtbot.waitUntil(lambda: header.sectionSize(KeyColumn.NAME) == keys_page.NAME_MAX_WIDTH)


DIALOG_HEIGHTS = textwrap.dedent(
    """
    import json, sys, tempfile
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from cryptact_desktop.memory_keyring import MemoryKeyring
    from cryptact_desktop.secrets import SecretStore
    from cryptact_desktop.service import AppService
    from cryptact_desktop.store import Store
    from cryptact_desktop.ui import translation
    from cryptact_desktop.ui.app import build_main_window
    from cryptact_desktop.ui.assistant.wizard import AssistantWizard
    from cryptact_desktop.ui.export_dialog import ExportDialog
    from cryptact_desktop.ui.files.import_dialog import ImportDialog
    folder = Path(tempfile.mkdtemp())
    settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(translation.SETTINGS_LANGUAGE, sys.argv[1])
    translation.install_translator(app, settings, cache=folder)
    store = Store(folder / "x.db")
    service = AppService(store, SecretStore(MemoryKeyring()))
    window = build_main_window(service, store, settings=settings, quit_app=lambda: None)
    heights = {}
    for exchange in ("bybit", "bitflyer"):
        dialog = window.open_key_dialog(exchange)
        dialog.panel.show_error("A long reason. " * 30, "A long fix. " * 20, "10004")
        app.processEvents()
        heights["key " + exchange] = dialog.frameGeometry().height()
        dialog.close()
    for name, dialog in (
        ("export", ExportDialog(service, window, directory=folder)),
        ("import", ImportDialog(service, window)),
        ("assistant", AssistantWizard(service, window)),
    ):
        dialog.show()
        app.processEvents()
        heights[name] = dialog.frameGeometry().height()
        dialog.close()
    window.controller.shutdown()
    store.close()
    print(json.dumps({"screen": app.primaryScreen().availableGeometry().height(), "heights": heights}))
    """
)


@pytest.mark.parametrize(("height", "language"), [(768, "en"), (768, "ja"), (600, "ja")])
def test_tall_dialogs_fit_a_small_screen(tmp_path: Path, height: int, language: str) -> None:
    config = tmp_path / "screen.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": height, "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    result = subprocess.run(
        [sys.executable, "-c", DIALOG_HEIGHTS, language],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["screen"] == height
    assert shown["heights"] and all(0 < h <= height for h in shown["heights"].values()), shown


def test_the_key_form_scrolls_only_when_the_screen_is_too_small(window: MainWindow) -> None:
    from PySide6.QtWidgets import QScrollArea

    dialog = window.open_key_dialog("bybit")  # the 800×800 test screen has room for it
    QApplication.processEvents()
    area = dialog.findChild(QScrollArea, "formScrollArea")
    assert area is not None and area.verticalScrollBar().maximum() == 0
    dialog.close()
