"""Issue 13.1: a missing X11 library is named with its install command, never a core dump."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cryptact_desktop import qt_platform_check as check

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin is Linux only")


def _real_plugin() -> Path:
    plugin = check.find_xcb_plugin({})
    assert plugin is not None, "PySide6 ships libqxcb.so on Linux"
    return plugin


def test_report_agrees_with_the_dynamic_loader() -> None:
    plugin = _real_plugin()
    missing = check.missing_libraries(plugin)
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:  # this machine lacks some: the report names the one the loader hit
        assert missing
        assert any(name in str(exc) for name in missing)
    else:
        assert missing == []


def test_a_plugin_whose_libraries_cannot_be_found_is_reported(tmp_path: Path) -> None:
    # Copied out of PySide6, the plugin's $ORIGIN-relative path to Qt's own XcbQpa library breaks.
    folder = tmp_path / "platforms"
    folder.mkdir()
    shutil.copy(_real_plugin(), folder / check.XCB_PLUGIN)
    env = {"QT_QPA_PLATFORM_PLUGIN_PATH": str(folder), "QT_QPA_PLATFORM": "xcb"}
    assert check.find_xcb_plugin(env) == folder / check.XCB_PLUGIN
    assert "libQt6XcbQpa.so.6" in check.missing_libraries(folder / check.XCB_PLUGIN)
    message = check.check([], env)
    assert message is not None and "libQt6XcbQpa.so.6" in message


def test_install_command_names_the_debian_packages() -> None:
    command = check.install_command(
        ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0"]
    )
    assert command == "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0"
    assert check.install_command(["libQt6XcbQpa.so.6"]) == ""


def test_only_xcb_is_checked() -> None:
    assert check.uses_xcb([], {"QT_QPA_PLATFORM": "offscreen"}) is False
    assert check.uses_xcb(["-platform", "offscreen"], {}) is False
    assert check.uses_xcb([], {"QT_QPA_PLATFORM": "xcb"}) is True
    assert check.uses_xcb([], {"WAYLAND_DISPLAY": "wayland-0"}) is False
    assert check.uses_xcb([], {"DISPLAY": ":0"}) is True
    assert check.check([], {"QT_QPA_PLATFORM": "offscreen"}) is None


def test_the_app_exits_with_the_message_instead_of_aborting(tmp_path: Path) -> None:
    folder = tmp_path / "platforms"
    folder.mkdir()
    shutil.copy(_real_plugin(), folder / check.XCB_PLUGIN)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(folder),
        "DISPLAY": ":99",
        "CRYPTACT_DESKTOP_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "cryptact_desktop"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1  # not -6 (SIGABRT) and no core dump
    assert "libQt6XcbQpa.so.6" in result.stderr
    assert "cryptact-desktop --help" in result.stderr
