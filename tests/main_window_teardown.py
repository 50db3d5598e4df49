"""How a test hands its main window to pytest-qt so that the window is shut down safely.

pytest-qt closes every window given to ``qtbot.addWidget`` and deletes it later, *before* the
test's own fixtures are torn down. A fixture that, after its ``yield``, waits for the sync
controller or the background calls runs an event loop that may carry out that deletion, and the
window it then touches is gone ("Internal C++ object (MainWindow) already deleted"). That
happened whenever a call was still running when the test ended, so it failed only now and then.
Shutting down in ``before_close_func`` does it while the window surely exists.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from cryptact_desktop.ui.background import running_background_calls
from cryptact_desktop.ui.main.window import MainWindow


def close_with_the_test(qtbot: QtBot, window: MainWindow, *, timeout_ms: int = 20_000) -> None:
    """Register ``window`` with pytest-qt; when the test ends its syncs are cancelled and every
    background call has ended before the window is closed and deleted."""

    def shut_down(closing: MainWindow) -> None:
        assert closing.controller.shutdown(timeout_ms)
        qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=timeout_ms)

    qtbot.addWidget(window, before_close_func=shut_down)
