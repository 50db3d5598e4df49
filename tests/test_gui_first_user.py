"""Issue 13: what stood between a new user and the walk-through (export, import, Assistant,
demo, quitting), each checked on the real widgets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from main_window_teardown import close_with_the_test
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from cryptact_desktop.export.cryptact.format import HEADER
from cryptact_desktop.imports import import_file
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui import demo_session, export_dialog
from cryptact_desktop.ui.app import DEMO_SPEED, build_main_window, start_demo
from cryptact_desktop.ui.export_dialog import ExportDialog
from cryptact_desktop.ui.files.import_dialog import ImportDialog
from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
from cryptact_desktop.ui.main.window import MainWindow
from cryptact_desktop.venues.registry import make_connector


@pytest.fixture
def service(tmp_path: Path) -> Iterator[AppService]:
    store = Store(tmp_path / "first.db")
    yield AppService(store, SecretStore(MemoryKeyring()))
    store.close()


def test_export_warns_against_uploading_a_venue_cryptact_syncs_by_api(
    service: AppService, qtbot: QtBot, tmp_path: Path
) -> None:
    service.store.add_key(NewKey(exchange="bybit", label="Main", host_id="global", endpoints=("spot",)))
    service.store.add_key(
        NewKey(exchange="bitflyer", label="JP", host_id="global", endpoints=("executions",))
    )
    dialog = ExportDialog(service, directory=tmp_path)
    qtbot.addWidget(dialog)
    warning = dialog.findChild(QLabel, "apiWarning")
    assert not warning.isHidden()
    assert "API inside Cryptact" in warning.text() and "twice" in warning.text()
    assert "Bybit" in warning.text() and "bitFlyer" in warning.text()


def test_export_with_nothing_stored_has_no_venue_warning(
    service: AppService, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = ExportDialog(service, directory=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "apiWarning").isHidden()


def test_first_export_without_a_documents_folder_saves_in_the_home_folder(
    service: AppService, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    missing = home / "Documents"
    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(lambda location: str(missing)))
    assert export_dialog._default_directory() == home
    dialog = ExportDialog(service)
    qtbot.addWidget(dialog)
    assert Path(dialog.path_edit.text()).parent == home
    missing.mkdir()
    assert export_dialog._default_directory() == missing


def test_the_picker_does_not_promise_imports_the_importer_refuses(
    service: AppService, qtbot: QtBot, tmp_path: Path
) -> None:
    # A Cryptact custom file (what the export writes) is not a file the importer takes...
    custom = tmp_path / "cryptact_custom.csv"
    custom.write_text(
        ",".join(HEADER) + "\r\n2024/03/18 00:01:00,BUY,Bybit,BTC,0.1,60000,USDT,0,USDT,x\r\n",
        encoding="utf-8",
    )
    result = import_file(service.store, custom, account_id=None, exchange="bybit", tz=ZoneInfo("UTC"))
    assert not result.ok and result.refusal is not None
    # ...so a search without a match must not hint that one can be imported.
    picker = VenuePickerDialog()
    qtbot.addWidget(picker)
    picker.search_edit.setText("Some other exchange")
    text = picker.findChild(QLabel, "emptyLabel").text()
    assert "Some other exchange" in text
    assert "custom file" not in text and "can be imported" not in text
    assert "cannot read" in text


def test_import_error_sentences_are_not_repeated(service: AppService, qtbot: QtBot, tmp_path: Path) -> None:
    unknown = tmp_path / "holdings.csv"
    unknown.write_text("Coin,Amount\nBTC,1\n", encoding="utf-8")
    dialog = ImportDialog(service, exchange_id="bybit")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewFinished, timeout=10_000):
        dialog.set_file(unknown)
    sentences = [s.strip() for s in re.split(r"[.\n]", dialog.message_label.text()) if s.strip()]
    assert sentences and len(sentences) == len(set(sentences))
    assert dialog.message_label.text().count("Bybit spot trade history (Unified Trading Account)") == 1


@pytest.fixture
def demo_window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    """The main window of a ``--demo`` run: the demo simulators started and registered."""
    store = Store(tmp_path / "demo.db")
    factory = partial(make_connector, rate_limit_scale=DEMO_SPEED)
    service = AppService(store, SecretStore(MemoryKeyring()), connector_factory=factory)
    demos = start_demo(service)
    settings = QSettings(str(tmp_path / "demo.ini"), QSettings.Format.IniFormat)
    window = build_main_window(service, store, settings=settings, demo=True, quit_app=lambda: None)
    close_with_the_test(qtbot, window)
    window.refresh_keys()
    yield window
    for demo in demos:
        demo.stop()
    demo_session.clear()
    store.close()


def test_demo_add_key_for_bybit_works_without_the_command_line(demo_window: MainWindow, qtbot: QtBot) -> None:
    before = {key.id for key in demo_window.store.list_keys()}
    dialog = demo_window.open_key_dialog("bybit")
    host = dialog.findChild(QComboBox, "hostCombo")
    assert host.currentIndex() == 0 and host.currentText() == "Demo exchange (this computer)"
    box = dialog.findChild(QLabel, "demoKeyLabel")
    assert box is not None and "API key:" in box.text() and "Secret key:" in box.text()
    qtbot.mouseClick(dialog.findChild(QPushButton, "pasteDemoKeyButton"), Qt.MouseButton.LeftButton)
    with (
        qtbot.waitSignal(demo_window.controller.finished, timeout=120_000) as finished,
        qtbot.waitSignal(dialog.keySaved, timeout=30_000) as saved,
    ):
        qtbot.mouseClick(dialog.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    key_id = int(saved.args[0])
    assert key_id not in before
    assert finished.args[0].key_id == key_id and finished.args[0].ok  # the first sync ran by itself
    assert demo_window.store.count_transactions() > 0


def test_demo_keys_are_added_with_their_sync_start(demo_window: MainWindow) -> None:
    # Binance's demo keys sync from the demo account's opening (its fiat history allows two
    # requests a minute); the others from as far back as their APIs reach.
    starts = {(key.exchange, key.sync_from_ms is not None) for key in demo_window.store.list_keys()}
    assert ("binance", True) in starts and ("binance", False) not in starts
    assert ("bybit", False) in starts


def test_demo_offers_a_sample_file_to_import(demo_window: MainWindow, qtbot: QtBot) -> None:
    dialog = ImportDialog(demo_window.service, demo_window, exchange_id="bybit")
    qtbot.addWidget(dialog)
    button = dialog.findChild(QPushButton, "useSampleFileButton")
    assert button is not None
    with qtbot.waitSignal(dialog.previewFinished, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.importFinished, timeout=10_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].ok and finished.args[0].new_records > 0


def test_outside_a_demo_nothing_demo_is_offered(service: AppService, qtbot: QtBot) -> None:
    dialog = ImportDialog(service, exchange_id="bybit")
    qtbot.addWidget(dialog)
    assert dialog.findChild(QPushButton, "useSampleFileButton") is None
