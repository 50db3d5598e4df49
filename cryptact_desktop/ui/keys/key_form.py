"""The add/edit key dialog's widgets and layout (the state machine is :mod:`.key_dialog`).

Header (badge, title, what happens to the key), then the form — label, the venue's credential
fields, sub-account, API site and custom address, "Sync from", endpoints — then the warning and
error boxes, and the progress row beside Submit / Cancel. Everything is built from the venue's
:class:`~cryptact_desktop.venues.base.VenueInfo`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.errors import Failure, FailureKind
from cryptact_desktop.key_input import MAX_LABEL_LENGTH
from cryptact_desktop.service import AppService
from cryptact_desktop.state import KeyConfig
from cryptact_desktop.ui import demo_session
from cryptact_desktop.ui.icons import exchange_badge
from cryptact_desktop.ui.keys.credential_form import CredentialForm
from cryptact_desktop.ui.keys.endpoint_picker import EndpointPicker
from cryptact_desktop.ui.keys.field_errors import FieldErrors
from cryptact_desktop.ui.keys.keyring_notice import blocks_new_keys, keyring_status, notice_label
from cryptact_desktop.ui.keys.site_picker import SitePicker
from cryptact_desktop.ui.keys.sync_from import SyncFromField
from cryptact_desktop.ui.keys.verification_panel import VerificationPanel
from cryptact_desktop.ui.screen_fit import FittingScrollArea, screen_height_limit
from cryptact_desktop.ui.widgets import small_hint, venue_display_name
from cryptact_desktop.venues.base import VenueInfo

log = logging.getLogger(__name__)


class KeyForm(QDialog):
    """The key dialog's parts. ``edited(field)`` fires when the key or where it is sent changes
    (a credential field's name, "custom_url", or "" for the API site)."""

    edited = Signal(str)

    def __init__(
        self,
        service: AppService,
        info: VenueInfo,
        parent: QWidget | None = None,
        *,
        key: KeyConfig | None = None,
        suggested_sync_from_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keyDialog")
        self._service = service
        self._key = key
        self.info = info
        self.venue_name = venue_display_name(info)
        self.field_errors = FieldErrors(self._fit_height)
        self.panel = VerificationPanel(self, self._fit_height)
        self.wallet = info.is_blockchain
        if self.wallet and key is None:
            self.setWindowTitle(self.tr("Add wallet for {exchange}").format(exchange=self.venue_name))
        elif self.wallet:
            self.setWindowTitle(self.tr("Edit wallet for {exchange}").format(exchange=self.venue_name))
        elif key is None:
            self.setWindowTitle(self.tr("Add key for {exchange}").format(exchange=self.venue_name))
        else:
            self.setWindowTitle(self.tr("Edit key for {exchange}").format(exchange=self.venue_name))
        self._auto_label = ""  # the label the dialog filled in (replaced while the user keeps it)
        self.setMinimumWidth(640)

        self._build_header()
        self._build_form(suggested_sync_from_ms)
        self._build_footer()
        layout = self.main_layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.header)
        # Asked before anything is typed: without a safe keyring the form is not offered at all.
        self.keyring_status = keyring_status(service.secrets)
        self.keyring_notice = notice_label(self.keyring_status)
        self.keyring_blocked = blocks_new_keys(self.keyring_status)
        if self.keyring_notice is not None:
            layout.addWidget(self.keyring_notice)
            self.keyring_notice.setVisible(True)
        layout.addWidget(FittingScrollArea(self.form_widget), 1)  # scrolls on a small screen
        layout.addWidget(self.panel.warning_label)
        layout.addWidget(self.panel.error_label)
        layout.addLayout(self.footer)

        self._fill_from_key()
        self._set_tab_order()
        self._on_host_changed()
        (self.label_edit if key is not None else self.credential_form.first()).setFocus()
        if self.keyring_blocked:
            self._block_credentials()
        self._fit_height()

    def _block_credentials(self) -> None:
        """No secret can be stored: a new key's form is not offered (the notice says what to do);
        an existing key's settings stay editable, but no new secret can be pasted."""
        if self._key is None:
            self.form_widget.hide()
            self.submit_button.hide()
            self.cancel_button.setText(self.tr("Close"))
            self.cancel_button.setDefault(True)
            self.cancel_button.setFocus()
            return
        for widget in self.credential_form.inputs.values():
            widget.setEnabled(False)

    # ------------------------------------------------------------------ construction

    def _build_header(self) -> None:
        self.header = QWidget()
        badge = QLabel()
        badge.setPixmap(exchange_badge(self.info.id).pixmap(QSize(40, 40)))
        badge.setFixedSize(40, 40)
        title = QLabel(self.windowTitle())
        title.setObjectName("titleLabel")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        if self.wallet and self._key is None:
            text = self.tr(
                "Paste a {exchange} address, or your wallet app's extended public key to read every "
                "address of the account. Nothing here can spend your coins: the app only reads the "
                "public history from the server below. An optional API key of the data provider is "
                "kept in your system keyring."
            ).format(exchange=self.venue_name)
        elif self.wallet:
            text = self.tr(
                "Change the wallet's settings, or paste another address or extended public key to replace it."
            )
        elif self._key is None:
            text = self.tr(
                "Create a read-only API key on {exchange} and paste it below. The app checks the key "
                "with {exchange} before saving it; the secret is kept in your system keyring, never "
                "in the app's database."
            ).format(exchange=self.venue_name)
        else:
            text = self.tr(
                "Change the key's settings, or paste a new API key and secret to replace the current "
                "one. The stored secret is never shown."
            )
        intro = QLabel(text)
        intro.setWordWrap(True)
        intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(title)
        texts.addWidget(intro)
        row = QHBoxLayout(self.header)
        row.setContentsMargins(0, 0, 0, 4)
        row.setSpacing(12)
        row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)

    def _line_edit(self, object_name: str, accessible_name: str, max_length: int = 80) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setAccessibleName(accessible_name)
        edit.setMaxLength(max_length)
        return edit

    def _build_form(self, suggested_sync_from_ms: int | None) -> None:
        self.form_widget = QWidget()
        form = self.form = QFormLayout(self.form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(8)
        name = self.venue_name
        errors = self.field_errors

        self.label_edit = self._line_edit("labelEdit", self.tr("Label"), MAX_LABEL_LENGTH)
        if self.wallet:
            self.label_edit.setPlaceholderText(self.tr("A name for this wallet, e.g. Cold wallet"))
        else:
            self.label_edit.setPlaceholderText(
                self.tr("A name for this key, e.g. {exchange} main").format(exchange=name)
            )
        form.addRow(self.tr("&Label:"), errors.row("label", self.label_edit, self.label_edit))

        self.credential_form = CredentialForm(self.info, self, editing=self._key is not None, errors=errors)
        self.credential_form.edited.connect(self.edited)
        self.credentials_hint: QLabel | None = None
        if self._key is not None and self.wallet:
            self.credentials_hint = small_hint(
                self.tr(
                    "The current address ({hint}) stays unless you paste another one; it is checked "
                    "with the server before it replaces it."
                ).format(hint=self._key.key_hint or "…"),
                "credentialsHint",
            )
        elif self._key is not None:
            self.credentials_hint = small_hint(
                self.tr(
                    "The current key ({hint}) stays unless you paste a new key and secret; they are "
                    "checked with {exchange} before they replace it."
                ).format(hint=self._key.key_hint or "…", exchange=name),
                "credentialsHint",
            )
        self.credential_form.add_rows(form, self.credentials_hint)
        self.credential_form.edited.connect(self._on_credential_edited)
        self.show_secret_button = self.credential_form.show_secret_button

        self.subaccount_edit: QLineEdit | None = None
        if self.info.supports_subaccounts:
            self.subaccount_edit = self._line_edit("subaccountEdit", self.tr("Subaccount name"))
            self.subaccount_edit.setPlaceholderText(
                self.tr("Most users leave this blank — fill it in only if you use sub-accounts")
            )
            self.subaccount_edit.setToolTip(
                self.tr(
                    "Only for keys of a {exchange} sub-account. Adding the same key twice with different "
                    "sub-account names imports the same transactions twice."
                ).format(exchange=name)
            )
            form.addRow(self.tr("Su&baccount name:"), self.subaccount_edit)

        self.site = SitePicker(self.info, self)
        self.host_combo, self.custom_url_edit = self.site.host_combo, self.site.custom_url_edit
        if self.wallet:
            self.host_combo.setToolTip(
                self.tr(
                    "The server that reads the {exchange} history: a public one, or your own "
                    "(https://, or http:// on this computer)."
                ).format(exchange=name)
            )
        else:
            site = self.tr("The {exchange} site your account is registered on. Most accounts use Global.")
            self.host_combo.setToolTip(site.format(exchange=name))
        self.host_combo.currentIndexChanged.connect(self._on_host_changed)
        self.custom_url_edit.textEdited.connect(lambda _text: self.edited.emit("custom_url"))
        self.custom_url_row = errors.row("custom_url", self.custom_url_edit, self.custom_url_edit)
        if self.wallet:
            form.addRow(self.tr("&Server:"), self.host_combo)
            form.addRow(self.tr("Server &address:"), self.custom_url_row)
        else:
            form.addRow(self.tr("API &site:"), self.host_combo)
            form.addRow(self.tr("API &address:"), self.custom_url_row)

        note = (
            self.tr(
                "Pre-set to just after your imported files. Useful when you also import files: the API "
                "then only adds what the files do not have."
            )
            if suggested_sync_from_ms is not None
            else self.tr(
                "Useful when you also import files: start the API sync just after the last transaction in "
                "your files so nothing is imported twice. Off: everything the API still offers."
            )
        )
        self.sync_from = SyncFromField(note, suggested_sync_from_ms)
        self.sync_from_check, self.sync_from_edit = self.sync_from.check, self.sync_from.edit
        sync_label = QLabel(self.tr("Sync from:"))
        sync_label.setBuddy(self.sync_from_check)
        form.addRow(sync_label, self.sync_from)

        self.endpoint_picker = EndpointPicker(self.info)
        self.endpoint_picker.changed.connect(self._on_endpoints_changed)
        self.select_all_button = self.endpoint_picker.select_all_button
        self.select_none_button = self.endpoint_picker.select_none_button
        first_box = self.endpoint_picker.first_box()
        form.addRow(self.tr("&Endpoints:"), errors.row("endpoints", self.endpoint_picker, first_box))

    def _build_footer(self) -> None:
        self.progress_widget, self.progress_label = self.panel.progress_widget, self.panel.progress_label
        self.button_box = QDialogButtonBox()
        self.submit_button = QPushButton(self.tr("Submit"))
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.button_box.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.button_box.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.footer = QHBoxLayout()
        self.footer.addWidget(self.progress_widget)
        self.footer.addWidget(self.button_box)

    def _fill_from_key(self) -> None:
        key = self._key
        if key is None:
            self._auto_label = self._default_label()
            self.label_edit.setText(self._auto_label)
            demo_session.offer_demo_key(self)  # --demo: the demo exchange and a key to paste
            return
        self.label_edit.setText(key.label)
        if self.subaccount_edit is not None:
            self.subaccount_edit.setText(key.subaccount)
        self.site.set_site(key.host_id, key.base_url)
        if key.sync_from_ms is not None:
            self.sync_from.set_value(key.sync_from_ms)
        else:
            self.sync_from_check.setChecked(False)
        self.endpoint_picker.set_selected(key.enabled_endpoints)

    def _default_label(self) -> str:
        """The exchange's name, numbered if another key already uses it ("<exchange> 2"); a wallet's
        shortened address once one is typed."""
        try:
            taken = {k.label for k in self._service.store.list_keys()}
        except Exception:  # a label suggestion is not worth failing the dialog for
            log.warning("could not list keys for a default label", exc_info=True)
            taken = set()
        start = self.venue_name
        if self.wallet:
            start = self.info.default_label(self.credential_form.values())
            start = self.venue_name if start == self.info.name else start
        label, number = start, 2
        while label in taken:
            label, number = f"{start} {number}", number + 1
        return label

    def _on_credential_edited(self, name: str) -> None:
        """A wallet's label follows its address while the user has not named it; a field with its
        own check says at once what is wrong with what was pasted."""
        if self._key is None and self.wallet and self.label_edit.text() == self._auto_label:
            self._auto_label = self._default_label()
            self.label_edit.setText(self._auto_label)
        self.field_errors.show(name, self.credential_form.field_problem(name))

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.label_edit, *self.credential_form.tab_chain()]
        if self.subaccount_edit is not None:
            chain.append(self.subaccount_edit)
        chain += [self.host_combo, self.custom_url_edit, self.sync_from_check, self.sync_from_edit]
        chain += [self.sync_from.zone_combo, *self.endpoint_picker.widgets()]
        chain += [self.submit_button, self.cancel_button]
        demo = self.findChild(QPushButton, "pasteDemoKeyButton")
        if demo is not None:
            chain.insert(0, demo)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _fit_height(self) -> None:
        """Grow to the height the wrapped texts need at the current width.

        Top-level layouts size a dialog by its minimum size, which ignores height-for-width, so
        word-wrapped hints and messages would otherwise be squeezed into one clipped line.
        """
        layout = getattr(self, "main_layout", None)
        if layout is None:  # still being built
            return
        layout.activate()
        width = self.width() if self.isVisible() else max(self.minimumWidth(), self.sizeHint().width())
        needed = layout.totalHeightForWidth(width)
        if needed <= 0:
            return
        needed = min(needed, screen_height_limit(self))  # a 1366×768 screen: the form scrolls
        if needed > self.minimumHeight() or not self.isVisible():
            self.setMinimumHeight(needed)
        if self.height() < needed or not self.isVisible():
            self.resize(width, needed)

    # ------------------------------------------------------------------ reading and reacting

    def subaccount(self) -> str:
        return self.subaccount_edit.text().strip() if self.subaccount_edit is not None else ""

    def _on_host_changed(self, *_args: object) -> None:
        custom = self.site.is_custom()
        if self.form.isRowVisible(self.custom_url_row) != custom:
            self.form.setRowVisible(self.custom_url_row, custom)
            self._fit_height()
        if not custom:
            self.field_errors.show("custom_url", "")
        self.edited.emit("")

    def _on_endpoints_changed(self) -> None:
        if self.endpoint_picker.selected():
            self.field_errors.show("endpoints", "")

    def show_failure(self, failure: Failure) -> None:
        """The refusal in the error box, and the focus on the field most fixes happen in."""
        self.panel.show_error(failure.message, failure.hint, failure.code)
        focus: dict[FailureKind, QWidget] = {
            FailureKind.SIGNATURE: self.credential_form.first_secret(),
            FailureKind.AUTHENTICATION: self.credential_form.first(),
            FailureKind.REGION: self.host_combo,
            FailureKind.WRONG_URL: self.custom_url_edit,
            FailureKind.INVALID_ADDRESS: self.credential_form.first(),
            FailureKind.WRONG_SERVER: self.host_combo,
        }
        widget = focus.get(failure.kind)
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()
