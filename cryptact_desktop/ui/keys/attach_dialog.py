"""Attach an API key to a file-only account, so its files and the API fill one account.

The key is verified with the exchange first (off the GUI thread). If the exchange says the key
belongs to a different account (UID) than the imported files, the dialog warns and asks for
"Attach anyway". Then the secret goes to the keyring (``AppService.replace_credentials``) and the
account gets its API settings (``Store.update_key``: host, endpoints, "Sync from", un-paused).
The credential inputs come from the venue's declaration, as in the key dialog.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop import assistant
from cryptact_desktop.api_urls import UrlProblem
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.service import AppService, KeyInputError
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.ui.background import Background
from cryptact_desktop.ui.keys.credential_form import CredentialForm
from cryptact_desktop.ui.keys.endpoint_picker import EndpointPicker
from cryptact_desktop.ui.keys.keyring_notice import blocks_new_keys, keyring_status, notice_label
from cryptact_desktop.ui.keys.site_picker import SitePicker
from cryptact_desktop.ui.keys.sync_from import SyncFromField
from cryptact_desktop.ui.keys.verification_panel import failure_of
from cryptact_desktop.ui.widgets import (
    ERROR_STYLE,
    INFO_STYLE,
    busy_indicator,
    format_in_zone,
    hint_label,
    styled_label,
    title_label,
    venue_display_name,
)
from cryptact_desktop.venues.registry import venue_info


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
        self._name = name = venue_display_name(self._info)
        self.setWindowTitle(self.tr("Attach an API key to “{label}”").format(label=self._account.label))
        self.setMinimumWidth(620)

        intro = hint_label(
            self.tr(
                "Paste a read-only {exchange} API key of the same account the files came from. The API "
                "then adds what the files do not have; records both have are kept once."
            ).format(exchange=name)
        )

        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.credential_form = CredentialForm(self._info, self, show_button=False)
        self.credential_form.add_rows(form)
        self.credential_form.edited.connect(self._forget_pending)

        self.site = SitePicker(self._info, self)
        self.host_combo, self.custom_url_edit = self.site.host_combo, self.site.custom_url_edit
        self.site.changed.connect(self._on_site_changed)
        form.addRow(self.tr("API &site:"), self.host_combo)
        form.addRow(self.tr("API &address:"), self.custom_url_edit)

        suggested = assistant.suggested_sync_from(service.store, account_id)
        note = (
            self.tr("Pre-set to just after your files' newest row ({when}).").format(
                when=format_in_zone(suggested)
            )
            if suggested is not None
            else self.tr("Off: the API fetches everything it still offers.")
        )
        self.sync_from = SyncFromField(note, suggested)
        self.sync_from_check, self.sync_from_edit = self.sync_from.check, self.sync_from.edit
        form.addRow(self.tr("Sync from:"), self.sync_from)

        self.endpoint_picker = EndpointPicker(self._info, compact=True)
        enabled = set(self._account.enabled_endpoints)
        self.endpoint_picker.set_selected(
            e.id for e in self._info.endpoints if e.id in enabled or e.default_enabled
        )
        form.addRow(self.tr("&Endpoints:"), self.endpoint_picker)

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
        # Asked before anything is typed: without a safe keyring the form is not offered at all.
        self.keyring_status = keyring_status(service.secrets)
        self.keyring_notice = notice_label(self.keyring_status)
        self.keyring_blocked = blocks_new_keys(self.keyring_status)
        if self.keyring_notice is not None:
            layout.addWidget(self.keyring_notice)
            self.keyring_notice.setVisible(True)
        layout.addLayout(form)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(footer)
        self._on_site_changed()
        if self.keyring_blocked:
            for row in range(form.rowCount()):
                form.setRowVisible(row, False)
            self.attach_button.hide()
            self.cancel_button.setText(self.tr("Close"))
            self.cancel_button.setDefault(True)

    # ------------------------------------------------------------------ reactions

    def _on_site_changed(self) -> None:
        if getattr(self, "keyring_blocked", False):
            return
        self._form.setRowVisible(self.custom_url_edit, self.site.is_custom())
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

    # ------------------------------------------------------------------ submit

    def submit(self) -> None:
        if self._background.busy or self.keyring_blocked:
            return
        if self._pending is not None:
            self._save(*self._pending)
            return
        self._error("")
        try:
            credentials = self.credential_form.clean()
        except KeyInputError as exc:
            self._error(exc.message)
            return
        problem = self.site.problem()
        if problem is not None:
            self._error(
                self.tr("Use https:// (plain http:// only for this computer).")
                if problem == UrlProblem.PLAIN_HTTP
                else self.tr("Enter a valid API address.")
            )
            return
        if not self.endpoint_picker.selected():
            self._error(self.tr("Tick at least one endpoint to sync."))
            return
        service, exchange_id = self._service, self._info.id
        host_id, custom_url = self.site.host_id(), self.site.custom_url()

        def check() -> KeyVerification:
            service.secrets.check_usable()
            return service.verify(exchange_id, host_id, custom_url, credentials)

        self._busy(self.tr("Checking the key with {exchange}…").format(exchange=self._name))
        self._background.run(
            check, lambda result: self._on_verified(credentials, result), self._on_check_failed
        )

    def _failure_text(self, error: Exception) -> str:
        failure = failure_of(error)
        return f"{failure.message} — {failure.hint}" if failure.hint else failure.message

    def _on_check_failed(self, error: Exception) -> None:
        self._busy("")
        text = self._failure_text(error)
        self._error(text)
        self.verificationFinished.emit(text)

    def _on_verified(self, credentials: Credentials, result: KeyVerification) -> None:
        self._busy("")
        if not result.valid:
            text = self.tr("{exchange} did not accept this key.").format(exchange=self._name)
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
                ).format(exchange=self._name, key_uid=result.user_id, file_uid=file_uid),
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
        host_id, base_url = self.site.host_id(), self.site.custom_url()
        endpoints, sync_from_ms = self.endpoint_picker.selected(), self.sync_from.value_ms()

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
        self._background.run(save, self._on_saved, self._on_save_failed)

    def _on_saved(self, key_id: int) -> None:
        self._saving = False
        self._busy("")
        self.attached.emit(key_id)
        self.accept()

    def _on_save_failed(self, error: Exception) -> None:
        self._saving = False
        self._busy("")
        self._error(self._failure_text(error))

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
