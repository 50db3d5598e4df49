"""The file import, Cryptact export, reconciliation, coverage and attach-key screens, driven offscreen."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from cryptact_desktop.export.cryptact import validate_file
from cryptact_desktop.imports import ImportResult, import_file, list_reviews
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.background import running_background_calls
from cryptact_desktop.ui.export_dialog import ExportDialog
from cryptact_desktop.ui.files.coverage_view import CoverageDialog
from cryptact_desktop.ui.files.import_dialog import ImportDialog
from cryptact_desktop.ui.files.reconcile_dialog import ReconcileDialog
from cryptact_desktop.venues.bybit.simulator import SimAccount, generate_account
from cryptact_desktop.venues.bybit.simulator.exports import write_export

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

UID = 6201


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=9, size="tiny", uid=UID)


@pytest.fixture
def service(store: Store, secret_store: object) -> AppService:
    return AppService(store, secret_store)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_thread_left_behind(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=10_000)


def _preview(qtbot: QtBot, dialog: ImportDialog, path: Path) -> object:
    with qtbot.waitSignal(dialog.previewFinished, timeout=10_000) as blocker:
        dialog.set_file(path)
    return blocker.args[0]


def _open_import(qtbot: QtBot, service: AppService, **kwargs: object) -> ImportDialog:
    dialog = ImportDialog(service, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_import_refuses_a_wrong_file_with_its_message(
    qtbot: QtBot, service: AppService, tmp_path: Path
) -> None:
    wrong = tmp_path / "holdings.csv"
    wrong.write_text("Coin,Amount,Value\nBTC,1,60000\n", encoding="utf-8")
    dialog = _open_import(qtbot, service, exchange_id="bybit")
    _preview(qtbot, dialog, wrong)
    assert dialog.message_label.isVisible()
    assert "not an export we know" in dialog.message_label.text()
    assert not dialog.import_button.isEnabled()
    assert service.store.list_keys() == []


def test_import_shows_problems_by_message_and_imports_nothing(
    qtbot: QtBot, service: AppService, tmp_path: Path, account: SimAccount
) -> None:
    path, _made = write_export(account, "spot_trades", tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(lines) if "Filled Quantity" in line)
    for offset in (1, 2):
        broken = lines[header_at + offset].split(",")
        broken[6] = "twelve"  # "Filled Quantity" no longer holds a number
        lines[header_at + offset] = ",".join(broken)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = _open_import(qtbot, service)
    preview = _preview(qtbot, dialog, path)
    assert preview.problems  # type: ignore[attr-defined]
    assert dialog.problem_tree.isVisible()
    top = dialog.problem_tree.topLevelItem(0)
    assert top is not None and top.childCount() >= 1
    assert f"2 rows: {header_at + 2}, {header_at + 3}" in top.child(0).text(1)  # spreadsheet row numbers
    assert not dialog.import_button.isEnabled()
    assert service.store.count_transactions() == 0


def test_import_a_good_file_into_a_new_file_only_account(
    qtbot: QtBot, service: AppService, tmp_path: Path, account: SimAccount
) -> None:
    path, made = write_export(account, "spot_trades", tmp_path)
    dialog = _open_import(qtbot, service, exchange_id="bybit")
    _preview(qtbot, dialog, path)
    assert dialog.import_button.isEnabled()
    assert "spot trade" in dialog.type_label.text() and str(UID) in dialog.type_label.text()
    assert dialog.zone_combo.currentData() == "UTC"
    assert dialog.target_combo.currentData() is None  # a new file-only account
    with (
        qtbot.waitSignal(dialog.imported, timeout=10_000) as imported,
        qtbot.waitSignal(dialog.importFinished, timeout=10_000) as finished,
    ):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    result = finished.args[0]
    assert isinstance(result, ImportResult) and result.ok
    account_id = imported.args[0]
    assert service.store.get_key(account_id).host_id == "file"
    assert len(service.store.transaction_identities(account_id)) == made.rows
    assert dialog.result_label.isVisible() and dialog.close_button.text() == "Done"

    again = _open_import(qtbot, service, exchange_id="bybit")
    _preview(qtbot, again, path)
    assert again.target_combo.currentData() == account_id  # further files go to the same account


def test_choose_file_uses_a_non_blocking_file_dialog(
    qtbot: QtBot, service: AppService, tmp_path: Path
) -> None:
    wrong = tmp_path / "x.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    dialog = _open_import(qtbot, service)
    dialog.choose_file()
    chooser = dialog.file_dialog
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    with qtbot.waitSignal(dialog.previewFinished, timeout=10_000):
        chooser.fileSelected.emit(str(wrong))
        chooser.reject()
    assert dialog.path_edit.text() == str(wrong)


def test_export_dialog_writes_a_valid_cryptact_file(
    qtbot: QtBot, service: AppService, tmp_path: Path, account: SimAccount
) -> None:
    for kind in ("spot_trades", "deposits_withdrawals"):
        path, _made = write_export(account, kind, tmp_path)
        result = import_file(service.store, path, account_id=None, exchange="bybit", tz=ZoneInfo("UTC"))
        assert result.ok
    dialog = ExportDialog(service, directory=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.zone_combo.currentData() == "UTC"
    assert dialog.path_edit.text().endswith("_UTC.csv")
    assert not dialog.new_radio.isEnabled()  # nothing exported before
    dialog.zone_combo.setCurrentIndex(dialog.zone_combo.findData("Asia/Tokyo"))
    assert dialog.path_edit.text().endswith("_Asia-Tokyo.csv")
    dialog.fiat_combo.setCurrentIndex(dialog.fiat_combo.findData("JPY"))
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report.ok and report.rows_written > 0 and report.path is not None
    assert report.time_zone == "Asia/Tokyo"
    assert validate_file(report.path) == []
    assert dialog.report_view.isVisible() and "Rows written" in dialog.report_view.toPlainText()
    assert dialog.close_button.text() == "Done"

    again = ExportDialog(service, directory=tmp_path)
    qtbot.addWidget(again)
    assert again.new_radio.isEnabled()
    again.new_radio.setChecked(True)
    again.set_path(tmp_path / "again.csv")
    with qtbot.waitSignal(again.exported, timeout=20_000) as blocker:
        again.start_export()
    assert blocker.args[0].rows_written == 0  # nothing new since


def test_reconcile_dialog_shows_groups_resolves_reviews_and_saves_csv(
    qtbot: QtBot, service: AppService, tmp_path: Path
) -> None:
    from test_reconcile import _api_ledger, _key, _ledger, _log_file

    store = service.store
    key_id = _key(store)
    _api_ledger(store, key_id, _ledger("A", 100), _ledger("B", 600), _ledger("C", 90_000, "-3"))
    import_file(
        store,
        _log_file(tmp_path / "log.csv", (0, "-25.5"), (500_000, "-4")),
        account_id=key_id,
        exchange="bybit",
        tz=ZoneInfo("UTC"),
    )
    assert len(list_reviews(store, key_id)) == 1
    dialog = ReconcileDialog(service, key_id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.reportReady, timeout=10_000):
        pass
    report = dialog.report()
    assert report is not None
    assert dialog.trees["held"].topLevelItemCount() == len(report.held) == 1
    assert dialog.trees["only_in_file"].topLevelItemCount() == len(report.only_in_file) == 1
    assert dialog.trees["only_in_api"].topLevelItemCount() == len(report.only_in_api) >= 1
    assert dialog.tabs.tabText(1) == "Only in file (1)"
    assert dialog.tabs.tabText(5) == "Review (1)"

    saved = dialog.save_report(tmp_path / "report.csv")
    assert saved is not None
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    codes = [row[1] for row in rows[4:]]
    assert codes.count("only_in_file") == 1 and codes.count("held_for_review") == 1

    dialog.select_candidate(0, 1)
    assert dialog.same_button.isEnabled()
    with qtbot.waitSignal(dialog.reportReady, timeout=10_000):
        qtbot.mouseClick(dialog.same_button, Qt.MouseButton.LeftButton)
    assert list_reviews(store, key_id) == []
    assert dialog.tabs.tabText(5) == "Review (0)"
    assert dialog.report() is not None and dialog.report().held == ()  # type: ignore[union-attr]


def test_coverage_dialog_paints_file_segments(
    qtbot: QtBot, service: AppService, tmp_path: Path, account: SimAccount
) -> None:
    path, _made = write_export(account, "spot_trades", tmp_path)
    result = import_file(service.store, path, account_id=None, exchange="bybit", tz=ZoneInfo("UTC"))
    assert result.account_id is not None
    dialog = CoverageDialog(service, result.account_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    segments = dialog.timeline.segments()
    assert segments and {s.endpoint for s in segments} == {"spot"}
    assert any(s.source.value == "file" for s in segments)
    image = dialog.timeline.grab()
    assert not image.isNull()


def test_import_asks_day_first_or_month_first_when_the_dates_are_ambiguous(
    qtbot: QtBot, service: AppService, tmp_path: Path
) -> None:
    from test_imports import _spot_rows

    path = tmp_path / "ambiguous.csv"
    path.write_text(
        _spot_rows(
            ("BTCUSDT", "BUY", "60000", "0.01", "2200000000000000001", "05/03/2024 09:07:01"),
            ("BTCUSDT", "SELL", "61000", "0.01", "2200000000000000002", "06/03/2024 10:00:00"),
        ),
        encoding="utf-8",
    )
    dialog = _open_import(qtbot, service, exchange_id="bybit")
    _preview(qtbot, dialog, path)
    assert dialog.date_order.isVisible()
    assert "day-first or month-first" in dialog.message_label.text()
    assert not dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.previewFinished, timeout=10_000) as blocker:
        dialog.day_first_radio.setChecked(True)
    shown = blocker.args[0]
    assert shown.can_import and shown.period is not None
    assert dialog.period_label.text().startswith("2024-03-05 09:07:01")
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        dialog.start_import()
    assert len(service.store.transaction_identities(imported.args[0])) == 2


def test_entry_points_open_without_blocking_and_delete_themselves(
    qtbot: QtBot, service: AppService, tmp_path: Path, account: SimAccount
) -> None:
    from PySide6.QtWidgets import QWidget

    from cryptact_desktop.ui.export_dialog import open_export_dialog
    from cryptact_desktop.ui.files.coverage_view import open_coverage_dialog
    from cryptact_desktop.ui.files.import_dialog import open_import_dialog
    from cryptact_desktop.ui.files.reconcile_dialog import open_reconcile_dialog
    from cryptact_desktop.ui.keys.attach_dialog import open_attach_key_dialog

    path, _made = write_export(account, "spot_trades", tmp_path)
    result = import_file(service.store, path, account_id=None, exchange="bybit", tz=ZoneInfo("UTC"))
    assert result.account_id is not None
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    for dialog in (
        open_import_dialog(service, parent),
        open_export_dialog(service, parent),
        open_coverage_dialog(service, result.account_id, parent),
        open_reconcile_dialog(service, result.account_id, parent),
        open_attach_key_dialog(service, result.account_id, parent),
    ):
        assert dialog.isVisible() and dialog.isModal()
        qtbot.waitUntil(lambda d=dialog: not getattr(d, "is_busy", lambda: False)(), timeout=10_000)
        with qtbot.waitSignal(dialog.destroyed, timeout=5_000):
            dialog.reject()


def test_a_file_that_changed_after_its_preview_is_not_imported(
    qtbot: QtBot, service: AppService, tmp_path: Path, account: SimAccount
) -> None:
    path, _made = write_export(account, "spot_trades", tmp_path)
    dialog = _open_import(qtbot, service, exchange_id="bybit")
    _preview(qtbot, dialog, path)
    assert dialog.import_button.isEnabled()
    # Downloaded again meanwhile: one trade fewer than the preview showed.
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with qtbot.waitSignal(dialog.importFinished, timeout=10_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    result = finished.args[0]
    assert isinstance(result, ImportResult) and not result.ok
    assert "changed after its preview" in dialog.message_label.text() + dialog.result_label.text()
    assert service.store.list_keys() == []


def test_import_preselects_the_key_of_the_files_account(
    qtbot: QtBot, service: AppService, tmp_path: Path, account: SimAccount
) -> None:
    store = service.store
    ids = []
    for label, uid in (("Other account", "999"), ("Same account", str(UID))):
        key = store.add_key(NewKey(exchange="bybit", label=label, host_id="global", endpoints=("spot",)))
        store.record_verification(
            key, read_only=True, permissions=(), exchange_user_id=uid, is_master=True, expires_at_ms=None
        )
        ids.append(key)
    path, _made = write_export(account, "spot_trades", tmp_path)
    dialog = _open_import(qtbot, service, exchange_id="bybit")
    _preview(qtbot, dialog, path)
    assert dialog.target_combo.currentData() == ids[1]  # not the first key: the file's own account
    # The user's pick stands when the preview is refreshed.
    dialog.target_combo.setCurrentIndex(dialog.target_combo.findData(ids[0]))
    dialog.target_combo.activated.emit(dialog.target_combo.currentIndex())
    with qtbot.waitSignal(dialog.previewFinished, timeout=10_000):
        dialog.details.optionsChanged.emit()
    assert dialog.target_combo.currentData() == ids[0]
