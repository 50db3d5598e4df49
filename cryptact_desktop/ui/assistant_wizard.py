"""The Assistant: select venues → confirm → upload or sync each → summary ("Sync now").

The pages only render and collect; every decision (what is listed, whether "Next" is allowed, each
venue's state, where a key or file goes, what a sync would fetch, whether to open on a first start)
comes from :mod:`cryptact_desktop.assistant`, tested without Qt.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from cryptact_desktop import assistant
from cryptact_desktop.assistant import KeyAction, Page, VenueChoice, VenueState, VenueStatus
from cryptact_desktop.service import AppService
from cryptact_desktop.sync.engine import SyncResult
from cryptact_desktop.ui.attach_key_dialog import AttachKeyDialog
from cryptact_desktop.ui.icons import exchange_badge
from cryptact_desktop.ui.import_dialog import Background, ImportDialog, hint_label
from cryptact_desktop.ui.key_dialog import KeyDialog

_VENUE_ROLE = Qt.ItemDataRole.UserRole + 1
_STATE_COLOURS = {
    VenueState.NOTHING: "#8a8a8a",
    VenueState.KEY_ADDED: "#2f9e55",
    VenueState.FILE_IMPORTED: "#3b7dd8",
    VenueState.KEY_AND_FILE: "#2f9e55",
}


def _bold(label: QLabel, scale: float = 1.0) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


# --------------------------------------------------------------------------- page 1: select


class SelectPage(QWizardPage):
    def __init__(self, venues: tuple[VenueChoice, ...], first_start: bool) -> None:
        super().__init__()
        self.setObjectName("selectPage")
        self._venues = venues
        self.setTitle(self.tr("Select your exchanges and/or blockchains"))
        self.setSubTitle(
            self.tr("Tick every place you hold or traded crypto. You can add more later with “+”.")
        )

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(self.tr("Search exchanges and blockchains"))
        self.search_edit.setAccessibleName(self.tr("Search exchanges and blockchains"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._apply_filter)

        self.venue_list = QListWidget()
        self.venue_list.setObjectName("venueList")
        self.venue_list.setIconSize(QSize(28, 28))
        self.venue_list.setSpacing(2)
        kinds = {v.kind for v in venues}
        for kind in ("exchange", "blockchain"):
            members = [v for v in venues if v.kind == kind]
            if not members:
                continue
            if len(kinds) > 1:
                header = QListWidgetItem(
                    self.tr("Exchanges") if kind == "exchange" else self.tr("Blockchains")
                )
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                header.setData(_VENUE_ROLE, None)
                header.setFont(_bold(QLabel()).font())
                self.venue_list.addItem(header)
            for venue in members:
                item = QListWidgetItem(
                    exchange_badge(venue.id), f"{venue.name}\n{assistant.capability_label(venue.capability)}"
                )
                item.setData(_VENUE_ROLE, venue.id)
                item.setToolTip(f"{venue.name} — {assistant.capability_label(venue.capability)}")
                flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                if venue.selectable:
                    flags |= Qt.ItemFlag.ItemIsEnabled
                item.setFlags(flags)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.venue_list.addItem(item)
        self.venue_list.itemChanged.connect(self._on_item_changed)

        self.empty_label = hint_label("")
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.hide()
        self.count_label = hint_label("")
        self.count_label.setObjectName("countLabel")

        self.dismiss_check = QCheckBox(self.tr("Do not open the Assistant by itself again"))
        self.dismiss_check.setObjectName("dismissCheck")
        self.dismiss_check.setVisible(first_start)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.venue_list, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.count_label)
        layout.addWidget(self.dismiss_check)
        self._update_count()

    def items(self) -> list[QListWidgetItem]:
        return [self.venue_list.item(i) for i in range(self.venue_list.count())]

    def item_for(self, venue_id: str) -> QListWidgetItem | None:
        return next((i for i in self.items() if i.data(_VENUE_ROLE) == venue_id), None)

    def set_checked(self, venue_id: str, checked: bool = True) -> None:
        item = self.item_for(venue_id)
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def selected(self) -> tuple[str, ...]:
        chosen = [
            str(i.data(_VENUE_ROLE))
            for i in self.items()
            if i.data(_VENUE_ROLE) is not None and i.checkState() == Qt.CheckState.Checked
        ]
        return assistant.normalize_selection(chosen, self._venues)

    def _apply_filter(self, text: str) -> None:
        shown = {v.id for v in assistant.search(self._venues, text)}
        for item in self.items():
            venue_id = item.data(_VENUE_ROLE)
            item.setHidden(
                venue_id is not None and venue_id not in shown or venue_id is None and bool(text.strip())
            )
        self.empty_label.setVisible(not shown)
        self.empty_label.setText(
            self.tr(
                "Nothing matches “{text}”. Files from other places can be added as a custom file."
            ).format(text=text.strip())
        )

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self._update_count()
        self.completeChanged.emit()

    def _update_count(self) -> None:
        count = len(self.selected())
        check = assistant.check_selection(self.selected(), self._venues)
        self.count_label.setText(
            self.tr("{count} selected").format(count=count) if check.ok else check.message
        )

    def isComplete(self) -> bool:
        return assistant.can_advance(Page.SELECT, self.selected(), self._venues)


# --------------------------------------------------------------------------- page 2: confirm


class ConfirmPage(QWizardPage):
    def __init__(self, wizard: AssistantWizard) -> None:
        super().__init__()
        self.setObjectName("confirmPage")
        self._wizard = wizard
        self.setTitle(self.tr("Confirm exchanges"))
        self.setSubTitle(
            self.tr("These are the places you will add transactions for. Go back to change them.")
        )
        self.confirm_list = QListWidget()
        self.confirm_list.setObjectName("confirmList")
        self.confirm_list.setIconSize(QSize(28, 28))
        self.confirm_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.confirm_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.addWidget(self.confirm_list)

    def initializePage(self) -> None:
        self.confirm_list.clear()
        for venue in self._wizard.selected_venues():
            item = QListWidgetItem(
                exchange_badge(venue.id), f"{venue.name}\n{assistant.capability_label(venue.capability)}"
            )
            self.confirm_list.addItem(item)

    def isComplete(self) -> bool:
        return assistant.can_advance(Page.CONFIRM, self._wizard.selected_ids(), self._wizard.venues)


# --------------------------------------------------------------------------- page 3: transactions


class VenueCard(QFrame):
    """One venue: badge, name, what it supports, its state, and "Add transactions"."""

    def __init__(self, page: TransactionsPage, status: VenueStatus) -> None:
        super().__init__()
        venue = status.venue
        self.setObjectName(f"card_{venue.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        badge = QLabel()
        badge.setPixmap(exchange_badge(venue.id).pixmap(QSize(36, 36)))
        badge.setFixedSize(36, 36)
        name = _bold(QLabel(venue.name), 1.15)
        capability = hint_label(assistant.capability_label(venue.capability))
        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        self.state_label.setWordWrap(True)
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        colour = _STATE_COLOURS[status.state]
        self.state_label.setText(
            f"<span style='color:{colour}'>●</span> {html.escape(status.describe(), quote=False)}"
        )
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(name)
        texts.addWidget(capability)
        texts.addWidget(self.state_label)

        self.add_button = QPushButton(self.tr("Add transactions"))
        self.add_button.setObjectName("addTransactionsButton")
        self.add_button.setAutoDefault(False)
        menu = QMenu(self.add_button)
        plan = assistant.key_plan(page.service.store, status)
        key_text = self.tr("Add API key…") if plan.action is KeyAction.NEW else self.tr("Attach API key…")
        self.key_action = menu.addAction(key_text, lambda: page.add_key(venue.id))
        self.key_action.setObjectName("addKeyAction")
        self.key_action.setEnabled(venue.supports_api)
        self.file_action = menu.addAction(self.tr("Upload file…"), lambda: page.upload_file(venue.id))
        self.file_action.setObjectName("uploadFileAction")
        self.file_action.setEnabled(venue.supports_files)
        self.add_button.setMenu(menu)

        row = QHBoxLayout(self)
        row.setContentsMargins(12, 10, 12, 10)
        row.setSpacing(12)
        row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignVCenter)


class TransactionsPage(QWizardPage):
    def __init__(self, wizard: AssistantWizard) -> None:
        super().__init__()
        self.setObjectName("transactionsPage")
        self._wizard = wizard
        self.service = wizard.service
        self.setTitle(self.tr("Upload or Sync your transactions"))
        self.setSubTitle(
            self.tr(
                "For each place: add a read-only API key to sync automatically, upload a file you "
                "downloaded there, or both. Records in both are kept once."
            )
        )
        self.cards: dict[str, VenueCard] = {}
        self._container = QWidget()
        self._cards_layout = QVBoxLayout(self._container)
        self._cards_layout.setContentsMargins(0, 0, 0, 0)
        self._cards_layout.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._container)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)

    def initializePage(self) -> None:
        self.refresh()

    def statuses(self) -> tuple[VenueStatus, ...]:
        return assistant.venue_statuses(self.service.store, self._wizard.selected_ids(), self._wizard.venues)

    def refresh(self) -> None:
        while self._cards_layout.count():
            taken = self._cards_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.cards = {}
        for status in self.statuses():
            card = VenueCard(self, status)
            self.cards[status.venue.id] = card
            self._cards_layout.addWidget(card)
        self._cards_layout.addStretch(1)

    def _status(self, venue_id: str) -> VenueStatus | None:
        return next((s for s in self.statuses() if s.venue.id == venue_id), None)

    def add_key(self, venue_id: str) -> QDialog | None:
        status = self._status(venue_id)
        if status is None:
            return None
        plan = assistant.key_plan(self.service.store, status)
        dialog: QDialog
        if plan.action is KeyAction.ATTACH and plan.account_id is not None:
            attach = AttachKeyDialog(self.service, plan.account_id, self._wizard)
            attach.attached.connect(self._on_changed)
            dialog = attach
        else:
            key_dialog = KeyDialog(
                self.service, venue_id, self._wizard, suggested_sync_from_ms=plan.suggested_sync_from_ms
            )
            key_dialog.keySaved.connect(self._on_changed)
            dialog = key_dialog
        return self._wizard.show_child(dialog)

    def upload_file(self, venue_id: str) -> QDialog | None:
        status = self._status(venue_id)
        if status is None:
            return None
        dialog = ImportDialog(
            self.service, self._wizard, exchange_id=venue_id, account_id=assistant.upload_target(status)
        )
        dialog.imported.connect(self._on_changed)
        return self._wizard.show_child(dialog)

    def _on_changed(self, _account_id: int) -> None:
        self.refresh()
        self._wizard.keysChanged.emit()

    def isComplete(self) -> bool:
        return assistant.can_advance(Page.TRANSACTIONS, self._wizard.selected_ids(), self._wizard.venues)


# --------------------------------------------------------------------------- page 4: summary


class SummaryPage(QWizardPage):
    def __init__(self, wizard: AssistantWizard) -> None:
        super().__init__()
        self.setObjectName("summaryPage")
        self._wizard = wizard
        self.setTitle(self.tr("Summary"))
        self.setSubTitle(self.tr("What is set up. Sync now to fetch the history of your API keys."))
        self.lines_label = QLabel()
        self.lines_label.setObjectName("summaryLines")
        self.lines_label.setWordWrap(True)
        self.lines_label.setTextFormat(Qt.TextFormat.RichText)
        self.lines_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.sync_button = QPushButton(self.tr("&Sync now"))
        self.sync_button.setObjectName("syncNowButton")
        self.sync_button.clicked.connect(wizard.sync_now)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(90)
        self.progress.setMaximumHeight(12)
        self.progress.hide()
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncLabel")
        self.sync_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.progress)
        row.addWidget(self.sync_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines_label)
        layout.addStretch(1)
        layout.addLayout(row)

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        summary = self._wizard.summary()
        parts: list[str] = []
        for line in summary.lines:
            who = html.escape(line.venue_name, quote=False)
            if line.account_label:
                who += " · " + html.escape(line.account_label, quote=False)
            mark = (
                "<span style='color:#2f9e55'>⟳</span>"
                if line.will_sync
                else "<span style='color:#8a8a8a'>•</span>"
            )
            parts.append(
                f"<p style='margin:0 0 6px 0'>{mark} <b>{who}</b><br>"
                f"{html.escape(line.text, quote=False)}</p>"
            )
        self.lines_label.setText("".join(parts))
        self.sync_button.setEnabled(summary.can_sync_now and not self._wizard.is_syncing())
        if not summary.can_sync_now and not self.sync_label.text():
            self.sync_label.setText(self.tr("Nothing to sync: no API key is set up."))


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
        self._background.run(work, self._on_synced)
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
