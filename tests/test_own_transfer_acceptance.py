"""Acceptance: a Bybit key and a Bitcoin account key (zpub) whose history holds a Bybit withdrawal
into the wallet. Both simulators are seeded with the same transaction (its hash and amount), both
keys sync over real sockets, and the withdrawal shows as one own transfer — in the transfer book, the
CLI's ``transfers`` and the export, which writes only its network fee (SENDFEE).

The wallet's key is added through the CLI (``keys add --exchange bitcoin``, the address read from
standard input like any declared field); the GUI's Transfers list is tested on the same store in
``tests/test_gui_transfers.py``.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest

from cryptact_desktop import cli
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.export.cryptact import export_cryptact
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.paths import DataPaths
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.transfers.book import transfer_book
from cryptact_desktop.transfers.matching import MatchMethod
from cryptact_desktop.venues.bitcoin.accounts import SimulatedWallet, account_key, derived, simulated_wallet
from cryptact_desktop.venues.bitcoin.simulator import SharedTransfer
from cryptact_desktop.venues.bybit.simulator import (
    BybitSimulator,
    SharedWithdrawal,
    SimulatedKey,
    generate_account,
)
from cryptact_desktop.venues.registry import CUSTOM_HOST, make_connector

DAY_MS = 86_400_000
UID = 7301
API_KEY = "OWNTRANSFERKEY01"
SECRET = "OwnTransferSecret000000000000001"  # noqa: S105 (simulated credential)
TXID = "5e" * 32
SATS = 1_234_500  # 0.012345 BTC reach the wallet
AMOUNT = "0.012345"
FEE = "0.0002"
SCALE = 50.0


@dataclass
class World:
    """Both simulators running, and the data directory both keys were added and synced in."""

    data_dir: Path
    secrets: SecretStore
    wallet: SimulatedWallet
    withdrawn_ms: int
    bybit_key: int
    wallet_key: int


def _cli(world: World, *args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["--data-dir", str(world.data_dir), *args],
        secrets=world.secrets,
        stdin=io.StringIO(stdin),
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    now = int(time.time() * 1000)
    withdrawn = now - 12 * DAY_MS
    zpub = account_key(23)
    receive = derived(zpub)[0].receive[0]
    account = generate_account(
        seed=23,
        size="tiny",
        uid=UID,
        now_ms=now,
        shared=[
            SharedWithdrawal("BTC", "BTC", AMOUNT, FEE, TXID, receive, withdrawn, "777000001"),
        ],
    )
    bybit = BybitSimulator(
        accounts=[account],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=SCALE,
        ip_limit=(int(600 * SCALE), 5.0),
    )
    wallet = simulated_wallet(
        23,
        size="tiny",
        wallet_text=zpub,
        shared=[SharedTransfer(TXID, SATS, withdrawn, direction="in", receive_index=0)],
        now_ms=now,
        rate_limit_scale=SCALE,
    )
    bybit_url = bybit.start()
    wallet_url = wallet.start()
    data_dir = tmp_path_factory.mktemp("own-transfer")
    secrets = SecretStore(MemoryKeyring())
    try:
        # The wallet, through the CLI: its one declared field (the zpub) on standard input.
        world = World(data_dir, secrets, wallet, withdrawn, 0, 0)
        code, out, err = _cli(
            world,
            "--json",
            "keys",
            "add",
            "--exchange",
            "bitcoin",
            "--label",
            "Cold wallet",
            "--host",
            "custom",
            "--base-url",
            wallet_url,
            stdin=zpub + "\n",
        )
        assert code == 0, err
        world.wallet_key = int(json.loads(out)["id"])
        store = Store(DataPaths(data_dir).database)
        try:
            service = AppService(
                store, secrets, connector_factory=partial(make_connector, rate_limit_scale=SCALE)
            )
            bybit_key = service.add_key(
                NewKey(
                    exchange="bybit",
                    label="Bybit",
                    host_id=CUSTOM_HOST,
                    endpoints=("withdrawals", "deposits"),
                    base_url=bybit_url,
                    sync_from_ms=now - 60 * DAY_MS,
                ),
                Credentials(api_key=API_KEY, secret=SECRET),
            )
            world.bybit_key = bybit_key.id
            for key_id in (world.bybit_key, world.wallet_key):
                result = service.sync_key(key_id)
                assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
        finally:
            store.close()
        yield world
    finally:
        wallet.stop()
        bybit.stop()


def test_the_wallet_key_added_by_the_cli_names_its_address_not_a_secret(world: World) -> None:
    code, out, _ = _cli(world, "--json", "keys", "list")
    assert code == 0
    wallet = next(k for k in json.loads(out) if k["id"] == world.wallet_key)
    assert wallet["exchange"] == "bitcoin"
    assert wallet["key_hint"] == f"{account_key(23)[:8]}…{account_key(23)[-4:]}"


def test_the_withdrawal_and_the_wallet_deposit_are_one_own_transfer(world: World) -> None:
    store = Store(DataPaths(world.data_dir).database)
    try:
        book = transfer_book(store)
    finally:
        store.close()
    (pair,) = [p for p in book.pairs if p.sent.tx_hash == TXID]
    assert pair.method is MatchMethod.TX_HASH
    assert (pair.sent.key_id, pair.received.key_id) == (world.bybit_key, world.wallet_key)
    assert (pair.sent.amount, pair.sent.fee, pair.received.amount) == (AMOUNT, FEE, AMOUNT)
    # The wallet's other history (payments from strangers, its own sends) is not paired with it.
    assert all(TXID not in (v.tx_hash,) for v in book.unmatched)

    code, out, err = _cli(world, "--json", "transfers")
    assert code == 0, err
    listed = json.loads(out)
    (shown,) = [p for p in listed["own_transfers"] if p["sent"]["tx_hash"] == TXID]
    assert shown["matched_by"] == "tx_hash"
    assert (shown["sent"]["key"], shown["received"]["key"]) == ("Bybit", "Cold wallet")
    code, text, _ = _cli(world, "transfers")
    assert code == 0 and "Bybit" in text and "Cold wallet" in text and "tx hash" in text


def test_the_own_transfer_is_exported_only_as_its_sendfee(world: World, tmp_path: Path) -> None:
    store = Store(DataPaths(world.data_dir).database)
    try:
        report = export_cryptact(store, tmp_path / "custom.csv")
        book = transfer_book(store)
    finally:
        store.close()
    assert report.ok
    with (tmp_path / "custom.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    (pair,) = [p for p in book.pairs if p.sent.tx_hash == TXID]
    sent_rows = [r for r in rows if r["Comment"].split(" ")[0].endswith(f":{pair.sent.exchange_id}")]
    received_rows = [r for r in rows if r["Comment"].split(" ")[0].endswith(f":{pair.received.exchange_id}")]
    assert [(r["Action"], r["Base"], Decimal(r["Volume"])) for r in sent_rows] == [
        ("SENDFEE", "BTC", Decimal(FEE))
    ]
    assert "own-transfer" in sent_rows[0]["Comment"]
    assert received_rows == []
    # Nothing in the file sells or loses the transferred coins.
    assert not [r for r in rows if r["Action"] in ("SELL", "PAY", "LOSS", "REDUCE") and r["Volume"] == AMOUNT]
