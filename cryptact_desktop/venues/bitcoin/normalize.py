"""An Esplora transaction -> one neutral record of the wallet (or nothing, or not yet).

A transaction lists every input (with the output it spends, ``prevout``) and every output, each
with its address and value in satoshis, and its ``fee``. The record is the wallet's side of it,
whichever of the wallet's addresses it touches: ``owned`` is every address of the wallet, so a
transaction seen from two of its addresses is the same record (its id is the txid) and counts once.

* The wallet spends nothing: DEPOSIT of what its addresses receive (``coinbase`` for a mined block's
  reward).
* The wallet spends: it pays the fee (all of it when every input is its own; a share by input value
  when others spend in the same transaction, as in a coinjoin), and WITHDRAWAL of what leaves the
  wallet apart from the fee. A transaction between the wallet's own addresses (a consolidation, a
  change-only send) is a WITHDRAWAL of 0 with its fee: only the fee is spent.
* The wallet spends but gains more than it gave (someone else paid into the same transaction): a
  DEPOSIT of the gain plus its fee share, with that fee.

Unconfirmed transactions are not final (they can be replaced or dropped): nothing is stored and the
time they were seen is kept open for the next sync. Amounts are BTC decimal text; ``network`` is
``BTC``; ``tx_hash`` the txid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from cryptact_desktop.records import NormalizedRecord, Parsed, Side, TransactionKind, decimal_text

COIN = "BTC"
NETWORK = "BTC"
SATS = Decimal(100_000_000)

Parser = Callable[[Mapping[str, Any]], Parsed]


def btc(sats: int) -> str:
    return decimal_text(Decimal(sats) / SATS)


def _sats(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what}: not an amount in satoshis")
    return value


def _txid(raw: Mapping[str, Any]) -> str:
    txid = raw.get("txid")
    if not isinstance(txid, str) or len(txid) != 64 or any(c not in "0123456789abcdef" for c in txid):
        raise ValueError("txid")
    return txid


def _entries(raw: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    items = raw.get(name)
    if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
        raise ValueError(name)
    return items


def confirmed_time_ms(raw: Mapping[str, Any]) -> int | None:
    """The block time of a confirmed transaction (ms), None for an unconfirmed one."""
    status = raw.get("status")
    if not isinstance(status, Mapping):
        raise ValueError("status")
    if not status.get("confirmed"):
        return None
    block_time = status.get("block_time")
    if isinstance(block_time, bool) or not isinstance(block_time, int) or block_time <= 0:
        raise ValueError("block_time")
    return block_time * 1000


def flows(raw: Mapping[str, Any], owned: frozenset[str]) -> tuple[int, int, int, int, bool]:
    """(wallet's inputs, wallet's outputs, every input, fee) in satoshis, and whether it is a
    coinbase transaction."""
    spent = total_in = 0
    coinbase = False
    for item in _entries(raw, "vin"):
        if item.get("is_coinbase"):
            coinbase = True
            continue
        prevout = item.get("prevout")
        if not isinstance(prevout, Mapping):
            raise ValueError("an input without the output it spends")
        value = _sats(prevout.get("value"), "input value")
        total_in += value
        if prevout.get("scriptpubkey_address") in owned:
            spent += value
    received = 0
    for item in _entries(raw, "vout"):
        value = _sats(item.get("value"), "output value")
        if item.get("scriptpubkey_address") in owned:
            received += value
    fee = 0 if coinbase else _sats(raw.get("fee", 0), "fee")
    return spent, received, total_in, fee, coinbase


def transaction(owned: frozenset[str] | Iterable[str], unconfirmed_ms: int) -> Parser:
    """The parser of a wallet's transactions (``owned``: every address of the wallet;
    ``unconfirmed_ms``: the time an unconfirmed transaction keeps open)."""
    addresses = frozenset(owned)

    def parse(raw: Mapping[str, Any]) -> Parsed:
        txid = _txid(raw)
        when = confirmed_time_ms(raw)
        if when is None:
            return Parsed(None, unconfirmed_ms, settled=False)
        spent, received, total_in, fee, coinbase = flows(raw, addresses)
        if spent == 0 and received == 0:
            return Parsed(None, when)  # none of the wallet's addresses: not its event
        base = NormalizedRecord(
            exchange_id=txid,
            timestamp_ms=when,
            kind=TransactionKind.DEPOSIT,
            base=COIN,
            side=Side.IN,
            network=NETWORK,
            tx_hash=txid,
            raw=dict(raw),
        )
        if spent == 0:
            return Parsed(replace(base, amount=btc(received), note="coinbase" if coinbase else ""), when)
        fee_share = fee if spent >= total_in else fee * spent // total_in
        sent = spent - received - fee_share
        if fee_share:
            base = replace(base, fee=btc(fee_share), fee_currency=COIN)
        if sent >= 0:
            record = replace(
                base,
                kind=TransactionKind.WITHDRAWAL,
                side=Side.OUT,
                amount=btc(sent),
                note="" if sent else "self-transfer",
            )
        else:
            record = replace(base, amount=btc(-sent), note="joint")
        return Parsed(record, when)

    return parse
