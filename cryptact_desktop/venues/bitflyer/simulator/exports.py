"""bitFlyer's downloadable trade history report (取引履歴, ``TradeHistory_<yyyymmdd>.csv``) made
from a simulated account, for tests and the contract suite.

Standard library only and independent of ``cryptact_desktop.imports`` (the layouts are written out
again from the public evidence listed in ``cryptact_desktop/venues/bitflyer/files.py``):

* Japanese: ``"取引日時","通貨","取引種別","取引価格","通貨1","通貨1数量","手数料","通貨1の対円レート",
  "通貨2","通貨2数量","自己・媒介","注文 ID","備考"``, every cell quoted, times ``2017/08/16 23:46:37``
  in Japan time, numbers with thousands separators (``"454,359"``), quantities signed (what the
  account gained or gave), the trade fee negative in 通貨1;
* English: ``Trade Date,Product,Trade Type,Traded Price,Currency 1,Amount (Currency 1),Fee,
  JPY Rate (Currency 1),Currency 2,Amount (Currency 2),Fees (JPY),Tax category,Counter Party,
  Order ID,Details`` (the newer 15-column layout), times ``Aug 16, 2017 23:46:37``.

Both are UTF-8 with a byte order mark. One row per Lightning fill (媒介, order id ``JOR…``) and per
retail-desk trade (自己), per bank deposit/withdrawal (and the withdrawal fee), coin deposit/send,
margin move and reward; Crypto CFD fills and P&L are not in this report.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from cryptact_desktop.simulator.activity import (
    CryptoDeposit,
    CryptoWithdrawal,
    Event,
    FiatDeposit,
    FiatWithdrawal,
    Fill,
    Reward,
    Transfer,
)

from .account import SimAccount, product_code

JST = timedelta(hours=9)

HEADER_JA = (
    "取引日時",
    "通貨",
    "取引種別",
    "取引価格",
    "通貨1",
    "通貨1数量",
    "手数料",
    "通貨1の対円レート",
    "通貨2",
    "通貨2数量",
    "自己・媒介",
    "注文 ID",
    "備考",
)
HEADER_EN = (
    "Trade Date",
    "Product",
    "Trade Type",
    "Traded Price",
    "Currency 1",
    "Amount (Currency 1)",
    "Fee",
    "JPY Rate (Currency 1)",
    "Currency 2",
    "Amount (Currency 2)",
    "Fees (JPY)",
    "Tax category",
    "Counter Party",
    "Order ID",
    "Details",
)
_WORDS = {
    "buy": ("買い", "Buy"),
    "sell": ("売り", "Sell"),
    "bank_in": ("入金", "Wire Deposit"),
    "bank_out": ("出金", "Withdrawal"),
    "coin_in": ("預入", "Deposit"),
    "coin_out": ("外部送付", "Send"),
    "fee": ("手数料", "Fee"),
    "margin_in": ("証拠金預入", "Margin Deposit"),
    "margin_out": ("証拠金引出", "Margin Withdrawal"),
    "reward": ("受取", "Receive"),
    "book": ("媒介", "Brokerage"),
    "desk": ("自己", "Proprietary"),
}


@dataclass(frozen=True, slots=True)
class ReportRow:
    time_ms: int
    kind: str
    product: str
    price: Decimal
    currency1: str
    amount1: Decimal
    fee: Decimal
    rate1: Decimal
    currency2: str
    amount2: Decimal
    channel: str
    order_id: str


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    text: str
    rows: tuple[ReportRow, ...]

    def write(self, directory: Path | str, *, encoding: str = "utf-8-sig") -> Path:
        path = Path(directory) / self.name
        path.write_bytes(self.text.encode(encoding))
        return path


def _grouped(value: Decimal) -> str:
    """``454,359`` / ``-0.0000135`` / ``100,000``: thousands grouped, no exponent, no trailing 0s."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}"
    return sign + grouped + (f".{fraction}" if fraction else "")


def report_rows(account: SimAccount, start_ms: int, end_ms: int) -> list[ReportRow]:
    """The report's rows for the events in [start_ms, end_ms], in time order, with the order ids
    the API shows for the same events."""
    rows: list[ReportRow] = []
    for event in account.activity.events:
        if start_ms <= event.time_ms <= end_ms:
            rows.extend(_rows_of(account, event))
    return rows


def _rows_of(account: SimAccount, event: Event) -> list[ReportRow]:
    ms = event.time_ms
    order = account.order_ids.get(event.seq, "")
    zero = Decimal(0)

    def rate(currency: str) -> Decimal:
        return Decimal(str(round(account.activity.prices.price(currency, ms))))

    def simple(
        kind: str, currency: str, amount: Decimal, fee: Decimal = zero, with_rate: bool = False
    ) -> ReportRow:
        jpy = rate(currency) if with_rate else zero
        return ReportRow(ms, kind, currency, zero, currency, amount, fee, jpy, "", zero, "", order)

    if isinstance(event, Fill):
        market = event.market
        if market.kind != "spot":
            return []  # Crypto CFD is not in this report
        sign = Decimal(1) if event.side == "buy" else Decimal(-1)
        value = (event.qty * event.price).quantize(Decimal("0.00000001"))
        fee = -event.fee if event.fee_asset == market.base else zero
        return [
            ReportRow(
                ms,
                event.side,
                product_code(market),
                event.price,
                market.base,
                sign * event.qty,
                fee,
                rate(market.base),
                market.quote,
                -sign * value,
                event.channel,
                order,
            )
        ]
    if isinstance(event, FiatDeposit):
        return [simple("bank_in", event.asset, event.amount)]
    if isinstance(event, FiatWithdrawal):
        return [simple("bank_out", event.asset, -event.amount), simple("fee", event.asset, -event.fee)]
    if isinstance(event, CryptoDeposit):
        return [] if event.pending else [simple("coin_in", event.asset, event.amount, with_rate=True)]
    if isinstance(event, CryptoWithdrawal):
        if event.pending:
            return []
        fee = -(event.fee + event.extra_fee)
        return [simple("coin_out", event.asset, -event.amount, fee, with_rate=True)]
    if isinstance(event, Transfer):
        to_margin = event.target == "margin"
        signed = -event.amount if to_margin else event.amount
        return [simple("margin_in" if to_margin else "margin_out", event.asset, signed)]
    if isinstance(event, Reward):
        return [simple("reward", event.asset, event.amount, with_rate=True)]
    return []


def trade_history(
    account: SimAccount,
    start_ms: int,
    end_ms: int,
    *,
    language: str = "ja",
    downloaded_ms: int | None = None,
) -> Report:
    """The report of [start_ms, end_ms] in ``language`` ("ja" or "en")."""
    rows = report_rows(account, start_ms, end_ms)
    english = language == "en"
    out = io.StringIO()
    writer = csv.writer(
        out, quoting=csv.QUOTE_ALL if not english else csv.QUOTE_MINIMAL, lineterminator="\r\n"
    )
    writer.writerow(HEADER_EN if english else HEADER_JA)
    for row in rows:
        local = datetime.fromtimestamp(row.time_ms / 1000, UTC) + JST
        when = local.strftime("%b %-d, %Y %H:%M:%S") if english else local.strftime("%Y/%m/%d %H:%M:%S")
        word = _WORDS[row.kind][1 if english else 0]
        channel = _WORDS[row.channel][1 if english else 0] if row.channel else ""
        product = row.product.replace("_", "/") if row.currency2 else row.product
        cells = [
            when,
            product,
            word,
            _grouped(row.price),
            row.currency1,
            _grouped(row.amount1),
            _grouped(row.fee),
            _grouped(row.rate1),
            row.currency2,
            _grouped(row.amount2),
        ]
        if english:
            fee_jpy = (-row.fee * row.rate1).quantize(Decimal(1)) if row.fee else Decimal(0)
            cells += [_grouped(fee_jpy), ""]
        cells += [channel, row.order_id, ""]
        writer.writerow(cells)
    stamp = datetime.fromtimestamp((downloaded_ms or end_ms) / 1000, UTC) + JST
    return Report(f"TradeHistory_{stamp:%Y%m%d}.csv", out.getvalue(), tuple(rows))
