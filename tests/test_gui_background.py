"""ui/background.py: ops run off the GUI thread, callbacks run on it, and a late result (cancelled,
superseded, or for a deleted dialog) goes nowhere."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from cryptact_desktop.ui.background import Background, running_background_calls

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


@pytest.fixture(autouse=True)
def _no_thread_left_behind(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=10_000)


def test_the_op_runs_off_the_gui_thread_and_success_runs_on_it(qtbot: QtBot) -> None:
    owner = QObject()
    background = Background(owner)
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def op() -> int:
        seen["op thread"] = threading.get_ident()
        return 42

    def success(result: int) -> None:
        seen["callback thread"] = threading.get_ident()
        seen["result"] = result

    background.run(op, success)
    assert background.busy
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen == {"op thread": seen["op thread"], "callback thread": gui, "result": 42}
    assert seen["op thread"] != gui
    assert not background.busy


def test_an_error_is_handed_to_failure_as_data(qtbot: QtBot) -> None:
    owner = QObject()
    background = Background(owner)
    errors: list[Exception] = []
    results: list[object] = []

    def op() -> None:
        raise KeyError("never shown")

    background.run(op, results.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], KeyError) and results == []


def test_a_newer_op_or_a_cancel_drops_the_late_result(qtbot: QtBot) -> None:
    owner = QObject()
    background = Background(owner)
    gate = threading.Event()
    results: list[str] = []

    def slow() -> str:
        gate.wait(5)
        return "first"

    background.run(slow, results.append)
    background.run(lambda: "second", results.append)  # supersedes the slow one
    qtbot.waitUntil(lambda: results == ["second"])
    gate.set()
    qtbot.waitUntil(lambda: running_background_calls() == 0)
    qtbot.wait(20)
    assert results == ["second"]

    gate.clear()
    background.run(slow, results.append)
    background.cancel()
    assert not background.busy
    gate.set()
    qtbot.waitUntil(lambda: running_background_calls() == 0)
    qtbot.wait(20)
    assert results == ["second"]


def test_a_result_for_a_deleted_owner_goes_nowhere(qtbot: QtBot) -> None:
    owner = QObject()
    background = Background(owner)
    gate = threading.Event()
    results: list[str] = []

    def slow() -> str:
        gate.wait(5)
        return "late"

    background.run(slow, results.append)
    shiboken6.delete(owner)  # the dialog is gone (its Background with it) while the op runs
    assert not shiboken6.isValid(background)
    gate.set()
    qtbot.waitUntil(lambda: running_background_calls() == 0)
    qtbot.wait(20)
    assert results == []
