"""The PyInstaller bundle builds and its ``--self-check`` passes offscreen.

Part of the default run (under a minute on 2 cores: 35–41 s to build, 2–3 s to check).
Skipped only when PyInstaller is not installed (``pip install -e .[dev]``) — and never in CI
(``CI=true``), where a missing PyInstaller is an error.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_installer.spec"
APP_NAME = "Cryptact Desktop"
BUILD_TIMEOUT_S = 900
MAX_BUNDLE_MB = 260  # measured 199 MB on Linux (Qt ~85 MB, ICU data 31 MB); fail if it balloons
MAX_SELF_CHECK_S = 60

pytestmark = pytest.mark.build


def _require_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is not None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("PyInstaller is missing in CI: install the dev extra (pip install -e .[dev])")
    pytest.skip("PyInstaller is not installed (pip install -e .[dev]); the bundle test needs it")


def _report(request: pytest.FixtureRequest, text: str) -> None:
    """Show a measurement in the test run's output (also without ``-s``)."""
    capsys: pytest.CaptureFixture[str] = request.getfixturevalue("capsys")
    with capsys.disabled():
        print(f"\n[bundle] {text}")


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_pyinstaller()
    out = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
            str(SPEC),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-5000:]
    folder = out / "dist" / APP_NAME
    assert folder.is_dir()
    (out / "build-seconds.txt").write_text(f"{time.monotonic() - started:.1f}")
    return folder


def _executable(folder: Path) -> Path:
    return folder / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def test_bundle_contents(bundle: Path, request: pytest.FixtureRequest) -> None:
    internal = bundle / "_internal"
    assert _executable(bundle).is_file()
    assert (internal / "resources" / "icons" / "app.svg").is_file()
    assert (internal / "resources" / "icons" / "cloud-ok.svg").is_file()
    assert (internal / "cryptact_desktop" / "migrations" / "env.py").is_file()
    assert list((internal / "cryptact_desktop" / "migrations" / "versions").glob("0001_*.py"))
    # The Japanese translation, compiled by lrelease at build time (issue 13.2).
    assert (
        internal / "cryptact_desktop" / "ui" / "translations" / "cryptact_desktop_ja.qm"
    ).stat().st_size > 10_000
    assert list(internal.glob("keyring-*.dist-info/entry_points.txt"))
    for unwanted in ("PyQt5", "PyQt6", "PySide2", "tkinter", "keyrings", "pytest"):
        assert not (internal / unwanted).exists(), unwanted
    qt_libs = " ".join(p.name for p in (internal / "PySide6").rglob("*Qt6*"))
    for unused in ("Qml", "Quick", "WebEngine", "3DCore", "Pdf"):
        assert f"Qt6{unused}" not in qt_libs, unused
    size = _size_mb(bundle)
    build_s = (bundle.parent.parent / "build-seconds.txt").read_text()
    _report(request, f"size {size:.0f} MB, built in {build_s} s")
    assert size < MAX_BUNDLE_MB, f"bundle is {size:.0f} MB"


def _frozen_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a run of the built app, settings under ``tmp_path``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CRYPTACT_DESKTOP_", "PYTHON", "QT_"))  # the bundle brings its own
    }
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"), **extra)
    return env


def test_frozen_self_check(bundle: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    env = _frozen_env(tmp_path)
    started = time.monotonic()
    done = subprocess.run(
        [str(_executable(bundle)), "--self-check", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=MAX_SELF_CHECK_S * 2,
        env=env,
        cwd=tmp_path,
    )
    elapsed = time.monotonic() - started
    _report(request, f"frozen --self-check exited after {elapsed:.2f} s")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for name in (
        "imports",
        "certificates",
        "data directory",
        "database",
        "keyring backends",
        "qt",
        "window",
        "sync",
    ):
        assert re.search(rf"^ok +{re.escape(name)}:", out, re.MULTILINE), out
    # The frozen app finds keyring's real backends (not just fail.Keyring), and never keyrings.alt.
    backends = re.search(r"^ok +keyring backends: (.*)$", out, re.MULTILINE)
    assert backends is not None, out
    if sys.platform == "linux":
        assert "SecretService" in backends.group(1), out
    keyring_line = re.search(r"^(ok|WARN) +keyring: (.*)$", out, re.MULTILINE)
    assert keyring_line is not None, out
    assert "keyrings.alt" not in keyring_line.group(2)
    assert "self-check passed" in out
    window = re.search(r"([\d.]+) s after process start", out)
    if window is not None:
        _report(request, f"main window rendered {window.group(1)} s after process start")
    assert elapsed < MAX_SELF_CHECK_S


@pytest.mark.skipif(sys.platform != "linux", reason="the locale variables are Linux's")
def test_frozen_command_line_speaks_the_system_language(bundle: Path, tmp_path: Path) -> None:
    """The bundle carries only the compiled translation; the command line finds it there."""
    said = {}
    for language, locale in (("ja", "ja_JP.UTF-8"), ("en", "C")):
        done = subprocess.run(
            [str(_executable(bundle)), "--data-dir", str(tmp_path / "data"), "keys", "list"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            env=_frozen_env(tmp_path, LC_ALL=locale),
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        said[language] = done.stdout.strip()
    assert said == {
        "ja": "まだキーがありません。`keys add` で追加してください。",
        "en": "No keys yet. Add one with `keys add`.",
    }
