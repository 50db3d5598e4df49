"""Issue 13: what stood between a new user and the walk-through (export, import, Assistant,
demo, quitting), each checked on the real widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.export_dialog import ExportDialog


@pytest.fixture
def service(tmp_path: Path) -> Iterator[AppService]:
    store = Store(tmp_path / "first.db")
    yield AppService(store, SecretStore(MemoryKeyring()))
    store.close()


def test_export_warns_against_uploading_a_venue_cryptact_syncs_by_api(
    service: AppService, qtbot: QtBot, tmp_path: Path
) -> None:
    service.store.add_key(NewKey(exchange="bybit", label="Main", host_id="global", endpoints=("spot",)))
    service.store.add_key(NewKey(exchange="bitflyer", label="JP", host_id="global", endpoints=("executions",)))
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
