"""One app per data directory: a second claim fails and asks the first to raise its window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cryptact_desktop.ui.single_instance import SingleInstance, instance_key, raise_window


def test_second_claim_raises_first(qtbot: QtBot, tmp_path: Path) -> None:
    first, second = SingleInstance(), SingleInstance()
    try:
        assert first.claim(tmp_path)
        with qtbot.waitSignal(first.raiseRequested, timeout=5000):
            assert not second.claim(tmp_path)
    finally:
        first.release()
        second.release()


def test_other_data_dirs_are_independent(qtbot: QtBot, tmp_path: Path) -> None:
    first, other = SingleInstance(), SingleInstance()
    try:
        assert first.claim(tmp_path / "a")
        with qtbot.assertNotEmitted(first.raiseRequested, wait=100):
            assert other.claim(tmp_path / "b")
    finally:
        first.release()
        other.release()


def test_released_dir_can_be_claimed_again(qtbot: QtBot, tmp_path: Path) -> None:
    first = SingleInstance()
    assert first.claim(tmp_path)
    first.release()
    again = SingleInstance()
    try:
        assert again.claim(tmp_path)
    finally:
        again.release()


def test_key_is_stable_and_path_normalised(tmp_path: Path) -> None:
    assert instance_key(tmp_path) == instance_key(tmp_path / "sub" / "..")
    assert instance_key(tmp_path / "a") != instance_key(tmp_path / "b")


def test_raise_window_restores_minimised(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    raise_window(window)
    assert window.isVisible()
    assert not window.isMinimized()


SECOND_PROCESS = r"""
import sys
import subprocess
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from cryptact_desktop.ui.single_instance import SingleInstance
app = QCoreApplication([])
sys.exit(0 if SingleInstance().claim(Path(sys.argv[1])) else 3)
"""


def test_second_process_is_refused_and_raises_first(qtbot: QtBot, tmp_path: Path) -> None:
    first = SingleInstance()
    try:
        assert first.claim(tmp_path)
        with qtbot.waitSignal(first.raiseRequested, timeout=15000):
            second = subprocess.Popen([sys.executable, "-c", SECOND_PROCESS, str(tmp_path)])
        assert second.wait(timeout=15) == 3
    finally:
        first.release()
    # Once the first process let go, a new process may claim the directory.
    done = subprocess.run([sys.executable, "-c", SECOND_PROCESS, str(tmp_path)], timeout=15)
    assert done.returncode == 0


CLAIMING_PROCESS = SECOND_PROCESS.replace("sys.exit(", 'print("claiming", flush=True)\nsys.exit(')


def test_a_launch_before_the_first_listens_still_reaches_it(qtbot: QtBot, tmp_path: Path) -> None:
    """Start-up claims the directory before its first paint and listens only after it."""
    first = SingleInstance()
    try:
        assert first.claim(tmp_path, listen=False)
        second = subprocess.Popen(
            [sys.executable, "-c", CLAIMING_PROCESS, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        assert second.stdout is not None
        assert second.stdout.readline().strip() == "claiming"
        with qtbot.waitSignal(first.raiseRequested, timeout=15000):
            qtbot.wait(500)  # it finds the lock taken and nobody listening yet: it retries
            first.listen()
        assert second.wait(timeout=15) == 3
        second.stdout.close()
    finally:
        first.release()
