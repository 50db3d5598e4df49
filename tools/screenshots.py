"""Render every screen to PNG files in ``docs/screenshots/`` (English) and
``docs/screenshots/ja/`` (Japanese), offscreen, no display needed.

    python tools/screenshots.py [--language en|ja|all] [--out docs/screenshots] [--scale 1]

The Japanese shots need a font with Japanese glyphs: the script looks for one in Qt's font
database (fontconfig on Linux) and stops with the install command when there is none (Debian/
Ubuntu: ``sudo apt-get install fonts-ipafont-gothic`` or ``fonts-noto-cjk``). Windows and macOS
ship Japanese fonts.

Everything is real: a Bybit simulator on 127.0.0.1, a temporary data directory, an in-memory
keyring, the real widgets. One key syncs completely (green), one has a wrong secret (red,
expanded), one is caught mid-sync (blue, with its progress).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCREEN = {"width": 1600, "height": 1000}


def _platform(scale: float, workdir: Path) -> None:
    """A roomy virtual screen for the offscreen platform (its default is 800 × 800)."""
    config = workdir / "offscreen.json"
    screen = {"name": "shots", "x": 0, "y": 0, **SCREEN, "logicalDpi": 96, "logicalBpi": 96, "dpr": scale}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio (2 for HiDPI shots)")
    parser.add_argument("--dark", action="store_true", help="render with a dark palette (as a dark desktop)")
    parser.add_argument("--language", choices=("en", "ja", "all"), default="all")
    args = parser.parse_args(argv)
    if args.language == "all":  # one process per language: translators and locale load at start
        for language in ("en", "ja"):
            # The parsed options again ("--language all" as two words left "all" behind).
            rest = [f"--out={args.out}", f"--scale={args.scale}", *(["--dark"] if args.dark else [])]
            subprocess.run(  # noqa: S603 - this script again, for one language
                [sys.executable, __file__, *rest, f"--language={language}"], check=True
            )
        return 0
    if args.language == "ja":
        args.out = args.out / "ja"
    workdir = Path(tempfile.mkdtemp(prefix="cryptact-shots-"))
    _platform(args.scale, workdir)

    from PySide6.QtCore import QSettings, QSize, QTimer
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([sys.argv[0]])
    if args.language == "ja":
        japanese = QFontDatabase.families(QFontDatabase.WritingSystem.Japanese)
        if not japanese:
            print(  # noqa: T201
                "No font with Japanese glyphs is installed: the Japanese shots would show boxes.\n"
                "Debian/Ubuntu: sudo apt-get install fonts-ipafont-gothic (or fonts-noto-cjk)",
                file=sys.stderr,
            )
            return 1
        print(f"Japanese font: {japanese[0]}")  # noqa: T201
    if args.dark:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QColor, QPalette

        app.setStyle("Fusion")
        dark = QPalette()
        for role, colour in (
            (QPalette.ColorRole.Window, "#2b2b2b"),
            (QPalette.ColorRole.WindowText, "#e6e6e6"),
            (QPalette.ColorRole.Base, "#1f1f1f"),
            (QPalette.ColorRole.AlternateBase, "#2a2a2a"),
            (QPalette.ColorRole.Text, "#e6e6e6"),
            (QPalette.ColorRole.Button, "#353535"),
            (QPalette.ColorRole.ButtonText, "#e6e6e6"),
            (QPalette.ColorRole.Highlight, "#2f65ca"),
            (QPalette.ColorRole.HighlightedText, "#ffffff"),
            (QPalette.ColorRole.ToolTipBase, "#353535"),
            (QPalette.ColorRole.ToolTipText, "#e6e6e6"),
            (QPalette.ColorRole.PlaceholderText, "#8a8a8a"),
        ):
            dark.setColor(role, QColor(colour))
        app.setPalette(dark)
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)

    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.memory_keyring import MemoryKeyring
    from cryptact_desktop.secrets import SecretStore
    from cryptact_desktop.service import AppService
    from cryptact_desktop.state import NewKey
    from cryptact_desktop.store import Store
    from cryptact_desktop.ui.app import build_main_window, configure_application
    from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
    from cryptact_desktop.ui.main.window import DEFAULT_SIZE, MainWindow
    from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
    from cryptact_desktop.venues.registry import CUSTOM_HOST, make_connector, venue_info

    configure_application(app)
    from cryptact_desktop.ui.translation import SETTINGS_LANGUAGE, install_translator

    language_settings = QSettings(str(workdir / "language.ini"), QSettings.Format.IniFormat)
    language_settings.setValue(SETTINGS_LANGUAGE, args.language)
    install_translator(app, language_settings, cache=workdir)
    args.out.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        deadline = time.monotonic() + ms / 1000
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)

    def wait_until(condition: object, timeout_ms: int = 60_000) -> None:
        deadline = time.monotonic() + timeout_ms / 1000
        while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.01)

    def save(widget: QWidget, name: str) -> None:
        wait(150)
        path = args.out / f"{name}.png"
        widget.grab().save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")  # noqa: T201

    uid = 100001
    good = ("SHOTKEY000000001", "ShotSecret0123456789abcdefABCDEF01")
    broken = ("SHOTKEY000000002", "ShotServerSecret0123456789abcdefXY")
    fast = BybitSimulator(
        accounts=[generate_account(seed=11, size="small", uid=uid)],
        keys=[SimulatedKey(*good, uid), SimulatedKey(broken[0], broken[1], uid)],
        rate_limit_scale=100,
        ip_limit=None,
    )
    slow = BybitSimulator(
        accounts=[generate_account(seed=12, size="small", uid=uid)],
        keys=[SimulatedKey(*good, uid)],
        rate_limit_scale=100,
        latency_ms=150,
        ip_limit=None,
    )
    fast_url, slow_url = fast.start(), slow.start()

    # The window syncs in a child process, which receives the factory by reference: a module-level
    # function (a closure here failed every sync with "internal error").
    connector = partial(make_connector, rate_limit_scale=100)

    store = Store(workdir / "cryptact.db")
    service = AppService(store, SecretStore(MemoryKeyring()), connector_factory=connector)
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    window: MainWindow = build_main_window(service, store, settings=settings, quit_app=lambda: None)
    window.resize(DEFAULT_SIZE)
    window.show()

    # 1. First start: the empty state.
    save(window, "01-first-start")

    # 2. The exchange picker and the key dialog (shown, not exec'd, so the script keeps running).
    picker = VenuePickerDialog(window)
    picker.show()
    save(picker, "02-exchange-picker")
    picker.close()
    dialog = window.open_key_dialog("bybit")
    save(dialog, "03-key-dialog")
    dialog.close()

    # 3. Three keys: synced, broken, syncing.
    every = tuple(e.id for e in venue_info("bybit").endpoints if e.default_enabled)

    def add(label: str, credentials: tuple[str, str], url: str, subaccount: str = "") -> int:
        creds = Credentials(*credentials)
        new = NewKey("bybit", label, CUSTOM_HOST, every, subaccount, url, None, creds.key_hint)
        return service.add_key(new, creds).id

    # The user's own labels, as such a user would write them.
    labels = (
        ("メイン口座", "古いキー", "自動売買")
        if args.language == "ja"
        else ("Main account", "Old key", "Trading")
    )
    main_id = add(labels[0], good, fast_url)
    broken_id = add(labels[1], (broken[0], "ShotWrongSecret00000000000000000000"), fast_url)
    window.refresh_keys()
    controller = window.controller
    finished: list[int] = []
    controller.finished.connect(lambda result: finished.append(result.key_id))
    controller.sync(main_id)
    controller.sync(broken_id)
    wait_until(lambda: len(finished) == 2 and controller.thread_count() == 0)
    syncing_id = add(labels[2], good, slow_url, subaccount="bot-1")
    window.refresh_keys()
    window.select_key(main_id)
    controller.sync(syncing_id)
    window.tree.expand(window.model.key_index(syncing_id))
    wait(2500)
    save(window, "04-keys")

    # 4. The context menu of a key.
    menu = window.context_menu(main_id)
    menu.popup(
        window.tree.viewport().mapToGlobal(window.tree.visualRect(window.model.key_index(main_id)).center())
    )
    wait(200)
    save(menu, "05-context-menu")
    menu.close()
    controller.cancel(syncing_id)
    wait_until(lambda: controller.thread_count() == 0)

    # 5. The transactions tab.
    window.show_transactions(None)
    save(window, "06-transactions")

    # 6. A narrower window (how it copes with less room), the broken key selected: its reason in
    # full under the tree.
    window.tabs.setCurrentIndex(0)
    window.resize(QSize(820, 560))
    window.select_key(broken_id)
    save(window, "07-keys-narrow")
    window.resize(DEFAULT_SIZE)

    # 7. The other dialogs: export, import, settings, the Assistant.
    from cryptact_desktop.ui.assistant.wizard import AssistantWizard
    from cryptact_desktop.ui.export_dialog import ExportDialog
    from cryptact_desktop.ui.files.import_dialog import ImportDialog
    from cryptact_desktop.ui.main.settings_dialog import SyncSettingsDialog

    for name, dialog in (
        ("08-export", ExportDialog(service, window, directory=workdir)),
        ("09-import", ImportDialog(service, window, exchange_id="bybit")),
        ("10-settings", SyncSettingsDialog(0, window)),
        ("11-assistant", AssistantWizard(service, window)),
    ):
        dialog.show()
        save(dialog, name)
        dialog.close()

    controller.shutdown()
    window.close()
    QTimer.singleShot(0, app.quit)
    app.exec()
    fast.stop()
    slow.stop()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
