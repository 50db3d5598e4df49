"""The transactions table model: every synced or imported transaction, filtered and paged lazily.

:class:`TransactionsModel` never loads the whole table: it asks the store for one page (500 rows)
at a time as the view scrolls (``canFetchMore``/``fetchMore``), each page starting behind the last
row loaded (keyset paging: a page deep in a million rows costs what the first one does). Every
query runs off the GUI thread (:class:`~cryptact_desktop.ui.background.Background`): a filter on
a rare asset may scan the whole table, and the window must not stop meanwhile. While a query
runs the model keeps showing what it had, :meth:`TransactionsModel.is_loading` is true and
``loadingChanged`` tells the view to show that it is busy; a newer filter supersedes an older
query (its late result is dropped). Sorting is by time only, done by the database (newest or
oldest first). :mod:`.view` adds the filter bar and the row count.

The rows are Qt's own items (a ``QStandardItemModel``), made with the query off the GUI thread:
a repaint asks the model for seven roles of every visible cell, and with the cells in Python each
of those ~2,300 questions needed the interpreter lock, which a query (or a sync) running meanwhile
held, so a repaint while scrolling took 35-50 ms instead of 10-15 ms. Now painting never enters
Python.
"""

from __future__ import annotations

import contextlib
import enum
import logging
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QWidget

from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.state import KeyConfig, TransactionFilter, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.ui.background import Background
from cryptact_desktop.venues.registry import venue_info

log = logging.getLogger(__name__)

PAGE_SIZE = 500
_REFRESH_KEEP_MAX = 5_000  # refresh() reloads at most this many rows to keep the scroll position
_AnyIndex = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    TIME = 0
    KEY = 1
    ENDPOINT = 2
    KIND = 3
    BASE = 4
    QUOTE = 5
    SIDE = 6
    AMOUNT = 7
    PRICE = 8
    FEE = 9
    FEE_CURRENCY = 10
    EXCHANGE_ID = 11


# The number columns: the model keeps their widest text (numbers are never cut, see the view).
NUMBER_COLUMNS = (Column.AMOUNT, Column.PRICE, Column.FEE)


_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _qt_made_cell() -> QStandardItem:
    """An empty cell made by Qt itself, to be copied (``clone``) into every cell.

    A ``QStandardItem`` made in Python is a Python-aware subclass: each time the view asks it
    something while painting, it first asks the interpreter, under its lock, whether Python
    overrides the answer; with a query or a sync running, that was a wait for the lock per cell
    (a repaint while scrolling took 80-90 ms). Copies of a cell Qt made are plain Qt objects.
    """
    model = QStandardItemModel(1, 1)
    model.setData(model.index(0, 0), "")
    cell = model.takeItem(0, 0)
    cell.setFlags(_CELL_FLAGS)
    return cell


# A page as the query's thread made it: the rows, their cells, and their display texts.
_Page = tuple[list[TransactionView], list[list[QStandardItem]], list[tuple[str, ...]]]


def _local_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _utc_time(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{ms % 1000:03d} UTC"


class TransactionsModel(QStandardItemModel):
    """Transactions matching a :class:`TransactionFilter`, fetched from the store page by page,
    off the GUI thread."""

    loadingChanged = Signal(bool)  # a query started (True) / the last one ended (False)
    reloaded = Signal()  # the rows were replaced by those of the current filter
    pageAdded = Signal()  # a page of rows was added behind those shown
    loadFailed = Signal()  # a query failed (logged by type); the rows shown are unchanged

    def __init__(self, store: Store, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(0, len(Column), parent)
        self._store = store
        self._page_size = max(1, page_size)
        self._widest: dict[int, str] = {}
        self._filter = TransactionFilter()
        self._rows: list[TransactionView] = []
        self._exhausted = True
        self._keys: dict[int, KeyConfig] = {}
        self._loader = Background(self)
        self._loading = False
        self._blank_cell = _qt_made_cell()  # only ever copied, on the query threads too
        headers = {
            Column.TIME: self.tr("Time"),
            Column.KEY: self.tr("Key"),
            Column.ENDPOINT: self.tr("Endpoint"),
            Column.KIND: self.tr("Kind"),
            Column.BASE: self.tr("Base"),
            Column.QUOTE: self.tr("Quote"),
            Column.SIDE: self.tr("Side"),
            Column.AMOUNT: self.tr("Amount"),
            Column.PRICE: self.tr("Price"),
            Column.FEE: self.tr("Fee"),
            Column.FEE_CURRENCY: self.tr("Fee ccy"),
            Column.EXCHANGE_ID: self.tr("Exchange id"),
        }
        for column, text in headers.items():
            item = QStandardItem(text)
            if column in NUMBER_COLUMNS:
                item.setTextAlignment(_RIGHT)
            if column == Column.TIME:
                item.setToolTip(self.tr("Local time; point at a time to see it in UTC. Click to sort."))
            self.setHorizontalHeaderItem(column, item)
        self._kinds = kind_names()
        self._sides = {
            Side.BUY.value: self.tr("Buy"),
            Side.SELL.value: self.tr("Sell"),
            Side.IN.value: self.tr("In"),
            Side.OUT.value: self.tr("Out"),
            Side.NONE.value: "",
        }
        self._reload()

    # ------------------------------------------------------------------ API

    def filter(self) -> TransactionFilter:
        return self._filter

    def set_filter(self, flt: TransactionFilter) -> None:
        """Show the transactions matching ``flt`` (from the top)."""
        self._filter = flt
        self._reload()

    def refresh(self) -> None:
        """Re-query with the same filter (after a sync or an import), keeping the loaded depth."""
        self._reload(keep=min(len(self._rows), _REFRESH_KEEP_MAX))

    def transaction(self, row: int) -> TransactionView:
        return self._rows[row]

    def loaded_rows(self) -> int:
        return len(self._rows)

    def is_loading(self) -> bool:
        """Whether a query is running (the rows shown may be those of an earlier filter)."""
        return self._loading

    # ------------------------------------------------------------------ loading (off the GUI thread)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit(loading)

    def widest_text(self, column: int) -> str:
        """The longest display text of ``column`` among the rows loaded (the view sizes its number
        columns from it: measuring every row on the GUI thread stalled it for 60–70 ms)."""
        return self._widest.get(column, "")

    def _remember_widest(self, texts: list[tuple[str, ...]], *, replace: bool) -> None:
        if replace:
            self._widest = {}
        for column in NUMBER_COLUMNS:
            longest = max((row[column] for row in texts), key=len, default="")
            if len(longest) > len(self._widest.get(column, "")):
                self._widest[column] = longest

    def _reload(self, keep: int = 0) -> None:
        """Query the first page(s) of the current filter; the rows are replaced when they come."""
        store, flt, wanted, cells = self._store, self._filter, max(self._page_size, keep), self._cells

        def query() -> tuple[dict[int, KeyConfig], _Page, int]:
            keys = {key.id: key for key in store.list_keys()}
            return keys, cells(store.transactions(flt, limit=wanted), keys), wanted

        self._set_loading(True)
        self._loader.run(query, success=self._on_reloaded, failure=self._on_failed)

    def _on_reloaded(self, result: tuple[dict[int, KeyConfig], _Page, int]) -> None:
        keys, (rows, items, texts), wanted = result
        self._remember_widest(texts, replace=True)
        # One reset for the whole change (the rows' own signals are held back: row by row, every
        # view would lay itself out again per row).
        self.beginResetModel()
        self._keys, self._rows, self._exhausted = keys, rows, len(rows) < wanted
        blocked = self.blockSignals(True)
        try:
            self.setRowCount(0)
            for row in items:
                self.appendRow(row)
        finally:
            self.blockSignals(blocked)
        self.endResetModel()
        self._set_loading(False)
        self.reloaded.emit()

    def _on_failed(self, error: Exception) -> None:
        # The type only: the text of a database error may quote the query's values.
        log.error("could not read the transactions: %s", type(error).__name__)
        self._set_loading(False)
        self.loadFailed.emit()

    def canFetchMore(self, parent: _AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: _AnyIndex = QModelIndex()) -> None:  # noqa: B008
        """Start querying the next page (behind the last row loaded); it is appended when it comes."""
        if not self.canFetchMore(parent) or not self._rows:
            return
        store, flt, limit, keys, cells = self._store, self._filter, self._page_size, self._keys, self._cells
        last = self._rows[-1]
        after = (last.timestamp_ms, last.id)

        def query() -> _Page:
            return cells(store.transactions(flt, limit=limit, after=after), keys)

        self._set_loading(True)
        self._loader.run(query, success=self._on_page, failure=self._on_failed)

    def _on_page(self, result: _Page) -> None:
        page, items, texts = result
        if len(page) < self._page_size:
            self._exhausted = True
        if page:
            self._remember_widest(texts, replace=False)
            self._rows.extend(page)
            for row in items:
                self.appendRow(row)
            self.pageAdded.emit()
        self._set_loading(False)

    # ------------------------------------------------------------------ the cells

    def _cells(self, rows: list[TransactionView], keys: dict[int, KeyConfig]) -> _Page:
        """The cells of ``rows`` (runs on the query's thread: items that belong to no model yet
        are plain objects, and the keys and translated names were made at construction)."""
        items: list[list[QStandardItem]] = []
        texts: list[tuple[str, ...]] = []
        for tx in rows:
            row_texts = self._row_texts(tx, keys)
            cells = [self._blank_cell.clone() for _ in row_texts]
            for cell, text in zip(cells, row_texts, strict=True):
                cell.setText(text)
            for column in NUMBER_COLUMNS:
                cells[column].setTextAlignment(_RIGHT)
            for column in (Column.TIME, Column.KEY, Column.EXCHANGE_ID):
                tip = self._tooltip(tx, column, keys)
                if tip:
                    cells[column].setToolTip(tip)
            items.append(cells)
            texts.append(row_texts)
        return rows, items, texts

    def _row_texts(self, tx: TransactionView, keys: dict[int, KeyConfig]) -> tuple[str, ...]:
        """The display texts of a row, in column order (runs on the query's worker thread: plain
        Python on the row, the keys and the translated names made at construction)."""
        key = keys.get(tx.key_id)
        endpoint = tx.endpoint
        if key is not None:
            with contextlib.suppress(KeyError):
                endpoint = venue_info(key.exchange).endpoint(tx.endpoint).display_name()
        return (
            _local_time(tx.timestamp_ms),
            key.label if key is not None else f"#{tx.key_id}",
            endpoint,
            self._kinds.get(tx.kind, tx.kind),
            tx.base,
            tx.quote,
            self._sides.get(tx.side, tx.side),
            tx.amount,
            tx.price,
            tx.fee,
            tx.fee_currency,
            tx.exchange_id,
        )

    def _tooltip(self, tx: TransactionView, column: Column, keys: dict[int, KeyConfig]) -> str | None:
        if column == Column.TIME:
            return _utc_time(tx.timestamp_ms)
        if column == Column.KEY:
            key = keys.get(tx.key_id)
            if key is None:
                return None
            return f"{key.label} ({key.subaccount})" if key.subaccount else key.label
        if column == Column.EXCHANGE_ID:
            parts = [tx.exchange_id]
            if tx.tx_hash:
                parts.append(self.tr("Transaction hash: {hash}").format(hash=tx.tx_hash))
            if tx.network:
                parts.append(self.tr("Network: {network}").format(network=tx.network))
            return "\n".join(parts)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Only time is sortable (by the database): descending = newest first."""
        if column != Column.TIME:
            return
        newest_first = order == Qt.SortOrder.DescendingOrder
        if newest_first == self._filter.newest_first:
            return
        self.set_filter(replace(self._filter, newest_first=newest_first))


def kind_names() -> dict[str, str]:
    """Display names of the transaction kinds (literal calls, so ``pyside6-lupdate`` finds them)."""

    return {
        TransactionKind.TRADE.value: QCoreApplication.translate("TransactionKind", "Trade"),
        TransactionKind.DEPOSIT.value: QCoreApplication.translate("TransactionKind", "Deposit"),
        TransactionKind.WITHDRAWAL.value: QCoreApplication.translate("TransactionKind", "Withdrawal"),
        TransactionKind.INTERNAL_TRANSFER.value: QCoreApplication.translate(
            "TransactionKind", "Internal transfer"
        ),
        TransactionKind.CONVERT.value: QCoreApplication.translate("TransactionKind", "Convert"),
        TransactionKind.FUNDING.value: QCoreApplication.translate("TransactionKind", "Funding"),
        TransactionKind.FEE.value: QCoreApplication.translate("TransactionKind", "Fee"),
        TransactionKind.INTEREST.value: QCoreApplication.translate("TransactionKind", "Interest"),
        TransactionKind.EARN.value: QCoreApplication.translate("TransactionKind", "Earn"),
        TransactionKind.SETTLEMENT.value: QCoreApplication.translate("TransactionKind", "Settlement"),
        TransactionKind.LIQUIDATION.value: QCoreApplication.translate("TransactionKind", "Liquidation"),
        TransactionKind.BONUS.value: QCoreApplication.translate("TransactionKind", "Bonus"),
        TransactionKind.LEDGER.value: QCoreApplication.translate("TransactionKind", "Other ledger entry"),
    }
