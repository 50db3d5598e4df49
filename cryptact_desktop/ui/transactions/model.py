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
"""

from __future__ import annotations

import contextlib
import enum
import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QWidget,
)

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


TRANSACTION_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's TransactionView

_NUMERIC = frozenset(NUMBER_COLUMNS)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_OTHER_ROLES = {_TOOLTIP, _ALIGNMENT, int(TRANSACTION_ROLE)}
_COLUMNS = len(Column)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ALIGNMENTS = tuple(_RIGHT if column in _NUMERIC else _LEFT for column in Column)


def _local_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _utc_time(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{ms % 1000:03d} UTC"


class TransactionsModel(QAbstractTableModel):
    """Transactions matching a :class:`TransactionFilter`, fetched from the store page by page,
    off the GUI thread."""

    loadingChanged = Signal(bool)  # a query started (True) / the last one ended (False)
    reloaded = Signal()  # the rows were replaced by those of the current filter
    loadFailed = Signal()  # a query failed (logged by type); the rows shown are unchanged

    def __init__(self, store: Store, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = max(1, page_size)
        self._widest: dict[int, str] = {}
        self._filter = TransactionFilter()
        self._rows: list[TransactionView] = []
        # Each row's display texts, worked out with the query off the GUI thread: a repaint asks
        # for every visible cell, and then only looks them up.
        self._texts: list[tuple[str, ...]] = []
        self._exhausted = True
        self._keys: dict[int, KeyConfig] = {}
        self._loader = Background(self)
        self._loading = False
        self._headers = {
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
        store, flt, wanted, texts = self._store, self._filter, max(self._page_size, keep), self._row_texts

        def query() -> tuple[dict[int, KeyConfig], list[TransactionView], list[tuple[str, ...]], int]:
            keys = {key.id: key for key in store.list_keys()}
            rows = store.transactions(flt, limit=wanted)
            return keys, rows, [texts(tx, keys) for tx in rows], wanted

        self._set_loading(True)
        self._loader.run(query, success=self._on_reloaded, failure=self._on_failed)

    def _on_reloaded(
        self, result: tuple[dict[int, KeyConfig], list[TransactionView], list[tuple[str, ...]], int]
    ) -> None:
        keys, rows, texts, wanted = result
        self._remember_widest(texts, replace=True)
        self.beginResetModel()
        self._keys, self._rows, self._texts, self._exhausted = keys, rows, texts, len(rows) < wanted
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
        store, flt, limit, keys, texts = (
            self._store,
            self._filter,
            self._page_size,
            self._keys,
            self._row_texts,
        )
        last = self._rows[-1]
        after = (last.timestamp_ms, last.id)

        def query() -> tuple[list[TransactionView], list[tuple[str, ...]]]:
            page = store.transactions(flt, limit=limit, after=after)
            return page, [texts(tx, keys) for tx in page]

        self._set_loading(True)
        self._loader.run(query, success=self._on_page, failure=self._on_failed)

    def _on_page(self, result: tuple[list[TransactionView], list[tuple[str, ...]]]) -> None:
        page, texts = result
        if len(page) < self._page_size:
            self._exhausted = True
        if page:
            self._remember_widest(texts, replace=False)
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self._texts.extend(texts)
            self.endInsertRows()
        self._set_loading(False)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.TIME:
            return self.tr("Local time; point at a time to see it in UTC. Click to sort.")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Called for every role of every visible cell at each repaint, on the GUI thread: the
        texts are looked up, never worked out here; any role not shown returns at once."""
        if role == _DISPLAY:
            row, section = index.row(), index.column()
            if 0 <= row < len(self._texts) and 0 <= section < _COLUMNS:
                return self._texts[row][section]
            return None
        if role not in _OTHER_ROLES or not index.isValid():
            return None
        row, section = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= section < _COLUMNS):
            return None
        if role == _ALIGNMENT:
            return _ALIGNMENTS[section]
        tx = self._rows[row]
        if role == _TOOLTIP:
            return self._tooltip(tx, Column(section))
        return tx  # TRANSACTION_ROLE

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

    def _tooltip(self, tx: TransactionView, column: Column) -> str | None:
        if column == Column.TIME:
            return _utc_time(tx.timestamp_ms)
        if column == Column.KEY:
            key = self._keys.get(tx.key_id)
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
