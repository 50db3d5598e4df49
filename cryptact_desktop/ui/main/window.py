"""The main window: the frame around the API keys tree and the Transactions tab.

The frame holds the menus and toolbar (:mod:`.actions`), the keys page (:mod:`.keys_page`) or,
with no key yet, the first-start page, the Transactions tab, the status bar, the saved window
state, and quitting. What the user asks of a key is :mod:`.key_commands`' job. The window renders
what the store returns and sends intents; nothing here talks HTTP or SQL.

The window is built in two steps, so that start-up paints it before the database is open
(see :func:`cryptact_desktop.ui.app.run_gui`): ``MainWindow(settings=...)`` is the frame — menus,
toolbar, status bar and a quiet "Opening your data…" page, every action that needs the data
disabled — and :meth:`MainWindow.attach` adds the service, the store and the sync controller, the
keys tree and the Transactions tab. Only the frame's modules are imported at module level here;
what ``attach`` and the dialogs need is imported when they are built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop import __version__
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.main.actions import MainActions, enabled_actions
from cryptact_desktop.ui.main.key_commands import KeyCommands
from cryptact_desktop.ui.main.keyboard import install_keyboard_navigation
from cryptact_desktop.ui.main.quit_notice import close_quit_notice, show_quit_notice
from cryptact_desktop.ui.translation import SETTINGS_LANGUAGE

if TYPE_CHECKING:
    from cryptact_desktop.secrets import KeyringStatus
    from cryptact_desktop.service import AppService
    from cryptact_desktop.state import KeyConfig
    from cryptact_desktop.store import Store
    from cryptact_desktop.ui.keys.key_dialog import KeyDialog
    from cryptact_desktop.ui.keys.tree_model import KeyTreeModel
    from cryptact_desktop.ui.main.keys_page import KeysTree
    from cryptact_desktop.ui.sync_controller import SyncController
    from cryptact_desktop.ui.transactions.view import TransactionsView


log = logging.getLogger(__name__)

DEFAULT_SIZE = QSize(1100, 700)
SETTINGS_GEOMETRY = "mainWindow/geometry"
SETTINGS_STATE = "mainWindow/state"
SETTINGS_HEADER = "mainWindow/keysHeader"
SETTINGS_TAB = "mainWindow/tab"


class MainWindow(QMainWindow):
    """Keys, their sync state and transactions."""

    keysChanged = Signal()  # the shown keys or their statuses changed (the tray listens)
    attached = Signal()  # the data is open: keys, transactions and every action are live

    # Set by attach(); the frame alone has none of them.
    service: AppService
    store: Store
    controller: SyncController
    model: KeyTreeModel
    tree: KeysTree
    tabs: QTabWidget
    transactions: TransactionsView
    transactions_page: QScrollArea
    empty_page: QWidget
    empty_add_button: QToolButton

    def __init__(
        self,
        service: AppService | None = None,
        store: Store | None = None,
        *,
        settings: QSettings | None = None,
        controller: SyncController | None = None,
        demo: bool = False,
        quit_app: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """The frame; with ``service`` and ``store`` it is attached to them at once."""
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.demo = demo
        self._quit_app: Callable[[], None] = quit_app or QCoreApplication.quit
        self._tray_available: Callable[[], bool] = lambda: False
        self._tray_hint: Callable[[], None] = lambda: None
        self._quitting = False
        self._attached = False
        self._transactions_dirty = True

        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.app_icon())
        title = self.tr("Cryptact Desktop")
        self.setWindowTitle(self.tr("{title} — Demo").format(title=title) if demo else title)
        self.setAccessibleName(title)

        self.commands = KeyCommands(self)
        acts = self.main_actions = MainActions(self, self.commands)
        acts.build_menus()
        acts.build_toolbar()
        # The actions the tray, the self-check and the tests reach through the window.
        self.add_action, self.add_menu, self.add_button = acts.add_action, acts.add_menu, acts.add_button
        self.manage_keys_action, self.sync_all_action = acts.manage_keys_action, acts.sync_all_action
        self.cancel_action, self.remove_action = acts.cancel_action, acts.remove_action
        self.add_wallet_action, self.transfers_action = acts.add_wallet_action, acts.transfers_action
        acts.set_data_open(False)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("centralStack")
        self.opening_page = self._build_opening_page()
        self.stack.addWidget(self.opening_page)
        # Above the stack, a keyring warning when there is one (see _show_keyring_status).
        central = QWidget(self)
        central.setObjectName("centralArea")
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(0)
        self._central_layout.addWidget(self.stack)
        self.setCentralWidget(central)
        self.keyring_banner: QLabel | None = None
        self._build_status_bar()
        self._restore_geometry()
        if service is not None and store is not None:
            self.attach(service, store, controller)

    def _build_opening_page(self) -> QWidget:
        """What the window shows while start-up opens the database: one quiet line."""
        page = QWidget(self)
        page.setObjectName("openingPage")
        layout = QVBoxLayout(page)
        label = QLabel(self.tr("Opening your data…"), page)
        label.setObjectName("openingLabel")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)  # drawn in the palette's quiet (disabled) text colour
        layout.addWidget(label)
        return page

    def attach(self, service: AppService, store: Store, controller: SyncController | None = None) -> None:
        """Show the data of ``store``: the keys tree, the Transactions tab, live actions.

        ``controller`` runs the syncs (one is made for ``service`` if not given); it becomes a
        child of the window. Called once, on the GUI thread.
        """
        if self._attached:
            raise RuntimeError("the main window is already attached to a store")
        from cryptact_desktop.ui.keys.tree_model import KeyTreeModel
        from cryptact_desktop.ui.sync_controller import SyncController

        self.service = service
        self.store = store
        if controller is None:
            controller = SyncController(service, self.settings, self)
        else:
            controller.setParent(self)
        self.controller = controller
        from cryptact_desktop.ui.background import Background
        from cryptact_desktop.ui.keys.keyring_notice import keyring_status

        self.model = KeyTreeModel(self)
        self._summary_background = Background(self)
        self._build_central()
        # Which keyring holds the secrets: asked off the GUI thread (a keyring may be slow to
        # answer); an insecure one the user chose stays announced above everything.
        self._keyring_check = Background(self)
        self._keyring_check.run(lambda: keyring_status(service.secrets), self._show_keyring_status)
        self._attached = True
        self.main_actions.set_data_open(True)
        self.controller.started.connect(self.commands.on_sync_started)
        self.controller.progressBatch.connect(self.model.apply_progress_batch)
        self.controller.finished.connect(self.commands.on_sync_finished)
        self.controller.allFinished.connect(self.update_actions)
        self._restore_view_settings()
        self.refresh_keys()
        QTimer.singleShot(0, icons.warm_up)  # before a sync needs them, after the keys are shown
        self.attached.emit()

    @property
    def is_attached(self) -> bool:
        """Whether the data is open (see :meth:`attach`)."""
        return self._attached

    def _show_keyring_status(self, status: KeyringStatus) -> None:
        from cryptact_desktop.ui.keys.keyring_notice import notice_label

        banner = notice_label(status, "keyringBanner")
        if banner is None:
            return
        banner.setContentsMargins(8, 6, 8, 6)
        self._central_layout.insertWidget(0, banner)
        banner.setVisible(True)
        self.keyring_banner = banner

    # ------------------------------------------------------------------ construction

    def _build_central(self) -> None:
        from cryptact_desktop.ui.main.failure_panel import build_keys_page
        from cryptact_desktop.ui.main.keys_page import KeysTree, build_empty_page
        from cryptact_desktop.ui.transactions.view import TransactionsView

        self.empty_page, self.empty_add_button = build_empty_page(self, self.commands.open_add_key)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        acts = self.main_actions
        self.tree = KeysTree(
            self.model, self.controller, self.commands, acts.manage_keys_action, acts.key_actions(), self
        )
        self.tree.selectionModel().currentChanged.connect(self.update_actions)

        self.transactions = TransactionsView(self.store, self, keys=self.model.all_keys)
        self.transactions.setObjectName("transactionsView")
        # The filter bar is wide; on a narrow window it scrolls instead of widening the window.
        self.transactions_page = QScrollArea(self)
        self.transactions_page.setObjectName("transactionsPage")
        self.transactions_page.setWidgetResizable(True)
        self.transactions_page.setFrameShape(QFrame.Shape.NoFrame)
        self.transactions_page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.transactions_page.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.transactions_page.setWidget(self.transactions)
        self.keys_page = build_keys_page(self.tree, self.model, self)  # the tree, a failure in full
        self.failure_panel = self.keys_page.failure_panel
        self.tabs.addTab(self.keys_page, self.tr("API keys"))
        self.tabs.addTab(self.transactions_page, self.tr("Transactions"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        install_keyboard_navigation(
            self, self.tabs, (self.tree, self.transactions.table)
        )  # Tab leaves tables

        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(self.tabs)

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

    # ------------------------------------------------------------------ settings

    def _restore_geometry(self) -> None:
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(DEFAULT_SIZE)
            screen = QApplication.primaryScreen()
            if screen is not None:
                available = screen.availableGeometry()
                self.resize(DEFAULT_SIZE.boundedTo(available.size()))
                self.move(available.center() - self.rect().center())
        state = self.settings.value(SETTINGS_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def _restore_view_settings(self) -> None:
        header_state = self.settings.value(SETTINGS_HEADER)
        if isinstance(header_state, QByteArray) and not header_state.isEmpty():
            self.tree.restore_header(header_state)
        try:
            tab = int(str(self.settings.value(SETTINGS_TAB, 0)))
        except (TypeError, ValueError):
            tab = 0
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else 0)

    def save_settings(self) -> None:
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_STATE, self.saveState())
        if self._attached:
            self.settings.setValue(SETTINGS_HEADER, self.tree.header().saveState())
            self.settings.setValue(SETTINGS_TAB, self.tabs.currentIndex())
        self.settings.sync()

    def set_tray_hooks(self, available: Callable[[], bool], hint: Callable[[], None]) -> None:
        """With a tray, closing the window hides it (``hint`` shows the one-time explanation)."""
        self._tray_available = available
        self._tray_hint = hint

    # ------------------------------------------------------------------ keys shown

    def refresh_keys(self) -> None:
        """Reload every key from the store and show it."""
        self.model.set_keys(self.store.list_keys())
        self.after_keys_changed()

    def refresh_key(self, key_id: int) -> None:
        try:
            key = self.store.get_key(key_id)
        except KeyError:
            self.refresh_keys()
            return
        self.model.update_key(key)
        self.after_keys_changed()

    def after_keys_changed(self) -> None:
        has_keys = self.model.rowCount() > 0
        self.stack.setCurrentWidget(self.tabs if has_keys else self.empty_page)
        self.tree.expand_new_failures()
        self.tree.fit_name_column_soon()
        self.update_actions()
        self._update_summary()
        self._transactions_dirty = True
        if self.tabs.currentWidget() is self.transactions_page and self.isVisible():
            self._refresh_transactions()
        self.keysChanged.emit()

    def _update_summary(self) -> None:
        """The status bar's "N keys · M transactions", counted off the GUI thread (a count of a
        million rows takes a tenth of a second)."""
        keys = self.model.rowCount()
        self._summary_background.run(
            self.store.count_transactions,
            success=lambda count: self._show_summary(keys, count),
            failure=self._summary_failed,
        )

    def _summary_failed(self, error: Exception) -> None:  # a summary must never break the window
        log.error("could not count transactions: %s", type(error).__name__)

    def _show_summary(self, keys: int, count: int) -> None:
        locale = self.locale()
        self.summary_label.setText(
            self.tr("{keys} keys · {count} transactions").format(
                keys=locale.toString(keys), count=locale.toString(count)
            )
            if keys != 1
            else self.tr("1 key · {count} transactions").format(count=locale.toString(count))
        )

    @Slot()
    def update_actions(self, *_args: object) -> None:
        key_id = self.selected_key_id()
        key = self.model.key(key_id) if key_id is not None else None
        enabled = enabled_actions(
            key,
            running=key is not None and self.controller.is_running(key.id),
            any_running=self.controller.any_running(),
            syncable=any(not k.paused and k.enabled_endpoints for k in self.model.all_keys()),
        )
        self.main_actions.apply(enabled)
        self.tree.update_sync_buttons()

    # The keys page and the key commands, as the tray, the Assistant and the tests reach them.

    def selected_key_id(self) -> int | None:
        return self.tree.selected_key_id()

    def select_key(self, key_id: int) -> None:
        self.tree.select_key(key_id)

    def sync_button(self, key_id: int) -> QToolButton | None:
        return self.tree.sync_button(key_id)

    def context_menu(self, key_id: int) -> QMenu:
        return self.tree.context_menu(key_id)

    def key_title(self, key: KeyConfig) -> str:
        from cryptact_desktop.ui.keys.presenter import key_title

        return key_title(key)

    def sync_key(self, key_id: int) -> bool:
        return self.commands.sync_key(key_id)

    def sync_all(self) -> None:
        self.commands.sync_all()

    def remove_key(self, key_id: int) -> None:
        self.commands.remove_key(key_id)

    def open_key_dialog(self, exchange_id: str, key: KeyConfig | None = None) -> KeyDialog:
        return self.commands.open_key_dialog(exchange_id, key)

    @property
    def key_dialog(self) -> KeyDialog | None:
        """The key dialog currently open, if any."""
        return self.commands.key_dialog

    @Slot()
    def maybe_run_assistant(self) -> bool:
        return self.commands.maybe_run_assistant()

    # ------------------------------------------------------------------ transactions tab

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
        from cryptact_desktop.ui.main.settings_dialog import SyncSettingsDialog

        language = str(self.settings.value(SETTINGS_LANGUAGE, "") or "")
        dialog = SyncSettingsDialog(self.controller.auto_sync_hours(), self, language=language)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.controller.set_auto_sync_hours(dialog.hours())
            self.settings.setValue(SETTINGS_LANGUAGE, dialog.language())

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
        if self._attached:
            # Running syncs finish their requests in flight first: say so instead of freezing.
            notice = show_quit_notice(self) if self.controller.running_keys() else None
            self.controller.shutdown()
            if notice is not None:
                close_quit_notice(notice)
        self._quit_app()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._attached:
            return
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
        if self.commands.key_dialog is not None:
            self.commands.key_dialog.close()
        self._shutdown_and_quit()
        event.accept()
