"""A seeded EVM account history, as an Etherscan-compatible API lists it, with its ground truth.

Standard library only and independent of the app: rows are written in the shape of Etherscan's
``txlist`` / ``txlistinternal`` / ``tokentx`` examples (every value a string, amounts in the smallest
unit), and each generated event records what it means for the wallet (:class:`TruthEvent`: kinds,
assets and amounts per transaction, and the gas the wallet paid), written down when the event is
made, not derived from the rows.

Events: coin received and sent, a failed call (pays gas), a self-transfer, tokens received and sent,
an approval (gas only), swaps coin→token (value out, token in), token→coin (token out, coin back
as an internal transaction), token→token, a contract paying out coin inside someone else's
transaction, adding liquidity (three assets), zero-value "address poisoning" transfers (nothing),
failed internal transfers (nothing) and airdrop bursts of many transfers in one block (so a page can
end inside a block).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

SIZES = {"tiny": 24, "small": 150, "medium": 1500, "large": 12000}
ZERO = "0x0000000000000000000000000000000000000000"

# Function names as the explorers print them (``functionName``).
SWAP_IN = "swapExactETHForTokens(uint256 amountOutMin, address[] path, address to, uint256 deadline)"
SWAP_OUT = (
    "swapExactTokensForETH("
    "uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline)"
)
SWAP_TOKENS = (
    "swapExactTokensForTokens("
    "uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline)"
)
ADD_LIQUIDITY = (
    "addLiquidityETH("
    "address token, uint256 amountTokenDesired, uint256 amountTokenMin, uint256 amountETHMin, "
    "address to, uint256 deadline)"
)
TRANSFER = "transfer(address _to, uint256 _value)"
APPROVE = "approve(address spender, uint256 amount)"


@dataclass(frozen=True, slots=True)
class Token:
    contract: str
    name: str
    symbol: str
    decimals: int


@dataclass(frozen=True, slots=True)
class TruthLeg:
    kind: str  # "deposit", "withdrawal", "convert", "fee"
    asset: str  # symbol (a convert: the asset gained)
    amount: Decimal
    counter_asset: str = ""
    counter_amount: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class TruthEvent:
    """What one transaction means for the wallet (no legs: nothing)."""

    hash: str
    time_ms: int
    legs: tuple[TruthLeg, ...]
    gas: Decimal  # the coin the wallet paid as gas (0 when someone else sent it)
    label: str


@dataclass(frozen=True, slots=True)
class SharedTransfer:
    """A transfer another simulator (an exchange's withdrawal) sends to this wallet: same hash."""

    tx_hash: str
    time_ms: int
    amount: Decimal  # in the coin (or in ``token``'s units when given)
    token: str = ""  # a token symbol of :data:`TOKENS`, "" for the chain's coin


@dataclass
class History:
    address: str  # lower case
    coin: str
    genesis_s: int
    block_seconds: float
    normal: list[dict[str, str]] = field(default_factory=list)
    internal: list[dict[str, str]] = field(default_factory=list)
    tokens: list[dict[str, str]] = field(default_factory=list)
    truth: list[TruthEvent] = field(default_factory=list)
    tip_block: int = 0

    def block_at(self, time_s: int) -> int:
        return max(0, int((time_s - self.genesis_s) / self.block_seconds))

    def time_of(self, block: int) -> int:
        return self.genesis_s + int(block * self.block_seconds)

    def rows(self, action: str) -> list[dict[str, str]]:
        return {"txlist": self.normal, "txlistinternal": self.internal, "tokentx": self.tokens}[action]

    def row_count(self) -> int:
        return len(self.normal) + len(self.internal) + len(self.tokens)


def _hex(rng: random.Random, digits: int) -> str:
    return "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(digits))


TOKEN_LIST = (
    Token("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USD Coin", "USDC", 6),
    Token("0xdac17f958d2ee523a2206206994597c13d831ec7", "Tether USD", "USDT", 6),
    Token("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", "Wrapped Ether", "WETH", 18),
    Token("0x514910771af9ca656af840dff83e8264ecf986ca", "ChainLink Token", "LINK", 18),
    Token("0x1f9840a85d5af5bf1d1762f925bdaddc4201f984", "Uniswap", "UNI", 18),
)
TOKENS = {token.symbol: token for token in TOKEN_LIST}
SCAM = Token("0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f", "Tether USD", "USDT", 6)  # a look-alike
POOL_TOKEN = Token("0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc", "Uniswap V2", "UNI-V2", 18)


def _units(amount: Decimal, decimals: int) -> int:
    return int(amount.scaleb(decimals))


def _amount(units: int, decimals: int) -> Decimal:
    return Decimal(units).scaleb(-decimals).normalize()


class _Builder:
    def __init__(self, history: History, rng: random.Random) -> None:
        self.h = history
        self.rng = rng
        self.me = history.address
        self.nonce = 0
        self.exchanges = [_hex(rng, 40) for _ in range(3)]
        self.friends = [_hex(rng, 40) for _ in range(6)]
        self.router = _hex(rng, 40)
        self.pool = _hex(rng, 40)
        self.index_in_block: dict[int, int] = {}

    # -- rows ------------------------------------------------------------------------------------
    def _position(self, block: int) -> int:
        index = self.index_in_block.get(block, self.rng.randint(0, 40))
        self.index_in_block[block] = index + 1
        return index

    def normal(
        self,
        tx: str,
        block: int,
        sender: str,
        to: str,
        value: int,
        *,
        gas_used: int = 21000,
        failed: bool = False,
        function: str = "",
    ) -> tuple[int, int]:
        """A ``txlist`` row; returns (gas used × price, transaction index)."""
        price = self.rng.randint(2, 90) * 1_000_000_000
        index = self._position(block)
        nonce = self.nonce if sender == self.me else self.rng.randint(0, 90000)
        if sender == self.me:
            self.nonce += 1
        method = "0x" if not function else "0x" + hashlib.sha256(function.encode()).hexdigest()[:8]
        self.h.normal.append(
            {
                "blockNumber": str(block),
                "timeStamp": str(self.h.time_of(block)),
                "hash": tx,
                "nonce": str(nonce),
                "blockHash": _hex(self.rng, 64),
                "transactionIndex": str(index),
                "from": sender,
                "to": to,
                "value": str(value),
                "gas": str(gas_used + 20000),
                "gasPrice": str(price),
                "isError": "1" if failed else "0",
                "txreceipt_status": "0" if failed else "1",
                "input": "0x" if not function else method + "0" * 128,
                "contractAddress": "",
                "cumulativeGasUsed": str(gas_used * (index + 1)),
                "gasUsed": str(gas_used),
                "confirmations": str(max(1, self.h.tip_block - block + 1)),
                "methodId": method,
                "functionName": function,
            }
        )
        return gas_used * price, index

    def internal(
        self, tx: str, block: int, sender: str, to: str, value: int, *, failed: bool = False
    ) -> None:
        self.h.internal.append(
            {
                "blockNumber": str(block),
                "timeStamp": str(self.h.time_of(block)),
                "hash": tx,
                "from": sender,
                "to": to,
                "value": str(value),
                "contractAddress": "",
                "input": "",
                "type": "call",
                "gas": "2300",
                "gasUsed": "0",
                "traceId": f"0_{self.rng.randint(0, 3)}",
                "isError": "1" if failed else "0",
                "errCode": "execution reverted" if failed else "",
                "_order": str(self._position(block)),
            }
        )

    def token(
        self, tx: str, block: int, sender: str, to: str, units: int, token: Token, index: int = -1
    ) -> None:
        self.h.tokens.append(
            {
                "blockNumber": str(block),
                "timeStamp": str(self.h.time_of(block)),
                "hash": tx,
                "nonce": str(self.rng.randint(0, 9000)),
                "blockHash": _hex(self.rng, 64),
                "from": sender,
                "contractAddress": token.contract,
                "to": to,
                "value": str(units),
                "tokenName": token.name,
                "tokenSymbol": token.symbol,
                "tokenDecimal": str(token.decimals),
                "transactionIndex": str(index if index >= 0 else self._position(block)),
                "gas": "120000",
                "gasPrice": str(self.rng.randint(2, 90) * 1_000_000_000),
                "gasUsed": "65000",
                "cumulativeGasUsed": "5000000",
                "input": "deprecated",
                "confirmations": str(max(1, self.h.tip_block - block + 1)),
            }
        )

    # -- amounts ---------------------------------------------------------------------------------
    def coin(self) -> int:
        return int(self.rng.randint(1, 4000) * 10**15)

    def token_units(self, token: Token) -> int:
        whole = self.rng.randint(1, 5000)
        scale: int = 10**token.decimals
        return whole * scale + self.rng.randint(0, scale - 1)

    def pick(self) -> Token:
        return self.rng.choice(TOKEN_LIST)

    # -- events ----------------------------------------------------------------------------------
    def event(self, kind: str, block: int, time_ms: int) -> None:
        rng, me, h = self.rng, self.me, self.h
        tx = _hex(rng, 64)
        coin = h.coin
        gas = 0
        legs: list[TruthLeg] = []

        def coin_amount(units: int) -> Decimal:
            return _amount(units, 18)

        if kind == "coin_in":
            value = self.coin()
            self.normal(tx, block, rng.choice(self.exchanges + self.friends), me, value)
            legs.append(TruthLeg("deposit", coin, coin_amount(value)))
        elif kind == "coin_out":
            value = self.coin()
            gas, _ = self.normal(tx, block, me, rng.choice(self.friends + self.exchanges), value)
            legs.append(TruthLeg("withdrawal", coin, coin_amount(value)))
        elif kind == "failed":
            value = rng.choice([0, self.coin()])
            gas, _ = self.normal(
                tx,
                block,
                me,
                self.router,
                value,
                gas_used=90000,
                failed=True,
                function=SWAP_IN,
            )
            legs.append(TruthLeg("fee", coin, coin_amount(gas)))
        elif kind == "self":
            gas, _ = self.normal(tx, block, me, me, self.coin())
            legs.append(TruthLeg("withdrawal", coin, Decimal(0)))
        elif kind == "token_in":
            token = self.pick()
            units = self.token_units(token)
            self.token(tx, block, rng.choice(self.exchanges + self.friends), me, units, token)
            legs.append(TruthLeg("deposit", token.symbol, _amount(units, token.decimals)))
        elif kind == "token_out":
            token = self.pick()
            units = self.token_units(token)
            gas, index = self.normal(
                tx,
                block,
                me,
                token.contract,
                0,
                gas_used=52000,
                function=TRANSFER,
            )
            self.token(tx, block, me, rng.choice(self.friends + self.exchanges), units, token, index)
            legs.append(TruthLeg("withdrawal", token.symbol, _amount(units, token.decimals)))
        elif kind == "approve":
            token = self.pick()
            gas, _ = self.normal(
                tx,
                block,
                me,
                token.contract,
                0,
                gas_used=46000,
                function=APPROVE,
            )
            legs.append(TruthLeg("fee", coin, coin_amount(gas)))
        elif kind == "swap_in":
            token = self.pick()
            value, units = self.coin(), self.token_units(token)
            gas, index = self.normal(
                tx,
                block,
                me,
                self.router,
                value,
                gas_used=150000,
                function=SWAP_IN,
            )
            self.token(tx, block, self.pool, me, units, token, index)
            legs.append(
                TruthLeg("convert", token.symbol, _amount(units, token.decimals), coin, coin_amount(value))
            )
        elif kind == "swap_out":
            token = self.pick()
            value, units = self.coin(), self.token_units(token)
            gas, index = self.normal(
                tx,
                block,
                me,
                self.router,
                0,
                gas_used=160000,
                function=SWAP_OUT,
            )
            self.token(tx, block, me, self.pool, units, token, index)
            self.internal(tx, block, self.router, me, value)
            legs.append(
                TruthLeg("convert", coin, coin_amount(value), token.symbol, _amount(units, token.decimals))
            )
        elif kind == "swap_tokens":
            first, second = rng.sample(TOKEN_LIST, 2)
            given, got = self.token_units(first), self.token_units(second)
            gas, index = self.normal(
                tx,
                block,
                me,
                self.router,
                0,
                gas_used=180000,
                function=SWAP_TOKENS,
            )
            self.token(tx, block, me, self.pool, given, first, index)
            self.token(tx, block, self.pool, me, got, second, index)
            legs.append(
                TruthLeg(
                    "convert",
                    second.symbol,
                    _amount(got, second.decimals),
                    first.symbol,
                    _amount(given, first.decimals),
                )
            )
        elif kind == "paid_out":
            value = self.coin()
            self.internal(tx, block, self.router, me, value)
            legs.append(TruthLeg("deposit", coin, coin_amount(value)))
        elif kind == "liquidity":
            token = self.pick()
            value, units, shares = self.coin(), self.token_units(token), self.token_units(POOL_TOKEN)
            gas, index = self.normal(
                tx,
                block,
                me,
                self.router,
                value,
                gas_used=210000,
                function=ADD_LIQUIDITY,
            )
            self.token(tx, block, me, self.pool, units, token, index)
            self.token(tx, block, ZERO, me, shares, POOL_TOKEN, index)
            legs.append(TruthLeg("withdrawal", coin, coin_amount(value)))
            legs.append(TruthLeg("withdrawal", token.symbol, _amount(units, token.decimals)))
            legs.append(TruthLeg("deposit", POOL_TOKEN.symbol, _amount(shares, POOL_TOKEN.decimals)))
        elif kind == "poison":
            self.token(tx, block, me, rng.choice(self.friends), 0, SCAM)
        elif kind == "failed_internal":
            self.internal(tx, block, self.router, me, self.coin(), failed=True)
        else:  # pragma: no cover - the generator's own list
            raise ValueError(kind)
        h.truth.append(TruthEvent(tx, h.time_of(block) * 1000, tuple(legs), coin_amount(gas), kind))

    def shared(self, transfer: SharedTransfer) -> None:
        block = self.h.block_at(transfer.time_ms // 1000)
        sender = self.exchanges[0]
        if transfer.token:
            token = TOKENS[transfer.token]
            units = _units(transfer.amount, token.decimals)
            self.token(transfer.tx_hash, block, sender, self.me, units, token)
            leg = TruthLeg("deposit", token.symbol, _amount(units, token.decimals))
        else:
            units = _units(transfer.amount, 18)
            self.normal(transfer.tx_hash, block, sender, self.me, units)
            leg = TruthLeg("deposit", self.h.coin, _amount(units, 18))
        self.h.truth.append(
            TruthEvent(transfer.tx_hash, self.h.time_of(block) * 1000, (leg,), Decimal(0), "shared")
        )


_WEIGHTS = {
    "coin_in": 14,
    "coin_out": 10,
    "failed": 3,
    "self": 2,
    "token_in": 14,
    "token_out": 9,
    "approve": 5,
    "swap_in": 8,
    "swap_out": 7,
    "swap_tokens": 6,
    "paid_out": 4,
    "liquidity": 2,
    "poison": 3,
    "failed_internal": 1,
}


def generate_history(
    seed: int,
    address: str,
    *,
    coin: str,
    genesis_ms: int,
    block_seconds: float,
    now_ms: int,
    size: str = "small",
    shared: Sequence[SharedTransfer] = (),
    quiet_ms: int = 3_600_000,
) -> History:
    """``SIZES[size]`` events over the last two years up to ``quiet_ms`` before ``now_ms``, and a
    few airdrop bursts (many transfers in one block)."""
    rng = random.Random(f"evm-history-{seed}-{size}")
    history = History(address.lower(), coin, genesis_ms // 1000, block_seconds)
    history.tip_block = history.block_at(now_ms // 1000)
    builder = _Builder(history, rng)
    count = SIZES[size]
    end_s = (now_ms - quiet_ms) // 1000
    start_s = max(history.genesis_s + 86_400, end_s - 2 * 365 * 86_400)
    kinds = list(_WEIGHTS)
    weights = [_WEIGHTS[k] for k in kinds]
    times = sorted(rng.randint(start_s, end_s) for _ in range(count))
    chosen = rng.choices(kinds, weights, k=count)
    if count >= 3 * len(kinds):  # every kind at least once
        for position, kind in zip(rng.sample(range(count), len(kinds)), kinds, strict=True):
            chosen[position] = kind
    for moment, kind in zip(times, chosen, strict=True):
        builder.event(kind, history.block_at(moment), moment * 1000)
    for _ in range(max(1, count // 60)):  # airdrop bursts: many transfers in one block
        block = history.block_at(rng.randint(start_s, end_s))
        for _ in range(rng.randint(12, 40)):
            builder.event("token_in", block, history.time_of(block) * 1000)
    for transfer in shared:
        builder.shared(transfer)
    for rows in (history.normal, history.internal, history.tokens):
        rows.sort(key=_order)
    return history


def _order(row: dict[str, Any]) -> tuple[int, int, str]:
    position = row.get("transactionIndex", row.get("_order", "0"))
    return (int(row["blockNumber"]), int(position), row["hash"])
