"""A seeded XRP Ledger history of one wallet account: transactions with their metadata, as a rippled
server stores them, and what each one meant (the truth).

The wallet is made here (its address from the seed, with this module's own base58 check encoding:
the simulator is a second reading of the docs and shares no code with the app). What makes the
history hard to read on purpose:

* the first payment creates the account (a ``CreatedNode`` ``AccountRoot``: activation);
* payments in and out of XRP, with destination tags to exchanges' shared deposit accounts and
  source tags from their withdrawals;
* partial payments into the wallet whose ``Amount`` is far above what they delivered
  (``delivered_amount``), the well-known trap for software that reads ``Amount``;
* failed transactions (``tecUNFUNDED_PAYMENT``, ``tecNO_DST_INSUF_XRP``) that still cost the
  wallet its fee, and another account's failed payment to the wallet that cost it nothing;
* trust lines (``TrustSet``) to two issuers, one with a standard code (``USD``) and one with a
  40-hex code (``SOLO``); issued tokens received and paid back;
* ``OfferCreate`` orders that cross the book at once (XRP for tokens and back), orders that rest
  on the book and are consumed later by another account's transaction, and ``AccountSet``;
* several of the wallet's transactions in one ledger (the paging marker names a transaction
  inside a ledger);
* transfers shared with another simulator (an exchange's withdrawal into the wallet, the wallet's
  deposit to an exchange with its tag) keep the hash and amount they were given.

Standard library only; nothing here imports the app.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ALPHABET = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
RIPPLE_EPOCH = 946_684_800
DAY_MS = 86_400_000
LEDGER_MS = 3_850  # about one ledger every 3.85 seconds
FIRST_LEDGER = 32_570
ACCOUNT_ONE = "rrrrrrrrrrrrrrrrrrrrBZbvji"
TF_PARTIAL_PAYMENT = 0x00020000
DROPS = 1_000_000
SOLO_HEX = "534F4C4F00000000000000000000000000000000"
BASE_RESERVE = 1 * DROPS


def encode_address(account_id: bytes) -> str:
    payload = b"\x00" + account_id
    check = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(payload + check, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = ALPHABET[digit] + text
    return ALPHABET[0] + text  # the one leading zero byte


def decode_address(text: str) -> bytes | None:
    """The account ID of a classic address, or None (the server's own reading)."""
    number = 0
    for char in text:
        if char not in ALPHABET:
            return None
        number = number * 58 + ALPHABET.index(char)
    raw = number.to_bytes(25, "big") if number.bit_length() <= 200 else b""
    if len(raw) != 25 or raw[0] != 0 or not text.startswith("r"):
        return None
    if hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] != raw[21:]:
        return None
    return raw[1:21]


def made_up_address(label: str) -> str:
    return encode_address(hashlib.sha256(f"xrpl account {label}".encode()).digest()[:20])


@dataclass(frozen=True, slots=True)
class SharedTransfer:
    """A payment another simulator also knows: ``"in"`` pays ``drops`` from an exchange's hot wallet
    to the wallet (its withdrawal), ``"out"`` from the wallet to an exchange's deposit account with
    destination ``tag``. It lands in the first ledger at or after ``time_ms``."""

    tx_hash: str
    drops: int
    time_ms: int
    direction: str = "in"
    tag: int | None = None
    address: str = ""  # the exchange's account ("": a made-up one)


@dataclass(frozen=True, slots=True)
class Size:
    days: int
    payments_in: int
    payments_out: int
    partial: int
    failed: int
    tokens: int
    crossing_offers: int
    resting_offers: int
    account_sets: int


SIZES: dict[str, Size] = {
    "tiny": Size(90, 6, 3, 1, 1, 1, 1, 1, 1),
    "small": Size(730, 90, 70, 6, 8, 12, 16, 8, 4),
    "medium": Size(1460, 600, 450, 20, 30, 60, 90, 40, 10),
}


@dataclass(frozen=True, slots=True)
class Truth:
    """What a wallet transaction meant: its kind (``deposit``, ``withdrawal``, ``convert``,
    ``fee`` or ``none``), the amount (and asset) that moved, and the fee the wallet paid."""

    tx_hash: str
    kind: str
    asset: str = ""  # "XRP" or "CODE.issuer"
    amount: Decimal = Decimal(0)
    fee: Decimal = Decimal(0)
    counter_asset: str = ""
    counter_amount: Decimal = Decimal(0)


@dataclass
class History:
    """Every stored transaction that touches the wallet, in ledger order, with the truth."""

    wallet: str
    first_ledger: int  # the oldest ledger the server keeps (full history: FIRST_LEDGER)
    tip: int  # the newest validated ledger
    tip_date: int  # its close time (Ripple epoch seconds)
    entries: list[dict[str, Any]] = field(
        default_factory=list
    )  # {"tx", "meta", "hash", "ledger_index", "date"}
    truth: dict[str, Truth] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)  # account -> XRP balance (drops)
    sequences: dict[str, int] = field(default_factory=dict)
    owner_counts: dict[str, int] = field(default_factory=dict)

    def activation_ledger(self) -> int:
        return self.entries[0]["ledger_index"] if self.entries else self.tip

    def entries_of(self, account: str) -> list[dict[str, Any]]:
        """The transactions that touch ``account``, in ledger order."""
        return [entry for entry in self.entries if account in entry["accounts"]]


class _Builder:
    def __init__(self, seed: int, now_ms: int, size: Size) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.counter = 0
        self.wallet = made_up_address(f"wallet {seed}")
        self.now_ms = now_ms
        self.start_ms = now_ms - size.days * DAY_MS
        self.tip = 90_000_000 + (seed % 1000) * 7
        self.history = History(self.wallet, FIRST_LEDGER, self.tip, (now_ms // 1000) - RIPPLE_EPOCH)
        self.balances: dict[str, int] = {}
        self.sequences: dict[str, int] = {}
        self.owners: dict[str, int] = {}
        self.lines: dict[tuple[str, str, str], Decimal] = {}  # (holder, issuer, code) -> holding
        self.resting: list[dict[str, Any]] = []  # the wallet's open offers
        self.exchanges = [made_up_address(f"exchange {i}") for i in range(3)]
        self.friends = [made_up_address(f"friend {seed} {i}") for i in range(5)]
        self.makers = [made_up_address(f"market maker {i}") for i in range(2)]
        self.usd_issuer = made_up_address("issuer USD")
        self.solo_issuer = made_up_address("issuer SOLO")
        for account in (*self.exchanges, *self.friends, *self.makers, self.usd_issuer, self.solo_issuer):
            self.balances[account] = self.rng.randint(500, 5_000_000) * DROPS
            self.sequences[account] = self.rng.randint(1_000, 90_000_000)
            self.owners[account] = self.rng.randint(0, 5)
        for maker in self.makers:
            for issuer, code in ((self.usd_issuer, "USD"), (self.solo_issuer, SOLO_HEX)):
                self.lines[(maker, issuer, code)] = Decimal(self.rng.randint(100_000, 900_000))
        self.last_ledger = 0
        self.index_in_ledger = 0

    # -- time and ids -------------------------------------------------------------------------
    def ledger_at(self, time_ms: int) -> int:
        return self.tip - max(0, (self.now_ms - time_ms) // LEDGER_MS) - 5

    def next_hash(self) -> str:
        self.counter += 1
        return hashlib.sha256(f"xrpl tx {self.seed} {self.counter}".encode()).hexdigest().upper()

    def place(self, time_ms: int, same_ledger: bool = False) -> tuple[int, int, int]:
        """(ledger index, transaction index, close date) of the next transaction."""
        ledger = (
            self.last_ledger
            if same_ledger and self.last_ledger
            else max(self.ledger_at(time_ms), self.last_ledger + 1)
        )
        if ledger == self.last_ledger:
            self.index_in_ledger += self.rng.randint(1, 6)
        else:
            self.index_in_ledger = self.rng.randint(0, 40)
        self.last_ledger = ledger
        date = (self.now_ms - (self.tip - ledger) * LEDGER_MS) // 1000 - RIPPLE_EPOCH
        return ledger, self.index_in_ledger, date

    # -- ledger entries -----------------------------------------------------------------------
    def root(
        self, account: str, new_balance: int, *, sender: bool, owner_delta: int = 0, created: bool = False
    ) -> dict[str, Any]:
        index = hashlib.sha256(f"root {account}".encode()).hexdigest().upper()
        if created:
            self.balances[account] = new_balance
            self.sequences[account] = max(1, self.last_ledger)
            self.owners[account] = 0
            return {
                "CreatedNode": {
                    "LedgerEntryType": "AccountRoot",
                    "LedgerIndex": index,
                    "NewFields": {
                        "Account": account,
                        "Balance": str(new_balance),
                        "Sequence": self.last_ledger,
                    },
                }
            }
        before = self.balances[account]
        previous: dict[str, Any] = {}
        if new_balance != before:
            previous["Balance"] = str(before)
        if sender:
            previous["Sequence"] = self.sequences[account]
            self.sequences[account] += 1
        if owner_delta:
            previous["OwnerCount"] = self.owners[account]
            self.owners[account] += owner_delta
        self.balances[account] = new_balance
        final = {
            "Account": account,
            "Balance": str(new_balance),
            "Flags": 0,
            "OwnerCount": self.owners[account],
            "Sequence": self.sequences[account],
        }
        return {
            "ModifiedNode": {
                "LedgerEntryType": "AccountRoot",
                "LedgerIndex": index,
                "FinalFields": final,
                "PreviousFields": previous,
                "PreviousTxnID": self.next_hash(),
                "PreviousTxnLgrSeq": 0,  # set by add() once the ledger is known
            }
        }

    def line(
        self,
        holder: str,
        issuer: str,
        code: str,
        new_holding: Decimal,
        *,
        limit: str = "1000000",
        created: bool = False,
    ) -> dict[str, Any]:
        """A trust line's node; its ``Balance`` is the low account's view (ours: by account ID)."""
        holder_low = _account_id(holder) < _account_id(issuer)
        low, high = (holder, issuer) if holder_low else (issuer, holder)
        sign = 1 if holder_low else -1
        before = self.lines.get((holder, issuer, code), Decimal(0))
        self.lines[(holder, issuer, code)] = new_holding

        def balance(value: Decimal) -> dict[str, str]:
            return {"currency": code, "issuer": ACCOUNT_ONE, "value": _num(sign * value)}

        holder_limit = {"currency": code, "issuer": holder, "value": limit}
        issuer_limit = {"currency": code, "issuer": issuer, "value": "0"}
        fields = {
            "Balance": balance(new_holding),
            "Flags": 131072 if holder_low else 65536,
            "HighLimit": issuer_limit if holder_low else holder_limit,
            "LowLimit": holder_limit if holder_low else issuer_limit,
        }
        index = hashlib.sha256(f"line {low} {high} {code}".encode()).hexdigest().upper()
        if created:
            return {
                "CreatedNode": {"LedgerEntryType": "RippleState", "LedgerIndex": index, "NewFields": fields}
            }
        return {
            "ModifiedNode": {
                "LedgerEntryType": "RippleState",
                "LedgerIndex": index,
                "FinalFields": fields,
                "PreviousFields": {"Balance": balance(before)},
                "PreviousTxnID": self.next_hash(),
                "PreviousTxnLgrSeq": 0,  # set by add() once the ledger is known
            }
        }

    def add(
        self,
        time_ms: int,
        tx: dict[str, Any],
        nodes: list[dict[str, Any]],
        result: str,
        truth: Truth | None,
        *,
        delivered: Any = None,
        tx_hash: str = "",
        same_ledger: bool = False,
    ) -> None:
        ledger, index, date = self.place(time_ms, same_ledger)
        for wrapper in nodes:  # what depends on the ledger the transaction lands in
            node = next(iter(wrapper.values()))
            if "PreviousTxnLgrSeq" in node:
                node["PreviousTxnLgrSeq"] = max(FIRST_LEDGER, ledger - self.rng.randint(1, 5000))
            created = node.get("NewFields", {})
            if node.get("LedgerEntryType") == "AccountRoot" and "Sequence" in created:
                created["Sequence"] = self.sequences[created["Account"]] = ledger
        digest = tx_hash or self.next_hash()
        meta: dict[str, Any] = {
            "AffectedNodes": nodes,
            "TransactionIndex": index,
            "TransactionResult": result,
        }
        if delivered is not None:
            meta["delivered_amount"] = delivered
        tx = {
            "Flags": 0,
            "Sequence": self.sequences.get(tx["Account"], 2) - 1,
            "LastLedgerSequence": ledger + 20,
            "SigningPubKey": "ED" + hashlib.sha256(tx["Account"].encode()).hexdigest().upper(),
            **tx,
        }
        tx["TxnSignature"] = hashlib.sha512(digest.encode()).hexdigest().upper()
        mentioned = {tx["Account"], tx.get("Destination", "")} | _accounts_in(nodes)
        self.history.entries.append(
            {
                "tx": tx,
                "meta": meta,
                "hash": digest,
                "ledger_index": ledger,
                "date": date,
                "accounts": mentioned,
            }
        )
        self.history.truth[digest] = truth or Truth(digest, "none")

    # -- transaction makers ---------------------------------------------------------------------
    def fee(self) -> int:
        return self.rng.choice((10, 12, 12, 12, 15, 20, 5000))

    def payment_in(
        self,
        time_ms: int,
        drops: int,
        *,
        source: str = "",
        activation: bool = False,
        partial_of: int = 0,
        tag: int | None = None,
        tx_hash: str = "",
    ) -> None:
        source = source or self.rng.choice(self.exchanges + self.friends)
        fee = self.fee()
        tx: dict[str, Any] = {
            "Account": source,
            "Destination": self.wallet,
            "TransactionType": "Payment",
            "Fee": str(fee),
            "Amount": str(partial_of or drops),
        }
        if partial_of:
            tx["Flags"] = TF_PARTIAL_PAYMENT
            tx["SendMax"] = str(drops + 1_000)
        if tag is not None:
            tx["DestinationTag"] = tag
        if source in self.exchanges:
            tx["SourceTag"] = self.rng.randint(1, 2**31)
        nodes = [self.root(source, self.balances[source] - drops - fee, sender=True)]
        nodes.append(
            self.root(self.wallet, drops, sender=False, created=True)
            if activation
            else self.root(self.wallet, self.balances[self.wallet] + drops, sender=False)
        )
        truth = Truth("", "deposit", "XRP", _xrp(drops))
        self.add(time_ms, tx, nodes, "tesSUCCESS", truth, delivered=str(drops), tx_hash=tx_hash)
        self._fix_truth()

    def payment_out(
        self,
        time_ms: int,
        drops: int,
        *,
        destination: str = "",
        tag: int | None = None,
        tx_hash: str = "",
        same_ledger: bool = False,
    ) -> None:
        destination = destination or self.rng.choice(self.exchanges + self.friends)
        fee = self.fee()
        tx: dict[str, Any] = {
            "Account": self.wallet,
            "Destination": destination,
            "TransactionType": "Payment",
            "Fee": str(fee),
            "Amount": str(drops),
        }
        if tag is not None:
            tx["DestinationTag"] = tag
        nodes = [self.root(self.wallet, self.balances[self.wallet] - drops - fee, sender=True)]
        if destination not in self.balances:
            nodes.append(self.root(destination, drops, sender=False, created=True))
        else:
            nodes.append(self.root(destination, self.balances[destination] + drops, sender=False))
        self.add(
            time_ms,
            tx,
            nodes,
            "tesSUCCESS",
            Truth("", "withdrawal", "XRP", _xrp(drops), _xrp(fee)),
            delivered=str(drops),
            tx_hash=tx_hash,
            same_ledger=same_ledger,
        )
        self._fix_truth()

    def failed_out(self, time_ms: int) -> None:
        fee = self.fee()
        result = self.rng.choice(("tecUNFUNDED_PAYMENT", "tecNO_DST_INSUF_XRP"))
        destination = (
            made_up_address(f"unfunded {self.counter}")
            if result == "tecNO_DST_INSUF_XRP"
            else self.rng.choice(self.friends)
        )
        amount = self.balances[self.wallet] * 3 if result == "tecUNFUNDED_PAYMENT" else 2 * DROPS
        tx = {
            "Account": self.wallet,
            "Destination": destination,
            "TransactionType": "Payment",
            "Fee": str(fee),
            "Amount": str(amount),
        }
        nodes = [self.root(self.wallet, self.balances[self.wallet] - fee, sender=True)]
        self.add(time_ms, tx, nodes, result, Truth("", "fee", "XRP", _xrp(fee), _xrp(fee)))
        self._fix_truth()

    def failed_in(self, time_ms: int) -> None:
        source = self.rng.choice(self.friends)
        fee = self.fee()
        tx = {
            "Account": source,
            "Destination": self.wallet,
            "TransactionType": "Payment",
            "Fee": str(fee),
            "Amount": {"currency": "EUR", "issuer": self.makers[0], "value": "10"},
        }
        nodes = [self.root(source, self.balances[source] - fee, sender=True)]
        self.add(time_ms, tx, nodes, "tecPATH_DRY", None)

    def trust_set(self, time_ms: int, issuer: str, code: str) -> None:
        fee = self.fee()
        tx = {
            "Account": self.wallet,
            "TransactionType": "TrustSet",
            "Fee": str(fee),
            "LimitAmount": {"currency": code, "issuer": issuer, "value": "1000000"},
        }
        nodes = [
            self.root(self.wallet, self.balances[self.wallet] - fee, sender=True, owner_delta=1),
            self.line(self.wallet, issuer, code, Decimal(0), created=True),
        ]
        self.add(time_ms, tx, nodes, "tesSUCCESS", Truth("", "fee", "XRP", _xrp(fee), _xrp(fee)))
        self._fix_truth()

    def token_in(self, time_ms: int, issuer: str, code: str, value: Decimal) -> None:
        fee = self.fee()
        amount = {"currency": code, "issuer": issuer, "value": _num(value)}
        tx = {
            "Account": issuer,
            "Destination": self.wallet,
            "TransactionType": "Payment",
            "Fee": str(fee),
            "Amount": amount,
        }
        held = self.lines[(self.wallet, issuer, code)]
        nodes = [
            self.root(issuer, self.balances[issuer] - fee, sender=True),
            self.line(self.wallet, issuer, code, held + value),
        ]
        self.add(
            time_ms,
            tx,
            nodes,
            "tesSUCCESS",
            Truth("", "deposit", _asset(code, issuer), value),
            delivered=amount,
        )
        self._fix_truth()

    def token_out(self, time_ms: int, issuer: str, code: str, value: Decimal) -> None:
        fee = self.fee()
        amount = {"currency": code, "issuer": issuer, "value": _num(value)}
        tx = {
            "Account": self.wallet,
            "Destination": issuer,
            "TransactionType": "Payment",
            "Fee": str(fee),
            "Amount": amount,
        }
        held = self.lines[(self.wallet, issuer, code)]
        nodes = [
            self.root(self.wallet, self.balances[self.wallet] - fee, sender=True),
            self.line(self.wallet, issuer, code, held - value),
        ]
        self.add(
            time_ms,
            tx,
            nodes,
            "tesSUCCESS",
            Truth("", "withdrawal", _asset(code, issuer), value, _xrp(fee)),
            delivered=amount,
        )
        self._fix_truth()

    def offer_cross(self, time_ms: int, issuer: str, code: str, *, buy_tokens: bool) -> None:
        """The wallet's order crosses a market maker's offer at once."""
        maker = self.rng.choice(self.makers)
        fee = self.fee()
        held = self.lines[(self.wallet, issuer, code)]
        drops = self.rng.randint(5, 400) * DROPS
        value = (
            Decimal(drops) / DROPS * Decimal(self.rng.choice(("0.48", "0.52", "0.61", "1.75", "2.3")))
        ).quantize(Decimal("0.000001"))
        if not buy_tokens:
            value = min(value, held)
            if value <= 0:
                return
        token = {"currency": code, "issuer": issuer, "value": _num(value)}
        gets, pays = (str(drops), token) if not buy_tokens else (token, str(drops))
        tx = {
            "Account": self.wallet,
            "TransactionType": "OfferCreate",
            "Fee": str(fee),
            "TakerGets": gets,
            "TakerPays": pays,
        }
        maker_held = self.lines[(maker, issuer, code)]
        if buy_tokens:  # XRP out, tokens in
            nodes = [
                self.root(self.wallet, self.balances[self.wallet] - drops - fee, sender=True),
                self.line(self.wallet, issuer, code, held + value),
                self.root(maker, self.balances[maker] + drops, sender=False, owner_delta=-1),
                self.line(maker, issuer, code, maker_held - value),
            ]
            truth = Truth("", "convert", _asset(code, issuer), value, _xrp(fee), "XRP", _xrp(drops))
        else:
            nodes = [
                self.root(self.wallet, self.balances[self.wallet] + drops - fee, sender=True),
                self.line(self.wallet, issuer, code, held - value),
                self.root(maker, self.balances[maker] - drops, sender=False, owner_delta=-1),
                self.line(maker, issuer, code, maker_held + value),
            ]
            truth = Truth("", "convert", "XRP", _xrp(drops), _xrp(fee), _asset(code, issuer), value)
        nodes.append(
            {
                "DeletedNode": {
                    "LedgerEntryType": "Offer",
                    "LedgerIndex": self.next_hash(),
                    "FinalFields": {
                        "Account": maker,
                        "TakerGets": "0" if buy_tokens else {**token, "value": "0"},
                        "TakerPays": {**token, "value": "0"} if buy_tokens else "0",
                    },
                    "PreviousFields": {
                        "TakerGets": token if buy_tokens else str(drops),
                        "TakerPays": str(drops) if buy_tokens else token,
                    },
                }
            }
        )
        self.add(time_ms, tx, nodes, "tesSUCCESS", truth)
        self._fix_truth()

    def offer_rest(self, time_ms: int, issuer: str, code: str) -> None:
        fee = self.fee()
        drops = self.rng.randint(5, 200) * DROPS
        value = (Decimal(drops) / DROPS * Decimal("0.55")).quantize(Decimal("0.000001"))
        token = {"currency": code, "issuer": issuer, "value": _num(value)}
        tx = {
            "Account": self.wallet,
            "TransactionType": "OfferCreate",
            "Fee": str(fee),
            "TakerGets": str(drops),
            "TakerPays": token,
        }
        offer_index = self.next_hash()
        nodes = [
            self.root(self.wallet, self.balances[self.wallet] - fee, sender=True, owner_delta=1),
            {
                "CreatedNode": {
                    "LedgerEntryType": "Offer",
                    "LedgerIndex": offer_index,
                    "NewFields": {
                        "Account": self.wallet,
                        "Sequence": self.sequences[self.wallet] - 1,
                        "TakerGets": str(drops),
                        "TakerPays": token,
                    },
                }
            },
        ]
        self.add(time_ms, tx, nodes, "tesSUCCESS", Truth("", "fee", "XRP", _xrp(fee), _xrp(fee)))
        self._fix_truth()
        self.resting.append(
            {"index": offer_index, "drops": drops, "value": value, "issuer": issuer, "code": code}
        )

    def offer_consumed(self, time_ms: int) -> None:
        """Another account's order takes one of the wallet's resting offers (XRP out, tokens in)."""
        if not self.resting:
            return
        offer = self.resting.pop(0)
        taker = self.rng.choice(self.makers)
        fee = self.fee()
        issuer, code, drops, value = offer["issuer"], offer["code"], offer["drops"], offer["value"]
        if self.balances[self.wallet] - drops < 30 * DROPS:
            return
        token = {"currency": code, "issuer": issuer, "value": _num(value)}
        tx = {
            "Account": taker,
            "TransactionType": "OfferCreate",
            "Fee": str(fee),
            "TakerGets": token,
            "TakerPays": str(drops),
        }
        nodes = [
            self.root(taker, self.balances[taker] + drops - fee, sender=True),
            self.line(taker, issuer, code, self.lines[(taker, issuer, code)] - value),
            self.root(self.wallet, self.balances[self.wallet] - drops, sender=False, owner_delta=-1),
            self.line(self.wallet, issuer, code, self.lines[(self.wallet, issuer, code)] + value),
            {
                "DeletedNode": {
                    "LedgerEntryType": "Offer",
                    "LedgerIndex": offer["index"],
                    "FinalFields": {
                        "Account": self.wallet,
                        "TakerGets": "0",
                        "TakerPays": {**token, "value": "0"},
                    },
                    "PreviousFields": {"TakerGets": str(drops), "TakerPays": token},
                }
            },
        ]
        self.add(
            time_ms,
            tx,
            nodes,
            "tesSUCCESS",
            Truth("", "convert", _asset(code, issuer), value, Decimal(0), "XRP", _xrp(drops)),
        )
        self._fix_truth()

    def account_set(self, time_ms: int) -> None:
        fee = self.fee()
        tx = {
            "Account": self.wallet,
            "TransactionType": "AccountSet",
            "Fee": str(fee),
            "Domain": "6578616D706C652E636F6D",
        }
        nodes = [self.root(self.wallet, self.balances[self.wallet] - fee, sender=True)]
        self.add(time_ms, tx, nodes, "tesSUCCESS", Truth("", "fee", "XRP", _xrp(fee), _xrp(fee)))
        self._fix_truth()

    def _fix_truth(self) -> None:
        entry = self.history.entries[-1]
        truth = self.history.truth[entry["hash"]]
        self.history.truth[entry["hash"]] = Truth(
            entry["hash"],
            truth.kind,
            truth.asset,
            truth.amount,
            truth.fee,
            truth.counter_asset,
            truth.counter_amount,
        )


def generate_history(
    seed: int, *, size: str = "small", now_ms: int, shared: Sequence[SharedTransfer] = ()
) -> History:
    """The wallet's seeded history up to ``now_ms`` (its newest validated ledger closes then)."""
    plan = SIZES[size]
    b = _Builder(seed, now_ms, plan)
    rng = b.rng
    span = now_ms - b.start_ms
    events: list[tuple[int, str, Any]] = []

    def at(fraction_low: float, fraction_high: float) -> int:
        return b.start_ms + int(span * rng.uniform(fraction_low, fraction_high))

    events += [(at(0.05, 0.98), "in", None) for _ in range(plan.payments_in)]
    events += [(at(0.06, 0.99), "out", None) for _ in range(plan.payments_out)]
    events += [(at(0.1, 0.95), "partial", None) for _ in range(plan.partial)]
    events += [(at(0.1, 0.97), "failed", i) for i in range(plan.failed)]
    events += [(at(0.3, 0.99), "token", None) for _ in range(plan.tokens)]
    events += [(at(0.3, 0.99), "cross", i) for i in range(plan.crossing_offers)]
    for _ in range(plan.resting_offers):
        placed = at(0.3, 0.9)
        events.append((placed, "rest", None))
        events.append((min(placed + rng.randint(1, 80) * DAY_MS // 4, now_ms - DAY_MS), "consume", None))
    events += [(at(0.05, 0.99), "accountset", None) for _ in range(plan.account_sets)]
    events += [(t.time_ms, "shared", t) for t in shared]
    events.sort(key=lambda item: (item[0], item[1]))

    first = b.start_ms + int(span * 0.01)
    b.payment_in(first, rng.randint(300, 3000) * DROPS, source=b.exchanges[0], activation=True)
    b.trust_set(first + 3_600_000, b.usd_issuer, "USD")
    b.trust_set(first + 7_200_000, b.solo_issuer, SOLO_HEX)
    issuers = ((b.usd_issuer, "USD"), (b.solo_issuer, SOLO_HEX))
    for time_ms, kind, extra in events:
        balance = b.balances[b.wallet]
        spendable = balance - 40 * DROPS
        if kind == "in":
            b.payment_in(
                time_ms,
                rng.randint(1, 5000) * DROPS + rng.randint(0, DROPS),
                tag=rng.choice((None, None, rng.randint(1, 10**6))),
            )
        elif kind == "out" and spendable > 2 * DROPS:
            exchange = rng.random() < 0.6
            destination = rng.choice(b.exchanges) if exchange else ""
            drops = rng.randint(DROPS, max(DROPS + 1, spendable // 3))
            b.payment_out(
                time_ms,
                drops,
                destination=destination,
                tag=rng.randint(1, 2**31) if exchange else None,
                same_ledger=rng.random() < 0.15,
            )
        elif kind == "partial":
            delivered = rng.randint(1, 999) * 1000
            b.payment_in(
                time_ms,
                delivered,
                source=rng.choice(b.friends),
                partial_of=rng.randint(10_000, 100_000) * DROPS,
            )
        elif kind == "failed":
            (b.failed_out if extra % 3 else b.failed_in)(time_ms)
        elif kind == "token":
            issuer, code = rng.choice(issuers)
            held = b.lines[(b.wallet, issuer, code)]
            if held > 50 and rng.random() < 0.3:
                b.token_out(time_ms, issuer, code, (held / 3).quantize(Decimal("0.01")))
            else:
                b.token_in(time_ms, issuer, code, Decimal(rng.randint(100, 90_000)) / 100)
        elif kind == "cross" and spendable > 500 * DROPS:
            issuer, code = rng.choice(issuers)
            b.offer_cross(
                time_ms, issuer, code, buy_tokens=extra % 2 == 0 or b.lines[(b.wallet, issuer, code)] <= 0
            )
        elif kind == "rest" and spendable > 300 * DROPS:
            issuer, code = rng.choice(issuers)
            b.offer_rest(time_ms, issuer, code)
        elif kind == "consume":
            b.offer_consumed(time_ms)
        elif kind == "accountset":
            b.account_set(time_ms)
        elif kind == "shared":
            transfer: SharedTransfer = extra
            if transfer.direction == "in":
                b.payment_in(
                    time_ms,
                    transfer.drops,
                    source=transfer.address or b.exchanges[1],
                    tx_hash=transfer.tx_hash,
                )
            elif spendable > transfer.drops:
                b.payment_out(
                    time_ms,
                    transfer.drops,
                    destination=transfer.address or b.exchanges[1],
                    tag=transfer.tag,
                    tx_hash=transfer.tx_hash,
                )
    history = b.history
    history.tip = max(history.tip, b.last_ledger + 1)
    history.entries.sort(key=lambda e: (e["ledger_index"], e["meta"]["TransactionIndex"]))
    history.accounts = dict(b.balances)
    history.sequences = dict(b.sequences)
    history.owner_counts = dict(b.owners)
    return history


def _account_id(address: str) -> bytes:
    account = decode_address(address)
    if account is None:
        raise ValueError(f"not an address: {address}")
    return account


def _accounts_in(nodes: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for wrapper in nodes:
        node = next(iter(wrapper.values()))
        fields = node.get("FinalFields") or node.get("NewFields") or {}
        if isinstance(fields.get("Account"), str):
            found.add(fields["Account"])
        for side in ("HighLimit", "LowLimit"):
            if isinstance(fields.get(side), dict):
                found.add(fields[side]["issuer"])
    return found


def _xrp(drops: int) -> Decimal:
    return Decimal(drops) / DROPS


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _asset(code: str, issuer: str) -> str:
    name = bytes.fromhex(code).rstrip(b"\x00").decode() if len(code) == 40 else code
    return f"{name}.{issuer[:8]}"
