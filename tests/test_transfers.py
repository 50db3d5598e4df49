"""Own transfers across keys and wallets, and the user's classification of the ones nothing matched:
the matching rules on neutral entries, the stored classifications, and what the export writes."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cryptact_desktop import cli
from cryptact_desktop.export.cryptact import export_cryptact
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.paths import DataPaths
from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.state import NewKey, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.transfers.book import Role, classify, transfer_book
from cryptact_desktop.transfers.classes import TransferClass, class_label, parse_class
from cryptact_desktop.transfers.matching import (
    EARLY_MS,
    WINDOW_MS,
    MatchMethod,
    amount_fits,
    match_transfers,
)

T0 = 1_720_000_000_000
HOUR = 3_600_000
HASH = "ab" * 32


def view(
    ident: int,
    key_id: int,
    kind: TransactionKind,
    amount: str,
    *,
    at: int = T0,
    base: str = "BTC",
    fee: str = "",
    tx_hash: str = "",
    mirror_of: str = "",
) -> TransactionView:
    return TransactionView(
        id=ident,
        key_id=key_id,
        endpoint="moves",
        stream="s",
        exchange_id=f"e{ident}",
        timestamp_ms=at,
        kind=kind.value,
        base=base,
        quote="",
        side="out" if kind is TransactionKind.WITHDRAWAL else "in",
        amount=amount,
        price="",
        fee=fee,
        fee_currency=base if fee else "",
        network="",
        tx_hash=tx_hash,
        source="api",
        mirror_of=mirror_of,
    )


OUT, IN = TransactionKind.WITHDRAWAL, TransactionKind.DEPOSIT


# --------------------------------------------------------------------------- matching


def test_a_withdrawal_matches_the_deposit_with_its_tx_hash_on_another_key() -> None:
    sent = view(1, 1, OUT, "0.5", fee="0.0002", tx_hash="0x" + HASH.upper())
    other = view(2, 2, IN, "0.5", at=T0 + 10 * HOUR, tx_hash="0xffff")  # another transaction
    received = view(3, 2, IN, "0.7", at=T0 + 90 * HOUR, tx_hash=HASH)  # late and not the amount
    matching = match_transfers([received, other, sent])
    (pair,) = matching.pairs
    assert (pair.sent.id, pair.received.id, pair.method) == (1, 3, MatchMethod.TX_HASH)
    assert matching.unmatched == ()


def test_the_same_hash_on_the_same_key_or_of_another_asset_is_not_a_transfer() -> None:
    sent = view(1, 1, OUT, "1", tx_hash=HASH)
    same_key = view(2, 1, IN, "1", tx_hash=HASH)
    other_asset = view(3, 2, IN, "1", base="ETH", tx_hash=HASH)
    matching = match_transfers([sent, same_key, other_asset])
    assert matching.pairs == () and [v.id for v in matching.unmatched] == [1]


@pytest.mark.parametrize(
    ("received", "fits"),
    [
        ("0.5", True),  # the amount sent (the venue lists it net of its fee)
        ("0.4998", True),  # the amount sent less the fee (the venue lists it before its fee)
        ("0.49999", True),
        ("0.4997", False),  # less than the amount net of the fee
        ("0.50006", False),  # more than was sent (beyond a basis point)
        ("0.500049", True),  # within a basis point
    ],
)
def test_amount_fits_between_the_amount_net_of_fee_and_the_amount(received: str, fits: bool) -> None:
    sent = view(1, 1, OUT, "0.5", fee="0.0002")
    assert amount_fits(sent, view(2, 2, IN, received)) is fits


def test_without_hashes_the_amount_and_time_window_decide() -> None:
    sent = view(1, 1, OUT, "2", fee="0.001")
    early = view(2, 2, IN, "2", at=T0 - EARLY_MS - 1)
    late = view(3, 2, IN, "2", at=T0 + WINDOW_MS + 1)
    assert match_transfers([sent, early, late]).pairs == ()
    near = view(4, 3, IN, "1.999", at=T0 + 2 * HOUR)
    nearer = view(5, 2, IN, "2", at=T0 + HOUR)
    (pair,) = match_transfers([sent, early, late, near, nearer]).pairs
    assert (pair.received.id, pair.method) == (5, MatchMethod.AMOUNT)


def test_entries_that_both_name_a_transaction_match_only_by_it() -> None:
    sent = view(1, 1, OUT, "2", tx_hash=HASH)
    received = view(2, 2, IN, "2", at=T0 + HOUR, tx_hash="cd" * 32)
    assert match_transfers([sent, received]).pairs == ()
    assert match_transfers([sent, received._replace(tx_hash="")]).pairs[0].method is MatchMethod.AMOUNT


def test_each_entry_is_in_one_pair_at_most() -> None:
    first = view(1, 1, OUT, "1", at=T0)
    second = view(2, 1, OUT, "1", at=T0 + HOUR)
    only = view(3, 2, IN, "1", at=T0 + 2 * HOUR)
    matching = match_transfers([first, second, only])
    assert [(p.sent.id, p.received.id) for p in matching.pairs] == [(1, 3)]
    assert [v.id for v in matching.unmatched] == [2]


def test_zero_withdrawals_and_copies_are_not_transfers() -> None:
    own_addresses = view(1, 1, OUT, "0", fee="0.00001")  # a wallet paying only a fee
    copy = view(2, 1, OUT, "3", mirror_of="withdrawals")
    assert match_transfers([own_addresses, copy]) == match_transfers([])


def test_classifications_parse_and_have_labels() -> None:
    assert parse_class(" Sold ") is TransferClass.SOLD
    assert parse_class("none") is None and parse_class("") is None
    with pytest.raises(ValueError, match="own, sold, gift, lost"):
        parse_class("burned")
    assert class_label(None) == "Not classified"
    assert {class_label(c) for c in TransferClass} == {
        "Sent to my other wallet or account",
        "Sold or paid for something",
        "Gift",
        "Lost or stolen",
    }


# --------------------------------------------------------------------------- store and export


def _key(store: Store, exchange: str, label: str, endpoint: str) -> int:
    return store.add_key(NewKey(exchange=exchange, label=label, host_id="custom", endpoints=(endpoint,)))


def _record(ident: str, kind: TransactionKind, amount: str, at: int, **fields: str) -> NormalizedRecord:
    side = Side.OUT if kind is OUT else Side.IN
    return NormalizedRecord(ident, at, kind, base="BTC", side=side, amount=amount, **fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store(DataPaths(tmp_path).database)
    exchange = _key(made, "bybit", "Exchange", "withdrawals")
    wallet = _key(made, "bitcoin", "Wallet", "transactions")
    made.commit_page(
        exchange,
        "withdrawals",
        "withdrawal",
        [
            # To the wallet: the same transaction on both sides.
            _record("w1", OUT, "0.25", T0, fee="0.0002", fee_currency="BTC", tx_hash=HASH),
            # Somewhere else: nothing of the user's received it.
            _record("w2", OUT, "0.1", T0 + 5 * HOUR, fee="0.0002", fee_currency="BTC", tx_hash="ef" * 32),
        ],
        covered=(T0 - 1, T0 + 6 * HOUR),
    )
    made.commit_page(
        wallet,
        "transactions",
        "txs",
        [
            _record("in1", IN, "0.25", T0 + HOUR, tx_hash=HASH),
            # The wallet sends on, 0.05 BTC with a fee; nobody of the user's received it.
            _record(
                "out1", OUT, "0.05", T0 + 30 * HOUR, fee="0.00001", fee_currency="BTC", tx_hash="12" * 32
            ),
        ],
        covered=(T0 - 1, T0 + 31 * HOUR),
    )
    yield made
    made.close()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_matched_pair_exports_only_the_sent_fee_and_the_others_are_flagged(
    store: Store, tmp_path: Path
) -> None:
    book = transfer_book(store)
    (pair,) = book.pairs
    assert (pair.sent.exchange_id, pair.received.exchange_id) == ("w1", "in1")
    assert [v.exchange_id for v in book.unclassified] == ["w2", "out1"]
    assert book.role(pair.received) == Role.OWN_RECEIVED

    report = export_cryptact(store, tmp_path / "out.csv")
    rows = _rows(tmp_path / "out.csv")
    assert [(r["Action"], r["Volume"], r["Comment"].split(" ")[0].rsplit(":", 1)[1]) for r in rows] == [
        ("SENDFEE", "0.0002", "w1"),
        ("SENDFEE", "0.0002", "w2"),
        ("SENDFEE", "0.00001", "out1"),
    ]
    assert "own-transfer" in rows[0]["Comment"]
    (warning,) = [w for w in report.warnings if "classified" in w]
    assert warning.startswith("2 outgoing transfers match no deposit")


@pytest.mark.parametrize(
    ("value", "action"),
    [(TransferClass.SOLD, "PAY"), (TransferClass.GIFT, "REDUCE"), (TransferClass.LOST, "LOSS")],
)
def test_a_classified_transfer_exports_as_the_user_said(
    store: Store, tmp_path: Path, value: TransferClass, action: str
) -> None:
    book = transfer_book(store)
    sent_on = {v.exchange_id: v for v in book.unclassified}
    classify(store, sent_on["out1"], value)
    classify(store, sent_on["w2"], TransferClass.OWN)
    book = transfer_book(store)
    assert book.unclassified == () and book.classification(sent_on["out1"]) is value

    report = export_cryptact(store, tmp_path / "out.csv")
    rows = _rows(tmp_path / "out.csv")
    assert [(r["Action"], r["Volume"], r["Price"], r["Counter"]) for r in rows] == [
        ("SENDFEE", "0.0002", "", "JPY"),
        ("SENDFEE", "0.0002", "", "JPY"),
        (action, "0.05", "0" if action == "LOSS" else "", "JPY"),  # a LOSS carries price 0
        ("SENDFEE", "0.00001", "", "JPY"),
    ]
    assert not [w for w in report.warnings if "classified" in w]

    classify(store, sent_on["out1"], None)  # cleared: unclassified again
    assert [v.exchange_id for v in transfer_book(store).unclassified] == ["out1"]


def test_a_classification_goes_with_its_key(store: Store) -> None:
    book = transfer_book(store)
    (wallet_send,) = [v for v in book.unclassified if v.exchange_id == "out1"]
    classify(store, wallet_send, TransferClass.GIFT)
    store.remove_key(wallet_send.key_id, delete_transactions=True)
    assert store.transfer_classes() == {}


def _cli(data_dir: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["--data-dir", str(data_dir), *args],
        secrets=SecretStore(MemoryKeyring()),
        stdin=io.StringIO(""),
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def test_the_cli_lists_and_classifies_transfers(store: Store, tmp_path: Path) -> None:
    code, out, _ = _cli(tmp_path, "--json", "transfers")
    assert code == 0
    listed = json.loads(out)
    assert [(p["sent"]["key"], p["received"]["key"], p["matched_by"]) for p in listed["own_transfers"]] == [
        ("Exchange", "Wallet", "tx_hash")
    ]
    unmatched = {item["id"]: item for item in listed["unmatched"]}
    assert [item["classification"] for item in unmatched.values()] == [None, None]
    (wallet_send,) = [i for i, item in unmatched.items() if item["key"] == "Wallet"]

    code, out, _ = _cli(tmp_path, "transfers", "classify", str(wallet_send), "sold")
    assert code == 0 and "Sold or paid for something" in out
    code, text, _ = _cli(tmp_path, "transfers")
    assert code == 0 and "(1 not classified)" in text and "Sold or paid for something" in text
    assert "transfers classify ID own|sold|gift|lost" in text

    # A deposit, an unknown id or class: refused with the way out, nothing stored.
    (pair,) = listed["own_transfers"]
    for args in ([str(pair["received"]["id"]), "gift"], ["99999", "gift"], [str(wallet_send), "burnt"]):
        code, _, err = _cli(tmp_path, "transfers", "classify", *args)
        assert code == 2 and err
    code, out, _ = _cli(tmp_path, "transfers", "classify", str(wallet_send), "none")
    assert code == 0 and "Not classified" in out
    assert store.transfer_classes() == {}


def test_a_classification_behind_the_watermark_asks_for_a_full_export(store: Store, tmp_path: Path) -> None:
    first = export_cryptact(store, tmp_path / "first.csv", mode="new")
    assert first.ok and first.backfilled == 0
    (wallet_send,) = [v for v in transfer_book(store).unclassified if v.exchange_id == "out1"]
    time.sleep(0.01)
    classify(store, wallet_send, TransferClass.SOLD)  # decided after the export above

    again = export_cryptact(store, tmp_path / "again.csv", mode="new")
    assert again.backfilled == 1
    assert any("synced or classified after the last export" in w for w in again.warnings)
    # The full file has the sale.
    export_cryptact(store, tmp_path / "full.csv", mode="all")
    assert "PAY" in [r["Action"] for r in _rows(tmp_path / "full.csv")]


def test_the_user_may_overrule_a_match(store: Store, tmp_path: Path) -> None:
    (pair,) = transfer_book(store).pairs
    classify(store, pair.sent, TransferClass.SOLD)  # "I sold those coins; the deposit was another"
    book = transfer_book(store)
    assert book.pairs == ()
    assert [v.exchange_id for v in book.unmatched] == ["w1", "w2", "out1"]
    assert book.role(pair.received) == ""  # a plain deposit again
    export_cryptact(store, tmp_path / "out.csv")
    rows = _rows(tmp_path / "out.csv")
    assert ("PAY", "0.25") in [(r["Action"], r["Volume"]) for r in rows]

    classify(store, pair.sent, TransferClass.OWN)  # "it was mine after all": the pair is back
    assert [p.sent.exchange_id for p in transfer_book(store).pairs] == ["w1"]
    code, out, _ = _cli(tmp_path, "transfers", "classify", str(pair.sent.id), "none")
    assert code == 0 and [p.sent.exchange_id for p in transfer_book(store).pairs] == ["w1"]
