"""What the user can ask the main window to do with keys: add (pick the venue, then the key
dialog), edit, pause, remove, sync, cancel, and the file dialogs of a key.

New history is fetched only when the user asks: a Sync button, Sync all, or the opt-in "sync
every N hours" setting. Syncs run in :class:`~cryptact_desktop.ui.sync_controller.SyncController`
workers; pausing and removing call the store / :class:`AppService` directly (quick local writes).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMessageBox

# Only the main window's frame is built before its first paint, and the frame makes this object:
# the dialogs and the core modules below are imported when a command first needs them.
if TYPE_CHECKING:
    from cryptact_desktop.state import KeyConfig
    from cryptact_desktop.sync.engine import SyncResult
    from cryptact_desktop.ui.keys.key_dialog import KeyDialog
    from cryptact_desktop.ui.main.window import MainWindow

log = logging.getLogger(__name__)


class KeyCommands(QObject):
    """The key intents of ``window`` (a child of it)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._pending_removal: dict[int, bool] = {}  # key id → delete transactions
        self._key_dialog: KeyDialog | None = None
        self.failure_box: QMessageBox | None = None  # the last "Key not removed" message

    # ------------------------------------------------------------------ helpers

    def _key(self, key_id: int) -> KeyConfig | None:
        return self._window.model.key(key_id)

    def _say(self, message: str, timeout_ms: int = 0) -> None:
        self._window.statusBar().showMessage(message, timeout_ms)

    def _selected(self) -> int | None:
        return self._window.selected_key_id()

    # ------------------------------------------------------------------ add / edit

    @Slot()
    def open_add_key(self) -> None:
        """ "+" → "Manage your API keys": pick the venue, then enter the key."""
        from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog

        exchange_id = VenuePickerDialog.pick(self._window)
        if exchange_id:
            self.open_key_dialog(exchange_id)

    @Slot()
    def open_add_wallet(self) -> None:
        """ "+" → "Add wallet address": pick the blockchain, then enter the address."""
        from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
        from cryptact_desktop.venues.base import BLOCKCHAIN

        exchange_id = VenuePickerDialog.pick(self._window, kind=BLOCKCHAIN)
        if exchange_id:
            self.open_key_dialog(exchange_id)

    @Slot()
    def open_transfers(self) -> None:
        """ "Transfers…": own transfers and the outgoing transfers to classify."""
        from cryptact_desktop.ui.transfers.dialog import open_transfers_dialog

        open_transfers_dialog(self._window.service.store, self._window)

    def open_key_dialog(self, exchange_id: str, key: KeyConfig | None = None) -> KeyDialog:
        """Open the (window-modal) key dialog; the tree updates when it saves."""
        from cryptact_desktop.ui.keys.key_dialog import KeyDialog

        if self._key_dialog is not None:
            self._key_dialog.close()
        dialog = KeyDialog(self._window.service, exchange_id, self._window, key=key)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A new key's first sync starts by itself; an edited key syncs when the user asks.
        dialog.keySaved.connect(self.on_key_added if key is None else self.on_key_saved)
        dialog.finished.connect(self._on_key_dialog_finished)
        self._key_dialog = dialog
        dialog.open()
        return dialog

    @Slot(int)
    def _on_key_dialog_finished(self, _result: int) -> None:
        self._key_dialog = None

    @property
    def key_dialog(self) -> KeyDialog | None:
        """The key dialog currently open, if any."""
        return self._key_dialog

    @Slot(int)
    def on_key_saved(self, key_id: int) -> None:
        self._show_key(key_id)
        self._say(self.tr("Key saved. Press Sync to fetch its history."), 8000)

    def _show_key(self, key_id: int) -> None:
        window = self._window
        window.refresh_keys()
        window.select_key(key_id)
        window.tabs.setCurrentWidget(window.keys_page)

    @Slot(int)
    def on_key_added(self, key_id: int) -> None:
        """Submit added a key: show it and fetch its history right away (later syncs only when the
        user asks, as for every key)."""
        self._show_key(key_id)
        if not self.sync_key(key_id):  # "Syncing {key}…" in the status bar when it starts
            self._say(self.tr("Key saved. Press Sync to fetch its history."), 8000)

    @Slot()
    def edit_selected(self) -> None:
        key_id = self._selected()
        if key_id is not None:
            self.edit_key(key_id)

    def edit_key(self, key_id: int) -> None:
        from cryptact_desktop.imports import is_file_only

        key = self._key(key_id)
        if key is None:
            return
        if self._window.controller.is_running(key_id):
            self._say(self.tr("Wait for the sync to finish (or cancel it) first."), 6000)
            return
        if is_file_only(key.host_id):
            self.attach_key(key_id)
            return
        self.open_key_dialog(key.exchange, key=key)

    # ------------------------------------------------------------------ pause / remove

    @Slot()
    def toggle_pause_selected(self) -> None:
        key_id = self._selected()
        if key_id is not None:
            self.toggle_pause(key_id)

    def toggle_pause(self, key_id: int) -> None:
        key = self._key(key_id)
        if key is None:
            return
        self._window.model.update_key(self._window.store.update_key(key_id, paused=not key.paused))
        self._window.after_keys_changed()

    @Slot()
    def remove_selected(self) -> None:
        key_id = self._selected()
        if key_id is not None:
            self.remove_key(key_id)

    def remove_key(self, key_id: int) -> None:
        from cryptact_desktop.state import TransactionFilter
        from cryptact_desktop.ui.keys.remove_dialog import RemoveKeyDialog

        key = self._key(key_id)
        if key is None:
            return
        try:
            count = self._window.store.count_transactions(TransactionFilter(key_ids=(key_id,)))
        except Exception:  # the dialog still works without the number
            log.exception("could not count the key's transactions")
            count = 0
        choice = RemoveKeyDialog.ask(key, count, self._window)
        if choice not in ("keep", "delete"):
            return
        delete = choice == "delete"
        controller = self._window.controller
        if controller.is_running(key_id):
            self._pending_removal[key_id] = delete  # removed as soon as its sync has stopped
            controller.cancel(key_id)
            self._say(self.tr("Stopping the sync, then removing the key…"), 6000)
            return
        self._remove_now(key_id, delete)

    def _remove_now(self, key_id: int, delete: bool) -> None:
        from cryptact_desktop.secrets import SecretStoreError
        from cryptact_desktop.store import StorageError

        try:
            self._window.service.remove_key(key_id, delete_transactions=delete)
        except (SecretStoreError, StorageError) as exc:
            # Nothing was removed: a key never reads as removed while its secret stays behind.
            self.failure_box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Key not removed"),
                exc.failure.message,
                QMessageBox.StandardButton.Ok,
                self._window,
            )
            self.failure_box.setObjectName("removeFailedBox")
            self.failure_box.setInformativeText(exc.failure.hint)
            self.failure_box.open()
            self._window.refresh_keys()
            return
        self._window.refresh_keys()
        self._say(self.tr("Key removed."), 5000)

    # ------------------------------------------------------------------ sync

    def sync_key(self, key_id: int) -> bool:
        from cryptact_desktop.imports import is_file_only

        key = self._key(key_id)
        if key is None or not key.enabled_endpoints:
            return False
        if is_file_only(key.host_id):
            self._say(self.tr("This account only has imported files: attach an API key to sync it."), 8000)
            return False
        return self._window.controller.sync(key_id)

    @Slot()
    def sync_selected(self) -> None:
        key_id = self._selected()
        if key_id is not None:
            self.sync_key(key_id)

    @Slot()
    def sync_all(self) -> None:
        controller = self._window.controller
        started = controller.sync_all()
        if not started and not controller.any_running():
            self._say(self.tr("Nothing to sync: every key is paused."), 5000)

    @Slot()
    def cancel_all(self) -> None:
        controller = self._window.controller
        controller.cancel_all()
        if controller.any_running():
            self._say(self.tr("Cancelling… what was fetched so far is kept."), 5000)

    def cancel(self, key_id: int) -> None:
        self._window.controller.cancel(key_id)

    def on_sync_button(self, key_id: int) -> None:
        if self._window.controller.is_running(key_id):
            self.cancel(key_id)
        else:
            self.sync_key(key_id)

    @Slot(int)
    def on_sync_started(self, key_id: int) -> None:
        from cryptact_desktop.ui.keys.presenter import key_title

        window = self._window
        window.model.set_running(key_id, True)
        window.update_actions()
        key = self._key(key_id)
        if key is not None:
            self._say(self.tr("Syncing {key}…").format(key=key_title(key)))
        window.keysChanged.emit()

    @Slot(object)
    def on_sync_finished(self, result: SyncResult) -> None:
        from cryptact_desktop.ui.keys.presenter import key_title

        key_id = result.key_id
        if key_id in self._pending_removal:
            self._window.model.set_running(key_id, False)
            self._remove_now(key_id, self._pending_removal.pop(key_id))
            return
        # Drawn once, by refresh_key: finished, with what the sync stored.
        self._window.model.set_running(key_id, False, render=False)
        self._window.refresh_key(key_id)
        key = self._key(key_id)
        title = key_title(key) if key is not None else ""
        new = self._window.locale().toString(result.new_records)
        if result.cancelled:
            message = self.tr("{key}: sync cancelled ({new} new transactions kept).").format(
                key=title, new=new
            )
        elif result.ok:
            message = self.tr("{key}: synced, {new} new transactions.").format(key=title, new=new)
        else:
            failures = [o.failure for o in result.outcomes if o.failure is not None]
            reason = failures[0].message if failures else self.tr("see the key's rows")
            message = self.tr("{key}: sync failed — {reason}").format(key=title, reason=reason)
        self._say(message, 15000)

    # ------------------------------------------------------------------ views and files

    @Slot()
    def show_selected_transactions(self) -> None:
        self._window.show_transactions(self._selected())

    def show_transactions(self, key_id: int) -> None:
        self._window.show_transactions(key_id)

    @Slot()
    def open_import(self) -> None:
        from cryptact_desktop.ui.files.import_dialog import open_import_dialog

        open_import_dialog(self._window.service, self._window).imported.connect(self.on_key_saved)

    def import_into(self, key_id: int) -> None:
        from cryptact_desktop.ui.files.import_dialog import open_import_dialog

        key = self._key(key_id)
        dialog = open_import_dialog(
            self._window.service, self._window, exchange_id=key.exchange if key else None, account_id=key_id
        )
        dialog.imported.connect(self.on_key_saved)

    def attach_key(self, key_id: int) -> None:
        from cryptact_desktop.ui.keys.attach_dialog import open_attach_key_dialog

        open_attach_key_dialog(self._window.service, key_id, self._window).attached.connect(self.on_key_saved)

    def reconcile(self, key_id: int) -> None:
        from cryptact_desktop.ui.files.reconcile_dialog import open_reconcile_dialog

        open_reconcile_dialog(self._window.service, key_id, self._window)

    def coverage(self, key_id: int) -> None:
        from cryptact_desktop.ui.files.coverage_view import open_coverage_dialog

        open_coverage_dialog(self._window.service, key_id, self._window)

    @Slot()
    def open_export(self) -> None:
        from cryptact_desktop.ui.export_dialog import open_export_dialog

        open_export_dialog(self._window.service, self._window)

    @Slot()
    def open_assistant(self) -> None:
        from cryptact_desktop.ui.assistant import wizard as assistant_wizard

        wizard = assistant_wizard.open_assistant(self._window.service, self._window, sync_key=self.sync_key)
        wizard.keysChanged.connect(self._window.refresh_keys)

    def maybe_run_assistant(self) -> bool:
        from cryptact_desktop.ui.assistant import wizard as assistant_wizard

        return assistant_wizard.maybe_show_on_first_start(
            self._window.service, self._window, sync_key=self.sync_key
        )
