"""The GUI half of the venue contract: for every registry venue with a harness, a user adds a key
through the real main window — "+" → "Manage your API keys" → the venue → its declared credential
fields → the simulator as a custom API site → Submit — then presses the key's Sync, and the key
turns green with exactly the records the simulator's account holds.

Nothing here names a venue: the credential inputs are found by the names the venue declares
(``credential_<name>``), and what to type comes from the harness' simulated account.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from main_window_teardown import close_with_the_test
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.sync.engine import SyncResult
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.app import build_main_window
from cryptact_desktop.ui.keys.tree_model import Column, Roles
from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
from cryptact_desktop.ui.main.window import MainWindow
from cryptact_desktop.ui.widgets import venue_display_name
from cryptact_desktop.venues.harness import SimulatedAccount, VenueHarness
from cryptact_desktop.venues.registry import CUSTOM_HOST, VENUES, make_connector, venue, venue_info

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform has no window manager: it says so when a window asks for one.
    pytest.mark.qt_log_ignore(
        r"^This plugin does not support (propagateSizeHints|raise|requestActivate|grabbing the keyboard)"
    ),
]

TESTED = [item.id for item in VENUES if item.harness is not None]
SYNC_TIMEOUT_MS = 120_000


@pytest.fixture(params=TESTED)
def harness(request: pytest.FixtureRequest) -> VenueHarness:
    factory = venue(str(request.param)).harness
    assert factory is not None
    made: VenueHarness = factory()
    return made


@pytest.fixture
def sim(harness: VenueHarness) -> Iterator[SimulatedAccount]:
    running = harness.start(seed=41, size="tiny")
    yield running
    running.stop()


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot, harness: VenueHarness) -> Iterator[MainWindow]:
    store = Store(tmp_path / "gui.sqlite")
    factory = partial(make_connector, rate_limit_scale=harness.rate_limit_scale)
    service = AppService(store, SecretStore(MemoryKeyring()), connector_factory=factory)
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    main = build_main_window(service, store, settings=settings, quit_app=lambda: None)
    close_with_the_test(qtbot, main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    store.close()


def pick_in_modal_picker(qtbot: QtBot, venue_id: str, seen: list[list[tuple[str, bool]]]) -> None:
    """Once the (modal) venue picker is open: note what it lists, type the venue's name, make
    sure the venue is the selected one, press Enter."""

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, VenuePickerDialog):
            QTimer.singleShot(20, drive)
            return
        listing = dialog.findChild(QListWidget, "exchangeList")
        search = dialog.findChild(QLineEdit, "searchEdit")
        assert listing is not None and search is not None
        items = [listing.item(row) for row in range(listing.count())]
        seen.append([(item.text(), not item.icon().isNull()) for item in items])
        qtbot.keyClicks(search, venue_display_name(venue_info(venue_id)))
        for _ in range(listing.count()):  # several matches: walk down to ours
            if dialog.selected_exchange_id() == venue_id:
                break
            qtbot.keyClick(search, Qt.Key.Key_Down)
        assert dialog.selected_exchange_id() == venue_id
        qtbot.keyClick(search, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)


def paste(qtbot: QtBot, widget: QWidget, value: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setFocus()
        widget.insertPlainText(value)  # a PEM block keeps its line breaks
    else:
        assert isinstance(widget, QLineEdit)
        qtbot.keyClicks(widget, value)


def test_a_key_added_in_the_gui_is_verified_saved_and_syncs_green(
    qtbot: QtBot, window: MainWindow, harness: VenueHarness, sim: SimulatedAccount
) -> None:
    venue_id = harness.venue_id
    info = venue_info(venue_id)
    defaults = tuple(e.id for e in info.endpoints if e.default_enabled)

    # "+" (Ctrl+N) pops the menu up; "Manage your API keys" opens the venue picker.
    window.add_action.trigger()
    qtbot.waitUntil(window.add_menu.isVisible)
    window.add_menu.hide()
    listed: list[list[tuple[str, bool]]] = []
    pick_in_modal_picker(qtbot, venue_id, listed)
    window.manage_keys_action.trigger()
    # The picker lists every venue of the registry by its shown name, each with its badge.
    assert listed == [[(venue_display_name(item.info), True) for item in VENUES]]

    dialog = window.key_dialog
    assert dialog is not None and dialog.isVisible()
    for spec in info.credentials:
        widget = dialog.findChild(QWidget, f"credential_{spec.name}")
        assert widget is not None, spec.name
        assert widget.accessibleName() == spec.display_label()
        value = sim.credentials.get(spec.name, "")
        assert value or not spec.required, f"the simulated key has no {spec.name}"
        if value:
            paste(qtbot, widget, value)
    assert not set(sim.credentials) - {spec.name for spec in info.credentials}
    host = dialog.findChild(QComboBox, "hostCombo")
    host.setCurrentIndex(host.findData(CUSTOM_HOST))
    url = dialog.findChild(QLineEdit, "customUrlEdit")
    assert url.isVisible()
    qtbot.keyClicks(url, sim.base_url)
    for endpoint in info.endpoints:
        dialog.findChild(QCheckBox, f"endpoint_{endpoint.id}").setChecked(endpoint.default_enabled)

    checks: list[object] = []
    dialog.verification_finished.connect(checks.append)
    # Submit verifies and saves the key, and its first sync starts by itself (issue 13.4).
    with (
        qtbot.waitSignal(window.controller.finished, timeout=SYNC_TIMEOUT_MS) as finished,
        qtbot.waitSignal(dialog.keySaved, timeout=30_000) as saved,
    ):
        qtbot.mouseClick(dialog.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    key_id = int(saved.args[0])

    # Verified once, read-only and without warnings: saved by the one Submit, no "Save anyway".
    (verification,) = checks
    assert isinstance(verification, KeyVerification)
    assert verification.valid and verification.read_only is True and verification.warnings == ()
    key = window.store.get_key(key_id)
    assert key.exchange == venue_id and key.host_id == CUSTOM_HOST and key.base_url == sim.base_url
    assert key.enabled_endpoints == defaults
    assert key.verification.read_only is True
    assert window.service.secrets.load(key_id) == Credentials.from_fields(sim.credentials)

    # In the tree; the sync that started by itself turned it green and holds exactly what the
    # account has. Later syncs run when the user presses Sync.
    qtbot.waitUntil(lambda: window.model.key_index(key_id).isValid())
    assert window.stack.currentWidget() is window.tabs
    assert window.model.rowCount(window.model.key_index(key_id)) == len(defaults)
    result = finished.args[0]
    assert isinstance(result, SyncResult) and result.key_id == key_id
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
    status = window.model.key_index(key_id, Column.STATUS)
    assert status.data(Roles.StatusRole) == EndpointStatus.OK
    assert (
        status.data(Qt.ItemDataRole.DecorationRole).cacheKey()
        == icons.status_icon(EndpointStatus.OK).cacheKey()
    )
    for endpoint in defaults:
        assert window.model.endpoint_index(key_id, endpoint).data(Roles.StatusRole) == EndpointStatus.OK
    expected = sim.expected(defaults, 0, int(time.time() * 1000))
    assert expected, "the tiny account has records on the default endpoints"
    held = window.store.transaction_identities(key_id)
    assert held == expected, (sorted(expected - held)[:5], sorted(held - expected)[:5])
    # Every record is stored; the view counts one row per economic event (a trade's ledger copies
    # are its sources), and the key list's counts mean the same.
    assert window.store.count_transactions(TransactionFilter(with_sources=True)) == len(expected)
    shown = window.store.count_transactions()
    assert 0 < shown <= len(expected)
    assert sum(e.record_count for e in window.store.get_key(key_id).endpoints) == shown

    # Its Sync button fetches again when asked: nothing new, nothing stored twice.
    button = window.sync_button(key_id)
    assert button is not None and button.isEnabled()
    with qtbot.waitSignal(window.controller.finished, timeout=SYNC_TIMEOUT_MS) as again:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert again.args[0].ok and window.store.count_transactions() == shown
    assert window.store.count_transactions(TransactionFilter(with_sources=True)) == len(expected)
