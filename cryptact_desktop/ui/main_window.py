"""The main window: the API keys tree with per-key Sync, the transactions tab, the "+" menu.

The window renders what the store returns and sends intents: keys are added and edited through
``KeyDialog`` (which calls ``AppService``), syncs run in :class:`SyncController` workers, pausing
and removing call ``Store`` / ``AppService`` directly (quick local writes). Nothing here talks
HTTP or SQL. New history is fetched only when the user asks: a Sync button, Sync all, or the
opt-in "sync every N hours" setting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    QSettings,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop import __version__
from cryptact_desktop.imports import is_file_only
from cryptact_desktop.secrets import SecretStoreError
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, KeyConfig, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import SyncResult
from cryptact_desktop.ui import assistant_wizard, icons
from cryptact_desktop.ui.attach_key_dialog import open_attach_key_dialog
from cryptact_desktop.ui.coverage_view import open_coverage_dialog
from cryptact_desktop.ui.exchange_picker import ExchangePickerDialog
from cryptact_desktop.ui.export_dialog import open_export_dialog
from cryptact_desktop.ui.import_dialog import open_import_dialog
from cryptact_desktop.ui.key_dialog import KeyDialog
from cryptact_desktop.ui.key_tree_model import Column, KeyTreeModel, Roles
from cryptact_desktop.ui.reconcile_dialog import open_reconcile_dialog
from cryptact_desktop.ui.remove_key_dialog import RemoveKeyDialog
from cryptact_desktop.ui.sync_controller import MAX_AUTO_SYNC_HOURS, SyncController
from cryptact_desktop.ui.transactions_view import TransactionsView
from cryptact_desktop.venues.registry import venue_info

log = logging.getLogger(__name__)

DEFAULT_SIZE = QSize(1100, 700)
DETAILS_MIN_WIDTH = 300
SETTINGS_GEOMETRY = "mainWindow/geometry"
SETTINGS_STATE = "mainWindow/state"
SETTINGS_HEADER = "mainWindow/keysHeader"
SETTINGS_TAB = "mainWindow/tab"


class SyncSettingsDialog(QDialog):
    """Settings → "Sync automatically every N hours" (off unless the user turns it on)."""

    def __init__(self, hours: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setObjectName("syncSettingsDialog")
        layout = QVBoxLayout(self)
        self.auto_check = QCheckBox(self.tr("Sync all keys automatically while the app is running"))
        self.auto_check.setObjectName("autoSyncCheck")
        self.auto_check.setChecked(hours > 0)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 0, 0)
        every = QLabel(self.tr("Every"))
        self.hours_spin = QSpinBox()
        self.hours_spin.setObjectName("autoSyncHours")
        self.hours_spin.setRange(1, MAX_AUTO_SYNC_HOURS)
        self.hours_spin.setValue(hours if hours > 0 else 6)
        self.hours_spin.setSuffix(self.tr(" hours"))
        self.hours_spin.setAccessibleName(self.tr("Hours between automatic syncs"))
        every.setBuddy(self.hours_spin)
        row.addWidget(every)
        row.addWidget(self.hours_spin)
        row.addStretch(1)
        note = QLabel(
            self.tr(
                "Off by default: new history is fetched only when you press Sync. "
                "Paused keys are never synced automatically."
            )
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.auto_check)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.auto_check.toggled.connect(self.hours_spin.setEnabled)
        self.auto_check.toggled.connect(every.setEnabled)
        self.hours_spin.setEnabled(hours > 0)
        every.setEnabled(hours > 0)
        self.resize(440, self.sizeHint().height())

    def hours(self) -> int:
        return self.hours_spin.value() if self.auto_check.isChecked() else 0


class MainWindow(QMainWindow):
    """Keys, their sync state and transactions."""

    keysChanged = Signal()  # the shown keys or their statuses changed (the tray listens)

    def __init__(
        self,
        service: AppService,
        store: Store,
        *,
        settings: QSettings | None = None,
        controller: SyncController | None = None,
        demo: bool = False,
        quit_app: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        self.controller = (
            controller if controller is not None else SyncController(service, self.settings, self)
        )
        self.demo = demo
        self._quit_app: Callable[[], None] = quit_app or QCoreApplication.quit
        self._tray_available: Callable[[], bool] = lambda: False
        self._tray_hint: Callable[[], None] = lambda: None
        self._quitting = False
        self._shown_status: dict[int, EndpointStatus] = {}
        self._pending_removal: dict[int, bool] = {}  # key id → delete transactions
        self._transactions_dirty = True
        self._key_dialog: KeyDialog | None = None

        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.app_icon())
        title = self.tr("Cryptact Desktop")
        self.setWindowTitle(self.tr("{title} — Demo").format(title=title) if demo else title)
        self.setAccessibleName(title)

        self.model = KeyTreeModel(self)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_central()
        self._build_status_bar()
        self._connect_controller()
        self._restore_settings()
        self.refresh_keys()

    # ------------------------------------------------------------------ construction

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon_name: str | None = None,
        tip: str = "",
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icons.icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.manage_keys_action = self._action(
            self.tr("Manage your API keys…"),
            self.open_add_key,
            tip=self.tr("Add a read-only API key of an exchange"),
            name="manageKeysAction",
        )
        self.add_menu = QMenu(self.tr("Add"), self)
        self.add_menu.setObjectName("addMenu")
        self.add_menu.addAction(self.manage_keys_action)
        self.import_file_action = self._action(
            self.tr("Add transactions from a file…"),
            self.open_import,
            tip=self.tr("Import an exchange's downloaded history file"),
            name="importFileAction",
        )
        self.assistant_action = self._action(
            self.tr("Assistant…"),
            self.open_assistant,
            tip=self.tr("Step by step: choose your exchanges, then add API keys or files"),
            name="assistantAction",
        )
        self.export_action = self._action(
            self.tr("Export Cryptact file…"),
            self.open_export,
            shortcut="Ctrl+Shift+E",
            tip=self.tr("Write the Cryptact custom file for upload"),
            name="exportAction",
        )
        self.add_menu.addAction(self.import_file_action)
        self.add_menu.addSeparator()
        self.add_menu.addAction(self.assistant_action)
        # "+" itself: opens the menu above (Ctrl+N from anywhere in the window).
        self.add_action = QAction(icons.icon("plus"), self.tr("Add"), self)
        self.add_action.setObjectName("addAction")
        self.add_action.setMenu(self.add_menu)
        self.add_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.add_action.setToolTip(self.tr("Add API keys (Ctrl+N)"))
        self.add_action.triggered.connect(self._show_add_menu)

        self.sync_all_action = self._action(
            self.tr("Sync all"),
            self.sync_all,
            shortcut="Ctrl+Shift+R",
            icon_name="sync",
            tip=self.tr("Fetch new history for every key that is not paused"),
            name="syncAllAction",
        )
        self.cancel_action = self._action(
            self.tr("Cancel"),
            self.cancel_all,
            icon_name="stop",
            tip=self.tr("Stop every running sync (what was fetched so far is kept)"),
            name="cancelAction",
        )
        self.sync_selected_action = self._action(
            self.tr("Sync"), self.sync_selected, shortcut="Ctrl+R", tip=self.tr("Sync the selected key")
        )
        self.edit_action = self._action(
            self.tr("Edit…"), self.edit_selected, shortcut="Ctrl+E", tip=self.tr("Edit the selected key")
        )
        self.pause_action = self._action(self.tr("Pause"), self.toggle_pause_selected)
        self.remove_action = self._action(
            self.tr("Remove…"),
            self.remove_selected,
            shortcut=QKeySequence.StandardKey.Delete,
            tip=self.tr("Remove the selected key"),
        )
        self.show_transactions_action = self._action(
            self.tr("Show transactions"), self.show_selected_transactions
        )
        self.settings_action = self._action(self.tr("Settings…"), self.open_settings, name="settingsAction")
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action = self._action(
            self.tr("Quit"), self.quit, shortcut=QKeySequence.StandardKey.Quit, name="quitAction"
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.about_action = self._action(self.tr("About Cryptact Desktop"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addMenu(self.add_menu)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        keys_menu = bar.addMenu(self.tr("&Keys"))
        keys_menu.addAction(self.manage_keys_action)
        keys_menu.addSeparator()
        keys_menu.addAction(self.sync_selected_action)
        keys_menu.addAction(self.sync_all_action)
        keys_menu.addAction(self.cancel_action)
        keys_menu.addSeparator()
        keys_menu.addAction(self.edit_action)
        keys_menu.addAction(self.pause_action)
        keys_menu.addAction(self.show_transactions_action)
        keys_menu.addSeparator()
        keys_menu.addAction(self.remove_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_button = QToolButton(self)
        self.add_button.setObjectName("addButton")
        self.add_button.setDefaultAction(self.add_action)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.add_button.setAccessibleName(self.tr("Add"))
        self.add_button.setIconSize(QSize(24, 24))
        toolbar.addWidget(self.add_button)
        toolbar.addSeparator()
        toolbar.addAction(self.sync_all_action)
        toolbar.addAction(self.cancel_action)

    def _build_central(self) -> None:
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("centralStack")
        self.empty_page = self._build_empty_page()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)

        self.tree = QTreeView(self)
        self.tree.setObjectName("keysTree")
        self.tree.setAccessibleName(self.tr("API keys"))
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setIconSize(QSize(18, 18))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_context_menu)
        self.tree.doubleClicked.connect(self._on_double_clicked)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setResizeContentsPrecision(0)
        header.setMinimumSectionSize(40)
        self._set_header_modes()
        header.resizeSection(Column.NAME, 300)
        header.resizeSection(Column.STATUS, 120)
        header.resizeSection(Column.LAST_SYNC, 130)
        header.resizeSection(Column.RECORDS, 75)
        header.resizeSection(Column.SYNC, 96)
        # Shortcuts that act on the selected key work where the keys are: in the tree (Delete
        # in a text field of the Transactions tab must not remove a key).
        for action in (self.sync_selected_action, self.edit_action, self.remove_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(action)
        header.sectionResized.connect(self._on_section_resized)
        self.tree.viewport().installEventFilter(self)
        self.tree.selectionModel().currentChanged.connect(self._update_actions)
        self.model.rowsInserted.connect(self._on_rows_inserted)

        self.transactions = TransactionsView(self.store, self)
        self.transactions.setObjectName("transactionsView")
        # The filter bar is wide; on a narrow window it scrolls instead of widening the window.
        self.transactions_page = QScrollArea(self)
        self.transactions_page.setObjectName("transactionsPage")
        self.transactions_page.setWidgetResizable(True)
        self.transactions_page.setFrameShape(QFrame.Shape.NoFrame)
        self.transactions_page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.transactions_page.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.transactions_page.setWidget(self.transactions)
        self.tabs.addTab(self.tree, self.tr("API keys"))
        self.tabs.addTab(self.transactions_page, self.tr("Transactions"))
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)

    def _set_header_modes(self) -> None:
        """Every column resizable by the user except the buttons'; Details takes the rest
        (see ``_fit_details_column``). Applied again after restoring a saved header state."""
        header = self.tree.header()
        for column in Column:
            mode = (
                QHeaderView.ResizeMode.Fixed if column is Column.SYNC else QHeaderView.ResizeMode.Interactive
            )
            header.setSectionResizeMode(column, mode)

    def _build_empty_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("emptyPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(14)
        layout.addStretch(2)
        art = QLabel(page)
        art.setPixmap(icons.pixmap("app", 72))
        art.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(self.tr("Bring your exchange history to this computer"), page)
        title.setObjectName("emptyTitle")
        title_font = QFont(title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        title.setFont(title_font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        body = QLabel(
            self.tr(
                "Add a read-only API key of your exchange account. Cryptact Desktop fetches your "
                "trades, deposits, withdrawals and transfers into a database on this computer — "
                "only when you press Sync."
            ),
            page,
        )
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setMinimumWidth(380)
        body.setMaximumWidth(560)
        body_row = QHBoxLayout()  # no alignment flag: a wrapped label then gets its full height
        body_row.addStretch(1)
        body_row.addWidget(body, 4)
        body_row.addStretch(1)
        self.empty_add_button = QPushButton(icons.icon("plus"), self.tr("Add your first API key"), page)
        self.empty_add_button.setObjectName("emptyAddButton")
        self.empty_add_button.setAccessibleName(self.tr("Add your first API key"))
        self.empty_add_button.setIconSize(QSize(22, 22))
        button_font = QFont(self.empty_add_button.font())
        button_font.setPointSizeF(button_font.pointSizeF() * 1.25)
        self.empty_add_button.setFont(button_font)
        self.empty_add_button.setMinimumHeight(46)
        self.empty_add_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.empty_add_button.setDefault(True)
        self.empty_add_button.clicked.connect(self.open_add_key)
        pointer = QLabel(
            self.tr("Later, add more keys with the + button at the top left (Ctrl+N)."),
            page,
        )
        pointer.setObjectName("emptyHint")
        pointer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pointer.setEnabled(False)
        pointer.setWordWrap(True)
        layout.addWidget(art)
        layout.addWidget(title)
        layout.addLayout(body_row)
        layout.addSpacing(10)
        layout.addWidget(self.empty_add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(pointer)
        layout.addStretch(3)
        return page

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("summaryLabel")
        bar.addPermanentWidget(self.summary_label)
        if self.demo:
            demo_label = QLabel(self.tr("Demo mode: simulated exchange, nothing is kept"), self)
            demo_label.setObjectName("demoLabel")
            bar.addPermanentWidget(demo_label)

    def _connect_controller(self) -> None:
        self.controller.started.connect(self._on_sync_started)
        self.controller.progressBatch.connect(self.model.apply_progress_batch)
        self.controller.finished.connect(self._on_sync_finished)
        self.controller.allFinished.connect(self._update_actions)

    # ------------------------------------------------------------------ details column

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_details_column()
        return super().eventFilter(watched, event)

    @Slot(int, int, int)
    def _on_section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != Column.DETAILS:
            self._fit_details_column()

    def _fit_details_column(self) -> None:
        """Details fills the room the other columns leave, but never gets narrower than
        ``DETAILS_MIN_WIDTH``: on a narrow window the tree scrolls sideways instead of
        squeezing the one column that says what went wrong."""
        header = self.tree.header()
        others = sum(header.sectionSize(c) for c in Column if c != Column.DETAILS)
        width = max(DETAILS_MIN_WIDTH, self.tree.viewport().width() - others)
        if header.sectionSize(Column.DETAILS) != width:
            header.resizeSection(Column.DETAILS, width)  # _on_section_resized ignores DETAILS

    # ------------------------------------------------------------------ settings

    def _restore_settings(self) -> None:
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(DEFAULT_SIZE)
            screen = QApplication.primaryScreen()
            if screen is not None:
                available = screen.availableGeometry()
                size = DEFAULT_SIZE.boundedTo(available.size())
                self.resize(size)
                self.move(available.center() - self.rect().center())
        state = self.settings.value(SETTINGS_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        header_state = self.settings.value(SETTINGS_HEADER)
        if isinstance(header_state, QByteArray) and not header_state.isEmpty():
            self.tree.header().restoreState(header_state)
            self._set_header_modes()
            self.tree.header().resizeSection(Column.SYNC, 96)
        try:
            tab = int(str(self.settings.value(SETTINGS_TAB, 0)))
        except (TypeError, ValueError):
            tab = 0
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else 0)

    def save_settings(self) -> None:
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_STATE, self.saveState())
        self.settings.setValue(SETTINGS_HEADER, self.tree.header().saveState())
        self.settings.setValue(SETTINGS_TAB, self.tabs.currentIndex())
        self.settings.sync()

    # ------------------------------------------------------------------ tray hooks

    def set_tray_hooks(self, available: Callable[[], bool], hint: Callable[[], None]) -> None:
        """With a tray, closing the window hides it (``hint`` shows the one-time explanation)."""
        self._tray_available = available
        self._tray_hint = hint

    # ------------------------------------------------------------------ keys

    def refresh_keys(self) -> None:
        """Reload every key from the store and show it."""
        self.model.set_keys(self.store.list_keys())
        self._after_keys_changed()

    def _refresh_key(self, key_id: int) -> None:
        try:
            key = self.store.get_key(key_id)
        except KeyError:
            self.refresh_keys()
            return
        self.model.update_key(key)
        self._after_keys_changed()

    def _after_keys_changed(self) -> None:
        has_keys = self.model.rowCount() > 0
        self.stack.setCurrentWidget(self.tabs if has_keys else self.empty_page)
        self._expand_new_failures()
        self._update_sync_buttons()
        self._update_actions()
        self._update_summary()
        self._transactions_dirty = True
        if self.tabs.currentWidget() is self.transactions_page and self.isVisible():
            self._refresh_transactions()
        self.keysChanged.emit()

    def _expand_new_failures(self) -> None:
        """A key whose status just became "failed" shows its endpoints (and why) by itself."""
        shown: dict[int, EndpointStatus] = {}
        for key in self.model.all_keys():
            status = self.model.shown_status(key.id)
            if status is None:
                continue
            shown[key.id] = status
            if (
                status is EndpointStatus.FAILED
                and self._shown_status.get(key.id) is not EndpointStatus.FAILED
            ):
                self.tree.expand(self.model.key_index(key.id))
        self._shown_status = shown

    def _update_summary(self) -> None:
        keys = self.model.rowCount()
        try:
            count = self.store.count_transactions()
        except Exception:  # a summary must never break the window
            log.exception("could not count transactions")
            count = 0
        locale = self.locale()
        self.summary_label.setText(
            self.tr("{keys} keys · {count} transactions").format(
                keys=locale.toString(keys), count=locale.toString(count)
            )
            if keys != 1
            else self.tr("1 key · {count} transactions").format(count=locale.toString(count))
        )

    def selected_key_id(self) -> int | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        key_id = index.data(Roles.KeyIdRole)
        return int(key_id) if key_id is not None else None

    def select_key(self, key_id: int) -> None:
        index = self.model.key_index(key_id)
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.tree.scrollTo(index)

    def key_title(self, key: KeyConfig) -> str:
        try:
            name = venue_info(key.exchange).name
        except KeyError:
            name = key.exchange
        return f"{name} · {key.label}" if key.label and key.label != name else name

    # ------------------------------------------------------------------ add / edit / remove

    @Slot()
    def _show_add_menu(self) -> None:
        """Ctrl+N (or the "+" action triggered by code): pop the "+" menu up under the button."""
        if self.add_button.isVisible():
            where = self.add_button.mapToGlobal(QPoint(0, self.add_button.height()))
        else:
            where = self.mapToGlobal(QPoint(8, 8))
        self.add_menu.popup(where)  # not exec(): the event loop keeps running
        self.add_menu.setActiveAction(self.manage_keys_action)

    @Slot()
    def open_add_key(self) -> None:
        """ "+" → "Manage your API keys": pick the exchange, then enter the key."""
        exchange_id = ExchangePickerDialog.pick(self)
        if exchange_id:
            self.open_key_dialog(exchange_id)

    def open_key_dialog(self, exchange_id: str, key: KeyConfig | None = None) -> KeyDialog:
        """Open the (window-modal) key dialog; the tree updates when it saves."""
        if self._key_dialog is not None:
            self._key_dialog.close()
        dialog = KeyDialog(self.service, exchange_id, self, key=key)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.keySaved.connect(self._on_key_saved)
        dialog.finished.connect(self._on_key_dialog_finished)
        self._key_dialog = dialog
        dialog.open()
        return dialog

    @Slot(int)
    def _on_key_dialog_finished(self, _result: int) -> None:
        self._key_dialog = None

    @property
    def key_dialog(self) -> KeyDialog | None:
        """The key dialog currently open, if any."""
        return self._key_dialog

    @Slot(int)
    def _on_key_saved(self, key_id: int) -> None:
        self.refresh_keys()
        self.select_key(key_id)
        self.tabs.setCurrentWidget(self.tree)
        self.statusBar().showMessage(self.tr("Key saved. Press Sync to fetch its history."), 8000)

    @Slot()
    def edit_selected(self) -> None:
        key_id = self.selected_key_id()
        if key_id is not None:
            self.edit_key(key_id)

    def edit_key(self, key_id: int) -> None:
        key = self.model.key(key_id)
        if key is None:
            return
        if self.controller.is_running(key_id):
            self.statusBar().showMessage(self.tr("Wait for the sync to finish (or cancel it) first."), 6000)
            return
        if is_file_only(key.host_id):
            self.attach_key(key_id)
            return
        self.open_key_dialog(key.exchange, key=key)

    @Slot()
    def remove_selected(self) -> None:
        key_id = self.selected_key_id()
        if key_id is not None:
            self.remove_key(key_id)

    def remove_key(self, key_id: int) -> None:
        key = self.model.key(key_id)
        if key is None:
            return
        try:
            count = self.store.count_transactions(TransactionFilter(key_ids=(key_id,)))
        except Exception:  # the dialog still works without the number
            log.exception("could not count the key's transactions")
            count = 0
        choice = RemoveKeyDialog.ask(key, count, self)
        if choice not in ("keep", "delete"):
            return
        delete = choice == "delete"
        if self.controller.is_running(key_id):
            self._pending_removal[key_id] = delete  # removed as soon as its sync has stopped
            self.controller.cancel(key_id)
            self.statusBar().showMessage(self.tr("Stopping the sync, then removing the key…"), 6000)
            return
        self._remove_now(key_id, delete)

    def _remove_now(self, key_id: int, delete: bool) -> None:
        try:
            self.service.remove_key(key_id, delete_transactions=delete)
        except SecretStoreError as exc:
            # The database part is done; the keyring entry could not be deleted.
            QMessageBox.warning(
                self,
                self.tr("Key removed"),
                self.tr("The key was removed, but its secret could not be deleted from the keyring:")
                + f"\n\n{exc.failure.message}\n{exc.failure.hint}",
            )
        self.refresh_keys()
        self.statusBar().showMessage(self.tr("Key removed."), 5000)

    @Slot()
    def toggle_pause_selected(self) -> None:
        key_id = self.selected_key_id()
        if key_id is not None:
            self.toggle_pause(key_id)

    def toggle_pause(self, key_id: int) -> None:
        key = self.model.key(key_id)
        if key is None:
            return
        self.model.update_key(self.store.update_key(key_id, paused=not key.paused))
        self._after_keys_changed()

    # ------------------------------------------------------------------ sync

    def sync_key(self, key_id: int) -> bool:
        key = self.model.key(key_id)
        if key is None or not key.enabled_endpoints:
            return False
        if is_file_only(key.host_id):
            self.statusBar().showMessage(
                self.tr("This account only has imported files: attach an API key to sync it."), 8000
            )
            return False
        return self.controller.sync(key_id)

    @Slot()
    def sync_selected(self) -> None:
        key_id = self.selected_key_id()
        if key_id is not None:
            self.sync_key(key_id)

    @Slot()
    def sync_all(self) -> None:
        started = self.controller.sync_all()
        if not started and not self.controller.any_running():
            self.statusBar().showMessage(self.tr("Nothing to sync: every key is paused."), 5000)

    @Slot()
    def cancel_all(self) -> None:
        self.controller.cancel_all()
        if self.controller.any_running():
            self.statusBar().showMessage(self.tr("Cancelling… what was fetched so far is kept."), 5000)

    def _on_sync_button(self, key_id: int) -> None:
        if self.controller.is_running(key_id):
            self.controller.cancel(key_id)
        else:
            self.sync_key(key_id)

    @Slot(int)
    def _on_sync_started(self, key_id: int) -> None:
        self.model.set_running(key_id, True)
        self._update_sync_buttons()
        self._update_actions()
        key = self.model.key(key_id)
        if key is not None:
            self.statusBar().showMessage(self.tr("Syncing {key}…").format(key=self.key_title(key)))
        self.keysChanged.emit()

    @Slot(object)
    def _on_sync_finished(self, result: SyncResult) -> None:
        key_id = result.key_id
        self.model.set_running(key_id, False)
        if key_id in self._pending_removal:
            self._remove_now(key_id, self._pending_removal.pop(key_id))
            return
        self._refresh_key(key_id)
        key = self.model.key(key_id)
        title = self.key_title(key) if key is not None else ""
        new = self.locale().toString(result.new_records)
        if result.cancelled:
            message = self.tr("{key}: sync cancelled ({new} new transactions kept).").format(
                key=title, new=new
            )
        elif result.ok:
            message = self.tr("{key}: synced, {new} new transactions.").format(key=title, new=new)
        else:
            failures = [o.failure for o in result.outcomes if o.failure is not None]
            reason = failures[0].message if failures else self.tr("see the key's rows")
            message = self.tr("{key}: sync failed — {reason}").format(key=title, reason=reason)
        self.statusBar().showMessage(message, 15000)

    # ------------------------------------------------------------------ sync buttons

    @Slot(QModelIndex, int, int)
    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        for row in range(first, last + 1):
            index = self.model.index(row, Column.SYNC)
            key_id = index.data(Roles.KeyIdRole)
            if key_id is not None:
                self.tree.setIndexWidget(index, self._make_sync_button(int(key_id)))

    def _make_sync_button(self, key_id: int) -> QWidget:
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(4, 1, 6, 1)
        button = QToolButton(holder)
        button.setObjectName(f"syncButton_{key_id}")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIconSize(QSize(14, 14))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda: self._on_sync_button(key_id))
        layout.addWidget(button)
        holder.setProperty("keyId", key_id)
        self._style_sync_button(button, key_id)
        return holder

    def sync_button(self, key_id: int) -> QToolButton | None:
        """The Sync/Cancel button on a key's row."""
        index = self.model.key_index(key_id, Column.SYNC)
        holder = self.tree.indexWidget(index) if index.isValid() else None
        if holder is None:
            return None
        return holder.findChild(QToolButton, f"syncButton_{key_id}")

    def _style_sync_button(self, button: QToolButton, key_id: int) -> None:
        key = self.model.key(key_id)
        title = self.key_title(key) if key is not None else ""
        if self.controller.is_running(key_id):
            button.setText(self.tr("Cancel"))
            button.setIcon(icons.icon("stop"))
            button.setToolTip(self.tr("Stop this sync; what was fetched so far is kept"))
            button.setAccessibleName(self.tr("Cancel sync of {key}").format(key=title))
            button.setEnabled(True)
            return
        button.setText(self.tr("Sync"))
        button.setIcon(icons.icon("sync"))
        button.setAccessibleName(self.tr("Sync {key}").format(key=title))
        if key is None or not key.enabled_endpoints:
            button.setEnabled(False)
            button.setToolTip(self.tr("This key has no endpoints to sync"))
        else:
            button.setEnabled(True)
            button.setToolTip(
                self.tr("Fetch new history for this key (paused: only when you press this)")
                if key.paused
                else self.tr("Fetch new history for this key")
            )

    def _update_sync_buttons(self) -> None:
        for key in self.model.all_keys():
            button = self.sync_button(key.id)
            if button is None:  # e.g. rows inserted before the view existed
                index = self.model.key_index(key.id, Column.SYNC)
                self.tree.setIndexWidget(index, self._make_sync_button(key.id))
                button = self.sync_button(key.id)
            if button is not None:
                self._style_sync_button(button, key.id)

    # ------------------------------------------------------------------ actions state

    @Slot()
    def _update_actions(self, *_args: object) -> None:
        key_id = self.selected_key_id()
        key = self.model.key(key_id) if key_id is not None else None
        running = key is not None and self.controller.is_running(key.id)
        self.sync_selected_action.setEnabled(key is not None and bool(key.enabled_endpoints) and not running)
        self.edit_action.setEnabled(key is not None and not running and bool(key.enabled_endpoints))
        self.remove_action.setEnabled(key is not None)
        self.pause_action.setEnabled(key is not None and bool(key.enabled_endpoints))
        self.pause_action.setText(self.tr("Resume") if key is not None and key.paused else self.tr("Pause"))
        self.show_transactions_action.setEnabled(key is not None)
        self.cancel_action.setEnabled(self.controller.any_running())
        syncable = any(not k.paused and k.enabled_endpoints for k in self.model.all_keys())
        self.sync_all_action.setEnabled(syncable)
        self._update_sync_buttons()

    # ------------------------------------------------------------------ context menu & views

    @Slot(QPoint)
    def _show_context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            index = self.tree.currentIndex()
        if not index.isValid():
            menu = QMenu(self)
            menu.addAction(self.manage_keys_action)
            menu.exec(self.tree.viewport().mapToGlobal(pos))
            return
        self.tree.setCurrentIndex(index)
        key_id = index.data(Roles.KeyIdRole)
        if key_id is None:
            return
        menu = self.context_menu(int(key_id))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    @Slot()
    def open_import(self) -> None:
        open_import_dialog(self.service, self).imported.connect(self._on_key_saved)

    def import_into(self, key_id: int) -> None:
        key = self.model.key(key_id)
        dialog = open_import_dialog(
            self.service, self, exchange_id=key.exchange if key else None, account_id=key_id
        )
        dialog.imported.connect(self._on_key_saved)

    @Slot()
    def open_assistant(self) -> None:
        wizard = assistant_wizard.open_assistant(self.service, self, sync_key=self.sync_key)
        wizard.keysChanged.connect(self.refresh_keys)

    @Slot()
    def maybe_run_assistant(self) -> bool:
        return assistant_wizard.maybe_show_on_first_start(self.service, self, sync_key=self.sync_key)

    @Slot()
    def open_export(self) -> None:
        open_export_dialog(self.service, self)

    def attach_key(self, key_id: int) -> None:
        open_attach_key_dialog(self.service, key_id, self).attached.connect(self._on_key_saved)

    def context_menu(self, key_id: int) -> QMenu:
        """Sync (or Cancel), Edit, Pause/Resume, Show transactions, Remove — for one key."""
        menu = QMenu(self)
        menu.setObjectName("keyContextMenu")
        key = self.model.key(key_id)
        if key is None:
            return menu
        if is_file_only(key.host_id):
            # Only files so far: no API to sync, pause or edit until a key is attached.
            menu.addAction(self.tr("Attach API key…"), lambda: self.attach_key(key_id))
        elif self.controller.is_running(key_id):
            menu.addAction(icons.icon("stop"), self.tr("Cancel sync"), lambda: self.controller.cancel(key_id))
        else:
            sync = menu.addAction(icons.icon("sync"), self.tr("Sync"), lambda: self.sync_key(key_id))
            sync.setEnabled(bool(key.enabled_endpoints))
        if not is_file_only(key.host_id):
            edit = menu.addAction(self.tr("Edit…"), lambda: self.edit_key(key_id))
            edit.setEnabled(not self.controller.is_running(key_id) and bool(key.enabled_endpoints))
            pause = menu.addAction(
                self.tr("Resume") if key.paused else self.tr("Pause"), lambda: self.toggle_pause(key_id)
            )
            pause.setEnabled(bool(key.enabled_endpoints))
        menu.addAction(self.tr("Show transactions"), lambda: self.show_transactions(key_id))
        menu.addSeparator()
        menu.addAction(self.tr("Add transactions from a file…"), lambda: self.import_into(key_id))
        menu.addAction(
            self.tr("Reconcile with files…"), lambda: open_reconcile_dialog(self.service, key_id, self)
        )
        menu.addAction(self.tr("Coverage…"), lambda: open_coverage_dialog(self.service, key_id, self))
        menu.addSeparator()
        menu.addAction(self.tr("Remove…"), lambda: self.remove_key(key_id))
        return menu

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.SYNC:
            return
        key_id = index.data(Roles.KeyIdRole)
        if key_id is None:
            return
        if index.data(Roles.StatusRole) == EndpointStatus.FAILED and not index.data(Roles.IsKeyRole):
            self.edit_key(int(key_id))  # a failed endpoint: most fixes happen in the key dialog
        elif index.data(Roles.IsKeyRole):
            self.show_transactions(int(key_id))

    @Slot()
    def show_selected_transactions(self) -> None:
        self.show_transactions(self.selected_key_id())

    def show_transactions(self, key_id: int | None) -> None:
        self.transactions.set_key_filter(key_id)
        self._transactions_dirty = True
        self.tabs.setCurrentWidget(self.transactions_page)
        self._refresh_transactions()

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.transactions_page and self._transactions_dirty:
            self._refresh_transactions()

    def _refresh_transactions(self) -> None:
        self._transactions_dirty = False
        self.transactions.refresh()

    # ------------------------------------------------------------------ settings & about

    @Slot()
    def open_settings(self) -> None:
        dialog = SyncSettingsDialog(self.controller.auto_sync_hours(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.controller.set_auto_sync_hours(dialog.hours())

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Cryptact Desktop"),
            self.tr(
                "<b>Cryptact Desktop</b> {version}<br><br>"
                "Syncs your exchange history with read-only API keys into a database on this "
                "computer. Secrets stay in the system keyring ({backend})."
            ).format(version=__version__, backend=self.service.secrets.backend_name()),
        )

    # ------------------------------------------------------------------ closing

    @Slot()
    def quit(self) -> None:
        """Quit the app (File → Quit, tray → Quit): cancel syncs cleanly, then exit."""
        self._quitting = True
        self.save_settings()
        if self.isVisible():
            self.close()
        else:
            self._shutdown_and_quit()

    def _shutdown_and_quit(self) -> None:
        self.controller.shutdown()
        self._quit_app()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._transactions_dirty and self.tabs.currentWidget() is self.transactions_page:
            self._refresh_transactions()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        if not self._quitting and self._tray_available():
            event.ignore()
            self.hide()
            self._tray_hint()
            return
        self._quitting = True
        if self._key_dialog is not None:
            self._key_dialog.close()
        self._shutdown_and_quit()
        event.accept()
