"""Which bitFlyer request serves each stream, and which normaliser reads its records.

Stream ids are the catalogue's (:mod:`.catalogue`); a discovered stream is ``template:subject``
(``executions:BTC_JPY``, ``balance_history:JPY``) and its subject goes into the request as the
``product_code`` or ``currency_code``. Tests derive the expected records of a simulated account from
the same parsers (:func:`parser`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cryptact_desktop.venues.bitflyer import normalize


@dataclass(frozen=True, slots=True)
class StreamRequest:
    path: str
    subject_param: str  # "" for a fixed stream
    parse: Callable[[str], normalize.Parser]  # subject -> parser


STREAM_REQUESTS: dict[str, StreamRequest] = {
    "executions": StreamRequest("/v1/me/getexecutions", "product_code", normalize.execution),
    "balance_history": StreamRequest("/v1/me/getbalancehistory", "currency_code", normalize.balance),
    "coin_ins": StreamRequest("/v1/me/getcoinins", "", lambda _: normalize.coin_in),
    "coin_outs": StreamRequest("/v1/me/getcoinouts", "", lambda _: normalize.coin_out),
    "deposits": StreamRequest("/v1/me/getdeposits", "", lambda _: normalize.deposit),
    "withdrawals": StreamRequest("/v1/me/getwithdrawals", "", lambda _: normalize.withdrawal),
    "collateral_history": StreamRequest("/v1/me/getcollateralhistory", "", lambda _: normalize.collateral),
}


def split_stream_id(stream_id: str) -> tuple[str, str]:
    template, _, subject = stream_id.partition(":")
    return template, subject


def request_of(stream_id: str) -> StreamRequest:
    return STREAM_REQUESTS[split_stream_id(stream_id)[0]]


def parser(stream_id: str) -> normalize.Parser:
    """The normaliser of one stream's raw records (``executions:BTC_JPY``...)."""
    template, subject = split_stream_id(stream_id)
    spec = STREAM_REQUESTS[template]
    if spec.subject_param and not subject:
        raise KeyError(f"{stream_id} needs a subject")
    return spec.parse(subject)
