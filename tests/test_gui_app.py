"""Start-up and shutdown of the whole app, the tray's logic, and the runtime guards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from main_window_teardown import close_with_the_test
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from cryptact_desktop.errors import FailureKind, describe
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import EndpointOutcome, SyncResult
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.app import build_main_window, demo_data_dir, parse_args
from cryptact_desktop.ui.keys.tree_model import Column
from cryptact_desktop.ui.main.settings_dialog import SyncSettingsDialog
from cryptact_desktop.ui.main.window import MainWindow
from cryptact_desktop.ui.translation import SETTINGS_LANGUAGE, install_translator, remove_translators
from cryptact_desktop.ui.tray import HINT_SHOWN_SETTING, Tray, worst_status
from cryptact_desktop.venues.registry import VENUES

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise|requestActivate)"),
]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    store = Store(tmp_path / "tray.db")
    service = AppService(store, SecretStore(MemoryKeyring()))
    settings = QSettings(str(tmp_path / "tray.ini"), QSettings.Format.IniFormat)
    win = build_main_window(service, store, settings=settings, quit_app=lambda: None)
    close_with_the_test(qtbot, win)
    yield win
    store.close()


def _add_key(window: MainWindow, label: str) -> int:
    key = window.service.store.add_key(
        NewKey(exchange="bybit", label=label, host_id="global", endpoints=("spot", "deposits"))
    )
    window.refresh_keys()
    return key


def test_worst_status_order() -> None:
    ok, never, failed, syncing = (
        EndpointStatus.OK,
        EndpointStatus.NEVER,
        EndpointStatus.FAILED,
        EndpointStatus.SYNCING,
    )
    assert worst_status([]) is None
    assert worst_status([ok, never]) is never
    assert worst_status([ok, syncing, never]) is syncing
    assert worst_status([syncing, failed, ok]) is failed


def test_tray_icon_menu_and_notifications(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    tray = Tray(window)  # not shown: offscreen has no notification area
    assert [a.text() for a in tray.menu.actions() if not a.isSeparator()] == [
        "Open Cryptact Desktop",
        "Sync all",
        "Quit",
    ]
    assert not tray.sync_all_action.isEnabled()  # no keys yet
    key_id = _add_key(window, "Main")
    assert tray.current_status() is EndpointStatus.NEVER
    assert tray.icon.icon().cacheKey() == icons.status_icon(EndpointStatus.NEVER).cacheKey()
    assert tray.sync_all_action.isEnabled()

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(tray, "notify", lambda title, message, kind=None: shown.append((title, message)))
    failure = describe(FailureKind.SIGNATURE, exchange="Bybit")
    failed = SyncResult(
        key_id, 1, (EndpointOutcome("spot", EndpointStatus.FAILED, 0, 0, failure, None),), False
    )
    tray.notify_results([failed])
    assert shown == [("Sync failed", "Bybit · Main: The secret key does not match the API key")]
    fine = SyncResult(key_id, 2, (EndpointOutcome("spot", EndpointStatus.OK, 1234, 0, None, None),), False)
    tray.notify_results([fine])
    assert shown[-1] == ("Sync finished", f"{QLocale().toString(1234)} new transactions.")
    cancelled = SyncResult(key_id, 3, (), True)
    tray.notify_results([cancelled])
    assert len(shown) == 2  # a cancelled sync is no news


def test_close_hint_is_shown_once(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    tray = Tray(window)
    shown: list[str] = []
    monkeypatch.setattr(tray, "notify", lambda title, message, kind=None: shown.append(title))
    tray.show_close_hint()
    tray.show_close_hint()
    assert shown == ["Cryptact Desktop is still running"]
    assert window.settings.value(HINT_SHOWN_SETTING, False, type=bool)


def test_closing_hides_to_the_tray_when_there_is_one(window: MainWindow, qtbot: QtBot) -> None:
    quits: list[int] = []
    window = build_main_window(
        window.service, window.store, settings=window.settings, quit_app=lambda: quits.append(1)
    )
    qtbot.addWidget(window)
    hints: list[int] = []
    window.set_tray_hooks(lambda: True, lambda: hints.append(1))
    window.show()
    qtbot.waitExposed(window)
    window.close()
    assert not window.isVisible() and quits == [] and hints == [1]
    window.quit()  # the tray's (and File menu's) Quit really quits
    assert quits == [1]


def test_icons_exist_and_render(qapp: QApplication) -> None:  # a pixmap needs the application
    for name in ("app", "cloud-ok", "cloud-failed", "cloud-never", "cloud-syncing", "plus", "sync", "stop"):
        icon = icons.icon(name)
        assert isinstance(icon, QIcon) and not icon.isNull(), name
        assert not icon.pixmap(16, 16).isNull()
    badge = icons.exchange_badge("bybit").pixmap(16, 16).toImage()
    assert badge.pixelColor(8, 2).name().upper() in ("#F7A600", "#F6A500", "#F7A500")  # Bybit's colour
    frames = {icons.sync_frame(i).cacheKey() for i in range(icons.SYNC_FRAMES)}
    assert len(frames) == icons.SYNC_FRAMES
    assert QSystemTrayIcon.isSystemTrayAvailable() in (True, False)


def test_a_badge_symbol_the_fonts_lack_is_drawn_as_letters(qapp: object) -> None:
    """A monogram such as "₿" on a computer whose fonts have no glyph for it shows the venue's
    first letters, not an empty box."""
    from PySide6.QtGui import QFont, QFontMetrics

    font = QFont()
    font.setBold(True)
    font.setPixelSize(18)
    missing = next(
        (c for c in ("\ue000", "\U000f0000", "\u0378") if not QFontMetrics(font).inFontUcs4(ord(c))), None
    )
    if missing is None:
        pytest.skip("every font here has a glyph even for unassigned characters")
    with_fallback = icons.draw_badge(32, missing, "#F7931A", "Bi").toImage()
    letters = icons.draw_badge(32, "Bi", "#F7931A").toImage()
    assert with_fallback == letters
    assert icons.draw_badge(32, "B", "#F7931A", "Bi").toImage() != letters  # a glyph it has stays


def test_parse_args_and_demo_dir(tmp_path: Path) -> None:
    args, rest = parse_args(["--demo", "--data-dir", str(tmp_path), "-style", "fusion"])
    assert args.demo and args.data_dir == str(tmp_path) and rest == ["-style", "fusion"]
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "old.db").write_text("x")
    (tmp_path / "real.db").write_text("keep")
    demo = demo_data_dir(tmp_path)
    assert demo == tmp_path / "demo" and list(demo.iterdir()) == []
    assert (tmp_path / "real.db").read_text() == "keep"


QUIT_DURING_SYNC = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication([sys.argv[0], "-platform", "offscreen"])
    from cryptact_desktop.ui.app import run_gui
    from cryptact_desktop.ui.main.window import MainWindow

    def start_syncs():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].is_attached:  # the data opens after the first paint
            QTimer.singleShot(20, start_syncs)
            return
        window = windows[0]
        window.sync_all()
        assert window.controller.any_running()
        QTimer.singleShot(700, app.quit)  # quit while the demo key is still syncing

    QTimer.singleShot(0, start_syncs)
    sys.exit(run_gui(["--demo", "--data-dir", sys.argv[1]]))
    """
)


def test_demo_app_quits_cleanly_during_a_sync(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}  # own QSettings
    done = subprocess.run(  # our own interpreter and code
        [sys.executable, "-c", QUIT_DURING_SYNC, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "QThread: Destroyed" not in done.stderr
    assert "Traceback" not in done.stderr
    assert list((tmp_path / "config").rglob("*.conf")), (
        "window state was saved (in the test's own config dir)"
    )
    store = Store(tmp_path / "demo" / "cryptact.db")
    try:
        keys = store.list_keys()
        assert keys and {k.host_id for k in keys} == {"custom"}
        assert {k.exchange for k in keys} == {item.id for item in VENUES if item.demo is not None}
        assert all(k.status is not EndpointStatus.SYNCING for k in keys)  # cancelled cleanly
    finally:
        store.close()


SIGNAL_DURING_SYNC = textwrap.dedent(
    """
    import os, signal, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication([sys.argv[0], "-platform", "offscreen"])
    from cryptact_desktop.ui.app import run_gui
    from cryptact_desktop.ui.main.window import MainWindow

    def start_syncs():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].is_attached:  # the data opens after the first paint
            QTimer.singleShot(20, start_syncs)
            return
        window = windows[0]
        window.sync_all()
        assert window.controller.any_running()
        # What a logout or `kill` sends while the demo keys are still syncing.
        # Sent to the whole process group, as a terminal's Ctrl-C is: the sync processes get it too.
        QTimer.singleShot(700, lambda: os.killpg(os.getpgid(0), getattr(signal, sys.argv[2])))

    QTimer.singleShot(0, start_syncs)
    sys.exit(run_gui(["--demo", "--data-dir", sys.argv[1]]))
    """
)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_signal_quits_the_app_like_file_quit(tmp_path: Path, sig: str) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    done = subprocess.run(  # our own interpreter and code
        [sys.executable, "-c", SIGNAL_DURING_SYNC, str(tmp_path), sig],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: the signal reaches only the app
    )
    assert done.returncode == 0, done.stderr  # quit by the app, not killed by the signal
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert list((tmp_path / "config").rglob("*.conf")), "window state was saved"
    store = Store(tmp_path / "demo" / "cryptact.db")
    try:
        keys = store.list_keys()
        assert keys and all(k.status is not EndpointStatus.SYNCING for k in keys)  # cancelled cleanly
    finally:
        store.close()


JA_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context><name>MainWindow</name>
  <message><source>Sync all</source><translation>すべて同期</translation></message>
</context>
<context><name>KeyTreeModel</name>
  <message><source>Not synced yet</source><translation>未同期</translation></message>
</context>
<context><name>errors</name>
  <message><source>The secret key does not match the API key</source>
    <translation>シークレットキーがAPIキーと一致しません</translation></message>
</context>
</TS>
"""


def test_a_translation_file_translates_widgets_and_core_messages(
    tmp_path: Path, qapp: QApplication, window: MainWindow
) -> None:
    # PySide6-Essentials ships Qt's lrelease next to the interpreter (the README's command does
    # not put .venv/bin on PATH).
    beside_python = Path(sys.executable).parent / "pyside6-lrelease"
    lrelease = str(beside_python) if beside_python.exists() else shutil.which("pyside6-lrelease")
    assert lrelease is not None, "pyside6-lrelease comes with PySide6-Essentials"
    (tmp_path / "cryptact_desktop_ja.ts").write_text(JA_TS, encoding="utf-8")
    subprocess.run(  # Qt's own tool on our file
        [lrelease, str(tmp_path / "cryptact_desktop_ja.ts"), "-qm", str(tmp_path / "cryptact_desktop_ja.qm")],
        check=True,
        capture_output=True,
    )
    chosen = QSettings(str(tmp_path / "ja.ini"), QSettings.Format.IniFormat)
    chosen.setValue(SETTINGS_LANGUAGE, "ja")
    installed = install_translator(qapp, chosen, tmp_path, cache=tmp_path / "cache")
    try:
        assert installed, "the Japanese .qm file was loaded"
        translated = build_main_window(
            window.service, window.store, settings=window.settings, quit_app=lambda: None
        )
        try:
            assert translated.sync_all_action.text() == "すべて同期"
            key_id = _add_key(translated, "Main")
            assert translated.model.key_index(key_id, Column.STATUS).data() == "未同期"
            message = describe(FailureKind.SIGNATURE, exchange="Bybit").message
            assert message == "シークレットキーがAPIキーと一致しません"
        finally:
            translated.controller.shutdown()
            translated.close()
            translated.deleteLater()
    finally:
        remove_translators(qapp, installed)
        QLocale.setDefault(QLocale.system())


def test_a_crashing_sync_still_reports_a_failed_result(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    key_id = _add_key(window, "Main")

    def explode(*_args: object, **_kwargs: object) -> SyncResult:
        raise RuntimeError("boom")

    monkeypatch.setattr(window.service, "sync_key", explode)
    with qtbot.waitSignal(window.controller.finished, timeout=10_000) as blocker:
        assert window.controller.sync(key_id)
    result = blocker.args[0]
    assert isinstance(result, SyncResult) and not result.ok and not result.cancelled
    assert {o.endpoint for o in result.outcomes} == {"spot", "deposits"}
    assert all(
        o.failure is not None and o.failure.kind is FailureKind.UNEXPECTED_RESPONSE for o in result.outcomes
    )
    assert "sync of key" in caplog.text
    qtbot.waitUntil(lambda: window.controller.thread_count() == 0)
    assert window.model.shown_status(key_id) is not EndpointStatus.SYNCING


def test_settings_dialog_turns_auto_sync_on_and_off(qtbot: QtBot) -> None:
    dialog = SyncSettingsDialog(0)
    qtbot.addWidget(dialog)
    assert not dialog.auto_check.isChecked() and not dialog.hours_spin.isEnabled()
    assert dialog.hours() == 0
    dialog.auto_check.setChecked(True)
    assert dialog.hours_spin.isEnabled()
    dialog.hours_spin.setValue(12)
    assert dialog.hours() == 12
    assert SyncSettingsDialog(3).hours() == 3
