"""Every refusal Binance documents becomes a signal to the request loop or a human failure with its fix,
and the exchange's own ``msg`` (which can echo the caller's IP address or the request) is never shown."""

from __future__ import annotations

import json

import pytest

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind, SyncFailure
from cryptact_desktop.sync.http import HttpResponse
from cryptact_desktop.sync.rest import ClockSkew, RateLimited, Request, Transient
from cryptact_desktop.venues.binance.connector import BinanceConnector

KEY = "ErrorsBinanceKey00000000000000000000000000000000000000000000001"
SECRET = "ErrorsBinanceSecret000000000000000000000000000000000000000001"  # noqa: S105 (made up)
ECHO = "request ip: 198.51.100.23 symbol=LUNABUSD"  # what a msg may carry: never shown


def _connector() -> BinanceConnector:
    return BinanceConnector(Credentials(KEY, SECRET), "http://127.0.0.1:8999")


def _unwrap(
    status: int, code: int | None, path: str, headers: dict[str, str] | None = None, context: str = ""
) -> object:
    body = json.dumps({"code": code, "msg": ECHO}).encode() if code is not None else b"<html></html>"
    request = Request("GET", path, stream_id="test", context=context)
    return _connector().unwrap(request, HttpResponse(status, headers or {}, body))


@pytest.mark.parametrize(
    ("status", "code", "path", "kind"),
    [
        (400, -1022, "/api/v3/myTrades", FailureKind.SIGNATURE),
        (401, -2014, "/sapi/v1/capital/deposit/hisrec", FailureKind.AUTHENTICATION),
        (401, -2015, "/api/v3/account", FailureKind.AUTHENTICATION),
        (401, -2015, "/fapi/v1/income", FailureKind.PERMISSION),  # the futures API only
        (401, -2015, "/dapi/v1/income", FailureKind.PERMISSION),
        (401, -1002, "/sapi/v1/fiat/orders", FailureKind.PERMISSION),
        (400, -1121, "/api/v3/myTrades", FailureKind.HISTORY_GAP),
        (400, -1121, "/sapi/v1/margin/myTrades", FailureKind.HISTORY_GAP),
        (400, -1121, "/api/v3/exchangeInfo", FailureKind.REQUEST_REJECTED),  # not a trade list: a bug
        (400, -1127, "/sapi/v1/capital/deposit/hisrec", FailureKind.REQUEST_REJECTED),
        (400, -1102, "/sapi/v1/convert/tradeFlow", FailureKind.REQUEST_REJECTED),
        (418, -1003, "/api/v3/myTrades", FailureKind.IP_BANNED),
        (403, None, "/api/v3/myTrades", FailureKind.IP_BANNED),
        (451, None, "/api/v3/account", FailureKind.REGION),
    ],
)
def test_each_documented_refusal_is_a_human_failure(
    status: int, code: int | None, path: str, kind: FailureKind
) -> None:
    with pytest.raises(SyncFailure) as caught:
        _unwrap(status, code, path, {"Retry-After": "5"}, context="LUNA/BUSD")
    failure = caught.value.failure
    assert caught.value.kind is kind
    assert failure.message and failure.hint
    assert "198.51.100.23" not in failure.message + failure.hint + failure.code
    assert "LUNABUSD" not in failure.message + failure.hint
    assert failure.code == (f"HTTP {status}" if code is None or status == 418 else str(code))


def test_the_hints_name_the_fix() -> None:
    def hint(status: int, code: int | None, path: str, context: str = "") -> str:
        with pytest.raises(SyncFailure) as caught:
            _unwrap(status, code, path, context=context)
        return caught.value.failure.hint

    assert "trusted IP" in hint(401, -2015, "/api/v3/account")
    assert "secret" in hint(400, -1022, "/api/v3/account")
    assert "futures" in hint(401, -2015, "/fapi/v1/income")
    assert "Trade History" in hint(400, -1121, "/api/v3/myTrades", "LUNA/BUSD")
    assert "Wait" in hint(418, -1003, "/api/v3/myTrades")
    assert "Binance Japan" in hint(451, None, "/api/v3/account")


def test_retry_after_and_clock_and_transient_codes_are_signals() -> None:
    with pytest.raises(RateLimited) as limited:
        _unwrap(429, -1003, "/api/v3/myTrades", {"Retry-After": "7"})
    assert limited.value.seconds == 7.0
    with pytest.raises(RateLimited) as unnamed:
        _unwrap(429, -1003, "/api/v3/myTrades")  # no Retry-After: wait at least a second
    assert unnamed.value.seconds == 1.0
    with pytest.raises(ClockSkew):
        _unwrap(400, -1021, "/sapi/v1/capital/deposit/hisrec")
    for code in (-1000, -1001, -1006, -1007, -1008):
        with pytest.raises(Transient):
            _unwrap(400, code, "/api/v3/myTrades")
    with pytest.raises(Transient):
        _unwrap(502, None, "/api/v3/myTrades")


def test_no_margin_account_is_an_empty_list() -> None:
    assert _unwrap(400, -3003, "/sapi/v1/margin/myTrades") is None
    assert _unwrap(400, -11001, "/sapi/v1/margin/isolated/account") is None
    with pytest.raises(SyncFailure):
        _unwrap(400, -3003, "/sapi/v1/capital/deposit/hisrec")  # elsewhere it is not "nothing"
