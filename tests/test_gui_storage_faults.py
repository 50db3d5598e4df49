"""The desktop app's start-up on a database it cannot use: the message with its fix in a dialog,
a non-zero exit code, no traceback, and the file left as it was (the command line's side is the
fault matrix in test_storage_faults)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from storage_faults import DB, damage, empty, sha256

from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.app import EXIT_STORAGE
from cryptact_desktop.ui.export_dialog import ExportDialog

ROOT = Path(__file__).resolve().parents[1]


def a_user_database(data: Path) -> None:
    data.mkdir()
    store = Store(data / DB)
    key = store.add_key(NewKey("bybit", "Main", "global", ("spot",)))
    trades = [
        NormalizedRecord(
            f"t{i}", 1_700_000_000_000 + i, TransactionKind.TRADE, "BTC", "USDT", Side.BUY, "0.1"
        )
        for i in range(2_000)
    ]
    store.commit_page(key, "spot", "execution_spot", trades, covered=None)
    store.close()


FAULTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "damaged database": (damage, "is damaged"),
    "empty database": (empty, "is empty (0 bytes)"),
}


START = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    app = QApplication([sys.argv[0], "-platform", "offscreen"])
    from cryptact_desktop.ui.app import run_gui

    def read_and_close():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, read_and_close)
            return
        print("SHOWN:", box.text(), "|", box.informativeText())
        box.close()

    QTimer.singleShot(20, read_and_close)
    sys.exit(run_gui(["--data-dir", sys.argv[1]]))
    """
)


@pytest.mark.parametrize("fault", FAULTS)
def test_the_app_explains_a_database_it_cannot_use_and_leaves_it_alone(tmp_path: Path, fault: str) -> None:
    data = tmp_path / "data"
    a_user_database(data)
    make, message = FAULTS[fault]
    make(data)
    before = sha256(data / DB)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    done = subprocess.run(  # our own interpreter and code
        [sys.executable, "-c", START, str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == EXIT_STORAGE, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    (shown,) = [line for line in done.stdout.splitlines() if line.startswith("SHOWN:")]
    assert message in shown and str(data / DB) in shown
    assert "Move the file away" in shown or "restore-backup" in shown
    assert sha256(data / DB) == before, "the database file was changed"


def test_a_database_damaged_while_the_app_runs_is_explained_in_the_export_dialog(
    qtbot: QtBot, tmp_path: Path, secret_store: SecretStore
) -> None:
    data = tmp_path / "data"
    a_user_database(data)
    store = Store(data / DB)
    service = AppService(store, secret_store)
    store.engine.dispose()  # nothing of the file held in memory any more
    damage(data)  # while the app runs: found by the next read of that page
    before = sha256(data / DB)
    try:
        dialog = ExportDialog(service, directory=tmp_path)
        qtbot.addWidget(dialog)
        dialog.show()
        failed: list[object] = []
        dialog.exported.connect(failed.append)
        dialog.set_path(tmp_path / "out.csv")
        dialog.start_export()
        qtbot.waitUntil(lambda: dialog.message_label.isVisible() and not dialog.is_busy(), timeout=20_000)
        text = dialog.message_label.text()
        assert "is damaged" in text and "restore-backup" in text, text
        assert "StorageError" not in text and "DatabaseError" not in text
        assert failed == [] and not (tmp_path / "out.csv").exists()
    finally:
        store.close()
    assert sha256(data / DB) == before
