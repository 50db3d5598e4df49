"""Add transactions from an exchange's download file: choose → preview → target account → import.

Detection, preview and the import itself run off the GUI thread (:mod:`cryptact_desktop.ui.background`),
so a big file never freezes the window. Nothing is imported while the preview lists problems; the core
imports all rows in one transaction or none.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.imports import ImportPreview, ImportResult, import_file, preview
from cryptact_desktop.service import AppService
from cryptact_desktop.store import StorageError
from cryptact_desktop.ui import demo_session
from cryptact_desktop.ui.background import Background
from cryptact_desktop.ui.files.preview_panel import FileDetails, fill_problem_tree
from cryptact_desktop.ui.widgets import (
    ERROR_STYLE,
    INFO_STYLE,
    OK_STYLE,
    exchange_name,
    hint_label,
    open_file_dialog,
    styled_label,
    title_label,
)

log = logging.getLogger(__name__)

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
        self._path: Path | None = None
        self._preview: ImportPreview | None = None
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
        self.details = FileDetails(service.store, account_id)
        self.details.optionsChanged.connect(self._on_options_changed)
        # The parts tests and keyboard users reach through the dialog.
        self.type_label, self.period_label = self.details.type_label, self.details.period_label
        self.zone_combo, self.target_combo = self.details.zone_combo, self.details.target_combo
        self.date_order, self.day_first_radio = self.details.date_order, self.details.day_first_radio

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
        demo_session.offer_sample_file(self, layout, exchange_id)  # --demo: a sample file to try
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
        self._result = None
        self.path_edit.setText(str(self._path))
        self.details.reset_date_order()
        self._run_preview()

    def start_import(self) -> None:
        preview_ = self._preview
        if self._path is None or preview_ is None or not self._can_import(preview_) or self.is_busy():
            return
        path, store = self._path, self._service.store
        account_id = self.details.target_account()
        exchange = preview_.file.exchange if preview_.file else (self._exchange_id or "")
        zone, day_first = ZoneInfo(self.details.zone()), self.details.day_first
        previewed = preview_.file.sha256 if preview_.file else ""  # import what was previewed, or refuse

        def work() -> ImportResult:
            return import_file(
                store,
                path,
                account_id=account_id,
                exchange=exchange,
                tz=zone,
                day_first=day_first,
                expected_sha256=previewed,
            )

        self._importing = True
        self._set_busy(self.tr("Importing {file}…").format(file=path.name))
        self._background.run(work, self._on_imported, self._on_import_failed)

    # ------------------------------------------------------------------ preview

    def _run_preview(self) -> None:
        if self._path is None:
            return
        path, zone, day_first = self._path, ZoneInfo(self.details.zone()), self.details.day_first

        def work() -> ImportPreview:
            return preview(path, zone, day_first=day_first)

        self._preview = None
        self.import_button.setEnabled(False)
        self._set_busy(self.tr("Reading {file}…").format(file=path.name))
        self._background.run(work, self._on_preview, self._on_preview_failed)

    def _on_options_changed(self, *_args: object) -> None:
        if self._path is not None and self._result is None:
            self._run_preview()

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

    def _on_preview_failed(self, error: Exception) -> None:
        self._set_idle()
        if isinstance(error, StorageError):
            log.warning("import preview failed: %s (%s)", error.problem.value, error.detail)
            self._show_message(f"{error.failure.message} — {error.failure.hint}")
        else:
            log.warning("import preview failed: %s", type(error).__name__, exc_info=error)
            self._show_message(
                self.tr("The file could not be read ({error}).").format(error=type(error).__name__)
            )
        self.details.hide()
        self.problem_tree.hide()
        self.previewFinished.emit(None)  # waiting code learns the preview ended, without one

    def _on_preview(self, result: ImportPreview) -> None:
        self._set_idle()
        self._preview = result
        refusal = result.refusal
        if refusal is not None and refusal.code == "ambiguous_dates":
            # Ask, and keep the rest hidden until the user has answered.
            self.details.show()
            self.details.ask_date_order()
            self._show_message(refusal.message, INFO_STYLE)
            self.details.fill(result)
            self.problem_tree.hide()
            self.import_button.setEnabled(False)
            self.previewFinished.emit(result)
            return
        if refusal is not None:
            text = refusal.message
            # The file types the dialog takes, unless the message already lists them (the
            # "wrong exchange" refusal does: the sentence would read twice).
            if refusal.expected and refusal.code != "other_account" and refusal.expected not in text:
                text += "\n" + self.tr("Expected one of: {types}").format(types=refusal.expected)
            self._show_message(text)
            self.details.hide()
            self.problem_tree.hide()
            self.import_button.setEnabled(False)
            self.previewFinished.emit(result)
            return
        self.details.show()
        self.details.fill(result)
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

    # ------------------------------------------------------------------ import

    def _on_import_failed(self, error: Exception) -> None:
        self._importing = False
        self._set_idle()
        if isinstance(error, StorageError):
            self._show_message(f"{error.failure.message} — {error.failure.hint}")
            return
        self._show_message(
            self.tr("The import failed ({error}). Nothing was imported.").format(error=type(error).__name__)
        )

    def _on_imported(self, result: ImportResult) -> None:
        self._importing = False
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
