"""One ``account_tx`` entry -> one neutral record of the wallet's account (or nothing, or not yet).

An entry is a validated transaction with its metadata: in API v1 ``{"tx": {...}, "meta": {...},
"validated": true}`` (the hash, ledger index and ``date`` inside ``tx``), in API v2
``{"tx_json": {...}, "meta": {...}, "hash": ..., "ledger_index": ..., "validated": true}``. Both
are read. Times are the ledger's close time (``date``: seconds since 2000-01-01 UTC, the "Ripple
epoch"); the record id is the transaction hash, which is also ``tx_hash``; ``network`` is ``XRP``.

**What the account gained or lost** is read from the metadata, not from the request: the
``AccountRoot`` node of the account (its XRP ``Balance`` in drops, before and after) and every
``RippleState`` node (trust line) the account is a party to (its ``Balance`` is the low party's
view, so the high party's change is the opposite). The fee (``Fee``, drops) is paid by the
sending account (``Account``) only, and is added back to the XRP change so that amounts are gross.

* **Payments.** Into the account: DEPOSIT of ``delivered_amount`` — never ``Amount``, which a
  partial payment (flag ``tfPartialPayment``) only caps; ``"unavailable"`` (ledgers before 2014)
  falls back to ``Amount`` when the payment was not partial, else to the account's own balance
  change. Out of the account: WITHDRAWAL of ``delivered_amount`` with the fee in XRP; when the
  account paid in another currency than was delivered (a cross-currency payment), the record is
  what left the account, in that currency, and the note says what was delivered. A payment from the
  account to itself through the order books is a CONVERT. A token issuer's transfer fee (the
  issuer keeps a share of a token payment between two holders) is not recorded apart: the
  WITHDRAWAL is what the destination received, so it matches the deposit it became. The
  destination tag (``DestinationTag``: an exchange's deposit account number) and the source tag
  are kept in the note, e.g. ``Payment tag 12345``.
* **Account activation and reserve.** The first payment into an address creates its account
  (a ``CreatedNode`` ``AccountRoot``): it is a DEPOSIT like any other (note ``activation``). The
  base and owner reserves lock XRP the account still holds, so they are no event; deleting the
  account (``AccountDelete``) sends what is left to another address: a WITHDRAWAL with its fee.
* **Failed transactions** (``tec…`` results) are in a validated ledger and still cost their fee:
  a FEE record of the sender's fee (note ``Payment tecUNFUNDED_PAYMENT``); nothing else moves. A
  failed transaction of another account that names this one is no event.
* **Everything else** by what the metadata shows the account gained and lost, whoever sent it:
  one currency in and one out is a CONVERT (an ``OfferCreate`` that crossed the order book, an
  offer of the account consumed by someone else's transaction, an AMM swap); one currency only
  in or only out is a DEPOSIT or WITHDRAWAL named by its type (``EscrowFinish``, ``CheckCash``,
  ``PaymentChannelClaim``…); a transaction of the account that moves no balance (``TrustSet``,
  ``AccountSet``, ``OfferCreate`` that rests on the book, ``OfferCancel``, ``SetRegularKey``…)
  is a FEE record of its fee; more than two currencies at once is a LEDGER record (not exported,
  listed by the report). Another account's transaction that leaves this account's balances as
  they were (a trust line opened to it, a payment rippling through it at no cost) is no event.

**Issued currencies** (IOUs) are named by their code and issuer, because the same code from two
issuers is two different assets and neither is the coin or fiat money of that name:
``USD.rvYAfWj5`` (the code, a dot, the issuer's first eight characters). A 40-hex currency code
is decoded as text where it is one (``534F4C4F…`` is ``SOLO``); a code that is not text keeps its
first eight hex digits. XRP amounts (drops) become XRP decimal text.

Entries with ``validated`` false are not final: nothing is stored and their time is kept open.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from cryptact_desktop.records import NormalizedRecord, Parsed, Side, TransactionKind, decimal_text

XRP = "XRP"
NETWORK = "XRP"
DROPS = Decimal(1_000_000)
RIPPLE_EPOCH = 946_684_800  # 2000-01-01T00:00:00Z in Unix seconds
TF_PARTIAL_PAYMENT = 0x00020000
ISSUER_CHARS = 8

Parser = Callable[[Mapping[str, Any]], Parsed]
Asset = tuple[str, str]  # (currency code, issuer); XRP is ("XRP", "")
XRP_ASSET: Asset = (XRP, "")


# ---------------------------------------------------------------------------------- entry fields


def tx_of(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    tx = entry.get("tx_json", entry.get("tx"))
    if not isinstance(tx, Mapping):
        raise ValueError("no transaction (tx or tx_json)")
    return tx


def meta_of(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = entry.get("meta")
    if not isinstance(meta, Mapping):
        raise ValueError("no metadata (meta)")
    return meta


def tx_hash(entry: Mapping[str, Any]) -> str:
    value = entry.get("hash", tx_of(entry).get("hash"))
    if not isinstance(value, str) or len(value) != 64 or any(c not in string.hexdigits for c in value):
        raise ValueError("hash")
    return value.upper()


def ledger_index(entry: Mapping[str, Any]) -> int:
    value = entry.get("ledger_index", tx_of(entry).get("ledger_index"))
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("ledger_index")
    return value


def position(entry: Mapping[str, Any]) -> tuple[int, int]:
    """(ledger index, index of the transaction in its ledger): the order of the account's history."""
    index = meta_of(entry).get("TransactionIndex")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError("TransactionIndex")
    return ledger_index(entry), index


def time_ms(entry: Mapping[str, Any]) -> int:
    date = tx_of(entry).get("date")
    if isinstance(date, bool) or not isinstance(date, int) or date <= 0:
        raise ValueError("date")
    return (date + RIPPLE_EPOCH) * 1000


def is_validated(entry: Mapping[str, Any]) -> bool:
    return entry.get("validated") is True


# ---------------------------------------------------------------------------------- amounts


def currency_name(code: str) -> str:
    """A currency code as text: ``USD``; a 40-hex code decoded (``SOLO``), else its first 8 digits."""
    if len(code) == 40 and all(c in string.hexdigits for c in code):
        raw = bytes.fromhex(code)
        if raw[0] == 0:  # the standard format written in hex: the ISO code sits in bytes 12-14
            text = raw[12:15].decode("ascii", "replace")
        else:
            text = raw.rstrip(b"\x00").decode("ascii", "replace")
        if text and all(c in string.ascii_letters + string.digits for c in text):
            return text.upper()
        return code[:8].upper()
    if 1 <= len(code) <= 20 and all(
        c in string.ascii_letters + string.digits + "?!@#$%^&*<>(){}[]|" for c in code
    ):
        return code.upper()
    raise ValueError("currency code")


def asset_name(asset: Asset) -> str:
    code, issuer = asset
    if not issuer:
        return XRP
    return f"{currency_name(code)}.{issuer[:ISSUER_CHARS]}"


def amount_of(value: Any, what: str) -> tuple[Asset, Decimal]:
    """An XRP Ledger amount: drops as a string (XRP), or ``{currency, issuer, value}``."""
    if isinstance(value, str):
        if not value.isdigit():
            raise ValueError(f"{what}: not an amount of drops")
        return XRP_ASSET, Decimal(value) / DROPS
    if isinstance(value, Mapping):
        currency, issuer, number = value.get("currency"), value.get("issuer"), value.get("value")
        if not isinstance(currency, str) or not isinstance(number, str | int):
            raise ValueError(f"{what}: not an amount")
        if currency == XRP and not issuer:
            return XRP_ASSET, Decimal(decimal_text(number))
        if not isinstance(issuer, str) or not issuer:
            raise ValueError(f"{what}: an issued amount without its issuer")
        return (currency, issuer), Decimal(decimal_text(number))
    raise ValueError(f"{what}: not an amount")


def drops(value: Any, what: str) -> int:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).isdigit():
        raise ValueError(f"{what}: not drops")
    return int(value)


def _fields(node: Mapping[str, Any], *names: str) -> Mapping[str, Any]:
    for name in names:
        value = node.get(name)
        if isinstance(value, Mapping):
            return value
    return {}


def balance_changes(meta: Mapping[str, Any], account: str) -> dict[Asset, Decimal]:
    """How each of ``account``'s balances changed in this transaction (XRP including any fee)."""
    nodes = meta.get("AffectedNodes")
    if not isinstance(nodes, list):
        raise ValueError("AffectedNodes")
    changes: dict[Asset, Decimal] = {}
    for wrapper in nodes:
        if not isinstance(wrapper, Mapping) or len(wrapper) != 1:
            raise ValueError("an affected node")
        change_type, node = next(iter(wrapper.items()))
        if not isinstance(node, Mapping):
            raise ValueError("an affected node")
        entry_type = node.get("LedgerEntryType")
        final = _fields(node, "FinalFields", "NewFields")
        previous = _fields(node, "PreviousFields")
        if entry_type == "AccountRoot" and final.get("Account") == account:
            if "Balance" not in final:
                continue
            after = drops(final["Balance"], "Balance")
            if change_type == "CreatedNode":
                before = 0
            elif "Balance" in previous:
                before = drops(previous["Balance"], "previous Balance")
            else:
                continue
            if after != before:
                changes[XRP_ASSET] = changes.get(XRP_ASSET, Decimal(0)) + Decimal(after - before) / DROPS
        elif entry_type == "RippleState":
            low = _fields(final, "LowLimit").get("issuer")
            high = _fields(final, "HighLimit").get("issuer")
            if account not in (low, high):
                continue
            balance = _fields(final, "Balance")
            code = balance.get("currency")
            if not isinstance(code, str):
                raise ValueError("a trust line without its currency")
            after_value = Decimal(decimal_text(balance.get("value", "0")))
            if change_type == "CreatedNode":
                before_value = Decimal(0)
            elif isinstance(previous.get("Balance"), Mapping):
                before_value = Decimal(decimal_text(previous["Balance"].get("value", "0")))
            else:
                continue
            delta = after_value - before_value
            counterparty = high if account == low else low
            if account == high:
                delta = -delta
            if delta and isinstance(counterparty, str):
                asset = (code, counterparty)
                changes[asset] = changes.get(asset, Decimal(0)) + delta
    return {asset: value for asset, value in changes.items() if value}


def activated(meta: Mapping[str, Any], account: str) -> bool:
    """Whether this transaction created ``account`` (its first funding payment)."""
    for wrapper in meta.get("AffectedNodes") or ():
        node = wrapper.get("CreatedNode") if isinstance(wrapper, Mapping) else None
        if (
            isinstance(node, Mapping)
            and node.get("LedgerEntryType") == "AccountRoot"
            and _fields(node, "NewFields").get("Account") == account
        ):
            return True
    return False


# ---------------------------------------------------------------------------------- records


def _text(value: Decimal) -> str:
    return decimal_text(value)


def transaction(account: str) -> Parser:
    """The parser of ``account``'s ``account_tx`` entries."""

    def parse(entry: Mapping[str, Any]) -> Parsed:
        tx, meta = tx_of(entry), meta_of(entry)
        when = time_ms(entry)
        if not is_validated(entry):
            return Parsed(None, when, settled=False)
        txid = tx_hash(entry)
        kind = tx.get("TransactionType")
        result = meta.get("TransactionResult")
        if not isinstance(kind, str) or not isinstance(result, str):
            raise ValueError("TransactionType or TransactionResult")
        sender = tx.get("Account")
        fee = Decimal(drops(tx.get("Fee", "0"), "Fee")) / DROPS if sender == account else Decimal(0)
        base = NormalizedRecord(
            exchange_id=txid,
            timestamp_ms=when,
            kind=TransactionKind.FEE,
            network=NETWORK,
            tx_hash=txid,
            raw=dict(entry),
        )
        if not result.startswith("tes"):
            if not fee:
                return Parsed(None, when)  # another account's failed transaction: nothing moved here
            return Parsed(_fee_only(base, fee, f"{kind} {result}"), when)
        changes = balance_changes(meta, account)
        if fee:
            gross = changes.get(XRP_ASSET, Decimal(0)) + fee
            changes = {a: v for a, v in {**changes, XRP_ASSET: gross}.items() if v}
        note = _note(kind, tx, meta, account)
        fee_fields: dict[str, Any] = {"fee": _text(fee), "fee_currency": XRP} if fee else {}
        if kind == "Payment" and sender != tx.get("Destination"):
            record = _payment(base, tx, meta, account, changes, note, fee_fields)
            if record is not None:
                return Parsed(record, when)
        return Parsed(_by_changes(base, changes, fee, note, fee_fields), when)

    return parse


def _note(kind: str, tx: Mapping[str, Any], meta: Mapping[str, Any], account: str) -> str:
    words = [kind]
    flags = tx.get("Flags")
    if kind == "Payment" and isinstance(flags, int) and flags & TF_PARTIAL_PAYMENT:
        words.append("partial")
    if activated(meta, account):
        words.append("activation")
    for name, label in (("DestinationTag", "tag"), ("SourceTag", "source tag")):
        value = tx.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            words.append(f"{label} {value}")
    return " ".join(words)


def delivered(tx: Mapping[str, Any], meta: Mapping[str, Any]) -> tuple[Asset, Decimal]:
    """What a payment delivered to its destination (see the module docstring)."""
    value = meta.get("delivered_amount", meta.get("DeliveredAmount"))
    if value is not None and value != "unavailable":
        return amount_of(value, "delivered_amount")
    flags = tx.get("Flags")
    partial = isinstance(flags, int) and bool(flags & TF_PARTIAL_PAYMENT)
    requested = tx.get("Amount", tx.get("DeliverMax"))  # API v2 names a payment's Amount DeliverMax
    if not partial:
        return amount_of(requested, "Amount")
    destination = tx.get("Destination")
    if not isinstance(destination, str):
        raise ValueError("Destination")
    wanted, _ = amount_of(requested, "Amount")
    gained = balance_changes(meta, destination)
    for asset, change in gained.items():
        if asset[0] == wanted[0] and change > 0:
            return asset, change
    raise ValueError("a partial payment whose delivered amount cannot be read")


def _payment(
    base: NormalizedRecord,
    tx: Mapping[str, Any],
    meta: Mapping[str, Any],
    account: str,
    changes: Mapping[Asset, Decimal],
    note: str,
    fee_fields: Mapping[str, Any],
) -> NormalizedRecord | None:
    """A payment between two accounts, seen from ``account`` (None: read it by its changes)."""
    asset, amount = delivered(tx, meta)
    if tx.get("Destination") == account:
        if amount <= 0:
            return None
        return replace(
            base,
            kind=TransactionKind.DEPOSIT,
            side=Side.IN,
            base=asset_name(asset),
            amount=_text(amount),
            note=note,
        )
    if tx.get("Account") != account:
        return None  # rippling through the account: read by its balance changes
    spent = [(a, -v) for a, v in changes.items() if v < 0]
    if len(spent) == 1 and spent[0][0][0] != asset[0]:
        # A cross-currency payment: what left the account is another currency than was delivered.
        asset_out, amount_out = spent[0]
        note = f"{note} delivered {_text(amount)} {asset_name(asset)}"
        asset, amount = asset_out, amount_out
    return replace(
        base,
        kind=TransactionKind.WITHDRAWAL,
        side=Side.OUT,
        base=asset_name(asset),
        amount=_text(amount),
        note=note,
        **fee_fields,
    )


def _by_changes(
    base: NormalizedRecord,
    changes: Mapping[Asset, Decimal],
    fee: Decimal,
    note: str,
    fee_fields: Mapping[str, Any],
) -> NormalizedRecord | None:
    gained = [(a, v) for a, v in changes.items() if v > 0]
    lost = [(a, -v) for a, v in changes.items() if v < 0]
    if not gained and not lost:
        return _fee_only(base, fee, note) if fee else None
    if len(gained) == 1 and len(lost) == 1:
        (got, amount), (gave, given) = gained[0], lost[0]
        return replace(
            base,
            kind=TransactionKind.CONVERT,
            side=Side.BUY,
            base=asset_name(got),
            quote=asset_name(gave),
            amount=_text(amount),
            counter_amount=_text(given),
            price=_text(given / amount),
            note=note,
            **fee_fields,
        )
    if len(gained) + len(lost) == 1:
        asset, amount = (gained or lost)[0]
        incoming = bool(gained)
        return replace(
            base,
            kind=TransactionKind.DEPOSIT if incoming else TransactionKind.WITHDRAWAL,
            side=Side.IN if incoming else Side.OUT,
            base=asset_name(asset),
            amount=_text(amount),
            note=note,
            **fee_fields,
        )
    parts = " ".join(f"{_text(v)} {asset_name(a)}" for a, v in sorted(changes.items()))
    first, value = sorted(changes.items())[0]
    return replace(
        base,
        kind=TransactionKind.LEDGER,
        side=Side.IN if value > 0 else Side.OUT,
        base=asset_name(first),
        amount=_text(value),
        note=f"{note} {parts}",
        **fee_fields,
    )


def _fee_only(base: NormalizedRecord, fee: Decimal, note: str) -> NormalizedRecord:
    return replace(
        base,
        kind=TransactionKind.FEE,
        side=Side.OUT,
        base=XRP,
        amount=_text(fee),
        note=note,
    )
