"""The main window by keyboard alone.

* Tab and Shift+Tab move between controls everywhere: the transactions table does not keep Tab
  for moving between its cells (the arrow keys do that), so Tab leaves it.
* Ctrl+Tab / Ctrl+Shift+Tab (and Ctrl+PgDown / Ctrl+PgUp) switch between the API keys and
  Transactions tabs wherever the focus is in the window, the table included.
* Dialogs: a ``QDialogButtonBox`` makes its default button its focus proxy, and Qt's Tab then
  bounced between that button and the next one forever (Submit ↔ Cancel in the key dialog: the
  fields above were never reached again). Tab on a dialog button follows the focus chain past
  such forwarding containers, so after the last button it goes back to the first field.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QTabWidget, QWidget


class _ButtonBoxTab(QObject):
    """Application-wide: Tab on a dialog's button (in a ``QDialogButtonBox``) moves to the next
    control of the dialog by the focus chain itself, skipping containers that only forward the
    focus (the box forwards it to its default button: Qt's own Tab bounced between the buttons)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and isinstance(watched, QWidget)
            and isinstance(watched.parent(), QDialogButtonBox)
        ):
            target = next_focus(watched)
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return False


def next_focus(widget: QWidget) -> QWidget | None:
    """The next widget after ``widget`` in its window's focus chain that takes Tab focus itself."""
    window = widget.window()
    candidate = widget.nextInFocusChain()
    while candidate is not None and candidate is not widget:
        if (
            candidate.focusProxy() is None
            and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
            and candidate.isVisibleTo(window)
            and candidate.isEnabled()
            and candidate.window() is window
        ):
            return candidate
        candidate = candidate.nextInFocusChain()
    return None


_filter: _ButtonBoxTab | None = None


def install_dialog_tab_fix() -> None:
    """Once per application (idempotent)."""
    global _filter
    app = QCoreApplication.instance()
    if app is None or _filter is not None:
        return
    _filter = _ButtonBoxTab(app)
    app.installEventFilter(_filter)


def _switch(tabs: QTabWidget, views: tuple[QAbstractItemView, ...], step: int) -> None:
    """The next (or previous) tab, with the focus on its list (the tab's main control)."""
    if tabs.isVisible() and tabs.count() > 1:
        tabs.setCurrentIndex((tabs.currentIndex() + step) % tabs.count())
        page = tabs.currentWidget()
        target = next((v for v in views if page.isAncestorOf(v)), page)
        target.setFocus(Qt.FocusReason.TabFocusReason)


def install_keyboard_navigation(
    window: QWidget, tabs: QTabWidget, views: tuple[QAbstractItemView, ...]
) -> None:
    """``views``: the lists of the tabs (one per tab); Tab leaves them, Ctrl+Tab focuses them."""
    install_dialog_tab_fix()
    for view in views:
        view.setTabKeyNavigation(False)
    for keys, step in (
        ("Ctrl+Tab", 1),
        ("Ctrl+PgDown", 1),
        ("Ctrl+Shift+Tab", -1),
        ("Ctrl+Backtab", -1),
        ("Ctrl+Shift+Backtab", -1),
        ("Ctrl+PgUp", -1),
    ):
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda step=step: _switch(tabs, views, step))
