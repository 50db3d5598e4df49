"""Compact record rows and the functions that turn them into Bybit V5 JSON records.

Executions and ledger rows are the bulk of a large account (hundreds of thousands), so they are
kept as tuples of integers and only turned into the documented dicts when a page is served.
Every number is an integer with a known decimal scale and is formatted with :func:`fmt`, so the
strings never carry binary-float noise (no ``0.30000000000000004``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Row = tuple[Any, ...]
Record = dict[str, Any]

FEE_SCALE = 10  # execution fees and all ledger money columns are stored at 10 decimals
RATE_SCALE = 6  # fee and funding rates
_MASK128 = (1 << 128) - 1
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

# feeCurrency is filled for spot executions since early 2024 and for derivatives since
# 2025-09-18 (changelog); older records return "" (notes §2.1). The exact spot date is inferred.
SPOT_FEE_CURRENCY_SINCE_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
DERIV_FEE_CURRENCY_SINCE_MS = 1_758_153_600_000  # 2025-09-18T00:00:00Z

# Execution types (compact code -> execType).
TRADE, FUNDING, BUST, DELIVERY, SETTLE = 0, 1, 2, 3, 4
EXEC_TYPES = ("Trade", "Funding", "BustTrade", "Delivery", "Settle")


def fmt(value: int, scale: int) -> str:
    """``value / 10**scale`` as a plain decimal string without trailing zeros."""
    if scale <= 0:
        return str(value * 10 ** (-scale))
    negative = value < 0
    digits = str(-value if negative else value).rjust(scale + 1, "0")
    whole, frac = digits[:-scale], digits[-scale:].rstrip("0")
    text = f"{whole}.{frac}" if frac else whole
    return f"-{text}" if negative and text != "0" else text


def pow10(n: int) -> int:
    return int(10**n)


def rescale(value: int, from_scale: int, to_scale: int) -> int:
    """Change the decimal scale of ``value``, rounding half away from zero when dropping digits."""
    if to_scale >= from_scale:
        return value * pow10(to_scale - from_scale)
    div = pow10(from_scale - to_scale)
    q, r = divmod(abs(value), div)
    if 2 * r >= div:
        q += 1
    return q if value >= 0 else -q


def mix128(n: int, salt: int) -> int:
    """A bijection of 128-bit integers (for a fixed salt): distinct inputs give distinct ids."""
    x = (n + salt) & _MASK128
    x = (x * 0x9E3779B97F4A7C15F39CC0605CEDC835) & _MASK128
    x ^= x >> 61
    x = (x * 0xD6E8FEB86659FD932F7D7D8F5A8C3B25) & _MASK128
    x ^= x >> 67
    return x


def uuid_like(n: int, salt: int) -> str:
    h = f"{mix128(n, salt):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def numeric_id(n: int, salt: int, prefix: int, digits: int = 15) -> str:
    """A unique decimal id: ``prefix`` followed by a bijective scramble of ``n`` (n < 10**digits)."""
    mod = 10**digits
    return str(prefix * mod + (n * 7_919_000_003 + salt) % mod)


def iso_utc(ms: int) -> str:
    return datetime.fromtimestamp(ms // 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expiry_label(ms: int) -> str:
    """Bybit's date part of dated symbols, e.g. ``29JUL22`` (day not zero-padded)."""
    d = datetime.fromtimestamp(ms // 1000, tz=UTC)
    return f"{d.day}{_MONTHS[d.month - 1]}{d.year % 100:02d}"


@dataclass(frozen=True, slots=True)
class Instrument:
    symbol: str
    category: str  # spot, linear, inverse, option
    base: str
    quote: str  # quote coin (spot) or settle coin (derivatives)
    price_scale: int
    qty_scale: int
    tick: int  # price step in price units
    lot: int  # quantity step in quantity units
    asset: str  # price path the instrument follows (BTC, ETH, ...)
    expiry_ms: int = 0  # dated futures and options
    strike: int = 0  # options, in whole USD
    option_type: str = ""  # "C" or "P"


def exec_value(ins: Instrument, price: int, qty: int) -> tuple[int, int]:
    """execValue as (integer, scale): price*qty, or qty/price in coin for inverse contracts."""
    if ins.category == "inverse":
        num = qty * 10 ** (8 + ins.price_scale - ins.qty_scale)
        q, r = divmod(num, price)
        if 2 * r >= price:
            q += 1
        return q, 8
    return price * qty, ins.price_scale + ins.qty_scale


def spot_fee_currency(buy: bool, maker: bool, maker_rate: int, ins: Instrument) -> str:
    """docs:v5/enum#spot-fee-currency-instruction."""
    if maker_rate > 0 or not maker:
        return ins.base if buy else ins.quote
    return ins.quote if buy else ins.base


# --- execution rows --------------------------------------------------------------------------
# (execTime, serial, instrument index, exec type code, buy, maker, price, qty, order number,
#  order qty, order price, leaves qty, closed size, fee rate, fee (FEE_SCALE), extra (spot: maker
#  rate of the account at that time, for the fee-currency rule; option: index price, 2 decimals),
#  order link id)
E_T, E_SERIAL, E_INS, E_TYPE, E_BUY, E_MAKER, E_PRICE, E_QTY = 0, 1, 2, 3, 4, 5, 6, 7
E_ORDER, E_OQTY, E_OPRICE, E_LEAVES, E_CLOSED, E_RATE, E_FEE, E_MRATE, E_LINK = (
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
)


class Builders:
    """Formats compact rows of one account into API records."""

    def __init__(self, uid: int, salt: int, instruments: list[Instrument]) -> None:
        self.uid = uid
        self.salt = salt
        self.instruments = instruments

    # -- ids shared by executions and their ledger rows --
    def exec_id(self, row: Row) -> str:
        ins = self.instruments[row[E_INS]]
        if ins.category == "spot":
            return numeric_id(row[E_SERIAL], self.salt, 21, 17)
        return uuid_like(row[E_SERIAL], self.salt)

    def order_id(self, row: Row) -> str:
        ins = self.instruments[row[E_INS]]
        order = row[E_ORDER] or row[E_SERIAL] + (1 << 40)
        if ins.category == "spot":
            return numeric_id(order, self.salt + 1, 15, 17)
        return uuid_like(order, self.salt + 1)

    def _mark(self, row: Row, ins: Instrument) -> str:
        wiggle = (row[E_SERIAL] * 7919) % 11 - 5
        return fmt(row[E_PRICE] + wiggle * ins.tick, ins.price_scale)

    def execution(self, row: Row) -> Record:
        ins = self.instruments[row[E_INS]]
        t, etype, buy, price, qty = row[E_T], row[E_TYPE], row[E_BUY], row[E_PRICE], row[E_QTY]
        value, vscale = exec_value(ins, price, qty)
        ps, qs = ins.price_scale, ins.qty_scale
        spot = ins.category == "spot"
        trade = etype in (TRADE, BUST)
        if spot:
            fee_ccy = (
                spot_fee_currency(bool(buy), bool(row[E_MAKER]), row[E_MRATE], ins)
                if t >= SPOT_FEE_CURRENCY_SINCE_MS
                else ""
            )
        else:
            settle = ins.base if ins.category == "inverse" else ins.quote
            fee_ccy = settle if t >= DERIV_FEE_CURRENCY_SINCE_MS else ""
        option = ins.category == "option"
        underlying = ""
        if option:  # price is the premium; the index level at the trade is kept in E_MRATE
            underlying = fmt(row[E_MRATE], 2)
        rec: Record = {
            "symbol": ins.symbol,
            "orderType": ("Market" if not row[E_MAKER] else "Limit") if trade else "UNKNOWN",
            "underlyingPrice": underlying,
            "orderLinkId": f"sim-{row[E_LINK]}" if row[E_LINK] else "",
            "orderId": self.order_id(row),
            "stopOrderType": "" if spot else "UNKNOWN",
            "execTime": str(t),
            "feeCurrency": fee_ccy,
            "feeRate": fmt(row[E_RATE], RATE_SCALE),
            "tradeIv": fmt(4000 + (row[E_SERIAL] * 37) % 3000, 4) if option else "",
            "blockTradeId": "",
            "markPrice": "" if spot else self._mark(row, ins),
            "execPrice": fmt(price, ps),
            "markIv": fmt(4000 + (row[E_SERIAL] * 53) % 3000, 4) if option else "",
            "orderQty": fmt(row[E_OQTY], qs),
            "orderPrice": fmt(row[E_OPRICE], ps),
            "execValue": fmt(value, vscale),
            "closedSize": "" if spot else fmt(row[E_CLOSED], qs),
            "execType": EXEC_TYPES[etype],
            "seq": 4_000_000_000 + row[E_SERIAL] * 13,
            "side": "Buy" if buy else "Sell",
            "indexPrice": underlying,
            "leavesQty": fmt(row[E_LEAVES], qs),
            "isMaker": bool(row[E_MAKER]),
            "execFee": fmt(row[E_FEE], FEE_SCALE),
            "execId": self.exec_id(row),
            "marketUnit": ("baseCoin" if not row[E_MAKER] else "") if spot else "",
            "execQty": fmt(qty, qs),
            "extraFees": "",
        }
        if not spot:
            rec["createType"] = _CREATE_TYPE[etype]
        return rec

    def ledger(self, row: Row) -> Record:
        return LEDGER_KINDS[row[L_KIND]](self, row)


_CREATE_TYPE = ("CreateByUser", "", "CreateByLiq", "CreateBySettle", "CreateBySettle")

# --- transaction-log rows ----------------------------------------------------------------------
# (transactionTime, serial, kind, ref (execution row or None), currency, change, cash flow, fee,
#  size after (qty units), balance after (FEE_SCALE), quantity (FEE_SCALE, non-trade rows))
L_T, L_SERIAL, L_KIND, L_REF, L_CCY, L_CHANGE, L_FEE, L_SIZE, L_BAL = range(9)

(
    K_SPOT_BASE,
    K_SPOT_QUOTE,
    K_TRADE,
    K_FUNDING,
    K_SETTLE,
    K_DELIVERY,
    K_LIQUIDATION,
    K_TRANSFER_IN,
    K_TRANSFER_OUT,
    K_INTEREST,
    K_BONUS,
    K_AIRDROP,
    K_CURRENCY_BUY,
    K_CURRENCY_SELL,
    K_FEE_REFUND,
) = range(15)


def _ledger_common(b: Builders, row: Row, type_: str, symbol: str, ident: str) -> Record:
    return {
        "id": f"{b.uid}_{ident}_{150_000_000_000 + row[L_SERIAL] * 7}",
        "symbol": symbol,
        "category": "",
        "side": "None",
        "transactionTime": str(row[L_T]),
        "type": type_,
        "transSubType": "",
        "qty": "0",
        "size": "0",
        "currency": row[L_CCY],
        "tradePrice": "0",
        "funding": "0",
        "fee": fmt(row[L_FEE], FEE_SCALE),
        # change = cashFlow + funding - fee (docs); funding rows carry no cash flow.
        "cashFlow": fmt(0 if row[L_KIND] == K_FUNDING else row[L_CHANGE] + row[L_FEE], FEE_SCALE),
        "change": fmt(row[L_CHANGE], FEE_SCALE),
        "cashBalance": fmt(row[L_BAL], FEE_SCALE),
        "feeRate": "0",
        "bonusChange": "0",
        "tradeId": "",
        "orderId": "",
        "orderLinkId": "",
        "extraFees": "",
    }


def _ledger_exec(b: Builders, row: Row) -> Record:
    ex: Row = row[L_REF]
    ins = b.instruments[ex[E_INS]]
    kind = row[L_KIND]
    type_ = {
        K_SPOT_BASE: "TRADE",
        K_SPOT_QUOTE: "TRADE",
        K_TRADE: "TRADE",
        K_FUNDING: "SETTLEMENT",
        K_SETTLE: "SETTLEMENT",
        K_DELIVERY: "DELIVERY",
        K_LIQUIDATION: "LIQUIDATION",
    }[kind]
    rec = _ledger_common(b, row, type_, ins.symbol, ins.symbol)
    qs = ins.qty_scale
    rec["category"] = ins.category
    rec["side"] = "Buy" if ex[E_BUY] else "Sell"
    rec["tradePrice"] = fmt(ex[E_PRICE], ins.price_scale)
    rec["feeRate"] = fmt(ex[E_RATE], RATE_SCALE)
    rec["tradeId"] = b.exec_id(ex)
    rec["orderId"] = b.order_id(ex)
    rec["orderLinkId"] = f"sim-{ex[E_LINK]}" if ex[E_LINK] else ""
    if kind == K_SPOT_BASE:
        rec["qty"] = fmt(ex[E_QTY] if ex[E_BUY] else -ex[E_QTY], qs)
    elif kind == K_SPOT_QUOTE:
        value, vscale = exec_value(ins, ex[E_PRICE], ex[E_QTY])
        rec["qty"] = fmt(-value if ex[E_BUY] else value, vscale)
    else:
        rec["qty"] = fmt(ex[E_QTY], qs)
        rec["size"] = fmt(row[L_SIZE], qs)
    if kind in (K_FUNDING,):
        rec["funding"] = fmt(-ex[E_FEE], FEE_SCALE)  # ledger: positive = received (execFee: paid)
    return rec


def _ledger_plain(type_: str) -> Callable[[Builders, Row], Record]:
    def build(b: Builders, row: Row) -> Record:
        rec = _ledger_common(b, row, type_, "", row[L_CCY])
        rec["qty"] = fmt(abs(row[L_CHANGE]), FEE_SCALE)
        if type_ == "BONUS":
            rec["bonusChange"] = fmt(row[L_CHANGE], FEE_SCALE)
        return rec

    return build


LEDGER_KINDS: tuple[Callable[[Builders, Row], Record], ...] = (
    _ledger_exec,
    _ledger_exec,
    _ledger_exec,
    _ledger_exec,
    _ledger_exec,
    _ledger_exec,
    _ledger_exec,
    _ledger_plain("TRANSFER_IN"),
    _ledger_plain("TRANSFER_OUT"),
    _ledger_plain("INTEREST"),
    _ledger_plain("BONUS"),
    _ledger_plain("AIRDROP"),
    _ledger_plain("CURRENCY_BUY"),
    _ledger_plain("CURRENCY_SELL"),
    _ledger_plain("FEE_REFUND"),
)
