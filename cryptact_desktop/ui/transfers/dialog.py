"""File → "Transfers…": the own transfers found between the user's keys and wallets (one row per
transfer: the withdrawal and the deposit it became), and the outgoing transfers that match no
deposit of theirs, each with a choice of what it was. Nothing is guessed: a transfer stays "Not
classified" until the user picks, and the export warns how many are left; a matched withdrawal
the user says was sold, given or lost leaves its pair.

The transfer book is read and every choice written off the GUI thread (:class:`Background`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.state import KeyConfig, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.transfers.book import TransferBook, classify, transfer_book
from cryptact_desktop.transfers.classes import TransferClass, class_label
from cryptact_desktop.transfers.matching import MatchMethod
from cryptact_desktop.ui.background import Background
from cryptact_desktop.ui.keys.presenter import key_title
from cryptact_desktop.ui.widgets import format_ms, hint_label
from cryptact_desktop.venues.base import short_address

_VIEW_ROLE = Qt.ItemDataRole.UserRole + 1


def _amount(view: TransactionView) -> str:
    return f"{view.amount} {view.base}".strip()


def _fee(view: TransactionView) -> str:
    return f"{view.fee} {view.fee_currency or view.base}".strip() if view.fee else "—"


def _table(object_name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cell(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if tooltip:
        item.setToolTip(tooltip)
    return item


class TransfersDialog(QDialog):
    """``loaded`` fires each time the book was (re)read and shown; ``classified`` after a choice
    was stored (or ``failed`` with a message)."""

    loaded = Signal()
    classified = Signal()
    failed = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transfersDialog")
        self.setWindowTitle(self.tr("Transfers"))
        self.resize(900, 520)
        self._store = store
        self._background = Background(self)
        self._writer = Background(self)
        self.book: TransferBook | None = None

        intro = hint_label(
            self.tr(
                "A withdrawal that arrived on another of your keys or wallets is an own transfer: only "
                "its network fee goes into the Cryptact file. Say what each outgoing transfer below "
                "was — nothing is guessed."
            )
        )
        self.summary_label = QLabel(self.tr("Reading…"))
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)

        self.pairs_table = _table(
            "pairsTable",
            [
                self.tr("Sent"),
                self.tr("Amount"),
                self.tr("Fee"),
                self.tr("From"),
                self.tr("To"),
                self.tr("Received"),
                self.tr("Matched by"),
                self.tr("What was it?"),
            ],
        )
        self.open_table = _table(
            "unmatchedTable",
            [
                self.tr("Sent"),
                self.tr("Amount"),
                self.tr("Fee"),
                self.tr("From"),
                self.tr("Transaction"),
                self.tr("What was it?"),
            ],
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("transferTabs")
        self.tabs.addTab(self.open_table, self.tr("To classify"))
        self.tabs.addTab(self.pairs_table, self.tr("Own transfers"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.reload()

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        store = self._store

        def read() -> tuple[TransferBook, dict[int, KeyConfig]]:
            return transfer_book(store), {k.id: k for k in store.list_keys()}

        self._background.run(read, success=self._show, failure=self._on_failed)

    def _show(self, loaded: tuple[TransferBook, dict[int, KeyConfig]]) -> None:
        book, keys = loaded
        self.book = book

        def name(key_id: int) -> str:
            key = keys.get(key_id)
            return key_title(key) if key is not None else str(key_id)

        self.summary_label.setText(
            self.tr(
                "{pairs} own transfers matched; {open} outgoing transfers match no deposit of yours, "
                "{unclassified} of them not classified yet."
            ).format(pairs=len(book.pairs), open=len(book.unmatched), unclassified=len(book.unclassified))
        )
        self.tabs.setTabText(0, self.tr("To classify ({count})").format(count=len(book.unclassified)))
        self.tabs.setTabText(1, self.tr("Own transfers ({count})").format(count=len(book.pairs)))

        self.pairs_table.setRowCount(len(book.pairs))
        for row, pair in enumerate(book.pairs):
            method = self.tr("tx hash") if pair.method is MatchMethod.TX_HASH else self.tr("amount and time")
            cells = [
                _cell(format_ms(pair.sent.timestamp_ms)),
                _cell(_amount(pair.sent)),
                _cell(_fee(pair.sent)),
                _cell(name(pair.sent.key_id)),
                _cell(name(pair.received.key_id)),
                _cell(format_ms(pair.received.timestamp_ms)),
                _cell(method, pair.sent.tx_hash or pair.received.tx_hash),
            ]
            cells[0].setData(_VIEW_ROLE, pair.sent.id)
            for column, item in enumerate(cells):
                self.pairs_table.setItem(row, column, item)
            self.pairs_table.setCellWidget(row, len(cells), self._overrule(pair.sent))

        self.open_table.setRowCount(len(book.unmatched))
        for row, view in enumerate(book.unmatched):
            cells = [
                _cell(format_ms(view.timestamp_ms)),
                _cell(_amount(view)),
                _cell(_fee(view)),
                _cell(name(view.key_id)),
                _cell(short_address(view.tx_hash) if view.tx_hash else "—", view.tx_hash),
            ]
            cells[0].setData(_VIEW_ROLE, view.id)
            for column, item in enumerate(cells):
                self.open_table.setItem(row, column, item)
            self.open_table.setCellWidget(row, len(cells), self._choice(view, book.classification(view)))
        self.loaded.emit()

    def _choice(self, view: TransactionView, current: TransferClass | None) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"classCombo_{view.id}")
        combo.setAccessibleName(self.tr("What was this transfer?"))
        combo.addItem(class_label(None), "")
        for value in TransferClass:
            combo.addItem(class_label(value), value.value)
        combo.setCurrentIndex(max(0, combo.findData(current.value if current else "")))
        combo.currentIndexChanged.connect(lambda _index, v=view, c=combo: self._on_choice(v, c))
        return combo

    def _overrule(self, view: TransactionView) -> QComboBox:
        """A matched withdrawal: an own transfer, unless the user says it was sold, given or lost
        (a match by amount and time is a judgement)."""
        combo = QComboBox()
        combo.setObjectName(f"pairCombo_{view.id}")
        combo.setAccessibleName(self.tr("What was this transfer?"))
        combo.addItem(self.tr("Own transfer"), "")
        for value in (TransferClass.SOLD, TransferClass.GIFT, TransferClass.LOST):
            combo.addItem(class_label(value), value.value)
        combo.currentIndexChanged.connect(lambda _index, v=view, c=combo: self._on_choice(v, c))
        return combo

    # ------------------------------------------------------------------ writing

    def _on_choice(self, view: TransactionView, combo: QComboBox) -> None:
        data = str(combo.currentData() or "")
        value = TransferClass(data) if data else None
        store = self._store

        def write() -> None:
            classify(store, view, value)

        self._writer.run(write, success=self._on_classified, failure=self._on_failed)

    def _on_classified(self, _result: object) -> None:
        self.classified.emit()
        self.reload()

    def _on_failed(self, _error: Exception) -> None:
        message = self.tr("The transfers could not be read or saved. Close this window and try again.")
        self.summary_label.setText(message)
        self.failed.emit(message)


def open_transfers_dialog(store: Store, parent: QWidget | None = None) -> TransfersDialog:
    """Open "Transfers" (window-modal, non-blocking); it deletes itself when closed."""
    dialog = TransfersDialog(store, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
