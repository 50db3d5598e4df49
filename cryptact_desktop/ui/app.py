"""Start-up of the desktop app: ``run_gui(argv)``.

Order: QApplication (names for QSettings, icon, translators) → data directory and logging →
Store (migrations, stale "syncing" flags reset) → SecretStore → AppService → main window, its
sync controller and the tray icon. ``--demo`` runs on a fresh data directory
(``<data-dir>/demo``, wiped at every start) against the built-in venue simulators, with an
in-memory keyring and one working and one broken demo key.
"""

from __future__ import annotations

import argparse
import gc
import logging
import shutil
import signal
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from cryptact_desktop import APP_NAME, __version__, i18n, redaction
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.demo_process import DemoInChildProcess
from cryptact_desktop.errors import Failure
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.paths import DataPaths, resolve_data_dir
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import StorageError, Store
from cryptact_desktop.store.faults import from_os_error
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.crash import install_crash_handler, uninstall_crash_handler
from cryptact_desktop.ui.main.window import MainWindow
from cryptact_desktop.ui.single_instance import SingleInstance, raise_window
from cryptact_desktop.ui.sync_controller import SyncController
from cryptact_desktop.ui.tray import Tray, tray_available
from cryptact_desktop.venues.registry import CUSTOM_HOST, VENUES, make_connector

log = logging.getLogger(__name__)

ORGANIZATION = "Cryptact"
DESKTOP_FILE = "cryptact-desktop"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DEMO_SPEED = 10


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options; anything else (Qt's own ``-platform``, ``-style``…) is left for Qt."""
    parser = argparse.ArgumentParser(prog="cryptact-desktop", description=APP_NAME)
    parser.add_argument("--demo", action="store_true", help="run on simulated exchange accounts")
    parser.add_argument("--data-dir", default=None, help="where the database and logs live")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_known_args(argv)


# How long a Python thread may hold the GIL before handing it over when another thread asks for
# it (CPython's default is 5 ms). The sync threads run busy Python code; with 1 ms the GUI thread
# gets the GIL back sooner. Measured during a "medium" sync with the Python item model of an
# early version: worst event-loop stall 88–154 ms at 5 ms, 67–85 ms at 1 ms. With the C++-backed
# model and gc.freeze() the difference is within noise (31–67 ms vs 28–37 ms); kept, it is cheap.
GUI_SWITCH_INTERVAL_S = 0.001


def tune_runtime() -> Callable[[], None]:
    """Make the interpreter favour the GUI thread once the app is built; returns an undo.

    * A shorter GIL switch interval (see ``GUI_SWITCH_INTERVAL_S``).
    * ``gc.freeze()``: everything that exists after start-up (Qt wrappers, modules, the window)
      moves to the permanent generation, so a full collection no longer walks it. A full
      collection holds the GIL — every thread, the GUI's included, stops — and with ~140 000
      objects it took 60–290 ms (measured during a sync); after freezing only what the sync
      allocates since is walked.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    gc.collect()
    gc.freeze()

    def undo() -> None:
        gc.unfreeze()
        sys.setswitchinterval(previous)

    return undo


def configure_application(app: QCoreApplication) -> None:
    """Names (they locate QSettings), icon and desktop integration. The palette and style stay
    the platform's, so the app follows the system's light/dark setting."""
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain("cryptact.com")
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    if isinstance(app, QApplication):
        # No applicationDisplayName: X11/Windows would append it to every window title
        # ("Cryptact Desktop — Demo - Cryptact Desktop"); our titles already name the app.
        app.setWindowIcon(icons.app_icon())
        app.setDesktopFileName(DESKTOP_FILE)


def install_translations(app: QCoreApplication, directory: Path = TRANSLATIONS_DIR) -> list[QTranslator]:
    """Qt's own strings and ours (``<directory>/cryptact_desktop_<locale>.qm``), plus the core's
    strings via :func:`cryptact_desktop.i18n.install_translator`. Missing files are fine: the
    English source texts are shown."""
    installed: list[QTranslator] = []
    locale = QLocale()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase", qt_dir), ("cryptact_desktop", str(directory))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    i18n.install_translator(
        lambda context, text: QCoreApplication.translate(context, text),
        child_setup=partial(install_core_translation, locale.name(), str(directory)),
    )
    return installed


def install_core_translation(locale_name: str, directory: str) -> None:
    """In a child process (a sync): the core's strings in the window's language, without a
    QCoreApplication — a QTranslator answers ``translate`` on its own."""
    translator = QTranslator()
    if not translator.load(QLocale(locale_name), "cryptact_desktop", "_", directory):
        return

    def translate(context: str, text: str) -> str:
        return translator.translate(context, text) or text

    i18n.install_translator(translate)


def open_services(data_dir: Path, *, demo: bool) -> tuple[Store, AppService, DataPaths]:
    """The store and the service on ``data_dir``. Raises :class:`StorageError` (with the message
    and the fix) when the data folder or the database cannot be used."""
    try:
        paths = DataPaths(data_dir).ensure()
    except OSError as exc:
        raise from_os_error(exc, DataPaths(data_dir).database) from None
    try:
        redaction.setup_logging(paths.log_file)
    except OSError:  # the folder's problem is reported when the database is opened
        redaction.setup_logging(None)
    store = Store(paths.database)
    if demo:
        # The demo venues run DEMO_SPEED times their real rate limits (per-IP ones included),
        # so a newcomer sees a full sync in seconds instead of a minute.
        factory = partial(make_connector, rate_limit_scale=DEMO_SPEED)
        service = AppService(store, SecretStore(MemoryKeyring()), connector_factory=factory)
    else:
        service = AppService(store, SecretStore())
    reset = service.recover_interrupted_syncs()
    if reset:
        log.info("reset %d endpoint(s) left 'syncing' by an earlier run", reset)
    return store, service, paths


EXIT_STORAGE = 3  # the command line's exit code for the same failures


def show_start_failure(failure: Failure) -> QMessageBox:
    """The reason the app cannot start, with its fix, in a dialog (returns once it is closed)."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, failure.message)
    box.setObjectName("startFailureBox")
    box.setInformativeText(failure.hint)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
    return box


def demo_data_dir(root: Path) -> Path:
    """``<root>/demo``, emptied: a demo never sees or touches the user's real data."""
    path = root / "demo"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(mode=0o700, parents=True)
    return path


def start_demo(service: AppService) -> list[DemoInChildProcess]:
    """Start every venue's demo simulator and add its demo keys (some deliberately broken)."""
    started: list[DemoInChildProcess] = []
    try:
        # Each simulator in its own process, as an exchange is another machine (see
        # cryptact_desktop.demo_process); they start side by side.
        with_demo = [item for item in VENUES if item.demo is not None]
        started.extend(DemoInChildProcess(item.id, DEMO_SPEED) for item in with_demo)
        for item, demo in zip(with_demo, started, strict=True):
            demo.wait_ready()
            endpoints = tuple(e.id for e in item.info.endpoints if e.default_enabled)
            for account in demo.accounts:
                credentials = Credentials.from_fields(account.credentials)
                service.add_key(
                    NewKey(
                        exchange=item.id,
                        label=account.label,
                        host_id=CUSTOM_HOST,
                        endpoints=endpoints,
                        base_url=demo.base_url,
                        key_hint=credentials.key_hint,
                    ),
                    credentials,
                )
    except BaseException:
        for demo in started:
            demo.stop()
        raise
    return started


def quit_on_signals(quit_app: Callable[[], None], parent: QObject) -> Callable[[], None]:
    """SIGTERM (a logout, ``kill``) and Ctrl-C in the terminal quit like File → Quit: running syncs
    are cancelled cleanly and keep what they fetched. Returns an undo.

    Python runs a signal handler only when the interpreter gets control; Qt's event loop is C++,
    so a timer hands it control a few times a second.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def on_signal(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, quit_app)

    for sig in previous:
        signal.signal(sig, on_signal)
    wake = QTimer(parent)
    wake.setObjectName("signalWakeTimer")
    wake.timeout.connect(lambda: None)
    wake.start(250)

    def undo() -> None:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return undo


def build_main_window(
    service: AppService,
    store: Store,
    *,
    settings: QSettings | None = None,
    demo: bool = False,
    quit_app: Callable[[], None] | None = None,
) -> MainWindow:
    """The main window with its sync controller (no tray): for ``run_gui``, tests and screenshots."""
    settings = settings if settings is not None else QSettings()
    controller = SyncController(service, settings)
    window = MainWindow(
        service, store, settings=settings, controller=controller, demo=demo, quit_app=quit_app
    )
    controller.setParent(window)
    return window


def run_gui(argv: list[str]) -> int:
    """Run the desktop app; returns the process exit code.

    ``argv`` is the command line (``sys.argv``, with or without the program name first).
    """
    args_in = list(argv)
    program = args_in.pop(0) if args_in and args_in[0] == sys.argv[0] else "cryptact-desktop"
    args, qt_args = parse_args(args_in)

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([program, *qt_args])
    configure_application(app)
    install_translations(app)

    root = resolve_data_dir(args.data_dir)
    instance = SingleInstance(app)
    if not instance.claim(root / "demo" if args.demo else root):
        return 0  # another process runs on this data directory; it was asked to show its window
    data_dir = demo_data_dir(root) if args.demo else root
    try:
        store, service, paths = open_services(data_dir, demo=args.demo)
    except StorageError as exc:
        # The database or its folder cannot be used: say what and how to fix it, change nothing.
        log.warning("storage problem at start-up: %s (%s)", exc.problem.value, exc.detail)
        show_start_failure(exc.failure)
        instance.release()
        return EXIT_STORAGE
    install_crash_handler(paths.log_file, QApplication.activeWindow)
    simulators: list[DemoInChildProcess] = []
    if args.demo:
        try:
            simulators = start_demo(service)
        except Exception:
            log.exception("could not start the demo exchange")
            store.close()
            return 1

    settings = QSettings()
    window = build_main_window(service, store, settings=settings, demo=args.demo)
    instance.raiseRequested.connect(lambda: raise_window(window))
    tray: Tray | None = None
    if tray_available():
        tray = Tray(window, settings)
        tray.show()
        app.setQuitOnLastWindowClosed(False)
    tune_runtime()

    def on_quit() -> None:
        window.controller.shutdown()
        if tray is not None:
            tray.icon.hide()
        for simulator in simulators:
            simulator.stop()
        simulators.clear()

    app.aboutToQuit.connect(on_quit)
    restore_signals = quit_on_signals(window.quit, window)
    window.show()
    if not args.demo:
        QTimer.singleShot(0, window.maybe_run_assistant)  # first start with no keys: the Assistant
    try:
        code = app.exec()
    finally:
        on_quit()
        restore_signals()
        store.close()
        i18n.install_translator(None)
        uninstall_crash_handler()
        instance.release()
    return code


def main() -> int:
    return run_gui(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
