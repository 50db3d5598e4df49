"""Add or edit an exchange API key ("Add key for <exchange>").

The flow follows Cryptact's "Manage your API keys" form (the venue's credential fields,
sub-account, "Sync from a custom timestamp", endpoints) and adds what it lacks: input is checked
locally before anything is sent, the key is verified with the exchange before it is saved (off the
GUI thread, with a cancel), keys that can trade or withdraw need an explicit "Save anyway", and
the secret goes to the system keyring only.

The dialog is a small state machine — idle → checking → (confirm →) saving → accepted — over the
parts in this package: :mod:`.credential_form` (inputs from the venue's ``CredentialField``
declarations), :mod:`.site_picker`, :mod:`.sync_from`, :mod:`.endpoint_picker` and
:mod:`.verification_panel`. It talks to the core through :class:`AppService` (and its ``store``)
only, and runs the check and the save through :class:`~cryptact_desktop.ui.background.Background`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import Failure, FailureKind
from cryptact_desktop.key_input import clean_label
from cryptact_desktop.service import AppService, KeyInputError, SameAccountKeyError
from cryptact_desktop.state import KeyConfig, NewKey
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.ui.background import Background
from cryptact_desktop.ui.keys.key_form import KeyForm
from cryptact_desktop.ui.keys.site_picker import url_problem_text
from cryptact_desktop.ui.keys.verification_panel import failure_of
from cryptact_desktop.venues.registry import venue_info

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PendingKey:
    """A verified key waiting for "Save anyway" (never shown; dropped when the form changes)."""

    credentials: Credentials
    verification: KeyVerification
    replaces: KeyConfig | None = None  # the key of the same account whose API key it would replace


class State:
    IDLE = "idle"
    CHECKING = "checking"
    CONFIRM = "confirm"  # verified with warnings: the next Submit saves
    SAVING = "saving"


class KeyDialog(KeyForm):
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
        super().__init__(
            service, venue_info(exchange_id), parent, key=key, suggested_sync_from_ms=suggested_sync_from_ms
        )
        self._state = State.IDLE
        self._pending: PendingKey | None = None
        self._saved_key_id: int | None = None
        self._background = Background(self)
        self.submit_button.clicked.connect(self._on_submit)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.edited.connect(self._on_form_edited)

    # ------------------------------------------------------------------ public API

    def saved_key_id(self) -> int | None:
        return self._saved_key_id

    def is_busy(self) -> bool:
        return self._state in (State.CHECKING, State.SAVING)

    # ------------------------------------------------------------------ validation

    def _validate(self) -> Credentials | None | bool:
        """Check the form locally. Returns the cleaned credentials (None in edit mode when the key
        fields are left empty), or False after showing what is wrong under each bad field."""
        bad: list[tuple[str, str, QWidget]] = []  # (field, message, widget to focus)
        self.label_edit.setText(self.label_edit.text().strip())
        if not self.label_edit.text():
            text = self.tr("Give the key a label, e.g. “{exchange}”.").format(exchange=self.venue_name)
            bad.append(("label", text, self.label_edit))
        else:
            try:
                clean_label(self.label_edit.text())  # no line breaks or invisible characters
            except KeyInputError as exc:
                bad.append(("label", exc.message, self.label_edit))
        credentials = self._checked_credentials(bad)
        problem = self.site.problem()
        if problem is not None:
            bad.append(("custom_url", url_problem_text(problem), self.site.custom_url_edit))
        if not self.endpoint_picker.selected():
            text = self.tr("Tick at least one endpoint to sync.")
            bad.append(("endpoints", text, self.endpoint_picker.first_box()))
        if not bad:
            return credentials
        for field, message, _widget in bad:
            self.field_errors.show(field, message)
        first = bad[0][2]
        first.setFocus()
        if isinstance(first, QLineEdit):
            first.selectAll()
        return False

    def _checked_credentials(self, bad: list[tuple[str, str, QWidget]]) -> Credentials | None:
        """The typed credentials, checked (None when editing and none were typed); what is wrong
        goes into ``bad``."""
        form = self.credential_form
        if self._key is not None and not form.typed():
            return None
        try:
            return form.clean()
        except KeyInputError as exc:
            bad.append((exc.field_name, exc.message, form.inputs.get(exc.field_name) or form.first()))
            # The check reports one field at a time; also flag the other empty ones right away.
            required = self.tr("This field is required.")
            bad += [
                (name, required, form.inputs[name])
                for name in form.empty_required()
                if name != exc.field_name
            ]
            return None

    # ------------------------------------------------------------------ submit

    @Slot()
    def _on_submit(self) -> None:
        if self.keyring_blocked and self._key is None:
            return  # the form is not offered (see KeyForm._block_credentials)
        if self._state == State.CONFIRM and self._pending is not None:
            if self._pending.replaces is not None:
                self._replace(self._pending)
            else:
                self._save(self._pending.credentials, self._pending.verification)
            return
        if self._state != State.IDLE:
            return
        self.field_errors.clear()
        self.panel.show_error("")
        self.panel.hide_warnings()
        result = self._validate()
        if result is False:
            return
        credentials = result if isinstance(result, Credentials) else None
        if credentials is None:  # editing settings only: nothing to verify
            self._save(None, None)
            return
        self._verify(credentials)

    def _verify(self, credentials: Credentials) -> None:
        service, exchange_id = self._service, self.info.id
        host_id, custom_url = self.site.host_id(), self.site.custom_url()

        def check() -> KeyVerification:
            service.secrets.check_usable()  # no keyring: say so before anything is sent
            return service.verify(exchange_id, host_id, custom_url, credentials)

        self._set_state(State.CHECKING)
        self._background.run(
            check,
            lambda verification: self._on_verified(credentials, verification),
            self._on_check_failed,
        )

    def _on_check_failed(self, error: Exception) -> None:
        self._set_state(State.IDLE)
        self._refuse(failure_of(error))

    def _refuse(self, failure: Failure) -> None:
        self.show_failure(failure)
        self.verification_finished.emit(failure)

    def _on_verified(self, credentials: Credentials, verification: KeyVerification) -> None:
        self._set_state(State.IDLE)
        if not verification.valid:
            self._refuse(
                Failure(
                    FailureKind.AUTHENTICATION,
                    self.tr("{exchange} did not accept this key").format(exchange=self.venue_name),
                    self.tr("Check that the key was copied whole, then try again."),
                )
            )
            return
        self.verification_finished.emit(verification)
        other = self._same_account_key(verification)
        if other is not None and self._key is not None:
            # New credentials for this key that belong to an account another key reads.
            self._refuse(
                Failure(
                    FailureKind.AUTHENTICATION,
                    self._same_account_text(other, verification),
                    self.tr(
                        "Paste a key of the account this key reads, or edit “{label}” instead: two keys "
                        "of one account would fetch and count everything twice."
                    ).format(label=other.label),
                )
            )
            return
        warnings = list(verification.warnings)
        if other is not None:
            warnings.insert(0, self._same_account_text(other, verification))
            question = self.tr(
                "Press “Replace key” to give “{label}” this API key instead (its history and settings "
                "are kept), or Cancel: two keys of one account would fetch and count everything twice."
            ).format(label=other.label)
        else:
            question = self.tr("Press “Save anyway” to keep this key, or paste a read-only key instead.")
        if warnings:
            self._pending = PendingKey(credentials, verification, other)
            self.panel.show_warnings(warnings, verification.notes, question)
            self._set_state(State.CONFIRM)
            self.submit_button.setFocus()
            return
        self._save(credentials, verification)

    def _same_account_key(self, verification: KeyVerification) -> KeyConfig | None:
        """Another key that already reads the account (and sub-account) this key belongs to."""
        try:
            return self._service.same_account_key(
                self.info.id,
                verification.user_id,
                self.subaccount(),
                except_id=self._key.id if self._key is not None else None,
            )
        except Exception:
            log.warning("could not list keys to look for the same account", exc_info=True)
            return None

    def _same_account_text(self, other: KeyConfig, verification: KeyVerification) -> str:
        return SameAccountKeyError(other, verification.user_id).message

    # ------------------------------------------------------------------ save

    def _save(self, credentials: Credentials | None, verification: KeyVerification | None) -> None:
        service, key = self._service, self._key
        label, subaccount = self.label_edit.text().strip(), self.subaccount()
        host_id, base_url = self.site.host_id(), self.site.custom_url()
        endpoints, sync_from_ms = self.endpoint_picker.selected(), self.sync_from.value_ms()

        if key is None:
            assert credentials is not None
            new = NewKey(
                exchange=self.info.id,
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
        self._set_state(State.SAVING)
        self._background.run(save, self._on_saved, self._on_save_failed)

    def _replace(self, pending: PendingKey) -> None:
        """Give the key of the same account these credentials (its history and settings stay)."""
        assert pending.replaces is not None
        service, key_id = self._service, pending.replaces.id
        credentials, verification = pending.credentials, pending.verification

        def replace() -> int:
            return service.replace_credentials(key_id, credentials, verification).id

        self._pending = None
        self._set_state(State.SAVING)
        self._background.run(replace, self._on_saved, self._on_save_failed)

    def _on_saved(self, key_id: int) -> None:
        self._set_state(State.IDLE)
        self.panel.hide_warnings()
        self._saved_key_id = key_id
        self.keySaved.emit(key_id)
        self.accept()

    def _on_save_failed(self, error: Exception) -> None:
        self._set_state(State.IDLE)
        self.panel.hide_warnings()
        if isinstance(error, KeyInputError) and error.field_name in ("endpoints", "label"):
            self.field_errors.show(error.field_name, error.message)
        elif isinstance(error, SameAccountKeyError):  # a key of the account was added meanwhile
            self._refuse(
                Failure(
                    FailureKind.AUTHENTICATION,
                    error.message,
                    self.tr("Submit again to replace its API key instead."),
                )
            )
        else:
            self.show_failure(failure_of(error))

    # ------------------------------------------------------------------ form changes

    def _on_form_edited(self, field: str) -> None:
        """The key or where it is sent changed: a "Save anyway" no longer applies to it."""
        if self._state == State.CONFIRM:
            self._pending = None
            self._set_state(State.IDLE)
            self.panel.hide_warnings()
        if field:
            self.field_errors.show(field, "")

    # ------------------------------------------------------------------ cancel / close

    @Slot()
    def _on_cancel(self) -> None:
        if self._state == State.CHECKING:
            self._cancel_check()
            return
        if self._state == State.SAVING:
            return
        self.reject()

    def _cancel_check(self) -> None:
        self._background.cancel()  # the running check's result will be ignored when it arrives
        self._set_state(State.IDLE)
        self.panel.show_error(self.tr("Check cancelled. Nothing was saved."))
        self.submit_button.setFocus()

    def reject(self) -> None:
        # Esc while checking stops the check but keeps the dialog; while saving it waits.
        if self._state == State.CHECKING:
            self._cancel_check()
            return
        if self._state == State.SAVING:
            return
        self._background.cancel()
        self._pending = None
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._state == State.SAVING:
            event.ignore()
            return
        if self._state == State.CHECKING:
            self._cancel_check()
        super().closeEvent(event)

    # ------------------------------------------------------------------ state

    def _set_state(self, state: str) -> None:
        self._state = state
        if self.keyring_blocked and self._key is None:
            return  # nothing to check or save: only Close is offered
        busy = state in (State.CHECKING, State.SAVING)
        self.form_widget.setEnabled(not busy)
        self.submit_button.setEnabled(not busy)
        self.cancel_button.setEnabled(state != State.SAVING)
        if state != State.CONFIRM:
            self.submit_button.setText(self.tr("Submit"))
        elif self._pending is not None and self._pending.replaces is not None:
            self.submit_button.setText(self.tr("Replace key"))
        else:
            self.submit_button.setText(self.tr("Save anyway"))
        if not busy:
            # Cancel took the default look while it was the only enabled button; Enter submits again.
            self.cancel_button.setDefault(False)
            self.submit_button.setDefault(True)
        if state == State.CHECKING:
            self.panel.set_progress(
                self.tr("Checking the key with {exchange}…").format(exchange=self.venue_name)
            )
            self.cancel_button.setToolTip(self.tr("Stop checking the key"))
        elif state == State.SAVING:
            self.panel.set_progress(self.tr("Saving the key…"))
        else:
            self.panel.progress_widget.hide()
            self.cancel_button.setToolTip("")
        self.main_layout.activate()
