"""bitFlyer's refusals -> our :class:`FailureKind`, with a human hint.

bitFlyer answers an error with ``{"status": <negative number>, "error_message": "…", "data": null}``
and an HTTP status (docs: the ``-505``/``-700`` samples; the ``-2`` "Under maintenance" status that
ccxt maps). The docs publish no list of codes, so the kind is read from what is known of them:

* authentication failures come back as HTTP 401 with status ``-500``: "Invalid signature" (a ccxt
  issue quotes ``401 {"status":-500,"error_message":"Invalid signature","data":null}``) or a missing
  header ("ACCESS-KEY header is required"); any other 401 means the key itself was not accepted;
* an ``error_message`` that names the timestamp is a clock problem, one that names a permission is a
  permission the key lacks, one about an IP address is the key's IP restriction (bitFlyer's API
  page does not document IP restrictions; kept in case a key has one);
* HTTP 429 or an "API limit" message is the rate limit ("When exceeding an API limit, future API
  requests will be blocked temporarily", docs); ``-2`` is maintenance (retried, then "not answering").

``error_message`` is matched, never shown: it can echo what was sent.
"""

from __future__ import annotations

import enum

from cryptact_desktop.errors import Failure, FailureKind, describe
from cryptact_desktop.i18n import translate

EXCHANGE = "bitFlyer"
MAINTENANCE = -2


class Signal(enum.Enum):
    """What the request loop does with a refusal that is not a plain failure."""

    CLOCK = "clock"
    RATE_LIMIT = "rate_limit"
    RETRY = "retry"


# The paths a history endpoint reads, in the words bitFlyer's developer page uses for the APIs.
PATH_NAMES = {
    "/v1/me/getexecutions": "List Executions (getexecutions)",
    "/v1/me/getbalancehistory": "List Balance History (getbalancehistory)",
    "/v1/me/getcoinins": "Get Crypto Assets Deposit History (getcoinins)",
    "/v1/me/getcoinouts": "Get Crypto Assets Transaction History (getcoinouts)",
    "/v1/me/getdeposits": "Get Cash Deposits (getdeposits)",
    "/v1/me/getwithdrawals": "Get Deposit Cancellation History (getwithdrawals)",
    "/v1/me/getcollateralhistory": "Get Margin Change History (getcollateralhistory)",
    "/v1/me/getbalance": "Get Account Asset Balance (getbalance)",
    "/v1/me/getpermissions": "Get API Key Permissions (getpermissions)",
}


def classify(http_status: int, status: int | None, message: str) -> FailureKind | Signal:
    """The kind of one refusal (``status``: the envelope's code, None without an envelope)."""
    text = message.lower()
    if status == MAINTENANCE:
        return Signal.RETRY
    if http_status == 429 or "api limit" in text or "too many" in text:
        return Signal.RATE_LIMIT
    if "timestamp" in text or "nonce" in text:
        return Signal.CLOCK
    if "signature" in text or "access-sign" in text:
        return FailureKind.SIGNATURE
    if "permission" in text:
        return FailureKind.PERMISSION
    if "ip address" in text or " ip " in f" {text} ":
        return FailureKind.IP_WHITELIST
    if http_status == 401 or "key" in text:
        return FailureKind.AUTHENTICATION
    if http_status == 403:
        # No envelope we know: the edge in front of the API refusing this address.
        return FailureKind.IP_BANNED
    if http_status >= 500:
        return Signal.RETRY
    return FailureKind.REQUEST_REJECTED


def permission_hint(path: str) -> str:
    name = PATH_NAMES.get(path)
    if not name:
        return ""
    return translate("errors", "the key needs the “{permission}” permission").format(permission=name)


def failure_for(kind: FailureKind, *, code: str, path: str) -> Failure:
    detail = ""
    if kind is FailureKind.PERMISSION:
        detail = permission_hint(path)
    elif kind is FailureKind.REQUEST_REJECTED:
        detail = path
    return describe(kind, exchange=EXCHANGE, code=code, detail=detail)
