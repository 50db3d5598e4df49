"""Before Qt starts on Linux: can its X11 (xcb) platform plugin load?

When a system library the xcb plugin links to is missing (``libxcb-cursor0`` & co. on a fresh
Debian/Ubuntu), Qt prints a cryptic line and aborts with a core dump. This module looks first: it
lists the plugin's unresolved libraries (``ldd``; ``ctypes`` when ``ldd`` is absent), maps them to
the Debian/Ubuntu packages that carry them and returns a message with the install command. It
imports no Qt module (only finds where PySide6 keeps its plugins), so it runs before anything can
abort.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from cryptact_desktop.i18n import translate

XCB_PLUGIN = "libqxcb.so"

# The shared objects Qt's xcb plugin needs, by Debian/Ubuntu package (same names on both).
PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
# Every package the README's run command installs (what Qt's xcb plugin needs beyond a base system).
README_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0")
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")
_CTYPES_MISSING = re.compile(r"^(\S+?): cannot open shared object file")


def plugin_directories(environ: dict[str, str] | None = None) -> list[Path]:
    """Where Qt looks for platform plugins, in Qt's order (the environment first)."""
    env = os.environ if environ is None else environ
    found: list[Path] = []
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        found.append(Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"]))
    for part in env.get("QT_PLUGIN_PATH", "").split(os.pathsep):
        if part:
            found.append(Path(part) / "platforms")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / "PySide6" / "Qt" / "plugins" / "platforms")
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin:
        found.append(Path(spec.origin).parent / "Qt" / "plugins" / "platforms")
    return found


def find_xcb_plugin(environ: dict[str, str] | None = None) -> Path | None:
    for folder in plugin_directories(environ):
        candidate = folder / XCB_PLUGIN
        if candidate.is_file():
            return candidate
    return None


def missing_libraries(plugin: Path) -> list[str]:
    """The shared objects ``plugin`` needs that the dynamic loader cannot find (sonames)."""
    ldd = shutil.which("ldd")
    if ldd is not None:
        result = subprocess.run(  # noqa: S603 - a fixed tool on a file path, no shell
            [ldd, str(plugin)], capture_output=True, text=True, timeout=30, check=False
        )
        missing: list[str] = []
        for line in result.stdout.splitlines():
            match = _NOT_FOUND.match(line)
            if match and match.group(1) not in missing:
                missing.append(match.group(1))
        if missing or result.returncode == 0:
            return missing
    # No ldd (or it failed): the loader names only the first missing library.
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        match = _CTYPES_MISSING.match(str(exc))
        return [match.group(1)] if match else [Path(str(exc).split(":")[0]).name]
    return []


def install_command(missing: Sequence[str]) -> str:
    packages = [PACKAGES[name] for name in missing if name in PACKAGES]
    if not packages:
        return ""
    return "sudo apt-get install " + " ".join(dict.fromkeys(packages))


def _requested_platform(argv: Sequence[str], environ: dict[str, str]) -> str:
    args = list(argv)
    for index, arg in enumerate(args):
        if arg in ("-platform", "--platform") and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("-platform="):
            return arg.split("=", 1)[1]
    return environ.get("QT_QPA_PLATFORM", "")


def uses_xcb(argv: Sequence[str], environ: dict[str, str] | None = None) -> bool:
    """Whether Qt will need its xcb plugin: Linux, and xcb asked for or an X11 session."""
    if not sys.platform.startswith("linux"):
        return False
    env = dict(os.environ if environ is None else environ)
    platform = _requested_platform(argv, env)
    if platform:
        return any(part.split(":")[0] == "xcb" for part in platform.split(";"))
    # Unset: Qt picks wayland in a Wayland session (when its plugin loads), xcb otherwise.
    return not env.get("WAYLAND_DISPLAY")


def check(argv: Sequence[str] = (), environ: dict[str, str] | None = None) -> str | None:
    """``None`` when Qt can start; else the message to print (what is missing, how to install it)."""
    if not uses_xcb(argv, environ):
        return None
    plugin = find_xcb_plugin(environ)
    if plugin is None:
        return None  # not a PySide6 layout we know; let Qt report it
    missing = missing_libraries(plugin)
    if not missing:
        return None
    lines = [
        translate(
            "platform",
            "The window cannot open: Qt's X11 (xcb) plugin needs system libraries that are missing:",
        ),
        "  " + ", ".join(missing),
    ]
    command = install_command(missing)
    if command:
        lines.append(translate("platform", "Install them (Debian/Ubuntu), then start the app again:"))
        lines.append("  " + command)
    else:
        lines.append(
            translate(
                "platform",
                "These libraries belong to the app's own Qt: reinstall it (pip install --force-reinstall "
                "PySide6-Essentials, or a fresh copy of the bundle).",
            )
        )
    lines.append(translate("platform", "The command line works without them: cryptact-desktop --help"))
    return "\n".join(lines)


def ensure_qt_platform(argv: Sequence[str]) -> int | None:
    """Run :func:`check`; print its message and return exit code 1 when the window cannot open."""
    problem = check(argv)
    if problem is None:
        return None
    if sys.stderr is not None:  # None under a windowed bundle
        sys.stderr.write(problem + "\n")
    if sys.stderr is None or not sys.stderr.isatty():
        _notify(problem)  # started from a menu: a desktop notification when the tool exists
    return 1


def _notify(text: str) -> None:
    tool = shutil.which("notify-send")
    if tool is None:
        return
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run(  # noqa: S603 - a fixed tool, no shell; the text is our own message
            [tool, "--app-name=Cryptact Desktop", "Cryptact Desktop", text], timeout=5, check=False
        )
