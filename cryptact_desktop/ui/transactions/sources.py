"""“Show sources”: the stored records behind one row of the Transactions tab.

The tab shows one row per economic event (``TransactionFilter``'s default, see ``store.events``):
a trade's transaction-log entries, and the same record held by a second key of one account, are
kept but not shown or counted again. This dialog lists them for the selected row, with the row
itself first, in the same columns as the tab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.state import TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.ui.transactions.model import TransactionsModel
from cryptact_desktop.ui.widgets import hint_label, title_label


class SourcesModel(TransactionsModel):
    """The fixed rows of one event (the shown row first), in the Transactions tab's columns."""

    def __init__(self, store: Store, rows: list[TransactionView], parent: QWidget | None = None) -> None:
        self._fixed = rows
        super().__init__(store, parent)

    def _reload(self, keep: int = 0) -> None:
        """The few rows of one event, shown at once (no query: the dialog read them)."""
        keys = {key.id: key for key in self._store.list_keys()}
        rows = list(self._fixed)
        self._on_reloaded((keys, self._cells(rows, keys), len(rows) + 1))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        return  # the shown row stays first


class SourcesDialog(QDialog):
    """The records of the event ``shown`` is the row of (``Store.sources_of``)."""

    def __init__(self, store: Store, shown: TransactionView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourcesDialog")
        self.setWindowTitle(self.tr("Sources of this transaction"))
        self.setMinimumWidth(760)
        self.sources = store.sources_of(shown.id)
        self.model = SourcesModel(store, [shown, *self.sources], self)

        if self.sources:
            text = self.tr(
                "The first row is the one the Transactions tab shows and the export counts. The other "
                "{count} record(s) describe the same event — the trade's entries in the transaction "
                "log, or the same record fetched by another key of this account — and are kept but "
                "not counted again."
            ).format(count=len(self.sources))
        else:
            text = self.tr("This transaction has no other stored record: it is its only source.")
        self.explanation = hint_label(text)
        self.explanation.setObjectName("sourcesExplanation")

        self.table = QTableView()
        self.table.setObjectName("sourcesTable")
        self.table.setAccessibleName(self.tr("Sources"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title_label(self.windowTitle()))
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def row_count(self) -> int:
        return self.model.rowCount()
