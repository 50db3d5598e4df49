"""Cold start benchmark: process start to a painted main window, against a bare PySide6 window.

Each sample is a fresh Python process (offscreen unless a display is set): either a bare
QApplication + QMainWindow, or the app's real entry point (``cryptact_desktop.__main__.main``, as
``python -m cryptact_desktop --data-dir DIR`` runs it: the CLI-or-window check, ``run_gui``, the
single-instance claim, translations, the window). The time runs from the process's own start
(``/proc/self/stat``, so interpreter start-up and imports count) to the main window's first
paint; for the app also to the moment its data is shown (``MainWindow.attached``: database,
keyring and service opened, keys listed). The app runs on an existing data directory, prepared by
one uncounted first run, and — reported apart — on a fresh one each time (database created and
migrated). Settings go to a temporary config directory; bytecode is written by the first,
uncounted run, as an installation has it. Medians of ``--runs`` samples each,
measured alternately in one run; ends with

    cold start ratio R

(first paint on an existing data directory ÷ the bare window; target: R <= 2.0).

    python bench/bench_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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

# The app's own entry point; the only addition is an application-wide event filter that notes
# the main window's first paint and, when its data is attached, quits (a QApplication made here
# is the one run_gui uses: it makes one only when there is none).
APP = (
    _COMMON
    + r"""
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
times = {}
class Watch(QObject):
    def eventFilter(self, watched, event):
        if "paint" not in times and event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            times["paint"] = since_process_start()
            watched.attached.connect(self.ready)
            if watched.is_attached:
                self.ready()
        return False
    def ready(self):
        if "ready" not in times:
            times["ready"] = since_process_start()
            app.quit()
watch = Watch()
app.installEventFilter(watch)
sys.argv = ["cryptact-desktop", "--data-dir", sys.argv[1]]
from cryptact_desktop.__main__ import main
code = main()
print(times["paint"], times["ready"], flush=True)
sys.exit(code)
"""
)


def sample(script: str, *args: str, config: str) -> list[float]:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = config  # QSettings of the app: never the user's own
    # An installed app runs from bytecode: let the uncounted first run write it (a checkout run
    # with PYTHONDONTWRITEBYTECODE would otherwise compile every module of ours in every sample).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"sample failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return [float(value) for value in done.stdout.strip().splitlines()[-1].split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bare: list[float] = []
    paint: list[float] = []
    ready: list[float] = []
    fresh_paint: list[float] = []
    fresh_ready: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "config")
        existing = os.path.join(tmp, "data")
        sample(APP, existing, config=config)  # uncounted: creates and migrates the database
        for run in range(args.runs):
            bare.append(sample(BARE, config=config)[0])
            p, r = sample(APP, existing, config=config)
            paint.append(p)
            ready.append(r)
            p, r = sample(APP, os.path.join(tmp, f"fresh{run}"), config=config)
            fresh_paint.append(p)
            fresh_ready.append(r)
    b = statistics.median(bare)

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms"

    print(f"bare PySide6 window, first paint: {ms(bare)} (median of {args.runs})")
    print(f"the app, existing data directory: first paint {ms(paint)}, data shown {ms(ready)}")
    print(f"the app, fresh data directory:    first paint {ms(fresh_paint)}, data shown {ms(fresh_ready)}")
    print(
        f"data shown / bare: existing {statistics.median(ready) / b:.2f}, "
        f"fresh {statistics.median(fresh_ready) / b:.2f}"
    )
    print(f"cold start ratio {statistics.median(paint) / b:.2f}")


if __name__ == "__main__":
    main()
