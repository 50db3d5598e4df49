"""The notification-area (system tray) icon, where the platform has one.

Its cloud shows the worst status of all keys (failed > syncing > never synced > up to date); its
menu offers Sync all / Open / Quit. A sync started from the tray (or by the opt-in timer) ends
with a notification, since the window is usually hidden then. With a tray, closing the window
only hides it (a one-time notification says so); without one, closing the window quits.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from cryptact_desktop.state import EndpointStatus
from cryptact_desktop.sync.engine import SyncResult
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.main.window import MainWindow

HINT_SHOWN_SETTING = "tray/closeHintShown"
_SEVERITY = (EndpointStatus.FAILED, EndpointStatus.SYNCING, EndpointStatus.NEVER, EndpointStatus.OK)
NOTIFY_ORIGINS = ("tray", "auto")


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def worst_status(statuses: list[EndpointStatus]) -> EndpointStatus | None:
    for status in _SEVERITY:
        if status in statuses:
            return status
    return None


class Tray(QObject):
    """Wraps a QSystemTrayIcon bound to the main window and its sync controller."""

    def __init__(self, window: MainWindow, settings: QSettings | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.settings = settings if settings is not None else window.settings
        self.icon = QSystemTrayIcon(icons.app_icon(), self)
        self.icon.setToolTip(self.tr("Cryptact Desktop"))
        self._batch: set[int] = set()
        self._results: list[SyncResult] = []

        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.sync_all_action = QAction(icons.icon("sync"), self.tr("Sync all"), self)
        self.sync_all_action.triggered.connect(self.sync_all)
        self.open_action = QAction(self.tr("Open Cryptact Desktop"), self)
        self.open_action.triggered.connect(self.show_window)
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.triggered.connect(window.quit)
        self.menu.addAction(self.open_action)
        self.menu.addAction(self.sync_all_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)

        window.keysChanged.connect(self.update_icon)
        self.controller.started.connect(self._on_started)
        self.controller.finished.connect(self._on_finished)
        window.set_tray_hooks(self.is_active, self.show_close_hint)
        self.update_icon()

    # ------------------------------------------------------------------ state

    def is_active(self) -> bool:
        return self.icon.isVisible() and tray_available()

    def show(self) -> None:
        self.icon.show()

    def current_status(self) -> EndpointStatus | None:
        model = self.window.model
        statuses = [s for k in model.all_keys() if (s := model.shown_status(k.id)) is not None]
        return worst_status(statuses)

    @Slot()
    def update_icon(self) -> None:
        status = self.current_status()
        self.icon.setIcon(icons.app_icon() if status is None else icons.status_icon(status))
        texts = {
            EndpointStatus.FAILED: self.tr("Cryptact Desktop — a sync failed"),
            EndpointStatus.SYNCING: self.tr("Cryptact Desktop — syncing…"),
            EndpointStatus.NEVER: self.tr("Cryptact Desktop — not synced yet"),
            EndpointStatus.OK: self.tr("Cryptact Desktop — up to date"),
        }
        self.icon.setToolTip(self.tr("Cryptact Desktop") if status is None else texts[status])
        self.sync_all_action.setEnabled(
            any(not k.paused and k.enabled_endpoints for k in self.window.model.all_keys())
        )

    # ------------------------------------------------------------------ actions

    @Slot()
    def sync_all(self) -> None:
        self.controller.sync_all(origin="tray")

    @Slot()
    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            if self.window.isVisible() and not self.window.isMinimized():
                self.window.hide()
            else:
                self.show_window()

    def show_close_hint(self) -> None:
        """Once per installation: explain that the app keeps running in the tray."""
        if self.settings.value(HINT_SHOWN_SETTING, False, type=bool):
            return
        self.settings.setValue(HINT_SHOWN_SETTING, True)
        self.notify(
            self.tr("Cryptact Desktop is still running"),
            self.tr("It stays here in the notification area. Choose Quit in this icon's menu to exit."),
        )

    def notify(
        self,
        title: str,
        message: str,
        kind: QSystemTrayIcon.MessageIcon = QSystemTrayIcon.MessageIcon.Information,
    ) -> None:
        if self.is_active() and self.icon.supportsMessages():
            self.icon.showMessage(title, message, kind, 10_000)

    # ------------------------------------------------------------------ notifications

    @Slot(int)
    def _on_started(self, key_id: int) -> None:
        if self.controller.origin(key_id) in NOTIFY_ORIGINS:
            self._batch.add(key_id)

    @Slot(object)
    def _on_finished(self, result: SyncResult) -> None:
        if result.key_id not in self._batch:
            return
        self._batch.discard(result.key_id)
        self._results.append(result)
        if self._batch:
            return
        results, self._results = self._results, []
        self.notify_results(results)

    def notify_results(self, results: list[SyncResult]) -> None:
        """One notification for a finished batch of tray/auto-started syncs."""
        failed = [r for r in results if not r.ok and not r.cancelled]
        new = sum(r.new_records for r in results)
        locale = self.window.locale()
        if failed:
            key = self.window.model.key(failed[0].key_id)
            name = self.window.key_title(key) if key is not None else ""
            reasons = [o.failure.message for o in failed[0].outcomes if o.failure is not None]
            message = self.tr("{key}: {reason}").format(key=name, reason=reasons[0] if reasons else "")
            if len(failed) > 1:
                message += "\n" + self.tr("{count} keys failed in total.").format(count=len(failed))
            self.notify(self.tr("Sync failed"), message, QSystemTrayIcon.MessageIcon.Warning)
        elif all(r.cancelled for r in results):
            return
        else:
            self.notify(
                self.tr("Sync finished"),
                self.tr("{count} new transactions.").format(count=locale.toString(new)),
            )
