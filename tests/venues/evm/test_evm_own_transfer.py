"""A Bybit ETH withdrawal to the user's own Ethereum address: both simulators know the transaction
(its hash and amount); both keys sync over real sockets (the wallet added through the CLI with its
address and provider key on standard input), and the withdrawal is one own transfer, exported only
as its network fee."""

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
from cryptact_desktop.venues.bybit.simulator import (
    BybitSimulator,
    SharedWithdrawal,
    SimulatedKey,
    generate_account,
)
from cryptact_desktop.venues.evm.accounts import DEMO_KEY, SimulatedWallet, simulated_wallet, wallet_address
from cryptact_desktop.venues.evm.chains import ETHEREUM
from cryptact_desktop.venues.evm.simulator import SharedTransfer
from cryptact_desktop.venues.registry import CUSTOM_HOST, make_connector

DAY_MS = 86_400_000
UID = 7402
API_KEY = "EVMOWNTRANSFER01"
SECRET = "EvmOwnTransferSecret0000000000001"  # noqa: S105 (simulated credential)
TXID = "0x" + "7c" * 32
AMOUNT = "0.4375"
FEE = "0.0012"
SCALE = 50.0


@dataclass
class World:
    data_dir: Path
    secrets: SecretStore
    wallet: SimulatedWallet
    bybit_key: int = 0
    wallet_key: int = 0


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
    withdrawn = now - 9 * DAY_MS
    address = wallet_address(41)
    account = generate_account(
        seed=41,
        size="tiny",
        uid=UID,
        now_ms=now,
        shared=[SharedWithdrawal("ETH", "ETH", AMOUNT, FEE, TXID, address, withdrawn, "888000001")],
    )
    bybit = BybitSimulator(
        accounts=[account],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=SCALE,
        ip_limit=(int(600 * SCALE), 5.0),
    )
    wallet = simulated_wallet(
        ETHEREUM,
        41,
        size="tiny",
        shared=[SharedTransfer(TXID, withdrawn, Decimal(AMOUNT))],
        now_ms=now,
        rate_limit_scale=SCALE,
    )
    bybit_url = bybit.start()
    wallet_url = wallet.start()
    world = World(tmp_path_factory.mktemp("evm-own-transfer"), SecretStore(MemoryKeyring()), wallet)
    try:
        code, out, err = _cli(
            world,
            "--json",
            "keys",
            "add",
            "--exchange",
            "ethereum",
            "--label",
            "Ledger",
            "--host",
            "custom",
            "--base-url",
            wallet_url,
            stdin=f"{address.lower()}\n{DEMO_KEY}\n",
        )
        assert code == 0, err
        world.wallet_key = int(json.loads(out)["id"])
        store = Store(DataPaths(world.data_dir).database)
        try:
            service = AppService(
                store, world.secrets, connector_factory=partial(make_connector, rate_limit_scale=SCALE)
            )
            world.bybit_key = service.add_key(
                NewKey(
                    exchange="bybit",
                    label="Bybit",
                    host_id=CUSTOM_HOST,
                    endpoints=("withdrawals", "deposits"),
                    base_url=bybit_url,
                    sync_from_ms=now - 60 * DAY_MS,
                ),
                Credentials(api_key=API_KEY, secret=SECRET),
            ).id
            for key_id in (world.bybit_key, world.wallet_key):
                result = service.sync_key(key_id)
                assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
        finally:
            store.close()
        yield world
    finally:
        wallet.stop()
        bybit.stop()


def test_the_cli_keeps_the_address_checksummed_and_the_provider_key_secret(world: World) -> None:
    code, out, _ = _cli(world, "--json", "keys", "list")
    assert code == 0
    listed = next(k for k in json.loads(out) if k["id"] == world.wallet_key)
    address = wallet_address(41)
    assert listed["key_hint"] == f"{address[:8]}…{address[-4:]}"
    assert DEMO_KEY not in out
    fields = world.secrets.load(world.wallet_key).fields()
    assert (fields["address"], fields["provider_key"]) == (address, DEMO_KEY)


def test_the_withdrawal_and_the_wallet_deposit_are_one_own_transfer(world: World, tmp_path: Path) -> None:
    store = Store(DataPaths(world.data_dir).database)
    try:
        book = transfer_book(store)
        report = export_cryptact(store, tmp_path / "custom.csv")
    finally:
        store.close()
    (pair,) = [p for p in book.pairs if p.received.tx_hash == TXID]
    assert pair.method is MatchMethod.TX_HASH
    assert (pair.sent.key_id, pair.received.key_id) == (world.bybit_key, world.wallet_key)
    assert (Decimal(pair.received.amount), pair.received.base) == (Decimal(AMOUNT), "ETH")
    assert report.ok
    with (tmp_path / "custom.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sent = [r for r in rows if r["Comment"].split(" ")[0].endswith(f":{pair.sent.exchange_id}")]
    assert [(r["Action"], r["Base"], Decimal(r["Volume"])) for r in sent] == [
        ("SENDFEE", "ETH", Decimal(FEE))
    ]
    assert not [r for r in rows if r["Comment"].split(" ")[0].endswith(f":{pair.received.exchange_id}")]
