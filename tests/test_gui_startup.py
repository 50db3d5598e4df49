"""Start-up in two steps: the window's frame is painted before the data is opened.

``run_gui`` shows the main window's frame first and opens the database, the keyring and the
service on a worker thread after the first paint (``ui.app``, ``ui.data_opener``). These tests
hold that shape: what the frame imports, what it lets the user do before the data is open, what
happens when the data cannot be opened, and a quit before it is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.main.window import MainWindow

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise|requestActivate)"),
]

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # the app's own QSettings, never the user's
        "HOME": str(tmp_path),
    }
    return subprocess.run(  # our own interpreter and code
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )


def test_the_frame_works_before_the_data_is_open_and_attach_makes_it_live(
    tmp_path: Path, qtbot: QtBot
) -> None:
    settings = QSettings(str(tmp_path / "frame.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, quit_app=lambda: None)
    qtbot.addWidget(window)
    acts = window.main_actions
    data_actions = (
        acts.add_action,
        acts.manage_keys_action,
        acts.import_file_action,
        acts.export_action,
        acts.settings_action,
        acts.sync_all_action,
        acts.sync_selected_action,
        acts.remove_action,
    )
    assert not window.is_attached
    assert window.stack.currentWidget() is window.opening_page
    assert not any(action.isEnabled() for action in data_actions)
    assert acts.quit_action.isEnabled()
    window.close()  # closing the frame alone must not need a controller

    store = Store(tmp_path / "frame.db")
    try:
        service = AppService(store, SecretStore(MemoryKeyring()))
        store.add_key(NewKey(exchange="bybit", label="main", host_id="global", endpoints=("spot",)))
        with qtbot.waitSignal(window.attached, timeout=1000):
            window.attach(service, store)
        assert window.is_attached
        assert window.stack.currentWidget() is not window.opening_page
        assert window.model.rowCount() == 1
        assert acts.add_action.isEnabled() and acts.export_action.isEnabled()
        with pytest.raises(RuntimeError):
            window.attach(service, store)
        window.controller.shutdown()
    finally:
        store.close()


FRAME_IMPORTS = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0]])
import cryptact_desktop.__main__
from cryptact_desktop.ui.app import configure_application, install_translator
from cryptact_desktop.ui.main.window import MainWindow
configure_application(app)
settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
install_translator(app, settings)
window = MainWindow(settings=settings)
window.show()
app.processEvents()
heavy = ("sqlalchemy", "alembic", "keyring", "cryptact_desktop.store", "cryptact_desktop.service",
         "cryptact_desktop.secrets", "cryptact_desktop.sync", "cryptact_desktop.venues",
         "cryptact_desktop.imports", "cryptact_desktop.cli", "PySide6.QtNetwork", "PySide6.QtSvg",
         "multiprocessing")
print(" ".join(sorted(name for name in sys.modules if name.split(".")[0] in heavy or
                   any(name == h or name.startswith(h + ".") for h in heavy))))
"""


def test_the_frame_imports_neither_the_database_nor_the_keyring(tmp_path: Path) -> None:
    done = _run(FRAME_IMPORTS, tmp_path, str(tmp_path / "frame.ini"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported before the first paint: {done.stdout}"


UNOPENABLE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
app = QApplication([sys.argv[0]])
from cryptact_desktop.ui.app import run_gui

def answer():
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    if not boxes:
        QTimer.singleShot(20, answer)
        return
    print(boxes[0].text().replace("\\n", " "), flush=True)
    boxes[0].accept()

QTimer.singleShot(0, answer)
sys.exit(run_gui(["--data-dir", sys.argv[1]]))
"""


@pytest.mark.parametrize("broken", ["folder", "database"])
def test_data_that_cannot_be_opened_is_said_and_the_app_exits_with_1(tmp_path: Path, broken: str) -> None:
    if broken == "folder":  # the data folder cannot be made (before the window is shown)
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder")
        data = blocker / "data"
    else:  # the database cannot be opened (on the worker thread, after the first paint)
        data = tmp_path / "data"
        (data / "cryptact.db").mkdir(parents=True)
    done = _run(UNOPENABLE, tmp_path, str(data))
    assert "Exception in thread" not in done.stderr  # reported to the GUI thread, not lost
    assert "Traceback" not in done.stderr
    if broken == "database":
        # A storage fault, said as the command line says it (what, and the fix), exit code 3.
        assert done.returncode == 3, done.stderr
        assert "cannot be written" in done.stdout, done.stdout
        assert "storage problem at start-up" in done.stderr  # the cause, in the log
    else:
        assert done.returncode == 1, done.stderr
        assert "Your data could not be opened." in done.stdout
        assert str(data) not in done.stdout  # the message names no path from the system's error


QUIT_AT_FIRST_PAINT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([sys.argv[0]])
from cryptact_desktop.ui.app import run_gui

windows = []

class QuitAtPaint(QObject):
    def eventFilter(self, watched, event):
        if not windows and event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            windows.append(watched)
            QTimer.singleShot(5, app.quit)  # the worker has just started opening the data
        return False

watch = QuitAtPaint()
app.installEventFilter(watch)
code = run_gui(["--data-dir", sys.argv[1]])
print("attached" if windows[0].is_attached else "not attached")
sys.exit(code)
"""


def test_quitting_before_the_data_is_open_still_closes_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = _run(QUIT_AT_FIRST_PAINT, tmp_path, str(data))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip() == "not attached"  # the user quit while the worker was opening
    assert (data / "cryptact.db").is_file()  # … which it finished, and the database was closed
    store = Store(data / "cryptact.db")  # whole and usable
    try:
        assert store.list_keys() == []
    finally:
        store.close()
