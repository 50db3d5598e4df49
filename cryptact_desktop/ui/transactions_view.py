"""The transactions table: every synced or imported transaction, filtered and paged lazily.

:class:`TransactionsModel` never loads the whole table: it asks the store for one page (500 rows)
at a time as the view scrolls (``canFetchMore``/``fetchMore``), so it opens instantly on a
database with a million rows. Sorting is by time only, done by the database (newest or oldest
first). :class:`TransactionsView` adds the filter bar and the row count.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.state import KeyConfig, TransactionFilter, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.venues.registry import venue_info, venue_infos

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


class TransactionsView(QWidget):
    """Filter bar, lazily filled transactions table and a row count."""

    filterChanged = Signal(object)  # the new TransactionFilter

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transactionsView")
        self._store = store
        self._keys: list[KeyConfig] = []
        self._updating = False  # True while combos are refilled: no filter signal storms

        self.key_combo = QComboBox()
        self.key_combo.setObjectName("keyCombo")
        self.key_combo.setAccessibleName(self.tr("Key"))
        self.key_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.key_combo.setMinimumContentsLength(10)
        self.endpoint_combo = QComboBox()
        self.endpoint_combo.setObjectName("endpointCombo")
        self.endpoint_combo.setAccessibleName(self.tr("Endpoint"))
        self.endpoint_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindCombo")
        self.kind_combo.setAccessibleName(self.tr("Kind"))
        self.kind_combo.addItem(self.tr("All kinds"), None)
        for value, name in kind_names().items():
            self.kind_combo.addItem(name, value)
        self.asset_edit = QLineEdit()
        self.asset_edit.setObjectName("assetEdit")
        self.asset_edit.setAccessibleName(self.tr("Asset"))
        self.asset_edit.setPlaceholderText(self.tr("Asset, e.g. BTC"))
        self.asset_edit.setClearButtonEnabled(True)
        self.asset_edit.setMaxLength(32)
        self.asset_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 12)

        today = QDate.currentDate()
        self.from_check = QCheckBox(self.tr("&From"))
        self.from_check.setObjectName("fromCheck")
        self.from_date = self._date_edit("fromDateEdit", self.tr("From date"), QDate(today.year(), 1, 1))
        self.to_check = QCheckBox(self.tr("&To"))
        self.to_check.setObjectName("toCheck")
        self.to_date = self._date_edit("toDateEdit", self.tr("To date"), today)

        self.reset_button = QPushButton(self.tr("Reset filters"))
        self.reset_button.setObjectName("resetFiltersButton")
        self.reset_button.clicked.connect(self.reset_filters)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.key_combo)
        bar.addWidget(self.endpoint_combo)
        bar.addWidget(self.kind_combo)
        bar.addWidget(self.asset_edit)
        bar.addSpacing(6)
        bar.addWidget(self.from_check)
        bar.addWidget(self.from_date)
        bar.addWidget(self.to_check)
        bar.addWidget(self.to_date)
        bar.addStretch(1)
        bar.addWidget(self.reset_button)

        self.model = TransactionsModel(store, self)
        self.table = QTableView()
        self.table.setObjectName("transactionsTable")
        self.table.setAccessibleName(self.tr("Transactions"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: fast on big tables
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(Column.TIME, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self._set_column_widths()

        copy_action = QAction(self.tr("Copy"), self.table)
        copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy_action.triggered.connect(self.copy_selection)
        self.table.addAction(copy_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._asset_timer = QTimer(self)
        self._asset_timer.setSingleShot(True)
        self._asset_timer.setInterval(300)
        self._asset_timer.timeout.connect(self._apply_filters)

        self._fill_keys()
        self._fill_endpoints()
        self.key_combo.currentIndexChanged.connect(self._on_key_changed)
        self.endpoint_combo.currentIndexChanged.connect(self._apply_filters)
        self.kind_combo.currentIndexChanged.connect(self._apply_filters)
        self.asset_edit.textChanged.connect(self._on_asset_edited)
        self.asset_edit.returnPressed.connect(self._apply_filters)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._apply_filters)
            edit.dateChanged.connect(self._on_date_changed)
            edit.setEnabled(False)
        self._update_count()

    # ------------------------------------------------------------------ public API

    def refresh(self) -> None:
        """Re-query (after a sync or an import), keeping the filters and the scroll position."""
        scroll = self.table.verticalScrollBar().value()
        self._fill_keys()
        self._fill_endpoints()
        flt = self.current_filter()
        if flt != self.model.filter():
            self.model.set_filter(flt)
        else:
            self.model.refresh()
        self.table.verticalScrollBar().setValue(scroll)
        self._update_count()

    def set_key_filter(self, key_id: int | None) -> None:
        """Show one key's transactions (None: all keys)."""
        index = 0 if key_id is None else self.key_combo.findData(key_id)
        if index < 0:  # a key added since the last refresh
            self._fill_keys()
            index = self.key_combo.findData(key_id)
        self.key_combo.setCurrentIndex(max(0, index))

    def reset_filters(self) -> None:
        self._updating = True
        try:
            self.key_combo.setCurrentIndex(0)
            self._fill_endpoints()
            self.endpoint_combo.setCurrentIndex(0)
            self.kind_combo.setCurrentIndex(0)
            self.asset_edit.clear()
            self._asset_timer.stop()
            self.from_check.setChecked(False)
            self.to_check.setChecked(False)
        finally:
            self._updating = False
        self._apply_filters()

    def current_filter(self) -> TransactionFilter:
        key_id = self.key_combo.currentData()
        endpoint = self.endpoint_combo.currentData()
        kind = self.kind_combo.currentData()
        from_ms = to_ms = None
        if self.from_check.isChecked():
            from_ms = QDateTime(self.from_date.date(), QTime(0, 0)).toMSecsSinceEpoch()
        if self.to_check.isChecked():
            to_ms = QDateTime(self.to_date.date().addDays(1), QTime(0, 0)).toMSecsSinceEpoch() - 1
        return TransactionFilter(
            key_ids=(int(key_id),) if key_id is not None else (),
            endpoints=(str(endpoint),) if endpoint is not None else (),
            kinds=(str(kind),) if kind is not None else (),
            asset=self.asset_edit.text().strip().upper(),
            from_ms=from_ms,
            to_ms=to_ms,
            newest_first=self.model.filter().newest_first,
        )

    def copy_selection(self) -> None:
        """Copy the selected rows as tab-separated text (with a header line)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows:
            return
        columns = range(self.model.columnCount())
        lines = ["\t".join(str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in columns)]
        for row in rows:
            lines.append("\t".join(str(self.model.index(row, c).data() or "") for c in columns))
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText("\n".join(lines) + "\n")

    # ------------------------------------------------------------------ internals

    def _date_edit(self, object_name: str, accessible_name: str, date: QDate) -> QDateEdit:
        edit = QDateEdit(date)
        edit.setObjectName(object_name)
        edit.setAccessibleName(accessible_name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _set_column_widths(self) -> None:
        metrics = self.table.fontMetrics()
        samples: dict[Column, str] = {
            Column.TIME: "2026-12-31 23:59:59",
            Column.KEY: "Bybit main acc",
            Column.ENDPOINT: max(
                (e.display_name() for info in venue_infos() for e in info.endpoints),
                key=len,
                default="Endpoint",
            ),
            Column.KIND: "Internal transfer",
            Column.BASE: "USDT00",
            Column.QUOTE: "USDT00",
            Column.SIDE: "Sell00",
            Column.AMOUNT: "-12345.67890123",
            Column.PRICE: "123456.78901",
            Column.FEE: "0.0001234567",
            Column.FEE_CURRENCY: "Fee ccy00",
        }
        header = self.table.horizontalHeader()
        for column, sample in samples.items():
            header.resizeSection(column, min(260, metrics.horizontalAdvance(sample) + 18))

    def _fill_keys(self) -> None:
        current = self.key_combo.currentData()
        self._keys = self._store.list_keys()
        self._updating = True
        try:
            self.key_combo.clear()
            self.key_combo.addItem(self.tr("All keys"), None)
            for key in self._keys:
                text = f"{key.label} · {key.subaccount}" if key.subaccount else key.label
                self.key_combo.addItem(text, key.id)
            index = self.key_combo.findData(current) if current is not None else 0
            self.key_combo.setCurrentIndex(max(0, index))
        finally:
            self._updating = False

    def _fill_endpoints(self) -> None:
        """The endpoints of the selected key's exchange, or of every exchange in use."""
        current = self.endpoint_combo.currentData()
        key_id = self.key_combo.currentData()
        if key_id is not None:
            exchange_ids: Sequence[str] = [k.exchange for k in self._keys if k.id == key_id]
        else:
            exchange_ids = list(dict.fromkeys(k.exchange for k in self._keys)) or [
                e.id for e in venue_infos()
            ]
        names: dict[str, str] = {}
        for exchange_id in exchange_ids:
            try:
                info = venue_info(exchange_id)
            except KeyError:
                continue
            for endpoint in info.endpoints:
                names.setdefault(endpoint.id, endpoint.display_name())
        self._updating = True
        try:
            self.endpoint_combo.clear()
            self.endpoint_combo.addItem(self.tr("All endpoints"), None)
            for endpoint_id, name in names.items():
                self.endpoint_combo.addItem(name, endpoint_id)
            index = self.endpoint_combo.findData(current) if current is not None else 0
            self.endpoint_combo.setCurrentIndex(max(0, index))
        finally:
            self._updating = False

    def _on_key_changed(self, *_args: object) -> None:
        if self._updating:
            return
        self._fill_endpoints()
        self._apply_filters()

    def _on_asset_edited(self, _text: str) -> None:
        self._asset_timer.start()  # filter once the user pauses typing

    def _on_date_changed(self, *_args: object) -> None:
        if self.from_check.isChecked() or self.to_check.isChecked():
            self._apply_filters()

    def _apply_filters(self, *_args: object) -> None:
        if self._updating:
            return
        self._asset_timer.stop()
        flt = self.current_filter()
        if flt == self.model.filter():
            return
        self.model.set_filter(flt)
        self.table.scrollToTop()
        self._update_count()
        self.filterChanged.emit(flt)

    def _on_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        header = self.table.horizontalHeader()
        if section != Column.TIME:
            # Only time sorts (in the database); keep the indicator where it is meaningful.
            current = (
                Qt.SortOrder.DescendingOrder
                if self.model.filter().newest_first
                else Qt.SortOrder.AscendingOrder
            )
            header.blockSignals(True)
            header.setSortIndicator(Column.TIME, current)
            header.blockSignals(False)
            return
        self.model.sort(section, order)
        self.table.scrollToTop()

    def _update_count(self) -> None:
        flt = self.model.filter()
        count = self._store.count_transactions(flt)
        if count == 0:
            unfiltered = replace(flt, newest_first=True) == TransactionFilter()
            text = (
                self.tr("No transactions yet: add an API key and sync it, or import a file.")
                if unfiltered
                else self.tr("No transactions match these filters.")
            )
        elif count == 1:
            text = self.tr("1 transaction")
        else:
            text = self.tr("{count} transactions").format(count=QLocale().toString(count))
        self.count_label.setText(text)
