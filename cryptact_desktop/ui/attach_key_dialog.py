"""Attach an API key to a file-only account, so its files and the API fill one account.

The key is verified with the exchange first (off the GUI thread). If the exchange says the key
belongs to a different account (UID) than the imported files, the dialog warns and asks for
"Attach anyway". Then the secret goes to the keyring (``AppService.replace_credentials``) and the
account gets its API settings (``Store.update_key``: host, endpoints, "Sync from", un-paused).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop import assistant
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import SyncFailure
from cryptact_desktop.i18n import translate
from cryptact_desktop.secrets import SecretStoreError
from cryptact_desktop.service import AppService, KeyInputError, clean_credentials
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.ui.import_dialog import (
    ERROR_STYLE,
    INFO_STYLE,
    Background,
    busy_indicator,
    format_ms,
    hint_label,
    styled_label,
    title_label,
)
from cryptact_desktop.ui.key_dialog import UrlProblem, custom_url_problem
from cryptact_desktop.venues.registry import CUSTOM_HOST, venue_info


class AttachKeyDialog(QDialog):
    """ "Attach API key…" for the file-only account ``account_id``."""

    attached = Signal(int)
    verificationFinished = Signal(object)  # KeyVerification, or the error text

    def __init__(self, service: AppService, account_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachKeyDialog")
        self._service = service
        self._account = service.store.get_key(account_id)
        self._info = venue_info(self._account.exchange)
        self._background = Background(self)
        self._pending: tuple[Credentials, KeyVerification] | None = None
        self._saving = False
        name = self._info.name
        self.setWindowTitle(self.tr("Attach an API key to “{label}”").format(label=self._account.label))
        self.setMinimumWidth(620)

        intro = hint_label(
            self.tr(
                "Paste a read-only {exchange} API key of the same account the files came from. The API "
                "then adds what the files do not have; records both have are kept once."
            ).format(exchange=name)
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.api_key_edit = QLineEdit()
        self.api_key_edit.setObjectName("apiKeyEdit")
        self.api_key_edit.setPlaceholderText(
            self.tr("Paste the API key from {exchange}").format(exchange=name)
        )
        self.secret_edit = QLineEdit()
        self.secret_edit.setObjectName("secretEdit")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setPlaceholderText(self.tr("Paste the secret key"))
        form.addRow(self.tr("API &key:"), self.api_key_edit)
        form.addRow(self.tr("&Secret key:"), self.secret_edit)
        self.passphrase_edit: QLineEdit | None = None
        if self._info.needs_passphrase:
            self.passphrase_edit = QLineEdit()
            self.passphrase_edit.setObjectName("passphraseEdit")
            self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(self.tr("&Passphrase:"), self.passphrase_edit)
        for edit in (self.api_key_edit, self.secret_edit, self.passphrase_edit):
            if edit is not None:
                edit.textEdited.connect(self._forget_pending)

        self.host_combo = QComboBox()
        self.host_combo.setObjectName("hostCombo")
        for host in self._info.hosts:
            self.host_combo.addItem(translate("catalogue", host.label), host.id)
        if self._info.allows_custom_url:
            self.host_combo.addItem(self.tr("Custom URL (advanced)"), CUSTOM_HOST)
        self.host_combo.currentIndexChanged.connect(self._on_host_changed)
        form.addRow(self.tr("API &site:"), self.host_combo)
        self.custom_url_edit = QLineEdit()
        self.custom_url_edit.setObjectName("customUrlEdit")
        self.custom_url_edit.setPlaceholderText("https://")
        self.custom_url_edit.textEdited.connect(self._forget_pending)
        form.addRow(self.tr("API &address:"), self.custom_url_edit)
        self._form = form

        suggested = assistant.suggested_sync_from(service.store, account_id)
        self.sync_from_check = QCheckBox(self.tr("Sync from a custom &timestamp"))
        self.sync_from_check.setObjectName("syncFromCheck")
        self.sync_from_edit = QDateTimeEdit()
        self.sync_from_edit.setObjectName("syncFromEdit")
        self.sync_from_edit.setTimeZone(QTimeZone.utc())
        self.sync_from_edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.sync_from_edit.setCalendarPopup(True)
        if suggested is not None:
            self.sync_from_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(suggested, QTimeZone.utc()))
        self.sync_from_check.setChecked(suggested is not None)
        self.sync_from_check.toggled.connect(self.sync_from_edit.setEnabled)
        self.sync_from_edit.setEnabled(suggested is not None)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_from_check)
        sync_row.addWidget(self.sync_from_edit)
        sync_row.addWidget(QLabel(self.tr("UTC")))
        sync_row.addStretch(1)
        sync_box = QVBoxLayout()
        sync_box.addLayout(sync_row)
        note = (
            self.tr("Pre-set to just after your files' newest row ({when} UTC).").format(
                when=format_ms(suggested)
            )
            if suggested is not None
            else self.tr("Off: the API fetches everything it still offers.")
        )
        sync_box.addWidget(hint_label(note))
        form.addRow(self.tr("Sync from:"), sync_box)

        endpoints = QWidget()
        grid = QGridLayout(endpoints)
        grid.setContentsMargins(0, 0, 0, 0)
        enabled = set(self._account.enabled_endpoints)
        self._endpoint_boxes: dict[str, QCheckBox] = {}
        for index, endpoint in enumerate(self._info.endpoints):
            box = QCheckBox(endpoint.display_name().replace("&", "&&"))
            box.setObjectName(f"endpoint_{endpoint.id}")
            box.setChecked(endpoint.id in enabled or endpoint.default_enabled)
            box.setToolTip(endpoint.display_lookback())
            grid.addWidget(box, index // 2, index % 2)
            self._endpoint_boxes[endpoint.id] = box
        form.addRow(self.tr("&Endpoints:"), endpoints)

        self.warning_label = styled_label(INFO_STYLE, "warningLabel")
        self.error_label = styled_label(ERROR_STYLE, "errorLabel")

        self.progress, self.progress_label = busy_indicator()

        self.buttons = QDialogButtonBox()
        self.attach_button = QPushButton(self.tr("&Attach"))
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.addButton(self.attach_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.attach_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.progress, 1)
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title_label(self.windowTitle()))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(footer)
        self._on_host_changed()

    # ------------------------------------------------------------------ reactions

    def _on_host_changed(self, *_args: object) -> None:
        self._form.setRowVisible(self.custom_url_edit, self.host_combo.currentData() == CUSTOM_HOST)
        self._forget_pending()

    def _forget_pending(self, *_args: object) -> None:
        if self._pending is not None:
            self._pending = None
            self.warning_label.hide()
            self.attach_button.setText(self.tr("&Attach"))

    def _error(self, text: str) -> None:
        self.error_label.setText(html.escape(text, quote=False))
        self.error_label.setVisible(bool(text))

    def _busy(self, text: str) -> None:
        self.progress_label.setText(text)
        self.progress.setVisible(bool(text))
        self.attach_button.setEnabled(not text)

    def _custom_url(self) -> str:
        if self.host_combo.currentData() != CUSTOM_HOST:
            return ""
        return self.custom_url_edit.text().strip().rstrip("/")

    # ------------------------------------------------------------------ submit

    def submit(self) -> None:
        if self._background.busy:
            return
        if self._pending is not None:
            self._save(*self._pending)
            return
        self._error("")
        try:
            credentials = clean_credentials(
                self.api_key_edit.text(),
                self.secret_edit.text(),
                self.passphrase_edit.text() if self.passphrase_edit is not None else "",
                needs_passphrase=self._info.needs_passphrase,
            )
        except KeyInputError as exc:
            self._error(exc.message)
            return
        host_id = str(self.host_combo.currentData())
        if host_id == CUSTOM_HOST:
            problem = custom_url_problem(self.custom_url_edit.text())
            if problem is not None:
                self._error(
                    self.tr("Use https:// (plain http:// only for this computer).")
                    if problem == UrlProblem.PLAIN_HTTP
                    else self.tr("Enter a valid API address.")
                )
                return
        if not self._endpoints():
            self._error(self.tr("Tick at least one endpoint to sync."))
            return
        service, exchange_id, custom_url = self._service, self._info.id, self._custom_url()

        def check() -> KeyVerification:
            service.secrets.check_usable()
            return service.verify(exchange_id, host_id, custom_url, credentials)

        self._busy(self.tr("Checking the key with {exchange}…").format(exchange=self._info.name))
        self._background.run(check, lambda result, error: self._on_verified(credentials, result, error))

    def _endpoints(self) -> tuple[str, ...]:
        return tuple(e for e, box in self._endpoint_boxes.items() if box.isChecked())

    def _failure_text(self, error: BaseException | None) -> str:
        if isinstance(error, SyncFailure | SecretStoreError):
            failure = error.failure
            return f"{failure.message} — {failure.hint}" if failure.hint else failure.message
        return self.tr("Something unexpected went wrong ({error}).").format(error=type(error).__name__)

    def _on_verified(self, credentials: Credentials, result: Any, error: BaseException | None) -> None:
        self._busy("")
        if error is not None or not isinstance(result, KeyVerification) or not result.valid:
            text = (
                self._failure_text(error)
                if error is not None
                else self.tr("{exchange} did not accept this key.").format(exchange=self._info.name)
            )
            self._error(text)
            self.verificationFinished.emit(text)
            return
        self.verificationFinished.emit(result)
        warnings = list(result.warnings)
        file_uid = self._account.verification.exchange_user_id
        if result.user_id and file_uid and result.user_id != file_uid:
            warnings.insert(
                0,
                self.tr(
                    "This key belongs to {exchange} account UID {key_uid}, but the imported files are from "
                    "UID {file_uid}. Attaching it mixes two accounts' transactions."
                ).format(exchange=self._info.name, key_uid=result.user_id, file_uid=file_uid),
            )
        if warnings:
            self._pending = (credentials, result)
            self.warning_label.setText(
                "".join(f"<p style='margin:0'><b>⚠ {html.escape(w, quote=False)}</b></p>" for w in warnings)
                + "<p style='margin:4px 0 0 0'>"
                + html.escape(self.tr("Press “Attach anyway” to continue."), quote=False)
                + "</p>"
            )
            self.warning_label.show()
            self.attach_button.setText(self.tr("Attach &anyway"))
            return
        self._save(credentials, result)

    def _save(self, credentials: Credentials, verification: KeyVerification) -> None:
        service, key_id = self._service, self._account.id
        host_id = str(self.host_combo.currentData())
        base_url = self._custom_url()
        endpoints = self._endpoints()
        sync_from_ms = (
            int(self.sync_from_edit.dateTime().toMSecsSinceEpoch())
            if self.sync_from_check.isChecked()
            else None
        )

        def save() -> int:
            service.replace_credentials(key_id, credentials, verification)
            service.store.update_key(
                key_id,
                host_id=host_id,
                base_url=base_url,
                paused=False,
                endpoints=endpoints,
                sync_from_ms=sync_from_ms,
            )
            return key_id

        self._pending = None
        self._saving = True
        self._busy(self.tr("Saving the key…"))
        self._background.run(save, self._on_saved)

    def _on_saved(self, result: Any, error: BaseException | None) -> None:
        self._saving = False
        self._busy("")
        if error is not None or not isinstance(result, int):
            self._error(self._failure_text(error))
            return
        self.attached.emit(result)
        self.accept()

    def reject(self) -> None:
        if self._saving:
            return
        self._background.cancel()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving:
            event.ignore()
            return
        super().closeEvent(event)


def open_attach_key_dialog(
    service: AppService, account_id: int, parent: QWidget | None = None
) -> AttachKeyDialog:
    """Open "Attach API key…" (window-modal, non-blocking) for a file-only account; it deletes itself
    on close. Connect ``attached(int)`` to refresh the key list."""
    dialog = AttachKeyDialog(service, account_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
