"""File → "Export Cryptact file…": the custom file Cryptact imports, written off the GUI thread.

Time zone (the zone to upload the file with on Cryptact), everything or only what is new since
the last export, the fiat currency, the target file; then the export's report (rows written, what
was not exported and why, warnings such as back-filled rows).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
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
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.export.cryptact import (
    FIAT_CURRENCIES,
    LAST_EXPORT_SETTING,
    ExportReport,
    export_cryptact,
    suggest_filename,
)
from cryptact_desktop.export.cryptact.parts import ExportPartFailed
from cryptact_desktop.service import AppService
from cryptact_desktop.store import StorageError
from cryptact_desktop.ui.background import Background
from cryptact_desktop.ui.transfers.dialog import open_transfers_dialog
from cryptact_desktop.ui.widgets import (
    ERROR_STYLE,
    INFO_STYLE,
    OK_STYLE,
    WARNING_STYLE,
    busy_indicator,
    exchange_name,
    format_in_zone,
    hint_label,
    open_file_dialog,
    styled_label,
    time_zone_choices,
    title_label,
)

_FIAT_ORDER = ("JPY", "USD", "EUR", "GBP", "CAD", "AUD", "INR")


def _default_directory() -> Path:
    """The Documents folder when it exists, else the home folder (a fresh account may have no
    ~/Documents: the first export must not fail on it)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


class ExportDialog(QDialog):
    """Export the stored transactions as a Cryptact custom file."""

    exported = Signal(object)  # ExportReport

    def __init__(
        self, service: AppService, parent: QWidget | None = None, *, directory: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self._service = service
        self._directory = directory or _default_directory()
        self._background = Background(self)
        self._report: ExportReport | None = None
        self._path_edited = False
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Export Cryptact file"))
        self.setMinimumWidth(640)

        intro = hint_label(
            self.tr(
                "Writes your stored transactions as a Cryptact custom file. Upload it on Cryptact under "
                "“Custom file” with the same time zone you choose here."
            )
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.zone_combo = QComboBox()
        self.zone_combo.setObjectName("zoneCombo")
        for zone in time_zone_choices():  # the computer's zone first (JST on a Japanese system)
            self.zone_combo.addItem(zone, zone)
        self.zone_combo.currentIndexChanged.connect(self._update_suggested_path)
        form.addRow(self.tr("&Time zone:"), self.zone_combo)

        last = self._last_export_ms()
        self.all_radio = QRadioButton(self.tr("&Everything"))
        self.all_radio.setObjectName("allRadio")
        self.new_radio = QRadioButton(
            self.tr("&Only new since the last export ({when})").format(when=format_in_zone(last))
            if last is not None
            else self.tr("&Only new since the last export (no export yet)")
        )
        self.new_radio.setObjectName("newRadio")
        self.new_radio.setEnabled(last is not None)
        self._mode_group = QButtonGroup(self)
        self._mode_group.addButton(self.all_radio)
        self._mode_group.addButton(self.new_radio)
        self.all_radio.setChecked(True)
        mode_box = QVBoxLayout()
        mode_box.setSpacing(2)
        mode_box.addWidget(self.all_radio)
        mode_box.addWidget(self.new_radio)
        form.addRow(self.tr("Transactions:"), mode_box)

        self.fiat_combo = QComboBox()
        self.fiat_combo.setObjectName("fiatCombo")
        for code in [*_FIAT_ORDER, *sorted(FIAT_CURRENCIES - set(_FIAT_ORDER))]:
            if code in FIAT_CURRENCIES:
                self.fiat_combo.addItem(code, code)
        self.fiat_combo.setToolTip(self.tr("The currency Cryptact values rows in that it prices itself"))
        form.addRow(self.tr("&Fiat currency:"), self.fiat_combo)

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("pathEdit")
        self.path_edit.textEdited.connect(self._on_path_edited)
        self.browse_button = QPushButton(self.tr("&Browse…"))
        self.browse_button.setObjectName("browseButton")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        path_label = QLabel(self.tr("&Save to:"))
        path_label.setBuddy(self.path_edit)
        form.addRow(path_label, path_row)
        self._form_widget = QWidget()
        self._form_widget.setLayout(form)

        self.api_warning = styled_label(WARNING_STYLE, "apiWarning")
        venues = self._venues_in_file()
        if venues:
            self.api_warning.setText(
                self.tr(
                    "Do not upload this file for an exchange you also connected by API inside "
                    "Cryptact: Cryptact would then count its transactions twice. This file holds: "
                    "{venues}. For such an exchange, remove its API connection in Cryptact (or export "
                    "the other exchanges only)."
                ).format(venues=", ".join(venues))
            )
            self.api_warning.show()

        self.message_label = styled_label(ERROR_STYLE, "messageLabel")
        self.report_view = QPlainTextEdit()
        self.report_view.setObjectName("reportView")
        self.report_view.setReadOnly(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        self.report_view.setFont(font)
        self.report_view.setMinimumHeight(160)
        self.report_view.hide()

        self.progress, self.progress_label = busy_indicator()

        self.buttons = QDialogButtonBox()
        self.export_button = QPushButton(self.tr("E&xport"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Cancel"))
        self.close_button.setObjectName("closeButton")
        self.transfers_button = QPushButton(self.tr("Classify transfers…"))
        self.transfers_button.setObjectName("transfersButton")
        self.transfers_button.setToolTip(
            self.tr("Say what each outgoing transfer that matches none of your keys or wallets was")
        )
        self.transfers_button.clicked.connect(self._open_transfers)
        self.transfers_button.hide()
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.progress, 1)
        # Beside the box, not in it: a box's Tab order follows its platform's button layout and
        # enters at its default button, which left a third button out of the keyboard's reach.
        footer.addWidget(self.transfers_button)
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title_label(self.windowTitle()))
        layout.addWidget(intro)
        layout.addWidget(self._form_widget)
        layout.addWidget(self.api_warning)
        layout.addWidget(self.message_label)
        layout.addWidget(self.report_view, 1)
        layout.addStretch(0)
        layout.addLayout(footer)
        self._update_suggested_path()

    def _venues_in_file(self) -> list[str]:
        """The exchanges whose stored transactions go into the file, by their shown names."""
        store = self._service.store
        exchanges = {key.exchange for key in store.list_keys()}
        return sorted(exchange_name(exchange) for exchange in exchanges)

    # ------------------------------------------------------------------ API

    def report(self) -> ExportReport | None:
        return self._report

    def is_busy(self) -> bool:
        return self._background.busy

    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))
        self._path_edited = True

    def browse(self) -> None:
        self.file_dialog = open_file_dialog(
            self,
            self.tr("Save the Cryptact file as"),
            self.tr("CSV files (*.csv)"),
            self.set_path,
            save_as=self.path_edit.text(),
        )

    def start_export(self) -> None:
        if self._background.busy:
            return
        text = self.path_edit.text().strip()
        if not text:
            self._message(self.tr("Choose where to save the file."))
            return
        path = Path(text)
        if not path.parent.is_dir():
            self._message(self.tr("The folder {folder} does not exist.").format(folder=str(path.parent)))
            return
        store = self._service.store
        zone = ZoneInfo(self._zone())
        mode: Any = "new" if self.new_radio.isChecked() else "all"
        fiat = str(self.fiat_combo.currentData())

        def work() -> ExportReport:
            return export_cryptact(store, path, tz=zone, mode=mode, fiat=fiat)

        self._message("")
        self._form_widget.setEnabled(False)
        self.export_button.setEnabled(False)
        self.progress_label.setText(self.tr("Writing {file}…").format(file=path.name))
        self.progress.show()
        self._background.run(
            work, lambda result: self._on_done(result, None), lambda e: self._on_done(None, e)
        )

    # ------------------------------------------------------------------ internals

    def _last_export_ms(self) -> int | None:
        value = self._service.store.setting(LAST_EXPORT_SETTING)
        try:
            return int(value) if value else None
        except ValueError:
            return None

    def _zone(self) -> str:
        return str(self.zone_combo.currentData() or "UTC")

    def _on_path_edited(self, _text: str) -> None:
        self._path_edited = True

    def _update_suggested_path(self, *_args: object) -> None:
        if self._path_edited:
            return
        name = suggest_filename(ZoneInfo(self._zone()), datetime.now(UTC))
        self.path_edit.setText(str(self._directory / name))

    def _message(self, text: str, style: str = ERROR_STYLE) -> None:
        self.message_label.setStyleSheet(style)
        self.message_label.setText(html.escape(text, quote=False))
        self.message_label.setVisible(bool(text))

    def _on_done(self, result: Any, error: BaseException | None) -> None:
        self.progress.hide()
        self._form_widget.setEnabled(True)
        self.export_button.setEnabled(True)
        if error is not None or not isinstance(result, ExportReport):
            if isinstance(error, StorageError):  # the database, not the file being written
                text = f"{error.failure.message} — {error.failure.hint}"
            elif isinstance(error, ExportPartFailed):  # its message is for the user
                text = str(error)
            elif isinstance(error, OSError):
                text = self.tr("The file could not be written: {reason}").format(
                    reason=error.strerror or type(error).__name__
                )
            else:
                text = self.tr("The export failed ({error}).").format(error=type(error).__name__)
            self._message(text)
            return
        self._report = result
        if result.path is not None and result.ok:
            self._message(self.tr("Saved {file}.").format(file=str(result.path)), OK_STYLE)
            self.close_button.setText(self.tr("Done"))
        elif result.ok:
            self._message(self.tr("Nothing to export: no file was written."), INFO_STYLE)
        else:
            self._message(
                self.tr("The file was not written: {count} rows would not pass Cryptact's checks.").format(
                    count=result.problem_count
                )
            )
        self.report_view.setPlainText("\n".join(result.summary_lines()))
        self.report_view.show()
        self.transfers_button.setVisible(result.unclassified > 0)
        if self.height() < 560:
            self.resize(max(self.width(), 680), 560)
        self.exported.emit(result)

    def _open_transfers(self) -> None:
        open_transfers_dialog(self._service.store, self)

    def reject(self) -> None:
        if self._background.busy:
            return  # the file is moved into place only when complete: wait for it
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._background.busy:
            event.ignore()
            return
        super().closeEvent(event)


def open_export_dialog(service: AppService, parent: QWidget | None = None) -> ExportDialog:
    """File → "Export Cryptact file…" (window-modal, non-blocking); it deletes itself when closed."""
    dialog = ExportDialog(service, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
