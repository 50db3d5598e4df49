"""One transaction's rows from the three lists -> the wallet's neutral record(s).

A transaction hash can appear in all three lists: ``txlist`` (the transaction itself, when the
wallet sent it or received its value: ``from``, ``to``, ``value`` in wei, ``gasUsed`` ×
``gasPrice``, ``isError``), ``txlistinternal`` (value a contract moved to or from the wallet
inside any transaction, sent by anyone) and ``tokentx`` (ERC-20 transfers to or from the wallet,
with ``contractAddress``, ``tokenSymbol``, ``tokenDecimal``). :func:`bundle` groups a page's rows
by hash; :func:`records` nets what the wallet gained and gave per asset:

* **gas** is the wallet's only when it sent the transaction (``txlist`` ``from`` is the wallet), once
  per transaction, in the chain's coin — a failed transaction (``isError`` 1) moves nothing but
  still pays it;
* nothing gained or given: a self-transfer (sent to itself) is a WITHDRAWAL of 0 with its gas; any
  other transaction the wallet sent (an approval, a failed call) is a FEE of its gas; one the wallet
  did not send (a zero-value "address poisoning" transfer) is nothing;
* one asset given: WITHDRAWAL (gas as its fee); one asset gained: DEPOSIT;
* one given and one gained (a swap through a router: coin out and token in, token out and coin
  back as an internal transaction, token for token): CONVERT into the gained asset, with
  ``counter_amount`` the given one;
* more assets on a side (adding liquidity: two tokens given, a pool token gained): one record per
  asset, DEPOSIT or WITHDRAWAL, the first carrying the gas, ids ``hash``, ``hash:2``… and the note
  says how many legs the transaction has (the user classifies it; nothing is guessed);
* the gas of a CONVERT or a DEPOSIT the wallet sent (a swap, a claim) is a FEE record of its own,
  ``hash:gas``: a withdrawal's fee is exported as SENDFEE, but the export has no column for a
  convert's or a deposit's fee, and the gas must not be lost.

A token is told apart by its contract (two tokens may share a symbol: a scam copy of USDT); the
record's ``base`` is its symbol and the note names its contract. Amounts are decimal text (wei /
10^18 for the coin, raw / 10^``tokenDecimal`` for a token). A block younger than the chain's
settle time is not stored yet (a reorganisation may still drop it): its time is kept open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from typing import Any

from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind, decimal_text
from cryptact_desktop.venues.evm.chains import Chain

NORMAL = "txlist"
INTERNAL = "txlistinternal"
TOKENS = "tokentx"
ACTIONS = (NORMAL, INTERNAL, TOKENS)
WEI = 18
_COIN = "coin"  # the asset key of the chain's own coin
# Kinds whose fee the export has no column for (a convert's fee and a deposit's are not exported):
# the gas the wallet paid for them is a FEE record of its own, so it is never lost.
_GAS_APART = frozenset({TransactionKind.CONVERT, TransactionKind.DEPOSIT})


def _int(raw: Mapping[str, Any], name: str) -> int:
    value = raw.get(name)
    text = str(value).strip() if value is not None else ""
    if not text.isdigit():
        raise ValueError(f"{name}: not a whole number")
    return int(text)


def _address(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    return value.lower() if isinstance(value, str) else ""


def _scaled(units: int, decimals: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 100
        return Decimal(units).scaleb(-decimals)


def tx_hash(raw: Mapping[str, Any]) -> str:
    value = raw.get("hash")
    if not isinstance(value, str) or not value or len(value) > 100:
        raise ValueError("hash")
    return value.lower()


def block_of(raw: Mapping[str, Any]) -> int:
    return _int(raw, "blockNumber")


def time_ms_of(raw: Mapping[str, Any]) -> int:
    return _int(raw, "timeStamp") * 1000


@dataclass
class Bundle:
    """Every row of one transaction hash, from the three lists."""

    hash: str
    block: int
    time_ms: int
    rows: dict[str, list[Mapping[str, Any]]] = field(default_factory=lambda: {a: [] for a in ACTIONS})

    def raw(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            **{action: [dict(r) for r in rows] for action, rows in self.rows.items() if rows},
        }


def bundle(rows: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Bundle]:
    """Rows of each list (``action`` -> rows) grouped by transaction hash, in block order."""
    bundles: dict[str, Bundle] = {}
    for action in ACTIONS:
        for row in rows.get(action, ()):
            if not isinstance(row, Mapping):
                raise ValueError(f"{action}: a row that is not an object")
            key = tx_hash(row)
            item = bundles.get(key)
            if item is None:
                item = bundles[key] = Bundle(key, block_of(row), time_ms_of(row))
            item.rows[action].append(row)
    return sorted(bundles.values(), key=lambda b: (b.block, b.hash))


@dataclass(frozen=True, slots=True)
class _Asset:
    key: str  # _COIN or the token contract (lower case)
    symbol: str
    decimals: int


def _token(row: Mapping[str, Any]) -> _Asset:
    contract = _address(row, "contractAddress")
    symbol = str(row.get("tokenSymbol") or "").strip() or f"{contract[:8]}…"
    decimals_text = str(row.get("tokenDecimal") or "0").strip()
    decimals = int(decimals_text) if decimals_text.isdigit() else 0
    return _Asset(contract, symbol[:32], min(decimals, 77))


def records(item: Bundle, wallet: str, chain: Chain) -> tuple[NormalizedRecord, ...]:
    """The wallet's record(s) of one transaction (``wallet``: its address, any case)."""
    out = _records(item, wallet, chain)
    first = out[0] if out else None
    if first is None or not first.fee or first.kind not in _GAS_APART:
        return out
    gas = replace(
        first,
        exchange_id=f"{item.hash}:gas",
        kind=TransactionKind.FEE,
        side=Side.OUT,
        base=chain.coin,
        quote="",
        amount=first.fee,
        price="",
        counter_amount="",
        fee="",
        fee_currency="",
        note=f"gas of the {first.kind.value}",
    )
    return (replace(first, fee="", fee_currency=""), *out[1:], gas)


def _records(item: Bundle, wallet: str, chain: Chain) -> tuple[NormalizedRecord, ...]:
    me = wallet.lower()
    coin = _Asset(_COIN, chain.coin, WEI)
    units: dict[_Asset, int] = {}
    gas = 0
    sent = failed = to_self = False
    call = ""

    def add(asset: _Asset, amount: int) -> None:
        units[asset] = units.get(asset, 0) + amount

    for row in item.rows[NORMAL]:
        source, target = _address(row, "from"), _address(row, "to")
        ok = str(row.get("isError", "0")) != "1" and str(row.get("txreceipt_status", "1")) != "0"
        if source == me:
            sent = True
            gas = _int(row, "gasUsed") * _int(row, "gasPrice")
            failed = not ok
            to_self = target == me
            call = str(row.get("functionName") or "").split("(", 1)[0].strip()[:40]
        value = _int(row, "value")
        if ok and value:
            if source == me:
                add(coin, -value)
            if target == me:
                add(coin, value)
    for row in item.rows[INTERNAL]:
        if str(row.get("isError", "0")) == "1":
            continue
        value = _int(row, "value")
        if _address(row, "from") == me:
            add(coin, -value)
        if _address(row, "to") == me:
            add(coin, value)
    for row in item.rows[TOKENS]:
        asset = _token(row)
        value = _int(row, "value")
        if _address(row, "from") == me:
            add(asset, -value)
        if _address(row, "to") == me:
            add(asset, value)

    gained = [(a, n) for a, n in units.items() if n > 0]
    given = [(a, -n) for a, n in units.items() if n < 0]
    base = NormalizedRecord(
        exchange_id=item.hash,
        timestamp_ms=item.time_ms,
        kind=TransactionKind.FEE,
        network=chain.network,
        tx_hash=item.hash,
        raw=item.raw(),
    )
    fee = decimal_text(_scaled(gas, WEI)) if gas else ""
    if fee:
        base = replace(base, fee=fee, fee_currency=chain.coin)
    if not gained and not given:
        if not sent or not gas:
            return ()
        if to_self and not failed:
            return (
                replace(
                    base,
                    kind=TransactionKind.WITHDRAWAL,
                    base=chain.coin,
                    side=Side.OUT,
                    amount="0",
                    note="self-transfer",
                ),
            )
        note = "failed transaction" if failed else (f"contract call {call}" if call else "contract call")
        return (
            replace(base, base=chain.coin, amount=fee, side=Side.OUT, fee="", fee_currency="", note=note),
        )
    if len(gained) == 1 and len(given) == 1:
        (got, got_units), (gave, gave_units) = gained[0], given[0]
        amount = _scaled(got_units, got.decimals)
        counter = _scaled(gave_units, gave.decimals)
        with localcontext() as ctx:
            ctx.prec = 40
            price = counter / amount
        return (
            replace(
                base,
                kind=TransactionKind.CONVERT,
                side=Side.BUY,
                base=got.symbol,
                quote=gave.symbol,
                amount=decimal_text(amount),
                counter_amount=decimal_text(counter),
                price=decimal_text(price),
                note=_token_note((got, gave)),
            ),
        )
    legs = [(a, n, Side.IN) for a, n in gained] + [(a, n, Side.OUT) for a, n in given]
    legs.sort(key=lambda leg: (leg[2] is Side.IN, leg[0].symbol, leg[0].key))  # given first, stable
    out: list[NormalizedRecord] = []
    for position, (asset, amount_units, side) in enumerate(legs):
        note = _token_note((asset,))
        if len(legs) > 1:
            note = f"{len(legs)}-leg transaction" + (f"; {note}" if note else "")
        record = replace(
            base,
            exchange_id=item.hash if position == 0 else f"{item.hash}:{position + 1}",
            kind=TransactionKind.DEPOSIT if side is Side.IN else TransactionKind.WITHDRAWAL,
            side=side,
            base=asset.symbol,
            amount=decimal_text(_scaled(amount_units, asset.decimals)),
            note=note,
        )
        if position > 0:  # the gas once, on the first leg
            record = replace(record, fee="", fee_currency="")
        out.append(record)
    return tuple(out)


def _token_note(assets: Iterable[_Asset]) -> str:
    """Names each token's contract (two tokens can share a symbol)."""
    parts = [f"{a.symbol} {a.key[:6]}…{a.key[-4:]}" for a in assets if a.key != _COIN]
    return ", ".join(parts)
