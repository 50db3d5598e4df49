"""What the user sees while quitting waits for running syncs to stop.

Stopping a sync finishes the requests in flight (up to a few seconds against a slow exchange);
without a word the window just froze. The notice is painted before the wait starts (the wait
blocks the event loop) and closed after it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget


class QuitNotice(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("quitNotice")
        self.setText(self.tr("Stopping the sync before quitting… what was fetched so far is kept."))
        self.setWordWrap(True)
        self.setMargin(16)
        self.setFrameShape(QLabel.Shape.Box)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(360)


def show_quit_notice(window: QMainWindow) -> QuitNotice:
    """Show the notice (and a busy cursor) over ``window`` and paint it now."""
    notice = QuitNotice(window)
    notice.adjustSize()
    if window.isVisible():
        centre = window.frameGeometry().center()
        notice.move(centre.x() - notice.width() // 2, centre.y() - notice.height() // 2)
        window.statusBar().showMessage(notice.text())
    notice.show()
    notice.raise_()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    notice.repaint()
    return notice


def close_quit_notice(notice: QuitNotice) -> None:
    QGuiApplication.restoreOverrideCursor()
    notice.close()
    notice.deleteLater()
