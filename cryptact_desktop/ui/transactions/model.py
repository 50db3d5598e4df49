"""The transactions table model: every synced or imported transaction, filtered and paged lazily.

:class:`TransactionsModel` never loads the whole table: it asks the store for one page (500 rows)
at a time as the view scrolls (``canFetchMore``/``fetchMore``), so it opens instantly on a
database with a million rows. Sorting is by time only, done by the database (newest or oldest
first). :mod:`.view` adds the filter bar and the row count.
"""

from __future__ import annotations

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
)
from PySide6.QtWidgets import (
    QWidget,
)

from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.state import KeyConfig, TransactionFilter, TransactionView
from cryptact_desktop.store import Store
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


TRANSACTION_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's TransactionView

_NUMERIC = {Column.AMOUNT, Column.PRICE, Column.FEE}


def _local_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _utc_time(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{ms % 1000:03d} UTC"


class TransactionsModel(QAbstractTableModel):
    """Transactions matching a :class:`TransactionFilter`, fetched from the store page by page."""

    def __init__(self, store: Store, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = max(1, page_size)
        self._filter = TransactionFilter()
        self._rows: list[TransactionView] = []
        self._exhausted = True
        self._keys: dict[int, KeyConfig] = {}
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

    # ------------------------------------------------------------------ loading

    def _query(self, offset: int, limit: int) -> list[TransactionView]:
        return self._store.transactions(self._filter, offset=offset, limit=limit)

    def _reload(self, keep: int = 0) -> None:
        self.beginResetModel()
        try:
            self._keys = {key.id: key for key in self._store.list_keys()}
            wanted = max(self._page_size, keep)
            self._rows = self._query(0, wanted)
            self._exhausted = len(self._rows) < wanted
        finally:
            self.endResetModel()

    def canFetchMore(self, parent: _AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = self._query(len(self._rows), self._page_size)
        if len(page) < self._page_size:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

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
        if not index.isValid() or index.parent().isValid():
            return None
        row, section = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= section < len(Column)):
            return None
        tx = self._rows[row]
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(tx, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(tx, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == TRANSACTION_ROLE:
            return tx
        return None

    def _key_label(self, key_id: int) -> str:
        key = self._keys.get(key_id)
        return key.label if key is not None else f"#{key_id}"

    def _endpoint_name(self, tx: TransactionView) -> str:
        key = self._keys.get(tx.key_id)
        if key is not None:
            try:
                return venue_info(key.exchange).endpoint(tx.endpoint).display_name()
            except KeyError:
                pass
        return tx.endpoint

    def _display(self, tx: TransactionView, column: Column) -> str:
        if column == Column.TIME:
            return _local_time(tx.timestamp_ms)
        if column == Column.KEY:
            return self._key_label(tx.key_id)
        if column == Column.ENDPOINT:
            return self._endpoint_name(tx)
        if column == Column.KIND:
            return self._kinds.get(tx.kind, tx.kind)
        if column == Column.SIDE:
            return self._sides.get(tx.side, tx.side)
        values = {
            Column.BASE: tx.base,
            Column.QUOTE: tx.quote,
            Column.AMOUNT: tx.amount,
            Column.PRICE: tx.price,
            Column.FEE: tx.fee,
            Column.FEE_CURRENCY: tx.fee_currency,
            Column.EXCHANGE_ID: tx.exchange_id,
        }
        return values[column]

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
