"""Which Binance request serves each stream, how it pages, and which normaliser reads its records.

Stream ids are the catalogue's (:mod:`.catalogue`). A trade stream is discovered per pair and its
subject is the pair as ``BASE/QUOTE`` (``spot_trades:BNB/BTC``): the API's symbol is the two joined
(``BNBBTC``), and the split, read from ``exchangeInfo`` when the pair was found, stays with the
stream when Binance stops listing the pair. A subject without ``/`` is a coin Binance lists no pair
of any more (its history is a named gap). Tests derive the expected records of a simulated account
from the same parsers (:func:`parser`).

Paging kinds:

* ``from_id``: ``fromId`` ascending (trades >= it), ``limit``; the next ``fromId`` is the last id + 1;
* ``offset``: ``offset``/``limit`` inside a ``startTime``/``endTime`` window;
* ``end_time``: the window's ``endTime`` moves down to the oldest record while ``moreData``;
* ``newest``: no window; ``endTime`` moves below the oldest record while a page is full (dust);
* ``current``/``page``: a 1-based page number (``current``+``size`` or ``page``+``rows``/``limit``)
  inside a window, with the body's ``total`` where it has one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptact_desktop.records import Side, TransactionKind
from cryptact_desktop.venues.binance import catalogue as c
from cryptact_desktop.venues.binance import normalize

Items = Callable[[Any], list[Any]]


def _list(body: Any) -> list[Any]:
    if not isinstance(body, list):
        raise ValueError("not a list")
    return body


def _field(name: str) -> Items:
    def items(body: Any) -> list[Any]:
        if not isinstance(body, dict):
            raise ValueError("not an object")
        value = body.get(name)
        if value is None:
            return []  # fiat: "the response may omit data when total is 0"
        if not isinstance(value, list):
            raise ValueError(f"{name} is not a list")
        return value

    return items


def _dust(body: Any) -> list[Any]:
    return list(normalize.flatten_dust(body))


@dataclass(frozen=True, slots=True)
class StreamRequest:
    path: str
    paging: str  # from_id | offset | end_time | newest | current | page
    parse: Callable[[str], normalize.Parser]  # subject -> parser
    items: Items = _list
    params: tuple[tuple[str, str], ...] = ()
    time_field: str = ""  # the record time the paging reads (end_time, newest, from_id)
    start_param: str = "startTime"
    end_param: str = "endTime"
    page_param: str = "page"
    size_param: str = "limit"
    total_field: str = ""  # the body's count of records in the window, where it has one


def _fixed(parser: normalize.Parser) -> Callable[[str], normalize.Parser]:
    return lambda _subject: parser


def _spot(subject: str) -> normalize.Parser:
    return normalize.trade(subject)


def _isolated(subject: str) -> normalize.Parser:
    return normalize.trade(subject, isolated=True)


STREAM_REQUESTS: dict[str, StreamRequest] = {
    "spot_trades": StreamRequest(c.MY_TRADES, "from_id", _spot, time_field="time"),
    "margin_cross": StreamRequest(
        c.MARGIN_TRADES, "from_id", _spot, params=(("isIsolated", "FALSE"),), time_field="time"
    ),
    "margin_isolated": StreamRequest(
        c.MARGIN_TRADES, "from_id", _isolated, params=(("isIsolated", "TRUE"),), time_field="time"
    ),
    "deposits": StreamRequest(c.DEPOSITS, "offset", _fixed(normalize.deposit)),
    "withdrawals": StreamRequest(c.WITHDRAWALS, "offset", _fixed(normalize.withdrawal)),
    "converts": StreamRequest(
        c.CONVERTS, "end_time", _fixed(normalize.convert), items=_field("list"), time_field="createTime"
    ),
    "dust": StreamRequest(c.DUST, "newest", _fixed(normalize.dust), items=_dust, time_field="operateTime"),
    **{
        f"earn_flexible_{kind.lower()}": StreamRequest(
            c.EARN_FLEXIBLE,
            "current",
            _fixed(normalize.earn_flexible),
            items=_field("rows"),
            params=(("type", kind),),
            page_param="current",
            size_param="size",
            total_field="total",
        )
        for kind in c.EARN_FLEXIBLE_TYPES
    },
    "earn_locked": StreamRequest(
        c.EARN_LOCKED,
        "current",
        _fixed(normalize.earn_locked),
        items=_field("rows"),
        page_param="current",
        size_param="size",
        total_field="total",
    ),
    **{
        stream_id: StreamRequest(
            path,
            "page",
            _fixed(parse),
            items=_field("data"),
            params=(("transactionType", kind),),
            start_param="beginTime",
            end_param="endTime",
            size_param="rows",
            total_field="total",
        )
        for stream_id, path, kind, parse in (
            ("fiat_deposits", c.FIAT_ORDERS, "0", normalize.fiat_order(TransactionKind.DEPOSIT)),
            ("fiat_withdrawals", c.FIAT_ORDERS, "1", normalize.fiat_order(TransactionKind.WITHDRAWAL)),
            ("card_buys", c.FIAT_PAYMENTS, "0", normalize.card_payment(Side.BUY)),
            ("card_sells", c.FIAT_PAYMENTS, "1", normalize.card_payment(Side.SELL)),
        )
    },
    **{
        f"transfer_{kind}": StreamRequest(
            c.TRANSFERS,
            "current",
            _fixed(normalize.transfer),
            items=_field("rows"),
            params=(("type", kind),),
            page_param="current",
            size_param="size",
            total_field="total",
        )
        for kind in c.TRANSFER_TYPES
    },
    "income_usdm": StreamRequest(c.USDM_INCOME, "page", _fixed(normalize.income)),
    "income_coinm": StreamRequest(c.COINM_INCOME, "page", _fixed(normalize.income)),
}


def split_stream_id(stream_id: str) -> tuple[str, str]:
    template, _, subject = stream_id.partition(":")
    return template, subject


def request_of(stream_id: str) -> StreamRequest:
    return STREAM_REQUESTS[split_stream_id(stream_id)[0]]


def parser(stream_id: str) -> normalize.Parser:
    """The normaliser of one stream's raw records (``spot_trades:BNB/BTC``, ``deposits``...)."""
    template, subject = split_stream_id(stream_id)
    spec = STREAM_REQUESTS[template]
    if spec.paging == "from_id" and "/" not in subject:
        raise KeyError(f"{stream_id} needs a BASE/QUOTE subject")
    return spec.parse(subject)
