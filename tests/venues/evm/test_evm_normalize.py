"""The EVM normaliser on rows shaped as Etherscan's documented examples, and against the simulator
generator's own truth for every kind of event it makes."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.venues.evm import normalize
from cryptact_desktop.venues.evm.accounts import wallet_address
from cryptact_desktop.venues.evm.chains import ETHEREUM, POLYGON
from cryptact_desktop.venues.evm.simulator import generate_history

ME = "0x9F8c2b1E4d7A0c3B5e6F8a9D1c2B3e4F5a6B7c8D"  # as a wallet app shows it (mixed case)
ME_LOW = ME.lower()
FRIEND = "0x00000000219ab540356cbb839cbe05303d7705fa"
ROUTER = "0x7a250d5630b4cf539739df2c5dacb4c659f2488d"
POOL = "0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc"
USDT = "0xdac17f958d2ee523a2206206994597c13d831ec7"
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
HASH = "0x" + "ab" * 32


def normal(**fields: str) -> dict[str, str]:
    """A ``txlist`` row in the shape of the docs' example (every field a string)."""
    row = {
        "blockNumber": "19876543",
        "timeStamp": "1717000000",
        "hash": HASH,
        "nonce": "7",
        "blockHash": "0x" + "cd" * 32,
        "transactionIndex": "12",
        "from": ME_LOW,
        "to": FRIEND,
        "value": "0",
        "gas": "60000",
        "gasPrice": "30000000000",
        "isError": "0",
        "txreceipt_status": "1",
        "input": "0x",
        "contractAddress": "",
        "cumulativeGasUsed": "1234567",
        "gasUsed": "21000",
        "confirmations": "120000",
        "methodId": "0x",
        "functionName": "",
    }
    row.update(fields)
    return row


def internal(**fields: str) -> dict[str, str]:
    """A ``txlistinternal`` row (the docs' example fields)."""
    row = {
        "blockNumber": "19876543",
        "timeStamp": "1717000000",
        "hash": HASH,
        "from": ROUTER,
        "to": ME_LOW,
        "value": "0",
        "contractAddress": "",
        "input": "",
        "type": "call",
        "gas": "2300",
        "gasUsed": "0",
        "traceId": "0_1",
        "isError": "0",
        "errCode": "",
    }
    row.update(fields)
    return row


def token(**fields: str) -> dict[str, str]:
    """A ``tokentx`` row (the docs' example fields)."""
    row = {
        "blockNumber": "19876543",
        "timeStamp": "1717000000",
        "hash": HASH,
        "nonce": "7",
        "blockHash": "0x" + "cd" * 32,
        "from": FRIEND,
        "contractAddress": USDT,
        "to": ME_LOW,
        "value": "250000000",
        "tokenName": "Tether USD",
        "tokenSymbol": "USDT",
        "tokenDecimal": "6",
        "transactionIndex": "12",
        "gas": "90000",
        "gasPrice": "30000000000",
        "gasUsed": "52000",
        "cumulativeGasUsed": "1234567",
        "input": "deprecated",
        "confirmations": "120000",
    }
    row.update(fields)
    return row


def records_of(rows: dict[str, list[dict[str, Any]]], chain: Any = ETHEREUM) -> list[NormalizedRecord]:
    out: list[NormalizedRecord] = []
    for item in normalize.bundle(rows):
        out.extend(normalize.records(item, ME, chain))
    return out


GAS = "0.00063"  # 21000 × 30 gwei


def test_coin_received_is_a_deposit_without_fee() -> None:
    (record,) = records_of(
        {"txlist": [normal(**{"from": FRIEND, "to": ME_LOW, "value": "1500000000000000000"})]}
    )
    assert (record.kind, record.base, record.amount, record.side) == (
        TransactionKind.DEPOSIT,
        "ETH",
        "1.5",
        Side.IN,
    )
    assert (record.fee, record.exchange_id, record.tx_hash, record.network) == ("", HASH, HASH, "ETH")
    assert record.timestamp_ms == 1_717_000_000_000


def test_coin_sent_is_a_withdrawal_with_the_gas_as_fee() -> None:
    (record,) = records_of({"txlist": [normal(value="250000000000000000")]})
    assert (record.kind, record.base, record.amount, record.fee, record.fee_currency) == (
        TransactionKind.WITHDRAWAL,
        "ETH",
        "0.25",
        GAS,
        "ETH",
    )


def test_a_failed_transaction_moves_nothing_but_pays_gas() -> None:
    (record,) = records_of(
        {"txlist": [normal(value="1000000000000000000", isError="1", txreceipt_status="0", gasUsed="21000")]}
    )
    assert (record.kind, record.base, record.amount, record.fee, record.note) == (
        TransactionKind.FEE,
        "ETH",
        GAS,
        "",
        "failed transaction",
    )


def test_an_approval_is_a_fee_named_after_the_call() -> None:
    (record,) = records_of(
        {"txlist": [normal(to=USDT, functionName="approve(address spender, uint256 amount)")]}
    )
    assert (record.kind, record.amount, record.note) == (TransactionKind.FEE, GAS, "contract call approve")


def test_a_self_transfer_spends_only_its_gas() -> None:
    (record,) = records_of({"txlist": [normal(to=ME_LOW, value="3000000000000000000")]})
    assert (record.kind, record.base, record.amount, record.fee, record.note) == (
        TransactionKind.WITHDRAWAL,
        "ETH",
        "0",
        GAS,
        "self-transfer",
    )


def test_tokens_received_in_someone_elses_transaction() -> None:
    (record,) = records_of({"tokentx": [token()]})
    assert (record.kind, record.base, record.amount, record.fee) == (
        TransactionKind.DEPOSIT,
        "USDT",
        "250",
        "",
    )
    assert "0xdac1" in record.note  # the contract is named: a look-alike token shares the symbol


def test_tokens_sent_carry_the_transactions_gas_once() -> None:
    rows = {
        "txlist": [normal(to=USDT, functionName="transfer(address _to, uint256 _value)", gasUsed="52000")],
        "tokentx": [token(**{"from": ME_LOW, "to": FRIEND, "value": "1234500"})],
    }
    (record,) = records_of(rows)
    assert (record.kind, record.base, record.amount, record.fee) == (
        TransactionKind.WITHDRAWAL,
        "USDT",
        "1.2345",
        "0.00156",
    )


def test_a_swap_of_coin_for_a_token_is_one_convert() -> None:
    rows = {
        "txlist": [normal(to=ROUTER, value="200000000000000000", gasUsed="150000")],
        "tokentx": [
            token(
                **{
                    "from": POOL,
                    "contractAddress": USDC,
                    "tokenSymbol": "USDC",
                    "tokenName": "USD Coin",
                    "value": "512345678",
                }
            )
        ],
    }
    record, gas = records_of(rows)
    assert (gas.exchange_id, gas.kind, gas.base, gas.amount, gas.note) == (
        f"{HASH}:gas",
        TransactionKind.FEE,
        "ETH",
        "0.0045",
        "gas of the convert",
    )
    assert (record.kind, record.side, record.base, record.amount, record.quote, record.counter_amount) == (
        TransactionKind.CONVERT,
        Side.BUY,
        "USDC",
        "512.345678",
        "ETH",
        "0.2",
    )
    assert record.fee == ""
    assert Decimal(record.price) == (Decimal("0.2") / Decimal("512.345678")).quantize(Decimal(record.price))


def test_a_swap_of_a_token_for_coin_paid_back_internally() -> None:
    rows = {
        "txlist": [normal(to=ROUTER, gasUsed="150000")],
        "txlistinternal": [internal(value="750000000000000000")],
        "tokentx": [token(**{"from": ME_LOW, "to": POOL, "value": "2000000000"})],
    }
    record, gas = records_of(rows)
    assert (gas.kind, gas.amount) == (TransactionKind.FEE, "0.0045")
    assert (record.kind, record.base, record.amount, record.quote, record.counter_amount) == (
        TransactionKind.CONVERT,
        "ETH",
        "0.75",
        "USDT",
        "2000",
    )


def test_coin_paid_by_a_contract_in_someone_elses_transaction_is_a_deposit() -> None:
    (record,) = records_of({"txlistinternal": [internal(value="100000000000000000")]})
    assert (record.kind, record.amount, record.fee) == (TransactionKind.DEPOSIT, "0.1", "")


def test_failed_internal_transfers_and_zero_value_poisoning_are_nothing() -> None:
    rows = {
        "txlistinternal": [internal(value="100000000000000000", isError="1")],
        "tokentx": [token(**{"from": ME_LOW, "to": FRIEND, "value": "0", "hash": "0x" + "ef" * 32})],
    }
    assert records_of(rows) == []


def test_three_assets_become_one_record_per_leg_with_the_gas_once() -> None:
    rows = {
        "txlist": [normal(to=ROUTER, value="1000000000000000000", gasUsed="210000")],
        "tokentx": [
            token(**{"from": ME_LOW, "to": POOL, "value": "3000000000"}),
            token(
                **{
                    "from": "0x0000000000000000000000000000000000000000",
                    "contractAddress": POOL,
                    "tokenSymbol": "UNI-V2",
                    "tokenDecimal": "18",
                    "value": "42000000000000000000",
                }
            ),
        ],
    }
    records = records_of(rows)
    assert Counter((r.kind, r.base, r.amount) for r in records) == Counter(
        [
            (TransactionKind.WITHDRAWAL, "ETH", "1"),
            (TransactionKind.WITHDRAWAL, "USDT", "3000"),
            (TransactionKind.DEPOSIT, "UNI-V2", "42"),
        ]
    )
    assert sorted(r.exchange_id for r in records) == sorted([HASH, f"{HASH}:2", f"{HASH}:3"])
    assert [r.fee for r in records if r.fee] == ["0.0063"]
    assert all("3-leg transaction" in r.note for r in records)


def test_the_chains_coin_is_the_base_and_network() -> None:
    (record,) = records_of({"txlist": [normal(value="5000000000000000000")]}, POLYGON)
    assert (record.base, record.fee_currency, record.network) == ("POL", "POL", "POLYGON")


def test_malformed_rows_are_refused() -> None:
    with pytest.raises(ValueError):
        normalize.bundle({"txlist": [normal(blockNumber="x")]})
    with pytest.raises(ValueError):
        records_of({"txlist": [normal(value="-1")]})


# ----------------------------------------------------------------------------- generator's truth


def _check_event(event: Any, records: list[NormalizedRecord]) -> None:
    gas = event.gas
    apart = [r for r in records if r.exchange_id.endswith(":gas")]
    records = [r for r in records if r not in apart]
    fees = sum((Decimal(r.fee) for r in records if r.fee), Decimal(0))
    fees += sum((Decimal(r.amount) for r in apart if r.kind is TransactionKind.FEE), Decimal(0))
    if not event.legs:
        assert records == [], event.label
        return
    if len(event.legs) == 1 and event.legs[0].kind == "fee":
        (record,) = records
        assert record.kind is TransactionKind.FEE and Decimal(record.amount) == gas, event.label
        return
    assert fees == gas, event.label
    if len(event.legs) == 1:
        (leg,) = event.legs
        (record,) = records
        assert (record.kind.value, record.base, Decimal(record.amount)) == (leg.kind, leg.asset, leg.amount)
        if leg.kind == "convert":
            assert (record.quote, Decimal(record.counter_amount)) == (leg.counter_asset, leg.counter_amount)
        return
    wanted = Counter((leg.kind, leg.asset, leg.amount) for leg in event.legs)
    assert Counter((r.kind.value, r.base, Decimal(r.amount)) for r in records) == wanted, event.label


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_normaliser_agrees_with_the_generators_truth(seed: int) -> None:
    address = wallet_address(seed)
    history = generate_history(
        seed,
        address,
        coin="ETH",
        genesis_ms=ETHEREUM.genesis_ms,
        block_seconds=12.0,
        now_ms=1_780_000_000_000,
        size="small",
    )
    rows = {action: history.rows(action) for action in normalize.ACTIONS}
    by_hash: dict[str, list[NormalizedRecord]] = {}
    for item in normalize.bundle(rows):
        by_hash[item.hash] = list(normalize.records(item, address, ETHEREUM))
    labels = Counter(event.label for event in history.truth)
    assert len(labels) >= 14, labels  # every kind of event was generated
    for event in history.truth:
        _check_event(event, by_hash.get(event.hash, []))
    assert set(by_hash) == {event.hash for event in history.truth}


def test_a_claim_the_wallet_sent_is_a_deposit_and_its_gas_a_fee_of_its_own() -> None:
    rows = {
        "txlist": [normal(to=ROUTER, functionName="claim()", gasUsed="100000")],
        "tokentx": [token(**{"from": ROUTER, "value": "5000000"})],
    }
    deposit, gas = records_of(rows)
    assert (deposit.kind, deposit.base, deposit.amount, deposit.fee) == (
        TransactionKind.DEPOSIT,
        "USDT",
        "5",
        "",
    )
    assert (gas.exchange_id, gas.kind, gas.base, gas.amount) == (
        f"{HASH}:gas",
        TransactionKind.FEE,
        "ETH",
        "0.003",
    )
