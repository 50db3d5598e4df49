"""The Assistant's four pages: select venues, confirm them, add a key or a file for each (one card
per venue), and the summary with "Sync now". They render and collect; the decisions come from
:mod:`cryptact_desktop.assistant`, and the shared state lives in :class:`.wizard.AssistantWizard`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QPalette
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
    QWizardPage,
)

from cryptact_desktop import assistant
from cryptact_desktop.assistant import KeyAction, Page, VenueChoice, VenueState, VenueStatus
from cryptact_desktop.ui.files.import_dialog import ImportDialog
from cryptact_desktop.ui.icons import exchange_badge
from cryptact_desktop.ui.keys.attach_dialog import AttachKeyDialog
from cryptact_desktop.ui.keys.key_dialog import KeyDialog
from cryptact_desktop.ui.widgets import hint_label, venue_display_name
from cryptact_desktop.venues.base import BLOCKCHAIN
from cryptact_desktop.venues.registry import venue_info

if TYPE_CHECKING:
    from cryptact_desktop.ui.assistant.wizard import AssistantWizard

_VENUE_ROLE = Qt.ItemDataRole.UserRole + 1
_STATE_COLOURS = {
    VenueState.NOTHING: "#8a8a8a",
    VenueState.KEY_ADDED: "#2f9e55",
    VenueState.KEY_FAILED: "#c62828",
    VenueState.FILE_IMPORTED: "#3b7dd8",
    VenueState.KEY_AND_FILE: "#2f9e55",
}


def display_name(venue: VenueChoice) -> str:
    """The venue's name in the UI's language (its Japanese name under a Japanese locale)."""
    try:
        return venue_display_name(venue_info(venue.id))
    except KeyError:
        return venue.name


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
                name = display_name(venue)
                item = QListWidgetItem(
                    exchange_badge(venue.id), f"{name}\n{assistant.capability_label(venue.capability)}"
                )
                item.setData(_VENUE_ROLE, venue.id)
                item.setToolTip(f"{name} — {assistant.capability_label(venue.capability)}")
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
        # The core searches the English names and ids; the names as shown (Japanese under a
        # Japanese locale) are searched here too.
        needle = "".join(text.split()).casefold()
        shown = {v.id for v in assistant.search(self._venues, text)}
        shown |= {
            v.id for v in self._venues if needle and needle in "".join(display_name(v).split()).casefold()
        }
        for item in self.items():
            venue_id = item.data(_VENUE_ROLE)
            item.setHidden(
                venue_id is not None and venue_id not in shown or venue_id is None and bool(text.strip())
            )
        self.empty_label.setVisible(not shown)
        self.empty_label.setText(
            self.tr(
                "Nothing matches “{text}”. This app cannot read files from other places yet: upload "
                "them on Cryptact's own site instead."
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
                exchange_badge(venue.id),
                f"{display_name(venue)}\n{assistant.capability_label(venue.capability)}",
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
        name = _bold(QLabel(display_name(venue)), 1.15)
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
        if venue.kind == BLOCKCHAIN:
            key_text = self.tr("Add wallet address…")
        elif plan.action is KeyAction.NEW:
            key_text = self.tr("Add API key…")
        else:
            key_text = self.tr("Attach API key…")
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
