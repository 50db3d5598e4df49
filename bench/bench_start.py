"""Cold start benchmark: process start to a painted main window, against a bare PySide6 window.

Each sample is a fresh Python process (offscreen unless a display is set): either a bare
QApplication + QMainWindow, or the app's own start-up path (data directory, database, keyring,
main window with its key list) as ``run_gui`` does it. The time runs from the process's own start
(``/proc/self/stat``, so interpreter start-up and imports count) to the window's first paint.
Medians of ``--runs`` samples each, measured alternately in one run; ends with

    cold start ratio R

(target: R <= 2.0).

    python bench/bench_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

_COMMON = r"""
import os, time
def since_process_start():
    with open("/proc/self/stat") as f:
        started = int(f.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - started
"""

BARE = (
    _COMMON
    + r"""
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(960, 640)
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(since_process_start(), flush=True)
            app.exit(0)
        return False
watcher = Painted()
window.installEventFilter(watcher)
window.show()
app.exec()
"""
)

APP = (
    _COMMON
    + r"""
import sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication
from cryptact_desktop.ui.app import build_main_window, configure_application, open_services
app = QApplication([])
configure_application(app)
store, service, paths = open_services(Path(sys.argv[1]), demo=False)
settings = QSettings(str(Path(sys.argv[1]) / "settings.ini"), QSettings.Format.IniFormat)
window = build_main_window(service, store, settings=settings)
window.resize(960, 640)
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(since_process_start(), flush=True)
            app.exit(0)
        return False
watcher = Painted()
window.installEventFilter(watcher)
window.show()
app.exec()
window.controller.shutdown()
store.close()
"""
)


def sample(script: str, *args: str) -> float:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bare: list[float] = []
    ours: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            bare.append(sample(BARE))
            data = os.path.join(tmp, f"data{run}")
            os.makedirs(data)
            ours.append(sample(APP, data))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare PySide6 window: {b * 1000:.0f} ms; the app's main window: {o * 1000:.0f} ms (medians)")
    print(f"cold start ratio {o / b:.2f}")


if __name__ == "__main__":
    main()
