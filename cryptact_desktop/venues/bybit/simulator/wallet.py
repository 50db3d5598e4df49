"""Wallet activity of a simulated account: deposits, withdrawals, transfers, converts, earn.

These streams are small, so their records are kept as ready-made dicts; the ones that move money
in the unified account also get their transaction-log rows.
"""

from __future__ import annotations

from typing import Any

from .builders import (
    FEE_SCALE,
    K_AIRDROP,
    K_BONUS,
    K_CURRENCY_BUY,
    K_CURRENCY_SELL,
    K_FEE_REFUND,
    K_INTEREST,
    K_TRANSFER_IN,
    K_TRANSFER_OUT,
    fmt,
    numeric_id,
    rescale,
    uuid_like,
)
from .streams import DAY_MS
from .timeline import Base

_COIN_SCALE = {"USDT": 4, "USDC": 4, "BTC": 8, "ETH": 7, "SOL": 5, "XRP": 2, "MNT": 4}
_COIN_USD = {"USDT": 1.0, "USDC": 1.0, "MNT": 0.8}
_PRODUCTS = {"USDT": "8", "USDC": "9", "BTC": "2", "ETH": "3"}


class Wallet(Base):
    # -- plain (dict) streams -----------------------------------------------------------------
    def _amount(self, coin: str, t: int, lo: float, span: float) -> tuple[int, str]:
        usd = lo * span ** self.rng.random()
        px = _COIN_USD.get(coin) or self.prices.price(coin, t)
        scale = _COIN_SCALE[coin]
        units = max(1, int(usd / px * 10**scale))
        if coin in ("USDT", "USDC") and self.rng.random() < 0.5:
            units -= units % 10**scale  # round amounts are common for stablecoins
            units = max(units, 10**scale)
        return units, coin

    def _plain(self, stream: str, t: int, rec: dict[str, Any]) -> int:
        serial = self._next()
        self.plain[stream].append((t, serial, rec))
        return serial

    @staticmethod
    def _fmt_amount(units: int, coin: str) -> str:
        return fmt(units, _COIN_SCALE[coin])

    def _hex(self, n: int) -> str:
        return f"{self.rng.getrandbits(n * 4):0{n}x}"

    def deposit(self, t: int, status: int = 3) -> None:
        rng = self.rng
        coin = rng.choice(("USDT", "USDT", "USDC", "BTC", "ETH", "SOL"))
        chain = {
            "USDT": rng.choice(("TRX", "ETH", "ARBI")),
            "USDC": rng.choice(("ETH", "OP.E")),
            "BTC": "BTC",
            "ETH": rng.choice(("ETH", "ARBI")),
            "SOL": "SOL",
        }[coin]
        units, _ = self._amount(coin, t, 100.0, 300.0)
        if chain == "TRX":
            to_addr, from_addr, tx = "T" + self._hex(33), "T" + self._hex(33), self._hex(64)
        elif chain in ("BTC",):
            to_addr, from_addr, tx = "bc1q" + self._hex(38), "bc1q" + self._hex(38), self._hex(64)
        elif chain == "SOL":
            to_addr, from_addr, tx = self._hex(44), self._hex(44), self._hex(88)
        else:
            to_addr, from_addr, tx = "0x" + self._hex(40), "0x" + self._hex(40), "0x" + self._hex(64)
        t -= t % 1000
        serial = self.serial + 1
        self._plain(
            "deposit_onchain",
            t,
            {
                "coin": coin,
                "chain": chain,
                "amount": self._fmt_amount(units, coin),
                "txID": tx,
                "status": status,
                "toAddress": to_addr,
                "tag": "",
                "depositFee": "",
                "successAt": str(t),
                "confirmations": str(rng.randint(12, 120)),
                "txIndex": str(rng.randint(0, 300)),
                "blockHash": ("0x" if chain not in ("BTC", "TRX", "SOL") else "") + self._hex(64),
                "batchReleaseLimit": "-1",
                "depositType": "0",
                "fromAddress": from_addr,
                "taxDepositRecordsId": "0",
                "taxStatus": 0,
                "id": str(160_000_000 + serial * 3),
            },
        )

    def deposit_internal(self, t: int) -> None:
        rng = self.rng
        coin = rng.choice(("USDT", "USDT", "BTC", "ETH"))
        units, _ = self._amount(coin, t, 20.0, 100.0)
        t -= t % 1000
        serial = self.serial + 1
        self._plain(
            "deposit_internal",
            t,
            {
                "id": numeric_id(serial, self.salt, 1, 15),
                "type": 1,
                "coin": coin,
                "amount": self._fmt_amount(units, coin),
                "status": 2,
                "address": f"{'abcdefgh'[serial % 8]}{'xyz'[serial % 3]}***@gmail.com",
                "createdTime": str(t // 1000),
                "fromMemberId": str(rng.randint(1_000_000, 99_999_999)),
                "txID": numeric_id(serial, self.salt + 5, 3, 15),
                "taxDepositRecordsId": "0",
                "taxStatus": 0,
            },
        )

    def withdrawal(self, t: int, off_chain: bool) -> None:
        rng = self.rng
        coin = rng.choice(("USDT", "USDT", "USDC", "BTC", "ETH"))
        units, _ = self._amount(coin, t, 50.0, 200.0)
        t -= t % 1000
        status = rng.choices(("success", "CancelByUser", "Fail"), (90, 7, 3))[0]
        serial = self.serial + 1
        if off_chain:
            chain, to_addr, fee, tx = "", str(rng.randint(1_000_000, 99_999_999)), "0", ""
        else:
            chain = {"USDT": "TRX", "USDC": "ETH", "BTC": "BTC", "ETH": "ARBI"}[coin]
            fee = {"USDT": "1", "USDC": "5", "BTC": "0.0002", "ETH": "0.0003"}[coin]
            to_addr = (
                ("T" + self._hex(33))
                if chain == "TRX"
                else ("bc1q" + self._hex(38) if chain == "BTC" else "0x" + self._hex(40))
            )
            tx = ("0x" if chain in ("ETH", "ARBI") else "") + self._hex(64) if status == "success" else ""
        self._plain(
            "withdrawal",
            t,
            {
                "coin": coin,
                "chain": chain,
                "amount": self._fmt_amount(units, coin),
                "txID": tx,
                "status": status,
                "toAddress": to_addr,
                "tag": "",
                "withdrawFee": fee,
                "createTime": str(t),
                "updateTime": str(t + rng.randint(5, 600) * 1000),
                "withdrawId": str(131_000_000 + serial * 7),
                "withdrawType": 1 if off_chain else 0,
                "fee": "",
                "tax": "",
                "taxRate": "",
                "taxType": "",
            },
        )

    def transfer(self, t: int, coin: str | None = None) -> None:
        rng = self.rng
        coin = coin or rng.choice(("USDT", "USDT", "USDC", "BTC", "ETH"))
        units, _ = self._amount(coin, t, 10.0, 500.0)
        t -= t % 1000
        to_uta = rng.random() < 0.55
        status = "SUCCESS" if rng.random() < 0.97 else "FAILED"
        serial = self._plain(
            "transfer_internal",
            t,
            {
                "transferId": "",
                "coin": coin,
                "amount": self._fmt_amount(units, coin),
                "fromAccountType": "FUND" if to_uta else "UNIFIED",
                "toAccountType": "UNIFIED" if to_uta else "FUND",
                "timestamp": str(t),
                "status": status,
            },
        )
        self.plain["transfer_internal"][-1][2]["transferId"] = uuid_like(serial, self.salt + 7)
        if status == "SUCCESS":
            self._ledger_plain(
                t, K_TRANSFER_IN if to_uta else K_TRANSFER_OUT, coin, units if to_uta else -units
            )

    def universal(self, t: int) -> None:
        rng = self.rng
        coin = rng.choice(("USDT", "USDC", "BTC"))
        units, _ = self._amount(coin, t, 20.0, 200.0)
        t -= t % 1000
        other = str(self.uid + rng.randint(1, 3) * 1000 + 7)
        outgoing = rng.random() < 0.5
        from_type = rng.choice(("UNIFIED", "FUND"))
        to_type = rng.choice(("UNIFIED", "FUND"))
        serial = self._plain(
            "transfer_universal",
            t,
            {
                "transferId": "",
                "coin": coin,
                "amount": self._fmt_amount(units, coin),
                "timestamp": str(t),
                "status": "SUCCESS",
                "fromAccountType": from_type,
                "toAccountType": to_type,
                "fromMemberId": str(self.uid) if outgoing else other,
                "toMemberId": other if outgoing else str(self.uid),
            },
        )
        h = uuid_like(serial, self.salt + 9)
        self.plain["transfer_universal"][-1][2]["transferId"] = f"universalTransfer_{h}_{self.uid}"
        if outgoing and from_type == "UNIFIED":
            self._ledger_plain(t, K_TRANSFER_OUT, coin, -units)
        elif not outgoing and to_type == "UNIFIED":
            self._ledger_plain(t, K_TRANSFER_IN, coin, units)

    def convert(self, t: int) -> None:
        rng = self.rng
        pair = rng.choice(
            (
                ("USDT", "BTC"),
                ("BTC", "USDT"),
                ("USDT", "ETH"),
                ("ETH", "USDT"),
                ("BTC", "ETH"),
                ("USDC", "USDT"),
                ("SOL", "USDT"),
            )
        )
        from_coin, to_coin = pair
        units, _ = self._amount(from_coin, t, 20.0, 100.0)
        px_from = _COIN_USD.get(from_coin) or self.prices.price(from_coin, t)
        px_to = _COIN_USD.get(to_coin) or self.prices.price(to_coin, t)
        rate_units = max(1, int(px_from / px_to * 0.998 * 10**10))
        to_units = units * rate_units * 10 ** _COIN_SCALE[to_coin] // (10**10 * 10 ** _COIN_SCALE[from_coin])
        uta = rng.random() < 0.7
        acct = "eb_convert_uta" if uta else "eb_convert_funding"
        serial = self.serial + 1
        self._plain(
            "convert",
            t,
            {
                "accountType": acct,
                "exchangeTxId": f"{serial % 100000}{acct}{numeric_id(serial, self.salt, 4, 17)}",
                "userId": str(self.uid),
                "fromCoin": from_coin,
                "fromCoinType": "crypto",
                "toCoin": to_coin,
                "toCoinType": "crypto",
                "fromAmount": self._fmt_amount(units, from_coin),
                "toAmount": self._fmt_amount(to_units, to_coin),
                "exchangeStatus": "success",
                "extInfo": {},
                "convertRate": _fmt_rate(rate_units),
                "createdAt": str(t),
            },
        )
        if uta:
            self._ledger_plain(t, K_CURRENCY_SELL, from_coin, -units)
            self._ledger_plain(t, K_CURRENCY_BUY, to_coin, to_units)

    def _ledger_plain(self, t: int, kind: int, coin: str, units: int) -> None:
        v = rescale(units, _COIN_SCALE[coin], FEE_SCALE)
        self._ledger(t, kind, None, coin, v, v, 0)

    def misc_ledger(self, t: int) -> None:
        rng = self.rng
        kind = rng.choice((K_INTEREST, K_BONUS, K_AIRDROP, K_FEE_REFUND))
        if kind == K_INTEREST:
            units, coin = rng.randint(1, 50_000), "USDT"
            self._ledger_plain(t, kind, coin, -units)
            return
        coin = "MNT" if kind == K_AIRDROP else "USDT"
        units, _ = self._amount(coin, t, 1.0, 50.0)
        self._ledger_plain(t, kind, coin, units)

    def earn_order(self, t: int, coin: str, units: int, stake: bool) -> str:
        serial = self._plain("earn_order_flexible", t, {})
        order_id = uuid_like(serial, self.salt + 11)
        self.plain["earn_order_flexible"][-1][2].update(
            {
                "coin": coin,
                "orderValue": self._fmt_amount(units, coin),
                "orderType": "Stake" if stake else "Redeem",
                "orderId": order_id,
                "orderLinkId": "",
                "status": "Success",
                "createdAt": str(t),
                "productId": _PRODUCTS[coin],
                "updatedAt": str(t + 1000 + serial % 4000),
                "swapOrderValue": "",
                "estimateRedeemTime": "",
                "estimateStakeTime": "",
            }
        )
        return order_id

    def earn_yield(self, t: int, coin: str, units: int, order_id: str) -> None:
        apr = 0.02 + (self.serial % 60) / 1000.0
        y = max(1, int(units * apr / 365.0))
        serial = self.serial + 1
        self._plain(
            "earn_yield_flexible",
            t,
            {
                "productId": _PRODUCTS[coin],
                "coin": coin,
                "id": str(30_000_000 + serial * 3),
                "amount": self._fmt_amount(y, coin),
                "yieldType": "Normal",
                "distributionMode": "Auto",
                "effectiveStakingAmount": self._fmt_amount(units, coin),
                "orderId": order_id,
                "status": "Success",
                "createdAt": str(t),
            },
        )

    def stake_period(self, start: int, end: int | None) -> None:
        rng = self.rng
        coin = rng.choice(("USDT", "USDT", "BTC", "ETH"))
        units, _ = self._amount(coin, start, 500.0, 40.0)
        order_id = self.earn_order(start, coin, units, True)
        stop = min(end, self.last) if end is not None else self.last
        day = (start // DAY_MS + 1) * DAY_MS + 30 * 60_000 + rng.randint(0, 600) * 1000
        while day < stop:
            if not self.in_zone(day):
                self.earn_yield(day, coin, units, order_id)
            day += DAY_MS
        if end is not None and end <= self.last:
            self.earn_order(end, coin, units, False)


def _fmt_rate(rate_units: int) -> str:
    return fmt(rate_units, 10)
