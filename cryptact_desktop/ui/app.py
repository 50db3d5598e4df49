"""Start-up of the desktop app: ``run_gui(argv)``.

The window is on screen before the database is open. Order:

1. QApplication (names for QSettings, icon, translators), the data directory's single-instance
   claim, then the main window's *frame* (menus, toolbar, "Opening your data…"), shown at once.
   Only what that first paint needs is imported by then: this module keeps SQLAlchemy, the
   keyring, the sync engine, the venues and every dialog out of its module-level imports.
2. After the first paint, :class:`~cryptact_desktop.ui.data_opener.DataOpener` runs
   :func:`open_data` on a worker thread: the rest of the imports, the data directory and
   logging, the Store (migrations, stale "syncing" flags reset), the SecretStore and the
   AppService — plain Python objects, handed to the GUI thread by a queued signal. The GUI thread
   stays responsive meanwhile; every action that needs the data is disabled.
3. On the GUI thread: the crash handler, the sync controller, :meth:`MainWindow.attach` (keys
   tree, Transactions tab, live actions), the tray, the runtime tuning, and on a first start with
   no key the Assistant.

``--demo`` runs on a fresh data directory (``<data-dir>/demo``, wiped at every start) against the
built-in venue simulators, with an in-memory keyring and one working and one broken demo key.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cryptact_desktop import APP_NAME, __version__, i18n
from cryptact_desktop.paths import DataPaths, resolve_data_dir
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.data_opener import DataOpener
from cryptact_desktop.ui.main.window import MainWindow
from cryptact_desktop.ui.single_instance import SingleInstance, raise_window
from cryptact_desktop.ui.translation import install_cli_translation, install_translator, name_the_settings

if TYPE_CHECKING:
    from cryptact_desktop.demo_process import DemoInChildProcess
    from cryptact_desktop.service import AppService
    from cryptact_desktop.store import Store
    from cryptact_desktop.ui.tray import Tray

log = logging.getLogger(__name__)

DESKTOP_FILE = "cryptact-desktop"
DEMO_SPEED = 10


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options; anything else (Qt's own ``-platform``, ``-style``…) is left for Qt."""
    if "-h" in argv or "--help" in argv:  # printed before the window loads its translation
        install_cli_translation()
    parser = argparse.ArgumentParser(prog="cryptact-desktop", description=APP_NAME)
    parser.add_argument(
        "--demo", action="store_true", help=i18n.translate("cli", "run on simulated exchange accounts")
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        metavar="DIR",
        help=i18n.translate("cli", "where the database and logs live"),
    )
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
    name_the_settings()
    app.setApplicationVersion(__version__)
    if isinstance(app, QApplication):
        # No applicationDisplayName: X11/Windows would append it to every window title
        # ("Cryptact Desktop — Demo - Cryptact Desktop"); our titles already name the app.
        app.setWindowIcon(icons.app_icon())
        app.setDesktopFileName(DESKTOP_FILE)


def open_services(data_dir: Path, *, demo: bool) -> tuple[Store, AppService, DataPaths]:
    """The data directory's store, secret store and service (any thread; blocks on disk)."""
    from cryptact_desktop import redaction
    from cryptact_desktop.memory_keyring import MemoryKeyring
    from cryptact_desktop.secrets import SecretStore
    from cryptact_desktop.service import AppService
    from cryptact_desktop.store import Store
    from cryptact_desktop.store.faults import from_os_error
    from cryptact_desktop.venues.registry import make_connector

    try:
        paths = DataPaths(data_dir).ensure()
    except OSError as exc:  # a data folder that cannot be made: a storage failure with its fix
        raise from_os_error(exc, DataPaths(data_dir).database) from None
    try:
        redaction.setup_logging(paths.log_file)
    except OSError:  # the folder's problem is reported when the database is opened
        redaction.setup_logging(None)
    store = Store(paths.database)
    try:
        if demo:
            # The demo venues run DEMO_SPEED times their real rate limits (per-IP ones included),
            # so a newcomer sees a full sync in seconds instead of a minute.
            factory = partial(make_connector, rate_limit_scale=DEMO_SPEED)
            service = AppService(store, SecretStore(MemoryKeyring()), connector_factory=factory)
        else:
            service = AppService(store, SecretStore())
        reset = service.recover_interrupted_syncs()
    except BaseException:
        store.close()
        raise
    if reset:
        log.info("reset %d endpoint(s) left 'syncing' by an earlier run", reset)
    return store, service, paths


EXIT_STORAGE = 3  # the command line's exit code for the same failures


def show_start_failure(parent: QWidget | None, message: str, hint: str) -> None:
    """Why the data cannot be opened, with its fix (a storage failure), in a dialog."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("startFailureBox")
    box.setInformativeText(hint)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


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


def demo_data_dir(root: Path) -> Path:
    """``<root>/demo``, emptied: a demo never sees or touches the user's real data."""
    import shutil

    path = root / "demo"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(mode=0o700, parents=True)
    return path


def start_demo(service: AppService) -> list[DemoInChildProcess]:
    """Start every venue's demo simulator and add its demo keys (some deliberately broken)."""
    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.demo_process import DemoInChildProcess
    from cryptact_desktop.state import NewKey
    from cryptact_desktop.ui import demo_session
    from cryptact_desktop.venues.registry import CUSTOM_HOST, VENUES

    started: list[DemoInChildProcess] = []
    try:
        # Each simulator in its own process, as an exchange is another machine (see
        # cryptact_desktop.demo_process); they start side by side.
        with_demo = [item for item in VENUES if item.demo is not None]
        started.extend(DemoInChildProcess(item.id, DEMO_SPEED) for item in with_demo)
        for item, demo in zip(with_demo, started, strict=True):
            demo.wait_ready()
            demo_session.register(item.id, demo)  # the key and import dialogs offer it
            endpoints = tuple(e.id for e in item.info.endpoints if e.default_enabled)
            for account in demo.accounts:
                credentials = Credentials.from_fields(account.credentials)
                service.add_key(
                    NewKey(
                        exchange=item.id,
                        label=i18n.translate("demo", account.label),
                        host_id=CUSTOM_HOST,
                        endpoints=endpoints,
                        base_url=demo.base_url,
                        sync_from_ms=account.sync_from_ms,
                        key_hint=credentials.key_hint,
                    ),
                    credentials,
                )
    except BaseException:
        for demo in started:
            demo.stop()
        raise
    return started


@dataclass
class OpenedData:
    """What :func:`open_data` opened: plain Python objects, safe to hand between threads."""

    store: Store
    service: AppService
    paths: DataPaths
    simulators: list[DemoInChildProcess] = field(default_factory=list)

    def close(self) -> None:
        """Stop the demo simulators and close the database (idempotent)."""
        for simulator in self.simulators:
            simulator.stop()
        self.simulators.clear()
        self.store.close()


# Imported by open_data on its worker thread, so that attaching them to the window on the GUI
# thread only builds widgets (module imports only define classes; no Qt object is made there).
_ATTACH_MODULES = (
    "cryptact_desktop.ui.background",
    "cryptact_desktop.ui.crash",
    "cryptact_desktop.ui.sync_controller",
    "cryptact_desktop.ui.keys.tree_model",
    "cryptact_desktop.ui.main.keys_page",
    "cryptact_desktop.ui.transactions.view",
    "cryptact_desktop.ui.tray",
)


def open_data(root: Path, *, demo: bool) -> OpenedData:
    """Open the data directory ``root`` (``<root>/demo``, emptied, with ``demo``): the blocking
    part of start-up, run on a worker thread after the window's first paint."""
    import importlib

    data_dir = demo_data_dir(root) if demo else root
    store, service, paths = open_services(data_dir, demo=demo)
    opened = OpenedData(store, service, paths)
    try:
        if demo:
            opened.simulators = start_demo(service)
        for name in _ATTACH_MODULES:
            importlib.import_module(name)
    except BaseException:
        opened.close()
        raise
    return opened


def attach_services(
    window: MainWindow, service: AppService, store: Store, settings: QSettings | None = None
) -> MainWindow:
    """Give ``window`` its data: a sync controller for ``service`` and the store's keys."""
    from cryptact_desktop.ui.sync_controller import SyncController

    controller = SyncController(service, settings if settings is not None else window.settings)
    window.attach(service, store, controller)
    return window


def build_main_window(
    service: AppService,
    store: Store,
    *,
    settings: QSettings | None = None,
    demo: bool = False,
    quit_app: Callable[[], None] | None = None,
) -> MainWindow:
    """The main window with its sync controller (no tray): for tests, screenshots and the
    self-check — ``run_gui`` builds the same in two steps around the first paint."""
    settings = settings if settings is not None else QSettings()
    window = MainWindow(settings=settings, demo=demo, quit_app=quit_app)
    return attach_services(window, service, store, settings)


def say_data_cannot_be_opened(parent: QWidget | None, *, demo: bool = False) -> None:
    """The start-up failure message: the data folder or its database cannot be opened (or, for
    the demo, its simulated exchanges could not be started)."""
    translate = QCoreApplication.translate
    if demo:
        text = translate(
            "MainWindow",
            "The demo could not be started.\n\n"
            "Check that the data folder is on a disk with free space that you may write to, then "
            "start the demo again. If it still fails, the log file says what went wrong.",
        )
    else:
        text = translate(
            "MainWindow",
            "Your data could not be opened.\n\n"
            "Check that the data folder is on a disk with free space that you may write to, "
            "and that no other program holds its database open; then start Cryptact Desktop "
            "again.",
        )
    QMessageBox.critical(parent, translate("MainWindow", "Cryptact Desktop cannot start"), text)


class _Session(QObject):
    """What ``run_gui`` opens after the first paint, and how it is all closed again (GUI thread)."""

    def __init__(self, app: QApplication, window: MainWindow, settings: QSettings, *, demo: bool) -> None:
        super().__init__()
        self.app = app
        self.window = window
        self.settings = settings
        self.demo = demo
        self.opened: OpenedData | None = None
        self.tray: Tray | None = None
        self.failed = False
        self.exit_code = 1  # when it failed
        self._closed = False

    @Slot(object)
    def on_opened(self, opened: object) -> None:
        """The worker thread opened the data: attach it to the window (GUI thread)."""
        from cryptact_desktop.ui.crash import install_crash_handler, record_native_crashes
        from cryptact_desktop.ui.tray import Tray, tray_available

        assert isinstance(opened, OpenedData)
        if self._closed:  # quitting already: nobody will use it
            opened.close()
            return
        self.opened = opened
        install_crash_handler(opened.paths.log_file, QApplication.activeWindow)
        record_native_crashes(opened.paths.log_file)
        window = attach_services(self.window, opened.service, opened.store, self.settings)
        if tray_available():
            self.tray = Tray(window, self.settings)
            self.tray.show()
            self.app.setQuitOnLastWindowClosed(False)
        tune_runtime()
        if not self.demo:
            QTimer.singleShot(0, window.maybe_run_assistant)  # first start with no keys: the Assistant

    @Slot(object)
    def on_failed(self, error: object) -> None:
        """The data could not be opened: say so (a storage fault with its fix), then quit with a
        failure code."""
        from cryptact_desktop.store import StorageError

        self.failed = True
        if isinstance(error, StorageError):  # the database or its folder: what and how to fix it
            log.warning("storage problem at start-up: %s (%s)", error.problem.value, error.detail)
            self.exit_code = EXIT_STORAGE
            show_start_failure(self.window, error.failure.message, error.failure.hint)
        else:
            if isinstance(error, BaseException):
                log.error("could not open the data directory", exc_info=error)
            say_data_cannot_be_opened(self.window, demo=self.demo)
        self.app.exit(self.exit_code)

    def close(self, opener: DataOpener) -> None:
        """Stop syncs, tray and simulators and close the database, whatever state start-up
        reached (called on quit and again after the event loop; idempotent)."""
        if self.opened is not None and self.window.is_attached:
            self.window.controller.shutdown()
        if self.tray is not None:
            self.tray.icon.hide()
        if self._closed:
            return
        self._closed = True
        late = opener.wait()  # the worker may still be opening (the user quit at once)
        if self.opened is None and isinstance(late, OpenedData):
            self.opened = late
        if self.opened is not None:
            self.opened.close()
        if self.demo:
            from cryptact_desktop.ui import demo_session

            demo_session.clear()


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
    install_translator(app, QSettings())  # the user's language (Settings, else the system's)

    try:
        root = resolve_data_dir(args.data_dir)
    except OSError as exc:
        log.error("could not make the data directory: %s", type(exc).__name__)
        say_data_cannot_be_opened(None)
        return 1
    instance = SingleInstance(app)
    # Listening for later launches needs QtNetwork: it starts after the first paint (below).
    if not instance.claim(root / "demo" if args.demo else root, listen=False):
        return 0  # another process runs on this data directory; it was asked to show its window

    settings = QSettings()
    window = MainWindow(settings=settings, demo=args.demo)
    instance.raiseRequested.connect(lambda: raise_window(window))
    session = _Session(app, window, settings, demo=args.demo)
    opener = DataOpener(partial(open_data, root, demo=args.demo))
    opener.opened.connect(session.on_opened)
    opener.failed.connect(session.on_failed)
    opener.painted.connect(instance.listen)
    opener.start_after_first_paint(window)
    app.aboutToQuit.connect(lambda: session.close(opener))
    restore_signals = quit_on_signals(window.quit, window)
    window.show()
    try:
        code = app.exec()
    finally:
        restore_signals()
        session.close(opener)
        i18n.install_translator(None)
        if "cryptact_desktop.ui.crash" in sys.modules:
            from cryptact_desktop.ui.crash import uninstall_crash_handler

            uninstall_crash_handler()
        instance.release()
    return session.exit_code if session.failed else code


def main() -> int:
    return run_gui(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
