"""The Assistant end to end: pick Bybit, add a key against the real simulator, upload Bybit files
of the same account, sync, and every record is in the database exactly once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWizard
from pytestqt.qtbot import QtBot

from cryptact_desktop import assistant
from cryptact_desktop.assistant import Page, VenueState
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.ui.assistant.wizard import AssistantWizard, maybe_show_on_first_start
from cryptact_desktop.ui.background import running_background_calls
from cryptact_desktop.ui.files.import_dialog import ImportDialog
from cryptact_desktop.ui.keys.attach_dialog import AttachKeyDialog
from cryptact_desktop.ui.keys.key_dialog import KeyDialog
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimAccount, SimulatedKey, generate_account
from cryptact_desktop.venues.bybit.simulator.exports import ExportFile, record_id, write_export
from cryptact_desktop.venues.bybit.simulator.truth import reachable
from cryptact_desktop.venues.registry import CUSTOM_HOST, make_connector

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

UID = 6301
API_KEY = "WIZARDKEY00000001"
SECRET = "WIZARDSECRET000000000000000000001"
OTHER_UID = 6302
OTHER_KEY = "WIZARDOTHERKEY002"
OTHER_SECRET = "WIZARDOTHERSECRET0000000000000002"


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=3, size="tiny", uid=UID)


@pytest.fixture(scope="module")
def simulator(account: SimAccount) -> Iterator[BybitSimulator]:
    sim = BybitSimulator(
        accounts=[account, generate_account(seed=4, size="tiny", uid=OTHER_UID)],
        keys=[SimulatedKey(API_KEY, SECRET, UID), SimulatedKey(OTHER_KEY, OTHER_SECRET, OTHER_UID)],
        rate_limit_scale=50,
        ip_limit=(30000, 5.0),
    )
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def service(tmp_path: Path) -> Iterator[AppService]:
    store = Store(tmp_path / "db.sqlite")
    yield AppService(
        store,
        SecretStore(MemoryKeyring()),
        connector_factory=partial(make_connector, rate_limit_scale=50),
    )
    store.close()


@pytest.fixture(autouse=True)
def _no_thread_left_behind(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=20_000)


def _next(qtbot: QtBot, wizard: QWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _open_wizard(qtbot: QtBot, service: AppService) -> AssistantWizard:
    wizard = AssistantWizard(service)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _pick_bybit(qtbot: QtBot, wizard: AssistantWizard) -> None:
    page = wizard.select_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing selected yet
    qtbot.keyClicks(page.search_edit, "byb")
    item = page.item_for("bybit")
    assert item is not None and not item.isHidden()
    assert "API sync and file upload" in item.text()
    item.setCheckState(Qt.CheckState.Checked)
    _next(qtbot, wizard)
    assert wizard.currentId() == Page.CONFIRM
    assert wizard.confirm_page.confirm_list.count() == 1
    _next(qtbot, wizard)
    assert wizard.currentId() == Page.TRANSACTIONS


def _card_state(wizard: AssistantWizard) -> str:
    return wizard.transactions_page.cards["bybit"].state_label.text()


def _upload(qtbot: QtBot, wizard: AssistantWizard, path: Path, expect_account: int | None) -> int:
    card = wizard.transactions_page.cards["bybit"]
    card.file_action.trigger()
    dialog = wizard.child_dialog
    assert isinstance(dialog, ImportDialog) and dialog.isVisible()
    with qtbot.waitSignal(dialog.previewFinished, timeout=30_000) as previewed:
        dialog.set_file(path)
    assert previewed.args[0] is not None, dialog.message_label.text()
    assert dialog.target_combo.currentData() == expect_account
    with qtbot.waitSignal(dialog.imported, timeout=15_000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.accept()
    return int(blocker.args[0])


def _endpoint_ids(account: SimAccount, endpoint: str, now: int) -> tuple[set[str], set[str]]:
    """(the API's normalised ids a sync must get, the raw ids of every record the API still offers)."""
    from cryptact_desktop.venues.bybit.streams import STREAM_REQUESTS

    truth: set[str] = set()
    offered: set[str] = set()
    for stream in BYBIT.endpoint(endpoint).streams:
        for raw in reachable(account, stream.id, now):
            if endpoint == "transaction_log":  # the only file kind here without ids
                offered.add(record_id(stream.id, raw))
            record = STREAM_REQUESTS[stream.id].parse(raw).record
            if record is not None:
                truth.add(record.exchange_id)
    return truth, offered


def _assert_each_record_once(
    service: AppService, key_id: int, account: SimAccount, files: dict[str, ExportFile]
) -> None:
    store = service.store
    stored = store.transaction_identities(key_id)
    assert store.count_transactions(TransactionFilter(with_sources=True)) == len(
        stored
    )  # (endpoint, id) is unique: nothing twice
    now = int(time.time() * 1000)
    key = store.get_key(key_id)
    for endpoint in key.enabled_endpoints:
        truth, offered = _endpoint_ids(account, endpoint, now)
        ids = {i for e, i in stored if e == endpoint}
        real = {i for i in ids if not i.startswith("file:")}
        synthetic = {i for i in ids if i.startswith("file:")}
        if endpoint == "spot":  # the file has the exchange's ids: the same records, once
            in_file = set(files["spot_trades"].record_ids)
            assert in_file <= real
            assert real == truth | in_file
            assert synthetic == set()
        elif endpoint == "transaction_log":  # no ids in the file: rows the API has are linked, not added
            assert real == truth
            assert len(synthetic) == len(set(files["transaction_log"].record_ids) - offered)
        else:
            assert real == truth, endpoint
            assert synthetic == set()


def test_assistant_key_then_files_then_sync_now_stores_each_record_once(
    qtbot: QtBot, tmp_path: Path, service: AppService, simulator: BybitSimulator, account: SimAccount
) -> None:
    wizard = _open_wizard(qtbot, service)
    _pick_bybit(qtbot, wizard)
    assert "Nothing yet" in _card_state(wizard)

    # "Add transactions" → "Add API key…": the "+" key dialog, pre-set to Bybit.
    card = wizard.transactions_page.cards["bybit"]
    card.key_action.trigger()
    dialog = wizard.child_dialog
    assert isinstance(dialog, KeyDialog) and dialog.isVisible()
    dialog.host_combo.setCurrentIndex(dialog.host_combo.findData(CUSTOM_HOST))
    for name, text in (
        ("customUrlEdit", simulator.base_url),
        ("credential_api_key", API_KEY),
        ("credential_secret", SECRET),
    ):
        edit = dialog.findChild(QLineEdit, name)
        assert edit is not None
        qtbot.keyClicks(edit, text)
    with qtbot.waitSignal(dialog.keySaved, timeout=15_000) as saved:
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    key_id = int(saved.args[0])
    qtbot.waitUntil(lambda: wizard.child_dialog is None)
    assert "API key added" in _card_state(wizard)

    # "Upload file…": goes into the same account (the key's), so API and file rows meet.
    files: dict[str, ExportFile] = {}
    for kind in ("spot_trades", "transaction_log"):
        path, made = write_export(account, kind, tmp_path)
        files[kind] = made
        assert _upload(qtbot, wizard, path, key_id) == key_id
    assert "API key added and file imported" in _card_state(wizard)
    assert len(service.store.list_keys()) == 1

    _next(qtbot, wizard)
    assert wizard.currentId() == Page.SUMMARY
    page = wizard.summary_page
    assert page.sync_button.isEnabled()
    assert "Will sync" in page.lines_label.text()
    with qtbot.waitSignal(wizard.syncFinished, timeout=45_000) as finished:
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    results = finished.args[0]
    assert [r.key_id for r in results] == [key_id]
    assert results[0].ok, [(o.endpoint, o.failure) for o in results[0].outcomes if o.failure]
    assert "Synced" in page.sync_label.text()
    _assert_each_record_once(service, key_id, account, files)

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()


def test_assistant_files_first_then_attach_a_key_stores_each_record_once(
    qtbot: QtBot, tmp_path: Path, service: AppService, simulator: BybitSimulator, account: SimAccount
) -> None:
    wizard = _open_wizard(qtbot, service)
    _pick_bybit(qtbot, wizard)
    files: dict[str, ExportFile] = {}
    account_id: int | None = None
    for kind in ("spot_trades", "transaction_log"):
        path, made = write_export(account, kind, tmp_path)
        files[kind] = made
        account_id = _upload(qtbot, wizard, path, account_id)
    assert account_id is not None
    assert "File imported" in _card_state(wizard)
    card = wizard.transactions_page.cards["bybit"]
    assert card.key_action.text() == "Attach API key…"  # the files' account gets the key

    card.key_action.trigger()
    dialog = wizard.child_dialog
    assert isinstance(dialog, AttachKeyDialog)
    suggested = assistant.suggested_sync_from(service.store, account_id)
    assert suggested is not None and dialog.sync_from_check.isChecked()
    assert dialog.sync_from_edit.dateTime().toMSecsSinceEpoch() == suggested
    dialog.sync_from_check.setChecked(False)  # fetch everything: the overlap must still be stored once
    dialog.host_combo.setCurrentIndex(dialog.host_combo.findData(CUSTOM_HOST))
    qtbot.keyClicks(dialog.custom_url_edit, simulator.base_url)
    qtbot.keyClicks(dialog.credential_form.input("api_key"), API_KEY)
    qtbot.keyClicks(dialog.credential_form.input("secret"), SECRET)
    with qtbot.waitSignal(dialog.attached, timeout=15_000):
        qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)
    key = service.store.get_key(account_id)
    assert key.host_id == CUSTOM_HOST and not key.paused
    assert key.verification.exchange_user_id == str(UID)
    assert "API key added and file imported" in _card_state(wizard)

    result = service.sync_key(account_id)
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
    _assert_each_record_once(service, account_id, account, files)
    wizard.reject()


def test_opens_by_itself_on_a_first_start_until_dismissed_for_good(qtbot: QtBot, service: AppService) -> None:
    assert assistant.should_auto_open(service.store)
    assert maybe_show_on_first_start(service, None)
    wizard = next(w for w in qtbot_top_level() if isinstance(w, AssistantWizard) and w.isVisible())
    qtbot.waitExposed(wizard)
    assert wizard.select_page.dismiss_check.isVisible()
    wizard.select_page.dismiss_check.setChecked(True)
    with qtbot.waitSignal(wizard.finished, timeout=5_000):
        wizard.reject()
    assert not assistant.should_auto_open(service.store)
    assert not maybe_show_on_first_start(service, None)


def qtbot_top_level() -> list[object]:
    from PySide6.QtWidgets import QApplication

    return list(QApplication.topLevelWidgets())


def test_assistant_states_without_selection_block_next(qtbot: QtBot, service: AppService) -> None:
    wizard = _open_wizard(qtbot, service)
    page = wizard.select_page
    qtbot.keyClicks(page.search_edit, "nothing-like-this")
    assert page.empty_label.isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert assistant.venue_statuses(service.store, ("bybit",), wizard.venues)[0].state is VenueState.NOTHING


def test_attach_warns_when_the_key_is_another_account(
    qtbot: QtBot, tmp_path: Path, service: AppService, simulator: BybitSimulator, account: SimAccount
) -> None:
    path, _made = write_export(account, "spot_trades", tmp_path)
    from zoneinfo import ZoneInfo

    from cryptact_desktop.imports import import_file

    result = import_file(service.store, path, account_id=None, exchange="bybit", tz=ZoneInfo("UTC"))
    assert result.account_id is not None
    dialog = AttachKeyDialog(service, result.account_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.host_combo.setCurrentIndex(dialog.host_combo.findData(CUSTOM_HOST))
    qtbot.keyClicks(dialog.custom_url_edit, simulator.base_url)
    qtbot.keyClicks(dialog.credential_form.input("api_key"), OTHER_KEY)
    qtbot.keyClicks(dialog.credential_form.input("secret"), OTHER_SECRET)
    with qtbot.waitSignal(dialog.verificationFinished, timeout=15_000):
        qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)
    assert dialog.warning_label.isVisible()
    assert str(OTHER_UID) in dialog.warning_label.text() and str(UID) in dialog.warning_label.text()
    assert dialog.attach_button.text() == "Attach &anyway"
    assert service.store.get_key(result.account_id).host_id == "file"  # nothing changed yet
    dialog.reject()
    assert not dialog.isVisible()


def test_attaching_a_key_of_an_account_another_key_reads_is_refused(
    qtbot: QtBot, tmp_path: Path, service: AppService, simulator: BybitSimulator, account: SimAccount
) -> None:
    from zoneinfo import ZoneInfo

    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.imports import import_file
    from cryptact_desktop.state import NewKey

    credentials = Credentials(API_KEY, SECRET)
    verification = service.verify("bybit", CUSTOM_HOST, simulator.base_url, credentials)
    first = service.add_key(
        NewKey("bybit", "API", CUSTOM_HOST, ("spot",), base_url=simulator.base_url), credentials, verification
    )
    path, _made = write_export(account, "spot_trades", tmp_path)
    result = import_file(service.store, path, account_id=None, exchange="bybit", tz=ZoneInfo("UTC"))
    assert result.account_id is not None
    dialog = AttachKeyDialog(service, result.account_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.host_combo.setCurrentIndex(dialog.host_combo.findData(CUSTOM_HOST))
    qtbot.keyClicks(dialog.custom_url_edit, simulator.base_url)
    qtbot.keyClicks(dialog.credential_form.input("api_key"), API_KEY)
    qtbot.keyClicks(dialog.credential_form.input("secret"), SECRET)
    qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=15_000)
    text = dialog.error_label.text()
    assert f"already has key {first.id} (API)" in text and "count everything twice" in text, text
    assert "unexpected" not in text
    assert service.store.get_key(result.account_id).host_id == "file"  # nothing changed
    assert not service.secrets.has(result.account_id)
