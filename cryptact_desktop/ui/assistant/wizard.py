"""The Assistant: select venues → confirm → upload or sync each → summary ("Sync now").

The wizard holds what the pages share and runs "Sync now"; the pages (:mod:`.pages`) only render
and collect; every decision (what is listed, whether "Next" is allowed, each
venue's state, where a key or file goes, what a sync would fetch, whether to open on a first start)
comes from :mod:`cryptact_desktop.assistant`, tested without Qt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QWidget,
    QWizard,
)

from cryptact_desktop import assistant
from cryptact_desktop.assistant import Page, VenueChoice
from cryptact_desktop.service import AppService
from cryptact_desktop.sync.engine import SyncResult
from cryptact_desktop.ui.assistant.pages import ConfirmPage, SelectPage, SummaryPage, TransactionsPage
from cryptact_desktop.ui.background import Background

# --------------------------------------------------------------------------- the wizard


class AssistantWizard(QWizard):
    """The Assistant. ``sync_key``: how "Sync now" syncs a key (the main window's controller, so the
    key list shows progress); without it the wizard syncs by itself off the GUI thread."""

    keysChanged = Signal()  # a key was added or a file imported
    syncFinished = Signal(object)  # tuple[SyncResult, ...] when the wizard synced by itself

    def __init__(
        self,
        service: AppService,
        parent: QWidget | None = None,
        *,
        sync_key: Callable[[int], bool] | None = None,
        first_start: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assistantWizard")
        self.service = service
        self.venues = assistant.venues()
        self._sync_key = sync_key
        self._first_start = first_start
        self._background = Background(self)
        self._stop = threading.Event()
        self.child_dialog: QDialog | None = None
        self.setWindowTitle(self.tr("Assistant"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(640, 520)
        self.select_page = SelectPage(self.venues, first_start)
        self.confirm_page = ConfirmPage(self)
        self.transactions_page = TransactionsPage(self)
        self.summary_page = SummaryPage(self)
        self.setPage(Page.SELECT, self.select_page)
        self.setPage(Page.CONFIRM, self.confirm_page)
        self.setPage(Page.TRANSACTIONS, self.transactions_page)
        self.setPage(Page.SUMMARY, self.summary_page)
        self.setStartId(Page.SELECT)
        self.finished.connect(self._on_finished)

    # ------------------------------------------------------------------ state the pages share

    def selected_ids(self) -> tuple[str, ...]:
        return self.select_page.selected()

    def selected_venues(self) -> tuple[VenueChoice, ...]:
        chosen = set(self.selected_ids())
        return tuple(v for v in self.venues if v.id in chosen)

    def summary(self) -> assistant.Summary:
        return assistant.summary(self.service.store, self.transactions_page.statuses())

    def nextId(self) -> int:
        page = Page(self.currentId()) if self.currentId() >= 0 else Page.SELECT
        following = assistant.next_page(page, self.selected_ids(), self.venues)
        return -1 if following is None else int(following)

    def show_child(self, dialog: QDialog) -> QDialog:
        """Open a key/import dialog over the wizard without blocking (``open()``)."""
        if self.child_dialog is not None:
            self.child_dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_child_finished)
        self.child_dialog = dialog
        dialog.open()
        return dialog

    def _on_child_finished(self, _result: int) -> None:
        self.child_dialog = None

    # ------------------------------------------------------------------ sync now

    def is_syncing(self) -> bool:
        return self._background.busy

    def sync_now(self) -> list[int]:
        """Sync every key the summary lists; returns their ids."""
        key_ids = list(self.summary().sync_key_ids)
        if not key_ids or self.is_syncing():
            return []
        page = self.summary_page
        if self._sync_key is not None:
            started = [k for k in key_ids if self._sync_key(k)]
            page.sync_label.setText(
                self.tr("Syncing {count} key(s): follow the progress in the main window.").format(
                    count=len(started)
                )
            )
            page.sync_button.setEnabled(False)
            return started
        service, stop = self.service, self._stop

        def work() -> tuple[SyncResult, ...]:
            results = []
            for key_id in key_ids:
                if stop.is_set():
                    break
                results.append(service.sync_key(key_id, should_stop=stop.is_set))
            return tuple(results)

        page.sync_button.setEnabled(False)
        page.progress.show()
        page.sync_label.setText(self.tr("Syncing {count} key(s)…").format(count=len(key_ids)))
        self._background.run(
            work, lambda results: self._on_synced(results, None), lambda e: self._on_synced(None, e)
        )
        return key_ids

    def _on_synced(self, result: Any, error: BaseException | None) -> None:
        page = self.summary_page
        page.progress.hide()
        if error is not None or not isinstance(result, tuple):
            page.sync_label.setText(self.tr("The sync failed ({error}).").format(error=type(error).__name__))
        else:
            new = sum(r.new_records for r in result)
            failed = [r for r in result if not r.ok]
            if failed:
                reasons = [o.failure.message for r in failed for o in r.outcomes if o.failure is not None]
                page.sync_label.setText(
                    self.tr("Synced with problems: {reason}").format(reason=reasons[0] if reasons else "")
                )
            else:
                page.sync_label.setText(self.tr("Synced: {new} new transactions.").format(new=new))
            self.syncFinished.emit(result)
            self.keysChanged.emit()
        page.refresh()

    # ------------------------------------------------------------------ closing

    def _on_finished(self, _result: int) -> None:
        if self._first_start and self.select_page.dismiss_check.isChecked():
            assistant.dismiss_for_good(self.service.store)

    def done(self, result: int) -> None:
        if self.child_dialog is not None:
            self.child_dialog.close()
        self._stop.set()  # a sync the wizard runs stops between pages; what it fetched is kept
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop.set()
        super().closeEvent(event)


def open_assistant(
    service: AppService,
    parent: QWidget | None = None,
    *,
    sync_key: Callable[[int], bool] | None = None,
    first_start: bool = False,
) -> AssistantWizard:
    """Open the Assistant (window-modal, non-blocking); it deletes itself when closed."""
    wizard = AssistantWizard(service, parent, sync_key=sync_key, first_start=first_start)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard


def maybe_show_on_first_start(
    service: AppService, parent: QWidget | None, *, sync_key: Callable[[int], bool] | None = None
) -> bool:
    """On a start with no keys (unless dismissed for good): open the Assistant. True if it opened."""
    if not assistant.should_auto_open(service.store):
        return False
    open_assistant(service, parent, sync_key=sync_key, first_start=True)
    return True
