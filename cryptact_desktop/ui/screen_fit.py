"""Tall dialogs on small screens (1366×768 laptops): a dialog never grows past the screen; its
form scrolls instead.

:class:`FittingScrollArea` asks for its whole content's height (unlike ``QScrollArea``, whose size
hint stops at ~24 lines), so a dialog sized by its layout still opens without a scroll bar when
the screen has room, and can shrink (the form then scrolls) when it has not.
:func:`screen_height_limit` is the height a dialog may take on its screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

# Room left for the window's title bar and frame, which the available geometry does not include.
WINDOW_FRAME = 48
SMALLEST_FORM = 160


def screen_height_limit(widget: QWidget) -> int:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return 10_000
    return max(SMALLEST_FORM * 2, screen.availableGeometry().height() - WINDOW_FRAME)


class FittingScrollArea(QScrollArea):
    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formScrollArea")
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields in it take the focus, not the frame

    def _extra(self) -> int:
        return 2 * self.frameWidth()

    def sizeHint(self) -> QSize:
        inner = self.widget().sizeHint()
        return QSize(inner.width() + self._extra(), inner.height() + self._extra())

    def minimumSizeHint(self) -> QSize:
        inner = self.widget().minimumSizeHint()
        return QSize(inner.width() + self._extra(), min(SMALLEST_FORM, inner.height()))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # Measured at the width left beside a vertical scroll bar: if the bar shows, the texts wrap
        # there, and a height measured at the full width would leave the last line hidden.
        content = self.widget()
        narrow = max(1, width - self._extra() - self.verticalScrollBar().sizeHint().width())
        inner = content.heightForWidth(narrow) if content.hasHeightForWidth() else -1
        return (inner if inner > 0 else content.sizeHint().height()) + self._extra()
