"""A Bybit withdrawal of XRP into the user's XRP Ledger wallet is one own transfer: both simulators
are seeded with the same payment (its hash and amount), the wallet is added through the CLI
(``keys add --exchange xrpl``, the address on standard input), both keys sync over real sockets,
and the export writes only the withdrawal's fee (SENDFEE)."""

from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal
from functools import partial
from pathlib import Path

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
from cryptact_desktop.venues.registry import CUSTOM_HOST, make_connector
from cryptact_desktop.venues.xrpl.accounts import simulated_ledger
from cryptact_desktop.venues.xrpl.simulator import SharedTransfer

DAY_MS = 86_400_000
UID = 7302
API_KEY = "XRPOWNTRANSFER01"
SECRET = "XrpOwnTransferSecret00000000001"  # noqa: S105 (simulated credential)
TX_HASH = "5E" * 32
AMOUNT = "250"
FEE = "0.2"
SCALE = 50.0


def test_a_bybit_withdrawal_into_the_wallet_is_an_own_transfer_exported_as_its_fee(tmp_path: Path) -> None:
    now = int(time.time() * 1000)
    withdrawn = now - 12 * DAY_MS
    wallet = simulated_ledger(
        24,
        size="tiny",
        shared=[SharedTransfer(TX_HASH, 250_000_000, withdrawn, direction="in")],
        now_ms=now,
        rate_limit_scale=SCALE,
    )
    account = generate_account(
        seed=24,
        size="tiny",
        uid=UID,
        now_ms=now,
        shared=[SharedWithdrawal("XRP", "XRP", AMOUNT, FEE, TX_HASH, wallet.address, withdrawn, "777000002")],
    )
    bybit = BybitSimulator(
        accounts=[account],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=SCALE,
        ip_limit=(int(600 * SCALE), 5.0),
    )
    bybit_url, wallet_url = bybit.start(), wallet.start()
    secrets = SecretStore(MemoryKeyring())
    out, err = io.StringIO(), io.StringIO()
    try:
        code = cli.main(
            [
                "--data-dir",
                str(tmp_path),
                "--json",
                "keys",
                "add",
                "--exchange",
                "xrpl",
                "--label",
                "XRP wallet",
                "--host",
                "custom",
                "--base-url",
                wallet_url,
            ],
            secrets=secrets,
            stdin=io.StringIO(wallet.address + "\n"),
            stdout=out,
            stderr=err,
        )
        assert code == 0, err.getvalue()
        wallet_key = int(json.loads(out.getvalue())["id"])
        store = Store(DataPaths(tmp_path).database)
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
        ).id
        for key_id in (bybit_key, wallet_key):
            result = service.sync_key(key_id)
            assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
        book = transfer_book(store)
        report = export_cryptact(store, tmp_path / "custom.csv")
        store.close()
    finally:
        wallet.stop()
        bybit.stop()
    (pair,) = [p for p in book.pairs if p.sent.tx_hash.upper() == TX_HASH]
    assert pair.method is MatchMethod.TX_HASH
    assert (pair.sent.key_id, pair.received.key_id) == (bybit_key, wallet_key)
    assert Decimal(pair.received.amount) == Decimal(AMOUNT) and pair.received.base == "XRP"
    assert report.ok
    with (tmp_path / "custom.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    mine = [
        r for r in rows if r["Comment"].split(" ")[0].endswith((f":{pair.sent.exchange_id}", f":{TX_HASH}"))
    ]
    assert [(r["Action"], r["Base"], Decimal(r["Volume"])) for r in mine] == [
        ("SENDFEE", "XRP", Decimal(FEE))
    ]
