"""``cryptact-desktop --self-check``: prove that this installation (or frozen bundle) works.

Runs the core checks of :mod:`cryptact_desktop.self_check` and, with Qt, renders the main window
offscreen and checks its actions and icons. One line per check on stdout::

    ok   imports: 51 core modules
    WARN keyring: keyring.backends.fail.Keyring: No secure keyring is available ...
    FAIL database: ...

then a summary line. Exit code 0 when nothing failed (warnings allowed; ``--strict`` makes a
warning fail too), 1 otherwise. Everything happens in a temporary directory that is removed
afterwards; the user's database, keyring and settings are never touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

from cryptact_desktop.self_check import Check, check_sync, guarded, preflight_checks

EXPECTED_ACTIONS = (
    "addAction",
    "manageKeysAction",
    "syncAllAction",
    "cancelAction",
    "settingsAction",
    "quitAction",
)
EXPECTED_ICONS = ("app", "cloud-ok", "cloud-failed", "cloud-never", "cloud-syncing", "plus", "sync")


def process_age() -> float | None:
    """Seconds since this process started (Linux only; ``None`` elsewhere)."""
    try:
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, "starttime"
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _blank(image_colours: set[int]) -> bool:
    return len(image_colours) < 3


def _drawn(image: QImage) -> bool:
    """Whether ``image`` has at least one visible pixel (an SVG that loaded and rendered)."""
    if image.isNull():
        return False
    width, height = image.width(), image.height()
    return any(image.pixelColor(x, y).alpha() > 0 for x in range(width) for y in range(height))


def check_window(workdir: Path) -> Check:
    """Build the real main window on the self-check database and render it into an image."""
    from PySide6.QtCore import QSettings, QSize
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication

    from cryptact_desktop.memory_keyring import MemoryKeyring
    from cryptact_desktop.secrets import SecretStore
    from cryptact_desktop.service import AppService
    from cryptact_desktop.store import Store
    from cryptact_desktop.ui import icons
    from cryptact_desktop.ui.app import build_main_window

    started = time.perf_counter()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return Check("window", False, "no QApplication")
    missing_icons = [name for name in EXPECTED_ICONS if not _drawn(icons.pixmap(name, 32).toImage())]
    if missing_icons:
        return Check("window", False, f"icons missing or blank in {icons.icons_dir()}: {missing_icons}")

    store = Store(workdir / "self-check.db")
    try:
        service = AppService(store, SecretStore(MemoryKeyring()))
        settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
        window = build_main_window(service, store, settings=settings)
        try:
            window.resize(QSize(960, 640))
            window.show()
            app.processEvents()
            image = window.grab().toImage()
            missing = [name for name in EXPECTED_ACTIONS if window.findChild(QAction, name) is None]
            colours = {
                image.pixel(x, y)
                for x in range(0, image.width(), max(1, image.width() // 40))
                for y in range(0, image.height(), max(1, image.height() // 40))
            }
        finally:
            window.controller.shutdown()
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        store.close()
    if missing:
        return Check("window", False, f"main window lacks actions {missing}")
    if image.isNull() or _blank(colours):
        return Check("window", False, f"the main window rendered blank ({image.width()}×{image.height()})")
    elapsed = time.perf_counter() - started
    age = process_age()
    since_start = f", {age:.2f} s after process start" if age is not None else ""
    return Check("window", True, f"rendered {image.width()}×{image.height()} in {elapsed:.2f} s{since_start}")


def start_qt(workdir: Path, qt_args: list[str]) -> Check:
    """The QApplication (with the platform plugin, offscreen where there is no display), named
    like the app; settings of anything that uses ``QSettings()`` land in ``workdir``."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QSettings, qVersion
    from PySide6.QtWidgets import QApplication

    from cryptact_desktop.ui.app import configure_application

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(workdir))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(["cryptact-desktop", *qt_args])
    configure_application(app)
    return Check("qt", True, f"Qt {qVersion()}, PySide6 {pyside_version}, platform '{app.platformName()}'")


FALLBACK_OUTPUT = "cryptact-desktop-self-check.txt"


def _open_output() -> TextIO | None:
    """stdout; a windowed Windows build started without redirection has none, so then a file
    ``cryptact-desktop-self-check.txt`` in the temporary directory."""
    if sys.stdout is not None:
        return sys.stdout
    try:
        return (Path(tempfile.gettempdir()) / FALLBACK_OUTPUT).open("w", encoding="utf-8")
    except OSError:
        return None


def run_self_check(argv: list[str]) -> int:
    """Run every check, print one line each, return the exit code (0 = working)."""
    parser = argparse.ArgumentParser(prog="cryptact-desktop --self-check")
    parser.add_argument("--self-check", action="store_true")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--strict", action="store_true", help="treat warnings as failures")
    args, qt_args = parser.parse_known_args(argv)
    out = _open_output()

    def say(text: str) -> None:
        if out is not None:
            out.write(text + "\n")
            out.flush()

    workdir = Path(tempfile.mkdtemp(prefix="cryptact-self-check-"))
    checks: list[Check] = []

    def report(check: Check) -> None:
        checks.append(check)
        say(f"{check.label:<4} {check.name}: {check.detail}")

    try:
        for check in preflight_checks(workdir, args.data_dir):
            report(check)
        qt = guarded("qt", lambda: start_qt(workdir, qt_args))
        report(qt)
        if qt.ok:
            # The window before the sync: its line also tells how soon a window can be up.
            report(guarded("window", lambda: check_window(workdir)))
        report(guarded("sync", lambda: check_sync(workdir)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    failed = [c for c in checks if not c.ok or (args.strict and c.warning)]
    warned = [c for c in checks if c.ok and c.warning]
    if failed:
        say(f"self-check FAILED: {', '.join(c.name for c in failed)}")
        return 1
    suffix = f" with {len(warned)} warning(s)" if warned else ""
    say(f"self-check passed{suffix}")
    return 0
