"""Issue 13: what stood between a new user and the walk-through (export, import, Assistant,
demo, quitting), each checked on the real widgets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cryptact_desktop.export.cryptact.format import HEADER
from cryptact_desktop.imports import import_file
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui import export_dialog
from cryptact_desktop.ui.export_dialog import ExportDialog
from cryptact_desktop.ui.files.import_dialog import ImportDialog
from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog


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
