"""Add or edit an exchange API key ("Add key for Bybit").

The flow follows Cryptact's "Manage your API keys" form (API key, secret, sub-account, "Sync from
a custom timestamp", endpoints) and adds what it lacks: input is checked locally before anything
is sent, the key is verified with the exchange before it is saved (off the GUI thread, with a
cancel), keys that can trade or withdraw need an explicit "Save anyway", and the secret goes to
the system keyring only.

The dialog talks to the core through :class:`AppService` (and its ``store``) only.
"""

from __future__ import annotations

import html
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QDeadlineTimer,
    QObject,
    QSize,
    Qt,
    QThread,
    QTimeZone,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent, QFont, QPalette
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
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import Failure, FailureKind, SyncFailure
from cryptact_desktop.i18n import translate
from cryptact_desktop.secrets import SecretStoreError
from cryptact_desktop.service import AppService, KeyInputError, clean_credentials
from cryptact_desktop.state import KeyConfig, NewKey
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.ui.icons import exchange_badge
from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.registry import CUSTOM_HOST, venue_info

log = logging.getLogger(__name__)

_ERROR_STYLE = (
    "QLabel { color: #9f1c1c; background: #fdecec; border: 1px solid #f3b9b9;"
    " border-radius: 4px; padding: 6px; }"
)
_WARNING_STYLE = (
    "QLabel { color: #5c3b00; background: #fff4dc; border: 1px solid #f0b030;"
    " border-radius: 4px; padding: 8px; }"
)
_FIELD_ERROR_STYLE = "QLabel { color: #b3261e; }"
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


# --------------------------------------------------------------------------- background calls


class _Call(QObject):
    """Runs one callable on a worker thread and reports ``(generation, result, error)``."""

    done = Signal(object, int, object, object)  # (this call, generation, result, error)

    def __init__(self, generation: int, function: Callable[[], object]) -> None:
        super().__init__()
        self.generation = generation
        self.completed = False
        self.delivered = False  # set on the GUI thread once the result was handed over
        self._function: Callable[[], object] | None = function
        self.receiver: weakref.WeakMethod[Callable[[int, Any, Any], None]] | None = None

    @Slot()
    def run(self) -> None:
        function, self._function = self._function, None  # drop the closure (and any credentials)
        result: object = None
        error: BaseException | None = None
        try:
            if function is not None:
                result = function()
        except Exception as exc:  # reported to the dialog as data, never raised on the worker thread
            error = exc
        self.completed = True
        self.done.emit(self, self.generation, result, error)
        thread = self.thread()
        if thread is not None:
            thread.quit()


class _CallRunner(QObject):
    """Keeps each call's QThread and worker alive until the thread has really finished.

    Lives on the GUI thread. A cancelled check keeps running until its HTTP request returns (its
    result is then ignored), so the thread can outlive the dialog that started it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._running: list[tuple[QThread, _Call]] = []
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait_all)

    def start(self, call: _Call, receiver: Callable[[int, Any, Any], None]) -> None:
        """Run ``call`` on a new thread; ``receiver`` (a bound method of a dialog) gets its result
        on the GUI thread if the dialog still exists then.

        The worker is connected to this long-lived object, never to the dialog: a dialog can be
        closed and deleted while its check is still running.
        """
        call.receiver = weakref.WeakMethod(receiver)
        thread = QThread()
        thread.setObjectName("key-dialog-call")
        call.moveToThread(thread)
        call.done.connect(self._deliver)  # queued: this object lives on the GUI thread
        thread.started.connect(call.run)
        thread.finished.connect(self._release)
        self._running.append((thread, call))
        thread.start()

    @Slot(object, int, object, object)
    def _deliver(self, call: _Call, generation: int, result: Any, error: Any) -> None:
        # The call comes with the signal (not from sender()): it stays referenced in _running
        # until this has run, so its result can never be dropped by an early release.
        call.delivered = True
        method = call.receiver() if call.receiver is not None else None
        owner = getattr(method, "__self__", None)
        try:
            if method is not None and owner is not None and shiboken6.isValid(owner):
                method(generation, result, error)
            # else: the dialog is gone, nobody waits for this result
        finally:
            self._release()

    def running(self) -> int:
        return len(self._running)

    @Slot()
    def _release(self) -> None:
        still: list[tuple[QThread, _Call]] = []
        for thread, call in self._running:
            # Released only when both its result is delivered and its thread has ended; a
            # finished thread whose queued result is still on its way stays referenced.
            if call.delivered and thread.isFinished():
                thread.wait()
            else:
                still.append((thread, call))
        self._running = still

    @Slot()
    def wait_all(self) -> None:
        # A verification is bounded by the HTTP layer's timeouts; do not hang quitting forever.
        for thread, _call in self._running:
            thread.wait(QDeadlineTimer(15_000))
        self._running = [(t, c) for t, c in self._running if not t.isFinished()]


_runner: _CallRunner | None = None


def _call_runner() -> _CallRunner:
    global _runner
    if _runner is None:
        _runner = _CallRunner()
    return _runner


def running_background_calls() -> int:
    """How many key checks or saves are still running (cancelled ones included); for tests."""
    return 0 if _runner is None else _runner.running()


# --------------------------------------------------------------------------- helpers


class UrlProblem:
    EMPTY = "empty"
    MALFORMED = "malformed"
    PLAIN_HTTP = "plain_http"  # http:// to anything but this computer
    SCHEME = "scheme"


def custom_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a custom API base URL (a :class:`UrlProblem`), or None if it can.

    https:// anywhere, plain http:// only to a loopback address (a local simulator or proxy).
    """
    url = url.strip()
    if not url:
        return UrlProblem.EMPTY
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return UrlProblem.MALFORMED
    if parts.scheme not in ("https", "http"):
        return UrlProblem.SCHEME
    if not host or parts.query or parts.fragment or parts.username or parts.password or " " in url:
        return UrlProblem.MALFORMED
    if parts.scheme == "https":
        return None
    # The same loopback hosts the connector factory accepts for plain http.
    return None if host.lower() in _LOOPBACK_HOSTS else UrlProblem.PLAIN_HTTP


def _start_of_year_ms() -> int:
    now = datetime.now(UTC)
    return int(datetime(now.year, 1, 1, tzinfo=UTC).timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class _Pending:
    """A verified key waiting for "Save anyway" (never shown; dropped when the form changes)."""

    credentials: Credentials
    verification: KeyVerification


class _State:
    IDLE = "idle"
    CHECKING = "checking"
    CONFIRM = "confirm"  # verified with warnings: the next Submit saves
    SAVING = "saving"


# --------------------------------------------------------------------------- the dialog


class KeyDialog(QDialog):
    """Add a new API key for ``exchange_id``, or edit ``key`` (then the secret is never shown)."""

    keySaved = Signal(int)
    verification_finished = Signal(object)  # KeyVerification on success, Failure otherwise

    def __init__(
        self,
        service: AppService,
        exchange_id: str,
        parent: QWidget | None = None,
        *,
        key: KeyConfig | None = None,
        suggested_sync_from_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keyDialog")
        self._service = service
        self._info: VenueInfo = venue_info(exchange_id)
        self._key = key
        self._state = _State.IDLE
        self._generation = 0
        self._pending: _Pending | None = None
        self._callback: tuple[int, Callable[[object, BaseException | None], None]] | None = None
        self._saved_key_id: int | None = None
        self._field_errors: dict[str, QLabel] = {}
        self._endpoint_boxes: dict[str, QCheckBox] = {}

        name = self._info.name
        if key is None:
            self.setWindowTitle(self.tr("Add key for {exchange}").format(exchange=name))
        else:
            self.setWindowTitle(self.tr("Edit key for {exchange}").format(exchange=name))
        self.setMinimumWidth(640)

        self._build_header()
        self._build_form(suggested_sync_from_ms)
        self._build_footer()

        layout = self._main_layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.header)
        layout.addWidget(self.form_widget)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(self.footer)

        self._fill_from_key()
        self._set_tab_order()
        self._on_host_changed()
        self._on_sync_from_toggled(self.sync_from_check.isChecked())
        self._update_endpoint_buttons()
        (self.label_edit if key is not None else self.api_key_edit).setFocus()
        self._fit_height()

    # ------------------------------------------------------------------ public API

    def saved_key_id(self) -> int | None:
        return self._saved_key_id

    def is_busy(self) -> bool:
        return self._state in (_State.CHECKING, _State.SAVING)

    # ------------------------------------------------------------------ construction

    def _build_header(self) -> None:
        self.header = QWidget()
        badge = QLabel()
        badge.setPixmap(exchange_badge(self._info.id).pixmap(QSize(40, 40)))
        badge.setFixedSize(40, 40)
        title = QLabel(self.windowTitle())
        title.setObjectName("titleLabel")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        if self._key is None:
            text = self.tr(
                "Create a read-only API key on {exchange} and paste it below. The app checks the key "
                "with {exchange} before saving it; the secret is kept in your system keyring, never "
                "in the app's database."
            ).format(exchange=self._info.name)
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

    def _small_hint(self, text: str, object_name: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
        if object_name:
            label.setObjectName(object_name)
        return label

    def _with_error(
        self, field: str, content: QWidget | QHBoxLayout, focus: QWidget, hint: QLabel | None = None
    ) -> QWidget:
        """The field's widget(s) with a red message line right under it (hidden when empty),
        and optionally a grey hint between the two."""
        container = QWidget()
        container.setObjectName(f"{field}Row")
        column = QVBoxLayout(container)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(content, QWidget):
            column.addWidget(content)
        else:
            column.addLayout(content)
        if hint is not None:
            column.addWidget(hint)
        label = QLabel()
        label.setObjectName(f"{field}Error")
        label.setWordWrap(True)
        label.setStyleSheet(_FIELD_ERROR_STYLE)
        label.hide()
        column.addWidget(label)
        container.setFocusProxy(focus)  # the row's mnemonic focuses the field itself
        self._field_errors[field] = label
        return container

    def _line_edit(self, object_name: str, accessible_name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setAccessibleName(accessible_name)
        return edit

    def _build_form(self, suggested_sync_from_ms: int | None) -> None:
        self.form_widget = QWidget()
        form = QFormLayout(self.form_widget)
        self.form = form
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(8)
        name = self._info.name
        editing = self._key is not None

        # Label
        self.label_edit = self._line_edit("labelEdit", self.tr("Label"))
        self.label_edit.setMaxLength(80)
        self.label_edit.setPlaceholderText(
            self.tr("A name for this key, e.g. {exchange} main").format(exchange=name)
        )
        form.addRow(self.tr("&Label:"), self._with_error("label", self.label_edit, self.label_edit))

        # API key and secret
        self.api_key_edit = self._line_edit("apiKeyEdit", self.tr("API key"))
        self.secret_edit = self._line_edit("secretEdit", self.tr("Secret key"))
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for edit in (self.api_key_edit, self.secret_edit):
            edit.setMaxLength(1024)
            edit.textEdited.connect(self._on_credentials_edited)
            font = QFont("monospace")
            font.setStyleHint(QFont.StyleHint.TypeWriter)
            edit.setFont(font)
        if editing:
            unchanged = self.tr("unchanged")
            self.api_key_edit.setPlaceholderText(unchanged)
            self.secret_edit.setPlaceholderText(unchanged)
        else:
            self.api_key_edit.setPlaceholderText(
                self.tr("Paste the API key from {exchange}").format(exchange=name)
            )
            self.secret_edit.setPlaceholderText(self.tr("Paste the secret key"))
        self.show_secret_button = QToolButton()
        self.show_secret_button.setObjectName("showSecretButton")
        self.show_secret_button.setCheckable(True)
        self.show_secret_button.setText(self.tr("Show"))
        self.show_secret_button.setAccessibleName(self.tr("Show the secret key"))
        self.show_secret_button.setToolTip(self.tr("Show or hide the secret key"))
        self.show_secret_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.show_secret_button.toggled.connect(self._on_show_secret_toggled)
        secret_row = QHBoxLayout()
        secret_row.setSpacing(4)
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.show_secret_button)
        form.addRow(self.tr("API &key:"), self._with_error("api_key", self.api_key_edit, self.api_key_edit))
        self.credentials_hint: QLabel | None = None
        if editing and self._key is not None:
            self.credentials_hint = self._small_hint(
                self.tr(
                    "The current key ({hint}) stays unless you paste a new key and secret; they are "
                    "checked with {exchange} before they replace it."
                ).format(hint=self._key.key_hint or "…", exchange=name),
                "credentialsHint",
            )
        needs_passphrase = self._info.needs_passphrase
        secret_hint = None if needs_passphrase else self.credentials_hint
        form.addRow(
            self.tr("&Secret key:"), self._with_error("secret", secret_row, self.secret_edit, secret_hint)
        )

        self.passphrase_edit: QLineEdit | None = None
        if self._info.needs_passphrase:
            self.passphrase_edit = self._line_edit("passphraseEdit", self.tr("Passphrase"))
            self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.passphrase_edit.textEdited.connect(self._on_credentials_edited)
            self.passphrase_edit.setPlaceholderText(
                self.tr("unchanged") if editing else self.tr("The passphrase you chose when creating the key")
            )
            form.addRow(
                self.tr("&Passphrase:"),
                self._with_error(
                    "passphrase", self.passphrase_edit, self.passphrase_edit, self.credentials_hint
                ),
            )

        # Sub-account
        self.subaccount_edit: QLineEdit | None = None
        if self._info.supports_subaccounts:
            self.subaccount_edit = self._line_edit("subaccountEdit", self.tr("Subaccount name"))
            self.subaccount_edit.setMaxLength(80)
            blank_hint = self.tr("Most users leave this blank — fill it in only if you use sub-accounts")
            self.subaccount_edit.setPlaceholderText(blank_hint)
            self.subaccount_edit.setToolTip(
                self.tr(
                    "Only for keys of a {exchange} sub-account. Adding the same key twice with different "
                    "sub-account names imports the same transactions twice."
                ).format(exchange=name)
            )
            form.addRow(self.tr("Su&baccount name:"), self.subaccount_edit)

        # API site / region
        self.host_combo = QComboBox()
        self.host_combo.setObjectName("hostCombo")
        self.host_combo.setAccessibleName(self.tr("API site or region"))
        for host in self._info.hosts:
            self.host_combo.addItem(translate("catalogue", host.label), host.id)
        if self._info.allows_custom_url:
            self.host_combo.addItem(self.tr("Custom URL (advanced)"), CUSTOM_HOST)
        self.host_combo.setToolTip(
            self.tr("The {exchange} site your account is registered on. Most accounts use Global.").format(
                exchange=name
            )
        )
        self.host_combo.currentIndexChanged.connect(self._on_host_changed)
        form.addRow(self.tr("API &site:"), self.host_combo)
        self.custom_url_edit = self._line_edit("customUrlEdit", self.tr("Custom API address"))
        self.custom_url_edit.setPlaceholderText("https://")
        self.custom_url_edit.textEdited.connect(self._on_credentials_edited)
        self.custom_url_row = self._with_error("custom_url", self.custom_url_edit, self.custom_url_edit)
        form.addRow(self.tr("API &address:"), self.custom_url_row)

        # Sync from a custom timestamp
        self.sync_from_check = QCheckBox(self.tr("Sync from a custom &timestamp"))
        self.sync_from_check.setObjectName("syncFromCheck")
        self.sync_from_check.toggled.connect(self._on_sync_from_toggled)
        self.sync_from_edit = QDateTimeEdit()
        self.sync_from_edit.setObjectName("syncFromEdit")
        self.sync_from_edit.setAccessibleName(self.tr("Sync from (UTC)"))
        self.sync_from_edit.setTimeZone(QTimeZone.utc())
        self.sync_from_edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.sync_from_edit.setCalendarPopup(True)
        self.sync_from_edit.setMinimumDateTime(
            QDateTime.fromMSecsSinceEpoch(1_262_304_000_000, QTimeZone.utc())
        )
        start_ms = suggested_sync_from_ms if suggested_sync_from_ms is not None else _start_of_year_ms()
        self.sync_from_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(start_ms, QTimeZone.utc()))
        self.sync_from_check.setChecked(suggested_sync_from_ms is not None)
        utc_label = QLabel(self.tr("UTC"))
        date_row = QHBoxLayout()
        date_row.setSpacing(6)
        date_row.addWidget(self.sync_from_edit)
        date_row.addWidget(utc_label)
        date_row.addStretch(1)
        sync_box = QVBoxLayout()
        sync_box.setSpacing(4)
        sync_box.addWidget(self.sync_from_check)
        sync_box.addLayout(date_row)
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
        self.sync_from_note = self._small_hint(note, "syncFromNote")
        sync_box.addWidget(self.sync_from_note)
        sync_label = QLabel(self.tr("Sync from:"))
        sync_label.setBuddy(self.sync_from_check)
        form.addRow(sync_label, sync_box)

        # Endpoints
        endpoints_box = QWidget()
        endpoints_box.setObjectName("endpointsBox")
        grid = QGridLayout(endpoints_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        for row, endpoint in enumerate(self._info.endpoints):
            box = QCheckBox(endpoint.display_name().replace("&", "&&"))  # "&" is not a mnemonic
            box.setObjectName(f"endpoint_{endpoint.id}")
            box.setChecked(endpoint.default_enabled)
            lookback = endpoint.display_lookback()
            box.setToolTip(lookback)
            box.setAccessibleDescription(lookback)
            box.toggled.connect(self._update_endpoint_buttons)
            hint = self._small_hint(lookback)
            hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)  # beside its box
            hint.setToolTip(lookback)
            hint.setBuddy(box)
            # No alignment flags here: an aligned item loses height-for-width, and wrapped hints
            # would be clipped.
            grid.addWidget(box, row, 0)
            grid.addWidget(hint, row, 1)
            self._endpoint_boxes[endpoint.id] = box
        self.select_all_button = QPushButton(self.tr("Select &all"))
        self.select_all_button.setObjectName("selectAllButton")
        self.select_none_button = QPushButton(self.tr("Select &none"))
        self.select_none_button.setObjectName("selectNoneButton")
        for button in (self.select_all_button, self.select_none_button):
            button.setAutoDefault(False)
        # Bound methods, not lambdas over self: no reference cycle keeps a closed dialog alive.
        self.select_all_button.clicked.connect(self._select_all_endpoints)
        self.select_none_button.clicked.connect(self._select_no_endpoints)
        select_row = QHBoxLayout()
        select_row.setContentsMargins(0, 4, 0, 0)
        select_row.addWidget(self.select_all_button)
        select_row.addWidget(self.select_none_button)
        select_row.addStretch(1)
        grid.addLayout(select_row, len(self._info.endpoints), 0, 1, 2)
        first_box = next(iter(self._endpoint_boxes.values()))
        form.addRow(self.tr("&Endpoints:"), self._with_error("endpoints", endpoints_box, first_box))

    def _build_footer(self) -> None:
        self.warning_label = QLabel()
        self.warning_label.setObjectName("warningLabel")
        self.warning_label.setWordWrap(True)
        self.warning_label.setTextFormat(Qt.TextFormat.RichText)
        self.warning_label.setStyleSheet(_WARNING_STYLE)
        self.warning_label.setAccessibleName(self.tr("Warning"))
        self.warning_label.hide()

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setAccessibleName(self.tr("Error"))
        self.error_label.hide()

        self.progress_widget = QWidget()
        self.progress_widget.setObjectName("progressWidget")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedWidth(90)
        self.progress_bar.setMaximumHeight(12)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        progress_row = QHBoxLayout(self.progress_widget)
        progress_row.setContentsMargins(0, 0, 0, 0)
        progress_row.setSpacing(8)
        progress_row.addWidget(self.progress_bar)
        progress_row.addWidget(self.progress_label)
        # Minimum: the button box is Expanding and would otherwise squeeze the message.
        self.progress_widget.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.progress_widget.hide()

        self.button_box = QDialogButtonBox()
        self.submit_button = QPushButton(self.tr("Submit"))
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.button_box.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.button_box.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self._on_submit)
        self.cancel_button.clicked.connect(self._on_cancel)

        self.footer = QHBoxLayout()
        self.footer.addWidget(self.progress_widget)
        self.footer.addWidget(self.button_box)

    def _fill_from_key(self) -> None:
        key = self._key
        if key is None:
            self.label_edit.setText(self._default_label())
            return
        self.label_edit.setText(key.label)
        if self.subaccount_edit is not None:
            self.subaccount_edit.setText(key.subaccount)
        index = self.host_combo.findData(key.host_id)
        if index >= 0:
            self.host_combo.setCurrentIndex(index)
        if key.host_id == CUSTOM_HOST:
            self.custom_url_edit.setText(key.base_url)
        if key.sync_from_ms is not None:
            self.sync_from_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(key.sync_from_ms, QTimeZone.utc()))
        self.sync_from_check.setChecked(key.sync_from_ms is not None)
        enabled = set(key.enabled_endpoints)
        for endpoint_id, box in self._endpoint_boxes.items():
            box.setChecked(endpoint_id in enabled)

    def _default_label(self) -> str:
        """The exchange's name, numbered if another key already uses it ("Bybit 2")."""
        try:
            taken = {k.label for k in self._service.store.list_keys()}
        except Exception:  # a label suggestion is not worth failing the dialog for
            log.warning("could not list keys for a default label", exc_info=True)
            taken = set()
        label, number = self._info.name, 2
        while label in taken:
            label, number = f"{self._info.name} {number}", number + 1
        return label

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.label_edit, self.api_key_edit, self.secret_edit, self.show_secret_button]
        if self.passphrase_edit is not None:
            chain.append(self.passphrase_edit)
        if self.subaccount_edit is not None:
            chain.append(self.subaccount_edit)
        chain += [self.host_combo, self.custom_url_edit, self.sync_from_check, self.sync_from_edit]
        chain += list(self._endpoint_boxes.values())
        chain += [self.select_all_button, self.select_none_button, self.submit_button, self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _fit_height(self) -> None:
        """Grow to the height the wrapped texts need at the current width.

        Top-level layouts size a dialog by its minimum size, which ignores height-for-width, so
        word-wrapped hints and messages would otherwise be squeezed into one clipped line.
        """
        layout = self._main_layout
        layout.activate()
        width = self.width() if self.isVisible() else max(self.minimumWidth(), self.sizeHint().width())
        needed = layout.totalHeightForWidth(width)
        if needed <= 0:
            return
        if needed > self.minimumHeight() or not self.isVisible():
            self.setMinimumHeight(needed)
        if self.height() < needed or not self.isVisible():
            self.resize(width, needed)

    # ------------------------------------------------------------------ form reactions

    def _on_show_secret_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.secret_edit.setEchoMode(mode)
        if self.passphrase_edit is not None:
            self.passphrase_edit.setEchoMode(mode)
        self.show_secret_button.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.show_secret_button.setAccessibleName(
            self.tr("Hide the secret key") if shown else self.tr("Show the secret key")
        )

    def _on_host_changed(self, *_args: object) -> None:
        custom = self.host_combo.currentData() == CUSTOM_HOST
        if self.form.isRowVisible(self.custom_url_row) != custom:
            self.form.setRowVisible(self.custom_url_row, custom)
            self._fit_height()
        if not custom:
            self._show_field_error("custom_url", "")
        self._on_credentials_edited()

    def _on_sync_from_toggled(self, checked: bool) -> None:
        self.sync_from_edit.setEnabled(checked)

    def _set_all_endpoints(self, value: bool) -> None:
        for box in self._endpoint_boxes.values():
            box.setChecked(value)

    def _select_all_endpoints(self) -> None:
        self._set_all_endpoints(True)

    def _select_no_endpoints(self) -> None:
        self._set_all_endpoints(False)

    def _update_endpoint_buttons(self, *_args: object) -> None:
        ticked = [box.isChecked() for box in self._endpoint_boxes.values()]
        self.select_all_button.setEnabled(not all(ticked))
        self.select_none_button.setEnabled(any(ticked))
        if any(ticked):
            self._show_field_error("endpoints", "")

    def _on_credentials_edited(self, *_args: object) -> None:
        """The key or where it is sent changed: a "Save anyway" no longer applies to it."""
        if self._state == _State.CONFIRM:
            self._pending = None
            self._set_state(_State.IDLE)
            self.warning_label.clear()
            self.warning_label.hide()
        sender = self.sender()
        for field, edit in (
            ("api_key", self.api_key_edit),
            ("secret", self.secret_edit),
            ("passphrase", self.passphrase_edit),
            ("custom_url", self.custom_url_edit),
        ):
            if edit is not None and sender is edit:
                self._show_field_error(field, "")

    # ------------------------------------------------------------------ messages

    def _show_field_error(self, field: str, message: str) -> None:
        label = self._field_errors.get(field)
        if label is None:
            return
        if label.text() == message:
            return
        label.setText(message)
        label.setVisible(bool(message))
        self._fit_height()

    def _clear_messages(self) -> None:
        for field in self._field_errors:
            self._show_field_error(field, "")
        self._show_error("")

    def _show_error(self, message: str, hint: str = "", code: str = "") -> None:
        if not message:
            self.error_label.clear()
            self.error_label.hide()
            return
        text = f"<b>{html.escape(message, quote=False)}</b>"
        if code:
            text += f" <span>[{html.escape(code, quote=False)}]</span>"
        if hint:
            text += f" — {html.escape(hint, quote=False)}"
        self.error_label.setText(text)
        self.error_label.show()
        self._fit_height()

    def _show_failure(self, failure: Failure) -> None:
        self._show_error(failure.message, failure.hint, failure.code)
        focus: dict[FailureKind, QWidget] = {
            FailureKind.SIGNATURE: self.secret_edit,
            FailureKind.AUTHENTICATION: self.api_key_edit,
            FailureKind.REGION: self.host_combo,
        }
        widget = focus.get(failure.kind)
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def _show_warnings(self, warnings: list[str], notes: tuple[str, ...]) -> None:
        parts = [f"<p style='margin:0'><b>⚠ {html.escape(w, quote=False)}</b></p>" for w in warnings]
        parts += [f"<p style='margin:4px 0 0 0'>{html.escape(n, quote=False)}</p>" for n in notes]
        parts.append(
            "<p style='margin:6px 0 0 0'>"
            + html.escape(
                self.tr("Press “Save anyway” to keep this key, or paste a read-only key instead."),
                quote=False,
            )
            + "</p>"
        )
        self.warning_label.setText("".join(parts))
        self.warning_label.show()
        self._fit_height()

    # ------------------------------------------------------------------ state

    def _set_state(self, state: str) -> None:
        self._state = state
        busy = state in (_State.CHECKING, _State.SAVING)
        self.form_widget.setEnabled(not busy)
        self.submit_button.setEnabled(not busy)
        self.cancel_button.setEnabled(state != _State.SAVING)
        self.submit_button.setText(self.tr("Save anyway") if state == _State.CONFIRM else self.tr("Submit"))
        if not busy:
            # Cancel took the default look while it was the only enabled button; Enter submits again.
            self.cancel_button.setDefault(False)
            self.submit_button.setDefault(True)
        self.progress_widget.setVisible(busy)
        if state == _State.CHECKING:
            self.progress_label.setText(
                self.tr("Checking the key with {exchange}…").format(exchange=self._info.name)
            )
            self.cancel_button.setToolTip(self.tr("Stop checking the key"))
        elif state == _State.SAVING:
            self.progress_label.setText(self.tr("Saving the key…"))
        else:
            self.cancel_button.setToolTip("")
        self._main_layout.activate()

    def _run(
        self, function: Callable[[], object], on_done: Callable[[object, BaseException | None], None]
    ) -> None:
        """Run ``function`` off the GUI thread; ``on_done(result, error)`` runs on it afterwards,
        unless the call was cancelled or superseded in the meantime."""
        self._generation += 1
        self._callback = (self._generation, on_done)
        _call_runner().start(_Call(self._generation, function), self._on_call_done)

    def _on_call_done(self, generation: int, result: Any, error: Any) -> None:
        if self._callback is None or self._callback[0] != generation or generation != self._generation:
            return  # cancelled or superseded: the late result is ignored
        _, on_done = self._callback
        self._callback = None
        on_done(result, error)

    # ------------------------------------------------------------------ submit

    def _typed_credentials(self) -> bool:
        fields = [self.api_key_edit, self.secret_edit]
        if self.passphrase_edit is not None:
            fields.append(self.passphrase_edit)
        return any(edit.text().strip() for edit in fields)

    def _custom_url(self) -> str:
        if self.host_combo.currentData() != CUSTOM_HOST:
            return ""
        return self.custom_url_edit.text().strip().rstrip("/")

    def _selected_endpoints(self) -> tuple[str, ...]:
        return tuple(endpoint_id for endpoint_id, box in self._endpoint_boxes.items() if box.isChecked())

    def _sync_from_ms(self) -> int | None:
        if not self.sync_from_check.isChecked():
            return None
        return int(self.sync_from_edit.dateTime().toMSecsSinceEpoch())

    def _validate(self) -> Credentials | None | bool:
        """Check the form locally. Returns the cleaned credentials (None in edit mode when the key
        fields are left empty), or False after showing what is wrong."""
        first_bad: QWidget | None = None

        def bad(field: str, message: str, widget: QWidget) -> None:
            nonlocal first_bad
            self._show_field_error(field, message)
            if first_bad is None:
                first_bad = widget

        self.label_edit.setText(self.label_edit.text().strip())
        if not self.label_edit.text():
            bad(
                "label",
                self.tr("Give the key a label, e.g. “{exchange}”.").format(exchange=self._info.name),
                self.label_edit,
            )

        credentials: Credentials | None = None
        if self._key is None or self._typed_credentials():
            passphrase = self.passphrase_edit.text() if self.passphrase_edit is not None else ""
            try:
                credentials = clean_credentials(
                    self.api_key_edit.text(),
                    self.secret_edit.text(),
                    passphrase,
                    needs_passphrase=self._info.needs_passphrase,
                )
            except KeyInputError as exc:
                widgets: dict[str, QWidget | None] = {
                    "api_key": self.api_key_edit,
                    "secret": self.secret_edit,
                    "passphrase": self.passphrase_edit,
                }
                bad(exc.field_name, exc.message, widgets.get(exc.field_name) or self.api_key_edit)
                # The core reports one field at a time; also flag a second empty one right away.
                if exc.field_name == "api_key" and not self.secret_edit.text().strip():
                    self._show_field_error("secret", self.tr("This field is required."))

        if self.host_combo.currentData() == CUSTOM_HOST:
            problem = custom_url_problem(self.custom_url_edit.text())
            if problem is not None:
                bad("custom_url", self._url_problem_text(problem), self.custom_url_edit)

        if not self._selected_endpoints():
            bad(
                "endpoints",
                self.tr("Tick at least one endpoint to sync."),
                next(iter(self._endpoint_boxes.values())),
            )

        if first_bad is not None:
            first_bad.setFocus()
            if isinstance(first_bad, QLineEdit):
                first_bad.selectAll()
            return False
        return credentials

    def _url_problem_text(self, problem: str) -> str:
        if problem == UrlProblem.EMPTY:
            return self.tr("Enter the API address, for example https://api.example.com.")
        if problem == UrlProblem.PLAIN_HTTP:
            return self.tr(
                "Use https:// (plain http:// is allowed only for this computer, e.g. http://127.0.0.1)."
            )
        if problem == UrlProblem.SCHEME:
            return self.tr("The address must start with https://.")
        return self.tr("This is not a valid web address.")

    @Slot()
    def _on_submit(self) -> None:
        if self._state == _State.CONFIRM and self._pending is not None:
            self._save(self._pending.credentials, self._pending.verification)
            return
        if self._state != _State.IDLE:
            return
        self._clear_messages()
        self.warning_label.hide()
        result = self._validate()
        if result is False:
            return
        credentials = result if isinstance(result, Credentials) else None
        if credentials is None:  # editing settings only: nothing to verify
            self._save(None, None)
            return
        self._verify(credentials)

    def _verify(self, credentials: Credentials) -> None:
        service, exchange_id = self._service, self._info.id
        host_id = str(self.host_combo.currentData())
        custom_url = self._custom_url()

        def check() -> KeyVerification:
            service.secrets.check_usable()  # no keyring: say so before anything is sent
            return service.verify(exchange_id, host_id, custom_url, credentials)

        self._set_state(_State.CHECKING)
        self._run(check, lambda result, error: self._on_verified(credentials, result, error))

    def _on_verified(self, credentials: Credentials, result: object, error: BaseException | None) -> None:
        self._set_state(_State.IDLE)
        if error is not None or not isinstance(result, KeyVerification):
            failure = self._failure_of(error)
            self._show_failure(failure)
            self.verification_finished.emit(failure)
            return
        verification = result
        if not verification.valid:
            failure = Failure(
                FailureKind.AUTHENTICATION,
                self.tr("{exchange} did not accept this key").format(exchange=self._info.name),
                self.tr("Check that the key was copied whole, then try again."),
            )
            self._show_failure(failure)
            self.verification_finished.emit(failure)
            return
        self.verification_finished.emit(verification)
        warnings = list(verification.warnings) + self._duplicate_account_warnings(verification)
        if warnings:
            self._pending = _Pending(credentials, verification)
            self._show_warnings(warnings, verification.notes)
            self._set_state(_State.CONFIRM)
            self.submit_button.setFocus()
            return
        self._save(credentials, verification)

    def _duplicate_account_warnings(self, verification: KeyVerification) -> list[str]:
        """Warn when another key already syncs the same exchange account and sub-account."""
        if not verification.user_id:
            return []
        subaccount = self.subaccount_edit.text().strip() if self.subaccount_edit is not None else ""
        try:
            keys = self._service.store.list_keys()
        except Exception:
            log.warning("could not list keys to look for duplicates", exc_info=True)
            return []
        own_id = self._key.id if self._key is not None else None
        for other in keys:
            if (
                other.id != own_id
                and other.exchange == self._info.id
                and other.verification.exchange_user_id == verification.user_id
                and other.subaccount == subaccount
            ):
                return [
                    self.tr(
                        "“{label}” already syncs this {exchange} account (UID {uid}). Syncing it with a "
                        "second key imports the same transactions twice."
                    ).format(label=other.label, exchange=self._info.name, uid=verification.user_id)
                ]
        return []

    def _failure_of(self, error: BaseException | None) -> Failure:
        if isinstance(error, SyncFailure | SecretStoreError):
            return error.failure
        if isinstance(error, KeyInputError):
            return Failure(FailureKind.REQUEST_REJECTED, error.message, "")
        # Never show str() of an unknown exception: it may hold a URL or a server's reply.
        log.error("unexpected error in the key dialog: %s", type(error).__name__)
        return Failure(
            FailureKind.UNEXPECTED_RESPONSE,
            self.tr("Something unexpected went wrong ({error})").format(error=type(error).__name__),
            self.tr("Try again; if it keeps happening, send the app's log to support."),
        )

    # ------------------------------------------------------------------ save

    def _save(self, credentials: Credentials | None, verification: KeyVerification | None) -> None:
        service = self._service
        label = self.label_edit.text().strip()
        subaccount = self.subaccount_edit.text().strip() if self.subaccount_edit is not None else ""
        host_id = str(self.host_combo.currentData())
        base_url = self._custom_url()
        endpoints = self._selected_endpoints()
        sync_from_ms = self._sync_from_ms()
        key = self._key

        if key is None:
            assert credentials is not None
            new = NewKey(
                exchange=self._info.id,
                label=label,
                host_id=host_id,
                endpoints=endpoints,
                subaccount=subaccount,
                base_url=base_url,
                sync_from_ms=sync_from_ms,
                key_hint=credentials.key_hint,
            )

            def save() -> int:
                return service.add_key(new, credentials, verification).id

        else:
            key_id = key.id

            def save() -> int:
                if credentials is not None:
                    service.replace_credentials(key_id, credentials, verification)
                service.store.update_key(
                    key_id,
                    label=label,
                    subaccount=subaccount,
                    sync_from_ms=sync_from_ms,
                    endpoints=endpoints,
                    host_id=host_id,
                    base_url=base_url,
                )
                return key_id

        self._pending = None
        self._set_state(_State.SAVING)
        self._run(save, self._on_saved)

    def _on_saved(self, result: object, error: BaseException | None) -> None:
        self._set_state(_State.IDLE)
        self.warning_label.hide()
        if error is not None or not isinstance(result, int):
            if isinstance(error, KeyInputError) and error.field_name == "endpoints":
                self._show_field_error("endpoints", error.message)
            else:
                self._show_failure(self._failure_of(error))
            return
        self._saved_key_id = result
        self.keySaved.emit(result)
        self.accept()

    # ------------------------------------------------------------------ cancel / close

    @Slot()
    def _on_cancel(self) -> None:
        if self._state == _State.CHECKING:
            self._cancel_check()
            return
        if self._state == _State.SAVING:
            return
        self.reject()

    def _cancel_check(self) -> None:
        self._generation += 1  # the running check's result will be ignored when it arrives
        self._callback = None
        self._set_state(_State.IDLE)
        self._show_error(self.tr("Check cancelled. Nothing was saved."))
        self.submit_button.setFocus()

    def reject(self) -> None:
        # Esc while checking stops the check but keeps the dialog; while saving it waits.
        if self._state == _State.CHECKING:
            self._cancel_check()
            return
        if self._state == _State.SAVING:
            return
        self._generation += 1
        self._pending = None
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._state == _State.SAVING:
            event.ignore()
            return
        if self._state == _State.CHECKING:
            self._cancel_check()
        super().closeEvent(event)
