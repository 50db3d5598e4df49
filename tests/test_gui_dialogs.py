"""The exchange picker, the add/edit key dialog and the remove dialog, driven like a user would.

Real widgets (offscreen), a real Store, an in-memory keyring and the Bybit simulator on loopback:
a key is only "valid" here if the simulator accepts its signature.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDateTime, Qt, QTimer, QTimeZone
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.background import running_background_calls
from cryptact_desktop.ui.keys.key_dialog import KeyDialog
from cryptact_desktop.ui.keys.remove_dialog import RemoveKeyDialog
from cryptact_desktop.ui.keys.site_picker import custom_url_problem
from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
from cryptact_desktop.venues.registry import CUSTOM_HOST

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform plugin says this whenever a visible window's size limits change.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

UID = 731001
RO_KEY, RO_SECRET = "GUIREADONLYKEY01", "GuiReadOnlySecret0123456789abcdefXYZ"
RW_KEY, RW_SECRET = "GUIREADWRITEKEY2", "GuiReadWriteSecret0123456789abcdefXY"
OTHER_UID = 731002
OTHER_KEY, OTHER_SECRET = "GUIOTHERACCOUNT3", "GuiOtherAccountSecret0123456789abcdef"


@pytest.fixture(scope="module")
def sim() -> Iterator[BybitSimulator]:
    keys = [
        SimulatedKey(RO_KEY, RO_SECRET, UID),
        SimulatedKey(
            RW_KEY,
            RW_SECRET,
            UID,
            read_only=False,
            permissions={"Spot": ["SpotTrade"], "Wallet": ["AccountTransfer", "Withdraw"]},
        ),
        SimulatedKey(OTHER_KEY, OTHER_SECRET, OTHER_UID),
    ]
    accounts = [
        generate_account(seed=7, size="tiny", uid=UID),
        generate_account(seed=8, size="tiny", uid=OTHER_UID),
    ]
    simulator = BybitSimulator(accounts=accounts, keys=keys, rate_limit_scale=100)
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def fresh_sim(sim: BybitSimulator) -> BybitSimulator:
    sim.reset_log()
    return sim


@pytest.fixture
def service(store: Store, secret_store: SecretStore) -> AppService:
    return AppService(store, secret_store)


@pytest.fixture(autouse=True)
def _no_thread_left_behind(qtbot: QtBot) -> Iterator[None]:
    yield
    # A cancelled check keeps running until its request returns; never end a test under it.
    qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=10_000)


def open_dialog(qtbot: QtBot, service: AppService, **kwargs: object) -> KeyDialog:
    dialog = KeyDialog(service, "bybit", **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def child(dialog: QWidget, cls: type, name: str):  # type: ignore[no-untyped-def]
    widget = dialog.findChild(cls, name)
    assert widget is not None, name
    return widget


def fill(qtbot: QtBot, dialog: KeyDialog, url: str, api_key: str, secret: str) -> None:
    """Type like a user: paste the key and secret, pick "Custom URL" and enter the simulator's."""
    combo = dialog.host_combo
    combo.setCurrentIndex(combo.findData(CUSTOM_HOST))
    url_edit = child(dialog, QLineEdit, "customUrlEdit")
    assert url_edit.isVisible()
    url_edit.clear()
    qtbot.keyClicks(url_edit, url)
    for name, text in (("credential_api_key", api_key), ("credential_secret", secret)):
        edit = child(dialog, QLineEdit, name)
        edit.clear()
        qtbot.keyClicks(edit, text)


def submit_and_wait_for_check(qtbot: QtBot, dialog: KeyDialog) -> object:
    with qtbot.waitSignal(dialog.verification_finished, timeout=10_000) as blocker:
        qtbot.mouseClick(child(dialog, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    return blocker.args[0]


def visible_error(dialog: QWidget, name: str) -> str:
    label = child(dialog, QLabel, name)
    return label.text() if label.isVisible() else ""


def stored_bytes(store: Store) -> bytes:
    path = store.database
    data = b""
    for suffix in ("", "-wal"):
        try:
            with open(f"{path}{suffix}", "rb") as handle:
                data += handle.read()
        except FileNotFoundError:
            pass
    return data


# --------------------------------------------------------------------------- exchange picker


def test_picker_filters_and_enter_picks_bybit(qtbot: QtBot) -> None:
    dialog = VenuePickerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Manage your API keys"
    search = child(dialog, QLineEdit, "searchEdit")
    exchanges = child(dialog, QListWidget, "exchangeList")
    next_button = child(dialog, QPushButton, "nextButton")
    assert exchanges.count() >= 1 and exchanges.item(0).text() == "Bybit"
    assert not exchanges.item(0).icon().isNull()

    qtbot.keyClicks(search, "zzz")
    assert all(exchanges.item(i).isHidden() for i in range(exchanges.count()))
    assert not next_button.isEnabled() and dialog.selected_exchange_id() is None
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert dialog.result() == 0 and dialog.isVisible()  # Enter with no match does nothing

    search.clear()
    qtbot.keyClicks(search, "BYB")
    visible = [exchanges.item(i).text() for i in range(exchanges.count()) if not exchanges.item(i).isHidden()]
    assert visible == ["Bybit"]
    assert next_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(search, Qt.Key.Key_Return)
    assert dialog.selected_exchange_id() == "bybit"


def test_picker_double_click_and_static_pick(qtbot: QtBot) -> None:
    dialog = VenuePickerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    exchanges = child(dialog, QListWidget, "exchangeList")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        exchanges.itemDoubleClicked.emit(exchanges.item(0))
    assert dialog.selected_exchange_id() == "bybit"

    def answer() -> None:
        modal = QApplication.activeModalWidget()
        assert isinstance(modal, VenuePickerDialog)
        qtbot.mouseClick(child(modal, QPushButton, "nextButton"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    assert VenuePickerDialog.pick() == "bybit"

    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())  # type: ignore[union-attr]
    assert VenuePickerDialog.pick() is None


# --------------------------------------------------------------------------- key dialog: local checks


def test_key_dialog_layout_follows_the_catalogue(qtbot: QtBot, service: AppService) -> None:
    dialog = open_dialog(qtbot, service)
    assert dialog.windowTitle() == "Add key for Bybit"
    assert child(dialog, QLineEdit, "labelEdit").text() == "Bybit"
    assert dialog.findChild(QLineEdit, "credential_passphrase") is None  # Bybit has no passphrase
    sub = child(dialog, QLineEdit, "subaccountEdit")
    assert "Most users leave this blank" in sub.placeholderText()
    secret = child(dialog, QLineEdit, "credential_secret")
    assert secret.echoMode() == QLineEdit.EchoMode.Password
    dialog.show_secret_button.click()
    assert secret.echoMode() == QLineEdit.EchoMode.Normal
    dialog.show_secret_button.click()
    assert secret.echoMode() == QLineEdit.EchoMode.Password

    hosts = [dialog.host_combo.itemData(i) for i in range(dialog.host_combo.count())]
    assert hosts == [h.id for h in BYBIT.hosts] + [CUSTOM_HOST]
    assert not child(dialog, QLineEdit, "customUrlEdit").isVisible()
    for endpoint in BYBIT.endpoints:
        box = dialog.endpoint_picker.boxes[endpoint.id]
        assert box.objectName() == f"endpoint_{endpoint.id}"
        assert box.isChecked() == endpoint.default_enabled
        assert box.toolTip() == endpoint.display_lookback()
    dialog.select_none_button.click()
    assert not any(b.isChecked() for b in dialog.endpoint_picker.boxes.values())
    dialog.select_all_button.click()
    assert all(b.isChecked() for b in dialog.endpoint_picker.boxes.values())

    # Esc closes an idle dialog.
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_local_validation_catches_bad_input_without_any_request(
    qtbot: QtBot, service: AppService, fresh_sim: BybitSimulator
) -> None:
    dialog = open_dialog(qtbot, service)
    submit = child(dialog, QPushButton, "submitButton")

    # Empty key and secret: both flagged under their fields.
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert visible_error(dialog, "api_keyError") == "This field is required."
    assert visible_error(dialog, "secretError") == "This field is required."
    assert dialog.focusWidget() is child(dialog, QLineEdit, "credential_api_key")

    # A key with a space inside, an empty label, no endpoint, a plain-http remote URL.
    fill(qtbot, dialog, "http://example.com", "GUIREADONLY KEY01", RO_SECRET)
    child(dialog, QLineEdit, "labelEdit").clear()
    dialog.select_none_button.click()
    qtbot.keyClick(child(dialog, QLineEdit, "credential_secret"), Qt.Key.Key_Return)  # Enter submits
    assert "spaces" in visible_error(dialog, "api_keyError")
    assert visible_error(dialog, "secretError") == ""
    assert visible_error(dialog, "labelError") != ""
    assert visible_error(dialog, "endpointsError") == "Tick at least one endpoint to sync."
    assert "https://" in visible_error(dialog, "custom_urlError")
    assert visible_error(dialog, "errorLabel") == ""

    assert fresh_sim.request_log == []
    assert running_background_calls() == 0
    assert service.store.list_keys() == []
    assert submit.isEnabled() and submit.text() == "Submit"


def test_custom_url_rules() -> None:
    assert custom_url_problem("https://api.example.com") is None
    assert custom_url_problem("http://127.0.0.1:8080") is None
    assert custom_url_problem("http://localhost:8080/") is None
    assert custom_url_problem("http://[::1]:9000") is None
    assert custom_url_problem("http://127.0.0.1.evil.example") == "plain_http"
    assert custom_url_problem("http://example.com") == "plain_http"
    assert custom_url_problem("http://localhost.evil.example") == "plain_http"
    assert custom_url_problem("http://127.0.0.1@evil.example") == "malformed"
    assert custom_url_problem("http://127.0.0.2:8080") is None  # all of 127/8 is this computer
    assert custom_url_problem("ftp://example.com") == "scheme"
    assert custom_url_problem("https://") == "malformed"
    assert custom_url_problem("  ") == "empty"


# --------------------------------------------------------------------------- key dialog: verification


def test_wrong_secret_shows_the_signature_error_and_saves_nothing(
    qtbot: QtBot, service: AppService, secret_store: SecretStore, fresh_sim: BybitSimulator
) -> None:
    dialog = open_dialog(qtbot, service)
    fill(qtbot, dialog, fresh_sim.base_url, RO_KEY, "WrongSecret0123456789abcdefXYZ0000")
    result = submit_and_wait_for_check(qtbot, dialog)
    assert getattr(result, "code", "") == "10004"
    error = visible_error(dialog, "errorLabel")
    assert "The secret key does not match the API key" in error
    assert "Paste the secret again exactly as Bybit showed it" in error
    assert dialog.isVisible() and dialog.saved_key_id() is None
    assert dialog.focusWidget() is child(dialog, QLineEdit, "credential_secret")
    assert dialog.submit_button.isDefault()  # Enter tries again after the secret is re-pasted
    assert service.store.list_keys() == []
    assert not secret_store.has(1)
    assert [e.path for e in fresh_sim.request_log] == ["/v5/user/query-api"]


def test_valid_read_only_key_is_saved_with_its_settings(
    qtbot: QtBot, service: AppService, secret_store: SecretStore, fresh_sim: BybitSimulator
) -> None:
    dialog = open_dialog(qtbot, service)
    label = child(dialog, QLineEdit, "labelEdit")
    label.clear()
    qtbot.keyClicks(label, "  Bybit main  ")
    # Pasted with stray whitespace around it (a common copy-paste accident).
    fill(qtbot, dialog, fresh_sim.base_url + "/", f"  {RO_KEY}\t", f" {RO_SECRET}  ")
    qtbot.keyClicks(child(dialog, QLineEdit, "subaccountEdit"), "")

    # Endpoints: only spot and deposits.
    dialog.select_none_button.click()
    dialog.endpoint_picker.boxes["spot"].click()
    dialog.endpoint_picker.boxes["deposits"].click()

    # Sync from a custom timestamp: the toggle enables the date field.
    date_edit = dialog.sync_from_edit
    assert not date_edit.isEnabled()
    dialog.sync_from_check.click()
    assert date_edit.isEnabled()
    start = QDateTime.fromMSecsSinceEpoch(1_704_067_200_000, QTimeZone.utc())  # 2024-01-01 00:00 UTC
    date_edit.setDateTime(start)

    with qtbot.waitSignal(dialog.keySaved, timeout=10_000) as saved:
        qtbot.mouseClick(child(dialog, QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
        assert dialog.progress_widget.isVisible()
        assert dialog.progress_label.text() == "Checking the key with Bybit…"
    key_id = saved.args[0]
    assert dialog.saved_key_id() == key_id
    assert dialog.result() == KeyDialog.DialogCode.Accepted

    key = service.store.get_key(key_id)
    assert key.label == "Bybit main"
    assert key.exchange == "bybit" and key.host_id == CUSTOM_HOST and key.base_url == fresh_sim.base_url
    assert key.enabled_endpoints == ("spot", "deposits")
    assert key.sync_from_ms == 1_704_067_200_000
    assert key.subaccount == ""
    assert key.key_hint == RO_KEY[:4] + "…"
    assert key.verification.read_only is True and key.verification.exchange_user_id == str(UID)
    assert secret_store.load(key_id) == Credentials(RO_KEY, RO_SECRET)  # trimmed
    assert RO_SECRET.encode() not in stored_bytes(service.store)


def test_read_write_key_needs_save_anyway(
    qtbot: QtBot, service: AppService, fresh_sim: BybitSimulator
) -> None:
    dialog = open_dialog(qtbot, service)
    fill(qtbot, dialog, fresh_sim.base_url, RW_KEY, RW_SECRET)
    submit = child(dialog, QPushButton, "submitButton")
    result = submit_and_wait_for_check(qtbot, dialog)
    assert getattr(result, "read_only", None) is False
    warning = visible_error(dialog, "warningLabel")
    assert "not read-only" in warning and "withdraw" in warning
    assert submit.text() == "Save anyway" and submit.isEnabled()
    assert service.store.list_keys() == [] and dialog.isVisible()

    with qtbot.waitSignal(dialog.keySaved, timeout=10_000):
        qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    (key,) = service.store.list_keys()
    assert key.verification.read_only is False
    assert len(fresh_sim.request_log) == 1  # the second click saved without asking again


def test_editing_the_key_after_a_warning_asks_again(
    qtbot: QtBot, service: AppService, fresh_sim: BybitSimulator
) -> None:
    dialog = open_dialog(qtbot, service)
    fill(qtbot, dialog, fresh_sim.base_url, RW_KEY, RW_SECRET)
    submit_and_wait_for_check(qtbot, dialog)
    submit = child(dialog, QPushButton, "submitButton")
    assert submit.text() == "Save anyway"
    # Pasting another key withdraws the "Save anyway": the new key is checked first.
    fill(qtbot, dialog, fresh_sim.base_url, RO_KEY, RO_SECRET)
    assert submit.text() == "Submit" and not child(dialog, QLabel, "warningLabel").isVisible()
    with qtbot.waitSignal(dialog.keySaved, timeout=10_000):
        qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert service.store.list_keys()[0].verification.read_only is True


def test_second_key_for_the_same_account_offers_to_replace_the_first(
    qtbot: QtBot, service: AppService, fresh_sim: BybitSimulator
) -> None:
    first = open_dialog(qtbot, service)
    fill(qtbot, first, fresh_sim.base_url, RO_KEY, RO_SECRET)
    with qtbot.waitSignal(first.keySaved, timeout=10_000):
        qtbot.mouseClick(first.submit_button, Qt.MouseButton.LeftButton)
    (kept,) = service.store.list_keys()

    second = open_dialog(qtbot, service)
    assert second.label_edit.text() == "Bybit 2"  # "Bybit" is taken
    # A key of the same account (UID) that can also trade: both are said, and the offer is to
    # replace the first key's API key, never to save a second key of one account.
    fill(qtbot, second, fresh_sim.base_url, RW_KEY, RW_SECRET)
    submit_and_wait_for_check(qtbot, second)
    warning = visible_error(second, "warningLabel")
    assert f"This Bybit account (UID {UID}) already has key {kept.id} (Bybit)" in warning
    assert "Replace key" in warning and "history and settings are kept" in warning
    assert second.submit_button.text() == "Replace key"
    with qtbot.waitSignal(second.keySaved, timeout=10_000) as saved:
        qtbot.mouseClick(second.submit_button, Qt.MouseButton.LeftButton)
    assert saved.args == [kept.id]
    (replaced,) = service.store.list_keys()
    assert replaced.id == kept.id and replaced.label == "Bybit"
    assert replaced.verification.read_only is False  # the second key (it can trade) is now used
    assert service.secrets.load(kept.id).api_key == RW_KEY

    # Editing a key of another account and pasting this account's key: refused, nothing changes.
    other = service.add_key(
        NewKey(
            exchange="bybit",
            label="Other",
            host_id=CUSTOM_HOST,
            endpoints=("spot",),
            base_url=fresh_sim.base_url,
        ),
        Credentials(OTHER_KEY, OTHER_SECRET),
    )
    edit = open_dialog(qtbot, service, key=other)
    fill(qtbot, edit, fresh_sim.base_url, RO_KEY, RO_SECRET)
    submit_and_wait_for_check(qtbot, edit)
    error = visible_error(edit, "errorLabel")
    assert f"already has key {kept.id} (Bybit)" in error and "edit “Bybit” instead" in error
    assert service.secrets.load(other.id).api_key == OTHER_KEY
    assert len(service.store.list_keys()) == 2


def test_cancelling_a_slow_check_keeps_the_dialog_usable(
    qtbot: QtBot, service: AppService, secret_store: SecretStore
) -> None:
    slow = BybitSimulator(
        accounts=[generate_account(seed=9, size="tiny", uid=UID)],
        keys=[SimulatedKey(RO_KEY, RO_SECRET, UID)],
        rate_limit_scale=100,
        latency_ms=1500,
    )
    slow.start()
    try:
        dialog = open_dialog(qtbot, service)
        fill(qtbot, dialog, slow.base_url, RO_KEY, RO_SECRET)
        results: list[object] = []
        dialog.verification_finished.connect(results.append)
        submit = child(dialog, QPushButton, "submitButton")
        cancel = child(dialog, QPushButton, "cancelButton")
        qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
        assert dialog.is_busy() and not submit.isEnabled() and cancel.isEnabled()
        assert not dialog.label_edit.isEnabled()
        qtbot.waitUntil(lambda: len(slow.request_log) == 0 and running_background_calls() == 1, timeout=2000)

        # The GUI thread is not blocked: events are processed while the request is pending.
        ticks: list[int] = []
        QTimer.singleShot(50, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks), timeout=1000)

        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and not dialog.is_busy()
        assert submit.isEnabled() and submit.text() == "Submit" and dialog.label_edit.isEnabled()
        assert "cancelled" in visible_error(dialog, "errorLabel")

        # The late answer arrives and is ignored.
        qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=10_000)
        qtbot.wait(50)
        assert results == [] and dialog.isVisible() and dialog.saved_key_id() is None
        assert service.store.list_keys() == [] and not secret_store.has(1)
        assert len(slow.request_log) == 1

        # Still usable: Esc now closes it.
        with qtbot.waitSignal(dialog.rejected, timeout=2000):
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    finally:
        slow.stop()


def test_locked_keyring_is_reported_inline(qtbot: QtBot, store: Store, fresh_sim: BybitSimulator) -> None:
    service = AppService(store, SecretStore(MemoryKeyring(locked=True)))
    dialog = open_dialog(qtbot, service)
    fill(qtbot, dialog, fresh_sim.base_url, RO_KEY, RO_SECRET)
    submit_and_wait_for_check(qtbot, dialog)
    qtbot.waitUntil(lambda: "keyring is locked" in visible_error(dialog, "errorLabel"), timeout=10_000)
    assert dialog.isVisible() and store.list_keys() == []
    assert dialog.submit_button.isEnabled()


def test_suggested_sync_from_is_preset(qtbot: QtBot, service: AppService) -> None:
    dialog = open_dialog(qtbot, service, suggested_sync_from_ms=1_700_000_000_123)
    assert dialog.sync_from_check.isChecked() and dialog.sync_from_edit.isEnabled()
    assert dialog.sync_from_edit.dateTime().toMSecsSinceEpoch() == 1_700_000_000_123
    assert "import" in child(dialog, QLabel, "syncFromNote").text()


# --------------------------------------------------------------------------- key dialog: edit mode


def test_edit_mode_never_shows_the_secret_and_saves_settings_without_a_request(
    qtbot: QtBot, service: AppService, secret_store: SecretStore, fresh_sim: BybitSimulator
) -> None:
    key = service.add_key(
        NewKey(
            "bybit", "Main", CUSTOM_HOST, ("spot", "deposits"), base_url=fresh_sim.base_url, key_hint="GUIR…"
        ),
        Credentials(RO_KEY, RO_SECRET),
    )
    dialog = open_dialog(qtbot, service, key=key)
    assert dialog.windowTitle() == "Edit key for Bybit"
    api_key, secret = (
        child(dialog, QLineEdit, "credential_api_key"),
        child(dialog, QLineEdit, "credential_secret"),
    )
    assert api_key.text() == "" and secret.text() == ""
    assert api_key.placeholderText() == "unchanged" and secret.placeholderText() == "unchanged"
    texts = [w.text() for w in dialog.findChildren(QLineEdit)] + [
        w.text() for w in dialog.findChildren(QLabel)
    ]
    assert not any(RO_SECRET in t or RO_KEY in t for t in texts)
    assert child(dialog, QLineEdit, "customUrlEdit").text() == fresh_sim.base_url
    assert (
        dialog.endpoint_picker.boxes["spot"].isChecked()
        and not dialog.endpoint_picker.boxes["linear"].isChecked()
    )

    dialog.label_edit.setText("Main renamed")
    dialog.endpoint_picker.boxes["linear"].click()
    dialog.sync_from_check.click()
    with qtbot.waitSignal(dialog.keySaved, timeout=5000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    updated = service.store.get_key(key.id)
    assert updated.label == "Main renamed"
    assert updated.enabled_endpoints == ("spot", "linear", "deposits")  # catalogue order
    assert updated.sync_from_ms is not None
    assert fresh_sim.request_log == []  # nothing to verify: the credentials did not change
    assert secret_store.load(key.id) == Credentials(RO_KEY, RO_SECRET)


def test_edit_mode_replaces_credentials_after_verifying(
    qtbot: QtBot, service: AppService, secret_store: SecretStore, fresh_sim: BybitSimulator
) -> None:
    key = service.add_key(
        NewKey("bybit", "Main", CUSTOM_HOST, ("spot",), base_url=fresh_sim.base_url, key_hint="GUIR…"),
        Credentials(RO_KEY, RO_SECRET),
    )
    dialog = open_dialog(qtbot, service, key=key)
    # Only a new key without its secret: caught locally.
    qtbot.keyClicks(child(dialog, QLineEdit, "credential_api_key"), OTHER_KEY)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert visible_error(dialog, "secretError") == "This field is required."
    assert fresh_sim.request_log == []

    # A wrong secret: refused, the stored credentials stay.
    qtbot.keyClicks(child(dialog, QLineEdit, "credential_secret"), "NotTheRightSecret0123456789")
    submit_and_wait_for_check(qtbot, dialog)
    assert "does not match" in visible_error(dialog, "errorLabel")
    assert secret_store.load(key.id) == Credentials(RO_KEY, RO_SECRET)

    child(dialog, QLineEdit, "credential_secret").clear()
    qtbot.keyClicks(child(dialog, QLineEdit, "credential_secret"), OTHER_SECRET)
    with qtbot.waitSignal(dialog.keySaved, timeout=10_000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert secret_store.load(key.id) == Credentials(OTHER_KEY, OTHER_SECRET)
    updated = service.store.get_key(key.id)
    assert updated.key_hint == OTHER_KEY[:4] + "…"
    assert updated.verification.exchange_user_id == str(OTHER_UID)


# --------------------------------------------------------------------------- remove dialog


def test_remove_dialog_returns_the_explicit_choice(qtbot: QtBot, store: Store) -> None:
    key = store.get_key(store.add_key(NewKey("bybit", "Main", "global", ("spot",), key_hint="ABCD…")))

    for button, expected in (("keepButton", "keep"), ("deleteButton", "delete"), ("cancelButton", None)):
        dialog = RemoveKeyDialog(key, 1234)
        qtbot.addWidget(dialog)
        dialog.show()
        assert "1234" in child(dialog, QPushButton, "deleteButton").text().replace(",", "")
        assert child(dialog, QPushButton, "keepButton").isVisible()
        qtbot.mouseClick(child(dialog, QPushButton, button), Qt.MouseButton.LeftButton)
        assert dialog.choice() == expected

    # Enter and Esc are safe: both cancel.
    dialog = RemoveKeyDialog(key, 5)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.choice() is None

    # No transactions: a single "Remove key" choice.
    dialog = RemoveKeyDialog(key, 0)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not child(dialog, QPushButton, "keepButton").isVisible()
    assert child(dialog, QPushButton, "deleteButton").text() == "Remove key"

    QTimer.singleShot(
        0,
        lambda: child(QApplication.activeModalWidget(), QPushButton, "keepButton").click(),  # type: ignore[arg-type]
    )
    assert RemoveKeyDialog.ask(key, 3) == "keep"


def test_a_wrong_custom_address_is_called_wrong_not_an_app_problem(
    qtbot: QtBot, service: AppService, fresh_sim: BybitSimulator
) -> None:
    dialog = open_dialog(qtbot, service)
    fill(qtbot, dialog, f"{fresh_sim.base_url}/api", RO_KEY, RO_SECRET)  # not where the API answers
    submit_and_wait_for_check(qtbot, dialog)
    error = visible_error(dialog, "errorLabel")
    assert "does not answer at the key's API address" in error and "Edit key" in error
    assert "problem in the app" not in error
    assert dialog.focusWidget() is dialog.custom_url_edit
    assert service.store.list_keys() == []


def test_a_label_with_a_line_break_or_an_invisible_character_is_refused_under_the_field(
    qtbot: QtBot, service: AppService, fresh_sim: BybitSimulator
) -> None:
    dialog = open_dialog(qtbot, service)
    assert dialog.label_edit.maxLength() == 60
    fill(qtbot, dialog, fresh_sim.base_url, RO_KEY, RO_SECRET)
    for label in ("Main\u202eniaM", "Main\nkey"):
        dialog.label_edit.setText(label)  # pasted
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
        assert "invisible character" in visible_error(dialog, "labelError")
        assert dialog.focusWidget() is dialog.label_edit
        assert not dialog.is_busy() and fresh_sim.request_log == []  # nothing was sent
    assert service.store.list_keys() == []
