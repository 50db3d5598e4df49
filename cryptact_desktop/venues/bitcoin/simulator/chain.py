"""A seeded Bitcoin history of one wallet: blocks, transactions in Esplora's JSON, and the truth.

The wallet is given as its addresses (receive and change chains of an account, or one address):
the simulator does not derive keys (that is the app's job, checked against the BIPs' vectors; the
harness hands the derived addresses in). What makes the history hard to read on purpose:

* receive addresses are handed out with gaps (never 20 unused in a row, BIP 44's gap limit), some
  are reused, and one receives more than a page (25) of payments;
* sends spend several coins and return change to the change chain; consolidations move coins
  between the wallet's own addresses (only the fee leaves);
* one payment pays two of the wallet's addresses at once (one event seen from two addresses);
* a joint transaction mixes the wallet's coins with someone else's (the fee is shared);
* a mined block pays the wallet (a coinbase transaction);
* block times are not strictly increasing (a block may claim an earlier time than the one before);
* the newest transactions may still be unconfirmed (in the mempool);
* transactions shared with another simulator (an exchange's withdrawal into the wallet, the
  wallet's send to an exchange's deposit address) keep the txid and amount they were given.

Standard library only; nothing here imports the app.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
BLOCK_MS = 10 * MINUTE_MS
FIRST_HEIGHT = 700_000
SKIP_MAX = 3  # receive indices skipped at most in a row (well under the gap limit of 20)
DUST = 1_000

_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


@dataclass(frozen=True, slots=True)
class WalletAddresses:
    """The wallet's receive and change addresses (``change`` empty for a single-address wallet:
    its change goes back to the same address)."""

    receive: tuple[str, ...]
    change: tuple[str, ...] = ()

    @property
    def all(self) -> frozenset[str]:
        return frozenset(self.receive) | frozenset(self.change)


@dataclass(frozen=True, slots=True)
class SharedTransfer:
    """A transaction another simulator also knows: ``"in"`` pays ``sats`` from outside to the
    wallet's receive address ``receive_index`` (an exchange withdrawal into the wallet); ``"out"``
    sends ``sats`` from the wallet to an outside address (the wallet's deposit into an exchange),
    paying ``fee_sats`` on top. It confirms in the first block at or after ``time_ms``."""

    txid: str
    sats: int
    time_ms: int
    direction: str = "in"
    receive_index: int = 0
    fee_sats: int = 1_500
    address: str = ""  # the outside address ("" : a made-up one)


@dataclass(frozen=True, slots=True)
class Size:
    days: int
    receives: int
    heavy_receives: int  # payments into one address (more than a page of its history)
    sends: int
    consolidations: int
    split_receives: int
    joint: int
    coinbase: int
    pending: int


SIZES: dict[str, Size] = {
    "tiny": Size(90, 8, 0, 4, 1, 1, 0, 0, 1),
    "small": Size(730, 50, 30, 40, 6, 5, 2, 1, 2),
    "medium": Size(1460, 400, 60, 300, 30, 20, 5, 2, 2),
}


@dataclass
class _Coin:
    txid: str
    vout: int
    address: str
    value: int


@dataclass
class Chain:
    """Every transaction of the history (Esplora JSON), indexed by address, newest first."""

    wallet: WalletAddresses
    tip_height: int
    now_ms: int
    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    confirmed_order: list[str] = field(default_factory=list)  # oldest first (height, position)
    mempool: list[str] = field(default_factory=list)
    by_address: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def history(self, address: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(unconfirmed, confirmed newest first) transactions touching ``address``."""
        ids = self.by_address.get(address, [])
        pending = [self.transactions[t] for t in reversed(ids) if t in self._pending_set]
        confirmed = [self.transactions[t] for t in reversed(ids) if t not in self._pending_set]
        return pending, confirmed

    @property
    def _pending_set(self) -> set[str]:
        return set(self.mempool)

    def wallet_transactions(self, *, confirmed: bool = True) -> list[dict[str, Any]]:
        """The transactions touching the wallet (the ground truth), oldest first."""
        ids = self.confirmed_order if confirmed else self.mempool
        mine = self.wallet.all
        return [self.transactions[t] for t in ids if _addresses(self.transactions[t]) & mine]

    def balance(self) -> int:
        """The wallet's confirmed balance in satoshis (its unspent confirmed outputs)."""
        mine = self.wallet.all
        spent = {
            (vin["txid"], vin["vout"])
            for t in self.confirmed_order
            for vin in self.transactions[t]["vin"]
            if not vin["is_coinbase"]
        }
        total = 0
        for t in self.confirmed_order:
            for n, out in enumerate(self.transactions[t]["vout"]):
                if out.get("scriptpubkey_address") in mine and (t, n) not in spent:
                    total += out["value"]
        return total

    def stats(self, address: str) -> dict[str, Any]:
        """``GET /address/:address``: counts and sums of its confirmed and unconfirmed activity."""
        pending = set(self.mempool)
        result: dict[str, Any] = {"address": address}
        for name, wanted in (("chain_stats", False), ("mempool_stats", True)):
            funded = spent = funded_sum = spent_sum = count = 0
            for t in self.by_address.get(address, []):
                if (t in pending) != wanted:
                    continue
                tx = self.transactions[t]
                count += 1
                for out in tx["vout"]:
                    if out.get("scriptpubkey_address") == address:
                        funded += 1
                        funded_sum += out["value"]
                for vin in tx["vin"]:
                    prevout = vin.get("prevout") or {}
                    if prevout.get("scriptpubkey_address") == address:
                        spent += 1
                        spent_sum += prevout["value"]
            result[name] = {
                "funded_txo_count": funded,
                "funded_txo_sum": funded_sum,
                "spent_txo_count": spent,
                "spent_txo_sum": spent_sum,
                "tx_count": count,
            }
        return result


def _addresses(tx: dict[str, Any]) -> set[str]:
    found = {out["scriptpubkey_address"] for out in tx["vout"] if "scriptpubkey_address" in out}
    found |= {
        vin["prevout"]["scriptpubkey_address"]
        for vin in tx["vin"]
        if vin.get("prevout") and "scriptpubkey_address" in vin["prevout"]
    }
    return found


def _script_type(address: str) -> str:
    if address.startswith("bc1q"):
        return "v0_p2wpkh" if len(address) == 42 else "v0_p2wsh"
    if address.startswith("bc1p"):
        return "v1_p2tr"
    return "p2sh" if address.startswith("3") else "p2pkh"


class _Builder:
    def __init__(self, seed: int, wallet: WalletAddresses, start_ms: int, now_ms: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.wallet = wallet
        self.start_ms = start_ms
        self.now_ms = now_ms
        self.counter = 0
        self.coins: list[_Coin] = []
        self.next_receive = 0
        self.next_change = 0
        self.used_receive: list[int] = []
        self.chain = Chain(wallet, tip_height=self.height_at(now_ms), now_ms=now_ms)
        self.block_times: dict[int, int] = {}

    # -- ids, addresses, blocks -----------------------------------------------------------------
    def _hex(self, label: str) -> str:
        self.counter += 1
        return hashlib.sha256(f"{self.seed}:{label}:{self.counter}".encode()).hexdigest()

    def outside_address(self) -> str:
        kind = self.rng.random()
        if kind < 0.6:
            return "bc1q" + "".join(self.rng.choice(_BECH32) for _ in range(38))
        alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        return self.rng.choice("13") + "".join(self.rng.choice(alphabet) for _ in range(33))

    def height_at(self, time_ms: int) -> int:
        return FIRST_HEIGHT + max(0, time_ms - self.start_ms) // BLOCK_MS

    def block_time(self, height: int) -> int:
        """A block's claimed time: its slot, give or take up to 40 minutes (not monotonic)."""
        if height not in self.block_times:
            slot = self.start_ms + (height - FIRST_HEIGHT) * BLOCK_MS
            jitter = random.Random(self.seed * 1_000_003 + height).randint(-40, 40) * MINUTE_MS
            moment = min(self.now_ms - 20 * MINUTE_MS, slot + jitter)
            self.block_times[height] = moment - moment % 1000
        return self.block_times[height]

    def receive_address(self, *, reuse: bool = False, index: int | None = None) -> str:
        wallet = self.wallet
        if not wallet.change:  # a single address
            return wallet.receive[0]
        if index is not None:
            self.used_receive.append(index)
            self.next_receive = max(self.next_receive, index + 1)
            return wallet.receive[index]
        if reuse and self.used_receive:
            return wallet.receive[self.rng.choice(self.used_receive)]
        skip = self.rng.choice((0, 0, 0, 0, 0, 1, SKIP_MAX)) if self.used_receive else 0
        position = min(self.next_receive + skip, len(wallet.receive) - 1)
        self.next_receive = position + 1
        self.used_receive.append(position)
        return wallet.receive[position]

    def change_address(self) -> str:
        wallet = self.wallet
        if not wallet.change:
            return wallet.receive[0]
        position = min(self.next_change, len(wallet.change) - 1)
        self.next_change = position + 1
        return wallet.change[position]

    # -- transactions ---------------------------------------------------------------------------
    def _output(self, address: str, value: int) -> dict[str, Any]:
        return {
            "scriptpubkey": self._hex("spk")[:44],
            "scriptpubkey_asm": "OP_0 OP_PUSHBYTES_20 …",
            "scriptpubkey_type": _script_type(address),
            "scriptpubkey_address": address,
            "value": value,
        }

    def _input(self, txid: str, vout: int, address: str, value: int) -> dict[str, Any]:
        return {
            "txid": txid,
            "vout": vout,
            "prevout": self._output(address, value),
            "scriptsig": "",
            "scriptsig_asm": "",
            "witness": [self._hex("sig")[:64], self._hex("pub")[:66]],
            "is_coinbase": False,
            "sequence": 4294967293,
        }

    def outside_input(self, value: int) -> dict[str, Any]:
        return self._input(self._hex("prev"), self.rng.randint(0, 3), self.outside_address(), value)

    def fee(self) -> int:
        return self.rng.randint(2, 60) * self.rng.choice((110, 141, 208, 250))

    def add(
        self,
        time_ms: int,
        vin: list[dict[str, Any]],
        vout: list[dict[str, Any]],
        fee: int,
        *,
        txid: str = "",
        pending: bool = False,
    ) -> str:
        txid = txid or self._hex("tx")
        tx: dict[str, Any] = {
            "txid": txid,
            "version": 2,
            "locktime": 0,
            "vin": vin,
            "vout": vout,
            "size": 120 + 68 * len(vin) + 31 * len(vout),
            "weight": 4 * (120 + 68 * len(vin) + 31 * len(vout)) - 3 * 68 * len(vin),
            "fee": fee,
        }
        if pending:
            tx["status"] = {"confirmed": False}
            self.chain.mempool.append(txid)
        else:
            height = max(self.height_at(time_ms), FIRST_HEIGHT)
            tx["status"] = {
                "confirmed": True,
                "block_height": height,
                "block_hash": hashlib.sha256(f"block:{self.seed}:{height}".encode()).hexdigest(),
                "block_time": self.block_time(height) // 1000,
            }
            self.chain.confirmed_order.append(txid)
        self.chain.transactions[txid] = tx
        for address in _addresses(tx):
            self.chain.by_address[address].append(txid)
        mine = self.wallet.all
        spent = {(v["txid"], v["vout"]) for v in vin if not v["is_coinbase"]}
        self.coins = [c for c in self.coins if (c.txid, c.vout) not in spent]
        if not pending:
            for n, out in enumerate(vout):
                if out["scriptpubkey_address"] in mine:
                    self.coins.append(_Coin(txid, n, out["scriptpubkey_address"], out["value"]))
        return txid

    def pick_coins(self, amount: int) -> list[_Coin]:
        picked: list[_Coin] = []
        total = 0
        for coin in sorted(self.coins, key=lambda c: (c.value, c.txid)):
            picked.append(coin)
            total += coin.value
            if total >= amount:
                return picked
        return []

    def balance(self) -> int:
        return sum(c.value for c in self.coins)

    # -- events ---------------------------------------------------------------------------------
    def receive(
        self, time_ms: int, *, address: str = "", pending: bool = False, txid: str = "", value: int = 0
    ) -> None:
        amount = value or self.rng.randint(100_000, 50_000_000)
        to = address or self.receive_address(reuse=self.rng.random() < 0.15)
        fee = self.fee()
        change = self.rng.randint(50_000, 5_000_000)
        vin = [self.outside_input(amount + change + fee)]
        vout = [self._output(to, amount), self._output(self.outside_address(), change)]
        self.rng.shuffle(vout)
        self.add(time_ms, vin, vout, fee, txid=txid, pending=pending)

    def split_receive(self, time_ms: int) -> None:
        first, second = self.receive_address(), self.receive_address()
        if first == second:
            second = self.change_address()
        a, b = self.rng.randint(100_000, 5_000_000), self.rng.randint(100_000, 5_000_000)
        fee = self.fee()
        vin = [self.outside_input(a + b + fee + 10_000)]
        vout = [self._output(first, a), self._output(second, b), self._output(self.outside_address(), 10_000)]
        self.add(time_ms, vin, vout, fee)

    def coinbase(self, time_ms: int) -> None:
        reward = 312_500_000 + self.rng.randint(1_000_000, 40_000_000)
        vin = [
            {
                "txid": "0" * 64,
                "vout": 4294967295,
                "prevout": None,
                "scriptsig": self._hex("cb")[:40],
                "scriptsig_asm": "OP_PUSHBYTES_3 …",
                "is_coinbase": True,
                "sequence": 4294967295,
            }
        ]
        self.add(time_ms, vin, [self._output(self.receive_address(), reward)], 0)

    def send(self, time_ms: int, *, to: str = "", value: int = 0, fee: int = 0, txid: str = "") -> bool:
        fee = fee or self.fee()
        amount = value or int(self.balance() * self.rng.uniform(0.05, 0.6))
        if amount < DUST:
            return False
        coins = self.pick_coins(amount + fee)
        if not coins:
            return False
        total = sum(c.value for c in coins)
        vin = [self._input(c.txid, c.vout, c.address, c.value) for c in coins]
        vout = [self._output(to or self.outside_address(), amount)]
        change = total - amount - fee
        if change >= DUST:
            vout.append(self._output(self.change_address(), change))
            self.rng.shuffle(vout)
        else:
            fee += change
        self.add(time_ms, vin, vout, fee, txid=txid)
        return True

    def consolidate(self, time_ms: int) -> None:
        coins = sorted(self.coins, key=lambda c: (c.value, c.txid))[: self.rng.randint(2, 4)]
        if len(coins) < 2:
            return
        fee = self.fee()
        total = sum(c.value for c in coins)
        if total - fee < DUST:
            return
        vin = [self._input(c.txid, c.vout, c.address, c.value) for c in coins]
        self.add(time_ms, vin, [self._output(self.change_address(), total - fee)], fee)

    def joint(self, time_ms: int) -> None:
        coins = self.pick_coins(200_000)
        if not coins:
            return
        mine = sum(c.value for c in coins)
        theirs = self.rng.randint(200_000, 2_000_000)
        fee = self.fee()
        vin = [self._input(c.txid, c.vout, c.address, c.value) for c in coins] + [self.outside_input(theirs)]
        paid = mine // 3
        back = mine - paid - fee * mine // (mine + theirs)
        vout = [
            self._output(self.outside_address(), paid + theirs - (fee - fee * mine // (mine + theirs))),
            self._output(self.change_address(), back),
        ]
        self.add(time_ms, vin, vout, fee)


def generate_chain(
    seed: int,
    wallet: WalletAddresses,
    *,
    size: str = "small",
    now_ms: int,
    shared: Sequence[SharedTransfer] = (),
) -> Chain:
    """The history of ``wallet`` up to ``now_ms`` (the same for the same arguments)."""
    plan = SIZES[size]
    start_ms = now_ms - plan.days * DAY_MS
    builder = _Builder(seed, wallet, start_ms, now_ms)
    rng = builder.rng
    tail = now_ms - 3 * HOUR_MS  # the last confirmed event; pending ones come after
    events: list[tuple[int, int, str, Any]] = []
    counts = (
        ("receive", plan.receives),
        ("heavy", plan.heavy_receives),
        ("send", plan.sends),
        ("consolidate", plan.consolidations),
        ("split", plan.split_receives),
        ("joint", plan.joint),
        ("coinbase", plan.coinbase),
    )
    for kind, count in counts:
        for _ in range(count):
            events.append((rng.randint(start_ms + HOUR_MS, tail), len(events), kind, None))
    for item in shared:
        events.append((item.time_ms + 5 * MINUTE_MS, len(events), "shared", item))
    events.sort(key=lambda e: (e[0], e[1]))
    heavy = ""
    for time_ms, _, kind, item in events:
        if kind == "receive":
            builder.receive(time_ms)
        elif kind == "heavy":
            heavy = heavy or builder.receive_address()
            builder.receive(time_ms, address=heavy)
        elif kind == "send" and not builder.send(time_ms):
            builder.receive(time_ms)
        elif kind == "consolidate":
            builder.consolidate(time_ms)
        elif kind == "split":
            builder.split_receive(time_ms)
        elif kind == "joint":
            builder.joint(time_ms)
        elif kind == "coinbase":
            builder.coinbase(time_ms)
        elif kind == "shared":
            _shared(builder, time_ms, item)
    for _ in range(plan.pending):
        builder.receive(now_ms - rng.randint(1, 30) * MINUTE_MS, pending=True)
    return builder.chain


def _shared(builder: _Builder, time_ms: int, item: SharedTransfer) -> None:
    if item.direction == "in":
        builder.receive(
            time_ms,
            address=builder.receive_address(index=item.receive_index),
            txid=item.txid,
            value=item.sats,
        )
        return
    to = item.address or builder.outside_address()
    if not builder.send(time_ms, to=to, value=item.sats, fee=item.fee_sats, txid=item.txid):
        # Not enough coins yet: the wallet is paid first (by someone outside), then sends.
        builder.receive(time_ms - 30 * MINUTE_MS, value=item.sats + item.fee_sats + 10_000)
        if not builder.send(time_ms, to=to, value=item.sats, fee=item.fee_sats, txid=item.txid):
            raise ValueError("the shared send cannot be funded")


def made_up_addresses(seed: int, count: int) -> tuple[str, ...]:
    """Addresses for a simulated wallet that is not derived from a key (tests of the server)."""
    rng = random.Random(seed)
    return tuple("bc1q" + "".join(rng.choice(_BECH32) for _ in range(38)) for _ in range(count))


def touching(chain: Chain, addresses: Iterable[str]) -> list[str]:
    """The txids of confirmed transactions touching any of ``addresses``, oldest first."""
    wanted = set(addresses)
    return [t for t in chain.confirmed_order if _addresses(chain.transactions[t]) & wanted]
