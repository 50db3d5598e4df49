"""Never count twice: one economic event is one row in the Transactions view, in the key list's
counts and in every export — across a trade's ledger copies (``mirror_of``) and across two keys
of the same exchange account."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from cryptact_desktop import cli
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.export.cryptact import export_cryptact
from cryptact_desktop.export_csv import write_transactions_csv
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService, SameAccountKeyError
from cryptact_desktop.state import NewKey, TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimAccount, SimulatedKey, generate_account
from cryptact_desktop.venues.registry import make_connector

UID = 7100
KEY_A, SECRET_A = "ACCOUNTKEYA0001", "ACCOUNT-SECRET-A-000000001"
KEY_B, SECRET_B = "ACCOUNTKEYB0002", "ACCOUNT-SECRET-B-000000002"
FAST = 50


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=21, size="tiny", uid=UID)


@pytest.fixture(scope="module")
def base_url(account: SimAccount) -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[account],
        keys=[SimulatedKey(KEY_A, SECRET_A, UID), SimulatedKey(KEY_B, SECRET_B, UID)],
        rate_limit_scale=FAST,
        ip_limit=(600 * FAST, 5.0),
    )
    url = sim.start()
    try:
        yield url
    finally:
        sim.stop()


def make_service(tmp_path: Path) -> AppService:
    return AppService(
        Store(tmp_path / "db.sqlite"),
        SecretStore(MemoryKeyring()),
        connector_factory=partial(make_connector, rate_limit_scale=FAST),
    )


def new_key(base_url: str, label: str, endpoints: tuple[str, ...], subaccount: str = "") -> NewKey:
    return NewKey("bybit", label, "custom", endpoints, subaccount=subaccount, base_url=base_url)


def verified(service: AppService, base_url: str, api_key: str, secret: str) -> KeyVerification:
    return service.verify("bybit", "custom", base_url, Credentials(api_key, secret))


# -- one trade, one row ---------------------------------------------------------------------------


def test_a_trade_and_its_ledger_copies_are_one_row_with_the_copies_on_demand(
    tmp_path: Path, base_url: str
) -> None:
    service = make_service(tmp_path)
    store = service.store
    endpoints = ("spot", "convert", "transaction_log")
    key = service.add_key(new_key(base_url, "Main", endpoints), Credentials(KEY_A, SECRET_A))
    assert service.sync_key(key.id).ok

    everything = store.transactions(TransactionFilter(with_sources=True))
    copies = [t for t in everything if t.mirror_of]
    assert copies, "the ledger lists the trades again"
    shown = store.transactions()
    assert not any(t.mirror_of for t in shown)
    assert len(shown) == len(everything) - len(copies)
    assert store.count_transactions() == len(shown)
    assert store.count_transactions(TransactionFilter(with_sources=True)) == len(everything)

    # The key list counts what the view shows.
    key = store.get_key(key.id)
    assert key.record_count == len(shown)
    for endpoint in endpoints:
        assert key.endpoint(endpoint).record_count == store.count_transactions(
            TransactionFilter(key_ids=(key.id,), endpoints=(endpoint,))
        )

    # A trade's sources: the ledger copies of that moment; a copy leads back to its trade.
    trade = next(t for t in shown if t.endpoint == "spot")
    sources = store.sources_of(trade.id)
    assert sources and all(s.mirror_of == "spot" and s.timestamp_ms == trade.timestamp_ms for s in sources)
    assert all(s.base in (trade.base, trade.quote, trade.fee_currency) for s in sources)
    assert trade.id in {t.id for t in store.sources_of(sources[0].id)}


def test_ledger_copies_are_the_row_when_their_source_endpoint_is_not_synced(store: Store) -> None:
    key_id = store.add_key(NewKey("bybit", "Ledger only", "mainnet", ("transaction_log",)))
    copy = NormalizedRecord(
        "L1|TRADE|1700000000000|BTC",
        1_700_000_000_000,
        TransactionKind.TRADE,
        "BTC",
        "BTCUSDT",
        Side.IN,
        "0.01",
        mirror_of="spot",
    )
    store.commit_page(key_id, "transaction_log", "transaction_log", [copy], covered=None)
    store.refresh_counts()
    assert [t.exchange_id for t in store.transactions()] == [copy.exchange_id]
    assert store.get_key(key_id).record_count == 1


# -- two keys of one account ------------------------------------------------------------------------


def test_a_second_key_for_the_same_account_is_refused_and_can_replace_the_first(
    tmp_path: Path, base_url: str
) -> None:
    service = make_service(tmp_path)
    first = service.add_key(
        new_key(base_url, "Main", ("spot",)),
        Credentials(KEY_A, SECRET_A),
        verified(service, base_url, KEY_A, SECRET_A),
    )
    verification = verified(service, base_url, KEY_B, SECRET_B)
    assert service.same_account_key("bybit", verification.user_id, "") == first
    with pytest.raises(SameAccountKeyError) as info:
        service.add_key(new_key(base_url, "Second", ("spot",)), Credentials(KEY_B, SECRET_B), verification)
    assert info.value.existing.id == first.id
    assert str(UID) in info.value.message and "Main" in info.value.message
    assert [k.id for k in service.store.list_keys()] == [first.id]
    assert service.secrets.load(first.id).api_key == KEY_A

    # Another sub-account of the same UID is another account.
    sub = service.add_key(
        new_key(base_url, "Sub", ("spot",), "trading-1"), Credentials(KEY_B, SECRET_B), verification
    )
    assert sub.id != first.id


def test_keys_add_says_which_key_holds_the_account_and_replace_swaps_its_secret(
    tmp_path: Path, base_url: str
) -> None:
    secrets = SecretStore(MemoryKeyring())

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(
            ["--data-dir", str(tmp_path), *args],
            secrets=secrets,
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
        )
        return code, out.getvalue(), err.getvalue()

    add = ("keys", "add", "--exchange", "bybit", "--host", "custom", "--base-url", base_url, "--label")
    assert run(*add, "Main", stdin=f"{KEY_A}\n{SECRET_A}\n")[0] == 0
    code, out, err = run(*add, "Again", stdin=f"{KEY_B}\n{SECRET_B}\n")
    assert code == 2, out + err
    assert "already has key 1 (Main)" in err and "--replace" in err
    code, out, err = run(*add, "Again", "--replace", stdin=f"{KEY_B}\n{SECRET_B}\n")
    assert code == 0, err
    assert "key 1 (Main)" in out
    assert secrets.load(1).api_key == KEY_B
    code, out, _ = run("keys", "list", "--json")
    assert out.count('"id"') == 1


def test_data_of_two_keys_of_one_account_is_exported_and_counted_once(tmp_path: Path, base_url: str) -> None:
    service = make_service(tmp_path)
    store = service.store
    a = service.add_key(new_key(base_url, "A", ("spot", "transaction_log")), Credentials(KEY_A, SECRET_A))
    b = service.add_key(new_key(base_url, "B", ("spot", "transaction_log")), Credentials(KEY_B, SECRET_B))
    assert service.sync_key(a.id).ok and service.sync_key(b.id).ok
    # Verified later (an older database, or keys added without verification): same account.
    for key_id in (a.id, b.id):
        store.record_verification(
            key_id,
            read_only=True,
            permissions=(),
            exchange_user_id=str(UID),
            is_master=True,
            expires_at_ms=None,
        )
    store.refresh_counts()

    one_key = store.count_transactions(TransactionFilter(key_ids=(a.id,)))
    assert one_key > 0
    assert store.count_transactions() == one_key
    assert len(store.transactions()) == one_key
    assert store.get_key(a.id).record_count + store.get_key(b.id).record_count == one_key

    out = tmp_path / "all.csv"
    assert write_transactions_csv(store, out) == one_key
    with out.open(encoding="utf-8", newline="") as handle:
        ids = [(r["endpoint"], r["exchange_id"]) for r in csv.DictReader(handle)]
    assert len(ids) == len(set(ids)) == one_key

    report = export_cryptact(store, tmp_path / "cryptact.csv")
    alone = export_cryptact(store, tmp_path / "only-a.csv", key_ids=(a.id,))
    assert report.ok and report.rows_written == alone.rows_written > 0
