"""Point 9's messages, as the user reads them in the app and the CLI:

* a sub-account key on withdrawals is told withdrawals need a main-account key (Bybit reports a
  missing permission, and the old message blamed the Wallet permission);
* a file with a cell over 128 KiB is not called "cut off";
* a pipe or a device is not called "a folder".
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from test_import_files import write_spot

from cryptact_desktop import cli
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.background import running_background_calls
from cryptact_desktop.ui.files.import_dialog import ImportDialog
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
from cryptact_desktop.venues.registry import make_connector

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

MAIN_UID, SUB_UID = 9100, 9101
MAIN_KEY, MAIN_SECRET = "MAINACCOUNTKEY01", "MAIN-ACCOUNT-SECRET-000000001"
SUB_KEY, SUB_SECRET = "SUBACCOUNTKEY002", "SUB-ACCOUNT-SECRET-0000000002"
FAST = 50


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[
            generate_account(seed=31, size="tiny", uid=MAIN_UID),
            generate_account(seed=32, size="tiny", uid=SUB_UID),
        ],
        keys=[
            SimulatedKey(MAIN_KEY, MAIN_SECRET, MAIN_UID),
            SimulatedKey(SUB_KEY, SUB_SECRET, SUB_UID, is_master=False, parent_uid=str(MAIN_UID)),
        ],
        rate_limit_scale=FAST,
        ip_limit=(600 * FAST, 5.0),
    )
    url = sim.start()
    try:
        yield url
    finally:
        sim.stop()


def synced(tmp_path: Path, base_url: str, api_key: str, secret: str) -> tuple[AppService, int]:
    tmp_path.mkdir()
    service = AppService(
        Store(tmp_path / "cryptact.db"),  # the CLI's database in the data folder tmp_path
        SecretStore(MemoryKeyring()),
        connector_factory=partial(make_connector, rate_limit_scale=FAST),
    )
    credentials = Credentials(api_key, secret)
    verification = service.verify("bybit", "custom", base_url, credentials)
    new = NewKey("bybit", "Key", "custom", ("withdrawals", "deposits"), base_url=base_url)
    key = service.add_key(new, credentials, verification)
    service.sync_key(key.id)
    return service, key.id


def test_a_sub_account_key_is_told_withdrawals_need_a_main_account_key(tmp_path: Path, base_url: str) -> None:
    service, key_id = synced(tmp_path / "sub", base_url, SUB_KEY, SUB_SECRET)
    key = service.store.get_key(key_id)
    assert key.verification.is_master is False
    withdrawals = key.endpoint("withdrawals")
    assert withdrawals.status is EndpointStatus.FAILED and withdrawals.failure is not None
    assert (
        withdrawals.failure.message
        == "Withdrawals need a main-account key: this key belongs to a sub-account"
    )
    assert "main account" in withdrawals.failure.hint and "untick Withdrawals" in withdrawals.failure.hint
    assert "Wallet" not in withdrawals.failure.message + withdrawals.failure.hint
    assert key.endpoint("deposits").status is EndpointStatus.OK  # a sub key reads its own deposits

    # The CLI's status says the same.
    out, err = io.StringIO(), io.StringIO()
    data = tmp_path / "sub"
    code = cli.main(["--data-dir", str(data), "status"], secrets=service.secrets, stdout=out, stderr=err)
    assert code != 0
    assert "Withdrawals need a main-account key" in out.getvalue(), out.getvalue()

    # A main-account key reads them.
    main_service, main_id = synced(tmp_path / "main", base_url, MAIN_KEY, MAIN_SECRET)
    main = main_service.store.get_key(main_id)
    assert main.verification.is_master is True
    assert main.endpoint("withdrawals").status is EndpointStatus.OK


# -- the import dialog ------------------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot: QtBot, store: Store, secret_store: SecretStore) -> Iterator[ImportDialog]:
    opened = ImportDialog(AppService(store, secret_store), exchange_id="bybit")
    qtbot.addWidget(opened)
    opened.show()
    qtbot.waitExposed(opened)
    yield opened
    qtbot.waitUntil(lambda: running_background_calls() == 0, timeout=10_000)


def preview_message(qtbot: QtBot, dialog: ImportDialog, path: Path) -> str:
    with qtbot.waitSignal(dialog.previewFinished, timeout=10_000):
        dialog.set_file(path)
    assert dialog.message_label.isVisible() and not dialog.import_button.isEnabled()
    return dialog.message_label.text()


def test_a_cell_over_128_kib_is_not_called_cut_off_in_the_import_dialog(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = write_spot(tmp_path / "Bybit-Spot-TradeHistory.csv", 3, extra=f'1,"{"x" * 140_000}"\n')
    text = preview_message(qtbot, dialog, path)
    assert "128 KiB" in text and "cut off" not in text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_or_a_device_is_not_called_a_folder_in_the_import_dialog(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null")):
        text = preview_message(qtbot, dialog, path)
        assert "folder" not in text and "not a regular file" in text, path
    assert "folder" in preview_message(qtbot, dialog, tmp_path)
