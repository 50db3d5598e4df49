"""``python -m cryptact_desktop`` / ``cryptact-desktop``: the window, or the CLI when a command is given.

``cryptact-desktop sync`` (optionally after ``--data-dir DIR`` / ``--json``) and
``cryptact-desktop --help`` run the headless CLI; ``--self-check`` checks the installation (see
:mod:`cryptact_desktop.ui.self_check`; it works on a display-less machine too); anything else
starts the GUI with the same arguments.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

EXIT_CANCELLED = 4  # as cryptact_desktop.cli.EXIT_CANCELLED (not imported: it loads the whole CLI)


def _say(text: str) -> None:
    stream = sys.stderr
    if stream is not None:  # None under pythonw / a windowed bundle
        stream.write(text + "\n")


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM cancels like Ctrl-C: a sync winds down and keeps what it has


def _catch_sigterm() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)


def _cancelled() -> int:
    from cryptact_desktop.i18n import translate

    _say(translate("cli", "Cancelled."))
    return EXIT_CANCELLED


def _cli_language() -> None:
    """The command line in the window's language (see ``install_cli_translation``). Qt ships
    with the app; should it fail to load, the command line stays in English.

    Called once the command line's own modules are loaded: Qt's bindings hook every later
    import (loaded first, Qt delayed the command line's start by 0.17 s; loaded last, by 0.06 s).
    Ctrl-C or SIGTERM while Qt loads is held until it has loaded, then cancels as anywhere else:
    interrupted inside Qt's own start-up code, the process died with Qt's traceback."""
    held: list[int] = []
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda signum, _frame: held.append(signum))
    try:
        from cryptact_desktop.ui.translation import install_cli_translation

        install_cli_translation()
    except (ImportError, OSError, RuntimeError) as exc:
        import logging

        logging.getLogger(__name__).warning("the command line stays in English: %s", exc)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if held:
        raise KeyboardInterrupt


def cli_main() -> int:
    """``cryptact-desktop-cli``: the command line. Ctrl-C or SIGTERM at any moment — even while
    the program is still loading — cancels cleanly (exit code 4), never with a traceback."""
    _catch_sigterm()
    try:
        from cryptact_desktop import cli

        _cli_language()
        return cli.main(sys.argv[1:])
    except KeyboardInterrupt:
        return _cancelled()


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def self_check(argv: list[str]) -> int:
    """``--self-check``: offscreen when there is no display (a CI runner, an SSH session)."""
    if not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cryptact_desktop.qt_platform_check import ensure_qt_platform

    if (code := ensure_qt_platform(argv)) is not None:
        return code
    try:
        if TYPE_CHECKING:
            run_self_check: Callable[[list[str]], int]
        else:
            from cryptact_desktop.ui.self_check import run_self_check
    except ImportError as exc:
        _say(f"FAIL qt: {exc}")
        return 1
    return int(run_self_check(argv))


def main() -> int:
    # A bundled app starts its sync processes (see cryptact_desktop.sync_process) from its own
    # executable: this turns such a start into the child's work instead of a second window. Only
    # a bundle needs it; elsewhere the import would only delay the window's first paint.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    argv = sys.argv[1:]
    if "--self-check" in argv:
        return self_check(argv)
    _catch_sigterm()
    try:
        from cryptact_desktop.invocation import is_cli_invocation

        if is_cli_invocation(argv):
            from cryptact_desktop import cli

            _cli_language()
            return cli.main(argv)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM while loading or running a command
        return _cancelled()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the window handles its own shutdown
    from cryptact_desktop.qt_platform_check import ensure_qt_platform

    if (code := ensure_qt_platform(argv)) is not None:  # missing X11 libraries: say which, no core dump
        return code
    try:
        if TYPE_CHECKING:  # the GUI package is type-checked on its own; do not follow it from here
            run_gui: Callable[[list[str]], int]
        else:  # a plain import statement, so that PyInstaller bundles the GUI
            from cryptact_desktop.ui.app import run_gui
    except ImportError as exc:
        from cryptact_desktop.i18n import translate

        _say(
            translate("cli", "The graphical interface cannot start: {reason}").format(reason=exc)
            + "\n"
            + translate("cli", "The command line still works: cryptact-desktop --help")
        )
        return 1
    return int(run_gui(argv))


if __name__ == "__main__":
    raise SystemExit(main())
