"""Add transactions from an exchange's download file: choose → preview → target account → import.

Detection, preview and the import itself run off the GUI thread (the key dialog's call runner), so
a big file never freezes the window. Nothing is imported while the preview lists problems; the core
imports all rows in one transaction or none.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop import assistant
from cryptact_desktop.imports import ImportPreview, ImportResult, ProblemGroup, import_file, preview
from cryptact_desktop.service import AppService
from cryptact_desktop.ui.key_dialog import _Call, _call_runner
from cryptact_desktop.venues.registry import venue_infos

log = logging.getLogger(__name__)

ERROR_STYLE = (
    "QLabel { color: #9f1c1c; background: #fdecec; border: 1px solid #f3b9b9;"
    " border-radius: 4px; padding: 6px; }"
)
OK_STYLE = (
    "QLabel { color: #134e1f; background: #e8f6ea; border: 1px solid #9fd3a8;"
    " border-radius: 4px; padding: 6px; }"
)
INFO_STYLE = (
    "QLabel { color: #5c3b00; background: #fff4dc; border: 1px solid #f0b030;"
    " border-radius: 4px; padding: 6px; }"
)

COMMON_TIME_ZONES: tuple[str, ...] = (
    "UTC",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
)


# --------------------------------------------------------------------------- shared helpers


class Background(QObject):
    """Runs callables off the GUI thread through the key dialog's runner (threads outlive their
    dialog safely); ``on_done(result, error)`` runs on the GUI thread unless superseded/cancelled.

    A child of the dialog: when the dialog is deleted, late results go nowhere.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._generation = 0
        self._callback: tuple[int, Callable[[Any, BaseException | None], None]] | None = None

    def run(
        self, function: Callable[[], object], on_done: Callable[[Any, BaseException | None], None]
    ) -> None:
        self._generation += 1
        self._callback = (self._generation, on_done)
        _call_runner().start(_Call(self._generation, function), self._deliver)

    def cancel(self) -> None:
        self._generation += 1
        self._callback = None

    @property
    def busy(self) -> bool:
        return self._callback is not None

    def _deliver(self, generation: int, result: Any, error: Any) -> None:
        if self._callback is None or self._callback[0] != generation:
            return
        _, on_done = self._callback
        self._callback = None
        on_done(result, error)


def format_ms(ms: int | None, zone: str = "UTC") -> str:
    if ms is None:
        return "—"
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(ZoneInfo(zone))
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def busy_indicator() -> tuple[QWidget, QLabel]:
    """A hidden row with an indeterminate progress bar and a label for "Reading…" texts."""
    row_widget = QWidget()
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setFixedWidth(90)
    bar.setMaximumHeight(12)
    label = QLabel()
    row = QHBoxLayout(row_widget)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(bar)
    row.addWidget(label, 1)
    row_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    row_widget.hide()
    return row_widget, label


def styled_label(style: str, name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(style)
    label.hide()
    return label


def title_label(text: str) -> QLabel:
    title = QLabel(text)
    font = QFont(title.font())
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    title.setFont(font)
    return title


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def rows_text(rows: Sequence[int], limit: int = 12) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f", … (+{len(rows) - limit})" if len(rows) > limit else "")


def exchange_name(exchange_id: str) -> str:
    return next((e.name for e in venue_infos() if e.id == exchange_id), exchange_id)


def endpoint_name(exchange_id: str, endpoint: str) -> str:
    info = next((e for e in venue_infos() if e.id == exchange_id), None)
    try:
        return info.endpoint(endpoint).display_name() if info else endpoint
    except KeyError:
        return endpoint


def fill_problem_tree(
    tree: QTreeWidget, groups: Sequence[ProblemGroup], notes: Sequence[ProblemGroup]
) -> None:
    """Problems (blocking) then notes, one row per message with its row numbers."""
    tree.clear()
    for heading, items, colour in (
        (tree.tr("Problems — nothing is imported until they are fixed"), groups, "#9f1c1c"),
        (tree.tr("Notes"), notes, ""),
    ):
        if not items:
            continue
        top = QTreeWidgetItem([heading, ""])
        font = QFont(tree.font())
        font.setBold(True)
        top.setFont(0, font)
        if colour:
            top.setForeground(0, Qt.GlobalColor.darkRed)
        tree.addTopLevelItem(top)
        for group in items:
            count = len(group.rows)
            where = (
                tree.tr("{count} rows: {rows}").format(count=count, rows=rows_text(group.rows))
                if count
                else ""
            )
            child = QTreeWidgetItem([group.message, where])
            tip = group.message
            if group.examples:
                tip += "\n" + tree.tr("Examples: {values}").format(values=", ".join(group.examples))
            child.setToolTip(0, tip)
            child.setToolTip(1, ", ".join(str(r) for r in group.rows[:200]))
            top.addChild(child)
        top.setExpanded(True)
    tree.resizeColumnToContents(1)


def open_file_dialog(
    parent: QWidget, title: str, name_filter: str, on_chosen: Callable[[str], None], *, save_as: str = ""
) -> QFileDialog:
    """A non-blocking file chooser (``open()``, no nested event loop): ``on_chosen(path)``."""
    dialog = QFileDialog(parent, title)
    dialog.setNameFilter(name_filter)
    if save_as:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(save_as)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(on_chosen)
    dialog.open()
    return dialog


# --------------------------------------------------------------------------- the dialog


class ImportDialog(QDialog):
    """Import one download file into an account of ``exchange_id`` (or any supported exchange)."""

    imported = Signal(int)  # the account the rows went into
    previewFinished = Signal(object)  # ImportPreview
    importFinished = Signal(object)  # ImportResult

    def __init__(
        self,
        service: AppService,
        parent: QWidget | None = None,
        *,
        exchange_id: str | None = None,
        account_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self._service = service
        self._exchange_id = exchange_id
        self._account_id = account_id
        self._path: Path | None = None
        self._preview: ImportPreview | None = None
        self._day_first: bool | None = None
        self._result: ImportResult | None = None
        self._background = Background(self)
        self._importing = False
        self.file_dialog: QFileDialog | None = None

        if exchange_id:
            self.setWindowTitle(
                self.tr("Upload a {exchange} file").format(exchange=exchange_name(exchange_id))
            )
        else:
            self.setWindowTitle(self.tr("Add transactions from a file"))
        self.setMinimumWidth(680)

        intro = hint_label(
            self.tr(
                "Choose a file you downloaded from the exchange (its trade history, transaction log, "
                "or deposits and withdrawals). It is checked first; nothing is imported if any row has "
                "a problem, and records the API already delivered are not added twice."
            )
        )

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("pathEdit")
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("No file chosen"))
        self.path_edit.setAccessibleName(self.tr("File"))
        self.choose_button = QPushButton(self.tr("&Choose file…"))
        self.choose_button.setObjectName("chooseButton")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)

        self.progress = QWidget()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedWidth(90)
        self.progress_bar.setMaximumHeight(12)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        row = QHBoxLayout(self.progress)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress_bar)
        row.addWidget(self.progress_label, 1)
        self.progress.hide()

        # What the file is
        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type_label = QLabel()
        self.type_label.setObjectName("typeLabel")
        self.period_label = QLabel()
        self.period_label.setObjectName("periodLabel")
        self.rows_label = QLabel()
        self.rows_label.setObjectName("rowsLabel")
        for label in (self.type_label, self.period_label, self.rows_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Type:"), self.type_label)
        form.addRow(self.tr("Period:"), self.period_label)
        form.addRow(self.tr("Rows:"), self.rows_label)

        self.zone_combo = QComboBox()
        self.zone_combo.setObjectName("zoneCombo")
        self.zone_combo.setAccessibleName(self.tr("Time zone of the file's times"))
        for zone in COMMON_TIME_ZONES:
            self.zone_combo.addItem(zone, zone)
        self.zone_combo.currentIndexChanged.connect(self._on_options_changed)
        self.zone_note = hint_label("")
        self.zone_note.setObjectName("zoneNote")
        self.zone_note.setWordWrap(False)
        zone_box = QVBoxLayout()
        zone_box.setSpacing(2)
        zone_box.addWidget(self.zone_combo)
        zone_box.addWidget(self.zone_note)
        zone_label = QLabel(self.tr("&Time zone:"))
        zone_label.setBuddy(self.zone_combo)
        form.addRow(zone_label, zone_box)

        self.date_order = QWidget()
        self.date_order.setObjectName("dateOrder")
        self.day_first_radio = QRadioButton(self.tr("&Day first (31/12/2024)"))
        self.day_first_radio.setObjectName("dayFirstRadio")
        self.month_first_radio = QRadioButton(self.tr("&Month first (12/31/2024)"))
        self.month_first_radio.setObjectName("monthFirstRadio")
        self._order_group = QButtonGroup(self)
        self._order_group.addButton(self.day_first_radio)
        self._order_group.addButton(self.month_first_radio)
        self.day_first_radio.toggled.connect(self._on_order_chosen)
        self.month_first_radio.toggled.connect(self._on_order_chosen)
        order_row = QHBoxLayout(self.date_order)
        order_row.setContentsMargins(0, 0, 0, 0)
        order_row.addWidget(self.day_first_radio)
        order_row.addWidget(self.month_first_radio)
        order_row.addStretch(1)
        self._order_label = QLabel(self.tr("Dates:"))
        form.addRow(self._order_label, self.date_order)
        self._form = form
        form.setRowVisible(self.date_order, False)

        self.target_combo = QComboBox()
        self.target_combo.setObjectName("targetCombo")
        self.target_combo.setAccessibleName(self.tr("Import into"))
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        form.addRow(self.tr("Import &into:"), self.target_combo)
        self.details.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.details.hide()

        self.problem_tree = QTreeWidget()
        self.problem_tree.setObjectName("problemTree")
        self.problem_tree.setHeaderLabels([self.tr("Message"), self.tr("Rows")])
        self.problem_tree.setRootIsDecorated(True)
        self.problem_tree.setWordWrap(True)
        self.problem_tree.setMinimumHeight(120)
        self.problem_tree.header().setStretchLastSection(True)
        self.problem_tree.setColumnWidth(0, 470)
        self.problem_tree.hide()

        self.message_label = styled_label(ERROR_STYLE, "messageLabel")
        self.result_label = styled_label(OK_STYLE, "resultLabel")

        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.setObjectName("closeButton")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.progress, 1)
        footer.addWidget(self.buttons)
        self.progress.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title_label(self.windowTitle()))
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addWidget(self.details)
        layout.addWidget(self.message_label)
        layout.addWidget(self.problem_tree, 1)
        layout.addWidget(self.result_label)
        layout.addStretch(0)
        layout.addLayout(footer)
        self.resize(760, 400)

    # ------------------------------------------------------------------ public API

    def result_data(self) -> ImportResult | None:
        return self._result

    def current_preview(self) -> ImportPreview | None:
        return self._preview

    def is_busy(self) -> bool:
        return self._background.busy

    def choose_file(self) -> None:
        self.file_dialog = open_file_dialog(
            self,
            self.tr("Choose an exchange file"),
            self.tr("Exchange files (*.csv *.txt);;All files (*)"),
            self.set_file,
        )

    def set_file(self, path: str | Path) -> None:
        """Check ``path`` (on a worker) and show what an import would do."""
        self._path = Path(path)
        self._day_first = None
        self._result = None
        self.path_edit.setText(str(self._path))
        for radio in (self.day_first_radio, self.month_first_radio):
            radio.setAutoExclusive(False)
            radio.setChecked(False)
            radio.setAutoExclusive(True)
        self._form.setRowVisible(self.date_order, False)
        self._run_preview()

    def start_import(self) -> None:
        preview_ = self._preview
        if self._path is None or preview_ is None or not self._can_import(preview_) or self.is_busy():
            return
        path, store = self._path, self._service.store
        target = self.target_combo.currentData()
        account_id = int(target) if isinstance(target, int) else None
        exchange = preview_.file.exchange if preview_.file else (self._exchange_id or "")
        zone, day_first = ZoneInfo(self._zone()), self._day_first

        def work() -> ImportResult:
            return import_file(
                store, path, account_id=account_id, exchange=exchange, tz=zone, day_first=day_first
            )

        self._importing = True
        self._set_busy(self.tr("Importing {file}…").format(file=path.name))
        self._background.run(work, self._on_imported)

    # ------------------------------------------------------------------ preview

    def _zone(self) -> str:
        return str(self.zone_combo.currentData() or "UTC")

    def _run_preview(self) -> None:
        if self._path is None:
            return
        path, zone, day_first = self._path, ZoneInfo(self._zone()), self._day_first

        def work() -> ImportPreview:
            return preview(path, zone, day_first=day_first)

        self._preview = None
        self.import_button.setEnabled(False)
        self._set_busy(self.tr("Reading {file}…").format(file=path.name))
        self._background.run(work, self._on_preview)

    def _on_options_changed(self, *_args: object) -> None:
        if self._path is not None and self._result is None:
            self._run_preview()

    def _on_order_chosen(self, checked: bool) -> None:
        if not checked:
            return
        self._day_first = self.day_first_radio.isChecked()
        self._on_options_changed()

    def _set_busy(self, text: str) -> None:
        self.progress_label.setText(text)
        self.progress.show()
        self.choose_button.setEnabled(False)
        self.details.setEnabled(False)

    def _set_idle(self) -> None:
        self.progress.hide()
        self.choose_button.setEnabled(self._result is None or not self._result.ok)
        self.details.setEnabled(True)

    def _show_message(self, text: str, style: str = ERROR_STYLE) -> None:
        if not text:
            self.message_label.hide()
            return
        self.message_label.setStyleSheet(style)
        self.message_label.setText(html.escape(text, quote=False))
        self.message_label.show()

    def _can_import(self, preview_: ImportPreview) -> bool:
        if not preview_.can_import or preview_.file is None:
            return False
        return not (self._exchange_id and preview_.file.exchange != self._exchange_id)

    def _on_preview(self, result: Any, error: BaseException | None) -> None:
        self._set_idle()
        if error is not None or not isinstance(result, ImportPreview):
            log.warning("import preview failed: %s", type(error).__name__, exc_info=error)
            self._show_message(
                self.tr("The file could not be read ({error}).").format(error=type(error).__name__)
            )
            self.details.hide()
            self.problem_tree.hide()
            self.previewFinished.emit(None)  # waiting code learns the preview ended, without one
            return
        self._preview = result
        refusal = result.refusal
        if refusal is not None and refusal.code == "ambiguous_dates":
            # Ask, and keep the rest hidden until the user has answered.
            self.details.show()
            self._form.setRowVisible(self.date_order, True)
            self._show_message(refusal.message, INFO_STYLE)
            self._fill_details(result)
            self.problem_tree.hide()
            self.import_button.setEnabled(False)
            self.previewFinished.emit(result)
            return
        if refusal is not None:
            text = refusal.message
            if refusal.expected:
                text += "\n" + self.tr("Expected one of: {types}").format(types=refusal.expected)
            self._show_message(text)
            self.details.hide()
            self.problem_tree.hide()
            self.import_button.setEnabled(False)
            self.previewFinished.emit(result)
            return
        self.details.show()
        self._fill_details(result)
        message = ""
        if result.file is not None and self._exchange_id and result.file.exchange != self._exchange_id:
            message = self.tr("This is a {found} file, but a {expected} file was expected.").format(
                found=exchange_name(result.file.exchange), expected=exchange_name(self._exchange_id)
            )
        elif result.problems:
            count = sum(len(p.rows) for p in result.problems)
            message = self.tr(
                "{count} rows have problems (listed below by problem). Nothing can be imported until the "
                "file is fixed or downloaded again."
            ).format(count=count)
        self._show_message(message)
        fill_problem_tree(self.problem_tree, result.problems, result.notes)
        self.problem_tree.setVisible(bool(result.problems or result.notes))
        self.import_button.setEnabled(self._can_import(result))
        self.previewFinished.emit(result)

    def _fill_details(self, result: ImportPreview) -> None:
        detected = result.file
        if detected is None:
            self.type_label.setText(self.tr("Unknown until the date order is chosen"))
            self.period_label.setText("—")
            self.rows_label.setText("—")
        else:
            kind = detected.format.display_name()
            if detected.uid:
                kind = self.tr("{type} — UID {uid}").format(type=kind, uid=detected.uid)
            self.type_label.setText(kind)
            zone = result.time_zone
            if result.period is None:
                self.period_label.setText("—")
            else:
                self.period_label.setText(
                    self.tr("{start} to {end} (UTC)").format(
                        start=format_ms(result.period[0]), end=format_ms(result.period[1])
                    )
                )
            parts = ", ".join(
                f"{endpoint_name(detected.exchange, e)}: {n}" for e, n in sorted(result.by_endpoint.items())
            )
            text = self.tr("{rows} rows → {records} records ({skipped} skipped)").format(
                rows=result.rows, records=result.records, skipped=result.skipped
            )
            self.rows_label.setText(f"{text}\n{parts}" if parts else text)
            self._fill_targets(detected.exchange)
            self.zone_combo.setEnabled(not result.time_zone_from_file)
            if result.time_zone_from_file:
                self.zone_note.setText(self.tr("The file states its times are in {zone}.").format(zone=zone))
            else:
                self.zone_note.setText(
                    self.tr(
                        "The file does not say which zone its times are in; {exchange} exports use UTC."
                    ).format(exchange=exchange_name(detected.exchange))
                )

    def _fill_targets(self, exchange: str) -> None:
        previous = self.target_combo.currentData()
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        for target in assistant.import_targets(self._service.store, exchange):
            self.target_combo.addItem(target.label, target.account_id)
        wanted = previous if previous is not None else self._account_id
        if wanted is None:
            status = assistant.venue_statuses(self._service.store, (exchange,), assistant.venues())
            wanted = assistant.upload_target(status[0]) if status else None
        index = self.target_combo.findData(wanted) if wanted is not None else -1
        self.target_combo.setCurrentIndex(index if index >= 0 else 0)
        self.target_combo.blockSignals(False)

    # ------------------------------------------------------------------ import

    def _on_imported(self, result: Any, error: BaseException | None) -> None:
        self._importing = False
        if error is not None or not isinstance(result, ImportResult):
            self._set_idle()
            self._show_message(
                self.tr("The import failed ({error}). Nothing was imported.").format(
                    error=type(error).__name__
                )
            )
            return
        self._result = result
        self._set_idle()
        if result.ok:
            self._show_message("")
            self.result_label.setText(html.escape(result.message, quote=False))
            self.result_label.show()
            self.details.setEnabled(False)
            self.import_button.setEnabled(False)
            self.import_button.hide()
            self.close_button.setText(self.tr("Done"))
            self.close_button.setDefault(True)
            self.importFinished.emit(result)
            if result.account_id is not None:
                self.imported.emit(result.account_id)
            return
        text = result.message or (result.refusal.message if result.refusal else "")
        self._show_message(text)
        fill_problem_tree(self.problem_tree, result.problems, result.notes)
        self.problem_tree.setVisible(bool(result.problems or result.notes))
        self._result = None
        self.import_button.setEnabled(False)
        self.importFinished.emit(result)

    # ------------------------------------------------------------------ closing

    def reject(self) -> None:
        if self._importing:
            return  # the import is being written (one transaction either way): wait for it
        self._background.cancel()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._importing:
            event.ignore()
            return
        super().closeEvent(event)


def open_import_dialog(
    service: AppService,
    parent: QWidget | None = None,
    *,
    exchange_id: str | None = None,
    account_id: int | None = None,
) -> ImportDialog:
    """Open the import (window-modal, non-blocking); it deletes itself when closed. Connect
    ``imported(int)`` to refresh the key list."""
    dialog = ImportDialog(service, parent, exchange_id=exchange_id, account_id=account_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
