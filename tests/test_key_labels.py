"""Key labels: a length limit, and no line breaks or invisible characters (a right-to-left
override can make "Main‮txt.exe" read differently from what it is)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cryptact_desktop import cli
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService, KeyInputError
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store

BAD_LABELS = {
    "newline": "Main\nSecond line",
    "carriage return": "Main\rX",
    "right-to-left override": "Main\u202etxt.exe",
    "zero-width space": "Ma\u200bin",
    "bell": "Main\x07",
    "too long": "x" * 61,
}


@pytest.mark.parametrize("label", BAD_LABELS.values(), ids=BAD_LABELS.keys())
def test_the_service_refuses_a_bad_label(store: Store, secret_store: SecretStore, label: str) -> None:
    service = AppService(store, secret_store)
    with pytest.raises(KeyInputError) as info:
        service.add_key(NewKey("bybit", label, "mainnet", ("spot",)), Credentials("K" * 12, "S" * 20))
    assert info.value.field_name == "label"
    assert store.list_keys() == []
    assert not secret_store.has(1)


@pytest.mark.parametrize("label", BAD_LABELS.values(), ids=BAD_LABELS.keys())
def test_the_store_refuses_a_bad_label_on_rename(store: Store, label: str) -> None:
    key_id = store.add_key(NewKey("bybit", "Main", "mainnet", ("spot",)))
    with pytest.raises(KeyInputError):
        store.update_key(key_id, label=label)
    assert store.get_key(key_id).label == "Main"


def test_a_good_label_is_trimmed_and_may_be_japanese(store: Store, secret_store: SecretStore) -> None:
    service = AppService(store, secret_store)
    key = service.add_key(
        NewKey("bybit", "  メイン口座 2024  ", "mainnet", ("spot",)), Credentials("K" * 12, "S" * 20)
    )
    assert key.label == "メイン口座 2024"
    assert store.update_key(key.id, label="x" * 60).label == "x" * 60


def test_the_cli_refuses_a_bad_label_with_exit_2(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        [
            "--data-dir",
            str(tmp_path),
            "keys",
            "add",
            "--exchange",
            "bybit",
            "--label",
            "Main\u202etxt",
            "--no-verify",
        ],
        secrets=SecretStore(MemoryKeyring()),
        stdin=io.StringIO("K" * 12 + "\n" + "S" * 20 + "\n"),
        stdout=out,
        stderr=err,
    )
    assert code == 2
    assert err.getvalue().startswith("Error: Label: Contains a line break or an invisible character")
