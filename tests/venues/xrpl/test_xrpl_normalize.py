"""The XRP Ledger normaliser on the docs' example responses (``account_tx`` API v2, the metadata of
an order that traded XRP for USD) and on payments shaped as the docs describe them: partial
payments (``delivered_amount`` below ``Amount``), failed transactions that still pay their fee,
destination tags, account activation and issued currencies with 40-hex codes."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.venues.xrpl import normalize

FIXTURES = Path(__file__).parent / "fixtures"
ISSUER = "rvYAfWj5gh67oV6fW32ZzP3Aw4Eubs59B"
ME = "rBTwLga3i2gz3doX6Gva3MgEV8ZCD8jjah"
MAKER = "rPx6Rbh8fStXeP3LwECBisownN2ZyMyzYS"
OTHER = "rLNaPoKeeBjZe2qs6x52yVPZpZ8td4dc6w"
HASH = "424661CF1FD3675D11EC910CF161979553B6D135F9BD03E6F8D4611D88D27581"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def account_root(account: str, before: int | None, after: int, created: bool = False) -> dict[str, Any]:
    if created:
        return {
            "CreatedNode": {
                "LedgerEntryType": "AccountRoot",
                "NewFields": {"Account": account, "Balance": str(after)},
            }
        }
    node: dict[str, Any] = {
        "LedgerEntryType": "AccountRoot",
        "FinalFields": {"Account": account, "Balance": str(after)},
    }
    if before is not None:
        node["PreviousFields"] = {"Balance": str(before)}
    return {"ModifiedNode": node}


def entry_v1(tx: dict[str, Any], meta: dict[str, Any], *, validated: bool = True) -> dict[str, Any]:
    return {
        "tx": {"hash": HASH, "date": 811446652, "ledger_index": 98918111, "Fee": "12", "Flags": 0, **tx},
        "meta": {"TransactionIndex": 3, **meta},
        "validated": validated,
    }


def test_the_docs_trust_line_example_is_a_fee_for_its_sender_and_nothing_for_the_issuer() -> None:
    entry = load("docs_account_tx_v2.json")["result"]["transactions"][0]
    assert normalize.position(entry) == (98918111, 68)
    assert normalize.transaction(OTHER)(entry).record is None  # a trust line opened to it
    parsed = normalize.transaction("r48QyLLbot7VCfw325LrXAUtP6CRfU3tb4")(entry)
    record = parsed.record
    assert record is not None
    assert record.kind is TransactionKind.FEE
    assert (record.base, record.amount, record.note) == ("XRP", "0.00001", "TrustSet")
    assert (
        record.exchange_id
        == record.tx_hash
        == "C58EB987B4AC3AE984ADF70DE375AD9B8A180569C30072DE57D6E17EFC69E7F0"
    )
    assert record.network == "XRP"
    assert record.timestamp_ms == 1758131452000  # 2025-09-17T17:50:52Z, the entry's close_time_iso


def test_the_docs_order_example_is_a_convert_for_the_taker_and_for_the_offer_owner() -> None:
    meta = load("docs_offer_metadata.json")
    entry = entry_v1({"Account": ME, "TransactionType": "OfferCreate", "Fee": "100"}, meta)
    taker = normalize.transaction(ME)(entry).record
    assert taker is not None and taker.kind is TransactionKind.CONVERT
    # 5 XRP bought for 3.012 USD plus Bitstamp's 0.15 % transfer fee; the 100-drop fee apart.
    assert (taker.base, taker.amount, taker.quote, taker.counter_amount) == (
        "XRP",
        "5",
        "USD.rvYAfWj5",
        "3.016518",
    )
    assert (taker.fee, taker.fee_currency) == ("0.0001", "XRP")
    maker = normalize.transaction(MAKER)(entry).record
    assert maker is not None and maker.kind is TransactionKind.CONVERT
    assert (maker.base, maker.amount, maker.quote, maker.counter_amount) == (
        "USD.rvYAfWj5",
        "3.012",
        "XRP",
        "5",
    )
    assert maker.fee == ""  # someone else's transaction consumed the offer


def payment(amount: Any, delivered: Any, *, flags: int = 0, tag: int | None = None) -> dict[str, Any]:
    tx: dict[str, Any] = {
        "Account": OTHER,
        "Destination": ME,
        "TransactionType": "Payment",
        "Amount": amount,
        "Flags": flags,
    }
    if tag is not None:
        tx["DestinationTag"] = tag
    meta = {
        "TransactionResult": "tesSUCCESS",
        "delivered_amount": delivered,
        "AffectedNodes": [
            account_root(OTHER, 90_000_000, 80_000_000 - 12),
            account_root(ME, 20_000_000, 30_000_000),
        ],
    }
    return entry_v1(tx, meta)


def test_a_partial_payment_counts_what_was_delivered_not_its_amount() -> None:
    entry = payment("1000000000", "10000000", flags=normalize.TF_PARTIAL_PAYMENT)
    record = normalize.transaction(ME)(entry).record
    assert record is not None and record.kind is TransactionKind.DEPOSIT and record.side is Side.IN
    assert (record.base, record.amount, record.note) == ("XRP", "10", "Payment partial")
    assert record.fee == ""  # the sender paid it


def test_an_unavailable_delivered_amount_of_a_partial_payment_reads_the_balance_change() -> None:
    entry = payment("1000000000", "unavailable", flags=normalize.TF_PARTIAL_PAYMENT)
    record = normalize.transaction(ME)(entry).record
    assert record is not None and record.amount == "10"
    plain = normalize.transaction(ME)(payment("10000000", "unavailable")).record
    assert plain is not None and plain.amount == "10"


def test_an_outgoing_payment_keeps_its_destination_tag_and_pays_the_fee() -> None:
    entry = payment("25000000", "25000000", tag=104857)
    entry["tx"].update(Account=ME, Destination=OTHER)
    entry["meta"]["AffectedNodes"] = [
        account_root(ME, 100_000_000, 75_000_000 - 12),
        account_root(OTHER, 1, 25_000_001),
    ]
    record = normalize.transaction(ME)(entry).record
    assert record is not None and record.kind is TransactionKind.WITHDRAWAL and record.side is Side.OUT
    assert (record.base, record.amount, record.fee, record.fee_currency) == ("XRP", "25", "0.000012", "XRP")
    assert record.note == "Payment tag 104857"


def test_activation_is_a_deposit_and_a_failed_payment_still_costs_its_fee() -> None:
    entry = payment("20000000", "20000000")
    entry["meta"]["AffectedNodes"][1] = account_root(ME, None, 20_000_000, created=True)
    record = normalize.transaction(ME)(entry).record
    assert (
        record is not None and record.kind is TransactionKind.DEPOSIT and record.note == "Payment activation"
    )

    failed = copy.deepcopy(payment("500000000", "0"))
    failed["tx"].update(Account=ME, Destination=OTHER)
    failed["meta"] = {
        "TransactionIndex": 1,
        "TransactionResult": "tecUNFUNDED_PAYMENT",
        "AffectedNodes": [account_root(ME, 30_000_000, 30_000_000 - 12)],
    }
    fee = normalize.transaction(ME)(failed).record
    assert fee is not None and fee.kind is TransactionKind.FEE
    assert (fee.amount, fee.base, fee.note) == ("0.000012", "XRP", "Payment tecUNFUNDED_PAYMENT")
    assert normalize.transaction(OTHER)(failed).record is None  # the destination of a failed payment


def test_an_issued_currency_with_a_hex_code_is_named_with_its_issuer() -> None:
    code = "534F4C4F00000000000000000000000000000000"
    amount = {"currency": code, "issuer": ISSUER, "value": "125.5"}
    entry = payment(amount, amount)
    entry["meta"]["AffectedNodes"] = [
        {
            "ModifiedNode": {
                "LedgerEntryType": "RippleState",
                "FinalFields": {
                    "Balance": {"currency": code, "issuer": "rrrrrrrrrrrrrrrrrrrrBZbvji", "value": "-125.5"},
                    "HighLimit": {"currency": code, "issuer": ME, "value": "1000"},
                    "LowLimit": {"currency": code, "issuer": ISSUER, "value": "0"},
                },
                "PreviousFields": {
                    "Balance": {"currency": code, "issuer": "rrrrrrrrrrrrrrrrrrrrBZbvji", "value": "0"}
                },
            }
        }
    ]
    record = normalize.transaction(ME)(entry).record
    assert record is not None and (record.base, record.amount) == ("SOLO.rvYAfWj5", "125.5")
    assert normalize.balance_changes(entry["meta"], ME) == {(code, ISSUER): Decimal("125.5")}
    assert normalize.currency_name("0000000000000000000000005553440000000000") == "USD"
    assert normalize.currency_name("FF00FF0000000000000000000000000000000000") == "FF00FF00"


def test_an_unvalidated_entry_is_not_stored_yet() -> None:
    parsed = normalize.transaction(ME)(payment("1000000", "1000000") | {"validated": False})
    assert parsed.record is None and not parsed.settled


@pytest.mark.parametrize("broken", ["no meta", "bad hash", "bad amount"])
def test_a_malformed_entry_is_refused(broken: str) -> None:
    entry = payment("1000000", "1000000")
    if broken == "no meta":
        del entry["meta"]
    elif broken == "bad hash":
        entry["tx"]["hash"] = "XYZ"
    else:
        entry["meta"]["delivered_amount"] = "1.5"
    with pytest.raises(ValueError):
        normalize.transaction(ME)(entry)
