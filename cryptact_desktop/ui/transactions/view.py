"""The Transactions tab: a filter bar (key, endpoint, kind, asset, dates), the lazily filled table
of :class:`~cryptact_desktop.ui.transactions.model.TransactionsModel`, and the row count.

The model's queries and the count run off the GUI thread (a count or a filter on a rare asset
reads every row of a large table); while either runs, a busy bar beside the count says so."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QLocale,
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
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.csv_safety import safe_row
from cryptact_desktop.state import KeyConfig, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.ui.background import Background
from cryptact_desktop.ui.transactions.model import (
    NUMBER_COLUMNS,
    Column,
    TransactionsModel,
    kind_names,
)
from cryptact_desktop.ui.transactions.sources import SourcesDialog
from cryptact_desktop.venues.registry import venue_info, venue_infos

log = logging.getLogger(__name__)


class TransactionsView(QWidget):
    """Filter bar, lazily filled transactions table and a row count."""

    filterChanged = Signal(object)  # the new TransactionFilter

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        keys: Callable[[], Sequence[KeyConfig]] | None = None,
    ) -> None:
        """``keys``: the keys for the key filter (the window passes those its keys tree holds, so
        showing this tab reads nothing on the GUI thread); the store's by default."""
        super().__init__(parent)
        self.setObjectName("transactionsView")
        self._store = store
        self._list_keys = keys if keys is not None else store.list_keys
        self._keys: list[KeyConfig] = []
        self._updating = False  # True while combos are refilled: no filter signal storms
        self._counter = Background(self)
        self._scroll_after_load: int | None = None  # where to scroll once the model has reloaded

        self.key_combo = QComboBox()
        self.key_combo.setObjectName("keyCombo")
        self.key_combo.setAccessibleName(self.tr("Key"))
        self.key_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.key_combo.setMinimumContentsLength(10)
        self.endpoint_combo = QComboBox()
        self.endpoint_combo.setObjectName("endpointCombo")
        self.endpoint_combo.setAccessibleName(self.tr("Endpoint"))
        # Long endpoint names stay in the drop-down: the bar must fit a narrow window.
        self.endpoint_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.endpoint_combo.setMinimumContentsLength(18)
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

        # Two rows, so a narrow window still shows every filter (and which are active).
        bar = QVBoxLayout()
        bar.setSpacing(4)
        what = QHBoxLayout()
        what.setSpacing(6)
        what.addWidget(self.key_combo)
        what.addWidget(self.endpoint_combo)
        what.addWidget(self.kind_combo)
        what.addWidget(self.asset_edit)
        what.addStretch(1)
        when = QHBoxLayout()
        when.setSpacing(6)
        when.addWidget(self.from_check)
        when.addWidget(self.from_date)
        when.addWidget(self.to_check)
        when.addWidget(self.to_date)
        when.addStretch(1)
        when.addWidget(self.reset_button)
        bar.addLayout(what)
        bar.addLayout(when)

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
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
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
        # Numbers are never cut ("0.019…04754" reads as another number): their columns take the
        # width of the longest value loaded, which the model finds with each page (Qt's
        # ResizeToContents measured up to 1,000 rows on the GUI thread each time rows came).
        self.model.modelReset.connect(self._fit_number_columns)
        self.model.pageAdded.connect(self._fit_number_columns)

        copy_action = QAction(self.tr("Copy"), self.table)
        copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy_action.triggered.connect(self.copy_selection)
        self.table.addAction(copy_action)
        # One row per economic event; the records behind it on demand (also on double-click).
        self.sources_action = QAction(self.tr("Show sources…"), self.table)
        self.sources_action.setObjectName("showSourcesAction")
        self.sources_action.triggered.connect(self.show_sources)
        self.table.addAction(self.sources_action)
        self.table.doubleClicked.connect(lambda _index: self.show_sources())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setAccessibleName(self.tr("Reading transactions"))
        self.busy_bar.setRange(0, 0)  # no known end: the bar shows activity
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumSize(
            self.fontMetrics().horizontalAdvance("M") * 8, self.fontMetrics().height()
        )
        self.busy_bar.hide()
        footer = QHBoxLayout()
        footer.setSpacing(6)
        footer.addWidget(self.count_label)
        footer.addWidget(self.busy_bar)
        footer.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        self.model.loadingChanged.connect(self._update_busy)
        self.model.reloaded.connect(self._on_reloaded)
        self.model.loadFailed.connect(self._on_load_failed)

        self._asset_timer = QTimer(self)
        self._asset_timer.setSingleShot(True)
        self._asset_timer.setInterval(300)
        self._asset_timer.timeout.connect(self._apply_filters)
        # The date controls change together (a date and its tick box, both ends): their changes
        # in one turn of the event loop make one query, not one each (on a million rows each is
        # a full count, and the ones superseded keep a core busy until they finish).
        self._dates_timer = QTimer(self)
        self._dates_timer.setSingleShot(True)
        self._dates_timer.setInterval(0)
        self._dates_timer.timeout.connect(self._apply_filters)

        self._fill_keys()
        self._fill_endpoints()
        self.key_combo.currentIndexChanged.connect(self._on_key_changed)
        self.endpoint_combo.currentIndexChanged.connect(self._apply_filters)
        self.kind_combo.currentIndexChanged.connect(self._apply_filters)
        self.asset_edit.textChanged.connect(self._on_asset_edited)
        self.asset_edit.returnPressed.connect(self._apply_filters)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._dates_timer.start)
            edit.dateChanged.connect(self._on_date_changed)
            edit.setEnabled(False)
        self._update_count()

    # ------------------------------------------------------------------ public API

    def refresh(self) -> None:
        """Re-query (after a sync or an import), keeping the filters and the scroll position."""
        self._fill_keys()
        self._fill_endpoints()
        flt = self.current_filter()
        if flt != self.model.filter():
            self._scroll_after_load = 0
            self.model.set_filter(flt)
        else:
            self._scroll_after_load = self.table.verticalScrollBar().value()
            self.model.refresh()
        self._update_count()

    def is_busy(self) -> bool:
        """Whether the rows or the count are still being read (or a date change is about to be)."""
        return self._dates_timer.isActive() or self.model.is_loading() or self._counter.busy

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
        """Copy the selected rows as tab-separated text (with a header line), safe to paste into a
        spreadsheet (see :mod:`cryptact_desktop.csv_safety`)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows:
            return
        columns = range(self.model.columnCount())
        lines = ["\t".join(str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in columns)]
        for row in rows:
            # Pasted into a spreadsheet: a cell that could run as a formula is kept as text.
            cells = safe_row(self.model.index(row, c).data() or "" for c in columns)
            lines.append("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in cells))
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText("\n".join(lines) + "\n")

    def show_sources(self) -> SourcesDialog | None:
        """The stored records behind the current row (its sources), in a dialog."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        try:
            dialog = SourcesDialog(self._store, self.model.transaction(index.row()), self)
        except KeyError:  # removed meanwhile (its key was removed)
            self.refresh()
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ internals

    def _date_edit(self, object_name: str, accessible_name: str, date: QDate) -> QDateEdit:
        edit = QDateEdit(date)
        edit.setObjectName(object_name)
        edit.setAccessibleName(accessible_name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _fit_number_columns(self, *_args: object) -> None:
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column in NUMBER_COLUMNS:
            text = self.model.widest_text(column)
            wanted = max(header.sectionSizeFromContents(column).width(), metrics.horizontalAdvance(text) + 18)
            if header.sectionSize(column) != wanted:
                header.resizeSection(column, wanted)

    def _set_column_widths(self) -> None:
        metrics = self.table.fontMetrics()
        samples: dict[Column, str] = {
            Column.TIME: "2026-12-31 23:59:59",
            Column.KEY: "Main trading 1",
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
        self._keys = list(self._list_keys())
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
            self._dates_timer.start()

    def _apply_filters(self, *_args: object) -> None:
        if self._updating:
            return
        self._asset_timer.stop()
        self._dates_timer.stop()
        flt = self.current_filter()
        if flt == self.model.filter():
            return
        self._scroll_after_load = 0
        self.model.set_filter(flt)
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
        self._scroll_after_load = 0
        self.model.sort(section, order)

    def _on_reloaded(self) -> None:
        if self._scroll_after_load is not None:
            self.table.verticalScrollBar().setValue(self._scroll_after_load)
            self._scroll_after_load = None

    def _on_load_failed(self) -> None:
        self._scroll_after_load = None
        self.count_label.setText(
            self.tr("The transactions could not be read. Try again, or restart the app.")
        )

    def _update_busy(self, *_args: object) -> None:
        self.busy_bar.setVisible(self.is_busy())

    def _update_count(self) -> None:
        """Count the matching transactions off the GUI thread; the label follows when done."""
        flt = self.model.filter()
        store = self._store
        self._counter.run(
            lambda: store.count_transactions(flt),
            success=lambda count: self._show_count(flt, count),
            failure=self._on_count_failed,
        )
        self._update_busy()

    def _on_count_failed(self, error: Exception) -> None:
        log.error("could not count the transactions: %s", type(error).__name__)
        self.count_label.setText("")
        self._update_busy()

    def _show_count(self, flt: TransactionFilter, count: int) -> None:
        self._update_busy()
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
