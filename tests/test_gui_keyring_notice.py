"""The key forms ask about the keyring before anything is typed (issue: secrets silently in
plaintext): a keyring that cannot hold secrets safely is explained instead of the form, and an
insecure backend the user chose in keyring's own configuration is warned about permanently.

keyring's real machinery decides: ``keyring.set_keyring`` stands for what its detection returned,
``PYTHON_KEYRING_BACKEND`` for the user's explicit choice; the backend is a real file backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import pytest
from plain_file_keyring import PlainFileKeyring
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.app import build_main_window
from cryptact_desktop.ui.background import running_background_calls
from cryptact_desktop.ui.keys.attach_dialog import AttachKeyDialog
from cryptact_desktop.ui.keys.key_dialog import KeyDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def keyring_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """keyring with no configuration and no cached backend (restored afterwards)."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setattr(keyring.backend, "_limit", None)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("PLAIN_FILE_KEYRING", str(tmp_path / "plain.json"))
    yield monkeypatch


@pytest.fixture(autouse=True)
def _no_thread_left_behind(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=10_000)


def key_dialog(qtbot: QtBot, service: AppService, **kwargs: object) -> KeyDialog:
    dialog = KeyDialog(service, "bybit", **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def notice(dialog: KeyDialog | AttachKeyDialog) -> str:
    label = dialog.findChild(QLabel, "keyringNotice")
    assert label is not None and label.isVisible()
    return label.text()


def test_a_file_keyring_picked_by_keyring_itself_is_explained_instead_of_the_form(
    qtbot: QtBot, store: Store, keyring_choice: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keyring.set_keyring(PlainFileKeyring(tmp_path / "plain.json"))
    service = AppService(store, SecretStore())
    dialog = key_dialog(qtbot, service)
    text = notice(dialog)
    assert "not stored there" in text and "plain_file_keyring.PlainFileKeyring" in text
    assert "unlock your system keyring" in text and "PYTHON_KEYRING_BACKEND" in text
    assert not dialog.form_widget.isVisible()
    assert not dialog.submit_button.isVisible()
    assert dialog.cancel_button.text() == "Close"
    dialog.submit_button.click()  # even if reached: nothing is checked or saved
    assert not dialog.is_busy()
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    assert store.list_keys() == []
    assert not (tmp_path / "plain.json").exists()

    # Editing an existing key: its settings can still be changed, but no secret can be pasted.
    new = NewKey(exchange="bybit", label="Old", host_id="global", endpoints=("spot",))
    key = store.get_key(store.add_key(new))
    edit = key_dialog(qtbot, service, key=key)
    assert "not stored there" in notice(edit)
    assert edit.form_widget.isVisible() and edit.label_edit.isEnabled()
    assert not any(w.isEnabled() for w in edit.credential_form.inputs.values())

    # Attaching a key to a file-only account: the same explanation instead of the form.
    attach = AttachKeyDialog(service, key.id)
    qtbot.addWidget(attach)
    attach.show()
    assert "not stored there" in notice(attach)
    assert not attach.attach_button.isVisible()
    assert not any(w.isVisible() for w in attach.credential_form.inputs.values())

    # The main window says it too, above everything, for as long as it is open.
    window = build_main_window(service, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.keyring_banner is not None, timeout=5_000)
    assert window.keyring_banner is not None and window.keyring_banner.isVisible()
    assert "not stored there" in window.keyring_banner.text()


def test_an_insecure_backend_chosen_explicitly_is_used_with_a_permanent_warning(
    qtbot: QtBot, store: Store, keyring_choice: pytest.MonkeyPatch
) -> None:
    keyring_choice.setenv("PYTHON_KEYRING_BACKEND", "plain_file_keyring.PlainFileKeyring")
    service = AppService(store, SecretStore())
    dialog = key_dialog(qtbot, service)
    text = notice(dialog)
    assert "as chosen in PYTHON_KEYRING_BACKEND" in text and "file" in text
    assert dialog.form_widget.isVisible() and dialog.submit_button.isVisible()
    assert all(w.isEnabled() for w in dialog.credential_form.inputs.values())

    window = build_main_window(service, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.keyring_banner is not None, timeout=5_000)
    banner = window.keyring_banner
    assert banner is not None and "as chosen in PYTHON_KEYRING_BACKEND" in banner.text()
    window.refresh_keys()  # it stays, whatever the window shows
    window.tabs.setCurrentIndex(1)
    assert banner.isVisible()


def test_the_system_or_app_keyring_needs_no_notice(
    qtbot: QtBot, store: Store, secret_store: SecretStore
) -> None:
    service = AppService(store, secret_store)
    dialog = key_dialog(qtbot, service)
    assert dialog.findChild(QLabel, "keyringNotice") is None
    assert dialog.form_widget.isVisible() and dialog.submit_button.isVisible()
    window = build_main_window(service, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=5_000)
    qtbot.wait(50)
    assert window.keyring_banner is None
