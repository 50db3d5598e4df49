"""The main window's actions — the "+" menu, Sync all, Cancel, the per-key actions, Settings,
Quit, About — as one table, the menus and toolbar they appear in, and when each is enabled.

The texts stay in the "MainWindow" translation context (explicit ``translate`` calls, so
``pyside6-lupdate`` finds them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton

from cryptact_desktop.ui import icons

if TYPE_CHECKING:
    from cryptact_desktop.state import KeyConfig
    from cryptact_desktop.ui.main.key_commands import KeyCommands
    from cryptact_desktop.ui.main.window import MainWindow

translate = QCoreApplication.translate
Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    attribute: str  # the MainActions attribute holding it
    text: str
    slot: Callable[[], object]
    shortcut: Shortcut = None
    icon: str = ""
    tip: str = ""
    name: str = ""  # object name (the self-check looks some up)
    role: QAction.MenuRole | None = None


@dataclass(frozen=True, slots=True)
class Enabled:
    """Which actions may be used, from the selected key and what runs."""

    sync_selected: bool
    edit: bool
    remove: bool
    pause: bool
    paused: bool  # the selected key is paused: "Pause" reads "Resume"
    show_transactions: bool
    cancel: bool
    sync_all: bool


def enabled_actions(key: KeyConfig | None, *, running: bool, any_running: bool, syncable: bool) -> Enabled:
    """``key``: the selected key; ``running``: it syncs now; ``any_running``: any key syncs;
    ``syncable``: some key is neither paused nor without endpoints."""
    has_endpoints = key is not None and bool(key.enabled_endpoints)
    return Enabled(
        sync_selected=has_endpoints and not running,
        edit=has_endpoints and not running,
        remove=key is not None,
        pause=has_endpoints,
        paused=key is not None and key.paused,
        show_transactions=key is not None,
        cancel=any_running,
        sync_all=syncable,
    )


class MainActions:
    """Every action of the main window (children of the window), its menus and its toolbar."""

    def __init__(self, window: MainWindow, commands: KeyCommands) -> None:
        self._window = window
        for spec in self._table(window, commands):
            setattr(self, spec.attribute, self._make(spec))
        self.add_menu = QMenu(translate("MainWindow", "Add"), window)
        self.add_menu.setObjectName("addMenu")
        self.add_menu.addAction(self.manage_keys_action)
        self.add_menu.addAction(self.add_wallet_action)
        self.add_menu.addAction(self.import_file_action)
        self.add_menu.addSeparator()
        self.add_menu.addAction(self.assistant_action)
        # "+" itself: opens the menu above (Ctrl+N from anywhere in the window).
        self.add_action = QAction(icons.icon("plus"), translate("MainWindow", "Add"), window)
        self.add_action.setObjectName("addAction")
        self.add_action.setMenu(self.add_menu)
        self.add_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.add_action.setToolTip(
            translate("MainWindow", "Add API keys, wallet addresses or files (Ctrl+N)")
        )
        self.add_action.triggered.connect(self.show_add_menu)
        self.add_button = QToolButton(window)

    # The attributes the table fills (for readers and type checkers).
    manage_keys_action: QAction
    add_wallet_action: QAction
    import_file_action: QAction
    transfers_action: QAction
    assistant_action: QAction
    export_action: QAction
    sync_all_action: QAction
    cancel_action: QAction
    sync_selected_action: QAction
    edit_action: QAction
    pause_action: QAction
    remove_action: QAction
    show_transactions_action: QAction
    settings_action: QAction
    quit_action: QAction
    about_action: QAction

    @staticmethod
    def _table(window: MainWindow, c: KeyCommands) -> tuple[ActionSpec, ...]:
        delete, quit_key = QKeySequence.StandardKey.Delete, QKeySequence.StandardKey.Quit
        role = QAction.MenuRole
        return (
            ActionSpec(
                "manage_keys_action",
                translate("MainWindow", "Manage your API keys…"),
                c.open_add_key,
                tip=translate("MainWindow", "Add a read-only API key of an exchange"),
                name="manageKeysAction",
            ),
            ActionSpec(
                "add_wallet_action",
                translate("MainWindow", "Add wallet address…"),
                c.open_add_wallet,
                tip=translate(
                    "MainWindow", "Read a blockchain wallet's history from its address or extended public key"
                ),
                name="addWalletAction",
            ),
            ActionSpec(
                "transfers_action",
                translate("MainWindow", "Transfers…"),
                c.open_transfers,
                tip=translate(
                    "MainWindow",
                    "Own transfers between your keys and wallets, and the outgoing transfers to classify",
                ),
                name="transfersAction",
            ),
            ActionSpec(
                "import_file_action",
                translate("MainWindow", "Add transactions from a file…"),
                c.open_import,
                tip=translate("MainWindow", "Import an exchange's downloaded history file"),
                name="importFileAction",
            ),
            ActionSpec(
                "assistant_action",
                translate("MainWindow", "Assistant…"),
                c.open_assistant,
                tip=translate(
                    "MainWindow", "Step by step: choose your exchanges, then add API keys or files"
                ),
                name="assistantAction",
            ),
            ActionSpec(
                "export_action",
                translate("MainWindow", "Export Cryptact file…"),
                c.open_export,
                "Ctrl+Shift+E",
                tip=translate("MainWindow", "Write the Cryptact custom file for upload"),
                name="exportAction",
            ),
            ActionSpec(
                "sync_all_action",
                translate("MainWindow", "Sync all"),
                c.sync_all,
                "Ctrl+Shift+R",
                "sync",
                translate("MainWindow", "Fetch new history for every key that is not paused"),
                "syncAllAction",
            ),
            ActionSpec(
                "cancel_action",
                translate("MainWindow", "Cancel"),
                c.cancel_all,
                icon="stop",
                tip=translate("MainWindow", "Stop every running sync (what was fetched so far is kept)"),
                name="cancelAction",
            ),
            ActionSpec(
                "sync_selected_action",
                translate("MainWindow", "Sync"),
                c.sync_selected,
                "Ctrl+R",
                tip=translate("MainWindow", "Sync the selected key"),
            ),
            ActionSpec(
                "edit_action",
                translate("MainWindow", "Edit…"),
                c.edit_selected,
                "Ctrl+E",
                tip=translate("MainWindow", "Edit the selected key"),
            ),
            ActionSpec("pause_action", translate("MainWindow", "Pause"), c.toggle_pause_selected),
            ActionSpec(
                "remove_action",
                translate("MainWindow", "Remove…"),
                c.remove_selected,
                delete,
                tip=translate("MainWindow", "Remove the selected key"),
            ),
            ActionSpec(
                "show_transactions_action",
                translate("MainWindow", "Show transactions"),
                c.show_selected_transactions,
            ),
            ActionSpec(
                "settings_action",
                translate("MainWindow", "Settings…"),
                window.open_settings,
                name="settingsAction",
                role=role.PreferencesRole,
            ),
            ActionSpec(
                "quit_action",
                translate("MainWindow", "Quit"),
                window.quit,
                quit_key,
                name="quitAction",
                role=role.QuitRole,
            ),
            ActionSpec(
                "about_action",
                translate("MainWindow", "About Cryptact Desktop"),
                window.show_about,
                role=role.AboutRole,
            ),
        )

    def _make(self, spec: ActionSpec) -> QAction:
        action = QAction(spec.text, self._window)
        if spec.icon:
            action.setIcon(icons.icon(spec.icon))
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
        if spec.name:
            action.setObjectName(spec.name)
        if spec.role is not None:
            action.setMenuRole(spec.role)
        action.triggered.connect(spec.slot)
        return action

    # ------------------------------------------------------------------ menus and toolbar

    def build_menus(self) -> None:
        bar = self._window.menuBar()
        file_menu = bar.addMenu(translate("MainWindow", "&File"))
        file_menu.addMenu(self.add_menu)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.transfers_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        keys_menu = bar.addMenu(translate("MainWindow", "&Keys"))
        keys_menu.addAction(self.manage_keys_action)
        keys_menu.addAction(self.add_wallet_action)
        keys_menu.addSeparator()
        for action in (self.sync_selected_action, self.sync_all_action, self.cancel_action):
            keys_menu.addAction(action)
        keys_menu.addSeparator()
        for action in (self.edit_action, self.pause_action, self.show_transactions_action):
            keys_menu.addAction(action)
        keys_menu.addSeparator()
        keys_menu.addAction(self.remove_action)
        help_menu = bar.addMenu(translate("MainWindow", "&Help"))
        help_menu.addAction(self.about_action)

    def build_toolbar(self) -> None:
        toolbar = self._window.addToolBar(translate("MainWindow", "Main"))
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button = self.add_button
        button.setObjectName("addButton")
        button.setDefaultAction(self.add_action)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        button.setAccessibleName(translate("MainWindow", "Add"))
        button.setIconSize(QSize(24, 24))
        toolbar.addWidget(button)
        toolbar.addSeparator()
        toolbar.addAction(self.sync_all_action)
        toolbar.addAction(self.cancel_action)

    def key_actions(self) -> tuple[QAction, ...]:
        """The actions on the selected key whose shortcuts work in the keys tree only."""
        return (self.sync_selected_action, self.edit_action, self.remove_action)

    def show_add_menu(self) -> None:
        """Ctrl+N (or the "+" action triggered by code): pop the "+" menu up under the button."""
        if self.add_button.isVisible():
            where = self.add_button.mapToGlobal(QPoint(0, self.add_button.height()))
        else:
            where = self._window.mapToGlobal(QPoint(8, 8))
        self.add_menu.popup(where)  # not exec(): the event loop keeps running
        self.add_menu.setActiveAction(self.manage_keys_action)

    # ------------------------------------------------------------------ enable rules

    def set_data_open(self, data_open: bool) -> None:
        """While start-up still opens the database, only Quit works; once it is open every action
        that does not depend on the selected key is enabled (:meth:`apply` handles the others)."""
        for action in (
            self.add_action,
            self.manage_keys_action,
            self.add_wallet_action,
            self.import_file_action,
            self.transfers_action,
            self.assistant_action,
            self.export_action,
            self.settings_action,
            self.about_action,
        ):
            action.setEnabled(data_open)
        if not data_open:
            self.apply(Enabled(False, False, False, False, False, False, cancel=False, sync_all=False))

    def apply(self, enabled: Enabled) -> None:
        self.sync_selected_action.setEnabled(enabled.sync_selected)
        self.edit_action.setEnabled(enabled.edit)
        self.remove_action.setEnabled(enabled.remove)
        self.pause_action.setEnabled(enabled.pause)
        self.pause_action.setText(
            translate("MainWindow", "Resume") if enabled.paused else translate("MainWindow", "Pause")
        )
        self.show_transactions_action.setEnabled(enabled.show_transactions)
        self.cancel_action.setEnabled(enabled.cancel)
        self.sync_all_action.setEnabled(enabled.sync_all)
