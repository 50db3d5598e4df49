"""Blockchains in the GUI: "+" → "Add wallet address" (blockchains only) and the wallet dialog built
from the venue's declaration (its address check under the field, a label from the address, the
server and the core's https/loopback rule), the wallet in the main list, the Assistant's wallet
card, and the Transfers window (own transfers, and the outgoing ones the user classifies)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from main_window_teardown import close_with_the_test
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QListWidget, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from cryptact_desktop.assistant import Page
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.transfers.book import transfer_book
from cryptact_desktop.transfers.classes import TransferClass
from cryptact_desktop.ui.app import build_main_window
from cryptact_desktop.ui.assistant.wizard import AssistantWizard
from cryptact_desktop.ui.export_dialog import ExportDialog
from cryptact_desktop.ui.keys.presenter import key_tooltip
from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
from cryptact_desktop.ui.main.window import MainWindow
from cryptact_desktop.ui.transfers.dialog import TransfersDialog
from cryptact_desktop.venues.base import short_address
from cryptact_desktop.venues.bitcoin.accounts import SimulatedWallet, account_key, simulated_wallet
from cryptact_desktop.venues.registry import CUSTOM_HOST, VENUES, make_connector, venue_info

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(
        r"^This plugin does not support (propagateSizeHints|raise|requestActivate|grabbing the keyboard)"
    ),
]

SCALE = 50.0
T0 = 1_720_000_000_000
HOUR = 3_600_000
HASH = "ab" * 32


@pytest.fixture(scope="module")
def wallet() -> Iterator[SimulatedWallet]:
    running = simulated_wallet(31, size="tiny", rate_limit_scale=SCALE)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    store = Store(tmp_path / "gui.sqlite")
    service = AppService(
        store, SecretStore(MemoryKeyring()), connector_factory=partial(make_connector, rate_limit_scale=SCALE)
    )
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    main = build_main_window(service, store, settings=settings, quit_app=lambda: None)

    close_with_the_test(qtbot, main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    store.close()


def _pick(qtbot: QtBot, venue_id: str, seen: list[list[str]]) -> None:
    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, VenuePickerDialog):
            QTimer.singleShot(20, drive)
            return
        listing = dialog.findChild(QListWidget, "exchangeList")
        seen.append(
            [str(listing.item(row).data(Qt.ItemDataRole.UserRole + 1)) for row in range(listing.count())]
        )
        seen.append([dialog.windowTitle()])
        for row in range(listing.count()):
            if listing.item(row).data(Qt.ItemDataRole.UserRole + 1) == venue_id:
                listing.setCurrentRow(row)
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)


def test_add_wallet_address_lists_blockchains_and_renders_the_wallet_dialog(
    qtbot: QtBot, window: MainWindow, wallet: SimulatedWallet
) -> None:
    assert window.add_wallet_action in window.add_menu.actions()
    seen: list[list[str]] = []
    _pick(qtbot, "bitcoin", seen)
    window.add_wallet_action.trigger()
    blockchains = [item.id for item in VENUES if item.info.is_blockchain]
    assert seen == [blockchains, ["Add wallet address"]]

    dialog = window.key_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Add wallet for Bitcoin"
    address = dialog.findChild(QLineEdit, "credential_address")
    label = dialog.findChild(QLineEdit, "labelEdit")
    assert label.text() == "Bitcoin"
    # The field's own check speaks as soon as something wrong is pasted, and names no secret.
    qtbot.keyClicks(address, "bc1qnotanaddress000000")
    error = dialog.findChild(QLabel, "addressError")
    assert error is not None and error.isVisible() and error.text()
    address.clear()
    zpub = wallet.wallet_text
    qtbot.keyClicks(address, zpub)
    assert not error.isVisible()
    assert label.text() == short_address(zpub)  # the label follows the address until named

    host = dialog.findChild(QComboBox, "hostCombo")
    assert [host.itemText(i) for i in range(host.count())][-1] == "My own server…"
    host.setCurrentIndex(host.findData(CUSTOM_HOST))
    url = dialog.findChild(QLineEdit, "customUrlEdit")
    qtbot.keyClicks(url, "http://example.com")  # plain http off this computer: refused
    qtbot.mouseClick(dialog.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    url_error = dialog.findChild(QLabel, "custom_urlError")
    assert url_error.isVisible() and "https://" in url_error.text()
    url.clear()
    qtbot.keyClicks(url, wallet.base_url)
    with qtbot.waitSignal(dialog.keySaved, timeout=30_000) as saved:
        qtbot.mouseClick(dialog.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    key = window.store.get_key(int(saved.args[0]))
    assert (key.exchange, key.label, key.key_hint) == ("bitcoin", short_address(zpub), short_address(zpub))
    # Submit starts the wallet's first sync: it completes.
    qtbot.waitUntil(lambda: not window.controller.is_running(key.id), timeout=30_000)
    assert window.store.get_key(key.id).endpoints[0].status.value == "ok"
    tooltip = key_tooltip(key, venue_info("bitcoin"))
    assert f"Address: {short_address(zpub)}" in tooltip and "API key" not in tooltip
    assert zpub not in tooltip


def test_the_assistant_offers_add_wallet_address_for_a_blockchain(qtbot: QtBot, window: MainWindow) -> None:
    wizard = AssistantWizard(window.service)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    page = wizard.select_page
    assert page.title() == "Select your exchanges and/or blockchains"
    item = page.item_for("bitcoin")
    assert item is not None
    item.setCheckState(Qt.CheckState.Checked)
    for _ in range(2):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == Page.TRANSACTIONS
    card = wizard.transactions_page.cards["bitcoin"]
    assert card.key_action.text() == "Add wallet address…" and card.key_action.isEnabled()
    assert not card.file_action.isEnabled()
    wizard.reject()


def _record(ident: str, kind: TransactionKind, amount: str, at: int, **fields: str) -> NormalizedRecord:
    side = Side.OUT if kind is TransactionKind.WITHDRAWAL else Side.IN
    return NormalizedRecord(ident, at, kind, base="BTC", side=side, amount=amount, **fields)  # type: ignore[arg-type]


def test_the_transfers_window_shows_own_transfers_and_stores_a_classification(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    store = window.store
    exchange = store.add_key(NewKey("bybit", "Exchange", CUSTOM_HOST, ("withdrawals",)))
    cold = store.add_key(NewKey("bitcoin", "Cold wallet", CUSTOM_HOST, ("transactions",)))
    out, into = TransactionKind.WITHDRAWAL, TransactionKind.DEPOSIT
    store.commit_page(
        exchange,
        "withdrawals",
        "withdrawal",
        [
            _record("w1", out, "0.25", T0, fee="0.0002", fee_currency="BTC", tx_hash=HASH),
            _record("w2", out, "0.1", T0 + 5 * HOUR, fee="0.0002", fee_currency="BTC", tx_hash="ef" * 32),
        ],
        covered=None,
    )
    store.commit_page(
        cold, "transactions", "txs", [_record("in1", into, "0.25", T0 + HOUR, tx_hash=HASH)], covered=None
    )

    # The export says how many are left and offers the way to classify them.
    export = ExportDialog(window.service, window, directory=tmp_path)
    qtbot.addWidget(export)
    export.show()
    with qtbot.waitSignal(export.exported, timeout=20_000) as exported:
        export.start_export()
    assert exported.args[0].unclassified == 1
    assert export.transfers_button.isVisible()
    assert "1 outgoing transfers match no deposit" in export.report_view.toPlainText()
    export.close()

    window.transfers_action.trigger()
    dialog = window.findChild(TransfersDialog)
    assert isinstance(dialog, TransfersDialog)
    qtbot.waitUntil(lambda: dialog.book is not None, timeout=10_000)
    pairs, unmatched = dialog.pairs_table, dialog.open_table
    assert pairs.rowCount() == 1
    assert [pairs.item(0, c).text() for c in (1, 3, 4, 6)] == [
        "0.25 BTC",
        "Bybit · Exchange",
        "Bitcoin · Cold wallet",
        "tx hash",
    ]
    assert unmatched.rowCount() == 1 and unmatched.item(0, 1).text() == "0.1 BTC"
    assert dialog.tabs.tabText(0) == "To classify (1)"
    combo = unmatched.cellWidget(0, 5)
    assert isinstance(combo, QComboBox) and combo.currentText() == "Not classified"

    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        combo.setCurrentIndex(combo.findData(TransferClass.GIFT.value))
    assert dialog.tabs.tabText(0) == "To classify (0)"
    book = transfer_book(store)
    assert book.unclassified == () and book.classification(book.unmatched[0]) is TransferClass.GIFT
    assert unmatched.cellWidget(0, 5).currentText() == "Gift"

    # A matched withdrawal the user says was sold leaves its pair (and can come back).
    overrule = pairs.cellWidget(0, 7)
    assert isinstance(overrule, QComboBox) and overrule.currentText() == "Own transfer"
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        overrule.setCurrentIndex(overrule.findData(TransferClass.SOLD.value))
    assert pairs.rowCount() == 0 and unmatched.rowCount() == 2
    assert [unmatched.cellWidget(r, 5).currentText() for r in range(2)] == [
        "Sold or paid for something",
        "Gift",
    ]
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        unmatched.cellWidget(0, 5).setCurrentIndex(0)  # "Not classified": matched again
    assert pairs.rowCount() == 1 and unmatched.rowCount() == 1
    dialog.close()


def test_a_wallet_key_from_account_key_has_no_secret_in_its_hint() -> None:
    zpub = account_key(5)
    assert venue_info("bitcoin").key_hint({"address": zpub}) == short_address(zpub)


def test_a_wallet_form_with_an_optional_provider_key(qtbot: QtBot) -> None:
    """A blockchain whose data provider takes the user's own API key: the address is checked by the
    venue's check, the key is optional and masked, and both go into the credentials (the keyring)."""
    from PySide6.QtWidgets import QFormLayout, QWidget

    from cryptact_desktop.ui.keys.credential_form import CredentialForm
    from cryptact_desktop.venues.base import BLOCKCHAIN, CredentialField, VenueInfo

    def check(value: str) -> str:
        if not value.startswith("0x") or len(value) != 42:
            raise ValueError("Not an address: paste it again.")
        return value.lower()

    info = VenueInfo(
        id="chain",
        name="Chain",
        supports_api=True,
        supports_files=False,
        hosts=(),
        endpoints=(),
        kind=BLOCKCHAIN,
        credentials=(
            CredentialField("address", "Address", secret=False, min_length=42, max_length=42, check=check),
            CredentialField("provider_key", "Provider API key", required=False, min_length=10),
        ),
    )
    host = QWidget()
    qtbot.addWidget(host)
    layout = QFormLayout(host)
    form = CredentialForm(info, host)
    form.add_rows(layout)
    labels = [layout.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text() for row in range(2)]
    assert labels == ["Address:", "Provider API key (optional):"]
    key_input = form.input("provider_key")
    assert isinstance(key_input, QLineEdit) and key_input.echoMode() == QLineEdit.EchoMode.Password

    address = "0x" + "AB" * 20
    qtbot.keyClicks(form.input("address"), "0x12")
    assert form.field_problem("address") == "Not an address: paste it again."
    form.input("address").clear()
    qtbot.keyClicks(form.input("address"), address)
    assert form.field_problem("address") == ""

    def typed() -> dict[str, str]:
        return {name: value for name, value in form.clean().fields().items() if value}

    assert typed() == {"address": address.lower()}  # no key: the provider's public access
    qtbot.keyClicks(key_input, "PROVIDERKEY123")
    assert typed() == {"address": address.lower(), "provider_key": "PROVIDERKEY123"}
    assert info.key_hint(form.clean().fields()) == f"{address.lower()[:8]}…{address.lower()[-4:]}"
