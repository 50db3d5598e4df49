"""Binance's refusals -> our :class:`FailureKind` or a signal to the request loop, with the fix.

Error bodies are ``{"code": -1121, "msg": "Invalid symbol."}`` (``rest-api.md`` "Error Codes";
the codes in ``errors.md``, "Codes are universal, but messages can vary"). ``msg`` is never shown:
it can echo the request (a ``-2015`` names the caller's IP address). HTTP statuses
(``rest-api.md`` "HTTP Return Codes"): 429 a rate limit was broken, 418 "an IP has been auto-banned
for continuing to send requests after receiving 429 codes", 403 the web application firewall, 5xx
"the issue is on Binance's side". 451 is what Binance answers from a country it does not serve
(its "restricted location" page).

Codes read here (``errors.md``; margin: the margin error-code page):

* -1000, -1001, -1006, -1007, -1008: unknown/internal/timeout/busy -> retried;
* -1003 TOO_MANY_REQUESTS -> wait (the 429/418 status decides how long);
* -1021 INVALID_TIMESTAMP ("outside of the recvWindow" / "ahead of the server's time") -> measure
  the clock offset again from ``/api/v3/time`` and sign again;
* -1022 INVALID_SIGNATURE -> the secret does not match;
* -2014 BAD_API_KEY_FMT -> the key is not a Binance key;
* -2015 REJECTED_MBX_KEY "Invalid API-key, IP, or permissions for action" -> the key, its trusted
  IP list or its permissions; on the futures APIs, which refuse a key created before the futures
  account was opened (``apiRestrictions`` docs, ``enableFutures``), only that endpoint fails;
* -1002 UNAUTHORIZED -> a permission the key lacks;
* -1121 BAD_SYMBOL on a trade list -> the pair is not listed any more: a named gap (import the
  export file), not a failure;
* -1127 MORE_THAN_XX_HOURS, -11xx parameter errors -> our request was wrong (a bug);
* -3003 "Margin account does not exist", -11001 "Isolated margin account does not exist" -> the
  account has no such margin history: an empty list.
"""

from __future__ import annotations

import enum

from cryptact_desktop.errors import Failure, FailureKind, describe
from cryptact_desktop.i18n import translate

EXCHANGE = "Binance"


class Signal(enum.Enum):
    """What the request loop does with a refusal that is not a plain failure."""

    CLOCK = "clock"
    RATE_LIMIT = "rate_limit"
    RETRY = "retry"
    EMPTY = "empty"  # nothing to list (the account has no margin account)


RETRY_CODES = frozenset({-1000, -1001, -1006, -1007, -1008})
RATE_LIMIT_CODES = frozenset({-1003, -1015})
CLOCK_CODES = frozenset({-1021})
EMPTY_CODES = frozenset({-3003, -11001})
BAD_SYMBOL = -1121
TRADE_PATHS = ("/api/v3/myTrades", "/sapi/v1/margin/myTrades")
FUTURES_PREFIXES = ("/fapi/", "/dapi/")

_KINDS: dict[int, FailureKind] = {
    -1002: FailureKind.PERMISSION,
    -1022: FailureKind.SIGNATURE,
    -2014: FailureKind.AUTHENTICATION,
    -2015: FailureKind.AUTHENTICATION,
}


def classify(http_status: int, code: int | None, path: str) -> FailureKind | Signal:
    """The kind of one refusal (``code``: the body's code, None without one)."""
    if http_status == 418:
        return FailureKind.IP_BANNED
    if code in RATE_LIMIT_CODES or http_status == 429:
        return Signal.RATE_LIMIT
    if code in CLOCK_CODES:
        return Signal.CLOCK
    if code in RETRY_CODES or (code is None and http_status >= 500):
        return Signal.RETRY
    if code in EMPTY_CODES and path.startswith("/sapi/v1/margin/"):
        return Signal.EMPTY
    if code == BAD_SYMBOL and path in TRADE_PATHS:
        return FailureKind.HISTORY_GAP
    if code == -2015 and path.startswith(FUTURES_PREFIXES):
        return FailureKind.PERMISSION
    if code is not None and code in _KINDS:
        return _KINDS[code]
    if http_status == 451:
        return FailureKind.REGION
    if http_status == 403:
        return FailureKind.IP_BANNED  # the web application firewall refused this address
    if http_status == 401:
        return FailureKind.AUTHENTICATION
    return FailureKind.REQUEST_REJECTED


def _t(text: str) -> str:
    return translate("errors", text)


def failure_for(
    kind: FailureKind, *, code: str, path: str, subject: str = "", exchange: str = EXCHANGE
) -> Failure:
    """A human failure for a refusal ``classify`` did not turn into a signal."""
    detail = hint = ""
    if kind is FailureKind.AUTHENTICATION and code == "-2015":
        hint = _t(
            "Binance refuses the key (-2015): it was deleted or is not a Binance.com key, this "
            "computer's IP address is not among the key's trusted IPs, or the key cannot read. Check "
            "the key under API Management on Binance, then edit it here."
        )
    elif kind is FailureKind.AUTHENTICATION and code == "-2014":
        hint = _t("The API key is not in Binance's format: copy it again from API Management on Binance.")
    elif kind is FailureKind.SIGNATURE:
        hint = _t(
            "Paste the secret key again exactly as Binance showed it. Binance shows a secret only once: "
            "if it is lost, create a new read-only key."
        )
    elif kind is FailureKind.PERMISSION and path.startswith(FUTURES_PREFIXES):
        detail = _t("the futures API refuses this key")
        hint = _t(
            "Binance does not let a key read futures if it was created before the futures account was "
            "opened: create a new read-only key on Binance, or untick this history here."
        )
    elif kind is FailureKind.HISTORY_GAP and "/" not in subject:
        detail = subject
        hint = _t(
            "Binance lists no pair of this coin any more, so its API cannot give trades of it: if you "
            "traded it, import Binance's spot trade history export (Orders → Trade History → Export)."
        )
    elif kind is FailureKind.HISTORY_GAP:
        detail = subject
        hint = _t(
            "Binance no longer lists this pair, so its API cannot give its trades: import Binance's "
            "spot trade history export (Orders → Trade History → Export) for it."
        )
    elif kind is FailureKind.IP_BANNED and code == "HTTP 418":
        hint = _t(
            "Binance banned this IP address for a while after too many refused requests (bans last "
            "2 minutes to 3 days; another program on this network may have caused it). Wait, then "
            "sync again: this app paces its requests to stay under Binance's limits."
        )
    elif kind is FailureKind.REGION:
        hint = _t(
            "Binance.com does not serve this country or region. Binance.US is a separate exchange: add "
            "the key under it. A Binance Japan key uses this API: choose the “Binance Japan” site."
        )
    elif kind is FailureKind.REQUEST_REJECTED:
        detail = path
    return describe(kind, exchange=exchange, code=code, detail=detail, hint=hint)
